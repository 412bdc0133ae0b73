/*
 * test_common.c — the shared writer helpers (plugins/common): reproducible
 * zip packages and cleaned XML output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "octavo/octavo.h"
#include "xmlout.h"
#include "zippkg.h"

static unsigned char *build_zip(size_t *len)
{
    oct_zip *z = oct_zip_new(NULL);
    oct_sink *sink = oct_sink_new_memory(0);
    const unsigned char *data;
    unsigned char *copy;
    char big[10000];

    memset(big, 'a', sizeof big);
    assert_non_null(z);
    assert_int_equal(oct_zip_add(z, "mimetype", "application/epub+zip", 20, OCT_ZIP_STORE, NULL),
                     OCT_OK);
    assert_int_equal(oct_zip_add(z, "dir/b.txt", big, sizeof big, OCT_ZIP_DEFLATE, NULL), OCT_OK);
    assert_int_equal(oct_zip_add(z, "a.txt", "", 0, OCT_ZIP_DEFLATE, NULL), OCT_OK);
    assert_int_equal(oct_zip_add_owned(z, "caf\xC3\xA9.txt", strdup("owned"), 5, OCT_ZIP_DEFLATE,
                                       NULL),
                     OCT_OK);
    assert_int_equal(oct_zip_finish(z, sink, NULL), OCT_OK);
    oct_zip_free(z);
    data = oct_sink_memory_data(sink, len);
    copy = malloc(*len);
    memcpy(copy, data, *len);
    oct_sink_close(sink);
    return copy;
}

static void test_zip_reproducible_and_ordered(void **state)
{
    (void)state;
    size_t la, lb;
    unsigned char *a = build_zip(&la);
    unsigned char *b;
    zip_error_t zerr;
    zip_source_t *src;
    zip_t *za;
    zip_stat_t st;
    static const char *const order[] = {"mimetype", "dir/b.txt", "a.txt", "caf\xC3\xA9.txt"};

    setenv("TZ", "Pacific/Kiritimati", 1); /* timestamps must not depend on the zone */
    b = build_zip(&lb);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    assert_memory_equal(a + 30, "mimetype", 8);
    assert_int_equal(a[28] | a[29] << 8, 0);
    zip_error_init(&zerr);
    src = zip_source_buffer_create(a, la, 0, &zerr);
    za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    assert_non_null(za);
    assert_int_equal(zip_get_num_entries(za, 0), 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(zip_stat_index(za, (zip_uint64_t)i, 0, &st), 0);
        assert_string_equal(st.name, order[i]);
        /* the empty entry is stored, as zip tools store empty files */
        assert_int_equal(st.comp_method, i == 0 || i == 2 ? ZIP_CM_STORE : ZIP_CM_DEFLATE);
    }
    assert_int_equal(zip_stat_index(za, 1, 0, &st), 0);
    assert_int_equal(st.size, 10000);
    assert_true(st.comp_size < 200);
    /* Entries are deflated before libzip sees them: reading one back
     * inflates it and checks its CRC against the directory's. */
    for (int i = 1; i < 4; i += 2) {
        static const char *const want[] = {NULL, "aaaaaaaaaa", NULL, "owned"};
        char back[10001];
        zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)i, 0);
        zip_int64_t n;
        assert_non_null(f);
        n = zip_fread(f, back, sizeof back);
        assert_int_equal(n, i == 1 ? 10000 : 5);
        assert_memory_equal(back, want[i], strlen(want[i]));
        assert_int_equal(zip_fread(f, back, 1), 0); /* end, CRC verified */
        assert_int_equal(zip_fclose(f), 0);
    }
    zip_discard(za);
    zip_error_fini(&zerr);
    free(a);
    free(b);
    unsetenv("TZ");
}

/* A small package: one entry every package has, one of its own (the same
 * length in every package, different bytes), one too big to remember. */
static unsigned char *build_package(int k, size_t *len)
{
    static char shared[3000], big[40000];
    char own[100];
    memset(shared, 0, sizeof shared);
    for (size_t i = 0; i + 1 < sizeof shared; i++) shared[i] = "p { margin: 0 }\n"[i % 16];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (char)('a' + (i * 7 + (size_t)k) % 26);
    memset(own, '.', sizeof own);
    snprintf(own, sizeof own, "<package number=\"%04d\"/>", k);
    own[strlen(own)] = ' ';
    oct_zip *z = oct_zip_new(NULL);
    oct_sink *sink = oct_sink_new_memory(0);
    assert_non_null(z);
    assert_int_equal(oct_zip_add(z, "shared.css", shared, strlen(shared), OCT_ZIP_DEFLATE, NULL),
                     OCT_OK);
    assert_int_equal(oct_zip_add(z, "own.xml", own, sizeof own, OCT_ZIP_DEFLATE, NULL), OCT_OK);
    assert_int_equal(oct_zip_add(z, "big.txt", big, sizeof big, OCT_ZIP_DEFLATE, NULL), OCT_OK);
    assert_int_equal(oct_zip_finish(z, sink, NULL), OCT_OK);
    oct_zip_free(z);
    const unsigned char *data = oct_sink_memory_data(sink, len);
    unsigned char *copy = malloc(*len);
    assert_non_null(copy);
    memcpy(copy, data, *len);
    oct_sink_close(sink);

    /* every entry reads back as its own bytes, CRC checked */
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(copy, *len, 0, &zerr);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    assert_non_null(za);
    const char *want[] = {shared, own, big};
    const size_t want_len[] = {strlen(shared), sizeof own, sizeof big};
    for (int i = 0; i < 3; i++) {
        static char back[40001];
        zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)i, 0);
        assert_non_null(f);
        assert_int_equal(zip_fread(f, back, sizeof back), (zip_int64_t)want_len[i]);
        assert_memory_equal(back, want[i], want_len[i]);
        assert_int_equal(zip_fclose(f), 0);
    }
    zip_discard(za);
    zip_error_fini(&zerr);
    return copy;
}

/* Small entries are deflated once per process and their deflated bytes
 * given again to identical entries (zippkg.c): a package must come out
 * the same whatever was remembered, and the entry every package repeats
 * must stay remembered while one-off entries pass through. */
static void test_zip_remembered_entries(void **state)
{
    (void)state;
    oct_zip_forget_remembered();
    size_t first_len, again_len, fresh_len, len;
    unsigned char *first = build_package(0, &first_len);
    const unsigned long before = oct_zip_recalled_count();
    for (int k = 1; k <= 60; k++) free(build_package(k, &len));
    /* the shared entry, in each of the 60; never the one-off entries */
    assert_int_equal(oct_zip_recalled_count() - before, 60);
    unsigned char *again = build_package(0, &again_len);
    oct_zip_forget_remembered();
    unsigned char *fresh = build_package(0, &fresh_len);
    assert_int_equal(first_len, again_len);
    assert_memory_equal(first, again, first_len);
    assert_int_equal(first_len, fresh_len);
    assert_memory_equal(first, fresh, first_len);
    free(first);
    free(again);
    free(fresh);
    oct_zip_forget_remembered();
}

static void test_zip_refuses_bad_names(void **state)
{
    (void)state;
    static const char *const bad[] = {"../x", "a/../x", "/abs", "a\\b", "", "a//b", "a/",
                                      "./a", "tab\there", "bad\xff"};
    oct_zip *z = oct_zip_new(NULL);
    oct_error err;

    assert_int_equal(oct_zip_add(z, "ok", "x", 1, OCT_ZIP_STORE, NULL), OCT_OK);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(oct_zip_add(z, bad[i], "x", 1, OCT_ZIP_STORE, &err),
                         OCT_ERR_INVALID_ARG);
    assert_int_equal(oct_zip_add(z, "ok", "y", 1, OCT_ZIP_STORE, &err), OCT_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "duplicate"));
    /* "a..b" is a legal name: only whole ".." segments are refused. */
    assert_int_equal(oct_zip_add(z, "a..b", "x", 1, OCT_ZIP_STORE, NULL), OCT_OK);
    oct_zip_free(z); /* never finished: no leak */
}

static void test_xml_cleans_text(void **state)
{
    (void)state;
    oct_xml x;
    const char *data;
    size_t len;
    char *s;

    assert_int_equal(oct_xml_begin(&x, 1), OCT_OK);
    oct_xml_start(&x, "root");
    oct_xml_attr(&x, "a", "q\"<&>\x01\x7f end");
    oct_xml_attrf(&x, "n", "%d-%s", 42, "x");
    static const char raw[] = "t\x00\x02<tab>\t\xC2\x85 bad\xff\xfe ok\xEF\xBF\xBE";
    oct_xml_text(&x, raw, sizeof raw - 1);
    oct_xml_element(&x, "empty", "");
    oct_xml_start(&x, "e");
    oct_xml_end_element(&x);
    assert_int_equal(oct_xml_end(&x, &data, &len), OCT_OK);
    s = strndup(data, len);
    assert_non_null(strstr(s, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"));
    assert_non_null(strstr(s, "a=\"q&quot;&lt;&amp;&gt; end\""));
    assert_non_null(strstr(s, "n=\"42-x\""));
    assert_non_null(strstr(s, ">t&lt;tab&gt;\t bad\xEF\xBF\xBD\xEF\xBF\xBD ok<empty></empty><e/>"));
    free(s);
    oct_xml_free(&x);
}

static void test_xml_long_text(void **state)
{
    (void)state;
    oct_xml x;
    const char *data;
    size_t len, n = 100000;
    char *big = malloc(n);

    /* Multi-byte characters across the internal chunk boundary survive. */
    for (size_t i = 0; i + 2 <= n; i += 2)
        memcpy(big + i, "\xC3\xA9", 2);
    oct_xml_begin(&x, 0);
    oct_xml_start(&x, "r");
    oct_xml_text(&x, big, n);
    assert_int_equal(oct_xml_end(&x, &data, &len), OCT_OK);
    assert_true(oct_utf8_is_valid(data, len));
    assert_true(len > n);
    oct_xml_free(&x);
    free(big);
}


/* The document as a string (caller frees). */
static char *xml_string(oct_xml *x)
{
    const char *data;
    size_t len;

    assert_int_equal(oct_xml_end(x, &data, &len), OCT_OK);
    return strndup(data, len);
}

/* One document, with raw markup written between the writer's own calls. */
static void raw_document(oct_xml *x, int by_length)
{
    static const char *const pieces[] = {"<b>1</b>", "", "<c x=\"y\"/>\n", "tail"};

    oct_xml_start(x, "root");
    oct_xml_attr(x, "a", "1"); /* start tag still open when the raw bytes come */
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
        if (!*pieces[i])
            continue; /* an empty raw write would finish the open tag */
        if (by_length)
            oct_xml_raw_len(x, pieces[i], strlen(pieces[i]));
        else
            oct_xml_raw(x, pieces[i]);
        oct_xml_start(x, "w");
        oct_xml_text_cstr(x, "text & more");
        oct_xml_end_element(x);
        oct_xml_start(x, "v");
        oct_xml_end_element(x);
    }
    oct_xml_end_element(x);
}

/* oct_xml_raw_len appends to the buffer directly, past the writer: the
 * bytes must still land in order, the writer's open start tag finished. */
static void test_xml_raw_len_keeps_order(void **state)
{
    (void)state;
    oct_xml a, b;
    char *via_writer, *direct;

    assert_int_equal(oct_xml_begin(&a, 0), OCT_OK);
    raw_document(&a, 0);
    via_writer = xml_string(&a);
    assert_int_equal(oct_xml_begin(&b, 0), OCT_OK);
    raw_document(&b, 1);
    direct = xml_string(&b);
    assert_string_equal(direct, via_writer);
    assert_non_null(strstr(direct, "<root a=\"1\"><b>1</b><w>text &amp; more</w><v/>"));
    free(via_writer);
    free(direct);
    oct_xml_free(&a);
    oct_xml_free(&b);
}

/* Documents started one after another in the same memory are each what a
 * fresh oct_xml writes; reserving room changes no byte. */
static void test_xml_restart_and_reserve(void **state)
{
    (void)state;
    oct_xml fresh, reused;
    char *expected[3], *got;

    for (int i = 0; i < 3; i++) {
        assert_int_equal(oct_xml_begin(&fresh, i == 1), OCT_OK);
        raw_document(&fresh, i != 2);
        expected[i] = xml_string(&fresh);
        oct_xml_free(&fresh);
    }
    memset(&reused, 0, sizeof reused); /* restart begins an empty one */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(oct_xml_restart(&reused, i == 1), OCT_OK);
        if (i == 0)
            oct_xml_reserve(&reused, 1 << 20);
        oct_xml_start(&reused, "pad"); /* a reserve after output keeps it */
        oct_xml_reserve(&reused, (size_t)(i + 1) << 22);
        oct_xml_end_element(&reused);
        got = xml_string(&reused);
        assert_non_null(strstr(got, "<pad/>"));
        free(got);
        assert_int_equal(oct_xml_restart(&reused, i == 1), OCT_OK);
        raw_document(&reused, i != 2);
        got = xml_string(&reused);
        assert_string_equal(got, expected[i]);
        free(got);
        free(expected[i]);
    }
    oct_xml_free(&reused);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zip_reproducible_and_ordered),
        cmocka_unit_test(test_zip_remembered_entries),
        cmocka_unit_test(test_zip_refuses_bad_names),
        cmocka_unit_test(test_xml_cleans_text),
        cmocka_unit_test(test_xml_long_text),
        cmocka_unit_test(test_xml_raw_len_keeps_order),
        cmocka_unit_test(test_xml_restart_and_reserve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
