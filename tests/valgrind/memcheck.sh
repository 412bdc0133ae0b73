#!/usr/bin/env bash
# Valgrind memcheck over every sample into every writer: no errors, no leaks.
# Needs a build without sanitizers (valgrind and ASan do not mix).
# Usage: memcheck.sh OCTAVO SOURCE_DIR
set -u
octavo=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
formats=$("$octavo" --list-formats | awk 'NR > 1 && $2 ~ /w/ {print $1}')
pass=0 fail=0
for input in "$src"/samples/*.txt "$src"/samples/*.html; do
  [ -e "$input" ] || continue
  for fmt in $formats; do
    log="$work/vg.log"
    valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
      --errors-for-leak-kinds=definite,indirect --log-file="$log" \
      "$octavo" -q --offline "$input" -t "$fmt" -o "$work/out" >/dev/null 2>&1
    status=$?
    if [ "$status" -eq 0 ]; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      echo "FAIL $(basename "$input") -> $fmt (exit $status)"
      head -n 40 "$log"
    fi
  done
done
echo "memcheck: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
