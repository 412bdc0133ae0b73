/*
 * docx.c — the plugin descriptor: `docx` (a zip package) and `docx-xml`
 * (the same parts as one Flat OPC document), both built from one part list.
 */
#include <stdlib.h>

#include <libxml/xmlmemory.h>

#include "docx.h"
#include "zippkg.h"

/* Memory the zip may take over: it frees what it owns with free(). */
static int zip_can_own(const docx_part *part)
{
    if (!part->owned || !part->len)
        return 0;
    if (!part->libxml_memory)
        return 1;
    xmlFreeFunc free_fn = NULL;
    xmlMallocFunc malloc_fn = NULL;
    xmlReallocFunc realloc_fn = NULL;
    xmlStrdupFunc strdup_fn = NULL;
    xmlMemGet(&free_fn, &malloc_fn, &realloc_fn, &strdup_fn);
    return free_fn == free;
}

oct_status docx_write_zip(docx_package *p, oct_sink *sink, oct_error *err)
{
    oct_zip *z = oct_zip_new(err);
    if (!z)
        return err && err->status != OCT_OK ? err->status : OCT_ERR_NOMEM;
    oct_status s = OCT_OK;
    for (size_t i = 0; i < p->count && s == OCT_OK; i++) {
        docx_part *part = &p->parts[i];
        oct_zip_method method = part->compress ? OCT_ZIP_DEFLATE : OCT_ZIP_STORE;
        if (zip_can_own(part)) {
            part->owned = 0;
            s = oct_zip_add_owned(z, part->name, part->data, part->len, method, err);
        } else {
            s = oct_zip_add(z, part->name, part->data, part->len, method, err);
        }
    }
    if (s == OCT_OK)
        s = oct_zip_finish(z, sink, err);
    oct_zip_free(z);
    return s;
}

static oct_status write_docx(oct_context *ctx, const oct_doc *doc, oct_sink *sink,
                             oct_error *err)
{
    docx_package p = {0};
    oct_status s = docx_build_package(ctx, doc, &p, err);
    if (s == OCT_OK)
        s = docx_write_zip(&p, sink, err);
    docx_package_free(&p);
    return s;
}

static oct_status write_docx_xml(oct_context *ctx, const oct_doc *doc, oct_sink *sink,
                                 oct_error *err)
{
    docx_package p = {0};
    oct_status s = docx_build_package(ctx, doc, &p, err);
    if (s == OCT_OK)
        s = docx_write_flat(&p, sink, err);
    docx_package_free(&p);
    return s;
}

static const oct_option_spec docx_options[] = {
    {"title-block", "on|off", "start with the title, subtitle, authors and date (default: on "
                              "when the document has a title)"},
    {NULL, NULL, NULL},
};

static const char *const docx_extensions[] = {"docx", NULL};
static const char *const docx_media_types[] = {DOCX_CT_DOCX, NULL};

static const oct_format docx_format = {
    .struct_size = sizeof(oct_format),
    .name = "docx",
    .summary = "Word document (Office Open XML, ECMA-376 transitional)",
    .extensions = docx_extensions,
    .media_types = docx_media_types,
    .write = write_docx,
    .options = docx_options,
    .flags = OCT_FORMAT_BINARY,
};

static const oct_format docx_xml_format = {
    .struct_size = sizeof(oct_format),
    .name = "docx-xml",
    .summary = "Word document as one Flat OPC XML file",
    .write = write_docx_xml,
    .options = docx_options,
    .flags = OCT_FORMAT_TEXT,
};

static const oct_format *const docx_formats[] = {&docx_format, &docx_xml_format, NULL};

static const oct_plugin_descriptor docx_descriptor = {
    .abi_version = OCT_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(oct_plugin_descriptor),
    .name = "docx",
    .version = "0.1.0",
    .summary = "DOCX and Flat OPC writer",
    .formats = docx_formats,
    .fini = oct_zip_forget_remembered,
};

OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void);

OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void)
{
    return &docx_descriptor;
}
