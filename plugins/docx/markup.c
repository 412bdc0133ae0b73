/*
 * markup.c — fixed markup gathered in a buffer, written raw in big pieces.
 */
#include "markup.h"

void markup_sync(markup *m)
{
    markup_finish_tag(m);
    oct_markup_flush(m);
}

void markup_int(markup *m, long value)
{
    markup_finish_tag(m);
    oct_markup_put_long(m, value);
}

void markup_attr_numbered(markup *m, const char *name, const char *prefix, long value)
{
    markup_bytes(m, " ", 1);
    markup_bytes(m, name, strlen(name));
    markup_bytes(m, "=\"", 2);
    markup_bytes(m, prefix, strlen(prefix));
    oct_markup_put_long(m, value);
    markup_bytes(m, "\"", 1);
}

void markup_attr_int(markup *m, const char *name, long value)
{
    markup_attr_numbered(m, name, "", value);
}

void markup_val_int_n(markup *m, const char *name, size_t len, long value)
{
    static const char val[] = " w:val=\"";
    char digits[24];
    const size_t n = oct_markup_format_long(value, digits + sizeof digits);
    const char *number = digits + sizeof digits - n;

    markup_finish_tag(m);
    /* one of the commonest elements of a paragraph's properties: written
     * in one go when the batch has room, piece by piece otherwise */
    if (len + n + sizeof val + 3 <= OCT_MARKUP_BUFFER - m->len) {
        char *o = m->buf + m->len;
        *o++ = '<';
        memcpy(o, name, len);
        o += len;
        memcpy(o, val, sizeof val - 1);
        o += sizeof val - 1;
        memcpy(o, number, n);
        o += n;
        memcpy(o, "\"/>", 3);
        m->len = (size_t)(o + 3 - m->buf);
        return;
    }
    markup_bytes(m, "<", 1);
    markup_bytes(m, name, len);
    markup_bytes(m, val, sizeof val - 1);
    markup_bytes(m, number, n);
    markup_bytes(m, "\"/>", 3);
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
