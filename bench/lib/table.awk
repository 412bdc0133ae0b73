# The Markdown table of bench/results/, from rows.tsv (ROW LABEL BYTES) then
# summary.tsv (ROW TOOL RUNS WALL CPU RSS FAILED), in the order of rows.tsv.
BEGIN { FS = "\t" }

FNR == NR { order[++rows] = $1; label[$1] = $2; bytes[$1] = $3; next }
{
    k = $1 SUBSEP $2
    have[k] = 1; n[k] = $3; wall[k] = $4; cpu[k] = $5; rss[k] = $6; failed[k] = $7
}

function secs(x) { return x < 0.1 ? sprintf("%.3f", x) : x < 10 ? sprintf("%.2f", x) : sprintf("%.1f", x) }
function mb(kb) { return sprintf("%.1f", kb / 1024) }
function ratio(a, b) { return b > 0 ? (a / b >= 10 ? sprintf("%.0f×", a / b) : sprintf("%.1f×", a / b)) : "–" }
function cell(r, t, what,    k) {
    k = r SUBSEP t
    if (!(k in have)) return "–"
    if (failed[k] > 0 && failed[k] == n[k]) return "failed"
    if (what == "wall") return secs(wall[k])
    if (what == "cpu") return secs(cpu[k])
    if (what == "rss") return mb(rss[k])
}

END {
    print "| conversion | input MB | octavo wall s | octavo CPU s | octavo RSS MB | octavo MB/CPU s | pandoc wall s | pandoc CPU s | pandoc RSS MB | pandoc/octavo wall | pandoc/octavo CPU | floor CPU s | octavo/floor CPU |"
    print "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
    for (i = 1; i <= rows; i++) {
        r = order[i]; o = r SUBSEP "octavo"; p = r SUBSEP "pandoc"; f = r SUBSEP "floor"
        rate = (o in have && cpu[o] > 0) ? sprintf("%.1f", bytes[r] / 1048576 / cpu[o]) : "–"
        pw = (p in have && o in have) ? ratio(wall[p], wall[o]) : "–"
        pc = (p in have && o in have) ? ratio(cpu[p], cpu[o]) : "–"
        of = (f in have && o in have) ? ratio(cpu[o], cpu[f]) : "–"
        printf "| %s | %.2f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", label[r], bytes[r] / 1048576,
            cell(r, "octavo", "wall"), cell(r, "octavo", "cpu"), cell(r, "octavo", "rss"), rate,
            cell(r, "pandoc", "wall"), cell(r, "pandoc", "cpu"), cell(r, "pandoc", "rss"), pw, pc,
            cell(r, "floor", "cpu"), of
    }
}
