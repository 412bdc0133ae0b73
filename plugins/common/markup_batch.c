/*
 * markup_batch.c — the batch the XML writers gather their markup in.
 */
#include "markup_batch.h"

void oct_markup_init(oct_markup *m, oct_xml *x)
{
    m->x = x;
    m->tag_open = 0;
    m->len = 0;
}

void oct_markup_flush(oct_markup *m)
{
    if (!m->len)
        return;
    m->buf[m->len] = '\0';
    oct_xml_raw(m->x, m->buf);
    m->len = 0;
}

void oct_markup_put_slow(oct_markup *m, const char *s, size_t n)
{
    while (n) {
        size_t room = OCT_MARKUP_BUFFER - m->len;
        if (!room) {
            oct_markup_flush(m);
            room = OCT_MARKUP_BUFFER;
        }
        const size_t take = n < room ? n : room;
        memcpy(m->buf + m->len, s, take);
        m->len += take;
        s += take;
        n -= take;
    }
}

size_t oct_markup_format_long(long value, char *end)
{
    unsigned long u = value < 0 ? 0UL - (unsigned long)value : (unsigned long)value;
    size_t n = 0;
    do {
        *--end = (char)('0' + u % 10);
        u /= 10;
        n++;
    } while (u);
    if (value < 0) {
        *--end = '-';
        n++;
    }
    return n;
}

void oct_markup_put_long(oct_markup *m, long value)
{
    char digits[24];
    const size_t n = oct_markup_format_long(value, digits + sizeof digits);
    oct_markup_put(m, digits + sizeof digits - n, n);
}
