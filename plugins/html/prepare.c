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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/* What the pass asks of a byte, each question one bit of one lookup: it
 * asks them of nearly every byte of a tag. */
enum {
    B_SPACE = 1,                /* HTML white space */
    B_CHANGES = 2,              /* may go out otherwise: NUL, CR, '&' */
    B_ENDS_NAME = 4,            /* ends a tag name: white space, '/', '>', NUL */
    B_ENDS_ATTRIBUTE_NAME = 8,  /* white space, '/', '>', '=' */
    B_ENDS_VALUE = 16,          /* ends an unquoted value: white space, '>' */
};
#define B_WHITE (B_SPACE | B_ENDS_NAME | B_ENDS_ATTRIBUTE_NAME | B_ENDS_VALUE)
static const unsigned char byte_class[256] = {
    ['\t'] = B_WHITE,
    ['\n'] = B_WHITE,
    ['\f'] = B_WHITE,
    [' '] = B_WHITE,
    ['\r'] = B_WHITE | B_CHANGES,
    ['\0'] = B_CHANGES | B_ENDS_NAME,
    ['&'] = B_CHANGES,
    ['/'] = B_ENDS_NAME | B_ENDS_ATTRIBUTE_NAME,
    ['>'] = B_ENDS_NAME | B_ENDS_ATTRIBUTE_NAME | B_ENDS_VALUE,
    ['='] = B_ENDS_ATTRIBUTE_NAME,
};

static inline unsigned byte_is(int c, unsigned classes)
{
    return byte_class[(unsigned char)c] & classes;
}

static inline int is_space(int c) { return byte_is(c, B_SPACE) != 0; }

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

/* 0x80 in the first byte of v (loaded with oct_word_load_ordered) equal to
 * c, and perhaps in bytes after it
 * (a borrow out of that byte can mark the ones above). Half the work of
 * oct_word_eq, and exact where it is read: the scans below want only the
 * first of the bytes they look for. */
static inline uint64_t mark_first_eq(uint64_t v, unsigned char c)
{
    const uint64_t x = v ^ OCT_BYTES_EACH(c);
    return (x - OCT_BYTES_EACH(1)) & ~x & OCT_BYTES_HIGH;
}

/* The first byte of s[from..end) that is a, b, c or d, or end. Runs of
 * text and attribute values go by without a byte test: sixteen bytes at a
 * time with SSE2 (every x86-64), then eight at a time in plain C (the
 * whole way elsewhere; tests/html compares the two). */
static inline size_t find_first_of(const char *s, size_t from, size_t end, unsigned char a,
                                   unsigned char b, unsigned char c, unsigned char d)
{
    size_t i = from;
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
    const __m128i vc = _mm_set1_epi8((char)c), vd = _mm_set1_epi8((char)d);
    for (; end - i >= 16; i += 16) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        const __m128i ab = _mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb));
        const __m128i cd = _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd));
        const unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(ab, cd));
        if (m)
            return i + (unsigned)__builtin_ctz(m);
    }
#endif
    for (; end - i >= 8; i += 8) {
        const uint64_t v = oct_word_load_ordered(s + i);
        const uint64_t hits = mark_first_eq(v, a) | mark_first_eq(v, b) | mark_first_eq(v, c) |
                              mark_first_eq(v, d);
        if (hits)
            return i + oct_word_first(hits);
    }
    for (; i < end; i++) {
        const unsigned char x = (unsigned char)s[i];
        if (x == a || x == b || x == c || x == d)
            return i;
    }
    return end;
}

/* At p->i, a byte that goes out otherwise: CR or CRLF becomes LF, NUL is
 * dropped, a reference (bounded by end) is decoded or, unknown, left as
 * it is. */
static void rewrite_at(pass *p, size_t end, int in_attribute)
{
    const char c = p->s[p->i];
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

/* Copies s[i..end) with CR/CRLF -> LF and NUL dropped; decodes references
 * when decode is set. Without keep, nothing is written. */
static void copy_text(pass *p, size_t end, int decode, int in_attribute, int keep)
{
    if (!keep) {
        drop_to(p, end);
        return;
    }
    const unsigned char amp = decode ? '&' : '\0'; /* '\0': looked for anyway */
    while (p->i < end) {
        p->i = find_first_of(p->s, p->i, end, '\0', '\r', amp, '\0');
        if (p->i >= end)
            return;
        rewrite_at(p, end, in_attribute);
    }
}

/* The text from p->i up to the next '<' (left at p->i) or the end, as
 * copy_text with references decoded. One scan finds both where the text
 * ends and what in it must change. A reference cannot reach past the '<':
 * none holds one, so the end of the input bounds it as well. */
static void copy_text_to_tag(pass *p)
{
    for (;;) {
        p->i = find_first_of(p->s, p->i, p->len, '<', '&', '\r', '\0');
        if (p->i >= p->len || p->s[p->i] == '<')
            return;
        rewrite_at(p, p->len, 0);
    }
}

/* What skip_white_space saw. */
enum { SAW_LINE_BREAK = 1, SAW_CR = 2 };

/* The first byte from s[i] that is neither a space nor an LF, or len; adds
 * to *saw. Indentation is mostly those two: a block at a time, as in
 * find_first_of. */
static size_t skip_spaces_and_lfs(const char *s, size_t i, size_t len, unsigned *saw)
{
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(' '), lf = _mm_set1_epi8('\n');
    for (; len - i >= 16; i += 16) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        const unsigned lfs = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf));
        const unsigned others =
            ~(lfs | (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, space))) & 0xFFFF;
        if (others == 0) {
            *saw |= lfs ? SAW_LINE_BREAK : 0;
            continue;
        }
        const unsigned k = (unsigned)__builtin_ctz(others);
        *saw |= (lfs & ((1u << k) - 1)) ? SAW_LINE_BREAK : 0;
        return i + k;
    }
#endif
    for (; len - i >= 8; i += 8) {
        const uint64_t v = oct_word_load_ordered(s + i);
        const uint64_t lfs = oct_word_eq(v, '\n');
        const uint64_t others = ~(lfs | oct_word_eq(v, ' ')) & OCT_BYTES_HIGH;
        if (others == 0) {
            *saw |= lfs ? SAW_LINE_BREAK : 0;
            continue;
        }
        const unsigned k = oct_word_first(others);
        *saw |= (lfs & ((UINT64_C(1) << (8 * k)) - 1)) ? SAW_LINE_BREAK : 0;
        return i + k;
    }
    for (; i < len && (s[i] == ' ' || s[i] == '\n'); i++)
        *saw |= s[i] == '\n' ? SAW_LINE_BREAK : 0;
    return i;
}

/* Where the white space from s[i] ends; adds to *saw. */
static size_t skip_white_space(const char *s, size_t i, size_t len, unsigned *saw)
{
    for (;;) {
        i = skip_spaces_and_lfs(s, i, len, saw);
        if (i >= len)
            return i;
        if (s[i] == '\r')
            *saw |= SAW_LINE_BREAK | SAW_CR;
        else if (s[i] != '\t' && s[i] != '\f')
            return i;
        i++;
    }
}

/* At the start of a text, with folding on: a text that is only white space
 * and holds a line break goes out as one LF, as HTML renders it alike (at
 * two bytes or more: a lone LF is that already). Returns 1 then, with p->i
 * at the '<' or the end. Otherwise the white space the text starts with is
 * left pending (when it holds no CR, the text needs no second look). */
static int fold_blank_text(pass *p)
{
    const size_t from = p->i;
    if (!is_space(p->s[from]))
        return 0; /* most text, and a tag right after a tag */
    unsigned saw = 0;
    const size_t to = skip_white_space(p->s, from, p->len, &saw);
    if ((to == p->len || p->s[to] == '<') && (saw & SAW_LINE_BREAK) && to - from >= 2) {
        /* Indentation mostly starts with the LF it becomes: that goes out
         * with the pending text, in one append. */
        if (p->s[from] == '\n') {
            p->i = from + 1;
            flush(p);
        } else {
            flush(p);
            oct_buf_putc(p->out, '\n');
        }
        p->i = p->emitted = to;
        return 1;
    }
    if (!(saw & SAW_CR))
        p->i = to;
    return 0;
}

/* The first '<' of s[from..len) that starts needle (lowercase, from '<'
 * on) in any case, or len. */
static size_t find_ci(const char *s, size_t from, size_t len, const char *needle)
{
    const size_t n = strlen(needle);
    for (size_t i = from; n <= len && i <= len - n; i++) {
        const char *lt = memchr(s + i, '<', len - n + 1 - i);
        if (lt == NULL)
            break;
        i = (size_t)(lt - s);
        size_t k = 0;
        while (k < n && lower((unsigned char)s[i + k]) == needle[k])
            k++;
        if (k == n)
            return i;
    }
    return len;
}

/* At "<!--": the comment, up to "-->" or the end, with line ends
 * normalised and NULs dropped, nothing decoded. The dashes of "<!--" are
 * not those of its end: "<!-->" goes on. */
static void copy_comment(pass *p)
{
    const char *s = p->s + p->i;
    const size_t left = p->len - p->i;
    size_t end = p->len;
    for (size_t gt = 6; gt < left; gt++) { /* a '>' at 6 or later, after "--" */
        const char *q = memchr(s + gt, '>', left - gt);
        if (q == NULL)
            break;
        gt = (size_t)(q - s);
        if (s[gt - 1] == '-' && s[gt - 2] == '-') {
            end = p->i + gt + 1;
            break;
        }
    }
    copy_text(p, end, 0, 0, 1);
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
        while (end < p->len && !byte_is(p->s[end], B_ENDS_ATTRIBUTE_NAME))
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
            while (vend < p->len && !byte_is(p->s[vend], B_ENDS_VALUE))
                vend++;
            copy_text(p, vend, 1, 1, keep);
        }
    }
}

/* Where the rest of a tag starting at s[i] ends (just past its '>'), when
 * copy_tag_rest would copy all of it unchanged: no reference, CR or NUL
 * anywhere, at most HTML_MAX_ATTRIBUTES attributes. 0 otherwise, and for a
 * tag the text ends in. The same steps as copy_tag_rest, writing nothing;
 * a byte that changes anything ends the walk wherever it is met. */
static size_t verbatim_tag_end(const char *s, size_t i, size_t len)
{
    size_t count = 0;
    while (i < len) {
        const char c = s[i];
        if (c == '>')
            return i + 1;
        if (byte_is(c, B_CHANGES))
            return 0;
        if (byte_is(c, B_SPACE) || c == '/') {
            i++;
            continue;
        }
        if (++count > HTML_MAX_ATTRIBUTES)
            return 0;
        i++; /* a name may start with '=' */
        while (i < len && !byte_is(s[i], B_ENDS_ATTRIBUTE_NAME | B_CHANGES))
            i++;
        while (i < len && byte_is(s[i], B_SPACE | B_CHANGES) == B_SPACE)
            i++;
        if (i >= len || s[i] != '=')
            continue;
        i++;
        while (i < len && byte_is(s[i], B_SPACE | B_CHANGES) == B_SPACE)
            i++;
        if (i >= len)
            return 0;
        const char q = s[i];
        if (q == '"' || q == '\'') {
            const size_t close = find_first_of(s, i + 1, len, (unsigned char)q, '&', '\r', '\0');
            if (close >= len || s[close] != q)
                return 0;
            i = close + 1;
        } else {
            while (i < len && !byte_is(s[i], B_ENDS_VALUE | B_CHANGES))
                i++;
        }
    }
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

/* name (n bytes, any case) is word, a lowercase word of n bytes. */
static int name_is(const char *name, const char *word, size_t n)
{
    for (size_t j = 0; j < n; j++)
        if (lower((unsigned char)name[j]) != word[j])
            return 0;
    return 1;
}

/* What a tag's name means to the pass. */
typedef enum tag_kind {
    TAG_OTHER,
    /* white space kept as written while one is open */
    TAG_PRE,
    TAG_LISTING,
    TAG_TEXTAREA,
    TAG_XMP,
    TAG_PLAINTEXT, /* to the end: libxml2 never closes it */
    TAG_UNKNOWN_VOID, /* HTML5 void elements libxml2 2.9 does not know */
    TAG_SCRIPT,
    TAG_STYLE,
} tag_kind;

#define KEEPING_NAMES (TAG_PLAINTEXT - TAG_PRE + 1)

/* Asked of every tag: the length turns most names away. */
static tag_kind kind_of(const char *name, size_t n)
{
    switch (n) {
    case 3:
        return name_is(name, "pre", 3)   ? TAG_PRE
               : name_is(name, "xmp", 3) ? TAG_XMP
               : name_is(name, "wbr", 3) ? TAG_UNKNOWN_VOID
                                         : TAG_OTHER;
    case 5:
        return name_is(name, "style", 5)                                ? TAG_STYLE
               : name_is(name, "embed", 5) || name_is(name, "track", 5) ? TAG_UNKNOWN_VOID
                                                                        : TAG_OTHER;
    case 6:
        return name_is(name, "script", 6)                                 ? TAG_SCRIPT
               : name_is(name, "source", 6) || name_is(name, "keygen", 6) ? TAG_UNKNOWN_VOID
                                                                          : TAG_OTHER;
    case 7: return name_is(name, "listing", 7) ? TAG_LISTING : TAG_OTHER;
    case 8: return name_is(name, "textarea", 8) ? TAG_TEXTAREA : TAG_OTHER;
    case 9: return name_is(name, "plaintext", 9) ? TAG_PLAINTEXT : TAG_OTHER;
    default: return TAG_OTHER;
    }
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
        /* A pretty-printed page is a quarter indentation: each run between
         * tags goes to libxml2 as one line break, which every later step
         * reads as the same white space, instead of byte by byte. */
        if (!(fold && !kept_open && fold_blank_text(&p)))
            copy_text_to_tag(&p);
        if (p.i >= p.len)
            break;
        /* p.i is at '<' */
        const char *s = p.s + p.i;
        const size_t left = p.len - p.i;
        if (left >= 4 && memcmp(s, "<!--", 4) == 0) {
            copy_comment(&p);
            continue;
        }
        const int end_tag = left >= 2 && s[1] == '/';
        const size_t name_at = end_tag ? 2 : 1;
        if (name_at >= left || !is_alpha((unsigned char)s[name_at])) {
            p.i++; /* a '<' that starts no tag */
            continue;
        }
        size_t name_end = name_at + 1;
        while (name_end < left && !byte_is(s[name_end], B_ENDS_NAME))
            name_end++;
        const tag_kind kind = kind_of(s + name_at, name_end - name_at);
        if (kind >= TAG_PRE && kind <= TAG_PLAINTEXT) {
            size_t *open = &keeping[kind - TAG_PRE];
            if (!end_tag) {
                (*open)++;
                kept_open++;
            } else if (*open && kind != TAG_PLAINTEXT) {
                (*open)--;
                kept_open--;
            }
        }
        p.i += name_end; /* pending: a name holds no CR or NUL */
        const int make_empty = !end_tag && kind == TAG_UNKNOWN_VOID;
        const size_t verbatim_end = make_empty ? 0 : verbatim_tag_end(p.s, p.i, p.len);
        if (verbatim_end != 0)
            p.i = verbatim_end; /* pending, written with what follows */
        else
            copy_tag_rest(&p, make_empty);
        if (!end_tag && (kind == TAG_SCRIPT || kind == TAG_STYLE))
            copy_raw_text(&p, kind == TAG_SCRIPT ? "</script" : "</style");
    }
    flush(&p);
    return out->status;
}
