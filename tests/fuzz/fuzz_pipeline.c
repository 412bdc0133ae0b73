/*
 * fuzz_pipeline.c — the whole pipeline into every writer. The first input
 * byte chooses the reader, the writer and a few reader/writer options; the
 * rest is the document.
 */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

static const char *const writers[] = {"markdown", "gfm", "epub", "epub2", "docx", "docx-xml", "tree"};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_setup();
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
    if (len < 1) return 0;
    unsigned sel = data[0];
    data++, len--;
    oct_context *ctx = fuzz_context();
    const char *reader = (sel & 1) ? "html" : "text";
    const char *writer = writers[(sel >> 1) % (sizeof writers / sizeof writers[0])];
    if (sel & 0x10) oct_context_set_option(ctx, "paragraphs", "unwrap");
    if (sel & 0x20) oct_context_set_option(ctx, "extract", "on");
    if (sel & 0x40) oct_context_set_option(ctx, "wrap", "none");
    if (sel & 0x80) oct_context_set_option(ctx, "split-level", "2");
    const oct_format *w = oct_registry_find(fuzz_registry, writer);
    oct_doc *doc = w ? fuzz_read(ctx, reader, data, len) : NULL;
    if (doc) {
        oct_sink *sink = oct_sink_new_memory(64u << 20);
        oct_error err;
        oct_status st = oct_write(ctx, doc, w, sink, &err);
        /* A writer may refuse a document only for a limit, never fail on it. */
        if (st != OCT_OK && st != OCT_ERR_LIMIT) {
            fprintf(stderr, "fuzz: writer %s failed: %s\n", writer, err.message);
            abort();
        }
        oct_sink_close(sink);
    }
    oct_doc_free(doc);
    oct_context_free(ctx);
    return 0;
}
