/* tables.c — data tables into the model, layout tables out of the way. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"

/* How much of a table is looked at to judge it: enough for real tables,
 * bounded for hostile ones. */
#define JUDGE_MAX_NODES 4000
#define MAX_SPAN 1000

static int is_block_element(const xmlNode *n)
{
    static const char *const blocks[] = {"p",  "div", "h1", "h2",     "h3",         "h4",
                                         "h5", "h6",  "ul", "ol",     "blockquote", "pre",
                                         "form", "dl", "table", "section", "article", "nav",
                                         "header", "footer", "aside", NULL};
    if (!n || n->type != XML_ELEMENT_NODE)
        return 0;
    for (size_t i = 0; blocks[i]; i++)
        if (n->name[0] == (xmlChar)blocks[i][0] && strcmp((const char *)n->name, blocks[i]) == 0)
            return 1;
    return 0;
}

int html_table_is_layout(const xmlNode *table, int inside_data_cell)
{
    const char *role = html_attr(table, "role");
    if (role && (strcasecmp(role, "presentation") == 0 || strcasecmp(role, "none") == 0))
        return 1;
    /* What authors of data tables write. */
    const char *border = html_attr(table, "border");
    const int data_signal = html_attr(table, "summary") || (border && atoi(border) > 0);

    size_t rows = 0, max_cols = 0, cols = 0, cells_with_blocks = 0, cells = 0, seen = 0;
    int has_th = 0, has_caption = 0, has_thead = 0, nested = 0;
    xmlNode *n = table->children;
    while (n && seen++ < JUDGE_MAX_NODES) {
        int skip = 0;
        if (n->type != XML_ELEMENT_NODE) {
            /* nothing to judge */
        } else if (html_is(n, "table")) {
            nested = 1;
            skip = 1;
        } else if (html_is(n, "caption")) {
            has_caption = 1;
        } else if (html_is(n, "thead")) {
            has_thead = 1;
        } else if (html_is(n, "tr")) {
            max_cols = cols > max_cols ? cols : max_cols;
            rows++;
            cols = 0;
        } else if (html_is(n, "td") || html_is(n, "th")) {
            has_th |= html_is(n, "th");
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
    if (has_th || has_caption || has_thead || data_signal)
        return 0;
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

static oct_align parse_align(const char *v)
{
    if (!v)
        return OCT_ALIGN_NONE;
    size_t len;
    v = html_trim(v, &len);
    if (len == 4 && strncasecmp(v, "left", 4) == 0)
        return OCT_ALIGN_LEFT;
    if (len == 5 && strncasecmp(v, "right", 5) == 0)
        return OCT_ALIGN_RIGHT;
    if ((len == 6 && strncasecmp(v, "center", 6) == 0) ||
        (len == 6 && strncasecmp(v, "middle", 6) == 0))
        return OCT_ALIGN_CENTER;
    return OCT_ALIGN_NONE;
}

/* text-align in an inline style. */
static oct_align style_align(const char *style)
{
    if (!style)
        return OCT_ALIGN_NONE;
    const char *p = style;
    while (*p && strncasecmp(p, "text-align", 10) != 0)
        p++;
    if (!*p)
        return OCT_ALIGN_NONE;
    p += 10;
    while (*p && (html_is_space((unsigned char)*p) || *p == ':'))
        p++;
    char word[8];
    size_t n = 0;
    while (p[n] && n + 1 < sizeof word && p[n] != ';' && !html_is_space((unsigned char)p[n])) {
        word[n] = p[n];
        n++;
    }
    word[n] = '\0';
    return parse_align(word);
}

static int span_attr(const xmlNode *cell, const char *name)
{
    const char *v = html_attr(cell, name);
    if (!v)
        return 1;
    const long x = strtol(v, NULL, 10);
    if (x < 1)
        return 1;
    return x > MAX_SPAN ? MAX_SPAN : (int)x;
}

void html_cell_setup(const xmlNode *cell, oct_node *node)
{
    oct_node_set_cell_header(node, html_is(cell, "th"));
    oct_node_set_cell_span(node, span_attr(cell, "colspan"), span_attr(cell, "rowspan"));
    oct_align a = style_align(html_attr(cell, "style"));
    if (a == OCT_ALIGN_NONE)
        a = parse_align(html_attr(cell, "align"));
    if (a == OCT_ALIGN_NONE && cell->parent)
        a = parse_align(html_attr(cell->parent, "align"));
    oct_node_set_cell_align(node, a);
}
