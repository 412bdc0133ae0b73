/*
 * extract_internal.h — shared pieces of the article extractor (extract*.c).
 *
 * Per-node data lives in a side table of ex_info records; node->_private
 * points to the node's record while an extraction runs (libxml2 leaves it
 * NULL) and is cleared at the end. Records sit in fixed-size blocks so
 * pointers to them stay valid as the table grows; a record names its node,
 * and forgotten records name none, so a stale pointer never matches.
 */
#ifndef OCTAVO_HTML_EXTRACT_INTERNAL_H
#define OCTAVO_HTML_EXTRACT_INTERNAL_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "extract.h"

/* The element names the heuristics care about; everything else is OTHER. */
#define EX_TAG_LIST(X)                                                                    \
    X(A, "a") X(ABBR, "abbr") X(ADDRESS, "address") X(ARTICLE, "article")              \
    X(ASIDE, "aside") X(AUDIO, "audio") X(B, "b") X(BDO, "bdo")                         \
    X(BLOCKQUOTE, "blockquote") X(BODY, "body") X(BR, "br") X(BUTTON, "button")         \
    X(CAPTION, "caption") X(CITE, "cite") X(CODE, "code") X(COL, "col")                 \
    X(COLGROUP, "colgroup") X(DATA, "data") X(DATALIST, "datalist") X(DD, "dd")         \
    X(DEL, "del") X(DFN, "dfn") X(DIV, "div") X(DL, "dl") X(DT, "dt") X(EM, "em")       \
    X(EMBED, "embed") X(FIELDSET, "fieldset") X(FIGURE, "figure") X(FONT, "font")       \
    X(FOOTER, "footer") X(FORM, "form") X(H1, "h1") X(H2, "h2") X(H3, "h3")            \
    X(H4, "h4") X(H5, "h5") X(H6, "h6") X(HEADER, "header") X(HR, "hr")                 \
    X(HTML, "html") X(I, "i") X(IFRAME, "iframe") X(IMG, "img") X(INPUT, "input")       \
    X(INS, "ins") X(KBD, "kbd") X(LABEL, "label") X(LI, "li") X(LINK, "link")           \
    X(MAIN, "main") X(MARK, "mark") X(MATH, "math") X(META, "meta")                     \
    X(METER, "meter") X(NOSCRIPT, "noscript") X(OBJECT, "object") X(OL, "ol")           \
    X(OUTPUT, "output") X(P, "p") X(PRE, "pre") X(PROGRESS, "progress") X(Q, "q")       \
    X(RUBY, "ruby") X(SAMP, "samp") X(SCRIPT, "script") X(SECTION, "section")           \
    X(SELECT, "select") X(SMALL, "small") X(SPAN, "span") X(STRONG, "strong")           \
    X(STYLE, "style") X(SUB, "sub") X(SUP, "sup") X(SVG, "svg") X(TABLE, "table")       \
    X(TBODY, "tbody") X(TD, "td") X(TEMPLATE, "template") X(TEXTAREA, "textarea")       \
    X(TFOOT, "tfoot") X(TH, "th") X(THEAD, "thead") X(TIME, "time") X(TITLE, "title")   \
    X(TR, "tr") X(UL, "ul") X(VAR, "var") X(WBR, "wbr")

typedef enum ex_tag {
    EX_TAG_NONE = 0, /* not an element (text, comment...) */
    EX_TAG_OTHER,
#define EX_X_ENUM(id, name) EX_TAG_##id,
    EX_TAG_LIST(EX_X_ENUM)
#undef EX_X_ENUM
    EX_TAG_COUNT_
} ex_tag;

/* Classes of tags (bits of ex_tag_class). */
enum {
    EX_TC_PHRASING = 1 << 0,  /* phrasing content (Readability's list) */
    EX_TC_BLOCK = 1 << 1,     /* keeps a <div> from becoming a <p> */
    EX_TC_TEXTISH = 1 << 2,   /* counts towards "text density" */
    EX_TC_HEADING = 1 << 3,   /* h1..h6 */
    EX_TC_DATAY = 1 << 4,     /* marks its table as a data table */
    EX_TC_EMBED = 1 << 5,     /* object, embed, iframe */
    EX_TC_SCORED = 1 << 6,    /* paragraph-like: its text is scored */
    EX_TC_LIST = 1 << 7,      /* ul, ol */
};

/* Retry flags, dropped one by one when too little text is found. */
enum {
    EX_FLAG_STRIP_UNLIKELYS = 1,
    EX_FLAG_WEIGHT_CLASSES = 2,
    EX_FLAG_CLEAN_CONDITIONALLY = 4,
    EX_FLAG_ALL = 7,
};

/* The shape of a text after JS-style trim() and \s{2,} -> " " collapsing,
 * kept composable: two shapes concatenate without looking at the text. */
typedef struct ex_shape {
    uint32_t nonws;   /* non-whitespace UTF-16 units */
    uint32_t runs;    /* maximal whitespace runs */
    uint8_t lead_ws;  /* starts with whitespace */
    uint8_t trail_ws; /* ends with whitespace */
    uint8_t any;      /* has any character at all */
} ex_shape;

/* What a subtree holds, as bits of ex_stats.flags: the children's ORed. */
enum {
    EX_ST_VIDEO = 1 << 0,      /* a descendant object/embed/iframe is an allowed video */
    EX_ST_VIDEO_ATTR = 1 << 1, /* some attribute in the subtree names a video host */
    EX_ST_BLOCK = 1 << 2,      /* a descendant is a block (EX_TC_BLOCK) */
    EX_ST_DATA_TABLE = 1 << 3, /* a descendant is a table marked as data table */
    EX_ST_DATAY = 1 << 4,      /* a descendant is col/colgroup/tfoot/thead/th */
    EX_ST_TABLE = 1 << 5,      /* a descendant is a table */
    EX_ST_CAPTION = 1 << 6,    /* a descendant is a non-empty caption */
};

/* Subtree figures, recomputed bottom-up by every ex_stats_walk. */
/* The fields from raw_len to td_cols are plain sums of the children's,
 * and flags their OR: kept side by side, so that adding a child's figures
 * compiles to a few vector instructions. */
typedef struct ex_stats {
    ex_shape shape;
    uint32_t raw_len;      /* textContent length, untrimmed */
    uint32_t commas;       /* all comma variants */
    uint32_t ascii_commas; /* ',' only */
    uint32_t heading_len;  /* sum of inner text of h1..h6 descendants */
    uint32_t textish_len;  /* sum of inner text of "textish" descendants */
    uint32_t list_len;     /* sum of inner text of ul/ol descendants */
    uint32_t n_p, n_img, n_li, n_input, n_embed, n_media, n_br_hr;
    uint32_t rows, td_cols; /* table size as Readability counts it */
    uint32_t max_cols;
    uint32_t n_elem_children;
    double link_len;        /* sum of (inner text of <a>) * (0.3 for #links) */
    uint8_t flags;          /* EX_ST_* */
    uint8_t self_video;     /* this node is an object/embed/iframe showing a video */
} ex_stats;

/* An element's record. */
typedef struct ex_info {
    xmlNodePtr node;       /* owner; NULL once forgotten */
    ex_tag tag;
    uint32_t span;         /* rowspan of a <tr>, colspan of a <td> (1 when absent) */
    ex_stats st;
    double score;          /* Readability's contentScore */
    uint8_t scored;        /* score initialised (node is a candidate) */
    uint8_t data_table;    /* set on tables by ex_mark_data_tables */
    uint8_t in_data_table; /* some ancestor is a data table (set on walk entry) */
    uint8_t alt_hits;      /* how many close runner-up candidates sit below */
    uint8_t fragment_link; /* <a href="#x">: its text weighs 0.3 as link text */
    uint8_t stale;         /* edited in or below since its figures were counted */
    uint8_t hints;         /* what class and id say (extract_hints.c), EX_HINT_KNOWN once looked up */
} ex_info;

/* A text's record: its figures, measured once a run and kept across
 * attempts, since the extractor never edits text. A record whose text is
 * freed (a copy, or a node a kept attempt removed) is never found again:
 * nodes start with _private NULL. */
typedef struct ex_text_figures {
    ex_shape shape;
    uint32_t raw_len;      /* UTF-16 units, untrimmed */
    uint32_t commas;       /* all comma variants */
    uint32_t ascii_commas; /* ',' only */
} ex_text_figures;

typedef struct ex_text_info {
    xmlNodePtr node; /* owner */
    ex_text_figures fig;
} ex_text_info;

typedef struct ex_vec {
    xmlNodePtr *v;
    size_t n, cap;
} ex_vec;

/* One edit of an attempt made on the page itself, as it can be undone. */
typedef enum ex_undo_kind { EX_UNDO_MOVE, EX_UNDO_RENAME, EX_UNDO_NEW } ex_undo_kind;

typedef struct ex_undo {
    ex_undo_kind kind;
    xmlNodePtr node;
    xmlNodePtr parent, prev, next; /* MOVE: where the node was (parent NULL: nowhere) */
    xmlChar *name;                 /* RENAME: the name it had */
} ex_undo;

typedef struct ex_undo_log {
    ex_undo *v;
    size_t n, cap;
} ex_undo_log;

#define EX_INFO_BLOCK 4096
#define EX_TEXT_BLOCK 4096

typedef struct ex_ctx {
    xmlDocPtr doc;
    oct_context *log;
    ex_info **blocks;
    size_t n_blocks;
    size_t n_info;
    ex_text_info **text_blocks; /* the same way, for texts; never forgotten */
    size_t n_text_blocks;
    size_t n_texts;
    ex_vec trash;         /* unlinked nodes, freed after each attempt */
    /* An attempt on the page itself (rather than on a copy) logs its edits,
     * so that a failed one can be undone and the next start from the same
     * page. */
    int logging;
    ex_undo_log undo;
    int flags;            /* EX_FLAG_* */
    char *title;          /* article title (heading de-duplication), may be NULL */
    int has_meta_byline;  /* metadata names an author: keep byline nodes */
    int byline_found;
    /* no image in the page that a lazy-image fix would edit (found by
     * ex_prep_document, which passes every element of the page last) */
    int no_lazy_images;
    int nomem;
    ex_info scratch;      /* handed out when the table cannot grow */
    ex_text_info text_scratch;
    struct ex_hint_memo *hint_memo; /* what match strings said (extract_hints.c) */
    int share_hinted;     /* some node's match string said share (EX_HINT_SHARE) */
    /* Walk skipping: a cleaning walk whose tags are absent from the article
     * would only recompute the figures, so it is skipped while they are
     * exact (no edit since the last walk). present[] holds the tags met in
     * the last walk plus those given or made since, so it never misses one. */
    uint64_t present[(EX_TAG_COUNT_ + 63) / 64];
    unsigned long edits;  /* tree edits made outside a walk's own removals */
    int exact;            /* the last walk's callbacks only removed nodes... */
    unsigned long exact_edits; /* ...and this was the edit count after it */
    /* The records as a full walk on the page itself left them (and the
     * hints looked up since): an attempt there is undone exactly, so the
     * next one starts from these rather than counting it all again. */
    ex_info *first_walk;
    size_t n_first_walk;
    unsigned page_walks;  /* full walks on the page itself so far */
    uint64_t first_walk_present[(EX_TAG_COUNT_ + 63) / 64];
} ex_ctx;

static inline void ex_mark_present(ex_ctx *ex, ex_tag tag)
{
    ex->present[(unsigned)tag / 64] |= (uint64_t)1 << ((unsigned)tag % 64);
}

static inline int ex_is_present(const ex_ctx *ex, ex_tag tag)
{
    return (ex->present[(unsigned)tag / 64] >> ((unsigned)tag % 64)) & 1;
}

/* ---- extract_dom.c: tags, side table, tree surgery */
ex_tag ex_tag_lookup(const xmlChar *name);
extern const unsigned char ex_tag_classes[EX_TAG_COUNT_];
/* A table rather than a switch: the figures walk asks for every node. */
static inline unsigned ex_tag_class(ex_tag tag)
{
    return (unsigned)tag < EX_TAG_COUNT_ ? ex_tag_classes[tag] : 0;
}
ex_info *ex_info_new(ex_ctx *ex, xmlNodePtr node); /* never NULL; scratch on OOM */

static inline int ex_is_text(xmlNodePtr node)
{
    return node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE;
}

/* The element's record if it has one, without making one. A text's
 * record is the smaller ex_text_info, also starting with its node: the
 * type check keeps one from ever being taken for the other (the assert in
 * ex_info_of is gone in release builds). */
static inline ex_info *ex_info_peek(xmlNodePtr node)
{
    ex_info *info = node->_private;
    return info != NULL && info->node == node && !ex_is_text(node) ? info : NULL;
}

/* A text's record, made (so measured) on first use; never NULL (a
 * scratch record when the table cannot grow). Texts and elements point
 * to records of their own kind, so node->type says which. */
ex_text_info *ex_text_info_new(ex_ctx *ex, xmlNodePtr text);
static inline const ex_text_info *ex_text_peek(xmlNodePtr text)
{
    const ex_text_info *info = text->_private;
    return info != NULL && info->node == text && ex_is_text(text) ? info : NULL;
}
static inline const ex_text_info *ex_text_of(ex_ctx *ex, xmlNodePtr text)
{
    const ex_text_info *info = ex_text_peek(text);
    return info != NULL ? info : ex_text_info_new(ex, text);
}

/* The node's record, made on first use. Inline: every walk calls it per node. */
static inline ex_info *ex_info_of(ex_ctx *ex, xmlNodePtr node)
{
    assert(!ex_is_text(node)); /* a text's record is an ex_text_info */
    ex_info *info = ex_info_peek(node);
    return info != NULL ? info : ex_info_new(ex, node);
}

static inline ex_tag ex_tag_of(ex_ctx *ex, xmlNodePtr node)
{
    if (node == NULL || node->type != XML_ELEMENT_NODE)
        return EX_TAG_NONE;
    return ex_info_of(ex, node)->tag;
}

void ex_info_reset(ex_ctx *ex);
void ex_info_free(ex_ctx *ex);
void ex_clear_private(xmlNodePtr root);
int ex_vec_push(ex_ctx *ex, ex_vec *vec, xmlNodePtr node);
void ex_vec_free(ex_vec *vec);
void ex_remove(ex_ctx *ex, xmlNodePtr node); /* unlink into the trash; counts as an edit */
/* The same for a figures walk's own removals, which keep the figures exact. */
void ex_discard(ex_ctx *ex, xmlNodePtr node);
void ex_empty_trash(ex_ctx *ex);
/* Tree edits; while ex->logging, each is logged for ex_undo_all. */
void ex_unlink(ex_ctx *ex, xmlNodePtr node);
void ex_append_child(ex_ctx *ex, xmlNodePtr parent, xmlNodePtr child);
void ex_insert_before(ex_ctx *ex, xmlNodePtr ref, xmlNodePtr node);
/* Puts the page back as it was when logging began: moved nodes go back,
 * renamed ones get their names, made ones are freed; the trash (whose
 * nodes are back in the page) is emptied without freeing. */
void ex_undo_all(ex_ctx *ex);
/* Keeps the logged edits. */
void ex_undo_forget(ex_ctx *ex);
void ex_set_tag(ex_ctx *ex, xmlNodePtr node, ex_tag tag, const char *name);
/* node's figures (and so its ancestors') need counting again: for edits
 * made other than through these helpers (an attribute set). */
void ex_mark_stale(ex_ctx *ex, xmlNodePtr node);
xmlNodePtr ex_new_element(ex_ctx *ex, const char *name);
xmlNodePtr ex_copy_tree(ex_ctx *ex, xmlNodePtr src);
/* Pre-order successor among elements, staying inside root. Inline: the
 * passes over the page step with it from element to element. */
static inline xmlNodePtr ex_next_element(xmlNodePtr node, int skip_children, xmlNodePtr root)
{
    if (!skip_children) {
        for (xmlNodePtr c = node->children; c != NULL; c = c->next)
            if (c->type == XML_ELEMENT_NODE)
                return c;
    }
    while (node != NULL && node != root) {
        for (xmlNodePtr s = node->next; s != NULL; s = s->next)
            if (s->type == XML_ELEMENT_NODE)
                return s;
        node = node->parent;
    }
    return NULL;
}
size_t ex_element_children(xmlNodePtr node);
int ex_has_ancestor(ex_ctx *ex, xmlNodePtr node, ex_tag tag, int max_depth);
int ex_is_whitespace_node(ex_ctx *ex, xmlNodePtr node);
int ex_is_phrasing(ex_ctx *ex, xmlNodePtr node);
xmlNodePtr ex_single_child_with_tag(ex_ctx *ex, xmlNodePtr node, ex_tag tag);
/* The text of node's subtree into buf (at most cap-1 bytes, NUL-ended);
 * returns 0 when the text was longer or the subtree had more than max_nodes
 * nodes. Small budgets keep nested look-alikes (a div in a div in a div...,
 * each asking for its text) from adding up to quadratic work. */
int ex_gather_text(xmlNodePtr node, char *buf, size_t cap, int max_nodes);
/* Whether name is lower (an ASCII name in lowercase) in any case, as
 * strcasecmp says, without the call: names are a few letters. */
static inline int ex_name_is(const xmlChar *name, const char *lower)
{
    size_t i = 0;
    for (; lower[i] != '\0'; i++) {
        unsigned c = name[i];
        if (c >= 'A' && c <= 'Z')
            c += 32;
        if (c != (unsigned char)lower[i])
            return 0;
    }
    return name[i] == '\0';
}
/* The value of the first attribute called name (lowercase), in any case. */
const char *ex_attr(xmlNodePtr node, const char *name, char *buf, size_t cap);
/* The attribute's text copied into buf (cap >= 1 bytes, truncated); buf. */
const char *ex_attr_copy(xmlAttrPtr a, char *buf, size_t cap);
/* The first letters of node's attribute names, lowercased, as bits
 * (EX_INITIAL('c') for class...): an attribute whose letter is missing
 * need not be looked for. */
static inline uint32_t ex_attr_initials(xmlNodePtr node)
{
    uint32_t bits = 0;
    if (node->type != XML_ELEMENT_NODE)
        return 0;
    for (xmlAttrPtr a = node->properties; a != NULL; a = a->next) {
        if (a->name == NULL)
            continue;
        /* ASCII letters only: other bytes fall outside a..z */
        const unsigned letter = (unsigned)(a->name[0] | 0x20) - 'a';
        if (letter < 26)
            bits |= (uint32_t)1 << letter;
    }
    return bits;
}
#define EX_INITIAL(c) ((uint32_t)1 << ((c) - 'a'))

/* ---- extract_text.c: whitespace, lengths, tokens */
size_t ex_utf8_next(const unsigned char *s, size_t len, uint32_t *cp);
int ex_is_js_space(uint32_t cp);
/* a followed by b, into a: the shape of two texts one after the other.
 * Inline: the figures walk does it for every node. */
static inline void ex_shape_append(ex_shape *a, const ex_shape *b)
{
    if (!b->any)
        return;
    if (!a->any) {
        *a = *b;
        return;
    }
    a->nonws += b->nonws;
    a->runs += b->runs - (a->trail_ws && b->lead_ws ? 1 : 0);
    a->trail_ws = b->trail_ws;
}

/* Length after trim() and collapsing runs of two or more spaces to one: a
 * lone whitespace character stays (JS's \s{2,} leaves it), so each inner run
 * counts one unit either way. */
static inline uint32_t ex_shape_len(ex_shape s)
{
    if (s.nonws == 0)
        return 0;
    return s.nonws + s.runs - s.lead_ws - s.trail_ws;
}
/* Shape, raw length and commas of one text. */
void ex_text_measure(const char *s, size_t len, ex_text_figures *out);
double ex_text_similarity(const char *a, const char *b);

/* ---- extract_hints.c: what class and id names say */
int ex_hint_unlikely(const char *match);
int ex_hint_maybe(const char *match);
int ex_hint_positive(const char *s);
int ex_hint_negative(const char *s);
int ex_hint_byline(const char *match);
int ex_hint_share(const char *match);
int ex_hint_video(const char *s);
/* What node's class and id say, in one byte of its record: the hints of
 * its match string ("class id") as EX_HINT_* bits, each as the ex_hint_*
 * function of its name gives it, and its class weight (-50..50 in steps of
 * 25, as 0..4 from EX_WEIGHT_SHIFT). Looked up once an attempt (the
 * extractor never edits class or id) and remembered per (class, id) across
 * the page; ex_node_answer looks it up into info. */
enum { EX_HINT_UNLIKELY = 1, EX_HINT_MAYBE = 2, EX_HINT_BYLINE = 4, EX_HINT_SHARE = 8,
       EX_HINT_BITS = 0x0F, EX_WEIGHT_SHIFT = 4, EX_WEIGHT_MASK = 0x70, EX_HINT_KNOWN = 0x80 };
unsigned ex_node_answer(ex_ctx *ex, xmlNodePtr node, ex_info *info);
static inline unsigned ex_node_hints(ex_ctx *ex, xmlNodePtr node)
{
    ex_info *info = ex_info_of(ex, node);
    const unsigned answer =
        info->hints & EX_HINT_KNOWN ? info->hints : ex_node_answer(ex, node, info);
    return answer & EX_HINT_BITS;
}
/* Readability's class weight of node (0 without EX_FLAG_WEIGHT_CLASSES). */
static inline int ex_class_weight(ex_ctx *ex, xmlNodePtr node)
{
    if (!(ex->flags & EX_FLAG_WEIGHT_CLASSES))
        return 0;
    ex_info *info = ex_info_of(ex, node);
    const unsigned answer =
        info->hints & EX_HINT_KNOWN ? info->hints : ex_node_answer(ex, node, info);
    return ((int)((answer & EX_WEIGHT_MASK) >> EX_WEIGHT_SHIFT) - 2) * 25;
}
void ex_hint_memo_free(ex_ctx *ex);
/* Whether style, hidden or aria-hidden hide the node. */
int ex_hidden_by_attrs(xmlNodePtr node, uint32_t initials);
/* initials: ex_attr_initials(node); most elements have none of the three */
static inline int ex_is_visible(xmlNodePtr node, uint32_t initials)
{
    return !(initials & (EX_INITIAL('s') | EX_INITIAL('h') | EX_INITIAL('a'))) ||
           !ex_hidden_by_attrs(node, initials);
}
/* "class id" into buf. */
const char *ex_match_string(xmlNodePtr node, char *buf, size_t cap);

/* ---- extract_stats.c: bottom-up figures */
/* Returns 1 to have the node removed (it is never root). */
typedef int (*ex_exit_fn)(ex_ctx *ex, xmlNodePtr node, void *arg);
void ex_stats_walk(ex_ctx *ex, xmlNodePtr root, ex_exit_fn on_exit, void *arg);
/* ex_stats_walk over the whole page without callback, at the start of an
 * attempt. On the page itself (ex->logging) the first one is kept, and the
 * later ones, on the page as it was again, take it back. */
void ex_stats_walk_page(ex_ctx *ex, xmlNodePtr page);
void ex_stats_forget_page(ex_ctx *ex);
/* The figures a walk without callback would leave, recounting only the
 * elements edited in or below since a walk over root counted them all (the
 * tree helpers of extract_dom.c mark them stale). */
void ex_stats_update(ex_ctx *ex, xmlNodePtr root);
/* ex_stats_walk, the callback called on every element, for figures that
 * are all current but for the stale ones (and their ancestors). */
void ex_stats_revisit(ex_ctx *ex, xmlNodePtr root, ex_exit_fn on_exit, void *arg);
/* The same for a callback that does nothing to elements of other tags than
 * tag: the other elements are passed over (their figures recounted where
 * stale, once the tag's are judged). */
void ex_stats_revisit_tag(ex_ctx *ex, xmlNodePtr root, ex_tag tag, ex_exit_fn on_exit,
                          void *arg);
uint32_t ex_len(ex_ctx *ex, xmlNodePtr node); /* inner text length, from the last walk */
double ex_link_density(ex_ctx *ex, xmlNodePtr node);
/* Whether every figure is what a new walk would compute: the last walk's
 * callbacks did nothing but remove nodes, and nothing was edited since. */
int ex_figures_exact(const ex_ctx *ex);

/* ---- extract_meta.c: title and author metadata */
void ex_read_metadata(ex_ctx *ex, xmlNodePtr root);

/* ---- extract_prep.c: the document before scoring */
void ex_prep_document(ex_ctx *ex, xmlNodePtr page);

/* ---- extract_score.c: finding the article */
/* Returns a detached <div> holding the article, or NULL (out of memory). */
xmlNodePtr ex_grab_article(ex_ctx *ex, xmlNodePtr page);

/* ---- extract_clean.c: tidying the article */
void ex_prep_article(ex_ctx *ex, xmlNodePtr article);
/* Whether tidying could set an attribute of node (tag: its tag), a lazy
 * image's real source: the one edit ex_undo_all cannot take back. */
int ex_may_fix_lazy_image(xmlNodePtr node, ex_tag tag);

#endif
