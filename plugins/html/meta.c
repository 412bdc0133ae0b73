/*
 * meta.c — what a page says about itself: <title>, <meta> (plain, Open
 * Graph, Dublin Core, Twitter), JSON-LD, <html lang/dir>, rel=canonical.
 * One pass over the whole document collects candidates; then each model key
 * takes the most specific source that has a value.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"

#define MAX_MULTI 16

typedef struct multi {
    const char *v[MAX_MULTI];
    size_t n;
} multi;

typedef struct found {
    char *title_element; /* malloc'ed */
    const char *og_title, *dc_title, *meta_title, *twitter_title;
    const char *og_description, *description, *dc_description, *twitter_description;
    multi dc_creator, author, article_author, parsely_author;
    const char *og_site_name, *dc_publisher, *application_name;
    const char *published_time, *dc_date, *meta_date, *itemprop_date;
    multi keywords;
    const char *og_image, *twitter_image;
    const char *og_locale, *content_language, *dc_language;
    const char *canonical, *og_url;
    const char *dc_rights;
    const char *html_lang, *html_dir, *body_dir;
    /* Bylines in the page when no metadata names an author. */
    xmlNode *itemprop_author, *rel_author, *byline_class;
    html_jsonld jsonld;
    int have_jsonld;
} found;

static void add_multi(multi *m, const char *v)
{
    if (m->n < MAX_MULTI)
        m->v[m->n++] = v;
}

static void first(const char **slot, const char *v)
{
    size_t len;
    html_trim(v, &len);
    if (!*slot && len)
        *slot = v;
}

/* Which candidate a <meta> name/property fills. */
static void meta_tag(found *f, const char *key, const char *content)
{
    static const char *const date_keys[] = {"date", "pubdate", "publish-date", "publishdate",
                                            "publish_date", "sailthru.date", "parsely-pub-date",
                                            "article.published", "dc.date.issued",
                                            "citation_publication_date", NULL};
    if (!strcasecmp(key, "og:title")) first(&f->og_title, content);
    else if (!strcasecmp(key, "dc.title") || !strcasecmp(key, "dcterms.title") ||
             !strcasecmp(key, "dc:title")) first(&f->dc_title, content);
    else if (!strcasecmp(key, "title") || !strcasecmp(key, "parsely-title"))
        first(&f->meta_title, content);
    else if (!strcasecmp(key, "twitter:title")) first(&f->twitter_title, content);
    else if (!strcasecmp(key, "og:description")) first(&f->og_description, content);
    else if (!strcasecmp(key, "description")) first(&f->description, content);
    else if (!strcasecmp(key, "dc.description") || !strcasecmp(key, "dcterms.description") ||
             !strcasecmp(key, "dcterms.abstract")) first(&f->dc_description, content);
    else if (!strcasecmp(key, "twitter:description")) first(&f->twitter_description, content);
    else if (!strcasecmp(key, "dc.creator") || !strcasecmp(key, "dcterms.creator") ||
             !strcasecmp(key, "dc:creator")) add_multi(&f->dc_creator, content);
    else if (!strcasecmp(key, "author")) add_multi(&f->author, content);
    else if (!strcasecmp(key, "article:author")) add_multi(&f->article_author, content);
    else if (!strcasecmp(key, "parsely-author") || !strcasecmp(key, "sailthru.author") ||
             !strcasecmp(key, "citation_author")) add_multi(&f->parsely_author, content);
    else if (!strcasecmp(key, "og:site_name")) first(&f->og_site_name, content);
    else if (!strcasecmp(key, "dc.publisher") || !strcasecmp(key, "dcterms.publisher"))
        first(&f->dc_publisher, content);
    else if (!strcasecmp(key, "application-name")) first(&f->application_name, content);
    else if (!strcasecmp(key, "article:published_time") ||
             !strcasecmp(key, "og:published_time")) first(&f->published_time, content);
    else if (!strcasecmp(key, "dc.date") || !strcasecmp(key, "dcterms.date") ||
             !strcasecmp(key, "dcterms.created") || !strcasecmp(key, "dcterms.issued"))
        first(&f->dc_date, content);
    else if (!strcasecmp(key, "datepublished")) first(&f->itemprop_date, content);
    else if (!strcasecmp(key, "keywords") || !strcasecmp(key, "news_keywords") ||
             !strcasecmp(key, "article:tag") || !strcasecmp(key, "dc.subject") ||
             !strcasecmp(key, "dcterms.subject")) add_multi(&f->keywords, content);
    else if (!strcasecmp(key, "og:image") || !strcasecmp(key, "og:image:url") ||
             !strcasecmp(key, "og:image:secure_url")) first(&f->og_image, content);
    else if (!strcasecmp(key, "twitter:image") || !strcasecmp(key, "twitter:image:src"))
        first(&f->twitter_image, content);
    else if (!strcasecmp(key, "og:locale")) first(&f->og_locale, content);
    else if (!strcasecmp(key, "dc.language") || !strcasecmp(key, "dcterms.language") ||
             !strcasecmp(key, "language")) first(&f->dc_language, content);
    else if (!strcasecmp(key, "og:url")) first(&f->og_url, content);
    else if (!strcasecmp(key, "dc.rights") || !strcasecmp(key, "dcterms.rights"))
        first(&f->dc_rights, content);
    else
        for (size_t i = 0; date_keys[i]; i++)
            if (!strcasecmp(key, date_keys[i]))
                first(&f->meta_date, content);
}

static void on_meta(found *f, const xmlNode *n)
{
    const char *content = html_attr(n, "content");
    if (!content)
        return;
    const char *equiv = html_attr(n, "http-equiv");
    if (equiv && !strcasecmp(equiv, "content-language"))
        first(&f->content_language, content);
    /* Some pages give both name and property, with different vocabularies. */
    const char *keys[3] = {html_attr(n, "property"), html_attr(n, "name"),
                           html_attr(n, "itemprop")};
    for (size_t i = 0; i < 3; i++) {
        if (!keys[i])
            continue;
        /* property="og:title dc:title" (RDFa) lists several. */
        char buf[128];
        const char *p = keys[i];
        while (*p) {
            while (*p && html_is_space((unsigned char)*p))
                p++;
            size_t len = 0;
            while (p[len] && !html_is_space((unsigned char)p[len]))
                len++;
            if (len && len < sizeof buf) {
                memcpy(buf, p, len);
                buf[len] = '\0';
                meta_tag(f, buf, content);
            }
            p += len;
        }
    }
}

static void on_script(found *f, xmlNode *n)
{
    const char *type = html_attr(n, "type");
    if (f->have_jsonld || !type || strcasecmp(type, "application/ld+json") != 0)
        return;
    xmlChar *text = xmlNodeGetContent(n);
    if (!text)
        return;
    f->have_jsonld = html_jsonld_parse((const char *)text, strlen((const char *)text), &f->jsonld);
    if (!f->have_jsonld)
        html_jsonld_free(&f->jsonld);
    xmlFree(text);
}

/* Bylines are told by itemprop, rel and class; the three are read in one
 * pass over the attributes (each the first of its name, as html_attr
 * finds it). Most elements have none of them. */
static void byline_candidate(found *f, xmlNode *n)
{
    if (f->itemprop_author && f->rel_author && f->byline_class)
        return;
    static const char *const names[] = {"itemprop", "rel", "class"};
    const char *v[3];
    html_attrs(n, names, v, 3);
    const char *itemprop = v[0], *rel = v[1], *cls = v[2];
    if (!f->itemprop_author && itemprop && html_list_has_token(itemprop, "author", 1))
        f->itemprop_author = n;
    if (!f->rel_author && rel && html_list_has_token(rel, "author", 1))
        f->rel_author = n;
    if (!f->byline_class && cls && (strstr(cls, "byline") || html_list_has_token(cls, "author", 0)))
        f->byline_class = n;
}

/* One element of the walk over the whole page: the elements metadata
 * comes from are told apart by their first letter before their name.
 * Sets *skip when nothing below the element counts. */
static void collect_element(found *f, xmlNode *n, int *skip)
{
    switch (n->name ? n->name[0] : 0) {
    case 's':
        if (html_is(n, "svg")) {
            *skip = 1; /* its <title>s are not the page's */
            return;
        }
        if (html_is(n, "script")) {
            on_script(f, n);
            *skip = 1;
            return;
        }
        if (html_is(n, "style")) {
            *skip = 1;
            return;
        }
        break;
    case 'm':
        if (html_is(n, "math")) {
            *skip = 1;
            return;
        }
        if (html_is(n, "meta")) {
            on_meta(f, n);
            return;
        }
        break;
    case 't':
        if (html_is(n, "title") && !f->title_element) {
            f->title_element = (char *)xmlNodeGetContent(n);
            *skip = 1;
            return;
        }
        break;
    case 'l':
        if (html_is(n, "link")) {
            const char *href = html_attr(n, "href");
            if (href && html_attr_has_token(n, "rel", "canonical"))
                first(&f->canonical, href);
            return;
        }
        break;
    case 'f':
        if (html_is(n, "form")) {
            *skip = 1; /* no bylines in there */
            return;
        }
        break;
    case 'h':
        if (html_is(n, "head"))
            return; /* its own elements are met on the way */
        break;
    default:
        break;
    }
    byline_candidate(f, n);
}

static void collect(found *f, xmlDocPtr dom)
{
    xmlNode *root = xmlDocGetRootElement(dom);
    if (!root)
        return;
    f->html_lang = html_attr(root, "lang");
    if (!f->html_lang)
        f->html_lang = html_attr(root, "xml:lang");
    f->html_dir = html_attr(root, "dir");
    xmlNode *body = html_body(dom);
    if (body && body != root)
        f->body_dir = html_attr(body, "dir");
    for (xmlNode *n = root; n;) {
        int skip = 0;
        if (n->type == XML_ELEMENT_NODE)
            collect_element(f, n, &skip);
        n = html_next(root, n, skip);
    }
}

/* Trimmed, inner whitespace collapsed; "" when nothing is left. */
static char *clean(const char *v)
{
    if (!v)
        return NULL;
    char *out = malloc(strlen(v) + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    int space = 0;
    for (const char *p = v; *p; p++) {
        if (html_is_space((unsigned char)*p)) {
            space = n > 0;
            continue;
        }
        if (space)
            out[n++] = ' ';
        space = 0;
        out[n++] = *p;
    }
    out[n] = '\0';
    return out;
}

static int set_clean(oct_doc *doc, const char *key, const char *value, int add)
{
    char *c = clean(value);
    if (!c)
        return 0;
    int done = 0;
    if (*c && oct_utf8_is_valid(c, strlen(c)))
        done = (add ? oct_meta_add(doc, key, c) : oct_meta_set(doc, key, c)) == OCT_OK;
    free(c);
    return done;
}

static const char *pick(const char *const *candidates, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!candidates[i])
            continue;
        size_t len;
        html_trim(candidates[i], &len);
        if (len)
            return candidates[i];
    }
    return NULL;
}

static int is_url(const char *s)
{
    return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

#define MAX_BYLINE 100

/* The short text of a byline element, "By " dropped; NULL when too long
 * to be a name. */
static char *byline_text(xmlNode *n)
{
    if (!n)
        return NULL;
    /* schema.org: <span itemprop=author><span itemprop=name>…</span></span> */
    xmlNode *name = NULL;
    size_t seen = 0;
    for (xmlNode *c = n->children; c && seen < 64 && !name; c = html_next(n, c, 0), seen++)
        if (c->type == XML_ELEMENT_NODE && html_attr_has_token(c, "itemprop", "name"))
            name = c;
    const char *content_attr = html_attr(name ? name : n, "content");
    xmlChar *raw = content_attr ? xmlStrdup((const xmlChar *)content_attr)
                                : xmlNodeGetContent(name ? name : n);
    char *text = clean((const char *)raw);
    xmlFree(raw);
    if (!text)
        return NULL;
    const char *t = text;
    if (strncasecmp(t, "written by ", 11) == 0)
        t += 11;
    else if (strncasecmp(t, "by ", 3) == 0)
        t += 3;
    const size_t len = strlen(t);
    if (len == 0 || len > MAX_BYLINE) {
        free(text);
        return NULL;
    }
    memmove(text, t, len + 1);
    return text;
}

static void set_authors(oct_doc *doc, const found *f)
{
    if (f->have_jsonld && f->jsonld.n_authors) {
        for (size_t i = 0; i < f->jsonld.n_authors; i++)
            set_clean(doc, OCT_META_AUTHOR, f->jsonld.authors[i], 1);
        return;
    }
    const multi *sources[] = {&f->dc_creator, &f->author, &f->article_author,
                              &f->parsely_author};
    for (size_t s = 0; s < sizeof sources / sizeof sources[0]; s++) {
        int any = 0;
        for (size_t i = 0; i < sources[s]->n; i++)
            if (!is_url(sources[s]->v[i])) /* article:author is often a profile URL */
                any |= set_clean(doc, OCT_META_AUTHOR, sources[s]->v[i], 1);
        if (any)
            return;
    }
    xmlNode *const candidates[] = {f->itemprop_author, f->rel_author, f->byline_class};
    for (size_t i = 0; i < 3; i++) {
        char *name = byline_text(candidates[i]);
        const int done = name && set_clean(doc, OCT_META_AUTHOR, name, 1);
        free(name);
        if (done)
            return;
    }
}

/* "en_US" -> "en-US"; the first of a list; NULL for nothing usable. */
static char *bcp47(const char *v)
{
    if (!v)
        return NULL;
    size_t len;
    const char *s = html_trim(v, &len);
    size_t n = 0;
    while (n < len && n < 35 && s[n] != ',' && s[n] != ';' && !html_is_space((unsigned char)s[n]))
        n++;
    if (n < 2)
        return NULL;
    char *out = strndup(s, n);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (out[i] == '_')
            out[i] = '-';
        else if (!isalnum((unsigned char)out[i]) && out[i] != '-') {
            free(out);
            return NULL;
        }
    }
    return out;
}

static void set_keywords(oct_doc *doc, const found *f)
{
    for (size_t i = 0; i < f->keywords.n; i++) {
        const char *p = f->keywords.v[i];
        while (*p) {
            const char *end = strchr(p, ',');
            const size_t len = end ? (size_t)(end - p) : strlen(p);
            char *one = strndup(p, len);
            if (one) {
                set_clean(doc, OCT_META_SUBJECT, one, 1);
                free(one);
            }
            p += len;
            if (*p == ',')
                p++;
        }
    }
}

static void set_date(oct_doc *doc, const found *f)
{
    const char *candidates[] = {f->published_time,
                                f->have_jsonld ? f->jsonld.date_published : NULL, f->dc_date,
                                f->meta_date, f->itemprop_date};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        char iso[64];
        if (candidates[i] && html_iso_date(candidates[i], iso, sizeof iso)) {
            oct_meta_set(doc, OCT_META_DATE, iso);
            return;
        }
    }
}

static int count_words(const char *s, size_t len);

/* Schema.org pages often carry both: a "name" that repeats the page title
 * and a "headline" that is a teaser, or the other way round. A one-word
 * name is the site's own (aktualne.cz puts "Aktuálně.cz" there), never the
 * article's title. */
static const char *jsonld_title(const html_jsonld *j, const char *page_title)
{
    if (j->name && j->headline && page_title && strstr(page_title, j->name) &&
        !strstr(page_title, j->headline) && count_words(j->name, strlen(j->name)) >= 2)
        return j->name;
    return j->headline ? j->headline : j->name;
}

static int count_words(const char *s, size_t len)
{
    int words = 0, in_word = 0;
    for (size_t i = 0; i < len; i++) {
        const int space = html_is_space((unsigned char)s[i]);
        words += !space && !in_word;
        in_word = !space;
    }
    return words;
}

/* Where a separator (" | ", " - ", " – ", " — ", " :: ", " / ", " » ")
 * starts in s, the last one when last is set; NULL when none. */
static const char *find_separator(const char *s, int last, size_t *sep_len)
{
    static const char *const seps[] = {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ", " / ",
                                       " \xC2\xBB ", " > ", NULL};
    const char *best = NULL;
    for (size_t i = 0; seps[i]; i++) {
        for (const char *p = strstr(s, seps[i]); p; p = strstr(p + 1, seps[i])) {
            if (!best || (last ? p > best : p < best)) {
                best = p;
                *sep_len = strlen(seps[i]);
            }
            if (!last)
                break;
        }
    }
    return best;
}

/* "Headline | Site" -> "Headline": the site's name is metadata of its own.
 * When fewer than two words are left, "Site | Headline" is assumed and the
 * part after the first separator taken if it has three words; else the
 * title stays whole. */
static char *strip_site_name(const char *title)
{
    char *t = clean(title);
    if (!t)
        return NULL;
    size_t sep_len = 0;
    const char *last = find_separator(t, 1, &sep_len);
    if (!last)
        return t;
    const size_t keep = (size_t)(last - t);
    if (count_words(t, keep) >= 2) {
        t[keep] = '\0';
        return t;
    }
    const char *first_sep = find_separator(t, 0, &sep_len);
    const char *rest = first_sep + sep_len;
    if (count_words(rest, strlen(rest)) >= 3)
        memmove(t, rest, strlen(rest) + 1);
    return t;
}

oct_status html_read_metadata(oct_context *ctx, xmlDocPtr dom, const html_base *base,
                              oct_doc *doc)
{
    found *f = calloc(1, sizeof *f);
    if (!f)
        return OCT_ERR_NOMEM;
    collect(f, dom);
    const html_jsonld *j = f->have_jsonld ? &f->jsonld : NULL;

    char *page_title = f->title_element ? strip_site_name(f->title_element) : NULL;
    const char *titles[] = {j ? jsonld_title(j, f->title_element) : NULL,
                            f->dc_title,
                            f->og_title,
                            f->meta_title,
                            f->twitter_title,
                            page_title};
    const char *publishers[] = {f->og_site_name, j ? j->publisher : NULL, f->dc_publisher,
                                f->application_name};
    const char *site = pick(publishers, 4);
    set_clean(doc, OCT_META_TITLE, pick(titles, 6), 0);
    free(page_title);

    set_authors(doc, f);
    set_date(doc, f);

    const char *descriptions[] = {f->og_description, f->description,
                                  j ? j->description : NULL, f->dc_description,
                                  f->twitter_description};
    set_clean(doc, OCT_META_DESCRIPTION, pick(descriptions, 5), 0);

    set_clean(doc, OCT_META_PUBLISHER, site, 0);

    const char *langs[] = {f->html_lang, f->content_language, f->dc_language, f->og_locale,
                           j ? j->language : NULL};
    for (size_t i = 0; i < 5; i++) {
        char *tag = bcp47(langs[i]);
        if (tag) {
            oct_meta_set(doc, OCT_META_LANG, tag);
            free(tag);
            break;
        }
    }
    const char *dir = f->html_dir ? f->html_dir : f->body_dir;
    if (dir && (!strcasecmp(dir, "rtl") || !strcasecmp(dir, "ltr"))) {
        oct_meta_set(doc, OCT_META_DIR, !strcasecmp(dir, "rtl") ? "rtl" : "ltr");
    }

    set_keywords(doc, f);
    set_clean(doc, OCT_META_RIGHTS, f->dc_rights, 0);

    const char *covers[] = {f->og_image, j ? j->image : NULL, f->twitter_image};
    const char *cover = html_resolve(base, doc, pick(covers, 3));
    if (cover)
        oct_meta_set(doc, "cover-url", cover);

    const char *sources[] = {f->canonical, f->og_url};
    const char *source = html_resolve(base, doc, pick(sources, 2));
    if (source && source[0] != '#')
        oct_meta_set(doc, OCT_META_SOURCE, source);
    else if (base->doc_url)
        oct_meta_set(doc, OCT_META_SOURCE, base->doc_url);

    if (j)
        html_jsonld_free(&f->jsonld);
    xmlFree(f->title_element);
    free(f);
    (void)ctx;
    return OCT_OK;
}

/* ------------------------------------------------------------------ dates */

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int month_of(const char *s)
{
    static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; i++)
        if (strncasecmp(s, months[i], 3) == 0)
            return i + 1;
    return 0;
}

/* "March 5, 2019", "5 March 2019", "Tue, 05 Mar 2019 10:00:00 +0000". */
static int text_date(const char *s, int *y, int *m, int *d)
{
    int day = 0, month = 0, year = 0;
    const char *p = s;
    while (*p) {
        while (*p && !isalnum((unsigned char)*p))
            p++;
        const char *w = p;
        while (isalnum((unsigned char)*p))
            p++;
        const size_t len = (size_t)(p - w);
        if (len == 0)
            break;
        if (isdigit((unsigned char)*w)) {
            int v = atoi(w);
            if (len == 4 && !year)
                year = v;
            else if (len <= 2 && !day && v >= 1 && v <= 31)
                day = v;
            if (*p == ':')
                break; /* a time: the date is complete */
        } else if (len >= 3 && !month) {
            month = month_of(w);
        }
    }
    if (!year || !month)
        return 0;
    *y = year;
    *m = month;
    *d = day;
    return 1;
}

int html_iso_date(const char *in, char *out, size_t out_size)
{
    size_t len;
    const char *s = html_trim(in, &len);
    int y, mo = 0, d = 0;
    if (len >= 4 && digits(s, 4, &y)) {
        if (len == 4) {
            snprintf(out, out_size, "%04d", y);
            return 1;
        }
        const char sep = s[4];
        if ((sep != '-' && sep != '/' && sep != '.') || len < 7 || !digits(s + 5, 2, &mo) ||
            mo < 1 || mo > 12)
            return 0;
        if (len == 7) {
            snprintf(out, out_size, "%04d-%02d", y, mo);
            return 1;
        }
        if (len < 10 || s[7] != sep || !digits(s + 8, 2, &d) || d < 1 || d > 31)
            return 0;
        const char *t = s + 10;
        const size_t rest = len - 10;
        int hh, mm, ss = 0;
        if (rest >= 6 && (t[0] == 'T' || t[0] == ' ') && digits(t + 1, 2, &hh) && t[3] == ':' &&
            digits(t + 4, 2, &mm) && hh < 24 && mm < 60) {
            const char *z = t + 6;
            const char *end = s + len;
            int has_seconds = 0;
            if (end - z >= 3 && z[0] == ':' && digits(z + 1, 2, &ss)) {
                has_seconds = 1;
                z += 3;
                if (z < end && z[0] == '.')
                    for (z++; z < end && isdigit((unsigned char)*z); z++) {
                    }
            }
            char zone[8] = "";
            int zh, zm;
            if (z < end && *z == 'Z')
                snprintf(zone, sizeof zone, "Z");
            else if (end - z >= 5 && (*z == '+' || *z == '-') && digits(z + 1, 2, &zh) &&
                     (digits(z + 3, 2, &zm) || (z[3] == ':' && end - z >= 6 && digits(z + 4, 2, &zm))))
                snprintf(zone, sizeof zone, "%c%02d:%02d", *z, zh, zm);
            if (has_seconds)
                snprintf(out, out_size, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, mo, d, hh, mm, ss, zone);
            else
                snprintf(out, out_size, "%04d-%02d-%02dT%02d:%02d%s", y, mo, d, hh, mm, zone);
            return 1;
        }
        snprintf(out, out_size, "%04d-%02d-%02d", y, mo, d);
        return 1;
    }
    if (len > 0 && len < 64) {
        char buf[64];
        memcpy(buf, s, len);
        buf[len] = '\0';
        if (text_date(buf, &y, &mo, &d)) {
            if (d)
                snprintf(out, out_size, "%04d-%02d-%02d", y, mo, d);
            else
                snprintf(out, out_size, "%04d-%02d", y, mo);
            return 1;
        }
    }
    return 0;
}
