#!/bin/bash
# End-to-end EPUB proof: converts every sample, every readability page
# (whole, no extraction) and a sample of the html5lib inputs to EPUB 3 and
# EPUB 2 with the CLI, then checks all of them with EPUBCheck in one JVM.
# Every book must have 0 fatals, 0 errors and 0 warnings.
#
#   epub_corpus.sh OCTAVO_CLI SOURCE_DIR WORK_DIR
set -u
cli=$1 src=$2 work=$3
corpora="$src/../shared/corpora"
rm -rf "$work" && mkdir -p "$work"
status=0

convert() { # input output [args...]
  local in=$1 out=$2
  shift 2
  if ! "$cli" --offline -q "$in" "$@" -o "$out" 2>"$out.err"; then
    echo "FAIL: conversion of $in ($*):"
    cat "$out.err"
    status=1
  fi
}

for f in "$src"/samples/*; do
  [ -f "$f" ] || continue
  name=sample-$(basename "$f" | tr '.' '-')
  convert "$f" "$work/$name.epub"
  convert "$f" "$work/$name-2.epub" -t epub2
done
for d in "$corpora"/readability/*/; do
  name=rd-$(basename "$d")
  convert "$d/source.html" "$work/$name.epub" --extract off
  convert "$d/source.html" "$work/$name-2.epub" --extract off -t epub2
done
# Every 90th html5lib input: odd markup, NUL and CR bytes included.
i=0
for f in "$corpora"/html5lib/inputs/*.html; do
  if [ $((i % 90)) -eq 0 ]; then
    convert "$f" "$work/h5-$(basename "$f" .html).epub" -f html
  fi
  i=$((i + 1))
done

jar=$(readlink -f "$(command -v epubcheck)")
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$jar" \
  "$(dirname "$0")/EpubCheckBatch.java" "$work"/*.epub >"$work/epubcheck.log" 2>&1 || status=1
grep -E "^(FAIL|ERROR|WARNING|FATAL)" "$work/epubcheck.log" | head -60
tail -1 "$work/epubcheck.log"
exit $status
