/* An out-of-tree plugin, built only from the installed headers and
 * `pkg-config octavo`: the "oot" format reads one paragraph per line and
 * writes each paragraph upper-cased (ASCII), one per line. */
#include <octavo/octavo_plugin.h>

#include <string.h>

static oct_status read_oot(oct_context *ctx, const oct_input *in, oct_doc *doc, oct_error *err)
{
    (void)ctx;
    oct_builder *b = oct_builder_new(doc);
    if (b == NULL) return oct_error_set(err, OCT_ERR_NOMEM, in->name, 0, "no builder");
    const char *p = (const char *)in->data;
    const char *end = p + in->len;
    oct_status st = OCT_OK;
    while (p < end && st == OCT_OK) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        if (eol > p) {
            st = oct_builder_open_new(b, OCT_NODE_PARAGRAPH) ? OCT_OK : OCT_ERR_LIMIT;
            if (st == OCT_OK) st = oct_builder_text(b, p, (size_t)(eol - p));
            if (st == OCT_OK) st = oct_builder_close(b);
        }
        p = nl ? nl + 1 : end;
    }
    if (st == OCT_OK) st = oct_builder_finish(b);
    oct_builder_free(b);
    return st == OCT_OK ? OCT_OK : oct_error_set(err, st, in->name, 0, "oot reader failed");
}

static oct_status write_oot(oct_context *ctx, const oct_doc *doc, oct_sink *sink, oct_error *err)
{
    (void)ctx;
    (void)err;
    oct_iter it;
    oct_iter_init(&it, oct_doc_root(doc));
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        const oct_node *n = oct_iter_node(&it);
        if (ev == OCT_EVENT_ENTER && oct_node_get_type(n) == OCT_NODE_TEXT) {
            size_t len = 0;
            const char *s = oct_node_literal(n, &len);
            for (size_t i = 0; i < len; i++) {
                const char c = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
                oct_sink_write(sink, &c, 1);
            }
        } else if (ev == OCT_EVENT_EXIT && oct_node_get_type(n) == OCT_NODE_PARAGRAPH) {
            oct_sink_puts(sink, "\n");
        }
    }
    return oct_sink_status(sink);
}

static const char *const oot_extensions[] = {"oot", NULL};

static const oct_format oot_format = {
    .struct_size = sizeof(oct_format),
    .name = "oot",
    .summary = "out-of-tree test format",
    .extensions = oot_extensions,
    .read = read_oot,
    .write = write_oot,
    .flags = OCT_FORMAT_TEXT,
};

static const oct_format *const oot_formats[] = {&oot_format, NULL};

static const oct_plugin_descriptor oot_descriptor = {
    .abi_version = OCT_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(oct_plugin_descriptor),
    .name = "oot",
    .version = "4.5.6",
    .summary = "plugin built outside the octavo tree",
    .formats = oot_formats,
};

OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void);
OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void)
{
    return &oot_descriptor;
}
