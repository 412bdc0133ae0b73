/*
 * utf8_seq.h — the length of one valid UTF-8 sequence, without decoding it.
 *
 * Validation is most of what the scanners ask of UTF-8: the core's
 * oct_utf8_is_valid and repair, and the text reader's check of whether its
 * input can be used in place. They only need to know how long the sequence
 * is, or that it is not one; working out the code point (oct_utf8_decode)
 * costs a call and a loop for every accented letter or dash of prose. The
 * rules are exactly oct_utf8_decode's: no overlong form, no UTF-16
 * surrogate, nothing past U+10FFFF. Header only; shared in-tree, never
 * installed.
 */
#ifndef OCTAVO_UTF8_SEQ_H
#define OCTAVO_UTF8_SEQ_H

#include <stddef.h>

static inline int oct_utf8_is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Bytes in the valid sequence that starts at s (len > 0, s[0] >= 0x80), or
 * 0 when none starts there. */
static inline size_t oct_utf8_seq_len(const unsigned char *s, size_t len)
{
    const unsigned char c = s[0];
    if (c >= 0xC2 && c <= 0xDF) /* C0 and C1 would be overlong */
        return len >= 2 && oct_utf8_is_continuation(s[1]) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (len < 3 || !oct_utf8_is_continuation(s[1]) || !oct_utf8_is_continuation(s[2]))
            return 0;
        if ((c == 0xE0 && s[1] < 0xA0) || /* overlong */
            (c == 0xED && s[1] >= 0xA0))  /* a surrogate */
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (len < 4 || !oct_utf8_is_continuation(s[1]) || !oct_utf8_is_continuation(s[2]) ||
            !oct_utf8_is_continuation(s[3]))
            return 0;
        if ((c == 0xF0 && s[1] < 0x90) || /* overlong */
            (c == 0xF4 && s[1] >= 0x90))  /* past U+10FFFF */
            return 0;
        return 4;
    }
    return 0;
}

/* The code point of the valid sequence of n bytes at s (n from
 * oct_utf8_seq_len, so 2 to 4). */
static inline unsigned long oct_utf8_seq_value(const unsigned char *s, size_t n)
{
    unsigned long cp = s[0] & (0x7Fu >> n);
    for (size_t k = 1; k < n; k++)
        cp = cp << 6 | (s[k] & 0x3Fu);
    return cp;
}

#endif
