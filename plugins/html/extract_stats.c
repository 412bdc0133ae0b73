/*
 * extract_stats.c — one post-order walk computes every figure the
 * heuristics need (text lengths, link text, commas, tag counts, table size)
 * from the children's figures, so no node's subtree is ever read twice.
 * A callback may remove a node once its figures are known; its parent is
 * finished afterwards and only counts the children that stayed.
 *
 * After the first full count, the tree helpers mark what they edit stale
 * (with its ancestors), and later counts redo only the stale elements:
 * ex_stats_update without callback, ex_stats_revisit with one (which must
 * still see every element), ex_stats_revisit_tag with one that acts on a
 * single tag (which need only judge those). All leave the figures a full
 * walk would.
 *
 * A failed attempt on the page itself is undone exactly, so the full count
 * that starts the next one is kept from the second on and taken back.
 */
#include <stdlib.h>
#include <string.h>

#include "extract_internal.h"

/* Copied rather than memset: a few vector stores, where memset of this
 * size compiles to a string instruction. */
static const ex_stats zero_stats;

/* Only elements need anything on the way down: text is measured once a
 * run, and only elements are ever judged by what they sit in. up: the record of
 * node's parent when that is an element, else NULL. Returns node's record
 * when its figures are to be counted afresh (NULL for text). */
static inline ex_info *enter(ex_ctx *ex, xmlNodePtr node, const ex_info *up, int only_stale)
{
    if (node->type != XML_ELEMENT_NODE)
        return NULL;
    ex_info *info = ex_info_of(ex, node);
    ex_mark_present(ex, info->tag);
    if (only_stale && !info->stale)
        return NULL;
    info->st = zero_stats;
    info->stale = 0;
    info->in_data_table =
        up != NULL && (up->in_data_table || (up->tag == EX_TAG_TABLE && up->data_table));
    return info;
}

/* What enter does but the counting: for a walk that keeps the figures. */
static inline void enter_only(ex_ctx *ex, xmlNodePtr node, const ex_info *up)
{
    if (node->type != XML_ELEMENT_NODE)
        return;
    ex_info *info = ex_info_of(ex, node);
    ex_mark_present(ex, info->tag);
    info->in_data_table =
        up != NULL && (up->in_data_table || (up->tag == EX_TAG_TABLE && up->data_table));
}

static int attrs_name_video(xmlNodePtr node)
{
    for (xmlAttrPtr a = node->properties; a != NULL; a = a->next)
        for (xmlNodePtr t = a->children; t != NULL; t = t->next)
            if (t->content != NULL && ex_hint_video((const char *)t->content))
                return 1;
    return 0;
}

static inline void add_text(ex_stats *st, const ex_text_figures *f)
{
    ex_shape_append(&st->shape, &f->shape);
    st->raw_len += f->raw_len;
    st->commas += f->commas;
    st->ascii_commas += f->ascii_commas;
}

/* c: an element child, ci its record. */
static inline void add_child(ex_stats *st, xmlNodePtr c, const ex_info *ci)
{
    const ex_stats *cs = &ci->st;
    ex_shape_append(&st->shape, &cs->shape);
    st->raw_len += cs->raw_len;
    st->commas += cs->commas;
    st->ascii_commas += cs->ascii_commas;

    /* the descendants' figures, summed field by field */
    st->heading_len += cs->heading_len;
    st->textish_len += cs->textish_len;
    st->list_len += cs->list_len;
    st->n_p += cs->n_p;
    st->n_img += cs->n_img;
    st->n_li += cs->n_li;
    st->n_input += cs->n_input;
    st->n_embed += cs->n_embed;
    st->n_media += cs->n_media;
    st->n_br_hr += cs->n_br_hr;
    st->rows += cs->rows;
    st->td_cols += cs->td_cols;

    /* and the child's own share */
    ex_tag t = ci->tag;
    unsigned k = ex_tag_class(t);
    uint32_t clen = ex_shape_len(cs->shape);
    st->link_len += cs->link_len + (t == EX_TAG_A ? clen * (ci->fragment_link ? 0.3 : 1.0) : 0.0);
    if (k & EX_TC_HEADING)
        st->heading_len += clen;
    if (k & EX_TC_TEXTISH)
        st->textish_len += clen;
    if (k & EX_TC_LIST)
        st->list_len += clen;
    st->n_elem_children++;
    unsigned flags = cs->flags | (cs->self_video ? EX_ST_VIDEO : 0u) |
                     (k & EX_TC_BLOCK ? EX_ST_BLOCK : 0u) | (k & EX_TC_DATAY ? EX_ST_DATAY : 0u);
    if (k & EX_TC_EMBED) {
        st->n_media++;
        st->n_embed += !cs->self_video;
    }
    uint32_t cols = cs->max_cols;
    switch (t) {
    case EX_TAG_P: st->n_p++; break;
    case EX_TAG_IMG: st->n_img++; st->n_media++; break;
    case EX_TAG_LI: st->n_li++; break;
    case EX_TAG_INPUT: st->n_input++; break;
    case EX_TAG_BR: case EX_TAG_HR: st->n_br_hr++; break;
    case EX_TAG_TABLE:
        flags |= EX_ST_TABLE | (ci->data_table ? EX_ST_DATA_TABLE : 0u);
        break;
    case EX_TAG_CAPTION: flags |= c->children != NULL ? EX_ST_CAPTION : 0u; break;
    case EX_TAG_TR:
        st->rows += ci->span;
        cols = cs->td_cols;
        break;
    case EX_TAG_TD: st->td_cols += ci->span; break;
    default: break;
    }
    st->flags |= (uint8_t)flags;
    if (cols > st->max_cols)
        st->max_cols = cols;
    if (cs->max_cols > st->max_cols)
        st->max_cols = cs->max_cols;
}

/* An element's own figures once its children are counted: what its own
 * attributes say. (A text's are measured once, with its record.) Returns
 * the element's record. */
static ex_info *finish(ex_ctx *ex, xmlNodePtr node)
{
    ex_info *info = ex_info_of(ex, node);
    /* Only embeds and unknown elements (param, source, video...) can name a
     * video host that matters; skipping the rest keeps the walk cheap. */
    unsigned k = ex_tag_class(info->tag);
    if ((k & EX_TC_EMBED) || info->tag == EX_TAG_OTHER) {
        ex_stats *st = &info->st;
        int own = attrs_name_video(node);
        if (own)
            st->flags |= EX_ST_VIDEO_ATTR;
        if (k & EX_TC_EMBED)
            st->self_video =
                (uint8_t)(own || (info->tag == EX_TAG_OBJECT && (st->flags & EX_ST_VIDEO_ATTR)));
    }
    return info;
}

/* Each element's figures start from zero on the way down and take in each
 * child as the child is left (and kept), so no list of children is read
 * twice. What a parent counts is what a second pass over its children
 * after the walk would count: a callback edits nothing but its own node.
 * With only_stale, an element that is not stale keeps its figures and is
 * not entered: it counts as it stands. */
static inline void count(ex_ctx *ex, xmlNodePtr root, ex_exit_fn on_exit, void *arg,
                         int only_stale)
{
    xmlNodePtr node = root;
    const unsigned long edits = ex->edits;
    xmlNodePtr above = root->parent;
    const ex_info *root_up =
        above != NULL && above->type == XML_ELEMENT_NODE ? ex_info_of(ex, above) : NULL;
    int recount = enter(ex, node, root_up, only_stale) != NULL || !only_stale;
    ex_info *up = NULL; /* the record of node's parent, below root */
    for (;;) {
        if (recount && node->type == XML_ELEMENT_NODE && node->children != NULL) {
            up = ex_info_of(ex, node);
            node = node->children;
            recount = enter(ex, node, up, only_stale) != NULL || !only_stale;
            continue;
        }
        for (;;) {
            xmlNodePtr next = node->next, parent = node->parent;
            const int element = node->type == XML_ELEMENT_NODE;
            if (node == root) {
                if (recount && element)
                    finish(ex, node);
                /* a callback that edited more than its own node leaves
                 * figures behind that the next walk must redo */
                ex->exact = ex->edits == edits;
                ex->exact_edits = ex->edits;
                return;
            }
            if (element) {
                ex_info *info = recount ? finish(ex, node) : ex_info_of(ex, node);
                if (on_exit != NULL && on_exit(ex, node, arg))
                    ex_discard(ex, node);
                else
                    add_child(&up->st, node, info);
            } else if (ex_is_text(node)) {
                add_text(&up->st, &ex_text_of(ex, node)->fig);
            }
            if (next != NULL) {
                node = next;
                recount = enter(ex, node, up, only_stale) != NULL || !only_stale;
                break;
            }
            node = parent;
            recount = 1; /* a parent left is one that was entered */
            up = node != root ? ex_info_of(ex, node->parent) : NULL;
        }
    }
}

/* The walk of a whole page, without callback, apart: with the mode known
 * the compiler drops the tests that only the other walks need. */
static void count_all(ex_ctx *ex, xmlNodePtr root)
{
    count(ex, root, NULL, NULL, 0);
}

void ex_stats_walk(ex_ctx *ex, xmlNodePtr root, ex_exit_fn on_exit, void *arg)
{
    memset(ex->present, 0, sizeof ex->present);
    if (on_exit == NULL)
        count_all(ex, root);
    else
        count(ex, root, on_exit, arg, 0);
}

void ex_stats_walk_page(ex_ctx *ex, xmlNodePtr page)
{
    if (ex->logging && ex->first_walk != NULL && ex->n_info == 0) {
        /* the records go back where they were, where their nodes point */
        for (size_t i = 0; i < ex->n_first_walk; i += EX_INFO_BLOCK) {
            const size_t n = ex->n_first_walk - i < EX_INFO_BLOCK ? ex->n_first_walk - i
                                                                  : EX_INFO_BLOCK;
            memcpy(ex->blocks[i / EX_INFO_BLOCK], ex->first_walk + i, n * sizeof(ex_info));
        }
        ex->n_info = ex->n_first_walk;
        memcpy(ex->present, ex->first_walk_present, sizeof ex->present);
        ex->exact = 1;
        ex->exact_edits = ex->edits;
        return;
    }
    ex_stats_walk(ex, page, NULL, NULL);
    /* Most pages take one attempt: the records are kept once a second one
     * shows that more may follow. */
    if (!ex->logging || ex->page_walks++ == 0 || ex->first_walk != NULL || ex->nomem ||
        ex->n_info == 0)
        return;
    /* only a saving: without the memory, the next attempt counts again */
    ex->first_walk = malloc(ex->n_info * sizeof(ex_info));
    if (ex->first_walk == NULL)
        return;
    ex->n_first_walk = ex->n_info;
    for (size_t i = 0; i < ex->n_info; i += EX_INFO_BLOCK) {
        const size_t n = ex->n_info - i < EX_INFO_BLOCK ? ex->n_info - i : EX_INFO_BLOCK;
        memcpy(ex->first_walk + i, ex->blocks[i / EX_INFO_BLOCK], n * sizeof(ex_info));
    }
    memcpy(ex->first_walk_present, ex->present, sizeof ex->present);
}

void ex_stats_forget_page(ex_ctx *ex)
{
    free(ex->first_walk);
    ex->first_walk = NULL;
    ex->n_first_walk = 0;
}

/* present[] is not cleared: the tags of the subtrees not entered are in
 * it from the full walk (and every tag given since). */
void ex_stats_update(ex_ctx *ex, xmlNodePtr root)
{
    count(ex, root, NULL, NULL, 1);
}

/* An element's figures from its children's as they stand. */
static void recount(ex_ctx *ex, xmlNodePtr node, ex_info *info)
{
    info->st = zero_stats;
    for (xmlNodePtr c = node->children; c != NULL; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            add_child(&info->st, c, ex_info_of(ex, c));
        else if (ex_is_text(c))
            add_text(&info->st, &ex_text_of(ex, c)->fig);
    }
    finish(ex, node);
    info->stale = 0;
}

/* Every element is visited as ex_stats_walk visits it, on the way down
 * (what it sits in) and up (the callback), but only the stale ones are
 * counted again, from their children, when left: a removal makes the
 * parent stale before the parent is left. A callback that makes its own
 * node stale (an attribute set, a table found to hold data) changes what
 * the next count finds, as in ex_stats_walk, not this one: the node is
 * marked again once this count has cleared its ancestors. */
void ex_stats_revisit(ex_ctx *ex, xmlNodePtr root, ex_exit_fn on_exit, void *arg)
{
    const unsigned long edits = ex->edits;
    ex_vec again = {0};
    memset(ex->present, 0, sizeof ex->present);
    xmlNodePtr node = root;
    xmlNodePtr above = root->parent;
    enter_only(ex, node,
               above != NULL && above->type == XML_ELEMENT_NODE ? ex_info_of(ex, above) : NULL);
    for (;;) {
        if (node->type == XML_ELEMENT_NODE && node->children != NULL) {
            const ex_info *up = ex_info_of(ex, node);
            node = node->children;
            enter_only(ex, node, up);
            continue;
        }
        for (;;) {
            xmlNodePtr next = node->next, parent = node->parent;
            const int element = node->type == XML_ELEMENT_NODE;
            if (element) {
                ex_info *info = ex_info_of(ex, node);
                if (info->stale)
                    recount(ex, node, info);
            }
            if (node == root) {
                ex->exact = ex->edits == edits;
                ex->exact_edits = ex->edits;
                for (size_t i = 0; i < again.n; i++)
                    ex_mark_stale(ex, again.v[i]);
                ex_vec_free(&again);
                return;
            }
            if (element && on_exit != NULL) {
                if (on_exit(ex, node, arg))
                    ex_discard(ex, node);
                else if (ex_info_of(ex, node)->stale)
                    ex_vec_push(ex, &again, node);
            }
            if (next != NULL) {
                node = next;
                enter_only(ex, node, ex_info_of(ex, parent));
                break;
            }
            node = parent;
        }
    }
}

/* The first element among node and its next siblings. */
static inline xmlNodePtr element_from(xmlNodePtr node)
{
    while (node != NULL && node->type != XML_ELEMENT_NODE)
        node = node->next;
    return node;
}

/* What ex_stats_revisit's way down sets, for one element. */
static inline void enter_element(ex_ctx *ex, ex_info *info, const ex_info *up)
{
    ex_mark_present(ex, info->tag);
    info->in_data_table =
        up != NULL && (up->in_data_table || (up->tag == EX_TAG_TABLE && up->data_table));
}

/* ex_stats_revisit when the callback acts on the elements of one tag
 * only. Its figures are those ex_stats_revisit would give it, because an
 * element that is not stale has current figures and a stale one is
 * counted again, only where stale, before it is judged. So the nodes of the
 * tag are judged in the same order, on the same figures, and most of the
 * page is only passed over on the way to them. */
void ex_stats_revisit_tag(ex_ctx *ex, xmlNodePtr root, ex_tag tag, ex_exit_fn on_exit,
                          void *arg)
{
    const unsigned long edits = ex->edits;
    ex_vec judged = {0}, again = {0};
    memset(ex->present, 0, sizeof ex->present);
    /* elements only, in post-order: each is entered below its parent's
     * record, and those of the tag listed as they are left */
    xmlNodePtr above = root->parent;
    xmlNodePtr node = root;
    ex_info *info = ex_info_of(ex, node);
    enter_element(ex, info,
                  above != NULL && above->type == XML_ELEMENT_NODE ? ex_info_of(ex, above) : NULL);
    for (;;) {
        xmlNodePtr child = element_from(node->children);
        if (child != NULL) {
            const ex_info *up = info;
            node = child;
            info = ex_info_of(ex, node);
            enter_element(ex, info, up);
            continue;
        }
        for (;;) {
            if (node == root)
                goto judge;
            if (info->tag == tag)
                ex_vec_push(ex, &judged, node);
            xmlNodePtr next = element_from(node->next);
            if (next != NULL) {
                node = next;
                info = ex_info_of(ex, node);
                enter_element(ex, info, ex_info_of(ex, node->parent));
                break;
            }
            node = node->parent;
            info = ex_info_of(ex, node);
        }
    }
judge:
    for (size_t i = 0; i < judged.n && !ex->nomem; i++) {
        xmlNodePtr n = judged.v[i];
        if (ex_info_of(ex, n)->stale)
            ex_stats_update(ex, n);
        if (on_exit(ex, n, arg))
            ex_discard(ex, n);
        else if (ex_info_of(ex, n)->stale)
            ex_vec_push(ex, &again, n);
    }
    ex_stats_update(ex, root);
    ex->exact = ex->edits == edits;
    ex->exact_edits = ex->edits;
    for (size_t i = 0; i < again.n; i++)
        ex_mark_stale(ex, again.v[i]);
    ex_vec_free(&judged);
    ex_vec_free(&again);
}

uint32_t ex_len(ex_ctx *ex, xmlNodePtr node)
{
    return ex_shape_len(ex_info_of(ex, node)->st.shape);
}

double ex_link_density(ex_ctx *ex, xmlNodePtr node)
{
    const ex_info *info = ex_info_of(ex, node);
    uint32_t len = ex_shape_len(info->st.shape);
    return len == 0 ? 0.0 : info->st.link_len / len;
}

int ex_figures_exact(const ex_ctx *ex)
{
    return ex->exact && ex->edits == ex->exact_edits;
}
