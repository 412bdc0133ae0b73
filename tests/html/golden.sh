#!/bin/bash
# golden.sh CLI FIXTURES_DIR [--update]
# Reads every FIXTURES_DIR/*.html with the HTML reader (extraction off) and
# compares the tree dump with the .tree file next to it. A .opts file next
# to a fixture holds extra CLI options for it (e.g. -V raw-html=on). --update
# rewrites the .tree files (review them by eye before keeping them).
set -u
cli=$1
dir=$2
update=${3:-}
cd "$dir" || exit 2
status=0
count=0
for input in *.html; do
    expected=${input%.html}.tree
    extra=()
    if [ -f "${input%.html}.opts" ]; then
        read -r -a extra < "${input%.html}.opts"
    fi
    actual=$("$cli" --offline -f html -t tree -V extract=off ${extra[@]+"${extra[@]}"} "$input" -o - 2>/dev/null)
    rc=$?
    count=$((count + 1))
    if [ $rc -ne 0 ]; then
        echo "FAIL $input: octavo exited with $rc"
        status=1
        continue
    fi
    if [ "$update" = "--update" ]; then
        printf '%s\n' "$actual" > "$expected"
        continue
    fi
    if [ ! -f "$expected" ]; then
        echo "FAIL $input: no $expected"
        status=1
        continue
    fi
    if ! diff -u "$expected" <(printf '%s\n' "$actual") > /tmp/golden-html-$$.diff; then
        echo "FAIL $input: tree differs from $expected"
        cat /tmp/golden-html-$$.diff
        status=1
    fi
done
rm -f /tmp/golden-html-$$.diff
[ $count -gt 0 ] || { echo "no fixtures found"; exit 1; }
echo "$count fixtures checked"
exit $status
