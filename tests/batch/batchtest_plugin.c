/* A test-only plugin for the batch tests: a line format whose reader can be
 * told, by the input itself, to crash, fail or warn.
 *
 *   "batchtest" reads *.bt files: every non-empty line is a paragraph, and
 *      !abort   calls abort() (a converter crash, which must cost one result)
 *      !fail    fails with OCT_ERR_PARSE at that line
 *      !warn    logs a warning
 *      !slow    becomes a paragraph on which the writer stalls for seconds
 *               with its temporary output open (for the signal tests)
 *   "batchout" writes *.out files: the title line, then each paragraph's text.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "octavo/octavo_plugin.h"

static int line_is(const char *p, size_t len, const char *word)
{
    return len == strlen(word) && memcmp(p, word, len) == 0;
}

static oct_status read_bt(oct_context *ctx, const oct_input *in, oct_doc *doc, oct_error *err)
{
    oct_builder *b = oct_builder_new(doc);
    if (!b) return oct_error_set(err, OCT_ERR_NOMEM, in->name, 0, NULL);
    const char *p = (const char *)in->data, *end = p + in->len;
    oct_status st = OCT_OK;
    for (long line = 1; p < end && !st; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        if (line_is(p, len, "!abort")) abort();
        if (line_is(p, len, "!fail")) {
            oct_builder_free(b);
            return oct_error_set(err, OCT_ERR_PARSE, in->name, line, "failing on purpose");
        }
        if (line_is(p, len, "!warn")) {
            oct_context_log(ctx, OCT_SEV_WARNING, line, "warning on purpose");
        } else if (len) {
            if (!oct_builder_open_new(b, OCT_NODE_PARAGRAPH)) st = OCT_ERR_LIMIT;
            if (!st) st = oct_builder_text(b, p, len);
            if (!st) st = oct_builder_close(b);
        }
        p = nl ? nl + 1 : end;
    }
    if (!st) st = oct_builder_finish(b);
    oct_builder_free(b);
    return st ? oct_error_set(err, st, in->name, 0, "batchtest reader failed") : OCT_OK;
}

static oct_status write_out(oct_context *ctx, const oct_doc *doc, oct_sink *sink, oct_error *err)
{
    const char *title = oct_meta_get(doc, OCT_META_TITLE);
    oct_sink_printf(sink, "title: %s\n", title ? title : "");
    oct_iter it;
    oct_iter_init(&it, oct_doc_root(doc));
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        const oct_node *n = oct_iter_node(&it);
        if (ev == OCT_EVENT_ENTER && oct_node_get_type(n) == OCT_NODE_TEXT) {
            size_t len = 0;
            const char *s = oct_node_literal(n, &len);
            oct_sink_write(sink, s, len);
            if (line_is(s, len, "!slow"))
                for (int i = 0; i < 30; i++) usleep(100 * 1000);
        } else if (ev == OCT_EVENT_EXIT && oct_node_get_type(n) == OCT_NODE_PARAGRAPH) {
            oct_sink_puts(sink, "\n");
        }
    }
    const char *extra = oct_context_option(ctx, "batchout-footer");
    if (extra) oct_sink_printf(sink, "-- %s\n", extra);
    return oct_sink_status(sink);
}

static const char *const bt_ext[] = {"bt", NULL};
static const char *const out_ext[] = {"out", NULL};
static const oct_option_spec out_options[] = {
    {"batchout-footer", NULL, "a last line, to test that options change outputs"},
    {NULL, NULL, NULL},
};

static const oct_format bt_format = {
    .struct_size = sizeof(oct_format), .name = "batchtest", .summary = "batch test input",
    .extensions = bt_ext, .read = read_bt, .flags = OCT_FORMAT_TEXT,
};
static const oct_format out_format = {
    .struct_size = sizeof(oct_format), .name = "batchout", .summary = "batch test output",
    .extensions = out_ext, .write = write_out, .options = out_options, .flags = OCT_FORMAT_TEXT,
};
static const oct_format *const formats[] = {&bt_format, &out_format, NULL};
static const oct_plugin_descriptor descriptor = {
    .abi_version = OCT_PLUGIN_ABI_VERSION, .struct_size = sizeof(oct_plugin_descriptor),
    .name = "batchtest", .version = "1.0.0", .summary = "batch test formats", .formats = formats,
};

OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void);
OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void) { return &descriptor; }
