/*
 * test_text_reader.c — the plain-text reader in-process: metadata and page
 * furniture of the sample article, encodings, the -V options, hyphenation
 * repair, and hostile or pathological inputs (which must read without a
 * crash, a leak or an invalid tree).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dlfcn.h>

#include "octest.h"
#include "octavo/octavo_plugin.h"

typedef struct fixture {
    oct_registry *reg;
    const oct_format *text;
} fixture;

typedef struct reading {
    oct_doc *doc;
    oct_status status;
    oct_buf log; /* every message, one a line */
    char *tree;  /* oct_doc_dump output */
} reading;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->reg = oct_registry_new();
    oct_registry_set_log(f->reg, NULL, NULL);
    octest_load_plugins(f->reg);
    f->text = oct_registry_find(f->reg, "text");
    assert_non_null(f->text);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    oct_registry_free(f->reg);
    free(f);
    return 0;
}

/* Reads bytes with the text reader; opts is NULL or {"key", "value", ..., NULL}. */
static void read_text(const fixture *f, const void *data, size_t len, const char *name,
                      const char *const *opts, reading *r)
{
    memset(r, 0, sizeof *r);
    oct_buf_init(&r->log, 0);
    oct_context *ctx = oct_context_new(f->reg);
    assert_non_null(ctx);
    oct_context_set_log(ctx, octest_log_to_buf, &r->log);
    oct_context_set_verbosity(ctx, OCT_SEV_INFO);
    for (size_t i = 0; opts && opts[i]; i += 2)
        oct_context_set_option(ctx, opts[i], opts[i + 1]);
    oct_error err;
    oct_error_clear(&err);
    r->status = oct_read_memory(ctx, data, len, name, f->text, &r->doc, &err);
    if (r->status == OCT_OK) {
        assert_int_equal(oct_doc_validate(r->doc, NULL), OCT_OK);
        oct_sink *sink = oct_sink_new_memory(0);
        assert_non_null(sink);
        assert_int_equal(oct_doc_dump(r->doc, sink), OCT_OK);
        size_t n = 0;
        const unsigned char *dump = oct_sink_memory_data(sink, &n);
        r->tree = strndup((const char *)dump, n);
        oct_sink_close(sink);
    }
    oct_context_free(ctx);
}

static void read_fixture(const fixture *f, const char *relpath, const char *const *opts, reading *r)
{
    char path[4096];
    octest_path(path, sizeof path, octest_env("OCTAVO_SOURCE_DIR"), relpath);
    size_t len = 0;
    char *data = octest_read_file(path, &len);
    assert_non_null(data);
    const char *base = strrchr(relpath, '/');
    read_text(f, data, len, base ? base + 1 : relpath, opts, r);
    free(data);
}

static void reading_free(reading *r)
{
    oct_doc_free(r->doc);
    oct_buf_free(&r->log);
    free(r->tree);
    memset(r, 0, sizeof *r);
}

static size_t count_type(const oct_doc *doc, oct_node_type type)
{
    oct_iter it;
    size_t n = 0;
    oct_iter_init(&it, oct_doc_root(doc));
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE)
        if (ev == OCT_EVENT_ENTER && oct_node_get_type(oct_iter_node(&it)) == type)
            n++;
    return n;
}

static size_t count_occurrences(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* ------------------------------------------------------------ the article */

static void test_sample_article_metadata(void **state)
{
    reading r;
    read_fixture(*state, "samples/article.txt", NULL, &r);
    assert_int_equal(r.status, OCT_OK);
    assert_string_equal(oct_meta_get(r.doc, OCT_META_TITLE),
                        "Grid of Promises: Why Europe's Power Lines Lag Behind Its Wind Farms");
    assert_string_equal(oct_meta_get(r.doc, OCT_META_DATE), "2019-01-09");
    assert_int_equal(oct_meta_count(r.doc, OCT_META_SUBJECT), 3);
    assert_string_equal(oct_meta_get_nth(r.doc, OCT_META_SUBJECT, 0), "Politics");
    assert_string_equal(oct_meta_get_nth(r.doc, OCT_META_SUBJECT, 2), "Europe");
    assert_int_equal(oct_meta_count(r.doc, OCT_META_AUTHOR), 1);
    assert_string_equal(oct_meta_get(r.doc, OCT_META_AUTHOR), "Jane Doe");

    /* the standfirst stays, as the first paragraph */
    const oct_node *first = oct_node_first_child(oct_doc_root(r.doc));
    assert_int_equal(oct_node_get_type(first), OCT_NODE_PARAGRAPH);
    const oct_node *text = oct_node_first_child(first);
    const char *lit = oct_node_literal(text, NULL);
    assert_non_null(lit);
    assert_true(strncmp(lit, "Governments have pledged", 24) == 0);
    assert_non_null(strstr(r.tree, "Jane Doe writes."));
    /* tags, date and title left the text */
    assert_null(strstr(r.tree, "text \"Politics | Energy"));
    assert_null(strstr(r.tree, "text \"9 January 2019"));
    /* the subheading and the list survived */
    assert_int_equal(count_type(r.doc, OCT_NODE_HEADING), 1);
    assert_int_equal(count_type(r.doc, OCT_NODE_LIST_ITEM), 4);
    reading_free(&r);
}

static void test_sample_article_furniture(void **state)
{
    static const char *const furniture[] = {
        "Skip to content", "Read more: Baltic", "More on this: Why",    "Related: Ten years",
        "Back to top",     "Share this",        "Comments are closed.", NULL};
    reading r;
    read_fixture(*state, "samples/article.txt", NULL, &r);
    assert_int_equal(r.status, OCT_OK);
    for (size_t i = 0; furniture[i]; i++) {
        if (strstr(r.tree, furniture[i]))
            fail_msg("furniture kept in the text: %s", furniture[i]);
        if (!strstr(r.log.data, furniture[i]))
            fail_msg("furniture dropped without a message: %s", furniture[i]);
    }
    assert_int_equal(count_occurrences(r.log.data, "dropped page furniture"), 7);
    reading_free(&r);

    /* article=off keeps every line */
    static const char *const off[] = {"article", "off", NULL};
    read_fixture(*state, "samples/article.txt", off, &r);
    assert_int_equal(r.status, OCT_OK);
    for (size_t i = 0; furniture[i]; i++)
        if (!strstr(r.tree, furniture[i]))
            fail_msg("article=off dropped: %s", furniture[i]);
    assert_int_equal(count_occurrences(r.log.data, "dropped page furniture"), 0);
    reading_free(&r);
}

/* "Read more:" inside a sentence is text, whatever the mode. */
static void test_furniture_only_whole_lines(void **state)
{
    const char *in = "Politics | Energy\n\n9 January 2019\n\nA Title Line\n\n"
                     "The talks stalled. Read more: the minutes explain why, in detail.\n\n"
                     "Share this\n\nWe use cookies. Accept\n";
    reading r;
    read_text(*state, in, strlen(in), "x.txt", NULL, &r);
    assert_int_equal(r.status, OCT_OK);
    assert_non_null(strstr(r.tree, "Read more: the minutes explain why"));
    assert_null(strstr(r.tree, "Share this"));
    assert_null(strstr(r.tree, "cookies"));
    reading_free(&r);
}

/* The other ways an article names its author; a cookie notice. */
static void test_bylines_and_cookie_notice(void **state)
{
    const char *dash =
        "Energy | Grids\n\nJan. 9, 2019\n\nThe Late Cables\n\n"
        "Power lines arrive years after the wind farms they serve \xe2\x80\x94 Jane Doe\n\n"
        "We use cookies to improve your experience. Accept all or manage settings.\n\n"
        "The body of the article begins here and goes on for a while.\n";
    reading r;
    read_text(*state, dash, strlen(dash), "x.txt", NULL, &r);
    assert_int_equal(r.status, OCT_OK);
    assert_string_equal(oct_meta_get(r.doc, OCT_META_AUTHOR), "Jane Doe");
    assert_string_equal(oct_meta_get(r.doc, OCT_META_TITLE), "The Late Cables");
    assert_non_null(strstr(r.tree, "serve \xe2\x80\x94 Jane Doe"));
    assert_null(strstr(r.tree, "cookies"));
    assert_non_null(strstr(r.log.data, "cookie notice"));
    reading_free(&r);

    const char *by = "Grids, Cables, Wind, Europe\n\nBy Jane Doe and John Roe\n\n"
                     "Wednesday, January 9, 2019\n\nThe body starts here.\n";
    read_text(*state, by, strlen(by), "x.txt", NULL, &r);
    assert_int_equal(r.status, OCT_OK);
    assert_int_equal(oct_meta_count(r.doc, OCT_META_AUTHOR), 2);
    assert_string_equal(oct_meta_get_nth(r.doc, OCT_META_AUTHOR, 1), "John Roe");
    assert_string_equal(oct_meta_get(r.doc, OCT_META_DATE), "2019-01-09");
    assert_int_equal(oct_meta_count(r.doc, OCT_META_SUBJECT), 4);
    /* no title line: the file name gives none either (read from memory) */
    assert_null(strstr(r.tree, "By Jane"));
    reading_free(&r);
}

/* -------------------------------------------------------------- encodings */

static void test_legacy_encoding_detected_and_named(void **state)
{
    const char in[] = "Caf\xe9 cr\xe8me \x96 na\xefve\n\nThe caf\xe9 is open.\n";
    reading r;
    read_text(*state, in, sizeof in - 1, "x.txt", NULL, &r);
    assert_int_equal(r.status, OCT_OK);
    assert_non_null(strstr(r.tree, "The caf\xc3\xa9 is open."));
    assert_non_null(strstr(r.log.data, "read as"));
    assert_true(strstr(r.log.data, "WINDOWS-1252") || strstr(r.log.data, "ISO-8859"));
    reading_free(&r);
}

/* libuchardet is opened only when a guess is needed (it is C++, and costs
 * every start that loads it): not by loading the plugin, not by UTF-8, but by
 * the first legacy input, which it then names. Runs first, before any other
 * test has read legacy text in this process. */
static void test_uchardet_opened_for_the_first_guess(void **state)
{
    assert_null(dlopen(OCTAVO_UCHARDET_SONAME, RTLD_NOW | RTLD_NOLOAD));
    reading r;
    read_fixture(*state, "samples/article.txt", NULL, &r);
    assert_int_equal(r.status, OCT_OK);
    reading_free(&r);
    assert_null(dlopen(OCTAVO_UCHARDET_SONAME, RTLD_NOW | RTLD_NOLOAD));

    /* Russian in KOI8-R, which Windows-1252 (the reading without a guess)
     * would turn into Latin letters */
    const char in[] = "\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2. \xfc\xd4\xcf \xd0\xd2\xcf\xd3\xd4\xcf\xca "
                      "\xd4\xc5\xcb\xd3\xd4 \xce\xc1 \xd2\xd5\xd3\xd3\xcb\xcf\xcd \xd1\xda\xd9\xcb\xc5.\n";
    read_text(*state, in, sizeof in - 1, "x.txt", NULL, &r);
    assert_int_equal(r.status, OCT_OK);
    assert_non_null(strstr(r.log.data, "read as KOI8-R"));
    /* "Привет, мир." */
    assert_non_null(strstr(r.tree, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, "
                                   "\xd0\xbc\xd0\xb8\xd1\x80."));
    reading_free(&r);
    void *lib = dlopen(OCTAVO_UCHARDET_SONAME, RTLD_NOW | RTLD_NOLOAD);
    assert_non_null(lib);
    dlclose(lib); /* the reference NOLOAD took */
}

static void test_encoding_option_overrides(void **state)
{
    const char in[] = "Price: 5 \xa4 only\n";
    static const char *const opts[] = {"encoding", "ISO-8859-15", NULL};
    reading r;
    read_text(*state, in, sizeof in - 1, "x.txt", opts, &r);
    assert_int_equal(r.status, OCT_OK);
    assert_non_null(strstr(r.tree, "5 \xe2\x82\xac only")); /* € */
    reading_free(&r);

    static const char *const bad[] = {"encoding", "NO-SUCH-ENCODING-42", NULL};
    read_text(*state, in, sizeof in - 1, "x.txt", bad, &r);
    assert_int_equal(r.status, OCT_ERR_INVALID_ARG);
    assert_null(r.doc);
    reading_free(&r);
}

static void test_utf16_damage_becomes_replacement(void **state)
{
    /* BOM, "Hi", a lone high surrogate, "!", then an odd trailing byte */
    const char in[] = "\xff\xfeH\0i\0\x00\xd8!\0\x41";
    reading r;
    read_text(*state, in, sizeof in - 1, "x.txt", NULL, &r);
    assert_int_equal(r.status, OCT_OK);
    assert_non_null(strstr(r.tree, "Hi\xef\xbf\xbd!\xef\xbf\xbd"));
    reading_free(&r);
}

static void test_controls_and_line_ends(void **state)
{
    const char in[] = "one\0 line\r\nsecond\rthird\n\n\fafter\x01 the break\n";
    static const char *const opts[] = {"paragraphs", "preformatted", NULL};
    reading r;
    read_text(*state, in, sizeof in - 1, "x.txt", opts, &r);
    assert_int_equal(r.status, OCT_OK);
    assert_non_null(strstr(r.tree, "text \"one line\""));
    assert_non_null(strstr(r.tree, "text \"second\""));
    assert_non_null(strstr(r.tree, "text \"third\""));
    assert_non_null(strstr(r.tree, "text \"after the break\""));
    assert_null(strstr(r.tree, "\\x"));
    reading_free(&r);
}

/* ------------------------------------------------------ paragraph options */

static void test_paragraph_modes(void **state)
{
    reading block, single, pre;
    static const char *const o_single[] = {"paragraphs", "single", NULL};
    static const char *const o_pre[] = {"paragraphs", "preformatted", NULL};
    read_fixture(*state, "tests/text/fixtures/book.txt", NULL, &block);
    read_fixture(*state, "tests/text/fixtures/book.txt", o_single, &single);
    read_fixture(*state, "tests/text/fixtures/book.txt", o_pre, &pre);
    assert_int_equal(block.status, OCT_OK);
    assert_int_equal(single.status, OCT_OK);
    assert_int_equal(pre.status, OCT_OK);
    assert_non_null(strstr(block.log.data, "paragraphs: block (auto"));
    assert_non_null(strstr(single.log.data, "paragraphs: single (from -V paragraphs)"));
    /* one paragraph per line is many more paragraphs than blank-line blocks */
    const size_t pb = count_type(block.doc, OCT_NODE_PARAGRAPH);
    const size_t ps = count_type(single.doc, OCT_NODE_PARAGRAPH);
    assert_true(ps > 3 * pb);
    /* preformatted keeps every line end; block only those of the verse */
    assert_true(count_type(pre.doc, OCT_NODE_LINE_BREAK) > 30);
    assert_int_equal(count_type(block.doc, OCT_NODE_LINE_BREAK), 3);
    /* chapters are level-1 headings in every mode */
    assert_int_equal(count_type(block.doc, OCT_NODE_HEADING), 3);
    reading_free(&block);
    reading_free(&single);
    reading_free(&pre);

    reading unwrap;
    read_fixture(*state, "tests/text/fixtures/unwrap.txt", NULL, &unwrap);
    assert_int_equal(unwrap.status, OCT_OK);
    assert_non_null(strstr(unwrap.log.data, "paragraphs: unwrap (auto"));
    assert_int_equal(count_type(unwrap.doc, OCT_NODE_PARAGRAPH), 4);
    reading_free(&unwrap);
}

static void test_hyphenation_repaired_only_when_attested(void **state)
{
    const char *in = "The keepers wrote everything down, and their knowledge of the tides\n"
                     "was passed from one generation of keepers to the next without a break,\n"
                     "so that by the end of the century the know-\n"
                     "ledge filled a whole shelf. It was, as one of them said, a well-\n"
                     "known fact that the logs were kept better than the accounts, and the\n"
                     "inspectors who came every spring agreed with him in their reports.\n";
    reading r;
    read_text(*state, in, strlen(in), "x.txt", NULL, &r);
    assert_int_equal(r.status, OCT_OK);
    assert_non_null(strstr(r.tree, "the knowledge filled a whole shelf"));
    assert_non_null(strstr(r.tree, "a well-known fact"));
    reading_free(&r);
}

/* URLs and addresses become links; sentence punctuation stays outside. */
static void test_links(void **state)
{
    const char *in = "See www.example.org, http://a.example/x(y) and mailto:me@example.org or "
                     "write to you@example.com. Not ftp: or http:// alone, nor xhttp://a.b.\n";
    reading r;
    read_text(*state, in, strlen(in), "x.txt", NULL, &r);
    assert_int_equal(r.status, OCT_OK);
    assert_int_equal(count_type(r.doc, OCT_NODE_LINK), 4);
    assert_non_null(strstr(r.tree, "link url=\"http://www.example.org\""));
    assert_non_null(strstr(r.tree, "link url=\"http://a.example/x(y)\""));
    assert_non_null(strstr(r.tree, "link url=\"mailto:me@example.org\""));
    assert_non_null(strstr(r.tree, "link url=\"mailto:you@example.com\""));
    assert_non_null(strstr(r.tree, "text \". Not ftp: or http:// alone, nor xhttp://a.b.\""));
    reading_free(&r);
}

/* --------------------------------------------------------- hostile inputs */

static void expect_reads(const fixture *f, const void *data, size_t len)
{
    reading r;
    read_text(f, data, len, "hostile.txt", NULL, &r);
    assert_int_equal(r.status, OCT_OK);
    reading_free(&r);
}

static void test_every_byte_value(void **state)
{
    unsigned char all[1024];
    for (size_t i = 0; i < sizeof all; i++)
        all[i] = (unsigned char)(i * 7 + i / 256);
    expect_reads(*state, all, sizeof all);
    for (size_t i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    expect_reads(*state, all, 256);
    expect_reads(*state, "", 0);
    expect_reads(*state, "\xff\xfe", 2);
    expect_reads(*state, "\xfe\xff\xd8", 3);
    expect_reads(*state, "\xef\xbb\xbf", 3);
}

static void test_random_structured_bytes(void **state)
{
    static const char alphabet[] =
        "  \n\n\n>>--**##==..)(a1Ixhttp://w.@:|,\t\f\r\xc2\xa0\xe2\x80\x94\xff";
    unsigned seed = 12345;
    char buf[4096];
    for (int round = 0; round < 300; round++) {
        seed = seed * 1103515245u + 12345u;
        const size_t len = (seed >> 8) % sizeof buf;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = (seed >> 16) % 5 == 0 ? (char)(seed >> 8)
                                           : alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        expect_reads(*state, buf, len);
    }
}

/* A setext underline on the last line, with no line end and nothing after
 * it in memory: the reader once scanned it with strspn and read past the
 * buffer (found by fuzz_pipeline). The exact-size heap copy lets ASan see
 * any such read. */
static void test_underline_at_end_of_buffer(void **state)
{
    static const char text[] = "Harbour Survey Notes\n====";
    const size_t len = sizeof text - 1;
    char *exact = malloc(len);
    assert_non_null(exact);
    memcpy(exact, text, len);
    reading r;
    read_text(*state, exact, len, "underline.txt", NULL, &r);
    free(exact);
    assert_int_equal(r.status, OCT_OK);
    assert_non_null(r.doc);
    assert_string_equal(oct_meta_get(r.doc, OCT_META_TITLE), "Harbour Survey Notes");
    reading_free(&r);
}

static void test_pathological_shapes(void **state)
{
    const size_t big = 1 << 20;
    char *s = malloc(big + 2);
    assert_non_null(s);

    /* 100,000 nested quote markers */
    memset(s, '>', 100000);
    s[100000] = 'x';
    expect_reads(*state, s, 100001);

    /* a staircase of list items, each indented one more column */
    size_t n = 0;
    for (size_t i = 0; i < 3000 && n + 3100 < big; i++) {
        memset(s + n, ' ', i);
        n += i;
        memcpy(s + n, "- item\n", 7);
        n += 7;
    }
    expect_reads(*state, s, n);

    /* one megabyte on one line, a megabyte of line ends, and of form feeds */
    for (size_t i = 0; i < big; i++)
        s[i] = "word "[i % 5];
    expect_reads(*state, s, big);
    memset(s, '\n', big);
    expect_reads(*state, s, big);
    memset(s, '\f', big);
    expect_reads(*state, s, big);
    /* an unclosed front matter block and a long run of hyphen lines */
    n = 0;
    memcpy(s, "---\n", 4);
    n = 4;
    while (n + 16 < big / 8) {
        memcpy(s + n, "key: value\n-\n", 13);
        n += 13;
    }
    expect_reads(*state, s, n);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uchardet_opened_for_the_first_guess), /* first: see there */
        cmocka_unit_test(test_sample_article_metadata),
        cmocka_unit_test(test_sample_article_furniture),
        cmocka_unit_test(test_furniture_only_whole_lines),
        cmocka_unit_test(test_bylines_and_cookie_notice),
        cmocka_unit_test(test_legacy_encoding_detected_and_named),
        cmocka_unit_test(test_encoding_option_overrides),
        cmocka_unit_test(test_utf16_damage_becomes_replacement),
        cmocka_unit_test(test_controls_and_line_ends),
        cmocka_unit_test(test_paragraph_modes),
        cmocka_unit_test(test_hyphenation_repaired_only_when_attested),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_every_byte_value),
        cmocka_unit_test(test_random_structured_bytes),
        cmocka_unit_test(test_underline_at_end_of_buffer),
        cmocka_unit_test(test_pathological_shapes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
