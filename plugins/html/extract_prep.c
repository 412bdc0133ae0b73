/*
 * extract_prep.c — the page before scoring: scripts, styles, comments and
 * inert templates go; runs of <br><br> become paragraphs; <font> becomes
 * <span>.
 */
#include "extract_internal.h"

static int is_junk(ex_ctx *ex, xmlNodePtr node)
{
    if (node->type == XML_COMMENT_NODE || node->type == XML_PI_NODE)
        return 1;
    switch (ex_tag_of(ex, node)) {
    case EX_TAG_SCRIPT: case EX_TAG_NOSCRIPT: case EX_TAG_STYLE: case EX_TAG_TEMPLATE:
        return 1;
    default:
        return 0;
    }
}

static void remove_junk(ex_ctx *ex, xmlNodePtr page)
{
    xmlNodePtr node = page->children;
    while (node != NULL && node != page) {
        if (is_junk(ex, node)) {
            xmlNodePtr next = node->next;
            xmlNodePtr parent = node->parent;
            ex_remove(ex, node);
            if (next != NULL) {
                node = next;
                continue;
            }
            node = parent;
        } else if (node->type == XML_ELEMENT_NODE && node->children != NULL) {
            node = node->children;
            continue;
        }
        while (node != page && node->next == NULL)
            node = node->parent;
        if (node == page)
            break;
        node = node->next;
    }
}

/* Readability's _nextNode: skips whitespace-only text. */
static xmlNodePtr skip_blank(ex_ctx *ex, xmlNodePtr node)
{
    while (node != NULL && node->type != XML_ELEMENT_NODE && ex_is_whitespace_node(ex, node))
        node = node->next;
    return node;
}

/* <br> followed by more <br>s: the chain becomes one <p> holding the
 * phrasing content up to the next chain. Returns the node to continue from. */
static xmlNodePtr replace_br_chain(ex_ctx *ex, xmlNodePtr br)
{
    int replaced = 0;
    xmlNodePtr next = br->next;
    while ((next = skip_blank(ex, next)) != NULL && ex_tag_of(ex, next) == EX_TAG_BR) {
        replaced = 1;
        xmlNodePtr after = next->next;
        ex_remove(ex, next);
        next = after;
    }
    if (!replaced)
        return br;
    xmlNodePtr p = ex_new_element(ex, "p");
    if (p == NULL)
        return br;
    ex_insert_before(br, p);
    ex_remove(ex, br);
    next = p->next;
    while (next != NULL) {
        if (ex_tag_of(ex, next) == EX_TAG_BR) {
            xmlNodePtr following = skip_blank(ex, next->next);
            if (following != NULL && ex_tag_of(ex, following) == EX_TAG_BR)
                break;
        }
        if (!ex_is_phrasing(ex, next))
            break;
        xmlNodePtr after = next->next;
        xmlUnlinkNode(next);
        ex_append_child(p, next);
        next = after;
    }
    while (p->last != NULL && ex_is_whitespace_node(ex, p->last))
        ex_remove(ex, p->last);
    if (ex_tag_of(ex, p->parent) == EX_TAG_P)
        ex_set_tag(ex, p->parent, EX_TAG_DIV, "div");
    return p;
}

void ex_prep_document(ex_ctx *ex, xmlNodePtr page)
{
    remove_junk(ex, page);
    /* Fonts are renamed as the walk reaches them, so a <font> after a <br>
     * still ends its paragraph, as in Readability (which renames later). */
    for (xmlNodePtr node = ex_next_element(page, 0, page); node != NULL && !ex->nomem;) {
        ex_tag tag = ex_tag_of(ex, node);
        if (tag == EX_TAG_BR)
            node = replace_br_chain(ex, node);
        else if (tag == EX_TAG_FONT)
            ex_set_tag(ex, node, EX_TAG_SPAN, "span");
        node = ex_next_element(node, 0, page);
    }
}
