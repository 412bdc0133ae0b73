/*
 * test_markdown_roundtrip.c — octavo's Markdown read back by an independent
 * CommonMark implementation (libcmark) must render to exactly the HTML the
 * tree itself stands for (tree_html.c), for thousands of random documents
 * full of Markdown's special characters, in every wrap mode.
 *
 * OCTAVO_MD_SEEDS=N changes the number of random documents; seeds that
 * once failed are listed in fixtures/seeds.txt and always run first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cmark.h>
#include <inttypes.h>

#include "octavo/octavo.h"
#include "octest.h"
#include "gen_doc.h"
#include "tree_html.h"

static oct_registry *reg;
static const oct_format *md_format;

static int setup(void **state)
{
    (void)state;
    reg = oct_registry_new();
    assert_non_null(reg);
    octest_load_plugins(reg);
    md_format = oct_registry_find(reg, "markdown");
    assert_non_null(md_format);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    oct_registry_free(reg);
    return 0;
}

typedef struct mode {
    const char *wrap;
    const char *columns;
} mode;

/* Writes doc as Markdown with the given options; malloc'd result. */
static char *write_markdown(const oct_doc *doc, const mode *m, size_t *len)
{
    oct_context *ctx = oct_context_new(reg);
    assert_non_null(ctx);
    oct_context_set_option(ctx, "wrap", m->wrap);
    oct_context_set_option(ctx, "columns", m->columns);
    oct_context_set_option(ctx, "front-matter", "off");
    oct_sink *sink = oct_sink_new_memory(0);
    oct_error err;
    oct_error_clear(&err);
    oct_status st = oct_write(ctx, doc, md_format, sink, &err);
    assert_int_equal(st, OCT_OK);
    size_t n;
    const unsigned char *data = oct_sink_memory_data(sink, &n);
    char *copy = malloc(n + 1);
    assert_non_null(copy);
    memcpy(copy, data, n);
    copy[n] = '\0';
    *len = n;
    oct_sink_close(sink);
    oct_context_free(ctx);
    return copy;
}

/* 1 when cmark's HTML of octavo's Markdown equals the tree's own HTML. */
static int check_doc(const oct_doc *doc, const mode *m, const char *what)
{
    size_t md_len;
    char *md = write_markdown(doc, m, &md_len);
    char *html = cmark_markdown_to_html(md, md_len, CMARK_OPT_UNSAFE);
    oct_buf want, got;
    oct_buf_init(&want, 0);
    oct_buf_init(&got, 0);
    tree_html_render(doc, &want, 0);
    int exact = strcmp(m->wrap, "preserve") == 0;
    int ok;
    if (exact) {
        ok = want.len == strlen(html) && memcmp(want.data ? want.data : "", html, want.len) == 0;
    } else {
        oct_buf a, b;
        oct_buf_init(&a, 0);
        oct_buf_init(&b, 0);
        html_normalize(want.data ? want.data : "", want.len, &a);
        html_normalize(html, strlen(html), &b);
        ok = a.len == b.len && memcmp(a.data ? a.data : "", b.data ? b.data : "", a.len) == 0;
        oct_buf_free(&a);
        oct_buf_free(&b);
    }
    if (!ok)
        fprintf(stderr, "--- %s (wrap=%s columns=%s)\n--- markdown:\n%s--- cmark:\n%s--- tree:\n%s\n",
                what, m->wrap, m->columns, md, html, want.data ? want.data : "");
    free(html);
    free(md);
    oct_buf_free(&want);
    oct_buf_free(&got);
    return ok;
}

static const mode modes[] = {
    {"preserve", "72"}, {"auto", "72"}, {"auto", "12"}, {"none", "72"},
};

static int check_seed(uint64_t seed, int tables, int notes)
{
    oct_doc *doc = gen_document(seed, tables, notes);
    assert_non_null(doc);
    assert_int_equal(oct_doc_validate(doc, NULL), OCT_OK);
    int ok = 1;
    char what[64];
    snprintf(what, sizeof what, "seed %" PRIu64, seed);
    for (size_t i = 0; i < sizeof modes / sizeof *modes && ok; i++)
        ok = check_doc(doc, &modes[i], what);
    if (!ok && getenv("OCTAVO_MD_DUMP")) {
        oct_sink *sink = oct_sink_new_memory(0);
        oct_doc_dump(doc, sink);
        size_t n;
        const unsigned char *d = oct_sink_memory_data(sink, &n);
        fprintf(stderr, "--- tree dump:\n%.*s\n", (int)n, (const char *)d);
        oct_sink_close(sink);
    }
    oct_doc_free(doc);
    return ok;
}

static void test_fixture_seeds(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/markdown/fixtures/seeds.txt",
             octest_env("OCTAVO_SOURCE_DIR"));
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[128];
    size_t failed = 0, total = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        uint64_t seed = strtoull(line, NULL, 10);
        total++;
        if (!check_seed(seed, 1, 1))
            failed++;
    }
    fclose(f);
    printf("fixture seeds: %zu of %zu pass\n", total - failed, total);
    assert_int_equal(failed, 0);
}

static void test_random_documents(void **state)
{
    (void)state;
    const char *env = getenv("OCTAVO_MD_SEEDS");
    const char *first_env = getenv("OCTAVO_MD_SEED_START");
    uint64_t n = env ? strtoull(env, NULL, 10) : 1500;
    uint64_t first = first_env ? strtoull(first_env, NULL, 10) : 1;
    size_t failed = 0;
    for (uint64_t seed = first; seed < first + n; seed++) {
        if (!check_seed(seed, seed % 3 == 0, seed % 4 == 0)) {
            failed++;
            fprintf(stderr, "FAILING SEED %" PRIu64 " (add it to fixtures/seeds.txt)\n", seed);
            if (failed >= 5)
                break;
        }
    }
    printf("random documents: %" PRIu64 " checked, %zu failing\n", n, failed);
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_seeds),
        cmocka_unit_test(test_random_documents),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
