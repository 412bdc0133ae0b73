# Run by measure.sh under /usr/bin/time, which gives the peak RSS:
#   bash timed.sh OUT COMMAND [ARGS...]
# runs COMMAND and writes "WALL_S CPU_S EXIT" to OUT, to the millisecond.
# GNU time prints CPU seconds with two decimals, which made the text book's
# 20-35 ms 0.02 or 0.03 and its floor 0.01: ratios of clock ticks. bash's
# `times` reports the same wait4 figures (user + system of the command and
# the children it waited for) with three.
out=$1
shift
start=$EPOCHREALTIME
"$@"
rc=$?
end=$EPOCHREALTIME
# in this shell, not a subshell: its second line is the children's
# "user system", as 0m0.021s 0m0.013s
times > "$out"
awk -v start="$start" -v end="$end" -v rc="$rc" '
    function seconds(t) { split(t, p, "m"); sub("s", "", p[2]); return p[1] * 60 + p[2] }
    NR == 2 { printf "%.6f %.3f %d\n", end - start, seconds($1) + seconds($2), rc }' "$out" > "$out.new" &&
    mv "$out.new" "$out"
exit "$rc"
