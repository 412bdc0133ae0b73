/* SHA-256 (core/sha256.c, compiled in): the published test vectors through
 * every way the library has of computing it, and the processor's SHA
 * instructions against the portable rounds over every tail length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void hex(const uint8_t digest[32], char out[65])
{
    for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

/* FIPS 180-2, appendix B, and the empty message. */
static const struct {
    const char *message;
    size_t repeat; /* the message this many times over */
    const char *digest;
} vectors[] = {
    {"", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
};

static unsigned char *repeated(const char *message, size_t repeat, size_t *len)
{
    const size_t n = strlen(message);
    *len = n * repeat;
    unsigned char *p = malloc(*len + 1);
    assert_non_null(p);
    for (size_t i = 0; i < repeat; i++) memcpy(p + i * n, message, n);
    return p;
}

static void test_published_vectors(void **state)
{
    (void)state;
    for (size_t v = 0; v < sizeof vectors / sizeof vectors[0]; v++) {
        size_t len;
        unsigned char *msg = repeated(vectors[v].message, vectors[v].repeat, &len);
        uint8_t d[32];
        char h[65];
        oct_sha256(msg, len, d);
        hex(d, h);
        assert_string_equal(h, vectors[v].digest);
        oct_sha256_portable(msg, len, d);
        hex(d, h);
        assert_string_equal(h, vectors[v].digest);
        if (oct_sha256_accelerated(msg, len, d)) {
            hex(d, h);
            assert_string_equal(h, vectors[v].digest);
        }
        free(msg);
    }
}

/* Every length up to a few blocks (each tail and padding case: the length
 * field in the same block or the next), then long ones, over bytes that
 * are not text. */
static void test_sha_instructions_match_portable_rounds(void **state)
{
    (void)state;
    const size_t max = 70000;
    unsigned char *data = malloc(max);
    assert_non_null(data);
    uint32_t x = 2463534242u; /* xorshift32: fixed bytes, every value */
    for (size_t i = 0; i < max; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data[i] = (unsigned char)x;
    }
    uint8_t a[32], b[32];
    if (!oct_sha256_accelerated(data, 0, a)) {
        free(data);
        skip(); /* this processor has no SHA instructions: nothing to compare */
    }
    for (size_t len = 0; len <= 300; len++) {
        for (size_t at = 0; at < 3; at++) { /* unaligned starts too */
            oct_sha256_portable(data + at, len, a);
            assert_int_equal(oct_sha256_accelerated(data + at, len, b), 1);
            assert_memory_equal(a, b, 32);
        }
    }
    const size_t long_lengths[] = {1023, 1024, 4096 + 55, 65536, max};
    for (size_t i = 0; i < sizeof long_lengths / sizeof long_lengths[0]; i++) {
        oct_sha256_portable(data, long_lengths[i], a);
        assert_int_equal(oct_sha256_accelerated(data, long_lengths[i], b), 1);
        assert_memory_equal(a, b, 32);
    }
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_vectors),
        cmocka_unit_test(test_sha_instructions_match_portable_rounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
