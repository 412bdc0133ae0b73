/* url.c — where links and images point, seen from the document. */
#include <stdlib.h>
#include <string.h>

#include <libxml/uri.h>

#include "bytewords.h"
#include "html.h"

static int has_scheme(const char *s)
{
    if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
        return 0;
    const char *p = s + 1;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '+' || *p == '-' || *p == '.')
        p++;
    /* "C:\dir" is a Windows path, not a scheme. */
    return *p == ':' && p - s > 1;
}

/* A copy of ref without surrounding whitespace and without the tabs and
 * newlines that URL parsing ignores (hrefs wrapped over lines). */
static char *clean_copy(const char *ref)
{
    size_t len;
    const char *s = html_trim(ref, &len);
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            out[n++] = s[i];
    out[n] = '\0';
    return out;
}

void html_base_init(html_base *b, xmlDocPtr dom, const oct_input *in, const oct_doc *doc)
{
    memset(b, 0, sizeof *b);
    const char *doc_base = oct_doc_base(doc);
    if (in->url && has_scheme(in->url))
        b->url = strdup(in->url);
    else if (doc_base && has_scheme(doc_base))
        b->url = strdup(doc_base);
    if (b->url)
        b->doc_url = strdup(b->url);
    if (in->path)
        b->path = strdup(in->path);
    else if (doc_base && !has_scheme(doc_base))
        b->path = strdup(doc_base);

    /* <base> belongs in <head>; looking only there keeps big pages cheap. */
    xmlNode *root = xmlDocGetRootElement(dom);
    xmlNode *head = NULL;
    for (xmlNode *c = root ? root->children : NULL; c && !head; c = c->next)
        if (html_is(c, "head"))
            head = c;
    xmlNode *base = head ? html_find_descendant(head, "base", 10000) : NULL;
    const char *href = base ? html_attr(base, "href") : NULL;
    if (!href)
        return;
    char *clean = clean_copy(href);
    if (!clean || !*clean) {
        free(clean);
        return;
    }
    if (has_scheme(clean)) {
        free(b->url);
        b->url = clean;
    } else if (b->url) {
        xmlChar *abs = xmlBuildURI((const xmlChar *)clean, (const xmlChar *)b->url);
        if (abs) {
            free(b->url);
            b->url = strdup((const char *)abs);
            xmlFree(abs);
        }
        free(clean);
    } else {
        /* A relative <base> in a local file: references stay relative. */
        free(clean);
    }
}

void html_base_free(html_base *b)
{
    free(b->url);
    free(b->doc_url);
    free(b->path);
    memset(b, 0, sizeof *b);
}

/* No byte below '!' (no white space to trim or drop): the reference is
 * used as it stands, without a cleaned copy. Nearly every one is so. */
static int is_clean(const char *s, size_t len)
{
    size_t i = 0;
    for (; len - i >= 8; i += 8)
        if (oct_word_below(oct_word_load(s + i), '!'))
            return 0;
    for (; i < len; i++)
        if ((unsigned char)s[i] < '!')
            return 0;
    return 1;
}

/* s starts with prefix (lowercase ASCII), ignoring ASCII case. */
static int starts_with(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if ((*s >= 'A' && *s <= 'Z' ? *s + 32 : *s) != *prefix)
            return 0;
    return 1;
}

static const char *resolve_clean(const html_base *b, oct_doc *doc, const char *clean, size_t len)
{
    if (!len || starts_with(clean, "javascript:"))
        return NULL;
    if (clean[0] == '#' || starts_with(clean, "data:"))
        return oct_doc_strndup(doc, clean, len);
    if (b->url) {
        xmlChar *abs = xmlBuildURI((const xmlChar *)clean, (const xmlChar *)b->url);
        const char *s = abs ? (const char *)abs : clean;
        const char *result = oct_doc_strndup(doc, s, abs ? strlen(s) : len);
        xmlFree(abs);
        return result;
    }
    if (clean[0] == '/' && clean[1] == '/') {
        /* Protocol-relative in a local file: the web would use https. */
        char *withscheme = malloc(len + 7);
        if (!withscheme)
            return NULL;
        memcpy(withscheme, "https:", 6);
        memcpy(withscheme + 6, clean, len + 1);
        const char *result = oct_doc_strndup(doc, withscheme, len + 6);
        free(withscheme);
        return result;
    }
    return oct_doc_strndup(doc, clean, len);
}

const char *html_resolve(const html_base *b, oct_doc *doc, const char *ref)
{
    if (!ref)
        return NULL;
    const size_t len = strlen(ref);
    if (is_clean(ref, len))
        return resolve_clean(b, doc, ref, len);
    char *clean = clean_copy(ref);
    if (!clean)
        return NULL;
    const char *result = resolve_clean(b, doc, clean, strlen(clean));
    free(clean);
    return result;
}
