/*
 * markup.c — fixed markup gathered in a buffer, written raw in big pieces.
 */
#include "markup.h"

void markup_init(markup *m, oct_xml *x)
{
    m->x = x;
    m->tag_open = 0;
    m->len = 0;
}

static void flush(markup *m)
{
    /* never an empty raw write: it would finish an element xmlTextWriter
     * has open and turn its <name/> into <name></name> */
    if (!m->len)
        return;
    m->buf[m->len] = '\0';
    oct_xml_raw(m->x, m->buf);
    m->len = 0;
}

void markup_sync(markup *m)
{
    markup_finish_tag(m);
    flush(m);
}

void markup_bytes_slow(markup *m, const char *s, size_t n)
{
    while (n) {
        size_t room = MARKUP_BUFFER - m->len;
        if (!room) {
            flush(m);
            room = MARKUP_BUFFER;
        }
        size_t take = n < room ? n : room;
        memcpy(m->buf + m->len, s, take);
        m->len += take;
        s += take;
        n -= take;
    }
}

/* Decimal digits of v into end[-n..0); returns n. */
static size_t format_long(long v, char *end)
{
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    size_t n = 0;
    do {
        *--end = (char)('0' + u % 10);
        u /= 10;
        n++;
    } while (u);
    if (v < 0) {
        *--end = '-';
        n++;
    }
    return n;
}

static void append_long(markup *m, long value)
{
    char digits[24];
    size_t n = format_long(value, digits + sizeof digits);
    markup_bytes(m, digits + sizeof digits - n, n);
}

void markup_int(markup *m, long value)
{
    markup_finish_tag(m);
    append_long(m, value);
}

void markup_attr_numbered(markup *m, const char *name, const char *prefix, long value)
{
    markup_bytes(m, " ", 1);
    markup_bytes(m, name, strlen(name));
    markup_bytes(m, "=\"", 2);
    markup_bytes(m, prefix, strlen(prefix));
    append_long(m, value);
    markup_bytes(m, "\"", 1);
}

void markup_attr_int(markup *m, const char *name, long value)
{
    markup_attr_numbered(m, name, "", value);
}

void markup_val_int(markup *m, const char *name, long value)
{
    markup_open(m, name);
    markup_attr_int(m, "w:val", value);
    markup_close(m, name);
}

void markup_text(markup *m, const char *s, size_t len)
{
    size_t pos = 0;

    /* Cleaned and escaped exactly as oct_xml_text would, but into the batch:
     * one libxml2 call per 8 KB instead of two per run of text. */
    while (pos < len) {
        char piece[1024];
        const size_t n = oct_xml_escape_content(s, len, &pos, piece, sizeof piece);
        if (n) {
            markup_finish_tag(m);
            markup_bytes(m, piece, n);
        }
    }
}

void markup_writer_start(markup *m, const char *name)
{
    markup_sync(m);
    oct_xml_start(m->x, name);
}

void markup_writer_attr(markup *m, const char *name, const char *value)
{
    markup_sync(m);
    oct_xml_attr(m->x, name, value);
}

void markup_writer_end(markup *m)
{
    markup_sync(m);
    oct_xml_end_element(m->x);
}
