/* sha256.c — SHA-256 (FIPS 180-4), for content-derived resource names and
 * identifiers, and for batch mode's manifest, which hashes every input and
 * output (the --incremental check). Dependency-free.
 *
 * Why two block functions: in a batch of small pages the portable rounds
 * were a sixth of all the work (the input and the output of each page are
 * hashed). x86-64 processors with the SHA extensions do the rounds in
 * hardware, several times faster; the portable code is kept for the
 * others and is what the test compares them against (test_sha256). The
 * choice is made once, from CPUID. */
#include "internal.h"

#include <stdatomic.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define OCT_SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void portable_block(uint32_t h[8], const unsigned char blk[64])
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)blk[4 * i] << 24 | (uint32_t)blk[4 * i + 1] << 16 |
               (uint32_t)blk[4 * i + 2] << 8 | blk[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t S1 = ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = k + S1 + ch + K[i] + w[i];
        uint32_t S0 = ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = S0 + maj;
        k = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

static void portable_blocks(uint32_t h[8], const unsigned char *p, size_t blocks)
{
    for (size_t i = 0; i < blocks; i++) portable_block(h, p + 64 * i);
}

#ifdef OCT_SHA256_X86
/* The state as the SHA instructions hold it: {A,B,E,F} and {C,D,G,H}, A
 * and C in the top lane; message words in lane order, W[i] lowest. */
__attribute__((target("sha,ssse3,sse4.1"))) static void
sha_ni_blocks(uint32_t h[8], const unsigned char *p, size_t blocks)
{
    const __m128i swap_bytes = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    __m128i dcba = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1);
    __m128i hgfe = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B);
    __m128i abef = _mm_alignr_epi8(dcba, hgfe, 8);
    __m128i cdgh = _mm_blend_epi16(hgfe, dcba, 0xF0);
    for (size_t b = 0; b < blocks; b++, p += 64) {
        const __m128i abef_before = abef, cdgh_before = cdgh;
        /* w[j % 4] holds W[4j..4j+3] until the group four later replaces it */
        __m128i w[4];
        for (int j = 0; j < 4; j++)
            w[j] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * j)), swap_bytes);
        for (int g = 0; g < 16; g++) {
            if (g >= 4) {
                /* W[i] = s1(W[i-2]) + W[i-7] + s0(W[i-15]) + W[i-16], four at a time */
                __m128i t = _mm_sha256msg1_epu32(w[g % 4], w[(g + 1) % 4]);
                t = _mm_add_epi32(t, _mm_alignr_epi8(w[(g + 3) % 4], w[(g + 2) % 4], 4));
                w[g % 4] = _mm_sha256msg2_epu32(t, w[(g + 3) % 4]);
            }
            __m128i wk = _mm_add_epi32(w[g % 4], _mm_loadu_si128((const __m128i *)&K[4 * g]));
            /* two rounds on the low two words, two on the high two; each
             * call returns the new {A,B,E,F}, and the old one is then the
             * {C,D,G,H} of the next two rounds */
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));
        }
        abef = _mm_add_epi32(abef, abef_before);
        cdgh = _mm_add_epi32(cdgh, cdgh_before);
    }
    const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(dchg, feba, 8));
}

static int cpu_has_sha_ni(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return ssse3 && sse41 && ((b >> 29) & 1);
}
#endif

typedef void (*blocks_fn)(uint32_t h[8], const unsigned char *p, size_t blocks);

static blocks_fn best_blocks(void)
{
#ifdef OCT_SHA256_X86
    /* 0: not asked yet; the answer is the same for every thread */
    static atomic_int has_sha_ni;
    int known = atomic_load_explicit(&has_sha_ni, memory_order_relaxed);
    if (!known) {
        known = cpu_has_sha_ni() ? 2 : 1;
        atomic_store_explicit(&has_sha_ni, known, memory_order_relaxed);
    }
    if (known == 2) return sha_ni_blocks;
#endif
    return portable_blocks;
}

static void sha256_with(blocks_fn blocks, const void *data, size_t len, uint8_t out[32])
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const unsigned char *p = data;
    const size_t whole = len / 64;
    blocks(h, p, whole);
    p += 64 * whole;
    const size_t n = len % 64;
    unsigned char tail[128] = {0};
    memcpy(tail, p, n);
    tail[n] = 0x80;
    size_t tl = n + 1 + 8 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++) tail[tl - 1 - i] = (unsigned char)(bits >> (8 * i));
    blocks(h, tail, tl / 64);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(h[i] >> 8);
        out[4 * i + 3] = (uint8_t)h[i];
    }
}

void oct_sha256(const void *data, size_t len, uint8_t out[32])
{
    sha256_with(best_blocks(), data, len, out);
}

void oct_sha256_portable(const void *data, size_t len, uint8_t out[32])
{
    sha256_with(portable_blocks, data, len, out);
}

int oct_sha256_accelerated(const void *data, size_t len, uint8_t out[32])
{
    blocks_fn best = best_blocks();
    if (best == portable_blocks) return 0;
    sha256_with(best, data, len, out);
    return 1;
}
