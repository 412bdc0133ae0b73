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

# measure NAME CMD...: best wall time, CPU time (user+sys, robust on a busy
# machine) and peak RSS over the runs.
measure() {
  local name=$1 best="" best_cpu="" best_rss=""
  shift
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$@" >/dev/null 2>"$out/stderr" || {
      echo "$name failed:"; cat "$out/stderr"; return 1; }
    read -r secs user sys rss <"$out/time"
    cpu=$(awk "BEGIN{print $user + $sys}")
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
    if [ -z "$best_cpu" ] || awk "BEGIN{exit !($cpu < $best_cpu)}"; then best_cpu=$cpu; fi
    if [ -z "$best_rss" ] || [ "$rss" -gt "$best_rss" ]; then best_rss=$rss; fi
  done
  printf "%-9s wall %8.2f s   cpu %8.2f s   peak %8.1f MB\n" "$name" "$best" "$best_cpu" \
    "$(awk "BEGIN{print $best_rss/1024}")"
  echo "$best $best_cpu $best_rss" >"$out/$name.result"
}

cd "$book"
echo "Debian Reference, ${#inputs[@]} HTML files -> EPUB (best of $runs)"
SOURCE_DATE_EPOCH=0 measure octavo "$octavo" --offline -q "${inputs[@]}" -o "$out/octavo.epub"
# The chapters are whole documents, not web pages to extract an article from.
SOURCE_DATE_EPOCH=0 measure octavo-x "$octavo" --offline -q --extract off "${inputs[@]}" \
  -o "$out/octavo-x.epub"
measure pandoc pandoc -f html -t epub3 "${inputs[@]}" -o "$out/pandoc.epub"
read -r pt pc prss <"$out/pandoc.result"
for name in octavo octavo-x; do
  read -r ot oc orss <"$out/$name.result"
  awk "BEGIN{printf \"%-8s vs pandoc: wall %.0fx, cpu %.0fx faster; peak memory %.1f MB vs %.1f MB\n\", \
    \"$name\", $pt/($ot>0?$ot:0.01), $pc/($oc>0?$oc:0.01), $orss/1024, $prss/1024}"
done
ls -l "$out"/*.epub | awk '{print $5, $9}'
