#!/usr/bin/env python3
"""Writes the pathological inputs of the hostile-input tests into a folder.

Each stresses one dimension that a careless implementation handles in
quadratic time or with unbounded recursion. Generated at test time, never
committed. Usage: gen.py OUT_DIR
"""
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def write(name, text):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write(text)


n = 100_000
write("deep-div.html", "<div>" * n + "deep" + "</div>" * n)
write("deep-blockquote.html", "<blockquote>" * n + "quoted" + "</blockquote>" * n)
write("deep-list.html", "<ul><li>" * n + "item" + "</li></ul>" * n)
write("deep-inline.html", "<p>" + "<b><i>" * (n // 2) + "x" + "</i></b>" * (n // 2))
write("deep-quote.txt", "> " * 20_000 + "quoted text\n")
write("long-line.txt", ("word " * 2_000_000)[:10_000_000])
write("long-line.html", "<p>" + ("word " * 2_000_000)[:10_000_000] + "</p>")
write("many-paragraphs.txt", "p\n\n" * 1_000_000)
write("many-paragraphs.html", "<p>p</p>" * 300_000)
write("attributes.html", "<p " + " ".join(f"a{i}=\"{i}\"" for i in range(n)) + ">x</p>")
specials = "".join(c * 20_000 for c in "*_`[]<&!#\\|~")
write("markdown-specials.txt", specials + "\n\n" + ("*_" * 50_000) + "\n\n" + ("`" * 30_000) + " x\n")
write("markdown-specials.html", "<p>" + specials.replace("&", "&amp;").replace("<", "&lt;") + "</p>"
      + "<p><code>" + "`" * 20_000 + "</code></p>")
notes = "".join(f'<p>claim {i}<a href="#fn{i}" id="r{i}"><sup>{i}</sup></a></p>' for i in range(5000))
notes += '<ol class="footnotes">' + "".join(f'<li id="fn{i}">note {i} <a href="#r{i}">back</a></li>' for i in range(5000)) + "</ol>"
write("footnotes.html", "<html><body>" + notes + "</body></html>")
cols = 10_000
write("wide-table.html", "<table><tr>" + "<th>h</th>" * cols + "</tr><tr>" + "<td>c</td>" * cols + "</tr></table>")
write("many-headings.html", "".join(f"<h2>Same title</h2><p>{i}</p>" for i in range(50_000)))
