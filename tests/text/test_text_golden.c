/*
 * test_text_golden.c — every fixture of the text reader, converted by the
 * CLI with `-f text -t tree`, must give its reviewed golden tree.
 *
 *   tests/text/fixtures/NAME.txt    the input (NAME.opts: one -V key=value a line)
 *   tests/text/fixtures/NAME.tree   the golden tree, reviewed by eye
 *   samples/article.txt             golden: fixtures/sample-article.tree
 *
 * OCTAVO_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing
 * (review the diff before keeping it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "octest.h"

#define MAX_FIXTURES 64
#define MAX_OPTS 8

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* First line where two texts differ, for the failure message. */
static void report_difference(const char *name, const char *want, const char *got)
{
    size_t line = 1, at = 0, line_start = 0;
    while (want[at] && want[at] == got[at]) {
        if (want[at] == '\n') {
            line++;
            line_start = at + 1;
        }
        at++;
    }
    const char *w = want + line_start, *g = got + line_start;
    const char *we = strchr(w, '\n'), *ge = strchr(g, '\n');
    print_error("%s: differs at line %zu\n  want: %.*s\n  got:  %.*s\n", name, line,
                (int)(we ? (size_t)(we - w) : strlen(w)), w,
                (int)(ge ? (size_t)(ge - g) : strlen(g)), g);
}

/* Converts input with the options in opts_path (if any); 1 when it matches. */
static int check_one(const char *input, const char *opts_path, const char *golden_path,
                     const char *label)
{
    char *opts = octest_read_file(opts_path, NULL);
    const char *args[8 + 2 * MAX_OPTS];
    size_t n = 0;
    args[n++] = octest_env("OCTAVO_CLI");
    args[n++] = "-f";
    args[n++] = "text";
    args[n++] = "-t";
    args[n++] = "tree";
    args[n++] = "-o";
    args[n++] = "-";
    char *save = NULL;
    for (char *line = opts ? strtok_r(opts, "\n", &save) : NULL; line && n + 3 < 8 + 2 * MAX_OPTS;
         line = strtok_r(NULL, "\n", &save)) {
        args[n++] = "-V";
        args[n++] = line;
    }
    args[n++] = input;
    args[n] = NULL;
    octest_result r;
    octest_run(args, NULL, NULL, 0, &r);
    free(opts);
    if (r.exit_code != 0) {
        print_error("%s: octavo exited with %d: %s\n", label, r.exit_code, r.err);
        octest_result_free(&r);
        return 0;
    }
    int ok = 1;
    const char *update = getenv("OCTAVO_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        octest_write_file(golden_path, r.out, r.out_len);
        print_message("updated %s\n", golden_path);
    } else {
        char *want = octest_read_file(golden_path, NULL);
        if (!want) {
            print_error("%s: no golden file %s\n", label, golden_path);
            ok = 0;
        } else if (strcmp(want, r.out) != 0) {
            report_difference(label, want, r.out);
            ok = 0;
        }
        free(want);
    }
    octest_result_free(&r);
    return ok;
}

static void test_fixtures_match_golden_trees(void **state)
{
    (void)state;
    char dir[4096], input[4096], opts[4096], golden[4096];
    octest_path(dir, sizeof dir, octest_env("OCTAVO_SOURCE_DIR"), "tests/text/fixtures");
    DIR *d = opendir(dir);
    assert_non_null(d);
    char *names[MAX_FIXTURES];
    size_t count = 0;
    const struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".txt") == 0 && count < MAX_FIXTURES)
            names[count++] = strndup(e->d_name, len - 4);
    }
    closedir(d);
    qsort(names, count, sizeof names[0], compare_names);
    /* one fixture per behaviour; losing some silently would hide regressions */
    assert_true(count >= 10);

    size_t failed = 0;
    for (size_t i = 0; i < count; i++) {
        char file[512];
        snprintf(file, sizeof file, "%s.txt", names[i]);
        octest_path(input, sizeof input, dir, file);
        snprintf(file, sizeof file, "%s.opts", names[i]);
        octest_path(opts, sizeof opts, dir, file);
        snprintf(file, sizeof file, "%s.tree", names[i]);
        octest_path(golden, sizeof golden, dir, file);
        failed += !check_one(input, opts, golden, names[i]);
        free(names[i]);
    }
    octest_path(input, sizeof input, octest_env("OCTAVO_SOURCE_DIR"), "samples/article.txt");
    octest_path(golden, sizeof golden, dir, "sample-article.tree");
    failed += !check_one(input, "/nonexistent", golden, "samples/article.txt");
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures_match_golden_trees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
