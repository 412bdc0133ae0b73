/*
 * extract_score.c — finding the article: drop hidden, unlikely and empty
 * nodes, turn text-only <div>s into paragraphs, score every paragraph's
 * ancestors by the paragraph's length and commas, pick the best container
 * (scaled by link density), then gather its related siblings.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_internal.h"

#define N_TOP 5

/* ------------------------------------------------------------ node prepping */

static int is_unlikely_role(xmlNodePtr node)
{
    static const char *const roles[] = {"menu", "menubar", "complementary", "navigation",
                                        "alert", "alertdialog", "dialog", NULL};
    char buf[64];
    const char *role = ex_attr(node, "role", buf, sizeof buf);
    if (role == NULL)
        return 0;
    for (size_t i = 0; roles[i] != NULL; i++)
        if (strcmp(role, roles[i]) == 0)
            return 1;
    return 0;
}

static int is_modal_dialog(xmlNodePtr node)
{
    char a[16], b[16];
    const char *modal = ex_attr(node, "aria-modal", a, sizeof a);
    const char *role = ex_attr(node, "role", b, sizeof b);
    return modal != NULL && role != NULL && strcmp(modal, "true") == 0 &&
           strcmp(role, "dialog") == 0;
}

/* initials: ex_attr_initials of node; hints: ex_node_hints of it. */
static int is_byline(ex_ctx *ex, xmlNodePtr node, uint32_t initials, unsigned hints)
{
    if (ex->byline_found || ex->has_meta_byline)
        return 0;
    char buf[256];
    const char *rel = initials & EX_INITIAL('r') ? ex_attr(node, "rel", buf, sizeof buf) : NULL;
    int hinted = rel != NULL && strcmp(rel, "author") == 0;
    if (!hinted && (initials & EX_INITIAL('i'))) {
        const char *itemprop = ex_attr(node, "itemprop", buf, sizeof buf);
        hinted = itemprop != NULL && strstr(itemprop, "author") != NULL;
    }
    if (!hinted)
        hinted = (hints & EX_HINT_BYLINE) != 0;
    if (!hinted)
        return 0;
    uint32_t len = ex_len(ex, node);
    if (len == 0 || len >= 100)
        return 0;
    ex->byline_found = 1;
    return 1;
}

static int heading_repeats_title(ex_ctx *ex, xmlNodePtr node, ex_tag tag)
{
    if ((tag != EX_TAG_H1 && tag != EX_TAG_H2) || ex->title == NULL)
        return 0;
    char buf[2048];
    if (!ex_gather_text(node, buf, sizeof buf, 256))
        return 0;
    return ex_text_similarity(ex->title, buf) > 0.75;
}

static int is_without_content(ex_ctx *ex, xmlNodePtr node)
{
    const ex_stats *st = &ex_info_of(ex, node)->st;
    if (ex_shape_len(st->shape) != 0)
        return 0;
    return st->n_elem_children == 0 || st->n_elem_children == st->n_br_hr;
}

/* Wraps runs of phrasing content of a <div> into <p>s. Returns whether any
 * paragraph was made (the div then has block children). */
static int wrap_phrasing(ex_ctx *ex, xmlNodePtr div)
{
    int made = 0;
    xmlNodePtr p = NULL;
    xmlNodePtr child = div->children;
    while (child != NULL) {
        xmlNodePtr next = child->next;
        if (ex_is_phrasing(ex, child)) {
            if (p != NULL) {
                ex_unlink(ex, child);
                ex_append_child(ex, p, child);
            } else if (!ex_is_whitespace_node(ex, child)) {
                p = ex_new_element(ex, "p");
                if (p == NULL)
                    return made;
                made = 1;
                ex_insert_before(ex, child, p);
                ex_unlink(ex, child);
                ex_append_child(ex, p, child);
            }
        } else if (p != NULL) {
            while (p->last != NULL && ex_is_whitespace_node(ex, p->last))
                ex_remove(ex, p->last);
            p = NULL;
        }
        child = next;
    }
    return made;
}

/* The first pass of _grabArticle: removes clutter and collects the nodes
 * whose text gets scored. */
static void prep_nodes(ex_ctx *ex, xmlNodePtr page, ex_vec *to_score)
{
    int strip = (ex->flags & EX_FLAG_STRIP_UNLIKELYS) != 0;
    int title_heading_pending = 1;

    /* Subtree figures are read on entry to a node, before anything below it
     * has changed, so one walk up front serves the whole pass. */
    ex_stats_walk_page(ex, page);

    xmlNodePtr node = ex_next_element(page, 0, page);
    while (node != NULL && !ex->nomem) {
        ex_tag tag = ex_tag_of(ex, node);
        /* Most elements have few attributes: the tests that need an
         * attribute the node lacks are skipped. */
        const uint32_t initials = ex_attr_initials(node);
        const unsigned hints = ex_node_hints(ex, node);
        int drop = !ex_is_visible(node, initials) ||
                   ((initials & EX_INITIAL('a')) && (initials & EX_INITIAL('r')) &&
                    is_modal_dialog(node)) ||
                   is_byline(ex, node, initials, hints);
        if (!drop && title_heading_pending && heading_repeats_title(ex, node, tag)) {
            title_heading_pending = 0;
            drop = 1;
        }
        if (!drop && strip) {
            drop = (hints & EX_HINT_UNLIKELY) && !(hints & EX_HINT_MAYBE) &&
                   !ex_has_ancestor(ex, node, EX_TAG_TABLE, 3) &&
                   !ex_has_ancestor(ex, node, EX_TAG_CODE, 3) && tag != EX_TAG_BODY &&
                   tag != EX_TAG_A;
            drop = drop || ((initials & EX_INITIAL('r')) && is_unlikely_role(node));
        }
        if (!drop && (tag == EX_TAG_DIV || tag == EX_TAG_SECTION || tag == EX_TAG_HEADER ||
                      (ex_tag_class(tag) & EX_TC_HEADING)))
            drop = is_without_content(ex, node);
        if (drop) {
            xmlNodePtr next = ex_next_element(node, 1, page);
            ex_remove(ex, node);
            node = next;
            continue;
        }

        if (ex_tag_class(tag) & EX_TC_SCORED)
            ex_vec_push(ex, to_score, node);

        if (tag == EX_TAG_DIV) {
            int made_paragraphs = wrap_phrasing(ex, node);
            xmlNodePtr p = ex_single_child_with_tag(ex, node, EX_TAG_P);
            if (p != NULL && ex_link_density(ex, node) < 0.25) {
                ex_unlink(ex, p);
                ex_insert_before(ex, node, p);
                ex_remove(ex, node);
                node = p;
                ex_vec_push(ex, to_score, node);
            } else if (!made_paragraphs && !(ex_info_of(ex, node)->st.flags & EX_ST_BLOCK)) {
                ex_set_tag(ex, node, EX_TAG_P, "p");
                ex_vec_push(ex, to_score, node);
            }
        }
        node = ex_next_element(node, 0, page);
    }
}

/* ------------------------------------------------------------ scoring */

static int is_element(const xmlNode *node)
{
    return node != NULL && node->type == XML_ELEMENT_NODE;
}

static void initialize(ex_ctx *ex, xmlNodePtr node)
{
    ex_info *info = ex_info_of(ex, node);
    double score = 0;
    switch (info->tag) {
    case EX_TAG_DIV:
        score = 5;
        break;
    case EX_TAG_PRE: case EX_TAG_TD: case EX_TAG_BLOCKQUOTE:
        score = 3;
        break;
    case EX_TAG_ADDRESS: case EX_TAG_OL: case EX_TAG_UL: case EX_TAG_DL: case EX_TAG_DD:
    case EX_TAG_DT: case EX_TAG_LI: case EX_TAG_FORM:
        score = -3;
        break;
    case EX_TAG_H1: case EX_TAG_H2: case EX_TAG_H3: case EX_TAG_H4: case EX_TAG_H5:
    case EX_TAG_H6: case EX_TAG_TH:
        score = -5;
        break;
    default:
        break;
    }
    info->score = score + ex_class_weight(ex, node);
    info->scored = 1;
}

static void score_paragraphs(ex_ctx *ex, const ex_vec *to_score, ex_vec *candidates)
{
    for (size_t i = 0; i < to_score->n && !ex->nomem; i++) {
        xmlNodePtr node = to_score->v[i];
        if (!is_element(node->parent))
            continue;
        const ex_stats *st = &ex_info_of(ex, node)->st;
        uint32_t len = ex_shape_len(st->shape);
        if (len < 25)
            continue;
        double score = 1.0 + (st->commas + 1) + (len / 100 < 3 ? len / 100 : 3);
        xmlNodePtr anc = node->parent;
        for (int level = 0; level < 5 && is_element(anc); level++, anc = anc->parent) {
            if (!is_element(anc->parent))
                continue;
            ex_info *info = ex_info_of(ex, anc);
            if (!info->scored) {
                initialize(ex, anc);
                ex_vec_push(ex, candidates, anc);
            }
            double divider = level == 0 ? 1 : level == 1 ? 2 : level * 3;
            info->score += score / divider;
        }
    }
}

static double score_of(ex_ctx *ex, xmlNodePtr node)
{
    return ex_info_of(ex, node)->score;
}

/* Runner-up candidates close to the best one: when three of them share an
 * ancestor with it, that ancestor is the real container. */
static xmlNodePtr prefer_shared_ancestor(ex_ctx *ex, xmlNodePtr top, xmlNodePtr *best, size_t n,
                                         xmlNodePtr page)
{
    size_t close = 0;
    double top_score = score_of(ex, top);
    for (size_t i = 1; i < n && top_score != 0; i++) {
        if (score_of(ex, best[i]) / top_score >= 0.75) {
            close++;
            for (xmlNodePtr a = best[i]->parent; is_element(a); a = a->parent)
                ex_info_of(ex, a)->alt_hits++;
        }
    }
    if (close < 3)
        return top;
    for (xmlNodePtr p = top->parent; is_element(p) && p != page; p = p->parent)
        if (ex_info_of(ex, p)->alt_hits >= 3)
            return p;
    return top;
}

/* The element the markup names as the article: the first itemprop=
 * articleBody, else the only <article>, else the only <main>; it must hold
 * some text. Used when scoring finds no container. */
static xmlNodePtr semantic_container(ex_ctx *ex, xmlNodePtr page)
{
    xmlNodePtr article = NULL, main_el = NULL;
    size_t n_article = 0, n_main = 0;
    char buf[128];
    for (xmlNodePtr node = ex_next_element(page, 0, page); node != NULL;
         node = ex_next_element(node, 0, page)) {
        if (ex_len(ex, node) == 0)
            continue;
        const char *itemprop = ex_attr(node, "itemprop", buf, sizeof buf);
        if (itemprop != NULL && strstr(itemprop, "articleBody") != NULL)
            return node;
        ex_tag tag = ex_tag_of(ex, node);
        if (tag == EX_TAG_ARTICLE && n_article++ == 0)
            article = node;
        else if (tag == EX_TAG_MAIN && n_main++ == 0)
            main_el = node;
    }
    if (n_article == 1)
        return article;
    return n_main == 1 ? main_el : NULL;
}

static xmlNodePtr pick_top(ex_ctx *ex, xmlNodePtr page, const ex_vec *candidates)
{
    xmlNodePtr best[N_TOP];
    size_t n = 0;
    for (size_t c = 0; c < candidates->n; c++) {
        xmlNodePtr cand = candidates->v[c];
        ex_info *info = ex_info_of(ex, cand);
        info->score *= 1.0 - ex_link_density(ex, cand);
        for (size_t t = 0; t < N_TOP; t++) {
            if (t >= n || info->score > score_of(ex, best[t])) {
                size_t last = n < N_TOP ? n : N_TOP - 1;
                memmove(best + t + 1, best + t, (last - t) * sizeof *best);
                best[t] = cand;
                if (n < N_TOP)
                    n++;
                break;
            }
        }
    }

    if (n == 0 || best[0] == page || ex_tag_of(ex, best[0]) == EX_TAG_BODY) {
        /* No container stands out: markup naming the article decides, or
         * else the whole page it is. */
        xmlNodePtr named = semantic_container(ex, page);
        if (named != NULL) {
            if (!ex_info_of(ex, named)->scored)
                initialize(ex, named);
            return named;
        }
        xmlNodePtr div = ex_new_element(ex, "div");
        if (div == NULL)
            return NULL;
        while (page->children != NULL) {
            xmlNodePtr c = page->children;
            ex_unlink(ex, c);
            ex_append_child(ex, div, c);
        }
        ex_append_child(ex, page, div);
        initialize(ex, div);
        return div;
    }

    xmlNodePtr top = prefer_shared_ancestor(ex, best[0], best, n, page);
    if (!ex_info_of(ex, top)->scored)
        initialize(ex, top);

    /* A parent scoring higher than the candidate on the way up (before the
     * scores fall below a third) holds more of the article. */
    double last = score_of(ex, top);
    double threshold = last / 3;
    for (xmlNodePtr p = top->parent; is_element(p) && p != page; p = p->parent) {
        const ex_info *info = ex_info_of(ex, p);
        if (!info->scored)
            continue;
        if (info->score < threshold)
            break;
        if (info->score > last) {
            top = p;
            break;
        }
        last = info->score;
    }

    /* An only child: its parent's siblings may hold the rest. */
    while (is_element(top->parent) && top->parent != page &&
           ex_tag_of(ex, top->parent) != EX_TAG_BODY && ex_element_children(top->parent) == 1)
        top = top->parent;
    if (!ex_info_of(ex, top)->scored)
        initialize(ex, top);
    return top;
}

/* ------------------------------------------------------------ siblings */

/* /\.( |$)/ on the normalised inner text. */
static int has_sentence_end(xmlNodePtr node)
{
    char buf[1024];
    if (!ex_gather_text(node, buf, sizeof buf, 256))
        return 0;
    size_t len = strlen(buf);
    while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\n' || buf[len - 1] == '\t' ||
                       buf[len - 1] == '\r'))
        len--;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != '.')
            continue;
        if (i + 1 == len || buf[i + 1] == ' ')
            return 1;
        /* a run of two or more whitespace characters normalises to a space */
        if (i + 2 < len && (buf[i + 1] == '\n' || buf[i + 1] == '\t' || buf[i + 1] == '\r') &&
            (buf[i + 2] == ' ' || buf[i + 2] == '\n' || buf[i + 2] == '\t' || buf[i + 2] == '\r'))
            return 1;
    }
    return 0;
}

static int same_class(xmlNodePtr a, xmlNodePtr b)
{
    char ca[512], cb[512];
    const char *x = ex_attr(a, "class", ca, sizeof ca);
    const char *y = ex_attr(b, "class", cb, sizeof cb);
    if (y == NULL || *y == '\0')
        return 0;
    return x != NULL && strcmp(x, y) == 0;
}

static int sibling_belongs(ex_ctx *ex, xmlNodePtr sibling, xmlNodePtr top, double threshold)
{
    if (sibling == top)
        return 1;
    const ex_info *info = ex_info_of(ex, sibling);
    double bonus = same_class(sibling, top) ? score_of(ex, top) * 0.2 : 0;
    if (info->scored && info->score + bonus >= threshold)
        return 1;
    if (info->tag != EX_TAG_P)
        return 0;
    double density = ex_link_density(ex, sibling);
    uint32_t len = ex_len(ex, sibling);
    if (len > 80 && density < 0.25)
        return 1;
    return len < 80 && len > 0 && density == 0 && has_sentence_end(sibling);
}

static xmlNodePtr gather_article(ex_ctx *ex, xmlNodePtr top)
{
    xmlNodePtr article = ex_new_element(ex, "div");
    if (article == NULL)
        return NULL;
    double threshold = score_of(ex, top) * 0.2;
    if (threshold < 10)
        threshold = 10;
    xmlNodePtr parent = top->parent;
    xmlNodePtr sibling = parent->children;
    while (sibling != NULL) {
        xmlNodePtr next = sibling->next;
        if (sibling->type == XML_ELEMENT_NODE && sibling_belongs(ex, sibling, top, threshold)) {
            ex_tag tag = ex_tag_of(ex, sibling);
            if (tag != EX_TAG_DIV && tag != EX_TAG_ARTICLE && tag != EX_TAG_SECTION &&
                tag != EX_TAG_P)
                ex_set_tag(ex, sibling, EX_TAG_DIV, "div");
            ex_unlink(ex, sibling);
            ex_append_child(ex, article, sibling);
        }
        sibling = next;
    }
    return article;
}

xmlNodePtr ex_grab_article(ex_ctx *ex, xmlNodePtr page)
{
    ex_vec to_score = {0}, candidates = {0};
    xmlNodePtr article = NULL;

    prep_nodes(ex, page, &to_score);
    if (ex->nomem)
        goto done;
    ex_stats_update(ex, page);
    score_paragraphs(ex, &to_score, &candidates);
    if (ex->nomem)
        goto done;
    xmlNodePtr top = pick_top(ex, page, &candidates);
    if (top == NULL)
        goto done;
    article = gather_article(ex, top);
done:
    ex_vec_free(&to_score);
    ex_vec_free(&candidates);
    return article;
}
