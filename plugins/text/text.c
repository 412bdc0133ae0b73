/*
 * text.c — the "text" format: plain text read the way a careful editor
 * would, saying what it decided (oct_info, shown with -v).
 *
 * Stages: decode -> lines -> front matter -> furniture (article mode) ->
 * paragraph layout -> hyphenation evidence -> structure (builder).
 */
#include "text_internal.h"

#include <string.h>
#include <strings.h>

static const oct_option_spec text_options[] = {
    {"encoding", NULL, "character encoding of the input (default: detected)"},
    {"paragraphs", "auto|block|single|unwrap|preformatted",
     "how lines make paragraphs (default: detected per document)"},
    {"article", "on|off",
     "drop web-page furniture lines (default: on when the text has "
     "article front matter)"},
    {NULL, NULL, NULL}};

static text_para_mode para_option(oct_context *ctx)
{
    const char *v = oct_context_option(ctx, "paragraphs");
    if (!v || !*v || strcmp(v, "auto") == 0)
        return PARA_AUTO;
    static const struct {
        const char *name;
        text_para_mode mode;
    } modes[] = {{"block", PARA_BLOCK},
                 {"single", PARA_SINGLE},
                 {"unwrap", PARA_UNWRAP},
                 {"preformatted", PARA_PREFORMATTED}};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (strcmp(v, modes[i].name) == 0)
            return modes[i].mode;
    oct_warn(ctx,
             "unknown -V paragraphs=%s (expected block, single, unwrap or preformatted); "
             "detecting",
             v);
    return PARA_AUTO;
}

static oct_status text_read(oct_context *ctx, const oct_input *in, oct_doc *doc, oct_error *err)
{
    text_decoded dec;
    text_source src;
    text_hyphens *hy = NULL;
    memset(&src, 0, sizeof src);
    oct_status st =
        text_decode(ctx, in->data, in->len, oct_context_option(ctx, "encoding"), &dec, err);
    if (st != OCT_OK)
        return st;
    st = text_lines_split(&dec, &src);
    if (st != OCT_OK) {
        oct_error_set(err, st, NULL, 0, "too many lines");
        goto done;
    }

    text_front front;
    text_front_matter(ctx, &src, doc, &front);
    const int article =
        oct_context_option_bool(ctx, "article", front.structured || front.article_signals > 0);
    if (article) {
        const size_t dropped = text_furniture_drop(ctx, &src);
        oct_info(ctx, "article mode: %zu furniture line%s dropped", dropped,
                 dropped == 1 ? "" : "s");
    } else {
        oct_info(ctx, "article mode off: no furniture dropped (-V article=on to drop it)");
    }

    text_layout lay;
    text_layout_detect(ctx, &src, para_option(ctx), &lay);
    hy = text_hyphens_new(&src);
    if (!hy) {
        st = oct_error_set(err, OCT_ERR_NOMEM, NULL, 0, "out of memory");
        goto done;
    }
    text_stats stats;
    st = text_build(ctx, &src, &lay, hy, article, doc, &stats, err);
    if (st != OCT_OK)
        goto done;
    oct_info(ctx, "structure: %zu headings (%zu chapters), %zu lists, %zu preformatted blocks",
             stats.headings, stats.chapters, stats.lists, stats.code_blocks);
    if (!oct_meta_get(doc, OCT_META_TITLE))
        st = text_title_from_name(ctx, in->path ? in->path : in->name, doc);

done:
    text_hyphens_free(hy);
    text_source_free(&src);
    text_decoded_free(&dec);
    return st;
}

/* Text is the fallback reader: sure of itself only by extension. */
static int text_probe(const unsigned char *data, size_t len, const char *name)
{
    if (name) {
        const char *dot = strrchr(name, '.');
        if (dot && (strcasecmp(dot, ".txt") == 0 || strcasecmp(dot, ".text") == 0))
            return 80;
    }
    const size_t n = len < 4096 ? len : 4096;
    for (size_t i = 0; i < n; i++)
        if (data[i] == 0 && !(len >= 2 && (data[0] == 0xFF || data[0] == 0xFE)))
            return 0;
    return 5;
}

static const char *const text_extensions[] = {"txt", "text", NULL};
static const char *const text_media_types[] = {"text/plain", NULL};

static const oct_format text_format = {
    .struct_size = sizeof(oct_format),
    .name = "text",
    .summary = "plain text: articles copied from the web, books, any encoding",
    .extensions = text_extensions,
    .media_types = text_media_types,
    .read = text_read,
    .write = NULL,
    .probe = text_probe,
    .options = text_options,
    .flags = OCT_FORMAT_TEXT | OCT_FORMAT_THREAD_SAFE, /* no state outside the call */
};

static const oct_format *const text_formats[] = {&text_format, NULL};

static const oct_plugin_descriptor text_descriptor = {
    .abi_version = OCT_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(oct_plugin_descriptor),
    .name = "text",
    .version = "0.1.0",
    .summary = "plain-text reader",
    .formats = text_formats,
    .init = NULL,
    .fini = NULL,
};

OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void);

OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void)
{
    return &text_descriptor;
}
