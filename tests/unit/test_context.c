/* The conversion context: -V options and their typed readings (with a
 * warning for values that do not parse), the log callback, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "octavo/octavo.h"
#include "octest.h"

typedef struct captured {
    size_t count;
    oct_severity sev;
    char where[256];
    long line;
    char message[512];
} captured;

static void capture(void *userdata, oct_severity sev, const char *where, long line,
                    const char *message)
{
    captured *c = userdata;
    c->count++;
    c->sev = sev;
    snprintf(c->where, sizeof c->where, "%s", where ? where : "");
    c->line = line;
    snprintf(c->message, sizeof c->message, "%s", message);
}

typedef struct fixture {
    oct_registry *reg;
    oct_context *ctx;
    captured log;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL) return -1;
    f->reg = oct_registry_new();
    f->ctx = f->reg ? oct_context_new(f->reg) : NULL;
    if (f->ctx == NULL) return -1;
    oct_context_set_log(f->ctx, capture, &f->log);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    oct_context_free(f->ctx);
    oct_registry_free(f->reg);
    free(f);
    return 0;
}

static void test_options(void **state)
{
    fixture *f = *state;
    assert_null(oct_context_option(f->ctx, "paragraphs"));
    assert_int_equal(oct_context_set_option(f->ctx, "paragraphs", "single"), OCT_OK);
    assert_string_equal(oct_context_option(f->ctx, "paragraphs"), "single");
    assert_int_equal(oct_context_set_option(f->ctx, "paragraphs", "block"), OCT_OK);
    assert_string_equal(oct_context_option(f->ctx, "paragraphs"), "block");
    char value[] = "copied";
    assert_int_equal(oct_context_set_option(f->ctx, "k", value), OCT_OK);
    value[0] = 'X';
    assert_string_equal(oct_context_option(f->ctx, "k"), "copied");
}

static void test_option_bool(void **state)
{
    fixture *f = *state;
    const char *yes[] = {"on", "true", "yes", "1"};
    const char *no[] = {"off", "false", "no", "0"};
    for (size_t i = 0; i < 4; i++) {
        oct_context_set_option(f->ctx, "b", yes[i]);
        assert_int_equal(oct_context_option_bool(f->ctx, "b", 0), 1);
        oct_context_set_option(f->ctx, "b", no[i]);
        assert_int_equal(oct_context_option_bool(f->ctx, "b", 1), 0);
    }
    assert_int_equal(oct_context_option_bool(f->ctx, "absent", 1), 1);
    assert_int_equal(oct_context_option_bool(f->ctx, "absent", 0), 0);
    assert_int_equal(oct_context_warning_count(f->ctx), 0);

    oct_context_set_option(f->ctx, "b", "maybe");
    assert_int_equal(oct_context_option_bool(f->ctx, "b", 1), 1);
    assert_int_equal(oct_context_warning_count(f->ctx), 1);
    assert_int_equal(f->log.sev, OCT_SEV_WARNING);
    assert_non_null(strstr(f->log.message, "maybe"));
}

static void test_option_long(void **state)
{
    fixture *f = *state;
    oct_context_set_option(f->ctx, "n", "42");
    assert_int_equal(oct_context_option_long(f->ctx, "n", 7, 0, 100), 42);
    assert_int_equal(oct_context_option_long(f->ctx, "absent", 7, 0, 100), 7);
    assert_int_equal(oct_context_warning_count(f->ctx), 0);

    oct_context_set_option(f->ctx, "n", "12abc");
    assert_int_equal(oct_context_option_long(f->ctx, "n", 7, 0, 100), 7);
    assert_int_equal(oct_context_warning_count(f->ctx), 1);

    oct_context_set_option(f->ctx, "n", "1000");
    const long v = oct_context_option_long(f->ctx, "n", 7, 0, 100);
    assert_in_range(v, 0, 100);
    assert_int_equal(oct_context_warning_count(f->ctx), 2);

    oct_context_set_option(f->ctx, "n", "99999999999999999999999");
    assert_in_range(oct_context_option_long(f->ctx, "n", 7, 0, 100), 0, 100);
    assert_int_equal(oct_context_warning_count(f->ctx), 3);
}

static void test_log_where_and_format(void **state)
{
    fixture *f = *state;
    oct_context_set_where(f->ctx, "chapter1.html");
    assert_string_equal(oct_context_where(f->ctx), "chapter1.html");
    oct_context_log(f->ctx, OCT_SEV_ERROR, 12, "bad %s at %d", "tag", 3);
    assert_int_equal(f->log.count, 1);
    assert_int_equal(f->log.sev, OCT_SEV_ERROR);
    assert_string_equal(f->log.where, "chapter1.html");
    assert_int_equal(f->log.line, 12);
    assert_string_equal(f->log.message, "bad tag at 3");
    oct_warn(f->ctx, "careful");
    assert_int_equal(f->log.sev, OCT_SEV_WARNING);
    assert_string_equal(f->log.message, "careful");
    assert_int_equal(oct_context_warning_count(f->ctx), 1);
}

static void test_limits(void **state)
{
    fixture *f = *state;
    oct_limits def;
    oct_limits_default(&def);
    const oct_limits *cur = oct_context_limits(f->ctx);
    assert_non_null(cur);
    assert_int_equal(cur->max_depth, def.max_depth);
    assert_int_equal(cur->max_input_bytes, def.max_input_bytes);
    oct_limits lim = def;
    lim.max_input_bytes = 1234;
    lim.max_resources = 3;
    oct_context_set_limits(f->ctx, &lim);
    assert_int_equal(oct_context_limits(f->ctx)->max_input_bytes, 1234);
    assert_int_equal(oct_context_limits(f->ctx)->max_resources, 3);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_options),
        T(test_option_bool),
        T(test_option_long),
        T(test_log_where_and_format),
        T(test_limits),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
