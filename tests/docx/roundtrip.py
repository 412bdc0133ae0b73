#!/usr/bin/env python3
"""Converts inputs to DOCX with octavo and checks each result three ways:

1. the OOXML validator (/work/shared/ooxml/validate-docx.sh --plain) passes;
2. LibreOffice opens it and its text (footnotes included) holds every word of the document;
3. pandoc reads it back with the same structure as octavo's own tree
   (`-t tree`): headings (level and text), lists (kind, start, items),
   links (targets), tables (rows and columns) and emphasis (the words inside
   emphasis and strong).

usage: roundtrip.py --octavo CLI --validator SCRIPT --work DIR
                    [--no-libreoffice] [--no-pandoc] [--opt=ARG...] INPUT...
Exit status 0 when every check of every input passes; 77 when a required
tool is missing (CTest's skip code).
"""
import argparse
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import urllib.parse

TOKEN = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*")|(\w+)=(\S+)|("(?:[^"\\]|\\.)*")|(\S+)')
WORD = re.compile(r"\w+", re.UNICODE)
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"), None)


def unquote(s):
    out, i = [], 1
    while i < len(s) - 1:
        c = s[i]
        if c == "\\":
            n = s[i + 1]
            if n == "x":
                out.append(chr(int(s[i + 2:i + 4], 16)))
                i += 4
                continue
            out.append({"n": "\n", "t": "\t", "r": "\r"}.get(n, n))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


class Node:
    def __init__(self, kind, attrs, literal, depth):
        self.kind, self.attrs, self.literal, self.depth = kind, attrs, literal, depth
        self.children = []


def parse_tree(text):
    """The `-t tree` dump as nodes (with children), and resource id -> type."""
    root, stack, media = None, [], {}
    for line in text.splitlines():
        if line.startswith("resource "):
            fields = line.split()
            media[fields[1]] = fields[2]
            continue
        if line.startswith("meta "):
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        tokens = TOKEN.findall(line.strip())
        kind = tokens[0][5]
        attrs, literal = {}, None
        for k, qv, k2, v, q, bare in tokens[1:]:
            if k:
                attrs[k] = unquote(qv)
            elif k2:
                attrs[k2] = v
            elif q:
                literal = unquote(q)
            elif bare:
                attrs[bare] = True
        node = Node(kind, attrs, literal, depth)
        while stack and stack[-1].depth >= depth:
            stack.pop()
        if stack:
            stack[-1].children.append(node)
        else:
            root = node
        stack.append(node)
    return root, media


def walk(node):
    todo = [node]
    while todo:
        n = todo.pop()
        yield n
        todo.extend(reversed(n.children))


def norm(s):
    return " ".join(s.translate(INVISIBLE).split())


EMBEDDABLE = ("image/png", "image/jpeg", "image/gif", "image/bmp", "image/tiff")


def tree_chunks(node, media):
    """(text, emphasised, strong) in document order: text, code, line breaks,
    and the alternative text of pictures the writer cannot embed (it writes
    that text instead)."""
    chunks, emph, strong = [], 0, 0
    todo = [(node, True)]
    while todo:
        n, entering = todo.pop()
        if not entering:
            emph -= n.kind == "emph"
            strong -= n.kind == "strong"
            if n.kind == "superscript":
                chunks.append((" ", False, False))
            continue
        if n.kind == "superscript":  # LibreOffice's <sup> splits words too
            chunks.append((" ", False, False))
        if n.kind == "footnote_def" and n is not node:
            continue
        text = None
        if n.kind in ("text", "code") and n.literal:
            text = n.literal
        elif n.kind in ("soft_break", "line_break", "footnote_ref"):
            text = " "
        elif n.kind == "image" and media.get(n.attrs.get("resource")) not in EMBEDDABLE:
            text = n.attrs.get("alt")
        if text:
            chunks.append((text, emph > 0, strong > 0))
        emph += n.kind == "emph"
        strong += n.kind == "strong"
        todo.append((n, False))
        todo.extend((c, True) for c in reversed(n.children))
    return chunks


def chunk_text(chunks):
    return norm("".join(c[0] for c in chunks))


def flagged_words(chunks, index):
    return set(WORD.findall("".join(c[0] if c[index] else " " for c in chunks)))


def url_key(u):
    u = urllib.parse.unquote(u.translate(INVISIBLE).strip())
    return u[2:] if u.startswith("./") else u


def tree_structure(root, media):
    s = {"headings": [], "lists": [], "links": [], "tables": []}
    todo = [root]
    while todo:
        n = todo.pop()
        if n.kind == "footnote_def":
            continue
        todo.extend(reversed(n.children))
        if n.kind == "heading":
            s["headings"].append((int(n.attrs.get("level", 1)), chunk_text(tree_chunks(n, media))))
        elif n.kind == "list":
            items = sum(1 for c in n.children if c.kind == "item")
            # pandoc ends a list at a heading inside an item (a heading cannot
            # continue an item in its reader): lists are compared up to there
            if "lists_until" not in s and any(
                    k.kind == "heading" for c in n.children for k in c.children[1:]):
                s["lists_until"] = len(s["lists"])
            ordered = n.attrs.get("style", "bullet") != "bullet"
            s["lists"].append((ordered, int(n.attrs.get("start", 1)) if ordered else 0, items))
        elif n.kind == "link":
            url = n.attrs.get("url", "")
            if url and not url.startswith("#") and chunk_text(tree_chunks(n, media)) \
                    and len(url) <= 2000:
                s["links"].append(url_key(url))
        elif n.kind == "table":
            s["tables"].append(sum(1 for c in n.children if c.kind == "table_row"))
    chunks = tree_chunks(root, media)
    s["emph"], s["strong"] = flagged_words(chunks, 1), flagged_words(chunks, 2)
    return s


def pandoc_chunks(inlines):
    chunks, emph, strong = [], 0, 0
    todo = [(x, True) for x in reversed(inlines)]
    while todo:
        x, entering = todo.pop()
        if not isinstance(x, dict):
            continue
        t, c = x.get("t"), x.get("c")
        if not entering:
            emph -= t == "Emph"
            strong -= t == "Strong"
            if t == "Superscript":
                chunks.append((" ", False, False))
            continue
        text, kids = None, None
        if t in ("Superscript", "Note"):  # as tree_chunks does
            chunks.append((" ", False, False))
        if t == "Str":
            text = c
        elif t in ("Space", "SoftBreak", "LineBreak"):
            text = " "
        elif t == "Code":
            text = c[1]
        elif t in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps",
                   "Underline"):
            kids = c
        elif t in ("Link", "Span", "Quoted"):
            kids = c[1]
        elif t in ("Para", "Plain", "Header"):
            kids = c[2] if t == "Header" else c
        if text:
            chunks.append((text, emph > 0, strong > 0))
        if kids is not None:
            emph += t == "Emph"
            strong += t == "Strong"
            todo.append((x, False))
            todo.extend((k, True) for k in reversed(kids))
    return chunks


def pandoc_structure(doc):
    s = {"headings": [], "lists": [], "links": [], "tables": []}
    chunks = []
    # iterative pre-order walk over blocks and inlines, skipping notes
    todo = [doc["blocks"]]
    order = []
    while todo:
        x = todo.pop()
        if isinstance(x, list):
            todo.extend(reversed(x))
            continue
        if not isinstance(x, dict) or "t" not in x:
            continue
        t, c = x["t"], x.get("c")
        if t == "Note":
            continue
        order.append(x)
        if isinstance(c, list):
            todo.append(c)
    for x in order:
        t, c = x["t"], x.get("c")
        if t == "Header":
            s["headings"].append((c[0], chunk_text(pandoc_chunks(c[2]))))
        elif t == "BulletList":
            s["lists"].append((False, 0, len(c)))
        elif t == "OrderedList":
            s["lists"].append((True, c[0][0], len(c[1])))
        elif t == "Link":
            url = c[2][0]
            if not url.startswith("#") and chunk_text(pandoc_chunks(c[1])):
                s["links"].append(url_key(url))
        elif t == "Table":
            head, bodies, foot = c[3], c[4], c[5]
            rows = len(head[1]) + len(foot[1])
            for b in bodies:
                rows += len(b[2]) + len(b[3])
            s["tables"].append(rows)
        if t in ("Para", "Plain", "Header"):
            chunks.extend(pandoc_chunks([x]))
        elif t == "DefinitionList":
            for term, _ in c:
                chunks.extend(pandoc_chunks(term))
    s["emph"], s["strong"] = flagged_words(chunks, 1), flagged_words(chunks, 2)
    return s


def compare(name, want, got, problems):
    if "lists_until" in want:
        n = want["lists_until"]
        want["lists"], got["lists"] = want["lists"][:n], got["lists"][:n]
    for key in ("headings", "lists", "tables"):
        if want[key] != got[key]:
            at = next((i for i, (w, g) in enumerate(zip(want[key], got[key])) if w != g),
                      min(len(want[key]), len(got[key])))
            problems.append("%s: %s differ from #%d (%d vs %d):\n  tree:   %s\n  pandoc: %s"
                            % (name, key, at, len(want[key]), len(got[key]),
                               want[key][at:at + 4], got[key][at:at + 4]))
    if sorted(set(want["links"])) != sorted(set(got["links"])):
        missing = sorted(set(want["links"]) - set(got["links"]))[:5]
        extra = sorted(set(got["links"]) - set(want["links"]))[:5]
        problems.append("%s: links differ: missing %s, extra %s" % (name, missing, extra))
    for key in ("emph", "strong"):
        if want[key] != got[key]:
            missing = sorted(set(want[key]) - set(got[key]))[:8]
            extra = sorted(set(got[key]) - set(want[key]))[:8]
            problems.append("%s: %s words differ: missing %s, extra %s"
                            % (name, key, missing, extra))


def document_words(root, media):
    """Words of every paragraph-like block (alternative text of pictures that
    are not embedded included, as the writer puts it there) and code block."""
    words = set()
    for n in walk(root):
        if n.kind in ("paragraph", "heading", "caption", "definition_term"):
            words.update(WORD.findall(chunk_text(tree_chunks(n, media)).translate(INVISIBLE)))
        elif n.kind == "code_block" and n.literal:
            words.update(WORD.findall(n.literal.translate(INVISIBLE)))
    return words


class TextOf(html.parser.HTMLParser):
    """The text of LibreOffice's HTML export, blocks separated by newlines
    (its text export leaves footnotes out; the HTML one keeps them)."""
    BLOCKS = {"p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br",
              "pre", "dd", "dt", "title", "table", "sup"}  # sup: footnote marks

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"):
            self.skip += 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self.skip -= 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--octavo", required=True)
    ap.add_argument("--validator", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--no-libreoffice", action="store_true")
    ap.add_argument("--no-pandoc", action="store_true")
    ap.add_argument("--opt", action="append", default=[],
                    help="an argument for octavo, e.g. --opt=-V --opt=extract=off")
    ap.add_argument("inputs", nargs="+")
    a = ap.parse_args()
    inputs, extra = a.inputs, a.opt
    if not a.no_pandoc and not shutil.which("pandoc"):
        print("pandoc not installed"); return 77
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not a.no_libreoffice and not soffice:
        print("LibreOffice not installed"); return 77

    os.makedirs(a.work, exist_ok=True)
    problems, docs = [], []
    for i, path in enumerate(inputs):
        base = "%03d-%s" % (i, os.path.basename(os.path.dirname(path)) or "doc")
        out = os.path.join(a.work, base + ".docx")
        tree = os.path.join(a.work, base + ".tree")
        for target, fmt in ((out, "docx"), (tree, "tree")):
            r = subprocess.run([a.octavo, "-q", "--offline"] + extra + ["-t", fmt, path, "-o", target],
                               capture_output=True, text=True)
            if r.returncode != 0:
                problems.append("%s: octavo -t %s failed: %s" % (path, fmt, r.stderr.strip()))
                break
        else:
            docs.append((path, out) + parse_tree(open(tree, encoding="utf-8").read()))

    files = [d[1] for d in docs]
    if files:
        r = subprocess.run(["bash", a.validator, "--plain", "-q"] + files, capture_output=True,
                           text=True)
        if r.returncode != 0:
            problems.append("validator:\n" + "\n".join(
                l for l in r.stdout.splitlines() if "FAIL" in l or "    " in l))

    if files and not a.no_libreoffice:
        txtdir = os.path.join(a.work, "txt")
        os.makedirs(txtdir, exist_ok=True)
        env = dict(os.environ, HOME=os.path.join(a.work, "lo-home"))
        subprocess.run([soffice, "--headless", "--convert-to", "html",
                        "--outdir", txtdir] + files, capture_output=True, env=env, timeout=600)
        for path, out, root, media in docs:
            txt = os.path.join(txtdir, os.path.basename(out)[:-5] + ".html")
            if not os.path.exists(txt):
                problems.append("%s: LibreOffice could not open %s" % (path, out))
                continue
            parser = TextOf()
            parser.feed(open(txt, encoding="utf-8", errors="replace").read())
            have = set(WORD.findall("".join(parser.parts).translate(INVISIBLE)))
            missing = sorted(document_words(root, media) - have)
            if missing:
                problems.append("%s: %d words missing from LibreOffice's text: %s"
                                % (path, len(missing), missing[:10]))

    if not a.no_pandoc:
        for path, out, root, media in docs:
            r = subprocess.run(["pandoc", "-f", "docx", "-t", "json", out], capture_output=True,
                               text=True)
            if r.returncode != 0:
                problems.append("%s: pandoc cannot read %s: %s" % (path, out, r.stderr.strip()))
                continue
            compare(path, tree_structure(root, media), pandoc_structure(json.loads(r.stdout)), problems)

    for p in problems:
        print(p)
    print("%d documents, %d problems" % (len(docs), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
