/*
 * prepare.c — makes HTML5 text digestible for libxml2's HTML 4 parser.
 *
 * libxml2 2.9 knows only HTML 4's 253 entities, leaves "&check;" or "&copy"
 * (no semicolon) as literal text, maps &#128; to a C1 control instead of
 * the euro sign, stops at NUL bytes and checks duplicate attributes in
 * quadratic time. One linear pass over the UTF-8 text fixes all of that
 * before parsing: references are decoded here (except the five that would
 * become markup), line ends normalised, NULs dropped, and attributes beyond
 * HTML_MAX_ATTRIBUTES on one tag dropped. The pass tokenises just enough
 * (tags, attribute values, comments, script/style) to know its context.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytewords.h"
#include "html.h"

typedef struct entity {
    const char *name;
    uint32_t cp1, cp2;
    unsigned char semicolon; /* valid as "&name;" */
    unsigned char legacy;    /* valid as "&name" too */
} entity;

static const entity entities[] = {
#include "entities.inc"
};

#define N_ENTITIES (sizeof entities / sizeof entities[0])
#define MAX_ENTITY_NAME 32

/* What numeric references 0x80..0x9F mean on the web (windows-1252). */
static const uint16_t c1_fixups[32] = {
    0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};

typedef struct key {
    const char *s;
    size_t len;
} key;

static int compare_entity(const void *k, const void *e)
{
    const key *kk = k;
    const char *name = ((const entity *)e)->name;
    size_t n = strlen(name);
    int c = memcmp(kk->s, name, kk->len < n ? kk->len : n);
    if (c != 0)
        return c;
    return (kk->len > n) - (kk->len < n);
}

int html_entity_lookup(const char *name, size_t len, int semicolon, uint32_t cp[2])
{
    const key k = {name, len};
    const entity *e = bsearch(&k, entities, N_ENTITIES, sizeof entities[0], compare_entity);
    if (!e || (semicolon ? !e->semicolon : !e->legacy))
        return 0;
    cp[0] = e->cp1;
    cp[1] = e->cp2;
    return 1;
}

/* html_is_space, inlined: the pass asks it of nearly every byte of a tag. */
static inline int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alnum(int c) { return is_alpha(c) || is_digit(c); }
static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* Appends a decoded character; the five that libxml2 would take for markup
 * go back as references it knows, controls other than tab/LF/FF are dropped. */
static void put_codepoint(oct_buf *out, uint32_t cp)
{
    switch (cp) {
    case '<': oct_buf_puts(out, "&lt;"); return;
    case '>': oct_buf_puts(out, "&gt;"); return;
    case '&': oct_buf_puts(out, "&amp;"); return;
    case '"': oct_buf_puts(out, "&quot;"); return;
    case '\'': oct_buf_puts(out, "&#39;"); return;
    default: break;
    }
    if (cp == '\r')
        cp = '\n';
    if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\f') || cp == 0x7F)
        return;
    char u[4];
    oct_buf_append(out, u, oct_utf8_encode(cp, u));
}

/* At s[0] == '&': decodes one reference into out and returns the bytes
 * consumed, or 0 to leave the '&' as it is. */
static size_t reference(const char *s, size_t len, int in_attribute, oct_buf *out)
{
    size_t i = 1;
    if (i < len && s[i] == '#') {
        i++;
        int hex = 0;
        if (i < len && (s[i] == 'x' || s[i] == 'X')) {
            hex = 1;
            i++;
        }
        const size_t digits_at = i;
        uint32_t v = 0;
        while (i < len && (hex ? (is_digit(s[i]) || (lower(s[i]) >= 'a' && lower(s[i]) <= 'f'))
                               : is_digit(s[i]))) {
            const int d = is_digit(s[i]) ? s[i] - '0' : lower(s[i]) - 'a' + 10;
            if (v <= 0x10FFFF)
                v = v * (hex ? 16 : 10) + (uint32_t)d;
            i++;
        }
        if (i == digits_at)
            return 0;
        if (i < len && s[i] == ';')
            i++;
        if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            v = 0xFFFD;
        else if (v >= 0x80 && v <= 0x9F)
            v = c1_fixups[v - 0x80];
        put_codepoint(out, v);
        return i;
    }
    size_t n = 0;
    while (i + n < len && n < MAX_ENTITY_NAME && is_alnum((unsigned char)s[i + n]))
        n++;
    if (n == 0)
        return 0;
    uint32_t cp[2];
    if (i + n < len && s[i + n] == ';' && html_entity_lookup(s + i, n, 1, cp)) {
        put_codepoint(out, cp[0]);
        if (cp[1])
            put_codepoint(out, cp[1]);
        return i + n + 1;
    }
    /* Legacy references without a semicolon: the longest known prefix. In an
     * attribute, one followed by an alphanumeric or '=' stays literal
     * (query strings such as "?a=1&copy=2"). */
    for (size_t k = n; k >= 2; k--) {
        if (!html_entity_lookup(s + i, k, 0, cp))
            continue;
        const int next = i + k < len ? (unsigned char)s[i + k] : 0;
        if (in_attribute && (is_alnum(next) || next == '='))
            return 0;
        put_codepoint(out, cp[0]);
        if (cp[1])
            put_codepoint(out, cp[1]);
        return i + k;
    }
    return 0;
}

/* The pass copies by not copying: input bytes that go out unchanged are
 * only counted (s[emitted..i) is pending) and written in one append when
 * something else must be written or skipped. Most of a page goes out as
 * it came, in a handful of appends. */
typedef struct pass {
    const char *s;
    size_t len;
    size_t i;       /* next input byte to look at */
    size_t emitted; /* input before this is written out (or dropped) */
    oct_buf *out;
} pass;

static void flush(pass *p)
{
    if (p->i > p->emitted)
        oct_buf_append(p->out, p->s + p->emitted, p->i - p->emitted);
    p->emitted = p->i;
}

/* Moves on to j, writing nothing of what lies between. */
static void drop_to(pass *p, size_t j)
{
    flush(p);
    p->i = j;
    p->emitted = j;
}

/* Bytes copy_text stops at: CR, NUL, and (bit 2) '&' when decoding. */
static const unsigned char text_stop[256] = {['\0'] = 1, ['\r'] = 1, ['&'] = 2};

/* The first byte of s[from..end) that copy_text stops at (stop: the
 * text_stop bits that count), or end. Eight bytes at a time while none is
 * one: most text has none at all. */
static size_t scan_text(const char *s, size_t from, size_t end, unsigned char stop)
{
    size_t i = from;
    const unsigned char amp = (stop & 2) ? '&' : '\0'; /* '\0': already looked for */
    while (end - i >= 8) {
        const uint64_t v = oct_word_load(s + i);
        if (oct_word_eq(v, '\0') | oct_word_eq(v, '\r') | oct_word_eq(v, amp))
            break;
        i += 8;
    }
    while (i < end && !(text_stop[(unsigned char)s[i]] & stop))
        i++;
    return i;
}

/* Copies s[i..end) with CR/CRLF -> LF and NUL dropped; decodes references
 * when decode is set. Without keep, nothing is written. */
static void copy_text(pass *p, size_t end, int decode, int in_attribute, int keep)
{
    if (!keep) {
        drop_to(p, end);
        return;
    }
    const unsigned char stop = decode ? 3 : 1;
    while (p->i < end) {
        const size_t run = scan_text(p->s, p->i, end, stop);
        p->i = run;
        if (run >= end)
            return;
        const char c = p->s[run];
        if (c == '\r') {
            flush(p);
            oct_buf_putc(p->out, '\n');
            p->i++;
            if (p->i < end && p->s[p->i] == '\n')
                p->i++;
            p->emitted = p->i;
        } else if (c == '\0') {
            drop_to(p, p->i + 1);
        } else {
            flush(p);
            const size_t used = reference(p->s + p->i, end - p->i, in_attribute, p->out);
            if (used == 0) {
                p->i++; /* the '&' stays as it is */
            } else {
                p->i += used;
                p->emitted = p->i;
            }
        }
    }
}

static size_t find_ci(const char *s, size_t from, size_t len, const char *needle)
{
    const size_t n = strlen(needle);
    for (size_t i = from; n <= len && i <= len - n; i++) {
        if (s[i] != '<')
            continue;
        size_t k = 0;
        while (k < n && lower((unsigned char)s[i + k]) == needle[k])
            k++;
        if (k == n)
            return i;
    }
    return len;
}

/* After "<name" or "</name": the attributes up to and including '>'.
 * make_empty closes an HTML5 void element libxml2 2.9 does not know as
 * void ("<embed>" would otherwise swallow the rest of the page). */
static void copy_tag_rest(pass *p, int make_empty)
{
    size_t count = 0;
    while (p->i < p->len) {
        const char c = p->s[p->i];
        if (c == '>') {
            if (make_empty) {
                flush(p);
                if (p->out->len && p->out->data[p->out->len - 1] != '/')
                    oct_buf_putc(p->out, '/');
            }
            p->i++;
            return;
        }
        if (c == '\r' || c == '\0') {
            copy_text(p, p->i + 1, 0, 0, 1);
            continue;
        }
        if (is_space((unsigned char)c) || c == '/') {
            p->i++;
            continue;
        }
        const int keep = ++count <= HTML_MAX_ATTRIBUTES;
        size_t end = p->i + 1; /* a name may start with '=' */
        while (end < p->len && !is_space((unsigned char)p->s[end]) && p->s[end] != '/' &&
               p->s[end] != '>' && p->s[end] != '=')
            end++;
        copy_text(p, end, 0, 0, keep);
        size_t j = p->i;
        while (j < p->len && is_space((unsigned char)p->s[j]))
            j++;
        if (j >= p->len || p->s[j] != '=')
            continue;
        copy_text(p, j + 1, 0, 0, keep);
        while (p->i < p->len && is_space((unsigned char)p->s[p->i]))
            copy_text(p, p->i + 1, 0, 0, keep);
        if (p->i >= p->len)
            return;
        const char q = p->s[p->i];
        if (q == '"' || q == '\'') {
            const char *close = memchr(p->s + p->i + 1, q, p->len - p->i - 1);
            const size_t vend = close ? (size_t)(close - p->s) + 1 : p->len;
            copy_text(p, p->i + 1, 0, 0, keep);
            copy_text(p, close ? vend - 1 : vend, 1, 1, keep);
            copy_text(p, vend, 0, 0, keep);
        } else {
            size_t vend = p->i;
            while (vend < p->len && !is_space((unsigned char)p->s[vend]) && p->s[vend] != '>')
                vend++;
            copy_text(p, vend, 1, 1, keep);
        }
    }
}

/* Bytes that make a tag's text differ from what goes out. */
static int changes_in_tag(char c)
{
    return c == '&' || c == '\r' || c == '\0';
}

/* Where the rest of a tag starting at s[i] ends (just past its '>'), when
 * copy_tag_rest would copy all of it unchanged: no reference, CR or NUL
 * anywhere, at most HTML_MAX_ATTRIBUTES attributes. 0 otherwise, and for a
 * tag the text ends in. The same steps as copy_tag_rest, writing nothing. */
static size_t verbatim_tag_end(const char *s, size_t i, size_t len)
{
    size_t count = 0;
    while (i < len) {
        const char c = s[i];
        if (c == '>')
            return i + 1;
        if (changes_in_tag(c))
            return 0;
        if (is_space((unsigned char)c) || c == '/') {
            i++;
            continue;
        }
        if (++count > HTML_MAX_ATTRIBUTES)
            return 0;
        i++; /* a name may start with '=' */
        while (i < len && !is_space((unsigned char)s[i]) && s[i] != '/' && s[i] != '>' &&
               s[i] != '=') {
            if (changes_in_tag(s[i]))
                return 0;
            i++;
        }
        size_t j = i;
        while (j < len && is_space((unsigned char)s[j]))
            j++;
        if (j >= len || s[j] != '=')
            continue;
        for (; i < j; i++)
            if (s[i] == '\r')
                return 0;
        i = j + 1;
        while (i < len && is_space((unsigned char)s[i])) {
            if (s[i] == '\r')
                return 0;
            i++;
        }
        if (i >= len)
            return 0;
        const char q = s[i];
        if (q == '"' || q == '\'') {
            const char *close = memchr(s + i + 1, q, len - i - 1);
            if (close == NULL)
                return 0;
            for (i++; s + i < close; i++)
                if (changes_in_tag(s[i]))
                    return 0;
            i++;
        } else {
            while (i < len && !is_space((unsigned char)s[i]) && s[i] != '>') {
                if (changes_in_tag(s[i]))
                    return 0;
                i++;
            }
        }
    }
    return 0;
}

static int is_unknown_void(const char *name)
{
    if (name[0] != 'e' && name[0] != 's' && name[0] != 't' && name[0] != 'w' && name[0] != 'k')
        return 0; /* most tags: one test rather than five comparisons */
    static const char *const voids[] = {"embed", "source", "track", "wbr", "keygen", NULL};
    for (size_t i = 0; voids[i]; i++)
        if (strcmp(name, voids[i]) == 0)
            return 1;
    return 0;
}

/* Script and style content up to its end tag: nothing is decoded, and an
 * inner "</" is written "<\/" because libxml2 2.9 ends the element at any
 * "</" followed by a letter ("</p>" inside a JavaScript string). */
static void copy_raw_text(pass *p, const char *close)
{
    const size_t end = find_ci(p->s, p->i, p->len, close);
    while (p->i < end) {
        const char *lt = memchr(p->s + p->i, '<', end - p->i);
        const size_t stop = lt ? (size_t)(lt - p->s) : end;
        copy_text(p, stop, 0, 0, 1);
        if (stop >= end)
            break;
        p->i++; /* the '<' */
        if (p->i < end && p->s[p->i] == '/') {
            flush(p);
            oct_buf_puts(p->out, "\\/");
            p->i++;
            p->emitted = p->i;
        }
    }
}

/* name (n bytes, any case) is word, a lowercase name of n bytes. */
static int name_equals(const char *name, size_t n, const char *word, size_t word_len)
{
    if (n != word_len)
        return 0;
    for (size_t j = 0; j < n; j++)
        if (lower((unsigned char)name[j]) != word[j])
            return 0;
    return 1;
}

/* Elements whose white space is kept as written: 1 + their index in a
 * count of open ones, 0 for any other name. Asked of every tag: the first
 * letter turns most names away. */
enum { KEEPING_NAMES = 5, PLAINTEXT = 5 };
static int keeps_white_space(const char *name, size_t n)
{
    switch (lower((unsigned char)name[0])) {
    case 'p':
        return name_equals(name, n, "pre", 3) ? 1 : name_equals(name, n, "plaintext", 9) ? 5 : 0;
    case 'l': return name_equals(name, n, "listing", 7) ? 2 : 0;
    case 't': return name_equals(name, n, "textarea", 8) ? 3 : 0;
    case 'x': return name_equals(name, n, "xmp", 3) ? 4 : 0;
    default: return 0;
    }
}

/* s[from..to) is only white space and holds a line break: indentation
 * between tags, which HTML renders as one space at most. */
static int is_blank_lines(const char *s, size_t from, size_t to)
{
    if (to - from < 2)
        return 0;
    if (!is_space((unsigned char)s[from]))
        return 0; /* most text: decided by its first byte */
    int line_break = 0;
    size_t i = from;
    for (; to - i >= 8; i += 8) {
        const uint64_t v = oct_word_load(s + i);
        const uint64_t breaks = oct_word_eq(v, '\n') | oct_word_eq(v, '\r');
        const uint64_t blank = breaks | oct_word_eq(v, ' ') | oct_word_eq(v, '\t') |
                               oct_word_eq(v, '\f');
        if (blank != OCT_BYTES_HIGH)
            return 0;
        line_break |= breaks != 0;
    }
    for (; i < to; i++) {
        if (!is_space((unsigned char)s[i]))
            return 0;
        line_break |= s[i] == '\n' || s[i] == '\r';
    }
    return line_break;
}

oct_status html_prepare(const char *in, size_t len, unsigned flags, oct_buf *out)
{
    const int fold = (flags & HTML_PREPARE_FOLD_INDENTATION) != 0;
    pass p = {in, len, 0, 0, out};
    /* Open elements that keep their white space, counted per name: libxml2
     * ignores a stray end tag ("</xmp>" in a pre), which must not end the
     * pre's count. plaintext keeps it to the end. Overcounting only keeps
     * more as written. */
    size_t keeping[KEEPING_NAMES] = {0}, kept_open = 0;
    while (p.i < p.len && out->status == OCT_OK) {
        const char *lt = memchr(p.s + p.i, '<', p.len - p.i);
        const size_t tag = lt ? (size_t)(lt - p.s) : p.len;
        /* A pretty-printed page is a quarter indentation: each run between
         * tags goes to libxml2 as one line break, which every later step
         * reads as the same white space, instead of byte by byte. */
        if (fold && !kept_open && is_blank_lines(p.s, p.i, tag)) {
            flush(&p);
            oct_buf_putc(p.out, '\n');
            p.i = p.emitted = tag;
        } else {
            copy_text(&p, tag, 1, 0, 1);
        }
        if (p.i >= p.len)
            break;
        /* p.i is at '<' */
        const char *s = p.s + p.i;
        const size_t left = p.len - p.i;
        if (left >= 4 && memcmp(s, "<!--", 4) == 0) {
            const char *end = NULL;
            for (size_t k = 4; k + 3 <= left; k++)
                if (s[k] == '-' && s[k + 1] == '-' && s[k + 2] == '>') {
                    end = s + k + 3;
                    break;
                }
            copy_text(&p, end ? (size_t)(end - p.s) : p.len, 0, 0, 1);
            continue;
        }
        const int end_tag = left >= 2 && s[1] == '/';
        const size_t name_at = end_tag ? 2 : 1;
        if (name_at >= left || !is_alpha((unsigned char)s[name_at])) {
            p.i++; /* a '<' that starts no tag */
            continue;
        }
        size_t name_end = name_at;
        char name[8] = "";
        while (name_end < left && !is_space((unsigned char)s[name_end]) &&
               s[name_end] != '/' && s[name_end] != '>' && s[name_end] != '\0') {
            if (name_end - name_at < sizeof name - 1)
                name[name_end - name_at] = (char)lower((unsigned char)s[name_end]);
            name_end++;
        }
        if (name_end - name_at >= sizeof name - 1)
            name[0] = '\0';
        else
            name[name_end - name_at] = '\0';
        const int kept = keeps_white_space(s + name_at, name_end - name_at);
        if (kept && !end_tag) {
            keeping[kept - 1]++;
            kept_open++;
        } else if (kept && keeping[kept - 1] && kept != PLAINTEXT) {
            keeping[kept - 1]--;
            kept_open--;
        }
        copy_text(&p, p.i + name_end, 0, 0, 1);
        const int make_empty = !end_tag && is_unknown_void(name);
        const size_t verbatim_end = make_empty ? 0 : verbatim_tag_end(p.s, p.i, p.len);
        if (verbatim_end != 0)
            p.i = verbatim_end; /* pending, written with what follows */
        else
            copy_tag_rest(&p, make_empty);
        if (!end_tag && name[0] == 's' && (strcmp(name, "script") == 0 || strcmp(name, "style") == 0))
            copy_raw_text(&p, strcmp(name, "script") == 0 ? "</script" : "</style");
    }
    flush(&p);
    return out->status;
}
