#!/usr/bin/env bash
# Pathological inputs into every writer: each run must finish cleanly within a
# generous bound (a regression to quadratic time blows far past it; precise
# timing belongs in bench/). Usage: run.sh OCTAVO SECONDS_PER_RUN
set -u
octavo=$1
limit=${2:-120}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$(dirname "$0")/gen.py" "$work/in"
formats=$("$octavo" --list-formats | awk 'NR > 1 && $2 ~ /w/ {print $1}')
pass=0 fail=0
for input in "$work"/in/*; do
  for fmt in $formats; do
    start=$(date +%s%N)
    timeout "$limit" "$octavo" -q --offline -V extract=off "$input" -t "$fmt" -o "$work/out" 2>"$work/err"
    rc=$?
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    secs=$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))
    if [ "$rc" -eq 0 ] && ! grep -q Sanitizer "$work/err"; then
      pass=$((pass + 1))
      printf 'ok   %-24s %-10s %6.2fs\n' "$(basename "$input")" "$fmt" "$secs"
    else
      fail=$((fail + 1))
      printf 'FAIL %-24s %-10s exit %s after %.1fs: %s\n' "$(basename "$input")" "$fmt" "$rc" "$secs" "$(head -c 200 "$work/err")"
    fi
  done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
