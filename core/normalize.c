/*
 * normalize.c — the guarantees every writer may rely on, established once
 * after reading instead of defensively in each writer:
 *   - inline runs trimmed: no leading/trailing spaces or breaks in a block;
 *   - empty paragraphs, formatting, lists, rows and tables removed;
 *   - footnotes: every reference has a definition (a dangling one becomes
 *     text), labels are unique, definitions sit at the end of the root in
 *     order of first reference;
 *   - ids are unique, XML-safe names; every heading has one (from its text);
 *     internal links point at an existing id or are unwrapped.
 */
#include "internal.h"
#include "hash_bytes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ string set */

typedef struct strset {
    const char **slots;
    const char **values; /* for maps: value per slot */
    size_t cap, len;
} strset;

static int set_grow(strset *s)
{
    size_t cap = s->cap ? s->cap * 2 : 64;
    const char **slots = calloc(cap, sizeof *slots), **values = calloc(cap, sizeof *values);
    if (!slots || !values) { free(slots); free(values); return 0; }
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->slots[i]) continue;
        size_t j = oct_hash_str(s->slots[i]) & (cap - 1);
        while (slots[j]) j = (j + 1) & (cap - 1);
        slots[j] = s->slots[i];
        values[j] = s->values[i];
    }
    free(s->slots);
    free(s->values);
    s->slots = slots;
    s->values = values;
    s->cap = cap;
    return 1;
}

static size_t set_find(const strset *s, const char *key)
{
    if (!s->cap) return SIZE_MAX;
    size_t j = oct_hash_str(key) & (s->cap - 1);
    while (s->slots[j]) {
        if (strcmp(s->slots[j], key) == 0) return j;
        j = (j + 1) & (s->cap - 1);
    }
    return SIZE_MAX;
}

static int set_has(const strset *s, const char *key) { return set_find(s, key) != SIZE_MAX; }
static const char *map_get(const strset *s, const char *key)
{
    size_t j = set_find(s, key);
    return j == SIZE_MAX ? NULL : s->values[j];
}

/* Keys and values are arena strings owned by the document. */
static int set_put(strset *s, const char *key, const char *value)
{
    size_t j = set_find(s, key);
    if (j != SIZE_MAX) { s->values[j] = value; return 1; }
    if ((s->len + 1) * 2 > s->cap && !set_grow(s)) return 0;
    j = oct_hash_str(key) & (s->cap - 1);
    while (s->slots[j]) j = (j + 1) & (s->cap - 1);
    s->slots[j] = key;
    s->values[j] = value;
    s->len++;
    return 1;
}

static void set_free(strset *s)
{
    free(s->slots);
    free(s->values);
    memset(s, 0, sizeof *s);
}

/* ------------------------------------------------------------- trimming */

static int holds_inline_run(int t)
{
    return t == OCT_NODE_PARAGRAPH || t == OCT_NODE_HEADING || t == OCT_NODE_CAPTION ||
           t == OCT_NODE_DEFINITION_TERM;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void trim_run(oct_node *block)
{
    /* leading: drop breaks and whitespace-only text, trim the first text */
    for (oct_node *c = block->first_child; c;) {
        oct_node *next = c->next;
        if (c->type == OCT_NODE_SOFT_BREAK || c->type == OCT_NODE_LINE_BREAK) { oct_node_unlink(c); c = next; continue; }
        if (c->type != OCT_NODE_TEXT) break;
        size_t i = 0;
        while (i < c->literal_len && is_space(c->literal[i])) i++;
        c->literal += i;
        c->literal_len -= i;
        if (c->literal_len) break;
        oct_node_unlink(c);
        c = next;
    }
    for (oct_node *c = block->last_child; c;) {
        oct_node *prev = c->prev;
        if (c->type == OCT_NODE_SOFT_BREAK || c->type == OCT_NODE_LINE_BREAK) { oct_node_unlink(c); c = prev; continue; }
        if (c->type != OCT_NODE_TEXT) break;
        size_t n = c->literal_len;
        while (n > 0 && is_space(c->literal[n - 1])) n--;
        if (n) {
            if (n != c->literal_len) {
                /* literals are NUL-terminated: copy rather than cut in place */
                char *copy = oct_arena_strndup(&block->doc->arena, c->literal, n);
                if (copy) { c->literal = copy; c->literal_len = n; }
            }
            break;
        }
        oct_node_unlink(c);
        c = prev;
    }
}

/* A container that means nothing once empty. An empty heading, quote or
 * link is kept: in a source it is something the author wrote (Markdown's
 * "#", ">", "[](x)"), and readers drop the ones their reading emptied. */
static int prunable_when_empty(int t)
{
    switch (t) {
    case OCT_NODE_PARAGRAPH: case OCT_NODE_LIST:
    case OCT_NODE_TABLE: case OCT_NODE_TABLE_ROW: case OCT_NODE_DEFINITION_LIST:
    case OCT_NODE_DIV: case OCT_NODE_FIGURE: case OCT_NODE_CAPTION:
    case OCT_NODE_EMPH: case OCT_NODE_STRONG: case OCT_NODE_STRIKEOUT: case OCT_NODE_SUPERSCRIPT:
    case OCT_NODE_SUBSCRIPT: case OCT_NODE_UNDERLINE: case OCT_NODE_SPAN: case OCT_NODE_HIGHLIGHT:
    case OCT_NODE_SMALL_CAPS:
        return 1;
    case OCT_NODE_TEXT:
        return 1; /* empty literal */
    default:
        return 0;
    }
}

static int is_empty(const oct_node *n)
{
    if (n->type == OCT_NODE_TEXT) return n->literal_len == 0;
    if (n->type == OCT_NODE_TABLE) {
        for (const oct_node *c = n->first_child; c; c = c->next)
            if (c->type == OCT_NODE_TABLE_ROW) return 0;
        return 1;
    }
    return n->first_child == NULL;
}

/* Post-order: each node's children are settled when it exits. */
static void trim_and_prune(oct_doc *doc)
{
    oct_iter it;
    oct_iter_init(&it, doc->root);
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        if (ev != OCT_EVENT_EXIT) continue;
        oct_node *n = (oct_node *)it.node;
        if (holds_inline_run(n->type)) trim_run(n);
        for (oct_node *c = n->first_child; c;) {
            oct_node *next = c->next;
            if (prunable_when_empty(c->type) && is_empty(c)) {
                /* a table left with only a caption keeps its words as a paragraph */
                if (c->type == OCT_NODE_TABLE && c->first_child) {
                    oct_node *cap = c->first_child;
                    oct_node_retype(cap, OCT_NODE_PARAGRAPH);
                    oct_node_unlink(cap);
                    oct_node_insert_before(c, cap);
                }
                oct_node_unlink(c);
            }
            c = next;
        }
    }
}

/* ------------------------------------------------------------------ ids */

/* An XML NCName made of ASCII letters, digits, '-', '_' and '.', starting
 * with a letter or '_': valid in XHTML, OOXML bookmarks and URLs alike. */
static void slugify(const char *text, size_t len, char *out, size_t size)
{
    size_t o = 0;
    int dash = 0;
    for (size_t i = 0; i < len && o + 2 < size; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.') {
            if (dash && o) out[o++] = '-';
            out[o++] = (char)c;
            dash = 0;
        } else if (c >= 'A' && c <= 'Z') {
            if (dash && o) out[o++] = '-';
            out[o++] = (char)(c - 'A' + 'a');
            dash = 0;
        } else if (c < 0x80 || (c & 0xC0) != 0x80) {
            dash = 1; /* separators and each non-ASCII character */
        }
        if (o >= 48) break; /* ids stay readable */
    }
    while (o && (out[o - 1] == '-' || out[o - 1] == '.')) o--;
    out[o] = '\0';
    if (!o || !((out[0] >= 'a' && out[0] <= 'z') || out[0] == '_')) {
        /* "s" for nothing, "s-" before a digit: o is at most 49, size 96 */
        const size_t prefix = o ? 2 : 1;
        memmove(out + prefix, out, o + 1);
        memcpy(out, "s-", prefix);
    }
}

static int valid_ncname(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == '.'))
            return 0;
    return 1;
}

/* Text of a node's inline content, bounded (for slugs and comparisons). */
size_t oct_node_plain_text(const oct_node *n, char *out, size_t size)
{
    size_t o = 0;
    oct_iter it;
    oct_iter_init(&it, n);
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE && o + 1 < size) {
        if (ev != OCT_EVENT_ENTER) continue;
        const oct_node *c = it.node;
        const char *s = NULL;
        size_t len = 0;
        if (c->type == OCT_NODE_TEXT || c->type == OCT_NODE_CODE) { s = c->literal; len = c->literal_len; }
        else if (c->type == OCT_NODE_SOFT_BREAK || c->type == OCT_NODE_LINE_BREAK) { s = " "; len = 1; }
        if (!s) continue;
        if (len > size - 1 - o) len = size - 1 - o;
        memcpy(out + o, s, len);
        o += len;
    }
    out[o] = '\0';
    return o;
}

/* used maps every id taken to itself; next_k maps a wanted id to the first
 * suffix worth trying, so 50,000 headings called "Notes" cost 50,000 steps,
 * not 50,000 squared. */
static const char *unique_id(oct_doc *doc, strset *used, strset *next_k, const char *want)
{
    char buf[96];
    if (!set_has(used, want)) {
        const char *id = oct_doc_intern(doc, want);
        return id && set_put(used, id, id) ? id : NULL;
    }
    unsigned *k = (unsigned *)map_get(next_k, want);
    if (!k) {
        const char *key = oct_doc_intern(doc, want);
        k = oct_arena_alloc(&doc->arena, sizeof *k);
        if (!key || !k || !set_put(next_k, key, (const char *)k)) return NULL;
        *k = 2;
    }
    do snprintf(buf, sizeof buf, "%.80s-%u", want, (*k)++);
    while (set_has(used, buf));
    const char *id = oct_doc_intern(doc, buf);
    return id && set_put(used, id, id) ? id : NULL;
}

/* The internal links met on the way, for the second pass. */
typedef struct link_list {
    oct_node **at;
    size_t len, cap;
} link_list;

static int remember_link(link_list *l, oct_node *link)
{
    if (l->len == l->cap) {
        const size_t cap = l->cap ? l->cap * 2 : 64;
        oct_node **p = realloc(l->at, cap * sizeof *p);
        if (!p) return 0;
        l->at = p;
        l->cap = cap;
    }
    l->at[l->len++] = link;
    return 1;
}

/* A link to an id follows its rename; one to no id at all is unwrapped, its
 * content kept where it stood (inline in inline: always allowed). */
static oct_status fix_internal_link(oct_doc *doc, const strset *used, const strset *renamed,
                                    oct_node *link)
{
    const char *frag = link->as.link.url + 1;
    const char *to = map_get(renamed, frag);
    if (!to && set_has(used, frag)) to = map_get(used, frag);
    if (!to) {
        while (link->first_child) oct_node_insert_before(link, link->first_child);
        oct_node_unlink(link);
        return OCT_OK;
    }
    const size_t len = strlen(to);
    char *url = oct_arena_alloc(&doc->arena, len + 2);
    if (!url) return OCT_ERR_NOMEM;
    url[0] = '#';
    memcpy(url + 1, to, len + 1);
    link->as.link.url = url;
    return OCT_OK;
}

static oct_status fix_ids(oct_doc *doc)
{
    strset used = {0}, renamed = {0}, next_k = {0};
    link_list links = {0};
    oct_status st = OCT_OK;
    oct_iter it;
    /* Pass 1: keep valid ids (first come, first served), rename the rest,
     * and list the internal links. */
    oct_iter_init(&it, doc->root);
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE && !st) {
        if (ev != OCT_EVENT_ENTER) continue;
        oct_node *n = (oct_node *)it.node;
        if (n->type == OCT_NODE_LINK && n->as.link.url[0] == '#' && !remember_link(&links, n)) {
            st = OCT_ERR_NOMEM;
            break;
        }
        if (!n->id && n->type != OCT_NODE_HEADING) continue;
        char want[96];
        size_t id_len = n->id ? strlen(n->id) : 0;
        if (n->id && id_len < 80 && valid_ncname(n->id)) memcpy(want, n->id, id_len + 1);
        else if (n->id) slugify(n->id, id_len, want, sizeof want);
        else {
            char text[256];
            size_t len = oct_node_plain_text(n, text, sizeof text);
            slugify(text, len, want, sizeof want);
        }
        const char *old = n->id;
        const char *id = unique_id(doc, &used, &next_k, want);
        if (!id) { st = OCT_ERR_NOMEM; break; }
        if (old && strcmp(old, id) != 0 && !set_has(&renamed, old) && !set_put(&renamed, old, id))
            st = OCT_ERR_NOMEM;
        n->id = id;
    }
    /* Pass 2, once every id is known: each link is fixed on its own, so the
     * order does not matter (unwrapping one keeps the others' places). */
    for (size_t i = 0; i < links.len && !st; i++)
        st = fix_internal_link(doc, &used, &renamed, links.at[i]);
    free(links.at);
    set_free(&used);
    set_free(&renamed);
    set_free(&next_k);
    return st;
}

/* ------------------------------------------------------------ footnotes */

static oct_status fix_footnotes(oct_doc *doc)
{
    strset defs = {0}, referenced = {0};
    oct_status st = OCT_OK;
    /* nothing to number or move: no need to visit every top-level block */
    if (!oct_doc_may_hold(doc, OCT_NODE_FOOTNOTE_DEF) &&
        !oct_doc_may_hold(doc, OCT_NODE_FOOTNOTE_REF))
        return OCT_OK;
    /* Unique labels: a repeated label is renamed (its references already
     * point at the first definition, which is what a reader would see). */
    for (oct_node *n = doc->root->first_child; n && !st; n = n->next) {
        if (n->type != OCT_NODE_FOOTNOTE_DEF) continue;
        const char *label = n->as.note.label;
        if (!*label || set_has(&defs, label)) {
            char buf[96];
            unsigned k = 1;
            do snprintf(buf, sizeof buf, "%.60s%sdup%u", label, *label ? "-" : "", k++);
            while (set_has(&defs, buf));
            label = oct_doc_intern(doc, buf);
            if (!label) { st = OCT_ERR_NOMEM; break; }
            n->as.note.label = label;
        }
        if (!set_put(&defs, label, (const char *)n)) st = OCT_ERR_NOMEM;
    }
    /* Definitions move to the end in order of first reference. A reference
     * with no definition becomes the text a reader would have seen. */
    oct_iter it;
    oct_iter_init(&it, doc->root);
    oct_event ev;
    oct_node **ordered = NULL;
    size_t n_ordered = 0, cap = 0;
    const int has_refs = oct_doc_may_hold(doc, OCT_NODE_FOOTNOTE_REF);
    while (!st && has_refs && (ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        if (ev != OCT_EVENT_ENTER || it.node->type != OCT_NODE_FOOTNOTE_REF) continue;
        oct_node *ref = (oct_node *)it.node;
        oct_node *def = (oct_node *)map_get(&defs, ref->as.note.label);
        if (!def) {
            char buf[128];
            snprintf(buf, sizeof buf, "[%.100s]", ref->as.note.label);
            /* Turn the leaf into text in place: the walk continues from it. */
            oct_node_retype(ref, OCT_NODE_TEXT);
            ref->literal = oct_doc_intern(doc, buf);
            ref->literal_len = ref->literal ? strlen(ref->literal) : 0;
            if (!ref->literal) { ref->literal = ""; st = OCT_ERR_NOMEM; }
            continue;
        }
        if (set_has(&referenced, ref->as.note.label)) continue;
        if (!set_put(&referenced, def->as.note.label, def->as.note.label)) { st = OCT_ERR_NOMEM; break; }
        if (n_ordered == cap) {
            cap = cap ? cap * 2 : 16;
            oct_node **p = realloc(ordered, cap * sizeof *p);
            if (!p) { st = OCT_ERR_NOMEM; break; }
            ordered = p;
        }
        ordered[n_ordered++] = def;
    }
    if (!st) {
        for (size_t i = 0; i < n_ordered; i++) {
            oct_node_unlink(ordered[i]);
            oct_node_append_unchecked(doc->root, ordered[i]);
        }
        /* Unreferenced definitions follow, in document order. */
        oct_node *stop = n_ordered ? ordered[0] : NULL;
        for (oct_node *n = doc->root->first_child; n && n != stop;) {
            oct_node *next = n->next;
            if (n->type == OCT_NODE_FOOTNOTE_DEF && !set_has(&referenced, n->as.note.label)) {
                oct_node_unlink(n);
                oct_node_append_unchecked(doc->root, n);
                if (!stop) stop = n;
            }
            n = next;
        }
    }
    free(ordered);
    set_free(&defs);
    set_free(&referenced);
    return st;
}

oct_status oct_doc_normalize(oct_context *ctx, oct_doc *doc, oct_error *err)
{
    (void)ctx;
    if (!doc) return oct_error_set(err, OCT_ERR_INVALID_ARG, NULL, 0, NULL);
    trim_and_prune(doc);
    oct_status st = fix_footnotes(doc);
    if (!st) st = fix_ids(doc);
    if (st) return oct_error_set(err, st, NULL, 0, "cannot normalise the document");
    return OCT_OK;
}
