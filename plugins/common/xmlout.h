/*
 * xmlout.h — libxml2 text writers into memory, shared by the XML-producing
 * writers (EPUB, DOCX). Text always goes through xmlTextWriter, which escapes
 * it; these helpers only add what libxml2 lacks: dropping characters XML 1.0
 * forbids, so hostile input can never produce a document that fails to parse.
 */
#ifndef OCTAVO_XMLOUT_H
#define OCTAVO_XMLOUT_H

#include <stdint.h>

#include <libxml/xmlwriter.h>
#include <octavo/octavo.h>

typedef struct oct_xml {
    xmlBufferPtr buf;
    xmlTextWriterPtr w;
    int failed; /* sticky: a libxml2 call returned < 0 */
} oct_xml;

/* The entity for a byte that element content must not carry as it is, and
 * its length, or NULL: the five xmlTextWriterWriteString escapes in
 * content (CR included, so a parser's line-end normalisation cannot turn
 * it into LF). For oct_xml_text and the writers that batch their markup. */
static inline const char *oct_xml_content_entity(unsigned char c, size_t *len)
{
    switch (c) {
    case '<': *len = 4; return "&lt;";
    case '>': *len = 4; return "&gt;";
    case '&': *len = 5; return "&amp;";
    case '"': *len = 6; return "&quot;";
    case '\r': *len = 5; return "&#13;";
    default: return NULL;
    }
}

/* Whether text keeps the character cp: XML 1.0's Char production, minus
 * what no reader should ever see: C0 controls other than tab/LF/CR, DEL and
 * the C1 controls (legal XML 1.0 but "discouraged", and rejected by HTML
 * conformance checkers), and the non-characters U+FFFE/U+FFFF. Surrogates
 * never get here: the decoder turns them into U+FFFD. */
static inline int oct_xml_char_is_allowed(uint32_t cp)
{
    if (cp < 0x20)
        return cp == 0x09 || cp == 0x0A || cp == 0x0D;
    if (cp >= 0x7F && cp <= 0x9F)
        return 0;
    return cp != 0xFFFE && cp != 0xFFFF;
}

/* Starts a document with <?xml version="1.0" encoding="UTF-8"?> (standalone
 * "yes" when standalone is non-zero), no indentation. */
oct_status oct_xml_begin(oct_xml *x, int standalone);
/* Starts the next document in the memory of x, which was begun before
 * (and may be ended): a book's files then grow one buffer to the largest
 * file's size once, instead of each growing its own, copy by copy. */
oct_status oct_xml_restart(oct_xml *x, int standalone);
/* Makes room for about bytes of output now, so that a big part is not
 * copied each time its buffer doubles. A hint: failing changes nothing. */
void oct_xml_reserve(oct_xml *x, size_t bytes);
/* Ends the document; *data and *len then point into x->buf until oct_xml_free. */
oct_status oct_xml_end(oct_xml *x, const char **data, size_t *len);
void oct_xml_free(oct_xml *x);

void oct_xml_start(oct_xml *x, const char *name);
void oct_xml_end_element(oct_xml *x);
void oct_xml_attr(oct_xml *x, const char *name, const char *value);
void oct_xml_attrf(oct_xml *x, const char *name, const char *fmt, ...) OCT_PRINTF(3, 4);
/* Text with characters not allowed in XML 1.0 removed (C0 controls but tab,
 * LF, CR; U+FFFE/U+FFFF; also DEL and the C1 controls, which XML 1.0
 * discourages); invalid UTF-8 becomes U+FFFD. Attributes are cleaned alike. */
void oct_xml_text(oct_xml *x, const char *s, size_t len);
void oct_xml_text_cstr(oct_xml *x, const char *s);
/* The bytes oct_xml_text would write for s, into out: cleans and escapes
 * s[*pos..len) until the text ends or fewer than 8 bytes of out's room are
 * left, advances *pos and returns the bytes written (0 is possible: text that
 * cleans away). For writers that batch markup themselves (DOCX). */
size_t oct_xml_escape_content(const char *s, size_t len, size_t *pos, char *out, size_t room);
/* <name attr...>text</name> in one call: oct_xml_element(x, "dc:title", s). */
void oct_xml_element(oct_xml *x, const char *name, const char *text);
/* Raw markup the caller guarantees well-formed (a fixed stylesheet, say). */
void oct_xml_raw(oct_xml *x, const char *markup);
/* The same for len bytes of markup, appended to the document's buffer
 * itself: libxml2 would measure the string one byte at a time and copy
 * it twice more, which for a book's batched body cost as much as building
 * it. */
void oct_xml_raw_len(oct_xml *x, const char *markup, size_t len);

/* Like oct_xml_end_element, but always writes </name>, never <name/>: for
 * XHTML elements that are not void (an empty <a/> or <p/> confuses readers
 * that parse XHTML as HTML). */
void oct_xml_end_element_full(oct_xml *x);
/* <!-- text -->; text is fixed by the caller and never contains "--". */
void oct_xml_comment(oct_xml *x, const char *text);
/* <!DOCTYPE name> (pubid/sysid may be NULL). */
void oct_xml_doctype(oct_xml *x, const char *name, const char *pubid, const char *sysid);

#endif
