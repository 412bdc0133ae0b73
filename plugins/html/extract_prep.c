/*
 * extract_prep.c — the page before scoring: lazy-loaded images take their
 * real version from <noscript>; scripts, styles, comments and inert
 * templates go; runs of <br><br> become paragraphs; <font> becomes <span>.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "extract_internal.h"

#define SINGLE_IMAGE_MAX_DEPTH 16

/* ------------------------------------------------------------ noscript images */

static int names_image_file(const char *value)
{
    static const char *const exts[] = {".jpg", ".jpeg", ".png", ".webp", NULL};
    for (const char *p = strchr(value, '.'); p != NULL; p = strchr(p + 1, '.'))
        for (size_t i = 0; exts[i] != NULL; i++)
            if (strncasecmp(p, exts[i], strlen(exts[i])) == 0)
                return 1;
    return 0;
}

static const char *attr_value(xmlAttrPtr a)
{
    return a->children != NULL && a->children->content != NULL ? (const char *)a->children->content
                                                                : "";
}

/* An <img> with nowhere to load a picture from is a placeholder. */
static int is_empty_image(xmlNodePtr img)
{
    for (xmlAttrPtr a = img->properties; a != NULL; a = a->next) {
        const char *name = (const char *)a->name;
        if (strcasecmp(name, "src") == 0 || strcasecmp(name, "srcset") == 0 ||
            strcasecmp(name, "data-src") == 0 || strcasecmp(name, "data-srcset") == 0 ||
            names_image_file(attr_value(a)))
            return 0;
    }
    return 1;
}

/* The image itself, or an element wrapping exactly one image and no text.
 * The text is checked once, at the top: what lies deeper is part of it. */
static xmlNodePtr single_image(ex_ctx *ex, xmlNodePtr node)
{
    char text[1024];
    if (ex_tag_of(ex, node) != EX_TAG_IMG) {
        if (!ex_gather_text(node, text, sizeof text, 64))
            return NULL;
        for (const char *p = text; *p != '\0'; p++)
            if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r' && *p != '\f')
                return NULL;
    }
    for (int depth = 0; node != NULL && depth < SINGLE_IMAGE_MAX_DEPTH; depth++) {
        if (ex_tag_of(ex, node) == EX_TAG_IMG)
            return node;
        if (ex_element_children(node) != 1)
            return NULL;
        node = ex_next_element(node, 0, node);
    }
    return NULL;
}

/* Keeps the placeholder's real sources on the new image, as data-old-*
 * when the new one already has that attribute. */
static void carry_sources(xmlNodePtr from, xmlNodePtr to)
{
    for (xmlAttrPtr a = from->properties; a != NULL; a = a->next) {
        const char *value = attr_value(a);
        const char *name = (const char *)a->name;
        if (*value == '\0' || (strcasecmp(name, "src") != 0 && strcasecmp(name, "srcset") != 0 &&
                               !names_image_file(value)))
            continue;
        xmlChar *have = xmlGetProp(to, a->name);
        int same = have != NULL && strcmp((const char *)have, value) == 0;
        xmlFree(have);
        if (same)
            continue;
        if (xmlHasProp(to, a->name) != NULL) {
            char renamed[128];
            snprintf(renamed, sizeof renamed, "data-old-%s", name);
            xmlSetProp(to, BAD_CAST renamed, BAD_CAST value);
        } else {
            xmlSetProp(to, a->name, BAD_CAST value);
        }
    }
}

/* Readability's _unwrapNoscriptImages: <img placeholder><noscript><img real>
 * becomes <img real>; placeholders with no source at all go. */
static void unwrap_noscript_images(ex_ctx *ex, xmlNodePtr page)
{
    ex_vec noscripts = {0};
    xmlNodePtr node = ex_next_element(page, 0, page);
    while (node != NULL) {
        ex_tag tag = ex_tag_of(ex, node);
        if (tag == EX_TAG_IMG && is_empty_image(node)) {
            xmlNodePtr next = ex_next_element(node, 1, page);
            ex_remove(ex, node);
            node = next;
            continue;
        }
        if (tag == EX_TAG_NOSCRIPT)
            ex_vec_push(ex, &noscripts, node);
        node = ex_next_element(node, 0, page);
    }
    for (size_t i = 0; i < noscripts.n; i++) {
        xmlNodePtr ns = noscripts.v[i];
        if (ns->parent == NULL)
            continue;
        xmlNodePtr real = single_image(ex, ns);
        xmlNodePtr prev = ns->prev;
        while (prev != NULL && prev->type != XML_ELEMENT_NODE)
            prev = prev->prev;
        xmlNodePtr placeholder = real != NULL && prev != NULL ? single_image(ex, prev) : NULL;
        if (placeholder == NULL)
            continue;
        carry_sources(placeholder, real);
        ex_unlink(ex, real);
        ex_insert_before(ex, prev, real);
        ex_remove(ex, prev);
    }
    ex_vec_free(&noscripts);
}

static int is_junk(ex_ctx *ex, xmlNodePtr node)
{
    if (node->type == XML_COMMENT_NODE || node->type == XML_PI_NODE)
        return 1;
    switch (ex_tag_of(ex, node)) {
    case EX_TAG_SCRIPT: case EX_TAG_NOSCRIPT: case EX_TAG_STYLE: case EX_TAG_TEMPLATE:
        return 1;
    default:
        return 0;
    }
}

static void remove_junk(ex_ctx *ex, xmlNodePtr page)
{
    xmlNodePtr node = page->children;
    while (node != NULL && node != page) {
        if (is_junk(ex, node)) {
            xmlNodePtr next = node->next;
            xmlNodePtr parent = node->parent;
            ex_remove(ex, node);
            if (next != NULL) {
                node = next;
                continue;
            }
            node = parent;
        } else if (node->type == XML_ELEMENT_NODE && node->children != NULL) {
            node = node->children;
            continue;
        }
        while (node != page && node->next == NULL)
            node = node->parent;
        if (node == page)
            break;
        node = node->next;
    }
}

/* Readability's _nextNode: skips whitespace-only text. */
static xmlNodePtr skip_blank(ex_ctx *ex, xmlNodePtr node)
{
    while (node != NULL && node->type != XML_ELEMENT_NODE && ex_is_whitespace_node(ex, node))
        node = node->next;
    return node;
}

/* <br> followed by more <br>s: the chain becomes one <p> holding the
 * phrasing content up to the next chain. Returns the node to continue from. */
static xmlNodePtr replace_br_chain(ex_ctx *ex, xmlNodePtr br)
{
    int replaced = 0;
    xmlNodePtr next = br->next;
    while ((next = skip_blank(ex, next)) != NULL && ex_tag_of(ex, next) == EX_TAG_BR) {
        replaced = 1;
        xmlNodePtr after = next->next;
        ex_remove(ex, next);
        next = after;
    }
    if (!replaced)
        return br;
    xmlNodePtr p = ex_new_element(ex, "p");
    if (p == NULL)
        return br;
    ex_insert_before(ex, br, p);
    ex_remove(ex, br);
    next = p->next;
    while (next != NULL) {
        if (ex_tag_of(ex, next) == EX_TAG_BR) {
            xmlNodePtr following = skip_blank(ex, next->next);
            if (following != NULL && ex_tag_of(ex, following) == EX_TAG_BR)
                break;
        }
        if (!ex_is_phrasing(ex, next))
            break;
        xmlNodePtr after = next->next;
        ex_unlink(ex, next);
        ex_append_child(ex, p, next);
        next = after;
    }
    while (p->last != NULL && ex_is_whitespace_node(ex, p->last))
        ex_remove(ex, p->last);
    if (ex_tag_of(ex, p->parent) == EX_TAG_P)
        ex_set_tag(ex, p->parent, EX_TAG_DIV, "div");
    return p;
}

void ex_prep_document(ex_ctx *ex, xmlNodePtr page)
{
    unwrap_noscript_images(ex, page);
    remove_junk(ex, page);
    /* Fonts are renamed as the walk reaches them, so a <font> after a <br>
     * still ends its paragraph, as in Readability (which renames later).
     * The walk meets every element left in the page, images included,
     * none of which it edits: it tells whether a lazy image is there. */
    ex->no_lazy_images = 1;
    for (xmlNodePtr node = ex_next_element(page, 0, page); node != NULL && !ex->nomem;) {
        ex_tag tag = ex_tag_of(ex, node);
        if (ex->no_lazy_images && ex_may_fix_lazy_image(node, tag))
            ex->no_lazy_images = 0;
        if (tag == EX_TAG_BR)
            node = replace_br_chain(ex, node);
        else if (tag == EX_TAG_FONT)
            ex_set_tag(ex, node, EX_TAG_SPAN, "span");
        node = ex_next_element(node, 0, page);
    }
}
