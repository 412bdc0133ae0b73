/*
 * lines.c — the decoded text cut into lines, and the small scanners every
 * later stage uses on one line.
 */
#include "text_internal.h"

#include <stdlib.h>
#include <string.h>

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

/* ASCII (the usual case) is one column a byte; only other text needs the
 * Unicode width tables. */
static size_t display_width(const char *s, size_t len)
{
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ULL)
            return i + oct_utf8_display_width(s + i, len - i);
    }
    for (; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return i + oct_utf8_display_width(s + i, len - i);
    return len;
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
            line.start = (size_t)(s - d->data);
            line.len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
            const size_t w = display_width(s, line.len);
            line.width = w > UINT32_MAX ? UINT32_MAX : (uint32_t)w;
            line.number = number;
            line.indent = (uint16_t)(indent > MAX_INDENT ? MAX_INDENT : indent);
            line.flags = form_feed ? LINE_FORM_FEED : 0;
            form_feed = 0;
            if (push_line(src, &cap, &line) != OCT_OK)
                return OCT_ERR_NOMEM;
        }
        pos = end + 1;
    }
    return OCT_OK;
}

void text_source_free(text_source *src)
{
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

size_t text_has_prefix(const char *s, size_t len, const char *prefix)
{
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
