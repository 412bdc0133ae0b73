/*
 * markup.c — XHTML gathered in a buffer, written raw in big pieces.
 */
#include "markup.h"

#include <stdlib.h>
#include <string.h>

static void fail(markup *m) { m->core.x->failed = 1; }

static void flush(markup *m) { oct_markup_flush(&m->core); }

static inline void put(markup *m, const char *s, size_t n) { oct_markup_put(&m->core, s, n); }

static inline void finish_tag(markup *m) { oct_markup_finish_tag(&m->core); }

void markup_init(markup *m, oct_xml *x)
{
    oct_markup_init(&m->core, x);
    m->open = NULL;
    m->n_open = m->cap_open = 0;
}

void markup_free(markup *m)
{
    free(m->open);
    m->open = NULL;
    m->n_open = m->cap_open = 0;
}

void markup_start_n(markup *m, const char *name, size_t len)
{
    if (m->n_open == m->cap_open) {
        const size_t cap = m->cap_open ? m->cap_open * 2 : 64;
        struct markup_open *grown = realloc(m->open, cap * sizeof *grown);
        if (!grown) {
            fail(m);
            return;
        }
        m->open = grown;
        m->cap_open = cap;
    }
    m->open[m->n_open].name = name;
    m->open[m->n_open].len = len;
    m->n_open++;
    finish_tag(m);
    put(m, "<", 1);
    put(m, name, len);
    m->core.tag_open = 1;
}

/* Does this byte of an attribute value come out of cleaning and escaping
 * unchanged? Printable ASCII but the four markup characters. */
static inline int attr_byte_is_plain(unsigned char c) { return !oct_markup_odd_byte(c); }

/* How many bytes of s[0..len) are plain, sixteen at a time. */
static size_t plain_attr_run(const char *s, size_t len)
{
    size_t i = 0;

    for (; len - i >= OCT_BLOCK; i += OCT_BLOCK) {
        const unsigned odd = oct_markup_odd_bytes(oct_block_load(s + i));
        if (odd)
            return i + oct_mask_first(odd);
    }
    while (i < len && attr_byte_is_plain((unsigned char)s[i]))
        i++;
    return i;
}

/* The value cleaned and escaped for content (which escapes < > & " and CR
 * as xmlTextWriter's attributes do), then tab and LF as character
 * references, which attributes need so a parser keeps them. */
static void put_attr_escaped(markup *m, const char *s, size_t len)
{
    size_t pos = 0;

    while (pos < len) {
        char piece[1024];
        const size_t n = oct_xml_escape_content(s, len, &pos, piece, sizeof piece);
        size_t i = 0;
        while (i < n) {
            size_t run = i;
            while (run < n && piece[run] != '\t' && piece[run] != '\n')
                run++;
            put(m, piece + i, run - i);
            if (run < n) {
                if (piece[run] == '\t')
                    put(m, "&#9;", 4);
                else
                    put(m, "&#10;", 5);
                run++;
            }
            i = run;
        }
    }
}

void markup_attr_n(markup *m, const char *name, size_t name_len, const char *value)
{
    if (!value)
        return;
    if (!m->core.tag_open) {
        fail(m); /* xmlTextWriter refuses an attribute after content, too */
        return;
    }
    const size_t len = strlen(value);
    const size_t plain = plain_attr_run(value, len);
    if (plain == len && name_len + len + 4 <= OCT_MARKUP_BUFFER - m->core.len) {
        /* most values: ids, classes, plain links */
        char *o = m->core.buf + m->core.len;
        *o++ = ' ';
        memcpy(o, name, name_len);
        o += name_len;
        *o++ = '=';
        *o++ = '"';
        memcpy(o, value, len);
        o += len;
        *o++ = '"';
        m->core.len = (size_t)(o - m->core.buf);
        return;
    }
    put(m, " ", 1);
    put(m, name, name_len);
    put(m, "=\"", 2);
    put(m, value, plain);
    put_attr_escaped(m, value + plain, len - plain);
    put(m, "\"", 1);
}

void markup_attr_numbered(markup *m, const char *name, const char *prefix, long value)
{
    char text[48];
    char digits[24];
    size_t plen = strlen(prefix);
    if (plen > sizeof text - sizeof digits)
        plen = sizeof text - sizeof digits;
    memcpy(text, prefix, plen);
    const size_t n = oct_markup_format_long(value, digits + sizeof digits);
    memcpy(text + plen, digits + sizeof digits - n, n);
    text[plen + n] = '\0';
    markup_attr(m, name, text);
}

void markup_attr_int(markup *m, const char *name, long value)
{
    markup_attr_numbered(m, name, "", value);
}

void markup_text(markup *m, const char *s, size_t len)
{
    if (s)
        oct_markup_text(&m->core, s, len);
}

void markup_text_cstr(markup *m, const char *s)
{
    if (s)
        markup_text(m, s, strlen(s));
}

/* Closes the innermost element; an empty one becomes <name/> when
 * allow_empty is set. */
static void end_element(markup *m, int allow_empty)
{
    if (!m->n_open) {
        fail(m);
        return;
    }
    const struct markup_open *el = &m->open[--m->n_open];
    if (m->core.tag_open) {
        m->core.tag_open = 0;
        if (allow_empty) {
            put(m, "/>", 2);
            return;
        }
        put(m, ">", 1);
    }
    if (el->len + 3 <= OCT_MARKUP_BUFFER - m->core.len) {
        char *o = m->core.buf + m->core.len;
        *o++ = '<';
        *o++ = '/';
        memcpy(o, el->name, el->len);
        o += el->len;
        *o++ = '>';
        m->core.len = (size_t)(o - m->core.buf);
        return;
    }
    put(m, "</", 2);
    put(m, el->name, el->len);
    put(m, ">", 1);
}

void markup_end(markup *m) { end_element(m, 0); }

void markup_end_empty(markup *m) { end_element(m, 1); }

void markup_element(markup *m, const char *name, const char *text)
{
    markup_start(m, name);
    markup_text_cstr(m, text);
    markup_end(m);
}

void markup_finish(markup *m)
{
    while (m->n_open)
        end_element(m, 1);
    finish_tag(m);
    flush(m);
}
