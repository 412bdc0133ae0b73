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

    markup_finish_tag(m);
    markup_bytes(m, "<", 1);
    markup_bytes(m, name, len);
    markup_bytes(m, val, sizeof val - 1);
    markup_bytes(m, digits + sizeof digits - n, n);
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
