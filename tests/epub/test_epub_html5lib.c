/*
 * test_epub_html5lib.c — every html5lib tree-construction input (malformed
 * and unusual HTML, NUL and CR bytes included) read by the HTML reader and
 * written as EPUB 3 (and every tenth as EPUB 2) in process: no crash, no
 * failure, no leak, and every result is a readable zip that starts right.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "octavo/octavo.h"
#include "octest.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void quiet(void *ud, oct_severity sev, const char *where, long line, const char *msg)
{
    (void)ud; (void)sev; (void)where; (void)line; (void)msg;
}

static void convert_one(oct_registry *reg, const char *path, const char *format)
{
    oct_context *ctx = oct_context_new(reg);
    const oct_format *html = oct_registry_find(reg, "html");
    const oct_format *out = oct_registry_find(reg, format);
    oct_sink *sink = oct_sink_new_memory(0);
    oct_doc *doc = NULL;
    oct_error err;
    size_t len, n;
    char *data = octest_read_file(path, &len);
    const unsigned char *bytes;

    assert_non_null(html);
    assert_non_null(out);
    oct_context_set_log(ctx, quiet, NULL);
    oct_error_clear(&err);
    if (oct_read_memory(ctx, data, len, path, html, &doc, &err) != OCT_OK)
        fail_msg("%s: cannot read: %s", path, err.message);
    if (oct_doc_normalize(ctx, doc, &err) != OCT_OK)
        fail_msg("%s: cannot normalize: %s", path, err.message);
    if (oct_write(ctx, doc, out, sink, &err) != OCT_OK)
        fail_msg("%s: cannot write %s: %s", path, format, err.message);
    bytes = oct_sink_memory_data(sink, &n);
    assert_true(n > 58);
    assert_memory_equal(bytes + 30, "mimetypeapplication/epub+zip", 28);
    oct_sink_close(sink);
    oct_doc_free(doc);
    oct_context_free(ctx);
    free(data);
}

static void test_html5lib_inputs(void **state)
{
    (void)state;
    char dir[1024];
    DIR *d;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    oct_registry *reg = oct_registry_new();

    octest_load_plugins(reg);
    snprintf(dir, sizeof dir, "%s/../shared/corpora/html5lib/inputs",
             octest_env("OCTAVO_SOURCE_DIR"));
    d = opendir(dir);
    if (!d)
        skip();
    while ((e = readdir(d)) != NULL) {
        if (!strstr(e->d_name, ".html"))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            names = realloc(names, cap * sizeof *names);
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    assert_true(n > 1000);
    for (size_t i = 0; i < n; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        convert_one(reg, path, "epub");
        if (i % 10 == 0)
            convert_one(reg, path, "epub2");
        free(names[i]);
    }
    free(names);
    oct_registry_free(reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html5lib_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
