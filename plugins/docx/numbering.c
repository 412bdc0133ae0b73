/*
 * numbering.c — word/numbering.xml: one abstract definition per list style
 * (bullet, decimal, letters, roman numerals; nine levels each) and one w:num
 * per list in the document. Every ordered list's w:num restarts its level
 * at the list's start value, so each list counts on its own.
 *
 * With a reference docx, its numbering part is kept (its styles may point
 * into it) and ours is appended with ids above the reference's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "docx.h"

#define STYLE_COUNT 6

int docx_numbering_add(docx_numbering *n, oct_list_style style, int start, int level)
{
    if (n->count == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 16;
        if (cap > (1u << 24))
            return 0;
        docx_list_instance *lists = realloc(n->lists, cap * sizeof *lists);
        if (!lists)
            return 0;
        n->lists = lists;
        n->cap = cap;
    }
    if ((int)style < 0 || (int)style >= STYLE_COUNT)
        style = OCT_LIST_BULLET;
    docx_list_instance *l = &n->lists[n->count++];
    l->style = style;
    l->start = start;
    l->level = level;
    return (int)n->count;
}

void docx_numbering_free(docx_numbering *n)
{
    free(n->lists);
    memset(n, 0, sizeof *n);
}

static const char *number_format(oct_list_style s)
{
    switch (s) {
    case OCT_LIST_DECIMAL: return "decimal";
    case OCT_LIST_LOWER_ALPHA: return "lowerLetter";
    case OCT_LIST_UPPER_ALPHA: return "upperLetter";
    case OCT_LIST_LOWER_ROMAN: return "lowerRoman";
    case OCT_LIST_UPPER_ROMAN: return "upperRoman";
    default: return "bullet";
    }
}

/* Every value below is a number or a constant: the part is written
 * through the markup batch, not element by element through libxml2. */
static void abstract_num(markup *m, oct_list_style style, int abstract_id)
{
    static const char *const bullets[] = {"\xE2\x80\xA2", "\xE2\x97\xA6", "\xE2\x96\xAA"};
    static const char hex[] = "0123456789ABCDEF";
    const unsigned code = (unsigned)style & 0xFF;
    const char nsid[] = {'6', 'F', '6', '3', '7', '4', hex[code >> 4], hex[code & 15], '\0'};

    markup_raw(m, "\n");
    markup_open(m, "w:abstractNum");
    markup_attr_int(m, "w:abstractNumId", abstract_id);
    markup_val(m, "w:nsid", nsid);
    markup_val(m, "w:multiLevelType", "multilevel");
    for (int lvl = 0; lvl < 9; lvl++) {
        markup_open(m, "w:lvl");
        markup_attr_int(m, "w:ilvl", lvl);
        markup_val_int(m, "w:start", 1);
        markup_val(m, "w:numFmt", number_format(style));
        if (style == OCT_LIST_BULLET) {
            markup_val(m, "w:lvlText", bullets[lvl % 3]);
        } else {
            const char level_text[] = {'%', (char)('1' + lvl), '.', '\0'}; /* "%1." */
            markup_val(m, "w:lvlText", level_text);
        }
        markup_val(m, "w:lvlJc", "left");
        markup_open(m, "w:pPr");
        markup_open(m, "w:ind");
        markup_attr_int(m, "w:left", 720L * (lvl + 1));
        markup_attr(m, "w:hanging", "360");
        markup_close(m, "w:ind");
        markup_close(m, "w:pPr");
        markup_close(m, "w:lvl");
    }
    markup_close(m, "w:abstractNum");
}

/* Our numbering part as a standalone document. */
static oct_status own_numbering(const docx_numbering *n, int num_offset, int abstract_offset,
                                oct_xml *x)
{
    oct_status s = oct_xml_begin(x, 1);
    if (s != OCT_OK)
        return s;
    oct_xml_start(x, "w:numbering");
    oct_xml_attr(x, "xmlns:w", DOCX_NS_W);
    markup *m = malloc(sizeof *m);
    if (!m)
        return OCT_ERR_NOMEM;
    markup_init(m, x);
    int used[STYLE_COUNT] = {0};
    for (size_t i = 0; i < n->count; i++)
        used[n->lists[i].style] = 1;
    for (int st = 0; st < STYLE_COUNT; st++) {
        if (used[st])
            abstract_num(m, (oct_list_style)st, st + abstract_offset);
    }
    for (size_t i = 0; i < n->count; i++) {
        const docx_list_instance *l = &n->lists[i];
        markup_raw(m, "\n");
        markup_open(m, "w:num");
        markup_attr_int(m, "w:numId", (long)i + 1 + num_offset);
        markup_val_int(m, "w:abstractNumId", (long)l->style + abstract_offset);
        if (l->style != OCT_LIST_BULLET) {
            markup_open(m, "w:lvlOverride");
            markup_attr_int(m, "w:ilvl", l->level);
            markup_val_int(m, "w:startOverride", l->start);
            markup_close(m, "w:lvlOverride");
        }
        markup_close(m, "w:num");
    }
    markup_raw(m, "\n");
    markup_sync(m);
    free(m);
    oct_xml_end_element(x);
    return x->failed ? OCT_ERR_NOMEM : OCT_OK;
}

static long w_attr_long(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)DOCX_NS_W);
    long r = v ? strtol((const char *)v, NULL, 10) : 0;
    xmlFree(v);
    return r;
}

int docx_numbering_id_offset(const docx_refdoc *ref, int *abstract_offset)
{
    *abstract_offset = 0;
    xmlDoc *d = ref ? docx_parse_part(ref->numbering, ref->numbering_len) : NULL;
    if (!d)
        return 0;
    long max_num = 0, max_abstract = -1;
    xmlNode *root = xmlDocGetRootElement(d);
    for (xmlNode *c = root ? root->children : NULL; c; c = c->next) {
        if (docx_is_w(c, "num")) {
            long v = w_attr_long(c, "numId");
            if (v > max_num)
                max_num = v;
        } else if (docx_is_w(c, "abstractNum")) {
            long v = w_attr_long(c, "abstractNumId");
            if (v > max_abstract)
                max_abstract = v;
        }
    }
    xmlFreeDoc(d);
    if (max_num > 1000000 || max_abstract > 1000000)
        return 0;
    *abstract_offset = (int)max_abstract + 1;
    return (int)max_num;
}

/* Moves our abstract definitions and instances into the reference's part,
 * keeping the schema's order (abstractNum*, num*, numIdMacAtCleanup?). */
static oct_status merge(const docx_refdoc *ref, const char *ours, size_t ours_len,
                        docx_package *p)
{
    xmlDoc *dst = docx_parse_part(ref->numbering, ref->numbering_len);
    xmlDoc *src = docx_parse_part((const unsigned char *)ours, ours_len);
    oct_status s = OCT_ERR_NOMEM;
    if (!dst || !src)
        goto done;
    xmlNode *droot = xmlDocGetRootElement(dst), *sroot = xmlDocGetRootElement(src);
    if (!droot || !sroot || !docx_is_w(droot, "numbering"))
        goto done;
    xmlNode *first_num = NULL, *cleanup = NULL;
    for (xmlNode *c = droot->children; c; c = c->next) {
        if (!first_num && docx_is_w(c, "num"))
            first_num = c;
        if (docx_is_w(c, "numIdMacAtCleanup"))
            cleanup = c;
    }
    for (xmlNode *c = sroot->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        xmlNode *copy = xmlDocCopyNode(c, dst, 1);
        if (!copy)
            goto done;
        xmlNode *added;
        if (docx_is_w(c, "abstractNum"))
            added = first_num ? xmlAddPrevSibling(first_num, copy)
                              : cleanup ? xmlAddPrevSibling(cleanup, copy)
                                        : xmlAddChild(droot, copy);
        else
            added = cleanup ? xmlAddPrevSibling(cleanup, copy) : xmlAddChild(droot, copy);
        if (!added) {
            xmlFreeNode(copy);
            goto done;
        }
        xmlReconciliateNs(dst, added);
    }
    s = docx_package_add_doc(p, "word/numbering.xml", DOCX_CT_WML "numbering+xml", dst);
done:
    xmlFreeDoc(dst);
    xmlFreeDoc(src);
    return s;
}

oct_status docx_numbering_part(const docx_numbering *n, const docx_refdoc *ref,
                               docx_package *p)
{
    int abstract_offset = 0;
    int num_offset = docx_numbering_id_offset(ref, &abstract_offset);
    oct_xml x = {0};
    oct_status s = own_numbering(n, num_offset, abstract_offset, &x);
    if (s != OCT_OK) {
        oct_xml_free(&x);
        return s;
    }
    if (ref && ref->numbering) {
        const char *data = NULL;
        size_t len = 0;
        s = oct_xml_end(&x, &data, &len);
        if (s == OCT_OK)
            s = merge(ref, data, len, p);
        oct_xml_free(&x);
        return s;
    }
    return docx_package_add_xml(p, "word/numbering.xml", DOCX_CT_WML "numbering+xml", &x);
}
