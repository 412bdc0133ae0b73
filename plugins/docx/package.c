/*
 * package.c — the OPC package around the WordprocessingML parts: the part
 * list both outputs share, relationships, [Content_Types].xml, the core and
 * extended properties, settings and the font table, and the order in which
 * all of them are built.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlmemory.h>

#include "docx.h"

/* ----------------------------------------------------------------- parts */

oct_status docx_package_add(docx_package *p, const char *name, const char *content_type,
                            unsigned char *data, size_t len, int owned, int is_xml)
{
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        docx_part *parts = realloc(p->parts, cap * sizeof *parts);
        if (!parts)
            goto fail;
        p->parts = parts;
        p->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        goto fail;
    docx_part *part = &p->parts[p->count++];
    part->name = copy;
    part->content_type = content_type;
    part->data = data;
    part->len = len;
    part->owned = owned;
    part->is_xml = is_xml;
    part->compress = 1;
    part->libxml_memory = 0;
    return OCT_OK;
fail:
    if (owned)
        free(data);
    return OCT_ERR_NOMEM;
}

oct_status docx_package_add_xml(docx_package *p, const char *name, const char *content_type,
                                oct_xml *x)
{
    const char *data = NULL;
    size_t len = 0;
    oct_status s = oct_xml_end(x, &data, &len);
    unsigned char *bytes = NULL;
    if (s == OCT_OK) {
        /* take the buffer's memory instead of copying it: document.xml is
         * most of the output */
        xmlFreeTextWriter(x->w);
        x->w = NULL;
        len = (size_t)xmlBufferLength(x->buf);
        bytes = xmlBufferDetach(x->buf);
        if (!bytes)
            s = OCT_ERR_NOMEM;
        /* no newline after the root element: a Flat OPC part then holds
         * exactly these bytes after the declaration */
        while (bytes && len && bytes[len - 1] == '\n')
            len--;
    }
    oct_xml_free(x);
    if (s != OCT_OK)
        return s;
    s = docx_package_add(p, name, content_type, bytes, len, 0, 1);
    if (s != OCT_OK) {
        xmlFree(bytes);
        return s;
    }
    p->parts[p->count - 1].owned = 1;
    p->parts[p->count - 1].libxml_memory = 1;
    return OCT_OK;
}

void docx_part_free_data(docx_part *part)
{
    if (part->owned) {
        if (part->libxml_memory)
            xmlFree(part->data);
        else
            free(part->data);
    }
    part->owned = 0;
    part->data = NULL;
}

void docx_package_free(docx_package *p)
{
    for (size_t i = 0; i < p->count; i++) {
        free(p->parts[i].name);
        docx_part_free_data(&p->parts[i]);
    }
    free(p->parts);
    memset(p, 0, sizeof *p);
}

size_t docx_xml_body_offset(const unsigned char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        i = 3;
    if (len - i >= 5 && memcmp(data + i, "<?xml", 5) == 0) {
        const unsigned char *end = memchr(data + i, '>', len - i);
        if (!end)
            return 0;
        i = (size_t)(end - data) + 1;
    }
    while (i < len && (data[i] == '\n' || data[i] == '\r' || data[i] == ' ' || data[i] == '\t'))
        i++;
    return i;
}

/* --------------------------------------------------------- relationships */

int docx_rels_get(docx_rels *r, const char *type, const char *target, int external)
{
    /* "type target": on the stack unless the target is long */
    char small[256];
    size_t tlen = strlen(type), glen = strlen(target);
    size_t klen = tlen + glen + 2;
    char *key = klen <= sizeof small ? small : malloc(klen);
    if (!key)
        return 0;
    memcpy(key, type, tlen);
    key[tlen] = ' ';
    memcpy(key + tlen + 1, target, glen + 1);
    int index;
    if (docx_map_get(&r->by_target, key, &index)) {
        if (key != small)
            free(key);
        return r->items[index].id;
    }
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        docx_rel *items = realloc(r->items, cap * sizeof *items);
        if (!items)
            goto fail;
        r->items = items;
        r->cap = cap;
    }
    char *copy = strdup(target);
    if (!copy)
        goto fail;
    if (docx_map_put(&r->by_target, key, (int)r->count) != OCT_OK) {
        free(copy);
        goto fail;
    }
    if (key != small)
        free(key);
    docx_rel *rel = &r->items[r->count++];
    rel->id = (int)r->count;
    rel->type = type;
    rel->target = copy;
    rel->external = external;
    return rel->id;
fail:
    if (key != small)
        free(key);
    return 0;
}

void docx_rels_free(docx_rels *r)
{
    for (size_t i = 0; i < r->count; i++)
        free(r->items[i].target);
    free(r->items);
    docx_map_free(&r->by_target);
    memset(r, 0, sizeof *r);
}

static void begin_relationships(oct_xml *x)
{
    oct_xml_start(x, "Relationships");
    oct_xml_attr(x, "xmlns", "http://schemas.openxmlformats.org/package/2006/relationships");
}

static void relationship(oct_xml *x, const char *id, const char *type, const char *target,
                         int external)
{
    oct_xml_raw(x, "\n");
    oct_xml_start(x, "Relationship");
    oct_xml_attr(x, "Id", id);
    oct_xml_attr(x, "Type", type);
    oct_xml_attr(x, "Target", target);
    if (external)
        oct_xml_attr(x, "TargetMode", "External");
    oct_xml_end_element(x);
}

/* Printable ASCII without '"' (hyperlink targets always are: uri.c
 * percent-encodes the rest), which escaping for element content and for an
 * attribute value turn into the same bytes. */
static int plain_target(const char *s)
{
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        if (*u < 0x20 || *u > 0x7E || *u == '"')
            return 0;
    }
    return 1;
}

/* A book holds thousands of links: each relationship is written as markup,
 * with only its target escaped (as content, which plain_target makes the
 * same as attribute escaping) rather than four attributes through the
 * writer. */
static void relationship_markup(markup *m, const docx_rel *rel)
{
    /* the start tag is plain markup, not markup_open, so that the target's
     * text can go inside it */
    markup_raw(m, "\n<Relationship Id=\"rId");
    markup_int(m, rel->id);
    markup_raw(m, "\" Type=\"" DOCX_REL_BASE);
    markup_raw(m, rel->type);
    markup_raw(m, "\" Target=\"");
    markup_text(m, rel->target, strlen(rel->target));
    markup_raw(m, rel->external ? "\" TargetMode=\"External\"/>" : "\"/>");
}

oct_status docx_rels_add_part(docx_package *p, const char *name, const docx_rels *r)
{
    oct_xml x = {0};
    oct_status s = oct_xml_begin(&x, 1);
    if (s != OCT_OK) {
        oct_xml_free(&x);
        return s;
    }
    begin_relationships(&x);
    markup m;
    markup_init(&m, &x);
    char id[32], type[160];
    for (size_t i = 0; i < r->count; i++) {
        const docx_rel *rel = &r->items[i];
        if (plain_target(rel->target)) {
            relationship_markup(&m, rel);
            continue;
        }
        markup_sync(&m);
        snprintf(id, sizeof id, "rId%d", rel->id);
        snprintf(type, sizeof type, "%s%s", DOCX_REL_BASE, rel->type);
        relationship(&x, id, type, rel->target, rel->external);
    }
    markup_sync(&m);
    oct_xml_end_element(&x);
    return docx_package_add_xml(p, name, "application/vnd.openxmlformats-package.relationships+xml",
                                &x);
}

/* ----------------------------------------------------------------- layout */

long docx_page_text_width(const docx_page *pg)
{
    long w = pg->width - pg->margin_left - pg->margin_right;
    return w < 1440 ? 1440 : w;
}

long docx_page_text_height(const docx_page *pg)
{
    long h = pg->height - pg->margin_top - pg->margin_bottom;
    return h < 1440 ? 1440 : h;
}

/* ------------------------------------------------------------ properties */

/* Parses the leading digits of s (exactly n of them) into *out. */
static int take_digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*s)[i];
        if (c < '0' || c > '9')
            return 0;
        v = v * 10 + (c - '0');
    }
    *s += n;
    *out = v;
    return 1;
}

/* A W3CDTF timestamp ("2024-03-01T12:00:00Z") from an ISO 8601 date or
 * date-time; 0 when the text is not one. */
static int parse_date(const char *s, time_t *out)
{
    struct tm tm = {0};
    int year, mon = 1, day = 1, hour = 0, min = 0, sec = 0;
    if (!s || !take_digits(&s, 4, &year))
        return 0;
    if (*s == '-') {
        s++;
        if (!take_digits(&s, 2, &mon))
            return 0;
        if (*s == '-') {
            s++;
            if (!take_digits(&s, 2, &day))
                return 0;
        }
    }
    long offset = 0;
    if (*s == 'T' || *s == ' ') {
        s++;
        if (take_digits(&s, 2, &hour) && *s == ':') {
            s++;
            if (!take_digits(&s, 2, &min))
                return 0;
            if (*s == ':') {
                s++;
                if (!take_digits(&s, 2, &sec))
                    return 0;
                while (*s == '.' || (*s >= '0' && *s <= '9'))
                    s++;
            }
            if (*s == '+' || *s == '-') {
                int sign = *s == '-' ? -1 : 1, oh, om = 0;
                s++;
                if (take_digits(&s, 2, &oh)) {
                    if (*s == ':')
                        s++;
                    take_digits(&s, 2, &om);
                    offset = sign * (oh * 3600L + om * 60L);
                }
            }
        }
    }
    if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60 ||
        year < 1601)
        return 0;
    tm.tm_year = year - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = min;
    tm.tm_sec = sec;
    *out = timegm(&tm) - offset;
    return 1;
}

/* The document's date, else SOURCE_DATE_EPOCH; 0 when neither exists (the
 * properties then carry no date at all, so output stays reproducible). */
static int package_date(const oct_doc *doc, char out[32])
{
    time_t t;
    if (!parse_date(oct_meta_get(doc, OCT_META_DATE), &t)) {
        const char *epoch = getenv("SOURCE_DATE_EPOCH");
        char *end = NULL;
        if (!epoch || !*epoch)
            return 0;
        long long v = strtoll(epoch, &end, 10);
        if (*end || v < 0)
            return 0;
        t = (time_t)v;
    }
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return 0;
    return strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0;
}

/* Every value of a multi-valued key joined with sep. */
static char *join_meta(const oct_doc *doc, const char *key, const char *sep)
{
    oct_buf b;
    oct_buf_init(&b, 1 << 20);
    size_t n = oct_meta_count(doc, key);
    for (size_t i = 0; i < n; i++) {
        if (i)
            oct_buf_puts(&b, sep);
        oct_buf_puts(&b, oct_meta_get_nth(doc, key, i));
    }
    if (b.status != OCT_OK || !b.len) {
        oct_buf_free(&b);
        return NULL;
    }
    return oct_buf_detach(&b, NULL);
}

static oct_status core_part(const oct_doc *doc, docx_package *p)
{
    oct_xml x = {0};
    oct_status s = oct_xml_begin(&x, 1);
    oct_xml_start(&x, "cp:coreProperties");
    oct_xml_attr(&x, "xmlns:cp",
                 "http://schemas.openxmlformats.org/package/2006/metadata/core-properties");
    oct_xml_attr(&x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
    oct_xml_attr(&x, "xmlns:dcterms", "http://purl.org/dc/terms/");
    oct_xml_attr(&x, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
    const char *title = oct_meta_get(doc, OCT_META_TITLE);
    if (title)
        oct_xml_element(&x, "dc:title", title);
    const char *subject = oct_meta_get(doc, OCT_META_SUBJECT);
    if (subject)
        oct_xml_element(&x, "dc:subject", subject);
    char *authors = join_meta(doc, OCT_META_AUTHOR, "; ");
    if (authors)
        oct_xml_element(&x, "dc:creator", authors);
    free(authors);
    char *keywords = join_meta(doc, OCT_META_SUBJECT, ", ");
    if (!keywords)
        keywords = join_meta(doc, "keywords", ", ");
    if (keywords)
        oct_xml_element(&x, "cp:keywords", keywords);
    free(keywords);
    const char *description = oct_meta_get(doc, OCT_META_DESCRIPTION);
    if (description)
        oct_xml_element(&x, "dc:description", description);
    const char *lang = oct_meta_get(doc, OCT_META_LANG);
    if (lang && *lang)
        oct_xml_element(&x, "dc:language", lang);
    char date[32];
    if (package_date(doc, date)) {
        oct_xml_start(&x, "dcterms:created");
        oct_xml_attr(&x, "xsi:type", "dcterms:W3CDTF");
        oct_xml_text_cstr(&x, date);
        oct_xml_end_element(&x);
        oct_xml_start(&x, "dcterms:modified");
        oct_xml_attr(&x, "xsi:type", "dcterms:W3CDTF");
        oct_xml_text_cstr(&x, date);
        oct_xml_end_element(&x);
    }
    oct_xml_end_element(&x);
    if (s != OCT_OK) {
        oct_xml_free(&x);
        return s;
    }
    return docx_package_add_xml(p, "docProps/core.xml",
                                "application/vnd.openxmlformats-package.core-properties+xml", &x);
}

static oct_status app_part(docx_package *p)
{
    oct_xml x = {0};
    oct_status s = oct_xml_begin(&x, 1);
    oct_xml_start(&x, "Properties");
    oct_xml_attr(&x, "xmlns",
                 "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties");
    oct_xml_attr(&x, "xmlns:vt",
                 "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes");
    oct_xml_element(&x, "Application", "octavo");
    oct_xml_element(&x, "DocSecurity", "0");
    oct_xml_end_element(&x);
    if (s != OCT_OK) {
        oct_xml_free(&x);
        return s;
    }
    return docx_package_add_xml(
        p, "docProps/app.xml",
        "application/vnd.openxmlformats-officedocument.extended-properties+xml", &x);
}

static oct_status settings_part(const docx_writer *w, docx_package *p)
{
    oct_xml x = {0};
    oct_status s = oct_xml_begin(&x, 1);
    oct_xml_start(&x, "w:settings");
    oct_xml_attr(&x, "xmlns:w", DOCX_NS_W);
    oct_xml_start(&x, "w:zoom");
    oct_xml_attr(&x, "w:percent", "100");
    oct_xml_end_element(&x);
    docx_val_int(&x, "w:defaultTabStop", 720);
    docx_val(&x, "w:characterSpacingControl", "doNotCompress");
    if (w->footnote_count) {
        /* the separator notes every footnotes part starts with */
        oct_xml_start(&x, "w:footnotePr");
        oct_xml_start(&x, "w:footnote");
        oct_xml_attr(&x, "w:id", "-1");
        oct_xml_end_element(&x);
        oct_xml_start(&x, "w:footnote");
        oct_xml_attr(&x, "w:id", "0");
        oct_xml_end_element(&x);
        oct_xml_end_element(&x);
    }
    /* Word 2013+ layout, so Word does not open the file in compatibility mode */
    oct_xml_start(&x, "w:compat");
    oct_xml_start(&x, "w:compatSetting");
    oct_xml_attr(&x, "w:name", "compatibilityMode");
    oct_xml_attr(&x, "w:uri", "http://schemas.microsoft.com/office/word");
    oct_xml_attr(&x, "w:val", "15");
    oct_xml_end_element(&x);
    oct_xml_end_element(&x);
    oct_xml_end_element(&x);
    if (s != OCT_OK) {
        oct_xml_free(&x);
        return s;
    }
    return docx_package_add_xml(p, "word/settings.xml", DOCX_CT_WML "settings+xml", &x);
}

static void font(oct_xml *x, const char *name, const char *family, const char *pitch)
{
    oct_xml_start(x, "w:font");
    oct_xml_attr(x, "w:name", name);
    docx_val(x, "w:family", family);
    docx_val(x, "w:pitch", pitch);
    oct_xml_end_element(x);
}

static oct_status font_table_part(docx_package *p)
{
    oct_xml x = {0};
    oct_status s = oct_xml_begin(&x, 1);
    oct_xml_start(&x, "w:fonts");
    oct_xml_attr(&x, "xmlns:w", DOCX_NS_W);
    font(&x, "Cambria", "roman", "variable");
    font(&x, "Calibri", "swiss", "variable");
    font(&x, "Consolas", "modern", "fixed");
    font(&x, "Times New Roman", "roman", "variable");
    oct_xml_end_element(&x);
    if (s != OCT_OK) {
        oct_xml_free(&x);
        return s;
    }
    return docx_package_add_xml(p, "word/fontTable.xml", DOCX_CT_WML "fontTable+xml", &x);
}

/* ---------------------------------------------------------- content types */

static oct_status content_types_part(const docx_package *parts, docx_package *out)
{
    oct_xml x = {0};
    oct_status s = oct_xml_begin(&x, 1);
    oct_xml_start(&x, "Types");
    oct_xml_attr(&x, "xmlns", "http://schemas.openxmlformats.org/package/2006/content-types");
    oct_xml_start(&x, "Default");
    oct_xml_attr(&x, "Extension", "rels");
    oct_xml_attr(&x, "ContentType", "application/vnd.openxmlformats-package.relationships+xml");
    oct_xml_end_element(&x);
    oct_xml_start(&x, "Default");
    oct_xml_attr(&x, "Extension", "xml");
    oct_xml_attr(&x, "ContentType", "application/xml");
    oct_xml_end_element(&x);
    /* media: one Default per extension, in order of first use */
    docx_map seen = {0};
    for (size_t i = 0; i < parts->count; i++) {
        const docx_part *part = &parts->parts[i];
        if (part->is_xml)
            continue;
        const char *dot = strrchr(part->name, '.');
        if (!dot || docx_map_get(&seen, dot + 1, NULL))
            continue;
        if (docx_map_put(&seen, dot + 1, 1) != OCT_OK)
            s = OCT_ERR_NOMEM;
        oct_xml_start(&x, "Default");
        oct_xml_attr(&x, "Extension", dot + 1);
        oct_xml_attr(&x, "ContentType", part->content_type);
        oct_xml_end_element(&x);
    }
    docx_map_free(&seen);
    for (size_t i = 0; i < parts->count; i++) {
        const docx_part *part = &parts->parts[i];
        if (!part->is_xml || strstr(part->name, ".rels"))
            continue;
        char name[512];
        snprintf(name, sizeof name, "/%s", part->name);
        oct_xml_start(&x, "Override");
        oct_xml_attr(&x, "PartName", name);
        oct_xml_attr(&x, "ContentType", part->content_type);
        oct_xml_end_element(&x);
    }
    oct_xml_end_element(&x);
    if (s != OCT_OK) {
        oct_xml_free(&x);
        return s;
    }
    return docx_package_add_xml(out, "[Content_Types].xml", "application/xml", &x);
}

static oct_status package_rels_part(docx_package *p)
{
    oct_xml x = {0};
    oct_status s = oct_xml_begin(&x, 1);
    begin_relationships(&x);
    relationship(&x, "rId1", DOCX_REL_BASE "officeDocument", "word/document.xml", 0);
    relationship(&x, "rId2",
                 "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                 "core-properties",
                 "docProps/core.xml", 0);
    relationship(&x, "rId3", DOCX_REL_BASE "extended-properties", "docProps/app.xml", 0);
    oct_xml_end_element(&x);
    if (s != OCT_OK) {
        oct_xml_free(&x);
        return s;
    }
    return docx_package_add_xml(p, "_rels/.rels",
                                "application/vnd.openxmlformats-package.relationships+xml", &x);
}

/* -------------------------------------------------------------- assembly */

static void default_page(docx_page *pg)
{
    /* US Letter with one-inch margins, as Word's Normal template */
    pg->width = 12240;
    pg->height = 15840;
    pg->margin_top = pg->margin_right = pg->margin_bottom = pg->margin_left = 1440;
}

static void free_writer(docx_writer *w)
{
    docx_numbering_free(&w->numbering);
    docx_map_free(&w->bookmarks);
    for (size_t i = 0; i < w->bookmark_count; i++)
        free(w->bookmark_names[i]);
    free(w->bookmark_names);
    free(w->bookmark_placed);
    docx_map_free(&w->footnote_ids);
    free(w->footnotes);
    free(w->footnote_used);
    docx_map_free(&w->media);
}

oct_status docx_build_package(oct_context *ctx, const oct_doc *doc, docx_package *out,
                              oct_error *err)
{
    docx_refdoc ref = {0};
    docx_package body = {0}; /* every part but [Content_Types].xml, in order */
    docx_rels rels = {0};
    docx_writer w = {0};
    oct_status s = docx_refdoc_load(ctx, doc, &ref, err);
    if (s != OCT_OK)
        goto fail;

    w.ctx = ctx;
    w.doc = doc;
    w.package = &body;
    w.next_drawing_id = 1;
    w.next_bookmark_id = 0;
    if (ref.has_page)
        w.page = ref.page;
    else
        default_page(&w.page);
    w.doc_lang = oct_meta_get(doc, OCT_META_LANG);
    if (w.doc_lang && !docx_plausible_lang(w.doc_lang))
        w.doc_lang = NULL;
    const char *dir = oct_meta_get(doc, OCT_META_DIR);
    w.doc_rtl = (dir && strcmp(dir, "rtl") == 0) ||
                oct_node_dir(oct_doc_root(doc)) == OCT_DIR_RTL;
    w.title_block = oct_context_option_bool(ctx, "title-block",
                                            oct_meta_get(doc, OCT_META_TITLE) != NULL);
    int abstract_offset = 0;
    w.num_id_offset = docx_numbering_id_offset(&ref, &abstract_offset);
    if ((s = docx_bookmarks_collect(&w)) != OCT_OK || (s = docx_footnotes_collect(&w)) != OCT_OK)
        goto fail;

    /* fixed relationships first, so their ids never depend on content */
    if (!docx_rels_get(&rels, "styles", "styles.xml", 0) ||
        !docx_rels_get(&rels, "numbering", "numbering.xml", 0) ||
        !docx_rels_get(&rels, "settings", "settings.xml", 0) ||
        !docx_rels_get(&rels, "fontTable", "fontTable.xml", 0) ||
        (w.footnote_count && !docx_rels_get(&rels, "footnotes", "footnotes.xml", 0)) ||
        (ref.theme && !docx_rels_get(&rels, "theme", "theme/theme1.xml", 0))) {
        s = OCT_ERR_NOMEM;
        goto fail;
    }

    if ((s = package_rels_part(&body)) != OCT_OK || (s = core_part(doc, &body)) != OCT_OK ||
        (s = app_part(&body)) != OCT_OK)
        goto fail;
    /* media parts are appended while the stories render; keep the XML first */
    if ((s = docx_document_part(&w, &rels, &ref)) != OCT_OK)
        goto fail;
    if ((s = docx_rels_add_part(&body, "word/_rels/document.xml.rels", &rels)) != OCT_OK ||
        (s = docx_styles_part(&ref, w.doc_lang, w.doc_rtl, &body)) != OCT_OK ||
        (s = docx_numbering_part(&w.numbering, &ref, &body)) != OCT_OK ||
        (s = settings_part(&w, &body)) != OCT_OK || (s = font_table_part(&body)) != OCT_OK ||
        (s = docx_footnotes_part(&w)) != OCT_OK)
        goto fail;
    if (ref.theme) {
        s = docx_package_add(&body, "word/theme/theme1.xml",
                             "application/vnd.openxmlformats-officedocument.theme+xml", ref.theme,
                             ref.theme_len, 1, 1);
        ref.theme = NULL;
        if (s != OCT_OK)
            goto fail;
    }
    if ((s = content_types_part(&body, out)) != OCT_OK)
        goto fail;

    /* XML parts in build order, then the media, so entry order is fixed */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < body.count; i++) {
            docx_part *part = &body.parts[i];
            if (part->is_xml != (pass == 0))
                continue;
            /* moved, not copied: the new entry takes over the memory */
            s = docx_package_add(out, part->name, part->content_type, part->data, part->len,
                                 0, part->is_xml);
            if (s != OCT_OK)
                goto fail;
            docx_part *moved = &out->parts[out->count - 1];
            moved->owned = part->owned;
            moved->libxml_memory = part->libxml_memory;
            moved->compress = part->compress;
            part->owned = 0;
        }
    }
    docx_package_free(&body);
    docx_rels_free(&rels);
    docx_refdoc_free(&ref);
    free_writer(&w);
    return OCT_OK;
fail:
    docx_package_free(&body);
    docx_rels_free(&rels);
    docx_refdoc_free(&ref);
    free_writer(&w);
    docx_package_free(out);
    if (err && err->status == OCT_OK)
        oct_error_set(err, s, "docx", 0, "cannot build the DOCX package: %s",
                      oct_status_message(s));
    return s;
}
