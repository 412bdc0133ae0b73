#!/usr/bin/env bash
# f1.sh — article extraction quality of the real CLI on Readability's test pages.
#
# For every page of the corpus, converts source.html to Markdown with octavo
# and scores the words of the result against the words of expected.html
# (token F1: bags of lowercased words with multiplicity; link targets,
# Markdown syntax and the YAML front matter of metadata are ignored). Prints per-page precision/recall/F1 and the mean.
#
# usage: bench/extract/f1.sh [OCTAVO] [CORPUS_DIR] [-- extra octavo arguments]
#   OCTAVO      the CLI (default: build/bin/octavo next to this repo)
#   CORPUS_DIR  default: ../shared/corpora/readability from the repo root
# e.g.  bench/extract/f1.sh build-extract/bin/octavo -- --extract on --offline
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
positional=()
while (( $# )) && [[ $1 != -- ]]; do positional+=("$1"); shift; done
(( $# )) && shift
extra=("$@")
octavo=${positional[0]:-$repo/build/bin/octavo}
corpus=${positional[1]:-$repo/../shared/corpora/readability}

[[ -x $octavo ]] || { echo "f1.sh: no octavo at $octavo" >&2; exit 2; }
[[ -d $corpus ]] || { echo "f1.sh: no corpus at $corpus" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for dir in "$corpus"/*/; do
  page=$(basename "$dir")
  [[ -f $dir/source.html && -f $dir/expected.html ]] || continue
  if ! "$octavo" -f html -t markdown "${extra[@]}" "$dir/source.html" -o "$tmp/$page.md" \
       2> "$tmp/$page.err"; then
    : > "$tmp/$page.md"   # a failed conversion scores 0
  fi
done

python3 - "$corpus" "$tmp" <<'PY'
import collections, html.parser, os, re, sys

corpus, out = sys.argv[1], sys.argv[2]
WORD = re.compile(r"[^\W_]+", re.UNICODE)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

def tokens(text):
    text = CJK.sub(lambda m: " " + m.group(0) + " ", text.lower())
    return collections.Counter(WORD.findall(text))

BLOCKS = set("p div br li h1 h2 h3 h4 h5 h6 td th tr section article blockquote pre ul ol "
             "table figure figcaption dd dt header footer hr main aside nav".split())

class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0
    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"): self.skip += 1
        if tag in BLOCKS: self.parts.append(" ")
    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip: self.skip -= 1
        if tag in BLOCKS: self.parts.append(" ")
    def handle_data(self, data):
        if not self.skip: self.parts.append(data)

def markdown_text(md):
    md = re.sub(r"\A---\n.*?\n---\n", "", md, flags=re.S)      # YAML front matter (metadata)
    target = r"\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"  # (url "title"), url may hold (...)
    md = re.sub(r"!\[[^\]]*\]" + target, " ", md)          # images (alt text is not page text)
    md = re.sub(r"\]" + target, "]", md)                     # links: drop targets
    md = re.sub(r"^\[[^\]]+\]:\s*\S+.*$", "", md, flags=re.M)  # reference definitions
    md = re.sub(r"^\s*\d+[.)]\s", " ", md, flags=re.M)          # ordered list numbers
    parts = re.split(r"(^```.*?^```)", md, flags=re.M | re.S)   # raw HTML outside code fences
    md = "".join(p if p.startswith("```") else re.sub(r"<[^>\s][^>]*>", " ", p) for p in parts)
    return md

scores = []
print(f"{'page':40} {'P':>6} {'R':>6} {'F1':>6}")
for page in sorted(os.listdir(corpus)):
    exp = os.path.join(corpus, page, "expected.html")
    got = os.path.join(out, page + ".md")
    if not os.path.isfile(exp) or not os.path.exists(got):
        continue
    p = Text(); p.feed(open(exp, encoding="utf-8", errors="replace").read())
    want = tokens("".join(p.parts))
    have = tokens(markdown_text(open(got, encoding="utf-8", errors="replace").read()))
    common = sum((want & have).values())
    prec = common / sum(have.values()) if have else (0.0 if want else 1.0)
    rec = common / sum(want.values()) if want else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    scores.append(f1)
    print(f"{page:40} {prec:6.3f} {rec:6.3f} {f1:6.3f}")
print(f"mean F1 over {len(scores)} pages: {sum(scores) / max(len(scores), 1):.4f}")
PY
