#!/bin/bash
# Runs EPUBCheck on every .epub of a directory (in one JVM); fails unless each
# one has 0 fatals, 0 errors and 0 warnings.
set -u
dir=$1
ls "$dir"/*.epub >/dev/null 2>&1 || { echo "no EPUB in $dir"; exit 1; }
jar=$(readlink -f "$(command -v epubcheck)")
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$jar" \
  "$(dirname "$0")/EpubCheckBatch.java" "$dir"/*.epub >"$dir/epubcheck.log" 2>&1
status=$?
grep -E "^(FAIL|OK|ERROR|WARNING|FATAL)" "$dir/epubcheck.log" | grep -v "^OK" | head -60
tail -1 "$dir/epubcheck.log"
exit $status
