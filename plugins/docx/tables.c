/*
 * tables.c — tables as w:tbl. HTML-style spans become a grid: the column
 * count comes from a first pass over the rows, colspans become w:gridSpan,
 * rowspans a w:vMerge restart with continuation cells in the rows below,
 * short rows are padded, and every cell holds (and ends with) a paragraph,
 * as Word requires. Header rows at the top repeat on every page.
 */
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define TABLE_MAX_COLSPAN 63 /* Word's column limit */

typedef struct grid {
    int *remaining;
    int *span;
    int cap;
    int col;
} grid;

static int grid_reserve(grid *g, int n)
{
    if (n <= g->cap)
        return 1;
    int cap = g->cap ? g->cap : 8;
    while (cap < n)
        cap *= 2;
    int *rem = realloc(g->remaining, (size_t)cap * sizeof *rem);
    if (rem)
        g->remaining = rem;
    int *span = realloc(g->span, (size_t)cap * sizeof *span);
    if (span)
        g->span = span;
    if (!rem || !span)
        return 0;
    for (int i = g->cap; i < cap; i++)
        g->remaining[i] = g->span[i] = 0;
    g->cap = cap;
    return 1;
}

/* The next column is covered by a cell spanning rows from above: returns the
 * covering cell's width and steps over it, else 0. */
static int grid_continuation(grid *g)
{
    if (g->col >= g->cap || g->remaining[g->col] <= 0)
        return 0;
    int span = g->span[g->col];
    g->remaining[g->col]--;
    g->col += span;
    return span;
}

/* Places a cell at the current column; its width is clamped so it never runs
 * into a column still covered from above. Returns the width, 0 on failure. */
static int grid_place(grid *g, int colspan, int rowspan)
{
    if (colspan < 1)
        colspan = 1;
    if (colspan > TABLE_MAX_COLSPAN)
        colspan = TABLE_MAX_COLSPAN;
    if (!grid_reserve(g, g->col + colspan))
        return 0;
    int width = 1;
    while (width < colspan && g->remaining[g->col + width] <= 0)
        width++;
    if (rowspan > 1) {
        g->remaining[g->col] = rowspan - 1;
        g->span[g->col] = width;
    }
    g->col += width;
    return width;
}

static void grid_free(grid *g)
{
    free(g->remaining);
    free(g->span);
}

static int column_count(const oct_node *table)
{
    grid g = {0};
    int ncols = 0;
    for (const oct_node *row = oct_node_first_child(table); row; row = oct_node_next(row)) {
        if (oct_node_get_type(row) != OCT_NODE_TABLE_ROW)
            continue;
        g.col = 0;
        for (const oct_node *cell = oct_node_first_child(row); cell; cell = oct_node_next(cell)) {
            while (grid_continuation(&g))
                ;
            if (!grid_place(&g, oct_node_cell_colspan(cell), oct_node_cell_rowspan(cell)))
                break;
            if (g.col > ncols)
                ncols = g.col;
        }
        while (g.col < g.cap) {
            if (!grid_continuation(&g))
                g.col++;
        }
    }
    grid_free(&g);
    return ncols;
}

static int row_is_head(const oct_node *row)
{
    if (oct_node_row_section(row) == OCT_ROW_HEAD)
        return 1;
    const oct_node *cell = oct_node_first_child(row);
    if (!cell)
        return 0;
    for (; cell; cell = oct_node_next(cell)) {
        if (!oct_node_cell_is_header(cell))
            return 0;
    }
    return 1;
}

struct table_state {
    grid g;
    int ncols;
    long col_width; /* twips */
    int started;      /* w:tbl written (it follows an optional caption) */
    int leading_head; /* still in the header rows at the top */
    int row_head;     /* the current row is a header row */
};

static table_state *current_table(render *r)
{
    return &r->tables[r->ntables - 1];
}

static void start_table(render *r, table_state *t, const oct_node *table)
{
    markup *m = &r->out;
    if (r->last_was_table)
        render_empty_paragraph(r, render_top(r), "Compact");
    t->started = 1;
    int has_head = 0;
    for (const oct_node *row = oct_node_first_child(table); row; row = oct_node_next(row)) {
        if (oct_node_get_type(row) == OCT_NODE_TABLE_ROW) {
            has_head = row_is_head(row);
            break;
        }
    }
    markup_raw(m, "<w:tbl><w:tblPr><w:tblStyle w:val=\"Table\"/>");
    if (render_top(r)->rtl)
        markup_raw(m, "<w:bidiVisual/>");
    markup_raw(m, "<w:tblW w:w=\"5000\" w:type=\"pct\"/>");
    markup_raw(m, has_head ? "<w:tblLook w:val=\"0020\" w:firstRow=\"1\""
                           : "<w:tblLook w:val=\"0000\" w:firstRow=\"0\"");
    markup_raw(m, " w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"0\""
                  " w:noVBand=\"0\"/></w:tblPr>");
    render_end_line(m);
    markup_open(m, "w:tblGrid");
    for (int i = 0; i < t->ncols; i++) {
        markup_open(m, "w:gridCol");
        markup_attr_int(m, "w:w", t->col_width);
        markup_close(m, "w:gridCol");
    }
    markup_close(m, "w:tblGrid");
    render_end_line(m);
}

static void cell_properties(render *r, const table_state *t, int span, const char *vmerge)
{
    markup *m = &r->out;
    markup_raw(m, "<w:tcPr>");
    markup_open(m, "w:tcW");
    markup_attr_int(m, "w:w", t->col_width * span);
    markup_attr(m, "w:type", "dxa");
    markup_close(m, "w:tcW");
    if (span > 1)
        markup_val_int(m, "w:gridSpan", span);
    if (vmerge) {
        markup_open(m, "w:vMerge");
        if (*vmerge)
            markup_attr(m, "w:val", vmerge);
        markup_close(m, "w:vMerge");
    }
    markup_raw(m, "</w:tcPr>");
}

/* A cell that continues a vertical merge, or pads a short row. */
static void filler_cell(render *r, const table_state *t, int span, int merged)
{
    int quote = r->quote_depth, list = r->list_depth, dd = r->dd_depth;
    r->quote_depth = r->list_depth = r->dd_depth = 0;
    markup_raw(&r->out, "<w:tc>");
    cell_properties(r, t, span, merged ? "" : NULL);
    render_empty_paragraph(r, render_top(r), "Compact");
    markup_raw(&r->out, "</w:tc>");
    r->quote_depth = quote;
    r->list_depth = list;
    r->dd_depth = dd;
}

static void continuation_cells(render *r, table_state *t)
{
    int span;
    while ((span = grid_continuation(&t->g)))
        filler_cell(r, t, span, 1);
}

void table_enter(render *r, frame *f)
{
    if (r->ntables == r->tables_cap) {
        size_t cap = r->tables_cap ? r->tables_cap * 2 : 4;
        table_state *tables = realloc(r->tables, cap * sizeof *tables);
        if (!tables) {
            docx_fail(r->w, OCT_ERR_NOMEM);
            return;
        }
        r->tables = tables;
        r->tables_cap = cap;
    }
    table_state *t = &r->tables[r->ntables++];
    memset(t, 0, sizeof *t);
    t->ncols = column_count(f->node);
    if (t->ncols < 1)
        t->ncols = 1;
    long width = docx_page_text_width(&r->w->page);
    t->col_width = width / t->ncols;
    if (t->col_width < 1)
        t->col_width = 1;
    t->leading_head = 1;
    f->in_item = 0;
    if (!grid_reserve(&t->g, t->ncols))
        docx_fail(r->w, OCT_ERR_NOMEM);
}

void table_exit(render *r)
{
    if (!r->ntables)
        return;
    table_state *t = current_table(r);
    if (t->started) {
        markup_raw(&r->out, "</w:tbl>");
        render_end_line(&r->out);
        r->last_was_para = 0;
        r->last_was_table = 1;
    }
    grid_free(&t->g);
    r->ntables--;
}

void table_row_enter(render *r, const oct_node *row)
{
    if (!r->ntables)
        return;
    table_state *t = current_table(r);
    if (!t->started)
        start_table(r, t, oct_node_parent(row));
    markup_open(&r->out, "w:tr");
    int head = row_is_head(row);
    t->row_head = head;
    if (!head)
        t->leading_head = 0;
    /* repeated at the top of every page */
    if (head && t->leading_head)
        markup_raw(&r->out, "<w:trPr><w:tblHeader/></w:trPr>");
    t->g.col = 0;
}

void table_row_exit(render *r)
{
    if (!r->ntables)
        return;
    table_state *t = current_table(r);
    while (t->g.col < t->ncols) {
        int span = grid_continuation(&t->g);
        if (span) {
            filler_cell(r, t, span, 1);
        } else {
            filler_cell(r, t, 1, 0);
            t->g.col++;
        }
    }
    markup_close(&r->out, "w:tr");
    render_end_line(&r->out);
}

void table_cell_enter(render *r, frame *f)
{
    if (!r->ntables)
        return;
    table_state *t = current_table(r);
    continuation_cells(r, t);
    int rowspan = oct_node_cell_rowspan(f->node);
    int span = grid_place(&t->g, oct_node_cell_colspan(f->node), rowspan);
    if (!span) {
        docx_fail(r->w, OCT_ERR_NOMEM);
        span = 1;
    }
    markup_raw(&r->out, "<w:tc>");
    cell_properties(r, t, span, rowspan > 1 ? "restart" : NULL);
    f->align = oct_node_cell_align(f->node);
    f->para_style = "Compact";
    /* the cell's row is the one table_row_enter saw last */
    f->bold_cell = oct_node_cell_is_header(f->node) && !t->row_head;
    f->saved_quote = r->quote_depth;
    f->saved_list = r->list_depth;
    f->saved_dd = r->dd_depth;
    f->in_item = 0;
    r->quote_depth = r->list_depth = r->dd_depth = 0;
    r->last_was_para = 0;
    r->last_was_table = 0;
}

void table_cell_exit(render *r, frame *f)
{
    if (!r->ntables) /* table_cell_enter wrote nothing either */
        return;
    if (!r->last_was_para)
        render_empty_paragraph(r, f, "Compact");
    markup_raw(&r->out, "</w:tc>");
    r->quote_depth = f->saved_quote;
    r->list_depth = f->saved_list;
    r->dd_depth = f->saved_dd;
}

void table_free_all(render *r)
{
    for (size_t i = 0; i < r->ntables; i++)
        grid_free(&r->tables[i].g);
    free(r->tables);
    r->tables = NULL;
    r->ntables = r->tables_cap = 0;
}
