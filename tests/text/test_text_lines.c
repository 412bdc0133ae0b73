/*
 * test_text_lines.c — the line splitter of the text reader against a plain
 * byte-at-a-time reading of the same rules, on generated text whose runs of
 * spaces, no-break spaces, wide characters and line ends fall on every
 * position of the sixteen-byte blocks the splitter reads; and the block
 * masks of byteblocks.h against their portable versions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "byteblocks.h"
#include "bytes_portable.h"
#include "text_internal.h"

/* A fixed generator: the same documents on every run. */
static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

/* Pieces the documents are made of, the awkward ones often. */
static const char *const pieces[] = {
    "a", "\n", "word", "b", "extraordinarily", " ", " ", " ", " ", "  ", "   ", "\n", "\n\n",
    "\xC2\xA0",       /* no-break space */
    "\xC3\xA9",       /* é */
    "\xE4\xB8\xAD",   /* a wide character */
    "\xCC\x81",       /* a combining accent: no width */
    "-", "--", ".", "\n\f\n", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"}; /* and a run of empty lines */

#define N_PIECES (sizeof pieces / sizeof pieces[0])

static size_t make_document(uint32_t *state, char *out, size_t max)
{
    /* each document leaves some pieces out: a line whose only pair of
     * spaces, or only wide character, sits across a block boundary needs
     * documents where they are rare */
    const char *chosen[N_PIECES];
    size_t n_chosen = 0;
    const uint32_t keep = next_random(state);
    for (size_t i = 0; i < N_PIECES; i++)
        if (i < 2 || (keep >> i) & 1u)
            chosen[n_chosen++] = pieces[i];
    size_t n = 0;
    const size_t want = next_random(state) % (max - 40);
    while (n < want) {
        const char *p = chosen[next_random(state) % n_chosen];
        const size_t k = strlen(p);
        memcpy(out + n, p, k);
        n += k;
    }
    return n;
}

typedef struct ref_line {
    size_t start, len, width, first_width;
    unsigned indent, flags, number;
} ref_line;

static int nbsp_at(const char *t, size_t i, size_t end)
{
    return i + 1 < end && (unsigned char)t[i] == 0xC2 && (unsigned char)t[i + 1] == 0xA0;
}

/* The rules of text_lines_split, one byte at a time. */
static size_t reference_split(const char *t, size_t n, ref_line *out)
{
    size_t count = 0, pos = 0;
    unsigned number = 0;
    int form_feed = 0;
    while (pos < n) {
        const char *nl = memchr(t + pos, '\n', n - pos);
        const size_t end = nl ? (size_t)(nl - t) : n;
        number++;
        size_t a = pos;
        unsigned indent = 0;
        for (;; indent++) {
            if (a < end && t[a] == ' ')
                a++;
            else if (nbsp_at(t, a, end))
                a += 2;
            else
                break;
        }
        size_t b = end;
        for (;;) {
            if (b > a && (t[b - 1] == ' ' || t[b - 1] == '\f'))
                b--;
            else if (b >= a + 2 && (unsigned char)t[b - 1] == 0xA0 &&
                     (unsigned char)t[b - 2] == 0xC2)
                b -= 2;
            else
                break;
        }
        if (b == a) {
            if (memchr(t + pos, '\f', end - pos))
                form_feed = 1;
        } else {
            ref_line *l = &out[count++];
            l->start = a;
            l->len = b - a;
            l->width = oct_utf8_display_width(t + a, b - a);
            size_t w = a;
            while (w < b && t[w] != ' ' && !nbsp_at(t, w, b))
                w++;
            l->first_width = oct_utf8_display_width(t + a, w - a);
            l->indent = indent;
            l->number = number;
            int spaces = 0;
            for (size_t k = a; k + 1 < b; k++)
                spaces |= t[k] == ' ' && t[k + 1] == ' ';
            l->flags = (form_feed ? LINE_FORM_FEED : 0u) | (spaces ? LINE_SPACES : 0u) |
                       (t[b - 1] == '-' ? LINE_HYPHEN_END : 0u);
            form_feed = 0;
        }
        pos = end + 1;
    }
    return count;
}

static void test_split_matches_reference(void **state)
{
    (void)state;
    enum { MAX_DOC = 600, DOCS = 4000 };
    uint32_t seed = 12345;
    ref_line *expected = malloc(MAX_DOC * sizeof *expected);
    char *scratch = malloc(MAX_DOC);
    assert_non_null(expected);
    assert_non_null(scratch);
    for (int doc = 0; doc < DOCS; doc++) {
        const size_t n = make_document(&seed, scratch, MAX_DOC);
        /* exactly n bytes: a read past the end is a sanitizer report */
        char *text = malloc(n ? n : 1);
        assert_non_null(text);
        memcpy(text, scratch, n);
        const text_decoded d = {text, n, NULL};
        text_source src;
        assert_int_equal(text_lines_split(&d, &src), OCT_OK);
        const size_t want = reference_split(text, n, expected);
        assert_int_equal(src.n_lines, want);
        for (size_t i = 0; i < want; i++) {
            const text_line *got = &src.lines[i];
            const ref_line *e = &expected[i];
            if (text_line_start(got) != e->start || got->len != e->len ||
                got->width != e->width || got->first_width != e->first_width ||
                got->indent != e->indent || got->flags != e->flags || got->number != e->number)
                fail_msg("document %d, line %zu (input line %u): start %zu/%zu len %u/%zu "
                         "width %u/%zu first %u/%zu indent %u/%u flags %u/%u",
                         doc, i, e->number, text_line_start(got), e->start, got->len, e->len,
                         got->width, e->width, got->first_width, e->first_width, got->indent,
                         e->indent, got->flags, e->flags);
        }
        text_source_free(&src);
        free(text);
    }
    free(scratch);
    free(expected);
}

/* Words counted a byte at a time: a word starts at a byte that is neither a
 * space nor part of a no-break space, after such a space or the start. */
static size_t reference_count_words(const char *s, size_t len)
{
    size_t words = 0;
    int after_space = 1;
    for (size_t i = 0; i < len;) {
        if (s[i] == ' ' || nbsp_at(s, i, len)) {
            i += s[i] == ' ' ? 1 : 2;
            after_space = 1;
            continue;
        }
        words += after_space;
        after_space = 0;
        i++;
    }
    return words;
}

/* Whole blocks of ASCII are counted from masks, the rest a word at a time:
 * words across the boundary, and no-break spaces, count the same. */
static void test_count_words_matches_reference(void **state)
{
    (void)state;
    uint32_t seed = 4242;
    static const char parts[] = {' ', ' ', 'a', 'b', '-', (char)0xC2, (char)0xA0, (char)0xC3};
    char line[80];
    for (int round = 0; round < 50000; round++) {
        const size_t len = next_random(&seed) % sizeof line;
        const unsigned plain = next_random(&seed) % 4; /* some lines all ASCII */
        for (size_t k = 0; k < len; k++)
            line[k] = parts[next_random(&seed) % (plain ? 5 : sizeof parts)];
        char *exact = malloc(len ? len : 1); /* a read past the end is a report */
        assert_non_null(exact);
        memcpy(exact, line, len);
        assert_int_equal(text_count_words(exact, len), reference_count_words(exact, len));
        free(exact);
    }
}

static void test_block_masks_match_portable(void **state)
{
    (void)state;
    uint32_t seed = 777;
    static const char interesting[] = {' ', '\n', '\t', '\f', 0x7F, 'a', 'z', 'A', 'Z', '@',
                                       '[', '`', '{', ':', '.', (char)0xC2, (char)0xA0, (char)0x80,
                                       (char)0xFF, 0x1F, 0x20, 0x7E, 0x01, '0', '9', '/',
                                       (char)0xB0, (char)0xB9};
    for (int round = 0; round < 20000; round++) {
        char block[OCT_BLOCK];
        for (size_t k = 0; k < OCT_BLOCK; k++)
            block[k] = next_random(&seed) % 3 ? interesting[next_random(&seed) % sizeof interesting]
                                              : (char)(next_random(&seed) & 0xFF);
        const oct_block b = oct_block_load(block);
        const char c = interesting[round % sizeof interesting];
        assert_int_equal(oct_block_eq(b, c), portable_block_eq(block, c));
        assert_int_equal(oct_block_high(b), portable_block_high(block));
        assert_int_equal(oct_block_below(b, ' '), portable_block_below(block, ' '));
        assert_int_equal(oct_block_high_or_eq(b, '\n'), portable_block_high_or_eq(block, '\n'));
        assert_int_equal(oct_block_not_plain(b), portable_block_not_plain(block));
        assert_int_equal(oct_block_letters(b), portable_block_letters(block));
        assert_int_equal(oct_block_digits(b), portable_block_digits(block));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_matches_reference),
        cmocka_unit_test(test_block_masks_match_portable),
        cmocka_unit_test(test_count_words_matches_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
