/* tables.c — data tables into the model, layout tables out of the way. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"

/* How much of a table is looked at to judge it: enough for real tables,
 * bounded for hostile ones. */
#define JUDGE_MAX_NODES 4000
#define MAX_SPAN 1000

/* What makes a cell a page region: a paragraph, list, heading, table or
 * sectioning element (told by the first letter before the whole name). */
static int is_block_element(const xmlNode *n)
{
    if (!n || n->type != XML_ELEMENT_NODE || !n->name)
        return 0;
    switch (n->name[0]) {
    case 'a': return html_is(n, "article") || html_is(n, "aside");
    case 'b': return html_is(n, "blockquote");
    case 'd': return html_is(n, "div") || html_is(n, "dl");
    case 'f': return html_is(n, "form") || html_is(n, "footer");
    case 'h':
        return (n->name[1] >= '1' && n->name[1] <= '6' && !n->name[2]) || html_is(n, "header");
    case 'n': return html_is(n, "nav");
    case 'o': return html_is(n, "ol");
    case 'p': return html_is(n, "p") || html_is(n, "pre");
    case 's': return html_is(n, "section");
    case 't': return html_is(n, "table");
    case 'u': return html_is(n, "ul");
    default: return 0;
    }
}

int html_table_is_layout(const xmlNode *table, int inside_data_cell)
{
    const char *role = html_attr(table, "role");
    if (role && (strcasecmp(role, "presentation") == 0 || strcasecmp(role, "none") == 0))
        return 1;
    /* What authors of data tables write: any of it settles the question,
     * so the walk stops at the first. */
    const char *border = html_attr(table, "border");
    if (html_attr(table, "summary") || (border && atoi(border) > 0))
        return 0;

    size_t rows = 0, max_cols = 0, cols = 0, cells_with_blocks = 0, cells = 0, seen = 0;
    int nested = 0;
    xmlNode *n = table->children;
    while (n && seen++ < JUDGE_MAX_NODES) {
        int skip = 0;
        if (n->type != XML_ELEMENT_NODE || !n->name) {
            /* nothing to judge */
        } else if (n->name[0] == 'c') {
            if (html_is(n, "caption"))
                return 0;
        } else if (n->name[0] != 't') {
            /* none of the table's own elements */
        } else if (html_is(n, "table")) {
            nested = 1;
            skip = 1;
        } else if (html_is(n, "thead") || html_is(n, "th")) {
            return 0;
        } else if (html_is(n, "tr")) {
            max_cols = cols > max_cols ? cols : max_cols;
            rows++;
            cols = 0;
        } else if (html_is(n, "td")) {
            cols++;
            cells++;
            for (const xmlNode *c = n->children; c; c = c->next)
                if (is_block_element(c)) {
                    cells_with_blocks++;
                    break;
                }
        }
        n = html_next(table, n, skip);
    }
    max_cols = cols > max_cols ? cols : max_cols;
    /* A plain grid inside a data cell reads better as its content. */
    if (inside_data_cell)
        return 1;
    if (nested || rows <= 1 || max_cols <= 1)
        return 1;
    /* Cells holding paragraphs and lists are page regions, not data. */
    return cells > 0 && cells_with_blocks * 2 >= cells;
}

oct_row_section html_row_section(const xmlNode *tr)
{
    const xmlNode *p = tr->parent;
    if (html_is(p, "thead"))
        return OCT_ROW_HEAD;
    if (html_is(p, "tfoot"))
        return OCT_ROW_FOOT;
    return OCT_ROW_BODY;
}

/* s[0..len) equals word (lowercase ASCII), ignoring ASCII case. */
static int word_is(const char *s, size_t len, const char *word)
{
    size_t i = 0;
    for (; i < len && word[i]; i++)
        if (s[i] != word[i] && !(s[i] >= 'A' && s[i] <= 'Z' && s[i] + 32 == word[i]))
            return 0;
    return i == len && !word[i];
}

/* An alignment keyword, s[0..len) (no white space around it). */
static oct_align align_word(const char *s, size_t len)
{
    if (word_is(s, len, "left"))
        return OCT_ALIGN_LEFT;
    if (word_is(s, len, "right"))
        return OCT_ALIGN_RIGHT;
    if (word_is(s, len, "center") || word_is(s, len, "middle"))
        return OCT_ALIGN_CENTER;
    return OCT_ALIGN_NONE;
}

static oct_align parse_align(const char *v)
{
    if (!v)
        return OCT_ALIGN_NONE;
    size_t len;
    v = html_trim(v, &len);
    return align_word(v, len);
}

/* text-align in an inline style: the value is its first seven bytes up to
 * a ';' or white space. */
static oct_align style_align(const char *style)
{
    if (!style)
        return OCT_ALIGN_NONE;
    const char *p = style;
    while (*p && !((*p | 0x20) == 't' && word_is(p, 10, "text-align")))
        p++;
    if (!*p)
        return OCT_ALIGN_NONE;
    p += 10;
    while (*p && (html_is_space((unsigned char)*p) || *p == ':'))
        p++;
    size_t n = 0;
    while (p[n] && n < 7 && p[n] != ';' && !html_is_space((unsigned char)p[n]))
        n++;
    return align_word(p, n);
}

static int span_value(const char *v)
{
    if (!v)
        return 1;
    const long x = strtol(v, NULL, 10);
    if (x < 1)
        return 1;
    return x > MAX_SPAN ? MAX_SPAN : (int)x;
}

void html_cell_setup(const xmlNode *cell, oct_node *node)
{
    /* The four attributes a cell is set up from, found in one pass (each
     * the first of its name, as html_attr finds it). */
    static const char *const names[] = {"colspan", "rowspan", "style", "align"};
    const char *v[4];
    html_attrs(cell, names, v, 4);
    const char *colspan = v[0], *rowspan = v[1], *style = v[2], *align = v[3];
    oct_node_set_cell_header(node, html_is(cell, "th"));
    oct_node_set_cell_span(node, span_value(colspan), span_value(rowspan));
    oct_align al = style_align(style);
    if (al == OCT_ALIGN_NONE)
        al = parse_align(align);
    if (al == OCT_ALIGN_NONE && cell->parent)
        al = parse_align(html_attr(cell->parent, "align"));
    oct_node_set_cell_align(node, al);
}
