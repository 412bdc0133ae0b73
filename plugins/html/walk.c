/*
 * walk.c — the HTML DOM into the document builder.
 *
 * One pre/post-order walk over xmlNode using the parent/next pointers (never
 * recursion: hostile pages nest 100,000 deep). Each element is classified
 * once; what it opened in the builder is remembered on a heap stack of
 * frames, one per element being walked, and closed when the walk leaves it.
 * The builder keeps the tree valid (a <figure> met inside an open <p>
 * closes the paragraph), so this file only says what it saw.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLtree.h>

#include "html.h"

typedef enum kind {
    K_INLINE = 0, /* unknown or purely presentational inline: content only */
    K_BLOCK,      /* a block that only groups content (div, section...) */
    K_DROP,
    K_HEADING, K_P, K_BLOCKQUOTE, K_UL, K_OL, K_LI, K_DL, K_DT, K_DD, K_PRE, K_HR, K_BR,
    K_TABLE, K_CAPTION, K_TSECTION, K_TR, K_CELL, K_FIGURE, K_FIGCAPTION, K_IMG, K_PICTURE,
    K_A, K_EMPH, K_STRONG, K_UNDERLINE, K_STRIKE, K_SUB, K_SUP, K_CODE, K_MARK, K_Q,
    K_SMALL, K_ABBR, K_SPAN, K_NOSCRIPT, K_SVG
} kind;

typedef struct element_kind {
    const char *name;
    kind k;
} element_kind;

/* Sorted by name (strcmp order) for the binary search in kind_of. */
static const element_kind kinds[] = {
    {"a", K_A},           {"abbr", K_ABBR},         {"acronym", K_ABBR},
    {"address", K_BLOCK}, {"applet", K_DROP},       {"area", K_DROP},
    {"article", K_BLOCK}, {"aside", K_BLOCK},       {"audio", K_DROP},
    {"b", K_STRONG},      {"base", K_DROP},         {"basefont", K_DROP},
    {"bdi", K_SPAN},      {"bdo", K_SPAN},          {"blockquote", K_BLOCKQUOTE},
    {"body", K_BLOCK},    {"br", K_BR},             {"button", K_DROP},
    {"canvas", K_DROP},   {"caption", K_CAPTION},   {"center", K_BLOCK},
    {"cite", K_EMPH},     {"code", K_CODE},         {"col", K_DROP},
    {"colgroup", K_DROP}, {"datalist", K_DROP},     {"dd", K_DD},
    {"del", K_STRIKE},    {"details", K_BLOCK},     {"dfn", K_EMPH},
    {"dialog", K_BLOCK},  {"dir", K_UL},            {"div", K_BLOCK},
    {"dl", K_DL},         {"dt", K_DT},             {"em", K_EMPH},
    {"embed", K_DROP},    {"fieldset", K_BLOCK},    {"figcaption", K_FIGCAPTION},
    {"figure", K_FIGURE}, {"footer", K_BLOCK},      {"form", K_BLOCK},
    {"frame", K_DROP},    {"frameset", K_BLOCK},    {"h1", K_HEADING},
    {"h2", K_HEADING},    {"h3", K_HEADING},        {"h4", K_HEADING},
    {"h5", K_HEADING},    {"h6", K_HEADING},        {"head", K_DROP},
    {"header", K_BLOCK},  {"hgroup", K_BLOCK},      {"hr", K_HR},
    {"html", K_BLOCK},    {"i", K_EMPH},            {"iframe", K_DROP},
    {"img", K_IMG},       {"input", K_DROP},        {"ins", K_UNDERLINE},
    {"kbd", K_CODE},      {"keygen", K_DROP},       {"legend", K_BLOCK},
    {"li", K_LI},         {"link", K_DROP},         {"listing", K_PRE},
    {"main", K_BLOCK},    {"map", K_DROP},          {"mark", K_MARK},
    {"menu", K_UL},       {"meta", K_DROP},         {"meter", K_DROP},
    {"nav", K_BLOCK},     {"noembed", K_DROP},      {"noframes", K_DROP},
    {"noscript", K_NOSCRIPT}, {"object", K_DROP},   {"ol", K_OL},
    {"optgroup", K_DROP}, {"option", K_DROP},       {"output", K_DROP},
    {"p", K_P},           {"param", K_DROP},        {"picture", K_PICTURE},
    {"plaintext", K_PRE}, {"pre", K_PRE},           {"progress", K_DROP},
    {"q", K_Q},           {"rp", K_DROP},           {"rt", K_DROP},
    {"rtc", K_DROP},      {"s", K_STRIKE},          {"samp", K_CODE},
    {"script", K_DROP},   {"search", K_BLOCK},      {"section", K_BLOCK},
    {"select", K_DROP},   {"small", K_SMALL},       {"source", K_DROP},
    {"span", K_SPAN},     {"strike", K_STRIKE},     {"strong", K_STRONG},
    {"style", K_DROP},    {"sub", K_SUB},           {"summary", K_BLOCK},
    {"sup", K_SUP},       {"svg", K_SVG},           {"table", K_TABLE},
    {"tbody", K_TSECTION}, {"td", K_CELL},          {"template", K_DROP},
    {"textarea", K_DROP}, {"tfoot", K_TSECTION},    {"th", K_CELL},
    {"thead", K_TSECTION}, {"title", K_DROP},       {"tr", K_TR},
    {"track", K_DROP},    {"tt", K_CODE},           {"u", K_UNDERLINE},
    {"ul", K_UL},         {"var", K_CODE},          {"video", K_DROP},
    {"wbr", K_DROP},      {"xmp", K_PRE},
};

/* A binary search comparing first letters before calling strcmp. */
static kind kind_by_search(const char *name)
{
    size_t lo = 0, hi = sizeof kinds / sizeof kinds[0];
    while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        const char *k = kinds[mid].name;
        int c = (unsigned char)name[0] - (unsigned char)k[0];
        if (c == 0)
            c = strcmp(name + 1, k + 1);
        if (c == 0)
            return kinds[mid].k;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return K_INLINE;
}

/* Every element is asked its kind: names of up to eight bytes, nearly all
 * of them, are found as one 64-bit number in a hash table built once. */
#define KIND_SLOT_BITS 8
typedef struct kind_slot {
    uint64_t key; /* the name's bytes, first in the low byte; 0: empty */
    kind k;
} kind_slot;

static kind_slot kind_slots[1u << KIND_SLOT_BITS];
static pthread_once_t kind_slots_once = PTHREAD_ONCE_INIT;

/* The name as a number, or 0 when it is empty or longer than eight bytes. */
static uint64_t name_key(const char *name)
{
    uint64_t key = 0;
    for (unsigned i = 0; i < 8; i++) {
        if (!name[i])
            return key;
        key |= (uint64_t)(unsigned char)name[i] << (8 * i);
    }
    return name[8] ? 0 : key;
}

static size_t kind_slot_of(uint64_t key)
{
    return (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - KIND_SLOT_BITS));
}

static void fill_kind_slots(void)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        const uint64_t key = name_key(kinds[i].name);
        if (!key)
            continue;
        size_t s = kind_slot_of(key);
        while (kind_slots[s].key)
            s = (s + 1) & ((1u << KIND_SLOT_BITS) - 1);
        kind_slots[s].key = key;
        kind_slots[s].k = kinds[i].k;
    }
}

static kind kind_of(const xmlNode *n)
{
    const char *name = (const char *)n->name;
    const uint64_t key = name_key(name);
    if (!key)
        return name[0] ? kind_by_search(name) : K_INLINE;
    pthread_once(&kind_slots_once, fill_kind_slots);
    for (size_t s = kind_slot_of(key); kind_slots[s].key;
         s = (s + 1) & ((1u << KIND_SLOT_BITS) - 1))
        if (kind_slots[s].key == key)
            return kind_slots[s].k;
    return K_INLINE;
}

/* Context inherited by an element's descendants. */
enum {
    F_PRE = 1u << 0,          /* text kept as it is (pre, code block) */
    F_CODE = 1u << 1,         /* inside inline code: markup is only text */
    F_DATA_TABLE = 1u << 2,   /* the nearest table holds data */
    F_LAYOUT_TABLE = 1u << 3, /* the nearest table only positions content */
    F_DATA_CELL = 1u << 4,    /* inside a cell of a data table */
    F_NOTE = 1u << 5,         /* inside a footnote */
    F_INLINE_BLOCK = 1u << 6  /* inside a heading, caption or term */
};

/* Words gathered for one call of the builder. */
#define RUN_SIZE 1024

/* Consecutive <br>s kept (the rest of a long run adds nothing). */
#define MAX_PENDING_BREAKS 8

typedef struct frame {
    oct_node *node;         /* the code block to trim on leaving, else NULL */
    unsigned char opens;    /* builder opens to close on leaving */
    unsigned char block;    /* a block boundary for whitespace */
    unsigned char brk;      /* ends the current paragraph on leaving */
    unsigned char flags;    /* F_* for the descendants */
    unsigned char code;     /* an inline code: its spaces are its own */
    const xmlNode *element; /* with raw-html: the element whose tags are kept, */
    oct_node *raw_start;    /* and its start tag, to be paired with an end tag */
} frame;

typedef struct walker {
    oct_context *ctx;
    oct_builder *b;
    oct_doc *doc;
    const html_walk_options *opt;
    frame *stack;
    size_t depth, cap;
    unsigned flags;    /* the innermost frame's F_* (0 outside every frame) */
    int has_content;   /* the current block has visible text */
    int pending_space; /* collapsed whitespace not yet written */
    int last_space;    /* the last thing written was a space */
    int block_started; /* the current block has content at all */
    int pending_breaks; /* <br>s not yet written: dropped at the end of a block */
    int warned_svg;
    const char *pending_id; /* id of an element that made no node */
    const xmlNode *top;     /* the element the walk started from */
    size_t visited;
    oct_status status;
} walker;

static unsigned flags_now(const walker *w) { return w->flags; }

static int push_frame(walker *w, frame f)
{
    if (w->depth == w->cap) {
        const size_t cap = w->cap ? w->cap * 2 : 64;
        frame *p = realloc(w->stack, cap * sizeof *p);
        if (!p) {
            w->status = OCT_ERR_NOMEM;
            return 0;
        }
        w->stack = p;
        w->cap = cap;
    }
    w->stack[w->depth++] = f;
    w->flags = f.flags;
    return 1;
}

static void note_status(walker *w, oct_status st)
{
    /* A node the builder refused (e.g. a containment it cannot repair) is
     * not fatal; running out of nodes or memory is. */
    if (st == OCT_ERR_LIMIT || st == OCT_ERR_NOMEM)
        if (!w->status)
            w->status = st;
}

static void text_out(walker *w, const char *s, size_t len)
{
    note_status(w, oct_builder_text(w->b, s, len));
    w->last_space = len > 0 && s[len - 1] == ' ';
}

/* Writes the line breaks and the collapsed space waiting before new inline
 * content. */
static void flush_space(walker *w)
{
    for (; w->pending_breaks > 0; w->pending_breaks--) {
        oct_node *br = oct_node_new(w->doc, OCT_NODE_LINE_BREAK);
        if (!br) {
            note_status(w, OCT_ERR_LIMIT);
            w->pending_breaks = 0;
            break;
        }
        note_status(w, oct_builder_leaf(w->b, br));
        w->pending_space = 0;
    }
    if (w->pending_space && w->has_content && !w->last_space)
        text_out(w, " ", 1);
    w->pending_space = 0;
}

static void block_boundary(walker *w)
{
    if (flags_now(w) & F_INLINE_BLOCK) {
        /* A div inside a heading: words on both sides stay apart. */
        if (w->has_content)
            w->pending_space = 1;
        return;
    }
    w->has_content = 0;
    w->pending_space = 0;
    w->last_space = 0;
    w->block_started = 0;
    w->pending_breaks = 0;
}

static int holds_inlines(oct_node_type t)
{
    return t == OCT_NODE_PARAGRAPH || t == OCT_NODE_HEADING || t == OCT_NODE_CAPTION ||
           t == OCT_NODE_DEFINITION_TERM || oct_node_type_is_inline(t);
}

/* Ends the paragraph content is flowing into, the way a <div> does in a
 * browser: an empty paragraph is opened (the builder closes the open one
 * and remembers open formatting), then removed again. */
static void paragraph_break(walker *w)
{
    if (flags_now(w) & (F_INLINE_BLOCK | F_PRE | F_CODE))
        return;
    if (!holds_inlines(oct_node_get_type(oct_builder_current(w->b))))
        return;
    oct_node *marker = oct_node_new(w->doc, OCT_NODE_PARAGRAPH);
    if (!marker) {
        note_status(w, OCT_ERR_LIMIT);
        return;
    }
    if (oct_builder_open(w->b, marker) == OCT_OK) {
        oct_builder_close(w->b);
        if (oct_node_parent(marker))
            oct_node_unlink(marker);
    }
}

/* The attributes asked of nearly every element, found in one pass over
 * them (each as html_attr finds it: the first of its name, any case). */
typedef struct common_attrs {
    const char *lang, *xml_lang, *dir, *id;
} common_attrs;

static common_attrs read_common(const xmlNode *e)
{
    static const char *const names[] = {"lang", "xml:lang", "dir", "id"};
    const char *v[4];
    html_attrs(e, names, v, 4);
    return (common_attrs){v[0], v[1], v[2], v[3]};
}

/* block: n is a block (blocks also carry the id and the source line). */
static void common_attributes(const xmlNode *e, oct_node *n, int block)
{
    const common_attrs c = read_common(e);
    const char *lang = c.lang ? c.lang : c.xml_lang;
    if (lang && *lang)
        oct_node_set_lang(n, lang);
    if (c.dir && strcasecmp(c.dir, "rtl") == 0)
        oct_node_set_dir(n, OCT_DIR_RTL);
    else if (c.dir && strcasecmp(c.dir, "ltr") == 0)
        oct_node_set_dir(n, OCT_DIR_LTR);
    if (block) {
        if (c.id && *c.id)
            oct_node_set_id(n, c.id);
        oct_node_set_source_line(n, (long)e->line);
    }
}

static int is_blank(const char *s)
{
    while (*s && html_is_space((unsigned char)*s))
        s++;
    return *s == '\0';
}

static int has_lang_or_dir(const xmlNode *e)
{
    const common_attrs c = read_common(e);
    return c.lang || c.xml_lang ||
           (c.dir && (strcasecmp(c.dir, "rtl") == 0 || strcasecmp(c.dir, "ltr") == 0));
}

/* A new node of type t carrying e's lang, dir, id and line (NULL at the
 * node limit); before an inline, the pending space is written. */
static oct_node *open_node(walker *w, const xmlNode *e, oct_node_type t)
{
    if (oct_node_type_is_inline(t))
        flush_space(w);
    oct_node *n = oct_node_new(w->doc, t);
    if (!n) {
        note_status(w, OCT_ERR_LIMIT);
        return NULL;
    }
    const int block = oct_node_type_is_block(t);
    common_attributes(e, n, block);
    if (w->pending_id && block && !oct_node_id(n)) {
        oct_node_set_id(n, w->pending_id);
        w->pending_id = NULL;
    }
    return n;
}

/* An element that made no node keeps its id as a link target: on the block
 * it stands in (a span in a heading) or else on the next block. */
static void keep_id(walker *w, const xmlNode *e)
{
    const char *id = html_attr(e, "id");
    if (!id || !*id)
        return;
    oct_node *cur = oct_builder_current(w->b);
    while (cur && oct_node_type_is_inline(oct_node_get_type(cur)))
        cur = oct_node_parent(cur);
    const oct_node_type t = oct_node_get_type(cur);
    if (cur != oct_doc_root(w->doc) && oct_node_type_is_block(t) && t != OCT_NODE_FOOTNOTE_DEF &&
        !oct_node_id(cur) && holds_inlines(t))
        oct_node_set_id(cur, id);
    else
        w->pending_id = id;
}

static int commit_open(walker *w, oct_node *n, frame *f)
{
    if (!n)
        return 0;
    oct_status st = oct_builder_open(w->b, n);
    if (st != OCT_OK) {
        note_status(w, st);
        return 0;
    }
    f->opens++;
    return 1;
}

static void leaf(walker *w, oct_node *n)
{
    if (!n)
        return;
    note_status(w, oct_builder_leaf(w->b, n));
}

static void language_of_code(const xmlNode *e, oct_node *n)
{
    const xmlNode *candidates[2] = {e, NULL};
    for (const xmlNode *c = e->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) {
            if (html_is(c, "code"))
                candidates[1] = c;
            break;
        }
    for (size_t k = 0; k < 2; k++) {
        const char *cls = candidates[k] ? html_attr(candidates[k], "class") : NULL;
        while (cls && *cls) {
            while (*cls && html_is_space((unsigned char)*cls))
                cls++;
            const char *start = cls;
            while (*cls && !html_is_space((unsigned char)*cls))
                cls++;
            size_t skip = 0;
            if (strncmp(start, "language-", 9) == 0)
                skip = 9;
            else if (strncmp(start, "lang-", 5) == 0)
                skip = 5;
            if (skip && (size_t)(cls - start) > skip && (size_t)(cls - start) < 64) {
                char lang[64];
                memcpy(lang, start + skip, (size_t)(cls - start) - skip);
                lang[(size_t)(cls - start) - skip] = '\0';
                oct_node_set_code_language(n, lang);
                return;
            }
        }
    }
}

static oct_list_style ol_style(const char *type)
{
    if (!type)
        return OCT_LIST_DECIMAL;
    switch (type[0]) {
    case 'a': return OCT_LIST_LOWER_ALPHA;
    case 'A': return OCT_LIST_UPPER_ALPHA;
    case 'i': return OCT_LIST_LOWER_ROMAN;
    case 'I': return OCT_LIST_UPPER_ROMAN;
    default: return OCT_LIST_DECIMAL;
    }
}

/* Items holding paragraphs make a loose list. */
static int list_is_loose(const xmlNode *list)
{
    for (const xmlNode *li = list->children; li; li = li->next) {
        if (!html_is(li, "li"))
            continue;
        for (const xmlNode *c = li->children; c; c = c->next)
            if (html_is(c, "p"))
                return 1;
    }
    return 0;
}

static void setup_list(const xmlNode *e, kind k, oct_node *n)
{
    if (list_is_loose(e))
        oct_node_set_list_tight(n, 0);
    if (k == K_UL) {
        oct_node_set_list_style(n, OCT_LIST_BULLET);
        return;
    }
    oct_node_set_list_style(n, ol_style(html_attr(e, "type")));
    const char *start = html_attr(e, "start");
    if (start) {
        char *end;
        const long v = strtol(start, &end, 10);
        if (end != start && v > -1000000000L && v < 1000000000L)
            oct_node_set_list_start(n, (int)v);
    }
    if (html_attr(e, "reversed"))
        oct_node_set_list_reversed(n, 1);
}

/* <li><input type=checkbox checked> text: a task item. */
static void setup_item(const xmlNode *e, oct_node *n)
{
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE) {
            size_t len;
            html_trim((const char *)c->content, &len);
            if (len)
                return;
            continue;
        }
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const char *type = html_attr(c, "type");
        if (html_is(c, "input") && type && strcasecmp(type, "checkbox") == 0)
            oct_node_set_item_task(n, html_attr(c, "checked") ? OCT_TASK_CHECKED
                                                               : OCT_TASK_UNCHECKED);
        return;
    }
}

/* A first row of only <th> in a table without <thead> is its header. */
static oct_row_section row_section(const xmlNode *tr)
{
    oct_row_section s = html_row_section(tr);
    if (s != OCT_ROW_BODY)
        return s;
    for (const xmlNode *p = tr->prev; p; p = p->prev)
        if (p->type == XML_ELEMENT_NODE)
            return s;
    if (html_is(tr->parent, "tbody"))
        for (const xmlNode *p = tr->parent->prev; p; p = p->prev)
            if (html_is(p, "thead") || html_is(p, "tbody") || html_is(p, "tr"))
                return s;
    int cells = 0;
    for (const xmlNode *c = tr->children; c; c = c->next) {
        if (html_is(c, "td"))
            return s;
        cells += html_is(c, "th");
    }
    return cells ? OCT_ROW_HEAD : s;
}

static const xmlNode *element_sibling(const xmlNode *n, int forward)
{
    for (n = forward ? n->next : n->prev; n; n = forward ? n->next : n->prev) {
        if (n->type == XML_ELEMENT_NODE)
            return n;
        if (n->type == XML_TEXT_NODE) {
            size_t len;
            html_trim((const char *)n->content, &len);
            if (len)
                return NULL;
        }
    }
    return NULL;
}

/* A lazy-loading pair: <img placeholder><noscript><img real></noscript>.
 * The noscript is dropped when the image next to it is real. */
static int noscript_is_redundant(const xmlNode *ns)
{
    if (!html_find_descendant(ns, "img", 64))
        return 0;
    const xmlNode *prev = element_sibling(ns, 0);
    if (!prev)
        return 0;
    const xmlNode *img = html_is(prev, "img") ? prev : html_find_descendant(prev, "img", 64);
    return img && !html_image_is_placeholder(img);
}

static int img_replaced_by_noscript(const xmlNode *img)
{
    if (!html_image_is_placeholder(img))
        return 0;
    const xmlNode *next = element_sibling(img, 1);
    return next && html_is(next, "noscript") && html_find_descendant(next, "img", 64);
}

static void emit_image(walker *w, const xmlNode *img, const xmlNode *picture)
{
    oct_node *n = oct_node_new(w->doc, OCT_NODE_IMAGE);
    if (!n) {
        note_status(w, OCT_ERR_LIMIT);
        return;
    }
    if (!html_image_setup(img, picture, w->opt->base, w->doc, n)) {
        /* No source at all: a browser shows the alternative text. */
        const char *alt = img ? html_attr(img, "alt") : NULL;
        size_t len = 0;
        const char *s = alt ? html_trim(alt, &len) : NULL;
        if (len) {
            flush_space(w);
            text_out(w, s, len);
            w->has_content = 1;
            w->block_started = 1;
        }
        return;
    }
    flush_space(w);
    leaf(w, n);
    w->has_content = 1;
    w->block_started = 1;
    w->last_space = 0;
}

static void emit_note_ref(walker *w, const char *label)
{
    oct_node *n = oct_node_new(w->doc, OCT_NODE_FOOTNOTE_REF);
    if (!n) {
        note_status(w, OCT_ERR_LIMIT);
        return;
    }
    oct_node_set_footnote_label(n, label);
    flush_space(w);
    leaf(w, n);
    w->has_content = 1;
    w->block_started = 1;
    w->last_space = 0;
}

/* HTML elements outside the table above whose content is simply text
 * (sorted for bsearch). */
static const char *const transparent_elements[] = {
    "big", "blink", "content", "data", "font", "label", "marquee", "menuitem", "nobr", "rb",
    "ruby", "slot", "spacer", "time",
};

static int compare_name(const void *name, const void *e)
{
    return strcmp(name, *(const char *const *)e);
}

/* With raw-html: what the model has no node for, kept as the HTML it is. */
static int is_unmappable(const xmlNode *e, kind k)
{
    if (k == K_INLINE)
        return !bsearch(e->name, transparent_elements,
                        sizeof transparent_elements / sizeof transparent_elements[0],
                        sizeof transparent_elements[0], compare_name);
    if (html_is(e, "script") || html_is(e, "style") || html_is(e, "textarea"))
        return 1;
    /* An <a> with neither a target nor a name says nothing a link can. */
    return k == K_A && !html_attr(e, "href") && !html_attr(e, "id") && !html_attr(e, "name");
}

/* Text or an element next to n on its line of content. */
static int has_inline_neighbour(const xmlNode *n)
{
    for (int forward = 0; forward < 2; forward++)
        for (const xmlNode *s = forward ? n->next : n->prev; s; s = forward ? s->next : s->prev) {
            if (s->type == XML_ELEMENT_NODE) {
                const kind k = kind_of(s);
                /* unknown ones are no evidence either way */
                if (k >= K_A || k == K_BR || k == K_IMG)
                    return 1;
                break;
            }
            if (s->type == XML_TEXT_NODE) {
                size_t len;
                html_trim((const char *)s->content, &len);
                if (len)
                    return 1;
            }
        }
    return 0;
}

/* A comment every reader of raw HTML takes for one: no "--" inside and no
 * ">" or "->" first (CommonMark before 0.31 and HTML 4 disagree on those). */
static int comment_is_portable(const xmlNode *c)
{
    const char *s = (const char *)c->content;
    if (!s || s[0] == '>' || (s[0] == '-' && s[1] == '>') || strstr(s, "--"))
        return 0;
    const size_t len = strlen(s);
    return len == 0 || s[len - 1] != '-';
}

/* e holds nothing but white space and comments: what the author wrote is
 * an empty element, which the document keeps (see emptied.c). */
static int source_empty(const xmlNode *e)
{
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type == XML_COMMENT_NODE)
            continue;
        if (c->type != XML_TEXT_NODE || !is_blank((const char *)c->content))
            return 0;
    }
    return 1;
}

/* What an author may write empty and mean it (Markdown's "#", ">", "[](x)"). */
static int is_kept_when_empty(oct_node_type t)
{
    return t == OCT_NODE_HEADING || t == OCT_NODE_BLOCK_QUOTE || t == OCT_NODE_LINK;
}

/* len bytes of HTML as a raw node: inline among words, else a block of its
 * own (carrying e's id, when e is given). */
static oct_node *raw_out(walker *w, const char *s, size_t len, int inline_raw,
                         const xmlNode *e)
{
    oct_node *raw = oct_node_new(w->doc, inline_raw ? OCT_NODE_RAW_INLINE : OCT_NODE_RAW_BLOCK);
    if (!raw) {
        note_status(w, OCT_ERR_LIMIT);
        return NULL;
    }
    oct_status st = oct_node_set_raw_format(raw, "html");
    if (st == OCT_OK)
        st = oct_node_set_literal(raw, s, len);
    if (st != OCT_OK) {
        note_status(w, st);
        return NULL;
    }
    if (e)
        common_attributes(e, raw, !inline_raw);
    if (inline_raw) {
        flush_space(w);
        leaf(w, raw);
        w->has_content = 1;
        w->block_started = 1;
        w->last_space = 0;
    } else {
        paragraph_break(w);
        block_boundary(w);
        leaf(w, raw);
    }
    return raw;
}

/* An attribute name every reader of raw HTML takes for one (CommonMark's
 * raw HTML grammar); others are left out of a written tag. */
static int attribute_name_is_portable(const char *s)
{
    if (!((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z') && *s != '_' && *s != ':')
        return 0;
    for (s++; *s; s++)
        if (!((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z') && !(*s >= '0' && *s <= '9') &&
            !strchr("_.:-", *s))
            return 0;
    return 1;
}

/* e's start tag (with its attributes), or end tag, into b. Values keep their
 * line ends as references, so the tag stays on one line of Markdown. */
static void put_tag(oct_buf *b, const xmlNode *e, int end)
{
    oct_buf_puts(b, end ? "</" : "<");
    oct_buf_puts(b, (const char *)e->name);
    for (const xmlAttr *a = end ? NULL : e->properties; a; a = a->next) {
        if (!attribute_name_is_portable((const char *)a->name))
            continue;
        oct_buf_printf(b, " %s", (const char *)a->name);
        xmlChar *v = a->children ? xmlNodeListGetString(e->doc, a->children, 1) : NULL;
        if (!v)
            continue;
        oct_buf_puts(b, "=\"");
        for (const char *p = (const char *)v; *p; p++) {
            switch (*p) {
            case '&': oct_buf_puts(b, "&amp;"); break;
            case '"': oct_buf_puts(b, "&quot;"); break;
            case '<': oct_buf_puts(b, "&lt;"); break;
            case '>': oct_buf_puts(b, "&gt;"); break;
            case '\n': oct_buf_puts(b, "&#10;"); break;
            case '\r': oct_buf_puts(b, "&#13;"); break;
            case '\t': oct_buf_puts(b, "&#9;"); break;
            default: oct_buf_putc(b, *p);
            }
        }
        oct_buf_putc(b, '"');
        xmlFree(v);
    }
    oct_buf_putc(b, '>');
}

/* With raw-html, a grouping element Markdown has no syntax for (div,
 * section, details...) keeps its tags as raw blocks around the content,
 * which stays Markdown. Not the page itself, nor one inside a heading. */
static int keeps_raw_tags(const walker *w, const xmlNode *e, kind k)
{
    return w->opt->raw_html && k == K_BLOCK && e != w->top && !html_is(e, "html") &&
           !html_is(e, "body") && !(flags_now(w) & F_INLINE_BLOCK);
}

/* e's start tag, or end tag, as a raw block; for an element with nothing
 * in it, both at once (*whole is set). Returns the node, or NULL. */
static oct_node *raw_tag_block(walker *w, const xmlNode *e, int end, int *whole)
{
    oct_buf b;
    oct_buf_init(&b, 0);
    put_tag(&b, e, end);
    *whole = !end && source_empty(e);
    if (*whole)
        put_tag(&b, e, 1);
    oct_node *raw = NULL;
    if (b.status == OCT_OK)
        raw = raw_out(w, b.data, b.len, 0, end ? NULL : e);
    else
        note_status(w, b.status);
    oct_buf_free(&b);
    return raw;
}

/* The block content flows into now (not the paragraph or formatting
 * open in it). */
static const oct_node *current_container(const walker *w)
{
    const oct_node *n = oct_builder_current(w->b);
    while (oct_node_parent(n) && holds_inlines(oct_node_get_type(n)))
        n = oct_node_parent(n);
    return n;
}

/* Ends what raw_tag_block started: the end tag goes where the start tag
 * went. When the builder had to put the content elsewhere (an <li> inside
 * a <div> inside an <li> became the next item), the two would not pair up
 * in the output: the start tag goes too, the content stays. */
static void raw_tag_end(walker *w, const frame *f)
{
    if (!f->raw_start)
        return;
    if (oct_node_parent(f->raw_start) != current_container(w)) {
        oct_node_unlink(f->raw_start);
        return;
    }
    int whole;
    raw_tag_block(w, f->element, 1, &whole);
}

/* n (an element or a comment) serialized as raw HTML: inline where it
 * stands among words, else a block of its own. */
static void emit_raw(walker *w, xmlNode *n)
{
    xmlBufferPtr buf = xmlBufferCreate();
    xmlOutputBufferPtr out = buf ? xmlOutputBufferCreateBuffer(buf, NULL) : NULL;
    if (!out) {
        xmlBufferFree(buf);
        note_status(w, OCT_ERR_NOMEM);
        return;
    }
    /* HTML's own serialization (void elements, script text unescaped),
     * without added line ends. */
    htmlNodeDumpFormatOutput(out, n->doc, n, "UTF-8", 0);
    if (xmlOutputBufferClose(out) < 0 || xmlBufferLength(buf) == 0) {
        xmlBufferFree(buf);
        return;
    }
    const int in_run = holds_inlines(oct_node_get_type(oct_builder_current(w->b)));
    const int inline_raw = in_run || has_inline_neighbour(n) || (flags_now(w) & F_INLINE_BLOCK);
    raw_out(w, (const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf), inline_raw,
            NULL);
    xmlBufferFree(buf);
}

/* Handles entering element e. Returns 1 when its children are to be walked
 * (a frame was pushed), 0 when it is done with. */
static int enter_element(walker *w, xmlNode *e)
{
    const unsigned inherited = flags_now(w);
    frame f = {NULL, 0, 0, 0, (unsigned char)inherited, 0, NULL, NULL};
    kind k = kind_of(e);

    if (html_is_hidden(e))
        return 0;
    if (w->opt->raw_html && !(inherited & (F_PRE | F_CODE)) && is_unmappable(e, k)) {
        emit_raw(w, e);
        return 0;
    }
    if (k == K_DROP)
        return 0;
    /* A <dialog> without open is not shown. */
    if (html_is(e, "dialog") && !html_attr(e, "open"))
        return 0;
    if (k == K_SVG) {
        if (!w->warned_svg)
            oct_warn(w->ctx, "inline SVG dropped");
        w->warned_svg = 1;
        return 0;
    }

    /* Footnotes: a definition goes under the root wherever it stands. */
    html_notes *notes = w->opt->notes;
    const char *note_label = notes ? html_notes_enter(notes, e) : NULL;
    if (note_label) {
        oct_node *def = oct_node_new(w->doc, OCT_NODE_FOOTNOTE_DEF);
        if (!def) {
            note_status(w, OCT_ERR_LIMIT);
            return 0;
        }
        oct_node_set_footnote_label(def, note_label);
        f.flags = F_NOTE;
        f.block = 1;
        block_boundary(w);
        commit_open(w, def, &f);
        w->has_content = 0;
        return push_frame(w, f);
    }
    if (notes && (k == K_A || k == K_SUP)) {
        if ((inherited & F_NOTE) && k == K_A && html_notes_is_backlink(notes, e))
            return 0;
        const char *label = html_notes_ref_label(notes, e);
        if (label) {
            emit_note_ref(w, label);
            return 0;
        }
    }

    /* Inside preformatted text or code, markup is only text. */
    if (inherited & (F_PRE | F_CODE)) {
        if (k == K_BR) {
            text_out(w, (inherited & F_PRE) ? "\n" : " ", 1);
            return 0;
        }
        if (k == K_IMG || k == K_PICTURE || k == K_NOSCRIPT)
            return 0;
        return push_frame(w, f);
    }

    oct_node *n = NULL;
    switch (k) {
    case K_BR:
        /* Written before the next content: a <br> that ends a block, or
         * starts one, is not a line. */
        if (w->block_started && w->pending_breaks < MAX_PENDING_BREAKS)
            w->pending_breaks++;
        w->has_content = 0;
        w->pending_space = 0;
        w->last_space = 0;
        return 0;
    case K_HR:
        block_boundary(w);
        leaf(w, open_node(w, e, OCT_NODE_THEMATIC_BREAK));
        return 0;
    case K_IMG:
        if (!img_replaced_by_noscript(e))
            emit_image(w, e, NULL);
        return 0;
    case K_PICTURE:
        emit_image(w, html_find_descendant(e, "img", 256), e);
        return 0;
    case K_NOSCRIPT:
        /* Otherwise transparent: it often stands inside a paragraph. */
        if (noscript_is_redundant(e))
            return 0;
        break;
    case K_HEADING:
        n = open_node(w, e, OCT_NODE_HEADING);
        if (n)
            oct_node_set_heading_level(n, e->name[1] - '0');
        f.block = 1;
        f.flags |= F_INLINE_BLOCK;
        break;
    case K_P:
        /* <figcaption><p>…</p></figcaption>: the caption keeps its text. */
        if (!(inherited & F_INLINE_BLOCK))
            n = open_node(w, e, OCT_NODE_PARAGRAPH);
        f.block = 1;
        break;
    case K_BLOCKQUOTE:
        n = open_node(w, e, OCT_NODE_BLOCK_QUOTE);
        if (n && html_attr(e, "cite")) {
            const char *cite = html_resolve(w->opt->base, w->doc, html_attr(e, "cite"));
            if (cite)
                oct_node_set_cite(n, cite);
        }
        f.block = 1;
        f.flags &= (unsigned char)~F_INLINE_BLOCK;
        break;
    case K_UL:
    case K_OL:
        n = open_node(w, e, OCT_NODE_LIST);
        if (n)
            setup_list(e, k, n);
        f.block = 1;
        f.flags &= (unsigned char)~F_INLINE_BLOCK;
        break;
    case K_LI:
        n = open_node(w, e, OCT_NODE_LIST_ITEM);
        if (n)
            setup_item(e, n);
        f.block = 1;
        f.flags &= (unsigned char)~F_INLINE_BLOCK;
        break;
    case K_DL:
        n = open_node(w, e, OCT_NODE_DEFINITION_LIST);
        f.block = 1;
        break;
    case K_DT:
        n = open_node(w, e, OCT_NODE_DEFINITION_TERM);
        f.block = 1;
        f.flags |= F_INLINE_BLOCK;
        break;
    case K_DD:
        n = open_node(w, e, OCT_NODE_DEFINITION_DESC);
        f.block = 1;
        f.flags &= (unsigned char)~F_INLINE_BLOCK;
        break;
    case K_PRE:
        n = open_node(w, e, OCT_NODE_CODE_BLOCK);
        if (n)
            language_of_code(e, n);
        f.node = n;
        f.block = 1;
        f.flags |= F_PRE;
        break;
    case K_FIGURE:
        n = open_node(w, e, OCT_NODE_FIGURE);
        f.block = 1;
        f.flags &= (unsigned char)~F_INLINE_BLOCK;
        break;
    case K_FIGCAPTION:
        n = open_node(w, e, OCT_NODE_CAPTION);
        f.block = 1;
        f.flags |= F_INLINE_BLOCK;
        break;
    case K_TABLE:
        f.block = 1;
        f.flags &= (unsigned char)~(F_DATA_TABLE | F_LAYOUT_TABLE | F_INLINE_BLOCK);
        if (html_table_is_layout(e, (inherited & F_DATA_CELL) != 0)) {
            f.flags |= F_LAYOUT_TABLE;
            f.brk = 1;
        } else {
            n = open_node(w, e, OCT_NODE_TABLE);
            f.flags |= F_DATA_TABLE;
            f.flags &= (unsigned char)~F_DATA_CELL;
        }
        break;
    case K_CAPTION:
        f.block = 1;
        if (inherited & F_DATA_TABLE) {
            n = open_node(w, e, OCT_NODE_CAPTION);
            f.flags |= F_INLINE_BLOCK;
        } else {
            f.brk = 1;
        }
        break;
    case K_TSECTION:
        break;
    case K_TR:
        f.block = 1;
        if (inherited & F_DATA_TABLE) {
            n = open_node(w, e, OCT_NODE_TABLE_ROW);
            if (n)
                oct_node_set_row_section(n, row_section(e));
        } else {
            f.brk = 1;
        }
        break;
    case K_CELL:
        f.block = 1;
        if (inherited & F_DATA_TABLE) {
            n = open_node(w, e, OCT_NODE_TABLE_CELL);
            if (n)
                html_cell_setup(e, n);
            f.flags |= F_DATA_CELL;
        } else {
            f.brk = 1;
        }
        break;
    case K_A: {
        const char *href = html_attr(e, "href");
        const char *url = href ? html_resolve(w->opt->base, w->doc, href) : NULL;
        if (!url && href && is_blank(href)) {
            /* href="" is a link to this very document, not a missing one. */
            const char *self = w->opt->base->url ? w->opt->base->url : "";
            url = oct_doc_strndup(w->doc, self, strlen(self));
        }
        if (url) {
            n = open_node(w, e, OCT_NODE_LINK);
            if (n) {
                oct_node_set_url(n, url);
                const char *title = html_attr(e, "title");
                if (title && *title)
                    oct_node_set_title(n, title);
            }
        } else if (has_lang_or_dir(e)) {
            n = open_node(w, e, OCT_NODE_SPAN);
        }
        break;
    }
    case K_EMPH: n = open_node(w, e, OCT_NODE_EMPH); break;
    case K_STRONG: n = open_node(w, e, OCT_NODE_STRONG); break;
    case K_UNDERLINE: n = open_node(w, e, OCT_NODE_UNDERLINE); break;
    case K_STRIKE: n = open_node(w, e, OCT_NODE_STRIKEOUT); break;
    case K_SUB: n = open_node(w, e, OCT_NODE_SUBSCRIPT); break;
    case K_SUP: n = open_node(w, e, OCT_NODE_SUPERSCRIPT); break;
    case K_MARK: n = open_node(w, e, OCT_NODE_HIGHLIGHT); break;
    case K_Q: n = open_node(w, e, OCT_NODE_QUOTED); break;
    case K_CODE:
        n = open_node(w, e, OCT_NODE_CODE);
        f.flags |= F_CODE;
        f.code = 1;
        w->last_space = 0;
        break;
    case K_SMALL:
    case K_ABBR:
        n = open_node(w, e, OCT_NODE_SPAN);
        if (n)
            oct_node_set_class(n, k == K_SMALL ? "small" : "abbr");
        break;
    case K_BLOCK:
        f.block = 1;
        f.brk = 1;
        if (keeps_raw_tags(w, e, k)) {
            int whole;
            f.raw_start = raw_tag_block(w, e, 0, &whole);
            if (whole)
                return 0;
            f.element = e;
        }
        if (has_lang_or_dir(e))
            n = open_node(w, e, (inherited & F_INLINE_BLOCK) ? OCT_NODE_SPAN : OCT_NODE_DIV);
        break;
    case K_SPAN:
    case K_INLINE:
    default:
        if (has_lang_or_dir(e))
            n = open_node(w, e, OCT_NODE_SPAN);
        break;
    }

    if (f.block) {
        if (f.brk)
            paragraph_break(w);
        block_boundary(w);
    }
    if (n && !commit_open(w, n, &f))
        f.node = NULL;
    if (!n && !f.raw_start)
        keep_id(w, e);
    else if (n && is_kept_when_empty(oct_node_get_type(n)) && source_empty(e) &&
             !html_kept_empty_add(w->opt->kept, n))
        w->status = OCT_ERR_NOMEM;
    return push_frame(w, f);
}

/* The line end that closes the last line is markup too (a browser shows
 * no empty line for it), and so is a last line of only blanks after it
 * (the source's indentation of </pre>). Blank lines before stay: they
 * show. So do blanks ending a one-line block; those ending the last line
 * of a longer one are invisible and go. */
static void trim_code_block(oct_node *n)
{
    size_t len;
    const char *s = oct_node_literal(n, &len);
    if (!s)
        return;
    size_t end = len;
    while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
    if (end == 0 || s[end - 1] != '\n')
        end = len;
    /* After a blank line the line end stays: writers read a final line
     * end as closing the line before it, so dropping it would lose one. */
    if (end > 0 && s[end - 1] == '\n' && !(end > 1 && s[end - 2] == '\n'))
        end--;
    size_t word = end;
    while (word > 0 && (s[word - 1] == ' ' || s[word - 1] == '\t'))
        word--;
    if (word > 0 && s[word - 1] != '\n' && memchr(s, '\n', word))
        end = word;
    if (end != len)
        oct_node_set_literal(n, s, end);
}

static void leave_element(walker *w)
{
    const frame f = w->stack[--w->depth];
    w->flags = w->depth ? w->stack[w->depth - 1].flags : 0;
    for (unsigned i = 0; i < f.opens; i++)
        note_status(w, oct_builder_close(w->b));
    if (f.node && oct_node_get_type(f.node) == OCT_NODE_CODE_BLOCK)
        trim_code_block(f.node);
    if (f.code) {
        /* A space after the code is a new one, not part of the code's. */
        w->last_space = 0;
        w->has_content = 1;
    }
    if (f.block) {
        if (f.brk)
            paragraph_break(w);
        block_boundary(w);
    }
    raw_tag_end(w, &f);
}

/* Inline code: white space collapses as in a browser, but the spaces at
 * its edges are part of it (` a` is not `a`). */
static void code_text(walker *w, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (html_is_space((unsigned char)s[i])) {
            while (i < len && html_is_space((unsigned char)s[i]))
                i++;
            if (!w->last_space)
                text_out(w, " ", 1);
            continue;
        }
        const size_t start = i;
        while (i < len && !html_is_space((unsigned char)s[i]))
            i++;
        text_out(w, s + start, i - start);
    }
    w->has_content = 1;
    w->block_started = 1;
}

/* The end of the white space at p, in a NUL-terminated string. Runs are
 * short (a line end and an indentation): a byte at a time beats eight. */
static const char *skip_space(const char *p)
{
    while (html_is_space((unsigned char)*p))
        p++;
    return p;
}

/* The end of the word at p, in a NUL-terminated string: white space is the
 * only byte below '!' besides the NUL that does not belong to it. */
static const char *skip_word(const char *p)
{
    for (;;) {
        while ((unsigned char)*p > ' ')
            p++;
        if (!*p || html_is_space((unsigned char)*p))
            return p;
        p++;
    }
}

/* Adds n bytes to the words gathered in run, sending them on first when
 * there is no room (and what does not fit at all on its own). */
static void run_put(walker *w, char *run, size_t *used, const char *s, size_t n)
{
    if (*used + n > RUN_SIZE) {
        if (*used)
            text_out(w, run, *used);
        *used = 0;
        if (n > RUN_SIZE) {
            text_out(w, s, n);
            return;
        }
    }
    memcpy(run + *used, s, n);
    *used += n;
}

/* The builder now appends text where it stands rather than dropping white
 * space (between blocks) or opening a paragraph first. */
static int builder_in_run(const walker *w)
{
    return holds_inlines(oct_node_get_type(oct_builder_current(w->b)));
}

/* Text outside pre and code: white space collapses to one space between
 * words. The words go to the builder in one call, a buffer at a time: a
 * stretch of the source whose words are already one space apart is
 * copied whole, and a text that is one such stretch is sent as it is. The
 * collapsed space before the first word goes with them when the builder
 * would keep it anyway (no <br> waiting, text allowed where it stands). */
static void flowing_text(walker *w, const char *s)
{
    char run[RUN_SIZE];
    size_t used = 0;
    const char *piece = NULL, *piece_end = NULL; /* words not yet in run */
    const char *p = s;
    while (*p) {
        if (html_is_space((unsigned char)*p)) {
            p = skip_space(p);
            if (w->has_content && !w->last_space)
                w->pending_space = 1;
            continue;
        }
        const char *word = p;
        p = skip_word(p);
        if (!piece) {
            const int space = w->pending_space && w->has_content && !w->last_space &&
                              !w->pending_breaks && builder_in_run(w);
            if (space && word > s && word[-1] == ' ')
                word--; /* the space the source has there will do */
            else if (space)
                run[used++] = ' ';
            else
                flush_space(w);
            w->has_content = 1;
            w->block_started = 1;
            w->last_space = 0;
            piece = word;
        } else if (!(word == piece_end + 1 && *piece_end == ' ')) {
            run_put(w, run, &used, piece, (size_t)(piece_end - piece));
            run_put(w, run, &used, " ", 1);
            piece = word;
        }
        piece_end = p;
        w->pending_space = 0;
    }
    if (!piece)
        return;
    if (used == 0)
        text_out(w, piece, (size_t)(piece_end - piece));
    else {
        run_put(w, run, &used, piece, (size_t)(piece_end - piece));
        text_out(w, run, used);
    }
}

static void text_node(walker *w, const xmlNode *t)
{
    const char *s = (const char *)t->content;
    if (!s)
        return;
    const unsigned flags = flags_now(w);
    if (!(flags & (F_PRE | F_CODE))) {
        flowing_text(w, s);
        return;
    }
    const size_t len = strlen(s);
    if (flags & F_PRE) {
        /* Only the line end right after <pre> is markup (not one after
         * <pre><code>). */
        if (t->prev == NULL && t->parent && kind_of(t->parent) == K_PRE && s[0] == '\n') {
            s++;
            if (len == 1)
                return;
            text_out(w, s, len - 1);
            return;
        }
        text_out(w, s, len);
        return;
    }
    code_text(w, s, len);
}

/* Walks top and its subtree. */
static void walk_tree(walker *w, xmlNode *top)
{
    xmlNode *n = top;
    for (;;) {
        if (w->status)
            return;
        if ((++w->visited & 4095) == 0 && oct_interrupted()) {
            w->status = OCT_ERR_INTERRUPTED;
            return;
        }
        int descend = 0;
        if (n->type == XML_ELEMENT_NODE)
            descend = enter_element(w, n);
        else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
            text_node(w, n);
        else if (n->type == XML_COMMENT_NODE && w->opt->raw_html &&
                 !(flags_now(w) & (F_PRE | F_CODE)) && comment_is_portable(n))
            emit_raw(w, n);
        if (descend && n->children) {
            n = n->children;
            continue;
        }
        if (descend)
            leave_element(w);
        for (;;) {
            if (n == top)
                return;
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
            leave_element(w);
        }
    }
}

oct_status html_walk(oct_context *ctx, xmlNode *root, const html_walk_options *opt,
                     oct_builder *b, oct_error *err)
{
    walker w = {0};
    w.ctx = ctx;
    w.b = b;
    w.doc = oct_node_doc(oct_builder_current(b));
    w.opt = opt;
    w.top = root;
    for (xmlNode *c = opt->implied_head ? opt->implied_head->children : NULL; c; c = c->next)
        if (html_is(c, "script") || html_is(c, "style"))
            emit_raw(&w, c);
    if (root)
        walk_tree(&w, root);
    /* Notes outside the walked part that it refers to. */
    size_t cursor = 0;
    xmlNode *note;
    while (opt->notes && !w.status && (note = html_notes_next_unwalked(opt->notes, &cursor)))
        walk_tree(&w, note);
    while (w.depth)
        leave_element(&w);
    free(w.stack);
    if (w.status)
        return oct_error_set(err, w.status, oct_context_where(ctx), 0,
                             "reading the HTML tree: %s", oct_status_message(w.status));
    return OCT_OK;
}
