/*
 * sax_tree.c — the page's libxml2 tree, built by our own SAX handlers.
 *
 * Why: libxml2's HTML parser hands its events to the generic SAX2 tree
 * builder, which does for every element and attribute work an HTML page
 * never needs: it splits and copies the name twice, looks for namespaces,
 * asks the (empty) DTD to normalise each attribute value, registers id and
 * name attributes in a hash table of IDs, and walks the attribute list to
 * its end for every attribute. On the debian-reference book that was about
 * a tenth of the whole conversion. The handlers here build the same tree —
 * the same nodes, names, attribute values as text children, line numbers
 * and text runs — with one allocation per node and per text.
 *
 * What the tree must stay:
 *  - Freeable by xmlFreeDoc and xmlFreeNode: every node and content is its
 *    own xmlMalloc block. Element and attribute names are the parser's
 *    dictionary's, which the document keeps (libxml2 gives an HTML document
 *    none, and copies every name): libxml2 frees a name only when the
 *    document's dictionary does not own it.
 *  - The same depth limit: elements go on the parser's node stack
 *    (nodePush, nodePop), as libxml2's handlers put them.
 *  - ctxt->node left NULL between events: the open element is kept in our
 *    own state instead. In libxml2 2.9 the HTML parser reads ctxt->node in
 *    one place, areBlanks, which for every white-space-only text compares
 *    the open element's last child against some fifty tag names (a
 *    twentieth of a whole book conversion). With the default keepBlanks
 *    its answer changes nothing there: blank or not, the text goes to
 *    characters(), and the implied <p> it could add is only for text
 *    directly in html or head, which areBlanks decides before it looks at
 *    ctxt->node. libxml2's own comment and PI handlers, which do need it,
 *    are given it for their call.
 *  - ctxt->nodelen / nodemem describe the text node being extended, as
 *    libxml2's handlers keep them.
 *  - Without the ID table (nothing in the reader asks for IDs) and without
 *    namespaces: the HTML parser never makes one, and neither do we.
 * Comments, processing instructions and the DOCTYPE stay with libxml2.
 */
#include <limits.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>

#include "html.h"

/* Carried in ctxt->_private: the handlers' own failure. */
typedef struct tree_state {
    int out_of_memory;
    xmlNodePtr open; /* the top of the parser's node stack; ctxt->node stays NULL */
} tree_state;

/* The node stack moved by nodePush or nodePop: its top becomes ours. */
static void take_open_node(xmlParserCtxtPtr ctxt)
{
    tree_state *state = ctxt->_private;
    state->open = ctxt->node;
    ctxt->node = NULL;
}

/* As libxml2 does on a failed allocation: no more events, the parse ends. */
static void stop_out_of_memory(xmlParserCtxtPtr ctxt)
{
    tree_state *state = ctxt->_private;
    state->out_of_memory = 1;
    ctxt->errNo = XML_ERR_NO_MEMORY;
    ctxt->instate = XML_PARSER_EOF;
    ctxt->disableSAX = 1;
}

/* A string of the tree, as its own block (strlen: the parser's
 * strings hold no NUL, and pages are bounded below INT_MAX bytes). */
static xmlChar *copy_string(const xmlChar *s)
{
    return xmlStrndup(s, (int)strlen((const char *)s));
}

/* An element or attribute name: the parser's dictionary's copy when the
 * document keeps that dictionary (start_document), else a block of its own,
 * which is what xmlFreeNode will then free. */
static const xmlChar *tree_name(xmlParserCtxtPtr ctxt, const xmlChar *name)
{
    const xmlDoc *doc = ctxt->myDoc;
    if (doc && doc->dict && doc->dict == ctxt->dict)
        return xmlDictLookup(ctxt->dict, name, -1);
    return copy_string(name);
}

/* block, if any, made an empty node of the given type. */
static xmlNodePtr as_node(void *block, xmlElementType type)
{
    xmlNodePtr n = block;
    if (n)
        *n = (xmlNode){.type = type};
    return n;
}

/* A node of the tree (page_memory.c keeps them together, in the order they
 * are made). */
static xmlNodePtr new_node(xmlElementType type)
{
    return as_node(xmlMalloc(sizeof(xmlNode)), type);
}

static xmlAttrPtr new_attribute(void)
{
    xmlAttrPtr a = xmlMalloc(sizeof *a);
    if (a)
        *a = (xmlAttr){.type = XML_ATTRIBUTE_NODE};
    return a;
}

/* The name libxml2's SAX2 gives an element named "p:x" in an HTML page: the
 * part after the first colon, unless the colon comes first or last. */
static const xmlChar *element_name(const xmlChar *qname)
{
    if (qname[0] == ':')
        return qname;
    const xmlChar *colon = (const xmlChar *)strchr((const char *)qname, ':');
    return colon && colon[1] ? colon + 1 : qname;
}

/* libxml2 keeps 16 bits of line number in a node. */
static unsigned short current_line(const xmlParserCtxt *ctxt)
{
    if (!ctxt->linenumbers || !ctxt->input)
        return 0;
    return ctxt->input->line < USHRT_MAX ? (unsigned short)ctxt->input->line : USHRT_MAX;
}

static void append_child(xmlNodePtr parent, xmlNodePtr child)
{
    child->parent = parent;
    if (parent->last) {
        parent->last->next = child;
        child->prev = parent->last;
    } else {
        parent->children = child;
    }
    parent->last = child;
}

/* An attribute as libxml2 makes one in an HTML page: a bare boolean
 * attribute ("checked") gets its own name as value, any other bare one no
 * value (no text child) at all. Appended after *tail. */
static int add_attribute(xmlParserCtxtPtr ctxt, xmlNodePtr element, xmlAttrPtr *tail,
                         const xmlChar *name, const xmlChar *value)
{
    xmlAttrPtr attr = new_attribute();
    if (!attr)
        return 0;
    attr->name = tree_name(ctxt, name);
    if (!attr->name) {
        xmlFree(attr);
        return 0;
    }
    attr->parent = element;
    attr->doc = element->doc;
    if (*tail) {
        (*tail)->next = attr;
        attr->prev = *tail;
    } else {
        element->properties = attr;
    }
    *tail = attr;
    if (!value && htmlIsBooleanAttr(name))
        value = name;
    if (!value)
        return 1;
    /* The value's text node stays beside its attribute, apart from the
     * tree's own nodes. */
    xmlNodePtr text = as_node(html_page_memory_aside(sizeof(xmlNode)), XML_TEXT_NODE);
    if (!text)
        return 0;
    text->name = xmlStringText;
    text->doc = element->doc;
    text->parent = (xmlNodePtr)attr;
    text->content = copy_string(value);
    attr->children = attr->last = text;
    return text->content != NULL;
}

static void start_element(void *user, const xmlChar *qname, const xmlChar **atts)
{
    xmlParserCtxtPtr ctxt = user;
    xmlDocPtr doc = ctxt->myDoc;
    if (!qname || !doc)
        return;
    xmlNodePtr element = new_node(XML_ELEMENT_NODE);
    if (!element) {
        stop_out_of_memory(ctxt);
        return;
    }
    element->doc = doc;
    element->name = tree_name(ctxt, element_name(qname));
    if (!element->name) {
        xmlFree(element);
        stop_out_of_memory(ctxt);
        return;
    }
    element->line = current_line(ctxt);
    /* Where SAX2 puts it: the first element is the document's root; with no
     * open element (content after </html>) it goes into the document's
     * first child when that is an element, else after it. */
    xmlNodePtr parent = ((tree_state *)ctxt->_private)->open;
    if (!doc->children)
        xmlAddChild((xmlNodePtr)doc, element);
    else if (!parent)
        parent = doc->children;
    ctxt->nodemem = -1;
    const int pushed = nodePush(ctxt, element);
    take_open_node(ctxt);
    if (pushed < 0) {
        xmlUnlinkNode(element);
        xmlFreeNode(element);
        return;
    }
    if (parent) {
        if (parent->type == XML_ELEMENT_NODE)
            append_child(parent, element);
        else
            xmlAddSibling(parent, element);
    }
    if (!atts)
        return;
    xmlAttrPtr tail = NULL;
    for (size_t i = 0; atts[i]; i += 2)
        if (!add_attribute(ctxt, element, &tail, atts[i], atts[i + 1])) {
            stop_out_of_memory(ctxt);
            return;
        }
}

static void end_element(void *user, const xmlChar *name)
{
    (void)name;
    xmlParserCtxtPtr ctxt = user;
    ctxt->nodemem = -1;
    nodePop(ctxt);
    take_open_node(ctxt);
}

/* A text or CDATA node as SAX2 makes it (only text nodes get a line). */
static xmlNodePtr new_text(xmlParserCtxtPtr ctxt, const xmlChar *ch, int len,
                           xmlElementType type)
{
    xmlNodePtr text = new_node(type);
    if (!text)
        return NULL;
    if (type == XML_TEXT_NODE) {
        text->name = xmlStringText;
        text->line = current_line(ctxt);
    }
    text->content = xmlStrndup(ch, len);
    if (!text->content) {
        xmlFree(text);
        return NULL;
    }
    return text;
}

/* Appends characters to the open element: to its last child when that is
 * a text of the same kind (the parser reports a run in pieces: split at
 * references and every 1,000 bytes), else as a new node. nodelen and
 * nodemem are the length and capacity of the text being extended; -1
 * after a tag, when a new text may not be grown in place. */
static void add_characters(xmlParserCtxtPtr ctxt, const xmlChar *ch, int len,
                           xmlElementType type)
{
    xmlNodePtr parent = ((tree_state *)ctxt->_private)->open;
    if (!parent || len < 0)
        return;
    xmlNodePtr last = parent->last;
    const int extends = last && last->type == type &&
                        (type != XML_TEXT_NODE || last->name == xmlStringText);
    if (!extends) {
        xmlNodePtr text = new_text(ctxt, ch, len, type);
        if (!text) {
            stop_out_of_memory(ctxt);
            return;
        }
        text->doc = parent->doc;
        append_child(parent, text);
        ctxt->nodelen = len;
        ctxt->nodemem = len + 1;
        return;
    }
    /* libxml2 never leaves a text last after a tag, so the counts describe
     * it; should they not, measure rather than trust them. */
    if (ctxt->nodemem <= 0 || !last->content) {
        const size_t have = last->content ? strlen((const char *)last->content) : 0;
        if (have >= INT_MAX) {
            stop_out_of_memory(ctxt);
            return;
        }
        ctxt->nodelen = (int)have;
        ctxt->nodemem = (int)have + 1;
        if (!last->content && !(last->content = xmlStrndup(BAD_CAST "", 0))) {
            stop_out_of_memory(ctxt);
            return;
        }
    }
    const size_t need = (size_t)ctxt->nodelen + (size_t)len + 1;
    if (need > (size_t)ctxt->nodemem) {
        size_t size = ((size_t)ctxt->nodemem + (size_t)len) * 2;
        if (size > INT_MAX)
            size = need;
        xmlChar *grown = size <= INT_MAX ? xmlRealloc(last->content, size) : NULL;
        if (!grown) {
            stop_out_of_memory(ctxt);
            return;
        }
        last->content = grown;
        ctxt->nodemem = (int)size;
    }
    memcpy(last->content + ctxt->nodelen, ch, (size_t)len);
    ctxt->nodelen += len;
    last->content[ctxt->nodelen] = 0;
}

static void characters(void *user, const xmlChar *ch, int len)
{
    add_characters(user, ch, len, XML_TEXT_NODE);
}

/* The content of script and style. */
static void cdata_block(void *user, const xmlChar *ch, int len)
{
    add_characters(user, ch, len, XML_CDATA_SECTION_NODE);
}

/* libxml2's document, which shares the parser's dictionary: element and
 * attribute names are then one copy each for the whole page, which the
 * passes over the tree read from cache, and libxml2 frees and renames them
 * knowing they are the dictionary's (xmlFreeNode, xmlNodeSetName). */
static void start_document(void *user)
{
    xmlParserCtxtPtr ctxt = user;
    xmlSAX2StartDocument(ctxt);
    xmlDocPtr doc = ctxt->myDoc;
    if (doc && !doc->dict && ctxt->dict) {
        doc->dict = ctxt->dict;
        xmlDictReference(doc->dict);
    }
}

/* libxml2's handlers, which place the node under ctxt->node. */
static void comment(void *user, const xmlChar *value)
{
    xmlParserCtxtPtr ctxt = user;
    ctxt->node = ((tree_state *)ctxt->_private)->open;
    xmlSAX2Comment(ctxt, value);
    ctxt->node = NULL;
}

static void processing_instruction(void *user, const xmlChar *target, const xmlChar *data)
{
    xmlParserCtxtPtr ctxt = user;
    ctxt->node = ((tree_state *)ctxt->_private)->open;
    xmlSAX2ProcessingInstruction(ctxt, target, data);
    ctxt->node = NULL;
}

oct_status html_tree_parse(const char *text, size_t len, const char *url, int options,
                           xmlDocPtr *out)
{
    *out = NULL;
    /* As htmlReadMemory: no bytes, no tree. */
    if (len == 0)
        return OCT_OK;
    if (len > INT_MAX)
        return OCT_ERR_LIMIT;
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (!ctxt)
        return OCT_ERR_NOMEM;
    tree_state state = {0};
    ctxt->_private = &state;
    ctxt->sax->startDocument = start_document;
    ctxt->sax->startElement = start_element;
    ctxt->sax->endElement = end_element;
    ctxt->sax->characters = characters;
    ctxt->sax->cdataBlock = cdata_block;
    ctxt->sax->comment = comment;
    ctxt->sax->processingInstruction = processing_instruction;
    xmlDocPtr dom = htmlCtxtReadMemory(ctxt, text, (int)len, url, "UTF-8", options);
    /* libxml2's own allocations can fail too: it then stops early, and the
     * tree would silently lack the rest of the page. */
    if (ctxt->errNo == XML_ERR_NO_MEMORY)
        state.out_of_memory = 1;
    htmlFreeParserCtxt(ctxt);
    if (state.out_of_memory) {
        xmlFreeDoc(dom);
        return OCT_ERR_NOMEM;
    }
    *out = dom;
    return OCT_OK;
}
