/*
 * epub.h — what the parts of the EPUB writer share: the book being built.
 *
 * The writer works in two passes over the tree. split.c plans the book
 * (which heading starts which chapter file, where every id and every note
 * lands, which images are used, what the table of contents holds); then
 * xhtml.c renders the content files, nav.c the navigation documents and
 * package.c the OPF, all reading that plan. epub.c runs the whole.
 */
#ifndef OCTAVO_EPUB_H
#define OCTAVO_EPUB_H

#include <stddef.h>
#include <stdint.h>

#include <octavo/octavo_plugin.h>

#include "xmlout.h"
#include "zippkg.h"

/* Package paths: everything but the container lives under EPUB/. */
#define EPUB_DIR "EPUB/"
#define EPUB_STYLE "style.css"
#define EPUB_NAV "nav.xhtml"
#define EPUB_NCX "toc.ncx"
#define EPUB_OPF "package.opf"
#define EPUB_COVER "cover.xhtml"
#define EPUB_TITLE "title.xhtml"
#define EPUB_NOTES "notes.xhtml"
#define EPUB_IMAGE_DIR "images/"

/* ------------------------------------------------------ string map (map.c) */

/* An open-addressing hash map from NUL-terminated keys to pointers. Keys are
 * copied. Grows as needed; every lookup is O(1) on average. */
typedef struct epub_map {
    char **keys;
    void **values;
    size_t cap;   /* power of two, or 0 */
    size_t count;
} epub_map;

void epub_map_free(epub_map *m);
void *epub_map_get(const epub_map *m, const char *key);
/* Inserts key if absent; returns OCT_OK, or OCT_ERR_NOMEM. *inserted tells
 * whether it was new (an existing value is left unchanged). */
oct_status epub_map_put(epub_map *m, const char *key, void *value, int *inserted);

/* ------------------------------------------------------------- the plan */

/* Where an id of the source lands: its file and the id written there
 * (sanitized to an XML name and made unique). */
typedef struct epub_anchor {
    const oct_node *node; /* the one node that carries the id */
    int chapter;          /* chapter number, or the notes pseudo-chapter */
    char *out_id;
} epub_anchor;

typedef struct epub_note {
    const oct_node *def;
    int number;          /* 1-based, in order of first reference */
    int ref_chapter;     /* chapter of the first reference; -1: unreferenced */
    int render_chapter;  /* chapter whose file holds the note */
    int refs_rendered;   /* running count while rendering references */
    char id[32];         /* "note-3" */
} epub_note;

typedef struct epub_toc_entry {
    const oct_node *heading;
    int depth;           /* nesting depth, 0 = top; grows by at most one */
    int chapter;
    char *label;         /* plain text of the heading */
} epub_toc_entry;

typedef struct epub_image {
    const oct_resource *res;
    char href[96];       /* "images/img-0123456789abcdef.png", relative to EPUB/ */
    int is_cover;
} epub_image;

typedef struct epub_chapter {
    const oct_node *start; /* heading that starts its file; NULL for the first */
    const oct_node *opening; /* first heading, when nothing comes before it */
    char file[32];         /* "ch001.xhtml" */
    char *title;           /* for <title>: its heading's text or the book title */
} epub_chapter;

typedef enum epub_notes_mode { EPUB_NOTES_CHAPTER = 0, EPUB_NOTES_BOOK } epub_notes_mode;

typedef struct epub_book {
    oct_context *ctx;
    const oct_doc *doc;
    oct_error *err;
    int epub2;               /* EPUB 2.0.1 instead of EPUB 3.3 */

    /* options */
    int split_level;         /* -1: automatic; 0: one file */
    int toc_depth;
    epub_notes_mode notes_mode;
    int default_css;

    /* resolved metadata */
    char *title;
    char *identifier;        /* "urn:uuid:..." or the user's */
    int identifier_from_text; /* none given: the plan's walk derives it */
    char lang[64];           /* BCP 47 */
    int rtl;
    char modified[32];       /* dcterms:modified, CCYY-MM-DDThh:mm:ssZ */
    char date[32];           /* dc:date (W3CDTF) or "" */
    const char *date_text;   /* the document's date as written, for the title page */

    /* the plan (split.c) */
    epub_chapter *chapters;
    size_t n_chapters;
    epub_map anchors;        /* source id -> epub_anchor* */
    epub_map used_ids;       /* every id written, to keep them unique */
    epub_map notes_by_label; /* label -> epub_note* */
    epub_note **notes;       /* in number order */
    size_t n_notes;
    epub_toc_entry *toc;
    size_t n_toc;
    epub_image *images;
    size_t n_images;
    epub_map images_by_id;   /* resource id -> epub_image* */
    const epub_image *cover;
    int has_notes_file;      /* notes gathered at book end */
    int nav_in_spine;
    int cover_is_svg;        /* cover page uses inline SVG (manifest property) */
} epub_book;

/* The chapter number used for the book-end notes file. */
static inline int epub_notes_chapter(const epub_book *b) { return (int)b->n_chapters; }
/* File name (relative to EPUB/) of a chapter number, notes file included. */
const char *epub_chapter_file(const epub_book *b, int chapter);

/* The document's metadata and text summed up as the plan walks it (meta.c):
 * a book with no identifier of its own, and no URL it came from, gets one
 * derived from what it says. */
typedef struct epub_digest {
    uint32_t crc, adler;
    uint64_t len;
    /* Bytes gathered before they are summed: a node's type and text are a
     * few bytes each, and two checksum calls per node cost more than the
     * summing. Checksums of the concatenation do not depend on the pieces. */
    size_t used;
    unsigned char pending[4096];
} epub_digest;

void epub_digest_init(epub_digest *d);
/* Adds one node (its type, which the caller has, and its text); every
 * node, in document order. */
void epub_digest_node(epub_digest *d, const oct_node *n, oct_node_type type);
/* Sets b->identifier from the digest of the whole document. */
oct_status epub_identify_by_text(epub_book *b, epub_digest *d);

/* split.c: plans the book; fills chapters, anchors, notes, toc, images, and
 * the identifier when it comes from the text. */
oct_status epub_plan(epub_book *b);
void epub_plan_free(epub_book *b);
/* The id to write on n, or NULL when n carries none (or a duplicate). */
const char *epub_anchor_id(const epub_book *b, const oct_node *n);
/* Resolves a link target: writes "file#id" (or "#id" within from_chapter)
 * into out and returns 1, or returns 0 when the target is not in the book. */
int epub_resolve_link(const epub_book *b, const char *url, int from_chapter, char *out,
                      size_t size);
/* The image to show for a resource, or NULL when it was dropped. */
const epub_image *epub_image_for(const epub_book *b, const oct_resource *r);
/* Plain text of an inline container (heading), whitespace collapsed; malloc()ed. */
char *epub_plain_text(const oct_node *n);

/* xhtml.c: the content documents (cover, title page, chapters, notes). */
oct_status epub_write_content(epub_book *b, oct_zip *z);
/* Writes the doctype, <html> and <head> (title, stylesheets) of a begun
 * XHTML document x, and opens <body>, through m (bound to x): the rest of
 * the document goes through m, and markup_finish closes all. */
struct markup;
void epub_xhtml_begin(const epub_book *b, oct_xml *x, struct markup *m, const char *title,
                      const char *body_type);

/* nav.c */
/* "Notes" in the book's language (for the notes file's heading). */
const char *epub_notes_word(const epub_book *b);
/* nav.xhtml (when epub_nav_file_written) and toc.ncx, in that order. */
oct_status epub_write_navigation(epub_book *b, oct_zip *z);

/* package.c */
oct_status epub_write_container(epub_book *b, oct_zip *z);
oct_status epub_write_package(epub_book *b, oct_zip *z);
/* Whether nav.xhtml exists: always in EPUB 3; in EPUB 2 only as a visible
 * contents page when the book has several chapters. */
int epub_nav_file_written(const epub_book *b);

/* css.c */
extern const char epub_default_css[];

/* meta.c: identifier, language, dates. */
oct_status epub_resolve_metadata(epub_book *b);
/* Is s a well-formed BCP 47 tag (shape only)? */
int epub_lang_is_valid(const char *s);
/* Is this language written right to left? */
int epub_lang_is_rtl(const char *lang);
/* A language guessed from the script and common words of the text. */
const char *epub_guess_lang(const oct_doc *doc);
/* Normalizes a date to W3CDTF (YYYY, YYYY-MM or YYYY-MM-DD); 0 if unparseable. */
int epub_parse_date(const char *s, char *out, size_t size);

/* uuid.c */
/* Name-based UUID (RFC 4122 version 5, SHA-1) of name in the URL namespace. */
void epub_uuid5(const void *name, size_t len, char out[37]);

/* Writes a finished oct_xml document into the zip under EPUB/<name>. */
oct_status epub_zip_xml(epub_book *b, oct_zip *z, const char *name, oct_xml *x);

/* An XML name (NCName) made from s: invalid characters become '-', and a
 * leading non-letter gets a prefix. Writes at most size-1 bytes. */
void epub_make_ncname(const char *s, const char *prefix, char *out, size_t size);

#endif
