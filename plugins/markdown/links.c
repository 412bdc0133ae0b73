/*
 * links.c — link destinations and titles, written so that a CommonMark
 * parser gives back exactly the URL and title of the tree.
 */
#include "markdown.h"

#include "bytewords.h"

#include <string.h>

static int entity_at(const char *s)
{
    /* "&name;" "&#123;" "&#x1F;" — what a parser would decode */
    const char *p = s + 1;
    if (*p == '#') {
        p++;
        if (*p == 'x' || *p == 'X')
            p++;
    }
    const char *start = p;
    while ((*p >= '0' && *p <= '9') || ((unsigned)(*p | 0x20) - 'a' < 26u))
        p++;
    return p > start && *p == ';';
}

/* A backslash of the URL or title. As an entity it cannot combine with a
 * delimiter next to it (cmark's scanners take the longest match), but cmark
 * decodes entities before it removes backslash escapes, so an entity
 * backslash before punctuation would escape it away: there, an escaped
 * backslash. */
static void put_backslash(oct_buf *b, char next)
{
    oct_buf_puts(b, md_is_ascii_punct((unsigned char)next) ? "\\\\" : "&#92;");
}

/* Bytes not always written as they are, by where they matter: anywhere
 * (with the end of the string), between pointy brackets, in a title. */
enum { CARE_ALWAYS = 1, CARE_POINTY = 2, CARE_TITLE = 4 };
static const unsigned char care[256] = {
    ['\0'] = CARE_ALWAYS, ['\n'] = CARE_ALWAYS, ['\r'] = CARE_ALWAYS, ['&'] = CARE_ALWAYS,
    ['\\'] = CARE_ALWAYS, ['<'] = CARE_POINTY,  ['>'] = CARE_POINTY,  ['"'] = CARE_TITLE};

/* The first byte from s on that one of the care bits in mask flags. */
static const char *skip_plain(const char *s, unsigned mask)
{
    while (!(care[(unsigned char)*s] & mask))
        s++;
    return s;
}

/* URLs are long, and the bytes the loops below look for rare: eight bytes
 * at a time tell whether one is among them. */
static int word_has_care(uint64_t v, unsigned mask)
{
    uint64_t hit = oct_word_eq(v, '\n') | oct_word_eq(v, '\r') | oct_word_eq(v, '&') |
                   oct_word_eq(v, '\\');
    if (mask & CARE_POINTY)
        hit |= oct_word_eq(v, '<') | oct_word_eq(v, '>');
    return hit != 0;
}

/* skip_plain() for s with len bytes before its NUL: a word at a time. */
static const char *skip_plain_len(const char *s, size_t len, unsigned mask)
{
    const char *const end = s + len;
    while (end - s >= 8 && !word_has_care(oct_word_load(s), mask))
        s += 8;
    return skip_plain(s, mask);
}

void md_append_destination(oct_buf *b, const char *url)
{
    int depth = 0, pointy = 0;
    const size_t len = strlen(url);
    const unsigned char *const end = (const unsigned char *)url + len;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        /* the usual bytes: none of the tests below */
        while (end - p >= 8) {
            const uint64_t v = oct_word_load(p);
            if (oct_word_below(v, ')' + 1) | oct_word_eq(v, '<') | oct_word_eq(v, 0x7f))
                break;
            p += 8;
        }
        if (!*p)
            break;
        if (*p > ')' && *p != '<' && *p != 0x7f)
            continue;
        if (*p <= 0x20 || *p == 0x7f || *p == '<')
            pointy = 1;
        else if (*p == '(')
            depth++;
        else if (*p == ')' && --depth < 0)
            pointy = 1;
    }
    if (depth != 0)
        pointy = 1; /* unbalanced parentheses */
    if (pointy)
        oct_buf_putc(b, '<');
    for (const char *p = url; *p; p++) {
        /* a URL is mostly bytes written as they are: append those at once */
        const char *run = p;
        p = skip_plain_len(p, (size_t)(url + len - p), CARE_ALWAYS | (pointy ? CARE_POINTY : 0));
        if (p > run)
            oct_buf_append(b, run, (size_t)(p - run));
        if (!*p)
            break;
        char c = *p;
        if (c == '\n' || c == '\r') {
            oct_buf_puts(b, c == '\n' ? "&#10;" : "&#13;");
            continue;
        }
        /* entities are decoded before backslash escapes here: & needs one */
        if (c == '&' && entity_at(p)) {
            oct_buf_puts(b, "&amp;");
            continue;
        }
        if (c == '\\')
            put_backslash(b, p[1]);
        else if (pointy && c == '<')
            oct_buf_puts(b, "&lt;");
        else if (pointy && c == '>')
            oct_buf_puts(b, "&gt;");
        else
            oct_buf_putc(b, c);
    }
    if (pointy)
        oct_buf_putc(b, '>');
}

void md_append_title(oct_buf *b, const char *title)
{
    oct_buf_putc(b, '"');
    for (const char *p = title; *p; p++) {
        const char *run = p;
        p = skip_plain(p, CARE_ALWAYS | CARE_TITLE);
        if (p > run)
            oct_buf_append(b, run, (size_t)(p - run));
        if (!*p)
            break;
        char c = *p;
        if (c == '\n' || c == '\r') {
            /* a blank line would end the paragraph; an entity cannot */
            oct_buf_puts(b, c == '\n' ? "&#10;" : "&#13;");
            continue;
        }
        if (c == '&' && entity_at(p)) {
            oct_buf_puts(b, "&amp;");
            continue;
        }
        if (c == '"')
            oct_buf_puts(b, "&quot;");
        else if (c == '\\')
            put_backslash(b, p[1]);
        else
            oct_buf_putc(b, c);
    }
    oct_buf_putc(b, '"');
}
