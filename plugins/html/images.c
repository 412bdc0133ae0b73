/* images.c — which URL an <img> or <picture> stands for. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"

/* Wider than this is more than any reading surface needs; among larger
 * candidates the smallest wins. */
#define PREFERRED_MAX_WIDTH 2000
/* Width assumed for a density descriptor when the img gives none. */
#define DEFAULT_WIDTH 600
#define MAX_SOURCES 32

/* Attributes lazy-loading scripts keep the real image in, most specific first. */
static const char *const lazy_srcset_attrs[] = {"data-srcset", "data-lazy-srcset", NULL};
static const char *const lazy_src_attrs[] = {"data-src",     "data-lazy-src", "data-original",
                                             "data-hi-res-src", "data-full-src", "data-url",
                                             NULL};

/* A URL bigger than this (a data: URI of a whole photo) is not taken. */
#define MAX_URL_BYTES ((size_t)16 << 20)

typedef struct candidate {
    const char *url; /* points into an attribute value of the DOM */
    size_t len;
    long score;      /* effective width in pixels */
    int found;
} candidate;

static int looks_like_url(const char *s)
{
    size_t len;
    s = html_trim(s, &len);
    if (len == 0 || len >= MAX_URL_BYTES)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (html_is_space((unsigned char)s[i]))
            return 0;
    return memchr(s, '/', len) || memchr(s, '.', len) || strncasecmp(s, "data:", 5) == 0;
}

static int is_placeholder_src(const char *src)
{
    size_t len;
    src = html_trim(src, &len);
    if (len == 0)
        return 1;
    /* A 1x1 GIF or a tiny SVG shown until a script swaps in the image. */
    if (strncasecmp(src, "data:", 5) == 0 && len < 256)
        return 1;
    return strstr(src, "blank.gif") || strstr(src, "spacer.gif") || strstr(src, "placeholder") ||
           strstr(src, "lazy-load") || strstr(src, "lazyload");
}

static void offer(candidate *best, const char *url, size_t url_len, long score)
{
    if (url_len == 0 || url_len >= MAX_URL_BYTES)
        return;
    int better;
    if (!best->found)
        better = 1;
    else if (best->score <= PREFERRED_MAX_WIDTH)
        better = score > best->score && score <= PREFERRED_MAX_WIDTH;
    else
        better = score < best->score;
    if (!better)
        return;
    best->url = url;
    best->len = url_len;
    best->score = score;
    best->found = 1;
}

/* The srcset grammar: URL, then descriptors up to a comma outside
 * parentheses; a URL ending in commas has none. */
static void offer_srcset(candidate *best, const char *srcset, long base_width)
{
    const char *p = srcset;
    while (*p) {
        while (*p && (html_is_space((unsigned char)*p) || *p == ','))
            p++;
        if (!*p)
            break;
        const char *url = p;
        while (*p && !html_is_space((unsigned char)*p))
            p++;
        size_t url_len = (size_t)(p - url);
        int has_descriptors = 1;
        if (url_len > 0 && url[url_len - 1] == ',') {
            while (url_len > 0 && url[url_len - 1] == ',')
                url_len--;
            has_descriptors = 0;
        }
        long score = base_width;
        if (has_descriptors) {
            int depth = 0;
            while (*p && (depth > 0 || *p != ',')) {
                while (*p && html_is_space((unsigned char)*p))
                    p++;
                const char *d = p;
                while (*p && !html_is_space((unsigned char)*p) && (depth > 0 || *p != ',')) {
                    depth += *p == '(';
                    depth -= *p == ')' && depth > 0;
                    p++;
                }
                const size_t dlen = (size_t)(p - d);
                if (dlen >= 2) {
                    const double v = strtod(d, NULL);
                    if (d[dlen - 1] == 'w' && v > 0 && v < 100000)
                        score = (long)v;
                    else if (d[dlen - 1] == 'x' && v > 0 && v < 100)
                        score = (long)(v * (double)base_width);
                }
            }
        }
        offer(best, url, url_len, score);
    }
}

static const char *first_attr(const xmlNode *n, const char *const *names)
{
    for (size_t i = 0; names[i]; i++) {
        const char *v = html_attr(n, names[i]);
        if (v && looks_like_url(v))
            return v;
    }
    return NULL;
}

/* A srcset attribute with something in it (URLs and descriptors). */
static const char *first_srcset(const xmlNode *n, const char *const *names)
{
    for (size_t i = 0; names[i]; i++) {
        const char *v = html_attr(n, names[i]);
        size_t len;
        if (v && (html_trim(v, &len), len > 0) && (strchr(v, '/') || strchr(v, '.')))
            return v;
    }
    return NULL;
}

static long int_attr(const xmlNode *n, const char *name)
{
    const char *v = html_attr(n, name);
    if (!v || strchr(v, '%'))
        return 0;
    char *end;
    const long x = strtol(v, &end, 10);
    return (end != v && x > 0 && x < 100000) ? x : 0;
}

static int acceptable_type(const char *type)
{
    if (!type || !*type)
        return 1;
    static const char *const ok[] = {"image/jpeg", "image/jpg", "image/png", "image/gif",
                                     "image/webp", "image/svg+xml", NULL};
    for (size_t i = 0; ok[i]; i++)
        if (strncasecmp(type, ok[i], strlen(ok[i])) == 0)
            return 1;
    return 0;
}

/* The candidates of one <img>: lazy attributes over a placeholder src. */
static void offer_img(candidate *best, const xmlNode *img, long base_width)
{
    const char *src = html_attr(img, "src");
    const char *lazy_set = first_srcset(img, lazy_srcset_attrs);
    const char *lazy_src = first_attr(img, lazy_src_attrs);
    const char *srcset = html_attr(img, "srcset");
    if (lazy_set)
        offer_srcset(best, lazy_set, base_width);
    else if (srcset && *srcset)
        offer_srcset(best, srcset, base_width);
    if (lazy_src) {
        size_t len;
        const char *s = html_trim(lazy_src, &len);
        offer(best, s, len, base_width);
    } else if (src && !best->found) {
        size_t len;
        const char *s = html_trim(src, &len);
        offer(best, s, len, base_width);
    } else if (src && !is_placeholder_src(src)) {
        /* src is usually the fallback of the srcset: it competes at 1x. */
        size_t len;
        const char *s = html_trim(src, &len);
        offer(best, s, len, base_width);
    }
}

int html_image_is_placeholder(const xmlNode *img)
{
    if (first_srcset(img, lazy_srcset_attrs) || first_attr(img, lazy_src_attrs))
        return 0;
    const char *srcset = html_attr(img, "srcset");
    if (srcset && *srcset)
        return 0;
    const char *src = html_attr(img, "src");
    return !src || is_placeholder_src(src);
}

int html_image_setup(const xmlNode *img, const xmlNode *picture, const html_base *base,
                     oct_doc *doc, oct_node *node)
{
    const long width = img ? int_attr(img, "width") : 0;
    const long height = img ? int_attr(img, "height") : 0;
    const long base_width = width ? width : DEFAULT_WIDTH;
    candidate found = {NULL, 0, 0, 0};
    candidate *best = &found;
    if (img)
        offer_img(best, img, base_width);
    if (picture) {
        /* libxml2 2.9 does not know <source> is void: the <img> and later
         * sources may sit inside it, so the whole picture is searched. */
        size_t seen = 0;
        for (xmlNode *n = picture->children; n && seen < MAX_SOURCES * 4;
             n = html_next(picture, n, 0), seen++) {
            if (!html_is(n, "source") || !acceptable_type(html_attr(n, "type")))
                continue;
            const char *set = first_srcset(n, lazy_srcset_attrs);
            if (!set)
                set = html_attr(n, "srcset");
            if (set)
                offer_srcset(best, set, base_width);
            else if (html_attr(n, "src")) {
                size_t len;
                const char *s = html_trim(html_attr(n, "src"), &len);
                offer(best, s, len, base_width);
            }
        }
    }
    char *chosen = best->found ? strndup(best->url, best->len) : NULL;
    const char *url = chosen ? html_resolve(base, doc, chosen) : NULL;
    free(chosen);
    if (!url)
        return 0;
    oct_node_set_url(node, url);
    const char *alt = img ? html_attr(img, "alt") : NULL;
    const char *title = img ? html_attr(img, "title") : NULL;
    if (alt) {
        size_t len;
        const char *s = html_trim(alt, &len);
        char *copy = oct_doc_strndup(doc, s, len);
        if (copy)
            oct_node_set_image_alt(node, copy);
    }
    if (title && *title)
        oct_node_set_title(node, title);
    if (width || height)
        oct_node_set_image_size(node, (int)width, (int)height);
    return 1;
}
