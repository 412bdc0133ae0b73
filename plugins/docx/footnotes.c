/*
 * footnotes.c — word/footnotes.xml: the two separator notes Word expects,
 * then one w:footnote per definition, numbered 1.. in document order. Notes
 * render with the same block renderer as the body (story FOOTNOTE), into a
 * part with its own relationships for links and pictures.
 */
#include <stdlib.h>
#include <string.h>

#include "docx.h"

oct_status docx_footnotes_collect(docx_writer *w)
{
    size_t n = 0;
    const oct_node *root = oct_doc_root(w->doc);
    for (const oct_node *c = oct_node_first_child(root); c; c = oct_node_next(c)) {
        if (oct_node_get_type(c) == OCT_NODE_FOOTNOTE_DEF)
            n++;
    }
    if (!n)
        return OCT_OK;
    if (n > (1u << 24))
        return OCT_ERR_LIMIT;
    w->footnotes = calloc(n, sizeof *w->footnotes);
    w->footnote_used = calloc(n, 1);
    if (!w->footnotes || !w->footnote_used)
        return OCT_ERR_NOMEM;
    for (const oct_node *c = oct_node_first_child(root); c; c = oct_node_next(c)) {
        if (oct_node_get_type(c) != OCT_NODE_FOOTNOTE_DEF)
            continue;
        const char *label = oct_node_footnote_label(c);
        w->footnotes[w->footnote_count++] = c;
        if (label && !docx_map_get(&w->footnote_ids, label, NULL)) {
            oct_status s = docx_map_put(&w->footnote_ids, label, (int)w->footnote_count);
            if (s != OCT_OK)
                return s;
        }
    }
    return OCT_OK;
}

static void separator(oct_xml *x, const char *type, const char *id, const char *mark)
{
    oct_xml_start(x, "w:footnote");
    oct_xml_attr(x, "w:type", type);
    oct_xml_attr(x, "w:id", id);
    oct_xml_start(x, "w:p");
    oct_xml_start(x, "w:pPr");
    oct_xml_start(x, "w:spacing");
    oct_xml_attr(x, "w:after", "0");
    oct_xml_attr(x, "w:line", "240");
    oct_xml_attr(x, "w:lineRule", "auto");
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_start(x, "w:r");
    oct_xml_start(x, mark);
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_raw(x, "\n");
}

oct_status docx_footnotes_part(docx_writer *w)
{
    if (!w->footnote_count)
        return OCT_OK;
    docx_rels rels = {0};
    oct_xml x = {0};
    oct_status s = oct_xml_begin(&x, 1);
    if (s != OCT_OK)
        goto fail;
    oct_xml_start(&x, "w:footnotes");
    oct_xml_attr(&x, "xmlns:w", DOCX_NS_W);
    oct_xml_attr(&x, "xmlns:r", DOCX_NS_R);
    oct_xml_attr(&x, "xmlns:wp", DOCX_NS_WP);
    oct_xml_attr(&x, "xmlns:a", DOCX_NS_A);
    oct_xml_attr(&x, "xmlns:pic", DOCX_NS_PIC);
    oct_xml_raw(&x, "\n");
    separator(&x, "separator", "-1", "w:separator");
    separator(&x, "continuationSeparator", "0", "w:continuationSeparator");
    for (size_t i = 0; i < w->footnote_count; i++) {
        oct_xml_start(&x, "w:footnote");
        oct_xml_attrf(&x, "w:id", "%zu", i + 1);
        oct_xml_raw(&x, "\n");
        s = docx_render_blocks(w, &rels, &x, w->footnotes[i], DOCX_STORY_FOOTNOTE);
        if (s != OCT_OK)
            goto fail;
        oct_xml_end_element(&x);
        oct_xml_raw(&x, "\n");
    }
    oct_xml_end_element(&x);
    if (x.failed) {
        s = OCT_ERR_NOMEM;
        goto fail;
    }
    s = docx_package_add_xml(w->package, "word/footnotes.xml", DOCX_CT_WML "footnotes+xml", &x);
    if (s == OCT_OK && rels.count)
        s = docx_rels_add_part(w->package, "word/_rels/footnotes.xml.rels", &rels);
    docx_rels_free(&rels);
    return s == OCT_OK ? OCT_OK : docx_fail(w, s);
fail:
    oct_xml_free(&x);
    docx_rels_free(&rels);
    return docx_fail(w, s);
}
