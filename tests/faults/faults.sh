#!/usr/bin/env bash
# Each fault must give one clear line, a non-zero exit, no partial file, and
# never replace an existing output with a broken one.
# Usage: faults.sh OCTAVO SOURCE_DIR
set -u
octavo=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# expect NAME STATUS PATTERN -- command...: exit status, one stderr line matching PATTERN
expect() {
  local name=$1 want=$2 pattern=$3
  shift 4
  "$@" >"$work/stdout" 2>"$work/stderr"
  local got=$?
  local lines
  lines=$(grep -c . "$work/stderr")
  if [ "$got" -eq "$want" ] && [ "$lines" -eq 1 ] && grep -qE "$pattern" "$work/stderr"; then
    ok "$name"
  else
    bad "$name (exit $got, want $want; stderr: $(head -c 300 "$work/stderr"))"
  fi
}

no_temps() { ! ls -A "$1" | grep -q '\.octavo-'; }

in="$src/samples/article.txt"
printf 'precious old output\n' >"$work/old.md"

# Disk full: a device is written in place (never renamed over), and ENOSPC is an output error.
expect "disk full (/dev/full)" 5 'octavo: /dev/full: .*(No space|space)' -- \
  "$octavo" "$in" -t markdown -o /dev/full
[ -c /dev/full ] && ok "/dev/full is still a device" || bad "/dev/full was replaced"

# A missing directory, a read-only place (/proc refuses files even to root), a directory as output.
expect "missing output directory" 5 'octavo: .*/nodir/out.md: .*(does not exist|No such)' -- \
  "$octavo" "$in" -o "$work/nodir/out.md"
[ ! -e "$work/nodir" ] && ok "nothing created for a missing directory" || bad "missing dir created"
expect "read-only location" 5 'octavo: /proc/octavo-test.md: ' -- "$octavo" "$in" -o /proc/octavo-test.md
mkdir "$work/adir"
expect "output is a directory" 5 'is a directory' -- "$octavo" "$in" -o "$work/adir"

# Unreadable inputs: a directory, a file the kernel refuses to read, an endless input.
expect "input is a directory" 3 'octavo: .*/adir: is a directory' -- "$octavo" "$work/adir" -f text -o "$work/x.md"
expect "input cannot be read" 3 'octavo: /proc/self/mem: cannot read' -- \
  "$octavo" /proc/self/mem -f text -o "$work/x.md"
expect "endless input hits the size limit" 3 'larger than 1048576 bytes.*--max-input-size' -- \
  "$octavo" /dev/zero -f text --max-input-size 1M -o "$work/x.md"
[ ! -e "$work/x.md" ] && ok "no output after input errors" || bad "output written after input error"

# A failed conversion never clobbers an existing file.
expect "missing input keeps old output" 3 'octavo: .*/missing.txt: cannot open' -- \
  "$octavo" "$work/missing.txt" -o "$work/old.md"
grep -q 'precious old output' "$work/old.md" && ok "old output intact after failure" || bad "old output clobbered"
no_temps "$work" && ok "no temporary files left" || bad "temporary files left: $(ls -A "$work")"

# Input that grows while it is read (a writer still appending) is read to its end.
mkfifo "$work/fifo"
( printf 'First paragraph.\n\n'; sleep 0.3; printf 'Second paragraph, written later.\n' ) >"$work/fifo" &
"$octavo" "$work/fifo" -f text -t markdown -o "$work/grown.md" 2>"$work/stderr"
wait
grep -q 'written later' "$work/grown.md" && ok "input growing while read is read whole" || bad "growing input truncated"

# Signals mid-write: a big input makes writing take a while; as soon as the
# temporary output exists, the process is signalled. The old output must
# survive; SIGTERM must also remove the temporary file.
big="$work/big.txt"
for i in $(seq 1 60); do cat "$in"; printf '\n\n'; done >"$work/chunk.txt"
for i in $(seq 1 40); do cat "$work/chunk.txt"; done >"$big"
for sig in TERM INT KILL; do
  printf 'precious old output\n' >"$work/old.md"
  caught=0
  for attempt in 1 2 3; do
    "$octavo" "$big" -t tree -o "$work/old.md" 2>"$work/stderr" &
    pid=$!
    for _ in $(seq 1 2000); do
      if ls -A "$work" | grep -q '^\.old\.md\.octavo-'; then kill -s "$sig" "$pid"; caught=1; break; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.005
    done
    wait "$pid"
    status=$?
    [ "$caught" -eq 1 ] && break
    printf 'precious old output\n' >"$work/old.md"
  done
  if [ "$caught" -ne 1 ]; then bad "SIG$sig: never caught octavo mid-write"; continue; fi
  grep -q 'precious old output' "$work/old.md" && ok "SIG$sig mid-write: old output intact (exit $status)" \
    || bad "SIG$sig mid-write: old output replaced"
  if [ "$sig" != KILL ]; then
    [ "$status" -eq $((128 + $(kill -l "$sig"))) ] && ok "SIG$sig: exit $status" || bad "SIG$sig: exit $status"
    no_temps "$work" && ok "SIG$sig: temporary file removed" || bad "SIG$sig: temporary file left"
  fi
  rm -f "$work"/.old.md.octavo-*
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
