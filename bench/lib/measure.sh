# Sourced by bench/run: timing of one command, appended to a samples file
# as one tab-separated line per run:
#   ROW  TOOL  RUN  WALL_S  CPU_S  PEAK_RSS_KB  EXIT
# CPU is user + system of the command and all the children it waited for,
# the figure that still means something on a machine shared with others,
# to the millisecond (timed.sh); the peak RSS is /usr/bin/time's, of the
# command or of the bash that runs it (about 4 MB), whichever is larger.
MEASURE_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# measure SAMPLES ROW TOOL RUN -- COMMAND...
measure() {
    local samples=$1 row=$2 tool=$3 run=$4
    shift 5
    local tfile rc=0
    tfile=$(mktemp "${BENCH_WORK:-/tmp}/time.XXXXXX")
    /usr/bin/time -f '%M' -o "$tfile.rss" bash "$MEASURE_LIB/timed.sh" "$tfile" "$@" \
        >/dev/null 2>"$tfile.err" || rc=$?
    # time(1) writes "Command exited with non-zero status N" before the figure
    awk -v r="$row" -v t="$tool" -v n="$run" -v rc="$rc" -v rss="$(tail -n 1 "$tfile.rss")" \
        'NF == 3 { printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r, t, n, $1, $2, rss, rc }' "$tfile" >> "$samples"
    if [ "$rc" -ne 0 ]; then
        echo "bench: $row: $tool exited with $rc: $(head -c 300 "$tfile.err")" >&2
    fi
    rm -f "$tfile" "$tfile.rss" "$tfile.err"
    return 0
}

# The bytes a writer had to produce before packaging: a zip's entries
# uncompressed, one after the other, or the file itself.
content_bytes() { # OUTPUT DEST
    case $1 in
        *.epub | *.docx) unzip -p "$1" > "$2" ;;
        *) cp "$1" "$2" ;;
    esac
}
