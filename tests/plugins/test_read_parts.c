/* The inputs of one book read at once (oct_convert_request.read_threads):
 * the output and the messages are those of a one-at-a-time read, the first
 * failing input in order is the one reported, and a reader that does not
 * declare OCT_FORMAT_THREAD_SAFE is never run twice at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "octavo/octavo_plugin.h"

enum { MAX_LOG = 64, N_PARTS = 6 };

typedef struct log_capture {
    char lines[MAX_LOG][512];
    size_t count;
} log_capture;

static void capture_log(void *userdata, oct_severity sev, const char *where, long line,
                        const char *message)
{
    (void)sev;
    (void)line;
    log_capture *cap = userdata;
    if (cap->count == MAX_LOG) fail_msg("too many log lines");
    const char *base = where ? strrchr(where, '/') : NULL;
    snprintf(cap->lines[cap->count++], sizeof cap->lines[0], "%s: %s",
             base ? base + 1 : where ? where : "", message);
}

typedef struct fixture {
    char dir[256];
    char out[300];
    oct_registry *reg;
} fixture;

static void write_file(const fixture *f, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/octavo-read-parts-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    snprintf(f->out, sizeof f->out, "%s/book.out", f->dir);
    for (int i = 0; i < N_PARTS; i++) {
        char name[32], text[64];
        for (const char *ext = "mt"; ext; ext = strcmp(ext, "mt") == 0 ? "st" : NULL) {
            snprintf(name, sizeof name, "p%d.%s", i, ext);
            snprintf(text, sizeof text, "part %d, first line\npart %d, second line\n", i, i);
            write_file(f, name, text);
        }
    }
    write_file(f, "bad1.mt", "fail\n");
    write_file(f, "bad2.mt", "fail\n");
    f->reg = oct_registry_new();
    if (oct_registry_load_dir(f->reg, getenv("OCTEST_PARTS_PLUGIN_DIR")) != 1 ||
        oct_registry_load_dir(f->reg, getenv("OCTEST_GOOD_PLUGIN_DIR")) != 1)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0) return -1;
    oct_registry_free(f->reg);
    free(f);
    return 0;
}

/* Converts names (in f->dir), read as `from` (NULL: by extension), to the
 * octest format in f->out. */
static oct_status convert(fixture *f, const char *from, const char *const *names, size_t n,
                          unsigned threads, log_capture *cap, oct_error *err)
{
    char paths[N_PARTS + 2][512];
    const char *inputs[N_PARTS + 2];
    for (size_t i = 0; i < n; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", f->dir, names[i]);
        inputs[i] = paths[i];
    }
    oct_context *ctx = oct_context_new(f->reg);
    oct_context_set_log(ctx, capture_log, cap);
    memset(cap, 0, sizeof *cap);
    oct_error_clear(err);
    unlink(f->out);
    oct_convert_request req = {
        .struct_size = sizeof req, .inputs = inputs, .n_inputs = n, .from = from, .to = "octest",
        .output = f->out, .read_threads = threads,
    };
    oct_status st = oct_convert(ctx, &req, err);
    oct_context_free(ctx);
    return st;
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    char *s = calloc(1, 1 << 16);
    size_t n = fread(s, 1, (1 << 16) - 1, fp);
    s[n] = '\0';
    fclose(fp);
    return s;
}

/* The largest "with N at once" the readers reported. */
static int most_at_once(const log_capture *cap)
{
    int most = 0;
    for (size_t i = 0; i < cap->count; i++) {
        const char *p = strstr(cap->lines[i], "with ");
        if (p && atoi(p + 5) > most) most = atoi(p + 5);
    }
    return most;
}

static void same_book_and_messages_as_one_at_a_time(void **state)
{
    fixture *f = *state;
    const char *names[N_PARTS] = {"p0.mt", "p1.mt", "p2.mt", "p3.mt", "p4.mt", "p5.mt"};
    log_capture one, many;
    oct_error err;
    assert_int_equal(convert(f, "parts-mt", names, N_PARTS, 1, &one, &err), OCT_OK);
    char *book_one = slurp(f->out);
    assert_non_null(book_one);
    assert_int_equal(convert(f, "parts-mt", names, N_PARTS, 3, &many, &err), OCT_OK);
    char *book_many = slurp(f->out);
    assert_non_null(book_many);
    assert_string_equal(book_one, book_many);
    assert_non_null(strstr(book_many, "part 5, second line"));
    /* The messages, in input order, whatever order the threads ran in. */
    assert_int_equal(one.count, N_PARTS);
    assert_int_equal(many.count, N_PARTS);
    for (size_t i = 0; i < N_PARTS; i++) {
        char want[32];
        snprintf(want, sizeof want, "p%zu.mt: reading with", i);
        assert_non_null(strstr(many.lines[i], want));
    }
    assert_int_equal(most_at_once(&one), 1);
    assert_true(most_at_once(&many) > 1); /* it did run at once */
    free(book_one);
    free(book_many);
}

static void reader_without_the_flag_reads_one_at_a_time(void **state)
{
    fixture *f = *state;
    const char *names[N_PARTS] = {"p0.st", "p1.st", "p2.st", "p3.st", "p4.st", "p5.st"};
    log_capture cap;
    oct_error err;
    assert_int_equal(convert(f, "parts-st", names, N_PARTS, 4, &cap, &err), OCT_OK);
    assert_int_equal(cap.count, N_PARTS);
    assert_int_equal(most_at_once(&cap), 1);
    /* Without -f, each input's reader is picked from its name, and one of
     * the readers that could be picked (parts-st, octest) lacks the flag. */
    const char *mixed[N_PARTS] = {"p0.mt", "p1.mt", "p2.mt", "p3.mt", "p4.mt", "p5.mt"};
    assert_int_equal(convert(f, NULL, mixed, N_PARTS, 4, &cap, &err), OCT_OK);
    assert_int_equal(most_at_once(&cap), 1);
}

static void first_failure_in_order_is_reported(void **state)
{
    fixture *f = *state;
    const char *names[N_PARTS] = {"p0.mt", "p1.mt", "bad1.mt", "p3.mt", "bad2.mt", "p5.mt"};
    log_capture cap;
    oct_error err;
    assert_int_equal(convert(f, "parts-mt", names, N_PARTS, 4, &cap, &err), OCT_ERR_PARSE);
    assert_non_null(strstr(err.where, "bad1.mt"));
    assert_string_equal(err.message, "failed on purpose");
    /* What a one-at-a-time read would have said before stopping there. */
    assert_int_equal(cap.count, 3);
    assert_non_null(strstr(cap.lines[2], "bad1.mt: reading with"));
    assert_int_equal(access(f->out, F_OK), -1);
}

static void missing_input_is_named(void **state)
{
    fixture *f = *state;
    const char *names[3] = {"p0.mt", "absent.mt", "p2.mt"};
    log_capture cap;
    oct_error err;
    assert_int_not_equal(convert(f, "parts-mt", names, 3, 3, &cap, &err), OCT_OK);
    assert_non_null(strstr(err.where, "absent.mt"));
    assert_int_equal(access(f->out, F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_book_and_messages_as_one_at_a_time),
        cmocka_unit_test(reader_without_the_flag_reads_one_at_a_time),
        cmocka_unit_test(first_failure_in_order_is_reported),
        cmocka_unit_test(missing_input_is_named),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
