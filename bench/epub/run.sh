#!/bin/bash
# EPUB benchmark: the Debian Reference (all 15 HTML files as one book) with
# octavo and with pandoc, side by side: wall time (best of N runs) and peak
# resident memory. Run from anywhere, after building octavo (Release build
# recommended: cmake -B build-rel -DCMAKE_BUILD_TYPE=Release).
#
#   bench/epub/run.sh [OCTAVO_BINARY] [RUNS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
octavo=${1:-$root/build/bin/octavo}
runs=${2:-3}
book="$root/../shared/corpora/books/debian-reference"
inputs=("$book/pr01.en.html" "$book"/ch*.en.html "$book/apa.en.html" "$book/index.en.html")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# measure NAME CMD...: best wall time and the peak RSS of that run.
measure() {
  local name=$1 best="" best_rss=""
  shift
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null 2>"$out/stderr" || {
      echo "$name failed:"; cat "$out/stderr"; return 1; }
    read -r secs rss <"$out/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs best_rss=$rss; fi
  done
  printf "%-8s %8.2f s %8.1f MB\n" "$name" "$best" "$(awk "BEGIN{print $best_rss/1024}")"
  echo "$best $best_rss" >"$out/$name.result"
}

cd "$book"
echo "Debian Reference, ${#inputs[@]} HTML files -> EPUB (best of $runs)"
SOURCE_DATE_EPOCH=0 measure octavo "$octavo" --offline -q "${inputs[@]}" -o "$out/octavo.epub"
measure pandoc pandoc -f html -t epub3 "${inputs[@]}" -o "$out/pandoc.epub"
read -r ot orss <"$out/octavo.result"
read -r pt prss <"$out/pandoc.result"
awk "BEGIN{printf \"speed-up %.0fx, memory %.1f MB vs %.1f MB\n\", $pt/($ot>0?$ot:0.01), $orss/1024, $prss/1024}"
ls -l "$out/octavo.epub" "$out/pandoc.epub" | awk '{print $5, $9}'
