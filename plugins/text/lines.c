/*
 * lines.c — the decoded text cut into lines, and the small scanners every
 * later stage uses on one line.
 */
#include "text_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#define MAX_INDENT 0xFFFF

size_t text_space_len(const char *s, size_t len)
{
    if (len >= 1 && s[0] == ' ')
        return 1;
    if (len >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
        return 2;
    return 0;
}

/* Trailing white space, including the form feeds decode.c isolates. */
static size_t trailing_space_len(const char *s, size_t len)
{
    size_t n = 0;
    while (n < len) {
        const unsigned char c = (unsigned char)s[len - n - 1];
        if (c == ' ' || c == '\f')
            n++;
        else if (c == 0xA0 && len - n >= 2 && (unsigned char)s[len - n - 2] == 0xC2)
            n += 2;
        else
            break;
    }
    return n;
}

int text_has_double_space(const char *s, size_t len)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    size_t i = 0;
    int prev_space = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        /* exact per-byte "is a space" bits, then two in a row */
        const uint64_t t = w ^ (ones * ' ');
        const uint64_t spaces = ~(((t & ~high) + ~high) | t) & high;
        if (!spaces) {
            prev_space = 0;
            continue;
        }
        /* bytes are in memory order: byte k+1 sits 8 bits above byte k */
        if ((spaces & (spaces << 8)) || (prev_space && s[i] == ' '))
            return 1;
        prev_space = s[i + 7] == ' ';
    }
    for (; i < len; i++) {
        if (s[i] == ' ' && (prev_space || (i > 0 && s[i - 1] == ' ')))
            return 1;
        prev_space = 0;
    }
    return 0;
}

/* Display columns of a line, and whether two spaces follow each other in
 * it (*spaces), in one pass. ASCII (the usual case) is one column a byte;
 * only other text needs the Unicode width tables. */
static size_t measure_line(const char *s, size_t len, int *spaces)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    uint64_t carry = 0; /* 0x80 when the byte before the word is a space */
    size_t i = 0;
    *spaces = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & high)
            goto beyond_ascii;
        /* exact per-byte "is a space" bits; byte k+1 sits 8 bits above byte k */
        const uint64_t t = w ^ (ones * ' ');
        const uint64_t sp = ~(((t & ~high) + ~high) | t) & high;
        if (sp & ((sp << 8) | carry))
            *spaces = 1;
        carry = sp >> 56;
    }
    for (; i < len; i++) {
        if ((unsigned char)s[i] >= 0x80)
            goto beyond_ascii;
        if (s[i] == ' ' && i > 0 && s[i - 1] == ' ')
            *spaces = 1;
    }
    return len;
beyond_ascii:
    *spaces = text_has_double_space(s, len);
    return i + oct_utf8_display_width(s + i, len - i);
}

static oct_status push_line(text_source *src, size_t *cap, const text_line *line)
{
    if (src->n_lines == *cap) {
        const size_t ncap = *cap ? *cap * 2 : 256;
        text_line *grown = realloc(src->lines, ncap * sizeof *grown);
        if (!grown)
            return OCT_ERR_NOMEM;
        src->lines = grown;
        *cap = ncap;
    }
    src->lines[src->n_lines++] = *line;
    return OCT_OK;
}

oct_status text_lines_split(const text_decoded *d, text_source *src)
{
    memset(src, 0, sizeof *src);
    src->text = d->data;
    src->len = d->len;
    size_t cap = 0;
    uint32_t number = 0;
    int form_feed = 0;
    size_t pos = 0;
    while (pos < d->len) {
        const char *nl = memchr(d->data + pos, '\n', d->len - pos);
        const size_t end = nl ? (size_t)(nl - d->data) : d->len;
        if (number < UINT32_MAX)
            number++;
        const char *s = d->data + pos;
        size_t len = end - pos;
        size_t indent = 0, lead = 0, sp;
        while ((sp = text_space_len(s + lead, len - lead)) > 0) {
            lead += sp;
            indent++;
        }
        len -= lead;
        s += lead;
        len -= trailing_space_len(s, len);
        if (len == 0) {
            if (memchr(d->data + pos, '\f', end - pos))
                form_feed = 1;
        } else {
            text_line line = {0};
            const uint64_t start = (uint64_t)(s - d->data);
            if (start > TEXT_MAX_OFFSET)
                return OCT_ERR_LIMIT;
            line.start_low = (uint32_t)start;
            line.start_high = (uint8_t)(start >> 32);
            line.len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
            int spaces;
            const size_t w = measure_line(s, line.len, &spaces);
            line.width = w > UINT32_MAX ? UINT32_MAX : (uint32_t)w;
            line.number = number;
            line.indent = (uint16_t)(indent > MAX_INDENT ? MAX_INDENT : indent);
            line.flags = (uint8_t)((form_feed ? LINE_FORM_FEED : 0) | (spaces ? LINE_SPACES : 0) |
                                   (s[line.len - 1] == '-' ? LINE_HYPHEN_END : 0));
            form_feed = 0;
            if (push_line(src, &cap, &line) != OCT_OK)
                return OCT_ERR_NOMEM;
        }
        pos = end + 1;
    }
    return OCT_OK;
}

void text_lines_release_before(text_source *src, size_t i)
{
#if defined(MADV_DONTNEED) && defined(PROT_NONE) && defined(_SC_PAGESIZE)
    const long page = sysconf(_SC_PAGESIZE);
    if (page <= 0 || !src->lines || i > src->n_lines)
        return;
    const uintptr_t mask = (uintptr_t)page - 1;
    /* whole pages only, and never the one the table starts in: the
     * allocator's own bookkeeping may sit just before the table */
    const uintptr_t from = src->released_to ? (uintptr_t)src->released_to
                                            : ((uintptr_t)src->lines + (uintptr_t)page) & ~mask;
    const uintptr_t to = (uintptr_t)(src->lines + i) & ~mask;
    if (to <= from || madvise((void *)from, to - from, MADV_DONTNEED) != 0)
        return;
    /* a line read after this would be zeroes: make it a fault instead */
    (void)mprotect((void *)from, to - from, PROT_NONE);
    if (!src->released_from)
        src->released_from = (char *)from;
    src->released_to = (char *)to;
#else
    (void)src;
    (void)i;
#endif
}

void text_source_free(text_source *src)
{
#if defined(MADV_DONTNEED) && defined(PROT_NONE) && defined(_SC_PAGESIZE)
    /* the allocator owns these pages again */
    if (src->released_from)
        (void)mprotect(src->released_from, (size_t)(src->released_to - src->released_from),
                       PROT_READ | PROT_WRITE);
#endif
    free(src->lines);
    memset(src, 0, sizeof *src);
}

size_t text_next_present(const text_source *src, size_t i)
{
    while (i < src->n_lines && text_line_gone(src, i))
        i++;
    return i;
}

size_t text_first_word_len(const char *s, size_t len)
{
    size_t n = 0;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* eight bytes at a time to the first space or 0xC2 (which may begin
     * U+00A0): every line's first word is measured */
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    for (; n + 8 <= len; n += 8) {
        uint64_t w;
        memcpy(&w, s + n, 8);
        const uint64_t sp = w ^ (ones * ' '), c2 = w ^ (ones * 0xC2);
        const uint64_t found = (((sp - ones) & ~sp) | ((c2 - ones) & ~c2)) & high;
        if (found) {
            n += (size_t)__builtin_ctzll(found) / 8;
            break;
        }
    }
#endif
    while (n < len && s[n] != ' ' &&
           !((unsigned char)s[n] == 0xC2 && n + 1 < len && (unsigned char)s[n + 1] == 0xA0))
        n++;
    return n;
}

size_t text_count_words(const char *s, size_t len)
{
    size_t words = 0, i = 0;
    while (i < len) {
        size_t sp;
        while (i < len && (sp = text_space_len(s + i, len - i)) > 0)
            i += sp;
        if (i >= len)
            break;
        words++;
        i += text_first_word_len(s + i, len - i);
    }
    return words;
}

int text_is_upper_start(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    uint32_t cp;
    oct_utf8_decode(s, len, &cp);
    return (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
           (cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x400 && cp <= 0x42F);
}

int text_is_lower_start(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    uint32_t cp;
    oct_utf8_decode(s, len, &cp);
    return (cp >= 'a' && cp <= 'z') || (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) ||
           (cp >= 0x3B1 && cp <= 0x3C9) || (cp >= 0x430 && cp <= 0x45F);
}

static char fold_ascii(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

size_t text_has_prefix(const char *s, size_t len, const char *prefix)
{
    /* asked of most lines for many prefixes: the first letter settles most */
    if (len == 0 || prefix[0] == '\0' || fold_ascii(s[0]) != fold_ascii(prefix[0]))
        return 0;
    const size_t n = strlen(prefix);
    if (len < n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char a = s[i], b = prefix[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (char)(b - 'A' + 'a');
        if (a != b)
            return 0;
    }
    return n;
}

/* Length of closing quotes and brackets at the end of s. */
static size_t trailing_closers_len(const char *s, size_t len)
{
    size_t n = 0;
    for (;;) {
        const size_t left = len - n;
        if (left >= 1 && strchr("\"')]*_", s[left - 1]) && s[left - 1] != '\0')
            n++;
        else if (left >= 3 &&
                 ((unsigned char)s[left - 3] == 0xE2 && (unsigned char)s[left - 2] == 0x80 &&
                  ((unsigned char)s[left - 1] == 0x9D || (unsigned char)s[left - 1] == 0x99)))
            n += 3; /* ” ’ */
        else if (left >= 2 && (unsigned char)s[left - 2] == 0xC2 &&
                 (unsigned char)s[left - 1] == 0xBB)
            n += 2; /* » */
        else
            return n;
    }
}

int text_ends_with_sentence_punct(const char *s, size_t len)
{
    len -= trailing_closers_len(s, len);
    if (len == 0)
        return 0;
    const char c = s[len - 1];
    if (c == '.' || c == '!' || c == '?')
        return 1;
    /* … */
    return len >= 3 && (unsigned char)s[len - 3] == 0xE2 && (unsigned char)s[len - 2] == 0x80 &&
           (unsigned char)s[len - 1] == 0xA6;
}

int text_is_bare_link(const char *s, size_t len)
{
    if (len < 5 || memchr(s, ' ', len))
        return 0;
    if (text_has_prefix(s, len, "http://") || text_has_prefix(s, len, "https://") ||
        text_has_prefix(s, len, "www."))
        return 1;
    const char *at = memchr(s, '@', len);
    return at && at > s && memchr(at, '.', len - (size_t)(at - s)) != NULL;
}

int text_is_word_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7 || cp == 0xFFFD)
        return 0;
    if (cp >= 0x2000 && cp <= 0x2BFF) /* punctuation, symbols, arrows, boxes */
        return 0;
    if (cp >= 0x3000 && cp <= 0x303F) /* CJK punctuation */
        return 0;
    return !(cp >= 0xFE30 && cp <= 0xFE4F) && !(cp >= 0xFF00 && cp <= 0xFF0F);
}
