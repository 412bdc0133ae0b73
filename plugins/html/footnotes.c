/*
 * footnotes.c — the footnote markups of the web, recognised.
 *
 * Notes: <aside epub:type="footnote">, role="doc-footnote"/"doc-endnote",
 * and elements with an id inside a notes container (ol.footnotes,
 * div.footnotes, section.footnotes, ol.references, role="doc-endnotes",
 * epub:type="footnotes"). References: links to a note's id, on their own or
 * wrapped in <sup>. Links from a note back to its reference are dropped.
 * Notes get labels "1", "2"... in document order.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/hash.h>

#include "html.h"

/* How far above an element its notes container may be (section > ol > li). */
#define CONTAINER_REACH 3
#define MAX_NOTES 100000

typedef struct note {
    xmlNode *el;
    char label[16];
    unsigned walked : 1;
    unsigned referenced : 1;
} note;

struct html_notes {
    note *v;
    size_t n, cap;
    xmlHashTablePtr by_id;   /* note id -> index + 1 */
    xmlHashTablePtr ref_ids; /* ids of references (and their <sup>) */
};

/* The attributes notes and their containers are told by, found in one pass
 * (each the first of its name, as html_attr finds it). */
typedef struct note_attrs {
    const char *cls, *role, *epub_type;
} note_attrs;

static note_attrs read_note_attrs(const xmlNode *n)
{
    static const char *const names[] = {"class", "role", "epub:type"};
    const char *v[3];
    html_attrs(n, names, v, 3);
    return (note_attrs){v[0], v[1], v[2]};
}

static int is_container(const xmlNode *n)
{
    if (!n || n->type != XML_ELEMENT_NODE)
        return 0;
    const note_attrs at = read_note_attrs(n);
    if (at.cls && (html_list_has_token(at.cls, "footnotes", 0) ||
                   html_list_has_token(at.cls, "endnotes", 0) ||
                   html_list_has_token(at.cls, "footnotes-list", 0) ||
                   html_list_has_token(at.cls, "footnote-list", 0)))
        return 1;
    if (html_is(n, "ol") && html_list_has_token(at.cls, "references", 0))
        return 1;
    if (html_list_has_token(at.role, "doc-endnotes", 1) ||
        html_list_has_token(at.role, "doc-footnotes", 1))
        return 1;
    return html_list_has_token(at.epub_type, "footnotes", 1) ||
           html_list_has_token(at.epub_type, "endnotes", 1) ||
           html_list_has_token(at.epub_type, "rearnotes", 1);
}

/* Where a note may stand: an item, a division, a paragraph, an aside, a
 * section or a description. */
static int is_blockish(const xmlNode *n)
{
    return html_is(n, "li") || html_is(n, "div") || html_is(n, "p") || html_is(n, "aside") ||
           html_is(n, "section") || html_is(n, "dd");
}

static int is_note_element(const xmlNode *n)
{
    /* Most elements have no id: asked first, on its own. */
    const char *id = html_attr(n, "id");
    if (!id || !*id)
        return 0;
    const note_attrs at = read_note_attrs(n);
    if (html_list_has_token(at.epub_type, "footnote", 1) ||
        html_list_has_token(at.epub_type, "endnote", 1) ||
        html_list_has_token(at.epub_type, "rearnote", 1) ||
        html_list_has_token(at.role, "doc-footnote", 1) ||
        html_list_has_token(at.role, "doc-endnote", 1))
        return 1;
    if (!is_blockish(n))
        return 0;
    if (html_list_has_token(at.cls, "footnote", 0) ||
        html_list_has_token(at.cls, "footnote-item", 0))
        return 1;
    if (html_is(n, "li")) {
        const xmlNode *p = n->parent;
        for (int i = 0; i < CONTAINER_REACH && p; i++, p = p->parent)
            if (is_container(p))
                return 1;
        return 0;
    }
    return is_container(n->parent);
}

static void add_note(html_notes *notes, xmlNode *el)
{
    if (notes->n >= MAX_NOTES)
        return;
    if (notes->n == notes->cap) {
        const size_t cap = notes->cap ? notes->cap * 2 : 16;
        note *p = realloc(notes->v, cap * sizeof *p);
        if (!p)
            return;
        notes->v = p;
        notes->cap = cap;
    }
    const char *id = html_attr(el, "id");
    const uintptr_t index = notes->n + 1;
    if (xmlHashAddEntry(notes->by_id, (const xmlChar *)id, (void *)index) != 0)
        return; /* a duplicate id: the first element owns it */
    note *nt = &notes->v[notes->n++];
    memset(nt, 0, sizeof *nt);
    nt->el = el;
    snprintf(nt->label, sizeof nt->label, "%zu", notes->n);
}

/* The note a link points at, or NULL. */
static note *link_target(const html_notes *notes, const xmlNode *a)
{
    if (!html_is(a, "a"))
        return NULL;
    const char *href = html_attr(a, "href");
    const char *hash = href ? strchr(href, '#') : NULL;
    if (!hash || !hash[1])
        return NULL;
    const uintptr_t index = (uintptr_t)xmlHashLookup(notes->by_id, (const xmlChar *)hash + 1);
    if (!index)
        return NULL;
    /* "page.html#fn1" is a reference only when it looks like one. */
    if (hash != href) {
        const xmlNode *p = a->parent;
        const int marked = html_is(p, "sup") || html_attr_has_token(a, "epub:type", "noteref") ||
                           html_attr_has_token(a, "role", "doc-noteref") ||
                           html_has_class(a, "footnote-ref") || html_has_class(a, "footnote");
        if (!marked)
            return NULL;
    }
    return &notes->v[index - 1];
}

static int is_bracket_text(const xmlNode *t)
{
    for (const char *s = (const char *)t->content; s && *s; s++)
        if (!html_is_space((unsigned char)*s) && !strchr("[](),", *s))
            return 0;
    return 1;
}

/* The single link a <sup> wraps (text around it only brackets), or NULL. */
static const xmlNode *sup_link(const xmlNode *sup)
{
    const xmlNode *link = NULL;
    for (const xmlNode *c = sup->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE) {
            if (!is_bracket_text(c))
                return NULL;
        } else if (c->type == XML_ELEMENT_NODE) {
            if (link || !html_is(c, "a"))
                return NULL;
            link = c;
        }
    }
    return link;
}

html_notes *html_notes_find(xmlDocPtr dom)
{
    xmlNode *root = xmlDocGetRootElement(dom);
    html_notes *notes = calloc(1, sizeof *notes);
    if (!notes)
        return NULL;
    notes->by_id = xmlHashCreate(64);
    notes->ref_ids = xmlHashCreate(64);
    if (!notes->by_id || !notes->ref_ids || !root) {
        html_notes_free(notes);
        return NULL;
    }
    /* Notes first (their subtrees are not searched for more notes)... */
    for (xmlNode *n = root; n;) {
        int skip = 0;
        if (n->type == XML_ELEMENT_NODE && is_note_element(n)) {
            add_note(notes, n);
            skip = 1;
        }
        n = html_next(root, n, skip);
    }
    if (notes->n == 0)
        return notes;
    /* ...then the references, whose ids tell backlinks apart. */
    for (xmlNode *n = root; n; n = html_next(root, n, 0)) {
        if (!html_is(n, "a") || !link_target(notes, n))
            continue;
        const char *id = html_attr(n, "id");
        if (id && *id)
            xmlHashAddEntry(notes->ref_ids, (const xmlChar *)id, (void *)1);
        const xmlNode *p = n->parent;
        const char *pid = p ? html_attr(p, "id") : NULL;
        if (pid && *pid && (html_is(p, "sup") || html_is(p, "span")))
            xmlHashAddEntry(notes->ref_ids, (const xmlChar *)pid, (void *)1);
    }
    return notes;
}

void html_notes_free(html_notes *notes)
{
    if (!notes)
        return;
    if (notes->by_id)
        xmlHashFree(notes->by_id, NULL);
    if (notes->ref_ids)
        xmlHashFree(notes->ref_ids, NULL);
    free(notes->v);
    free(notes);
}

const char *html_notes_enter(html_notes *notes, const xmlNode *n)
{
    if (notes->n == 0)
        return NULL;
    const char *id = html_attr(n, "id");
    if (!id || !*id)
        return NULL;
    const uintptr_t index = (uintptr_t)xmlHashLookup(notes->by_id, (const xmlChar *)id);
    if (!index || notes->v[index - 1].el != n)
        return NULL;
    notes->v[index - 1].walked = 1;
    return notes->v[index - 1].label;
}

const char *html_notes_ref_label(html_notes *notes, const xmlNode *n)
{
    if (notes->n == 0)
        return NULL;
    const xmlNode *a = html_is(n, "sup") ? sup_link(n) : n;
    note *target = a ? link_target(notes, a) : NULL;
    if (!target)
        return NULL;
    target->referenced = 1;
    return target->label;
}

int html_notes_is_backlink(const html_notes *notes, const xmlNode *n)
{
    if (!html_is(n, "a"))
        return 0;
    if (html_attr_has_token(n, "role", "doc-backlink") || html_has_class(n, "footnote-back") ||
        html_has_class(n, "footnote-backref") || html_has_class(n, "reversefootnote") ||
        html_has_class(n, "footnote-return"))
        return 1;
    const char *rev = html_attr(n, "rev");
    if (rev && strcasecmp(rev, "footnote") == 0)
        return 1;
    const char *href = html_attr(n, "href");
    const char *hash = href ? strchr(href, '#') : NULL;
    return hash && hash[1] && xmlHashLookup(notes->ref_ids, (const xmlChar *)hash + 1);
}

xmlNode *html_notes_next_unwalked(const html_notes *notes, size_t *cursor)
{
    while (*cursor < notes->n) {
        const note *nt = &notes->v[(*cursor)++];
        if (nt->referenced && !nt->walked)
            return nt->el;
    }
    return NULL;
}
