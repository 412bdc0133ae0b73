/*
 * refdoc.c — --reference-doc: a user's .docx whose styles, numbering, theme
 * and page setup the output takes, as pandoc does. Writers never open files:
 * the CLI attaches the template to the document as a resource and names its
 * id in the metadata key "reference-doc"; this reads it from memory with
 * libzip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "docx.h"

#define PART_MAX ((zip_uint64_t)32 << 20)

static unsigned char *read_entry(zip_t *za, const char *name, size_t *len)
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(za, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || st.size > PART_MAX)
        return NULL;
    zip_file_t *f = zip_fopen(za, name, 0);
    if (!f)
        return NULL;
    unsigned char *buf = malloc((size_t)st.size + 1);
    zip_int64_t got = buf ? zip_fread(f, buf, st.size) : -1;
    zip_fclose(f);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(buf);
        return NULL;
    }
    buf[st.size] = '\0';
    *len = (size_t)st.size;
    return buf;
}

/* Keeps a part only when it parses with the expected root element. */
static void keep_if_root(unsigned char **data, size_t len, const char *root_local)
{
    xmlDoc *d = docx_parse_part(*data, len);
    xmlNode *root = d ? xmlDocGetRootElement(d) : NULL;
    int ok = root && (root_local ? docx_is_w(root, root_local) : 1);
    xmlFreeDoc(d);
    if (!ok) {
        free(*data);
        *data = NULL;
    }
}

static long w_long(const xmlNode *n, const char *name, long dflt, long min, long max)
{
    xmlChar *v = xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)DOCX_NS_W);
    if (!v)
        return dflt;
    char *end = NULL;
    long r = strtol((const char *)v, &end, 10);
    int ok = end != (char *)v && r >= min && r <= max;
    xmlFree(v);
    return ok ? r : dflt;
}

/* Elements copied from the template's w:sectPr: WordprocessingML ones that
 * carry no relationship (headers, footers and printer settings would point
 * at parts the output does not have). */
static int copyable(const xmlNode *n)
{
    if (!docx_is_w(n, NULL))
        return 0;
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (a->ns && a->ns->href && strcmp((const char *)a->ns->href, DOCX_NS_R) == 0)
            return 0;
    }
    return 1;
}

static xmlNode *next_copyable(xmlNode *n)
{
    while (n && !copyable(n))
        n = n->next;
    return n;
}

static void start_copy(oct_xml *x, const xmlNode *n)
{
    char name[128];
    snprintf(name, sizeof name, "w:%.100s", (const char *)n->name);
    oct_xml_start(x, name);
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        int in_w = a->ns && a->ns->href && strcmp((const char *)a->ns->href, DOCX_NS_W) == 0;
        if (!in_w)
            continue;
        xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
        snprintf(name, sizeof name, "w:%.100s", (const char *)a->name);
        oct_xml_attr(x, name, v ? (const char *)v : "");
        xmlFree(v);
    }
}

/* Re-serialises sect with the "w:" prefix whatever the template used,
 * walking it without recursion. */
static char *copy_sect_pr(xmlNode *sect)
{
    oct_xml x = {0};
    char *out = NULL;
    if (oct_xml_begin(&x, 0) != OCT_OK)
        goto done;
    start_copy(&x, sect);
    xmlNode *n = next_copyable(sect->children);
    while (n) {
        start_copy(&x, n);
        xmlNode *child = next_copyable(n->children);
        if (child) {
            n = child;
            continue;
        }
        while (n) {
            oct_xml_end_element(&x);
            xmlNode *sibling = next_copyable(n->next);
            if (sibling) {
                n = sibling;
                break;
            }
            n = n->parent;
            if (n == sect)
                n = NULL;
        }
    }
    oct_xml_end_element(&x);
    const char *data;
    size_t len;
    if (oct_xml_end(&x, &data, &len) != OCT_OK)
        goto done;
    size_t off = docx_xml_body_offset((const unsigned char *)data, len);
    while (len > off && (data[len - 1] == '\n' || data[len - 1] == '\r'))
        len--;
    out = malloc(len - off + 1);
    if (out) {
        memcpy(out, data + off, len - off);
        out[len - off] = '\0';
    }
done:
    oct_xml_free(&x);
    return out;
}

static void page_setup(const unsigned char *data, size_t len, docx_refdoc *ref)
{
    xmlDoc *d = docx_parse_part(data, len);
    xmlNode *root = d ? xmlDocGetRootElement(d) : NULL;
    xmlNode *body = NULL, *sect = NULL;
    for (xmlNode *c = root ? root->children : NULL; c; c = c->next) {
        if (docx_is_w(c, "body"))
            body = c;
    }
    for (xmlNode *c = body ? body->children : NULL; c; c = c->next) {
        if (docx_is_w(c, "sectPr"))
            sect = c;
    }
    if (sect) {
        ref->page.width = 12240;
        ref->page.height = 15840;
        ref->page.margin_top = ref->page.margin_bottom = 1440;
        ref->page.margin_left = ref->page.margin_right = 1440;
        for (xmlNode *c = sect->children; c; c = c->next) {
            if (docx_is_w(c, "pgSz")) {
                ref->page.width = w_long(c, "w", 12240, 1440, 31680);
                ref->page.height = w_long(c, "h", 15840, 1440, 31680);
            } else if (docx_is_w(c, "pgMar")) {
                ref->page.margin_top = labs(w_long(c, "top", 1440, -31680, 31680));
                ref->page.margin_bottom = labs(w_long(c, "bottom", 1440, -31680, 31680));
                ref->page.margin_left = w_long(c, "left", 1440, 0, 31680);
                ref->page.margin_right = w_long(c, "right", 1440, 0, 31680);
            }
        }
        ref->has_page = 1;
        ref->sect_pr = copy_sect_pr(sect);
    }
    xmlFreeDoc(d);
}

oct_status docx_refdoc_parse(oct_context *ctx, const unsigned char *data, size_t len,
                             docx_refdoc *ref)
{
    memset(ref, 0, sizeof *ref);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!za) {
        if (src)
            zip_source_free(src);
        oct_warn(ctx, "docx: the reference document is not a readable zip (%s); using defaults",
                 zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return OCT_OK;
    }
    zip_error_fini(&ze);
    ref->styles = read_entry(za, "word/styles.xml", &ref->styles_len);
    keep_if_root(&ref->styles, ref->styles_len, "styles");
    ref->numbering = read_entry(za, "word/numbering.xml", &ref->numbering_len);
    keep_if_root(&ref->numbering, ref->numbering_len, "numbering");
    ref->theme = read_entry(za, "word/theme/theme1.xml", &ref->theme_len);
    keep_if_root(&ref->theme, ref->theme_len, NULL);
    size_t doc_len = 0;
    unsigned char *document = read_entry(za, "word/document.xml", &doc_len);
    if (document)
        page_setup(document, doc_len, ref);
    free(document);
    zip_discard(za);
    if (!ref->styles && !ref->numbering && !ref->has_page)
        oct_warn(ctx, "docx: the reference document has no usable styles, numbering or page "
                      "setup; using defaults");
    return OCT_OK;
}

oct_status docx_refdoc_load(oct_context *ctx, const oct_doc *doc, docx_refdoc *ref,
                            oct_error *err)
{
    memset(ref, 0, sizeof *ref);
    const char *id = oct_meta_get(doc, "reference-doc");
    if (!id || !*id)
        return OCT_OK;
    size_t n = oct_doc_resource_count(doc);
    for (size_t i = 0; i < n; i++) {
        const oct_resource *r = oct_doc_resource_at(doc, i);
        if (strcmp(oct_resource_id(r), id) != 0)
            continue;
        size_t len = 0;
        const unsigned char *data = oct_resource_data(r, &len);
        return docx_refdoc_parse(ctx, data, len, ref);
    }
    oct_warn(ctx, "docx: reference document '%s' is not among the document's resources", id);
    (void)err;
    return OCT_OK;
}

void docx_refdoc_free(docx_refdoc *ref)
{
    free(ref->styles);
    free(ref->numbering);
    free(ref->theme);
    free(ref->sect_pr);
    memset(ref, 0, sizeof *ref);
}
