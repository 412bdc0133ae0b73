#!/bin/bash
# Runs epubcheck on every .epub of a directory; fails unless each one has
# 0 errors and 0 warnings (infos and usage notes are fine).
set -u
dir=$1
status=0
count=0
for f in "$dir"/*.epub; do
  [ -e "$f" ] || { echo "no EPUB in $dir"; exit 1; }
  count=$((count + 1))
  out=$(java -jar "$(readlink -f "$(command -v epubcheck)")" "$f" 2>&1)
  if ! grep -q "Messages: 0 fatals / 0 errors / 0 warnings" <<<"$out"; then
    echo "FAIL: $f"
    grep -E "^(FATAL|ERROR|WARNING)" <<<"$out" | head -20
    status=1
  fi
done
echo "$count EPUB(s) checked"
exit $status
