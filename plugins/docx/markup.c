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
