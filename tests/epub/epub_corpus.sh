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

# The Debian Reference as one book: chaptered, with a full table of contents.
book="$corpora/books/debian-reference"
book_inputs=("$book/pr01.en.html" "$book"/ch*.en.html "$book/apa.en.html" "$book/index.en.html")
convert "${book_inputs[0]}" "$work/book.epub" "${book_inputs[@]:1}"
convert "${book_inputs[0]}" "$work/book-2.epub" "${book_inputs[@]:1}" -t epub2
chapters=$(unzip -l "$work/book.epub" | grep -c 'EPUB/ch[0-9]*\.xhtml')
toc_entries=$(unzip -p "$work/book.epub" EPUB/nav.xhtml | grep -o '<li><a href="ch' | wc -l)
echo "book: $chapters chapter files, $toc_entries table of contents entries"
if [ "$chapters" -lt 12 ] || [ "$toc_entries" -lt 200 ]; then
  echo "FAIL: the book is not chaptered or its table of contents is not full"
  status=1
fi

jar=$(readlink -f "$(command -v epubcheck)")
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$jar" \
  "$(dirname "$0")/EpubCheckBatch.java" "$work"/*.epub >"$work/epubcheck.log" 2>&1 || status=1
grep -E "^(FAIL|ERROR|WARNING|FATAL)" "$work/epubcheck.log" | head -60
tail -1 "$work/epubcheck.log"
exit $status
