/* dom.c — small questions asked of libxml2's HTML tree. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "html.h"

int html_is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

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

int html_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

const char *html_attr(const xmlNode *n, const char *name)
{
    if (!n || n->type != XML_ELEMENT_NODE)
        return NULL;
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (!a->name || strcasecmp((const char *)a->name, name) != 0)
            continue;
        /* The HTML parser stores a value as one text child (none for a bare
         * attribute such as <details open>). */
        if (a->children && a->children->type == XML_TEXT_NODE && a->children->content)
            return (const char *)a->children->content;
        return "";
    }
    return NULL;
}

static int has_token(const char *list, const char *token, int nocase)
{
    if (!list)
        return 0;
    const size_t n = strlen(token);
    const char *p = list;
    while (*p) {
        while (*p && html_is_space((unsigned char)*p))
            p++;
        const char *start = p;
        while (*p && !html_is_space((unsigned char)*p))
            p++;
        if ((size_t)(p - start) == n &&
            (nocase ? strncasecmp(start, token, n) : strncmp(start, token, n)) == 0)
            return 1;
    }
    return 0;
}

int html_has_class(const xmlNode *n, const char *token)
{
    return has_token(html_attr(n, "class"), token, 0);
}

int html_attr_has_token(const xmlNode *n, const char *attr, const char *token)
{
    return has_token(html_attr(n, attr), token, 1);
}

/* Looks for "property:value" in an inline style, ignoring spaces and case. */
static int style_says(const char *style, const char *property, const char *value)
{
    char flat[256];
    size_t n = 0;
    for (const char *p = style; *p && n + 1 < sizeof flat; p++)
        if (!html_is_space((unsigned char)*p))
            flat[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    flat[n] = '\0';
    char want[64];
    snprintf(want, sizeof want, "%s:%s", property, value);
    const char *hit = strstr(flat, want);
    /* "display:none" but not "xdisplay:none" (e.g. "-webkit-display"). */
    while (hit) {
        if (hit == flat || hit[-1] == ';' || hit[-1] == '{') {
            const char after = hit[strlen(want)];
            if (after == '\0' || after == ';' || after == '!')
                return 1;
        }
        hit = strstr(hit + 1, want);
    }
    return 0;
}

int html_is_hidden(const xmlNode *n)
{
    if (html_attr(n, "hidden"))
        return 1;
    const char *aria = html_attr(n, "aria-hidden");
    if (aria && strcasecmp(aria, "true") == 0)
        return 1;
    const char *style = html_attr(n, "style");
    return style && (style_says(style, "display", "none") ||
                     style_says(style, "visibility", "hidden"));
}

xmlNode *html_next(const xmlNode *root, const xmlNode *n, int skip_children)
{
    if (!skip_children && n->children && n->type != XML_ATTRIBUTE_NODE &&
        n->type != XML_ENTITY_REF_NODE)
        return n->children;
    while (n && n != root) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
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
