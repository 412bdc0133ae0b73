#!/bin/bash
# Batch conversion benchmark: octavo --output-dir against pandoc run once per
# file, on 1,000+ small real HTML pages.
#
#   bench/batch/run_bench.sh [OCTAVO] [FORMAT] [PANDOC_SAMPLE]
#
# OCTAVO defaults to build-batch-rel/bin/octavo (configure a Release build
# without sanitizers for numbers that mean something); FORMAT to epub
# (markdown if no epub writer is installed); PANDOC_SAMPLE to 50 files.
# The corpus is assembled at run time in a temporary folder from
# ../shared/corpora (readability pages and html5lib inputs) and never kept.
# octavo runs with --offline: the saved pages name remote images, and a
# machine without network would otherwise measure DNS time-outs (pandoc, run
# on the same machine, fails those fetches quickly and goes on).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OCTAVO=${1:-$ROOT/build-batch-rel/bin/octavo}
FORMAT=${2:-epub}
SAMPLE=${3:-50}
CORPORA=$ROOT/../shared/corpora
HTML5LIB_FILES=${HTML5LIB_FILES:-1000}
export SOURCE_DATE_EPOCH=1700000000 # reproducible EPUB timestamps
unset CI

if ! "$OCTAVO" --list-formats | awk '{print $1, $2}' | grep -q "^$FORMAT .w"; then
    echo "no $FORMAT writer in this build; using markdown" >&2
    FORMAT=markdown
fi
case $FORMAT in epub) EXT=epub ;; markdown) EXT=md ;; docx) EXT=docx ;; *) EXT=$FORMAT ;; esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/octavo-bench-batch.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/pages/readability" "$WORK/pages/html5lib"
for d in "$CORPORA"/readability/*/; do
    name=$(basename "$d")
    [ -f "$d/source.html" ] && cp "$d/source.html" "$WORK/pages/readability/$name.html"
done
ls "$CORPORA/html5lib/inputs" | grep '\.html$' | sort | head -n "$HTML5LIB_FILES" |
    while read -r f; do cp "$CORPORA/html5lib/inputs/$f" "$WORK/pages/html5lib/$f"; done
N=$(find "$WORK/pages" -name '*.html' | wc -l)
BYTES=$(du -sb "$WORK/pages" | cut -f1)
echo "corpus: $N HTML files, $BYTES bytes (readability sources + html5lib inputs)"
echo "octavo: $("$OCTAVO" --version | head -1), format $FORMAT, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "output folder on: $(df -T "$WORK" | awk 'NR == 2 {print $2}') (each output is fsynced by the core)"

now() { date +%s.%N; }

# octavo: one process for the whole folder. /usr/bin/time's maximum resident
# size is the largest single process (the parent or one worker); its CPU
# time includes the workers. Files per CPU second is the figure that holds
# on a busy machine, where wall-clock rates mostly measure the neighbours.
# Its system part is mostly the file system making a thousand files, which
# on this machine's ext4 costs 0.1 to 0.8 ms of kernel time a file
# depending on what was deleted lately (bench/README.md, Findings): user
# time is octavo's own work.
run_octavo() { # JOBS [OUTPUT-FOLDER LABEL KEY]
    local out=${2:-$WORK/out-j$1} label=${3:-} key=${4:-J$1}
    rm -rf "$out"
    local t0 t1
    t0=$(now)
    /usr/bin/time -f "%U %S %M" -o "$WORK/rss" "$OCTAVO" -q --offline -t "$FORMAT" --output-dir "$out" -j "$1" \
        --report "$WORK/report-j$1.json" "$WORK/pages" 2>"$WORK/err-j$1" || true
    t1=$(now)
    local secs ok cpu
    secs=$(echo "$t1 - $t0" | bc -l)
    ok=$(find "$out" -name "*.$EXT" | wc -l)
    cpu=$(tail -1 "$WORK/rss" | awk '{print $1 + $2}')
    printf 'octavo -j%s%s: %d/%d converted in %.2f s = %.1f files/s; %.2f CPU s (user %s, system %s) = %.0f files/CPU s; peak RSS %s KiB per process\n' \
        "$1" "$label" "$ok" "$N" "$secs" "$(echo "$ok / $secs" | bc -l)" "$cpu" \
        "$(tail -1 "$WORK/rss" | awk '{print $1}')" "$(tail -1 "$WORK/rss" | awk '{print $2}')" \
        "$(echo "$ok / $cpu" | bc -l)" "$(tail -1 "$WORK/rss" | awk '{print $3}')"
    eval "RATE_$key=$(echo "$ok / $secs" | bc -l)"
    eval "CPURATE_$key=$(echo "$ok / $cpu" | bc -l)"
}
run_octavo 1
run_octavo 2
if cmp -s <(cd "$WORK/out-j1" && find . -type f ! -name '.octavo-manifest.json' -exec sha256sum {} + | sort -k2) \
          <(cd "$WORK/out-j2" && find . -type f ! -name '.octavo-manifest.json' -exec sha256sum {} + | sort -k2); then
    echo "outputs of -j1 and -j2: byte-identical"
else
    echo "outputs of -j1 and -j2: DIFFER"
fi
# Once more into memory (tmpfs), where making a file costs next to nothing:
# octavo's own work, apart from this machine's file system (see above).
SHM=""
if [ "$(df -T /dev/shm 2>/dev/null | awk 'NR == 2 {print $2}')" = tmpfs ]; then
    SHM=$(mktemp -d /dev/shm/octavo-bench-batch.XXXXXX)
    trap 'rm -rf "$WORK" "$SHM"' EXIT
    run_octavo 1 "$SHM/out" ", outputs on tmpfs" TMPFS
    rm -rf "$SHM"
fi
# an incremental re-run: nothing changed, everything skipped
t0=$(now)
"$OCTAVO" -q --offline -t "$FORMAT" --output-dir "$WORK/out-j2" -j 2 --incremental "$WORK/pages" 2>/dev/null || true
t1=$(now)
printf 'octavo -j2 --incremental, nothing changed: %.2f s\n' "$(echo "$t1 - $t0" | bc -l)"

# pandoc: one process per file, on a sample, extrapolated.
if command -v pandoc >/dev/null; then
    mkdir -p "$WORK/pandoc"
    find "$WORK/pages" -name '*.html' | sort | awk -v n="$N" -v k="$SAMPLE" 'NR % int(n / k) == 0' |
        head -n "$SAMPLE" > "$WORK/sample.txt"
    PN=$(wc -l < "$WORK/sample.txt")
    t0=$(now)
    i=0
    while read -r f; do
        i=$((i + 1))
        /usr/bin/time -a -f "%U %S %M" -o "$WORK/pandoc-rss" pandoc -f html -t "$FORMAT" "$f" \
            -o "$WORK/pandoc/$i.$EXT" 2>/dev/null || true
    done < "$WORK/sample.txt"
    t1=$(now)
    secs=$(echo "$t1 - $t0" | bc -l)
    prate=$(echo "$PN / $secs" | bc -l)
    pcpu=$(grep -v Command "$WORK/pandoc-rss" | awk '{s += $1 + $2} END {print s}')
    pcrate=$(echo "$PN / $pcpu" | bc -l)
    printf 'pandoc, one process per file: %d files in %.2f s = %.2f files/s (1,000 files: ~%.0f s); %.2f CPU s = %.2f files/CPU s; peak RSS %s KiB\n' \
        "$PN" "$secs" "$prate" "$(echo "1000 / $prate" | bc -l)" "$pcpu" "$pcrate" \
        "$(grep -v Command "$WORK/pandoc-rss" | awk '{print $3}' | sort -n | tail -1)"
    printf 'speed-up, wall clock: -j1 %.0fx, -j2 %.0fx pandoc\n' "$(echo "$RATE_J1 / $prate" | bc -l)" \
        "$(echo "$RATE_J2 / $prate" | bc -l)"
    printf 'speed-up, per CPU second: -j1 %.0fx, -j2 %.0fx pandoc\n' "$(echo "$CPURATE_J1 / $pcrate" | bc -l)" \
        "$(echo "$CPURATE_J2 / $pcrate" | bc -l)"
    [ -n "$SHM" ] && printf 'speed-up, per CPU second, octavo -j1 writing to tmpfs: %.0fx pandoc\n' \
        "$(echo "$CPURATE_TMPFS / $pcrate" | bc -l)"
fi
