/* oct_doc_normalize: the guarantees writers rely on — footnote definitions
 * under the root with unique labels, every reference resolvable, unique
 * XML-safe heading ids, empty containers pruned (but table cells kept). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <string.h>

#include "octavo/octavo.h"
#include "octest.h"

typedef struct fixture {
    oct_registry *reg;
    oct_context *ctx;
    oct_doc *doc;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL) return -1;
    f->reg = oct_registry_new();
    f->ctx = f->reg ? oct_context_new(f->reg) : NULL;
    f->doc = oct_doc_new();
    if (f->ctx == NULL || f->doc == NULL) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    oct_doc_free(f->doc);
    oct_context_free(f->ctx);
    oct_registry_free(f->reg);
    free(f);
    return 0;
}

static oct_node *add(oct_node *parent, oct_node_type t)
{
    oct_node *n = oct_node_new(oct_node_doc(parent), t);
    assert_non_null(n);
    assert_int_equal(oct_node_append_child(parent, n), OCT_OK);
    return n;
}

static oct_node *add_heading(oct_node *parent, int level)
{
    oct_node *h = add(parent, OCT_NODE_HEADING);
    assert_int_equal(oct_node_set_heading_level(h, level), OCT_OK);
    return h;
}

static oct_node *add_text(oct_node *parent, const char *s)
{
    oct_node *t = add(parent, OCT_NODE_TEXT);
    assert_int_equal(oct_node_set_literal(t, s, strlen(s)), OCT_OK);
    return t;
}

static oct_node *add_ref(oct_node *parent, const char *label)
{
    oct_node *r = add(parent, OCT_NODE_FOOTNOTE_REF);
    assert_int_equal(oct_node_set_footnote_label(r, label), OCT_OK);
    return r;
}

static oct_node *add_def(oct_node *root, const char *label, const char *text)
{
    oct_node *d = add(root, OCT_NODE_FOOTNOTE_DEF);
    assert_int_equal(oct_node_set_footnote_label(d, label), OCT_OK);
    add_text(add(d, OCT_NODE_PARAGRAPH), text);
    return d;
}

static void normalize(fixture *f)
{
    oct_error err;
    oct_error_clear(&err);
    assert_int_equal(oct_doc_normalize(f->ctx, f->doc, &err), OCT_OK);
    if (oct_doc_validate(f->doc, &err) != OCT_OK) fail_msg("invalid after normalize: %s", err.message);
}

/* Is n still reachable from the root? */
static int in_tree(const oct_doc *doc, const oct_node *n)
{
    for (const oct_node *p = n; p != NULL; p = oct_node_parent(p)) {
        if (p == oct_doc_root(doc)) return 1;
    }
    return 0;
}

static int is_xml_name(const char *s)
{
    if (s == NULL || !(isalpha((unsigned char)s[0]) || s[0] == '_')) return 0;
    for (const char *p = s; *p; p++) {
        const unsigned char c = (unsigned char)*p;
        if (!(isalnum(c) || c == '_' || c == '-' || c == '.' || c >= 0x80)) return 0;
    }
    return 1;
}

static void test_footnotes(void **state)
{
    fixture *f = *state;
    oct_node *root = oct_doc_root(f->doc);
    oct_node *d1 = add_def(root, "n", "first note");
    oct_node *p = add(root, OCT_NODE_PARAGRAPH);
    add_text(p, "see");
    oct_node *r1 = add_ref(p, "n");
    add_text(p, " and");
    oct_node *dangling = add_ref(p, "nowhere");
    add_text(p, " end");
    oct_node *d2 = add_def(root, "n", "second note, same label");
    oct_node *unref = add_def(root, "lonely", "never referenced");
    oct_node *p2 = add(root, OCT_NODE_PARAGRAPH);
    add_text(p2, "after");
    normalize(f);

    /* The dangling reference is no longer a reference in the tree. */
    assert_false(in_tree(f->doc, dangling) &&
                 oct_node_get_type(dangling) == OCT_NODE_FOOTNOTE_REF);
    assert_true(in_tree(f->doc, r1));

    /* Every reference resolves; definitions are root children with unique
     * labels, after all other content. */
    oct_iter it;
    oct_iter_init(&it, root);
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        const oct_node *n = oct_iter_node(&it);
        if (ev == OCT_EVENT_ENTER && oct_node_get_type(n) == OCT_NODE_FOOTNOTE_REF) {
            const oct_node *def = oct_doc_find_footnote(f->doc, oct_node_footnote_label(n));
            assert_non_null(def);
            assert_ptr_equal(oct_node_parent(def), root);
        }
    }
    size_t defs = 0;
    int seen_def = 0;
    const char *labels[8];
    for (const oct_node *n = oct_node_first_child(root); n != NULL; n = oct_node_next(n)) {
        if (oct_node_get_type(n) == OCT_NODE_FOOTNOTE_DEF) {
            seen_def = 1;
            assert_true(defs < 8);
            labels[defs] = oct_node_footnote_label(n);
            assert_non_null(labels[defs]);
            for (size_t j = 0; j < defs; j++) assert_string_not_equal(labels[j], labels[defs]);
            defs++;
        } else {
            assert_false(seen_def); /* no content after the first definition */
        }
    }
    assert_ptr_equal(oct_doc_find_footnote(f->doc, oct_node_footnote_label(r1)), d1);
    /* Definitions are rendered even when unreferenced; none is lost. */
    assert_true(in_tree(f->doc, d1));
    assert_true(in_tree(f->doc, d2));
    assert_true(in_tree(f->doc, unref));
    assert_int_equal(defs, 3);
    assert_true(in_tree(f->doc, p2));
}

static void test_heading_ids(void **state)
{
    fixture *f = *state;
    oct_node *root = oct_doc_root(f->doc);
    oct_node *h[5];
    const char *texts[] = {"Introduction", "Introduction", "1. Numbers & <symbols>", "",
                           "Caf\xc3\xa9"};
    for (int i = 0; i < 5; i++) {
        h[i] = add_heading(root, 2);
        if (*texts[i]) add_text(h[i], texts[i]);
        add_text(add(root, OCT_NODE_PARAGRAPH), "body");
    }
    oct_node *div = add(root, OCT_NODE_DIV);
    assert_int_equal(oct_node_set_id(div, "introduction"), OCT_OK); /* collides with a heading */
    add_text(add(div, OCT_NODE_PARAGRAPH), "x");
    oct_node *preset = add_heading(root, 1);
    assert_int_equal(oct_node_set_id(preset, "chosen-id"), OCT_OK);
    add_text(preset, "Preset");
    normalize(f);

    assert_string_equal(oct_node_id(preset), "chosen-id");
    const char *ids[16];
    size_t n_ids = 0;
    oct_iter it;
    oct_iter_init(&it, root);
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        const oct_node *n = oct_iter_node(&it);
        if (ev != OCT_EVENT_ENTER) continue;
        const char *id = oct_node_id(n);
        if (oct_node_get_type(n) == OCT_NODE_HEADING) {
            if (id == NULL || !is_xml_name(id)) fail_msg("heading without an XML-safe id: %s", id);
        }
        if (id != NULL) {
            for (size_t j = 0; j < n_ids; j++) {
                if (strcmp(ids[j], id) == 0) fail_msg("duplicate id %s", id);
            }
            assert_true(n_ids < 16);
            ids[n_ids++] = id;
        }
    }
    assert_true(n_ids >= 6);
}

static oct_node *add_link(oct_node *parent, const char *url, const char *text)
{
    oct_node *l = add(parent, OCT_NODE_LINK);
    assert_int_equal(oct_node_set_url(l, url), OCT_OK);
    if (text) add_text(l, text);
    return l;
}

/* Ids made from heading text, exactly; internal links follow renamed ids,
 * and one to no id is unwrapped, even around another (fixed) link. */
static void test_internal_links(void **state)
{
    fixture *f = *state;
    oct_node *root = oct_doc_root(f->doc);
    oct_node *numbered = add_heading(root, 2);
    add_text(numbered, "1.2. Numbers first");
    oct_node *empty = add_heading(root, 2);
    oct_node *div = add(root, OCT_NODE_DIV);
    assert_int_equal(oct_node_set_id(div, "not a name!"), OCT_OK);
    oct_node *p = add(div, OCT_NODE_PARAGRAPH);
    oct_node *to_renamed = add_link(p, "#not a name!", "renamed");
    oct_node *to_heading = add_link(p, "#s-1.2.-numbers-first", "heading");
    oct_node *outside = add_link(p, "https://example.org/#x", "outside");
    oct_node *nowhere = add_link(p, "#nowhere", "gone ");
    oct_node *inner = add_link(nowhere, "#not a name!", "inner");
    normalize(f);

    assert_string_equal(oct_node_id(numbered), "s-1.2.-numbers-first");
    assert_string_equal(oct_node_id(empty), "s");
    assert_string_equal(oct_node_id(div), "not-a-name");
    assert_string_equal(oct_node_url(to_renamed), "#not-a-name");
    assert_string_equal(oct_node_url(to_heading), "#s-1.2.-numbers-first");
    assert_string_equal(oct_node_url(outside), "https://example.org/#x");
    assert_false(in_tree(f->doc, nowhere));
    /* its content stays where the link stood, the inner link fixed too */
    assert_true(in_tree(f->doc, inner));
    assert_ptr_equal(oct_node_parent(inner), p);
    assert_string_equal(oct_node_url(inner), "#not-a-name");
    const oct_node *last = oct_node_last_child(p);
    assert_ptr_equal(last, inner);
    assert_int_equal(oct_node_get_type(oct_node_prev(inner)), OCT_NODE_TEXT);
}

static void test_empty_containers_pruned(void **state)
{
    fixture *f = *state;
    oct_node *root = oct_doc_root(f->doc);
    oct_node *empty_para = add(root, OCT_NODE_PARAGRAPH);
    oct_node *p = add(root, OCT_NODE_PARAGRAPH);
    add_text(p, "kept");
    oct_node *empty_emph = add(p, OCT_NODE_EMPH);
    /* Written by an author (Markdown's ">", "#", "[](x)"): kept. Readers
     * drop the ones their own reading emptied. */
    oct_node *empty_quote = add(root, OCT_NODE_BLOCK_QUOTE);
    oct_node *empty_heading = add(root, OCT_NODE_HEADING);
    oct_node *link_para = add(root, OCT_NODE_PARAGRAPH);
    oct_node *empty_link = add(link_para, OCT_NODE_LINK);
    oct_node_set_url(empty_link, "x.html");
    oct_node *nested_empty = add(add(root, OCT_NODE_DIV), OCT_NODE_PARAGRAPH);

    oct_node *table = add(root, OCT_NODE_TABLE);
    oct_node *row = add(table, OCT_NODE_TABLE_ROW);
    oct_node *empty_cell = add(row, OCT_NODE_TABLE_CELL);
    add_text(add(add(row, OCT_NODE_TABLE_CELL), OCT_NODE_PARAGRAPH), "cell");
    oct_node *empty_row = add(table, OCT_NODE_TABLE_ROW);
    normalize(f);

    assert_false(in_tree(f->doc, empty_para));
    assert_false(in_tree(f->doc, empty_emph));
    assert_true(in_tree(f->doc, empty_quote));
    assert_true(in_tree(f->doc, empty_heading));
    assert_true(in_tree(f->doc, empty_link));
    assert_false(in_tree(f->doc, nested_empty));
    assert_true(in_tree(f->doc, p));
    assert_false(in_tree(f->doc, empty_row));
    /* An empty cell is structure: dropping it would shift the columns. */
    assert_true(in_tree(f->doc, empty_cell));
    size_t cells = 0;
    for (const oct_node *c = oct_node_first_child(row); c != NULL; c = oct_node_next(c)) cells++;
    assert_int_equal(cells, 2);
}

/* Normalizing twice changes nothing the second time. */
static void test_idempotent(void **state)
{
    fixture *f = *state;
    oct_node *root = oct_doc_root(f->doc);
    oct_node *h = add_heading(root, 1);
    add_text(h, "Title");
    oct_node *p = add(root, OCT_NODE_PARAGRAPH);
    add_text(p, "text");
    add_ref(p, "a");
    add_def(root, "a", "note");
    add_def(root, "a", "note 2");
    normalize(f);
    oct_sink *first = oct_sink_new_memory(1 << 20);
    assert_non_null(first);
    assert_int_equal(oct_doc_dump(f->doc, first), OCT_OK);
    normalize(f);
    oct_sink *second = oct_sink_new_memory(1 << 20);
    assert_non_null(second);
    assert_int_equal(oct_doc_dump(f->doc, second), OCT_OK);
    size_t l1 = 0, l2 = 0;
    const unsigned char *d1 = oct_sink_memory_data(first, &l1);
    const unsigned char *d2 = oct_sink_memory_data(second, &l2);
    assert_true(l1 > 0);
    assert_int_equal(l1, l2);
    assert_memory_equal(d1, d2, l1);
    oct_sink_close(first);
    oct_sink_close(second);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_footnotes),
        T(test_heading_ids),
        T(test_internal_links),
        T(test_empty_containers_pruned),
        T(test_idempotent),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
