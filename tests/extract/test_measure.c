/*
 * test_measure — the extractor's text measure (plugins/html/extract_text.c)
 * counts sixteen bytes at a time from masks, reads short texts with
 * overlapping loads and the end of longer ones as a block overlapping the
 * one before. Each figure is checked against a plain count, code point by
 * code point, on generated texts of every length up to a few blocks, with
 * spaces, commas and UTF-8 (well-formed or not) at every position; and the
 * portable build of the same file (measure_portable.c) against both.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract_internal.h"

void ex_text_measure_portable(const char *s, size_t len, ex_text_figures *out);

/* Readability's commas: , ، ﹐ ︐ ︑ ⹁ ⸴ ⸲ ， */
static int is_comma(uint32_t cp)
{
    static const uint32_t commas[] = {0x2C, 0x60C, 0xFE50, 0xFE10, 0xFE11,
                                      0x2E41, 0x2E34, 0x2E32, 0xFF0C};
    for (size_t i = 0; i < sizeof commas / sizeof commas[0]; i++)
        if (cp == commas[i])
            return 1;
    return 0;
}

/* The figures as the definitions read: JS's trim() and \s{2,} -> " " on
 * UTF-16 units, one code point at a time. */
static ex_text_figures reference(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    ex_text_figures f;
    memset(&f, 0, sizeof f);
    int in_ws = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += ex_utf8_next(s + i, len - i, &cp);
        const uint32_t units = cp > 0xFFFF ? 2 : 1;
        f.raw_len += units;
        if (ex_is_js_space(cp)) {
            if (!f.shape.any)
                f.shape.lead_ws = 1;
            if (!in_ws)
                f.shape.runs++;
            in_ws = 1;
        } else {
            f.shape.nonws += units;
            in_ws = 0;
            if (is_comma(cp)) {
                f.commas++;
                f.ascii_commas += cp == ',';
            }
        }
        f.shape.any = 1;
    }
    f.shape.trail_ws = (uint8_t)in_ws;
    return f;
}

static void assert_same(const ex_text_figures *a, const ex_text_figures *b)
{
    assert_int_equal(a->shape.nonws, b->shape.nonws);
    assert_int_equal(a->shape.runs, b->shape.runs);
    assert_int_equal(a->shape.lead_ws, b->shape.lead_ws);
    assert_int_equal(a->shape.trail_ws, b->shape.trail_ws);
    assert_int_equal(a->shape.any, b->shape.any);
    assert_int_equal(a->raw_len, b->raw_len);
    assert_int_equal(a->commas, b->commas);
    assert_int_equal(a->ascii_commas, b->ascii_commas);
}

/* Both builds against the reference, the text in a buffer of exactly its
 * length, so that reading past it is caught (ASan). */
static void check(const char *text, size_t len)
{
    char *copy = malloc(len > 0 ? len : 1);
    assert_non_null(copy);
    memcpy(copy, text, len);
    const ex_text_figures want = reference(copy, len);
    ex_text_figures got, portable;
    memset(&got, 0xAA, sizeof got);
    memset(&portable, 0x55, sizeof portable);
    ex_text_measure(copy, len, &got);
    ex_text_measure_portable(copy, len, &portable);
    assert_same(&got, &want);
    assert_same(&portable, &want);
    free(copy);
}

/* Pieces that matter to some mask or to the decoder. */
static const char *const pieces[] = {
    "a", "Z", " ", "\n", "\t", "\r", "\v", "\f", ",", ".", "\x1F", "\x7F",
    "\xC2\xA0",         /* no-break space: a JS space */
    "\xE3\x80\x80",     /* ideographic space */
    "\xE2\x80\xA8",     /* line separator */
    "\xEF\xBC\x8C",     /* fullwidth comma */
    "\xD8\x8C",         /* Arabic comma */
    "\xC3\xA9",         /* é */
    "\xF0\x9F\x98\x80", /* an emoji: two UTF-16 units */
    "\xC3",             /* a lead byte alone */
    "\x80",             /* a continuation byte alone */
    "\xE2\x80",         /* a sequence cut short */
    "\xFF",             /* never in UTF-8 */
};
#define N_PIECES (sizeof pieces / sizeof pieces[0])

static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

static void test_generated_texts(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    char text[256];
    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        const size_t want = next_random(&seed) % 72;
        /* mostly plain letters or mostly spaces, as real texts are */
        const uint32_t bias = next_random(&seed) % 3;
        while (len < want) {
            const uint32_t r = next_random(&seed) % 100;
            const char *piece = r < 60 ? (bias == 0 ? "a" : bias == 1 ? " " : ",")
                                       : pieces[next_random(&seed) % N_PIECES];
            const size_t n = strlen(piece);
            if (len + n > sizeof text)
                break;
            memcpy(text + len, piece, n);
            len += n;
        }
        check(text, len);
    }
}

/* Every length up to three blocks, of one piece repeated, and with the
 * odd piece at each position: the block edges and the overlapping loads. */
static void test_every_length_and_position(void **state)
{
    (void)state;
    static const char *const fill[] = {"a", " ", ","};
    char text[64];
    for (size_t f = 0; f < sizeof fill / sizeof fill[0]; f++) {
        for (size_t len = 0; len <= 48; len++) {
            memset(text, fill[f][0], len);
            check(text, len);
            for (size_t at = 0; at < len; at++) {
                for (size_t p = 0; p < N_PIECES; p++) {
                    const size_t n = strlen(pieces[p]);
                    if (at + n > len)
                        continue;
                    memset(text, fill[f][0], len);
                    memcpy(text + at, pieces[p], n);
                    check(text, len);
                }
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generated_texts),
        cmocka_unit_test(test_every_length_and_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
