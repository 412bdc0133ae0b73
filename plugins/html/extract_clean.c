/*
 * extract_clean.c — tidying the gathered article: forms, embeds, asides,
 * share bars and buttons go unconditionally; tables, lists and divs go when
 * they look like clutter (few commas, many links, images without text,
 * inputs, lone embeds). Data tables and what they hold are kept.
 *
 * Each step is one post-order walk: a node is judged after its children,
 * with figures that only count the children that survived, which is what
 * Readability's reverse document order gives.
 */
#include <string.h>
#include <strings.h>

#include "extract_internal.h"

/* ------------------------------------------------------------ data tables */

/* Whether the table holds data (rather than positioning content). */
static int is_data_table(xmlNodePtr table, const ex_stats *st)
{
    char buf[64];
    const char *v;
    if ((v = ex_attr(table, "role", buf, sizeof buf)) != NULL && strcmp(v, "presentation") == 0)
        return 0;
    if ((v = ex_attr(table, "datatable", buf, sizeof buf)) != NULL && strcmp(v, "0") == 0)
        return 0;
    if ((v = ex_attr(table, "summary", buf, sizeof buf)) != NULL && *v != '\0')
        return 1;
    if (st->flags & (EX_ST_CAPTION | EX_ST_DATAY))
        return 1;
    if (st->flags & EX_ST_TABLE)
        return 0;
    if (st->max_cols == 1 || st->rows == 1)
        return 0;
    if (st->rows >= 10 || st->max_cols > 4)
        return 1;
    return (uint64_t)st->rows * st->max_cols > 10;
}

static void mark_table(ex_ctx *ex, xmlNodePtr table)
{
    ex_info *info = ex_info_of(ex, table);
    const uint8_t was = info->data_table;
    info->data_table = (uint8_t)is_data_table(table, &info->st);
    /* the tables above count the data tables below them */
    if (info->data_table != was)
        ex_mark_stale(ex, table);
}

/* ------------------------------------------------------------ lazy images */

static const char *attr_text(xmlAttrPtr a)
{
    return a->children != NULL && a->children->content != NULL ? (const char *)a->children->content
                                                                : "";
}

static int is_image_ext(const char *p)
{
    static const char *const exts[] = {"jpg", "jpeg", "png", "webp", NULL};
    for (size_t i = 0; exts[i] != NULL; i++)
        if (strncasecmp(p, exts[i], strlen(exts[i])) == 0)
            return (int)strlen(exts[i]);
    return 0;
}

/* /\.(jpg|jpeg|png|webp)\s+\d/ : a srcset-like list */
static int looks_like_srcset(const char *v)
{
    for (const char *p = strchr(v, '.'); p != NULL; p = strchr(p + 1, '.')) {
        int n = is_image_ext(p + 1);
        if (n == 0)
            continue;
        const char *q = p + 1 + n;
        if (*q != ' ' && *q != '\t' && *q != '\n')
            continue;
        while (*q == ' ' || *q == '\t' || *q == '\n')
            q++;
        if (*q >= '0' && *q <= '9')
            return 1;
    }
    return 0;
}

/* /^\s*\S+\.(jpg|jpeg|png|webp)\S*\s*$/ : one image URL */
static int looks_like_src(const char *v)
{
    while (*v == ' ' || *v == '\t' || *v == '\n')
        v++;
    const char *end = v + strlen(v);
    while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
        end--;
    for (const char *p = v; p < end; p++)
        if (*p == ' ' || *p == '\t' || *p == '\n')
            return 0;
    for (const char *p = v + 1; p < end; p++)
        if (*p == '.' && is_image_ext(p + 1))
            return 1;
    return 0;
}

/* Readability's _fixLazyImages (without its data: URI pruning): an image
 * whose picture sits in some other attribute gets it as src or srcset; a
 * figure naming a picture but holding none gets an <img>. */
static void fix_lazy_image(ex_ctx *ex, xmlNodePtr elem, const ex_info *info)
{
    char buf[512];
    if (info->tag == EX_TAG_IMG) {
        const char *cls = ex_attr(elem, "class", buf, sizeof buf);
        int lazy = cls != NULL && strstr(cls, "lazy") != NULL;
        const char *srcset = ex_attr(elem, "srcset", buf, sizeof buf);
        int has = (srcset != NULL && *srcset != '\0' && strcmp(srcset, "null") != 0);
        const char *src = ex_attr(elem, "src", buf, sizeof buf);
        has = has || (src != NULL && *src != '\0');
        if (has && !lazy)
            return;
    }
    for (xmlAttrPtr a = elem->properties; a != NULL; a = a->next) {
        const char *name = (const char *)a->name;
        if (strcasecmp(name, "src") == 0 || strcasecmp(name, "srcset") == 0 ||
            strcasecmp(name, "alt") == 0)
            continue;
        const char *value = attr_text(a);
        const char *copy_to = looks_like_srcset(value) ? "srcset"
                              : looks_like_src(value)  ? "src"
                                                       : NULL;
        if (copy_to == NULL)
            continue;
        ex->edits++; /* the new source may name a video host */
        if (info->tag == EX_TAG_IMG || info->tag == EX_TAG_OTHER /* picture */) {
            xmlSetProp(elem, BAD_CAST copy_to, a->children->content);
            ex_mark_stale(ex, elem); /* the new source may name a video host */
        } else if (info->tag == EX_TAG_FIGURE && info->st.n_img == 0) {
            xmlNodePtr img = ex_new_element(ex, "img");
            if (img == NULL)
                return;
            xmlSetProp(img, BAD_CAST copy_to, a->children->content);
            ex_append_child(ex, elem, img);
        }
    }
}

int ex_may_fix_lazy_image(xmlNodePtr node, ex_tag tag)
{
    if (tag != EX_TAG_IMG && tag != EX_TAG_FIGURE &&
        !(tag == EX_TAG_OTHER && ex_name_is(node->name, "picture")))
        return 0;
    for (xmlAttrPtr a = node->properties; a != NULL; a = a->next) {
        const char *name = (const char *)a->name;
        if (strcasecmp(name, "src") == 0 || strcasecmp(name, "srcset") == 0 ||
            strcasecmp(name, "alt") == 0)
            continue;
        const char *value = attr_text(a);
        if (looks_like_srcset(value) || looks_like_src(value))
            return 1;
    }
    return 0;
}

/* Data tables are marked and lazy images fixed in one walk: neither
 * depends on the other. */
static int mark_tables_fix_images(ex_ctx *ex, xmlNodePtr node, void *arg)
{
    (void)arg;
    const ex_info *info = ex_info_of(ex, node);
    if (info->tag == EX_TAG_TABLE)
        mark_table(ex, node);
    else if (info->tag == EX_TAG_IMG || info->tag == EX_TAG_FIGURE ||
             (info->tag == EX_TAG_OTHER && ex_name_is(node->name, "picture")))
        fix_lazy_image(ex, node, info);
    return 0;
}

/* ------------------------------------------------------------ unconditional */

typedef struct tag_set {
    const ex_tag *tags;
    size_t n;
} tag_set;

static int in_set(const tag_set *set, ex_tag tag)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->tags[i] == tag)
            return 1;
    return 0;
}

static int drop_tagged(ex_ctx *ex, xmlNodePtr node, void *arg)
{
    const ex_info *info = ex_info_of(ex, node);
    if (!in_set(arg, info->tag))
        return 0;
    /* videos from the allowed hosts stay */
    return !((ex_tag_class(info->tag) & EX_TC_EMBED) && info->st.self_video);
}

/* Whether a walk judging only these tags can change anything: not when
 * none is in the article and the figures it would recompute are exact. */
static int walk_needed(const ex_ctx *ex, const tag_set *set)
{
    if (!ex_figures_exact(ex))
        return 1;
    for (size_t i = 0; i < set->n; i++)
        if (ex_is_present(ex, set->tags[i]))
            return 1;
    return 0;
}

static void clean_tags(ex_ctx *ex, xmlNodePtr article, const ex_tag *tags, size_t n)
{
    tag_set set = {tags, n};
    if (walk_needed(ex, &set))
        ex_stats_revisit(ex, article, drop_tagged, &set);
}

/* Elements named like share bars with little text, below each top-level
 * child of the article (the children themselves stay). Reads the figures of
 * the walk just before, which are exact: every node was finished after its
 * removed children were gone, and removing a node here only makes its
 * ancestors' figures stale, which are not read again. */
static void clean_share_bars(ex_ctx *ex, xmlNodePtr article)
{
    /* Every element of the article had its hints looked up by the search
     * (but new ones, without class or id): when none said share, no node
     * here would go. */
    if (!ex->share_hinted)
        return;
    for (xmlNodePtr top = article->children; top != NULL; top = top->next) {
        if (top->type != XML_ELEMENT_NODE)
            continue;
        xmlNodePtr node = ex_next_element(top, 0, top);
        while (node != NULL) {
            if ((ex_node_hints(ex, node) & EX_HINT_SHARE) &&
                ex_info_of(ex, node)->st.raw_len < 500) {
                xmlNodePtr next = ex_next_element(node, 1, top);
                ex_remove(ex, node);
                node = next;
            } else {
                node = ex_next_element(node, 0, top);
            }
        }
    }
}

/* Form controls and embeds, and h1/h2 whose class or id is negative: each
 * judged on its own tag and names, so one walk serves both. */
static int drop_controls_and_bad_headings(ex_ctx *ex, xmlNodePtr node, void *arg)
{
    ex_tag tag = ex_info_of(ex, node)->tag;
    if ((tag == EX_TAG_H1 || tag == EX_TAG_H2) && ex_class_weight(ex, node) < 0)
        return 1;
    return drop_tagged(ex, node, arg);
}

/* An h1 or h2 the walk above would drop. */
static int has_negative_heading(ex_ctx *ex, xmlNodePtr article)
{
    for (xmlNodePtr node = ex_next_element(article, 0, article); node != NULL;
         node = ex_next_element(node, 0, article)) {
        ex_tag tag = ex_tag_of(ex, node);
        if ((tag == EX_TAG_H1 || tag == EX_TAG_H2) && ex_class_weight(ex, node) < 0)
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------ conditional */

/* The whole text is one of the words ad slots and loading placeholders
 * show (Readability's adWords and loadingWords). */
static int only_suspicious_words(xmlNodePtr node)
{
    static const char *const ad_words[] = {
        "ad", "advertising", "advertisement", "pub", "publicit\xC3\xA9", "werb", "werbung",
        "\xE5\xB9\xBF\xE5\x91\x8A", "\xD0\xA0\xD0\xB5\xD0\xBA\xD0\xBB\xD0\xB0\xD0\xBC\xD0\xB0",
        "anuncio", "PUBLICIT\xC3\x89", "Publicit\xC3\xA9", NULL};
    static const char *const loading_words[] = {
        "loading", "\xE6\xAD\xA3\xE5\x9C\xA8\xE5\x8A\xA0\xE8\xBD\xBD",
        "\xD0\x97\xD0\xB0\xD0\xB3\xD1\x80\xD1\x83\xD0\xB7\xD0\xBA\xD0\xB0",
        "\xD0\xB7\xD0\xB0\xD0\xB3\xD1\x80\xD1\x83\xD0\xB7\xD0\xBA\xD0\xB0", "chargement",
        "cargando", NULL};
    char buf[4096]; /* the few words may come with much indentation */
    if (!ex_gather_text(node, buf, sizeof buf, 64))
        return 0;
    char *s = buf;
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    for (size_t i = 0; ad_words[i] != NULL; i++)
        if (strcasecmp(s, ad_words[i]) == 0)
            return 1;
    if (n >= 3 && strcmp(s + n - 3, "...") == 0)
        s[n - 3] = '\0';
    else if (n >= 3 && strcmp(s + n - 3, "\xE2\x80\xA6") == 0) /* … */
        s[n - 3] = '\0';
    for (size_t i = 0; loading_words[i] != NULL; i++)
        if (strcasecmp(s, loading_words[i]) == 0)
            return 1;
    return 0;
}

static int looks_like_clutter(ex_ctx *ex, xmlNodePtr node, const ex_info *info)
{
    const ex_stats *st = &info->st;
    ex_tag tag = info->tag;
    uint32_t len = ex_shape_len(st->shape);

    int is_list = tag == EX_TAG_UL || tag == EX_TAG_OL;
    if (!is_list)
        is_list = len > 0 ? (double)st->list_len / len > 0.9 : st->list_len > 0;
    if (tag == EX_TAG_TABLE && info->data_table)
        return 0;
    if (info->in_data_table || ex_has_ancestor(ex, node, EX_TAG_CODE, 3) ||
        (st->flags & EX_ST_DATA_TABLE))
        return 0;

    int weight = ex_class_weight(ex, node);
    if (weight < 0)
        return 1;
    if (st->ascii_commas >= 10)
        return 0;

    long p = st->n_p, img = st->n_img, li = (long)st->n_li - 100, input = st->n_input;
    double heading_density = len > 0 ? (double)st->heading_len / len : 0;
    if (st->flags & EX_ST_VIDEO)
        return 0;
    long embeds = st->n_embed;
    if (len <= 32 && only_suspicious_words(node))
        return 1;
    double link_density = ex_link_density(ex, node);
    double text_density = len > 0 ? (double)st->textish_len / len : 0;
    int in_figure = ex_has_ancestor(ex, node, EX_TAG_FIGURE, 3);

    int remove = (!in_figure && img > 1 && (double)p / img < 0.5) ||
                 (!is_list && li > p) ||
                 (input > p / 3) ||
                 (!is_list && !in_figure && heading_density < 0.9 && len < 25 &&
                  (img == 0 || img > 2) && link_density > 0) ||
                 (!is_list && weight < 25 && link_density > 0.2) ||
                 (weight >= 25 && link_density > 0.5) ||
                 ((embeds == 1 && len < 75) || embeds > 1) ||
                 (img == 0 && text_density == 0);

    /* a simple list of images may stay */
    if (is_list && remove) {
        for (xmlNodePtr c = node->children; c != NULL; c = c->next)
            if (c->type == XML_ELEMENT_NODE && ex_element_children(c) > 1)
                return 1;
        if (img == (long)st->n_li)
            return 0;
    }
    return remove;
}

static int drop_if_clutter(ex_ctx *ex, xmlNodePtr node, void *arg)
{
    const ex_info *info = ex_info_of(ex, node);
    if (info->tag != *(const ex_tag *)arg)
        return 0;
    return looks_like_clutter(ex, node, info);
}

/* What the walk's way down sets: some table above the node, up to the
 * article (the walk's root, detached), is a data table. Pre-order passes
 * each node its parent's answer, so this costs one step a node. */
static void set_in_data_table(ex_ctx *ex, xmlNodePtr node)
{
    ex_info *info = ex_info_of(ex, node);
    xmlNodePtr parent = node->parent;
    info->in_data_table = 0;
    if (parent != NULL && parent->type == XML_ELEMENT_NODE) {
        const ex_info *pi = ex_info_of(ex, parent);
        info->in_data_table = pi->in_data_table || (pi->tag == EX_TAG_TABLE && pi->data_table);
    }
}

/* Which of the tags (bit i for tags[i]) some node looks like clutter for,
 * on the figures as they stand (which must be exact). For a tag without,
 * a cleaning walk removes nothing: its first removal would have to be
 * judged on these very figures. */
static unsigned clutter_found(ex_ctx *ex, xmlNodePtr article, const ex_tag *tags, size_t n)
{
    const unsigned all = (1u << n) - 1;
    unsigned found = 0;
    set_in_data_table(ex, article);
    for (xmlNodePtr node = ex_next_element(article, 0, article); node != NULL && found != all;
         node = ex_next_element(node, 0, article)) {
        set_in_data_table(ex, node);
        ex_info *info = ex_info_of(ex, node);
        for (size_t i = 0; i < n; i++)
            if (info->tag == tags[i] && !(found & 1u << i) && looks_like_clutter(ex, node, info))
                found |= 1u << i;
    }
    return found;
}

/* The answers of one look for clutter, good for the cleanings after it
 * while none removes anything (only a cleaning walk does). */
typedef struct clutter_look {
    const ex_tag *tags;
    size_t n;
    int done;
    unsigned found;
} clutter_look;

static void clean_conditionally(ex_ctx *ex, xmlNodePtr article, ex_tag tag, clutter_look *look)
{
    if (!(ex->flags & EX_FLAG_CLEAN_CONDITIONALLY))
        return;
    const tag_set set = {&tag, 1};
    if (!walk_needed(ex, &set))
        return;
    if (ex_figures_exact(ex)) {
        const ex_tag *tags = look != NULL ? look->tags : &tag;
        const size_t n = look != NULL ? look->n : 1;
        unsigned found;
        if (look != NULL && look->done) {
            found = look->found;
        } else {
            found = clutter_found(ex, article, tags, n);
            if (look != NULL) {
                look->done = 1;
                look->found = found;
            }
        }
        size_t i = 0;
        while (i < n && tags[i] != tag)
            i++;
        if (!(found & 1u << i))
            return;
    }
    ex_stats_revisit_tag(ex, article, tag, drop_if_clutter, &tag);
    if (look != NULL)
        look->done = 0;
}

/* ------------------------------------------------------------ final touches */

static int is_empty_paragraph(const ex_info *info)
{
    return info->tag == EX_TAG_P && info->st.n_media == 0 && ex_shape_len(info->st.shape) == 0;
}

/* Empty paragraphs go; <h1> become <h2>. */
static int final_touches(ex_ctx *ex, xmlNodePtr node, void *arg)
{
    (void)arg;
    ex_info *info = ex_info_of(ex, node);
    if (info->tag == EX_TAG_H1) {
        /* the title is shown apart: h1 inside the article become h2 */
        ex_set_tag(ex, node, EX_TAG_H2, "h2");
        return 0;
    }
    return is_empty_paragraph(info);
}

/* The last walk. When the figures are exact it is not needed: what it
 * removes (paragraphs without text or media) leaves every paragraph above
 * as empty or not as it was, so one pass finds them all, and only the
 * figures on the way up from them are counted again (the article's length
 * decides between attempts). */
static void finish_article(ex_ctx *ex, xmlNodePtr article)
{
    if (!ex_figures_exact(ex)) {
        ex_stats_revisit(ex, article, final_touches, NULL);
        return;
    }
    xmlNodePtr node = ex_next_element(article, 0, article);
    while (node != NULL) {
        if (is_empty_paragraph(ex_info_of(ex, node))) {
            xmlNodePtr next = ex_next_element(node, 1, article);
            ex_remove(ex, node);
            node = next;
            continue;
        }
        final_touches(ex, node, NULL);
        node = ex_next_element(node, 0, article);
    }
    ex_stats_update(ex, article);
}

/* A layout table of one cell becomes that cell, as a <p> or a <div>. */
static void unwrap_single_cell_tables(ex_ctx *ex, xmlNodePtr article)
{
    xmlNodePtr node = ex_next_element(article, 0, article);
    while (node != NULL) {
        if (ex_tag_of(ex, node) == EX_TAG_TABLE) {
            xmlNodePtr body = ex_single_child_with_tag(ex, node, EX_TAG_TBODY);
            xmlNodePtr rows = body != NULL ? body : node;
            xmlNodePtr row = ex_single_child_with_tag(ex, rows, EX_TAG_TR);
            xmlNodePtr cell = row != NULL ? ex_single_child_with_tag(ex, row, EX_TAG_TD) : NULL;
            if (cell != NULL) {
                int phrasing = 1;
                for (xmlNodePtr c = cell->children; c != NULL && phrasing; c = c->next)
                    phrasing = ex_is_phrasing(ex, c);
                if (phrasing)
                    ex_set_tag(ex, cell, EX_TAG_P, "p");
                else
                    ex_set_tag(ex, cell, EX_TAG_DIV, "div");
                ex_unlink(ex, cell);
                ex_insert_before(ex, node, cell);
                ex_remove(ex, node);
                node = cell;
            }
        }
        node = ex_next_element(node, 0, article);
    }
}

void ex_prep_article(ex_ctx *ex, xmlNodePtr article)
{
    static const ex_tag first[] = {EX_TAG_OBJECT, EX_TAG_EMBED, EX_TAG_FOOTER, EX_TAG_LINK,
                                   EX_TAG_ASIDE};
    static const ex_tag second[] = {EX_TAG_IFRAME, EX_TAG_INPUT, EX_TAG_TEXTAREA,
                                    EX_TAG_SELECT, EX_TAG_BUTTON};

    tag_set controls = {second, sizeof second / sizeof second[0]};
    static const ex_tag headings[] = {EX_TAG_H1, EX_TAG_H2};
    const tag_set heading_set = {headings, 2};

    /* without images to fix, only the tables need a callback */
    if (ex->no_lazy_images)
        ex_stats_revisit_tag(ex, article, EX_TAG_TABLE, mark_tables_fix_images, NULL);
    else
        ex_stats_revisit(ex, article, mark_tables_fix_images, NULL);
    clean_conditionally(ex, article, EX_TAG_FORM, NULL);
    clean_conditionally(ex, article, EX_TAG_FIELDSET, NULL);
    clean_tags(ex, article, first, sizeof first / sizeof first[0]);
    clean_share_bars(ex, article);
    if (walk_needed(ex, &controls) ||
        (walk_needed(ex, &heading_set) && has_negative_heading(ex, article)))
        ex_stats_revisit(ex, article, drop_controls_and_bad_headings, &controls);
    /* one look for the three, while none of them removes anything */
    static const ex_tag last[] = {EX_TAG_TABLE, EX_TAG_UL, EX_TAG_DIV};
    clutter_look look = {last, 3, 0, 0};
    clean_conditionally(ex, article, EX_TAG_TABLE, &look);
    clean_conditionally(ex, article, EX_TAG_UL, &look);
    clean_conditionally(ex, article, EX_TAG_DIV, &look);
    /* last walk: its figures for the article root are the final ones
     * (unwrapping one-cell tables changes no text) */
    finish_article(ex, article);
    unwrap_single_cell_tables(ex, article);
}
