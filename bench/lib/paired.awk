# octavo's CPU time over the floor's, round by round: both run in the same
# round, seconds apart, so a slow spell of the shared machine (it has made
# the same command twice as slow from one minute to the next) weighs on
# both sides of each ratio alike. The median of those ratios, per row and
# octavo tool (octavo, octavo-j1).
# In:  samples.tsv: ROW TOOL RUN WALL CPU RSS EXIT
# Out: ROW TOOL ROUNDS MEDIAN_RATIO   (run with median.awk first)
BEGIN { FS = OFS = "\t" }

$7 != 0 { next }
$2 == "floor" { floor[$1 SUBSEP $3] = $5; next }
$2 ~ /^octavo/ { key = $1 SUBSEP $2; if (!(key in seen)) { seen[key] = 1; order[++n] = key }
                 cpu[key SUBSEP $3] = $5; runs[key] = runs[key] " " $3 }

END {
    for (i = 1; i <= n; i++) {
        key = order[i]
        split(key, part, SUBSEP)
        m = split(runs[key], r, " ")
        list = ""; count = 0
        for (j = 1; j <= m; j++) {
            f = floor[part[1] SUBSEP r[j]]
            if (f > 0) { list = list " " cpu[key SUBSEP r[j]] / f; count++ }
        }
        if (count) print part[1], part[2], count, median(list)
    }
}
