/* dom.c — small questions asked of libxml2's HTML tree. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "html.h"

const char *html_trim(const char *s, size_t *len)
{
    size_t n = strlen(s);
    while (n > 0 && html_is_space((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && html_is_space((unsigned char)s[n - 1]))
        n--;
    *len = n;
    return s;
}

/* a equals b, ignoring ASCII case. */
static int same_name(const xmlChar *a, const char *b)
{
    for (;; a++, b++) {
        const unsigned char x = (unsigned char)(*a >= 'A' && *a <= 'Z' ? *a + 32 : *a);
        const unsigned char y = (unsigned char)(*b >= 'A' && *b <= 'Z' ? *b + 32 : *b);
        if (x != y)
            return 0;
        if (!x)
            return 1;
    }
}

const char *html_attr(const xmlNode *n, const char *name)
{
    if (!n || n->type != XML_ELEMENT_NODE)
        return NULL;
    /* the first letter rules out most attributes */
    const unsigned char first = (unsigned char)name[0];
    const unsigned char other = first >= 'a' && first <= 'z'   ? (unsigned char)(first - 32)
                                : first >= 'A' && first <= 'Z' ? (unsigned char)(first + 32)
                                                               : first;
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (a->name && (a->name[0] == first || a->name[0] == other) && first &&
            same_name(a->name + 1, name + 1))
            return html_attr_text(a);
    return NULL;
}

const char *html_attr_text(const xmlAttr *a)
{
    /* The HTML parser stores a value as one text child (none for a bare
     * attribute such as <details open>). */
    if (a->children && a->children->type == XML_TEXT_NODE && a->children->content)
        return (const char *)a->children->content;
    return "";
}

static int fold(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

int html_list_has_token(const char *list, const char *token, int nocase)
{
    if (!list)
        return 0;
    const char *p = list;
    for (;;) {
        while (html_is_space((unsigned char)*p))
            p++;
        if (!*p)
            return 0;
        /* The word at p against token, then on to the next word. */
        const char *t = token;
        if (nocase)
            while (*t && fold((unsigned char)*p) == fold((unsigned char)*t)) {
                p++;
                t++;
            }
        else
            while (*t && *p == *t) {
                p++;
                t++;
            }
        if (!*t && (!*p || html_is_space((unsigned char)*p)))
            return 1;
        while (*p && !html_is_space((unsigned char)*p))
            p++;
    }
}

int html_has_class(const xmlNode *n, const char *token)
{
    return html_list_has_token(html_attr(n, "class"), token, 0);
}

int html_attr_has_token(const xmlNode *n, const char *attr, const char *token)
{
    return html_list_has_token(html_attr(n, attr), token, 1);
}

/* An inline style flattened for matching: lowercase, without whitespace,
 * cut at 255 bytes. */
static void flatten_style(const char *style, char flat[256])
{
    size_t n = 0;
    for (const char *p = style; *p && n + 1 < 256; p++)
        if (!html_is_space((unsigned char)*p))
            flat[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    flat[n] = '\0';
}

/* Whether the flattened style holds want ("display:none"), not as the tail
 * of a longer property ("-webkit-display:none") nor of a longer value. */
static int style_says(const char *flat, const char *want)
{
    const size_t n = strlen(want);
    for (const char *hit = strstr(flat, want); hit; hit = strstr(hit + 1, want)) {
        if (hit == flat || hit[-1] == ';' || hit[-1] == '{') {
            const char after = hit[n];
            if (after == '\0' || after == ';' || after == '!')
                return 1;
        }
    }
    return 0;
}

/* Both properties that hide, "display" and "visibility", end in 'y': a
 * style without a 'y' before a ':' (white space between allowed, as
 * flatten_style drops it) hides nothing, and most styles are such. */
static int names_y_property(const char *style)
{
    for (const char *p = strpbrk(style, "yY"); p; p = strpbrk(p + 1, "yY")) {
        const char *q = p + 1;
        while (html_is_space((unsigned char)*q))
            q++;
        if (*q == ':')
            return 1;
    }
    return 0;
}

/* One pass over the attributes (this runs for every element): hidden,
 * aria-hidden="true", or an inline style hiding the element. As with
 * html_attr, the first attribute of a name is the one that counts. */
int html_is_hidden(const xmlNode *n)
{
    if (!n || n->type != XML_ELEMENT_NODE)
        return 0;
    const xmlAttr *aria = NULL, *style = NULL;
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        const xmlChar *name = a->name;
        if (!name)
            continue;
        switch (name[0] | 0x20) {
        case 'h':
            if (html_name_is(name, "hidden"))
                return 1;
            break;
        case 'a':
            if (!aria && html_name_is(name, "aria-hidden"))
                aria = a;
            break;
        case 's':
            if (!style && html_name_is(name, "style"))
                style = a;
            break;
        default:
            break;
        }
    }
    if (aria && strcasecmp(html_attr_text(aria), "true") == 0)
        return 1;
    if (!style || !names_y_property(html_attr_text(style)))
        return 0;
    char flat[256];
    flatten_style(html_attr_text(style), flat);
    return style_says(flat, "display:none") || style_says(flat, "visibility:hidden");
}

xmlNode *html_find_descendant(const xmlNode *root, const char *name, size_t max_nodes)
{
    size_t seen = 0;
    for (xmlNode *n = root->children ? root->children : NULL; n && seen < max_nodes;
         n = html_next(root, n, 0), seen++)
        if (html_is(n, name))
            return n;
    return NULL;
}

xmlNode *html_body(xmlDocPtr doc)
{
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root)
        return NULL;
    for (xmlNode *c = root->children; c; c = c->next)
        if (html_is(c, "body"))
            return c;
    return root;
}
