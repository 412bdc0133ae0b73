/*
 * markup_batch.h — XML markup gathered in a buffer and handed to an oct_xml
 * document in one raw write per 8 KB.
 *
 * A book's body is tens of thousands of small elements, and every
 * xmlTextWriter call costs allocations and a stack push; those calls, not
 * the text, dominated the DOCX and EPUB writers' profiles. Each writer
 * builds its own markup vocabulary (plugins/docx/markup.h,
 * plugins/epub/markup.h) on this batch: the bytes put here must already be
 * well-formed and escaped.
 *
 * An element's start tag stays open ("<name attr...", tag_open) until
 * something follows it, as in xmlTextWriter, so that an element closed
 * right away can still be written <name/>.
 */
#ifndef OCTAVO_MARKUP_BATCH_H
#define OCTAVO_MARKUP_BATCH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "byteblocks.h"
#include "xmlout.h"

#define OCT_MARKUP_BUFFER 8192

/* The batch's helpers are a few stores each, called with constant names
 * whose lengths fold away: they belong inlined wherever they are used,
 * which link-time optimisation does not always decide on its own (it once
 * kept them as calls, each measuring its constant with strlen). */
#if defined(__GNUC__)
#define OCT_MARKUP_INLINE static inline __attribute__((always_inline))
#else
#define OCT_MARKUP_INLINE static inline
#endif

typedef struct oct_markup {
    oct_xml *x;
    int tag_open; /* "<name attr..." written, its ">" or "/>" not yet */
    size_t len;
    char buf[OCT_MARKUP_BUFFER];
} oct_markup;

void oct_markup_init(oct_markup *m, oct_xml *x);
/* Hands the bytes gathered to the document (never an empty raw write: it
 * would finish a start tag the document has open). An open tag here stays
 * open: finish it first when the document is written to directly. */
void oct_markup_flush(oct_markup *m);
void oct_markup_put_slow(oct_markup *m, const char *s, size_t n);

OCT_MARKUP_INLINE void oct_markup_put(oct_markup *m, const char *s, size_t n)
{
    if (n <= OCT_MARKUP_BUFFER - m->len) {
        memcpy(m->buf + m->len, s, n);
        m->len += n;
        return;
    }
    oct_markup_put_slow(m, s, n);
}

/* Ends an open start tag with ">". */
OCT_MARKUP_INLINE void oct_markup_finish_tag(oct_markup *m)
{
    if (m->tag_open) {
        m->tag_open = 0;
        oct_markup_put(m, ">", 1);
    }
}

/* The document's text, cleaned and escaped exactly as oct_xml_text would
 * write it. An open start tag is finished only by text that survives
 * cleaning, as in xmlTextWriter, which never sees text that cleans away. */
void oct_markup_text(oct_markup *m, const char *s, size_t len);

/* Whether byte c may not come out of cleaning and escaping as it is: a
 * control, DEL and above, or a markup character < > & ". Tab and LF are
 * among them, as controls: text keeps them (callers let them through),
 * attribute values do not. */
static inline int oct_markup_odd_byte(unsigned char c)
{
    return c < 0x20 || c >= 0x7F || c == '<' || c == '>' || c == '&' || c == '"';
}

/* oct_markup_odd_byte for each byte of a block, as a mask. */
static inline unsigned oct_markup_odd_bytes(oct_block b)
{
    return oct_block_below(b, 0x20) | oct_block_eq(b, 0x7F) | oct_block_eq(b, '<') |
           oct_block_eq(b, '>') | oct_block_eq(b, '&') | oct_block_eq(b, '"');
}

/* value in decimal into end[-n..0); returns n (at most 20). */
size_t oct_markup_format_long(long value, char *end);
/* value in decimal. */
void oct_markup_put_long(oct_markup *m, long value);

#endif
