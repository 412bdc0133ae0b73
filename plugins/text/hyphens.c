/*
 * hyphens.c — is "know-/ledge" one word?
 *
 * A word split by a hyphen at a line end is joined without the hyphen only
 * when the joined word occurs, unsplit, somewhere else in the same text;
 * otherwise the hyphen is kept ("twenty-/five" -> "twenty-five"). Two passes,
 * both linear: collect the candidates in a hash set, then scan every word of
 * the text once against it.
 */
#include "text_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_JOINED 64

typedef struct candidate {
    uint64_t hash;
    uint32_t offset; /* into words */
    uint8_t len;
    uint8_t attested;
    uint8_t used;
} candidate;

/* A first filter that costs no hashing: one bit per (length, first letter,
 * last letter) of the candidates. Most words of a text miss it. */
#define SHAPE_BITS (1u << 16)

struct text_hyphens {
    uint64_t shape[SHAPE_BITS / 64];
    uint64_t *bloom;   /* one bit per hash: fewer words get here, in cache */
    size_t bloom_mask; /* bits - 1 */
    candidate *slots;
    size_t mask;       /* slots - 1; 0 when empty */
    size_t count;      /* distinct candidates */
    size_t unattested; /* of them, not yet seen whole */
    size_t min_len, max_len;
    oct_buf words;
    unsigned char byte_class[256]; /* see classify_bytes() */
};

static uint64_t hash_step(uint64_t h, unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        c = (unsigned char)(c - 'A' + 'a');
    return (h ^ c) * 0x100000001b3ULL;
}

#define HASH_INIT 0xcbf29ce484222325ULL

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static int same_word(const char *stored, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)stored[i] != lower((unsigned char)s[i]))
            return 0;
    return 1;
}

static unsigned shape_bit(size_t len, unsigned char first, unsigned char last)
{
    return (unsigned)((len & 63) << 10 | (first & 31u) << 5 | (last & 31u));
}

static size_t bloom_bit(const text_hyphens *h, uint64_t hash)
{
    return (size_t)(hash >> 17) & h->bloom_mask;
}

static candidate *find(const text_hyphens *h, uint64_t hash, const char *s, size_t len)
{
    if (!h->mask)
        return NULL;
    for (size_t i = (size_t)hash & h->mask;; i = (i + 1) & h->mask) {
        candidate *c = &h->slots[i];
        if (!c->used)
            return NULL;
        if (c->hash == hash && c->len == len && same_word(h->words.data + c->offset, s, len))
            return c;
    }
}

size_t text_trailing_word_start(const char *s, size_t len)
{
    size_t start = len;
    while (start > 0) {
        size_t k = start - 1;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80 && start - k < 4)
            k--;
        uint32_t cp;
        oct_utf8_decode(s + k, start - k, &cp);
        if (!text_is_word_cp(cp) || (cp >= '0' && cp <= '9'))
            break;
        start = k;
    }
    return start;
}

size_t text_leading_word_len(const char *s, size_t len)
{
    size_t n = 0;
    while (n < len) {
        uint32_t cp;
        const size_t k = oct_utf8_decode(s + n, len - n, &cp);
        if (!text_is_word_cp(cp) || (cp >= '0' && cp <= '9'))
            break;
        n += k;
    }
    return n;
}

/* The split halves of a line-end hyphenation between lines i and i + 1. */
static int split_word(const text_source *src, size_t i, const char **left, size_t *llen,
                      const char **right, size_t *rlen)
{
    const text_line *a = &src->lines[i];
    const char *s = text_line_str(src, i);
    if (a->len < 2 || s[a->len - 1] != '-' || s[a->len - 2] == '-')
        return 0;
    const size_t start = text_trailing_word_start(s, a->len - 1);
    if (start == a->len - 1)
        return 0;
    const char *t = text_line_str(src, i + 1);
    const size_t tl = src->lines[i + 1].len;
    if (!text_is_lower_start(t, tl))
        return 0;
    *left = s + start;
    *llen = a->len - 1 - start;
    *right = t;
    *rlen = text_leading_word_len(t, tl);
    return *rlen > 0 && *llen + *rlen <= MAX_JOINED;
}

static int insert(text_hyphens *h, const char *l, size_t ll, const char *r, size_t rl)
{
    uint64_t hash = HASH_INIT;
    for (size_t i = 0; i < ll; i++)
        hash = hash_step(hash, (unsigned char)l[i]);
    for (size_t i = 0; i < rl; i++)
        hash = hash_step(hash, (unsigned char)r[i]);
    char joined[MAX_JOINED];
    memcpy(joined, l, ll);
    memcpy(joined + ll, r, rl);
    if (find(h, hash, joined, ll + rl))
        return 1;
    size_t i = (size_t)hash & h->mask;
    while (h->slots[i].used)
        i = (i + 1) & h->mask;
    const size_t bit = bloom_bit(h, hash);
    h->bloom[bit >> 6] |= 1ULL << (bit & 63);
    const unsigned sb = shape_bit(ll + rl, lower((unsigned char)joined[0]),
                                  lower((unsigned char)joined[ll + rl - 1]));
    h->shape[sb >> 6] |= 1ULL << (sb & 63);
    candidate *c = &h->slots[i];
    c->used = 1;
    c->hash = hash;
    c->len = (uint8_t)(ll + rl);
    c->offset = (uint32_t)h->words.len;
    for (size_t k = 0; k < ll + rl; k++)
        oct_buf_putc(&h->words, lower((unsigned char)joined[k]));
    h->count++;
    h->unattested++;
    if (ll + rl < h->min_len)
        h->min_len = ll + rl;
    if (ll + rl > h->max_len)
        h->max_len = ll + rl;
    return h->words.status == OCT_OK;
}

static int bloom_has(const text_hyphens *h, uint64_t hash)
{
    const size_t bit = bloom_bit(h, hash);
    return (h->bloom[bit >> 6] >> (bit & 63)) & 1;
}

/* 1 for ASCII letters, 2 for bytes of UTF-8 sequences, 0 otherwise: a
 * table, since attest() asks it of every byte of the text. */
static void classify_bytes(unsigned char cls[256])
{
    for (unsigned c = 0; c < 256; c++)
        cls[c] = (unsigned char)((unsigned)((c | 32) - 'a') < 26u ? 1 : c >= 0x80 ? 2 : 0);
}

/* Marks every candidate that occurs as a whole word anywhere in the text. */
static void attest(text_hyphens *h, const char *text, size_t len)
{
    const unsigned char *u = (const unsigned char *)text;
    const unsigned char *byte_class = h->byte_class;
    size_t i = 0;
    while (i < len) {
        /* skip to the next word */
        while (i < len && byte_class[u[i]] == 0)
            i++;
        if (i >= len)
            break;
        const size_t start = i;
        while (i < len) {
            const unsigned char cls = byte_class[u[i]];
            if (cls == 1) {
                i++;
                continue;
            }
            if (cls == 0)
                break;
            uint32_t cp;
            const size_t n = oct_utf8_decode(text + i, len - i, &cp);
            if (!text_is_word_cp(cp))
                break;
            i += n;
        }
        if (i == start) {
            /* a non-word character above ASCII: step over it */
            uint32_t cp;
            i += oct_utf8_decode(text + i, len - i, &cp);
            continue;
        }
        /* only words of a candidate's length and ends are worth hashing */
        if (i - start < h->min_len || i - start > h->max_len)
            continue;
        const unsigned sb = shape_bit(i - start, lower(u[start]), lower(u[i - 1]));
        if (!((h->shape[sb >> 6] >> (sb & 63)) & 1))
            continue;
        uint64_t hash = HASH_INIT;
        for (size_t k = start; k < i; k++)
            hash = hash_step(hash, u[k]);
        const size_t wl = i - start;
        if (bloom_has(h, hash)) {
            candidate *cand = find(h, hash, text + start, wl);
            if (cand && !cand->attested) {
                cand->attested = 1;
                /* every candidate found: the rest of the text can tell nothing new */
                if (--h->unattested == 0)
                    return;
            }
        }
    }
}

text_hyphens *text_hyphens_new(const text_source *src)
{
    text_hyphens *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    oct_buf_init(&h->words, 0);
    h->min_len = SIZE_MAX;
    size_t splits = 0;
    const char *l, *r;
    size_t ll, rl;
    for (size_t i = 0; i + 1 < src->n_lines; i++)
        if (!text_line_gone(src, i) && !text_gap_before(src, i + 1) &&
            split_word(src, i, &l, &ll, &r, &rl))
            splits++;
    if (splits == 0)
        return h;
    size_t slots = 16;
    while (slots < splits * 2)
        slots *= 2;
    h->slots = calloc(slots, sizeof *h->slots);
    /* sixteen bits per candidate keeps false hits rare */
    size_t bits = 1024;
    while (bits < splits * 16)
        bits *= 2;
    h->bloom = calloc(bits / 64, sizeof *h->bloom);
    h->bloom_mask = bits - 1;
    if (!h->slots || !h->bloom) {
        text_hyphens_free(h);
        return NULL;
    }
    h->mask = slots - 1;
    classify_bytes(h->byte_class);
    for (size_t i = 0; i + 1 < src->n_lines; i++)
        if (!text_line_gone(src, i) && !text_gap_before(src, i + 1) &&
            split_word(src, i, &l, &ll, &r, &rl) && !insert(h, l, ll, r, rl)) {
            text_hyphens_free(h);
            return NULL;
        }
    attest(h, src->text, src->len);
    return h;
}

void text_hyphens_free(text_hyphens *h)
{
    if (!h)
        return;
    free(h->slots);
    free(h->bloom);
    oct_buf_free(&h->words);
    free(h);
}

int text_hyphens_attested(const text_hyphens *h, const char *left, size_t llen, const char *right,
                          size_t rlen)
{
    if (!h || !h->mask || llen + rlen > MAX_JOINED)
        return 0;
    uint64_t hash = HASH_INIT;
    char joined[MAX_JOINED];
    memcpy(joined, left, llen);
    memcpy(joined + llen, right, rlen);
    for (size_t i = 0; i < llen + rlen; i++)
        hash = hash_step(hash, (unsigned char)joined[i]);
    const candidate *c = find(h, hash, joined, llen + rlen);
    return c && c->attested;
}
