/*
 * octavo.h — the public API of liboctavo.
 *
 * liboctavo holds one document model (a tree of typed nodes, metadata and
 * binary resources), a registry of format plugins loaded with dlopen, and the
 * pipeline that runs   source -> reader -> tree -> transforms -> writer -> sink.
 *
 * Conventions
 *  - Every fallible call returns an oct_status (OCT_OK == 0) or NULL, and takes
 *    an optional caller-owned oct_error* last, filled without allocating.
 *  - A document owns everything reachable from it: nodes, strings, resources.
 *    oct_doc_free() releases all of it in one call.
 *  - Node accessors return 0/NULL when asked for a field the node's type does
 *    not have; setters return OCT_ERR_WRONG_TYPE.
 *  - Enums only grow at the end; values are never renumbered.
 */
#ifndef OCTAVO_H
#define OCTAVO_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "octavo/octavo_export.h"
#include "octavo/octavo_version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define OCT_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define OCT_PRINTF(fmt, args)
#endif

/* ---------------------------------------------------------------- status */

/* X(name, exit_class, message).  exit_class groups statuses into the CLI's
 * documented exit codes (see oct_status_exit_code). */
#define OCT_STATUS_TABLE(X)                                                     \
    X(OK, 0, "success")                                                         \
    X(ERR_NOMEM, 4, "out of memory")                                            \
    X(ERR_INVALID_ARG, 2, "invalid argument")                                   \
    X(ERR_WRONG_TYPE, 4, "operation not valid for this node type")              \
    X(ERR_INVALID_CHILD, 4, "node cannot contain that child")                   \
    X(ERR_INVALID_UTF8, 3, "text is not valid UTF-8")                           \
    X(ERR_IO, 3, "input/output error")                                          \
    X(ERR_NOT_FOUND, 3, "not found")                                            \
    X(ERR_UNKNOWN_FORMAT, 2, "unknown format")                                  \
    X(ERR_PLUGIN_OPEN, 4, "not a loadable shared object")                       \
    X(ERR_PLUGIN_SYMBOL, 4, "plugin entry symbol missing")                      \
    X(ERR_PLUGIN_ABI, 4, "plugin built for an incompatible ABI")                \
    X(ERR_PLUGIN_DESCRIPTOR, 4, "malformed plugin descriptor")                  \
    X(ERR_PLUGIN_INIT, 4, "plugin initialisation failed")                       \
    X(ERR_PLUGIN_DUPLICATE, 4, "format already provided by another plugin")     \
    X(ERR_PARSE, 3, "malformed input")                                          \
    X(ERR_LIMIT, 3, "limit exceeded")                                           \
    X(ERR_UNSUPPORTED, 4, "unsupported")                                        \
    X(ERR_NETWORK, 3, "network error")                                          \
    X(ERR_INTERRUPTED, 130, "interrupted")                                        \
    X(ERR_OUTPUT, 5, "cannot write output")                                     \
    X(ERR_DENIED, 3, "access denied by policy")                                 \
    X(ERR_CONVERSION, 4, "conversion failed")

typedef enum oct_status {
#define OCT_X_ENUM(name, cls, msg) OCT_##name,
    OCT_STATUS_TABLE(OCT_X_ENUM)
#undef OCT_X_ENUM
    OCT_STATUS_COUNT_ /* not a status; always last */
} oct_status;

/* "OCT_ERR_NOMEM" */
OCT_EXPORT const char *oct_status_name(oct_status s);
/* "out of memory" */
OCT_EXPORT const char *oct_status_message(oct_status s);
/* The CLI exit code for a status: 0 ok, 2 usage, 3 input, 4 conversion,
 * 5 output, 130 interrupted. */
OCT_EXPORT int oct_status_exit_code(oct_status s);

/* Details of a failure, owned by the caller, filled without allocating. */
typedef struct oct_error {
    oct_status status;
    long line;          /* line of the input, 0 when unknown */
    char where[512];    /* file, URL or plugin path the failure is about */
    char message[512];  /* one line, no trailing newline */
} oct_error;

OCT_EXPORT void oct_error_clear(oct_error *err);
/* Sets err (if non-NULL) and returns status, so callers can
 * `return oct_error_set(err, OCT_ERR_IO, path, 0, "...")`. */
OCT_EXPORT oct_status oct_error_set(oct_error *err, oct_status status, const char *where,
                                    long line, const char *fmt, ...) OCT_PRINTF(5, 6);
/* Formats "where: line N: message" (parts omitted when empty) into buf. */
OCT_EXPORT const char *oct_error_format(const oct_error *err, char *buf, size_t size);

/* ------------------------------------------------------ buffers and UTF-8 */

/* A growable byte buffer with a hard cap (curl's dynbuf). data is always
 * NUL-terminated when non-NULL. The first failure sticks in status and every
 * later append is a no-op returning it. */
typedef struct oct_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max;        /* hard cap on len; 0 at init means OCT_BUF_DEFAULT_MAX */
    oct_status status;
} oct_buf;

#define OCT_BUF_DEFAULT_MAX ((size_t)1 << 31)

OCT_EXPORT void oct_buf_init(oct_buf *b, size_t max);
OCT_EXPORT oct_status oct_buf_append(oct_buf *b, const void *data, size_t len);
OCT_EXPORT oct_status oct_buf_puts(oct_buf *b, const char *s);
OCT_EXPORT oct_status oct_buf_putc(oct_buf *b, int c);
OCT_EXPORT oct_status oct_buf_printf(oct_buf *b, const char *fmt, ...) OCT_PRINTF(2, 3);
OCT_EXPORT oct_status oct_buf_vprintf(oct_buf *b, const char *fmt, va_list ap);
/* Empties the buffer (keeps its memory and clears a sticky error). */
OCT_EXPORT void oct_buf_reset(oct_buf *b);
OCT_EXPORT void oct_buf_free(oct_buf *b);
/* Hands the memory to the caller (free() it); the buffer is left empty. */
OCT_EXPORT char *oct_buf_detach(oct_buf *b, size_t *len);

/* Decodes one code point from s (len > 0). Returns the bytes consumed (>= 1);
 * an invalid or truncated sequence consumes 1 byte and yields U+FFFD. */
OCT_EXPORT size_t oct_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encodes cp (surrogates and > U+10FFFF become U+FFFD); returns 1..4. */
OCT_EXPORT size_t oct_utf8_encode(uint32_t cp, char out[4]);
OCT_EXPORT int oct_utf8_is_valid(const char *s, size_t len);
/* Appends s to b with invalid sequences as U+FFFD and NUL bytes dropped. */
OCT_EXPORT oct_status oct_utf8_append_repaired(oct_buf *b, const char *s, size_t len);
/* Columns a code point takes on a terminal: 0 (combining, zero width),
 * 2 (East Asian wide/fullwidth, most emoji), else 1. */
OCT_EXPORT int oct_codepoint_width(uint32_t cp);
OCT_EXPORT size_t oct_utf8_display_width(const char *s, size_t len);

/* SHA-256 of data, for content-derived names and identifiers. */
OCT_EXPORT void oct_sha256(const void *data, size_t len, uint8_t out[32]);

/* ------------------------------------------------------------- node types */

typedef enum oct_node_type {
    OCT_NODE_NONE = 0,

    /* blocks */
    OCT_NODE_DOCUMENT,
    OCT_NODE_HEADING,         /* inlines; level 1..6 */
    OCT_NODE_PARAGRAPH,       /* inlines */
    OCT_NODE_BLOCK_QUOTE,     /* blocks; optional cite URL */
    OCT_NODE_LIST,            /* list items only */
    OCT_NODE_LIST_ITEM,       /* blocks */
    OCT_NODE_CODE_BLOCK,      /* leaf: literal text, info/language */
    OCT_NODE_THEMATIC_BREAK,  /* leaf */
    OCT_NODE_TABLE,           /* optional CAPTION first, then TABLE_ROWs */
    OCT_NODE_TABLE_ROW,       /* TABLE_CELLs; section head/body/foot */
    OCT_NODE_TABLE_CELL,      /* blocks; header flag, spans, alignment */
    OCT_NODE_FIGURE,          /* blocks, and at most one CAPTION */
    OCT_NODE_CAPTION,         /* inlines; inside FIGURE or TABLE */
    OCT_NODE_DEFINITION_LIST, /* DEFINITION_TERM and DEFINITION_DESC */
    OCT_NODE_DEFINITION_TERM, /* inlines */
    OCT_NODE_DEFINITION_DESC, /* blocks */
    OCT_NODE_FOOTNOTE_DEF,    /* blocks; label; child of DOCUMENT only */
    OCT_NODE_RAW_BLOCK,       /* leaf: literal in a named format */
    OCT_NODE_DIV,             /* blocks; a section carrying lang/dir/id */

    /* inlines */
    OCT_NODE_TEXT,            /* leaf: literal */
    OCT_NODE_EMPH,
    OCT_NODE_STRONG,
    OCT_NODE_STRIKEOUT,
    OCT_NODE_SUPERSCRIPT,
    OCT_NODE_SUBSCRIPT,
    OCT_NODE_UNDERLINE,
    OCT_NODE_CODE,            /* leaf: literal */
    OCT_NODE_LINK,            /* inlines; url, title */
    OCT_NODE_IMAGE,           /* leaf: url, title, alt, resource, size */
    OCT_NODE_LINE_BREAK,      /* leaf */
    OCT_NODE_SOFT_BREAK,      /* leaf */
    OCT_NODE_FOOTNOTE_REF,    /* leaf: label of a FOOTNOTE_DEF */
    OCT_NODE_SPAN,            /* inlines; lang, dir, class */
    OCT_NODE_RAW_INLINE,      /* leaf: literal in a named format */
    OCT_NODE_HIGHLIGHT,       /* inlines; <mark> */
    OCT_NODE_SMALL_CAPS,      /* inlines */
    OCT_NODE_QUOTED,          /* inlines; an inline quotation, <q> */

    OCT_NODE_TYPE_COUNT_      /* not a type; always last */
} oct_node_type;

#define OCT_NODE_FIRST_BLOCK OCT_NODE_DOCUMENT
#define OCT_NODE_LAST_BLOCK OCT_NODE_DIV
#define OCT_NODE_FIRST_INLINE OCT_NODE_TEXT
#define OCT_NODE_LAST_INLINE OCT_NODE_QUOTED

typedef enum oct_list_style {
    OCT_LIST_BULLET = 0,
    OCT_LIST_DECIMAL,
    OCT_LIST_LOWER_ALPHA,
    OCT_LIST_UPPER_ALPHA,
    OCT_LIST_LOWER_ROMAN,
    OCT_LIST_UPPER_ROMAN
} oct_list_style;

typedef enum oct_align {
    OCT_ALIGN_NONE = 0, OCT_ALIGN_LEFT, OCT_ALIGN_CENTER, OCT_ALIGN_RIGHT
} oct_align;

typedef enum oct_dir { OCT_DIR_NONE = 0, OCT_DIR_LTR, OCT_DIR_RTL } oct_dir;

typedef enum oct_row_section {
    OCT_ROW_BODY = 0, OCT_ROW_HEAD, OCT_ROW_FOOT
} oct_row_section;

typedef enum oct_task { OCT_TASK_NONE = 0, OCT_TASK_UNCHECKED, OCT_TASK_CHECKED } oct_task;

typedef struct oct_doc oct_doc;
typedef struct oct_node oct_node;
typedef struct oct_resource oct_resource;

OCT_EXPORT const char *oct_node_type_name(oct_node_type t); /* "heading" */
OCT_EXPORT int oct_node_type_is_block(oct_node_type t);
OCT_EXPORT int oct_node_type_is_inline(oct_node_type t);
/* Leaves never have children (text, code, code block, image, breaks, ...). */
OCT_EXPORT int oct_node_type_is_leaf(oct_node_type t);
/* The containment rule every mutator enforces. */
OCT_EXPORT int oct_node_type_can_contain(oct_node_type parent, oct_node_type child);

/* ------------------------------------------------------------------ nodes */

/* A new detached node owned by doc (freed with it). NULL on bad type/limit. */
OCT_EXPORT oct_node *oct_node_new(oct_doc *doc, oct_node_type type);

OCT_EXPORT oct_node_type oct_node_get_type(const oct_node *n);
OCT_EXPORT oct_node *oct_node_parent(const oct_node *n);
OCT_EXPORT oct_node *oct_node_first_child(const oct_node *n);
OCT_EXPORT oct_node *oct_node_last_child(const oct_node *n);
OCT_EXPORT oct_node *oct_node_next(const oct_node *n);
OCT_EXPORT oct_node *oct_node_prev(const oct_node *n);
OCT_EXPORT oct_doc *oct_node_doc(const oct_node *n);

/* Tree mutation. Each checks containment (oct_node_type_can_contain), that the
 * nodes belong to the same document, and that no cycle would form; on failure
 * nothing changes and OCT_ERR_INVALID_CHILD / OCT_ERR_INVALID_ARG is returned.
 * A child that is already attached elsewhere is moved. */
OCT_EXPORT oct_status oct_node_append_child(oct_node *parent, oct_node *child);
OCT_EXPORT oct_status oct_node_prepend_child(oct_node *parent, oct_node *child);
OCT_EXPORT oct_status oct_node_insert_before(oct_node *sibling, oct_node *node);
OCT_EXPORT oct_status oct_node_insert_after(oct_node *sibling, oct_node *node);
/* Detaches n from its parent (memory stays with the document). */
OCT_EXPORT void oct_node_unlink(oct_node *n);

/* Common attributes (every type). Strings are copied into the document.
 * Text setters reject invalid UTF-8 with OCT_ERR_INVALID_UTF8. */
OCT_EXPORT const char *oct_node_id(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_id(oct_node *n, const char *id);
OCT_EXPORT const char *oct_node_lang(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_lang(oct_node *n, const char *bcp47);
OCT_EXPORT oct_dir oct_node_dir(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_dir(oct_node *n, oct_dir dir);
/* Line of the input the node came from (1-based, 0 unknown). */
OCT_EXPORT long oct_node_source_line(const oct_node *n);
OCT_EXPORT void oct_node_set_source_line(oct_node *n, long line);

/* Literal text of TEXT, CODE, CODE_BLOCK, RAW_BLOCK, RAW_INLINE. */
OCT_EXPORT const char *oct_node_literal(const oct_node *n, size_t *len);
OCT_EXPORT oct_status oct_node_set_literal(oct_node *n, const char *s, size_t len);

OCT_EXPORT int oct_node_heading_level(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_heading_level(oct_node *n, int level);

OCT_EXPORT oct_list_style oct_node_list_style(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_list_style(oct_node *n, oct_list_style s);
OCT_EXPORT int oct_node_list_is_ordered(const oct_node *n);
OCT_EXPORT int oct_node_list_start(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_list_start(oct_node *n, int start);
OCT_EXPORT int oct_node_list_tight(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_list_tight(oct_node *n, int tight);
OCT_EXPORT int oct_node_list_reversed(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_list_reversed(oct_node *n, int reversed);

OCT_EXPORT oct_task oct_node_item_task(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_item_task(oct_node *n, oct_task t);

/* CODE_BLOCK language ("c", "python"), NULL when unknown. */
OCT_EXPORT const char *oct_node_code_language(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_code_language(oct_node *n, const char *lang);

/* LINK and IMAGE: url (never NULL for a link: "" when absent), title. */
OCT_EXPORT const char *oct_node_url(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_url(oct_node *n, const char *url);
OCT_EXPORT const char *oct_node_title(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_title(oct_node *n, const char *title);
/* IMAGE: alternative text ("" when absent), resource (may be NULL), and the
 * display size the source asked for in CSS pixels (0 when unknown). */
OCT_EXPORT const char *oct_node_image_alt(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_image_alt(oct_node *n, const char *alt);
OCT_EXPORT oct_resource *oct_node_image_resource(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_image_resource(oct_node *n, oct_resource *r);
OCT_EXPORT int oct_node_image_width(const oct_node *n);
OCT_EXPORT int oct_node_image_height(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_image_size(oct_node *n, int width, int height);

/* BLOCK_QUOTE cite URL. */
OCT_EXPORT const char *oct_node_cite(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_cite(oct_node *n, const char *url);

OCT_EXPORT oct_row_section oct_node_row_section(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_row_section(oct_node *n, oct_row_section s);
OCT_EXPORT int oct_node_cell_is_header(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_cell_header(oct_node *n, int header);
OCT_EXPORT int oct_node_cell_colspan(const oct_node *n); /* >= 1 */
OCT_EXPORT int oct_node_cell_rowspan(const oct_node *n); /* >= 1 */
OCT_EXPORT oct_status oct_node_set_cell_span(oct_node *n, int colspan, int rowspan);
OCT_EXPORT oct_align oct_node_cell_align(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_cell_align(oct_node *n, oct_align a);

/* FOOTNOTE_DEF and FOOTNOTE_REF label. */
OCT_EXPORT const char *oct_node_footnote_label(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_footnote_label(oct_node *n, const char *label);

/* RAW_BLOCK / RAW_INLINE format ("html"). */
OCT_EXPORT const char *oct_node_raw_format(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_raw_format(oct_node *n, const char *format);

/* SPAN / DIV class (free text, informative). */
OCT_EXPORT const char *oct_node_class(const oct_node *n);
OCT_EXPORT oct_status oct_node_set_class(oct_node *n, const char *cls);

/* ------------------------------------------------------------- iteration */

typedef enum oct_event { OCT_EVENT_NONE = 0, OCT_EVENT_DONE, OCT_EVENT_ENTER, OCT_EVENT_EXIT } oct_event;

/* A depth-first walk with no recursion and no allocation. Leaves produce only
 * ENTER; containers ENTER and EXIT (an empty container gives both). */
typedef struct oct_iter {
    const oct_node *root;
    const oct_node *node;
    oct_event event;
    int exit_next; /* set by oct_iter_skip_children */
} oct_iter;

OCT_EXPORT void oct_iter_init(oct_iter *it, const oct_node *root);
OCT_EXPORT oct_event oct_iter_next(oct_iter *it);
/* Skip the children of the node just entered: the next event is its EXIT. */
OCT_EXPORT void oct_iter_skip_children(oct_iter *it);
static inline const oct_node *oct_iter_node(const oct_iter *it) { return it->node; }

/* ------------------------------------------------------- limits, document */

typedef struct oct_limits {
    size_t struct_size;
    uint64_t max_input_bytes;    /* bytes read from one input */
    uint32_t max_depth;          /* deeper content is flattened, not dropped */
    uint64_t max_nodes;          /* nodes in one document */
    uint64_t max_resource_bytes; /* one image */
    uint32_t max_resources;      /* images in one document */
    uint64_t max_total_resource_bytes;
    uint64_t max_output_bytes;
} oct_limits;

OCT_EXPORT void oct_limits_default(oct_limits *l);

OCT_EXPORT oct_doc *oct_doc_new(void);
OCT_EXPORT void oct_doc_free(oct_doc *doc);
OCT_EXPORT oct_node *oct_doc_root(const oct_doc *doc);
OCT_EXPORT void oct_doc_set_limits(oct_doc *doc, const oct_limits *l);
OCT_EXPORT const oct_limits *oct_doc_limits(const oct_doc *doc);
OCT_EXPORT size_t oct_doc_node_count(const oct_doc *doc);
/* Copy bytes into the document's arena (NUL-terminated). */
OCT_EXPORT char *oct_doc_strndup(oct_doc *doc, const char *s, size_t len);
/* Where the document came from: a path or URL, used to resolve relative
 * references. May be NULL. */
OCT_EXPORT const char *oct_doc_base(const oct_doc *doc);
OCT_EXPORT oct_status oct_doc_set_base(oct_doc *doc, const char *base);
/* Moves src's children, metadata (only keys dst lacks) and resources into dst
 * and frees src. */
OCT_EXPORT oct_status oct_doc_append_doc(oct_doc *dst, oct_doc *src, oct_error *err);
/* FOOTNOTE_DEF with that label, or NULL. */
OCT_EXPORT oct_node *oct_doc_find_footnote(const oct_doc *doc, const char *label);
/* Checks every invariant of the tree; for tests and debug builds. */
OCT_EXPORT oct_status oct_doc_validate(const oct_doc *doc, oct_error *err);

/* -------------------------------------------------------------- metadata */

/* Well-known keys. Multi-valued keys (author, subject) use oct_meta_add. */
#define OCT_META_TITLE "title"
#define OCT_META_SUBTITLE "subtitle"
#define OCT_META_AUTHOR "author"
#define OCT_META_DATE "date"
#define OCT_META_LANG "lang"
#define OCT_META_DIR "dir"
#define OCT_META_PUBLISHER "publisher"
#define OCT_META_DESCRIPTION "description"
#define OCT_META_SUBJECT "subject"
#define OCT_META_IDENTIFIER "identifier"
#define OCT_META_SOURCE "source"
#define OCT_META_RIGHTS "rights"

/* Replaces every value of key with value (NULL removes the key). */
OCT_EXPORT oct_status oct_meta_set(oct_doc *doc, const char *key, const char *value);
/* Appends one more value of key. */
OCT_EXPORT oct_status oct_meta_add(oct_doc *doc, const char *key, const char *value);
/* First value of key, or NULL. */
OCT_EXPORT const char *oct_meta_get(const oct_doc *doc, const char *key);
OCT_EXPORT size_t oct_meta_count(const oct_doc *doc, const char *key);
OCT_EXPORT const char *oct_meta_get_nth(const oct_doc *doc, const char *key, size_t i);
/* All entries in insertion order (keys repeat for multi-valued keys). */
OCT_EXPORT size_t oct_meta_size(const oct_doc *doc);
OCT_EXPORT oct_status oct_meta_entry(const oct_doc *doc, size_t i, const char **key,
                                     const char **value);
OCT_EXPORT oct_resource *oct_doc_cover(const oct_doc *doc);
OCT_EXPORT oct_status oct_doc_set_cover(oct_doc *doc, oct_resource *r);

/* ------------------------------------------------------------- resources */

/* Adds a copy of data as a resource, or returns the existing resource with the
 * same bytes. media_type NULL: sniffed from the bytes (PNG, JPEG, GIF, WebP,
 * SVG); pixel size read from the header. Returns NULL and fills err on limit,
 * unknown media type or allocation failure. */
OCT_EXPORT oct_resource *oct_doc_add_resource(oct_doc *doc, const void *data, size_t len,
                                              const char *media_type, const char *source_url,
                                              oct_error *err);
OCT_EXPORT size_t oct_doc_resource_count(const oct_doc *doc);
OCT_EXPORT oct_resource *oct_doc_resource_at(const oct_doc *doc, size_t i);
OCT_EXPORT const unsigned char *oct_resource_data(const oct_resource *r, size_t *len);
OCT_EXPORT const char *oct_resource_media_type(const oct_resource *r);
OCT_EXPORT const char *oct_resource_source_url(const oct_resource *r);
/* Stable name derived from the content: "img-0123456789abcdef". */
OCT_EXPORT const char *oct_resource_id(const oct_resource *r);
/* Usual file extension for the media type without dot: "png". */
OCT_EXPORT const char *oct_resource_extension(const oct_resource *r);
OCT_EXPORT int oct_resource_width(const oct_resource *r);  /* pixels, 0 unknown */
OCT_EXPORT int oct_resource_height(const oct_resource *r);
/* Path the resource was written to by --extract-media, or NULL. */
OCT_EXPORT const char *oct_resource_href(const oct_resource *r);
OCT_EXPORT oct_status oct_resource_set_href(oct_resource *r, const char *href);

/* Media type sniffed from bytes, or NULL; and pixel size (0 if unknown). */
OCT_EXPORT const char *oct_sniff_media_type(const void *data, size_t len);
OCT_EXPORT int oct_image_size(const void *data, size_t len, const char *media_type,
                              int *width, int *height);

/* ---------------------------------------------------------------- builder */

/* The builder is how readers fill a document: they report what they saw in
 * document order (open, text, close) and the builder keeps the tree valid:
 *  - inline content in a block container gets a paragraph;
 *  - a block inside a paragraph or inline closes them, and the open inlines
 *    are reopened after it (HTML's "reconstruct formatting" rule);
 *  - list items outside a list get a list, cells outside a row get a row;
 *  - beyond limits.max_depth, containers are flattened into their parent;
 *  - text is repaired to valid UTF-8 (U+FFFD) with NUL bytes dropped, and
 *    adjacent text is merged into one TEXT node.
 * Every oct_builder_open must be matched by one oct_builder_close, in LIFO
 * order; a close whose node was already closed by the rules above is a no-op. */
typedef struct oct_builder oct_builder;

OCT_EXPORT oct_builder *oct_builder_new(oct_doc *doc);
/* Flushes pending text and closes everything still open. */
OCT_EXPORT oct_status oct_builder_finish(oct_builder *b);
OCT_EXPORT void oct_builder_free(oct_builder *b);
/* Opens node (created with oct_node_new, attributes set) as the new current
 * container. Every open needs its close, whatever the node: a leaf (image,
 * break...) is simply appended and its close does nothing; CODE_BLOCK, CODE
 * and RAW_* gather the text reported until their close as their literal.
 * Returns OCT_ERR_LIMIT once the document's node limit is reached (sticky). */
OCT_EXPORT oct_status oct_builder_open(oct_builder *b, oct_node *node);
OCT_EXPORT oct_status oct_builder_close(oct_builder *b);
/* Convenience: oct_node_new + oct_builder_open. NULL on failure. */
OCT_EXPORT oct_node *oct_builder_open_new(oct_builder *b, oct_node_type type);
/* Appends a leaf node (TEXT is better added with oct_builder_text). */
OCT_EXPORT oct_status oct_builder_leaf(oct_builder *b, oct_node *leaf);
/* Appends text; inside a CODE_BLOCK/CODE/RAW node it extends the literal. */
OCT_EXPORT oct_status oct_builder_text(oct_builder *b, const char *s, size_t len);
/* The innermost open node (the document root when nothing is open). */
OCT_EXPORT oct_node *oct_builder_current(const oct_builder *b);
/* Number of opens that were flattened because of max_depth. */
OCT_EXPORT size_t oct_builder_flattened(const oct_builder *b);

/* ------------------------------------------------------------------ sinks */

/* Where a writer's bytes go. Buffered; the first failure sticks and every
 * later call returns it. */
typedef struct oct_sink oct_sink;

OCT_EXPORT oct_status oct_sink_write(oct_sink *s, const void *data, size_t len);
OCT_EXPORT oct_status oct_sink_puts(oct_sink *s, const char *str);
OCT_EXPORT oct_status oct_sink_printf(oct_sink *s, const char *fmt, ...) OCT_PRINTF(2, 3);
OCT_EXPORT oct_status oct_sink_status(const oct_sink *s);
OCT_EXPORT uint64_t oct_sink_bytes_written(const oct_sink *s);

/* A sink into memory (for tests and in-process use). */
OCT_EXPORT oct_sink *oct_sink_new_memory(size_t max_bytes);
OCT_EXPORT const unsigned char *oct_sink_memory_data(const oct_sink *s, size_t *len);
/* A sink that writes path atomically: bytes go to a temporary file in the
 * same directory; oct_sink_commit fsyncs and renames it over path; closing
 * without commit removes it. path "-" is standard output (no atomicity). */
OCT_EXPORT oct_sink *oct_sink_open_file(const char *path, oct_error *err);
OCT_EXPORT oct_status oct_sink_commit(oct_sink *s, oct_error *err);
/* A file sink fsyncs before its rename (the default). A caller committing
 * many files may turn that off and sync once at the end (batch mode). */
OCT_EXPORT void oct_sink_set_durable(oct_sink *s, int durable);
/* Writes past max_bytes fail with OCT_ERR_LIMIT (0 keeps the current cap). */
OCT_EXPORT void oct_sink_set_max(oct_sink *s, uint64_t max_bytes);
/* Frees the sink; an uncommitted file sink removes its temporary file. */
OCT_EXPORT void oct_sink_close(oct_sink *s);
/* Removes every uncommitted temporary file; async-signal-safe, for SIGINT. */
OCT_EXPORT void oct_sink_abort_all(void);

/* ---------------------------------------------------------------- context */

typedef enum oct_severity { OCT_SEV_ERROR = 0, OCT_SEV_WARNING, OCT_SEV_INFO, OCT_SEV_DEBUG } oct_severity;

/* Receives every diagnostic: where is a file, URL or plugin path (may be
 * NULL), line 0 when unknown, message one line without newline. */
typedef void (*oct_log_fn)(void *userdata, oct_severity sev, const char *where, long line,
                           const char *message);

/* The standard form of a diagnostic on stderr, one line:
 * "octavo: WHERE: line N: warning: message". The default log. */
OCT_EXPORT void oct_log_stderr(void *userdata, oct_severity sev, const char *where, long line,
                               const char *message);

typedef struct oct_registry oct_registry;
typedef struct oct_context oct_context;

/* A conversion context: options (-V), limits, the log, the registry.
 * One per thread of work. */
OCT_EXPORT oct_context *oct_context_new(oct_registry *reg);
OCT_EXPORT void oct_context_free(oct_context *ctx);
OCT_EXPORT oct_registry *oct_context_registry(const oct_context *ctx);
OCT_EXPORT void oct_context_set_log(oct_context *ctx, oct_log_fn fn, void *userdata);
OCT_EXPORT void oct_context_set_verbosity(oct_context *ctx, oct_severity max_shown);
/* -V key=value (a later set replaces). */
OCT_EXPORT oct_status oct_context_set_option(oct_context *ctx, const char *key, const char *value);
OCT_EXPORT const char *oct_context_option(const oct_context *ctx, const char *key);
/* "on/true/yes/1" -> 1, "off/false/no/0" -> 0, absent -> dflt, other -> dflt with a warning. */
OCT_EXPORT int oct_context_option_bool(oct_context *ctx, const char *key, int dflt);
OCT_EXPORT long oct_context_option_long(oct_context *ctx, const char *key, long dflt, long min,
                                        long max);
OCT_EXPORT const oct_limits *oct_context_limits(const oct_context *ctx);
OCT_EXPORT void oct_context_set_limits(oct_context *ctx, const oct_limits *l);
/* The input or output currently processed, used as "where" in messages. */
OCT_EXPORT void oct_context_set_where(oct_context *ctx, const char *where);
OCT_EXPORT const char *oct_context_where(const oct_context *ctx);
OCT_EXPORT void oct_context_log(oct_context *ctx, oct_severity sev, long line, const char *fmt,
                                ...) OCT_PRINTF(4, 5);
#define oct_warn(ctx, ...) oct_context_log((ctx), OCT_SEV_WARNING, 0, __VA_ARGS__)
#define oct_info(ctx, ...) oct_context_log((ctx), OCT_SEV_INFO, 0, __VA_ARGS__)
/* Number of warnings logged so far. */
OCT_EXPORT size_t oct_context_warning_count(const oct_context *ctx);
/* Set from a signal handler: long loops poll oct_context_interrupted. */
OCT_EXPORT void oct_request_interrupt(void);
OCT_EXPORT int oct_interrupted(void);

/* ------------------------------------------------------------- registry */

typedef struct oct_format oct_format;
typedef struct oct_plugin_descriptor oct_plugin_descriptor;

OCT_EXPORT oct_registry *oct_registry_new(void);
/* Runs each opened plugin's fini and closes it. Plugins are never unmapped:
 * the libraries they bring in keep process-wide state (registry.c). */
OCT_EXPORT void oct_registry_free(oct_registry *reg);
/* Diagnostics of loading (one line each) go here; default: stderr. */
OCT_EXPORT void oct_registry_set_log(oct_registry *reg, oct_log_fn fn, void *userdata);
/* Loads one plugin file. */
OCT_EXPORT oct_status oct_registry_load_file(oct_registry *reg, const char *path, oct_error *err);
/* Loads every "*.so" of dir in name order; failures are logged and skipped.
 * Returns the number of plugins loaded. When dir holds an up-to-date
 * plugins.cache (the same files, each with the GNU build ID written for
 * it), its plugins are registered from it and each is opened only when one
 * of its formats is first asked for: format_at, find, find_by_extension
 * and probe open it, and return NULL for a format whose plugin then fails
 * to open (logged once, as a warning). */
OCT_EXPORT size_t oct_registry_load_dir(oct_registry *reg, const char *dir);
/* Writes dir's plugins.cache after opening every plugin in it. Refused,
 * with the reason in err, when the scan logs anything (a plugin skipped,
 * shadowed or from a newer ABI: a cache must say what a scan says), when a
 * plugin has no build ID, or when the file cannot be written. */
OCT_EXPORT oct_status oct_registry_update_cache(const char *dir, oct_error *err);
/* The standard search: extra_dirs (--plugin-dir) in order, then
 * $OCTAVO_PLUGIN_PATH (colon-separated), then the directory found from
 * liboctavo's own location, then the compiled-in install directory.
 * Never the current directory. */
OCT_EXPORT size_t oct_registry_load_default(oct_registry *reg, const char *const *extra_dirs,
                                            size_t n_extra);
/* Registers a descriptor from memory (built-in formats, tests). */
OCT_EXPORT oct_status oct_registry_add(oct_registry *reg, const oct_plugin_descriptor *desc,
                                       const char *origin, oct_error *err);

OCT_EXPORT size_t oct_registry_format_count(const oct_registry *reg);
OCT_EXPORT const oct_format *oct_registry_format_at(const oct_registry *reg, size_t i);
OCT_EXPORT const oct_format *oct_registry_find(const oct_registry *reg, const char *name);
/* A format that can read (want_writer 0) or write (1) files ending in ext. */
OCT_EXPORT const oct_format *oct_registry_find_by_extension(const oct_registry *reg,
                                                            const char *ext, int want_writer);
/* The reader whose probe scores highest on these bytes, or NULL. */
OCT_EXPORT const oct_format *oct_registry_probe(const oct_registry *reg, const void *data,
                                                size_t len, const char *name);
/* For a format: its plugin's file, name and version. */
OCT_EXPORT const char *oct_format_plugin_path(const oct_registry *reg, const oct_format *f);
OCT_EXPORT const char *oct_format_plugin_name(const oct_registry *reg, const oct_format *f);
OCT_EXPORT const char *oct_format_plugin_version(const oct_registry *reg, const oct_format *f);
OCT_EXPORT const char *oct_format_name(const oct_format *f);
OCT_EXPORT int oct_format_can_read(const oct_format *f);
OCT_EXPORT int oct_format_can_write(const oct_format *f);
/* Number of plugins registered (opened or cached), and each plugin's
 * path/name/version. */
OCT_EXPORT size_t oct_registry_plugin_count(const oct_registry *reg);
OCT_EXPORT const char *oct_registry_plugin_info(const oct_registry *reg, size_t i,
                                                const char **name, const char **version);

/* --------------------------------------------------------------- pipeline */

/* Reads one input into a new document with the given reader (NULL: chosen by
 * extension, then by content). name is a path, "-" for stdin, or a URL. */
OCT_EXPORT oct_status oct_read_input(oct_context *ctx, const char *name, const oct_format *reader,
                                     oct_doc **out, oct_error *err);
/* Reads an in-memory input (name used for messages and the default title). */
OCT_EXPORT oct_status oct_read_memory(oct_context *ctx, const void *data, size_t len,
                                      const char *name, const oct_format *reader, oct_doc **out,
                                      oct_error *err);
/* The core transforms every writer may rely on, run after reading:
 * footnote defs gathered under the root with unique labels and unreferenced
 * references unlinked, unique heading ids, empty containers pruned (not
 * empty headings, block quotes or links: those are what an author wrote, and
 * readers drop the ones their own reading emptied). */
OCT_EXPORT oct_status oct_doc_normalize(oct_context *ctx, oct_doc *doc, oct_error *err);
/* Runs writer on doc into sink. */
OCT_EXPORT oct_status oct_write(oct_context *ctx, const oct_doc *doc, const oct_format *writer,
                                oct_sink *sink, oct_error *err);

/* Loads the images readers referenced (data: URIs, http(s) URLs, files
 * inside the input's folder) as resources, under the reading policy described
 * in SECURITY.md. Failures are warnings; images keep their alt text. */
OCT_EXPORT oct_status oct_doc_resolve_images(oct_context *ctx, oct_doc *doc, oct_error *err);

/* One whole conversion, as the CLI runs it: every input read and appended in
 * order into one document, metadata overrides applied, images loaded, the
 * document normalised and written atomically to output. */
typedef struct oct_convert_request {
    size_t struct_size;              /* sizeof(oct_convert_request) */
    const char *const *inputs;       /* paths, URLs or "-" */
    size_t n_inputs;
    const char *from;                /* reader name, or NULL to infer */
    const char *to;                  /* writer name, or NULL: from output's extension, else markdown */
    const char *output;              /* path, or NULL / "-" for standard output */
    const char *const *metadata;     /* "key=value" overrides, in order */
    size_t n_metadata;
    const char *cover_image;         /* path of a cover image, or NULL */
    const char *const *stylesheets;  /* CSS files added to e-books */
    size_t n_stylesheets;
    const char *reference_doc;       /* DOCX whose styles the DOCX writer uses */
    const char *extract_media;       /* folder to write images to (Markdown) */
    /* How many inputs are read at once when there are several (at most
     * 64), each on its own thread if its reader is OCT_FORMAT_THREAD_SAFE;
     * 0 or 1 reads them one after another (so does a caller built before
     * this field). The document and the messages are the same either way;
     * the messages reach the context's log function in input order, one
     * at a time, but possibly from a reading thread. */
    unsigned read_threads;
} oct_convert_request;

OCT_EXPORT oct_status oct_convert(oct_context *ctx, const oct_convert_request *req, oct_error *err);
/* The writer oct_convert would choose for req, or NULL (err says why). */
OCT_EXPORT const oct_format *oct_convert_pick_writer(oct_context *ctx,
                                                     const oct_convert_request *req,
                                                     oct_error *err);

/* Debug dump of the tree and metadata, one node per line, indented; what
 * `octavo -t tree` prints and golden tests compare. */
OCT_EXPORT oct_status oct_doc_dump(const oct_doc *doc, oct_sink *sink);

/* Library version "0.1.0" and versions of the libraries it was built with. */
OCT_EXPORT const char *oct_version(void);
/* "liboctavo 0.1.0, libxml2 2.9.14, libzip 1.7.3, libcurl 7.88.1" */
OCT_EXPORT const char *oct_version_details(void);

#ifdef __cplusplus
}
#endif
#endif /* OCTAVO_H */
