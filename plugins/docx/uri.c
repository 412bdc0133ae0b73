/*
 * uri.c — relationship targets. A hyperlink's Target must be an RFC 3986
 * URI (xs:anyURI), and real pages hold URLs that are not: spaces, brackets,
 * stray percent signs, zero-width marks pasted around them.
 */
#include <stdlib.h>
#include <string.h>

#include "docx.h"

#define HYPERLINK_MAX 2000 /* Word rejects longer hyperlink targets */

/* Zero-width and bidi marks pasted around URLs in real pages. */
static size_t invisible_prefix(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] == 0xE2 && u[1] == 0x80 && ((u[2] >= 0x8B && u[2] <= 0x8F) ||
                                         (u[2] >= 0xAA && u[2] <= 0xAE)))
        return 3;
    if (u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0xA0)
        return 3;
    if (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        return 3;
    if (u[0] == ' ' || u[0] == '\t' || u[0] == '\n' || u[0] == '\r')
        return 1;
    return 0;
}

/* Characters RFC 3986 never allows in a URI, spaces and controls aside. */
static int uri_forbidden(unsigned char c)
{
    switch (c) {
    case '"': case '<': case '>': case '\\': case '^': case '`':
    case '{': case '|': case '}': case '[': case ']':
        return 1;
    default:
        return 0;
    }
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A relative reference whose first segment holds a ':' would read as a
 * scheme: such targets get a "./" in front. */
static int needs_dot_prefix(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != ':' && s[i] != '/' && s[i] != '?' && s[i] != '#')
        i++;
    if (i == n || s[i] != ':')
        return 0;
    if (i == 0)
        return 1;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 1;
    for (size_t j = 1; j < i; j++) {
        char c = s[j];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '-' || c == '.'))
            return 1;
    }
    return 0;
}

/* A relationship target must be an RFC 3986 URI (xs:anyURI): surrounding
 * blanks and invisible marks go, bytes outside printable ASCII and the
 * characters URIs forbid are percent-encoded, as are a '%' that starts no
 * escape and every '#' after the first. */
char *docx_uri_escape(const char *url)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t skip;
    while ((skip = invisible_prefix(url)) > 0)
        url += skip;
    size_t n = strlen(url);
    while (n && (url[n - 1] == ' ' || url[n - 1] == '\t' || url[n - 1] == '\n' ||
                 url[n - 1] == '\r'))
        n--;
    if (n == 0 || n > HYPERLINK_MAX)
        return NULL;
    char *out = malloc(n * 3 + 3);
    if (!out)
        return NULL;
    size_t j = 0;
    if (needs_dot_prefix(url, n)) {
        out[j++] = '.';
        out[j++] = '/';
    }
    int seen_hash = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)url[i];
        int escape = c <= 0x20 || c >= 0x7F || uri_forbidden(c);
        if (c == '%' && !(i + 2 < n && is_hex(url[i + 1]) && is_hex(url[i + 2])))
            escape = 1;
        if (c == '#') {
            escape = seen_hash;
            seen_hash = 1;
        }
        if (escape) {
            out[j++] = '%';
            out[j++] = hex[c >> 4];
            out[j++] = hex[c & 15];
        } else {
            out[j++] = (char)c;
        }
    }
    out[j] = '\0';
    if (j > HYPERLINK_MAX) {
        free(out);
        return NULL;
    }
    return out;
}
