/* A test plugin for reading the inputs of one book at once (read_parts.c).
 *
 * Two readers of the same line format, one declaring OCT_FORMAT_THREAD_SAFE
 * ("parts-mt", *.mt) and one not ("parts-st", *.st). Each read lasts 30 ms
 * and reports, in a warning, how many reads of its format were running at
 * that moment; an input whose first line is "fail" fails on purpose. The
 * document gets one paragraph per non-empty line. */
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "octavo/octavo_plugin.h"

static atomic_int running_mt, running_st;

static oct_status read_lines(oct_context *ctx, const oct_input *in, oct_doc *doc, oct_error *err,
                             atomic_int *running)
{
    const int at_once = atomic_fetch_add(running, 1) + 1;
    const struct timespec pause = {0, 30 * 1000 * 1000};
    nanosleep(&pause, NULL);
    oct_warn(ctx, "reading with %d at once", at_once);
    oct_status st = OCT_OK;
    if (in->len >= 4 && memcmp(in->data, "fail", 4) == 0) {
        st = oct_error_set(err, OCT_ERR_PARSE, in->name, 1, "failed on purpose");
    } else {
        oct_builder *b = oct_builder_new(doc);
        if (!b) st = oct_error_set(err, OCT_ERR_NOMEM, in->name, 0, NULL);
        const char *p = (const char *)in->data, *end = p + in->len;
        while (b && p < end && st == OCT_OK) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *eol = nl ? nl : end;
            if (eol > p && oct_builder_open_new(b, OCT_NODE_PARAGRAPH)) {
                st = oct_builder_text(b, p, (size_t)(eol - p));
                if (st == OCT_OK) st = oct_builder_close(b);
            }
            p = nl ? nl + 1 : end;
        }
        if (b && st == OCT_OK) st = oct_builder_finish(b);
        oct_builder_free(b);
        if (st) oct_error_set(err, st, in->name, 0, "reader failed");
    }
    atomic_fetch_sub(running, 1);
    return st;
}

static oct_status read_mt(oct_context *ctx, const oct_input *in, oct_doc *doc, oct_error *err)
{
    return read_lines(ctx, in, doc, err, &running_mt);
}

static oct_status read_st(oct_context *ctx, const oct_input *in, oct_doc *doc, oct_error *err)
{
    return read_lines(ctx, in, doc, err, &running_st);
}

static const char *const mt_extensions[] = {"mt", NULL};
static const char *const st_extensions[] = {"st", NULL};

static const oct_format mt_format = {
    .struct_size = sizeof(oct_format),
    .name = "parts-mt",
    .summary = "lines, read on several threads at once",
    .extensions = mt_extensions,
    .read = read_mt,
    .flags = OCT_FORMAT_TEXT | OCT_FORMAT_THREAD_SAFE,
};

static const oct_format st_format = {
    .struct_size = sizeof(oct_format),
    .name = "parts-st",
    .summary = "lines, read one input at a time",
    .extensions = st_extensions,
    .read = read_st,
    .flags = OCT_FORMAT_TEXT,
};

static const oct_format *const formats[] = {&mt_format, &st_format, NULL};

static const oct_plugin_descriptor descriptor = {
    .abi_version = OCT_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(oct_plugin_descriptor),
    .name = "parts",
    .version = "1.0.0",
    .summary = "test readers for books read on several threads",
    .formats = formats,
};

OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void);
OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void) { return &descriptor; }
