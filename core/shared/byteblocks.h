/*
 * byteblocks.h — hot loops that look at sixteen bytes at a time: the text
 * reader's, and the DOCX and EPUB writers' text scans; header-only.
 *
 * A block is loaded once and asked questions whose answers are bit masks:
 * bit k stands for byte k of the block. SSE2 does it in a few instructions on
 * every x86-64; elsewhere plain loops give the same masks.
 */
#ifndef OCTAVO_BYTEBLOCKS_H
#define OCTAVO_BYTEBLOCKS_H

#include <stddef.h>

#define OCT_BLOCK 16

#if defined(__SSE2__)
#include <emmintrin.h>

typedef __m128i oct_block;

static inline oct_block oct_block_load(const char *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* Bytes equal to c. */
static inline unsigned oct_block_eq(oct_block b, char c)
{
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, _mm_set1_epi8(c)));
}

/* Bytes of 0x80 and above: the bytes of UTF-8 sequences. */
static inline unsigned oct_block_high(oct_block b)
{
    return (unsigned)_mm_movemask_epi8(b);
}

/* Bytes below c (c at most 0x80), the high bytes included. */
static inline unsigned oct_block_below(oct_block b, char c)
{
    return (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(b, _mm_set1_epi8(c)));
}

/* Bytes of 0x80 and above, and bytes equal to c: the rare bytes of a line
 * found with one test. */
static inline unsigned oct_block_high_or_eq(oct_block b, char c)
{
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(b, _mm_cmpeq_epi8(b, _mm_set1_epi8(c))));
}

/* Bytes other than printable ASCII and LF: controls, DEL, UTF-8 sequences. */
static inline unsigned oct_block_not_plain(oct_block b)
{
    /* one added: ' '..'~' become 0x21..0x7F, every other byte (DEL wraps
     * to -128, the high bytes stay negative) falls below 0x21, signed */
    const __m128i odd =
        _mm_cmplt_epi8(_mm_add_epi8(b, _mm_set1_epi8(1)), _mm_set1_epi8(0x21));
    const __m128i lf = _mm_cmpeq_epi8(b, _mm_set1_epi8('\n'));
    return (unsigned)_mm_movemask_epi8(_mm_andnot_si128(lf, odd));
}

/* ASCII letters, either case. */
static inline unsigned oct_block_letters(oct_block b)
{
    /* folded to lower case, then 'a'..'z' moved to 0..25, an unsigned range */
    const __m128i x = _mm_sub_epi8(_mm_or_si128(b, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(25)), x));
}

/* ASCII digits. */
static inline unsigned oct_block_digits(oct_block b)
{
    /* '0'..'9' moved to 0..9, an unsigned range */
    const __m128i x = _mm_sub_epi8(b, _mm_set1_epi8('0'));
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(9)), x));
}

#else

typedef struct oct_block {
    unsigned char b[OCT_BLOCK];
} oct_block;

static inline oct_block oct_block_load(const char *p)
{
    oct_block b;
    for (size_t k = 0; k < OCT_BLOCK; k++)
        b.b[k] = (unsigned char)p[k];
    return b;
}

static inline unsigned oct_block_eq(oct_block b, char c)
{
    unsigned m = 0;
    for (unsigned k = 0; k < OCT_BLOCK; k++)
        m |= (unsigned)(b.b[k] == (unsigned char)c) << k;
    return m;
}

static inline unsigned oct_block_high(oct_block b)
{
    unsigned m = 0;
    for (unsigned k = 0; k < OCT_BLOCK; k++)
        m |= (unsigned)(b.b[k] >= 0x80) << k;
    return m;
}

static inline unsigned oct_block_below(oct_block b, char c)
{
    unsigned m = 0;
    for (unsigned k = 0; k < OCT_BLOCK; k++)
        m |= (unsigned)(b.b[k] < (unsigned char)c || b.b[k] >= 0x80) << k;
    return m;
}

static inline unsigned oct_block_high_or_eq(oct_block b, char c)
{
    return oct_block_high(b) | oct_block_eq(b, c);
}

static inline unsigned oct_block_not_plain(oct_block b)
{
    unsigned m = 0;
    for (unsigned k = 0; k < OCT_BLOCK; k++)
        m |= (unsigned)((b.b[k] < 0x20 && b.b[k] != '\n') || b.b[k] >= 0x7F) << k;
    return m;
}

static inline unsigned oct_block_letters(oct_block b)
{
    unsigned m = 0;
    for (unsigned k = 0; k < OCT_BLOCK; k++)
        m |= (unsigned)((unsigned)((b.b[k] | 0x20) - 'a') < 26u) << k;
    return m;
}

static inline unsigned oct_block_digits(oct_block b)
{
    unsigned m = 0;
    for (unsigned k = 0; k < OCT_BLOCK; k++)
        m |= (unsigned)(b.b[k] >= '0' && b.b[k] <= '9') << k;
    return m;
}

#endif

/* Index of the lowest set bit of a non-zero mask. */
static inline unsigned oct_mask_first(unsigned m)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctz(m);
#else
    unsigned k = 0;
    while (!(m & 1u)) {
        m >>= 1;
        k++;
    }
    return k;
#endif
}

/* Number of set bits of a mask. */
static inline unsigned oct_mask_count(unsigned m)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_popcount(m);
#else
    unsigned n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
#endif
}

#endif
