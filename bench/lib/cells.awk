# What the tables of bench/results/ share: reading rows.tsv (ROW LABEL
# BYTES), summary.tsv (ROW TOOL RUNS WALL CPU RSS FAILED) and, if given,
# paired.tsv (ROW TOOL ROUNDS RATIO: paired.awk), and writing a median as a
# cell. Loaded before table.awk or one_thread.awk.
BEGIN { FS = "\t" }

FNR == NR { order[++rows] = $1; label[$1] = $2; bytes[$1] = $3; next }
FILENAME ~ /paired\.tsv$/ { paired[$1 SUBSEP $2] = $4; next }
{
    k = $1 SUBSEP $2
    have[k] = 1; n[k] = $3; wall[k] = $4; cpu[k] = $5; rss[k] = $6; failed[k] = $7
}

function secs(x) { return x < 0.1 ? sprintf("%.3f", x) : x < 10 ? sprintf("%.2f", x) : sprintf("%.1f", x) }
function mb(kb) { return sprintf("%.1f", kb / 1024) }
function times(x) { return x >= 10 ? sprintf("%.0f×", x) : sprintf("%.1f×", x) }
function ratio(a, b) { return b > 0 ? times(a / b) : "–" }
# against the floor, where the target is 1.5×: two decimals
function floor_ratio(a, b) { return b > 0 ? sprintf("%.2f×", a / b) : "–" }
function paired_ratio(r, t,    k) { k = r SUBSEP t; return k in paired ? sprintf("%.2f×", paired[k]) : "–" }
function cell(r, t, what,    k) {
    k = r SUBSEP t
    if (!(k in have)) return "–"
    if (failed[k] > 0 && failed[k] == n[k]) return "failed"
    if (what == "wall") return secs(wall[k])
    if (what == "cpu") return secs(cpu[k])
    if (what == "rss") return mb(rss[k])
}
