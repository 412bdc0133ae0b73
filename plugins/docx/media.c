/*
 * media.c — pictures: each image resource stored once under word/media/,
 * referenced from an inline DrawingML picture sized from its pixel size at
 * 96 dpi (or the size the source asked for) and scaled down to fit the text
 * area. Formats Word cannot show without extensions (SVG, WebP) fall back to
 * the alternative text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx.h"

#define EMU_PER_PIXEL 9525.0 /* 914400 EMU per inch / 96 px per inch */
#define EMU_PER_TWIP 635.0
#define DEFAULT_WIDTH_PX 320
#define DEFAULT_HEIGHT_PX 240

static int embeddable(const char *media_type, int *compressed)
{
    static const char *const already[] = {"image/png", "image/jpeg", "image/gif", NULL};
    static const char *const plain[] = {"image/bmp", "image/tiff", NULL};
    if (!media_type)
        return 0;
    for (int i = 0; already[i]; i++) {
        if (strcmp(media_type, already[i]) == 0) {
            *compressed = 1;
            return 1;
        }
    }
    for (int i = 0; plain[i]; i++) {
        if (strcmp(media_type, plain[i]) == 0) {
            *compressed = 0;
            return 1;
        }
    }
    return 0;
}

/* Display size in EMU: the source's size, else the pixel size, keeping the
 * aspect ratio, shrunk to the text area. */
static void extent(const docx_writer *w, const oct_node *image, const oct_resource *res,
                   long long *cx, long long *cy)
{
    double rw = oct_resource_width(res), rh = oct_resource_height(res);
    double width = oct_node_image_width(image), height = oct_node_image_height(image);
    if (width > 0 && height <= 0 && rw > 0 && rh > 0)
        height = width * rh / rw;
    else if (height > 0 && width <= 0 && rw > 0 && rh > 0)
        width = height * rw / rh;
    if (width <= 0 || height <= 0) {
        width = rw;
        height = rh;
    }
    if (width <= 0 || height <= 0) {
        width = DEFAULT_WIDTH_PX;
        height = DEFAULT_HEIGHT_PX;
    }
    double ex = width * EMU_PER_PIXEL, ey = height * EMU_PER_PIXEL;
    double max_x = docx_page_text_width(&w->page) * EMU_PER_TWIP;
    double max_y = docx_page_text_height(&w->page) * EMU_PER_TWIP;
    if (ex > max_x) {
        ey = ey * max_x / ex;
        ex = max_x;
    }
    if (ey > max_y) {
        ex = ex * max_y / ey;
        ey = max_y;
    }
    *cx = ex < 1 ? 1 : (long long)ex;
    *cy = ey < 1 ? 1 : (long long)ey;
}

int docx_media_drawing(docx_writer *w, docx_rels *rels, markup *m, const oct_node *image)
{
    oct_resource *res = oct_node_image_resource(image);
    if (!res)
        return 0;
    int compressed = 0;
    const char *media_type = oct_resource_media_type(res);
    if (!embeddable(media_type, &compressed)) {
        if (!w->warned_image) {
            w->warned_image = 1;
            oct_warn(w->ctx, "docx: %s images cannot be embedded; their alternative text is used",
                     media_type ? media_type : "unknown");
        }
        return 0;
    }
    const char *ext = oct_resource_extension(res);
    char target[160];
    snprintf(target, sizeof target, "media/%.64s.%.16s", oct_resource_id(res),
             ext && *ext ? ext : "bin");
    if (!docx_map_get(&w->media, target, NULL)) {
        char part[180];
        size_t len = 0;
        const unsigned char *data = oct_resource_data(res, &len);
        snprintf(part, sizeof part, "word/%s", target);
        /* the bytes stay the document's: the part borrows them */
        if (docx_package_add(w->package, part, media_type, (unsigned char *)data, len, 0, 0) !=
                OCT_OK ||
            docx_map_put(&w->media, target, 1) != OCT_OK) {
            docx_fail(w, OCT_ERR_NOMEM);
            return 0;
        }
        w->package->parts[w->package->count - 1].compress = !compressed;
    }
    int rid = docx_rels_get(rels, "image", target, 0);
    if (!rid) {
        docx_fail(w, OCT_ERR_NOMEM);
        return 0;
    }
    long long cx, cy;
    extent(w, image, res, &cx, &cy);
    int id = w->next_drawing_id++;
    const char *alt = oct_node_image_alt(image);
    const char *title = oct_node_title(image);

    /* only now is it certain something follows an element m holds open */
    markup_sync(m);
    oct_xml *x = m->x;
    oct_xml_start(x, "w:r");
    oct_xml_start(x, "w:drawing");
    oct_xml_start(x, "wp:inline");
    oct_xml_attr(x, "distT", "0");
    oct_xml_attr(x, "distB", "0");
    oct_xml_attr(x, "distL", "0");
    oct_xml_attr(x, "distR", "0");
    oct_xml_start(x, "wp:extent");
    oct_xml_attrf(x, "cx", "%lld", cx);
    oct_xml_attrf(x, "cy", "%lld", cy);
    oct_xml_end_element(x);
    oct_xml_start(x, "wp:effectExtent");
    oct_xml_attr(x, "l", "0");
    oct_xml_attr(x, "t", "0");
    oct_xml_attr(x, "r", "0");
    oct_xml_attr(x, "b", "0");
    oct_xml_end_element(x);
    oct_xml_start(x, "wp:docPr");
    oct_xml_attrf(x, "id", "%d", id);
    oct_xml_attrf(x, "name", "Picture %d", id);
    if (alt && *alt)
        oct_xml_attr(x, "descr", alt);
    if (title && *title)
        oct_xml_attr(x, "title", title);
    oct_xml_end_element(x);
    oct_xml_start(x, "wp:cNvGraphicFramePr");
    oct_xml_start(x, "a:graphicFrameLocks");
    oct_xml_attr(x, "noChangeAspect", "1");
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_start(x, "a:graphic");
    oct_xml_start(x, "a:graphicData");
    oct_xml_attr(x, "uri", DOCX_NS_PIC);
    oct_xml_start(x, "pic:pic");
    oct_xml_start(x, "pic:nvPicPr");
    oct_xml_start(x, "pic:cNvPr");
    oct_xml_attr(x, "id", "0");
    oct_xml_attr(x, "name", target + 6);
    oct_xml_end_element(x);
    oct_xml_start(x, "pic:cNvPicPr");
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_start(x, "pic:blipFill");
    oct_xml_start(x, "a:blip");
    oct_xml_attrf(x, "r:embed", "rId%d", rid);
    oct_xml_end_element(x);
    oct_xml_start(x, "a:stretch");
    oct_xml_start(x, "a:fillRect");
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_start(x, "pic:spPr");
    oct_xml_attr(x, "bwMode", "auto");
    oct_xml_start(x, "a:xfrm");
    oct_xml_start(x, "a:off");
    oct_xml_attr(x, "x", "0");
    oct_xml_attr(x, "y", "0");
    oct_xml_end_element(x);
    oct_xml_start(x, "a:ext");
    oct_xml_attrf(x, "cx", "%lld", cx);
    oct_xml_attrf(x, "cy", "%lld", cy);
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_start(x, "a:prstGeom");
    oct_xml_attr(x, "prst", "rect");
    oct_xml_start(x, "a:avLst");
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_end_element(x); /* spPr */
    oct_xml_end_element(x); /* pic */
    oct_xml_end_element(x); /* graphicData */
    oct_xml_end_element(x); /* graphic */
    oct_xml_end_element(x); /* inline */
    oct_xml_end_element(x); /* drawing */
    oct_xml_end_element(x); /* r */
    return 1;
}
