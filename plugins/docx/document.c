/*
 * document.c — the document tree as WordprocessingML blocks and runs.
 *
 * One ENTER/EXIT walk (oct_iter, no recursion). Every container entered
 * pushes a frame that carries what its descendants inherit (language,
 * direction, cell alignment, the paragraph style its paragraphs take, the
 * list it numbers), so nothing ever walks back up the tree. Formatting
 * containers (emphasis, strong...) only bump counters that each run reads.
 *
 * The schema is strict about order: children of w:pPr and w:rPr below are
 * written in the order wml.xsd lists them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "docx.h"

#define INDENT_STEP 720      /* twips per nesting level */
#define INDENT_MAX_LEVELS 12 /* deeper levels stop indenting further */
#define NUMBER_HANGING 360
#define MAX_LIST_LEVEL 8     /* w:ilvl is 0..8 */
#define FRAMES_MAX ((size_t)1 << 22)

typedef struct frame {
    const oct_node *node;
    oct_node_type type;
    const char *lang;       /* effective language */
    int rtl;                /* effective direction */
    oct_align align;        /* effective alignment (table cells) */
    const char *para_style; /* style of plain paragraphs inside */
    int num_id;             /* LIST: its numbering instance */
    int ilvl;               /* LIST: its level */
    int loose;              /* LIST, LIST_ITEM: paragraphs spaced apart */
    int pending_number;     /* LIST_ITEM: its number is not yet written */
    int in_item;            /* inside a list item (not across table cells) */
    int item_ilvl;          /* ... and that item's level */
    oct_task task;
    int hyperlink;          /* LINK: a w:hyperlink element was opened */
    int bold_cell;          /* TABLE_CELL: header cell in a body row */
    int saved_quote, saved_list, saved_dd; /* TABLE_CELL: outer depths */
    size_t table;           /* TABLE: index into the layout stack */
} frame;

typedef struct table_state table_state;

typedef struct render {
    docx_writer *w;
    docx_rels *rels;
    oct_xml *x;
    docx_story story;
    frame *frames;
    size_t depth, cap;
    table_state *tables;
    size_t ntables, tables_cap;
    int quote_depth, list_depth, dd_depth;
    int emph, strong, strike, sup, sub, underline, smallcaps, highlight, quoted;
    int hyperlinks;         /* open w:hyperlink elements */
    int para_open;          /* a w:p is open */
    int para_implicit;      /* ... opened for stray inline content */
    int last_was_para;      /* the last block written was a w:p (cells must end so) */
    int last_was_table;     /* two adjacent tables would merge in Word */
    int after_heading;      /* the next body paragraph is a First Paragraph */
    int note_mark_pending;  /* footnote: the next paragraph starts with its mark */
    const char **pending_bookmarks; /* ids of containers, placed on the next paragraph */
    size_t n_pending, pending_cap;
} render;

void docx_val(oct_xml *x, const char *name, const char *val)
{
    oct_xml_start(x, name);
    oct_xml_attr(x, "w:val", val);
    oct_xml_end_element(x);
}

void docx_val_int(oct_xml *x, const char *name, long val)
{
    oct_xml_start(x, name);
    oct_xml_attrf(x, "w:val", "%ld", val);
    oct_xml_end_element(x);
}

oct_status docx_fail(docx_writer *w, oct_status s)
{
    if (w->status == OCT_OK)
        w->status = s;
    return w->status;
}

static frame *top(render *r)
{
    return &r->frames[r->depth - 1];
}

static frame *push(render *r, const oct_node *n)
{
    if (r->depth == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        frame *frames = cap <= FRAMES_MAX ? realloc(r->frames, cap * sizeof *frames) : NULL;
        if (!frames) {
            docx_fail(r->w, OCT_ERR_NOMEM);
            return NULL;
        }
        r->frames = frames;
        r->cap = cap;
    }
    frame *f = &r->frames[r->depth];
    if (r->depth)
        *f = r->frames[r->depth - 1];
    else
        memset(f, 0, sizeof *f);
    r->depth++;
    f->node = n;
    f->type = oct_node_get_type(n);
    f->hyperlink = 0;
    f->pending_number = 0;
    f->bold_cell = 0;
    f->task = OCT_TASK_NONE;
    const char *lang = oct_node_lang(n);
    if (lang && *lang)
        f->lang = lang;
    oct_dir dir = oct_node_dir(n);
    if (dir != OCT_DIR_NONE)
        f->rtl = dir == OCT_DIR_RTL;
    return f;
}

/* ------------------------------------------------------------------ runs */

/* A language tag Word can take: letters, digits and hyphens. */
static int plausible_lang(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 35)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-'))
            return 0;
    }
    return 1;
}

static void run_properties(render *r, const char *char_style)
{
    oct_xml *x = r->x;
    const frame *f = r->depth ? top(r) : NULL;
    const char *lang = f ? f->lang : NULL;
    int want_lang = lang && plausible_lang(lang) &&
                    !(r->w->doc_lang && strcasecmp(lang, r->w->doc_lang) == 0);
    int rtl = f && f->rtl;
    int bold = r->strong || (f && f->bold_cell);
    if (!char_style && r->hyperlinks)
        char_style = "Hyperlink";
    if (!char_style && !bold && !r->emph && !r->smallcaps && !r->strike && !r->highlight &&
        !r->underline && !r->sup && !r->sub && !rtl && !want_lang)
        return;
    oct_xml_start(x, "w:rPr");
    if (char_style)
        docx_val(x, "w:rStyle", char_style);
    if (bold) {
        oct_xml_start(x, "w:b");
        oct_xml_end_element(x);
        oct_xml_start(x, "w:bCs");
        oct_xml_end_element(x);
    }
    if (r->emph) {
        oct_xml_start(x, "w:i");
        oct_xml_end_element(x);
        oct_xml_start(x, "w:iCs");
        oct_xml_end_element(x);
    }
    if (r->smallcaps) {
        oct_xml_start(x, "w:smallCaps");
        oct_xml_end_element(x);
    }
    if (r->strike) {
        oct_xml_start(x, "w:strike");
        oct_xml_end_element(x);
    }
    if (r->highlight)
        docx_val(x, "w:highlight", "yellow");
    if (r->underline)
        docx_val(x, "w:u", "single");
    if (r->sup)
        docx_val(x, "w:vertAlign", "superscript");
    else if (r->sub)
        docx_val(x, "w:vertAlign", "subscript");
    if (rtl) {
        oct_xml_start(x, "w:rtl");
        oct_xml_end_element(x);
    }
    if (want_lang) {
        oct_xml_start(x, "w:lang");
        oct_xml_attr(x, "w:val", lang);
        if (rtl)
            oct_xml_attr(x, "w:bidi", lang);
        oct_xml_end_element(x);
    }
    oct_xml_end_element(x);
}

static void text_piece(oct_xml *x, const char *s, size_t len)
{
    if (!len)
        return;
    oct_xml_start(x, "w:t");
    oct_xml_attr(x, "xml:space", "preserve");
    oct_xml_text(x, s, len);
    oct_xml_end_element(x);
}

/* Run content: tabs become w:tab; line ends become w:br when keep_lines
 * (code), spaces otherwise. */
static void run_text(oct_xml *x, const char *s, size_t len, int keep_lines)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c != '\t' && c != '\n' && c != '\r')
            continue;
        text_piece(x, s + start, i - start);
        start = i + 1;
        if (c == '\t') {
            oct_xml_start(x, "w:tab");
            oct_xml_end_element(x);
        } else if (!keep_lines) {
            text_piece(x, " ", 1);
        } else {
            if (c == '\r' && i + 1 < len && s[i + 1] == '\n') {
                i++;
                start = i + 1;
            }
            oct_xml_start(x, "w:br");
            oct_xml_end_element(x);
        }
    }
    text_piece(x, s + start, len - start);
}

static void text_run(render *r, const char *s, size_t len, const char *char_style)
{
    oct_xml_start(r->x, "w:r");
    run_properties(r, char_style);
    run_text(r->x, s, len, 0);
    oct_xml_end_element(r->x);
}

static void bookmark(render *r, const char *id)
{
    const char *name = docx_bookmark_claim(r->w, id);
    if (!name)
        return;
    int bid = r->w->next_bookmark_id++;
    oct_xml_start(r->x, "w:bookmarkStart");
    oct_xml_attrf(r->x, "w:id", "%d", bid);
    oct_xml_attr(r->x, "w:name", name);
    oct_xml_end_element(r->x);
    oct_xml_start(r->x, "w:bookmarkEnd");
    oct_xml_attrf(r->x, "w:id", "%d", bid);
    oct_xml_end_element(r->x);
}

/* ------------------------------------------------------------ paragraphs */

typedef struct para_props {
    const char *style;
    int numbered;           /* carries a w:numPr */
    int num_id, ilvl;       /* num_id 0: "no number", a list item's later block */
    int border;             /* thematic break */
    int loose;
    int first_in_note;
} para_props;

static void paragraph_properties(render *r, const para_props *pp)
{
    oct_xml *x = r->x;
    const frame *f = top(r);
    int levels = r->quote_depth + r->list_depth + r->dd_depth;
    if (levels > INDENT_MAX_LEVELS)
        levels = INDENT_MAX_LEVELS;
    const char *jc = NULL;
    if (f->align == OCT_ALIGN_LEFT)
        jc = f->rtl ? "right" : "left";
    else if (f->align == OCT_ALIGN_CENTER)
        jc = "center";
    else if (f->align == OCT_ALIGN_RIGHT)
        jc = f->rtl ? "left" : "right";

    oct_xml_start(x, "w:pPr");
    if (pp->style)
        docx_val(x, "w:pStyle", pp->style);
    if (pp->numbered) {
        oct_xml_start(x, "w:numPr");
        docx_val_int(x, "w:ilvl", pp->ilvl);
        docx_val_int(x, "w:numId", pp->num_id);
        oct_xml_end_element(x);
    }
    if (pp->border) {
        oct_xml_start(x, "w:pBdr");
        oct_xml_start(x, "w:bottom");
        oct_xml_attr(x, "w:val", "single");
        oct_xml_attr(x, "w:sz", "6");
        oct_xml_attr(x, "w:space", "1");
        oct_xml_attr(x, "w:color", "auto");
        oct_xml_end_element(x);
        oct_xml_end_element(x);
    }
    if (f->rtl) {
        oct_xml_start(x, "w:bidi");
        oct_xml_end_element(x);
    }
    if (pp->loose) {
        oct_xml_start(x, "w:spacing");
        oct_xml_attr(x, "w:after", "120");
        oct_xml_end_element(x);
    }
    /* a numbered paragraph takes its indent from its level unless a quote
     * or definition around the list indents further */
    if (levels > 0 && (!pp->num_id || r->quote_depth + r->dd_depth > 0)) {
        oct_xml_start(x, "w:ind");
        oct_xml_attrf(x, "w:left", "%d", levels * INDENT_STEP);
        if (pp->num_id)
            oct_xml_attrf(x, "w:hanging", "%d", NUMBER_HANGING);
        oct_xml_end_element(x);
    }
    if (pp->loose) {
        oct_xml_start(x, "w:contextualSpacing");
        oct_xml_attr(x, "w:val", "0");
        oct_xml_end_element(x);
    }
    if (jc)
        docx_val(x, "w:jc", jc);
    oct_xml_end_element(x);
}

static void flush_pending_bookmarks(render *r)
{
    for (size_t i = 0; i < r->n_pending; i++)
        bookmark(r, r->pending_bookmarks[i]);
    r->n_pending = 0;
}

static void queue_bookmark(render *r, const char *id)
{
    if (!id || !*id)
        return;
    if (r->n_pending == r->pending_cap) {
        size_t cap = r->pending_cap ? r->pending_cap * 2 : 8;
        const char **ids = realloc(r->pending_bookmarks, cap * sizeof *ids);
        if (!ids) {
            docx_fail(r->w, OCT_ERR_NOMEM);
            return;
        }
        r->pending_bookmarks = ids;
        r->pending_cap = cap;
    }
    r->pending_bookmarks[r->n_pending++] = id;
}

static void note_mark(render *r)
{
    oct_xml *x = r->x;
    oct_xml_start(x, "w:r");
    oct_xml_start(x, "w:rPr");
    docx_val(x, "w:rStyle", "FootnoteReference");
    oct_xml_end_element(x);
    oct_xml_start(x, "w:footnoteRef");
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_start(x, "w:r");
    text_piece(x, " ", 1);
    oct_xml_end_element(x);
}

/* One paragraph per line: whitespace between block elements means nothing
 * to WordprocessingML, and the Flat OPC output then diffs line by line. */
static void end_line(oct_xml *x)
{
    oct_xml_raw(x, "\n");
}

static void close_paragraph(render *r)
{
    if (!r->para_open)
        return;
    oct_xml_end_element(r->x);
    end_line(r->x);
    r->para_open = 0;
    r->para_implicit = 0;
    r->last_was_para = 1;
    r->last_was_table = 0;
}

/* Opens a w:p with its properties. container is the frame whose child the
 * paragraph is (it decides numbering and the default style); style NULL
 * takes the container's. */
static void open_paragraph(render *r, frame *container, const char *style, int border)
{
    para_props pp = {0};
    pp.style = style ? style : container->para_style;
    if (pp.style && strcmp(pp.style, "BodyText") == 0 && r->after_heading)
        pp.style = "FirstParagraph";
    r->after_heading = 0;
    if (container->type == OCT_NODE_LIST_ITEM && container->pending_number) {
        container->pending_number = 0;
        pp.numbered = 1;
        pp.num_id = container->num_id;
        pp.ilvl = container->ilvl;
    } else if (container->in_item) {
        /* Later blocks of an item: numId 0 shows no number, and tells
         * readers such as pandoc that the block continues the item. */
        pp.numbered = 1;
        pp.ilvl = container->item_ilvl;
    }
    pp.loose = container->type == OCT_NODE_LIST_ITEM && container->loose;
    pp.border = border;
    oct_xml_start(r->x, "w:p");
    r->para_open = 1;
    paragraph_properties(r, &pp);
    if (r->note_mark_pending) {
        r->note_mark_pending = 0;
        note_mark(r);
    }
    flush_pending_bookmarks(r);
    if (pp.num_id && container->task != OCT_TASK_NONE)
        text_run(r, container->task == OCT_TASK_CHECKED ? "\xE2\x98\x92 " : "\xE2\x98\x90 ",
                 4, NULL);
}

/* A paragraph with nothing but its properties: an empty list item's number,
 * or the paragraph a table cell must end with. */
static void empty_paragraph(render *r, frame *container, const char *style)
{
    open_paragraph(r, container, style, 0);
    close_paragraph(r);
}

/* Inline content outside any paragraph (never produced by the builder, but
 * a writer must not emit a run straight into the body). */
static void ensure_paragraph(render *r)
{
    if (r->para_open)
        return;
    open_paragraph(r, top(r), NULL, 0);
    r->para_implicit = 1;
}

static void close_implicit(render *r)
{
    if (r->para_open && r->para_implicit)
        close_paragraph(r);
}

/* ----------------------------------------------------------------- tables */

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
};

static table_state *current_table(render *r)
{
    return &r->tables[r->ntables - 1];
}

static void start_table(render *r, table_state *t, const oct_node *table)
{
    oct_xml *x = r->x;
    if (r->last_was_table)
        empty_paragraph(r, top(r), "Compact");
    t->started = 1;
    int has_head = 0;
    for (const oct_node *row = oct_node_first_child(table); row; row = oct_node_next(row)) {
        if (oct_node_get_type(row) == OCT_NODE_TABLE_ROW) {
            has_head = row_is_head(row);
            break;
        }
    }
    oct_xml_start(x, "w:tbl");
    oct_xml_start(x, "w:tblPr");
    docx_val(x, "w:tblStyle", "Table");
    if (top(r)->rtl) {
        oct_xml_start(x, "w:bidiVisual");
        oct_xml_end_element(x);
    }
    oct_xml_start(x, "w:tblW");
    oct_xml_attr(x, "w:w", "5000");
    oct_xml_attr(x, "w:type", "pct");
    oct_xml_end_element(x);
    oct_xml_start(x, "w:tblLook");
    oct_xml_attr(x, "w:val", has_head ? "0020" : "0000");
    oct_xml_attr(x, "w:firstRow", has_head ? "1" : "0");
    oct_xml_attr(x, "w:lastRow", "0");
    oct_xml_attr(x, "w:firstColumn", "0");
    oct_xml_attr(x, "w:lastColumn", "0");
    oct_xml_attr(x, "w:noHBand", "0");
    oct_xml_attr(x, "w:noVBand", "0");
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    end_line(x);
    oct_xml_start(x, "w:tblGrid");
    for (int i = 0; i < t->ncols; i++) {
        oct_xml_start(x, "w:gridCol");
        oct_xml_attrf(x, "w:w", "%ld", t->col_width);
        oct_xml_end_element(x);
    }
    oct_xml_end_element(x);
    end_line(x);
}

static void cell_properties(render *r, const table_state *t, int span, const char *vmerge)
{
    oct_xml *x = r->x;
    oct_xml_start(x, "w:tcPr");
    oct_xml_start(x, "w:tcW");
    oct_xml_attrf(x, "w:w", "%ld", t->col_width * span);
    oct_xml_attr(x, "w:type", "dxa");
    oct_xml_end_element(x);
    if (span > 1)
        docx_val_int(x, "w:gridSpan", span);
    if (vmerge) {
        oct_xml_start(x, "w:vMerge");
        if (*vmerge)
            oct_xml_attr(x, "w:val", vmerge);
        oct_xml_end_element(x);
    }
    oct_xml_end_element(x);
}

/* A cell that continues a vertical merge, or pads a short row. */
static void filler_cell(render *r, const table_state *t, int span, int merged)
{
    int quote = r->quote_depth, list = r->list_depth, dd = r->dd_depth;
    r->quote_depth = r->list_depth = r->dd_depth = 0;
    oct_xml_start(r->x, "w:tc");
    cell_properties(r, t, span, merged ? "" : NULL);
    empty_paragraph(r, top(r), "Compact");
    oct_xml_end_element(r->x);
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

static void enter_table(render *r, frame *f)
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
    f->table = r->ntables - 1;
}

static void exit_table(render *r)
{
    if (!r->ntables)
        return;
    table_state *t = current_table(r);
    if (t->started) {
        oct_xml_end_element(r->x);
        end_line(r->x);
        r->last_was_para = 0;
        r->last_was_table = 1;
    }
    grid_free(&t->g);
    r->ntables--;
}

static void enter_row(render *r, const oct_node *row)
{
    if (!r->ntables)
        return;
    table_state *t = current_table(r);
    if (!t->started)
        start_table(r, t, oct_node_parent(row));
    oct_xml *x = r->x;
    oct_xml_start(x, "w:tr");
    int head = row_is_head(row);
    if (!head)
        t->leading_head = 0;
    if (head && t->leading_head) {
        /* repeated at the top of every page */
        oct_xml_start(x, "w:trPr");
        oct_xml_start(x, "w:tblHeader");
        oct_xml_end_element(x);
        oct_xml_end_element(x);
    }
    t->g.col = 0;
}

static void exit_row(render *r)
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
    oct_xml_end_element(r->x);
    end_line(r->x);
}

static void enter_cell(render *r, frame *f)
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
    oct_xml_start(r->x, "w:tc");
    cell_properties(r, t, span, rowspan > 1 ? "restart" : NULL);
    f->align = oct_node_cell_align(f->node);
    f->para_style = "Compact";
    const oct_node *row = oct_node_parent(f->node);
    f->bold_cell = oct_node_cell_is_header(f->node) && !(row && row_is_head(row));
    f->saved_quote = r->quote_depth;
    f->saved_list = r->list_depth;
    f->saved_dd = r->dd_depth;
    f->in_item = 0;
    r->quote_depth = r->list_depth = r->dd_depth = 0;
    r->last_was_para = 0;
    r->last_was_table = 0;
}

static void exit_cell(render *r, frame *f)
{
    if (!r->last_was_para)
        empty_paragraph(r, f, "Compact");
    oct_xml_end_element(r->x);
    r->quote_depth = f->saved_quote;
    r->list_depth = f->saved_list;
    r->dd_depth = f->saved_dd;
}

/* ---------------------------------------------------------------- inlines */

#define HYPERLINK_MAX 2000 /* Word rejects longer hyperlink targets */

/* Zero-width and bidi marks pasted around URLs in real pages. */
static size_t invisible_prefix(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] == 0xE2 && u[1] == 0x80 && ((u[2] >= 0x8B && u[2] <= 0x8F) ||
                                         (u[2] >= 0xAA && u[2] <= 0xAE)))
        return 3;
    if (u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0xA0)
        return 3;
    if (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        return 3;
    if (u[0] == ' ' || u[0] == '\t' || u[0] == '\n' || u[0] == '\r')
        return 1;
    return 0;
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A relative reference whose first segment holds a ':' would read as a
 * scheme: such targets get a "./" in front. */
static int needs_dot_prefix(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != ':' && s[i] != '/' && s[i] != '?' && s[i] != '#')
        i++;
    if (i == n || s[i] != ':')
        return 0;
    if (i == 0)
        return 1;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 1;
    for (size_t j = 1; j < i; j++) {
        char c = s[j];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '-' || c == '.'))
            return 1;
    }
    return 0;
}

/* A relationship target must be an RFC 3986 URI (xs:anyURI): surrounding
 * blanks and invisible marks go, bytes outside printable ASCII and the
 * characters URIs forbid are percent-encoded, as are a '%' that starts no
 * escape and every '#' after the first. */
static char *uri_escape(const char *url)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t skip;
    while ((skip = invisible_prefix(url)) > 0)
        url += skip;
    size_t n = strlen(url);
    while (n && (url[n - 1] == ' ' || url[n - 1] == '\t' || url[n - 1] == '\n' ||
                 url[n - 1] == '\r'))
        n--;
    if (n == 0 || n > HYPERLINK_MAX)
        return NULL;
    char *out = malloc(n * 3 + 3);
    if (!out)
        return NULL;
    size_t j = 0;
    if (needs_dot_prefix(url, n)) {
        out[j++] = '.';
        out[j++] = '/';
    }
    int seen_hash = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)url[i];
        int escape = c <= 0x20 || c >= 0x7F || strchr("\"<>\\^`{|}[]", c) != NULL;
        if (c == '%' && !(i + 2 < n && is_hex(url[i + 1]) && is_hex(url[i + 2])))
            escape = 1;
        if (c == '#') {
            escape = seen_hash;
            seen_hash = 1;
        }
        if (escape) {
            out[j++] = '%';
            out[j++] = hex[c >> 4];
            out[j++] = hex[c & 15];
        } else {
            out[j++] = (char)c;
        }
    }
    out[j] = '\0';
    if (j > HYPERLINK_MAX) {
        free(out);
        return NULL;
    }
    return out;
}

static void enter_link(render *r, frame *f)
{
    const char *url = oct_node_url(f->node);
    if (r->hyperlinks || !url || !*url)
        return;
    oct_xml *x = r->x;
    if (url[0] == '#') {
        const char *name = docx_bookmark_for(r->w, url + 1);
        if (!name)
            return;
        oct_xml_start(x, "w:hyperlink");
        oct_xml_attr(x, "w:anchor", name);
    } else {
        char *target = uri_escape(url);
        if (!target)
            return;
        int rid = docx_rels_get(r->rels, "hyperlink", target, 1);
        free(target);
        if (!rid) {
            docx_fail(r->w, OCT_ERR_NOMEM);
            return;
        }
        oct_xml_start(x, "w:hyperlink");
        oct_xml_attrf(x, "r:id", "rId%d", rid);
    }
    const char *title = oct_node_title(f->node);
    if (title && *title)
        oct_xml_attr(x, "w:tooltip", title);
    oct_xml_attr(x, "w:history", "1");
    f->hyperlink = 1;
    r->hyperlinks++;
}

static void footnote_ref(render *r, const oct_node *n)
{
    docx_writer *w = r->w;
    int id = 0;
    docx_map_get(&w->footnote_ids, oct_node_footnote_label(n), &id);
    if (id > 0 && r->story == DOCX_STORY_BODY && !w->footnote_used[id - 1]) {
        /* Word allows one reference per note: a second one is plain text */
        w->footnote_used[id - 1] = 1;
        oct_xml *x = r->x;
        oct_xml_start(x, "w:r");
        oct_xml_start(x, "w:rPr");
        docx_val(x, "w:rStyle", "FootnoteReference");
        oct_xml_end_element(x);
        oct_xml_start(x, "w:footnoteReference");
        oct_xml_attrf(x, "w:id", "%d", id);
        oct_xml_end_element(x);
        oct_xml_end_element(x);
        return;
    }
    char mark[32];
    const char *label = oct_node_footnote_label(n);
    if (id > 0)
        snprintf(mark, sizeof mark, "%d", id);
    else
        snprintf(mark, sizeof mark, "%.30s", label ? label : "");
    r->sup++;
    text_run(r, mark, strlen(mark), NULL);
    r->sup--;
}

static void quote_mark(render *r, int open)
{
    /* alternate double and single quotes with nesting */
    int inner = (r->quoted % 2) == 0;
    const char *mark = open ? (inner ? "\xE2\x80\x98" : "\xE2\x80\x9C")
                            : (inner ? "\xE2\x80\x99" : "\xE2\x80\x9D");
    text_run(r, mark, 3, NULL);
}

static void inline_leaf(render *r, const oct_node *n)
{
    oct_xml *x = r->x;
    size_t len = 0;
    const char *s;
    switch (oct_node_get_type(n)) {
    case OCT_NODE_TEXT:
        s = oct_node_literal(n, &len);
        if (len)
            text_run(r, s, len, NULL);
        break;
    case OCT_NODE_CODE:
        s = oct_node_literal(n, &len);
        if (len)
            text_run(r, s, len, "VerbatimChar");
        break;
    case OCT_NODE_SOFT_BREAK:
        text_run(r, " ", 1, NULL);
        break;
    case OCT_NODE_LINE_BREAK:
        oct_xml_start(x, "w:r");
        oct_xml_start(x, "w:br");
        oct_xml_end_element(x);
        oct_xml_end_element(x);
        break;
    case OCT_NODE_IMAGE:
        if (!docx_media_drawing(r->w, r->rels, x, n)) {
            const char *alt = oct_node_image_alt(n);
            if (alt && *alt)
                text_run(r, alt, strlen(alt), NULL);
        }
        break;
    case OCT_NODE_FOOTNOTE_REF:
        footnote_ref(r, n);
        break;
    default: /* raw inline markup of other formats is dropped */
        break;
    }
}

/* --------------------------------------------------------------- events */

static void code_block(render *r, const oct_node *n)
{
    size_t len = 0;
    const char *s = oct_node_literal(n, &len);
    while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    open_paragraph(r, top(r), "SourceCode", 0);
    oct_xml_start(r->x, "w:r");
    run_properties(r, "VerbatimChar");
    run_text(r->x, s, len, 1);
    oct_xml_end_element(r->x);
    close_paragraph(r);
}

static void block_leaf(render *r, const oct_node *n)
{
    const char *id = oct_node_id(n);
    switch (oct_node_get_type(n)) {
    case OCT_NODE_CODE_BLOCK:
        queue_bookmark(r, id);
        code_block(r, n);
        r->after_heading = 0;
        break;
    case OCT_NODE_THEMATIC_BREAK:
        queue_bookmark(r, id);
        open_paragraph(r, top(r), "Compact", 1);
        close_paragraph(r);
        break;
    default: /* raw blocks of other formats are dropped */
        break;
    }
}

static void title_line(render *r, const char *style, const char *text)
{
    if (!text || !*text)
        return;
    open_paragraph(r, top(r), style, 0);
    text_run(r, text, strlen(text), NULL);
    close_paragraph(r);
}

static void title_block(render *r)
{
    const oct_doc *doc = r->w->doc;
    const char *title = oct_meta_get(doc, OCT_META_TITLE);
    if (!title || !*title)
        return;
    title_line(r, "Title", title);
    title_line(r, "Subtitle", oct_meta_get(doc, OCT_META_SUBTITLE));
    size_t n = oct_meta_count(doc, OCT_META_AUTHOR);
    for (size_t i = 0; i < n; i++)
        title_line(r, "Author", oct_meta_get_nth(doc, OCT_META_AUTHOR, i));
    title_line(r, "Date", oct_meta_get(doc, OCT_META_DATE));
    r->after_heading = 1;
}

static void enter_list_item(render *r, frame *f)
{
    f->pending_number = 1;
    f->in_item = 1;
    f->item_ilvl = f->ilvl;
    f->task = oct_node_item_task(f->node);
    f->para_style = "ListParagraph";
    const oct_node *first = oct_node_first_child(f->node);
    oct_node_type t = first ? oct_node_get_type(first) : OCT_NODE_NONE;
    /* the number sits on the item's first paragraph; anything else first
     * (a nested list, a table) gets an empty numbered paragraph above it */
    if (first && t != OCT_NODE_PARAGRAPH && t != OCT_NODE_CODE_BLOCK && t != OCT_NODE_HEADING)
        empty_paragraph(r, f, NULL);
}

static void enter_container(render *r, const oct_node *n, oct_node_type t, const oct_node *root)
{
    frame *f = push(r, n);
    if (!f)
        return;
    const char *id = oct_node_id(n);
    switch (t) {
    case OCT_NODE_DOCUMENT:
        f->para_style = "BodyText";
        f->rtl = r->w->doc_rtl || f->rtl;
        if (r->w->title_block)
            title_block(r);
        break;
    case OCT_NODE_FOOTNOTE_DEF:
        f->para_style = "FootnoteText";
        r->note_mark_pending = 1;
        break;
    case OCT_NODE_HEADING: {
        queue_bookmark(r, id);
        char style[16];
        int level = oct_node_heading_level(n);
        snprintf(style, sizeof style, "Heading%d", level < 1 ? 1 : level > 6 ? 6 : level);
        open_paragraph(r, &r->frames[r->depth - 2], style, 0);
        break;
    }
    case OCT_NODE_PARAGRAPH:
        queue_bookmark(r, id);
        open_paragraph(r, &r->frames[r->depth - 2], NULL, 0);
        break;
    case OCT_NODE_CAPTION:
        queue_bookmark(r, id);
        open_paragraph(r, &r->frames[r->depth - 2], "Caption", 0);
        break;
    case OCT_NODE_DEFINITION_TERM:
        queue_bookmark(r, id);
        open_paragraph(r, &r->frames[r->depth - 2], "DefinitionTerm", 0);
        break;
    case OCT_NODE_BLOCK_QUOTE:
        queue_bookmark(r, id);
        r->quote_depth++;
        f->para_style = "BlockText";
        break;
    case OCT_NODE_LIST: {
        queue_bookmark(r, id);
        f->ilvl = r->list_depth < MAX_LIST_LEVEL ? r->list_depth : MAX_LIST_LEVEL;
        r->list_depth++;
        int num = docx_numbering_add(&r->w->numbering, oct_node_list_style(n),
                                     oct_node_list_start(n), f->ilvl);
        if (!num)
            docx_fail(r->w, OCT_ERR_NOMEM);
        f->num_id = num + r->w->num_id_offset;
        f->loose = !oct_node_list_tight(n);
        f->para_style = "ListParagraph";
        break;
    }
    case OCT_NODE_LIST_ITEM:
        queue_bookmark(r, id);
        enter_list_item(r, f);
        break;
    case OCT_NODE_DEFINITION_DESC:
        queue_bookmark(r, id);
        r->dd_depth++;
        f->para_style = "Definition";
        break;
    case OCT_NODE_FIGURE:
        queue_bookmark(r, id);
        f->para_style = "Figure";
        break;
    case OCT_NODE_TABLE:
        queue_bookmark(r, id);
        enter_table(r, f);
        break;
    case OCT_NODE_TABLE_ROW:
        enter_row(r, n);
        break;
    case OCT_NODE_TABLE_CELL:
        queue_bookmark(r, id);
        enter_cell(r, f);
        break;
    case OCT_NODE_DEFINITION_LIST:
    case OCT_NODE_DIV:
        queue_bookmark(r, id);
        break;
    /* inline containers */
    case OCT_NODE_EMPH: r->emph++; break;
    case OCT_NODE_STRONG: r->strong++; break;
    case OCT_NODE_STRIKEOUT: r->strike++; break;
    case OCT_NODE_SUPERSCRIPT: r->sup++; break;
    case OCT_NODE_SUBSCRIPT: r->sub++; break;
    case OCT_NODE_UNDERLINE: r->underline++; break;
    case OCT_NODE_HIGHLIGHT: r->highlight++; break;
    case OCT_NODE_SMALL_CAPS: r->smallcaps++; break;
    case OCT_NODE_QUOTED:
        r->quoted++;
        quote_mark(r, 1);
        break;
    case OCT_NODE_LINK:
        enter_link(r, f);
        break;
    default:
        break;
    }
    (void)root;
}

static void exit_container(render *r, oct_node_type t)
{
    frame *f = top(r);
    switch (t) {
    case OCT_NODE_HEADING:
        close_paragraph(r);
        r->after_heading = r->story == DOCX_STORY_BODY;
        break;
    case OCT_NODE_PARAGRAPH:
    case OCT_NODE_CAPTION:
    case OCT_NODE_DEFINITION_TERM:
        close_paragraph(r);
        break;
    case OCT_NODE_FOOTNOTE_DEF:
        if (r->note_mark_pending)
            empty_paragraph(r, f, NULL);
        break;
    case OCT_NODE_BLOCK_QUOTE: r->quote_depth--; break;
    case OCT_NODE_LIST: r->list_depth--; break;
    case OCT_NODE_LIST_ITEM:
        if (f->pending_number)
            empty_paragraph(r, f, NULL);
        break;
    case OCT_NODE_DEFINITION_DESC: r->dd_depth--; break;
    case OCT_NODE_TABLE: exit_table(r); break;
    case OCT_NODE_TABLE_ROW: exit_row(r); break;
    case OCT_NODE_TABLE_CELL: exit_cell(r, f); break;
    case OCT_NODE_EMPH: r->emph--; break;
    case OCT_NODE_STRONG: r->strong--; break;
    case OCT_NODE_STRIKEOUT: r->strike--; break;
    case OCT_NODE_SUPERSCRIPT: r->sup--; break;
    case OCT_NODE_SUBSCRIPT: r->sub--; break;
    case OCT_NODE_UNDERLINE: r->underline--; break;
    case OCT_NODE_HIGHLIGHT: r->highlight--; break;
    case OCT_NODE_SMALL_CAPS: r->smallcaps--; break;
    case OCT_NODE_QUOTED:
        quote_mark(r, 0);
        r->quoted--;
        break;
    case OCT_NODE_LINK:
        if (f->hyperlink) {
            oct_xml_end_element(r->x);
            r->hyperlinks--;
        }
        break;
    default:
        break;
    }
    r->depth--;
}

oct_status docx_render_blocks(docx_writer *w, docx_rels *rels, oct_xml *x, const oct_node *root,
                              docx_story story)
{
    render r = {0};
    r.w = w;
    r.rels = rels;
    r.x = x;
    r.story = story;
    oct_iter it;
    oct_iter_init(&it, root);
    oct_event ev;
    size_t steps = 0;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE && w->status == OCT_OK) {
        const oct_node *n = oct_iter_node(&it);
        oct_node_type t = oct_node_get_type(n);
        if ((++steps & 0xFFFF) == 0 && oct_interrupted()) {
            docx_fail(w, OCT_ERR_INTERRUPTED);
            break;
        }
        /* notes live in footnotes.xml; the body only references them */
        if (t == OCT_NODE_FOOTNOTE_DEF && n != root) {
            if (ev == OCT_EVENT_ENTER)
                oct_iter_skip_children(&it);
            continue;
        }
        int is_inline = oct_node_type_is_inline(t);
        if (!is_inline)
            close_implicit(&r);
        if (ev == OCT_EVENT_EXIT) {
            if (r.depth)
                exit_container(&r, t);
            continue;
        }
        if (is_inline) {
            if (!r.depth)
                continue;
            ensure_paragraph(&r);
            const char *id = oct_node_id(n);
            if (id && *id)
                bookmark(&r, id);
        }
        if (oct_node_type_is_leaf(t)) {
            if (!r.depth)
                continue;
            if (is_inline)
                inline_leaf(&r, n);
            else
                block_leaf(&r, n);
        } else {
            enter_container(&r, n, t, root);
        }
    }
    close_implicit(&r);
    free(r.frames);
    for (size_t i = 0; i < r.ntables; i++)
        grid_free(&r.tables[i].g);
    free(r.tables);
    free(r.pending_bookmarks);
    return w->status;
}

/* ------------------------------------------------------------ the body */

static void section_properties(docx_writer *w, oct_xml *x, const docx_refdoc *ref)
{
    if (ref && ref->sect_pr) {
        oct_xml_raw(x, ref->sect_pr);
        return;
    }
    oct_xml_start(x, "w:sectPr");
    oct_xml_start(x, "w:pgSz");
    oct_xml_attrf(x, "w:w", "%ld", w->page.width);
    oct_xml_attrf(x, "w:h", "%ld", w->page.height);
    oct_xml_end_element(x);
    oct_xml_start(x, "w:pgMar");
    oct_xml_attrf(x, "w:top", "%ld", w->page.margin_top);
    oct_xml_attrf(x, "w:right", "%ld", w->page.margin_right);
    oct_xml_attrf(x, "w:bottom", "%ld", w->page.margin_bottom);
    oct_xml_attrf(x, "w:left", "%ld", w->page.margin_left);
    oct_xml_attr(x, "w:header", "720");
    oct_xml_attr(x, "w:footer", "720");
    oct_xml_attr(x, "w:gutter", "0");
    oct_xml_end_element(x);
    oct_xml_start(x, "w:cols");
    oct_xml_attr(x, "w:space", "720");
    oct_xml_end_element(x);
    oct_xml_end_element(x);
}

/* Notes nothing in the body refers to still appear: their references are
 * gathered in one closing paragraph. */
static void unreferenced_notes(docx_writer *w, oct_xml *x)
{
    int opened = 0;
    for (size_t i = 0; i < w->footnote_count; i++) {
        if (w->footnote_used[i])
            continue;
        if (!opened) {
            oct_xml_start(x, "w:p");
            oct_xml_start(x, "w:pPr");
            docx_val(x, "w:pStyle", "BodyText");
            oct_xml_end_element(x);
            opened = 1;
        }
        w->footnote_used[i] = 1;
        oct_xml_start(x, "w:r");
        oct_xml_start(x, "w:rPr");
        docx_val(x, "w:rStyle", "FootnoteReference");
        oct_xml_end_element(x);
        oct_xml_start(x, "w:footnoteReference");
        oct_xml_attrf(x, "w:id", "%zu", i + 1);
        oct_xml_end_element(x);
        oct_xml_end_element(x);
    }
    if (opened) {
        oct_xml_end_element(x);
        end_line(x);
    }
}

oct_status docx_document_part(docx_writer *w, docx_rels *rels, const docx_refdoc *ref)
{
    oct_xml x = {0};
    oct_status s = oct_xml_begin(&x, 1);
    if (s != OCT_OK) {
        oct_xml_free(&x);
        return docx_fail(w, s);
    }
    oct_xml_start(&x, "w:document");
    oct_xml_attr(&x, "xmlns:w", DOCX_NS_W);
    oct_xml_attr(&x, "xmlns:r", DOCX_NS_R);
    oct_xml_attr(&x, "xmlns:wp", DOCX_NS_WP);
    oct_xml_attr(&x, "xmlns:a", DOCX_NS_A);
    oct_xml_attr(&x, "xmlns:pic", DOCX_NS_PIC);
    oct_xml_start(&x, "w:body");
    end_line(&x);
    s = docx_render_blocks(w, rels, &x, oct_doc_root(w->doc), DOCX_STORY_BODY);
    if (s != OCT_OK) {
        oct_xml_free(&x);
        return s;
    }
    unreferenced_notes(w, &x);
    section_properties(w, &x, ref);
    end_line(&x);
    oct_xml_end_element(&x);
    oct_xml_end_element(&x);
    if (x.failed) {
        oct_xml_free(&x);
        return docx_fail(w, OCT_ERR_NOMEM);
    }
    s = docx_package_add_xml(w->package, "word/document.xml", DOCX_CT_WML "document.main+xml",
                             &x);
    return s == OCT_OK ? OCT_OK : docx_fail(w, s);
}
