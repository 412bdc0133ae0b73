/* The status table: distinct names and messages, documented exit codes, and
 * oct_error filling and formatting without overflow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "octavo/octavo.h"
#include "octest.h"

static void test_names_and_messages_distinct(void **state)
{
    (void)state;
    for (int a = 0; a < OCT_STATUS_COUNT_; a++) {
        const char *name = oct_status_name(a);
        const char *msg = oct_status_message(a);
        assert_non_null(name);
        assert_non_null(msg);
        assert_true(strncmp(name, "OCT_", 4) == 0);
        assert_true(strlen(msg) > 0);
        assert_null(strchr(msg, '\n'));
        for (int b = a + 1; b < OCT_STATUS_COUNT_; b++) {
            assert_string_not_equal(name, oct_status_name(b));
            assert_string_not_equal(msg, oct_status_message(b));
        }
    }
    assert_string_equal(oct_status_name(OCT_OK), "OCT_OK");
    assert_string_equal(oct_status_name(OCT_ERR_NOMEM), "OCT_ERR_NOMEM");
    assert_string_equal(oct_status_name(OCT_ERR_PLUGIN_ABI), "OCT_ERR_PLUGIN_ABI");
    assert_string_equal(oct_status_message(OCT_ERR_NOMEM), "out of memory");
    /* Values are part of the ABI: never renumbered. */
    assert_int_equal(OCT_OK, 0);
    assert_int_equal(OCT_ERR_NOMEM, 1);
    assert_int_equal(OCT_ERR_CONVERSION, 22);
}

/* A status from a newer library (or garbage) must not crash a caller that
 * prints it. */
static void test_out_of_range_status(void **state)
{
    (void)state;
    assert_non_null(oct_status_name(OCT_STATUS_COUNT_));
    assert_non_null(oct_status_message(OCT_STATUS_COUNT_));
    assert_non_null(oct_status_name((oct_status)-1));
    assert_non_null(oct_status_message((oct_status)9999));
    assert_int_not_equal(oct_status_exit_code(OCT_STATUS_COUNT_), 0);
}

static void test_exit_codes(void **state)
{
    (void)state;
    assert_int_equal(oct_status_exit_code(OCT_OK), 0);
    assert_int_equal(oct_status_exit_code(OCT_ERR_INVALID_ARG), 2);
    assert_int_equal(oct_status_exit_code(OCT_ERR_UNKNOWN_FORMAT), 2);
    assert_int_equal(oct_status_exit_code(OCT_ERR_IO), 3);
    assert_int_equal(oct_status_exit_code(OCT_ERR_NOT_FOUND), 3);
    assert_int_equal(oct_status_exit_code(OCT_ERR_PARSE), 3);
    assert_int_equal(oct_status_exit_code(OCT_ERR_LIMIT), 3);
    assert_int_equal(oct_status_exit_code(OCT_ERR_CONVERSION), 4);
    assert_int_equal(oct_status_exit_code(OCT_ERR_PLUGIN_OPEN), 4);
    assert_int_equal(oct_status_exit_code(OCT_ERR_OUTPUT), 5);
    assert_int_equal(oct_status_exit_code(OCT_ERR_INTERRUPTED), 130);

    /* Every status maps to its class in the table, and only to the
     * documented codes. */
    static const int classes[] = {
#define CLASS_OF(name, cls, msg) cls,
        OCT_STATUS_TABLE(CLASS_OF)
#undef CLASS_OF
    };
    for (int s = 0; s < OCT_STATUS_COUNT_; s++) {
        const int code = oct_status_exit_code(s);
        assert_int_equal(code, classes[s]);
        assert_true(code == 0 || code == 2 || code == 3 || code == 4 || code == 5 || code == 130);
        assert_true((code == 0) == (s == OCT_OK));
    }
}

static void test_error_set_and_format(void **state)
{
    (void)state;
    oct_error err;
    memset(&err, 0x5a, sizeof err);
    oct_error_clear(&err);
    assert_int_equal(err.status, OCT_OK);
    assert_int_equal(err.line, 0);
    assert_string_equal(err.where, "");
    assert_string_equal(err.message, "");

    assert_int_equal(oct_error_set(&err, OCT_ERR_PARSE, "article.html", 12, "unclosed %s", "<div>"),
                     OCT_ERR_PARSE);
    assert_int_equal(err.status, OCT_ERR_PARSE);
    assert_int_equal(err.line, 12);
    assert_string_equal(err.where, "article.html");
    assert_string_equal(err.message, "unclosed <div>");

    char buf[256];
    assert_string_equal(oct_error_format(&err, buf, sizeof buf), "article.html: line 12: unclosed <div>");
    oct_error_set(&err, OCT_ERR_IO, "out.md", 0, "disk full");
    assert_string_equal(oct_error_format(&err, buf, sizeof buf), "out.md: disk full");
    oct_error_set(&err, OCT_ERR_IO, NULL, 0, "no where");
    assert_string_equal(oct_error_format(&err, buf, sizeof buf), "no where");
    oct_error_set(&err, OCT_ERR_IO, "", 3, "x");
    assert_string_equal(oct_error_format(&err, buf, sizeof buf), "line 3: x");

    /* NULL err: just the status back. */
    assert_int_equal(oct_error_set(NULL, OCT_ERR_LIMIT, "x", 1, "y"), OCT_ERR_LIMIT);
}

static void test_error_truncates_safely(void **state)
{
    (void)state;
    char huge[4096];
    memset(huge, 'w', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    oct_error err;
    oct_error_clear(&err);
    oct_error_set(&err, OCT_ERR_PARSE, huge, 7, "%s\n%s", huge, "second line");
    assert_true(strlen(err.where) < sizeof err.where);
    assert_true(strlen(err.message) < sizeof err.message);
    assert_null(strchr(err.message, '\n')); /* messages are one line */

    char small[16];
    const char *s = oct_error_format(&err, small, sizeof small);
    assert_ptr_equal(s, small);
    assert_true(strlen(small) < sizeof small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_and_messages_distinct),
        cmocka_unit_test(test_out_of_range_status),
        cmocka_unit_test(test_exit_codes),
        cmocka_unit_test(test_error_set_and_format),
        cmocka_unit_test(test_error_truncates_safely),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
