/* A working test plugin: the "octest" format, a line format simple enough
 * that tests can predict every byte of output.
 *
 *   title: <text>     (optional first line) sets the title
 *   !parse-error      fails with OCT_ERR_PARSE at that line
 *   <line>            every other non-empty line is one paragraph
 *
 * The writer prints the title line first when the document has a title, then
 * each top-level block's text on one line. -V fail=on makes it fail after
 * writing part of its output (for atomic-output tests). A second, writer-only
 * format "octest-bin" is flagged binary. */
#include <string.h>

#include "octavo/octavo_plugin.h"

#ifndef OCTEST_PLUGIN_VERSION
#define OCTEST_PLUGIN_VERSION "1.2.3"
#endif

static oct_status read_octest(oct_context *ctx, const oct_input *in, oct_doc *doc, oct_error *err)
{
    oct_builder *b = oct_builder_new(doc);
    if (b == NULL) return oct_error_set(err, OCT_ERR_NOMEM, in->name, 0, "no builder");
    const char *p = (const char *)in->data;
    const char *end = p + in->len;
    oct_status st = OCT_OK;
    for (long line = 1; p < end && st == OCT_OK; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        const size_t len = (size_t)(eol - p);
        if (len == 12 && memcmp(p, "!parse-error", 12) == 0) {
            oct_builder_free(b);
            return oct_error_set(err, OCT_ERR_PARSE, in->name, line,
                                 "octest parse error on purpose");
        }
        if (line == 1 && len > 7 && memcmp(p, "title: ", 7) == 0) {
            char *title = oct_doc_strndup(doc, p + 7, len - 7);
            st = title ? oct_meta_set(doc, OCT_META_TITLE, title) : OCT_ERR_NOMEM;
        } else if (len > 0) {
            oct_node *para = oct_builder_open_new(b, OCT_NODE_PARAGRAPH);
            if (para == NULL) {
                st = OCT_ERR_LIMIT;
                break;
            }
            oct_node_set_source_line(para, line);
            st = oct_builder_text(b, p, len);
            if (st == OCT_OK) st = oct_builder_close(b);
        }
        p = nl ? nl + 1 : end;
    }
    if (st == OCT_OK) st = oct_builder_finish(b);
    oct_builder_free(b);
    if (st != OCT_OK) return oct_error_set(err, st, in->name, 0, "octest reader failed");
    if (oct_context_option_bool(ctx, "warn", 0)) oct_warn(ctx, "octest reader was asked to warn");
    return OCT_OK;
}

/* Text of every TEXT leaf under block, in order. */
static oct_status write_block_text(oct_sink *sink, const oct_node *block)
{
    oct_iter it;
    oct_iter_init(&it, block);
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        const oct_node *n = oct_iter_node(&it);
        if (ev == OCT_EVENT_ENTER && oct_node_get_type(n) == OCT_NODE_TEXT) {
            size_t len = 0;
            const char *s = oct_node_literal(n, &len);
            oct_sink_write(sink, s, len);
        }
    }
    return oct_sink_puts(sink, "\n");
}

static oct_status write_octest(oct_context *ctx, const oct_doc *doc, oct_sink *sink,
                               oct_error *err)
{
    const char *title = oct_meta_get(doc, OCT_META_TITLE);
    if (title != NULL) oct_sink_printf(sink, "title: %s\n", title);
    const int fail = oct_context_option_bool(ctx, "fail", 0);
    for (const oct_node *n = oct_node_first_child(oct_doc_root(doc)); n != NULL;
         n = oct_node_next(n)) {
        write_block_text(sink, n);
        if (fail) {
            return oct_error_set(err, OCT_ERR_CONVERSION, oct_context_where(ctx), 0,
                                 "octest writer failed on purpose");
        }
    }
    return oct_sink_status(sink);
}

static const char *const octest_extensions[] = {"octest", NULL};
static const char *const octest_media_types[] = {"text/x-octest", NULL};
static const oct_option_spec octest_options[] = {
    {"fail", "on|off", "fail after writing the first block"},
    {"warn", "on|off", "log one warning while reading"},
    {NULL, NULL, NULL},
};

static int probe_octest(const unsigned char *data, size_t len, const char *name)
{
    (void)name;
    return len >= 7 && memcmp(data, "title: ", 7) == 0 ? 60 : 0;
}

static const oct_format octest_format = {
    .struct_size = sizeof(oct_format),
    .name = "octest",
    .summary = "line-per-paragraph test format",
    .extensions = octest_extensions,
    .media_types = octest_media_types,
    .read = read_octest,
    .write = write_octest,
    .probe = probe_octest,
    .options = octest_options,
    .flags = OCT_FORMAT_TEXT,
};

static const char *const octest_bin_extensions[] = {"octbin", NULL};

static const oct_format octest_bin_format = {
    .struct_size = sizeof(oct_format),
    .name = "octest-bin",
    .summary = "binary-flagged test writer",
    .extensions = octest_bin_extensions,
    .write = write_octest,
    .flags = OCT_FORMAT_BINARY,
};

static const oct_format *const octest_formats[] = {&octest_format, &octest_bin_format, NULL};

static oct_status init_octest(oct_error *err)
{
    (void)err;
    return OCT_OK;
}

static const oct_plugin_descriptor octest_descriptor = {
    .abi_version = OCT_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(oct_plugin_descriptor),
    .name = "octest",
    .version = OCTEST_PLUGIN_VERSION,
    .summary = "test plugin with a trivial reader and writer",
    .formats = octest_formats,
    .init = init_octest,
};

OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void);
OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void)
{
    return &octest_descriptor;
}
