/*
 * docx.h — the DOCX writer's internal interfaces.
 *
 * One run of the writer builds a docx_package (every part's name, content
 * type and bytes, in the order they are stored); docx.c then hands that list
 * either to the zip packer or to the Flat OPC serialiser, so both outputs
 * always hold identical parts.
 */
#ifndef OCTAVO_DOCX_H
#define OCTAVO_DOCX_H

#include <stddef.h>

#include <octavo/octavo_plugin.h>

#include "markup.h"
#include "xmlout.h"

/* Namespaces and package constants. */
#define DOCX_NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define DOCX_NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define DOCX_NS_WP "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
#define DOCX_NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define DOCX_NS_PIC "http://schemas.openxmlformats.org/drawingml/2006/picture"
#define DOCX_REL_BASE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define DOCX_CT_WML "application/vnd.openxmlformats-officedocument.wordprocessingml."
#define DOCX_CT_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

/* ------------------------------------------------------------ string map */

/* A string-keyed map to an int, for ids, labels and relationship targets.
 * Keys are copied. */
typedef struct docx_map_entry {
    char *key;
    int value;
} docx_map_entry;

typedef struct docx_map {
    docx_map_entry *slots;
    size_t cap;   /* power of two, or 0 */
    size_t count;
} docx_map;

/* Returns 1 and sets *value when key is present. */
int docx_map_get(const docx_map *m, const char *key, int *value);
/* Inserts or replaces; OCT_ERR_NOMEM on failure. */
oct_status docx_map_put(docx_map *m, const char *key, int value);
void docx_map_free(docx_map *m);

/* --------------------------------------------------------------- package */

typedef struct docx_part {
    char *name;               /* "word/document.xml": no leading slash */
    const char *content_type; /* static string */
    unsigned char *data;
    size_t len;
    int owned;                /* data is freed with the package */
    int libxml_memory;        /* ... with xmlFree (a detached libxml2 buffer) */
    int is_xml;               /* Flat OPC stores it as pkg:xmlData */
    int compress;             /* deflate in the zip */
} docx_part;

typedef struct docx_package {
    docx_part *parts;
    size_t count;
    size_t cap;
} docx_package;

/* Adds a part taking ownership of data (malloc()ed) when owned is set. On
 * failure an owned buffer is freed. */
oct_status docx_package_add(docx_package *p, const char *name, const char *content_type,
                            unsigned char *data, size_t len, int owned, int is_xml);
/* Adds the finished XML of x as a part (copies it) and frees x. */
oct_status docx_package_add_xml(docx_package *p, const char *name, const char *content_type,
                                oct_xml *x);
/* Frees a part's data when the part owns it. */
void docx_part_free_data(docx_part *part);
void docx_package_free(docx_package *p);

/* Where an XML part's markup starts after its <?xml ...?> declaration. */
size_t docx_xml_body_offset(const unsigned char *data, size_t len);

/* Reference parts (xmlpart.c): is n the WordprocessingML element local
 * (any when NULL)?; a part parsed safely, or NULL; doc serialised as a
 * standalone part. */
int docx_is_w(const xmlNode *n, const char *local);
xmlDoc *docx_parse_part(const unsigned char *data, size_t len);
oct_status docx_package_add_doc(docx_package *p, const char *name, const char *content_type,
                                xmlDoc *doc);

/* ---------------------------------------------------------- relationships */

typedef struct docx_rel {
    int id;              /* rId<id> */
    const char *type;    /* suffix after DOCX_REL_BASE, e.g. "hyperlink" */
    char *target;
    int external;
} docx_rel;

typedef struct docx_rels {
    docx_rel *items;
    size_t count;
    size_t cap;
    docx_map by_target;  /* "type target" -> index, to reuse relationships */
} docx_rels;

/* Returns the rId number for (type, target), adding it when new; 0 on
 * allocation failure. */
int docx_rels_get(docx_rels *r, const char *type, const char *target, int external);
void docx_rels_free(docx_rels *r);
/* Serialises r as a .rels part; empty relationship sets are still valid. */
oct_status docx_rels_add_part(docx_package *p, const char *name, const docx_rels *r);

/* ----------------------------------------------------------- page layout */

typedef struct docx_page {
    long width, height;                    /* twips */
    long margin_top, margin_right, margin_bottom, margin_left;
} docx_page;

/* Text area width/height in twips (never below one inch). */
long docx_page_text_width(const docx_page *pg);
long docx_page_text_height(const docx_page *pg);

/* ------------------------------------------------------- reference docx */

typedef struct docx_refdoc {
    unsigned char *styles;     /* word/styles.xml, or NULL */
    size_t styles_len;
    unsigned char *numbering;  /* word/numbering.xml, or NULL */
    size_t numbering_len;
    unsigned char *theme;      /* word/theme/theme1.xml, or NULL */
    size_t theme_len;
    char *sect_pr;             /* the body's w:sectPr re-serialised with the
                                  "w:" prefix and no relationship references */
    int has_page;
    docx_page page;
} docx_refdoc;

/* Finds the document's reference docx (meta "reference-doc" naming a
 * resource id) and extracts what the writer takes from it. Absent: OK with
 * everything NULL. A broken one: a warning and defaults. */
oct_status docx_refdoc_load(oct_context *ctx, const oct_doc *doc, docx_refdoc *ref,
                            oct_error *err);
/* Same from raw bytes (tests). */
oct_status docx_refdoc_parse(oct_context *ctx, const unsigned char *data, size_t len,
                             docx_refdoc *ref);
void docx_refdoc_free(docx_refdoc *ref);

/* ------------------------------------------------------------- numbering */

typedef struct docx_list_instance {
    oct_list_style style;
    int start;
    int level; /* ilvl the list's items use */
} docx_list_instance;

typedef struct docx_numbering {
    docx_list_instance *lists; /* numId = index + 1 + id_offset */
    size_t count;
    size_t cap;
} docx_numbering;

/* Registers a list; returns its w:numId (0 on allocation failure). */
int docx_numbering_add(docx_numbering *n, oct_list_style style, int start, int level);
void docx_numbering_free(docx_numbering *n);
/* word/numbering.xml: our definitions, merged into the reference's when
 * given (our ids then start above the reference's). */
oct_status docx_numbering_part(const docx_numbering *n, const docx_refdoc *ref,
                               docx_package *p);
/* numId offset so our ids do not clash with a reference's: computed before
 * rendering from the reference numbering. */
int docx_numbering_id_offset(const docx_refdoc *ref, int *abstract_offset);

/* ---------------------------------------------------------------- styles */

/* word/styles.xml: the built-in set, or the reference's with any of our
 * styles it lacks appended. lang may be NULL. */
oct_status docx_styles_part(const docx_refdoc *ref, const char *lang, int rtl,
                            docx_package *p);

/* ------------------------------------------------------------- rendering */

typedef struct docx_writer {
    oct_context *ctx;
    const oct_doc *doc;
    oct_status status;          /* first failure, sticky */
    docx_page page;
    const char *doc_lang;       /* meta lang, or NULL */
    int doc_rtl;
    docx_numbering numbering;
    int num_id_offset;
    docx_map bookmarks;         /* node id -> index in bookmark_names */
    char **bookmark_names;
    unsigned char *bookmark_placed;
    size_t bookmark_count;
    size_t bookmark_cap;
    int next_bookmark_id;
    docx_map footnote_ids;      /* label -> w:id (1..) */
    const oct_node **footnotes; /* by w:id - 1 */
    size_t footnote_count;
    unsigned char *footnote_used; /* referenced from the body */
    docx_map media;             /* resource id -> 1 once stored */
    docx_package *package;
    int next_drawing_id;
    int warned_image;
    int title_block;
} docx_writer;

/* Sets w->status (the first failure wins) and returns it. */
oct_status docx_fail(docx_writer *w, oct_status s);

/* Collects bookmark names for every node id (bookmarks.c) and the
 * footnote ids (footnotes.c) before anything renders, so links and
 * references may point forward. */
oct_status docx_bookmarks_collect(docx_writer *w);
oct_status docx_footnotes_collect(docx_writer *w);
/* Name of the bookmark for a node id, or NULL. */
const char *docx_bookmark_for(const docx_writer *w, const char *id);
/* The same, but only the first time (a name is placed once); NULL after. */
const char *docx_bookmark_claim(docx_writer *w, const char *id);

typedef enum docx_story { DOCX_STORY_BODY, DOCX_STORY_FOOTNOTE } docx_story;

/* Renders the blocks under root (the document, or one footnote definition)
 * into x. */
oct_status docx_render_blocks(docx_writer *w, docx_rels *rels, oct_xml *x, const oct_node *root,
                              docx_story story);
/* word/document.xml. */
oct_status docx_document_part(docx_writer *w, docx_rels *rels, const docx_refdoc *ref);
/* word/footnotes.xml (+ its .rels); nothing when the document has no notes. */
oct_status docx_footnotes_part(docx_writer *w);

/* Appends the inline picture for an image resource; returns 0, having
 * written nothing, when the image cannot be embedded (the caller then falls
 * back to text). */
int docx_media_drawing(docx_writer *w, docx_rels *rels, markup *m, const oct_node *image);

/* url as a relationship target: trimmed, escaped into a URI; NULL when
 * nothing is left or it is too long for Word (free() the result). */
char *docx_uri_escape(const char *url);

/* A language tag Word takes (letters, digits, hyphens; 2..35 bytes). */
int docx_plausible_lang(const char *s);

/* Small XML helpers. */
void docx_val(oct_xml *x, const char *name, const char *val);
void docx_val_int(oct_xml *x, const char *name, long val);

/* -------------------------------------------------------------- package */

/* Builds every part of the package for doc. */
oct_status docx_build_package(oct_context *ctx, const oct_doc *doc, docx_package *p,
                              oct_error *err);
/* Writes the package as a zip (handing the parts' memory to the zip where it
 * can, so the package is spent afterwards) / as one Flat OPC document. */
oct_status docx_write_zip(docx_package *p, oct_sink *sink, oct_error *err);
oct_status docx_write_flat(const docx_package *p, oct_sink *sink, oct_error *err);

#endif
