/*
 * package.c — META-INF/container.xml and the package document (OPF):
 * metadata, manifest, spine (and the EPUB 2 guide).
 */
#include "epub.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_OPF "http://www.idpf.org/2007/opf"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_CONTAINER "urn:oasis:names:tc:opendocument:xmlns:container"
#define XHTML_TYPE "application/xhtml+xml"

oct_status epub_write_container(epub_book *b, oct_zip *z)
{
    oct_xml x;
    const char *data;
    size_t len;
    oct_status st;

    oct_xml_begin(&x, 0);
    oct_xml_start(&x, "container");
    oct_xml_attr(&x, "version", "1.0");
    oct_xml_attr(&x, "xmlns", NS_CONTAINER);
    oct_xml_start(&x, "rootfiles");
    oct_xml_start(&x, "rootfile");
    oct_xml_attr(&x, "full-path", EPUB_DIR EPUB_OPF);
    oct_xml_attr(&x, "media-type", "application/oebps-package+xml");
    st = oct_xml_end(&x, &data, &len);
    if (st == OCT_OK)
        st = oct_zip_add(z, "META-INF/container.xml", data, len, OCT_ZIP_DEFLATE, b->err);
    else
        oct_error_set(b->err, st, "container.xml", 0, "cannot write XML");
    oct_xml_free(&x);
    return st;
}

/* "Ada Lovelace" -> "Lovelace, Ada"; NULL when no sort form can be derived
 * (one word, already "Last, First", or a script without spaces). */
static int derive_file_as(const char *name, char *out, size_t size)
{
    const char *last_space = strrchr(name, ' ');
    size_t len = strlen(name);

    if (strchr(name, ',') || !last_space || last_space == name || !last_space[1])
        return 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p >= 0xE3 && *p <= 0xED) /* CJK and Hangul: no given/family swap */
            return 0;
    if (len + 3 > size)
        return 0;
    snprintf(out, size, "%s, %.*s", last_space + 1, (int)(last_space - name), name);
    return 1;
}

static void meta_refines(oct_xml *x, const char *id, const char *property, const char *scheme,
                         const char *value)
{
    oct_xml_start(x, "meta");
    oct_xml_attrf(x, "refines", "#%s", id);
    oct_xml_attr(x, "property", property);
    if (scheme)
        oct_xml_attr(x, "scheme", scheme);
    oct_xml_text_cstr(x, value);
    oct_xml_end_element_full(x);
}

static void dc_all(oct_xml *x, const oct_doc *doc, const char *key, const char *element)
{
    size_t n = oct_meta_count(doc, key);
    for (size_t i = 0; i < n; i++) {
        const char *v = oct_meta_get_nth(doc, key, i);
        if (v && *v)
            oct_xml_element(x, element, v);
    }
}

static void write_metadata(epub_book *b, oct_xml *x)
{
    const oct_doc *doc = b->doc;
    const char *subtitle = oct_meta_get(doc, OCT_META_SUBTITLE);
    const char *source = oct_meta_get(doc, OCT_META_SOURCE);
    size_t n_authors = oct_meta_count(doc, OCT_META_AUTHOR);
    char id[32], file_as[512];

    oct_xml_start(x, "metadata");
    oct_xml_attr(x, "xmlns:dc", NS_DC);
    if (b->epub2)
        oct_xml_attr(x, "xmlns:opf", NS_OPF);

    oct_xml_start(x, "dc:identifier");
    oct_xml_attr(x, "id", "book-id");
    if (b->epub2 && strncmp(b->identifier, "urn:uuid:", 9) == 0)
        oct_xml_attr(x, "opf:scheme", "UUID");
    oct_xml_text_cstr(x, b->identifier);
    oct_xml_end_element_full(x);

    oct_xml_start(x, "dc:title");
    oct_xml_attr(x, "id", "title");
    oct_xml_text_cstr(x, b->title);
    oct_xml_end_element_full(x);
    if (!b->epub2 && subtitle && *subtitle) {
        meta_refines(x, "title", "title-type", NULL, "main");
        oct_xml_start(x, "dc:title");
        oct_xml_attr(x, "id", "subtitle");
        oct_xml_text_cstr(x, subtitle);
        oct_xml_end_element_full(x);
        meta_refines(x, "subtitle", "title-type", NULL, "subtitle");
    }

    for (size_t i = 0; i < n_authors; i++) {
        const char *name = oct_meta_get_nth(doc, OCT_META_AUTHOR, i);
        int has_file_as;
        if (!name || !*name)
            continue;
        has_file_as = derive_file_as(name, file_as, sizeof file_as);
        snprintf(id, sizeof id, "creator-%zu", i + 1);
        oct_xml_start(x, "dc:creator");
        oct_xml_attr(x, "id", id);
        if (b->epub2) {
            oct_xml_attr(x, "opf:role", "aut");
            if (has_file_as)
                oct_xml_attr(x, "opf:file-as", file_as);
        }
        oct_xml_text_cstr(x, name);
        oct_xml_end_element_full(x);
        if (!b->epub2) {
            meta_refines(x, id, "role", "marc:relators", "aut");
            if (has_file_as)
                meta_refines(x, id, "file-as", NULL, file_as);
        }
    }

    oct_xml_element(x, "dc:language", b->lang);
    if (b->date[0]) {
        oct_xml_start(x, "dc:date");
        if (b->epub2)
            oct_xml_attr(x, "opf:event", "publication");
        oct_xml_text_cstr(x, b->date);
        oct_xml_end_element_full(x);
    }
    dc_all(x, doc, OCT_META_PUBLISHER, "dc:publisher");
    dc_all(x, doc, OCT_META_DESCRIPTION, "dc:description");
    dc_all(x, doc, OCT_META_SUBJECT, "dc:subject");
    if (source && *source)
        oct_xml_element(x, "dc:source", source);
    else if (oct_doc_base(doc) && (!strncmp(oct_doc_base(doc), "http://", 7) ||
                                   !strncmp(oct_doc_base(doc), "https://", 8)))
        oct_xml_element(x, "dc:source", oct_doc_base(doc));
    dc_all(x, doc, OCT_META_RIGHTS, "dc:rights");

    if (b->epub2) {
        char day[11];
        snprintf(day, sizeof day, "%.10s", b->modified);
        oct_xml_start(x, "dc:date");
        oct_xml_attr(x, "opf:event", "modification");
        oct_xml_text_cstr(x, day);
        oct_xml_end_element_full(x);
    } else {
        oct_xml_start(x, "meta");
        oct_xml_attr(x, "property", "dcterms:modified");
        oct_xml_text_cstr(x, b->modified);
        oct_xml_end_element_full(x);
    }
    if (b->cover) {
        /* EPUB 2's way to name the cover; Kindle still reads it in EPUB 3. */
        oct_xml_start(x, "meta");
        oct_xml_attr(x, "name", "cover");
        oct_xml_attr(x, "content", oct_resource_id(b->cover->res));
        oct_xml_end_element(x);
    }
    oct_xml_end_element_full(x);
}

static void item(oct_xml *x, const char *id, const char *href, const char *media_type,
                 const char *properties)
{
    oct_xml_start(x, "item");
    oct_xml_attr(x, "id", id);
    oct_xml_attr(x, "href", href);
    oct_xml_attr(x, "media-type", media_type);
    if (properties)
        oct_xml_attr(x, "properties", properties);
    oct_xml_end_element(x);
}

static void itemref(oct_xml *x, const char *idref)
{
    oct_xml_start(x, "itemref");
    oct_xml_attr(x, "idref", idref);
    oct_xml_end_element(x);
}

/* Manifest ids of chapters: the file name without ".xhtml". */
static void chapter_id(const epub_chapter *c, char *out, size_t size)
{
    snprintf(out, size, "%.*s", (int)strcspn(c->file, "."), c->file);
}

int epub_nav_file_written(const epub_book *b)
{
    return !b->epub2 || b->nav_in_spine;
}

static void write_manifest(epub_book *b, oct_xml *x)
{
    size_t n_css = oct_meta_count(b->doc, "css");
    char id[48], href[48];

    oct_xml_start(x, "manifest");
    if (epub_nav_file_written(b))
        item(x, "nav", EPUB_NAV, XHTML_TYPE, b->epub2 ? NULL : "nav");
    item(x, "ncx", EPUB_NCX, "application/x-dtbncx+xml", NULL);
    if (b->default_css)
        item(x, "style", EPUB_STYLE, "text/css", NULL);
    for (size_t i = 0; i < n_css; i++) {
        snprintf(id, sizeof id, "user-css-%zu", i + 1);
        snprintf(href, sizeof href, "user-%zu.css", i + 1);
        item(x, id, href, "text/css", NULL);
    }
    if (b->cover)
        item(x, "cover", EPUB_COVER, XHTML_TYPE, b->cover_is_svg ? "svg" : NULL);
    item(x, "titlepage", EPUB_TITLE, XHTML_TYPE, NULL);
    for (size_t i = 0; i < b->n_chapters; i++) {
        chapter_id(&b->chapters[i], id, sizeof id);
        item(x, id, b->chapters[i].file, XHTML_TYPE, NULL);
    }
    if (b->has_notes_file)
        item(x, "notes", EPUB_NOTES, XHTML_TYPE, NULL);
    for (size_t i = 0; i < b->n_images; i++) {
        const epub_image *img = &b->images[i];
        item(x, oct_resource_id(img->res), img->href, oct_resource_media_type(img->res),
             img->is_cover && !b->epub2 ? "cover-image" : NULL);
    }
    oct_xml_end_element_full(x);
}

static void write_spine(epub_book *b, oct_xml *x)
{
    char id[48];

    oct_xml_start(x, "spine");
    oct_xml_attr(x, "toc", "ncx");
    if (b->rtl && !b->epub2)
        oct_xml_attr(x, "page-progression-direction", "rtl");
    if (b->cover)
        itemref(x, "cover");
    itemref(x, "titlepage");
    if (b->nav_in_spine)
        itemref(x, "nav");
    for (size_t i = 0; i < b->n_chapters; i++) {
        chapter_id(&b->chapters[i], id, sizeof id);
        itemref(x, id);
    }
    if (b->has_notes_file)
        itemref(x, "notes");
    oct_xml_end_element_full(x);
}

static void reference(oct_xml *x, const char *type, const char *title, const char *href)
{
    oct_xml_start(x, "reference");
    oct_xml_attr(x, "type", type);
    oct_xml_attr(x, "title", title);
    oct_xml_attr(x, "href", href);
    oct_xml_end_element(x);
}

oct_status epub_write_package(epub_book *b, oct_zip *z)
{
    oct_xml x;
    oct_status st;

    oct_xml_begin(&x, 0);
    oct_xml_start(&x, "package");
    oct_xml_attr(&x, "xmlns", NS_OPF);
    oct_xml_attr(&x, "version", b->epub2 ? "2.0" : "3.0");
    oct_xml_attr(&x, "unique-identifier", "book-id");
    if (!b->epub2)
        oct_xml_attr(&x, "xml:lang", b->lang);
    write_metadata(b, &x);
    write_manifest(b, &x);
    write_spine(b, &x);
    if (b->epub2) {
        oct_xml_start(&x, "guide");
        if (b->cover)
            reference(&x, "cover", "Cover", EPUB_COVER);
        reference(&x, "title-page", "Title Page", EPUB_TITLE);
        if (b->nav_in_spine)
            reference(&x, "toc", "Contents", EPUB_NAV);
        reference(&x, "text", "Start", b->chapters[0].file);
        oct_xml_end_element_full(&x);
    }
    st = epub_zip_xml(b, z, EPUB_OPF, &x);
    oct_xml_free(&x);
    return st;
}
