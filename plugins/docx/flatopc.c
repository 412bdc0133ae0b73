/*
 * flatopc.c — the package as one Flat OPC document (pkg:package), which
 * Word opens directly: XML parts are embedded as they are (without their XML
 * declaration), binary parts as base64 in 76-column lines. [Content_Types].xml
 * has no part of its own here; every part carries its content type. The
 * result is byte for byte what the shared checker's docx2flatopc.py makes
 * of the zip, so either can be diffed against the other.
 */
#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "docx.h"

#define NS_PKG "http://schemas.microsoft.com/office/2006/xmlPackage"

/* Base64 in lines of 76 characters, each ending with a newline (RFC 2045
 * style, as Python's base64.encodebytes writes it). */
static void write_base64(oct_xml *x, const unsigned char *data, size_t len)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char line[80];
    size_t used = 0;
    for (size_t i = 0; i < len && !x->failed; i += 3) {
        unsigned v = (unsigned)data[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)data[i + 1] << 8;
        if (i + 2 < len)
            v |= data[i + 2];
        line[used++] = digits[(v >> 18) & 63];
        line[used++] = digits[(v >> 12) & 63];
        line[used++] = i + 1 < len ? digits[(v >> 6) & 63] : '=';
        line[used++] = i + 2 < len ? digits[v & 63] : '=';
        if (used == 76 || i + 3 >= len) {
            line[used++] = '\n';
            if (xmlTextWriterWriteRawLen(x->w, (const xmlChar *)line, (int)used) < 0)
                x->failed = 1;
            used = 0;
        }
    }
}

oct_status docx_write_flat(const docx_package *p, oct_sink *sink, oct_error *err)
{
    oct_xml x = {0};
    oct_status s = oct_xml_begin(&x, 1);
    if (s != OCT_OK)
        goto fail;
    if (xmlTextWriterWritePI(x.w, (const xmlChar *)"mso-application",
                             (const xmlChar *)"progid=\"Word.Document\"") < 0)
        x.failed = 1;
    oct_xml_raw(&x, "\n");
    oct_xml_start(&x, "pkg:package");
    oct_xml_attr(&x, "xmlns:pkg", NS_PKG);
    for (size_t i = 0; i < p->count && !x.failed; i++) {
        const docx_part *part = &p->parts[i];
        if (strcmp(part->name, "[Content_Types].xml") == 0)
            continue;
        char name[512];
        snprintf(name, sizeof name, "/%s", part->name);
        oct_xml_raw(&x, "\n");
        oct_xml_start(&x, "pkg:part");
        oct_xml_attr(&x, "pkg:name", name);
        oct_xml_attr(&x, "pkg:contentType", part->content_type);
        /* Word pads relationship parts so it can add to them in place */
        if (strcmp(part->content_type, "application/vnd.openxmlformats-package.relationships+xml") == 0)
            oct_xml_attr(&x, "pkg:padding", "256");
        if (part->is_xml) {
            size_t off = docx_xml_body_offset(part->data, part->len);
            oct_xml_start(&x, "pkg:xmlData");
            if (part->len > off &&
                xmlTextWriterWriteRawLen(x.w, (const xmlChar *)part->data + off,
                                         (int)(part->len - off)) < 0)
                x.failed = 1;
            oct_xml_end_element(&x);
        } else {
            oct_xml_attr(&x, "pkg:compression", "store");
            oct_xml_start(&x, "pkg:binaryData");
            write_base64(&x, part->data, part->len);
            oct_xml_end_element(&x);
        }
        oct_xml_end_element(&x);
    }
    oct_xml_raw(&x, "\n");
    oct_xml_end_element(&x);
    const char *data = NULL;
    size_t len = 0;
    if ((s = oct_xml_end(&x, &data, &len)) != OCT_OK)
        goto fail;
    s = oct_sink_write(sink, data, len);
    oct_xml_free(&x);
    if (s != OCT_OK)
        return oct_error_set(err, s, "docx-xml", 0, "cannot write the Flat OPC document");
    return OCT_OK;
fail:
    oct_xml_free(&x);
    return oct_error_set(err, s == OCT_OK ? OCT_ERR_NOMEM : s, "docx-xml", 0,
                         "cannot serialise the Flat OPC document");
}
