/*
 * xmlpart.c — reading and re-serialising the XML parts of a reference
 * docx with libxml2 (never fetching, no entity expansion).
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "docx.h"

int docx_is_w(const xmlNode *n, const char *local)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, DOCX_NS_W) == 0 &&
           (!local || strcmp((const char *)n->name, local) == 0);
}

xmlDoc *docx_parse_part(const unsigned char *data, size_t len)
{
    if (!data || !len || len > INT32_MAX)
        return NULL;
    return xmlReadMemory((const char *)data, (int)len, "part.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
}

oct_status docx_package_add_doc(docx_package *p, const char *name, const char *content_type,
                                xmlDoc *doc)
{
    xmlChar *mem = NULL;
    int size = 0;
    doc->standalone = 1;
    xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
    if (!mem || size < 0) {
        xmlFree(mem);
        return OCT_ERR_NOMEM;
    }
    while (size > 0 && mem[size - 1] == '\n')
        size--;
    unsigned char *copy = malloc((size_t)size + 1);
    if (copy)
        memcpy(copy, mem, (size_t)size);
    xmlFree(mem);
    if (!copy)
        return OCT_ERR_NOMEM;
    return docx_package_add(p, name, content_type, copy, (size_t)size, 1, 1);
}
