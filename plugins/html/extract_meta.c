/*
 * extract_meta.c — the article title and whether the metadata names an
 * author. The title is only used to drop the heading that repeats it; the
 * author decides whether an in-page byline is removed. Read before scripts
 * are stripped, because JSON-LD lives in <script>.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_internal.h"

#define TEXT_CAP 2048

enum { K_DC_TITLE, K_DCTERM_TITLE, K_OG_TITLE, K_WEIBO_ARTICLE_TITLE, K_WEIBO_WEBPAGE_TITLE,
       K_TITLE, K_TWITTER_TITLE, K_PARSELY_TITLE, K_N_TITLES,
       K_DC_CREATOR = K_N_TITLES, K_DCTERM_CREATOR, K_AUTHOR, K_PARSELY_AUTHOR, K_N };

static const char *const meta_keys[K_N] = {
    "dc:title", "dcterm:title", "og:title", "weibo:article:title", "weibo:webpage:title",
    "title", "twitter:title", "parsely-title",
    "dc:creator", "dcterm:creator", "author", "parsely-author"};

typedef struct meta_scan {
    char *values[K_N];
    char title[TEXT_CAP];
    int have_title;
    int jsonld_author;
    char jsonld_title[TEXT_CAP];
    ex_vec headings; /* h1 and h2, in order */
    size_t n_h1;
    xmlNodePtr first_h1;
} meta_scan;

/* lowercase, whitespace dropped, '.' -> ':' (Readability's name normalising) */
static void normalise_key(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (; *in != '\0' && n + 1 < cap; in++) {
        unsigned char c = (unsigned char)*in;
        if (isspace(c))
            continue;
        out[n++] = c == '.' ? ':' : (char)tolower(c);
    }
    out[n] = '\0';
}

static int key_index(const char *key)
{
    for (int i = 0; i < K_N; i++)
        if (strcmp(key, meta_keys[i]) == 0)
            return i;
    return -1;
}

static char *trimmed_dup(const char *s)
{
    while (*s != '\0' && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    char *d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static void scan_meta(meta_scan *ms, xmlNodePtr node)
{
    char content[TEXT_CAP], attr[256], key[256];
    if (ex_attr(node, "content", content, sizeof content) == NULL || content[0] == '\0')
        return;
    int idx = -1;
    if (ex_attr(node, "property", attr, sizeof attr) != NULL) {
        normalise_key(attr, key, sizeof key);
        idx = key_index(key);
        /* property only knows prefixed names */
        if (idx == K_TITLE || idx == K_AUTHOR || idx == K_PARSELY_TITLE || idx == K_PARSELY_AUTHOR)
            idx = -1;
    }
    if (idx < 0 && ex_attr(node, "name", attr, sizeof attr) != NULL) {
        normalise_key(attr, key, sizeof key);
        idx = key_index(key);
    }
    if (idx < 0)
        return;
    char *value = trimmed_dup(content);
    if (value == NULL)
        return;
    free(ms->values[idx]);
    ms->values[idx] = value;
}

/* JSON-LD without a JSON parser: only whether an article-typed object names
 * an author, and its "headline". Good enough for hints. */
static const char *json_string_after(const char *s, const char *key, char *out, size_t cap)
{
    const char *p = strstr(s, key);
    if (p == NULL)
        return NULL;
    p += strlen(key);
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ':')
        p++;
    if (*p != '"')
        return NULL;
    p++;
    size_t n = 0;
    while (*p != '\0' && *p != '"' && n + 1 < cap) {
        if (*p == '\\' && p[1] != '\0')
            p++;
        out[n++] = *p++;
    }
    out[n] = '\0';
    return out;
}

static void scan_jsonld(meta_scan *ms, xmlNodePtr script)
{
    char type[64];
    if (ex_attr(script, "type", type, sizeof type) == NULL ||
        strcasecmp(type, "application/ld+json") != 0)
        return;
    xmlChar *text = xmlNodeGetContent(script);
    if (text == NULL)
        return;
    const char *s = (const char *)text;
    if (strstr(s, "schema.org") != NULL &&
        (strstr(s, "Article") != NULL || strstr(s, "Posting") != NULL ||
         strstr(s, "Report") != NULL)) {
        /* an author object (or array of them) with a name close by */
        const char *author = strstr(s, "\"author\"");
        const char *name = author != NULL ? strstr(author, "\"name\"") : NULL;
        if (name != NULL && name - author < 200)
            ms->jsonld_author = 1;
        /* "name" may as well be the publisher's or the author's without a
         * real parser; "headline" belongs to the article */
        if (ms->jsonld_title[0] == '\0') {
            char buf[TEXT_CAP];
            if (json_string_after(s, "\"headline\"", buf, sizeof buf) != NULL) {
                char *t = trimmed_dup(buf);
                if (t != NULL) {
                    snprintf(ms->jsonld_title, sizeof ms->jsonld_title, "%s", t);
                    free(t);
                }
            }
        }
    }
    xmlFree(text);
}

/* document.title: the first <title>, whitespace stripped and collapsed. */
static void read_title(meta_scan *ms, xmlNodePtr node)
{
    char raw[TEXT_CAP];
    ex_gather_text(node, raw, sizeof raw, 256);
    size_t n = 0;
    int space = 0;
    for (const char *p = raw; *p != '\0' && n + 1 < sizeof ms->title; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') {
            space = n > 0;
            continue;
        }
        if (space && n + 2 < sizeof ms->title)
            ms->title[n++] = ' ';
        space = 0;
        ms->title[n++] = *p;
    }
    ms->title[n] = '\0';
    ms->have_title = 1;
}

static size_t word_count(const char *s)
{
    /* str.split(/\s+/).length */
    size_t n = 1;
    int in_space = 0;
    for (; *s != '\0'; s++) {
        int sp = isspace((unsigned char)*s);
        if (sp && !in_space)
            n++;
        in_space = sp;
    }
    return n;
}

static int is_separator(const char *p)
{
    return *p == '|' || *p == '-' || *p == '\\' || *p == '/' || *p == '>' ||
           strncmp(p, "\xC2\xBB", 2) == 0; /* » */
}

static size_t separator_len(const char *p)
{
    return strncmp(p, "\xC2\xBB", 2) == 0 ? 2 : 1;
}

static void trim_collapse(char *s)
{
    size_t n = 0;
    int space = 0;
    for (const char *p = s; *p != '\0'; p++) {
        if (isspace((unsigned char)*p)) {
            space = n > 0;
            continue;
        }
        if (space)
            s[n++] = ' ';
        space = 0;
        s[n++] = *p;
    }
    s[n] = '\0';
}

static int heading_equals(meta_scan *ms, const char *title)
{
    char buf[TEXT_CAP];
    for (size_t i = 0; i < ms->headings.n; i++) {
        if (!ex_gather_text(ms->headings.v[i], buf, sizeof buf, 256))
            continue;
        char *t = trimmed_dup(buf);
        int same = t != NULL && strcmp(t, title) == 0;
        free(t);
        if (same)
            return 1;
    }
    return 0;
}

/* Readability's _getArticleTitle: the <title> with a site name cut off. */
static char *title_from_document(meta_scan *ms)
{
    const char *orig = ms->title;
    char cur[TEXT_CAP];
    snprintf(cur, sizeof cur, "%s", orig);
    int hierarchical = 0;

    const char *sep_with_spaces = NULL;
    for (const char *p = orig; *p != '\0'; p++) {
        if (p[0] == ' ' && is_separator(p + 1) && p[1 + separator_len(p + 1)] == ' ') {
            sep_with_spaces = p;
            if (p[1] != '|' && p[1] != '-')
                hierarchical = 1;
        }
    }
    if (sep_with_spaces != NULL) {
        /* (.*)[sep] .*  -> the text before the last separator followed by a space */
        const char *last = NULL;
        for (const char *p = orig; *p != '\0'; p++)
            if (is_separator(p) && p[separator_len(p)] == ' ')
                last = p;
        if (last != NULL)
            snprintf(cur, sizeof cur, "%.*s", (int)(last - orig), orig);
        if (word_count(cur) < 3) {
            /* [^sep]*[sep](.*) -> the text after the first separator */
            const char *first = orig;
            while (*first != '\0' && !is_separator(first))
                first++;
            if (*first != '\0')
                snprintf(cur, sizeof cur, "%s", first + separator_len(first));
        }
    } else if (strstr(cur, ": ") != NULL) {
        if (!heading_equals(ms, orig)) {
            const char *last = strrchr(orig, ':');
            snprintf(cur, sizeof cur, "%s", last + 1);
            if (word_count(cur) < 3) {
                snprintf(cur, sizeof cur, "%s", strchr(orig, ':') + 1);
            } else {
                char before[TEXT_CAP];
                snprintf(before, sizeof before, "%.*s", (int)(strchr(orig, ':') - orig), orig);
                if (word_count(before) > 5)
                    snprintf(cur, sizeof cur, "%s", orig);
            }
        }
    } else if (strlen(cur) > 150 || strlen(cur) < 15) {
        if (ms->n_h1 == 1 && ms->first_h1 != NULL) {
            char buf[TEXT_CAP];
            if (ex_gather_text(ms->first_h1, buf, sizeof buf, 256))
                snprintf(cur, sizeof cur, "%s", buf);
        }
    }
    trim_collapse(cur);
    size_t words = word_count(cur);
    if (words <= 4) {
        char stripped[TEXT_CAP];
        size_t n = 0;
        for (const char *p = orig; *p != '\0' && n + 1 < sizeof stripped;) {
            if (is_separator(p)) {
                p += separator_len(p);
                continue;
            }
            stripped[n++] = *p++;
        }
        stripped[n] = '\0';
        if (!hierarchical || words != word_count(stripped) - 1)
            snprintf(cur, sizeof cur, "%s", orig);
    }
    return trimmed_dup(cur);
}

void ex_read_metadata(ex_ctx *ex, xmlNodePtr root)
{
    meta_scan *ms = calloc(1, sizeof *ms);
    if (ms == NULL) {
        ex->nomem = 1;
        return;
    }
    for (xmlNodePtr node = root; node != NULL; node = ex_next_element(node, 0, root)) {
        if (node->type != XML_ELEMENT_NODE)
            continue;
        /* through the records, which the search goes on with */
        switch (ex_tag_of(ex, node)) {
        case EX_TAG_META:
            scan_meta(ms, node);
            break;
        case EX_TAG_SCRIPT:
            scan_jsonld(ms, node);
            break;
        case EX_TAG_TITLE:
            if (!ms->have_title && ex_tag_of(ex, node->parent) != EX_TAG_SVG)
                read_title(ms, node);
            break;
        case EX_TAG_H1:
            if (ms->n_h1++ == 0)
                ms->first_h1 = node;
            ex_vec_push(ex, &ms->headings, node);
            break;
        case EX_TAG_H2:
            ex_vec_push(ex, &ms->headings, node);
            break;
        default:
            break;
        }
    }

    const char *title = ms->jsonld_title[0] != '\0' ? ms->jsonld_title : NULL;
    for (int i = 0; title == NULL && i < K_N_TITLES; i++)
        if (ms->values[i] != NULL && ms->values[i][0] != '\0')
            title = ms->values[i];
    free(ex->title);
    ex->title = title != NULL ? trimmed_dup(title) : title_from_document(ms);

    ex->has_meta_byline = ms->jsonld_author;
    for (int i = K_N_TITLES; i < K_N; i++)
        if (ms->values[i] != NULL && ms->values[i][0] != '\0')
            ex->has_meta_byline = 1;

    for (int i = 0; i < K_N; i++)
        free(ms->values[i]);
    ex_vec_free(&ms->headings);
    free(ms);
}
