/*
 * inline.c — paragraph text into TEXT and LINK nodes.
 *
 * URLs (http, https, ftp, mailto, "www.") and e-mail addresses become links;
 * punctuation that ends the sentence is left outside the link. Each scan
 * moves forward only, so a paragraph is linear in its length.
 */
#include "text_internal.h"
#include "byteblocks.h"

#include <stdio.h>
#include <string.h>

#define MAX_URL 2048

static int is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int is_local_char(unsigned char c)
{
    return is_alnum(c) || (c && strchr("._%+-", c));
}
static int is_domain_char(unsigned char c)
{
    return is_alnum(c) || c == '.' || c == '-';
}

/* Where a URL starting at p ends: white space, angle brackets, quotes, or a
 * non-ASCII character (curly quotes and guillemets wrap URLs in prose). */
static size_t url_extent(const char *s, size_t len, size_t p)
{
    size_t e = p;
    while (e < len && e - p < MAX_URL) {
        const unsigned char c = (unsigned char)s[e];
        if (c <= ' ' || c >= 0x80 || c == '<' || c == '>' || c == '"' || c == '`')
            break;
        e++;
    }
    /* trailing sentence punctuation and unbalanced closers are not the URL */
    size_t parens = 0, brackets = 0;
    for (size_t k = p; k < e; k++) {
        parens += s[k] == '(';
        brackets += s[k] == '[';
    }
    size_t close_parens = 0, close_brackets = 0;
    for (size_t k = p; k < e; k++) {
        close_parens += s[k] == ')';
        close_brackets += s[k] == ']';
    }
    while (e > p) {
        const char c = s[e - 1];
        if (strchr(".,;:!?'*", c)) {
            e--;
        } else if (c == ')' && close_parens > parens) {
            close_parens--;
            e--;
        } else if (c == ']' && close_brackets > brackets) {
            close_brackets--;
            e--;
        } else {
            break;
        }
    }
    return e;
}

static const char *const schemes[] = {"https://", "http://", "ftp://", "mailto:", "www.", NULL};

/* A URL starting at p: its end, and the scheme length (0 for "www."). */
static size_t match_url(const char *s, size_t len, size_t p, size_t *scheme_len)
{
    if (p > 0 && (is_alnum((unsigned char)s[p - 1]) || s[p - 1] == '/' || s[p - 1] == '@' ||
                  s[p - 1] == '.'))
        return 0;
    for (size_t i = 0; schemes[i]; i++) {
        const size_t n = text_has_prefix(s + p, len - p, schemes[i]);
        if (!n)
            continue;
        const size_t e = url_extent(s, len, p);
        if (e < p + n + 1)
            return 0;
        /* "www." and host names need a dot after the prefix */
        if (strcmp(schemes[i], "www.") == 0 || strcmp(schemes[i], "mailto:") == 0) {
            if (!memchr(s + p + n, '.', e - p - n))
                return 0;
            *scheme_len = strcmp(schemes[i], "www.") == 0 ? 0 : n;
        } else {
            *scheme_len = n;
        }
        return e;
    }
    return 0;
}

/* An e-mail address around the '@' at position at, not starting before
 * floor: its start and end. */
static int match_email(const char *s, size_t len, size_t at, size_t floor, size_t *start,
                       size_t *end)
{
    size_t b = at;
    while (b > floor && is_local_char((unsigned char)s[b - 1]))
        b--;
    while (b < at && (s[b] == '.' || s[b] == '-'))
        b++;
    if (b == at)
        return 0;
    size_t e = at + 1;
    while (e < len && is_domain_char((unsigned char)s[e]) && e - at < 256)
        e++;
    while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-'))
        e--;
    /* a dot, then at least two letters of top-level domain */
    const char *dot = NULL;
    for (size_t k = at + 1; k < e; k++)
        if (s[k] == '.')
            dot = s + k;
    if (!dot || (size_t)(s + e - dot) < 3)
        return 0;
    for (const char *t = dot + 1; t < s + e; t++)
        if (!((*t | 32) >= 'a' && (*t | 32) <= 'z'))
            return 0;
    *start = b;
    *end = e;
    return 1;
}

/* A TEXT leaf made directly: the builder's pending-text buffer would hold a
 * second copy of a long paragraph. */
static oct_status emit_text(oct_builder *b, oct_doc *doc, const char *s, size_t len)
{
    if (len == 0)
        return OCT_OK;
    oct_node *t = oct_node_new(doc, OCT_NODE_TEXT);
    if (!t)
        return OCT_ERR_LIMIT;
    const oct_status st = oct_node_set_literal(t, s, len);
    return st != OCT_OK ? st : oct_builder_leaf(b, t);
}

static oct_status emit_link(oct_builder *b, oct_doc *doc, const char *url_prefix, const char *s,
                            size_t len)
{
    oct_node *link = oct_node_new(doc, OCT_NODE_LINK);
    if (!link)
        return OCT_ERR_LIMIT;
    char url[MAX_URL + 16];
    snprintf(url, sizeof url, "%s%.*s", url_prefix, (int)len, s);
    oct_status st = oct_node_set_url(link, url);
    if (st == OCT_OK)
        st = oct_builder_open(b, link);
    if (st != OCT_OK)
        return st;
    st = emit_text(b, doc, s, len);
    const oct_status closed = oct_builder_close(b);
    return st != OCT_OK ? st : closed;
}

/* A cheap test before the full match: could a scheme start at p? */
static int scheme_candidate(const char *s, size_t len, size_t p)
{
    const size_t left = len - p;
    switch (s[p] | 32) {
    case 'h': return left > 7 && (s[p + 1] | 32) == 't' && (s[p + 2] | 32) == 't';
    case 'f': return left > 6 && (s[p + 1] | 32) == 't' && (s[p + 2] | 32) == 'p';
    case 'w': return left > 5 && (s[p + 1] | 32) == 'w' && (s[p + 2] | 32) == 'w';
    case 'm': return left > 8 && (s[p + 1] | 32) == 'a' && (s[p + 2] | 32) == 'i';
    default: return 0;
    }
}

/* Links are found from their punctuation, which is rare in prose: the
 * ':' of a scheme, the '.' after "www", the '@' of an address. */
static const unsigned char link_mark[256] = {[':'] = 1, ['.'] = 1, ['@'] = 1};

/* Where a URL whose scheme or "www" ends at the mark i would start, or i
 * when none does. */
static size_t url_start_before(const char *s, size_t i)
{
    static const char *const before_colon[] = {"https", "http", "ftp", "mailto", NULL};
    /* most marks end a sentence: the letter before them settles it */
    const char last = i > 0 ? (char)(s[i - 1] | 32) : 0;
    if (s[i] == '.' ? last != 'w' : (last != 's' && last != 'p' && last != 'o'))
        return i;
    if (s[i] == '.')
        return i >= 3 && text_has_prefix(s + i - 3, 3, "www") ? i - 3 : i;
    for (size_t k = 0; before_colon[k]; k++) {
        const size_t n = strlen(before_colon[k]);
        if (i >= n && text_has_prefix(s + i - n, n, before_colon[k]))
            return i - n;
    }
    return i;
}

/* The next link mark at or after i, or len: a block at a time, since every
 * byte of every paragraph passes here. */
static size_t next_link_mark(const char *s, size_t len, size_t i)
{
    for (; i + OCT_BLOCK <= len; i += OCT_BLOCK) {
        const oct_block b = oct_block_load(s + i);
        const unsigned found =
            oct_block_eq(b, ':') | oct_block_eq(b, '.') | oct_block_eq(b, '@');
        if (found)
            return i + oct_mask_first(found);
    }
    while (i < len && !link_mark[(unsigned char)s[i]])
        i++;
    return i;
}

oct_status text_emit_inline(oct_builder *b, oct_doc *doc, const char *s, size_t len)
{
    size_t flushed = 0, i = 0;
    oct_status st = OCT_OK;
    while (i < len && st == OCT_OK) {
        i = next_link_mark(s, len, i);
        if (i >= len)
            break;
        size_t start = i, end = 0, scheme = 0;
        const char *prefix = "";
        if (s[i] == '@') {
            if (!match_email(s, len, i, flushed, &start, &end))
                end = 0;
            else
                prefix = "mailto:";
        } else {
            start = url_start_before(s, i);
            if (start < i && start >= flushed && scheme_candidate(s, len, start)) {
                end = match_url(s, len, start, &scheme);
                if (end && scheme == 0)
                    prefix = "http://";
            }
        }
        if (!end) {
            i++;
            continue;
        }
        if (start > flushed)
            st = emit_text(b, doc, s + flushed, start - flushed);
        if (st == OCT_OK)
            st = emit_link(b, doc, prefix, s + start, end - start);
        flushed = i = end;
    }
    if (st == OCT_OK && flushed < len)
        st = emit_text(b, doc, s + flushed, len - flushed);
    return st;
}
