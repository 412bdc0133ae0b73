/*
 * test_html5lib.c — every input of the html5lib tree-construction suite
 * (../shared/corpora/html5lib/inputs, 1,796 malformed and unusual pages,
 * some with NUL and CR bytes) read in-process: each must give a valid tree.
 * Crashes, leaks and undefined behaviour are ASan/UBSan's to report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>

#include "html_test_support.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_all(const char *extract)
{
    html_test_env env;
    assert_true(html_test_open(&env));
    oct_context_set_option(env.ctx, "extract", extract);
    char dir[4096];
    html_test_source_path(dir, sizeof dir, "../shared/corpora/html5lib/inputs");
    DIR *d = opendir(dir);
    if (!d) {
        html_test_close(&env);
        skip();
    }
    size_t n = 0, cap = 2048, read_ok = 0, nodes = 0;
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    while ((e = readdir(d))) {
        const size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".html") == 0 && n < cap)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len;
        char *data = html_test_read_file(path, &len);
        assert_non_null(data);
        oct_doc *doc = NULL;
        if (html_test_read(&env, data, len, names[i], &doc) == OCT_OK) {
            read_ok++;
            nodes += oct_doc_node_count(doc);
        }
        oct_doc_free(doc);
        free(data);
        free(names[i]);
    }
    free(names);
    html_test_close(&env);
    printf("html5lib inputs (extract=%s): %zu read, %zu valid trees, %zu nodes\n", extract, n,
           read_ok, nodes);
    assert_int_equal(n, 1796);
    assert_int_equal(read_ok, n);
}

static void test_html5lib_extract_off(void **state)
{
    (void)state;
    run_all("off");
}

static void test_html5lib_extract_on(void **state)
{
    (void)state;
    run_all("on");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_html5lib_extract_off),
                                       cmocka_unit_test(test_html5lib_extract_on)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
