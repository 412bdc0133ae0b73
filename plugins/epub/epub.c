/*
 * epub.c — the EPUB writer plugin: formats "epub" (EPUB 3.3, with an NCX
 * for EPUB 2 readers) and "epub2" (EPUB 2.0.1). Reads the options, resolves
 * the metadata, plans the book, then writes the package in a fixed order:
 *
 *   mimetype (stored, first), META-INF/container.xml, EPUB/package.opf,
 *   EPUB/nav.xhtml, EPUB/toc.ncx, stylesheets, content documents, images.
 */
#include "epub.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIMETYPE "application/epub+zip"

static oct_status add_stylesheets(epub_book *b, oct_zip *z)
{
    size_t n = oct_meta_count(b->doc, "css");
    oct_status st = OCT_OK;
    char name[48];

    if (b->default_css)
        st = oct_zip_add(z, EPUB_DIR EPUB_STYLE, epub_default_css, strlen(epub_default_css),
                         OCT_ZIP_DEFLATE, b->err);
    for (size_t i = 0; i < n && st == OCT_OK; i++) {
        const char *css = oct_meta_get_nth(b->doc, "css", i);
        snprintf(name, sizeof name, EPUB_DIR "user-%zu.css", i + 1);
        st = oct_zip_add(z, name, css ? css : "", css ? strlen(css) : 0, OCT_ZIP_DEFLATE,
                         b->err);
    }
    return st;
}

static oct_status add_images(epub_book *b, oct_zip *z)
{
    char name[128];

    for (size_t i = 0; i < b->n_images; i++) {
        size_t len;
        const unsigned char *data = oct_resource_data(b->images[i].res, &len);
        const char *mt = oct_resource_media_type(b->images[i].res);
        /* Compressed formats gain nothing from deflate; SVG is text. */
        oct_zip_method method = mt && !strcmp(mt, "image/svg+xml") ? OCT_ZIP_DEFLATE
                                                                   : OCT_ZIP_STORE;
        oct_status st;
        snprintf(name, sizeof name, EPUB_DIR "%s", b->images[i].href);
        st = oct_zip_add(z, name, data, len, method, b->err);
        if (st != OCT_OK)
            return st;
    }
    return OCT_OK;
}

static oct_status read_options(epub_book *b)
{
    const char *notes = oct_context_option(b->ctx, "notes");

    b->split_level = oct_context_option(b->ctx, "split-level")
                         ? (int)oct_context_option_long(b->ctx, "split-level", -1, 0, 6)
                         : -1;
    b->toc_depth = (int)oct_context_option_long(b->ctx, "toc-depth", 3, 1, 6);
    b->default_css = oct_context_option_bool(b->ctx, "default-css", 1);
    b->notes_mode = EPUB_NOTES_CHAPTER;
    if (notes && !strcmp(notes, "book"))
        b->notes_mode = EPUB_NOTES_BOOK;
    else if (notes && strcmp(notes, "chapter") != 0)
        oct_warn(b->ctx, "unknown value '%s' for -V notes (chapter|book); using chapter", notes);
    return OCT_OK;
}

static oct_status write_book(oct_context *ctx, const oct_doc *doc, oct_sink *sink,
                             oct_error *err, int epub2)
{
    epub_book b;
    oct_zip *z = NULL;
    oct_status st;

    memset(&b, 0, sizeof b);
    b.ctx = ctx;
    b.doc = doc;
    b.err = err;
    b.epub2 = epub2;
    if ((st = read_options(&b)) != OCT_OK)
        goto done;
    if ((st = epub_resolve_metadata(&b)) != OCT_OK) {
        oct_error_set(err, st, "epub", 0, "cannot resolve metadata");
        goto done;
    }
    if ((st = epub_plan(&b)) != OCT_OK) {
        oct_error_set(err, st, "epub", 0, "cannot plan the book");
        goto done;
    }
    b.nav_in_spine = b.n_chapters > 1;
    b.cover_is_svg = b.cover && !b.epub2 && oct_resource_width(b.cover->res) > 0 &&
                     oct_resource_height(b.cover->res) > 0;

    z = oct_zip_new(err);
    if (!z) {
        st = err ? err->status : OCT_ERR_NOMEM;
        goto done;
    }
    /* The order of entries is part of the output: keep it fixed. */
    if ((st = oct_zip_add(z, "mimetype", MIMETYPE, strlen(MIMETYPE), OCT_ZIP_STORE, err)) ||
        (st = epub_write_container(&b, z)) || (st = epub_write_package(&b, z)))
        goto done;
    if ((st = epub_write_navigation(&b, z)) || (st = add_stylesheets(&b, z)) ||
        (st = epub_write_content(&b, z)) || (st = add_images(&b, z)))
        goto done;
    st = oct_zip_finish(z, sink, err);

done:
    oct_zip_free(z);
    epub_plan_free(&b);
    free(b.title);
    free(b.identifier);
    return st;
}

static oct_status write_epub3(oct_context *ctx, const oct_doc *doc, oct_sink *sink,
                              oct_error *err)
{
    return write_book(ctx, doc, sink, err, 0);
}

static oct_status write_epub2(oct_context *ctx, const oct_doc *doc, oct_sink *sink,
                              oct_error *err)
{
    return write_book(ctx, doc, sink, err, 1);
}

static const char *const extensions[] = {"epub", NULL};
static const char *const media_types[] = {"application/epub+zip", NULL};

static const oct_option_spec options[] = {
    {"split-level", "0|1|2|3|4|5|6",
     "split chapters at headings of this level or above (0: one file; default: the top "
     "level that occurs twice, no split for short articles)"},
    {"toc-depth", "1|2|3|4|5|6", "heading levels in the table of contents, from the top (3)"},
    {"notes", "chapter|book", "gather footnotes at the end of each chapter or of the book"},
    {"default-css", "on|off", "include the default stylesheet (on)"},
    {NULL, NULL, NULL},
};

static const oct_format epub3_format = {
    .struct_size = sizeof(oct_format),
    .name = "epub",
    .summary = "EPUB 3.3 e-book (with an NCX for EPUB 2 readers)",
    .extensions = extensions,
    .media_types = media_types,
    .write = write_epub3,
    .options = options,
    .flags = OCT_FORMAT_BINARY,
};

static const oct_format epub2_format = {
    .struct_size = sizeof(oct_format),
    .name = "epub2",
    .summary = "EPUB 2.0.1 e-book",
    .extensions = NULL,
    .media_types = NULL,
    .write = write_epub2,
    .options = options,
    .flags = OCT_FORMAT_BINARY,
};

static const oct_format *const formats[] = {&epub3_format, &epub2_format, NULL};

static const oct_plugin_descriptor descriptor = {
    .abi_version = OCT_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(oct_plugin_descriptor),
    .name = "epub",
    .version = OCTAVO_VERSION_STRING,
    .summary = "EPUB 3.3 and EPUB 2.0.1 writer",
    .formats = formats,
    .fini = oct_zip_forget_remembered,
};

OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void);
OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void) { return &descriptor; }
