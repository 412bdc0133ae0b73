/*
 * bytewords.h — eight bytes at a time: tests on a 64-bit word of text.
 *
 * Text is mostly plain ASCII, so the scanners of liboctavo and the in-tree
 * plugins skip it a word at a time and look at single bytes only near
 * something of interest. The masks below are exact: each byte's answer is
 * its high bit (0x80) in the result, and no byte borrows from or carries
 * into its neighbour, so a mask may be counted or searched for the first
 * hit. Header only; shared in-tree, never installed (an out-of-tree plugin
 * sees only the public API).
 */
#ifndef OCTAVO_BYTEWORDS_H
#define OCTAVO_BYTEWORDS_H

#include <stdint.h>
#include <string.h>

#define OCT_BYTES_EACH(b) ((uint64_t)0x0101010101010101u * (uint8_t)(b))
#define OCT_BYTES_HIGH ((uint64_t)0x8080808080808080u)
#define OCT_BYTES_LOW7 ((uint64_t)0x7F7F7F7F7F7F7F7Fu)

/* Eight bytes of s, in memory order from the low end on little-endian. */
static inline uint64_t oct_word_load(const void *s)
{
    uint64_t v;
    memcpy(&v, s, sizeof v);
    return v;
}

/* Eight bytes of s with the first in the low byte whatever the machine's
 * byte order, so that oct_word_first finds the first byte a mask marks. */
static inline uint64_t oct_word_load_ordered(const void *s)
{
    uint64_t v = oct_word_load(s);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

/* The index (0-7) of the first byte a mask (not 0) of a word loaded with
 * oct_word_load_ordered marks. */
static inline unsigned oct_word_first(uint64_t mask)
{
    return (unsigned)__builtin_ctzll(mask) / 8;
}

/* 0x80 in every byte of v equal to c. */
static inline uint64_t oct_word_eq(uint64_t v, unsigned char c)
{
    const uint64_t x = v ^ OCT_BYTES_EACH(c);
    return ~(((x & OCT_BYTES_LOW7) + OCT_BYTES_LOW7) | x | OCT_BYTES_LOW7);
}

/* 0x80 in every byte of v below n (n <= 0x80). */
static inline uint64_t oct_word_below(uint64_t v, unsigned n)
{
    return ~(((v & OCT_BYTES_LOW7) + OCT_BYTES_EACH(0x80 - n)) | v) & OCT_BYTES_HIGH;
}

/* 0x80 in every byte of v from 0x80 up (not ASCII). */
static inline uint64_t oct_word_high(uint64_t v) { return v & OCT_BYTES_HIGH; }

/* How many bytes a mask marks. */
static inline unsigned oct_word_count(uint64_t mask)
{
    return (unsigned)((((mask >> 7) * OCT_BYTES_EACH(1)) >> 56) & 0xFF);
}

#endif
