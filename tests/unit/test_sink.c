/* Sinks: the memory sink's cap; the file sink's atomicity (nothing at the
 * target before commit, old content intact, no temporary left behind). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "octavo/octavo.h"
#include "octest.h"

static void test_memory_sink(void **state)
{
    (void)state;
    oct_sink *s = oct_sink_new_memory(1 << 20);
    assert_non_null(s);
    assert_int_equal(oct_sink_write(s, "ab", 2), OCT_OK);
    assert_int_equal(oct_sink_puts(s, "cd"), OCT_OK);
    assert_int_equal(oct_sink_printf(s, "-%03d-", 7), OCT_OK);
    assert_int_equal(oct_sink_write(s, "", 0), OCT_OK);
    size_t len = 0;
    const unsigned char *data = oct_sink_memory_data(s, &len);
    assert_int_equal(len, 9);
    assert_memory_equal(data, "abcd-007-", 9);
    assert_int_equal(oct_sink_bytes_written(s), 9);
    assert_int_equal(oct_sink_status(s), OCT_OK);
    oct_sink_close(s);
}

static void test_memory_sink_cap_sticky(void **state)
{
    (void)state;
    oct_sink *s = oct_sink_new_memory(10);
    assert_non_null(s);
    assert_int_equal(oct_sink_write(s, "12345678", 8), OCT_OK);
    const oct_status st = oct_sink_write(s, "9ABCDEF", 7);
    assert_int_not_equal(st, OCT_OK);
    assert_int_equal(oct_sink_status(s), st);
    assert_int_equal(oct_sink_puts(s, "x"), st);
    assert_int_equal(oct_sink_printf(s, "%d", 1), st);
    size_t len = 0;
    oct_sink_memory_data(s, &len);
    assert_true(len <= 10);
    oct_sink_close(s);
}

typedef struct tmp {
    char dir[512];
    char target[600];
} tmp;

static int setup_tmp(void **state)
{
    tmp *t = calloc(1, sizeof *t);
    if (t == NULL) return -1;
    octest_tempdir(t->dir, sizeof t->dir);
    octest_path(t->target, sizeof t->target, t->dir, "out.txt");
    *state = t;
    return 0;
}

static int teardown_tmp(void **state)
{
    tmp *t = *state;
    octest_remove_tree(t->dir);
    free(t);
    return 0;
}

static void expect_file(const char *path, const char *want)
{
    size_t len = 0;
    char *got = octest_read_file(path, &len);
    if (got == NULL) fail_msg("%s missing", path);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(got, want, len);
    free(got);
}

static void test_file_sink_new_target(void **state)
{
    tmp *t = *state;
    oct_error err;
    oct_error_clear(&err);
    oct_sink *s = oct_sink_open_file(t->target, &err);
    assert_non_null(s);
    assert_int_equal(oct_sink_puts(s, "new content\n"), OCT_OK);
    assert_false(octest_exists(t->target));
    assert_int_equal(octest_dir_entries(t->dir), 1); /* the temporary, beside the target */
    assert_int_equal(oct_sink_commit(s, &err), OCT_OK);
    expect_file(t->target, "new content\n");
    oct_sink_close(s);
    expect_file(t->target, "new content\n");
    assert_int_equal(octest_dir_entries(t->dir), 1); /* only the target */
}

static void test_file_sink_replaces_old(void **state)
{
    tmp *t = *state;
    octest_write_file(t->target, "old\n", 4);
    oct_sink *s = oct_sink_open_file(t->target, NULL);
    assert_non_null(s);
    /* Enough to overflow any internal buffer so bytes really hit the disk. */
    for (int i = 0; i < 20000; i++) assert_int_equal(oct_sink_printf(s, "line %05d\n", i), OCT_OK);
    expect_file(t->target, "old\n");
    assert_int_equal(oct_sink_bytes_written(s), 20000 * 11);
    assert_int_equal(oct_sink_commit(s, NULL), OCT_OK);
    oct_sink_close(s);
    size_t len = 0;
    char *got = octest_read_file(t->target, &len);
    assert_non_null(got);
    assert_int_equal(len, 20000 * 11);
    assert_memory_equal(got, "line 00000\nline 00001\n", 22);
    assert_memory_equal(got + len - 11, "line 19999\n", 11);
    free(got);
    assert_int_equal(octest_dir_entries(t->dir), 1);
}

static void test_file_sink_close_without_commit(void **state)
{
    tmp *t = *state;
    octest_write_file(t->target, "keep me\n", 8);
    oct_sink *s = oct_sink_open_file(t->target, NULL);
    assert_non_null(s);
    for (int i = 0; i < 20000; i++) assert_int_equal(oct_sink_puts(s, "partial output "), OCT_OK);
    oct_sink_close(s);
    expect_file(t->target, "keep me\n");
    assert_int_equal(octest_dir_entries(t->dir), 1);

    /* And for a target that did not exist: nothing at all is left. */
    char fresh[700];
    octest_path(fresh, sizeof fresh, t->dir, "fresh.txt");
    s = oct_sink_open_file(fresh, NULL);
    assert_non_null(s);
    assert_int_equal(oct_sink_puts(s, "x"), OCT_OK);
    oct_sink_close(s);
    assert_false(octest_exists(fresh));
    assert_int_equal(octest_dir_entries(t->dir), 1);
}

static void test_file_sink_abort_all(void **state)
{
    tmp *t = *state;
    oct_sink *s = oct_sink_open_file(t->target, NULL);
    assert_non_null(s);
    assert_int_equal(oct_sink_puts(s, "interrupted"), OCT_OK);
    assert_int_equal(octest_dir_entries(t->dir), 1);
    oct_sink_abort_all();
    assert_int_equal(octest_dir_entries(t->dir), 0);
    oct_sink_close(s); /* after abort, closing still frees and removes nothing else */
    assert_int_equal(octest_dir_entries(t->dir), 0);
}

static void test_file_sink_missing_directory(void **state)
{
    tmp *t = *state;
    char path[700];
    octest_path(path, sizeof path, t->dir, "no/such/dir/out.txt");
    oct_error err;
    oct_error_clear(&err);
    oct_sink *s = oct_sink_open_file(path, &err);
    if (s != NULL) {
        /* Allowed to fail late, but then it must fail at commit. */
        oct_sink_puts(s, "x");
        assert_int_not_equal(oct_sink_commit(s, &err), OCT_OK);
        oct_sink_close(s);
    }
    assert_int_equal(err.status, OCT_ERR_OUTPUT);
    assert_non_null(strstr(err.where, "out.txt"));
    assert_true(strlen(err.message) > 0);
    assert_int_equal(octest_dir_entries(t->dir), 0);
}

/* A sink whose file vanished under it reports the failure at commit. */
static void test_file_sink_commit_fails_cleanly(void **state)
{
    tmp *t = *state;
    char sub[700], path[800];
    octest_path(sub, sizeof sub, t->dir, "sub");
    assert_int_equal(mkdir(sub, 0700), 0);
    octest_path(path, sizeof path, sub, "out.txt");
    oct_sink *s = oct_sink_open_file(path, NULL);
    assert_non_null(s);
    assert_int_equal(oct_sink_puts(s, "x"), OCT_OK);
    /* Turn the target into a non-empty directory: rename must fail. */
    assert_int_equal(mkdir(path, 0700), 0);
    char inner[900];
    octest_path(inner, sizeof inner, path, "f");
    octest_write_file(inner, "", 0);
    oct_error err;
    oct_error_clear(&err);
    assert_int_not_equal(oct_sink_commit(s, &err), OCT_OK);
    assert_int_not_equal(err.status, OCT_OK);
    oct_sink_close(s);
    assert_int_equal(octest_dir_entries(sub), 1); /* the directory we made; no temporary */
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_tmp, teardown_tmp)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_sink),
        cmocka_unit_test(test_memory_sink_cap_sticky),
        T(test_file_sink_new_target),
        T(test_file_sink_replaces_old),
        T(test_file_sink_close_without_commit),
        T(test_file_sink_abort_all),
        T(test_file_sink_missing_directory),
        T(test_file_sink_commit_fails_cleanly),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
