/* The document: arena ownership (leaks show under ASan), metadata semantics,
 * base, limits, oct_doc_append_doc. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "octavo/octavo.h"
#include "octest.h"

/* A 1x1 GIF: the smallest image the resource sniffer knows. */
static const unsigned char tiny_gif[] = {
    'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff,
    0x21, 0xf9, 4, 1, 0, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3b,
};

static oct_node *add_paragraph(oct_doc *doc, const char *s)
{
    oct_node *p = oct_node_new(doc, OCT_NODE_PARAGRAPH);
    oct_node *t = oct_node_new(doc, OCT_NODE_TEXT);
    assert_non_null(p);
    assert_non_null(t);
    assert_int_equal(oct_node_set_literal(t, s, strlen(s)), OCT_OK);
    assert_int_equal(oct_node_append_child(p, t), OCT_OK);
    assert_int_equal(oct_node_append_child(oct_doc_root(doc), p), OCT_OK);
    return p;
}

static void test_new_document(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    assert_non_null(doc);
    oct_node *root = oct_doc_root(doc);
    assert_non_null(root);
    assert_int_equal(oct_node_get_type(root), OCT_NODE_DOCUMENT);
    assert_ptr_equal(oct_node_doc(root), doc);
    assert_null(oct_node_parent(root));
    assert_null(oct_node_first_child(root));
    assert_int_equal(oct_meta_size(doc), 0);
    assert_int_equal(oct_doc_resource_count(doc), 0);
    assert_null(oct_doc_cover(doc));
    assert_null(oct_doc_base(doc));
    assert_int_equal(oct_doc_validate(doc, NULL), OCT_OK);
    oct_doc_free(doc);
    oct_doc_free(NULL);
}

/* Many nodes, strings and metadata; oct_doc_free releases all of it (ASan's
 * leak checker fails the test otherwise). */
static void test_free_releases_everything(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    assert_non_null(doc);
    char line[64];
    for (int i = 0; i < 5000; i++) {
        snprintf(line, sizeof line, "paragraph number %d with some text", i);
        oct_node *p = add_paragraph(doc, line);
        assert_int_equal(oct_node_set_id(p, line + 10), OCT_OK);
        oct_node *orphan = oct_node_new(doc, OCT_NODE_LINK);
        assert_non_null(orphan);
        assert_int_equal(oct_node_set_url(orphan, line), OCT_OK);
    }
    for (int i = 0; i < 200; i++) {
        snprintf(line, sizeof line, "author %d", i);
        assert_int_equal(oct_meta_add(doc, OCT_META_AUTHOR, line), OCT_OK);
    }
    assert_non_null(oct_doc_add_resource(doc, tiny_gif, sizeof tiny_gif, NULL, "x.gif", NULL));
    assert_int_equal(oct_doc_set_base(doc, "/tmp/article.html"), OCT_OK);
    assert_true(oct_doc_node_count(doc) >= 15000);
    oct_doc_free(doc);
}

static void test_strndup_and_base(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    assert_non_null(doc);
    char *s = oct_doc_strndup(doc, "hello world", 5);
    assert_non_null(s);
    assert_string_equal(s, "hello");
    char *empty = oct_doc_strndup(doc, "", 0);
    assert_non_null(empty);
    assert_string_equal(empty, "");

    char base[] = "https://example.org/a/b.html";
    assert_int_equal(oct_doc_set_base(doc, base), OCT_OK);
    base[0] = 'X';
    assert_string_equal(oct_doc_base(doc), "https://example.org/a/b.html");
    assert_int_equal(oct_doc_set_base(doc, NULL), OCT_OK);
    assert_null(oct_doc_base(doc));
    oct_doc_free(doc);
}

static void test_limits(void **state)
{
    (void)state;
    oct_limits def;
    oct_limits_default(&def);
    assert_int_equal(def.struct_size, sizeof def);
    assert_true(def.max_depth >= 32);
    assert_true(def.max_depth < 100000); /* hostile nesting must be flattened */
    assert_true(def.max_nodes > 0);
    assert_true(def.max_resources > 0);
    assert_true(def.max_input_bytes > 0);
    assert_true(def.max_output_bytes > 0);

    oct_doc *doc = oct_doc_new();
    assert_non_null(doc);
    assert_int_equal(oct_doc_limits(doc)->max_depth, def.max_depth);
    oct_limits lim = def;
    lim.max_nodes = 10;
    oct_doc_set_limits(doc, &lim);
    assert_int_equal(oct_doc_limits(doc)->max_nodes, 10);
    size_t made = 0;
    for (int i = 0; i < 100; i++) {
        if (oct_node_new(doc, OCT_NODE_PARAGRAPH) != NULL) made++;
    }
    assert_true(made <= 10);
    assert_true(oct_doc_node_count(doc) <= 10);
    oct_doc_free(doc);
}

static void test_meta_set_add_get(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    assert_non_null(doc);
    assert_null(oct_meta_get(doc, OCT_META_TITLE));
    assert_int_equal(oct_meta_count(doc, OCT_META_TITLE), 0);

    assert_int_equal(oct_meta_set(doc, OCT_META_TITLE, "First"), OCT_OK);
    assert_int_equal(oct_meta_add(doc, OCT_META_AUTHOR, "Ann"), OCT_OK);
    assert_int_equal(oct_meta_add(doc, OCT_META_AUTHOR, "Bob"), OCT_OK);
    assert_int_equal(oct_meta_add(doc, OCT_META_SUBJECT, "Cats"), OCT_OK);
    assert_int_equal(oct_meta_add(doc, OCT_META_AUTHOR, "Cy"), OCT_OK);

    assert_string_equal(oct_meta_get(doc, OCT_META_TITLE), "First");
    assert_string_equal(oct_meta_get(doc, OCT_META_AUTHOR), "Ann");
    assert_int_equal(oct_meta_count(doc, OCT_META_AUTHOR), 3);
    assert_string_equal(oct_meta_get_nth(doc, OCT_META_AUTHOR, 1), "Bob");
    assert_string_equal(oct_meta_get_nth(doc, OCT_META_AUTHOR, 2), "Cy");
    assert_null(oct_meta_get_nth(doc, OCT_META_AUTHOR, 3));
    assert_int_equal(oct_meta_size(doc), 5);

    /* Entries come in insertion order, keys repeating. */
    const char *want[][2] = {{"title", "First"}, {"author", "Ann"}, {"author", "Bob"},
                             {"subject", "Cats"}, {"author", "Cy"}};
    for (size_t i = 0; i < 5; i++) {
        const char *k = NULL, *v = NULL;
        assert_int_equal(oct_meta_entry(doc, i, &k, &v), OCT_OK);
        assert_string_equal(k, want[i][0]);
        assert_string_equal(v, want[i][1]);
    }
    const char *k = NULL, *v = NULL;
    assert_int_not_equal(oct_meta_entry(doc, 5, &k, &v), OCT_OK);

    /* set replaces every value of the key. */
    assert_int_equal(oct_meta_set(doc, OCT_META_AUTHOR, "Dee"), OCT_OK);
    assert_int_equal(oct_meta_count(doc, OCT_META_AUTHOR), 1);
    assert_string_equal(oct_meta_get(doc, OCT_META_AUTHOR), "Dee");
    assert_int_equal(oct_meta_size(doc), 3);

    /* set NULL removes it. */
    assert_int_equal(oct_meta_set(doc, OCT_META_TITLE, NULL), OCT_OK);
    assert_null(oct_meta_get(doc, OCT_META_TITLE));
    assert_int_equal(oct_meta_size(doc), 2);
    assert_int_equal(oct_meta_set(doc, "nonexistent", NULL), OCT_OK);

    /* Values are copied and must be valid UTF-8. */
    char value[] = "Zo\xc3\xab";
    assert_int_equal(oct_meta_set(doc, OCT_META_TITLE, value), OCT_OK);
    value[0] = 'X';
    assert_string_equal(oct_meta_get(doc, OCT_META_TITLE), "Zo\xc3\xab");
    assert_int_not_equal(oct_meta_set(doc, OCT_META_TITLE, "bad \xff"), OCT_OK);
    assert_string_equal(oct_meta_get(doc, OCT_META_TITLE), "Zo\xc3\xab");
    oct_doc_free(doc);
}

static void test_cover(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    assert_non_null(doc);
    oct_resource *r = oct_doc_add_resource(doc, tiny_gif, sizeof tiny_gif, NULL, NULL, NULL);
    assert_non_null(r);
    assert_int_equal(oct_doc_set_cover(doc, r), OCT_OK);
    assert_ptr_equal(oct_doc_cover(doc), r);
    assert_int_equal(oct_doc_set_cover(doc, NULL), OCT_OK);
    assert_null(oct_doc_cover(doc));

    oct_doc *other = oct_doc_new();
    assert_non_null(other);
    oct_resource *foreign = oct_doc_add_resource(other, tiny_gif, sizeof tiny_gif, NULL, NULL, NULL);
    assert_non_null(foreign);
    assert_int_not_equal(oct_doc_set_cover(doc, foreign), OCT_OK);
    assert_null(oct_doc_cover(doc));
    oct_doc_free(other);
    oct_doc_free(doc);
}

static void test_append_doc(void **state)
{
    (void)state;
    oct_doc *dst = oct_doc_new();
    oct_doc *src = oct_doc_new();
    assert_non_null(dst);
    assert_non_null(src);
    add_paragraph(dst, "one");
    oct_node *two = add_paragraph(src, "two");
    oct_node *three = add_paragraph(src, "three");
    assert_int_equal(oct_meta_set(dst, OCT_META_TITLE, "Dst"), OCT_OK);
    assert_int_equal(oct_meta_set(src, OCT_META_TITLE, "Src"), OCT_OK);
    assert_int_equal(oct_meta_add(src, OCT_META_AUTHOR, "Ann"), OCT_OK);
    assert_int_equal(oct_meta_add(src, OCT_META_AUTHOR, "Bob"), OCT_OK);
    oct_resource *r = oct_doc_add_resource(src, tiny_gif, sizeof tiny_gif, NULL, "a.gif", NULL);
    assert_non_null(r);
    oct_node *img = oct_node_new(src, OCT_NODE_IMAGE);
    assert_non_null(img);
    assert_int_equal(oct_node_set_image_resource(img, r), OCT_OK);
    assert_int_equal(oct_node_append_child(three, img), OCT_OK);

    oct_error err;
    oct_error_clear(&err);
    assert_int_equal(oct_doc_append_doc(dst, src, &err), OCT_OK); /* src is freed */

    const oct_node *root = oct_doc_root(dst);
    const oct_node *p = oct_node_first_child(root);
    const char *want[] = {"one", "two", "three"};
    for (size_t i = 0; i < 3; i++, p = oct_node_next(p)) {
        assert_non_null(p);
        const oct_node *t = oct_node_first_child(p);
        assert_string_equal(oct_node_literal(t, NULL), want[i]);
        assert_ptr_equal(oct_node_doc(p), dst);
    }
    assert_null(p);
    assert_ptr_equal(oct_node_parent(two), root);

    /* Metadata: only keys dst lacked. */
    assert_string_equal(oct_meta_get(dst, OCT_META_TITLE), "Dst");
    assert_int_equal(oct_meta_count(dst, OCT_META_TITLE), 1);
    assert_int_equal(oct_meta_count(dst, OCT_META_AUTHOR), 2);
    assert_string_equal(oct_meta_get_nth(dst, OCT_META_AUTHOR, 1), "Bob");

    /* The resource moved with the image and is still readable. */
    assert_int_equal(oct_doc_resource_count(dst), 1);
    oct_resource *moved = oct_node_image_resource(img);
    assert_non_null(moved);
    assert_ptr_equal(oct_doc_resource_at(dst, 0), moved);
    size_t len = 0;
    const unsigned char *data = oct_resource_data(moved, &len);
    assert_int_equal(len, sizeof tiny_gif);
    assert_memory_equal(data, tiny_gif, len);

    /* Moved nodes now belong to dst: they can be rearranged there. */
    oct_node *q = oct_node_new(dst, OCT_NODE_BLOCK_QUOTE);
    assert_non_null(q);
    assert_int_equal(oct_node_append_child(oct_doc_root(dst), q), OCT_OK);
    assert_int_equal(oct_node_append_child(q, two), OCT_OK);
    assert_int_equal(oct_doc_validate(dst, NULL), OCT_OK);
    oct_doc_free(dst);
}

/* Appending a resource dst already holds keeps one copy. */
static void test_append_doc_dedups_resources(void **state)
{
    (void)state;
    oct_doc *dst = oct_doc_new();
    oct_doc *src = oct_doc_new();
    assert_non_null(dst);
    assert_non_null(src);
    oct_resource *rd = oct_doc_add_resource(dst, tiny_gif, sizeof tiny_gif, NULL, NULL, NULL);
    oct_resource *rs = oct_doc_add_resource(src, tiny_gif, sizeof tiny_gif, NULL, NULL, NULL);
    assert_non_null(rd);
    assert_non_null(rs);
    oct_node *p = oct_node_new(src, OCT_NODE_PARAGRAPH);
    oct_node *img = oct_node_new(src, OCT_NODE_IMAGE);
    assert_int_equal(oct_node_set_image_resource(img, rs), OCT_OK);
    assert_int_equal(oct_node_append_child(p, img), OCT_OK);
    assert_int_equal(oct_node_append_child(oct_doc_root(src), p), OCT_OK);
    assert_int_equal(oct_doc_append_doc(dst, src, NULL), OCT_OK);
    assert_int_equal(oct_doc_resource_count(dst), 1);
    /* Whichever copy survives, the image must point at a live resource of dst. */
    oct_resource *r = oct_node_image_resource(img);
    assert_ptr_equal(r, oct_doc_resource_at(dst, 0));
    size_t len = 0;
    assert_non_null(oct_resource_data(r, &len));
    assert_int_equal(len, sizeof tiny_gif);
    oct_doc_free(dst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_document),
        cmocka_unit_test(test_free_releases_everything),
        cmocka_unit_test(test_strndup_and_base),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_meta_set_add_get),
        cmocka_unit_test(test_cover),
        cmocka_unit_test(test_append_doc),
        cmocka_unit_test(test_append_doc_dedups_resources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
