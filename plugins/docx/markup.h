/*
 * markup.h — a story's markup, batched.
 *
 * A book's body is tens of thousands of tiny elements (w:r, w:pPr, w:pStyle
 * ...), and each xmlTextWriter call costs an allocation and a stack push;
 * those calls, not the text, dominated the writer's profile. Markup the
 * writer fully knows — element names, style ids, numbers, and names it made
 * itself (bookmarks, validated language tags) — is therefore gathered here
 * and handed to libxml2 in one raw write. Anything that carries the
 * document's own text still goes through the oct_xml calls, which clean and
 * escape it; the buffer is flushed before each of them, so the bytes come
 * out in order.
 *
 * An element opened here stays "open" until something follows it, as in
 * xmlTextWriter: closed right away it becomes <name/>, otherwise
 * <name>...</name>. The output is byte for byte what the writer would give.
 */
#ifndef OCTAVO_DOCX_MARKUP_H
#define OCTAVO_DOCX_MARKUP_H

#include <stddef.h>
#include <string.h>

#include "markup_batch.h"

/* The shared batch (plugins/common/markup_batch.h), with WordprocessingML's
 * vocabulary on top. */
typedef oct_markup markup;

static inline void markup_init(markup *m, oct_xml *x) { oct_markup_init(m, x); }
/* Hands everything gathered to libxml2 (an open tag is finished with ">"):
 * call before writing to m->x directly. */
void markup_sync(markup *m);

/* Appends bytes the caller guarantees well-formed and escaped. */
OCT_MARKUP_INLINE void markup_bytes(markup *m, const char *s, size_t n) { oct_markup_put(m, s, n); }

OCT_MARKUP_INLINE void markup_finish_tag(markup *m) { oct_markup_finish_tag(m); }

/* Fixed markup such as "<w:r>" or "</w:t>". */
OCT_MARKUP_INLINE void markup_raw(markup *m, const char *s)
{
    markup_finish_tag(m);
    markup_bytes(m, s, strlen(s));
}

/* value in decimal, as element content (an open tag is finished first;
 * attributes take markup_attr_int) */
void markup_int(markup *m, long value);

/* "<name", left open for attributes and content. */
OCT_MARKUP_INLINE void markup_open(markup *m, const char *name)
{
    markup_finish_tag(m);
    markup_bytes(m, "<", 1);
    markup_bytes(m, name, strlen(name));
    m->tag_open = 1;
}

/* name="value" on the open tag; value needs no escaping (the caller's
 * guarantee: a constant, a number, a name the writer made). */
OCT_MARKUP_INLINE void markup_attr(markup *m, const char *name, const char *value)
{
    markup_bytes(m, " ", 1);
    markup_bytes(m, name, strlen(name));
    markup_bytes(m, "=\"", 2);
    markup_bytes(m, value, strlen(value));
    markup_bytes(m, "\"", 1);
}

void markup_attr_int(markup *m, const char *name, long value);
/* name="<prefix><value>", as r:id="rId7" */
void markup_attr_numbered(markup *m, const char *name, const char *prefix, long value);

/* "/>" when nothing followed the open tag, else "</name>". */
OCT_MARKUP_INLINE void markup_close(markup *m, const char *name)
{
    if (m->tag_open) {
        m->tag_open = 0;
        markup_bytes(m, "/>", 2);
        return;
    }
    markup_bytes(m, "</", 2);
    markup_bytes(m, name, strlen(name));
    markup_bytes(m, ">", 1);
}

/* <name w:val="value"/> */
OCT_MARKUP_INLINE void markup_val(markup *m, const char *name, const char *value)
{
    markup_open(m, name);
    markup_attr(m, "w:val", value);
    markup_close(m, name);
}

void markup_val_int_n(markup *m, const char *name, size_t len, long value);

/* <name w:val="value"/>, for a number */
OCT_MARKUP_INLINE void markup_val_int(markup *m, const char *name, long value)
{
    markup_val_int_n(m, name, strlen(name), value);
}

/* The document's text, cleaned and escaped as oct_xml_text() would. A tag
 * left open is finished with ">" only when the cleaned text is not empty, so
 * an element holding nothing but cleaned-away text stays <name/>, as
 * xmlTextWriter writes it. */
static inline void markup_text(markup *m, const char *s, size_t len) { oct_markup_text(m, s, len); }

/* Elements with attributes carrying the document's text (a tooltip, say)
 * go through xmlTextWriter, which escapes them. */
void markup_writer_start(markup *m, const char *name);
void markup_writer_attr(markup *m, const char *name, const char *value);
void markup_writer_end(markup *m);

#endif
