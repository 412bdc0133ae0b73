/*
 * extract_dom.c — tag identities, the per-node side table and tree surgery
 * for the article extractor. Nodes are linked and unlinked by hand rather
 * than with xmlAddChild & co., which merge adjacent text nodes and free one
 * of them behind our back.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_internal.h"

static const char *const tag_names[] = {
#define EX_X_NAME(id, name) name,
    EX_TAG_LIST(EX_X_NAME)
#undef EX_X_NAME
};

#define N_TAGS (sizeof tag_names / sizeof tag_names[0])

#define LONGEST_TAG 16 /* longer than any name in the list */
#define TAG_SLOTS 256  /* a power of two, over three times the names */

/* A name up to LONGEST_TAG bytes, lowercased and zero-padded into two
 * words: two names are the same when their keys are. */
typedef struct name_key {
    uint64_t lo, hi;
} name_key;

/* Open addressing on the key's hash, built once: one probe or two per
 * element, and two compares a probe. tag is EX_TAG_NONE in a free slot. */
static struct tag_slot {
    name_key key;
    unsigned char tag;
} tag_slots[TAG_SLOTS];
static pthread_once_t tag_slots_once = PTHREAD_ONCE_INIT;
static atomic_int tag_slots_ready;

/* Returns 0 when the name is longer than any known tag. */
_Static_assert(EX_TAG_COUNT_ <= 256, "a tag fits a slot's byte");

static int make_key(const unsigned char *name, name_key *key)
{
    uint64_t w[2] = {0, 0};
    for (size_t n = 0; name[n] != '\0'; n++) {
        if (n == LONGEST_TAG)
            return 0;
        unsigned c = name[n];
        if (c >= 'A' && c <= 'Z')
            c += 32;
        w[n / 8] |= (uint64_t)c << (8 * (n % 8));
    }
    key->lo = w[0];
    key->hi = w[1];
    return 1;
}

static unsigned key_slot(const name_key *key)
{
    const uint64_t h = key->lo * 0x9E3779B97F4A7C15u ^ key->hi * 0xC2B2AE3D27D4EB4Fu;
    return (unsigned)(h >> 56) % TAG_SLOTS;
}

static void fill_tag_slots(void)
{
    for (size_t t = 0; t < N_TAGS; t++) {
        name_key key;
        make_key((const unsigned char *)tag_names[t], &key);
        unsigned slot = key_slot(&key);
        while (tag_slots[slot].tag != EX_TAG_NONE)
            slot = (slot + 1) % TAG_SLOTS;
        tag_slots[slot].key = key;
        tag_slots[slot].tag = (unsigned char)(EX_TAG_OTHER + 1 + t);
    }
    atomic_store_explicit(&tag_slots_ready, 1, memory_order_release);
}

ex_tag ex_tag_lookup(const xmlChar *name)
{
    if (name == NULL)
        return EX_TAG_OTHER;
    /* once filled, the table is read without the call */
    if (!atomic_load_explicit(&tag_slots_ready, memory_order_acquire))
        pthread_once(&tag_slots_once, fill_tag_slots);
    name_key key;
    if (!make_key(name, &key))
        return EX_TAG_OTHER;
    for (unsigned slot = key_slot(&key); tag_slots[slot].tag != EX_TAG_NONE;
         slot = (slot + 1) % TAG_SLOTS)
        if (tag_slots[slot].key.lo == key.lo && tag_slots[slot].key.hi == key.hi)
            return (ex_tag)tag_slots[slot].tag;
    return EX_TAG_OTHER;
}

#define PHRASING EX_TC_PHRASING
const unsigned char ex_tag_classes[EX_TAG_COUNT_] = {
    [EX_TAG_ABBR] = PHRASING, [EX_TAG_AUDIO] = PHRASING, [EX_TAG_B] = PHRASING,
    [EX_TAG_BDO] = PHRASING, [EX_TAG_BR] = PHRASING, [EX_TAG_BUTTON] = PHRASING,
    [EX_TAG_CITE] = PHRASING, [EX_TAG_CODE] = PHRASING, [EX_TAG_DATA] = PHRASING,
    [EX_TAG_DATALIST] = PHRASING, [EX_TAG_DFN] = PHRASING, [EX_TAG_EM] = PHRASING,
    [EX_TAG_I] = PHRASING, [EX_TAG_INPUT] = PHRASING, [EX_TAG_KBD] = PHRASING,
    [EX_TAG_LABEL] = PHRASING, [EX_TAG_MARK] = PHRASING, [EX_TAG_MATH] = PHRASING,
    [EX_TAG_METER] = PHRASING, [EX_TAG_NOSCRIPT] = PHRASING, [EX_TAG_OUTPUT] = PHRASING,
    [EX_TAG_PROGRESS] = PHRASING, [EX_TAG_Q] = PHRASING, [EX_TAG_RUBY] = PHRASING,
    [EX_TAG_SAMP] = PHRASING, [EX_TAG_SCRIPT] = PHRASING, [EX_TAG_SELECT] = PHRASING,
    [EX_TAG_SMALL] = PHRASING, [EX_TAG_STRONG] = PHRASING, [EX_TAG_SUB] = PHRASING,
    [EX_TAG_SUP] = PHRASING, [EX_TAG_TEXTAREA] = PHRASING, [EX_TAG_TIME] = PHRASING,
    [EX_TAG_VAR] = PHRASING, [EX_TAG_WBR] = PHRASING,
    [EX_TAG_SPAN] = PHRASING | EX_TC_TEXTISH,
    [EX_TAG_EMBED] = PHRASING | EX_TC_EMBED, [EX_TAG_OBJECT] = PHRASING | EX_TC_EMBED,
    [EX_TAG_IFRAME] = EX_TC_EMBED,
    [EX_TAG_IMG] = PHRASING | EX_TC_BLOCK | EX_TC_TEXTISH,
    [EX_TAG_BLOCKQUOTE] = EX_TC_BLOCK | EX_TC_TEXTISH, [EX_TAG_DL] = EX_TC_BLOCK | EX_TC_TEXTISH,
    [EX_TAG_DIV] = EX_TC_BLOCK | EX_TC_TEXTISH, [EX_TAG_TABLE] = EX_TC_BLOCK | EX_TC_TEXTISH,
    [EX_TAG_OL] = EX_TC_BLOCK | EX_TC_TEXTISH | EX_TC_LIST,
    [EX_TAG_UL] = EX_TC_BLOCK | EX_TC_TEXTISH | EX_TC_LIST,
    [EX_TAG_P] = EX_TC_BLOCK | EX_TC_TEXTISH | EX_TC_SCORED,
    [EX_TAG_PRE] = EX_TC_BLOCK | EX_TC_TEXTISH | EX_TC_SCORED,
    [EX_TAG_LI] = EX_TC_TEXTISH,
    [EX_TAG_TD] = EX_TC_TEXTISH | EX_TC_SCORED,
    [EX_TAG_SECTION] = EX_TC_SCORED,
    [EX_TAG_H1] = EX_TC_HEADING,
    [EX_TAG_H2] = EX_TC_HEADING | EX_TC_SCORED, [EX_TAG_H3] = EX_TC_HEADING | EX_TC_SCORED,
    [EX_TAG_H4] = EX_TC_HEADING | EX_TC_SCORED, [EX_TAG_H5] = EX_TC_HEADING | EX_TC_SCORED,
    [EX_TAG_H6] = EX_TC_HEADING | EX_TC_SCORED,
    [EX_TAG_COL] = EX_TC_DATAY, [EX_TAG_COLGROUP] = EX_TC_DATAY, [EX_TAG_TFOOT] = EX_TC_DATAY,
    [EX_TAG_THEAD] = EX_TC_DATAY, [EX_TAG_TH] = EX_TC_DATAY,
};
#undef PHRASING

/* ------------------------------------------------------------ side table */

/* The first attribute called name (lowercase), in any case, as ex_attr
 * finds it. */
static xmlAttrPtr find_attr(xmlNodePtr node, const char *name)
{
    for (xmlAttrPtr a = node->properties; a != NULL; a = a->next)
        if (a->name != NULL && ex_name_is(a->name, name))
            return a;
    return NULL;
}

static uint32_t span_value(xmlNodePtr node, const char *name)
{
    char buf[32];
    const char *v = ex_attr(node, name, buf, sizeof buf);
    long n = v != NULL ? strtol(v, NULL, 10) : 1;
    return n > 0 && n < 65536 ? (uint32_t)n : 1;
}

/* The attributes the figures walk reads, looked up once per attempt rather
 * than once per walk: the extractor never edits href, rowspan or colspan.
 * Most cells span one and most links hold one text: those are read in
 * place. */
static void read_attributes(ex_info *info)
{
    xmlAttrPtr a;
    switch (info->tag) {
    case EX_TAG_A:
        a = find_attr(info->node, "href");
        if (a != NULL && a->children != NULL && a->children->next == NULL) {
            const xmlChar *v = a->children->content;
            info->fragment_link = v != NULL && v[0] == '#' && v[1] != '\0';
        } else if (a != NULL) {
            char buf[3]; /* the first two bytes tell */
            const char *href = ex_attr(info->node, "href", buf, sizeof buf);
            info->fragment_link = href != NULL && href[0] == '#' && href[1] != '\0';
        }
        break;
    case EX_TAG_TR:
        info->span = find_attr(info->node, "rowspan") ? span_value(info->node, "rowspan") : 1;
        break;
    case EX_TAG_TD:
        info->span = find_attr(info->node, "colspan") ? span_value(info->node, "colspan") : 1;
        break;
    default:
        break;
    }
}

static const ex_info zero_info;

ex_info *ex_info_new(ex_ctx *ex, xmlNodePtr node)
{
    size_t i = ex->n_info;
    if (i / EX_INFO_BLOCK >= ex->n_blocks) {
        ex_info **grown = realloc(ex->blocks, (ex->n_blocks + 1) * sizeof *grown);
        if (grown == NULL)
            goto nomem;
        ex->blocks = grown;
        ex->blocks[ex->n_blocks] = malloc(EX_INFO_BLOCK * sizeof(ex_info));
        if (ex->blocks[ex->n_blocks] == NULL)
            goto nomem;
        ex->n_blocks++;
    }
    ex_info *info = &ex->blocks[i / EX_INFO_BLOCK][i % EX_INFO_BLOCK];
    *info = zero_info; /* vector stores, where memset would be a string instruction */
    info->node = node;
    if (node->type == XML_ELEMENT_NODE) {
        info->tag = ex_tag_lookup(node->name);
        ex_mark_present(ex, info->tag);
        read_attributes(info);
    }
    ex->n_info++;
    node->_private = info;
    return info;
nomem:
    /* The run is abandoned; callers only need something to write into. */
    ex->nomem = 1;
    memset(&ex->scratch, 0, sizeof ex->scratch);
    ex->scratch.tag = node->type == XML_ELEMENT_NODE ? ex_tag_lookup(node->name) : EX_TAG_NONE;
    return &ex->scratch;
}

ex_text_info *ex_text_info_new(ex_ctx *ex, xmlNodePtr text)
{
    const size_t i = ex->n_texts;
    ex_text_info *info = &ex->text_scratch;
    if (i / EX_TEXT_BLOCK >= ex->n_text_blocks) {
        ex_text_info **grown =
            realloc(ex->text_blocks, (ex->n_text_blocks + 1) * sizeof *grown);
        if (grown != NULL) {
            ex->text_blocks = grown;
            grown[ex->n_text_blocks] = malloc(EX_TEXT_BLOCK * sizeof(ex_text_info));
            if (grown[ex->n_text_blocks] != NULL)
                ex->n_text_blocks++;
        }
    }
    if (i / EX_TEXT_BLOCK < ex->n_text_blocks) {
        info = &ex->text_blocks[i / EX_TEXT_BLOCK][i % EX_TEXT_BLOCK];
        ex->n_texts++;
        text->_private = info;
    } else {
        ex->nomem = 1; /* the run is abandoned; the figures are still right */
    }
    info->node = text;
    const char *content = text->content != NULL ? (const char *)text->content : "";
    ex_text_measure(content, strlen(content), &info->fig);
    return info;
}

/* Forgets every record: each names no node any more, so the nodes
 * pointing to them get new ones. The hints looked up since the kept first
 * walk (extract_stats.c) are kept with it: they only depend on attributes. */
void ex_info_reset(ex_ctx *ex)
{
    for (size_t i = 0; i < ex->n_info; i++) {
        ex_info *info = &ex->blocks[i / EX_INFO_BLOCK][i % EX_INFO_BLOCK];
        if (i < ex->n_first_walk && ex->first_walk[i].node == info->node)
            ex->first_walk[i].hints = info->hints;
        info->node = NULL;
    }
    ex->n_info = 0;
    ex->exact = 0;
    memset(ex->present, 0, sizeof ex->present);
}

void ex_info_free(ex_ctx *ex)
{
    for (size_t i = 0; i < ex->n_blocks; i++)
        free(ex->blocks[i]);
    free(ex->blocks);
    ex->blocks = NULL;
    ex->n_blocks = 0;
    ex->n_info = 0;
    for (size_t i = 0; i < ex->n_text_blocks; i++)
        free(ex->text_blocks[i]);
    free(ex->text_blocks);
    ex->text_blocks = NULL;
    ex->n_text_blocks = 0;
    ex->n_texts = 0;
}

void ex_clear_private(xmlNodePtr root)
{
    xmlNodePtr node = root;
    while (node != NULL) {
        node->_private = NULL;
        if (node->type == XML_ELEMENT_NODE && node->children != NULL) {
            node = node->children;
            continue;
        }
        while (node != root && node->next == NULL)
            node = node->parent;
        if (node == root)
            break;
        node = node->next;
    }
}

/* ------------------------------------------------------------ vectors */

int ex_vec_push(ex_ctx *ex, ex_vec *vec, xmlNodePtr node)
{
    if (vec->n == vec->cap) {
        size_t cap = vec->cap ? vec->cap * 2 : 64;
        xmlNodePtr *grown = realloc(vec->v, cap * sizeof *grown);
        if (grown == NULL) {
            ex->nomem = 1;
            return -1;
        }
        vec->v = grown;
        vec->cap = cap;
    }
    vec->v[vec->n++] = node;
    return 0;
}

void ex_vec_free(ex_vec *vec)
{
    free(vec->v);
    vec->v = NULL;
    vec->n = vec->cap = 0;
}

/* ------------------------------------------------------------ undo log */

static void log_edit(ex_ctx *ex, const ex_undo *edit)
{
    ex_undo_log *log = &ex->undo;
    if (log->n == log->cap) {
        size_t cap = log->cap ? log->cap * 2 : 256;
        ex_undo *grown = realloc(log->v, cap * sizeof *grown);
        if (grown == NULL) {
            /* the attempt is abandoned and never undone */
            ex->nomem = 1;
            if (edit->kind == EX_UNDO_RENAME)
                xmlFree(edit->name);
            return;
        }
        log->v = grown;
        log->cap = cap;
    }
    log->v[log->n++] = *edit;
}

static void log_position(ex_ctx *ex, xmlNodePtr node)
{
    if (!ex->logging)
        return;
    const ex_undo edit = {EX_UNDO_MOVE, node, node->parent, node->prev, node->next, NULL};
    log_edit(ex, &edit);
}

/* Undone newest first, each edit meets the page exactly as it left it: a
 * moved node's old neighbours are side by side again, a made node has
 * already lost what was put in it. */
void ex_undo_all(ex_ctx *ex)
{
    ex_undo_log *log = &ex->undo;
    while (log->n > 0) {
        ex_undo *edit = &log->v[--log->n];
        xmlNodePtr node = edit->node;
        switch (edit->kind) {
        case EX_UNDO_MOVE:
            xmlUnlinkNode(node);
            if (edit->parent != NULL) {
                node->parent = edit->parent;
                node->prev = edit->prev;
                node->next = edit->next;
                if (edit->prev != NULL)
                    edit->prev->next = node;
                else
                    edit->parent->children = node;
                if (edit->next != NULL)
                    edit->next->prev = node;
                else
                    edit->parent->last = node;
            }
            break;
        case EX_UNDO_RENAME:
            xmlNodeSetName(node, edit->name);
            xmlFree(edit->name);
            break;
        case EX_UNDO_NEW:
            xmlUnlinkNode(node);
            xmlFreeNode(node);
            break;
        }
    }
    ex->trash.n = 0;
}

void ex_undo_forget(ex_ctx *ex)
{
    for (size_t i = 0; i < ex->undo.n; i++)
        if (ex->undo.v[i].kind == EX_UNDO_RENAME)
            xmlFree(ex->undo.v[i].name);
    ex->undo.n = 0;
}

/* ------------------------------------------------------------ surgery */

/* Marks the element node (or a text's parent) stale, and its ancestors up
 * to the first one already marked: every ancestor of a stale element is
 * stale too, so a count from the top finds them all. */
void ex_mark_stale(ex_ctx *ex, xmlNodePtr node)
{
    xmlNodePtr n = node;
    if (n != NULL && n->type != XML_ELEMENT_NODE)
        n = n->parent;
    if (n == NULL || n->type != XML_ELEMENT_NODE)
        return;
    ex_info_of(ex, n)->stale = 1;
    for (n = n->parent; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent) {
        ex_info *info = ex_info_of(ex, n);
        if (info->stale)
            return;
        info->stale = 1;
    }
}

void ex_unlink(ex_ctx *ex, xmlNodePtr node)
{
    log_position(ex, node);
    ex_mark_stale(ex, node->parent);
    xmlUnlinkNode(node);
}

void ex_remove(ex_ctx *ex, xmlNodePtr node)
{
    ex->edits++;
    ex_discard(ex, node);
}

void ex_discard(ex_ctx *ex, xmlNodePtr node)
{
    ex_unlink(ex, node);
    /* Freed later, so node lists gathered earlier never dangle. When the
     * trash cannot grow, free at once: nothing is listed in that case
     * because the run is being abandoned. */
    if (ex_vec_push(ex, &ex->trash, node) != 0)
        xmlFreeNode(node);
}

void ex_empty_trash(ex_ctx *ex)
{
    for (size_t i = 0; i < ex->trash.n; i++)
        xmlFreeNode(ex->trash.v[i]);
    ex->trash.n = 0;
}

void ex_append_child(ex_ctx *ex, xmlNodePtr parent, xmlNodePtr child)
{
    log_position(ex, child);
    child->parent = parent;
    child->next = NULL;
    child->prev = parent->last;
    if (parent->last != NULL)
        parent->last->next = child;
    else
        parent->children = child;
    parent->last = child;
    ex_mark_stale(ex, child);
}

void ex_insert_before(ex_ctx *ex, xmlNodePtr ref, xmlNodePtr node)
{
    log_position(ex, node);
    xmlNodePtr parent = ref->parent;
    node->parent = parent;
    node->next = ref;
    node->prev = ref->prev;
    if (ref->prev != NULL)
        ref->prev->next = node;
    else if (parent != NULL)
        parent->children = node;
    ref->prev = node;
    ex_mark_stale(ex, node);
}

void ex_set_tag(ex_ctx *ex, xmlNodePtr node, ex_tag tag, const char *name)
{
    ex->edits++;
    if (ex->logging) {
        const ex_undo edit = {EX_UNDO_RENAME, node, NULL, NULL, NULL, xmlStrdup(node->name)};
        if (edit.name == NULL)
            ex->nomem = 1;
        else
            log_edit(ex, &edit);
    }
    xmlNodeSetName(node, BAD_CAST name);
    ex_info_of(ex, node)->tag = tag;
    ex_mark_present(ex, tag);
    ex_mark_stale(ex, node);
}

xmlNodePtr ex_new_element(ex_ctx *ex, const char *name)
{
    ex->edits++;
    xmlNodePtr node = xmlNewDocNode(ex->doc, NULL, BAD_CAST name, NULL);
    if (node == NULL) {
        ex->nomem = 1;
    } else if (ex->logging) {
        const ex_undo edit = {EX_UNDO_NEW, node, NULL, NULL, NULL, NULL};
        log_edit(ex, &edit);
    }
    return node;
}

static int copyable(const xmlNode *node)
{
    return node->type == XML_ELEMENT_NODE || node->type == XML_TEXT_NODE ||
           node->type == XML_CDATA_SECTION_NODE;
}

/* Deep copy without recursion: shallow copies linked under a parallel
 * cursor. Comments and processing instructions are left behind. */
xmlNodePtr ex_copy_tree(ex_ctx *ex, xmlNodePtr src)
{
    xmlNodePtr root = xmlDocCopyNode(src, ex->doc, 2);
    if (root == NULL) {
        ex->nomem = 1;
        return NULL;
    }
    root->_private = NULL;
    xmlNodePtr from = src->children;
    xmlNodePtr into = root;
    while (from != NULL) {
        if (copyable(from)) {
            xmlNodePtr copy = xmlDocCopyNode(from, ex->doc, 2);
            if (copy == NULL) {
                ex->nomem = 1;
                xmlFreeNode(root);
                return NULL;
            }
            copy->_private = NULL;
            ex_append_child(ex, into, copy);
            if (from->type == XML_ELEMENT_NODE && from->children != NULL) {
                from = from->children;
                into = copy;
                continue;
            }
        }
        while (from != src && from->next == NULL) {
            from = from->parent;
            into = into->parent;
        }
        if (from == src)
            break;
        from = from->next;
    }
    return root;
}

size_t ex_element_children(xmlNodePtr node)
{
    size_t n = 0;
    for (xmlNodePtr c = node->children; c != NULL; c = c->next)
        n += c->type == XML_ELEMENT_NODE;
    return n;
}

/* Readability's _hasAncestorTag: max_depth < 0 means unbounded, otherwise
 * ancestors up to max_depth + 1 levels up are looked at. */
int ex_has_ancestor(ex_ctx *ex, xmlNodePtr node, ex_tag tag, int max_depth)
{
    int depth = 0;
    for (xmlNodePtr p = node->parent; p != NULL && p->type == XML_ELEMENT_NODE; p = p->parent) {
        if (max_depth >= 0 && depth > max_depth)
            return 0;
        if (ex_tag_of(ex, p) == tag)
            return 1;
        depth++;
    }
    return 0;
}

/* Stops at the first non-space, without measuring the text first: most
 * texts asked about start with a word. */
static int text_is_blank(const xmlChar *s)
{
    if (s == NULL)
        return 1;
    size_t i = 0;
    while (s[i] != '\0') {
        const unsigned char c = s[i];
        if (c < 0x80) {
            if (c != ' ' && (c < 0x09 || c > 0x0D))
                return 0;
            i++;
            continue;
        }
        /* a sequence is at most 4 bytes: the rest of the text need not be measured */
        uint32_t cp;
        i += ex_utf8_next(s + i, strnlen((const char *)s + i, 4), &cp);
        if (!ex_is_js_space(cp))
            return 0;
    }
    return 1;
}

int ex_is_whitespace_node(ex_ctx *ex, xmlNodePtr node)
{
    if (ex_is_text(node)) {
        /* a measured text is blank when nothing in it is not white space */
        const ex_text_info *info = ex_text_peek(node);
        if (info != NULL)
            return info->fig.shape.nonws == 0;
        return text_is_blank(node->content);
    }
    return ex_tag_of(ex, node) == EX_TAG_BR;
}

/* Text, a phrasing tag, or a/del/ins holding only phrasing content. The
 * a/del/ins nesting is followed iteratively with a budget: past it the
 * answer is "not phrasing", which only keeps a <div> from being merged. */
int ex_is_phrasing(ex_ctx *ex, xmlNodePtr node)
{
    if (ex_is_text(node))
        return 1;
    if (node->type != XML_ELEMENT_NODE)
        return 0;
    ex_tag tag = ex_tag_of(ex, node);
    if (ex_tag_class(tag) & EX_TC_PHRASING)
        return 1;
    if (tag != EX_TAG_A && tag != EX_TAG_DEL && tag != EX_TAG_INS)
        return 0;
    int budget = 512;
    xmlNodePtr cur = node->children;
    while (cur != NULL) {
        if (--budget < 0)
            return 0;
        int descend = 0;
        if (cur->type == XML_ELEMENT_NODE) {
            ex_tag t = ex_tag_of(ex, cur);
            if (t == EX_TAG_A || t == EX_TAG_DEL || t == EX_TAG_INS)
                descend = cur->children != NULL;
            else if (!(ex_tag_class(t) & EX_TC_PHRASING))
                return 0;
        }
        if (descend) {
            cur = cur->children;
            continue;
        }
        while (cur->next == NULL && cur->parent != node)
            cur = cur->parent;
        cur = cur->next;
    }
    return 1;
}

int ex_gather_text(xmlNodePtr node, char *buf, size_t cap, int max_nodes)
{
    size_t len = 0;
    int budget = max_nodes;
    buf[0] = '\0';
    if (ex_is_text(node)) {
        size_t n = node->content ? strlen((const char *)node->content) : 0;
        if (n >= cap)
            return 0;
        memcpy(buf, node->content, n);
        buf[n] = '\0';
        return 1;
    }
    xmlNodePtr cur = node->children;
    while (cur != NULL) {
        if (--budget < 0)
            return 0;
        if (ex_is_text(cur) && cur->content != NULL) {
            size_t n = strlen((const char *)cur->content);
            if (len + n >= cap)
                return 0;
            memcpy(buf + len, cur->content, n);
            len += n;
            buf[len] = '\0';
        }
        if (cur->type == XML_ELEMENT_NODE && cur->children != NULL) {
            cur = cur->children;
            continue;
        }
        while (cur->next == NULL && cur->parent != node)
            cur = cur->parent;
        cur = cur->next;
    }
    return 1;
}

const char *ex_attr_copy(xmlAttrPtr a, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (xmlNodePtr t = a->children; t != NULL; t = t->next) {
        if (t->content == NULL)
            continue;
        /* only what fits is measured: values can be long URLs */
        const size_t n = strnlen((const char *)t->content, cap - 1 - len);
        memcpy(buf + len, t->content, n);
        len += n;
        buf[len] = '\0';
    }
    return buf;
}

/* The attribute's value copied into buf (truncated), or NULL if absent. */
const char *ex_attr(xmlNodePtr node, const char *name, char *buf, size_t cap)
{
    if (node->type != XML_ELEMENT_NODE)
        return NULL;
    for (xmlAttrPtr a = node->properties; a != NULL; a = a->next)
        if (a->name != NULL && ex_name_is(a->name, name))
            return ex_attr_copy(a, buf, cap);
    return NULL;
}


/* Ends with a non-whitespace character (Readability's /\S$/). */
static int text_has_content(xmlNodePtr text)
{
    if (text->content == NULL)
        return 0;
    size_t len = strlen((const char *)text->content);
    if (len == 0)
        return 0;
    /* find the start of the last code point */
    size_t i = len - 1;
    while (i > 0 && (text->content[i] & 0xC0) == 0x80)
        i--;
    uint32_t cp;
    ex_utf8_next(text->content + i, len - i, &cp);
    return !ex_is_js_space(cp);
}

/* Readability's _hasSingleTagInsideElement: the one element child, of that
 * tag, with no text beside it. */
xmlNodePtr ex_single_child_with_tag(ex_ctx *ex, xmlNodePtr node, ex_tag tag)
{
    xmlNodePtr only = NULL;
    for (xmlNodePtr c = node->children; c != NULL; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            if (only != NULL)
                return NULL;
            only = c;
        } else if (ex_is_text(c) && text_has_content(c)) {
            return NULL;
        }
    }
    return only != NULL && ex_tag_of(ex, only) == tag ? only : NULL;
}
