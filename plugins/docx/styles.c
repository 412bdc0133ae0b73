/*
 * styles.c — word/styles.xml: the named styles Word users expect, under
 * Word's own built-in ids (Heading1..6 with outline levels, Title, Body Text,
 * Block Text, Hyperlink, caption, footnote text...) plus the few pandoc
 * introduced (First Paragraph, Compact, Source Code / Verbatim Char), so the
 * style gallery, navigation pane and "Insert Table of Contents" all work.
 *
 * With a reference docx its styles win; any of ours it lacks is appended so
 * every style the document uses is defined.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "docx.h"

enum {
    ST_DEFAULT = 1 << 0,
    ST_QFORMAT = 1 << 1,
    ST_HIDDEN = 1 << 2, /* semiHidden + unhideWhenUsed */
};

static void empty(oct_xml *x, const char *name)
{
    oct_xml_start(x, name);
    oct_xml_end_element(x);
}

static void begin_style(oct_xml *x, const char *type, const char *id, const char *name,
                        const char *based_on, const char *next, const char *link, int priority,
                        unsigned flags)
{
    oct_xml_raw(x, "\n"); /* one style per line, for diffs */
    oct_xml_start(x, "w:style");
    oct_xml_attr(x, "w:type", type);
    if (flags & ST_DEFAULT)
        oct_xml_attr(x, "w:default", "1");
    oct_xml_attr(x, "w:styleId", id);
    docx_val(x, "w:name", name);
    if (based_on)
        docx_val(x, "w:basedOn", based_on);
    if (next)
        docx_val(x, "w:next", next);
    if (link)
        docx_val(x, "w:link", link);
    if (priority)
        docx_val_int(x, "w:uiPriority", priority);
    if (flags & ST_HIDDEN) {
        empty(x, "w:semiHidden");
        empty(x, "w:unhideWhenUsed");
    }
    if (flags & ST_QFORMAT)
        empty(x, "w:qFormat");
}

static void spacing(oct_xml *x, int before, int after)
{
    oct_xml_start(x, "w:spacing");
    oct_xml_attrf(x, "w:before", "%d", before);
    oct_xml_attrf(x, "w:after", "%d", after);
    oct_xml_end_element(x);
}

static void fonts(oct_xml *x, const char *face)
{
    oct_xml_start(x, "w:rFonts");
    oct_xml_attr(x, "w:ascii", face);
    oct_xml_attr(x, "w:hAnsi", face);
    oct_xml_attr(x, "w:eastAsia", face);
    oct_xml_attr(x, "w:cs", face);
    oct_xml_end_element(x);
}

static void size(oct_xml *x, int half_points)
{
    docx_val_int(x, "w:sz", half_points);
    docx_val_int(x, "w:szCs", half_points);
}

static void border(oct_xml *x, const char *side)
{
    oct_xml_start(x, side);
    oct_xml_attr(x, "w:val", "single");
    oct_xml_attr(x, "w:sz", "4");
    oct_xml_attr(x, "w:space", "0");
    oct_xml_attr(x, "w:color", "auto");
    oct_xml_end_element(x);
}

static void doc_defaults(oct_xml *x, const char *lang, int rtl)
{
    oct_xml_start(x, "w:docDefaults");
    oct_xml_start(x, "w:rPrDefault");
    oct_xml_start(x, "w:rPr");
    fonts(x, "Cambria");
    size(x, 24);
    oct_xml_start(x, "w:lang");
    oct_xml_attr(x, "w:val", lang ? lang : "en-US");
    oct_xml_attr(x, "w:eastAsia", "en-US");
    oct_xml_attr(x, "w:bidi", rtl && lang ? lang : "ar-SA");
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_start(x, "w:pPrDefault");
    oct_xml_start(x, "w:pPr");
    spacing(x, 0, 0);
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_end_element(x);
}

static void heading_style(oct_xml *x, int level)
{
    static const int sizes[6] = {32, 28, 26, 24, 22, 22};
    char id[16], name[16];
    snprintf(id, sizeof id, "Heading%d", level);
    snprintf(name, sizeof name, "heading %d", level);
    begin_style(x, "paragraph", id, name, "Normal", "BodyText", NULL, 9, ST_QFORMAT);
    oct_xml_start(x, "w:pPr");
    empty(x, "w:keepNext");
    empty(x, "w:keepLines");
    spacing(x, level == 1 ? 480 : 200, 0);
    docx_val_int(x, "w:outlineLvl", level - 1);
    oct_xml_end_element(x);
    oct_xml_start(x, "w:rPr");
    fonts(x, "Calibri");
    empty(x, "w:b");
    empty(x, "w:bCs");
    if (level >= 5) {
        empty(x, "w:i");
        empty(x, "w:iCs");
    }
    docx_val(x, "w:color", "2F5496");
    size(x, sizes[level - 1]);
    oct_xml_end_element(x);
    oct_xml_end_element(x);
}

/* A paragraph style with just spacing and optional extras. */
static void simple_paragraph(oct_xml *x, const char *id, const char *name, const char *based_on,
                             const char *next, int before, int after, unsigned flags)
{
    begin_style(x, "paragraph", id, name, based_on, next, NULL, 0, flags);
    oct_xml_start(x, "w:pPr");
    spacing(x, before, after);
    oct_xml_end_element(x);
    oct_xml_end_element(x);
}

static void title_style(oct_xml *x, const char *id, const char *name, const char *based_on,
                        int before, int after, int half_points, int bold)
{
    begin_style(x, "paragraph", id, name, based_on, "BodyText", NULL, 0, ST_QFORMAT);
    oct_xml_start(x, "w:pPr");
    empty(x, "w:keepNext");
    empty(x, "w:keepLines");
    spacing(x, before, after);
    docx_val(x, "w:jc", "center");
    oct_xml_end_element(x);
    oct_xml_start(x, "w:rPr");
    if (bold) {
        fonts(x, "Calibri");
        empty(x, "w:b");
        empty(x, "w:bCs");
    }
    if (half_points)
        size(x, half_points);
    oct_xml_end_element(x);
    oct_xml_end_element(x);
}

static void table_styles(oct_xml *x)
{
    begin_style(x, "table", "TableNormal", "Normal Table", NULL, NULL, NULL, 99,
                ST_DEFAULT | ST_HIDDEN);
    oct_xml_start(x, "w:tblPr");
    oct_xml_start(x, "w:tblInd");
    oct_xml_attr(x, "w:w", "0");
    oct_xml_attr(x, "w:type", "dxa");
    oct_xml_end_element(x);
    oct_xml_start(x, "w:tblCellMar");
    static const char *const sides[4] = {"w:top", "w:left", "w:bottom", "w:right"};
    for (int i = 0; i < 4; i++) {
        oct_xml_start(x, sides[i]);
        oct_xml_attr(x, "w:w", i % 2 ? "108" : "0");
        oct_xml_attr(x, "w:type", "dxa");
        oct_xml_end_element(x);
    }
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_end_element(x);

    begin_style(x, "table", "Table", "Table", "TableNormal", NULL, NULL, 0, ST_QFORMAT);
    oct_xml_start(x, "w:tblPr");
    oct_xml_start(x, "w:tblBorders");
    border(x, "w:top");
    border(x, "w:left");
    border(x, "w:bottom");
    border(x, "w:right");
    border(x, "w:insideH");
    border(x, "w:insideV");
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    /* the header row: bold, with a heavier rule below */
    oct_xml_start(x, "w:tblStylePr");
    oct_xml_attr(x, "w:type", "firstRow");
    oct_xml_start(x, "w:rPr");
    empty(x, "w:b");
    empty(x, "w:bCs");
    oct_xml_end_element(x);
    oct_xml_start(x, "w:tcPr");
    oct_xml_start(x, "w:tcBorders");
    oct_xml_start(x, "w:bottom");
    oct_xml_attr(x, "w:val", "single");
    oct_xml_attr(x, "w:sz", "12");
    oct_xml_attr(x, "w:space", "0");
    oct_xml_attr(x, "w:color", "auto");
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_end_element(x);
}

static void character_styles(oct_xml *x)
{
    begin_style(x, "character", "DefaultParagraphFont", "Default Paragraph Font", NULL, NULL,
                NULL, 1, ST_DEFAULT | ST_HIDDEN);
    oct_xml_end_element(x);

    begin_style(x, "character", "VerbatimChar", "Verbatim Char", NULL, NULL, "SourceCode", 0, 0);
    oct_xml_start(x, "w:rPr");
    fonts(x, "Consolas");
    size(x, 20);
    oct_xml_end_element(x);
    oct_xml_end_element(x);

    begin_style(x, "character", "Hyperlink", "Hyperlink", "DefaultParagraphFont", NULL, NULL, 99,
                ST_HIDDEN);
    oct_xml_start(x, "w:rPr");
    docx_val(x, "w:color", "0563C1");
    docx_val(x, "w:u", "single");
    oct_xml_end_element(x);
    oct_xml_end_element(x);

    begin_style(x, "character", "FootnoteReference", "footnote reference",
                "DefaultParagraphFont", NULL, NULL, 99, ST_HIDDEN);
    oct_xml_start(x, "w:rPr");
    docx_val(x, "w:vertAlign", "superscript");
    oct_xml_end_element(x);
    oct_xml_end_element(x);
}

static void paragraph_styles(oct_xml *x)
{
    begin_style(x, "paragraph", "Normal", "Normal", NULL, NULL, NULL, 0,
                ST_DEFAULT | ST_QFORMAT);
    oct_xml_end_element(x);

    simple_paragraph(x, "BodyText", "Body Text", "Normal", NULL, 180, 180, ST_QFORMAT);
    simple_paragraph(x, "FirstParagraph", "First Paragraph", "BodyText", "BodyText", 180, 180,
                     ST_QFORMAT);
    simple_paragraph(x, "Compact", "Compact", "BodyText", NULL, 36, 36, ST_QFORMAT);

    title_style(x, "Title", "Title", "Normal", 480, 240, 40, 1);
    title_style(x, "Subtitle", "Subtitle", "Title", 240, 240, 30, 1);
    title_style(x, "Author", "Author", "Normal", 0, 120, 0, 0);
    title_style(x, "Date", "Date", "Normal", 0, 240, 0, 0);

    for (int level = 1; level <= 6; level++)
        heading_style(x, level);

    begin_style(x, "paragraph", "BlockText", "Block Text", "BodyText", "BodyText", NULL, 0,
                ST_QFORMAT);
    oct_xml_start(x, "w:pPr");
    spacing(x, 100, 100);
    oct_xml_start(x, "w:ind");
    oct_xml_attr(x, "w:left", "720");
    oct_xml_attr(x, "w:right", "720");
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_end_element(x);

    begin_style(x, "paragraph", "SourceCode", "Source Code", "Normal", NULL, "VerbatimChar", 0, 0);
    oct_xml_start(x, "w:pPr");
    oct_xml_start(x, "w:shd");
    oct_xml_attr(x, "w:val", "clear");
    oct_xml_attr(x, "w:color", "auto");
    oct_xml_attr(x, "w:fill", "F4F4F4");
    oct_xml_end_element(x);
    oct_xml_start(x, "w:wordWrap");
    oct_xml_attr(x, "w:val", "0");
    oct_xml_end_element(x);
    spacing(x, 120, 120);
    oct_xml_end_element(x);
    oct_xml_start(x, "w:rPr");
    fonts(x, "Consolas");
    size(x, 20);
    oct_xml_end_element(x);
    oct_xml_end_element(x);

    begin_style(x, "paragraph", "Caption", "caption", "Normal", "BodyText", NULL, 35, ST_QFORMAT);
    oct_xml_start(x, "w:pPr");
    spacing(x, 120, 240);
    oct_xml_end_element(x);
    oct_xml_start(x, "w:rPr");
    empty(x, "w:i");
    empty(x, "w:iCs");
    size(x, 20);
    oct_xml_end_element(x);
    oct_xml_end_element(x);

    begin_style(x, "paragraph", "Figure", "Figure", "Normal", "Caption", NULL, 0, 0);
    oct_xml_start(x, "w:pPr");
    empty(x, "w:keepNext");
    spacing(x, 120, 0);
    docx_val(x, "w:jc", "center");
    oct_xml_end_element(x);
    oct_xml_end_element(x);

    begin_style(x, "paragraph", "FootnoteText", "footnote text", "Normal", NULL, NULL, 99,
                ST_HIDDEN);
    oct_xml_start(x, "w:rPr");
    size(x, 20);
    oct_xml_end_element(x);
    oct_xml_end_element(x);

    begin_style(x, "paragraph", "ListParagraph", "List Paragraph", "Normal", NULL, NULL, 34,
                ST_QFORMAT);
    oct_xml_start(x, "w:pPr");
    spacing(x, 36, 36);
    oct_xml_start(x, "w:ind");
    oct_xml_attr(x, "w:left", "720");
    oct_xml_end_element(x);
    empty(x, "w:contextualSpacing");
    oct_xml_end_element(x);
    oct_xml_end_element(x);

    begin_style(x, "paragraph", "DefinitionTerm", "Definition Term", "Normal", "Definition", NULL,
                0, 0);
    oct_xml_start(x, "w:pPr");
    empty(x, "w:keepNext");
    spacing(x, 120, 0);
    oct_xml_end_element(x);
    oct_xml_start(x, "w:rPr");
    empty(x, "w:b");
    empty(x, "w:bCs");
    oct_xml_end_element(x);
    oct_xml_end_element(x);

    begin_style(x, "paragraph", "Definition", "Definition", "Normal", NULL, NULL, 0, 0);
    oct_xml_start(x, "w:pPr");
    spacing(x, 0, 120);
    oct_xml_start(x, "w:ind");
    oct_xml_attr(x, "w:left", "720");
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_end_element(x);
}

static oct_status own_styles(const char *lang, int rtl, oct_xml *x)
{
    oct_status s = oct_xml_begin(x, 1);
    if (s != OCT_OK)
        return s;
    oct_xml_start(x, "w:styles");
    oct_xml_attr(x, "xmlns:w", DOCX_NS_W);
    doc_defaults(x, lang, rtl);
    paragraph_styles(x);
    character_styles(x);
    table_styles(x);
    oct_xml_raw(x, "\n");
    oct_xml_end_element(x);
    return x->failed ? OCT_ERR_NOMEM : OCT_OK;
}

static xmlChar *style_id(const xmlNode *n)
{
    return xmlGetNsProp(n, (const xmlChar *)"styleId", (const xmlChar *)DOCX_NS_W);
}

/* The reference's styles with each of ours it does not define appended. */
static oct_status merge(const docx_refdoc *ref, const char *ours, size_t ours_len,
                        docx_package *p)
{
    oct_status s = OCT_ERR_NOMEM;
    docx_map have = {0};
    xmlDoc *dst = docx_parse_part(ref->styles, ref->styles_len);
    xmlDoc *src = docx_parse_part((const unsigned char *)ours, ours_len);
    xmlNode *droot = dst ? xmlDocGetRootElement(dst) : NULL;
    xmlNode *sroot = src ? xmlDocGetRootElement(src) : NULL;
    if (!droot || !sroot || !docx_is_w(droot, "styles"))
        goto done;
    for (xmlNode *c = droot->children; c; c = c->next) {
        if (!docx_is_w(c, "style"))
            continue;
        xmlChar *id = style_id(c);
        oct_status put = id ? docx_map_put(&have, (const char *)id, 1) : OCT_OK;
        xmlFree(id);
        if (put != OCT_OK)
            goto done;
    }
    for (xmlNode *c = sroot->children; c; c = c->next) {
        if (!docx_is_w(c, "style"))
            continue;
        xmlChar *id = style_id(c);
        int present = id && docx_map_get(&have, (const char *)id, NULL);
        xmlFree(id);
        if (present)
            continue;
        xmlNode *copy = xmlDocCopyNode(c, dst, 1);
        if (!copy)
            goto done;
        if (!xmlAddChild(droot, copy)) {
            xmlFreeNode(copy);
            goto done;
        }
        xmlReconciliateNs(dst, copy);
    }
    s = docx_package_add_doc(p, "word/styles.xml", DOCX_CT_WML "styles+xml", dst);
done:
    docx_map_free(&have);
    xmlFreeDoc(dst);
    xmlFreeDoc(src);
    return s;
}

oct_status docx_styles_part(const docx_refdoc *ref, const char *lang, int rtl, docx_package *p)
{
    oct_xml x = {0};
    oct_status s = own_styles(lang, rtl, &x);
    if (s != OCT_OK) {
        oct_xml_free(&x);
        return s;
    }
    if (ref && ref->styles) {
        const char *data = NULL;
        size_t len = 0;
        s = oct_xml_end(&x, &data, &len);
        if (s == OCT_OK)
            s = merge(ref, data, len, p);
        oct_xml_free(&x);
        return s;
    }
    return docx_package_add_xml(p, "word/styles.xml", DOCX_CT_WML "styles+xml", &x);
}
