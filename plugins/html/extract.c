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
    ex_append_child(ex, holder, work);
    xmlNodePtr article = ex_grab_article(ex, work);
    if (article != NULL && !ex->nomem) {
        ex_prep_article(ex, article); /* leaves the article's figures up to date */
        *len = ex_len(ex, article);
    }
    xmlFreeNode(holder);
    ex_empty_trash(ex);
    return article;
}

/* The same search on the page itself, every edit logged. Returns the
 * detached article (or NULL) and its text length; the caller keeps the
 * edits or undoes them. */
static xmlNodePtr attempt_in_place(ex_ctx *ex, xmlNodePtr page, uint32_t *len)
{
    *len = 0;
    ex->logging = 1;
    xmlNodePtr article = ex_grab_article(ex, page);
    if (article != NULL && !ex->nomem) {
        ex_prep_article(ex, article);
        *len = ex_len(ex, article);
    }
    ex->logging = 0;
    return article;
}

/* Whether the last of the n + 1 lengths is longer than all before it (the
 * first longest is the one chosen when none is enough). */
static int longest_is_last(const uint32_t *lengths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lengths[i] >= lengths[n])
            return 0;
    return lengths[n] > 0;
}

/* A kept attempt on the page itself: what it removed is freed. */
static void keep_attempt(ex_ctx *ex)
{
    ex_undo_forget(ex);
    ex_empty_trash(ex);
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
    int flags_of[MAX_ATTEMPTS] = {0}, byline_of[MAX_ATTEMPTS] = {0};
    size_t n = 0, chosen = MAX_ATTEMPTS;
    int status = -1;

    xmlNodePtr page = find_body(root);
    ex_read_metadata(&ex, root);
    ex_prep_document(&ex, page);
    ex_empty_trash(&ex);
    if (ex.nomem)
        goto done;
    /* The records made so far hold only what the first attempt would put
     * in fresh ones (tags, kept current by ex_set_tag, and attributes the
     * preparation does not touch): they are kept rather than made again. */
    /* Copying the page for each attempt costs about as much as the search
     * itself; working on the page and undoing a failed attempt gives the
     * same articles, when every edit can be undone. The page proper has no
     * parent to climb to either way: <html> or a detached copy of it. */
    const xmlNode *above = page->parent;
    const int in_place = above != NULL && above->type == XML_ELEMENT_NODE &&
                         (above->parent == NULL || above->parent->type != XML_ELEMENT_NODE) &&
                         ex.no_lazy_images;

    while (n < MAX_ATTEMPTS) {
        flags_of[n] = ex.flags;
        byline_of[n] = ex.byline_found;
        /* Each try starts from fresh records but the first, which takes
         * those of the preparation. Records left by the last try are
         * harmless: pointers to them from freed copies are never read. */
        if (n > 0)
            ex_info_reset(&ex);
        if (in_place) {
            articles[n] = attempt_in_place(&ex, page, &lengths[n]);
            if (ex.nomem)
                goto done;
            if (lengths[n] >= ENOUGH_TEXT || (ex.flags == 0 && longest_is_last(lengths, n))) {
                /* the last try, when it is the one chosen, need not be made again */
                keep_attempt(&ex);
            } else {
                ex_undo_all(&ex); /* the article <div> was made, so goes too */
                articles[n] = NULL;
            }
        } else {
            articles[n] = attempt(&ex, page, &lengths[n]);
        }
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
            if (lengths[chosen] == 0) {
                chosen = MAX_ATTEMPTS;
            } else if (in_place && chosen != n - 1) {
                /* undone: made again, as it came out the first time */
                ex.flags = flags_of[chosen];
                ex.byline_found = byline_of[chosen];
                uint32_t again = 0;
                ex_info_reset(&ex);
                articles[chosen] = attempt_in_place(&ex, page, &again);
                keep_attempt(&ex);
                if (ex.nomem)
                    goto done;
            }
            break;
        }
        drop_flag(&ex);
    }

    if (chosen < MAX_ATTEMPTS) {
        free_children(page);
        ex_append_child(&ex, page, articles[chosen]);
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
    /* An abandoned attempt on the page leaves a valid tree; its log only
     * holds names to free. */
    ex_undo_forget(&ex);
    free(ex.undo.v);
    ex_empty_trash(&ex);
    ex_clear_private(root);
    ex_vec_free(&ex.trash);
    ex_info_free(&ex);
    ex_stats_forget_page(&ex);
    ex_hint_memo_free(&ex);
    free(ex.title);
    return status;
}
