#!/bin/bash
# Markdown benchmark: the Debian Reference (its HTML chapters, read as one
# book) to Markdown with octavo and with pandoc, side by side: wall time and
# peak resident memory from /usr/bin/time -v, output size, and backslash
# escapes per 1000 output bytes (how noisy the Markdown reads).
#
#   bench/markdown/bench.sh [OCTAVO_BINARY] [FORMAT]
#
# FORMAT is markdown (pandoc: commonmark) or gfm (pandoc: gfm). Build octavo
# in Release for meaningful times: cmake -B build-rel -DCMAKE_BUILD_TYPE=Release
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
octavo=${1:-$root/build/bin/octavo}
format=${2:-markdown}
book="$root/../shared/corpora/books/debian-reference"
chapters=("$book/pr01.en.html" "$book"/ch*.en.html "$book/apa.en.html")
case "$format" in
  markdown) pandoc_to=commonmark ;;
  gfm) pandoc_to=gfm ;;
  *) echo "format: markdown or gfm" >&2; exit 2 ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run NAME OUTPUT CMD...: one timed run, one result line.
run() {
  local name=$1 output=$2
  shift 2
  if ! /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.log" 2>&1; then
    echo "$name failed:"; cat "$work/$name.log"; return 1
  fi
  local wall rss bytes escapes
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$work/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$work/$name.time")
  bytes=$(wc -c <"$output")
  escapes=$(tr -cd '\\' <"$output" | wc -c)
  printf "%-7s wall %9s   peak RSS %7.1f MB   output %8d bytes   escapes %5.2f / 1000 bytes\n" \
    "$name" "$wall" "$(awk "BEGIN{print $rss/1024}")" "$bytes" \
    "$(awk "BEGIN{print $bytes ? 1000*$escapes/$bytes : 0}")"
}

echo "Debian Reference: ${#chapters[@]} HTML chapters -> $format"
run octavo "$work/octavo.md" "$octavo" --offline --extract off -t "$format" \
  -V front-matter=off "${chapters[@]}" -o "$work/octavo.md"
run pandoc "$work/pandoc.md" pandoc -f html -t "$pandoc_to" "${chapters[@]}" \
  -o "$work/pandoc.md"
if [ -n "${KEEP:-}" ]; then
  cp "$work/octavo.md" "$work/pandoc.md" "$KEEP"/
  echo "outputs copied to $KEEP"
fi
