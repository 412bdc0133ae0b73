/*
 * markup.h — XHTML markup gathered in a buffer and handed to libxml2 raw.
 *
 * A chapter is tens of thousands of small elements, and every
 * xmlTextWriter call costs allocations (the element's name is copied onto
 * the writer's stack, attribute text is escaped into a fresh buffer); those
 * calls, not the text, were most of the XHTML writer's cost. Here element
 * names, attributes and text are written into one 8 KB batch that goes to
 * the oct_xml document in one raw write, so libxml2 sees a call per batch.
 *
 * Nothing is pasted unescaped: text is cleaned and escaped by xmlout
 * (oct_xml_escape_content), attribute values likewise and then as
 * xmlTextWriter escapes attributes (tab and LF as character references).
 * The bytes are exactly those the oct_xml calls would have written: an
 * element keeps its start tag open until something follows it, so
 * markup_end_empty() writes <br/> where xmlTextWriterEndElement would.
 *
 * The elements opened here are closed here; the oct_xml document only ever
 * sees the raw bytes, inside whatever element it has open itself (<body>).
 */
#ifndef OCTAVO_EPUB_MARKUP_H
#define OCTAVO_EPUB_MARKUP_H

#include <stddef.h>
#include <string.h>

#include "markup_batch.h"

/* The shared batch (plugins/common/markup_batch.h), with XHTML's
 * escaping and the stack of open elements on top. */
typedef struct markup {
    oct_markup core;
    /* The elements open, innermost last (as many as the tree is deep);
     * their names are static strings: the writer's own, never the input's. */
    struct markup_open {
        const char *name;
        size_t len;
    } *open;
    size_t n_open, cap_open;
} markup;

/* Binds m to x. The batch only ever writes into an element x has open
 * (the document's root or <body>), and x may hold one document after
 * another: markup_finish() leaves m ready for the next. */
void markup_init(markup *m, oct_xml *x);
/* Closes the elements still open (as xmlTextWriterEndDocument would) and
 * hands everything to x: call before writing to x directly or ending it. */
void markup_finish(markup *m);
void markup_free(markup *m);

void markup_start_n(markup *m, const char *name, size_t len);
void markup_attr_n(markup *m, const char *name, size_t len, const char *value);

/* "<name", left open for attributes; name must outlive the element. (The
 * inline wrappers let a constant name's length be known when compiling.) */
OCT_MARKUP_INLINE void markup_start(markup *m, const char *name)
{
    markup_start_n(m, name, strlen(name));
}

/* name="value" on the element just started; value is cleaned and escaped.
 * name is the writer's own, never the input's. */
OCT_MARKUP_INLINE void markup_attr(markup *m, const char *name, const char *value)
{
    markup_attr_n(m, name, strlen(name), value);
}

void markup_attr_int(markup *m, const char *name, long value);
/* name="<prefix><value>", as id="navpoint-7"; prefix is short. */
void markup_attr_numbered(markup *m, const char *name, const char *prefix, long value);
/* Text content, cleaned and escaped. */
void markup_text(markup *m, const char *s, size_t len);
void markup_text_cstr(markup *m, const char *s);
/* Closes the innermost element with </name>, never <name/>. */
void markup_end(markup *m);
/* Closes the innermost element, as <name/> when nothing was written in it
 * (void elements: br, hr, img). */
void markup_end_empty(markup *m);
/* <name>text</name> */
void markup_element(markup *m, const char *name, const char *text);

#endif
