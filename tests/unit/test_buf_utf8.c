/* oct_buf's hard cap and sticky error; UTF-8 decode/encode/repair edge cases
 * and terminal display width. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "octavo/octavo.h"
#include "octest.h"
#include "utf8_seq.h" /* core/shared: the scanners' validity test */

#define REPLACEMENT "\xef\xbf\xbd"

static void test_buf_basics(void **state)
{
    (void)state;
    oct_buf b;
    oct_buf_init(&b, 0);
    assert_int_equal(b.max, OCT_BUF_DEFAULT_MAX);
    assert_int_equal(oct_buf_puts(&b, "abc"), OCT_OK);
    assert_int_equal(oct_buf_putc(&b, '-'), OCT_OK);
    assert_int_equal(oct_buf_printf(&b, "%d/%s", 42, "x"), OCT_OK);
    assert_int_equal(oct_buf_append(&b, "\0z", 2), OCT_OK);
    assert_int_equal(b.len, 10);
    assert_memory_equal(b.data, "abc-42/x\0z", 10);
    assert_int_equal(b.data[b.len], '\0');

    /* A long printf grows the buffer. */
    char big[5000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(oct_buf_printf(&b, "[%s]", big), OCT_OK);
    assert_int_equal(b.len, 10 + 2 + sizeof big - 1);
    assert_int_equal(b.data[b.len - 1], ']');

    oct_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_int_equal(oct_buf_puts(&b, "again"), OCT_OK);
    assert_string_equal(b.data, "again");

    size_t len = 0;
    char *owned = oct_buf_detach(&b, &len);
    assert_int_equal(len, 5);
    assert_string_equal(owned, "again");
    free(owned);
    assert_int_equal(b.len, 0);
    assert_int_equal(oct_buf_puts(&b, "reuse"), OCT_OK);
    assert_string_equal(b.data, "reuse");
    oct_buf_free(&b);
}

static void test_buf_cap_is_sticky(void **state)
{
    (void)state;
    oct_buf b;
    oct_buf_init(&b, 10);
    assert_int_equal(oct_buf_append(&b, "12345678", 8), OCT_OK);
    assert_int_equal(oct_buf_append(&b, "9ABCD", 5), OCT_ERR_LIMIT);
    assert_int_equal(b.status, OCT_ERR_LIMIT);
    assert_true(b.len <= 10);
    const size_t len_after_failure = b.len;
    /* Sticky: even appends that would fit are refused now. */
    assert_int_equal(oct_buf_putc(&b, 'x'), OCT_ERR_LIMIT);
    assert_int_equal(oct_buf_puts(&b, ""), OCT_ERR_LIMIT);
    assert_int_equal(oct_buf_printf(&b, "%d", 1), OCT_ERR_LIMIT);
    assert_int_equal(b.len, len_after_failure);
    assert_int_equal(b.data[b.len], '\0');

    /* reset clears the error; the cap still holds exactly. */
    oct_buf_reset(&b);
    assert_int_equal(b.status, OCT_OK);
    assert_int_equal(oct_buf_append(&b, "1234567890", 10), OCT_OK);
    assert_int_equal(oct_buf_putc(&b, 'x'), OCT_ERR_LIMIT);
    oct_buf_free(&b);

    oct_buf_init(&b, 4);
    assert_int_equal(oct_buf_printf(&b, "%s", "toolong"), OCT_ERR_LIMIT);
    assert_true(b.len <= 4);
    oct_buf_free(&b);
}

typedef struct decode_case {
    const char *what;
    const char *bytes;
    size_t len;
    uint32_t cp;
    size_t consumed;
} decode_case;

static void test_utf8_decode(void **state)
{
    (void)state;
    const decode_case cases[] = {
        {"ascii", "A", 1, 0x41, 1},
        {"nul", "\0", 1, 0, 1},
        {"two bytes", "\xc3\xa9", 2, 0xe9, 2},
        {"three bytes", "\xe2\x82\xac", 3, 0x20ac, 3},
        {"four bytes", "\xf0\x9f\x98\x80", 4, 0x1f600, 4},
        {"max scalar", "\xf4\x8f\xbf\xbf", 4, 0x10ffff, 4},
        {"last before surrogates", "\xed\x9f\xbf", 3, 0xd7ff, 3},
        {"overlong slash 2", "\xc0\xaf", 2, 0xfffd, 1},
        {"overlong 2 c1", "\xc1\xbf", 2, 0xfffd, 1},
        {"overlong slash 3", "\xe0\x80\xaf", 3, 0xfffd, 1},
        {"overlong 4", "\xf0\x80\x80\xaf", 4, 0xfffd, 1},
        {"surrogate high", "\xed\xa0\x80", 3, 0xfffd, 1},
        {"surrogate low", "\xed\xbf\xbf", 3, 0xfffd, 1},
        {"above U+10FFFF", "\xf4\x90\x80\x80", 4, 0xfffd, 1},
        {"f5 lead", "\xf5\x80\x80\x80", 4, 0xfffd, 1},
        {"ff byte", "\xff", 1, 0xfffd, 1},
        {"lone continuation", "\x80", 1, 0xfffd, 1},
        {"truncated by len", "\xc3\xa9", 1, 0xfffd, 1},
        {"truncated 3", "\xe2\x82", 2, 0xfffd, 1},
        {"truncated 4", "\xf0\x9f\x98", 3, 0xfffd, 1},
        {"bad continuation", "\xe2\x28\xa1", 3, 0xfffd, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const decode_case *c = &cases[i];
        /* Exactly-sized copy: ASan catches reads past len. */
        char *copy = malloc(c->len);
        assert_non_null(copy);
        memcpy(copy, c->bytes, c->len);
        uint32_t cp = 0x12345;
        const size_t n = oct_utf8_decode(copy, c->len, &cp);
        if (cp != c->cp || n != c->consumed) {
            fail_msg("%s: got U+%04X (%zu bytes), want U+%04X (%zu bytes)", c->what,
                     (unsigned)cp, n, (unsigned)c->cp, c->consumed);
        }
        const int valid = c->cp != 0xfffd;
        if (oct_utf8_is_valid(copy, c->len) != valid && c->consumed == c->len) {
            fail_msg("%s: is_valid disagrees", c->what);
        }
        if (!valid) assert_false(oct_utf8_is_valid(copy, c->len));
        free(copy);
    }
    assert_true(oct_utf8_is_valid("", 0));
    assert_true(oct_utf8_is_valid(REPLACEMENT, 3)); /* U+FFFD itself is valid */
}

static void test_utf8_encode(void **state)
{
    (void)state;
    const struct {
        uint32_t cp;
        const char *want;
        size_t len;
    } cases[] = {
        {0x41, "A", 1},
        {0x7f, "\x7f", 1},
        {0x80, "\xc2\x80", 2},
        {0x7ff, "\xdf\xbf", 2},
        {0x800, "\xe0\xa0\x80", 3},
        {0x20ac, "\xe2\x82\xac", 3},
        {0xffff, "\xef\xbf\xbf", 3},
        {0x10000, "\xf0\x90\x80\x80", 4},
        {0x10ffff, "\xf4\x8f\xbf\xbf", 4},
        {0xd800, REPLACEMENT, 3},
        {0xdfff, REPLACEMENT, 3},
        {0x110000, REPLACEMENT, 3},
        {0xffffffff, REPLACEMENT, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[4] = {0};
        const size_t n = oct_utf8_encode(cases[i].cp, out);
        assert_int_equal(n, cases[i].len);
        assert_memory_equal(out, cases[i].want, n);
        /* Round trip for scalars. */
        uint32_t back = 0;
        assert_int_equal(oct_utf8_decode(out, n, &back), n);
        if (strcmp(cases[i].want, REPLACEMENT) != 0) assert_int_equal(back, cases[i].cp);
    }
}

static void expect_repaired(const char *in, size_t len, const char *want)
{
    oct_buf b;
    oct_buf_init(&b, 0);
    assert_int_equal(oct_buf_puts(&b, "<"), OCT_OK);
    assert_int_equal(oct_utf8_append_repaired(&b, in, len), OCT_OK);
    assert_int_equal(oct_buf_puts(&b, ">"), OCT_OK);
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    oct_buf_free(&b);
}

static void test_utf8_repair(void **state)
{
    (void)state;
    expect_repaired("plain", 5, "<plain>");
    expect_repaired("caf\xc3\xa9", 5, "<caf\xc3\xa9>");
    expect_repaired("a\xff" "b", 3, "<a" REPLACEMENT "b>");
    expect_repaired("a\0b\0", 4, "<ab>");
    expect_repaired("\xed\xa0\x80", 3, "<" REPLACEMENT REPLACEMENT REPLACEMENT ">");
    expect_repaired("", 0, "<>");

    /* Whatever the input, the output is valid UTF-8 without NUL bytes. */
    unsigned char all[512];
    for (size_t i = 0; i < sizeof all; i++) all[i] = (unsigned char)(i * 7 + (i >> 3));
    oct_buf b;
    oct_buf_init(&b, 0);
    assert_int_equal(oct_utf8_append_repaired(&b, (const char *)all, sizeof all), OCT_OK);
    assert_true(oct_utf8_is_valid(b.data, b.len));
    assert_null(memchr(b.data, '\0', b.len));
    oct_buf_free(&b);

    /* The repair respects the buffer's cap. */
    oct_buf_init(&b, 4);
    assert_int_equal(oct_utf8_append_repaired(&b, "\xff\xff\xff", 3), OCT_ERR_LIMIT);
    assert_true(b.len <= 4);
    oct_buf_free(&b);
}

static void test_display_width(void **state)
{
    (void)state;
    assert_int_equal(oct_codepoint_width('a'), 1);
    assert_int_equal(oct_codepoint_width(0xe9), 1);      /* é */
    assert_int_equal(oct_codepoint_width(0x301), 0);     /* combining acute */
    assert_int_equal(oct_codepoint_width(0x200b), 0);    /* zero width space */
    assert_int_equal(oct_codepoint_width(0x4e00), 2);    /* CJK ideograph */
    assert_int_equal(oct_codepoint_width(0xac00), 2);    /* Hangul syllable */
    assert_int_equal(oct_codepoint_width(0x3042), 2);    /* Hiragana */
    assert_int_equal(oct_codepoint_width(0xff21), 2);    /* fullwidth A */
    assert_int_equal(oct_codepoint_width(0x1f600), 2);   /* emoji */
    assert_int_equal(oct_codepoint_width(0x20000), 2);   /* CJK extension B */
    assert_int_equal(oct_codepoint_width(0x0410), 1);    /* Cyrillic A */

    assert_int_equal(oct_utf8_display_width("", 0), 0);
    assert_int_equal(oct_utf8_display_width("abc", 3), 3);
    assert_int_equal(oct_utf8_display_width("\xe6\x97\xa5\xe6\x9c\xac", 6), 4); /* 日本 */
    assert_int_equal(oct_utf8_display_width("e\xcc\x81", 3), 1);                /* e + U+0301 */
    assert_int_equal(oct_utf8_display_width("a\xe6\x97\xa5" "b", 5), 4);
    /* Only len bytes count. */
    assert_int_equal(oct_utf8_display_width("abcdef", 2), 2);
}

/* The scanners' length of a valid sequence says what oct_utf8_decode says,
 * for every lead byte with every second and third byte, with fourth bytes
 * around the continuation range, and cut short at every length. */
static size_t decode_says(const unsigned char *s, size_t len)
{
    uint32_t cp;
    const size_t n = oct_utf8_decode((const char *)s, len, &cp);
    return n == 1 && cp == 0xFFFD ? 0 : n; /* a real U+FFFD takes 3 bytes */
}

static void test_utf8_seq_len_agrees_with_decode(void **state)
{
    (void)state;
    static const unsigned char fourth[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0xBF, 0xC0, 0xFF};
    size_t checked = 0;
    for (unsigned a = 0x80; a <= 0xFF; a++)
        for (unsigned b = 0; b <= 0xFF; b++)
            for (unsigned c = 0; c <= 0xFF; c++)
                for (size_t k = 0; k < sizeof fourth; k++) {
                    /* the fourth byte only matters after F0..F7 */
                    if (k > 0 && a < 0xF0)
                        break;
                    const unsigned char s[4] = {(unsigned char)a, (unsigned char)b,
                                                (unsigned char)c, fourth[k]};
                    for (size_t len = 1; len <= 4; len++) {
                        if (oct_utf8_seq_len(s, len) != decode_says(s, len))
                            fail_msg("%02X %02X %02X %02X, %zu bytes: %zu against %zu", a, b, c,
                                     fourth[k], len, oct_utf8_seq_len(s, len), decode_says(s, len));
                        checked++;
                    }
                }
    assert_true(checked > 30000000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_basics),
        cmocka_unit_test(test_buf_cap_is_sticky),
        cmocka_unit_test(test_utf8_decode),
        cmocka_unit_test(test_utf8_seq_len_agrees_with_decode),
        cmocka_unit_test(test_utf8_encode),
        cmocka_unit_test(test_utf8_repair),
        cmocka_unit_test(test_display_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
