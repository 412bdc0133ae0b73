/*
 * markup_batch.c — the batch the XML writers gather their markup in.
 */
#include "markup_batch.h"

/* Room kept free before escaping into the buffer: oct_xml_escape_content
 * needs at least 8 bytes to make progress. */
#define ESCAPE_ROOM 64

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

/* Does this byte of text come out of cleaning and escaping unchanged?
 * Printable ASCII other than the markup characters, and tab and LF: only
 * ASCII bytes, which matters to oct_markup_text(). */
static inline int text_byte_is_plain(unsigned char c)
{
    return c < 0x20 ? c == '\t' || c == '\n'
                    : c < 0x7F && c != '<' && c != '>' && c != '&' && c != '"';
}

/* How many bytes from s on are plain; eight at a time while they are. */
static size_t plain_text_run(const char *s, size_t len)
{
    size_t i = 0;

    while (len - i >= 8) {
        if (oct_markup_odd_text_bytes(oct_word_load(s + i))) {
            size_t k = 0;
            while (k < 8 && text_byte_is_plain((unsigned char)s[i + k]))
                k++;
            if (k < 8)
                return i + k;
        }
        i += 8;
    }
    while (i < len && text_byte_is_plain((unsigned char)s[i]))
        i++;
    return i;
}

/* Cleans and escapes s[*pos..end) into the batch. A start tag is finished
 * only by text that survives cleaning, as in xmlTextWriter, which never
 * sees text that cleans away. */
static void put_escaped(oct_markup *m, const char *s, size_t end, size_t *pos)
{
    while (*pos < end) {
        if (OCT_MARKUP_BUFFER - m->len < ESCAPE_ROOM)
            oct_markup_flush(m);
        const size_t at = m->len + (m->tag_open ? 1 : 0);
        const size_t n = oct_xml_escape_content(s, end, pos, m->buf + at, OCT_MARKUP_BUFFER - at);
        if (n) {
            if (m->tag_open) {
                m->buf[m->len] = '>';
                m->tag_open = 0;
            }
            m->len = at + n;
        }
    }
}

void oct_markup_text(oct_markup *m, const char *s, size_t len)
{
    size_t pos = 0;

    if (!s)
        return;
    while (pos < len) {
        const size_t run = plain_text_run(s + pos, len - pos);
        if (run) {
            oct_markup_finish_tag(m);
            oct_markup_put(m, s + pos, run);
            pos += run;
            continue;
        }
        /* The rest of the stretch that needs work goes to xmlout, up to
         * the next plain byte: cleaning decodes UTF-8 but never reads
         * across an ASCII byte, so its result is the same as for the whole
         * text. */
        size_t end = pos + 1;
        while (end < len && !text_byte_is_plain((unsigned char)s[end]))
            end++;
        put_escaped(m, s, end, &pos);
    }
}
