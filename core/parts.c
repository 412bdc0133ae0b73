/*
 * parts.c — several articles, one book. When a conversion has several
 * inputs, each becomes a chapter: it opens with a level-1 heading carrying
 * its title (unless it already starts with one), its byline and date follow
 * as a paragraph, and its own headings move one level down when they would
 * compete with the chapter titles. The table of contents then lists the
 * articles, as percollate does.
 */
#include "internal.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Titles compared loosely: case and runs of spaces do not matter. */
static int same_text(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ') a++;
        while (*b == ' ') b++;
        if (!*a || !*b) return !*a && !*b;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
        a++, b++;
    }
}

static oct_node *first_heading(const oct_doc *doc)
{
    for (oct_node *n = doc->root->first_child; n; n = n->next) {
        if (n->type == OCT_NODE_HEADING) return n;
        if (n->type == OCT_NODE_DIV && n->first_child && n->first_child->type == OCT_NODE_HEADING)
            return n->first_child;
        if (n->type != OCT_NODE_DIV) return NULL;
    }
    return NULL;
}

static oct_status add_text_block(oct_doc *doc, oct_node *before, oct_node_type type,
                                 const char *text, oct_node **out)
{
    oct_node *block = oct_node_new(doc, type);
    oct_node *t = block ? oct_node_new(doc, OCT_NODE_TEXT) : NULL;
    if (!t) return OCT_ERR_LIMIT;
    oct_status st = oct_node_set_literal(t, text, strlen(text));
    if (!st) st = oct_node_append_child(block, t);
    if (!st) st = before ? oct_node_insert_before(before, block) : oct_node_append_child(doc->root, block);
    if (!st && out) *out = block;
    return st;
}

oct_status oct_doc_make_chapter(oct_doc *part, oct_error *err)
{
    const char *title = oct_meta_get(part, OCT_META_TITLE);
    if (!title || !*title) return OCT_OK;
    oct_node *h = first_heading(part);
    char text[512];
    oct_node *heading = NULL;
    if (h && h->as.heading.level == 1) {
        oct_node_plain_text(h, text, sizeof text);
        if (same_text(text, title)) heading = h; /* the article's own title */
    }
    if (!heading) {
        /* Make room for the chapter title: the part's headings move down a level. */
        int has_h1 = 0;
        oct_iter it;
        oct_iter_init(&it, part->root);
        oct_event ev;
        while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE)
            if (ev == OCT_EVENT_ENTER && it.node->type == OCT_NODE_HEADING &&
                it.node->as.heading.level == 1)
                has_h1 = 1;
        if (has_h1) {
            oct_iter_init(&it, part->root);
            while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
                oct_node *n = (oct_node *)it.node;
                if (ev == OCT_EVENT_ENTER && n->type == OCT_NODE_HEADING && n->as.heading.level < 6)
                    n->as.heading.level++;
            }
        }
        oct_status st = add_text_block(part, part->root->first_child, OCT_NODE_HEADING, title, &heading);
        if (st) return oct_error_set(err, st, NULL, 0, "cannot add the chapter title");
    }
    /* "Jane Doe · 2019-01-09" under the title, when the article says so. */
    char byline[512] = "";
    size_t o = 0;
    for (size_t i = 0; i < oct_meta_count(part, OCT_META_AUTHOR) && o + 4 < sizeof byline; i++) {
        const char *a = oct_meta_get_nth(part, OCT_META_AUTHOR, i);
        o += (size_t)snprintf(byline + o, sizeof byline - o, "%s%s", i ? ", " : "", a);
    }
    const char *date = oct_meta_get(part, OCT_META_DATE);
    /* A timestamp reads as its day: "2021-03-14T08:00:00Z" -> "2021-03-14". */
    int date_len = date ? (int)strlen(date) : 0;
    if (date_len > 10 && date[4] == '-' && date[7] == '-' && date[10] == 'T') date_len = 10;
    if (date && o + 4 < sizeof byline)
        snprintf(byline + o, sizeof byline - o, "%s%.*s", o ? " \xC2\xB7 " : "", date_len, date);
    if (byline[0] && oct_utf8_is_valid(byline, strlen(byline))) {
        oct_status st = add_text_block(part, heading->next, OCT_NODE_PARAGRAPH, byline, NULL);
        if (st) return oct_error_set(err, st, NULL, 0, "cannot add the byline");
    }
    return OCT_OK;
}

/* ------------------------------------------------- links between parts */

/* What a link or an input names, to tell whether a link leads to another
 * input: the file's device and inode for a local path (one stat, where
 * making the path canonical cost a readlink per component: 3,400 system
 * calls for the debian-reference book's links), the URL without fragment
 * for a remote one. */
typedef struct target {
    enum { TARGET_NONE, TARGET_FILE, TARGET_URL } kind;
    dev_t dev;
    ino_t ino;
    char url[PATH_MAX];
} target;

static void file_target(const char *path, target *t)
{
    struct stat st;
    t->kind = TARGET_NONE;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return;
    t->kind = TARGET_FILE;
    t->dev = st.st_dev;
    t->ino = st.st_ino;
}

static void input_target(const char *name, target *t)
{
    if (oct_is_remote_url(name)) {
        t->kind = snprintf(t->url, sizeof t->url, "%s", name) < (int)sizeof t->url ? TARGET_URL
                                                                                 : TARGET_NONE;
        return;
    }
    file_target(name, t);
}

/* What a link of a part leads to: a remote URL as it stands (without
 * fragment), a relative link of a local part the file it names. */
static void link_target(const char *part_name, const char *url, size_t url_len, target *t)
{
    t->kind = TARGET_NONE;
    if (url_len == 0 || url_len >= sizeof t->url) return;
    if (oct_is_remote_url(url)) {
        memcpy(t->url, url, url_len);
        t->url[url_len] = '\0';
        t->kind = TARGET_URL;
        return;
    }
    if (oct_is_remote_url(part_name) || strchr(url, ':')) return;
    char joined[PATH_MAX];
    const char *slash = strrchr(part_name, '/');
    int dirlen = slash ? (int)(slash - part_name) + 1 : 0;
    if (snprintf(joined, sizeof joined, "%.*s%.*s", dirlen, part_name, (int)url_len, url) >= (int)sizeof joined)
        return;
    file_target(joined, t);
}

static int same_target(const target *a, const target *b)
{
    if (a->kind != b->kind || a->kind == TARGET_NONE) return 0;
    if (a->kind == TARGET_URL) return strcmp(a->url, b->url) == 0;
    return a->dev == b->dev && a->ino == b->ino;
}

static const char *part_anchor(oct_doc *part, int index)
{
    oct_node *first = part->root->first_child;
    if (!first || first->type == OCT_NODE_FOOTNOTE_DEF) return NULL;
    if (!first->id) {
        char id[32];
        snprintf(id, sizeof id, "part-%d", index + 1);
        oct_node_set_id(first, id);
    }
    return first->id;
}

oct_status oct_docs_link_parts(oct_doc **parts, const char *const *names, size_t n)
{
    target *inputs = calloc(n, sizeof *inputs);
    if (!inputs) return OCT_ERR_NOMEM;
    for (size_t j = 0; j < n; j++) input_target(names[j], &inputs[j]);
    oct_status st = OCT_OK;
    for (size_t i = 0; i < n && !st; i++) {
        if (!oct_doc_may_hold(parts[i], OCT_NODE_LINK)) continue;
        oct_iter it;
        oct_iter_init(&it, parts[i]->root);
        oct_event ev;
        while (!st && (ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
            oct_node *link = (oct_node *)it.node;
            if (ev != OCT_EVENT_ENTER || link->type != OCT_NODE_LINK) continue;
            const char *url = link->as.link.url;
            if (!url[0] || url[0] == '#') continue;
            const char *hash = strchr(url, '#');
            size_t base_len = hash ? (size_t)(hash - url) : strlen(url);
            target to;
            link_target(names[i], url, base_len, &to);
            if (to.kind == TARGET_NONE) continue;
            for (size_t j = 0; j < n; j++) {
                if (!same_target(&inputs[j], &to)) continue;
                const char *frag = hash && hash[1] ? hash + 1 : part_anchor(parts[j], (int)j);
                if (!frag) break;
                char *local = oct_arena_alloc(&parts[i]->arena, strlen(frag) + 2);
                if (!local) { st = OCT_ERR_NOMEM; break; }
                local[0] = '#';
                strcpy(local + 1, frag);
                link->as.link.url = local;
                break;
            }
        }
    }
    free(inputs);
    return st;
}
