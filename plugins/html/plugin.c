/*
 * plugin.c — the HTML reader: format descriptor, probe, and the read that
 * runs parse -> metadata -> (extraction) -> footnotes -> walk.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlversion.h>

#include "html.h"

#ifdef OCTAVO_HTML_HAVE_EXTRACT
#include "extract.h"
#endif

/* Links outside paragraphs that make a page look like it has navigation. */
#define FURNITURE_LINKS 20
#define FURNITURE_SCAN_NODES 200000

/* Headers, menus, sidebars: the page needs its article extracted. */
static int has_furniture(xmlNode *body)
{
    size_t loose_links = 0, seen = 0;
    for (xmlNode *n = body; n && seen < FURNITURE_SCAN_NODES; n = html_next(body, n, 0), seen++) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (html_is(n, "nav") || html_is(n, "header") || html_is(n, "footer") ||
            html_is(n, "aside"))
            return 1;
        const char *role = html_attr(n, "role");
        if (role && (!strcasecmp(role, "navigation") || !strcasecmp(role, "banner") ||
                     !strcasecmp(role, "contentinfo") || !strcasecmp(role, "complementary")))
            return 1;
        if (!html_is(n, "a"))
            continue;
        int in_paragraph = 0;
        const xmlNode *p = n->parent;
        for (int up = 0; up < 6 && p && p != body; up++, p = p->parent)
            if (html_is(p, "p") || html_is(p, "blockquote") || html_is(p, "td")) {
                in_paragraph = 1;
                break;
            }
        if (!in_paragraph && ++loose_links >= FURNITURE_LINKS)
            return 1;
    }
    return 0;
}

/* Maps the page, or the article extract.c finds in it. */
static xmlNode *content_root(oct_context *ctx, xmlDocPtr dom)
{
    xmlNode *body = html_body(dom);
    const char *mode = oct_context_option(ctx, "extract");
    if (!mode)
        mode = "auto";
    int run;
    if (!strcasecmp(mode, "auto"))
        run = body && has_furniture(body);
    else
        run = oct_context_option_bool(ctx, "extract", 0);
#ifdef OCTAVO_HTML_HAVE_EXTRACT
    if (run) {
        oct_extract_result res = {NULL, 0};
        oct_html_extract(dom, ctx, &res);
        if (res.content) {
            oct_info(ctx, "article extracted%s", res.confident ? "" : " (not confident)");
            return res.content;
        }
        return html_body(dom); /* extraction may have removed the old body's clutter */
    }
#else
    if (run)
        oct_info(ctx, "article extraction is not built in; reading the whole page");
#endif
    return body;
}

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* The bytes hold an <html>, <head> or <body> tag: a whole page, not a
 * fragment. NUL bytes are skipped, so UTF-16 text is read as well. */
static int writes_page_tags(const unsigned char *data, size_t len)
{
    static const char *const tags[] = {"html", "head", "body"};
    for (size_t i = 0; i < len; i++) {
        if (data[i] != '<')
            continue;
        for (size_t t = 0; t < 3; t++) {
            size_t j = i + 1, k = 0;
            while (j < len && tags[t][k]) {
                if (data[j] != 0 && lower(data[j]) != tags[t][k])
                    break;
                k += data[j] != 0;
                j++;
            }
            while (j < len && data[j] == 0)
                j++;
            if (!tags[t][k] && (j == len || html_is_space(data[j]) || data[j] == '>' ||
                                data[j] == '/'))
                return 1;
        }
    }
    return 0;
}

/* A script or style first in a fragment is the fragment's, though libxml2
 * (like a browser) puts it in the head it implies. */
static const xmlNode *implied_head(const oct_input *in, xmlDocPtr dom)
{
    const xmlNode *html = xmlDocGetRootElement(dom);
    if (!html || writes_page_tags(in->data, in->len))
        return NULL;
    for (const xmlNode *c = html->children; c; c = c->next)
        if (html_is(c, "head"))
            return c;
    return NULL;
}

static oct_status read_html(oct_context *ctx, const oct_input *in, oct_doc *doc, oct_error *err)
{
    xmlDocPtr dom = NULL;
    html_page_memory *page = html_page_memory_open(in->len);
    oct_status st = html_parse(ctx, in, &dom, err);
    if (st != OCT_OK) {
        html_page_memory_close(page, dom);
        return st;
    }
    html_base base;
    html_base_init(&base, dom, in, doc);
    html_notes *notes = NULL;
    oct_builder *b = NULL;
    html_kept_empty kept = {NULL, 0, 0};

    st = html_read_metadata(ctx, dom, &base, doc);
    if (st != OCT_OK) {
        oct_error_set(err, st, in->name, 0, "reading metadata: %s", oct_status_message(st));
        goto done;
    }
    xmlNode *root = content_root(ctx, dom);
    notes = html_notes_find(dom);
    b = oct_builder_new(doc);
    if (!b) {
        st = oct_error_set(err, OCT_ERR_NOMEM, in->name, 0, "out of memory");
        goto done;
    }
    const int raw_html = oct_context_option_bool(ctx, "raw-html", 0);
    const html_walk_options opt = {&base, notes, raw_html, &kept,
                                   raw_html && root == html_body(dom) ? implied_head(in, dom)
                                                                      : NULL};
    st = html_walk(ctx, root, &opt, b, err);
    const oct_status fin = oct_builder_finish(b);
    if (st == OCT_OK && fin != OCT_OK)
        st = oct_error_set(err, fin, in->name, 0, "building the document: %s",
                           oct_status_message(fin));
    if (st == OCT_OK)
        html_prune_emptied(doc, &kept);
    if (oct_builder_flattened(b))
        oct_info(ctx, "%zu elements nested too deeply were flattened", oct_builder_flattened(b));
done:
    html_kept_empty_free(&kept);
    oct_builder_free(b);
    html_notes_free(notes);
    html_base_free(&base);
    if (page)
        oct_info(ctx, "libxml2 used %zu KiB of page memory", html_page_memory_used(page) / 1024);
    html_page_memory_close(page, dom);
    return st;
}

static int starts_ci(const unsigned char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    if (len < n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lower(s[i]) != prefix[i])
            return 0;
    return 1;
}

static int contains_ci(const unsigned char *s, size_t len, const char *needle)
{
    const size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (s[i] == '<' && starts_ci(s + i, len - i, needle))
            return 1;
    return 0;
}

static int ends_with(const char *name, const char *ext)
{
    const size_t n = strlen(name), e = strlen(ext);
    return n > e && strcasecmp(name + n - e, ext) == 0;
}

static int probe_html(const unsigned char *data, size_t len, const char *name)
{
    size_t i = 0;
    if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        i = 3;
    while (i < len && html_is_space(data[i]))
        i++;
    const unsigned char *s = data + i;
    const size_t n = (len - i) < 2048 ? len - i : 2048;
    const int named = name && (ends_with(name, ".html") || ends_with(name, ".htm") ||
                               ends_with(name, ".xhtml"));
    if (n == 0)
        return named ? 20 : 0;
    if (memchr(s, '\0', n))
        return 0;
    if (starts_ci(s, n, "<!doctype html"))
        return 100;
    if (starts_ci(s, n, "<html"))
        return 95;
    if ((starts_ci(s, n, "<?xml") || starts_ci(s, n, "<!--")) && contains_ci(s, n, "<html"))
        return 85;
    if (s[0] == '<' && (contains_ci(s, n, "<head") || contains_ci(s, n, "<body")))
        return 80;
    if (s[0] == '<' && (contains_ci(s, n, "<p>") || contains_ci(s, n, "<div") ||
                        contains_ci(s, n, "<br") || contains_ci(s, n, "<h1") ||
                        contains_ci(s, n, "<meta") || contains_ci(s, n, "<title")))
        return named ? 70 : 50;
    return named ? 30 : 0;
}

static const char *const html_extensions[] = {"html", "htm", "xhtml", NULL};
static const char *const html_media_types[] = {"text/html", "application/xhtml+xml", NULL};
static const oct_option_spec html_options[] = {
    {"extract", "on|off|auto",
     "keep only the main article (auto: on pages with navigation, headers or sidebars)"},
    {"encoding", NULL, "character encoding of the page, overriding its declarations"},
    {"raw-html", "on|off",
     "keep what the model has no node for as raw HTML: unknown elements, the tags of div, "
     "section and other groupings, scripts, styles, text areas, comments (default off)"},
    {NULL, NULL, NULL}};

static const oct_format html_format = {
    .struct_size = sizeof(oct_format),
    .name = "html",
    .summary = "HTML web pages and saved articles (reader)",
    .extensions = html_extensions,
    .media_types = html_media_types,
    .read = read_html,
    .write = NULL,
    .probe = probe_html,
    .options = html_options,
    /* Tables built on first use are built under pthread_once, and libxml2's
     * memory is per thread (page_memory.c); libxml2 itself must have been
     * built with threads, as Debian's is. */
#ifdef LIBXML_THREAD_ENABLED
    .flags = OCT_FORMAT_TEXT | OCT_FORMAT_THREAD_SAFE,
#else
    .flags = OCT_FORMAT_TEXT,
#endif
};

static const oct_format *const html_formats[] = {&html_format, NULL};

static oct_status html_init(oct_error *err)
{
    (void)err;
    xmlInitParser();
    html_page_memory_install();
    return OCT_OK;
}

static const oct_plugin_descriptor html_descriptor = {
    .abi_version = OCT_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(oct_plugin_descriptor),
    .name = "html",
    .version = "0.1.0",
    .summary = "reads HTML with libxml2: structure, metadata, footnotes, images",
    .formats = html_formats,
    .init = html_init,
    .fini = NULL,
};

OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void);
OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void) { return &html_descriptor; }
