# The HTML book rows once more, read on one thread (-j 1; the main table
# has octavo's default, all cores): the tool "octavo-j1" of summary.tsv.
# Run with cells.awk first (awk -f cells.awk -f one_thread.awk).
END {
    print "| conversion, octavo -j 1 | wall s | CPU s | RSS MB | pandoc/octavo CPU | octavo/floor CPU | octavo/floor CPU, paired |"
    print "|---|--:|--:|--:|--:|--:|--:|"
    for (i = 1; i <= rows; i++) {
        r = order[i]; o = r SUBSEP "octavo-j1"; p = r SUBSEP "pandoc"; f = r SUBSEP "floor"
        if (!(o in have)) continue
        printf "| %s | %s | %s | %s | %s | %s | %s |\n", label[r], cell(r, "octavo-j1", "wall"),
            cell(r, "octavo-j1", "cpu"), cell(r, "octavo-j1", "rss"),
            p in have ? ratio(cpu[p], cpu[o]) : "–", f in have ? floor_ratio(cpu[o], cpu[f]) : "–",
            paired_ratio(r, "octavo-j1")
    }
}
