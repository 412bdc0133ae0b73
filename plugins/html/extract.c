/*
 * extract.c — oct_html_extract: runs the article search on a copy of the
 * body, relaxing the rules (no stripping of unlikely nodes, then no class
 * weights, then no conditional cleaning) while less than 500 characters come
 * out, and finally puts the chosen article in the body in place of the rest.
 */
#include <stdlib.h>
#include <string.h>

#include "extract_internal.h"

#define ENOUGH_TEXT 500
#define MAX_ATTEMPTS 4

static xmlNodePtr find_body(xmlNodePtr root)
{
    for (xmlNodePtr node = root; node != NULL; node = ex_next_element(node, 0, root))
        if (ex_tag_lookup(node->name) == EX_TAG_BODY)
            return node;
    return root;
}

static void free_children(xmlNodePtr node)
{
    while (node->children != NULL) {
        xmlNodePtr c = node->children;
        xmlUnlinkNode(c);
        xmlFreeNode(c);
    }
}

static void drop_flag(ex_ctx *ex)
{
    if (ex->flags & EX_FLAG_STRIP_UNLIKELYS)
        ex->flags &= ~EX_FLAG_STRIP_UNLIKELYS;
    else if (ex->flags & EX_FLAG_WEIGHT_CLASSES)
        ex->flags &= ~EX_FLAG_WEIGHT_CLASSES;
    else
        ex->flags &= ~EX_FLAG_CLEAN_CONDITIONALLY;
}

/* One pass of the search on a fresh copy of page. The copy hangs under a
 * detached shallow copy of page's parent, so scoring sees an ancestor as it
 * would in the page, but nothing the search moves or frees can belong to
 * the real document (fuzzing found a malformed page where it did). Returns
 * the detached article (or NULL) and its text length. */
static xmlNodePtr attempt(ex_ctx *ex, xmlNodePtr page, uint32_t *len)
{
    *len = 0;
    xmlNodePtr parent = page->parent;
    xmlNodePtr holder = parent && parent->type == XML_ELEMENT_NODE
                            ? xmlDocCopyNode(parent, ex->doc, 2)
                            : xmlNewDocNode(ex->doc, NULL, BAD_CAST "html", NULL);
    if (holder == NULL) {
        ex->nomem = 1;
        return NULL;
    }
    holder->_private = NULL;
    xmlNodePtr work = ex_copy_tree(ex, page);
    if (work == NULL) {
        xmlFreeNode(holder);
        return NULL;
    }
    ex_append_child(holder, work);
    xmlNodePtr article = ex_grab_article(ex, work);
    if (article != NULL && !ex->nomem) {
        ex_prep_article(ex, article); /* leaves the article's figures up to date */
        *len = ex_len(ex, article);
    }
    xmlFreeNode(holder);
    ex_empty_trash(ex);
    ex_info_reset(ex); /* stale indexes left in nodes never match a record */
    return article;
}

int oct_html_extract(xmlDocPtr doc, oct_context *ctx, oct_extract_result *out)
{
    if (out == NULL || doc == NULL)
        return -1;
    out->content = NULL;
    out->confident = 0;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (root == NULL)
        return 0;

    ex_ctx ex;
    memset(&ex, 0, sizeof ex);
    ex.doc = doc;
    ex.log = ctx;
    ex.flags = EX_FLAG_ALL;
    xmlNodePtr articles[MAX_ATTEMPTS] = {NULL};
    uint32_t lengths[MAX_ATTEMPTS] = {0};
    size_t n = 0, chosen = MAX_ATTEMPTS;
    int status = -1;

    xmlNodePtr page = find_body(root);
    ex_read_metadata(&ex, root);
    ex_prep_document(&ex, page);
    ex_empty_trash(&ex);
    ex_info_reset(&ex);
    if (ex.nomem)
        goto done;

    while (n < MAX_ATTEMPTS) {
        articles[n] = attempt(&ex, page, &lengths[n]);
        if (ex.nomem)
            goto done;
        n++;
        if (lengths[n - 1] >= ENOUGH_TEXT) {
            chosen = n - 1;
            out->confident = 1;
            break;
        }
        if (ex.flags == 0) {
            /* Nothing was enough: the longest of all tries, if any text. */
            chosen = 0;
            for (size_t i = 1; i < n; i++)
                if (lengths[i] > lengths[chosen])
                    chosen = i;
            if (lengths[chosen] == 0)
                chosen = MAX_ATTEMPTS;
            break;
        }
        drop_flag(&ex);
    }

    if (chosen < MAX_ATTEMPTS) {
        free_children(page);
        ex_append_child(page, articles[chosen]);
        out->content = articles[chosen];
        articles[chosen] = NULL;
        if (ctx != NULL)
            oct_info(ctx, "article: %u characters kept after %zu attempt%s%s",
                     (unsigned)lengths[chosen], n, n == 1 ? "" : "s",
                     out->confident ? "" : " (low confidence)");
    } else if (ctx != NULL) {
        oct_info(ctx, "article: no main content found, keeping the whole body");
    }
    status = 0;
done:
    for (size_t i = 0; i < MAX_ATTEMPTS; i++)
        if (articles[i] != NULL)
            xmlFreeNode(articles[i]);
    ex_empty_trash(&ex);
    ex_clear_private(root);
    ex_vec_free(&ex.trash);
    ex_info_free(&ex);
    free(ex.title);
    return status;
}
