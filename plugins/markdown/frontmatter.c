/*
 * frontmatter.c — the document's metadata as a YAML front matter block,
 * keys named as pandoc names them (title, author, date, lang, description,
 * subject, source ...). A key given several times becomes a list.
 */
#include "markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int needs_quotes(const char *v)
{
    static const char *const special[] = {"true", "false", "yes", "no", "on", "off",
                                          "null", "~", "True", "False", "Yes", "No",
                                          "On", "Off", "Null", "NULL", "TRUE", "FALSE", NULL};
    size_t len = strlen(v);
    if (len == 0 || v[0] == ' ' || v[len - 1] == ' ')
        return 1;
    if (strchr("-?:,[]{}#&*!|>'\"%@`=", v[0]))
        return 1;
    for (size_t i = 0; special[i]; i++)
        if (strcmp(v, special[i]) == 0)
            return 1;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p < 0x20 || *p == 0x7f || *p == '\\')
            return 1;
        if ((p[0] == ':' || p[0] == ' ') && (p[1] == ' ' || p[1] == '#' || p[1] == '\0'))
            return 1;
    }
    /* a number would be read as one, not as text */
    char *end;
    strtod(v, &end);
    return *end == '\0';
}

static void put_scalar(md_render *r, const char *v)
{
    if (!needs_quotes(v)) {
        md_render_text(r, v, strlen(v));
        return;
    }
    md_render_text(r, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        char esc[8];
        switch (*p) {
        case '"': md_render_text(r, "\\\"", 2); break;
        case '\\': md_render_text(r, "\\\\", 2); break;
        case '\n': md_render_text(r, "\\n", 2); break;
        case '\t': md_render_text(r, "\\t", 2); break;
        case '\r': md_render_text(r, "\\r", 2); break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                snprintf(esc, sizeof esc, "\\x%02x", *p);
                md_render_text(r, esc, 4);
            } else {
                md_render_text(r, (const char *)p, 1);
            }
        }
    }
    md_render_text(r, "\"", 1);
}

static int valid_key(const char *k)
{
    if (!*k)
        return 0;
    for (const char *p = k; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return 0;
    return 1;
}

void md_write_front_matter(md_writer *w)
{
    const oct_doc *doc = w->doc;
    size_t n = oct_meta_size(doc);
    md_render *r = &w->r;
    int opened = 0;
    for (size_t i = 0; i < n; i++) {
        const char *key, *value;
        if (oct_meta_entry(doc, i, &key, &value) != OCT_OK || !key || !value || !valid_key(key))
            continue;
        /* a multi-valued key is written once, where it first appears */
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) {
            const char *k2, *v2;
            if (oct_meta_entry(doc, j, &k2, &v2) == OCT_OK && k2 && strcmp(k2, key) == 0)
                seen = 1;
        }
        if (seen)
            continue;
        if (!opened) {
            md_render_text(r, "---", 3);
            md_render_newline(r);
            opened = 1;
        }
        size_t count = oct_meta_count(doc, key);
        md_render_text(r, key, strlen(key));
        md_render_text(r, ":", 1);
        if (count <= 1) {
            md_render_text(r, " ", 1);
            put_scalar(r, value);
            md_render_newline(r);
            continue;
        }
        md_render_newline(r);
        for (size_t j = 0; j < count; j++) {
            md_render_text(r, "- ", 2);
            put_scalar(r, oct_meta_get_nth(doc, key, j));
            md_render_newline(r);
        }
    }
    if (opened) {
        md_render_text(r, "---", 3);
        md_render_newline(r);
    }
}
