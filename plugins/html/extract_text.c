/*
 * extract_text.c — text measures with the semantics Readability gets from
 * JavaScript: lengths in UTF-16 units, String.trim() and \s for whitespace,
 * \W+ for the tokens of title similarity.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bytewords.h"
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

/* The high bit of each of eight bytes that JavaScript's \s takes for a
 * space among ASCII: ' ' and tab to CR. */
static inline uint64_t space_bytes(uint64_t v)
{
    return oct_word_eq(v, ' ') | (oct_word_below(v, 0x0E) & ~oct_word_below(v, 0x09));
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

void ex_text_measure(const char *text, size_t len, ex_stats *st)
{
    const unsigned char *s = (const unsigned char *)text;
    ex_shape sh = {0, 0, 0, 0, 0};
    uint32_t raw = 0, commas = 0, ascii_commas = 0;
    int in_ws = 0;
    size_t i = 0;
    while (i < len) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* Eight ASCII bytes at a time: the spaces, the runs they start and
         * the commas counted from masks rather than byte by byte (byte k of
         * the text is byte k of v from the low end). */
        while (len - i >= 8) {
            const uint64_t v = oct_word_load(s + i);
            if (oct_word_high(v))
                break;
            const uint64_t ws = space_bytes(v);
            const uint64_t run_starts = ws & ~((ws << 8) | (in_ws ? 0x80u : 0u));
            const uint32_t n_ws = oct_word_count(ws);
            const uint32_t n_commas = oct_word_count(oct_word_eq(v, ','));
            if (!sh.any && (ws & 0x80u))
                sh.lead_ws = 1;
            sh.runs += oct_word_count(run_starts);
            sh.nonws += 8 - n_ws;
            commas += n_commas;
            ascii_commas += n_commas;
            raw += 8;
            in_ws = (int)(ws >> 63);
            sh.any = 1;
            i += 8;
        }
        if (i == len)
            break;
#endif
        const unsigned char c = s[i];
        if (c < 0x80) {
            /* ASCII, most of any text: \s is tab to CR and space */
            i++;
            raw++;
            if (c == ' ' || (c >= 0x09 && c <= 0x0D)) {
                shape_space(&sh, &in_ws);
            } else {
                sh.nonws++;
                in_ws = 0;
                if (c == ',') {
                    commas++;
                    ascii_commas++;
                }
            }
            sh.any = 1;
            continue;
        }
        uint32_t cp;
        i += ex_utf8_next(s + i, len - i, &cp);
        uint32_t units = cp > 0xFFFF ? 2 : 1;
        raw += units;
        if (ex_is_js_space(cp)) {
            shape_space(&sh, &in_ws);
        } else {
            sh.nonws += units;
            in_ws = 0;
            if (is_comma(cp)) {
                commas++;
                ascii_commas += cp == ',';
            }
        }
        sh.any = 1;
    }
    sh.trail_ws = (uint8_t)in_ws;
    st->shape = sh;
    st->raw_len = raw;
    st->commas = commas;
    st->ascii_commas = ascii_commas;
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
