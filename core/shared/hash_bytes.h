/*
 * hash_bytes.h — the string hash of octavo's small hash tables (the core's
 * ids and image URLs, the EPUB and DOCX writers' names and labels, the
 * extractor's memo of class and id answers); header-only.
 *
 * Eight bytes a step: keys are ids and class names of tens of bytes, and a
 * byte-at-a-time hash was most of a look-up. The length seeds it, and a
 * final mix spreads every byte over the low bits that a table's mask
 * keeps. No table is ever listed in slot order, so the hash never shows in
 * any output.
 */
#ifndef OCTAVO_HASH_BYTES_H
#define OCTAVO_HASH_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A hash of the n bytes at s, from seed (a constant, or the hash of what
 * came before, to hash several pieces as one key). */
static inline uint64_t oct_hash_bytes(uint64_t seed, const void *s, size_t n)
{
    const unsigned char *p = s;
    uint64_t h = seed ^ n;
    size_t i = 0;
    for (; n - i >= 8; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
    for (; i < n; i++)
        h = (h ^ p[i]) * 0x100000001B3ull;
    h ^= h >> 29;
    h *= 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 32);
}

/* The seed for a key of one piece. */
#define OCT_HASH_SEED 0x9E3779B97F4A7C15ull

/* The hash of a NUL-terminated key. */
static inline uint64_t oct_hash_str(const char *s)
{
    return oct_hash_bytes(OCT_HASH_SEED, s, strlen(s));
}

#endif
