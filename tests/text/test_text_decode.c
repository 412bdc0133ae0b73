/*
 * test_text_decode.c — the text reader's decoder when libuchardet cannot be
 * opened.
 *
 * The reader opens libuchardet with dlopen on the first input that is not
 * UTF-8 (plugins/text/uchardet_load.c). To see what a user without the
 * library gets, this program compiles decode.c and uchardet_load.c in a
 * second time with OCTAVO_UCHARDET_SONAME naming a library that does not
 * exist (see CMakeLists.txt). A compile-time name, rather than an environment
 * variable the plugin would read, keeps a test hook out of the shipped
 * reader. Such input must still read, as uchardet having no guess does
 * (Windows-1252), with a warning per input that names the reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "octest.h"
#include "text_internal.h"

typedef struct decoding {
    oct_status status;
    char *text; /* the decoded text, NUL-terminated */
    oct_buf log; /* every message, one a line */
} decoding;

static void decode(const char *bytes, size_t len, decoding *d)
{
    memset(d, 0, sizeof *d);
    oct_buf_init(&d->log, 0);
    oct_registry *reg = oct_registry_new(); /* no plugins: the decoder is in here */
    oct_context *ctx = oct_context_new(reg);
    if (!reg || !ctx)
        fail_msg("out of memory");
    oct_context_set_log(ctx, octest_log_to_buf, &d->log);
    oct_context_set_verbosity(ctx, OCT_SEV_INFO);
    text_decoded out;
    d->status = text_decode(ctx, (const unsigned char *)bytes, len, NULL, &out, NULL);
    if (d->status == OCT_OK) {
        d->text = strndup(out.data, out.len);
        text_decoded_free(&out);
    }
    oct_buf_putc(&d->log, '\0'); /* a string even when nothing was said */
    oct_context_free(ctx);
    oct_registry_free(reg);
}

static void decoding_free(decoding *d)
{
    free(d->text);
    oct_buf_free(&d->log);
    memset(d, 0, sizeof *d);
}

static size_t count_occurrences(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* "Café crème – naïve", the accents and the dash in Windows-1252. */
static const char windows_1252[] = "Caf\xe9 cr\xe8me \x96 na\xefve\n";
static const char windows_1252_as_utf8[] = "Caf\xc3\xa9 cr\xc3\xa8me \xe2\x80\x93 na\xc3\xafve\n";

static void test_legacy_text_read_without_guess_and_says_why(void **state)
{
    (void)state;
    decoding d;
    decode(windows_1252, sizeof windows_1252 - 1, &d);
    assert_int_equal(d.status, OCT_OK);
    assert_string_equal(d.text, windows_1252_as_utf8);
    /* one warning, naming the library it could not open and what was done */
    assert_int_equal(count_occurrences(d.log.data, "\n"), 1);
    assert_non_null(strstr(d.log.data, "cannot load " OCTAVO_UCHARDET_SONAME));
    assert_non_null(strstr(d.log.data, "read as WINDOWS-1252"));
    decoding_free(&d);
}

static void test_every_input_is_told(void **state)
{
    (void)state;
    /* "Привет, мир" in KOI8-R: uchardet would name it; without it, the
     * fallback reads letters, never a crash or an error */
    static const char koi8r[] = "\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2\n";
    for (int round = 0; round < 2; round++) {
        decoding d;
        decode(koi8r, sizeof koi8r - 1, &d);
        assert_int_equal(d.status, OCT_OK);
        assert_true(oct_utf8_is_valid(d.text, strlen(d.text)));
        assert_null(strstr(d.text, "\xef\xbf\xbd"));
        assert_non_null(strstr(d.log.data, "cannot load " OCTAVO_UCHARDET_SONAME));
        decoding_free(&d);
    }
}

static void test_utf8_never_asks(void **state)
{
    (void)state;
    /* valid UTF-8, and UTF-8 with one damaged byte, need no guess: no word
     * about the library */
    static const char clean[] = "Caf\xc3\xa9 cr\xc3\xa8me\n";
    static const char damaged[] = "Caf\xc3\xa9 cr\xc3\xa8me na\xc3\xafve \xff\n";
    decoding d;
    decode(clean, sizeof clean - 1, &d);
    assert_int_equal(d.status, OCT_OK);
    assert_string_equal(d.text, clean);
    assert_null(strstr(d.log.data, "cannot load"));
    decoding_free(&d);

    decode(damaged, sizeof damaged - 1, &d);
    assert_int_equal(d.status, OCT_OK);
    assert_non_null(strstr(d.text, "na\xc3\xafve \xef\xbf\xbd"));
    assert_null(strstr(d.log.data, "cannot load"));
    decoding_free(&d);
}

#define THREADS 4

static void *decode_in_thread(void *arg)
{
    decode(windows_1252, sizeof windows_1252 - 1, arg);
    return NULL;
}

/* The reader is thread-safe: inputs read at once race to the first load. */
static void test_failed_load_seen_by_every_thread(void **state)
{
    (void)state;
    pthread_t threads[THREADS];
    decoding d[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, decode_in_thread, &d[i]), 0);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(d[i].status, OCT_OK);
        assert_string_equal(d[i].text, windows_1252_as_utf8);
        assert_non_null(strstr(d[i].log.data, "cannot load " OCTAVO_UCHARDET_SONAME));
        decoding_free(&d[i]);
    }
}

int main(void)
{
    /* the racing threads first, while nothing has tried to load yet */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failed_load_seen_by_every_thread),
        cmocka_unit_test(test_legacy_text_read_without_guess_and_says_why),
        cmocka_unit_test(test_every_input_is_told),
        cmocka_unit_test(test_utf8_never_asks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
