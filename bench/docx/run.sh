#!/bin/bash
# DOCX benchmark: the Debian Reference (its 15 HTML files as one document)
# converted by octavo and by pandoc. For each: the fastest wall-clock and CPU
# (user + sys) time over RUNS runs and the largest peak resident set size.
# Targets: octavo >= 50x faster than pandoc, <= 30 MB peak.
#
#   bench/docx/run.sh [OCTAVO_BINARY] [RUNS]
# Use a Release build without sanitizers:
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release && cmake --build build-rel
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
octavo=${1:-$root/build-rel/bin/octavo}
runs=${2:-3}
book="$root/../shared/corpora/books/debian-reference"
inputs=("$book/pr01.en.html" "$book"/ch[0-9][0-9].en.html "$book/apa.en.html"
        "$book/index.en.html")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run_best NAME CMD...: prints and records "wall cpu peak_kb" for NAME.
run_best() {
  local name=$1 wall="" cpu="" peak=0
  shift
  for ((i = 0; i < runs; i++)); do
    if ! /usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err"; then
      echo "$name failed:" >&2
      cat "$tmp/err" >&2
      exit 1
    fi
    read -r e u s m <"$tmp/t"
    local c
    c=$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')
    if [ -z "$wall" ] || awk -v a="$e" -v b="$wall" 'BEGIN { exit !(a < b) }'; then wall=$e; fi
    if [ -z "$cpu" ] || awk -v a="$c" -v b="$cpu" 'BEGIN { exit !(a < b) }'; then cpu=$c; fi
    [ "$m" -gt "$peak" ] && peak=$m
  done
  printf "%-7s wall %7.2f s  cpu %7.2f s  peak %7.1f MB\n" "$name" "$wall" "$cpu" \
    "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')"
  echo "$wall $cpu $peak" >"$tmp/$name"
}

echo "Debian Reference: ${#inputs[@]} HTML files -> DOCX, best of $runs runs"
SOURCE_DATE_EPOCH=0 run_best octavo "$octavo" -q --offline "${inputs[@]}" -o "$tmp/octavo.docx"
run_best pandoc pandoc -f html -t docx "${inputs[@]}" -o "$tmp/pandoc.docx"
read -r ow oc op <"$tmp/octavo"
read -r pw pc pp <"$tmp/pandoc"
awk -v ow="$ow" -v oc="$oc" -v pw="$pw" -v pc="$pc" -v op="$op" 'BEGIN {
  if (ow < 0.01) ow = 0.01; if (oc < 0.01) oc = 0.01
  printf "octavo is %.0fx faster (wall), %.0fx (cpu); peak %.1f MB (target <= 30 MB)\n",
    pw / ow, pc / oc, op / 1024 }'
ls -l "$tmp/octavo.docx" "$tmp/pandoc.docx" | awk '{ print $5, $NF }'
if [ -x "$root/../shared/ooxml/validate-docx.sh" ] || [ -f "$root/../shared/ooxml/validate-docx.sh" ]; then
  bash "$root/../shared/ooxml/validate-docx.sh" --plain -q "$tmp/octavo.docx" | tail -1
fi
