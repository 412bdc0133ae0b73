/*
 * test_epub_cli.c — the EPUB writer end to end through the CLI: the sample
 * article as EPUB 3 and EPUB 2, reproducible across two runs, metadata and
 * stylesheets given on the command line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "octavo/octavo.h"
#include "octest.h"

static char tmp[1024];

static char *entry_of(const char *epub, const char *name)
{
    int zerr = 0;
    zip_t *za = zip_open(epub, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    zip_stat_t st;
    zip_file_t *f;
    char *buf;

    assert_non_null(za);
    if (zip_stat(za, name, 0, &st) < 0) {
        zip_discard(za);
        return NULL;
    }
    buf = malloc(st.size + 1);
    f = zip_fopen(za, name, 0);
    assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
    buf[st.size] = '\0';
    zip_fclose(f);
    zip_discard(za);
    return buf;
}

static void sample(char *buf, size_t size)
{
    snprintf(buf, size, "%s/samples/article.txt", octest_env("OCTAVO_SOURCE_DIR"));
}

static void run_ok(const char *const *env, const char *out, const char *a, const char *b,
                   const char *c, const char *d)
{
    char in[1024];
    octest_result r;

    sample(in, sizeof in);
    octest_run_cli(&r, NULL, 0, env, "--offline", in, "-o", out, a, b, c, d, NULL);
    if (r.exit_code != 0)
        fail_msg("octavo exited %d: %s", r.exit_code, r.err);
    octest_result_free(&r);
}

static void test_reproducible_runs(void **state)
{
    (void)state;
    static const char *const env[] = {"SOURCE_DATE_EPOCH=1600000000", NULL};
    char a[1200], b[1200];
    size_t la, lb;
    char *da, *db;

    snprintf(a, sizeof a, "%s/a.epub", tmp);
    snprintf(b, sizeof b, "%s/b.epub", tmp);
    run_ok(env, a, NULL, NULL, NULL, NULL);
    run_ok(env, b, NULL, NULL, NULL, NULL);
    da = octest_read_file(a, &la);
    db = octest_read_file(b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(da, db, la);
    free(da);
    free(db);
    da = entry_of(a, "EPUB/package.opf");
    assert_non_null(strstr(da, "2020-09-13T12:26:40Z"));
    free(da);
}

static void test_metadata_and_css(void **state)
{
    (void)state;
    char out[1200], css[1200];
    char *opf, *ch;

    snprintf(out, sizeof out, "%s/m.epub", tmp);
    snprintf(css, sizeof css, "%s/extra.css", tmp);
    octest_write_file(css, "p { text-indent: 1em; }\n", 24);
    {
        char in[1024];
        octest_result r;
        sample(in, sizeof in);
        octest_run_cli(&r, NULL, 0, NULL, "--offline", in, "-o", out, "-M", "lang=nb",
                       "-M", "author=Jane Doe", "--css", css, "--no-default-css",
                       "-t", "epub2", NULL);
        if (r.exit_code != 0)
            fail_msg("octavo exited %d: %s", r.exit_code, r.err);
        octest_result_free(&r);
    }
    opf = entry_of(out, "EPUB/package.opf");
    assert_non_null(strstr(opf, "version=\"2.0\""));
    assert_non_null(strstr(opf, "<dc:language>nb</dc:language>"));
    assert_non_null(strstr(opf, "opf:file-as=\"Doe, Jane\""));
    assert_null(strstr(opf, "style.css"));
    free(opf);
    ch = entry_of(out, "EPUB/user-1.css");
    assert_non_null(ch);
    assert_non_null(strstr(ch, "text-indent: 1em"));
    free(ch);
    ch = entry_of(out, "EPUB/ch001.xhtml");
    assert_non_null(strstr(ch, "xml:lang=\"nb\""));
    assert_non_null(strstr(ch, "<li>"));
    free(ch);
}

static int setup(void **state)
{
    (void)state;
    octest_tempdir(tmp, sizeof tmp);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    octest_remove_tree(tmp);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reproducible_runs),
        cmocka_unit_test(test_metadata_and_css),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
