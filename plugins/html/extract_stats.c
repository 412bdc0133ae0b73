/*
 * extract_stats.c — one post-order walk computes every figure the
 * heuristics need (text lengths, link text, commas, tag counts, table size)
 * from the children's figures, so no node's subtree is ever read twice.
 * A callback may remove a node once its figures are known; its parent is
 * finished afterwards and only counts the children that stayed.
 */
#include <stdlib.h>
#include <string.h>

#include "extract_internal.h"

/* Only elements need anything on the way down: text is measured once,
 * and only elements are ever judged by what they sit in. */
static inline void enter(ex_ctx *ex, xmlNodePtr node)
{
    if (node->type != XML_ELEMENT_NODE)
        return;
    ex_info *info = ex_info_of(ex, node);
    xmlNodePtr parent = node->parent;
    info->in_data_table = 0;
    ex_mark_present(ex, info->tag);
    if (parent != NULL && parent->type == XML_ELEMENT_NODE) {
        const ex_info *pi = ex_info_of(ex, parent);
        info->in_data_table = pi->in_data_table || (pi->tag == EX_TAG_TABLE && pi->data_table);
    }
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
    st->shape = ex_shape_concat(st->shape, cs->shape);
    st->raw_len += cs->raw_len;
    st->commas += cs->commas;
    st->ascii_commas += cs->ascii_commas;
    if (c->type != XML_ELEMENT_NODE)
        return;

    ex_tag t = ci->tag;
    unsigned k = ex_tag_class(t);
    uint32_t clen = ex_shape_len(cs->shape);
    st->link_len += cs->link_len + (t == EX_TAG_A ? clen * (ci->fragment_link ? 0.3 : 1.0) : 0.0);
    st->heading_len += cs->heading_len + ((k & EX_TC_HEADING) ? clen : 0);
    st->textish_len += cs->textish_len + ((k & EX_TC_TEXTISH) ? clen : 0);
    st->list_len += cs->list_len + ((k & EX_TC_LIST) ? clen : 0);
    st->n_p += cs->n_p + (t == EX_TAG_P);
    st->n_img += cs->n_img + (t == EX_TAG_IMG);
    st->n_li += cs->n_li + (t == EX_TAG_LI);
    st->n_input += cs->n_input + (t == EX_TAG_INPUT);
    st->n_media += cs->n_media + (t == EX_TAG_IMG || (k & EX_TC_EMBED));
    st->n_br_hr += cs->n_br_hr + (t == EX_TAG_BR || t == EX_TAG_HR);
    st->n_elem_children++;
    st->n_embed += cs->n_embed + ((k & EX_TC_EMBED) && !cs->self_video);
    st->video |= cs->video | cs->self_video;
    st->video_attr |= cs->video_attr;
    st->has_block |= cs->has_block | ((k & EX_TC_BLOCK) != 0);
    st->has_data_table |= cs->has_data_table | (t == EX_TAG_TABLE && ci->data_table);
    st->has_datay |= cs->has_datay | ((k & EX_TC_DATAY) != 0);
    st->has_table |= cs->has_table | (t == EX_TAG_TABLE);
    st->has_caption |= cs->has_caption | (t == EX_TAG_CAPTION && c->children != NULL);
    st->rows += cs->rows + (t == EX_TAG_TR ? ci->span : 0);
    uint32_t cols = t == EX_TAG_TR ? cs->td_cols : cs->max_cols;
    if (cols > st->max_cols)
        st->max_cols = cols;
    if (cs->max_cols > st->max_cols)
        st->max_cols = cs->max_cols;
    st->td_cols += cs->td_cols + (t == EX_TAG_TD ? ci->span : 0);
}

static void finish(ex_ctx *ex, xmlNodePtr node)
{
    ex_info *info = ex_info_of(ex, node);
    ex_stats st;
    if (ex_is_text(node)) {
        /* text is never edited, so its figures hold for the whole attempt */
        if (!info->measured) {
            memset(&st, 0, sizeof st);
            if (node->content != NULL)
                ex_text_measure((const char *)node->content, strlen((const char *)node->content),
                                &st);
            info->st = st;
            info->measured = 1;
        }
        return;
    }
    memset(&st, 0, sizeof st);
    if (node->type != XML_ELEMENT_NODE) {
        info->st = st;
        return;
    }
    for (xmlNodePtr c = node->children; c != NULL; c = c->next) {
        if (c->type == XML_ELEMENT_NODE || ex_is_text(c))
            add_child(&st, c, ex_info_of(ex, c));
    }
    /* Only embeds and unknown elements (param, source, video...) can name a
     * video host that matters; skipping the rest keeps the walk cheap. */
    unsigned k = ex_tag_class(info->tag);
    if ((k & EX_TC_EMBED) || info->tag == EX_TAG_OTHER) {
        int own = attrs_name_video(node);
        st.video_attr |= (uint8_t)own;
        if (k & EX_TC_EMBED)
            st.self_video = (uint8_t)(own || (info->tag == EX_TAG_OBJECT && st.video_attr));
    }
    info->st = st;
}

void ex_stats_walk(ex_ctx *ex, xmlNodePtr root, ex_exit_fn on_exit, void *arg)
{
    xmlNodePtr node = root;
    const unsigned long edits = ex->edits;
    memset(ex->present, 0, sizeof ex->present);
    enter(ex, node);
    for (;;) {
        if (node->type == XML_ELEMENT_NODE && node->children != NULL) {
            node = node->children;
            enter(ex, node);
            continue;
        }
        for (;;) {
            xmlNodePtr next = node->next, parent = node->parent;
            finish(ex, node);
            if (node == root) {
                /* a callback that edited more than its own node leaves
                 * figures behind that the next walk must redo */
                ex->exact = ex->edits == edits;
                ex->exact_edits = ex->edits;
                return;
            }
            if (on_exit != NULL && node->type == XML_ELEMENT_NODE && on_exit(ex, node, arg))
                ex_discard(ex, node);
            if (next != NULL) {
                node = next;
                enter(ex, node);
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
