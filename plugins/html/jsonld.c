/* jsonld.c — schema.org articles in <script type="application/ld+json">. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "html.h"

/* Objects looked at in one block: top level, an array, or an @graph. */
#define MAX_CANDIDATES 256

static const char *const article_types[] = {
    "Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
    "OpinionNewsArticle", "TechArticle", "ScholarlyArticle", "SocialMediaPosting",
    "LiveBlogPosting", "Report", "WebPage", NULL};

/* Rank of an @type: lower is more article-like; -1 when not one. */
static int type_rank(json_t *type)
{
    if (json_is_array(type)) {
        int best = -1;
        size_t i;
        json_t *t;
        json_array_foreach(type, i, t) {
            const int r = type_rank(t);
            if (r >= 0 && (best < 0 || r < best))
                best = r;
        }
        return best;
    }
    const char *s = json_string_value(type);
    if (!s)
        return -1;
    /* "http://schema.org/Article" and "schema:Article" name the same type. */
    const char *slash = strrchr(s, '/');
    const char *colon = strrchr(s, ':');
    if (slash)
        s = slash + 1;
    else if (colon)
        s = colon + 1;
    for (int i = 0; article_types[i]; i++)
        if (strcmp(s, article_types[i]) == 0)
            return i;
    return -1;
}

static char *dup_string(json_t *v)
{
    const char *s = json_string_value(v);
    if (!s)
        return NULL;
    size_t len;
    s = html_trim(s, &len);
    if (len == 0)
        return NULL;
    return strndup(s, len);
}

/* A string, or an object's "name" (authors, publishers). */
static char *name_of(json_t *v)
{
    if (json_is_object(v))
        return dup_string(json_object_get(v, "name"));
    return dup_string(v);
}

/* A URL string, an ImageObject's "url", or the first of an array. */
static char *image_of(json_t *v)
{
    if (json_is_array(v))
        v = json_array_get(v, 0);
    if (json_is_object(v)) {
        json_t *url = json_object_get(v, "url");
        if (!url)
            url = json_object_get(v, "@id");
        return dup_string(url);
    }
    return dup_string(v);
}

static void fill(html_jsonld *out, json_t *obj)
{
    out->headline = dup_string(json_object_get(obj, "headline"));
    out->name = dup_string(json_object_get(obj, "name"));
    out->description = dup_string(json_object_get(obj, "description"));
    out->date_published = dup_string(json_object_get(obj, "datePublished"));
    out->publisher = name_of(json_object_get(obj, "publisher"));
    out->image = image_of(json_object_get(obj, "image"));
    json_t *lang = json_object_get(obj, "inLanguage");
    out->language = json_is_object(lang) ? dup_string(json_object_get(lang, "alternateName"))
                                         : dup_string(lang);
    json_t *author = json_object_get(obj, "author");
    if (json_is_array(author)) {
        size_t i;
        json_t *a;
        json_array_foreach(author, i, a) {
            if (out->n_authors == HTML_JSONLD_MAX_AUTHORS)
                break;
            char *name = name_of(a);
            if (name)
                out->authors[out->n_authors++] = name;
        }
    } else if (author) {
        char *name = name_of(author);
        if (name)
            out->authors[out->n_authors++] = name;
    }
}

/* Pages often wrap the JSON in <![CDATA[ ... ]]> (or comment it out with
 * //<![CDATA[ for old browsers); the JSON is what lies inside. */
static void unwrap_cdata(const char **text, size_t *len)
{
    const char *s = *text, *e = s + *len;
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) s++;
    if (e - s >= 2 && s[0] == '/' && s[1] == '/') s += 2;
    if (e - s >= 9 && memcmp(s, "<![CDATA[", 9) == 0) {
        s += 9;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n')) e--;
        if (e - s >= 3 && memcmp(e - 3, "]]>", 3) == 0) e -= 3;
        if (e - s >= 2 && e[-1] == '/' && e[-2] == '/') e -= 2;
        *text = s;
        *len = (size_t)(e - s);
    }
}

int html_jsonld_parse(const char *text, size_t len, html_jsonld *out)
{
    memset(out, 0, sizeof *out);
    unwrap_cdata(&text, &len);
    json_error_t error;
    json_t *root = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &error);
    if (!root)
        return 0;
    json_t *candidates[MAX_CANDIDATES];
    size_t n = 0;
    json_t *lists[2] = {root, NULL};
    if (json_is_object(root)) {
        candidates[n++] = root;
        lists[0] = json_object_get(root, "@graph");
    }
    for (size_t l = 0; l < 2 && lists[l]; l++) {
        if (!json_is_array(lists[l]))
            continue;
        size_t i;
        json_t *v;
        json_array_foreach(lists[l], i, v) {
            if (n == MAX_CANDIDATES)
                break;
            if (!json_is_object(v))
                continue;
            candidates[n++] = v;
            json_t *graph = json_object_get(v, "@graph");
            if (!lists[1] && json_is_array(graph))
                lists[1] = graph;
        }
    }
    json_t *best = NULL;
    int best_rank = -1;
    for (size_t i = 0; i < n; i++) {
        const int r = type_rank(json_object_get(candidates[i], "@type"));
        if (r >= 0 && (best_rank < 0 || r < best_rank)) {
            best = candidates[i];
            best_rank = r;
        }
    }
    if (best)
        fill(out, best);
    json_decref(root);
    return best != NULL;
}

void html_jsonld_free(html_jsonld *j)
{
    free(j->headline);
    free(j->name);
    free(j->description);
    free(j->date_published);
    free(j->publisher);
    free(j->image);
    free(j->language);
    for (size_t i = 0; i < j->n_authors; i++)
        free(j->authors[i]);
    memset(j, 0, sizeof *j);
}
