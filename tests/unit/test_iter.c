/* The ENTER/EXIT iterator: event order on a known tree, leaves, empty
 * containers, skip_children, subtrees, and a 100,000-level chain that must
 * walk and free without recursion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "octavo/octavo.h"
#include "octest.h"

static oct_node *add(oct_node *parent, oct_node_type t)
{
    oct_node *n = oct_node_new(oct_node_doc(parent), t);
    assert_non_null(n);
    assert_int_equal(oct_node_append_child(parent, n), OCT_OK);
    return n;
}

typedef struct step {
    oct_event event;
    oct_node_type type;
} step;

/* DOCUMENT
 *   HEADING > TEXT
 *   PARAGRAPH > TEXT, EMPH > TEXT
 *   THEMATIC_BREAK
 *   BLOCK_QUOTE (empty) */
static oct_doc *known_tree(oct_node **para)
{
    oct_doc *doc = oct_doc_new();
    assert_non_null(doc);
    oct_node *root = oct_doc_root(doc);
    add(add(root, OCT_NODE_HEADING), OCT_NODE_TEXT);
    *para = add(root, OCT_NODE_PARAGRAPH);
    add(*para, OCT_NODE_TEXT);
    add(add(*para, OCT_NODE_EMPH), OCT_NODE_TEXT);
    add(root, OCT_NODE_THEMATIC_BREAK);
    add(root, OCT_NODE_BLOCK_QUOTE);
    return doc;
}

static void expect_walk(const oct_node *root, const step *want, size_t n_want,
                        oct_node_type skip_at)
{
    oct_iter it;
    oct_iter_init(&it, root);
    size_t i = 0;
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        assert_true(i < n_want);
        const oct_node *n = oct_iter_node(&it);
        assert_non_null(n);
        if (ev != want[i].event || oct_node_get_type(n) != want[i].type) {
            fail_msg("step %zu: got %s %s, want %s %s", i,
                     ev == OCT_EVENT_ENTER ? "ENTER" : ev == OCT_EVENT_EXIT ? "EXIT" : "?",
                     oct_node_type_name(oct_node_get_type(n)),
                     want[i].event == OCT_EVENT_ENTER ? "ENTER" : "EXIT",
                     oct_node_type_name(want[i].type));
        }
        if (ev == OCT_EVENT_ENTER && oct_node_get_type(n) == skip_at) {
            oct_iter_skip_children(&it);
        }
        i++;
    }
    assert_int_equal(i, n_want);
    /* DONE is sticky. */
    assert_int_equal(oct_iter_next(&it), OCT_EVENT_DONE);
}

static void test_enter_exit_order(void **state)
{
    (void)state;
    oct_node *para;
    oct_doc *doc = known_tree(&para);
    const step want[] = {
        {OCT_EVENT_ENTER, OCT_NODE_DOCUMENT},
        {OCT_EVENT_ENTER, OCT_NODE_HEADING},
        {OCT_EVENT_ENTER, OCT_NODE_TEXT},
        {OCT_EVENT_EXIT, OCT_NODE_HEADING},
        {OCT_EVENT_ENTER, OCT_NODE_PARAGRAPH},
        {OCT_EVENT_ENTER, OCT_NODE_TEXT},
        {OCT_EVENT_ENTER, OCT_NODE_EMPH},
        {OCT_EVENT_ENTER, OCT_NODE_TEXT},
        {OCT_EVENT_EXIT, OCT_NODE_EMPH},
        {OCT_EVENT_EXIT, OCT_NODE_PARAGRAPH},
        {OCT_EVENT_ENTER, OCT_NODE_THEMATIC_BREAK},
        {OCT_EVENT_ENTER, OCT_NODE_BLOCK_QUOTE},
        {OCT_EVENT_EXIT, OCT_NODE_BLOCK_QUOTE},
        {OCT_EVENT_EXIT, OCT_NODE_DOCUMENT},
    };
    expect_walk(oct_doc_root(doc), want, sizeof want / sizeof want[0], OCT_NODE_NONE);
    oct_doc_free(doc);
}

static void test_skip_children(void **state)
{
    (void)state;
    oct_node *para;
    oct_doc *doc = known_tree(&para);
    const step want[] = {
        {OCT_EVENT_ENTER, OCT_NODE_DOCUMENT},
        {OCT_EVENT_ENTER, OCT_NODE_HEADING},
        {OCT_EVENT_ENTER, OCT_NODE_TEXT},
        {OCT_EVENT_EXIT, OCT_NODE_HEADING},
        {OCT_EVENT_ENTER, OCT_NODE_PARAGRAPH},
        {OCT_EVENT_EXIT, OCT_NODE_PARAGRAPH},
        {OCT_EVENT_ENTER, OCT_NODE_THEMATIC_BREAK},
        {OCT_EVENT_ENTER, OCT_NODE_BLOCK_QUOTE},
        {OCT_EVENT_EXIT, OCT_NODE_BLOCK_QUOTE},
        {OCT_EVENT_EXIT, OCT_NODE_DOCUMENT},
    };
    expect_walk(oct_doc_root(doc), want, sizeof want / sizeof want[0], OCT_NODE_PARAGRAPH);
    oct_doc_free(doc);
}

/* A walk rooted at an inner node never leaves it, even though the node has
 * siblings and a parent. */
static void test_subtree_walk_stays_inside(void **state)
{
    (void)state;
    oct_node *para;
    oct_doc *doc = known_tree(&para);
    const step want[] = {
        {OCT_EVENT_ENTER, OCT_NODE_PARAGRAPH},
        {OCT_EVENT_ENTER, OCT_NODE_TEXT},
        {OCT_EVENT_ENTER, OCT_NODE_EMPH},
        {OCT_EVENT_ENTER, OCT_NODE_TEXT},
        {OCT_EVENT_EXIT, OCT_NODE_EMPH},
        {OCT_EVENT_EXIT, OCT_NODE_PARAGRAPH},
    };
    expect_walk(para, want, sizeof want / sizeof want[0], OCT_NODE_NONE);

    const step leaf_only[] = {{OCT_EVENT_ENTER, OCT_NODE_TEXT}};
    expect_walk(oct_node_first_child(para), leaf_only, 1, OCT_NODE_NONE);
    oct_doc_free(doc);
}

static void test_empty_document(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    assert_non_null(doc);
    const step want[] = {
        {OCT_EVENT_ENTER, OCT_NODE_DOCUMENT},
        {OCT_EVENT_EXIT, OCT_NODE_DOCUMENT},
    };
    expect_walk(oct_doc_root(doc), want, 2, OCT_NODE_NONE);
    oct_doc_free(doc);
}

enum { DEEP = 100000 };

static void raise_limits(oct_doc *doc)
{
    oct_limits lim;
    oct_limits_default(&lim);
    lim.max_depth = DEEP * 2;
    if (lim.max_nodes < DEEP * 4) lim.max_nodes = DEEP * 4;
    oct_doc_set_limits(doc, &lim);
}

/* Builds the chain bottom-up so each append is O(1) whatever the cycle check
 * costs, then walks and frees it: a recursive walk or free would overflow the
 * stack (and ASan's smaller one sooner). */
static void test_deep_chain_walks_and_frees(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    assert_non_null(doc);
    raise_limits(doc);

    oct_node *top = oct_node_new(doc, OCT_NODE_PARAGRAPH);
    assert_non_null(top);
    oct_node *text = oct_node_new(doc, OCT_NODE_TEXT);
    assert_non_null(text);
    assert_int_equal(oct_node_set_literal(text, "bottom", 6), OCT_OK);
    assert_int_equal(oct_node_append_child(top, text), OCT_OK);
    for (int i = 0; i < DEEP; i++) {
        oct_node *q = oct_node_new(doc, OCT_NODE_BLOCK_QUOTE);
        assert_non_null(q);
        assert_int_equal(oct_node_append_child(q, top), OCT_OK);
        top = q;
    }
    assert_int_equal(oct_node_append_child(oct_doc_root(doc), top), OCT_OK);

    oct_iter it;
    oct_iter_init(&it, oct_doc_root(doc));
    size_t enters = 0, exits = 0, depth = 0, max_depth = 0;
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        const oct_node *n = oct_iter_node(&it);
        if (ev == OCT_EVENT_ENTER) {
            enters++;
            if (!oct_node_type_is_leaf(oct_node_get_type(n))) depth++;
            if (depth > max_depth) max_depth = depth;
        } else {
            assert_int_equal(ev, OCT_EVENT_EXIT);
            exits++;
            depth--;
        }
    }
    /* root + quotes + paragraph + text; the text leaf has no EXIT. */
    assert_int_equal(enters, (size_t)DEEP + 3);
    assert_int_equal(exits, (size_t)DEEP + 2);
    assert_int_equal(max_depth, (size_t)DEEP + 2);
    assert_int_equal(depth, 0);
    assert_int_equal(oct_doc_validate(doc, NULL), OCT_OK);
    oct_doc_free(doc);
}

/* Nodes detached from the tree (a deep orphan chain) are freed too. */
static void test_detached_deep_chain_freed(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    assert_non_null(doc);
    raise_limits(doc);
    oct_node *top = oct_node_new(doc, OCT_NODE_DIV);
    assert_non_null(top);
    for (int i = 0; i < DEEP; i++) {
        oct_node *d = oct_node_new(doc, OCT_NODE_DIV);
        assert_non_null(d);
        assert_int_equal(oct_node_append_child(d, top), OCT_OK);
        top = d;
    }
    oct_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enter_exit_order),
        cmocka_unit_test(test_skip_children),
        cmocka_unit_test(test_subtree_walk_stays_inside),
        cmocka_unit_test(test_empty_document),
        cmocka_unit_test(test_deep_chain_walks_and_frees),
        cmocka_unit_test(test_detached_deep_chain_freed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
