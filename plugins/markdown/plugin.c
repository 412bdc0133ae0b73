/*
 * plugin.c — the Markdown plugin's descriptor: one writer, three formats
 * (markdown and its alias commonmark: CommonMark 0.31; gfm: GitHub
 * Flavored Markdown).
 */
#include "markdown.h"

static oct_status write_commonmark(oct_context *ctx, const oct_doc *doc, oct_sink *sink,
                                   oct_error *err)
{
    return md_write_document(ctx, doc, sink, err, MD_COMMONMARK);
}

static oct_status write_gfm(oct_context *ctx, const oct_doc *doc, oct_sink *sink, oct_error *err)
{
    return md_write_document(ctx, doc, sink, err, MD_GFM);
}

static const oct_option_spec md_option_specs[] = {
    {"wrap", "auto|none|preserve",
     "auto: re-wrap paragraphs at columns; none: one line per paragraph; preserve: keep line ends"},
    {"columns", NULL, "line width for wrap=auto (default 72)"},
    {"front-matter", "on|off", "metadata as a YAML front matter block (default on)"},
    {"raw-html", "on|off", "pass raw HTML from an HTML source through (default off)"},
    {NULL, NULL, NULL},
};

static const char *const md_extensions[] = {"md", "markdown", NULL};
static const char *const md_media_types[] = {"text/markdown", NULL};

static const oct_format markdown_format = {
    .struct_size = sizeof(oct_format),
    .name = "markdown",
    .summary = "CommonMark 0.31 Markdown",
    .extensions = md_extensions,
    .media_types = md_media_types,
    .write = write_commonmark,
    .options = md_option_specs,
    .flags = OCT_FORMAT_TEXT,
};

static const oct_format commonmark_format = {
    .struct_size = sizeof(oct_format),
    .name = "commonmark",
    .summary = "CommonMark 0.31 Markdown (same as markdown)",
    .write = write_commonmark,
    .options = md_option_specs,
    .flags = OCT_FORMAT_TEXT,
};

static const oct_format gfm_format = {
    .struct_size = sizeof(oct_format),
    .name = "gfm",
    .summary = "GitHub Flavored Markdown: pipe tables, strikethrough, task lists, footnotes",
    .write = write_gfm,
    .options = md_option_specs,
    .flags = OCT_FORMAT_TEXT,
};

static const oct_format *const md_formats[] = {&markdown_format, &commonmark_format, &gfm_format,
                                               NULL};

static const oct_plugin_descriptor md_descriptor = {
    .abi_version = OCT_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(oct_plugin_descriptor),
    .name = "markdown",
    .version = "0.1.0",
    .summary = "Markdown writer: CommonMark and GitHub Flavored Markdown",
    .formats = md_formats,
};

OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void);

OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void)
{
    return &md_descriptor;
}
