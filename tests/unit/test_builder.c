/* oct_builder: what happens when a reader reports content that would break
 * the tree's invariants. Every resulting tree must pass oct_doc_validate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "octavo/octavo.h"
#include "octest.h"

typedef struct fixture {
    oct_doc *doc;
    oct_builder *b;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL) return -1;
    f->doc = oct_doc_new();
    f->b = f->doc ? oct_builder_new(f->doc) : NULL;
    if (f->b == NULL) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    oct_builder_free(f->b);
    oct_doc_free(f->doc);
    free(f);
    return 0;
}

static void open_type(oct_builder *b, oct_node_type t)
{
    assert_non_null(oct_builder_open_new(b, t));
}

static void text(oct_builder *b, const char *s)
{
    assert_int_equal(oct_builder_text(b, s, strlen(s)), OCT_OK);
}

static void finish_and_validate(fixture *f)
{
    assert_int_equal(oct_builder_finish(f->b), OCT_OK);
    oct_error err;
    oct_error_clear(&err);
    if (oct_doc_validate(f->doc, &err) != OCT_OK) {
        fail_msg("builder made an invalid tree: %s", err.message);
    }
}

/* The only child of n, which must have exactly one, of type t. */
static oct_node *only_child(const oct_node *n, oct_node_type t)
{
    oct_node *c = oct_node_first_child(n);
    assert_non_null(c);
    assert_null(oct_node_next(c));
    assert_string_equal(oct_node_type_name(oct_node_get_type(c)), oct_node_type_name(t));
    return c;
}

static void expect_text(const oct_node *n, const char *want)
{
    assert_int_equal(oct_node_get_type(n), OCT_NODE_TEXT);
    size_t len = 0;
    const char *s = oct_node_literal(n, &len);
    assert_non_null(s);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(s, want, len);
}

/* All TEXT literals under root in document order (malloc'd). */
static char *collect_text(const oct_node *root, size_t *out_len)
{
    oct_buf buf;
    oct_buf_init(&buf, 0);
    oct_iter it;
    oct_iter_init(&it, root);
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        const oct_node *n = oct_iter_node(&it);
        if (ev == OCT_EVENT_ENTER && oct_node_get_type(n) == OCT_NODE_TEXT) {
            size_t len = 0;
            const char *s = oct_node_literal(n, &len);
            assert_int_equal(oct_buf_append(&buf, s, len), OCT_OK);
        }
    }
    return oct_buf_detach(&buf, out_len);
}

static void test_text_at_root_gets_paragraph(void **state)
{
    fixture *f = *state;
    text(f->b, "hello");
    finish_and_validate(f);
    const oct_node *p = only_child(oct_doc_root(f->doc), OCT_NODE_PARAGRAPH);
    expect_text(only_child(p, OCT_NODE_TEXT), "hello");
}

static void test_inline_in_list_gets_item_and_paragraph(void **state)
{
    fixture *f = *state;
    open_type(f->b, OCT_NODE_LIST);
    text(f->b, "loose");
    assert_int_equal(oct_builder_close(f->b), OCT_OK);
    finish_and_validate(f);
    const oct_node *list = only_child(oct_doc_root(f->doc), OCT_NODE_LIST);
    const oct_node *item = only_child(list, OCT_NODE_LIST_ITEM);
    const oct_node *p = only_child(item, OCT_NODE_PARAGRAPH);
    expect_text(only_child(p, OCT_NODE_TEXT), "loose");
}

static void test_item_outside_list_gets_list(void **state)
{
    fixture *f = *state;
    open_type(f->b, OCT_NODE_LIST_ITEM);
    text(f->b, "a");
    assert_int_equal(oct_builder_close(f->b), OCT_OK);
    open_type(f->b, OCT_NODE_LIST_ITEM);
    text(f->b, "b");
    assert_int_equal(oct_builder_close(f->b), OCT_OK);
    finish_and_validate(f);
    const oct_node *list = oct_node_first_child(oct_doc_root(f->doc));
    assert_non_null(list);
    assert_int_equal(oct_node_get_type(list), OCT_NODE_LIST);
    size_t items = 0;
    for (const oct_node *n = list; n != NULL; n = oct_node_next(n)) {
        assert_int_equal(oct_node_get_type(n), OCT_NODE_LIST);
        for (const oct_node *i = oct_node_first_child(n); i != NULL; i = oct_node_next(i)) {
            assert_int_equal(oct_node_get_type(i), OCT_NODE_LIST_ITEM);
            items++;
        }
    }
    assert_int_equal(items, 2);
    size_t len;
    char *all = collect_text(oct_doc_root(f->doc), &len);
    assert_string_equal(all, "ab");
    free(all);
}

static void test_cell_outside_row_gets_row(void **state)
{
    fixture *f = *state;
    open_type(f->b, OCT_NODE_TABLE);
    open_type(f->b, OCT_NODE_TABLE_CELL);
    text(f->b, "c");
    assert_int_equal(oct_builder_close(f->b), OCT_OK);
    assert_int_equal(oct_builder_close(f->b), OCT_OK);
    finish_and_validate(f);
    const oct_node *table = only_child(oct_doc_root(f->doc), OCT_NODE_TABLE);
    const oct_node *row = only_child(table, OCT_NODE_TABLE_ROW);
    const oct_node *cell = only_child(row, OCT_NODE_TABLE_CELL);
    size_t len;
    char *all = collect_text(cell, &len);
    assert_string_equal(all, "c");
    free(all);
}

/* <p><em>a<blockquote>b</blockquote>c</em></p>: the quote closes the
 * paragraph and the emphasis, which are reopened after it. */
static void test_block_inside_emphasis_reopens_it_after(void **state)
{
    fixture *f = *state;
    open_type(f->b, OCT_NODE_PARAGRAPH);
    open_type(f->b, OCT_NODE_EMPH);
    text(f->b, "a");
    open_type(f->b, OCT_NODE_BLOCK_QUOTE);
    text(f->b, "b");
    assert_int_equal(oct_builder_close(f->b), OCT_OK);
    text(f->b, "c");
    assert_int_equal(oct_builder_close(f->b), OCT_OK); /* em */
    assert_int_equal(oct_builder_close(f->b), OCT_OK); /* p */
    finish_and_validate(f);

    const oct_node *root = oct_doc_root(f->doc);
    const oct_node *p1 = oct_node_first_child(root);
    assert_non_null(p1);
    assert_int_equal(oct_node_get_type(p1), OCT_NODE_PARAGRAPH);
    expect_text(only_child(only_child(p1, OCT_NODE_EMPH), OCT_NODE_TEXT), "a");

    const oct_node *quote = oct_node_next(p1);
    assert_non_null(quote);
    assert_int_equal(oct_node_get_type(quote), OCT_NODE_BLOCK_QUOTE);
    size_t len;
    char *inside = collect_text(quote, &len);
    assert_string_equal(inside, "b");
    free(inside);

    const oct_node *p2 = oct_node_next(quote);
    assert_non_null(p2);
    assert_int_equal(oct_node_get_type(p2), OCT_NODE_PARAGRAPH);
    expect_text(only_child(only_child(p2, OCT_NODE_EMPH), OCT_NODE_TEXT), "c");
    assert_null(oct_node_next(p2));
}

/* After the rules closed a node, its own close is a no-op and content that
 * follows lands in a valid place. */
static void test_closes_stay_balanced(void **state)
{
    fixture *f = *state;
    open_type(f->b, OCT_NODE_BLOCK_QUOTE);
    open_type(f->b, OCT_NODE_PARAGRAPH);
    open_type(f->b, OCT_NODE_STRONG);
    text(f->b, "x");
    open_type(f->b, OCT_NODE_HEADING);
    text(f->b, "y");
    assert_int_equal(oct_builder_close(f->b), OCT_OK); /* heading */
    assert_int_equal(oct_builder_close(f->b), OCT_OK); /* strong */
    assert_int_equal(oct_builder_close(f->b), OCT_OK); /* p */
    text(f->b, "z");
    assert_int_equal(oct_builder_close(f->b), OCT_OK); /* quote */
    assert_ptr_equal(oct_builder_current(f->b), oct_doc_root(f->doc));
    text(f->b, "w");
    finish_and_validate(f);

    const oct_node *root = oct_doc_root(f->doc);
    const oct_node *quote = oct_node_first_child(root);
    assert_int_equal(oct_node_get_type(quote), OCT_NODE_BLOCK_QUOTE);
    size_t len;
    char *in_quote = collect_text(quote, &len);
    assert_string_equal(in_quote, "xyz");
    free(in_quote);
    const oct_node *after = oct_node_next(quote);
    assert_non_null(after);
    assert_int_equal(oct_node_get_type(after), OCT_NODE_PARAGRAPH);
    expect_text(only_child(after, OCT_NODE_TEXT), "w");
    /* The heading is a block of the quote, not of an inline. */
    int seen_heading = 0;
    for (const oct_node *n = oct_node_first_child(quote); n != NULL; n = oct_node_next(n)) {
        if (oct_node_get_type(n) == OCT_NODE_HEADING) seen_heading = 1;
    }
    assert_true(seen_heading);
}

static void test_text_repaired_and_merged(void **state)
{
    fixture *f = *state;
    open_type(f->b, OCT_NODE_PARAGRAPH);
    assert_int_equal(oct_builder_text(f->b, "a\xff" "b", 3), OCT_OK);
    assert_int_equal(oct_builder_text(f->b, "c\0d", 3), OCT_OK);
    assert_int_equal(oct_builder_text(f->b, "", 0), OCT_OK);
    text(f->b, "\xc3\xa9");
    assert_int_equal(oct_builder_close(f->b), OCT_OK);
    finish_and_validate(f);
    const oct_node *p = only_child(oct_doc_root(f->doc), OCT_NODE_PARAGRAPH);
    expect_text(only_child(p, OCT_NODE_TEXT), "a\xef\xbf\xbd" "bcd\xc3\xa9");
}

/* A sequence split across two calls is still one valid character. */
static void test_text_split_utf8_sequence(void **state)
{
    fixture *f = *state;
    open_type(f->b, OCT_NODE_PARAGRAPH);
    assert_int_equal(oct_builder_text(f->b, "x\xe2\x82", 3), OCT_OK);
    assert_int_equal(oct_builder_text(f->b, "\xac" "y", 2), OCT_OK);
    assert_int_equal(oct_builder_close(f->b), OCT_OK);
    finish_and_validate(f);
    size_t len;
    char *all = collect_text(oct_doc_root(f->doc), &len);
    assert_true(oct_utf8_is_valid(all, len));
    assert_non_null(strchr(all, 'x'));
    assert_non_null(strchr(all, 'y'));
    free(all);
}

static void test_leaves_appended_not_opened(void **state)
{
    fixture *f = *state;
    open_type(f->b, OCT_NODE_PARAGRAPH);
    text(f->b, "one");
    oct_node *br = oct_node_new(f->doc, OCT_NODE_LINE_BREAK);
    assert_int_equal(oct_builder_leaf(f->b, br), OCT_OK);
    text(f->b, "two");
    assert_int_equal(oct_builder_close(f->b), OCT_OK);
    oct_node *hr = oct_node_new(f->doc, OCT_NODE_THEMATIC_BREAK);
    assert_int_equal(oct_builder_leaf(f->b, hr), OCT_OK);
    assert_ptr_equal(oct_builder_current(f->b), oct_doc_root(f->doc));
    finish_and_validate(f);

    const oct_node *p = oct_node_first_child(oct_doc_root(f->doc));
    const oct_node *t1 = oct_node_first_child(p);
    expect_text(t1, "one");
    assert_ptr_equal(oct_node_next(t1), br);
    expect_text(oct_node_next(br), "two");
    assert_ptr_equal(oct_node_next(p), hr);
}

/* An inline leaf at block level gets a paragraph; a block leaf inside an
 * inline closes it. */
static void test_leaves_placed_validly(void **state)
{
    fixture *f = *state;
    oct_node *img = oct_node_new(f->doc, OCT_NODE_IMAGE);
    assert_int_equal(oct_builder_leaf(f->b, img), OCT_OK);
    open_type(f->b, OCT_NODE_PARAGRAPH);
    open_type(f->b, OCT_NODE_EMPH);
    text(f->b, "before");
    oct_node *code = oct_node_new(f->doc, OCT_NODE_CODE_BLOCK);
    assert_int_equal(oct_node_set_literal(code, "int x;\n", 7), OCT_OK);
    assert_int_equal(oct_builder_leaf(f->b, code), OCT_OK);
    text(f->b, "after");
    assert_int_equal(oct_builder_close(f->b), OCT_OK);
    assert_int_equal(oct_builder_close(f->b), OCT_OK);
    finish_and_validate(f);
    assert_int_equal(oct_node_get_type(oct_node_parent(img)), OCT_NODE_PARAGRAPH);
    assert_ptr_equal(oct_node_parent(code), oct_doc_root(f->doc));
    size_t len;
    char *all = collect_text(oct_doc_root(f->doc), &len);
    assert_string_equal(all, "beforeafter");
    free(all);
}

static int max_depth_of(const oct_node *root)
{
    oct_iter it;
    oct_iter_init(&it, root);
    int depth = 0, max = 0;
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        const oct_node *n = oct_iter_node(&it);
        if (ev == OCT_EVENT_ENTER) {
            if (depth > max) max = depth;
            if (!oct_node_type_is_leaf(oct_node_get_type(n))) depth++;
        } else if (ev == OCT_EVENT_EXIT) {
            depth--;
        }
    }
    return max;
}

/* Hostile input: 100,000 nested containers, text at every level. Nothing
 * beyond max_depth is nested, nothing is lost, and nothing recurses. */
static void nest_deeply(fixture *f, oct_node_type container, size_t levels)
{
    const oct_limits *lim = oct_doc_limits(f->doc);
    assert_non_null(lim);
    const uint32_t max_depth = lim->max_depth;
    assert_true(max_depth > 0 && max_depth < levels);

    oct_buf want;
    oct_buf_init(&want, 0);
    char label[32];
    for (size_t i = 0; i < levels; i++) {
        open_type(f->b, container);
        int n = snprintf(label, sizeof label, "%zu.", i);
        assert_int_equal(oct_builder_text(f->b, label, (size_t)n), OCT_OK);
        assert_int_equal(oct_buf_append(&want, label, (size_t)n), OCT_OK);
    }
    for (size_t i = 0; i < levels; i++) assert_int_equal(oct_builder_close(f->b), OCT_OK);
    /* Give or take the root and an auto paragraph in how depth is counted. */
    assert_true(oct_builder_flattened(f->b) + 2 >= levels - max_depth);
    finish_and_validate(f);

    /* Allow the root plus an auto paragraph and its text below the limit. */
    const int depth = max_depth_of(oct_doc_root(f->doc));
    assert_in_range(depth, 1, (int)max_depth + 3);

    /* Flattened blocks may be separated by a space so words do not run
     * together; apart from that, every byte arrives in order. */
    size_t len;
    char *got = collect_text(oct_doc_root(f->doc), &len);
    size_t kept = 0;
    for (size_t i = 0; i < len; i++) {
        if (got[i] != ' ') got[kept++] = got[i];
    }
    assert_int_equal(kept, want.len);
    assert_memory_equal(got, want.data, kept);
    free(got);
    oct_buf_free(&want);
}

static void test_deep_block_nesting_flattened(void **state)
{
    nest_deeply(*state, OCT_NODE_BLOCK_QUOTE, 100000);
}

static void test_deep_inline_nesting_flattened(void **state)
{
    nest_deeply(*state, OCT_NODE_STRONG, 100000);
}

static void test_small_max_depth_respected(void **state)
{
    fixture *f = *state;
    oct_limits lim;
    oct_limits_default(&lim);
    lim.max_depth = 8;
    oct_doc_set_limits(f->doc, &lim);
    assert_int_equal(oct_doc_limits(f->doc)->max_depth, 8);
    nest_deeply(f, OCT_NODE_DIV, 50);
}

static void test_node_limit(void **state)
{
    fixture *f = *state;
    oct_limits lim;
    oct_limits_default(&lim);
    lim.max_nodes = 100;
    oct_doc_set_limits(f->doc, &lim);
    oct_status st = OCT_OK;
    for (int i = 0; i < 1000 && st == OCT_OK; i++) {
        oct_node *p = oct_node_new(f->doc, OCT_NODE_PARAGRAPH);
        st = p ? oct_builder_open(f->b, p) : OCT_ERR_LIMIT;
        if (st == OCT_OK) st = oct_builder_close(f->b);
    }
    assert_int_equal(st, OCT_ERR_LIMIT);
    assert_true(oct_doc_node_count(f->doc) <= 100);
}

/* xorshift64*: a fixed-seed generator so every run builds the same trees. */
static uint64_t next_random(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 2685821657736338717ull;
}

static const oct_node_type leaf_types[] = {
    OCT_NODE_THEMATIC_BREAK, OCT_NODE_IMAGE,      OCT_NODE_LINE_BREAK, OCT_NODE_SOFT_BREAK,
    OCT_NODE_FOOTNOTE_REF,   OCT_NODE_CODE_BLOCK, OCT_NODE_CODE,       OCT_NODE_RAW_BLOCK,
    OCT_NODE_RAW_INLINE,
};

static oct_node *random_node(oct_doc *doc, uint64_t *rng, int *is_leaf)
{
    oct_node_type t;
    *is_leaf = next_random(rng) % 4 == 0;
    if (*is_leaf) {
        t = leaf_types[next_random(rng) % (sizeof leaf_types / sizeof leaf_types[0])];
    } else {
        do {
            t = (oct_node_type)(OCT_NODE_FIRST_BLOCK + 1 +
                                next_random(rng) % (OCT_NODE_TYPE_COUNT_ - OCT_NODE_FIRST_BLOCK - 1));
        } while (oct_node_type_is_leaf(t));
    }
    oct_node *n = oct_node_new(doc, t);
    assert_non_null(n);
    char label[16];
    snprintf(label, sizeof label, "fn%d", (int)(next_random(rng) % 4));
    switch (t) {
    case OCT_NODE_HEADING:
        assert_int_equal(oct_node_set_heading_level(n, 1 + (int)(next_random(rng) % 6)), OCT_OK);
        break;
    case OCT_NODE_FOOTNOTE_DEF:
    case OCT_NODE_FOOTNOTE_REF:
        assert_int_equal(oct_node_set_footnote_label(n, label), OCT_OK);
        break;
    case OCT_NODE_CODE_BLOCK:
    case OCT_NODE_CODE:
    case OCT_NODE_RAW_BLOCK:
    case OCT_NODE_RAW_INLINE:
        assert_int_equal(oct_node_set_literal(n, "x = 1;", 6), OCT_OK);
        if (t == OCT_NODE_RAW_BLOCK || t == OCT_NODE_RAW_INLINE) {
            assert_int_equal(oct_node_set_raw_format(n, "html"), OCT_OK);
        }
        break;
    case OCT_NODE_LINK:
    case OCT_NODE_IMAGE:
        assert_int_equal(oct_node_set_url(n, "https://example.org/"), OCT_OK);
        break;
    default:
        break;
    }
    return n;
}

/* Random but well-nested reader output of every node type, text with
 * invalid bytes and NULs: whatever readers report, the builder's tree is
 * valid and its text is valid UTF-8 without NUL bytes. */
static void test_random_reports_give_valid_trees(void **state)
{
    (void)state;
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    static const char *const snippets[] = {"word ", "caf\xc3\xa9", "bad\xff", "nul\0byte",
                                           "\xe2\x82", "\xac", " ", ""};
    static const size_t snippet_len[] = {5, 5, 4, 8, 2, 1, 1, 0};
    for (int round = 0; round < 300; round++) {
        oct_doc *doc = oct_doc_new();
        assert_non_null(doc);
        oct_builder *b = oct_builder_new(doc);
        assert_non_null(b);
        size_t open = 0;
        for (int op = 0; op < 200; op++) {
            const uint64_t r = next_random(&rng) % 10;
            if (r < 4) {
                int leaf;
                oct_node *n = random_node(doc, &rng, &leaf);
                if (leaf) {
                    assert_int_equal(oct_builder_leaf(b, n), OCT_OK);
                } else {
                    assert_int_equal(oct_builder_open(b, n), OCT_OK);
                    open++;
                }
            } else if (r < 7 && open > 0) {
                assert_int_equal(oct_builder_close(b), OCT_OK);
                open--;
            } else {
                const size_t k = next_random(&rng) % (sizeof snippets / sizeof snippets[0]);
                assert_int_equal(oct_builder_text(b, snippets[k], snippet_len[k]), OCT_OK);
            }
        }
        while (open-- > 0) assert_int_equal(oct_builder_close(b), OCT_OK);
        assert_int_equal(oct_builder_finish(b), OCT_OK);
        oct_error err;
        oct_error_clear(&err);
        if (oct_doc_validate(doc, &err) != OCT_OK) {
            fail_msg("round %d: invalid tree: %s", round, err.message);
        }
        size_t len = 0;
        char *all = collect_text(oct_doc_root(doc), &len);
        assert_true(oct_utf8_is_valid(all, len));
        assert_null(memchr(all, '\0', len));
        free(all);
        oct_builder_free(b);
        oct_doc_free(doc);
    }
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_text_at_root_gets_paragraph),
        T(test_inline_in_list_gets_item_and_paragraph),
        T(test_item_outside_list_gets_list),
        T(test_cell_outside_row_gets_row),
        T(test_block_inside_emphasis_reopens_it_after),
        T(test_closes_stay_balanced),
        T(test_text_repaired_and_merged),
        T(test_text_split_utf8_sequence),
        T(test_leaves_appended_not_opened),
        T(test_leaves_placed_validly),
        T(test_deep_block_nesting_flattened),
        T(test_deep_inline_nesting_flattened),
        T(test_small_max_depth_respected),
        T(test_node_limit),
        cmocka_unit_test(test_random_reports_give_valid_trees),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
