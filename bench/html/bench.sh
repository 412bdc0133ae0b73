#!/bin/bash
# bench.sh BUILD_DIR [FILE...]
# Throughput of the HTML reader (bytes into the document tree, in-process)
# next to libxml2's own parser on the same file (xmllint --html --noout).
# Without FILE, a ~20 MB page of ordinary paragraphs is generated.
# Build BUILD_DIR as Release without sanitizers for meaningful numbers:
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release && cmake --build build-rel
set -eu
build=$(cd "${1:?usage: bench.sh BUILD_DIR [FILE...]}" && pwd)
shift
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

plugins="$build/lib/octavo/plugins"
[ -d "$plugins" ] || plugins=$(dirname "$(find "$build" -name html.so | head -1)")
libdir=$(dirname "$(find "$build" -name 'liboctavo.so' | head -1)")
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I"$src/core/include" -I"$build/include" \
   "$here/read_html.c" -L"$libdir" -Wl,-rpath,"$libdir" -loctavo -o "$work/read_html"

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
    page="$work/page-20mb.html"
    awk 'BEGIN {
        print "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Bench</title></head><body>"
        for (s = 1; s <= 6500; s++) {
            printf "<h2>Section %d</h2>\n", s
            for (i = 1; i <= 20; i++)
                printf "<p>Paragraph %d of section %d has <b>bold</b>, <em>emphasis</em> and <a href=\"/s%d/p%d\">a link</a> among plain words that fill a line of prose.</p>\n", i, s, s, i
            print "<ul><li>one item</li><li>another <code>item</code></li></ul>"
        }
        print "</body></html>"
    }' > "$page"
    files=("$page")
fi

for f in "${files[@]}"; do
    size=$(stat -c %s "$f")
    echo "== $(basename "$f"): $size bytes"
    # xmllint: best of 3 in CPU seconds (user + sys), like read_html's "cpu".
    best=999
    for run in 1 2 3; do
        t=$( { TIMEFORMAT='%U %S'; time xmllint --html --huge --noout "$f" 2>/dev/null; } 2>&1 | awk '{ print $1 + $2 }')
        best=$(echo "if ($t < $best) $t else $best" | bc -l)
    done
    echo "xmllint --html --noout: best of 3: $(printf %.3f "$best") s cpu ($(echo "$size / 1000000 / $best" | bc -l | xargs printf %.1f) MB/s)"
    "$work/read_html" "$plugins" "$f" 3
done
