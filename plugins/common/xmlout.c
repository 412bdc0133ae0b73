/*
 * xmlout.c — xmlTextWriter into an xmlBuffer, with text cleaned of what XML
 * 1.0 cannot carry.
 *
 * libxml2 escapes markup characters but passes bytes through otherwise, so an
 * invalid UTF-8 sequence or a control character in the input would end up in
 * the output and make it unparseable. Every string therefore goes through
 * clean_into(): invalid sequences become U+FFFD, forbidden characters are
 * dropped. It works in bounded chunks on the stack, so long texts never need
 * a second copy.
 */
#include "xmlout.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 4096
#define RESERVE_MAX ((size_t)64 << 20)

/* A writer on x->buf, with the XML declaration written. */
static oct_status start_writer(oct_xml *x, int standalone)
{
    x->w = xmlNewTextWriterMemory(x->buf, 0);
    if (!x->w)
        return OCT_ERR_NOMEM;
    if (xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", standalone ? "yes" : NULL) < 0)
        return OCT_ERR_NOMEM;
    return OCT_OK;
}

oct_status oct_xml_begin(oct_xml *x, int standalone)
{
    memset(x, 0, sizeof *x);
    x->buf = xmlBufferCreate();
    if (!x->buf)
        goto fail;
    /* libxml2's default grows an xmlBuffer to the exact size each time it
     * fills: quadratic copying for a big part (a million paragraphs took
     * minutes under ASan). Doubling keeps it linear. */
    xmlBufferSetAllocationScheme(x->buf, XML_BUFFER_ALLOC_DOUBLEIT);
    if (start_writer(x, standalone) != OCT_OK)
        goto fail;
    return OCT_OK;

fail:
    oct_xml_free(x);
    x->failed = 1;
    return OCT_ERR_NOMEM;
}

oct_status oct_xml_restart(oct_xml *x, int standalone)
{
    if (!x->buf)
        return oct_xml_begin(x, standalone);
    /* The writer flushes into the buffer when freed: free it, then empty
     * the buffer, which keeps its memory. */
    if (x->w)
        xmlFreeTextWriter(x->w);
    x->w = NULL;
    xmlBufferEmpty(x->buf);
    x->failed = 0;
    if (start_writer(x, standalone) != OCT_OK) {
        oct_xml_free(x);
        x->failed = 1;
        return OCT_ERR_NOMEM;
    }
    return OCT_OK;
}

void oct_xml_reserve(oct_xml *x, size_t bytes)
{
    if (bytes > RESERVE_MAX) /* past this, doubling copies little in comparison */
        bytes = RESERVE_MAX;
    if (x->failed || !x->buf || bytes <= (size_t)xmlBufferLength(x->buf))
        return;
    /* 0 when out of memory; the buffer is then as it was */
    (void)xmlBufferResize(x->buf, (unsigned int)bytes);
}

oct_status oct_xml_end(oct_xml *x, const char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    if (!x->w || x->failed)
        return OCT_ERR_CONVERSION;
    if (xmlTextWriterEndDocument(x->w) < 0 || xmlTextWriterFlush(x->w) < 0) {
        x->failed = 1;
        return OCT_ERR_CONVERSION;
    }
    *data = (const char *)xmlBufferContent(x->buf);
    *len = (size_t)xmlBufferLength(x->buf);
    return OCT_OK;
}

void oct_xml_free(oct_xml *x)
{
    /* The writer flushes into the buffer when freed: it must go first. */
    if (x->w)
        xmlFreeTextWriter(x->w);
    if (x->buf)
        xmlBufferFree(x->buf);
    x->w = NULL;
    x->buf = NULL;
}

static void check(oct_xml *x, int rc)
{
    if (rc < 0)
        x->failed = 1;
}

void oct_xml_start(oct_xml *x, const char *name)
{
    if (x->failed)
        return;
    check(x, xmlTextWriterStartElement(x->w, (const xmlChar *)name));
}

void oct_xml_end_element(oct_xml *x)
{
    if (x->failed)
        return;
    check(x, xmlTextWriterEndElement(x->w));
}

void oct_xml_end_element_full(oct_xml *x)
{
    if (x->failed)
        return;
    check(x, xmlTextWriterFullEndElement(x->w));
}

/* Hands a full chunk to the writer. Element content is escaped here, in the
 * same pass that cleans it, and written raw: xmlTextWriterWriteString would
 * escape it again into a fresh malloc()ed copy per call, which was a fifth of
 * an XHTML chapter's cost. Attribute values keep libxml2's own escaping,
 * which differs (it also escapes tab and LF). */
static void flush_chunk(oct_xml *x, char *chunk, size_t used, int escaped)
{
    if (used == 0)
        return;
    chunk[used] = '\0';
    if (escaped)
        check(x, xmlTextWriterWriteRawLen(x->w, (const xmlChar *)chunk, (int)used));
    else
        check(x, xmlTextWriterWriteString(x->w, (const xmlChar *)chunk));
}

/* Cleans s[*pos..len) into out until the text ends or out has fewer than
 * 8 bytes of room left (the longest thing one step writes is "&quot;");
 * escaped as element content when escape is set. Returns the bytes written
 * and advances *pos. */
static size_t clean_into(const char *s, size_t len, size_t *pos, char *out, size_t room,
                         int escape)
{
    size_t i = *pos, used = 0;

    while (i < len && room - used >= 8) {
        /* Printable ASCII, tab, LF and CR pass as they are: most text is
         * made of nothing else, and needs no decoding. */
        size_t run = i;
        const size_t stop = len - i < room - used - 8 ? len : i + (room - used - 8);
        while (run < stop) {
            const unsigned char c = (unsigned char)s[run];
            size_t entity_len;
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c >= 0x7F ||
                (escape && oct_xml_content_entity(c, &entity_len)))
                break;
            run++;
        }
        if (run > i) {
            memcpy(out + used, s + i, run - i);
            used += run - i;
            i = run;
            continue;
        }
        size_t entity_len = 0;
        const char *entity =
            escape ? oct_xml_content_entity((unsigned char)s[i], &entity_len) : NULL;
        if (entity) {
            memcpy(out + used, entity, entity_len);
            used += entity_len;
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = oct_utf8_decode(s + i, len - i, &cp);
        if (oct_xml_char_is_allowed(cp)) {
            /* Re-encode only repaired characters; valid ones are copied. */
            if (cp == 0xFFFD && !(n == 3 && memcmp(s + i, "\xEF\xBF\xBD", 3) == 0))
                used += oct_utf8_encode(cp, out + used);
            else {
                memcpy(out + used, s + i, n);
                used += n;
            }
        }
        i += n;
    }
    *pos = i;
    return used;
}

size_t oct_xml_escape_content(const char *s, size_t len, size_t *pos, char *out, size_t room)
{
    return clean_into(s, len, pos, out, room, 1);
}

/* Writes s[0..len) cleaned; as escaped element content when escape is set,
 * else through the writer's own escaping string output. */
static void write_clean(oct_xml *x, const char *s, size_t len, int escape)
{
    char chunk[CHUNK + 1];
    size_t pos = 0;

    while (pos < len && !x->failed)
        flush_chunk(x, chunk, clean_into(s, len, &pos, chunk, CHUNK, escape), escape);
}

void oct_xml_text(oct_xml *x, const char *s, size_t len)
{
    if (x->failed || !s)
        return;
    write_clean(x, s, len, 1);
}

void oct_xml_text_cstr(oct_xml *x, const char *s)
{
    if (s)
        oct_xml_text(x, s, strlen(s));
}

void oct_xml_attr(oct_xml *x, const char *name, const char *value)
{
    if (x->failed || !value)
        return;
    check(x, xmlTextWriterStartAttribute(x->w, (const xmlChar *)name));
    write_clean(x, value, strlen(value), 0);
    if (!x->failed)
        check(x, xmlTextWriterEndAttribute(x->w));
}

void oct_xml_attrf(oct_xml *x, const char *name, const char *fmt, ...)
{
    char small[512];
    char *big = NULL;
    va_list ap;
    int n;

    if (x->failed)
        return;
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        x->failed = 1;
        return;
    }
    if ((size_t)n >= sizeof small) {
        big = malloc((size_t)n + 1);
        if (!big) {
            x->failed = 1;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    oct_xml_attr(x, name, big ? big : small);
    free(big);
}

void oct_xml_element(oct_xml *x, const char *name, const char *text)
{
    oct_xml_start(x, name);
    oct_xml_text_cstr(x, text);
    oct_xml_end_element_full(x);
}

void oct_xml_raw(oct_xml *x, const char *markup)
{
    if (x->failed || !markup)
        return;
    check(x, xmlTextWriterWriteRaw(x->w, (const xmlChar *)markup));
}

void oct_xml_raw_len(oct_xml *x, const char *markup, size_t len)
{
    if (x->failed || !markup)
        return;
    if (len > INT_MAX) {
        x->failed = 1;
        return;
    }
    /* An empty raw write finishes what the writer has pending (the ">" of
     * an open start tag) and the flush moves all it holds into x->buf;
     * the bytes then go there directly. Through the writer they would be
     * copied into its output buffer and again, byte by byte, by its UTF-8
     * "conversion" before reaching x->buf. */
    check(x, xmlTextWriterWriteRawLen(x->w, (const xmlChar *)"", 0));
    if (!x->failed)
        check(x, xmlTextWriterFlush(x->w));
    if (!x->failed && xmlBufferAdd(x->buf, (const xmlChar *)markup, (int)len) != 0)
        x->failed = 1;
}

void oct_xml_comment(oct_xml *x, const char *text)
{
    if (x->failed || !text)
        return;
    check(x, xmlTextWriterWriteComment(x->w, (const xmlChar *)text));
}

void oct_xml_doctype(oct_xml *x, const char *name, const char *pubid, const char *sysid)
{
    if (x->failed)
        return;
    check(x, xmlTextWriterWriteDTD(x->w, (const xmlChar *)name, (const xmlChar *)pubid,
                                   (const xmlChar *)sysid, NULL));
}
