#!/bin/bash
# The Markdown formats through the octavo program: listed, each writes, the
# long options --wrap/--columns reach the writer, -V front-matter=off works,
# and libcmark reads the result as a document (cmark program, if present).
#   cli.sh OCTAVO_CLI SOURCE_DIR
set -eu
cli=$1
src=$2
html="$src/../shared/corpora/readability/001/expected.html"
fail() { echo "FAIL: $*" >&2; exit 1; }

formats=$("$cli" --list-formats)
for f in markdown commonmark gfm; do
  grep -q "^$f " <<<"$formats" || fail "--list-formats does not list $f"
done

for f in markdown commonmark gfm; do
  out=$("$cli" -q --offline --extract off "$html" -t "$f" -o -) || fail "-t $f failed"
  [ -n "$out" ] || fail "-t $f wrote nothing"
  head -1 <<<"$out" | grep -q '^---$' || fail "-t $f: no front matter by default"
done

# --columns N: no line longer than N unless it is one unbreakable word
out=$("$cli" -q --offline --extract off "$html" -t markdown --columns 40 -V front-matter=off -o -)
long=""
in_code=0
while IFS= read -r line; do
  body=$(sed -E 's/^([> ]*)//' <<<"$line")
  case "$body" in '```'* | '~~~'*) in_code=$((1 - in_code)); continue ;; esac
  [ $in_code = 0 ] || continue
  case "$line" in *"|"* | *"<"*) continue ;; esac
  [[ "$body" == *" "* ]] || continue
  [ "$(printf %s "$line" | wc -m)" -gt 40 ] && long="$line"
done <<<"$out"
[ -z "$long" ] || fail "--columns 40 left long lines: $long"
head -1 <<<"$out" | grep -q '^---$' && fail "-V front-matter=off still wrote front matter"

# --wrap none: one line per paragraph, so fewer lines than wrapped at 40
none=$("$cli" -q --offline --extract off "$html" -t markdown --wrap none -V front-matter=off -o -)
[ "$(wc -l <<<"$none")" -lt "$(wc -l <<<"$out")" ] || fail "--wrap none did not unwrap"

if command -v cmark >/dev/null; then
  cmark <<<"$out" | grep -q '<p>' || fail "cmark found no paragraph"
fi
echo "ok"
