/*
 * extract_text.c — text measures with the semantics Readability gets from
 * JavaScript: lengths in UTF-16 units, String.trim() and \s for whitespace,
 * \W+ for the tokens of title similarity.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "extract_internal.h"

/* One code point from s; malformed bytes decode as themselves, one at a time. */
size_t ex_utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned c = s[0];
    size_t need;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        need = 1;
        v = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        need = 2;
        v = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        need = 3;
        v = c & 0x07;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (need >= len) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    *cp = v;
    return need + 1;
}

int ex_is_js_space(uint32_t cp)
{
    switch (cp) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20: case 0xA0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
    case 0xFEFF:
        return 1;
    default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
}

static int is_comma(uint32_t cp)
{
    switch (cp) {
    case 0x002C: case 0x060C: case 0xFE50: case 0xFE10: case 0xFE11: case 0x2E41:
    case 0x2E34: case 0x2E32: case 0xFF0C:
        return 1;
    default:
        return 0;
    }
}

/* ------------------------------------------------------ measuring */

#define BLOCK 16

/* Bit k of each mask stands for byte k of a block of text. */
typedef struct block_masks {
    unsigned high;  /* 0x80 and up: a byte of a UTF-8 sequence */
    unsigned space; /* JavaScript's \s among ASCII: ' ' and tab to CR */
    unsigned comma; /* ',' */
} block_masks;

/* The masks of the n bytes at s (n <= BLOCK); the short last block of a
 * text is read zero-padded, and a zero byte is in no mask. SSE2 (every
 * x86-64) asks each question of sixteen bytes at once. */
static inline block_masks block_scan(const unsigned char *s, size_t n)
{
    block_masks m;
#if defined(__SSE2__)
    __m128i b;
    if (n >= BLOCK) {
        b = _mm_loadu_si128((const __m128i *)(const void *)s);
    } else {
        /* two loads that overlap, each within the text, rather than a
         * copy: most texts are this short */
        uint64_t lo = 0, hi = 0;
        if (n >= 8) {
            memcpy(&lo, s, 8);
            if (n > 8) {
                memcpy(&hi, s + n - 8, 8);
                hi >>= 8 * (BLOCK - n);
            }
        } else if (n >= 4) {
            uint32_t first, last;
            memcpy(&first, s, 4);
            memcpy(&last, s + n - 4, 4);
            lo = first | (uint64_t)last << (8 * (n - 4));
        } else if (n > 0) {
            lo = (uint64_t)s[0] | (uint64_t)s[n / 2] << (8 * (n / 2)) |
                 (uint64_t)s[n - 1] << (8 * (n - 1));
        }
        b = _mm_set_epi64x((long long)hi, (long long)lo);
    }
    /* signed compares: the high bytes are negative, so never spaces */
    const __m128i control = _mm_and_si128(_mm_cmpgt_epi8(b, _mm_set1_epi8(0x08)),
                                          _mm_cmplt_epi8(b, _mm_set1_epi8(0x0E)));
    const __m128i space = _mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8(' ')), control);
    m.high = (unsigned)_mm_movemask_epi8(b);
    m.space = (unsigned)_mm_movemask_epi8(space);
    m.comma = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, _mm_set1_epi8(',')));
#else
    m.high = m.space = m.comma = 0;
    for (size_t k = 0; k < n && k < BLOCK; k++) {
        const unsigned char c = s[k];
        m.high |= (unsigned)(c >= 0x80) << k;
        m.space |= (unsigned)(c == ' ' || (c >= 0x09 && c <= 0x0D)) << k;
        m.comma |= (unsigned)(c == ',') << k;
    }
#endif
    return m;
}

/* The masks of the bytes of a text from i, up to BLOCK of them. A text of
 * BLOCK bytes or more ends with a block that overlaps the one before: its
 * bytes already counted are shifted out, so that only short texts are read
 * zero-padded. */
static inline block_masks masks_at(const unsigned char *s, size_t len, size_t i)
{
    const size_t left = len - i;
    if (left >= BLOCK)
        return block_scan(s + i, BLOCK);
    if (len < BLOCK)
        return block_scan(s + i, left);
    block_masks m = block_scan(s + len - BLOCK, BLOCK);
    const unsigned counted = (unsigned)(BLOCK - left);
    m.high >>= counted;
    m.space >>= counted;
    m.comma >>= counted;
    return m;
}

#define BITS2(n) n, n + 1, n + 1, n + 2
#define BITS4(n) BITS2(n), BITS2(n + 1), BITS2(n + 1), BITS2(n + 2)
#define BITS6(n) BITS4(n), BITS4(n + 1), BITS4(n + 1), BITS4(n + 2)
static const unsigned char bits_in_byte[256] = {BITS6(0), BITS6(1), BITS6(1), BITS6(2)};

static inline unsigned count_bits16(unsigned mask)
{
    return (unsigned)bits_in_byte[mask & 0xFF] + bits_in_byte[(mask >> 8) & 0xFF];
}

/* A white-space character: leading if nothing came before, and the start
 * of a run unless one is open. */
static inline void shape_space(ex_shape *sh, int *in_ws)
{
    if (!sh->any)
        sh->lead_ws = 1;
    if (!*in_ws)
        sh->runs++;
    *in_ws = 1;
}

/* Most texts are short (a word, the line break between two tags) and
 * ASCII: their bytes are counted sixteen at a time from masks. A byte
 * from 0x80 up ends the ASCII bytes before it; the code points from there
 * are decoded one by one up to the next ASCII byte. */
void ex_text_measure(const char *text, size_t len, ex_text_figures *out)
{
    const unsigned char *s = (const unsigned char *)text;
    ex_shape sh = {0, 0, 0, 0, 0};
    uint32_t raw = 0, ascii_commas = 0, other_commas = 0;
    unsigned in_ws = 0;
    size_t i = 0;
    while (i < len) {
        size_t n = len - i < BLOCK ? len - i : BLOCK;
        const block_masks m = masks_at(s, len, i);
        if (m.high != 0)
            n = (size_t)__builtin_ctz(m.high);
        if (n > 0) {
            const unsigned valid = (1u << n) - 1;
            const unsigned space = m.space & valid;
            if (!sh.any)
                sh.lead_ws = (uint8_t)(space & 1);
            /* blocks of words only, or of white space only (indentation
             * between tags), need no counting */
            if (space == 0) {
                sh.nonws += (uint32_t)n;
            } else if (space == valid) {
                sh.runs += !in_ws;
            } else {
                sh.runs += count_bits16(space & ~((space << 1) | in_ws));
                sh.nonws += (uint32_t)n - count_bits16(space);
            }
            if (m.comma & valid) /* most blocks have none */
                ascii_commas += count_bits16(m.comma & valid);
            raw += (uint32_t)n;
            in_ws = (space >> (n - 1)) & 1;
            sh.any = 1;
            i += n;
        }
        if (m.high == 0)
            continue;
        int ws = (int)in_ws;
        do {
            uint32_t cp;
            i += ex_utf8_next(s + i, len - i, &cp);
            const uint32_t units = cp > 0xFFFF ? 2 : 1;
            raw += units;
            if (ex_is_js_space(cp)) {
                shape_space(&sh, &ws);
            } else {
                sh.nonws += units;
                ws = 0;
                other_commas += (uint32_t)is_comma(cp); /* never ',' */
            }
            sh.any = 1;
        } while (i < len && s[i] >= 0x80);
        in_ws = (unsigned)ws;
    }
    sh.trail_ws = (uint8_t)in_ws;
    out->shape = sh;
    out->raw_len = raw;
    out->commas = ascii_commas + other_commas;
    out->ascii_commas = ascii_commas;
}

/* ------------------------------------------------------ title similarity */

typedef struct token_list {
    const char *start[256];
    size_t len[256];
    size_t n;
} token_list;

static int is_word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* JS \W+ splitting: only ASCII letters, digits and '_' make words. */
static void tokenize(const char *s, token_list *out)
{
    out->n = 0;
    size_t i = 0;
    while (s[i] != '\0' && out->n < 256) {
        while (s[i] != '\0' && !is_word_byte((unsigned char)s[i]))
            i++;
        size_t start = i;
        while (s[i] != '\0' && is_word_byte((unsigned char)s[i]))
            i++;
        if (i > start) {
            out->start[out->n] = s + start;
            out->len[out->n] = i - start;
            out->n++;
        }
    }
}

static int token_in(const token_list *list, const char *tok, size_t len)
{
    for (size_t i = 0; i < list->n; i++)
        if (list->len[i] == len && strncasecmp(list->start[i], tok, len) == 0)
            return 1;
    return 0;
}

/* 1 when every word of b also appears in a, 0 when none does. */
double ex_text_similarity(const char *a, const char *b)
{
    token_list *ta = malloc(sizeof *ta), *tb = malloc(sizeof *tb);
    double result = 0;
    if (ta == NULL || tb == NULL)
        goto done;
    tokenize(a, ta);
    tokenize(b, tb);
    if (ta->n == 0 || tb->n == 0)
        goto done;
    size_t all = 0, uniq = 0, n_uniq = 0;
    for (size_t i = 0; i < tb->n; i++) {
        all += tb->len[i];
        if (!token_in(ta, tb->start[i], tb->len[i])) {
            uniq += tb->len[i];
            n_uniq++;
        }
    }
    all += tb->n - 1;
    if (n_uniq > 0)
        uniq += n_uniq - 1;
    result = 1.0 - (double)uniq / (double)all;
done:
    free(ta);
    free(tb);
    return result;
}
