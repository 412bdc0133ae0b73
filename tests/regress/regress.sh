#!/usr/bin/env bash
# Every regression input through every reader it could meet and every writer:
# a clean exit (0, or 3 for a refused input), never a crash or a sanitizer
# report. Usage: regress.sh OCTAVO INPUT_DIR
set -u
octavo=$1
dir=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
formats=$("$octavo" --list-formats | awk 'NR > 1 && $2 ~ /w/ {print $1}')
pass=0 fail=0
for input in "$dir"/*; do
  case $input in *.md) continue ;; esac
  for reader in text html; do
    for extract in on off; do
      for fmt in $formats; do
        "$octavo" -q --offline -f "$reader" -V extract=$extract "$input" -t "$fmt" \
          -o "$out/x" 2>"$out/err"
        rc=$?
        if { [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; } && ! grep -q 'Sanitizer' "$out/err"; then
          pass=$((pass + 1))
        else
          fail=$((fail + 1))
          echo "FAIL $(basename "$input") -f $reader extract=$extract -t $fmt: exit $rc"
          head -n 20 "$out/err"
        fi
      done
    done
  done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
