/*
 * emptied.c — containers the reading emptied, told apart from those the
 * source held empty.
 *
 * An <h2></h2>, <blockquote></blockquote> or <a href="x"></a> is what the
 * author wrote, and the document keeps it (normalisation leaves empty
 * headings, quotes and links alone). A heading whose only content was an
 * inline SVG, a link around a dropped icon, or the first half of a link the
 * builder split around a block are leftovers of reading and go.
 */
#include <stdint.h>
#include <stdlib.h>

#include "html.h"

int html_kept_empty_add(html_kept_empty *k, oct_node *n)
{
    if (k->len == k->cap) {
        const size_t cap = k->cap ? k->cap * 2 : 16;
        oct_node **p = realloc(k->nodes, cap * sizeof *p);
        if (!p)
            return 0;
        k->nodes = p;
        k->cap = cap;
    }
    k->nodes[k->len++] = n;
    return 1;
}

void html_kept_empty_free(html_kept_empty *k)
{
    free(k->nodes);
    k->nodes = NULL;
    k->len = k->cap = 0;
}

static int compare_node(const void *a, const void *b)
{
    const uintptr_t x = (uintptr_t)*(oct_node *const *)a;
    const uintptr_t y = (uintptr_t)*(oct_node *const *)b;
    return x < y ? -1 : x > y;
}

/* What means nothing once empty, unless the source wrote it so (the same
 * containers normalisation prunes, and the three it keeps). */
static int prunable(oct_node_type t)
{
    switch (t) {
    case OCT_NODE_PARAGRAPH: case OCT_NODE_HEADING: case OCT_NODE_BLOCK_QUOTE:
    case OCT_NODE_LIST: case OCT_NODE_TABLE: case OCT_NODE_TABLE_ROW:
    case OCT_NODE_DEFINITION_LIST: case OCT_NODE_DIV: case OCT_NODE_FIGURE:
    case OCT_NODE_CAPTION: case OCT_NODE_EMPH: case OCT_NODE_STRONG:
    case OCT_NODE_STRIKEOUT: case OCT_NODE_SUPERSCRIPT: case OCT_NODE_SUBSCRIPT:
    case OCT_NODE_UNDERLINE: case OCT_NODE_SPAN: case OCT_NODE_HIGHLIGHT:
    case OCT_NODE_SMALL_CAPS: case OCT_NODE_LINK:
        return 1;
    default:
        return 0;
    }
}

static int is_kept(const html_kept_empty *k, oct_node *n)
{
    return k->len && bsearch(&n, k->nodes, k->len, sizeof *k->nodes, compare_node);
}

void html_prune_emptied(oct_doc *doc, html_kept_empty *k)
{
    if (k->len > 1)
        qsort(k->nodes, k->len, sizeof *k->nodes, compare_node);
    /* Post-order, each node judged once its children have been: a quote
     * whose only paragraph held an emptied link goes too, once the
     * paragraph has gone. */
    oct_node *const root = oct_doc_root(doc);
    oct_node *n = root;
    for (;;) {
        oct_node *child;
        while ((child = oct_node_first_child(n)) != NULL)
            n = child;
        for (;;) {
            if (n == root)
                return;
            oct_node *const next = oct_node_next(n);
            oct_node *const parent = oct_node_parent(n);
            if (prunable(oct_node_get_type(n)) && !oct_node_first_child(n) && !is_kept(k, n))
                oct_node_unlink(n);
            if (next) {
                n = next;
                break;
            }
            n = parent;
        }
    }
}
