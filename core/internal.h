/*
 * internal.h — liboctavo's private structures, shared by the core's files and
 * never installed. Everything here may change between releases.
 */
#ifndef OCTAVO_INTERNAL_H
#define OCTAVO_INTERNAL_H

#include <stdatomic.h>

#include "octavo/octavo.h"
#include "octavo/octavo_plugin.h"
#include "arena.h"

struct oct_node {
    struct oct_node *parent, *first_child, *last_child, *prev, *next;
    oct_doc *doc;
    const char *literal; /* TEXT, CODE, CODE_BLOCK, RAW_*: NUL-terminated */
    size_t literal_len;
    const char *id;
    const char *lang;
    /* 32 bits are plenty for a source line and keep the node at 128 bytes,
     * a multiple of the arena's alignment: a large document holds millions */
    int32_t line;
    uint16_t type;
    uint8_t dir;
    union {
        struct { int level; } heading;
        struct { int style, start, tight, reversed; } list;
        struct { int task; } item;
        struct { const char *language; } code;
        struct { const char *url, *title; } link;
        struct { const char *url, *title, *alt; oct_resource *resource; int width, height; } image;
        struct { const char *cite; } quote;
        struct { int section; } row;
        struct { int header, colspan, rowspan, align; } cell;
        struct { const char *label; } note;
        struct { const char *format; } raw;
        struct { const char *cls; } span;
    } as;
};

typedef struct oct_meta_item {
    const char *key;
    const char *value;
} oct_meta_item;

struct oct_resource {
    const unsigned char *data;
    size_t len;
    const char *media_type;
    const char *source_url;
    const char *href;
    char id[24];     /* "img-" + 16 hex digits */
    uint8_t digest[32];
    int width, height;
    oct_doc *doc;
};

struct oct_doc {
    oct_arena arena;
    oct_node *root;
    oct_limits limits;
    size_t node_count;
    /* Bit t set: a node of type t was made in (or moved into) this document.
     * Whole-tree passes that only act on one type (images, links, footnote
     * references) skip a document that never had one: a 50 MB novel has no
     * image, and need not be walked to learn it. Bits are never cleared. */
    uint64_t types_made;
    int node_limit_hit;   /* oct_node_new refused a node: content was lost */
    const char *base;
    oct_meta_item *meta;    /* malloc'ed array; strings in the arena */
    size_t meta_len, meta_cap;
    oct_resource **resources; /* malloc'ed array; resources in the arena */
    size_t res_len, res_cap;
    uint64_t res_bytes;
    oct_resource *cover;
};

_Static_assert(OCT_NODE_TYPE_COUNT_ <= 64, "oct_doc.types_made has a bit per node type");
/* The node changes type in place (the builder's implied paragraph, a
 * footnote reference to nowhere becoming text): the document records it. */
static inline void oct_node_retype(oct_node *n, oct_node_type type)
{
    n->type = (uint16_t)type;
    n->doc->types_made |= (uint64_t)1 << type;
}
/* Whether doc may hold a node of this type: no means certainly not. */
static inline int oct_doc_may_hold(const oct_doc *doc, oct_node_type type)
{
    return (int)((doc->types_made >> type) & 1);
}

/* node.c */
int oct_node_is_ancestor(const oct_node *maybe_ancestor, const oct_node *n);
/* Shallow copy of n's type and attributes (no children), for the builder's
 * reopening of inline formatting. */
oct_node *oct_node_clone_shallow(oct_doc *doc, const oct_node *n);
/* Appends without checks; callers have checked containment. */
void oct_node_append_unchecked(oct_node *parent, oct_node *child);

/* normalize.c: the text under n (inline content), truncated to size-1 bytes */
size_t oct_node_plain_text(const oct_node *n, char *out, size_t size);

/* parts.c: make an input one chapter of a multi-input book */
oct_status oct_doc_make_chapter(oct_doc *part, oct_error *err);
/* parts.c: links from one input to another (or to itself by file name)
 * become links inside the document: "ch02.html#x" -> "#x". */
oct_status oct_docs_link_parts(oct_doc **parts, const char *const *names, size_t n);

/* context.c: a context for work on another thread, with the parent's
 * registry, options, limits and verbosity. Its messages are held back until
 * oct_context_replay hands them to the parent, so they reach the log in
 * the order of the inputs, not of the threads. The messages held by all
 * forks of one reading draw on one budget of bytes (*kept_budget, which
 * replay gives back); past it a fork keeps only a count. Replay happens
 * once the fork's work is done, never two at once. */
oct_context *oct_context_fork(const oct_context *parent, atomic_size_t *kept_budget);
void oct_context_replay(oct_context *parent, oct_context *fork);

/* read_parts.c: every input of a conversion read into parts[i] (made a
 * chapter when there are several), on up to `threads` threads when the
 * readers allow it. On failure err tells about the first input, in order,
 * that failed; parts may then hold some documents, which the caller frees. */
oct_status oct_read_parts(oct_context *ctx, const char *const *inputs, size_t n,
                          const oct_format *reader, unsigned threads, oct_doc **parts,
                          oct_error *err);

/* meta.c */
void oct_meta_free_all(oct_doc *doc);

/* resource.c */
void oct_resources_free_all(oct_doc *doc);

/* doc.c: limits from a caller's struct that may be older than ours */
void oct_limits_copy(oct_limits *dst, const oct_limits *src);
/* doc.c: oct_doc_validate without reading the literals' bytes again, which
 * every setter has checked already: for the check after each reader */
oct_status oct_doc_validate_shape(const oct_doc *doc, oct_error *err);
/* doc.c: copy a string into the document's arena */
const char *oct_doc_intern(oct_doc *doc, const char *s);

/* sha256.c: oct_sha256's two ways, for the test that holds them together:
 * the portable rounds, and the processor's SHA instructions, which returns
 * 0 (writing nothing) on a processor without them. */
void oct_sha256_portable(const void *data, size_t len, uint8_t out[32]);
int oct_sha256_accelerated(const void *data, size_t len, uint8_t out[32]);

/* fetch.c: load the bytes behind a URL or path with limits and the policy. */
typedef struct oct_fetched {
    unsigned char *data; /* malloc'ed */
    size_t len;
    char *final_url;     /* malloc'ed, or NULL */
    char *content_type;  /* malloc'ed, or NULL */
} oct_fetched;
void oct_fetched_free(oct_fetched *f);
int oct_is_remote_url(const char *s);

/* Registry lookups that read what is known of a format without opening its
 * plugin (registry.c): the reader for a media type's essence (len bytes of
 * type), opened; and whether every reader may run on several threads. */
const oct_format *oct_registry_find_by_media_type(const oct_registry *reg, const char *type,
                                                  size_t len);
int oct_registry_readers_thread_safe(const oct_registry *reg);
oct_status oct_fetch_url(oct_context *ctx, const char *url, uint64_t max_bytes, oct_fetched *out,
                         oct_error *err);
/* Fetches n URLs, at most `parallel` at a time; out[i]/errs[i] get each
 * result (data NULL on failure). */
void oct_fetch_many(oct_context *ctx, const char *const *urls, size_t n, uint64_t max_bytes,
                    size_t parallel, oct_fetched *out, oct_error *errs);
oct_status oct_read_file_bounded(const char *path, uint64_t max_bytes, oct_fetched *out,
                                 oct_error *err);



#endif
