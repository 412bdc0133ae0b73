# Medians per (row, tool) of the samples written by measure.sh (median.awk
# first).
# In:  ROW TOOL RUN WALL CPU RSS EXIT   (tab-separated, any order)
# Out: ROW TOOL RUNS MEDIAN_WALL MEDIAN_CPU MEDIAN_RSS_KB FAILED_RUNS
BEGIN { FS = OFS = "\t" }

{
    key = $1 OFS $2
    if (!(key in runs)) order[++keys] = key
    runs[key]++
    if ($7 != 0) failed[key]++
    wall[key] = wall[key] " " $4
    cpu[key] = cpu[key] " " $5
    rss[key] = rss[key] " " $6
}

END {
    for (k = 1; k <= keys; k++) {
        key = order[k]
        print key, runs[key], median(wall[key]), median(cpu[key]), median(rss[key]), failed[key] + 0
    }
}
