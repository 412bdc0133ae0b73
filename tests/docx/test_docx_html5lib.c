/*
 * test_docx_html5lib.c — every html5lib tree-construction input (malformed
 * and unusual HTML) read with the HTML reader and written as DOCX and Flat
 * OPC in-process: no crash, no leak, a zip that opens and a Flat OPC file
 * that parses. Every 90th result is kept and checked with the OOXML
 * validator (about twenty files).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <libxml/parser.h>
#include <zip.h>

#include "octest.h"
#include "octavo/octavo_plugin.h"

#define SAMPLE_EVERY 90

static int name_order(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_html5lib_inputs(void **state)
{
    (void)state;
    const char *src = octest_env("OCTAVO_SOURCE_DIR");
    char dir[1024], validator[1024];
    snprintf(dir, sizeof dir, "%s/../shared/corpora/html5lib/inputs", src);
    snprintf(validator, sizeof validator, "%s/../shared/ooxml/validate-docx.sh", src);
    DIR *d = opendir(dir);
    if (!d)
        skip();
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".html") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            names = realloc(names, cap * sizeof *names);
            assert_non_null(names);
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    assert_true(n > 1000);
    qsort(names, n, sizeof *names, name_order);

    oct_registry *reg = oct_registry_new();
    assert_true(octest_load_plugins(reg) > 0);
    const oct_format *html = oct_registry_find(reg, "html");
    const oct_format *docx = oct_registry_find(reg, "docx");
    const oct_format *flat = oct_registry_find(reg, "docx-xml");
    assert_non_null(html);
    assert_non_null(docx);
    assert_non_null(flat);
    char out[256];
    octest_tempdir(out, sizeof out);
    oct_buf cmd;
    oct_buf_init(&cmd, 0);
    oct_buf_printf(&cmd, "bash '%s' --plain -q", validator);
    size_t written = 0, kept = 0;
    for (size_t i = 0; i < n; i++) {
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len = 0;
        char *data = octest_read_file(path, &len);
        assert_non_null(data);
        oct_context *ctx = oct_context_new(reg);
        oct_context_set_verbosity(ctx, OCT_SEV_ERROR);
        oct_context_set_log(ctx, NULL, NULL);
        oct_context_set_option(ctx, "extract", "off");
        oct_doc *doc = NULL;
        oct_error err;
        oct_error_clear(&err);
        if (oct_read_memory(ctx, data, len, names[i], html, &doc, &err) == OCT_OK &&
            oct_doc_normalize(ctx, doc, &err) == OCT_OK) {
            for (int f = 0; f < 2; f++) {
                oct_sink *sink = oct_sink_new_memory(0);
                oct_status s = oct_write(ctx, doc, f ? flat : docx, sink, &err);
                if (s != OCT_OK)
                    fail_msg("%s: %s", names[i], err.message);
                size_t olen = 0;
                const unsigned char *bytes = oct_sink_memory_data(sink, &olen);
                if (f) {
                    xmlDocPtr x = xmlReadMemory((const char *)bytes, (int)olen, "flat.xml", NULL,
                                                XML_PARSE_NONET | XML_PARSE_HUGE);
                    if (!x)
                        fail_msg("%s: Flat OPC output is not well-formed", names[i]);
                    xmlFreeDoc(x);
                } else {
                    zip_error_t ze;
                    zip_error_init(&ze);
                    zip_source_t *zs = zip_source_buffer_create(bytes, olen, 0, &ze);
                    zip_t *za = zip_open_from_source(zs, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
                    if (!za)
                        fail_msg("%s: DOCX output is not a zip", names[i]);
                    zip_close(za);
                    zip_error_fini(&ze);
                    if (i % SAMPLE_EVERY == 0) {
                        char file[512];
                        snprintf(file, sizeof file, "%s/%zu.docx", out, i);
                        octest_write_file(file, bytes, olen);
                        oct_buf_printf(&cmd, " '%s'", file);
                        kept++;
                    }
                }
                oct_sink_close(sink);
            }
            written++;
        }
        oct_doc_free(doc);
        oct_context_free(ctx);
        free(data);
        free(names[i]);
    }
    free(names);
    oct_registry_free(reg);
    print_message("%zu of %zu inputs written; validating %zu\n", written, n, kept);
    assert_true(written > n * 9 / 10);
    if (octest_exists(validator)) {
        oct_buf_puts(&cmd, " >&2");
        assert_int_equal(system(cmd.data), 0);
    }
    oct_buf_free(&cmd);
    octest_remove_tree(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_html5lib_inputs)};
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return failed;
}
