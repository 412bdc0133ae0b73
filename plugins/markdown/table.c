/*
 * table.c — tables: GFM pipe tables when every cell is one line of inline
 * content and the first row is the header; otherwise an HTML table whose
 * cells keep their content as Markdown between blank lines, so nothing is
 * lost in strict CommonMark either.
 */
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PAD_WIDTH 40

static int row_is_header(const oct_node *row)
{
    if (oct_node_row_section(row) == OCT_ROW_HEAD)
        return 1;
    const oct_node *c = oct_node_first_child(row);
    if (!c)
        return 0;
    for (; c; c = oct_node_next(c))
        if (!oct_node_cell_is_header(c))
            return 0;
    return 1;
}

static int cell_is_one_line(const oct_node *cell)
{
    if (oct_node_cell_colspan(cell) != 1 || oct_node_cell_rowspan(cell) != 1)
        return 0;
    const oct_node *c = oct_node_first_child(cell);
    if (!c)
        return 1;
    return !oct_node_next(c) && oct_node_get_type(c) == OCT_NODE_PARAGRAPH;
}

static int is_pipe_table(const md_writer *w, const oct_node *table)
{
    if (w->opt.flavour != MD_GFM)
        return 0;
    size_t rows = 0;
    for (const oct_node *row = oct_node_first_child(table); row; row = oct_node_next(row)) {
        if (oct_node_get_type(row) != OCT_NODE_TABLE_ROW)
            continue;
        if (rows == 0 ? !row_is_header(row) : oct_node_row_section(row) == OCT_ROW_HEAD)
            return 0;
        for (const oct_node *c = oct_node_first_child(row); c; c = oct_node_next(c))
            if (!cell_is_one_line(c))
                return 0;
        rows++;
    }
    return rows > 0;
}

/* ---------------------------------------------------------- pipe tables */

typedef struct pipe_cell {
    size_t off, len, width;
} pipe_cell;

/* n copies of c, in pieces (text is never broken: pieces or one string
 * render the same). */
static void write_repeated(md_render *r, char c, size_t n)
{
    char run[MAX_PAD_WIDTH + 4];
    memset(run, c, sizeof run);
    for (size_t k; n > 0; n -= k) {
        k = n < sizeof run ? n : sizeof run;
        md_render_text_columns(r, run, k, k);
    }
}

static void write_padded(md_render *r, const char *s, size_t len, size_t width, size_t target,
                         oct_align align)
{
    size_t gap = target > width ? target - width : 0;
    size_t left = align == OCT_ALIGN_RIGHT ? gap : align == OCT_ALIGN_CENTER ? gap / 2 : 0;
    write_repeated(r, ' ', left);
    md_render_text_columns(r, s, len, width);
    write_repeated(r, ' ', gap - left);
}

/* Appends s to b with its line ends (raw HTML may hold some) as spaces. */
static void append_one_line(oct_buf *b, const char *s, size_t len)
{
    for (const char *end = s + len; s < end;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t run = nl ? (size_t)(nl - s) : (size_t)(end - s);
        oct_buf_append(b, s, run);
        if (!nl)
            break;
        oct_buf_putc(b, ' ');
        s = nl + 1;
    }
}

static void write_pipe_table(md_writer *w, const oct_node *table)
{
    size_t n_rows = 0, n_cols = 0;
    for (const oct_node *row = oct_node_first_child(table); row; row = oct_node_next(row)) {
        if (oct_node_get_type(row) != OCT_NODE_TABLE_ROW)
            continue;
        size_t cols = 0;
        for (const oct_node *c = oct_node_first_child(row); c; c = oct_node_next(c))
            cols++;
        if (cols > n_cols)
            n_cols = cols;
        n_rows++;
    }
    if (n_cols == 0)
        n_cols = 1;
    pipe_cell *cells = calloc(n_rows * n_cols, sizeof *cells);
    size_t *widths = calloc(n_cols, sizeof *widths);
    oct_align *aligns = calloc(n_cols, sizeof *aligns);
    oct_buf text;
    oct_buf_init(&text, 0);
    md_render tmp; /* each cell's own rendering, one after the other */
    md_render_init(&tmp, NULL, 0, 0);
    if (!cells || !widths || !aligns) {
        w->status = OCT_ERR_NOMEM;
        goto done;
    }
    size_t ri = 0;
    for (const oct_node *row = oct_node_first_child(table); row && w->status == OCT_OK;
         row = oct_node_next(row)) {
        if (oct_node_get_type(row) != OCT_NODE_TABLE_ROW)
            continue;
        size_t ci = 0;
        for (const oct_node *c = oct_node_first_child(row); c; c = oct_node_next(c), ci++) {
            pipe_cell *pc = &cells[ri * n_cols + ci];
            if (ri == 0)
                aligns[ci] = oct_node_cell_align(c);
            pc->off = text.len;
            const oct_node *para = oct_node_first_child(c);
            if (para) {
                md_render_clear(&tmp);
                md_write_inlines(w, &tmp, para, MD_PLACE_TABLE_CELL);
                md_render_finish(&tmp);
                size_t len = tmp.out.len;
                while (len > 0 && tmp.out.data[len - 1] == '\n')
                    len--;
                append_one_line(&text, tmp.out.data, len);
            }
            pc->len = text.len - pc->off;
            pc->width = oct_utf8_display_width(text.data ? text.data + pc->off : "", pc->len);
            if (pc->width > widths[ci])
                widths[ci] = pc->width;
        }
        ri++;
    }
    if (text.status != OCT_OK)
        w->status = text.status;
    if (w->status != OCT_OK)
        goto done;
    for (size_t ci = 0; ci < n_cols; ci++) {
        if (widths[ci] > MAX_PAD_WIDTH)
            widths[ci] = 0; /* a long cell: no padding for its column */
        else if (widths[ci] < 3)
            widths[ci] = 3;
    }
    md_render *r = &w->r;
    for (size_t row = 0; row < n_rows; row++) {
        md_render_cr(r);
        for (size_t ci = 0; ci < n_cols; ci++) {
            const pipe_cell *pc = &cells[row * n_cols + ci];
            md_render_text(r, ci == 0 ? "| " : " | ", ci == 0 ? 2 : 3);
            write_padded(r, text.data ? text.data + pc->off : "", pc->len, pc->width, widths[ci],
                         aligns[ci]);
        }
        md_render_text(r, " |", 2);
        if (row == 0) {
            md_render_newline(r);
            for (size_t ci = 0; ci < n_cols; ci++) {
                size_t dashes = widths[ci] < 3 ? 3 : widths[ci];
                md_render_text(r, ci == 0 ? "|" : "|", 1);
                md_render_text(r, aligns[ci] == OCT_ALIGN_LEFT || aligns[ci] == OCT_ALIGN_CENTER
                                      ? ":" : "-", 1);
                write_repeated(r, '-', dashes);
                md_render_text(r, aligns[ci] == OCT_ALIGN_RIGHT || aligns[ci] == OCT_ALIGN_CENTER
                                      ? ":" : "-", 1);
            }
            md_render_text(r, "|", 1);
        }
    }
    /* a pipe table has no caption: it follows as a paragraph */
    for (const oct_node *c = oct_node_first_child(table); c; c = oct_node_next(c)) {
        if (oct_node_get_type(c) == OCT_NODE_CAPTION && oct_node_first_child(c)) {
            md_render_blank_line(r);
            md_write_inlines(w, r, c, MD_PLACE_PARAGRAPH);
        }
    }
done:
    md_render_free(&tmp);
    oct_buf_free(&text);
    free(cells);
    free(widths);
    free(aligns);
}

/* ---------------------------------------------------------- HTML tables */

static const char *section_open(oct_row_section s)
{
    return s == OCT_ROW_HEAD ? "<thead>" : s == OCT_ROW_FOOT ? "<tfoot>" : "<tbody>";
}

static const char *section_close(oct_row_section s)
{
    return s == OCT_ROW_HEAD ? "</thead>" : s == OCT_ROW_FOOT ? "</tfoot>" : "</tbody>";
}

/* Appends s to the tag in buf (NUL-terminated, cut at cap); the new length. */
static size_t put_str(char *buf, size_t cap, size_t len, const char *s)
{
    if (len > cap - 1)
        len = cap - 1;
    size_t n = strlen(s);
    if (n > cap - 1 - len)
        n = cap - 1 - len;
    memcpy(buf + len, s, n);
    len += n;
    buf[len] = '\0';
    return len;
}

static void tag_line(md_writer *w, const char *tag)
{
    const size_t len = strlen(tag);
    md_render_cr(&w->r);
    md_render_text_columns(&w->r, tag, len, len); /* a tag of ours: ASCII */
}

static const oct_node *prev_row(const oct_node *row)
{
    for (const oct_node *p = oct_node_prev(row); p; p = oct_node_prev(p))
        if (oct_node_get_type(p) == OCT_NODE_TABLE_ROW)
            return p;
    return NULL;
}

static void open_cell(md_writer *w, const oct_node *cell, int empty)
{
    /* Tables of thousands of cells: only spans need numbers formatted. */
    static const char *const align_attrs[] = {"", " align=\"left\"", " align=\"center\"",
                                              " align=\"right\""};
    const int header = oct_node_cell_is_header(cell);
    char tag[128];
    size_t len = 0;
    len = put_str(tag, sizeof tag, len, header ? "<th" : "<td");
    oct_align a = oct_node_cell_align(cell);
    if (a > OCT_ALIGN_NONE && a <= OCT_ALIGN_RIGHT)
        len = put_str(tag, sizeof tag, len, align_attrs[a]);
    if (oct_node_cell_colspan(cell) > 1)
        len += (size_t)snprintf(tag + len, sizeof tag - len, " colspan=\"%d\"",
                                oct_node_cell_colspan(cell));
    if (oct_node_cell_rowspan(cell) > 1)
        len += (size_t)snprintf(tag + len, sizeof tag - len, " rowspan=\"%d\"",
                                oct_node_cell_rowspan(cell));
    put_str(tag, sizeof tag, len, empty ? (header ? "></th>" : "></td>") : ">");
    tag_line(w, tag);
}

int md_table_enter(md_writer *w, const oct_node *n)
{
    switch (oct_node_get_type(n)) {
    case OCT_NODE_TABLE:
        if (is_pipe_table(w, n)) {
            write_pipe_table(w, n);
            return 1;
        }
        tag_line(w, "<table>");
        return 0;
    case OCT_NODE_TABLE_ROW: {
        const oct_node *p = prev_row(n);
        oct_row_section s = oct_node_row_section(n);
        if (!p || oct_node_row_section(p) != s) {
            if (p)
                tag_line(w, section_close(oct_node_row_section(p)));
            tag_line(w, section_open(s));
        }
        tag_line(w, "<tr>");
        return 0;
    }
    case OCT_NODE_TABLE_CELL: {
        int empty = oct_node_first_child(n) == NULL;
        open_cell(w, n, empty);
        if (empty)
            return 1;
        /* a blank line ends the HTML block: the content is Markdown again */
        md_render_blank_line(&w->r);
        return 0;
    }
    default:
        return 0;
    }
}

void md_table_exit(md_writer *w, const oct_node *n)
{
    switch (oct_node_get_type(n)) {
    case OCT_NODE_TABLE: {
        if (is_pipe_table(w, n))
            return;
        const oct_node *last = NULL;
        for (const oct_node *c = oct_node_last_child(n); c && !last; c = oct_node_prev(c))
            if (oct_node_get_type(c) == OCT_NODE_TABLE_ROW)
                last = c;
        if (last)
            tag_line(w, section_close(oct_node_row_section(last)));
        tag_line(w, "</table>");
        break;
    }
    case OCT_NODE_TABLE_ROW:
        tag_line(w, "</tr>");
        break;
    case OCT_NODE_TABLE_CELL:
        if (!oct_node_first_child(n))
            return;
        md_render_blank_line(&w->r);
        tag_line(w, oct_node_cell_is_header(n) ? "</th>" : "</td>");
        break;
    default:
        break;
    }
}

void md_table_caption(md_writer *w, const oct_node *caption)
{
    if (!oct_node_first_child(caption))
        return;
    tag_line(w, "<caption>");
    md_render_blank_line(&w->r);
    md_write_inlines(w, &w->r, caption, MD_PLACE_PARAGRAPH);
    md_render_blank_line(&w->r);
    tag_line(w, "</caption>");
}

void md_table_free(md_writer *w)
{
    (void)w;
}
