#!/bin/bash
# Text-reader benchmark: time and peak memory (/usr/bin/time -v) of
#   octavo -f text -t tree INPUT -o /dev/null
# on generated inputs (see gen.py). cpu_MB/s (user+sys) is the number to
# compare on a shared machine; (peak-base)/in is peak memory beyond an empty run's,
# per input byte. Build octavo without sanitizers first:
#   cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release
#   cmake --build build-release --target octavo_cli octavo_plugin_text
# Usage: bench/text/run.sh [path/to/octavo] [work dir]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
octavo=${1:-$here/../../build-release/bin/octavo}
work=${2:-${TMPDIR:-/tmp}/octavo-bench-text}
mkdir -p "$work"
[ -f "$work/prose-50mb.txt" ] || python3 "$here/gen.py" "$work"

# A baseline: the same program on an empty input, to tell the reader's
# memory from the process's own.
: > "$work/empty.txt"
printf '%-24s %8s %8s %8s %8s %8s %8s %8s\n' input MB wall_s MB/s cpu_s cpu_MB/s peak_MB "(peak-base)/in"
base_kb=0
for f in empty.txt single-line-10mb.txt blank-lines-1m.txt prose-50mb.txt; do
    in="$work/$f"
    bytes=$(stat -c %s "$in")
    log="$work/$f.time"
    /usr/bin/time -v "$octavo" -q -f text -t tree "$in" -o /dev/null 2> "$log"
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$log")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$log")
    [ "$f" = empty.txt ] && base_kb=$kb
    awk -v f="$f" -v b="$bytes" -v s="$secs" -v c="$cpu" -v kb="$kb" -v base="$base_kb" 'BEGIN {
        mb = b / 1048576; peak = kb / 1024
        rate = "-"; if (s > 0 && mb > 0) rate = sprintf("%.0f", mb / s)
        crate = "-"; if (c > 0 && mb > 0) crate = sprintf("%.0f", mb / c)
        ratio = "-"; if (mb > 0) ratio = sprintf("%.2f", (kb - base) / 1024 / mb)
        printf("%-24s %8.1f %8.2f %8s %8.2f %8s %8.1f %8s\n", f, mb, s, rate, c, crate, peak, ratio) }'
done
