/*
 * test_markup.c — the EPUB writer's markup batch (plugins/epub/markup.c)
 * must write exactly the bytes the oct_xml calls it replaced write: the
 * same escaping of text and of attributes, the same cleaning of what XML
 * cannot carry, <name/> and <name></name> in the same places. Each case
 * runs one sequence of operations both ways and compares the documents.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "markup.h"
#include "xmlout.h"

typedef enum op_kind { OP_START, OP_ATTR, OP_TEXT, OP_END, OP_END_EMPTY } op_kind;

typedef struct op {
    op_kind kind;
    const char *name;  /* element or attribute name */
    const char *s;     /* attribute value or text */
    size_t len;        /* of text (may hold NUL bytes) */
} op;

static char *finish(oct_xml *x, size_t *len)
{
    const char *data;
    char *copy;

    assert_int_equal(oct_xml_end(x, &data, len), OCT_OK);
    copy = malloc(*len + 1);
    assert_non_null(copy);
    memcpy(copy, data, *len);
    copy[*len] = '\0';
    oct_xml_free(x);
    return copy;
}

/* The document as the oct_xml calls write it. */
static char *through_writer(const op *ops, size_t n, size_t *len)
{
    oct_xml x;

    assert_int_equal(oct_xml_begin(&x, 0), OCT_OK);
    oct_xml_start(&x, "body");
    oct_xml_attr(&x, "class", "outer");
    for (size_t i = 0; i < n; i++) {
        switch (ops[i].kind) {
        case OP_START: oct_xml_start(&x, ops[i].name); break;
        case OP_ATTR: oct_xml_attr(&x, ops[i].name, ops[i].s); break;
        case OP_TEXT: oct_xml_text(&x, ops[i].s, ops[i].len); break;
        case OP_END: oct_xml_end_element_full(&x); break;
        case OP_END_EMPTY: oct_xml_end_element(&x); break;
        }
    }
    return finish(&x, len);
}

/* The same document through the batch. */
static char *through_markup(const op *ops, size_t n, size_t *len)
{
    oct_xml x;
    markup *m = malloc(sizeof *m);

    assert_non_null(m);
    assert_int_equal(oct_xml_begin(&x, 0), OCT_OK);
    oct_xml_start(&x, "body");
    oct_xml_attr(&x, "class", "outer");
    markup_init(m, &x);
    for (size_t i = 0; i < n; i++) {
        switch (ops[i].kind) {
        case OP_START: markup_start(m, ops[i].name); break;
        case OP_ATTR: markup_attr(m, ops[i].name, ops[i].s); break;
        case OP_TEXT: markup_text(m, ops[i].s, ops[i].len); break;
        case OP_END: markup_end(m); break;
        case OP_END_EMPTY: markup_end_empty(m); break;
        }
    }
    markup_finish(m);
    markup_free(m);
    free(m);
    return finish(&x, len);
}

static void assert_same(const op *ops, size_t n)
{
    size_t la, lb;
    char *a = through_writer(ops, n, &la);
    char *b = through_markup(ops, n, &lb);

    if (la != lb || memcmp(a, b, la) != 0)
        fail_msg("oct_xml wrote\n%s\nthe batch wrote\n%s", a, b);
    free(a);
    free(b);
}

#define START(n) {OP_START, n, NULL, 0}
#define ATTR(n, v) {OP_ATTR, n, v, 0}
#define TEXT(t) {OP_TEXT, NULL, t, sizeof t - 1}
#define END {OP_END, NULL, NULL, 0}
#define END_EMPTY {OP_END_EMPTY, NULL, NULL, 0}

static void test_markup_elements(void **state)
{
    (void)state;
    /* Empty elements, void ones, nesting, text that cleans away (its
     * element stays <span/> when closed as void), an attribute-less tag. */
    static const op ops[] = {
        START("p"), ATTR("id", "a1"), END,
        START("br"), END_EMPTY,
        START("hr"), ATTR("class", "x"), END_EMPTY,
        START("div"), START("span"), TEXT("\x01\x02\x7F"), END_EMPTY, END,
        START("a"), TEXT("\x01"), END,
        START("ul"), START("li"), TEXT("one"), END, START("li"), END, END,
        START("img"), ATTR("src", "images/a.png"), ATTR("alt", ""), END_EMPTY,
    };
    assert_same(ops, sizeof ops / sizeof ops[0]);
}

static void test_markup_escapes_like_the_writer(void **state)
{
    (void)state;
    /* Markup characters, CR, tab and LF (kept raw in text, as references
     * in attributes), controls, DEL and C1, noncharacters, invalid and
     * truncated UTF-8, valid multi-byte characters and a real U+FFFD. */
    static const char nasty[] =
        "a<b>c&d\"e'f\rg\th\ni\x01j\x7Fk\xC2\x85l\xEF\xBF\xBEm\xEF\xBF\xBDn\xC3\xA9o"
        "\xE2\x98\x91p\xF0\x9F\x98\x80q\xFFr\xC3s\xE2\x98t\xED\xA0\x80u\xC0\xAFv";
    static const op ops[] = {
        START("p"), ATTR("title", nasty), ATTR("data-x", "\t\n\r"),
        ATTR("id", "caf\xC3\xA9"), TEXT(nasty), END,
        START("q"), ATTR("cite", "https://example.org/?a=1&b=\"2\"#x"), END,
        START("span"), TEXT("tail byte \xE2"), END,
    };
    assert_same(ops, sizeof ops / sizeof ops[0]);
}

static void test_markup_text_with_nul(void **state)
{
    (void)state;
    static const op ops[] = {
        START("code"), {OP_TEXT, NULL, "a\0b<\0>c", 7}, END,
    };
    assert_same(ops, sizeof ops / sizeof ops[0]);
}

static void test_markup_unclosed_at_finish(void **state)
{
    (void)state;
    /* markup_finish closes what is open as xmlTextWriterEndDocument does. */
    static const op ops[] = {
        START("div"), TEXT("x"), START("p"), START("br"),
    };
    assert_same(ops, sizeof ops / sizeof ops[0]);
}

/* Text and attributes far longer than the batch, with escapes at every
 * offset around its 8 KB and the 1 KB pieces escaping goes through. */
static void test_markup_long_values(void **state)
{
    (void)state;
    const size_t len = 3 * OCT_MARKUP_BUFFER + 77;
    char *big = malloc(len + 1);
    op ops[8];

    assert_non_null(big);
    for (size_t i = 0; i < len; i++) {
        static const char cycle[] = "abc&<\t\n\xC3\xA9\x01\"defgh";
        big[i] = cycle[i % (sizeof cycle - 1)];
    }
    big[len] = '\0';
    ops[0] = (op){OP_START, "p", NULL, 0};
    ops[1] = (op){OP_ATTR, "title", big, 0};
    ops[2] = (op){OP_TEXT, NULL, big, len};
    ops[3] = (op){OP_START, "em", NULL, 0};
    ops[4] = (op){OP_TEXT, NULL, big + 5, len - 5};
    ops[5] = (op){OP_END, NULL, NULL, 0};
    ops[6] = (op){OP_TEXT, NULL, big, len / 3};
    ops[7] = (op){OP_END, NULL, NULL, 0};
    assert_same(ops, 8);
    free(big);
}

/* Text is scanned sixteen bytes at a time, the last few as the sixteen that
 * end it: every byte that needs work (or only looks as if it might: tab and
 * LF), at every offset of texts around one and two such blocks, and runs of
 * them, must come out as the writer writes it. */
static void test_markup_odd_bytes_at_every_offset(void **state)
{
    (void)state;
    static const char *const odd[] = {
        "<", ">", "&", "\"", "\r", "\t", "\n", "\x01", "\x7F", "\xC2\x85", "\xC2\xA0",
        "\xC3\xA9", "\xE2\x80\x94", "\xEF\xBF\xBE", "\xEF\xBF\xBD", "\xF0\x9F\x98\x80",
        "\xFF", "\xC3", "\xE2\x82", "\xED\xA0\x80", "\xC0\xAF",
    };
    char text[64];
    op ops[3];

    for (size_t k = 0; k < sizeof odd / sizeof odd[0]; k++) {
        const size_t olen = strlen(odd[k]);
        for (size_t len = 1; len <= 40; len++) {
            for (size_t at = 0; at + olen <= len; at++) {
                memset(text, 'a' + (int)(len % 26), len);
                memcpy(text + at, odd[k], olen);
                /* and the same byte once more near the end, if it fits */
                if (len >= 2 * olen + 3 && at + olen + 2 <= len - olen)
                    memcpy(text + len - olen, odd[k], olen);
                ops[0] = (op){OP_START, "p", NULL, 0};
                ops[1] = (op){OP_TEXT, NULL, text, len};
                ops[2] = (op){OP_END, NULL, NULL, 0};
                assert_same(ops, 3);
            }
        }
    }
}

/* Random documents from a small alphabet of troublesome bytes. */
static uint32_t next_random(uint32_t *seed)
{
    *seed = *seed * 1664525u + 1013904223u;
    return *seed >> 8;
}

static void test_markup_random_documents(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a", "word ", "<", ">", "&", "\"", "'", "\r", "\t", "\n", "\x01", "\x7F", "\xC2\x85",
        "\xC3\xA9", "\xE2\x98\x91", "\xF0\x9F\x98\x80", "\xFF", "\xC3", "\xE2\x98",
        "\xEF\xBF\xBE", "\xEF\xBF\xBD", "0123456789abcdef", " ",
    };
    static const char *const names[] = {"p", "span", "a", "li", "h2", "code", "br"};
    static const char *const attrs[] = {"id", "class", "title", "href"};
    const size_t n_pieces = sizeof pieces / sizeof pieces[0];
    uint32_t seed = 20261128;
    char strings[64][200];
    op ops[64];

    for (int round = 0; round < 400; round++) {
        size_t n = 0, depth = 0, used = 0;
        int tag_fresh = 0;
        while (n < 60) {
            const uint32_t r = next_random(&seed) % 10;
            char *s = strings[used];
            size_t len = 0;
            const size_t pieces_wanted = next_random(&seed) % 12;
            for (size_t k = 0; k < pieces_wanted; k++) {
                const char *p = pieces[next_random(&seed) % n_pieces];
                const size_t pl = strlen(p);
                if (len + pl >= sizeof strings[0])
                    break;
                memcpy(s + len, p, pl);
                len += pl;
            }
            s[len] = '\0';
            if (r < 3) {
                ops[n++] = (op){OP_START, names[next_random(&seed) % 7], NULL, 0};
                depth++;
                tag_fresh = 1;
            } else if (r < 5 && tag_fresh) {
                ops[n++] = (op){OP_ATTR, attrs[next_random(&seed) % 4], s, 0};
                used++;
            } else if (r < 7) {
                ops[n++] = (op){OP_TEXT, NULL, s, len};
                used++;
                tag_fresh = 0;
            } else if (depth > 0) {
                ops[n++] = (op){r == 9 ? OP_END_EMPTY : OP_END, NULL, NULL, 0};
                depth--;
                tag_fresh = 0;
            }
            if (used == 64)
                break;
        }
        assert_same(ops, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_markup_elements),
        cmocka_unit_test(test_markup_escapes_like_the_writer),
        cmocka_unit_test(test_markup_text_with_nul),
        cmocka_unit_test(test_markup_unclosed_at_finish),
        cmocka_unit_test(test_markup_long_values),
        cmocka_unit_test(test_markup_odd_bytes_at_every_offset),
        cmocka_unit_test(test_markup_random_documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
