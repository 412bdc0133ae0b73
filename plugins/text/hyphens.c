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
#include "byteblocks.h"

#include <stdlib.h>
#include <string.h>

#define MAX_JOINED 64
#define PREFETCH_AHEAD 8 /* lines ending in '-' */

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

#define HASH_PRIME 0x100000001b3ULL

static uint64_t hash_step(uint64_t h, unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        c = (unsigned char)(c - 'A' + 'a');
    return (h ^ c) * HASH_PRIME;
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

static int is_ascii_letter(unsigned char c)
{
    return (unsigned)((c | 32) - 'a') < 26u;
}

size_t text_trailing_word_start(const char *s, size_t len)
{
    size_t start = len;
    while (start > 0) {
        const unsigned char c = (unsigned char)s[start - 1];
        if (c < 0x80) { /* digits end a word here, as does anything else */
            if (!is_ascii_letter(c))
                break;
            start--;
            continue;
        }
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
        const unsigned char c = (unsigned char)s[n];
        if (c < 0x80) {
            if (!is_ascii_letter(c))
                break;
            n++;
            continue;
        }
        uint32_t cp;
        const size_t k = oct_utf8_decode(s + n, len - n, &cp);
        if (!text_is_word_cp(cp) || (cp >= '0' && cp <= '9'))
            break;
        n += k;
    }
    return n;
}

/* Where the word fragment before the final '-' of line i starts, or
 * SIZE_MAX when the line does not end in one ("--", "x -", "1-"). */
static size_t split_left_start(const text_source *src, size_t i)
{
    const text_line *a = &src->lines[i];
    if (!(a->flags & LINE_HYPHEN_END)) /* without reading the text */
        return SIZE_MAX;
    const char *s = text_line_str(src, i);
    if (a->len < 2 || s[a->len - 1] != '-' || s[a->len - 2] == '-')
        return SIZE_MAX;
    const size_t start = text_trailing_word_start(s, a->len - 1);
    return start == a->len - 1 ? SIZE_MAX : start;
}

/* The split halves of a line-end hyphenation between lines i and i + 1,
 * the left one starting at start (split_left_start()). */
static int split_word(const text_source *src, size_t i, size_t start, const char **left,
                      size_t *llen, const char **right, size_t *rlen)
{
    const text_line *a = &src->lines[i];
    const char *t = text_line_str(src, i + 1);
    const size_t tl = src->lines[i + 1].len;
    if (!text_is_lower_start(t, tl))
        return 0;
    *left = text_line_str(src, i) + start;
    *llen = a->len - 1 - start;
    *right = t;
    *rlen = text_leading_word_len(t, tl);
    return *rlen > 0 && *llen + *rlen <= MAX_JOINED;
}

/* Adds the candidate left+right (once) and sets *slot to where it is. */
static int insert(text_hyphens *h, const char *l, size_t ll, const char *r, size_t rl,
                  size_t *slot)
{
    uint64_t hash = HASH_INIT;
    for (size_t i = 0; i < ll; i++)
        hash = hash_step(hash, (unsigned char)l[i]);
    for (size_t i = 0; i < rl; i++)
        hash = hash_step(hash, (unsigned char)r[i]);
    char joined[MAX_JOINED];
    memcpy(joined, l, ll);
    memcpy(joined + ll, r, rl);
    const candidate *seen = find(h, hash, joined, ll + rl);
    if (seen) {
        *slot = (size_t)(seen - h->slots);
        return 1;
    }
    size_t i = (size_t)hash & h->mask;
    while (h->slots[i].used)
        i = (i + 1) & h->mask;
    *slot = i;
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

/* The filters again, from the candidates not yet attested only: in a long
 * text most candidates are found early, and the words that match only
 * those would otherwise go on costing a hash and a probe each. */
static void rebuild_filters(text_hyphens *h)
{
    memset(h->shape, 0, sizeof h->shape);
    memset(h->bloom, 0, (h->bloom_mask + 1) / 8);
    h->min_len = SIZE_MAX;
    h->max_len = 0;
    for (size_t i = 0; i <= h->mask; i++) {
        const candidate *c = &h->slots[i];
        if (!c->used || c->attested)
            continue;
        const size_t bit = bloom_bit(h, c->hash);
        h->bloom[bit >> 6] |= 1ULL << (bit & 63);
        const char *w = h->words.data + c->offset;
        const unsigned sb = shape_bit(c->len, (unsigned char)w[0], (unsigned char)w[c->len - 1]);
        h->shape[sb >> 6] |= 1ULL << (sb & 63);
        if (c->len < h->min_len)
            h->min_len = c->len;
        if (c->len > h->max_len)
            h->max_len = c->len;
    }
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

#if defined(__GNUC__)
#define WORD_BITS_FAST 1 /* 64-bit masks and __builtin_ctzll */
#endif

/* The end of the run of ASCII letters at u + i: a block at a time, as
 * attest() walks every word of the text. */
static size_t ascii_letters_end(const unsigned char *u, size_t i, size_t len)
{
    for (; i + OCT_BLOCK <= len; i += OCT_BLOCK) {
        const unsigned others = ~oct_block_letters(oct_block_load((const char *)u + i)) & 0xFFFFu;
        if (others)
            return i + oct_mask_first(others);
    }
    while (i < len && (unsigned)((u[i] | 32) - 'a') < 26u)
        i++;
    return i;
}

/* The end of the word that goes on at i: letters and, above ASCII, word
 * characters. */
static size_t word_end(const text_hyphens *h, const unsigned char *u, size_t i, size_t len)
{
    while (i < len) {
        i = ascii_letters_end(u, i, len);
        if (i >= len || h->byte_class[u[i]] == 0)
            break;
        uint32_t cp;
        const size_t n = oct_utf8_decode((const char *)u + i, len - i, &cp);
        if (!text_is_word_cp(cp))
            break;
        i += n;
    }
    return i;
}

/* Only words of a candidate's length and ends are worth hashing: asked of
 * every word of the text, so kept small enough to inline. (shape_bit()
 * keeps five bits of a letter, the same for both cases: no lower() here.) */
static inline int may_be_candidate(const text_hyphens *h, const unsigned char *u, size_t start,
                                   size_t end)
{
    const size_t wl = end - start;
    if (wl < h->min_len || wl > h->max_len)
        return 0;
    const unsigned sb = shape_bit(wl, u[start], u[end - 1]);
    return (h->shape[sb >> 6] >> (sb & 63)) & 1;
}

/* Looks up the word [start, end) that passed may_be_candidate(); 1 when no
 * candidate is left unattested. filtered: how many candidates the filters
 * were last built from. */
static int attest_word(text_hyphens *h, const unsigned char *u, size_t start, size_t end,
                       int letters_only, size_t *filtered)
{
    const size_t wl = end - start;
    uint64_t hash = HASH_INIT;
    if (letters_only) /* hash_step() without its test: a letter's lower case is c | 32 */
        for (size_t k = start; k < end; k++)
            hash = (hash ^ (unsigned char)(u[k] | 32)) * HASH_PRIME;
    else
        for (size_t k = start; k < end; k++)
            hash = hash_step(hash, u[k]);
    if (!bloom_has(h, hash))
        return 0;
    candidate *cand = find(h, hash, (const char *)u + start, wl);
    if (!cand || cand->attested)
        return 0;
    cand->attested = 1;
    /* every candidate found: the rest of the text can tell nothing new */
    if (--h->unattested == 0)
        return 1;
    if (h->unattested * 2 <= *filtered && *filtered >= 64) {
        rebuild_filters(h);
        *filtered = h->unattested;
    }
    return 0;
}

/* The bits of letters that begin a run of at least n of them: words too
 * short to be a candidate are not even looked at. The bits past the top
 * count as letters, so a word that runs on into the next block is kept. */
#ifdef WORD_BITS_FAST
static uint64_t runs_of(uint64_t letters, size_t n)
{
    if (n > 64)
        n = 64;
    uint64_t run = letters;
    for (size_t have = 1; have < n;) {
        const size_t step = have < n - have ? have : n - have;
        run &= (run >> step) | (~(uint64_t)0 << (64 - step));
        have += step;
    }
    return run;
}
#endif

/* Marks every candidate that occurs as a whole word anywhere in the text.
 * Plain ASCII goes 64 bytes at a time: a bit per letter, and the words are
 * where the bits change; anything else goes a word at a time. i is never
 * inside a word at the top of the loop. */
static void attest(text_hyphens *h, const char *text, size_t len)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t filtered = h->unattested;
    size_t i = 0;
    while (i < len) {
#ifdef WORD_BITS_FAST
        if (i + 64 <= len) {
            uint64_t letters = 0;
            unsigned high = 0;
            for (unsigned k = 0; k < 64 / OCT_BLOCK; k++) {
                const oct_block b = oct_block_load(text + i + OCT_BLOCK * k);
                high |= oct_block_high(b);
                letters |= (uint64_t)oct_block_letters(b) << (OCT_BLOCK * k);
            }
            if (!high) {
                uint64_t starts = letters & ~(letters << 1) & runs_of(letters, h->min_len);
                const uint64_t ends = ~letters & (letters << 1);
                size_t next = i + 64;
                while (starts) {
                    const unsigned s = (unsigned)__builtin_ctzll(starts);
                    starts &= starts - 1;
                    const uint64_t after = ends & (~(uint64_t)0 << s);
                    if (after) {
                        const size_t e = i + (size_t)__builtin_ctzll(after);
                        if (may_be_candidate(h, u, i + s, e) &&
                            attest_word(h, u, i + s, e, 1, &filtered))
                            return;
                        continue;
                    }
                    /* the last word runs on past the block */
                    next = word_end(h, u, i + 64, len);
                    if (may_be_candidate(h, u, i + s, next) &&
                        attest_word(h, u, i + s, next, 0, &filtered))
                        return;
                    break;
                }
                i = next;
                continue;
            }
        }
#endif
        /* skip to the next word */
        while (i < len && h->byte_class[u[i]] == 0)
            i++;
        if (i >= len)
            break;
        const size_t start = i;
        i = word_end(h, u, i, len);
        if (i == start) {
            /* a non-word character above ASCII: step over it */
            uint32_t cp;
            i += oct_utf8_decode(text + i, len - i, &cp);
            continue;
        }
        if (may_be_candidate(h, u, start, i) && attest_word(h, u, start, i, 0, &filtered))
            return;
    }
}

/* A split seen while collecting: its line and its candidate's slot. */
typedef struct split_at {
    size_t line, slot;
} split_at;

text_hyphens *text_hyphens_new(text_source *src)
{
    text_hyphens *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    oct_buf_init(&h->words, 0);
    h->min_len = SIZE_MAX;
    /* lines ending in '-' bound the splits: the table is sized from them and
     * filled in one pass */
    size_t hyphen_ends = 0;
    for (size_t i = 0; i + 1 < src->n_lines; i++)
        hyphen_ends += (src->lines[i].flags & LINE_HYPHEN_END) != 0;
    if (hyphen_ends == 0)
        return h;
    size_t slots = 16;
    while (slots < hyphen_ends * 2)
        slots *= 2;
    h->slots = calloc(slots, sizeof *h->slots);
    /* sixteen bits per candidate keeps false hits rare */
    size_t bits = 1024;
    while (bits < hyphen_ends * 16)
        bits *= 2;
    h->bloom = calloc(bits / 64, sizeof *h->bloom);
    h->bloom_mask = bits - 1;
    split_at *splits = malloc(hyphen_ends * sizeof *splits);
    if (!h->slots || !h->bloom || !splits)
        goto fail;
    h->mask = slots - 1;
    classify_bytes(h->byte_class);
    /* the lines ending in '-' first, so that their text, far apart in a
     * long book and long out of the cache, can be asked for ahead of use */
    size_t n_ends = 0;
    for (size_t i = 0; i + 1 < src->n_lines; i++)
        if (src->lines[i].flags & LINE_HYPHEN_END)
            splits[n_ends++].line = i;
    size_t n_splits = 0;
    for (size_t k = 0; k < n_ends; k++) {
#if defined(__GNUC__)
        if (k + PREFETCH_AHEAD < n_ends) {
            const size_t ahead = splits[k + PREFETCH_AHEAD].line;
            __builtin_prefetch(text_line_str(src, ahead) + src->lines[ahead].len - 1);
            __builtin_prefetch(text_line_str(src, ahead + 1));
        }
#endif
        const size_t i = splits[k].line;
        const size_t start = split_left_start(src, i);
        if (start == SIZE_MAX)
            continue;
        src->lines[i].flags |= LINE_SPLIT_WORD;
        const char *l, *r;
        size_t ll, rl;
        if (text_line_gone(src, i) || text_gap_before(src, i + 1) ||
            !split_word(src, i, start, &l, &ll, &r, &rl))
            continue;
        splits[n_splits].line = i;
        if (!insert(h, l, ll, r, rl, &splits[n_splits].slot))
            goto fail;
        n_splits++;
    }
    if (h->count > 0)
        attest(h, src->text, src->len);
    /* the joins read the verdict from the line, without looking it up */
    for (size_t k = 0; k < n_splits; k++)
        if (h->slots[splits[k].slot].attested)
            src->lines[splits[k].line].flags |= LINE_SPLIT_ATTESTED;
    free(splits);
    return h;

fail:
    free(splits);
    text_hyphens_free(h);
    return NULL;
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
