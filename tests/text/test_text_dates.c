/*
 * test_text_dates.c — the date-line recogniser of the text reader: the
 * forms articles print, and what must never be taken for a date.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "text_internal.h"

static void expect_date(const char *line, const char *iso)
{
    char out[11] = "";
    if (!text_parse_date(line, strlen(line), out))
        fail_msg("not recognised as a date: \"%s\"", line);
    assert_string_equal(out, iso);
}

static void expect_no_date(const char *line)
{
    char out[11] = "";
    if (text_parse_date(line, strlen(line), out))
        fail_msg("wrongly taken for a date (%s): \"%s\"", out, line);
}

static void test_written_forms(void **state)
{
    (void)state;
    expect_date("9 January 2019", "2019-01-09");
    expect_date("9th January 2019", "2019-01-09");
    expect_date("January 9, 2019", "2019-01-09");
    expect_date("January 9 2019", "2019-01-09");
    expect_date("Jan. 9, 2019", "2019-01-09");
    expect_date("Sept 30, 2021", "2021-09-30");
    expect_date("2019-01-09", "2019-01-09");
    expect_date("2019-01-09T10:32:00Z", "2019-01-09");
    expect_date("Wednesday, 9 January 2019", "2019-01-09");
    expect_date("Wed, January 9, 2019", "2019-01-09");
    expect_date("Published 9 Jan 2019 10:32 GMT", "2019-01-09");
    expect_date("Updated: March 3, 2021 at 5:00 pm", "2021-03-03");
    expect_date("29 February 2020", "2020-02-29");
    /* years found from sixteen-byte blocks: one ending a block, one across two */
    expect_date("On 9 January 2019", "2019-01-09");
    expect_date("Updated: Wednesday, 9 January 2019", "2019-01-09");
}

static void test_refusals(void **state)
{
    (void)state;
    /* ambiguous day/month order */
    expect_no_date("03/04/2019");
    expect_no_date("09.01.2019");
    /* impossible dates */
    expect_no_date("29 February 2019");
    expect_no_date("31 April 2020");
    expect_no_date("2019-13-01");
    /* month and year only, or a sentence containing a date */
    expect_no_date("January 2019");
    expect_no_date("The meeting on 9 January 2019 was cancelled.");
    expect_no_date("By Jane Doe, 9 January 2019");
    expect_no_date("May the best team win in 2019");
    expect_no_date("");
    expect_no_date("9 January 2019 9 January 2019 9 January 2019 9 January 2019 and more words");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_written_forms),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
