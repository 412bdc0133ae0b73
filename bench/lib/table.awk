# The Markdown table of bench/results/, from rows.tsv (ROW LABEL BYTES) then
# summary.tsv (ROW TOOL RUNS WALL CPU RSS FAILED) then paired.tsv, in the
# order of rows.tsv.
# Run with cells.awk first (awk -f cells.awk -f table.awk).
END {
    print "| conversion | input MB | octavo wall s | octavo CPU s | octavo RSS MB | octavo MB/CPU s | pandoc wall s | pandoc CPU s | pandoc RSS MB | pandoc/octavo wall | pandoc/octavo CPU | floor CPU s | octavo/floor CPU | octavo/floor CPU, paired |"
    print "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
    for (i = 1; i <= rows; i++) {
        r = order[i]; o = r SUBSEP "octavo"; p = r SUBSEP "pandoc"; f = r SUBSEP "floor"
        rate = (o in have && cpu[o] > 0) ? sprintf("%.1f", bytes[r] / 1048576 / cpu[o]) : "–"
        pw = (p in have && o in have) ? ratio(wall[p], wall[o]) : "–"
        pc = (p in have && o in have) ? ratio(cpu[p], cpu[o]) : "–"
        of = (f in have && o in have) ? floor_ratio(cpu[o], cpu[f]) : "–"
        printf "| %s | %.2f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", label[r], bytes[r] / 1048576,
            cell(r, "octavo", "wall"), cell(r, "octavo", "cpu"), cell(r, "octavo", "rss"), rate,
            cell(r, "pandoc", "wall"), cell(r, "pandoc", "cpu"), cell(r, "pandoc", "rss"), pw, pc,
            cell(r, "floor", "cpu"), of, paired_ratio(r, "octavo")
    }
}
