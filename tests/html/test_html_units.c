/*
 * test_html_units.c — the HTML reader's internals that the golden trees
 * cannot reach (the HTTP Content-Type, the exact bytes handed to libxml2,
 * date normalisation), the probe, and the sample article end to end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "html.h"
#include "html_test_support.h"

/* prepare.c once more, without SSE2 and under other names: the plain C
 * scans that platforms without SSE2 use, compared here with the SSE2 ones
 * (the test links the plugin's own build of prepare.c as well). */
oct_status html_prepare_portable(const char *in, size_t len, unsigned flags, oct_buf *out);
int html_entity_lookup_portable(const char *name, size_t len, int semicolon, uint32_t cp[2]);
#undef __SSE2__
#define html_prepare html_prepare_portable
#define html_entity_lookup html_entity_lookup_portable
#include "prepare.c"
#undef html_prepare
#undef html_entity_lookup

static void expect_charset(const char *bytes, const char *content_type, const char *want,
                           size_t want_bom)
{
    char label[64];
    const size_t bom = html_detect_charset((const unsigned char *)bytes, strlen(bytes),
                                           content_type, label, sizeof label);
    assert_string_equal(label, want);
    assert_int_equal(bom, want_bom);
}

static void test_charset_order(void **state)
{
    (void)state;
    const char *meta_1252 = "<meta charset=windows-1252><p>caf\xe9</p>";
    /* BOM first, then HTTP, then <meta>, then UTF-8, then windows-1252. */
    expect_charset("\xef\xbb\xbf<meta charset=iso-8859-2><p>x", "text/html; charset=koi8-r",
                   "UTF-8", 3);
    expect_charset(meta_1252, "text/html; charset=\"ISO-8859-2\"", "ISO-8859-2", 0);
    expect_charset(meta_1252, NULL, "WINDOWS-1252", 0);
    expect_charset("<meta http-equiv='Content-Type' content='text/html; charset=Shift_JIS'>",
                   "text/html", "Shift_JIS", 0);
    expect_charset("<p>plain ascii</p>", NULL, "UTF-8", 0);
    expect_charset("<p>caf\xc3\xa9</p>", NULL, "UTF-8", 0);
    expect_charset("<p>caf\xe9</p>", NULL, "WINDOWS-1252", 0);
    /* Latin-1 is read as its superset, windows-1252. */
    expect_charset("<meta charset=latin1><p>x</p>", NULL, "WINDOWS-1252", 0);
    /* A saved page re-encoded to UTF-8 that still declares its old charset. */
    expect_charset("<meta charset=gb2312><p>\xe4\xb8\xad\xe6\x96\x87</p>", NULL, "UTF-8", 0);
}

static char *prepared_with(const char *in, unsigned flags)
{
    oct_buf out;
    oct_buf_init(&out, 0);
    assert_int_equal(html_prepare(in, strlen(in), flags, &out), OCT_OK);
    oct_buf_putc(&out, 0);
    return oct_buf_detach(&out, NULL);
}

static char *prepared(const char *in) { return prepared_with(in, 0); }

static void expect_prepared(const char *in, const char *want)
{
    char *got = prepared(in);
    assert_string_equal(got, want);
    free(got);
}

static void expect_folded(const char *in, const char *want)
{
    char *got = prepared_with(in, HTML_PREPARE_FOLD_INDENTATION);
    assert_string_equal(got, want);
    free(got);
}

static void test_prepare(void **state)
{
    (void)state;
    /* HTML5 names libxml2 2.9 does not know, decoded to UTF-8. */
    expect_prepared("<p>&check; &NotEqualTilde;</p>", "<p>\xe2\x9c\x93 \xe2\x89\x82\xcc\xb8</p>");
    /* Decoded markup characters go back as references libxml2 knows. */
    expect_prepared("<p>&AMP; &LT;b&GT; &#60;</p>", "<p>&amp; &lt;b&gt; &lt;</p>");
    /* Numeric references: the web's windows-1252 C1 mapping, NUL to U+FFFD. */
    expect_prepared("<p>&#x80;&#150;&#0;</p>", "<p>\xe2\x82\xac\xe2\x80\x93\xef\xbf\xbd</p>");
    /* Legacy references without semicolon: decoded in text, kept in query strings. */
    expect_prepared("<p>&copy 2024</p>", "<p>\xc2\xa9 2024</p>");
    expect_prepared("<a href=\"?a=1&copy=2&amp;b\">", "<a href=\"?a=1&copy=2&amp;b\">");
    expect_prepared("<p>&unknown; & x</p>", "<p>&unknown; & x</p>");
    /* Line ends and NUL bytes. */
    expect_prepared("a\r\nb\rc", "a\nb\nc");
    const char nul[] = {'a', '\0', 'b'};
    oct_buf out;
    oct_buf_init(&out, 0);
    assert_int_equal(html_prepare(nul, sizeof nul, 0, &out), OCT_OK);
    assert_int_equal(out.len, 2);
    assert_memory_equal(out.data, "ab", 2);
    oct_buf_free(&out);
    /* Script text is left alone, except "</" that would end it early. */
    expect_prepared("<script>s = \"</p>&check;\";</script><p>&check;",
                    "<script>s = \"<\\/p>&check;\";</script><p>\xe2\x9c\x93");
    /* HTML5 void elements libxml2 2.9 would leave open. */
    expect_prepared("<embed src=x><source srcset=y><wbr>", "<embed src=x/><source srcset=y/><wbr/>");
    /* Comments are copied verbatim. The dashes of "<!--" do not end it. */
    expect_prepared("<!-- &check; <b> -->", "<!-- &check; <b> -->");
    expect_prepared("<!--->&check;-->&check;", "<!--->&check;-->\xe2\x9c\x93");
    expect_prepared("<!---->&check;", "<!---->\xe2\x9c\x93");
}

/* in through html_prepare and its plain C build (both must give want),
 * folding or not. */
static void expect_both_ways(const char *in, size_t len, unsigned flags, const char *want)
{
    oct_buf sse, plain;
    oct_buf_init(&sse, 0);
    oct_buf_init(&plain, 0);
    assert_int_equal(html_prepare(in, len, flags, &sse), OCT_OK);
    assert_int_equal(html_prepare_portable(in, len, flags, &plain), OCT_OK);
    oct_buf_putc(&sse, 0);
    oct_buf_putc(&plain, 0);
    assert_string_equal(sse.data, want);
    assert_string_equal(plain.data, want);
    oct_buf_free(&sse);
    oct_buf_free(&plain);
}

/* The scans look at 16 bytes (SSE2), then 8 (plain C), then one at a time:
 * runs of every length around those sizes, with the byte that decides at
 * every offset, must come out as a byte by byte reading says. */
static void test_prepare_block_edges(void **state)
{
    (void)state;
    char run[48], in[128], want[128];
    for (size_t n = 0; n <= 40; n++) {
        for (size_t at = 0; at <= n; at++) {
            /* White space between tags with an LF at `at` (none at n):
             * one LF; a word after it, or no LF (one past the '<' is not
             * in it), keeps it as written. */
            memset(run, ' ', n);
            run[n] = '\0';
            if (at < n)
                run[at] = '\n';
            snprintf(in, sizeof in, "<a>%s<b>\n", run);
            expect_both_ways(in, strlen(in), HTML_PREPARE_FOLD_INDENTATION,
                             at < n ? "<a>\n<b>\n" : in);
            snprintf(in, sizeof in, "<a>%sx<b>\n", run);
            expect_both_ways(in, strlen(in), HTML_PREPARE_FOLD_INDENTATION, in);
            /* A reference, a CR and a NUL at `at` in text and in values. */
            memset(run, 'v', n);
            run[n] = '\0';
            const int head = (int)at;
            snprintf(in, sizeof in, "<p>%.*s&check;%s</p><a title=\"%.*s&check;%s\">", head, run,
                     run + at, head, run, run + at);
            snprintf(want, sizeof want, "<p>%.*s\xe2\x9c\x93%s</p><a title=\"%.*s\xe2\x9c\x93%s\">",
                     head, run, run + at, head, run, run + at);
            expect_both_ways(in, strlen(in), 0, want);
            snprintf(in, sizeof in, "<p>%.*s\r%s</p><a title=\"%.*s\r%s\">", head, run, run + at,
                     head, run, run + at);
            snprintf(want, sizeof want, "<p>%.*s\n%s</p><a title=\"%.*s\n%s\">", head, run,
                     run + at, head, run, run + at);
            expect_both_ways(in, strlen(in), 0, want);
            snprintf(in, sizeof in, "<p>%.*s#%s</p><a title=\"%.*s#%s\">", head, run, run + at,
                     head, run, run + at);
            const size_t len = strlen(in);
            for (size_t k = 0; k < len; k++)
                if (in[k] == '#')
                    in[k] = '\0';
            snprintf(want, sizeof want, "<p>%s</p><a title=\"%s\">", run, run);
            expect_both_ways(in, len, 0, want);
        }
    }
}

static uint32_t next_random(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 8;
}

/* Random pages made of the pieces the pass reacts to: the SSE2 build and
 * the plain C one agree on every one. */
static void test_prepare_builds_agree(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "<", ">", "/", "=", "\"", "'", " ", "\n", "\r", "\t", "\f", "&", ";", "#", "x", "a", "Z",
        "9", "\x01", "\xc3\xa9", "<p", "</p", "<pre", "</PRE", "<xmp", "</xmp", "<plaintext",
        "</plaintext", "<textarea", "</textarea", "<script", "</script", "<style", "</style",
        "<embed", "<wbr", "<!--", "-->", "-", "&amp", "&copy", "&copy=", "&#x80;", "&#150",
        "&check;", " href=", " a=\"", "\n    ", "\n  \n", "                ", "a=b=\"c d>\"",
        "<div class=\"x\">", "\n\t  "};
    const size_t n_pieces = sizeof pieces / sizeof pieces[0];
    uint32_t seed = 2024;
    char page[2048];
    for (int round = 0; round < 3000; round++) {
        size_t len = 0;
        const size_t count = 1 + next_random(&seed) % 80;
        for (size_t k = 0; k < count; k++) {
            if (next_random(&seed) % 40 == 0) {
                page[len++] = '\0';
                continue;
            }
            const char *piece = pieces[next_random(&seed) % n_pieces];
            const size_t n = strlen(piece);
            if (len + n > sizeof page)
                break;
            memcpy(page + len, piece, n);
            len += n;
        }
        for (unsigned flags = 0; flags <= HTML_PREPARE_FOLD_INDENTATION; flags++) {
            oct_buf sse, plain;
            oct_buf_init(&sse, 0);
            oct_buf_init(&plain, 0);
            assert_int_equal(html_prepare(page, len, flags, &sse), OCT_OK);
            assert_int_equal(html_prepare_portable(page, len, flags, &plain), OCT_OK);
            assert_int_equal(sse.len, plain.len);
            if (sse.len)
                assert_memory_equal(sse.data, plain.data, sse.len);
            oct_buf_free(&sse);
            oct_buf_free(&plain);
        }
    }
}

static void test_fold_indentation(void **state)
{
    (void)state;
    /* White space alone between tags, with a line break: one line break.
     * (Dropping it next to block tags would be tempting, but a block with
     * nothing the model keeps vanishes, and the words around it would run
     * together: "Blog<div><svg/></div>\n<div>..</div>Insights".) */
    expect_folded("<ul>\n    <li>a</li>\r\n\t <li>b</li>\n</ul>\n  ",
                  "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
    expect_folded("<a>Blog</a>\n   <div><svg/></div>\n  <a>Insights</a>",
                  "<a>Blog</a>\n<div><svg/></div>\n<a>Insights</a>");
    /* Spaces without a line break, and text with white space around it,
     * stay as written. */
    expect_folded("<b>x</b>   <i>y</i><p>\n  text\n  </p>",
                  "<b>x</b>   <i>y</i><p>\n  text\n  </p>");
    /* Inside pre and its kin (any case), and nested, nothing is folded;
     * after the last end tag folding resumes. */
    expect_folded("<PRE>\n  <b>a</b>\n  <pre>\n  </pre>\n  </Pre>\n  <p>",
                  "<PRE>\n  <b>a</b>\n  <pre>\n  </pre>\n  </Pre>\n<p>");
    expect_folded("<textarea>\n  <x>\n  </textarea><listing>\n  <x>\n  </listing>\n  <p>",
                  "<textarea>\n  <x>\n  </textarea><listing>\n  <x>\n  </listing>\n<p>");
    /* A stray end tag of another of them (libxml2 ignores it) does not
     * end the pre. */
    expect_folded("<pre></xmp><span>if</span>\n    <span>y</span>\n</pre>\n  <p>",
                  "<pre></xmp><span>if</span>\n    <span>y</span>\n</pre>\n<p>");
    /* plaintext never ends. */
    expect_folded("<plaintext>\n  <b>\n  </plaintext>\n  <p>",
                  "<plaintext>\n  <b>\n  </plaintext>\n  <p>");
    /* Tag-like text in comments, scripts and attribute values is no tag. */
    expect_folded("<!-- <pre> -->\n  <p title=\"<pre>\">\n  <script><pre></script>\n  <i>",
                  "<!-- <pre> -->\n<p title=\"<pre>\">\n<script><pre></script>\n<i>");
    /* Without the flag: every byte as written. */
    expect_prepared("<ul>\n    <li>a</li>\n</ul>", "<ul>\n    <li>a</li>\n</ul>");
}

static void test_attribute_cap(void **state)
{
    (void)state;
    oct_buf in;
    oct_buf_init(&in, 0);
    oct_buf_puts(&in, "<p");
    for (int i = 0; i < HTML_MAX_ATTRIBUTES + 50; i++)
        oct_buf_printf(&in, " a%d=\"v\"", i);
    oct_buf_puts(&in, ">text</p>");
    oct_buf out;
    oct_buf_init(&out, 0);
    assert_int_equal(html_prepare(in.data, in.len, 0, &out), OCT_OK);
    oct_buf_putc(&out, 0);
    char last_kept[32], first_dropped[32];
    snprintf(last_kept, sizeof last_kept, " a%d=\"v\"", HTML_MAX_ATTRIBUTES - 1);
    snprintf(first_dropped, sizeof first_dropped, " a%d=\"v\"", HTML_MAX_ATTRIBUTES);
    assert_non_null(strstr(out.data, last_kept));
    assert_null(strstr(out.data, first_dropped));
    assert_non_null(strstr(out.data, ">text</p>"));
    oct_buf_free(&in);
    oct_buf_free(&out);
}

static void expect_date(const char *in, const char *want)
{
    char out[64];
    if (!want) {
        assert_false(html_iso_date(in, out, sizeof out));
        return;
    }
    assert_true(html_iso_date(in, out, sizeof out));
    assert_string_equal(out, want);
}

static void test_dates(void **state)
{
    (void)state;
    expect_date("2023-05-17T08:30:00+0100", "2023-05-17T08:30:00+01:00");
    expect_date(" 2021-02-03T04:05:06.123Z ", "2021-02-03T04:05:06Z");
    expect_date("2021-02-03 04:05", "2021-02-03T04:05");
    expect_date("2019/03/05", "2019-03-05");
    expect_date("2019", "2019");
    expect_date("March 5, 2019", "2019-03-05");
    expect_date("Tue, 05 Mar 2019 10:00:00 +0000", "2019-03-05");
    expect_date("yesterday", NULL);
    expect_date("2019-13-01", NULL);
}

static void test_probe(void **state)
{
    (void)state;
    html_test_env env;
    assert_true(html_test_open(&env));
    const char *page = "\n<!DOCTYPE html><html><body><p>x</p></body></html>";
    const char *fragment = "<p>Just a <b>fragment</b></p>";
    const char *text = "Dear reader,\nthis is plain text.\n";
    assert_ptr_equal(oct_registry_probe(env.reg, page, strlen(page), "page"), env.html);
    assert_ptr_equal(oct_registry_probe(env.reg, fragment, strlen(fragment), "x.html"), env.html);
    assert_ptr_not_equal(oct_registry_probe(env.reg, text, strlen(text), "notes.txt"), env.html);
    html_test_close(&env);
}

static const oct_node *find_type(const oct_doc *doc, oct_node_type t, size_t nth)
{
    oct_iter it;
    oct_iter_init(&it, oct_doc_root(doc));
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE)
        if (ev == OCT_EVENT_ENTER && oct_node_get_type(oct_iter_node(&it)) == t && nth-- == 0)
            return oct_iter_node(&it);
    return NULL;
}

static void test_sample_article(void **state)
{
    (void)state;
    html_test_env env;
    assert_true(html_test_open(&env));
    oct_context_set_option(env.ctx, "extract", "off");
    char path[4096];
    size_t len;
    char *data = html_test_read_file(html_test_source_path(path, sizeof path,
                                                           "samples/article.html"), &len);
    assert_non_null(data);
    oct_doc *doc = NULL;
    assert_int_equal(html_test_read(&env, data, len, "article.html", &doc), OCT_OK);

    assert_string_equal(oct_meta_get(doc, OCT_META_TITLE), "How Hill Farmers Read the Rain");
    assert_int_equal(oct_meta_count(doc, OCT_META_AUTHOR), 2);
    assert_string_equal(oct_meta_get_nth(doc, OCT_META_AUTHOR, 1), "Tomás Ferreira");
    assert_string_equal(oct_meta_get(doc, OCT_META_DATE), "2024-04-18T07:30:00+02:00");
    assert_string_equal(oct_meta_get(doc, OCT_META_LANG), "en");
    assert_string_equal(oct_meta_get(doc, OCT_META_PUBLISHER), "The Slow Field Journal");
    assert_string_equal(oct_meta_get(doc, "cover-url"), "images/hills.png");
    assert_string_equal(oct_meta_get(doc, OCT_META_SOURCE),
                        "https://slowfield.example/2024/04/how-hill-farmers-read-the-rain");

    const oct_node *figure = find_type(doc, OCT_NODE_FIGURE, 0);
    assert_non_null(figure);
    const oct_node *image = find_type(doc, OCT_NODE_IMAGE, 0);
    assert_non_null(image);
    assert_string_equal(oct_node_url(image), "images/hills.png");
    assert_int_equal(oct_node_image_width(image), 32);
    assert_non_null(find_type(doc, OCT_NODE_TABLE, 0));
    assert_non_null(find_type(doc, OCT_NODE_FOOTNOTE_DEF, 1));
    assert_null(find_type(doc, OCT_NODE_FOOTNOTE_DEF, 2));
    assert_non_null(find_type(doc, OCT_NODE_FOOTNOTE_REF, 1));
    const oct_node *span = find_type(doc, OCT_NODE_SPAN, 0);
    assert_non_null(span);
    assert_string_equal(oct_node_lang(span), "ar");
    assert_int_equal(oct_node_dir(span), OCT_DIR_RTL);
    const oct_node *quote = find_type(doc, OCT_NODE_QUOTED, 0);
    assert_non_null(quote);
    assert_string_equal(oct_node_lang(quote), "el");

    /* Nothing from scripts, forms or hidden elements. */
    oct_buf text;
    oct_buf_init(&text, 0);
    html_test_doc_text(doc, &text);
    oct_buf_putc(&text, 0);
    assert_null(strstr(text.data, "never text"));
    assert_null(strstr(text.data, "Subscribe"));
    assert_null(strstr(text.data, "Share"));
    assert_non_null(strstr(text.data, "雨垂れ石を穿つ"));
    oct_buf_free(&text);

    oct_doc_free(doc);
    free(data);
    html_test_close(&env);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_charset_order), cmocka_unit_test(test_prepare),
        cmocka_unit_test(test_prepare_block_edges), cmocka_unit_test(test_prepare_builds_agree),
        cmocka_unit_test(test_fold_indentation),
        cmocka_unit_test(test_attribute_cap), cmocka_unit_test(test_dates),
        cmocka_unit_test(test_probe),         cmocka_unit_test(test_sample_article)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
