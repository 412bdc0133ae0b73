/*
 * links.c — link destinations and titles, written so that a CommonMark
 * parser gives back exactly the URL and title of the tree.
 */
#include "markdown.h"

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

void md_append_destination(oct_buf *b, const char *url)
{
    int depth = 0, pointy = 0;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
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
