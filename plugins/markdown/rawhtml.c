/*
 * rawhtml.c — raw HTML blocks written so that a CommonMark parser takes
 * them for HTML blocks (spec 0.30/0.31, "HTML blocks"), not paragraphs.
 *
 * A block starting with <div>, <pre>, a comment... is one whatever follows
 * on its line. Any other element is one only when its first line is a lone
 * complete tag (kind 7): `<x-note>Hi</x-note>` would be a paragraph holding
 * raw inline HTML, `<x-note>` then `Hi</x-note>` on the next line is a
 * block. The line end added is white space at the start of a line, which
 * HTML does not show.
 */
#include "markdown.h"

#include <string.h>
#include <strings.h>

static int is_alpha(char c) { return (unsigned)((c | 0x20) - 'a') < 26u; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_blank(char c) { return c == ' ' || c == '\t'; }
static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

/* Names that start an HTML block of kind 6 in both 0.30 and 0.31 (0.30
 * also has "source", 0.31 "search": neither is relied on). */
static int starts_kind6(const char *name, size_t n)
{
    static const char *const names[] = {
        "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption",
        "center", "col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2",
        "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "iframe", "legend", "li", "link",
        "main", "menu", "menuitem", "nav", "noframes", "ol", "optgroup", "option", "p", "param",
        "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr",
        "track", "ul", NULL};
    for (size_t i = 0; names[i]; i++)
        if (strlen(names[i]) == n && strncasecmp(name, names[i], n) == 0)
            return 1;
    return 0;
}

static int starts_kind1(const char *name, size_t n)
{
    static const char *const names[] = {"pre", "script", "style", "textarea", NULL};
    for (size_t i = 0; names[i]; i++)
        if (strlen(names[i]) == n && strncasecmp(name, names[i], n) == 0)
            return 1;
    return 0;
}

/* Length of the complete open or closing tag at s (CommonMark's grammar
 * for raw HTML), or 0. */
static size_t tag_length(const char *s, size_t len)
{
    size_t i = 1;
    const int closing = len > 1 && s[1] == '/';
    i += (size_t)closing;
    if (i >= len || !is_alpha(s[i]))
        return 0;
    while (i < len && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '-'))
        i++;
    for (;;) {
        size_t ws = i;
        while (i < len && is_blank(s[i]))
            i++;
        if (i < len && s[i] == '>')
            return i + 1;
        if (closing)
            return 0;
        if (i + 1 < len && s[i] == '/' && s[i + 1] == '>')
            return i + 2;
        if (i == ws || i >= len || !(is_alpha(s[i]) || s[i] == '_' || s[i] == ':'))
            return 0;
        while (i < len && (is_alpha(s[i]) || is_digit(s[i]) || strchr("_.:-", s[i])))
            i++;
        size_t after_name = i;
        while (i < len && is_blank(s[i]))
            i++;
        if (i >= len || s[i] != '=') {
            i = after_name;
            continue;
        }
        i++;
        while (i < len && is_blank(s[i]))
            i++;
        if (i < len && (s[i] == '"' || s[i] == '\'')) {
            const char *end = memchr(s + i + 1, s[i], len - i - 1);
            if (!end || memchr(s + i + 1, '\n', (size_t)(end - s) - i - 1))
                return 0;
            i = (size_t)(end - s) + 1;
        } else {
            const size_t start = i;
            while (i < len && !is_blank(s[i]) && !strchr("\"'=<>`", s[i]))
                i++;
            if (i == start)
                return 0;
        }
    }
}

size_t md_raw_block_line_break(const char *s, size_t len)
{
    if (len < 2 || s[0] != '<')
        return 0;
    /* comments, processing instructions, declarations, CDATA: kinds 2-5 */
    if (s[1] == '!' || s[1] == '?')
        return 0;
    const size_t name_at = s[1] == '/' ? 2 : 1;
    size_t n = 0;
    while (name_at + n < len && (is_alpha(s[name_at + n]) || is_digit(s[name_at + n]) ||
                                 s[name_at + n] == '-'))
        n++;
    const char next = name_at + n < len ? s[name_at + n] : '\n';
    if (name_at == 1 && starts_kind1(s + 1, n) && (is_space(next) || next == '>'))
        return 0;
    if (starts_kind6(s + name_at, n) && (is_space(next) || next == '>' || next == '/'))
        return 0;
    const size_t tag = tag_length(s, len);
    if (tag == 0)
        return 0; /* not a tag CommonMark knows: nothing helps */
    size_t i = tag;
    while (i < len && is_blank(s[i]))
        i++;
    if (i == len || s[i] == '\n')
        return 0; /* already a lone tag */
    return tag;
}
