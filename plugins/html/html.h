/*
 * html.h — the pieces of the HTML reader, shared between its files.
 *
 * Flow: bytes -> charset.c (to UTF-8) -> prepare.c (HTML5 character
 * references, line ends, attribute cap) -> parse.c (libxml2) -> meta.c and
 * jsonld.c (metadata, whole document) -> extract.c (optional) -> footnotes.c
 * (notes and references) -> walk.c (DOM into the builder, with tables.c and
 * images.c).
 */
#ifndef OCTAVO_HTML_H
#define OCTAVO_HTML_H

#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "octavo/octavo_plugin.h"

/* ---------------------------------------------------------------- charset */

/* Picks the encoding: BOM, then the HTTP Content-Type, then <meta charset>
 * or http-equiv in the first bytes, then UTF-8 when the bytes are valid
 * UTF-8, else windows-1252. Writes the label (e.g. "UTF-8") into label and
 * returns the number of BOM bytes to skip. */
size_t html_detect_charset(const unsigned char *data, size_t len, const char *content_type,
                           char *label, size_t label_size);

/* Converts data from label to UTF-8 into out (invalid bytes become U+FFFD).
 * Unknown labels are reported and read as UTF-8. */
oct_status html_to_utf8(oct_context *ctx, const unsigned char *data, size_t len,
                        const char *label, oct_buf *out);

/* ---------------------------------------------------------------- prepare */

/* Rewrites UTF-8 HTML for libxml2's HTML 4 parser: decodes the HTML5 named
 * and numeric character references it does not know, turns CR and CRLF into
 * LF, drops NUL bytes, and keeps at most HTML_MAX_ATTRIBUTES attributes per
 * tag (libxml2 checks duplicates in quadratic time). */
#define HTML_MAX_ATTRIBUTES 256
/* With HTML_PREPARE_FOLD_INDENTATION, white space alone between two tags
 * that holds a line break becomes one line break, outside pre, listing,
 * xmp, textarea and plaintext. HTML renders both alike and the model reads
 * them alike, but raw HTML kept for the writers shows the indentation. */
#define HTML_PREPARE_FOLD_INDENTATION 1u
oct_status html_prepare(const char *in, size_t len, unsigned flags, oct_buf *out);

/* Looks up an HTML5 named reference (name without '&' and ';'). semicolon:
 * whether the source had one. Fills up to two code points; returns 0 when the
 * name is unknown in that form. */
int html_entity_lookup(const char *name, size_t len, int semicolon, uint32_t cp[2]);

/* ------------------------------------------------------------------ parse */

/* Detects the charset, prepares and parses. The returned tree is owned by
 * the caller: html_page_memory_close, or xmlFreeDoc when no page memory is
 * open. */
oct_status html_parse(oct_context *ctx, const oct_input *in, xmlDocPtr *out, oct_error *err);

/* --------------------------------------------------------------- sax tree */

/* Parses UTF-8 HTML (len bytes, url for the document's URL or NULL, libxml2
 * HTML_PARSE_* options) into the tree htmlReadMemory would give, built by
 * our own, leaner SAX handlers (sax_tree.c): the same nodes, names,
 * attribute values and lines, but no ID table and never a namespace.
 * *out is NULL when libxml2 gives no tree (no bytes). OCT_ERR_NOMEM when an
 * allocation failed (no tree then). */
oct_status html_tree_parse(const char *text, size_t len, const char *url, int options,
                           xmlDocPtr *out);

/* ------------------------------------------------------------ page memory */

/* libxml2's memory for one page, from an arena dropped whole (page_memory.c).
 * Install once, before any page is read (the plugin's init does it). Open
 * before parsing, on the thread that reads the page; close with the page's
 * tree (or NULL) when nothing of the tree is needed any more. Open gives
 * NULL (and close then just frees the tree) when the hooks are not
 * installed or a page is already open on this thread. */
typedef struct html_page_memory html_page_memory;
void html_page_memory_install(void);
html_page_memory *html_page_memory_open(size_t input_len);
void html_page_memory_close(html_page_memory *pm, xmlDocPtr dom);
/* As open, with the arena's budget in bytes (open's grows with the page). */
html_page_memory *html_page_memory_open_within(size_t budget);
/* Bytes of arena chunks the page holds; whether it went past the budget. */
size_t html_page_memory_used(const html_page_memory *pm);
int html_page_memory_spilled(const html_page_memory *pm);
/* An xmlMalloc block that is not a node of the tree, even when it has a
 * node's size (an attribute's value): from the general lane while a page is
 * open on this thread, so the nodes' lane holds only the tree's nodes. */
void *html_page_memory_aside(size_t n);

/* -------------------------------------------------------------------- dom */

/* Element name equals name (libxml2 lowercases HTML names). Inline and
 * byte by byte: the walk and the metadata pass ask it of nearly every
 * element, mostly with a "no" by the first or second byte. */
static inline int html_is(const xmlNode *n, const char *name)
{
    if (!n || n->type != XML_ELEMENT_NODE || !n->name)
        return 0;
    for (const xmlChar *s = n->name;; s++, name++) {
        if (*s != (xmlChar)*name)
            return 0;
        if (!*s)
            return 1;
    }
}
/* name equals lower, a lowercase ASCII name, ignoring ASCII case. Inline:
 * asked of every attribute of every element, and mostly a "no" by the
 * first or second byte. */
static inline int html_name_is(const xmlChar *name, const char *lower)
{
    for (;; name++, lower++) {
        if (*name != (xmlChar)*lower) {
            if (!(*name >= 'A' && *name <= 'Z' && *name + 32 == (unsigned char)*lower))
                return 0;
        } else if (!*name) {
            return 1;
        }
    }
}
/* Value of an attribute (name compared case-insensitively), or NULL. The
 * pointer stays valid while the tree lives. */
const char *html_attr(const xmlNode *n, const char *name);
/* An attribute's value as html_attr gives it ("" for a bare attribute). */
const char *html_attr_text(const xmlAttr *a);
/* Several attributes in one pass over n's: values[i] is the text of the
 * attribute named names[i] (lowercase; any case in the page) as html_attr
 * gives it, the first of its name, or NULL. Inline: the walk and the
 * metadata, notes and table passes ask it of nearly every element. */
static inline void html_attrs(const xmlNode *n, const char *const *names, const char **values,
                              size_t count)
{
    for (size_t i = 0; i < count; i++)
        values[i] = NULL;
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (!a->name)
            continue;
        const char first = (char)(a->name[0] | 0x20);
        for (size_t i = 0; i < count; i++)
            if (names[i][0] == first && !values[i] && html_name_is(a->name, names[i])) {
                values[i] = html_attr_text(a);
                break;
            }
    }
}
/* A whitespace-separated list (the value of class, rel, itemprop...)
 * contains token: exactly, or ignoring ASCII case when nocase is set. */
int html_list_has_token(const char *list, const char *token, int nocase);
/* The class attribute contains token (whitespace-separated, exact). */
int html_has_class(const xmlNode *n, const char *token);
/* A space-separated attribute (class, rel, epub:type) contains token,
 * compared case-insensitively. */
int html_attr_has_token(const xmlNode *n, const char *attr, const char *token);
/* Hidden by the hidden attribute, aria-hidden="true" or an inline style. */
int html_is_hidden(const xmlNode *n);
/* The next node of a pre-order walk of root's subtree after n, skipping n's
 * children when skip_children is set; NULL at the end. Inline: the notes,
 * metadata and table passes take it for every node of the page. */
static inline xmlNode *html_next(const xmlNode *root, const xmlNode *n, int skip_children)
{
    if (!skip_children && n->children && n->type != XML_ATTRIBUTE_NODE &&
        n->type != XML_ENTITY_REF_NODE)
        return n->children;
    while (n && n != root) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}
/* The first element of the subtree (root excluded) named name, or NULL;
 * looks at no more than max_nodes nodes. */
xmlNode *html_find_descendant(const xmlNode *root, const char *name, size_t max_nodes);
/* The <body> (or the root element when there is none). */
xmlNode *html_body(xmlDocPtr doc);
/* ASCII whitespace as HTML defines it (inline: asked of every byte of
 * text the walk reads). */
static inline int html_is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}
/* Trims ASCII whitespace from both ends: returns the start, sets *len. */
const char *html_trim(const char *s, size_t *len);

/* -------------------------------------------------------------------- url */

/* Where relative references resolve: <base href> against the document URL,
 * or the document URL/path. */
typedef struct html_base {
    char *url;     /* absolute URL references resolve against, or NULL */
    char *doc_url; /* the document's own URL (fetched), or NULL */
    char *path;    /* local path of the document, or NULL */
} html_base;

void html_base_init(html_base *b, xmlDocPtr dom, const oct_input *in, const oct_doc *doc);
void html_base_free(html_base *b);
/* Resolves a reference as the model wants it: data: URIs and fragment-only
 * references as they are, relative ones against an absolute base, and
 * relative paths kept relative for local files. Returns a string in doc's
 * arena, or NULL for unusable values (empty, javascript:). */
const char *html_resolve(const html_base *b, oct_doc *doc, const char *ref);

/* ------------------------------------------------------------------- meta */

/* Title, authors, date, language, Open Graph, Dublin Core, JSON-LD, canonical
 * URL and the lead image ("cover-url"), from the whole document. */
oct_status html_read_metadata(oct_context *ctx, xmlDocPtr dom, const html_base *base,
                              oct_doc *doc);

/* Metadata found in one JSON-LD block, every string malloc'ed or NULL. */
#define HTML_JSONLD_MAX_AUTHORS 16
typedef struct html_jsonld {
    char *headline;
    char *name;
    char *description;
    char *date_published;
    char *publisher;
    char *image;
    char *language;
    char *authors[HTML_JSONLD_MAX_AUTHORS];
    size_t n_authors;
} html_jsonld;

/* Parses one <script type="application/ld+json"> body; fills out from the
 * first schema.org Article-like object. Returns 1 when one was found. */
int html_jsonld_parse(const char *text, size_t len, html_jsonld *out);
void html_jsonld_free(html_jsonld *j);

/* Normalises a date to ISO 8601 (YYYY[-MM[-DD[THH:MM[:SS][zone]]]]) into out;
 * returns 0 when the value is not a date it understands. */
int html_iso_date(const char *in, char *out, size_t out_size);

/* --------------------------------------------------------------- footnotes */

/* Notes found in the page and the links that point at them. */
typedef struct html_notes html_notes;

html_notes *html_notes_find(xmlDocPtr dom);
void html_notes_free(html_notes *notes);
/* The label of note element n (walked as a FOOTNOTE_DEF, not in place), or
 * NULL when n is no note. Marks the note as walked. */
const char *html_notes_enter(html_notes *notes, const xmlNode *n);
/* Label of the note a reference element points at (an <a>, or a <sup> whose
 * only content is such a link), or NULL. Marks the note as referenced. */
const char *html_notes_ref_label(html_notes *notes, const xmlNode *n);
/* n is a link back from a note to its reference (dropped inside notes). */
int html_notes_is_backlink(const html_notes *notes, const xmlNode *n);
/* Notes referenced from the walked part but not walked themselves (they
 * stand outside it), in document order from *cursor on; NULL at the end. */
xmlNode *html_notes_next_unwalked(const html_notes *notes, size_t *cursor);

/* ----------------------------------------------------------------- tables */

/* A table that only positions content (unwrapped) rather than holding data. */
int html_table_is_layout(const xmlNode *table, int inside_data_cell);
/* Row section from the row's parent (thead/tfoot/tbody). */
oct_row_section html_row_section(const xmlNode *tr);
/* Fills a TABLE_CELL from a td/th: header flag, spans, alignment. */
void html_cell_setup(const xmlNode *cell, oct_node *node);

/* ----------------------------------------------------------------- images */

/* Fills an IMAGE node from an <img> (or the <img> inside a <picture>, which
 * may be given as picture): best candidate of src/srcset/lazy attributes and
 * the picture's sources, alt, title, width, height. Returns 0 when there is
 * no usable URL. */
int html_image_setup(const xmlNode *img, const xmlNode *picture, const html_base *base,
                     oct_doc *doc, oct_node *node);
/* An <img> whose only source is a placeholder (lazy loading without a real
 * URL) — a <noscript> next to it holds the real image. */
int html_image_is_placeholder(const xmlNode *img);

/* ---------------------------------------------------------------- emptied */

/* Nodes made from elements the source itself left empty. */
typedef struct html_kept_empty {
    oct_node **nodes;
    size_t len, cap;
} html_kept_empty;

/* Returns 0 when out of memory. */
int html_kept_empty_add(html_kept_empty *k, oct_node *n);
void html_kept_empty_free(html_kept_empty *k);
/* Removes the containers reading left empty (a heading whose only content
 * was dropped, the half of a link the builder split around a block), all
 * but the nodes in k. Runs on the finished tree, before normalisation. */
void html_prune_emptied(oct_doc *doc, html_kept_empty *k);

/* ------------------------------------------------------------------- walk */

typedef struct html_walk_options {
    const html_base *base;
    html_notes *notes;
    int raw_html; /* keep what has no mapping as raw HTML instead of dropping it */
    html_kept_empty *kept; /* filled: headings, quotes and links empty in the source */
    /* With raw-html: the head libxml2 implied for a fragment; its scripts
     * and styles are the fragment's first content. NULL otherwise. */
    const xmlNode *implied_head;
} html_walk_options;

/* Maps the subtree of root (root itself excluded) into the builder, then the
 * notes as FOOTNOTE_DEFs. */
oct_status html_walk(oct_context *ctx, xmlNode *root, const html_walk_options *opt,
                     oct_builder *b, oct_error *err);

#endif /* OCTAVO_HTML_H */
