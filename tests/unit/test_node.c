/* Node model: containment rules, cycles, cross-document moves, typed
 * accessors and setters, and oct_doc_validate on a valid tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "octavo/octavo.h"
#include "octest.h"

#define INVALID_UTF8 "bad \xc3\x28 byte"

static int setup_doc(void **state)
{
    oct_doc *doc = oct_doc_new();
    if (doc == NULL) return -1;
    *state = doc;
    return 0;
}

static int teardown_doc(void **state)
{
    oct_doc_free(*state);
    return 0;
}

static oct_node *new_node(oct_doc *doc, oct_node_type t)
{
    oct_node *n = oct_node_new(doc, t);
    assert_non_null(n);
    assert_int_equal(oct_node_get_type(n), t);
    return n;
}

static size_t child_count(const oct_node *n)
{
    size_t k = 0;
    for (const oct_node *c = oct_node_first_child(n); c != NULL; c = oct_node_next(c)) k++;
    return k;
}

static void test_type_classes(void **state)
{
    (void)state;
    for (int t = OCT_NODE_FIRST_BLOCK; t <= OCT_NODE_LAST_BLOCK; t++) {
        assert_true(oct_node_type_is_block(t));
        assert_false(oct_node_type_is_inline(t));
    }
    for (int t = OCT_NODE_FIRST_INLINE; t <= OCT_NODE_LAST_INLINE; t++) {
        assert_true(oct_node_type_is_inline(t));
        assert_false(oct_node_type_is_block(t));
    }
    assert_false(oct_node_type_is_block(OCT_NODE_NONE));
    assert_false(oct_node_type_is_inline(OCT_NODE_NONE));
    assert_false(oct_node_type_is_block(OCT_NODE_TYPE_COUNT_));
    const oct_node_type leaves[] = {OCT_NODE_TEXT,        OCT_NODE_CODE,         OCT_NODE_CODE_BLOCK,
                                    OCT_NODE_THEMATIC_BREAK, OCT_NODE_IMAGE,     OCT_NODE_LINE_BREAK,
                                    OCT_NODE_SOFT_BREAK,  OCT_NODE_FOOTNOTE_REF, OCT_NODE_RAW_BLOCK,
                                    OCT_NODE_RAW_INLINE};
    for (size_t i = 0; i < sizeof leaves / sizeof leaves[0]; i++) {
        assert_true(oct_node_type_is_leaf(leaves[i]));
    }
    assert_false(oct_node_type_is_leaf(OCT_NODE_PARAGRAPH));
    assert_false(oct_node_type_is_leaf(OCT_NODE_EMPH));
    assert_false(oct_node_type_is_leaf(OCT_NODE_LINK));
}

static void test_type_names_distinct(void **state)
{
    (void)state;
    for (int a = OCT_NODE_FIRST_BLOCK; a < OCT_NODE_TYPE_COUNT_; a++) {
        const char *na = oct_node_type_name(a);
        assert_non_null(na);
        assert_true(strlen(na) > 0);
        for (int b = a + 1; b < OCT_NODE_TYPE_COUNT_; b++) {
            assert_string_not_equal(na, oct_node_type_name(b));
        }
    }
    assert_string_equal(oct_node_type_name(OCT_NODE_HEADING), "heading");
}

/* The whole containment table obeys the model's rules. */
static void test_containment_table(void **state)
{
    (void)state;
    for (int p = OCT_NODE_FIRST_BLOCK; p < OCT_NODE_TYPE_COUNT_; p++) {
        for (int c = OCT_NODE_FIRST_BLOCK; c < OCT_NODE_TYPE_COUNT_; c++) {
            const int ok = oct_node_type_can_contain(p, c);
            if (oct_node_type_is_leaf(p)) assert_false(ok);
            if (oct_node_type_is_inline(p) && oct_node_type_is_block(c)) assert_false(ok);
            if (c == OCT_NODE_DOCUMENT) assert_false(ok);
            if (p == OCT_NODE_LIST) assert_true(ok == (c == OCT_NODE_LIST_ITEM));
            if (c == OCT_NODE_LIST_ITEM) assert_true(ok == (p == OCT_NODE_LIST));
            if (c == OCT_NODE_TABLE_CELL) assert_true(ok == (p == OCT_NODE_TABLE_ROW));
            if (c == OCT_NODE_TABLE_ROW) assert_true(ok == (p == OCT_NODE_TABLE));
            if (p == OCT_NODE_TABLE_ROW) assert_true(ok == (c == OCT_NODE_TABLE_CELL));
            if (c == OCT_NODE_FOOTNOTE_DEF) assert_true(ok == (p == OCT_NODE_DOCUMENT));
            if (c == OCT_NODE_CAPTION) {
                assert_true(ok == (p == OCT_NODE_FIGURE || p == OCT_NODE_TABLE));
            }
            if (p == OCT_NODE_DEFINITION_LIST) {
                assert_true(ok == (c == OCT_NODE_DEFINITION_TERM || c == OCT_NODE_DEFINITION_DESC));
            }
        }
        assert_false(oct_node_type_can_contain(p, OCT_NODE_NONE));
        assert_false(oct_node_type_can_contain(p, OCT_NODE_TYPE_COUNT_));
    }
    /* Sanity: the ordinary cases are allowed. */
    assert_true(oct_node_type_can_contain(OCT_NODE_DOCUMENT, OCT_NODE_PARAGRAPH));
    assert_true(oct_node_type_can_contain(OCT_NODE_PARAGRAPH, OCT_NODE_TEXT));
    assert_true(oct_node_type_can_contain(OCT_NODE_EMPH, OCT_NODE_STRONG));
    assert_true(oct_node_type_can_contain(OCT_NODE_LIST_ITEM, OCT_NODE_LIST));
    assert_true(oct_node_type_can_contain(OCT_NODE_BLOCK_QUOTE, OCT_NODE_BLOCK_QUOTE));
    assert_true(oct_node_type_can_contain(OCT_NODE_TABLE_CELL, OCT_NODE_PARAGRAPH));
    assert_false(oct_node_type_can_contain(OCT_NODE_PARAGRAPH, OCT_NODE_PARAGRAPH));
    assert_false(oct_node_type_can_contain(OCT_NODE_DOCUMENT, OCT_NODE_TEXT));
}

/* A refused append leaves both nodes exactly as they were. */
static void expect_refused(oct_node *parent, oct_node *child)
{
    const oct_node *old_parent = oct_node_parent(child);
    const oct_node *old_prev = oct_node_prev(child);
    const oct_node *old_next = oct_node_next(child);
    const size_t old_count = child_count(parent);
    assert_int_equal(oct_node_append_child(parent, child), OCT_ERR_INVALID_CHILD);
    assert_ptr_equal(oct_node_parent(child), old_parent);
    assert_ptr_equal(oct_node_prev(child), old_prev);
    assert_ptr_equal(oct_node_next(child), old_next);
    assert_int_equal(child_count(parent), old_count);
}

static void test_append_enforces_containment(void **state)
{
    oct_doc *doc = *state;
    oct_node *root = oct_doc_root(doc);
    oct_node *list = new_node(doc, OCT_NODE_LIST);
    oct_node *para = new_node(doc, OCT_NODE_PARAGRAPH);
    oct_node *emph = new_node(doc, OCT_NODE_EMPH);
    oct_node *text = new_node(doc, OCT_NODE_TEXT);
    oct_node *quote = new_node(doc, OCT_NODE_BLOCK_QUOTE);
    oct_node *fn = new_node(doc, OCT_NODE_FOOTNOTE_DEF);
    oct_node *caption = new_node(doc, OCT_NODE_CAPTION);
    oct_node *cell = new_node(doc, OCT_NODE_TABLE_CELL);
    oct_node *row = new_node(doc, OCT_NODE_TABLE_ROW);
    oct_node *table = new_node(doc, OCT_NODE_TABLE);
    oct_node *code_block = new_node(doc, OCT_NODE_CODE_BLOCK);

    expect_refused(list, para);                 /* a list holds only items */
    expect_refused(para, quote);                /* no block inside an inline container */
    expect_refused(emph, para);
    expect_refused(text, emph);                 /* leaves have no children */
    expect_refused(code_block, text);
    expect_refused(quote, fn);                  /* footnote defs only under the document */
    expect_refused(root, caption);              /* captions only in figures and tables */
    expect_refused(table, cell);                /* cells only in rows */
    expect_refused(root, row);                  /* rows only in tables */
    expect_refused(root, text);                 /* no inline directly in the document */
    expect_refused(para, root);                 /* the root is never a child */

    assert_int_equal(oct_node_append_child(root, fn), OCT_OK);
    assert_int_equal(oct_node_append_child(table, caption), OCT_OK);
    assert_int_equal(oct_node_append_child(table, row), OCT_OK);
    assert_int_equal(oct_node_append_child(row, cell), OCT_OK);
    assert_int_equal(oct_node_append_child(root, table), OCT_OK);
    assert_int_equal(oct_node_append_child(para, emph), OCT_OK);
    assert_int_equal(oct_node_append_child(emph, text), OCT_OK);
    assert_int_equal(oct_node_append_child(quote, para), OCT_OK);
    assert_int_equal(oct_node_append_child(root, quote), OCT_OK);

    /* Once attached, a refused move keeps the child where it was. */
    expect_refused(list, para);
    assert_ptr_equal(oct_node_parent(para), quote);

    /* The other insertion calls check the parent's rule too. */
    oct_node *item = new_node(doc, OCT_NODE_LIST_ITEM);
    assert_int_equal(oct_node_insert_after(quote, item), OCT_ERR_INVALID_CHILD);
    assert_int_equal(oct_node_insert_before(quote, item), OCT_ERR_INVALID_CHILD);
    assert_int_equal(oct_node_prepend_child(root, item), OCT_ERR_INVALID_CHILD);
    assert_null(oct_node_parent(item));
    assert_int_equal(oct_doc_validate(doc, NULL), OCT_OK);
}

static void test_no_cycles(void **state)
{
    oct_doc *doc = *state;
    oct_node *root = oct_doc_root(doc);
    oct_node *a = new_node(doc, OCT_NODE_BLOCK_QUOTE);
    oct_node *b = new_node(doc, OCT_NODE_BLOCK_QUOTE);
    oct_node *c = new_node(doc, OCT_NODE_BLOCK_QUOTE);
    assert_int_equal(oct_node_append_child(root, a), OCT_OK);
    assert_int_equal(oct_node_append_child(a, b), OCT_OK);
    assert_int_equal(oct_node_append_child(b, c), OCT_OK);

    /* An ancestor under its descendant: refused, nothing changes. */
    assert_int_not_equal(oct_node_append_child(c, a), OCT_OK);
    assert_int_not_equal(oct_node_prepend_child(c, b), OCT_OK);
    assert_int_not_equal(oct_node_append_child(a, a), OCT_OK);
    assert_int_not_equal(oct_node_append_child(c, root), OCT_OK);
    oct_node *p = new_node(doc, OCT_NODE_PARAGRAPH);
    assert_int_equal(oct_node_append_child(c, p), OCT_OK);
    assert_int_not_equal(oct_node_insert_before(p, a), OCT_OK);
    assert_int_not_equal(oct_node_insert_after(p, b), OCT_OK);

    assert_ptr_equal(oct_node_parent(a), root);
    assert_ptr_equal(oct_node_parent(b), a);
    assert_ptr_equal(oct_node_parent(c), b);
    assert_ptr_equal(oct_node_parent(p), c);
    assert_null(oct_node_parent(root));
    assert_int_equal(child_count(root), 1);
    assert_int_equal(child_count(a), 1);
    assert_int_equal(child_count(b), 1);
    assert_int_equal(child_count(c), 1);
    assert_int_equal(oct_doc_validate(doc, NULL), OCT_OK);
}

static void test_cross_document_refused(void **state)
{
    oct_doc *doc = *state;
    oct_doc *other = oct_doc_new();
    assert_non_null(other);
    oct_node *foreign = new_node(other, OCT_NODE_PARAGRAPH);
    assert_ptr_equal(oct_node_doc(foreign), other);
    oct_node *root = oct_doc_root(doc);
    assert_int_equal(oct_node_append_child(root, foreign), OCT_ERR_INVALID_ARG);
    assert_int_equal(oct_node_prepend_child(root, foreign), OCT_ERR_INVALID_ARG);
    assert_null(oct_node_parent(foreign));
    assert_null(oct_node_first_child(root));

    oct_node *mine = new_node(doc, OCT_NODE_PARAGRAPH);
    assert_int_equal(oct_node_append_child(root, mine), OCT_OK);
    assert_int_equal(oct_node_insert_after(mine, foreign), OCT_ERR_INVALID_ARG);
    assert_int_equal(oct_node_insert_before(mine, foreign), OCT_ERR_INVALID_ARG);
    assert_int_equal(child_count(root), 1);
    assert_int_equal(oct_node_append_child(oct_doc_root(other), foreign), OCT_OK);
    oct_doc_free(other);
    assert_int_equal(oct_doc_validate(doc, NULL), OCT_OK);
}

static void test_order_move_unlink(void **state)
{
    oct_doc *doc = *state;
    oct_node *root = oct_doc_root(doc);
    oct_node *p1 = new_node(doc, OCT_NODE_PARAGRAPH);
    oct_node *p2 = new_node(doc, OCT_NODE_PARAGRAPH);
    oct_node *p3 = new_node(doc, OCT_NODE_PARAGRAPH);
    oct_node *p0 = new_node(doc, OCT_NODE_PARAGRAPH);
    assert_int_equal(oct_node_append_child(root, p2), OCT_OK);
    assert_int_equal(oct_node_insert_after(p2, p3), OCT_OK);
    assert_int_equal(oct_node_insert_before(p2, p1), OCT_OK);
    assert_int_equal(oct_node_prepend_child(root, p0), OCT_OK);
    const oct_node *want[] = {p0, p1, p2, p3};
    const oct_node *n = oct_node_first_child(root);
    for (size_t i = 0; i < 4; i++, n = oct_node_next(n)) assert_ptr_equal(n, want[i]);
    assert_null(n);
    assert_ptr_equal(oct_node_last_child(root), p3);
    assert_ptr_equal(oct_node_prev(p1), p0);
    assert_null(oct_node_prev(p0));

    /* An attached child is moved, not duplicated. */
    oct_node *quote = new_node(doc, OCT_NODE_BLOCK_QUOTE);
    assert_int_equal(oct_node_append_child(root, quote), OCT_OK);
    assert_int_equal(oct_node_append_child(quote, p1), OCT_OK);
    assert_ptr_equal(oct_node_parent(p1), quote);
    assert_ptr_equal(oct_node_next(p0), p2);
    assert_ptr_equal(oct_node_prev(p2), p0);
    assert_int_equal(child_count(root), 4);

    oct_node_unlink(p2);
    assert_null(oct_node_parent(p2));
    assert_null(oct_node_next(p2));
    assert_null(oct_node_prev(p2));
    assert_ptr_equal(oct_node_next(p0), p3);
    oct_node_unlink(p0);
    assert_ptr_equal(oct_node_first_child(root), p3);
    oct_node_unlink(quote);
    assert_ptr_equal(oct_node_last_child(root), p3);
    oct_node_unlink(quote); /* unlinking a detached node is harmless */
    assert_int_equal(oct_doc_validate(doc, NULL), OCT_OK);
}

static void test_text_setters_reject_invalid_utf8(void **state)
{
    oct_doc *doc = *state;
    oct_node *text = new_node(doc, OCT_NODE_TEXT);
    assert_int_equal(oct_node_set_literal(text, "good", 4), OCT_OK);
    assert_int_equal(oct_node_set_literal(text, INVALID_UTF8, strlen(INVALID_UTF8)),
                     OCT_ERR_INVALID_UTF8);
    size_t len = 0;
    assert_string_equal(oct_node_literal(text, &len), "good");
    assert_int_equal(len, 4);

    /* The length is honoured: a prefix of a longer string. */
    assert_int_equal(oct_node_set_literal(text, "abcdef", 3), OCT_OK);
    assert_string_equal(oct_node_literal(text, &len), "abc");
    assert_int_equal(len, 3);

    oct_node *link = new_node(doc, OCT_NODE_LINK);
    assert_int_equal(oct_node_set_url(link, INVALID_UTF8), OCT_ERR_INVALID_UTF8);
    assert_int_equal(oct_node_set_title(link, INVALID_UTF8), OCT_ERR_INVALID_UTF8);
    assert_int_equal(oct_node_set_id(link, INVALID_UTF8), OCT_ERR_INVALID_UTF8);
    assert_string_equal(oct_node_url(link), "");

    oct_node *image = new_node(doc, OCT_NODE_IMAGE);
    assert_int_equal(oct_node_set_image_alt(image, INVALID_UTF8), OCT_ERR_INVALID_UTF8);
    assert_int_equal(oct_node_set_image_alt(image, "a \xe2\x80\x94 dash"), OCT_OK);
    assert_string_equal(oct_node_image_alt(image), "a \xe2\x80\x94 dash");

    oct_node *fn = new_node(doc, OCT_NODE_FOOTNOTE_DEF);
    assert_int_equal(oct_node_set_footnote_label(fn, INVALID_UTF8), OCT_ERR_INVALID_UTF8);
    oct_node *code = new_node(doc, OCT_NODE_CODE_BLOCK);
    assert_int_equal(oct_node_set_literal(code, "\xff", 1), OCT_ERR_INVALID_UTF8);
}

static void test_accessors_on_wrong_type(void **state)
{
    oct_doc *doc = *state;
    oct_node *para = new_node(doc, OCT_NODE_PARAGRAPH);
    oct_node *text = new_node(doc, OCT_NODE_TEXT);
    size_t len = 99;

    assert_null(oct_node_literal(para, &len));
    assert_int_equal(oct_node_heading_level(para), 0);
    assert_int_equal(oct_node_list_start(para), 0);
    assert_int_equal(oct_node_list_is_ordered(para), 0);
    assert_null(oct_node_url(text));
    assert_null(oct_node_title(para));
    assert_null(oct_node_image_alt(para));
    assert_null(oct_node_image_resource(para));
    assert_int_equal(oct_node_image_width(para), 0);
    assert_null(oct_node_cite(para));
    assert_int_equal(oct_node_cell_colspan(para), 0);
    assert_int_equal(oct_node_cell_is_header(para), 0);
    assert_null(oct_node_footnote_label(para));
    assert_null(oct_node_raw_format(para));
    assert_null(oct_node_code_language(text));
    assert_null(oct_node_class(text));

    assert_int_equal(oct_node_set_literal(para, "x", 1), OCT_ERR_WRONG_TYPE);
    assert_int_equal(oct_node_set_heading_level(para, 2), OCT_ERR_WRONG_TYPE);
    assert_int_equal(oct_node_set_list_style(para, OCT_LIST_DECIMAL), OCT_ERR_WRONG_TYPE);
    assert_int_equal(oct_node_set_list_start(text, 3), OCT_ERR_WRONG_TYPE);
    assert_int_equal(oct_node_set_item_task(para, OCT_TASK_CHECKED), OCT_ERR_WRONG_TYPE);
    assert_int_equal(oct_node_set_url(text, "http://x"), OCT_ERR_WRONG_TYPE);
    assert_int_equal(oct_node_set_image_alt(text, "x"), OCT_ERR_WRONG_TYPE);
    assert_int_equal(oct_node_set_image_size(para, 1, 1), OCT_ERR_WRONG_TYPE);
    assert_int_equal(oct_node_set_cite(para, "http://x"), OCT_ERR_WRONG_TYPE);
    assert_int_equal(oct_node_set_cell_span(para, 2, 1), OCT_ERR_WRONG_TYPE);
    assert_int_equal(oct_node_set_row_section(para, OCT_ROW_HEAD), OCT_ERR_WRONG_TYPE);
    assert_int_equal(oct_node_set_footnote_label(para, "1"), OCT_ERR_WRONG_TYPE);
    assert_int_equal(oct_node_set_raw_format(para, "html"), OCT_ERR_WRONG_TYPE);
    assert_int_equal(oct_node_set_code_language(text, "c"), OCT_ERR_WRONG_TYPE);
    /* Nothing leaked into the other node's fields. */
    assert_null(oct_node_literal(para, NULL));
    assert_int_equal(oct_node_heading_level(para), 0);
}

static void test_typed_fields(void **state)
{
    oct_doc *doc = *state;
    oct_node *h = new_node(doc, OCT_NODE_HEADING);
    assert_int_equal(oct_node_set_heading_level(h, 3), OCT_OK);
    assert_int_equal(oct_node_heading_level(h), 3);
    assert_int_not_equal(oct_node_set_heading_level(h, 7), OCT_OK);
    assert_int_not_equal(oct_node_set_heading_level(h, 0), OCT_OK);
    assert_int_equal(oct_node_heading_level(h), 3);

    oct_node *list = new_node(doc, OCT_NODE_LIST);
    assert_false(oct_node_list_is_ordered(list));
    assert_int_equal(oct_node_set_list_style(list, OCT_LIST_UPPER_ROMAN), OCT_OK);
    assert_int_equal(oct_node_list_style(list), OCT_LIST_UPPER_ROMAN);
    assert_true(oct_node_list_is_ordered(list));
    assert_int_equal(oct_node_set_list_start(list, 4), OCT_OK);
    assert_int_equal(oct_node_list_start(list), 4);
    assert_int_equal(oct_node_set_list_reversed(list, 1), OCT_OK);
    assert_true(oct_node_list_reversed(list));

    oct_node *cell = new_node(doc, OCT_NODE_TABLE_CELL);
    assert_int_equal(oct_node_cell_colspan(cell), 1);
    assert_int_equal(oct_node_cell_rowspan(cell), 1);
    assert_int_equal(oct_node_set_cell_span(cell, 3, 2), OCT_OK);
    assert_int_equal(oct_node_cell_colspan(cell), 3);
    assert_int_equal(oct_node_cell_rowspan(cell), 2);
    assert_int_not_equal(oct_node_set_cell_span(cell, 0, 1), OCT_OK);
    assert_int_equal(oct_node_cell_colspan(cell), 3);

    oct_node *link = new_node(doc, OCT_NODE_LINK);
    assert_non_null(oct_node_url(link));
    assert_string_equal(oct_node_url(link), "");
    char url[] = "https://example.org/a";
    assert_int_equal(oct_node_set_url(link, url), OCT_OK);
    url[0] = 'X'; /* the node keeps its own copy */
    assert_string_equal(oct_node_url(link), "https://example.org/a");

    oct_node *img = new_node(doc, OCT_NODE_IMAGE);
    assert_string_equal(oct_node_image_alt(img), "");
    assert_int_equal(oct_node_set_image_size(img, 640, 480), OCT_OK);
    assert_int_equal(oct_node_image_width(img), 640);
    assert_int_equal(oct_node_image_height(img), 480);

    oct_node *span = new_node(doc, OCT_NODE_SPAN);
    assert_int_equal(oct_node_set_lang(span, "fr-CA"), OCT_OK);
    assert_int_equal(oct_node_set_dir(span, OCT_DIR_RTL), OCT_OK);
    assert_string_equal(oct_node_lang(span), "fr-CA");
    assert_int_equal(oct_node_dir(span), OCT_DIR_RTL);
    oct_node_set_source_line(span, 42);
    assert_int_equal(oct_node_source_line(span), 42);
    assert_null(oct_node_id(span));
    assert_int_equal(oct_node_set_id(span, "s1"), OCT_OK);
    assert_string_equal(oct_node_id(span), "s1");
}

static oct_node *add(oct_node *parent, oct_node_type t)
{
    oct_node *n = new_node(oct_node_doc(parent), t);
    assert_int_equal(oct_node_append_child(parent, n), OCT_OK);
    return n;
}

static oct_node *add_text(oct_node *parent, const char *s)
{
    oct_node *t = add(parent, OCT_NODE_TEXT);
    assert_int_equal(oct_node_set_literal(t, s, strlen(s)), OCT_OK);
    return t;
}

/* A tree using every container kind validates. */
static void test_validate_accepts_valid_tree(void **state)
{
    oct_doc *doc = *state;
    oct_node *root = oct_doc_root(doc);
    oct_node *h = add(root, OCT_NODE_HEADING);
    assert_int_equal(oct_node_set_heading_level(h, 1), OCT_OK);
    add_text(h, "Title");

    oct_node *p = add(root, OCT_NODE_PARAGRAPH);
    add_text(p, "plain ");
    add_text(add(add(p, OCT_NODE_EMPH), OCT_NODE_STRONG), "both");
    oct_node *link = add(p, OCT_NODE_LINK);
    assert_int_equal(oct_node_set_url(link, "https://example.org/"), OCT_OK);
    add_text(link, "link");
    add(p, OCT_NODE_LINE_BREAK);
    oct_node *ref = add(p, OCT_NODE_FOOTNOTE_REF);
    assert_int_equal(oct_node_set_footnote_label(ref, "n1"), OCT_OK);
    add(p, OCT_NODE_IMAGE);

    oct_node *item = add(add(root, OCT_NODE_LIST), OCT_NODE_LIST_ITEM);
    add_text(add(item, OCT_NODE_PARAGRAPH), "item");
    add(item, OCT_NODE_LIST);

    oct_node *table = add(root, OCT_NODE_TABLE);
    add_text(add(table, OCT_NODE_CAPTION), "caption");
    add_text(add(add(add(table, OCT_NODE_TABLE_ROW), OCT_NODE_TABLE_CELL), OCT_NODE_PARAGRAPH),
             "cell");

    oct_node *fig = add(root, OCT_NODE_FIGURE);
    add(add(fig, OCT_NODE_PARAGRAPH), OCT_NODE_IMAGE);
    add_text(add(fig, OCT_NODE_CAPTION), "figure");

    oct_node *dl = add(root, OCT_NODE_DEFINITION_LIST);
    add_text(add(dl, OCT_NODE_DEFINITION_TERM), "term");
    add_text(add(add(dl, OCT_NODE_DEFINITION_DESC), OCT_NODE_PARAGRAPH), "desc");

    add(add(root, OCT_NODE_BLOCK_QUOTE), OCT_NODE_THEMATIC_BREAK);
    add(add(root, OCT_NODE_DIV), OCT_NODE_CODE_BLOCK);

    oct_node *fn = add(root, OCT_NODE_FOOTNOTE_DEF);
    assert_int_equal(oct_node_set_footnote_label(fn, "n1"), OCT_OK);
    add_text(add(fn, OCT_NODE_PARAGRAPH), "note");

    oct_error err;
    oct_error_clear(&err);
    assert_int_equal(oct_doc_validate(doc, &err), OCT_OK);
    assert_ptr_equal(oct_doc_find_footnote(doc, "n1"), fn);
    assert_null(oct_doc_find_footnote(doc, "n2"));
    assert_true(oct_doc_node_count(doc) >= 30);
}

/* The reference for the dump's quoting: every byte looked at alone. */
static void quote_slowly(const char *in, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    char *o = out;
    *o++ = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '"' || c == '\\') *o++ = '\\', *o++ = (char)c;
        else if (c == '\n') *o++ = '\\', *o++ = 'n';
        else if (c == '\t') *o++ = '\\', *o++ = 't';
        else if (c == '\r') *o++ = '\\', *o++ = 'r';
        else if (c < 0x20 || c == 0x7f)
            *o++ = '\\', *o++ = 'x', *o++ = digits[c >> 4], *o++ = digits[c & 15];
        else *o++ = (char)c;
    }
    *o++ = '"';
    *o = '\0';
}

/* The dump skips plain text eight bytes at a time: every byte it must
 * escape is caught at every offset, next to UTF-8 and ASCII neighbours. */
static void test_dump_quotes_at_every_offset(void **state)
{
    (void)state;
    static const char special[] = {'"', '\\', '\n', '\t', '\r', 0x01, 0x1f, 0x7f, ' ', '!', '~'};
    for (size_t k = 0; k < sizeof special; k++) {
        for (size_t at = 0; at < 20; at++) {
            char text[40], want[200];
            memset(text, 'a', sizeof text);
            memcpy(text + 24, "\xC3\xA9\xE2\x82\xAC", 5); /* é, € */
            text[at] = special[k];
            oct_doc *doc = oct_doc_new();
            oct_node *p = oct_node_new(doc, OCT_NODE_PARAGRAPH);
            oct_node *t = oct_node_new(doc, OCT_NODE_TEXT);
            assert_int_equal(oct_node_append_child(oct_doc_root(doc), p), OCT_OK);
            assert_int_equal(oct_node_append_child(p, t), OCT_OK);
            assert_int_equal(oct_node_set_literal(t, text, sizeof text), OCT_OK);
            oct_sink *sink = oct_sink_new_memory(0);
            assert_int_equal(oct_doc_dump(doc, sink), OCT_OK);
            size_t len;
            const char *dump = (const char *)oct_sink_memory_data(sink, &len);
            quote_slowly(text, sizeof text, want);
            char *line = strstr(dump, "text \"");
            assert_non_null(line);
            assert_memory_equal(line + 5, want, strlen(want));
            oct_sink_close(sink);
            oct_doc_free(doc);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dump_quotes_at_every_offset),
        cmocka_unit_test(test_type_classes),
        cmocka_unit_test(test_type_names_distinct),
        cmocka_unit_test(test_containment_table),
        cmocka_unit_test_setup_teardown(test_append_enforces_containment, setup_doc, teardown_doc),
        cmocka_unit_test_setup_teardown(test_no_cycles, setup_doc, teardown_doc),
        cmocka_unit_test_setup_teardown(test_cross_document_refused, setup_doc, teardown_doc),
        cmocka_unit_test_setup_teardown(test_order_move_unlink, setup_doc, teardown_doc),
        cmocka_unit_test_setup_teardown(test_text_setters_reject_invalid_utf8, setup_doc,
                                        teardown_doc),
        cmocka_unit_test_setup_teardown(test_accessors_on_wrong_type, setup_doc, teardown_doc),
        cmocka_unit_test_setup_teardown(test_typed_fields, setup_doc, teardown_doc),
        cmocka_unit_test_setup_teardown(test_validate_accepts_valid_tree, setup_doc, teardown_doc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
