/*
 * markup_batch.c — the batch the XML writers gather their markup in.
 */
#include "markup_batch.h"

#include "utf8_seq.h"

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
    oct_xml_raw_len(m->x, m->buf, m->len);
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
    return !oct_markup_odd_byte(c) || c == '\t' || c == '\n';
}

/* How many bytes from s on are plain; sixteen at a time. */
static size_t plain_text_run(const char *s, size_t len)
{
    size_t i = 0;
    for (; len - i >= OCT_BLOCK; i += OCT_BLOCK) {
        const oct_block b = oct_block_load(s + i);
        const unsigned odd =
            oct_markup_odd_bytes(b) & ~(oct_block_eq(b, '\t') | oct_block_eq(b, '\n'));
        if (odd)
            return i + oct_mask_first(odd);
    }
    while (i < len && text_byte_is_plain((unsigned char)s[i]))
        i++;
    return i;
}

/* Bytes in the character at s (s[0] >= 0x80) when it is valid UTF-8 that
 * cleaning keeps as it is (oct_xml_char_is_allowed), else 0: anything
 * else takes xmlout's path. */
static inline size_t kept_utf8_len(const unsigned char *s, size_t len)
{
    const size_t n = oct_utf8_seq_len(s, len);
    return n && oct_xml_char_is_allowed((uint32_t)oct_utf8_seq_value(s, n)) ? n : 0;
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
        /* Prose's own odd bytes, a quote or an accented letter, come out
         * as a fixed entity or unchanged; only what cleaning may change
         * (or drop) goes to xmlout. */
        const unsigned char c = (unsigned char)s[pos];
        size_t n = 0;
        const char *entity = c < 0x80 ? oct_xml_content_entity(c, &n) : NULL;
        if (entity || (c >= 0x80 && (n = kept_utf8_len((const unsigned char *)s + pos,
                                                       len - pos)) > 0)) {
            oct_markup_finish_tag(m);
            oct_markup_put(m, entity ? entity : s + pos, n);
            pos += entity ? 1 : n;
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
