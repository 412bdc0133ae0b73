# Sourced by bench/run: timing of one command with /usr/bin/time, appended
# to a samples file as one tab-separated line per run:
#   ROW  TOOL  RUN  WALL_S  CPU_S  PEAK_RSS_KB  EXIT
# CPU is user + system of the command and all the children it waited for,
# the figure that still means something on a machine shared with others.

# measure SAMPLES ROW TOOL RUN -- COMMAND...
measure() {
    local samples=$1 row=$2 tool=$3 run=$4
    shift 5
    local tfile rc=0
    tfile=$(mktemp "${BENCH_WORK:-/tmp}/time.XXXXXX")
    /usr/bin/time -f '%e %U %S %M' -o "$tfile" "$@" >/dev/null 2>"$tfile.err" || rc=$?
    # time(1) writes "Command exited with non-zero status N" before the figures
    tail -n 1 "$tfile" | awk -v r="$row" -v t="$tool" -v n="$run" -v rc="$rc" \
        'NF == 4 { printf "%s\t%s\t%s\t%s\t%.3f\t%s\t%s\n", r, t, n, $1, $2 + $3, $4, rc }' >> "$samples"
    if [ "$rc" -ne 0 ]; then
        echo "bench: $row: $tool exited with $rc: $(head -c 300 "$tfile.err")" >&2
    fi
    rm -f "$tfile" "$tfile.err"
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
