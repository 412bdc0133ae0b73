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
 * still see every element). Both leave the figures a full walk would.
 */
#include <stdlib.h>
#include <string.h>

#include "extract_internal.h"

/* Only elements need anything on the way down: text is measured once,
 * and only elements are ever judged by what they sit in. up: the record of
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
    memset(&info->st, 0, sizeof info->st);
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

static inline void add_child(ex_stats *st, xmlNodePtr c, const ex_info *ci)
{
    const ex_stats *cs = &ci->st;
    ex_shape_append(&st->shape, &cs->shape);
    st->raw_len += cs->raw_len;
    st->commas += cs->commas;
    st->ascii_commas += cs->ascii_commas;
    if (c->type != XML_ELEMENT_NODE)
        return;

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
    st->video |= cs->video;
    st->video_attr |= cs->video_attr;
    st->has_block |= cs->has_block;
    st->has_data_table |= cs->has_data_table;
    st->has_datay |= cs->has_datay;
    st->has_table |= cs->has_table;
    st->has_caption |= cs->has_caption;

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
    st->video |= cs->self_video;
    st->has_block |= (k & EX_TC_BLOCK) != 0;
    st->has_datay |= (k & EX_TC_DATAY) != 0;
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
        st->has_table = 1;
        st->has_data_table |= ci->data_table;
        break;
    case EX_TAG_CAPTION: st->has_caption |= c->children != NULL; break;
    case EX_TAG_TR:
        st->rows += ci->span;
        cols = cs->td_cols;
        break;
    case EX_TAG_TD: st->td_cols += ci->span; break;
    default: break;
    }
    if (cols > st->max_cols)
        st->max_cols = cols;
    if (cs->max_cols > st->max_cols)
        st->max_cols = cs->max_cols;
}

/* A node's own figures once its children are counted: a text's are
 * measured (once an attempt: text is never edited), an element's get what
 * its own attributes say. Returns the node's record. */
static ex_info *finish(ex_ctx *ex, xmlNodePtr node)
{
    ex_info *info = ex_info_of(ex, node);
    if (ex_is_text(node)) {
        if (!info->measured) {
            memset(&info->st, 0, sizeof info->st);
            if (node->content != NULL)
                ex_text_measure((const char *)node->content,
                                strlen((const char *)node->content), &info->st);
            info->measured = 1;
        }
        return info;
    }
    /* Only embeds and unknown elements (param, source, video...) can name a
     * video host that matters; skipping the rest keeps the walk cheap. */
    unsigned k = ex_tag_class(info->tag);
    if ((k & EX_TC_EMBED) || info->tag == EX_TAG_OTHER) {
        ex_stats *st = &info->st;
        int own = attrs_name_video(node);
        st->video_attr |= (uint8_t)own;
        if (k & EX_TC_EMBED)
            st->self_video = (uint8_t)(own || (info->tag == EX_TAG_OBJECT && st->video_attr));
    }
    return info;
}

/* Each element's figures start from zero on the way down and take in each
 * child as the child is left (and kept), so no list of children is read
 * twice. What a parent counts is what a second pass over its children
 * after the walk would count: a callback edits nothing but its own node.
 * With only_stale, an element that is not stale keeps its figures and is
 * not entered: it counts as it stands. */
static void count(ex_ctx *ex, xmlNodePtr root, ex_exit_fn on_exit, void *arg, int only_stale)
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
                if (recount && (element || ex_is_text(node)))
                    finish(ex, node);
                /* a callback that edited more than its own node leaves
                 * figures behind that the next walk must redo */
                ex->exact = ex->edits == edits;
                ex->exact_edits = ex->edits;
                return;
            }
            if (element || ex_is_text(node)) {
                /* a text's figures are kept once measured: finish is cheap */
                ex_info *info = recount || !element ? finish(ex, node) : ex_info_of(ex, node);
                if (element && on_exit != NULL && on_exit(ex, node, arg))
                    ex_discard(ex, node);
                else
                    add_child(&up->st, node, info);
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

void ex_stats_walk(ex_ctx *ex, xmlNodePtr root, ex_exit_fn on_exit, void *arg)
{
    memset(ex->present, 0, sizeof ex->present);
    count(ex, root, on_exit, arg, 0);
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
    memset(&info->st, 0, sizeof info->st);
    for (xmlNodePtr c = node->children; c != NULL; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            add_child(&info->st, c, ex_info_of(ex, c));
        else if (ex_is_text(c))
            add_child(&info->st, c, finish(ex, c));
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
