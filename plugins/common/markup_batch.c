/*
 * markup_batch.c — the batch the XML writers gather their markup in.
 */
#include "markup_batch.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
    return c < 0x20 ? c == '\t' || c == '\n'
                    : c < 0x7F && c != '<' && c != '>' && c != '&' && c != '"';
}

#if defined(__SSE2__)
/* Bit k set when byte k of the sixteen at s may not be plain: controls
 * (tab and LF included: callers look at those one by one), DEL and above,
 * and the markup characters. */
static inline unsigned odd_text_mask16(const char *s)
{
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    /* signed compare: bytes from 0x80 up are negative, below ' ' too */
    __m128i odd = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                               _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
    /* '<' and '>' differ only in bit 1, '"' and '&' only in bit 2 */
    odd = _mm_or_si128(odd, _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(0x02)),
                                           _mm_set1_epi8('>')));
    odd = _mm_or_si128(odd, _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(0x04)),
                                           _mm_set1_epi8('&')));
    return (unsigned)_mm_movemask_epi8(odd);
}

/* The first byte a mask of the sixteen at s marks that is not plain after
 * all (tab and LF are), as an offset from s, or 16. */
static inline size_t first_odd_in(const char *s, unsigned mask)
{
    for (; mask; mask &= mask - 1) {
        const unsigned k = (unsigned)__builtin_ctz(mask);
        if (s[k] != '\t' && s[k] != '\n')
            return k;
    }
    return 16;
}

/* How many bytes from s on are plain; sixteen at a time. The last few are
 * looked at as the sixteen that end the text, again in part. */
static size_t plain_text_run(const char *s, size_t len)
{
    size_t i = 0;

    if (len < 16) {
        while (i < len && text_byte_is_plain((unsigned char)s[i]))
            i++;
        return i;
    }
    for (; len - i >= 16; i += 16) {
        const size_t k = first_odd_in(s + i, odd_text_mask16(s + i));
        if (k < 16)
            return i + k;
    }
    if (i == len)
        return len;
    /* bytes before i were plain: only those from i on count */
    const size_t last = len - 16;
    const size_t k = first_odd_in(s + last, odd_text_mask16(s + last) >> (i - last) << (i - last));
    return k < 16 ? last + k : len;
}
#else
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
#endif

/* Bytes in the character at s (s[0] >= 0x80) when it is valid UTF-8 that
 * cleaning keeps as it is, else 0: not a C1 control (U+0080..U+009F) nor
 * U+FFFE/U+FFFF, which xmlout drops. Anything else takes xmlout's path. */
static inline size_t kept_utf8_len(const unsigned char *s, size_t len)
{
    const size_t n = oct_utf8_seq_len(s, len);
    if (n == 2 && s[0] == 0xC2 && s[1] < 0xA0)
        return 0;
    if (n == 3 && s[0] == 0xEF && s[1] == 0xBF && s[2] >= 0xBE)
        return 0;
    return n;
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
