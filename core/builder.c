/*
 * builder.c — how readers fill a document without ever breaking it.
 *
 * Readers report what they saw (open, text, close) and the builder decides
 * where it goes. Two stacks: the open stack is the path of nodes content now
 * flows into (including paragraphs, items and rows the builder opened on its
 * own); the reader stack has one entry per open the reader has not yet closed,
 * remembering which node (if any) that open produced. A block that arrives
 * inside inline formatting closes the formatting and remembers it; the next
 * inline content reopens a copy (HTML's "reconstruct the active formatting
 * elements"), so `<b>a<div>b</div>c</b>` keeps all three letters bold.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define NO_ENTRY SIZE_MAX
/* Wrappers the builder adds itself (item, row, cell, paragraph) may go this
 * far past max_depth; reader opens beyond max_depth are flattened. */
#define AUTO_DEPTH_SLACK 8

typedef struct open_slot {
    oct_node *node;
    size_t entry; /* reader entry that opened it, or NO_ENTRY for a wrapper */
} open_slot;

typedef struct reader_entry {
    oct_node *node;  /* what this open produced, NULL when flattened or a leaf */
    unsigned open : 1;   /* node is on the open stack */
    unsigned reopen : 1; /* closed early; reopen before more inline content */
    unsigned flat_block : 1; /* a block open that was flattened */
} reader_entry;

struct oct_builder {
    oct_doc *doc;
    open_slot *stack;
    size_t depth, stack_cap;
    reader_entry *entries;
    size_t n_entries, entries_cap;
    size_t *reopen;     /* indices of entries waiting to be reopened, ascending */
    size_t n_reopen, reopen_cap;
    oct_buf text;       /* text reported but not yet placed */
    size_t open_links;  /* LINK nodes on the open stack: links never nest */
    size_t flattened;
    oct_status status;
};

static int is_literal_container(oct_node_type t)
{
    return t == OCT_NODE_CODE_BLOCK || t == OCT_NODE_CODE || t == OCT_NODE_RAW_BLOCK ||
           t == OCT_NODE_RAW_INLINE;
}

/* Blocks whose content is inline: a block arriving inside them closes them. */
static int holds_inlines(oct_node_type t)
{
    return t == OCT_NODE_PARAGRAPH || t == OCT_NODE_HEADING || t == OCT_NODE_CAPTION ||
           t == OCT_NODE_DEFINITION_TERM || oct_node_type_is_inline(t);
}

static oct_node_type type_of(const oct_node *n) { return (oct_node_type)n->type; }
static oct_node *current(const oct_builder *b) { return b->stack[b->depth - 1].node; }

static oct_status fail(oct_builder *b, oct_status st)
{
    if (!b->status) b->status = st;
    return b->status;
}

oct_builder *oct_builder_new(oct_doc *doc)
{
    if (!doc) return NULL;
    oct_builder *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->doc = doc;
    b->stack_cap = 64;
    b->stack = malloc(b->stack_cap * sizeof *b->stack);
    if (!b->stack) { free(b); return NULL; }
    /* Content goes after whatever the document already holds. */
    b->stack[0].node = doc->root;
    b->stack[0].entry = NO_ENTRY;
    b->depth = 1;
    oct_buf_init(&b->text, 0);
    return b;
}

void oct_builder_free(oct_builder *b)
{
    if (!b) return;
    free(b->stack);
    free(b->entries);
    free(b->reopen);
    oct_buf_free(&b->text);
    free(b);
}

size_t oct_builder_flattened(const oct_builder *b) { return b ? b->flattened : 0; }
oct_node *oct_builder_current(const oct_builder *b) { return b ? current(b) : NULL; }

static oct_status push(oct_builder *b, oct_node *n, size_t entry)
{
    if (b->depth == b->stack_cap) {
        size_t cap = b->stack_cap * 2;
        open_slot *p = realloc(b->stack, cap * sizeof *p);
        if (!p) return fail(b, OCT_ERR_NOMEM);
        b->stack = p;
        b->stack_cap = cap;
    }
    b->stack[b->depth].node = n;
    b->stack[b->depth].entry = entry;
    b->depth++;
    if (n->type == OCT_NODE_LINK) b->open_links++;
    if (entry != NO_ENTRY) {
        b->entries[entry].node = n;
        b->entries[entry].open = 1;
    }
    return OCT_OK;
}

/* Places the pending text as a TEXT node in the current inline container. */
static oct_status flush_text(oct_builder *b)
{
    if (b->text.status) return fail(b, b->text.status);
    if (b->text.len == 0) return OCT_OK;
    oct_node *cur = current(b);
    if (is_literal_container(type_of(cur))) return OCT_OK; /* taken at its close */
    oct_node *last = cur->last_child;
    const char *old = (last && last->type == OCT_NODE_TEXT) ? last->literal : NULL;
    size_t old_len = old ? last->literal_len : 0;
    char *lit = oct_arena_alloc(&b->doc->arena, old_len + b->text.len + 1);
    if (!lit) return fail(b, OCT_ERR_NOMEM);
    if (old_len) memcpy(lit, old, old_len);
    memcpy(lit + old_len, b->text.data, b->text.len);
    lit[old_len + b->text.len] = '\0';
    if (old) {
        last->literal = lit;
        last->literal_len = old_len + b->text.len;
    } else {
        oct_node *t = oct_node_new(b->doc, OCT_NODE_TEXT);
        if (!t) return fail(b, OCT_ERR_LIMIT);
        t->literal = lit;
        t->literal_len = b->text.len;
        oct_node_append_unchecked(cur, t);
    }
    oct_buf_reset(&b->text);
    return OCT_OK;
}

static void remember_reopen(oct_builder *b, size_t entry)
{
    if (b->n_reopen == b->reopen_cap) {
        size_t cap = b->reopen_cap ? b->reopen_cap * 2 : 16;
        size_t *p = realloc(b->reopen, cap * sizeof *p);
        if (!p) { fail(b, OCT_ERR_NOMEM); return; }
        b->reopen = p;
        b->reopen_cap = cap;
    }
    /* Entries are popped innermost first; keep the list ascending. */
    size_t i = b->n_reopen++;
    while (i > 0 && b->reopen[i - 1] > entry) { b->reopen[i] = b->reopen[i - 1]; i--; }
    b->reopen[i] = entry;
    b->entries[entry].reopen = 1;
}

static void forget_reopen(oct_builder *b, size_t entry)
{
    for (size_t i = 0; i < b->n_reopen; i++)
        if (b->reopen[i] == entry) {
            memmove(b->reopen + i, b->reopen + i + 1, (b->n_reopen - i - 1) * sizeof *b->reopen);
            b->n_reopen--;
            break;
        }
    b->entries[entry].reopen = 0;
}

/* Pops the current node. Inline formatting that the reader still has open
 * (any entry but `closing`, the one being closed now) is remembered, to be
 * reopened before more inline content. */
#define CLOSING_NONE (NO_ENTRY - 1)
#define FINISHING NO_ENTRY
static void pop(oct_builder *b, size_t closing)
{
    open_slot s = b->stack[--b->depth];
    oct_node *n = s.node;
    if (is_literal_container(type_of(n))) {
        if (b->text.status) { fail(b, b->text.status); }
        else if (b->text.len) {
            char *lit = oct_arena_strndup(&b->doc->arena, b->text.data, b->text.len);
            if (!lit) fail(b, OCT_ERR_NOMEM);
            else { n->literal = lit; n->literal_len = b->text.len; }
        }
        oct_buf_reset(&b->text);
    }
    if (n->type == OCT_NODE_LINK) b->open_links--;
    if (s.entry != NO_ENTRY) {
        b->entries[s.entry].open = 0;
        if (closing != FINISHING && s.entry != closing && oct_node_type_is_inline(type_of(n)))
            remember_reopen(b, s.entry);
    }
}

/* Opens a wrapper the builder adds on its own (paragraph, item, row...). */
static oct_node *open_wrapper(oct_builder *b, oct_node_type t)
{
    oct_node *n = oct_node_new(b->doc, t);
    if (!n) { fail(b, OCT_ERR_LIMIT); return NULL; }
    oct_node_append_unchecked(current(b), n);
    if (push(b, n, NO_ENTRY)) return NULL;
    return n;
}

/* Makes the current node one that accepts inline content: wraps in the
 * containers the structure needs, then reopens remembered formatting. */
static int is_structural(oct_node_type t)
{
    return t == OCT_NODE_LIST || t == OCT_NODE_TABLE || t == OCT_NODE_TABLE_ROW ||
           t == OCT_NODE_DEFINITION_LIST;
}

/* The top of the stack is a wrapper the builder opened itself. */
static int top_is_wrapper(const oct_builder *b)
{
    return b->depth > 1 && b->stack[b->depth - 1].entry == NO_ENTRY;
}

static oct_status ensure_inline_context(oct_builder *b)
{
    /* A list or table the builder opened for stray items or cells ends when
     * ordinary content follows them. */
    while (top_is_wrapper(b) && is_structural(type_of(current(b)))) pop(b, CLOSING_NONE);
    for (int guard = 0; guard < 4 && !b->status; guard++) {
        oct_node_type t = type_of(current(b));
        if (oct_node_type_can_contain(t, OCT_NODE_TEXT)) break;
        switch (t) {
        case OCT_NODE_LIST: open_wrapper(b, OCT_NODE_LIST_ITEM); break;
        case OCT_NODE_TABLE: open_wrapper(b, OCT_NODE_TABLE_ROW); break;
        case OCT_NODE_TABLE_ROW: open_wrapper(b, OCT_NODE_TABLE_CELL); break;
        case OCT_NODE_DEFINITION_LIST: open_wrapper(b, OCT_NODE_DEFINITION_DESC); break;
        default: open_wrapper(b, OCT_NODE_PARAGRAPH); break;
        }
    }
    if (b->status) return b->status;
    if (b->n_reopen) {
        for (size_t i = 0; i < b->n_reopen && !b->status; i++) {
            reader_entry *e = &b->entries[b->reopen[i]];
            if (e->node->type == OCT_NODE_LINK && b->open_links) { e->reopen = 0; continue; }
            oct_node *copy = oct_node_clone_shallow(b->doc, e->node);
            if (!copy) return fail(b, OCT_ERR_LIMIT);
            oct_node_append_unchecked(current(b), copy);
            e->reopen = 0;
            push(b, copy, b->reopen[i]);
        }
        b->n_reopen = 0;
    }
    return b->status;
}

static oct_status push_entry(oct_builder *b)
{
    if (b->n_entries == b->entries_cap) {
        size_t cap = b->entries_cap ? b->entries_cap * 2 : 64;
        reader_entry *p = realloc(b->entries, cap * sizeof *p);
        if (!p) return fail(b, OCT_ERR_NOMEM);
        b->entries = p;
        b->entries_cap = cap;
    }
    b->entries[b->n_entries].node = NULL;
    b->entries[b->n_entries].open = 0;
    b->entries[b->n_entries].reopen = 0;
    b->entries[b->n_entries].flat_block = 0;
    b->n_entries++;
    return OCT_OK;
}

/* Content of a flattened block must not run into its neighbours' words. */
static void separate_flattened(oct_builder *b)
{
    if (b->text.len && b->text.data[b->text.len - 1] != ' ' && b->text.data[b->text.len - 1] != '\n')
        oct_buf_putc(&b->text, ' ');
    else if (!b->text.len && current(b)->last_child && !is_literal_container(type_of(current(b))))
        oct_buf_putc(&b->text, ' ');
}

/* Finds the container for block n, popping and wrapping as needed; returns
 * the parent to append to (already current), or NULL to flatten. */
static oct_node *place_block(oct_builder *b, oct_node *n)
{
    oct_node_type t = type_of(n);
    if (t == OCT_NODE_FOOTNOTE_DEF) return b->doc->root; /* definitions live under the root */
    while (b->depth > 1 && holds_inlines(type_of(current(b)))) pop(b, CLOSING_NONE);
    size_t existing = b->depth; /* wrappers above this are the ones we add now */
    for (int guard = 0; guard < 64 && !b->status; guard++) {
        oct_node *cur = current(b);
        oct_node_type ct = type_of(cur);
        if (oct_node_type_can_contain(ct, t)) return cur;
        /* Wrappers the builder added only hold what made it add them. */
        if (b->depth <= existing && top_is_wrapper(b)) {
            pop(b, CLOSING_NONE);
            existing = b->depth;
            continue;
        }
        switch (t) {
        case OCT_NODE_LIST_ITEM:
            if (ct == OCT_NODE_LIST_ITEM) { pop(b, CLOSING_NONE); continue; } /* <li> in <li>: a sibling */
            if (!oct_node_type_can_contain(ct, OCT_NODE_LIST)) break;
            open_wrapper(b, OCT_NODE_LIST);
            continue;
        case OCT_NODE_TABLE_ROW:
            if (ct == OCT_NODE_TABLE_ROW) { pop(b, CLOSING_NONE); continue; }
            if (!oct_node_type_can_contain(ct, OCT_NODE_TABLE)) break;
            open_wrapper(b, OCT_NODE_TABLE);
            continue;
        case OCT_NODE_TABLE_CELL:
            if (ct == OCT_NODE_TABLE) { open_wrapper(b, OCT_NODE_TABLE_ROW); continue; }
            if (!oct_node_type_can_contain(ct, OCT_NODE_TABLE)) break;
            open_wrapper(b, OCT_NODE_TABLE);
            continue;
        case OCT_NODE_DEFINITION_TERM: case OCT_NODE_DEFINITION_DESC:
            if (!oct_node_type_can_contain(ct, OCT_NODE_DEFINITION_LIST)) break;
            open_wrapper(b, OCT_NODE_DEFINITION_LIST);
            continue;
        case OCT_NODE_CAPTION:
            /* A caption away from its table or figure is just a paragraph. */
            if (ct == OCT_NODE_TABLE || ct == OCT_NODE_FIGURE) return NULL;
            oct_node_retype(n, OCT_NODE_PARAGRAPH);
            t = OCT_NODE_PARAGRAPH;
            continue;
        default:
            /* A flow block in a list, table, row or definition list. */
            if (ct == OCT_NODE_LIST) { open_wrapper(b, OCT_NODE_LIST_ITEM); continue; }
            if (ct == OCT_NODE_TABLE) { open_wrapper(b, OCT_NODE_TABLE_ROW); continue; }
            if (ct == OCT_NODE_TABLE_ROW) { open_wrapper(b, OCT_NODE_TABLE_CELL); continue; }
            if (ct == OCT_NODE_DEFINITION_LIST) { open_wrapper(b, OCT_NODE_DEFINITION_DESC); continue; }
            break;
        }
        break;
    }
    return NULL;
}

oct_status oct_builder_open(oct_builder *b, oct_node *n)
{
    if (!b) return OCT_ERR_INVALID_ARG;
    if (b->status) return b->status;
    if (!n || n->doc != b->doc || n->parent || n->type == OCT_NODE_DOCUMENT || n == b->doc->root)
        return OCT_ERR_INVALID_ARG;
    if (push_entry(b)) return b->status;
    size_t entry = b->n_entries - 1;
    oct_node_type t = type_of(n);
    oct_node *cur = current(b);
    int leaf = oct_node_type_is_leaf(t) && !is_literal_container(t);

    /* Inside code or raw content, markup is only text. */
    if (is_literal_container(type_of(cur))) { b->flattened++; return OCT_OK; }
    int too_deep = !leaf && b->depth >= b->doc->limits.max_depth;
    if (too_deep || (t == OCT_NODE_LINK && b->open_links)) {
        b->flattened++;
        if (oct_node_type_is_block(t)) {
            b->entries[entry].flat_block = 1;
            separate_flattened(b);
        }
        return OCT_OK;
    }

    oct_node *parent;
    if (oct_node_type_is_inline(t)) {
        if (ensure_inline_context(b)) return b->status;
        if (flush_text(b)) return b->status;
        parent = current(b);
    } else {
        if (flush_text(b)) return b->status;
        parent = place_block(b, n);
        if (b->status) return b->status;
        if (!parent) { b->flattened++; return OCT_OK; }
    }
    /* A footnote definition goes under the root even when the reader met it
     * deep inside something; content flows into it until it closes, then
     * back to where the reader was. */
    oct_node_append_unchecked(parent, n);
    if (leaf) return OCT_OK;
    return push(b, n, entry);
}

oct_node *oct_builder_open_new(oct_builder *b, oct_node_type type)
{
    if (!b || b->status) return NULL;
    oct_node *n = oct_node_new(b->doc, type);
    if (!n) { fail(b, OCT_ERR_LIMIT); return NULL; }
    if (oct_builder_open(b, n)) return NULL;
    return n;
}

oct_status oct_builder_close(oct_builder *b)
{
    if (!b) return OCT_ERR_INVALID_ARG;
    if (b->n_entries == 0) return OCT_ERR_INVALID_ARG;
    size_t entry = --b->n_entries;
    reader_entry e = b->entries[entry];
    if (b->status) return b->status;
    if (e.reopen) forget_reopen(b, entry);
    if (!e.node) {
        if (e.flat_block) separate_flattened(b);
        return OCT_OK;
    }
    if (!e.open) return OCT_OK;
    if (!is_literal_container(type_of(current(b))) && flush_text(b)) return b->status;
    while (b->depth > 1) {
        int done = b->stack[b->depth - 1].entry == entry;
        pop(b, entry);
        if (done) break;
    }
    return b->status;
}

oct_status oct_builder_leaf(oct_builder *b, oct_node *leaf)
{
    if (!b || !leaf) return OCT_ERR_INVALID_ARG;
    oct_status st = oct_builder_open(b, leaf);
    if (st) return st;
    return oct_builder_close(b);
}

oct_status oct_builder_text(oct_builder *b, const char *s, size_t len)
{
    if (!b || (!s && len)) return OCT_ERR_INVALID_ARG;
    if (b->status) return b->status;
    if (len == 0) return OCT_OK;
    oct_node_type ct = type_of(current(b));
    if (!is_literal_container(ct) && !oct_node_type_can_contain(ct, OCT_NODE_TEXT)) {
        /* Whitespace between blocks means nothing. */
        size_t i = 0;
        while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
                           s[i] == '\f' || s[i] == '\0'))
            i++;
        if (i == len) return OCT_OK;
        if (ensure_inline_context(b)) return b->status;
    } else if (b->n_reopen && !is_literal_container(ct)) {
        if (flush_text(b) || ensure_inline_context(b)) return b->status;
    }
    if (oct_utf8_append_repaired(&b->text, s, len)) return fail(b, b->text.status);
    return OCT_OK;
}

oct_status oct_builder_finish(oct_builder *b)
{
    if (!b) return OCT_ERR_INVALID_ARG;
    if (!b->status) flush_text(b);
    while (b->depth > 1) pop(b, FINISHING);
    b->n_entries = 0;
    b->n_reopen = 0;
    return b->status;
}
