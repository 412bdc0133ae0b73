/*
 * test_html_stress.c — pathological pages: 100,000 nested <div>s (and
 * custom elements kept as raw HTML), a 20 MB page, 100,000 attributes on
 * one element. None may overflow the stack or lose its content, and each
 * must stay (roughly) linear: doubling the input may not much more than
 * double the time. Bounds are generous (sanitizers, a shared machine).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "html_test_support.h"

/* CPU time: what linearity is about, and steadier than the wall clock on a
 * machine shared with other builds. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef void (*make_fn)(oct_buf *b, size_t n);

static void make_nested(oct_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        oct_buf_puts(b, "<div>");
    oct_buf_puts(b, "deepest words");
    for (size_t i = 0; i < n; i++)
        oct_buf_puts(b, "</div>");
    oct_buf_puts(b, "<p>after the divs</p>");
}

/* Unknown elements: kept whole as raw HTML with raw-html=on. */
static void make_nested_custom(oct_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        oct_buf_puts(b, "<x-box>");
    oct_buf_puts(b, "deepest words");
    for (size_t i = 0; i < n; i++)
        oct_buf_puts(b, "</x-box>");
    oct_buf_puts(b, "<p>after the custom elements</p>");
}

static void make_attributes(oct_buf *b, size_t n)
{
    oct_buf_puts(b, "<p id=\"first\"");
    for (size_t i = 0; i < n; i++)
        oct_buf_printf(b, " data-a%zu=\"v\"", i);
    oct_buf_puts(b, ">text of the crowded element</p><p>after the attributes</p>");
}

/* n paragraphs of about 100 bytes. */
static void make_big(oct_buf *b, size_t n)
{
    oct_buf_puts(b, "<!DOCTYPE html><html><head><title>Big</title></head><body>");
    for (size_t i = 0; i < n; i++)
        oct_buf_printf(b, "<p>Paragraph %zu has <b>bold</b> and <a href=\"/p%zu\">a link</a> "
                          "among plain words.</p>\n", i, i);
    oct_buf_puts(b, "<p>the very last paragraph</p></body></html>");
}

static int doc_contains(const oct_doc *doc, const char *needle)
{
    oct_buf text;
    oct_buf_init(&text, 0);
    html_test_doc_text(doc, &text);
    oct_buf_putc(&text, 0);
    const int found = text.data && strstr(text.data, needle) != NULL;
    oct_buf_free(&text);
    return found;
}

/* Reads make(n), checks the needles, returns the seconds it took. */
static double run(html_test_env *env, make_fn make, size_t n, const char *needle1,
                  const char *needle2)
{
    oct_buf b;
    oct_buf_init(&b, 0);
    make(&b, n);
    assert_int_equal(b.status, OCT_OK);
    oct_doc *doc = NULL;
    const double t0 = now();
    /* The reader alone (no normalisation, no validation walk): the time
     * measured is the reader's. */
    assert_int_equal(oct_read_memory(env->ctx, b.data, b.len, "stress.html", env->html, &doc, NULL),
                     OCT_OK);
    const double t = now() - t0;
    if (b.len < ((size_t)4 << 20))
        assert_int_equal(oct_doc_validate(doc, NULL), OCT_OK);
    assert_true(doc_contains(doc, needle1));
    assert_true(doc_contains(doc, needle2));
    printf("  n=%zu: %zu bytes in %.3f s\n", n, b.len, t);
    oct_doc_free(doc);
    oct_buf_free(&b);
    return t;
}

/* Reads make(small) and make(2 * small) to check growth, then make(full)
 * (when larger) against an absolute bound. */
static void check_linear(make_fn make, size_t small, size_t full, const char *a, const char *b,
                         double bound, const char *raw_html)
{
    html_test_env env;
    assert_true(html_test_open(&env));
    oct_context_set_option(env.ctx, "extract", "off");
    oct_context_set_option(env.ctx, "raw-html", raw_html);
    const double half = run(&env, make, small, a, b);
    const double twice = run(&env, make, 2 * small, a, b);
    const double whole = full > 2 * small ? run(&env, make, full, a, b) : twice;
    html_test_close(&env);
    /* Quadratic would be 4x; allow noise. */
    assert_true(twice < 3.0 * half + 0.5);
    assert_true(whole < bound);
}

static void test_nested_divs(void **state)
{
    (void)state;
    check_linear(make_nested, 50000, 100000, "deepest words", "after the divs", 60.0, "off");
}

static void test_nested_custom_elements(void **state)
{
    (void)state;
    check_linear(make_nested_custom, 50000, 100000, "deepest words",
                 "after the custom elements", 60.0, "on");
}

static void test_many_attributes(void **state)
{
    (void)state;
    check_linear(make_attributes, 50000, 100000, "text of the crowded element",
                 "after the attributes", 60.0, "off");
}

static void test_big_page(void **state)
{
    (void)state;
    /* Growth on 1 and 2 MB, then 220,000 paragraphs: about 20 MB. */
    check_linear(make_big, 11000, 220000, "Paragraph 0 has", "the very last paragraph", 90.0, "off");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_nested_divs),
                                       cmocka_unit_test(test_nested_custom_elements),
                                       cmocka_unit_test(test_many_attributes),
                                       cmocka_unit_test(test_big_page)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
