/*
 * split.c — planning the book before a byte is written.
 *
 * Links and notes point across chapter files, so where everything lands must
 * be known up front. Two walks over the tree (never recursive) decide:
 *   1. the split level: the highest heading level that occurs at least twice
 *      outside lists, quotes and tables (only DIVs may wrap a chapter's
 *      heading, since the renderer can close and reopen DIVs at a file
 *      boundary but nothing else); short articles are not split;
 *   2. the chapters, the file and final id of every source id, the number and
 *      file of every footnote, the images used and the table of contents.
 * Footnote definitions are then walked in number order; references found in
 * them number further notes, so nested notes work without recursion.
 */
#include "epub.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Below this much text an article stays one file unless asked otherwise. */
#define SHORT_ARTICLE_BYTES (24 * 1024)
#define PLAIN_TEXT_MAX 2048
#define NOTES_FILE_PENDING (-2)

/* A sentinel value in images_by_id for resources that were dropped. */
static char dropped_marker;

typedef struct planner {
    epub_book *b;
    epub_map defs_by_label; /* label -> FOOTNOTE_DEF */
    size_t cap_chapters, cap_notes, cap_toc, cap_images;
} planner;

/* ----------------------------------------------------------- plain text */

char *epub_plain_text(const oct_node *n)
{
    /* A heading's text is short and bounded: gathered on the stack, one
     * byte store each, and copied once. */
    char out[PLAIN_TEXT_MAX + 8];
    size_t used = 0;
    oct_iter it;
    oct_event ev;
    int pending_space = 0;

    oct_iter_init(&it, n);
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE && used < PLAIN_TEXT_MAX) {
        const oct_node *c = oct_iter_node(&it);
        const char *s = NULL;
        size_t len = 0;

        if (ev != OCT_EVENT_ENTER)
            continue;
        switch (oct_node_get_type(c)) {
        case OCT_NODE_TEXT:
        case OCT_NODE_CODE:
            s = oct_node_literal(c, &len);
            break;
        case OCT_NODE_IMAGE:
            s = oct_node_image_alt(c);
            len = s ? strlen(s) : 0;
            break;
        case OCT_NODE_SOFT_BREAK:
        case OCT_NODE_LINE_BREAK:
            pending_space = used > 0;
            break;
        case OCT_NODE_FOOTNOTE_REF:
        case OCT_NODE_RAW_INLINE:
            oct_iter_skip_children(&it);
            break;
        default:
            break;
        }
        /* at most PLAIN_TEXT_MAX + 1 bytes: a space and a byte past the
         * last check */
        for (size_t i = 0; s && i < len && used < PLAIN_TEXT_MAX; i++) {
            unsigned char ch = (unsigned char)s[i];
            if (ch > ' ' && !pending_space) { /* most bytes */
                out[used++] = (char)ch;
                continue;
            }
            if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
                pending_space = used > 0;
                continue;
            }
            if (pending_space)
                out[used++] = ' ';
            pending_space = 0;
            out[used++] = (char)ch;
        }
    }
    /* Never cut a character in half. */
    while (used > 0 && used >= PLAIN_TEXT_MAX && ((unsigned char)out[used - 1] & 0xC0) == 0x80)
        used--;
    if (used > 0 && used >= PLAIN_TEXT_MAX && (unsigned char)out[used - 1] >= 0xC0)
        used--;
    char *text = malloc(used + 1);
    if (!text)
        return NULL;
    memcpy(text, out, used);
    text[used] = '\0';
    return text;
}

/* ---------------------------------------------------------------- names */

static int is_name_start(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
           (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) ||
           (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
           (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
           (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0xEFFFF);
}

static int is_name_char(uint32_t c)
{
    return is_name_start(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7 ||
           (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

/* What an ASCII character is in a name: 2 a start character, 1 only a
 * later one, 0 neither. Letters, most of any id, are told by one test. */
static int ascii_name_class(unsigned char c)
{
    if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_')
        return 2;
    return (c >= '0' && c <= '9') || c == '-' || c == '.';
}

void epub_make_ncname(const char *s, const char *prefix, char *out, size_t size)
{
    size_t o = 0, i = 0, len = s ? strlen(s) : 0;
    const size_t plen = strlen(prefix);

    if (size == 0)
        return;
    if (len > 0) {
        /* a name cannot start with what the first character is */
        uint32_t cp = (unsigned char)s[0];
        int start = cp < 0x80 ? ascii_name_class((unsigned char)cp) == 2
                              : (oct_utf8_decode(s, len, &cp), is_name_start(cp));
        if (!start && plen + 1 < size) {
            memcpy(out, prefix, plen);
            o = plen;
        }
    }
    while (i < len) {
        /* ids are mostly ASCII: kept or replaced by '-', never decoded */
        for (; i < len && (unsigned char)s[i] < 0x80; i++) {
            if (o + 2 > size)
                goto done;
            out[o++] = ascii_name_class((unsigned char)s[i]) ? s[i] : '-';
        }
        if (i == len)
            break;
        uint32_t cp;
        const size_t k = oct_utf8_decode(s + i, len - i, &cp);
        char enc[4];
        size_t n;
        if (is_name_char(cp) && cp != 0xFFFD) {
            n = oct_utf8_encode(cp, enc);
        } else {
            enc[0] = '-';
            n = 1;
        }
        if (o + n + 1 > size)
            break;
        memcpy(out + o, enc, n);
        o += n;
        i += k;
    }
done:
    if (o == 0)
        o = (size_t)snprintf(out, size, "%s", prefix);
    if (o >= size)
        o = size - 1;
    out[o] = '\0';
}

/* Reserves a unique id derived from want; returns a malloc()ed copy. */
static char *reserve_id(epub_book *b, const char *want)
{
    char base[200], candidate[224];
    int inserted = 0;

    epub_make_ncname(want, "id-", base, sizeof base - 2);
    /* Ids we generate ourselves live in these name spaces. */
    if (strncmp(base, "note-", 5) == 0 || strncmp(base, "noteref-", 8) == 0 ||
        strncmp(base, "octavo-", 7) == 0) {
        memmove(base + 2, base, strlen(base) + 1);
        memcpy(base, "x-", 2);
    }
    memcpy(candidate, base, strlen(base) + 1); /* base is the shorter */
    for (unsigned long k = 2;; k++) {
        /* one look-up: the put says whether the id was free */
        if (epub_map_put(&b->used_ids, candidate, &dropped_marker, &inserted) != OCT_OK)
            return NULL;
        if (inserted)
            return strdup(candidate);
        snprintf(candidate, sizeof candidate, "%s-%lu", base, k);
    }
}

/* ------------------------------------------------------------- planning */

/* Records where n's id lands; fixed_id (a note's own id) replaces the
 * derived one. */
static oct_status add_anchor(planner *p, const oct_node *n, int chapter, const char *fixed_id)
{
    epub_book *b = p->b;
    const char *id = oct_node_id(n);
    epub_anchor *a;
    int inserted;

    if (!id || !*id || epub_map_get(&b->anchors, id))
        return OCT_OK; /* a later duplicate id is simply not written */
    a = calloc(1, sizeof *a);
    if (!a)
        return OCT_ERR_NOMEM;
    a->node = n;
    a->chapter = chapter;
    a->out_id = fixed_id ? strdup(fixed_id) : reserve_id(b, id);
    if (!a->out_id || epub_map_put(&b->anchors, id, a, &inserted) != OCT_OK) {
        free(a->out_id);
        free(a);
        return OCT_ERR_NOMEM;
    }
    return OCT_OK;
}

static int media_type_allowed(const epub_book *b, const char *mt)
{
    if (!mt)
        return 0;
    if (!strcmp(mt, "image/jpeg") || !strcmp(mt, "image/png") || !strcmp(mt, "image/gif") ||
        !strcmp(mt, "image/svg+xml"))
        return 1;
    /* WebP is an EPUB 3.3 core media type, but EPUB 3.2 readers, epubcheck
     * 4 and many devices reject it: it goes in only when asked for. */
    return !b->epub2 && !strcmp(mt, "image/webp") && oct_context_option_bool(b->ctx, "webp", 0);
}

static oct_status use_image(planner *p, const oct_resource *r, int is_cover)
{
    epub_book *b = p->b;
    const char *rid = oct_resource_id(r);
    void *known;
    epub_image *img;
    int inserted;

    if (!rid)
        return OCT_OK;
    known = epub_map_get(&b->images_by_id, rid);
    if (known == &dropped_marker)
        return OCT_OK;
    if (known) {
        if (is_cover)
            ((epub_image *)known)->is_cover = 1;
        return OCT_OK;
    }
    if (!media_type_allowed(b, oct_resource_media_type(r))) {
        if (!b->epub2 && oct_resource_media_type(r) && !strcmp(oct_resource_media_type(r), "image/webp"))
            oct_warn(b->ctx, "image %s is WebP, which many readers and EPUB 3.2 reject; dropped, "
                             "alt text kept (-V webp=on keeps it)",
                     oct_resource_source_url(r) ? oct_resource_source_url(r) : rid);
        else
            oct_warn(b->ctx, "image %s (%s) is not an %s core media type; dropped, alt text kept",
                     oct_resource_source_url(r) ? oct_resource_source_url(r) : rid,
                     oct_resource_media_type(r) ? oct_resource_media_type(r) : "unknown type",
                     b->epub2 ? "EPUB 2" : "EPUB 3");
        return epub_map_put(&b->images_by_id, rid, &dropped_marker, &inserted);
    }
    /* The array was sized for every resource of the document up front, so
     * pointers into it (held by the map) never move. */
    if (b->n_images >= p->cap_images)
        return OCT_OK;
    img = &b->images[b->n_images++];
    memset(img, 0, sizeof *img);
    img->res = r;
    img->is_cover = is_cover;
    snprintf(img->href, sizeof img->href, EPUB_IMAGE_DIR "%s.%s", rid,
             oct_resource_extension(r) ? oct_resource_extension(r) : "bin");
    return epub_map_put(&b->images_by_id, rid, img, &inserted);
}

static oct_status add_note(planner *p, const oct_node *def, const char *label, int ref_chapter,
                           int render_chapter)
{
    epub_book *b = p->b;
    epub_note *note;
    int inserted;

    if (b->n_notes == p->cap_notes) {
        size_t cap = p->cap_notes ? p->cap_notes * 2 : 16;
        epub_note **grown = realloc(b->notes, cap * sizeof *grown);
        if (!grown)
            return OCT_ERR_NOMEM;
        b->notes = grown;
        p->cap_notes = cap;
    }
    note = calloc(1, sizeof *note);
    if (!note)
        return OCT_ERR_NOMEM;
    note->def = def;
    note->number = (int)b->n_notes + 1;
    note->ref_chapter = ref_chapter;
    note->render_chapter = render_chapter;
    snprintf(note->id, sizeof note->id, "note-%d", note->number);
    b->notes[b->n_notes++] = note;
    return epub_map_put(&b->notes_by_label, label, note, &inserted);
}

/* What a walk of content does with ids, references and images; chapter is
 * the file the content lands in. */
static oct_status plan_node(planner *p, const oct_node *n, oct_node_type t, int chapter)
{
    epub_book *b = p->b;
    oct_status st = t == OCT_NODE_FOOTNOTE_DEF
                        ? OCT_OK /* its id is the note's, see plan_notes */
                        : add_anchor(p, n, chapter, NULL);

    if (st != OCT_OK)
        return st;
    switch (t) {
    case OCT_NODE_FOOTNOTE_REF: {
        const char *label = oct_node_footnote_label(n);
        const oct_node *def;
        if (!label || epub_map_get(&b->notes_by_label, label))
            return OCT_OK;
        def = epub_map_get(&p->defs_by_label, label);
        if (!def)
            return OCT_OK;
        return add_note(p, def, label, chapter,
                        b->notes_mode == EPUB_NOTES_CHAPTER ? chapter : NOTES_FILE_PENDING);
    }
    case OCT_NODE_IMAGE: {
        const oct_resource *r = oct_node_image_resource(n);
        return r ? use_image(p, r, 0) : OCT_OK;
    }
    default:
        return OCT_OK;
    }
}

static int is_wrapper(oct_node_type t) { return t == OCT_NODE_DOCUMENT || t == OCT_NODE_DIV; }

/* First walk: which heading levels occur where a chapter may start. */
static int choose_split_level(const epub_book *b, int *top_level)
{
    size_t per_level[7] = {0};
    size_t text_bytes = 0;
    long non_wrapper_depth = 0;
    oct_iter it;
    oct_event ev;

    *top_level = 0;
    oct_iter_init(&it, oct_doc_root(b->doc));
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        const oct_node *n = oct_iter_node(&it);
        oct_node_type t = oct_node_get_type(n);
        if (oct_node_type_is_leaf(t)) {
            size_t len = 0;
            if (t == OCT_NODE_TEXT && oct_node_literal(n, &len))
                text_bytes += len;
            continue;
        }
        if (ev == OCT_EVENT_EXIT) {
            if (!is_wrapper(t))
                non_wrapper_depth--;
            continue;
        }
        if (t == OCT_NODE_HEADING && non_wrapper_depth == 0) {
            int level = oct_node_heading_level(n);
            if (level >= 1 && level <= 6) {
                per_level[level]++;
                if (!*top_level || level < *top_level)
                    *top_level = level;
            }
        }
        if (!is_wrapper(t)) {
            non_wrapper_depth++;
            /* Inside, only text counts, and only until the article is known
             * to be long enough to split. */
            if (b->split_level >= 0 || text_bytes >= SHORT_ARTICLE_BYTES)
                oct_iter_skip_children(&it);
        }
    }
    if (b->split_level >= 0)
        return b->split_level;
    if (text_bytes < SHORT_ARTICLE_BYTES)
        return 0;
    for (int level = 1; level <= 6; level++)
        if (per_level[level] >= 2)
            return level;
    return 0;
}

static oct_status add_chapter(planner *p, const oct_node *start)
{
    epub_book *b = p->b;
    epub_chapter *c;

    if (b->n_chapters == p->cap_chapters) {
        size_t cap = p->cap_chapters ? p->cap_chapters * 2 : 16;
        epub_chapter *grown = realloc(b->chapters, cap * sizeof *grown);
        if (!grown)
            return OCT_ERR_NOMEM;
        b->chapters = grown;
        p->cap_chapters = cap;
    }
    c = &b->chapters[b->n_chapters];
    memset(c, 0, sizeof *c);
    c->start = start;
    snprintf(c->file, sizeof c->file, "ch%03zu.xhtml", b->n_chapters + 1);
    b->n_chapters++;
    return OCT_OK;
}

static oct_status add_toc(planner *p, const oct_node *heading, int chapter, char *label)
{
    epub_book *b = p->b;

    if (b->n_toc == p->cap_toc) {
        size_t cap = p->cap_toc ? p->cap_toc * 2 : 32;
        epub_toc_entry *grown = realloc(b->toc, cap * sizeof *grown);
        if (!grown)
            return OCT_ERR_NOMEM;
        b->toc = grown;
        p->cap_toc = cap;
    }
    b->toc[b->n_toc].heading = heading;
    b->toc[b->n_toc].chapter = chapter;
    b->toc[b->n_toc].label = label;
    b->toc[b->n_toc].depth = oct_node_heading_level(heading); /* made relative below */
    b->n_toc++;
    return OCT_OK;
}

/* Turns heading levels into nesting depths that grow by at most one, so
 * skipped levels (h1 then h3) still nest properly. */
static void toc_depths(epub_book *b)
{
    int stack[8];
    int top = 0;

    for (size_t i = 0; i < b->n_toc; i++) {
        int level = b->toc[i].depth;
        while (top > 0 && stack[top - 1] >= level)
            top--;
        b->toc[i].depth = top;
        if (top < 8)
            stack[top++] = level;
    }
}

/* Every node of a footnote definition the main walk skips, for the digest,
 * which takes the document in order. */
static void digest_subtree(epub_digest *d, const oct_node *def)
{
    oct_iter it;
    oct_event ev;

    oct_iter_init(&it, def);
    (void)oct_iter_next(&it); /* def itself: digested by the caller */
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE)
        if (ev == OCT_EVENT_ENTER)
            epub_digest_node(d, oct_iter_node(&it), oct_node_get_type(oct_iter_node(&it)));
}

/* Second walk: chapters, anchors, references, images, contents; and the
 * digest of every node, when the identifier comes from the text. */
static oct_status plan_main(planner *p, int split_level, int top_level, epub_digest *digest)
{
    epub_book *b = p->b;
    long non_wrapper_depth = 0;
    int heading_depth = 0;
    int has_content = 0;
    int chapter = 0;
    oct_iter it;
    oct_event ev;
    oct_status st = add_chapter(p, NULL);

    oct_iter_init(&it, oct_doc_root(b->doc));
    while (st == OCT_OK && (ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        const oct_node *n = oct_iter_node(&it);
        oct_node_type t = oct_node_get_type(n);
        int leaf = oct_node_type_is_leaf(t);

        if (ev == OCT_EVENT_EXIT) {
            if (!is_wrapper(t))
                non_wrapper_depth--;
            if (t == OCT_NODE_HEADING)
                heading_depth--;
            continue;
        }
        if (digest)
            epub_digest_node(digest, n, t);
        if (t == OCT_NODE_FOOTNOTE_DEF) {
            /* Walked later, in note order; keep the depth balanced. */
            if (digest)
                digest_subtree(digest, n);
            oct_iter_skip_children(&it);
            non_wrapper_depth++;
            continue;
        }
        if (t == OCT_NODE_HEADING && non_wrapper_depth == 0) {
            int level = oct_node_heading_level(n);
            char *label;
            if (split_level > 0 && level <= split_level && has_content) {
                st = add_chapter(p, n);
                if (st != OCT_OK)
                    break;
                chapter = (int)b->n_chapters - 1;
                has_content = 0;
            }
            label = epub_plain_text(n);
            if (!label) {
                st = OCT_ERR_NOMEM;
                break;
            }
            if (!has_content && !b->chapters[chapter].opening)
                b->chapters[chapter].opening = n;
            if (!b->chapters[chapter].title && *label && split_level > 0 && level <= split_level)
                b->chapters[chapter].title = strdup(label);
            if (*label && level < top_level + b->toc_depth) {
                st = add_toc(p, n, chapter, label);
                if (st != OCT_OK)
                    free(label);
            } else {
                free(label);
            }
        } else if (!leaf ? !is_wrapper(t) && t != OCT_NODE_HEADING : heading_depth == 0) {
            has_content = 1;
        }
        if (!leaf) {
            if (!is_wrapper(t))
                non_wrapper_depth++;
            if (t == OCT_NODE_HEADING)
                heading_depth++;
        }
        if (st == OCT_OK)
            st = plan_node(p, n, t, chapter);
    }
    return st;
}

/* Walks footnote definitions in number order, then the unreferenced ones. */
static oct_status plan_notes(planner *p)
{
    epub_book *b = p->b;
    int last = (int)b->n_chapters - 1;
    const oct_node *child = oct_node_first_child(oct_doc_root(b->doc));
    oct_status st = OCT_OK;
    size_t i = 0;

    for (;;) {
        for (; i < b->n_notes && st == OCT_OK; i++) {
            epub_note *note = b->notes[i];
            oct_iter it;
            oct_event ev;
            if (note->render_chapter == NOTES_FILE_PENDING)
                note->render_chapter = epub_notes_chapter(b);
            st = add_anchor(p, note->def, note->render_chapter, note->id);
            oct_iter_init(&it, note->def);
            while (st == OCT_OK && (ev = oct_iter_next(&it)) != OCT_EVENT_DONE)
                if (ev == OCT_EVENT_ENTER)
                    st = plan_node(p, oct_iter_node(&it), oct_node_get_type(oct_iter_node(&it)),
                                   note->render_chapter);
        }
        if (st != OCT_OK)
            return st;
        /* Definitions nobody references still get rendered, at the end. */
        while (child) {
            const char *label = oct_node_footnote_label(child);
            const oct_node *def = child;
            child = oct_node_next(child);
            if (oct_node_get_type(def) == OCT_NODE_FOOTNOTE_DEF && label &&
                !epub_map_get(&b->notes_by_label, label)) {
                st = add_note(p, def, label, -1,
                              b->notes_mode == EPUB_NOTES_CHAPTER ? last
                                                                  : epub_notes_chapter(b));
                break;
            }
        }
        if (st != OCT_OK)
            return st;
        if (i == b->n_notes)
            return OCT_OK;
    }
}

oct_status epub_plan(epub_book *b)
{
    planner p;
    int top_level, split_level;
    oct_status st = OCT_OK;
    int inserted;
    epub_digest *digest = NULL;

    memset(&p, 0, sizeof p);
    p.b = b;
    p.cap_images = oct_doc_resource_count(b->doc);
    if (p.cap_images && !(b->images = calloc(p.cap_images, sizeof *b->images)))
        return OCT_ERR_NOMEM;
    for (const oct_node *c = oct_node_first_child(oct_doc_root(b->doc)); c; c = oct_node_next(c)) {
        const char *label = oct_node_footnote_label(c);
        if (oct_node_get_type(c) == OCT_NODE_FOOTNOTE_DEF && label &&
            (st = epub_map_put(&p.defs_by_label, label, (void *)c, &inserted)) != OCT_OK)
            goto done;
    }
    split_level = choose_split_level(b, &top_level);
    if (!top_level)
        top_level = 1;
    if (b->identifier_from_text) {
        if (!(digest = malloc(sizeof *digest))) {
            st = OCT_ERR_NOMEM;
            goto done;
        }
        epub_digest_init(digest);
    }
    if ((st = plan_main(&p, split_level, top_level, digest)) != OCT_OK)
        goto done;
    if (digest && (st = epub_identify_by_text(b, digest)) != OCT_OK)
        goto done;
    if ((st = plan_notes(&p)) != OCT_OK)
        goto done;
    toc_depths(b);
    b->has_notes_file = b->notes_mode == EPUB_NOTES_BOOK && b->n_notes > 0;
    if (oct_doc_cover(b->doc))
        st = use_image(&p, oct_doc_cover(b->doc), 1);
    for (size_t i = 0; i < b->n_images && st == OCT_OK; i++)
        if (b->images[i].is_cover && !b->cover)
            b->cover = &b->images[i];
    for (size_t i = 0; i < b->n_chapters && st == OCT_OK; i++)
        if (!b->chapters[i].title && !(b->chapters[i].title = strdup(b->title)))
            st = OCT_ERR_NOMEM;
done:
    free(digest);
    epub_map_free(&p.defs_by_label);
    return st;
}

void epub_plan_free(epub_book *b)
{
    for (size_t i = 0; i < b->anchors.cap; i++) {
        epub_anchor *a = b->anchors.values[i];
        if (b->anchors.keys[i] && a) {
            free(a->out_id);
            free(a);
        }
    }
    epub_map_free(&b->anchors);
    epub_map_free(&b->used_ids);
    epub_map_free(&b->notes_by_label);
    epub_map_free(&b->images_by_id);
    for (size_t i = 0; i < b->n_notes; i++)
        free(b->notes[i]);
    free(b->notes);
    for (size_t i = 0; i < b->n_toc; i++)
        free(b->toc[i].label);
    free(b->toc);
    for (size_t i = 0; i < b->n_chapters; i++)
        free(b->chapters[i].title);
    free(b->chapters);
    free(b->images);
}

/* ------------------------------------------------------------- look-ups */

const char *epub_chapter_file(const epub_book *b, int chapter)
{
    if (chapter >= 0 && (size_t)chapter < b->n_chapters)
        return b->chapters[chapter].file;
    return EPUB_NOTES;
}

const char *epub_anchor_id(const epub_book *b, const oct_node *n)
{
    const char *id = oct_node_id(n);
    const epub_anchor *a;

    if (!id || !*id)
        return NULL;
    a = epub_map_get(&b->anchors, id);
    return a && a->node == n ? a->out_id : NULL;
}

const epub_image *epub_image_for(const epub_book *b, const oct_resource *r)
{
    void *img = r ? epub_map_get(&b->images_by_id, oct_resource_id(r)) : NULL;
    return img == &dropped_marker ? NULL : img;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static const epub_anchor *find_anchor(const epub_book *b, const char *frag)
{
    char decoded[512];
    size_t o = 0;
    const epub_anchor *a = epub_map_get(&b->anchors, frag);

    if (a || !strchr(frag, '%'))
        return a;
    for (const char *p = frag; *p && o + 1 < sizeof decoded; p++) {
        if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
            decoded[o++] = (char)(hexval(p[1]) * 16 + hexval(p[2]));
            p += 2;
        } else {
            decoded[o++] = *p;
        }
    }
    decoded[o] = '\0';
    return epub_map_get(&b->anchors, decoded);
}

/* Same document as the source? (the URL before '#' is the document's). */
static int same_document(const epub_book *b, const char *url, size_t len)
{
    const char *bases[2] = {oct_doc_base(b->doc), oct_meta_get(b->doc, OCT_META_SOURCE)};

    if (len == 0)
        return 1;
    for (int i = 0; i < 2; i++) {
        const char *base = bases[i];
        size_t blen;
        if (!base)
            continue;
        blen = strcspn(base, "#");
        if (blen == len && strncmp(base, url, len) == 0)
            return 1;
    }
    if (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0)
        return 0;
    if (strncmp(url, "file:", 5) == 0)
        return 1;
    /* Any other scheme (mailto:) is not ours; a relative reference names
     * another input of the same book (chapters given as separate files), and
     * its fragment decides. */
    for (size_t i = 0; i < len && url[i] != '/'; i++)
        if (url[i] == ':')
            return 0;
    return 1;
}

int epub_resolve_link(const epub_book *b, const char *url, int from_chapter, char *out,
                      size_t size)
{
    const char *hash = url ? strchr(url, '#') : NULL;
    const epub_anchor *a;

    if (!hash || !hash[1] || !same_document(b, url, (size_t)(hash - url)))
        return 0;
    a = find_anchor(b, hash + 1);
    if (!a)
        return 0;
    if (a->chapter == from_chapter)
        snprintf(out, size, "#%s", a->out_id);
    else
        snprintf(out, size, "%s#%s", epub_chapter_file(b, a->chapter), a->out_id);
    return 1;
}
