/*
 * markdown.c — the block structure of the Markdown writer: one walk over
 * the tree (ENTER/EXIT, no recursion) that turns each block into renderer
 * calls. Inline runs go to inline.c, tables to table.c.
 */
#include "markdown.h"
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One open container that changed the prefix or numbers its children. */
typedef struct frame {
    const oct_node *node;
    size_t saved_prefix;
    int tight;       /* LIST: items separated by single newlines */
    long number;     /* LIST: number of the next item */
    char marker;     /* LIST: '-' '+' or '.' ')' */
} frame;

typedef struct walker {
    md_writer *w;
    frame *frames;
    size_t n_frames, cap_frames;
    size_t list_depth;        /* open LIST frames */
    const oct_node *last_list; /* the LIST exited last, and its marker */
    char last_marker;
} walker;

/* ------------------------------------------------------------- helpers */

static int is_transparent(oct_node_type t)
{
    return t == OCT_NODE_DIV || t == OCT_NODE_FIGURE || t == OCT_NODE_DEFINITION_LIST ||
           t == OCT_NODE_DEFINITION_DESC;
}

/* The container that decides how n is separated from its siblings. */
static const oct_node *effective_parent(const oct_node *n)
{
    const oct_node *p = oct_node_parent(n);
    while (p && is_transparent(oct_node_get_type(p)))
        p = oct_node_parent(p);
    return p;
}

static frame *push_frame(walker *k, const oct_node *n)
{
    if (k->n_frames == k->cap_frames) {
        size_t cap = k->cap_frames ? k->cap_frames * 2 : 32;
        frame *f = realloc(k->frames, cap * sizeof *f);
        if (!f) {
            k->w->status = OCT_ERR_NOMEM;
            return NULL;
        }
        k->frames = f;
        k->cap_frames = cap;
    }
    frame *f = &k->frames[k->n_frames++];
    memset(f, 0, sizeof *f);
    f->node = n;
    f->saved_prefix = k->w->r.prefix.len;
    return f;
}

static frame *top_frame(walker *k, const oct_node *n)
{
    if (k->n_frames > 0 && k->frames[k->n_frames - 1].node == n)
        return &k->frames[k->n_frames - 1];
    return NULL;
}

static void pop_frame(walker *k, const oct_node *n)
{
    frame *f = top_frame(k, n);
    if (!f)
        return;
    md_render_pop_prefix(&k->w->r, f->saved_prefix);
    k->n_frames--;
}

/* The innermost list frame, for items. */
static frame *list_frame(walker *k, const oct_node *list)
{
    for (size_t i = k->n_frames; i-- > 0;)
        if (k->frames[i].node == list)
            return &k->frames[i];
    return NULL;
}

/* Can block b follow block a inside a list item with only a line end
 * between them? Otherwise a blank line is needed, which makes the list
 * loose in any CommonMark reader. */
static oct_node_type block_kind(const oct_node *n)
{
    oct_node_type t = oct_node_get_type(n);
    return t == OCT_NODE_CAPTION || t == OCT_NODE_DEFINITION_TERM ? OCT_NODE_PARAGRAPH : t;
}

static int can_follow_tightly(const oct_node *a, const oct_node *b)
{
    oct_node_type ta = block_kind(a), tb = block_kind(b);
    if (ta == OCT_NODE_HEADING || ta == OCT_NODE_THEMATIC_BREAK || ta == OCT_NODE_CODE_BLOCK)
        return 1;
    /* blocks that close themselves when these start on the next line */
    if (tb == OCT_NODE_HEADING || tb == OCT_NODE_CODE_BLOCK || tb == OCT_NODE_THEMATIC_BREAK)
        return ta == OCT_NODE_PARAGRAPH || ta == OCT_NODE_BLOCK_QUOTE || ta == OCT_NODE_LIST;
    if (ta == OCT_NODE_PARAGRAPH && tb == OCT_NODE_BLOCK_QUOTE)
        return 1;
    if ((ta == OCT_NODE_PARAGRAPH || ta == OCT_NODE_BLOCK_QUOTE) && tb == OCT_NODE_LIST) {
        /* a lazy paragraph line unless the list may interrupt it: it
         * starts at 1 and its first item begins with text */
        const oct_node *first = oct_node_first_child(b);
        return (!oct_node_list_is_ordered(b) || oct_node_list_start(b) == 1) && first &&
               oct_node_first_child(first) &&
               oct_node_get_type(oct_node_first_child(first)) == OCT_NODE_PARAGRAPH;
    }
    return 0;
}

/* The blocks of an item as written: divs and figures are see-through. */
static int item_is_tight(const oct_node *item)
{
    oct_iter it;
    oct_event ev;
    const oct_node *prev = NULL;
    oct_iter_init(&it, item);
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        const oct_node *n = oct_iter_node(&it);
        if (ev != OCT_EVENT_ENTER || n == item || is_transparent(oct_node_get_type(n)))
            continue;
        if (prev && !can_follow_tightly(prev, n))
            return 0;
        prev = n;
        oct_iter_skip_children(&it);
    }
    return 1;
}

static int list_is_tight(const oct_node *list)
{
    if (!oct_node_list_tight(list))
        return 0;
    for (const oct_node *item = oct_node_first_child(list); item; item = oct_node_next(item))
        if (!item_is_tight(item))
            return 0;
    return 1;
}

/* Markers alternate between lists that follow each other, or they would
 * read as one list; bullets also alternate by depth, so that empty nested
 * items ("- - -") never read as a thematic break. The list just before is
 * the one exited last, if any. */
static char list_marker(const walker *k, const oct_node *list)
{
    int ordered = oct_node_list_is_ordered(list);
    const oct_node *prev = oct_node_prev(list);
    int follows = prev && prev == k->last_list && oct_node_list_is_ordered(prev) == ordered;
    char base = ordered ? '.' : (k->list_depth % 2 ? '*' : '-');
    char alt = ordered ? ')' : '+';
    if (follows && k->last_marker == base)
        return alt;
    return base;
}

/* Before a block: a blank line, or just a line end inside a tight item. */
static void separate(walker *k, const oct_node *n)
{
    const oct_node *p = effective_parent(n);
    if (p && oct_node_get_type(p) == OCT_NODE_LIST_ITEM) {
        frame *f = list_frame(k, oct_node_parent(p));
        if (f && f->tight) {
            md_render_cr(&k->w->r);
            return;
        }
    }
    md_render_blank_line(&k->w->r);
}

static int inside_list_item(const oct_node *n)
{
    const oct_node *p = effective_parent(n);
    return p && oct_node_get_type(p) == OCT_NODE_LIST_ITEM;
}

/* ---------------------------------------------------------- leaf blocks */

static void write_heading(walker *k, const oct_node *n)
{
    md_render *r = &k->w->r;
    int level = oct_node_heading_level(n);
    if (level < 1)
        level = 1;
    if (level > 6)
        level = 6;
    char hashes[8];
    memset(hashes, '#', (size_t)level);
    hashes[level] = ' ';
    if (!oct_node_first_child(n)) {
        md_render_text(r, hashes, (size_t)level);
        return;
    }
    md_render_text(r, hashes, (size_t)level + 1);
    md_write_inlines(k->w, r, n, MD_PLACE_HEADING);
}

/* Code blocks are long and their fence characters rare: memchr() finds
 * each run, and each line end below. */
static size_t longest_run(const char *s, size_t len, char c)
{
    size_t best = 0;
    const char *const end = s + len;
    for (const char *p = s; p < end && (p = memchr(p, c, (size_t)(end - p))) != NULL;) {
        const char *q = p;
        while (q < end && *q == c)
            q++;
        if ((size_t)(q - p) > best)
            best = (size_t)(q - p);
        p = q;
    }
    return best;
}

static void write_lines(md_render *r, const char *s, size_t len)
{
    const char *const end = s + len;
    for (const char *p = s; p < end;) { /* nothing after the last line end */
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        md_render_text(r, p, (size_t)((nl ? nl : end) - p));
        md_render_newline(r);
        if (!nl)
            break;
        p = nl + 1;
    }
}

static void write_code_block(walker *k, const oct_node *n)
{
    md_render *r = &k->w->r;
    size_t len;
    const char *s = oct_node_literal(n, &len);
    const char *lang = oct_node_code_language(n);
    char fence_char = lang && strchr(lang, '`') ? '~' : '`';
    size_t fence = longest_run(s, len, fence_char) + 1;
    if (fence < 3)
        fence = 3;
    if (fence > 1000)
        fence = 1000;
    char buf[1001];
    memset(buf, fence_char, fence);
    md_render_text(r, buf, fence);
    if (lang && *lang) {
        /* the info string: one line, entities and escapes decoded */
        for (const char *p = lang; *p; p++) {
            if (*p == '\n' || *p == '\r')
                continue;
            if (*p == '&')
                md_render_text(r, "&amp;", 5);
            else if (*p == '\\')
                md_render_text(r, "\\\\", 2);
            else
                md_render_text(r, p, 1);
        }
    }
    md_render_newline(r);
    write_lines(r, s, len);
    md_render_text(r, buf, fence);
}

static void write_raw_block(walker *k, const oct_node *n)
{
    size_t len;
    const char *s = oct_node_literal(n, &len);
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == ' '))
        len--;
    const size_t split = md_raw_block_line_break(s, len);
    if (split)
        write_lines(&k->w->r, s, split);
    write_lines(&k->w->r, s + split, len - split);
}

static int raw_block_shown(const md_writer *w, const oct_node *n)
{
    const char *fmt = oct_node_raw_format(n);
    return w->opt.raw_html && fmt && strcmp(fmt, "html") == 0;
}

/* ---------------------------------------------------------------- walk */

static void enter_item(walker *k, const oct_node *n)
{
    md_writer *w = k->w;
    frame *lf = list_frame(k, oct_node_parent(n));
    char lead[64];
    if (lf && (lf->marker == '.' || lf->marker == ')')) {
        snprintf(lead, sizeof lead, "%ld%c ", lf->number, lf->marker);
        if (lf->number < 999999999)
            lf->number++;
    } else {
        /* a bullet, most items: no formatting call for two bytes */
        lead[0] = lf ? lf->marker : '-';
        lead[1] = ' ';
        lead[2] = '\0';
    }
    if (lf && !lf->tight && oct_node_prev(n))
        md_render_blank_line(&w->r);
    else
        md_render_cr(&w->r);
    size_t width = strlen(lead);
    oct_task task = oct_node_item_task(n);
    const char *box = NULL;
    if (task != OCT_TASK_NONE) {
        if (w->opt.flavour == MD_GFM)
            box = task == OCT_TASK_CHECKED ? "[x] " : "[ ] ";
        else
            box = task == OCT_TASK_CHECKED ? "\xe2\x98\x92 " : "\xe2\x98\x90 ";
    }
    md_render_lead(&w->r, lead);
    frame *f = push_frame(k, n);
    if (!f)
        return;
    char pad[64];
    memset(pad, ' ', width);
    pad[width] = '\0';
    md_render_push_prefix(&w->r, pad);
    if (box)
        md_render_lead(&w->r, box);
}

static void walk(md_writer *w, walker *k, const oct_node *root)
{
    md_render *r = &w->r;
    oct_iter it;
    oct_event ev;
    oct_iter_init(&it, root);
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE && w->status == OCT_OK) {
        const oct_node *n = oct_iter_node(&it);
        oct_node_type t = oct_node_get_type(n);
        if (oct_interrupted()) {
            w->status = OCT_ERR_INTERRUPTED;
            break;
        }
        if (ev == OCT_EVENT_EXIT) {
            switch (t) {
            case OCT_NODE_BLOCK_QUOTE:
            case OCT_NODE_LIST_ITEM:
            case OCT_NODE_FOOTNOTE_DEF:
                pop_frame(k, n);
                md_render_leave(r);
                md_render_cr(r);
                break;
            case OCT_NODE_LIST: {
                frame *f = top_frame(k, n);
                if (f) {
                    k->last_list = n;
                    k->last_marker = f->marker;
                    k->list_depth--;
                }
                pop_frame(k, n);
                md_render_cr(r);
                break;
            }
            case OCT_NODE_TABLE:
            case OCT_NODE_TABLE_ROW:
            case OCT_NODE_TABLE_CELL:
                md_table_exit(w, n);
                break;
            default:
                break;
            }
            continue;
        }
        switch (t) {
        case OCT_NODE_DOCUMENT:
        case OCT_NODE_DIV:
        case OCT_NODE_FIGURE:
        case OCT_NODE_DEFINITION_LIST:
        case OCT_NODE_DEFINITION_DESC:
            break;
        case OCT_NODE_FOOTNOTE_DEF:
            if (n != root) {
                oct_iter_skip_children(&it);
                break;
            }
            {
                char lead[48];
                size_t num = md_footnote_number(w, oct_node_footnote_label(n));
                md_render_blank_line(r);
                if (w->opt.flavour == MD_GFM)
                    snprintf(lead, sizeof lead, "[^%zu]: ", num);
                else
                    snprintf(lead, sizeof lead, "%zu. ", num);
                md_render_lead(r, lead);
                if (push_frame(k, n))
                    md_render_push_prefix(r, w->opt.flavour == MD_GFM ? "    " : "   ");
            }
            break;
        case OCT_NODE_PARAGRAPH:
        case OCT_NODE_CAPTION:
            if (t == OCT_NODE_CAPTION && oct_node_get_type(oct_node_parent(n)) == OCT_NODE_TABLE) {
                md_table_caption(w, n);
                oct_iter_skip_children(&it);
                break;
            }
            separate(k, n);
            md_write_inlines(w, r, n, MD_PLACE_PARAGRAPH);
            oct_iter_skip_children(&it);
            break;
        case OCT_NODE_DEFINITION_TERM:
            separate(k, n);
            md_write_inlines(w, r, n, MD_PLACE_TERM);
            oct_iter_skip_children(&it);
            break;
        case OCT_NODE_HEADING:
            separate(k, n);
            write_heading(k, n);
            oct_iter_skip_children(&it);
            break;
        case OCT_NODE_BLOCK_QUOTE:
            separate(k, n);
            md_render_lead(r, "> ");
            if (push_frame(k, n))
                md_render_push_prefix(r, "> ");
            break;
        case OCT_NODE_LIST: {
            separate(k, n);
            frame *f = push_frame(k, n);
            if (!f)
                break;
            f->tight = list_is_tight(n);
            f->marker = list_marker(k, n);
            k->list_depth++;
            long start = oct_node_list_start(n);
            f->number = start < 0 ? 0 : start > 999999999 ? 999999999 : start;
            break;
        }
        case OCT_NODE_LIST_ITEM:
            enter_item(k, n);
            break;
        case OCT_NODE_CODE_BLOCK:
            separate(k, n);
            write_code_block(k, n);
            break;
        case OCT_NODE_THEMATIC_BREAK:
            separate(k, n);
            /* "- ---" / "* ***" would be a break themselves and
             * "text\n---" a heading: "___" is none of these */
            md_render_text(r, inside_list_item(n) ? "___" : "---", 3);
            break;
        case OCT_NODE_RAW_BLOCK:
            if (raw_block_shown(w, n)) {
                separate(k, n);
                write_raw_block(k, n);
            }
            break;
        case OCT_NODE_TABLE:
            separate(k, n);
            if (md_table_enter(w, n))
                oct_iter_skip_children(&it);
            break;
        case OCT_NODE_TABLE_ROW:
        case OCT_NODE_TABLE_CELL:
            if (md_table_enter(w, n))
                oct_iter_skip_children(&it);
            break;
        default:
            /* inline content directly under a block container is wrapped in
             * paragraphs by the core; anything else here is skipped */
            if (!oct_node_type_is_leaf(t))
                oct_iter_skip_children(&it);
            break;
        }
    }
}

/* ----------------------------------------------------------- footnotes */

typedef struct note_key {
    const char *label;
    size_t number;
} note_key;

static int cmp_note(const void *a, const void *b)
{
    return strcmp(((const note_key *)a)->label, ((const note_key *)b)->label);
}

static oct_status collect_notes(md_writer *w)
{
    const oct_node *root = oct_doc_root(w->doc);
    size_t count = 0;
    for (const oct_node *c = oct_node_first_child(root); c; c = oct_node_next(c))
        count += oct_node_get_type(c) == OCT_NODE_FOOTNOTE_DEF;
    if (count == 0)
        return OCT_OK;
    w->notes = calloc(count, sizeof *w->notes);
    note_key *keys = calloc(count, sizeof *keys);
    if (!w->notes || !keys) {
        free(keys);
        return OCT_ERR_NOMEM;
    }
    for (const oct_node *c = oct_node_first_child(root); c; c = oct_node_next(c)) {
        if (oct_node_get_type(c) != OCT_NODE_FOOTNOTE_DEF)
            continue;
        const char *label = oct_node_footnote_label(c);
        keys[w->n_notes].label = label ? label : "";
        keys[w->n_notes].number = w->n_notes + 1;
        w->notes[w->n_notes++] = c;
    }
    qsort(keys, w->n_notes, sizeof *keys, cmp_note);
    w->notes_sorted = (const oct_node **)(void *)keys;
    return OCT_OK;
}

size_t md_footnote_number(const md_writer *w, const char *label)
{
    if (!w->notes_sorted || !label)
        return 0;
    note_key key = {label, 0};
    const note_key *hit = bsearch(&key, (const void *)w->notes_sorted, w->n_notes,
                                  sizeof key, cmp_note);
    return hit ? hit->number : 0;
}

static void write_notes(md_writer *w, walker *k)
{
    if (w->n_notes == 0)
        return;
    if (w->opt.flavour != MD_GFM) {
        /* CommonMark has no notes: a rule, then the notes numbered */
        md_render_blank_line(&w->r);
        md_render_text(&w->r, "---", 3);
    }
    for (size_t i = 0; i < w->n_notes && w->status == OCT_OK; i++)
        walk(w, k, w->notes[i]);
}

/* -------------------------------------------------------------- entry */

static int read_options(oct_context *ctx, md_options *o, md_flavour flavour)
{
    memset(o, 0, sizeof *o);
    o->flavour = flavour;
    const char *wrap = oct_context_option(ctx, "wrap");
    if (!wrap || strcmp(wrap, "auto") == 0)
        o->wrap = MD_WRAP_AUTO;
    else if (strcmp(wrap, "none") == 0)
        o->wrap = MD_WRAP_NONE;
    else if (strcmp(wrap, "preserve") == 0)
        o->wrap = MD_WRAP_PRESERVE;
    else
        oct_warn(ctx, "unknown wrap mode '%s' (auto, none or preserve); using auto", wrap);
    o->columns = (size_t)oct_context_option_long(ctx, "columns", 72, 1, 100000);
    o->front_matter = oct_context_option_bool(ctx, "front-matter", 1);
    o->raw_html = oct_context_option_bool(ctx, "raw-html", 0);
    return 1;
}

oct_status md_write_document(oct_context *ctx, const oct_doc *doc, oct_sink *sink,
                             oct_error *err, md_flavour flavour)
{
    md_writer w;
    walker k;
    memset(&w, 0, sizeof w);
    memset(&k, 0, sizeof k);
    w.ctx = ctx;
    w.doc = doc;
    read_options(ctx, &w.opt, flavour);
    k.w = &w;
    const oct_limits *lim = oct_doc_limits(doc);
    md_render_init(&w.r, sink, w.opt.wrap == MD_WRAP_AUTO ? w.opt.columns : 0,
                   lim && lim->max_output_bytes ? (size_t)lim->max_output_bytes : 0);
    oct_buf_init(&w.tmp, 0);
    w.status = collect_notes(&w);
    if (w.status == OCT_OK && w.opt.front_matter)
        md_write_front_matter(&w);
    if (w.status == OCT_OK)
        walk(&w, &k, oct_doc_root(doc));
    if (w.status == OCT_OK)
        write_notes(&w, &k);
    oct_status st = md_render_finish(&w.r);
    if (w.status == OCT_OK)
        w.status = st;
    if (w.status == OCT_OK && w.tmp.status != OCT_OK)
        w.status = w.tmp.status;
    md_table_free(&w);
    md_inline_free(&w);
    md_render_free(&w.r);
    oct_buf_free(&w.tmp);
    free(w.notes);
    free((void *)w.notes_sorted);
    free(k.frames);
    if (w.status == OCT_ERR_LIMIT)
        return oct_error_set(err, w.status, oct_context_where(ctx), 0,
                             "output larger than %llu bytes (raise with --max-output-size)",
                             (unsigned long long)oct_context_limits(ctx)->max_output_bytes);
    if (w.status != OCT_OK)
        return oct_error_set(err, w.status, oct_context_where(ctx), 0,
                             "cannot write Markdown: %s", oct_status_message(w.status));
    return OCT_OK;
}
