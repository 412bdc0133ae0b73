/* doc.c — the document: owner of the arena, the root, limits and the checks
 * of the tree's invariants. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void oct_limits_default(oct_limits *l)
{
    l->struct_size = sizeof *l;
    l->max_input_bytes = (uint64_t)256 << 20;
    l->max_depth = 256;
    l->max_nodes = 20u * 1000 * 1000;
    l->max_resource_bytes = (uint64_t)50 << 20;
    l->max_resources = 10000;
    l->max_total_resource_bytes = (uint64_t)1 << 30;
    l->max_output_bytes = (uint64_t)4 << 30;
}

oct_doc *oct_doc_new(void)
{
    oct_doc *doc = calloc(1, sizeof *doc);
    if (!doc) return NULL;
    oct_arena_init(&doc->arena);
    oct_limits_default(&doc->limits);
    doc->root = oct_node_new(doc, OCT_NODE_DOCUMENT);
    if (!doc->root) {
        oct_arena_free(&doc->arena);
        free(doc);
        return NULL;
    }
    return doc;
}

void oct_doc_free(oct_doc *doc)
{
    if (!doc) return;
    oct_meta_free_all(doc);
    oct_resources_free_all(doc);
    oct_arena_free(&doc->arena);
    free(doc);
}

oct_node *oct_doc_root(const oct_doc *doc) { return doc ? doc->root : NULL; }

void oct_limits_copy(oct_limits *dst, const oct_limits *src)
{
    oct_limits d;
    oct_limits_default(&d);
    /* Copy only what the caller's struct covers (it may be older than ours);
     * fields it lacks keep their defaults. */
    size_t n = src->struct_size < sizeof d ? src->struct_size : sizeof d;
    if (n > sizeof d.struct_size)
        memcpy((char *)&d + sizeof d.struct_size, (const char *)src + sizeof d.struct_size,
               n - sizeof d.struct_size);
    d.struct_size = sizeof d;
    if (d.max_depth < 8) d.max_depth = 8;
    *dst = d;
}

void oct_doc_set_limits(oct_doc *doc, const oct_limits *l)
{
    if (doc && l) oct_limits_copy(&doc->limits, l);
}

const oct_limits *oct_doc_limits(const oct_doc *doc) { return doc ? &doc->limits : NULL; }
size_t oct_doc_node_count(const oct_doc *doc) { return doc ? doc->node_count : 0; }

char *oct_doc_strndup(oct_doc *doc, const char *s, size_t len)
{
    return doc ? oct_arena_strndup(&doc->arena, s, len) : NULL;
}

const char *oct_doc_intern(oct_doc *doc, const char *s)
{
    return s ? oct_arena_strndup(&doc->arena, s, strlen(s)) : NULL;
}

const char *oct_doc_base(const oct_doc *doc) { return doc ? doc->base : NULL; }

oct_status oct_doc_set_base(oct_doc *doc, const char *base)
{
    if (!doc) return OCT_ERR_INVALID_ARG;
    if (!base) { doc->base = NULL; return OCT_OK; }
    const char *copy = oct_doc_intern(doc, base);
    if (!copy) return OCT_ERR_NOMEM;
    doc->base = copy;
    return OCT_OK;
}

oct_node *oct_doc_find_footnote(const oct_doc *doc, const char *label)
{
    if (!doc || !label) return NULL;
    for (oct_node *n = doc->root->first_child; n; n = n->next)
        if (n->type == OCT_NODE_FOOTNOTE_DEF && strcmp(n->as.note.label, label) == 0) return n;
    return NULL;
}

/* The tree's invariants, checked from the root. Literals are checked only
 * when asked: every way of setting one (oct_node_set_literal, the builder's
 * text) refuses bytes that are not UTF-8 or hold a NUL, and trimming or
 * joining valid UTF-8 keeps it valid, so after a reader they cannot be
 * wrong, and scanning every byte of the text again would cost more than
 * the rest of the check. */
static oct_status check_tree(const oct_doc *doc, int literals, oct_error *err)
{
    if (!doc || !doc->root) return oct_error_set(err, OCT_ERR_INVALID_ARG, NULL, 0, "no document");
    oct_iter it;
    oct_iter_init(&it, doc->root);
    size_t seen = 0;
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        if (ev != OCT_EVENT_ENTER) continue;
        const oct_node *n = it.node;
        const oct_node_type type = (oct_node_type)n->type;
        if (++seen > doc->node_count)
            return oct_error_set(err, OCT_ERR_INVALID_CHILD, NULL, 0, "tree has a cycle");
        if (n->doc != doc)
            return oct_error_set(err, OCT_ERR_INVALID_ARG, NULL, 0, "%s from another document",
                                 oct_node_type_name(type));
        if (n != doc->root) {
            const oct_node *p = n->parent;
            if (!p || !oct_node_type_can_contain((oct_node_type)p->type, type))
                return oct_error_set(err, OCT_ERR_INVALID_CHILD, NULL, n->line, "%s inside %s",
                                     oct_node_type_name(type),
                                     p ? oct_node_type_name((oct_node_type)p->type) : "nothing");
            if ((n->prev ? n->prev->next : p->first_child) != n ||
                (n->next ? n->next->prev : p->last_child) != n)
                return oct_error_set(err, OCT_ERR_INVALID_CHILD, NULL, 0,
                                     "broken sibling links at %s", oct_node_type_name(type));
        }
        if (literals && n->literal &&
            (memchr(n->literal, '\0', n->literal_len) || !oct_utf8_is_valid(n->literal, n->literal_len)))
            return oct_error_set(err, OCT_ERR_INVALID_UTF8, NULL, n->line, "%s text is not UTF-8",
                                 oct_node_type_name(type));
        if (type == OCT_NODE_HEADING && (n->as.heading.level < 1 || n->as.heading.level > 6))
            return oct_error_set(err, OCT_ERR_INVALID_ARG, NULL, n->line, "heading level %d",
                                 n->as.heading.level);
    }
    return OCT_OK;
}

oct_status oct_doc_validate(const oct_doc *doc, oct_error *err) { return check_tree(doc, 1, err); }

oct_status oct_doc_validate_shape(const oct_doc *doc, oct_error *err)
{
    return check_tree(doc, 0, err);
}

oct_status oct_doc_append_doc(oct_doc *dst, oct_doc *src, oct_error *err)
{
    if (!dst || !src || dst == src) return oct_error_set(err, OCT_ERR_INVALID_ARG, NULL, 0, NULL);
    if (dst->node_count + src->node_count > dst->limits.max_nodes)
        return oct_error_set(err, OCT_ERR_LIMIT, NULL, 0,
                             "more than %llu nodes (raise with --max-nodes)",
                             (unsigned long long)dst->limits.max_nodes);
    /* Resources first: an identical image in both documents becomes one. */
    oct_resource **map_from = NULL, **map_to = NULL;
    size_t nmap = src->res_len;
    if (nmap) {
        map_from = calloc(nmap, sizeof *map_from);
        map_to = calloc(nmap, sizeof *map_to);
        if (!map_from || !map_to) {
            free(map_from);
            free(map_to);
            return oct_error_set(err, OCT_ERR_NOMEM, NULL, 0, NULL);
        }
    }
    for (size_t i = 0; i < nmap; i++) {
        oct_resource *r = src->resources[i];
        map_from[i] = r;
        map_to[i] = oct_doc_add_resource(dst, r->data, r->len, r->media_type, r->source_url, err);
        if (!map_to[i]) {
            free(map_from);
            free(map_to);
            return err ? err->status : OCT_ERR_NOMEM;
        }
    }
    /* A key dst already had keeps dst's values; src only fills the gaps. */
    size_t dst_before = dst->meta_len;
    for (size_t i = 0; i < src->meta_len; i++) {
        const char *k = src->meta[i].key;
        int had = 0;
        for (size_t j = 0; j < dst_before && !had; j++) had = strcmp(dst->meta[j].key, k) == 0;
        if (!had) oct_meta_add(dst, k, src->meta[i].value);
    }
    if (!dst->cover && src->cover) {
        for (size_t i = 0; i < nmap; i++)
            if (map_from[i] == src->cover) dst->cover = map_to[i];
    }
    /* Move the nodes: re-own them, remap image resources, then splice. */
    oct_iter it;
    oct_iter_init(&it, src->root);
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        if (ev != OCT_EVENT_ENTER) continue;
        oct_node *n = (oct_node *)it.node;
        n->doc = dst;
        if (n->type == OCT_NODE_IMAGE && n->as.image.resource) {
            for (size_t i = 0; i < nmap; i++)
                if (map_from[i] == n->as.image.resource) { n->as.image.resource = map_to[i]; break; }
        }
    }
    free(map_from);
    free(map_to);
    oct_node *c = src->root->first_child;
    while (c) {
        oct_node *next = c->next;
        oct_node_append_unchecked(dst->root, c);
        c = next;
    }
    src->root->first_child = src->root->last_child = NULL;
    dst->node_count += src->node_count - 1;
    dst->types_made |= src->types_made;
    oct_arena_merge(&dst->arena, &src->arena);
    oct_doc_free(src);
    return OCT_OK;
}
