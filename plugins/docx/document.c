/*
 * document.c — the document tree as WordprocessingML blocks and runs.
 *
 * One ENTER/EXIT walk (oct_iter, no recursion). Every container entered
 * pushes a frame that carries what its descendants inherit (language,
 * direction, cell alignment, the paragraph style its paragraphs take, the
 * list it numbers), so nothing ever walks back up the tree. Formatting
 * containers (emphasis, strong...) only bump counters that each run reads.
 *
 * The schema is strict about order: children of w:pPr and w:rPr below are
 * written in the order wml.xsd lists them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "byteblocks.h"
#include "render.h"

#define INDENT_STEP 720      /* twips per nesting level */
#define INDENT_MAX_LEVELS 12 /* deeper levels stop indenting further */
#define NUMBER_HANGING 360
#define MAX_LIST_LEVEL 8     /* w:ilvl is 0..8 */
#define FRAMES_MAX ((size_t)1 << 22)
#define DOCUMENT_BYTES_PER_NODE 160

void docx_val(oct_xml *x, const char *name, const char *val)
{
    oct_xml_start(x, name);
    oct_xml_attr(x, "w:val", val);
    oct_xml_end_element(x);
}

void docx_val_int(oct_xml *x, const char *name, long val)
{
    oct_xml_start(x, name);
    oct_xml_attrf(x, "w:val", "%ld", val);
    oct_xml_end_element(x);
}

oct_status docx_fail(docx_writer *w, oct_status s)
{
    if (w->status == OCT_OK)
        w->status = s;
    return w->status;
}

frame *render_top(render *r)
{
    return &r->frames[r->depth - 1];
}

static frame *push(render *r, const oct_node *n)
{
    if (r->depth == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        frame *frames = cap <= FRAMES_MAX ? realloc(r->frames, cap * sizeof *frames) : NULL;
        if (!frames) {
            docx_fail(r->w, OCT_ERR_NOMEM);
            return NULL;
        }
        r->frames = frames;
        r->cap = cap;
    }
    frame *f = &r->frames[r->depth];
    if (r->depth)
        *f = r->frames[r->depth - 1];
    else
        memset(f, 0, sizeof *f);
    r->depth++;
    f->node = n;
    f->type = oct_node_get_type(n);
    f->hyperlink = HYPERLINK_NONE;
    f->pending_number = 0;
    f->bold_cell = 0;
    f->task = OCT_TASK_NONE;
    const char *lang = oct_node_lang(n);
    if (lang && *lang)
        f->lang = lang;
    oct_dir dir = oct_node_dir(n);
    if (dir != OCT_DIR_NONE)
        f->rtl = dir == OCT_DIR_RTL;
    return f;
}

/* ------------------------------------------------------------------ runs */

int docx_plausible_lang(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 35)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-'))
            return 0;
    }
    return 1;
}

static void run_properties(render *r, const char *char_style)
{
    markup *m = &r->out;
    const frame *f = r->depth ? render_top(r) : NULL;
    const char *lang = f ? f->lang : NULL;
    int want_lang = lang && docx_plausible_lang(lang) &&
                    !(r->w->doc_lang && strcasecmp(lang, r->w->doc_lang) == 0);
    int rtl = f && f->rtl;
    int bold = r->strong || (f && f->bold_cell);
    if (!char_style && r->hyperlinks)
        char_style = "Hyperlink";
    if (!char_style && !bold && !r->emph && !r->smallcaps && !r->strike && !r->highlight &&
        !r->underline && !r->sup && !r->sub && !rtl && !want_lang)
        return;
    /* every value below is a constant, and lang passed
     * docx_plausible_lang (letters, digits, hyphens): no escaping needed */
    markup_raw(m, "<w:rPr>");
    if (char_style)
        markup_val(m, "w:rStyle", char_style);
    if (bold)
        markup_raw(m, "<w:b/><w:bCs/>");
    if (r->emph)
        markup_raw(m, "<w:i/><w:iCs/>");
    if (r->smallcaps)
        markup_raw(m, "<w:smallCaps/>");
    if (r->strike)
        markup_raw(m, "<w:strike/>");
    if (r->highlight)
        markup_raw(m, "<w:highlight w:val=\"yellow\"/>");
    if (r->underline)
        markup_raw(m, "<w:u w:val=\"single\"/>");
    if (r->sup)
        markup_raw(m, "<w:vertAlign w:val=\"superscript\"/>");
    else if (r->sub)
        markup_raw(m, "<w:vertAlign w:val=\"subscript\"/>");
    if (rtl)
        markup_raw(m, "<w:rtl/>");
    if (want_lang) {
        markup_open(m, "w:lang");
        markup_attr(m, "w:val", lang);
        if (rtl)
            markup_attr(m, "w:bidi", lang);
        markup_close(m, "w:lang");
    }
    markup_raw(m, "</w:rPr>");
}

/* Every byte of a book's text passes the two scans below, so they look at
 * sixteen bytes at a time (byteblocks.h). */
static int is_run_break(char c)
{
    return c == '\t' || c == '\n' || c == '\r';
}

/* Index of the first tab or line end in s[i..len), or len. */
static size_t next_run_break(const char *s, size_t len, size_t i)
{
    for (; len - i >= OCT_BLOCK; i += OCT_BLOCK) {
        const oct_block b = oct_block_load(s + i);
        const unsigned hit = oct_block_eq(b, '\t') | oct_block_eq(b, '\n') | oct_block_eq(b, '\r');
        if (hit)
            return i + oct_mask_first(hit);
    }
    while (i < len && !is_run_break(s[i]))
        i++;
    return i;
}

/* Word trims and collapses spaces in a w:t unless told to preserve them;
 * code always keeps them, other text only says so when it must. */
static int needs_preserve(const char *s, size_t len)
{
    if (s[0] == ' ' || s[len - 1] == ' ')
        return 1;
    size_t i = 0;
    unsigned before = 0; /* the byte before this block was a space */
    for (; len - i >= OCT_BLOCK; i += OCT_BLOCK) {
        const unsigned sp = oct_block_eq(oct_block_load(s + i), ' ');
        if (sp & ((sp << 1) | before))
            return 1;
        before = sp >> (OCT_BLOCK - 1);
    }
    for (i = i ? i : 1; i < len; i++) {
        if (s[i] == ' ' && s[i - 1] == ' ')
            return 1;
    }
    return 0;
}

/* Some byte of s is certain to survive cleaning (printable ASCII, tab, line
 * ends), so the w:t it goes into is not empty. */
static int surely_visible(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r')
            return 1;
    }
    return 0;
}

static void text_piece(markup *m, const char *s, size_t len, int code)
{
    if (!len)
        return;
    int preserve = code || needs_preserve(s, len);
    if (!surely_visible(s, len)) {
        /* text that may clean away to nothing: xmlTextWriter decides between
         * <w:t/> and <w:t>...</w:t>, as it always did */
        markup_writer_start(m, "w:t");
        if (preserve)
            markup_writer_attr(m, "xml:space", "preserve");
        markup_text(m, s, len);
        markup_writer_end(m);
        return;
    }
    markup_raw(m, preserve ? "<w:t xml:space=\"preserve\">" : "<w:t>");
    markup_text(m, s, len);
    markup_raw(m, "</w:t>");
}

/* Run content: tabs become w:tab; line ends become w:br when keep_lines
 * (code), spaces otherwise. */
static void run_text(markup *m, const char *s, size_t len, int keep_lines)
{
    size_t start = 0;
    for (size_t i = 0; (i = next_run_break(s, len, i)) < len; i++) {
        char c = s[i];
        text_piece(m, s + start, i - start, keep_lines);
        start = i + 1;
        if (c == '\t') {
            markup_raw(m, "<w:tab/>");
        } else if (!keep_lines) {
            /* what text_piece(m, " ", 1, 0) writes, minus the trip through
             * the escaping writer a constant does not need */
            markup_raw(m, "<w:t xml:space=\"preserve\"> </w:t>");
        } else {
            if (c == '\r' && i + 1 < len && s[i + 1] == '\n') {
                i++;
                start = i + 1;
            }
            markup_raw(m, "<w:br/>");
        }
    }
    text_piece(m, s + start, len - start, keep_lines);
}

static void text_run(render *r, const char *s, size_t len, const char *char_style)
{
    markup_open(&r->out, "w:r");
    run_properties(r, char_style);
    run_text(&r->out, s, len, 0);
    markup_close(&r->out, "w:r");
}

static void bookmark(render *r, const char *id)
{
    const char *name = docx_bookmark_claim(r->w, id);
    if (!name)
        return;
    int bid = r->w->next_bookmark_id++;
    markup *m = &r->out;
    /* bookmark names are letters, digits and underscores (bookmarks.c) */
    markup_open(m, "w:bookmarkStart");
    markup_attr_int(m, "w:id", bid);
    markup_attr(m, "w:name", name);
    markup_close(m, "w:bookmarkStart");
    markup_open(m, "w:bookmarkEnd");
    markup_attr_int(m, "w:id", bid);
    markup_close(m, "w:bookmarkEnd");
}

/* ------------------------------------------------------------ paragraphs */

typedef struct para_props {
    const char *style;
    int numbered;           /* carries a w:numPr */
    int num_id, ilvl;       /* num_id 0: "no number", a list item's later block */
    int border;             /* thematic break */
    int loose;
    int first_in_note;
} para_props;

static void paragraph_properties(render *r, const para_props *pp)
{
    markup *m = &r->out;
    const frame *f = render_top(r);
    int levels = r->quote_depth + r->list_depth + r->dd_depth;
    if (levels > INDENT_MAX_LEVELS)
        levels = INDENT_MAX_LEVELS;
    const char *jc = NULL;
    if (f->align == OCT_ALIGN_LEFT)
        jc = f->rtl ? "right" : "left";
    else if (f->align == OCT_ALIGN_CENTER)
        jc = "center";
    else if (f->align == OCT_ALIGN_RIGHT)
        jc = f->rtl ? "left" : "right";

    /* style ids are the writer's own constants */
    markup_open(m, "w:pPr");
    if (pp->style)
        markup_val(m, "w:pStyle", pp->style);
    if (pp->numbered) {
        markup_raw(m, "<w:numPr>");
        markup_val_int(m, "w:ilvl", pp->ilvl);
        markup_val_int(m, "w:numId", pp->num_id);
        markup_raw(m, "</w:numPr>");
    }
    if (pp->border)
        markup_raw(m, "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" "
                      "w:color=\"auto\"/></w:pBdr>");
    if (f->rtl)
        markup_raw(m, "<w:bidi/>");
    if (pp->loose)
        markup_raw(m, "<w:spacing w:after=\"120\"/>");
    /* a numbered paragraph takes its indent from its level unless a quote
     * or definition around the list, or nesting beyond Word's nine levels,
     * indents further */
    if (levels > 0 && (!pp->num_id || r->quote_depth + r->dd_depth > 0 ||
                       r->list_depth > MAX_LIST_LEVEL + 1)) {
        markup_open(m, "w:ind");
        markup_attr_int(m, "w:left", levels * INDENT_STEP);
        if (pp->num_id)
            markup_attr_int(m, "w:hanging", NUMBER_HANGING);
        markup_close(m, "w:ind");
    }
    if (pp->loose)
        markup_raw(m, "<w:contextualSpacing w:val=\"0\"/>");
    if (jc)
        markup_val(m, "w:jc", jc);
    markup_close(m, "w:pPr");
}

static void flush_pending_bookmarks(render *r)
{
    for (size_t i = 0; i < r->n_pending; i++)
        bookmark(r, r->pending_bookmarks[i]);
    r->n_pending = 0;
}

static void queue_bookmark(render *r, const char *id)
{
    if (!id || !*id)
        return;
    if (r->n_pending == r->pending_cap) {
        size_t cap = r->pending_cap ? r->pending_cap * 2 : 8;
        const char **ids = realloc(r->pending_bookmarks, cap * sizeof *ids);
        if (!ids) {
            docx_fail(r->w, OCT_ERR_NOMEM);
            return;
        }
        r->pending_bookmarks = ids;
        r->pending_cap = cap;
    }
    r->pending_bookmarks[r->n_pending++] = id;
}

static void note_mark(render *r)
{
    markup_raw(&r->out, "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr>"
                        "<w:footnoteRef/></w:r>"
                        "<w:r><w:t xml:space=\"preserve\"> </w:t></w:r>");
}

/* One paragraph per line: whitespace between block elements means nothing
 * to WordprocessingML, and the Flat OPC output then diffs line by line. */
void render_end_line(markup *m)
{
    markup_raw(m, "\n");
}

static void close_paragraph(render *r)
{
    if (!r->para_open)
        return;
    markup_close(&r->out, "w:p");
    render_end_line(&r->out);
    r->para_open = 0;
    r->para_implicit = 0;
    r->last_was_para = 1;
    r->last_was_table = 0;
}

/* Opens a w:p with its properties. container is the frame whose child the
 * paragraph is (it decides numbering and the default style); style NULL
 * takes the container's. */
static void open_paragraph(render *r, frame *container, const char *style, int border)
{
    para_props pp = {0};
    pp.style = style ? style : container->para_style;
    if (pp.style && strcmp(pp.style, "BodyText") == 0 && r->after_heading)
        pp.style = "FirstParagraph";
    r->after_heading = 0;
    if (container->type == OCT_NODE_LIST_ITEM && container->pending_number) {
        container->pending_number = 0;
        pp.numbered = 1;
        pp.num_id = container->num_id;
        pp.ilvl = container->ilvl;
    } else if (container->in_item) {
        /* Later blocks of an item: numId 0 shows no number, and tells
         * readers such as pandoc that the block continues the item. */
        pp.numbered = 1;
        pp.ilvl = container->item_ilvl;
    }
    pp.loose = container->type == OCT_NODE_LIST_ITEM && container->loose;
    pp.border = border;
    markup_open(&r->out, "w:p");
    r->para_open = 1;
    paragraph_properties(r, &pp);
    if (r->note_mark_pending) {
        r->note_mark_pending = 0;
        note_mark(r);
    }
    flush_pending_bookmarks(r);
    if (pp.num_id && container->task != OCT_TASK_NONE)
        text_run(r, container->task == OCT_TASK_CHECKED ? "\xE2\x98\x92 " : "\xE2\x98\x90 ",
                 4, NULL);
}

/* A paragraph with nothing but its properties: an empty list item's number,
 * or the paragraph a table cell must end with. */
void render_empty_paragraph(render *r, frame *container, const char *style)
{
    open_paragraph(r, container, style, 0);
    close_paragraph(r);
}

/* Inline content outside any paragraph (never produced by the builder, but
 * a writer must not emit a run straight into the body). */
static void ensure_paragraph(render *r)
{
    if (r->para_open)
        return;
    open_paragraph(r, render_top(r), NULL, 0);
    r->para_implicit = 1;
}

static void close_implicit(render *r)
{
    if (r->para_open && r->para_implicit)
        close_paragraph(r);
}

/* ---------------------------------------------------------------- inlines */

static void enter_link(render *r, frame *f)
{
    const char *url = oct_node_url(f->node);
    if (r->hyperlinks || !url || !*url)
        return;
    const char *anchor = NULL;
    int rid = 0;
    if (url[0] == '#') {
        /* bookmark names are letters, digits and underscores */
        anchor = docx_bookmark_for(r->w, url + 1);
        if (!anchor)
            return;
    } else {
        char *target = docx_uri_escape(url);
        if (!target)
            return;
        rid = docx_rels_get(r->rels, "hyperlink", target, 1);
        free(target);
        if (!rid) {
            docx_fail(r->w, OCT_ERR_NOMEM);
            return;
        }
    }
    markup *m = &r->out;
    const char *title = oct_node_title(f->node);
    if (title && *title) {
        /* the tooltip is the document's text: the writer escapes it */
        markup_writer_start(m, "w:hyperlink");
        if (anchor) {
            markup_writer_attr(m, "w:anchor", anchor);
        } else {
            char rid_text[24];
            snprintf(rid_text, sizeof rid_text, "rId%d", rid);
            markup_writer_attr(m, "r:id", rid_text);
        }
        markup_writer_attr(m, "w:tooltip", title);
        markup_writer_attr(m, "w:history", "1");
        f->hyperlink = HYPERLINK_WRITER;
    } else {
        markup_open(m, "w:hyperlink");
        if (anchor) {
            markup_attr(m, "w:anchor", anchor);
        } else {
            markup_attr_numbered(m, "r:id", "rId", rid);
        }
        markup_attr(m, "w:history", "1");
        f->hyperlink = HYPERLINK_MARKUP;
    }
    r->hyperlinks++;
}

static void footnote_ref(render *r, const oct_node *n)
{
    docx_writer *w = r->w;
    int id = 0;
    docx_map_get(&w->footnote_ids, oct_node_footnote_label(n), &id);
    if (id > 0 && r->story == DOCX_STORY_BODY && !w->footnote_used[id - 1]) {
        /* Word allows one reference per note: a second one is plain text */
        w->footnote_used[id - 1] = 1;
        markup *m = &r->out;
        markup_raw(m, "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr>");
        markup_open(m, "w:footnoteReference");
        markup_attr_int(m, "w:id", id);
        markup_close(m, "w:footnoteReference");
        markup_raw(m, "</w:r>");
        return;
    }
    char mark[32];
    const char *label = oct_node_footnote_label(n);
    if (id > 0)
        snprintf(mark, sizeof mark, "%d", id);
    else
        snprintf(mark, sizeof mark, "%.30s", label ? label : "");
    r->sup++;
    text_run(r, mark, strlen(mark), NULL);
    r->sup--;
}

static void quote_mark(render *r, int open)
{
    /* alternate double and single quotes with nesting */
    int inner = (r->quoted % 2) == 0;
    const char *mark = open ? (inner ? "\xE2\x80\x98" : "\xE2\x80\x9C")
                            : (inner ? "\xE2\x80\x99" : "\xE2\x80\x9D");
    text_run(r, mark, 3, NULL);
}

static void inline_leaf(render *r, const oct_node *n)
{
    size_t len = 0;
    const char *s;
    switch (oct_node_get_type(n)) {
    case OCT_NODE_TEXT:
        s = oct_node_literal(n, &len);
        if (len)
            text_run(r, s, len, NULL);
        break;
    case OCT_NODE_CODE:
        s = oct_node_literal(n, &len);
        if (len)
            text_run(r, s, len, "VerbatimChar");
        break;
    case OCT_NODE_SOFT_BREAK:
        text_run(r, " ", 1, NULL);
        break;
    case OCT_NODE_LINE_BREAK:
        markup_raw(&r->out, "<w:r><w:br/></w:r>");
        break;
    case OCT_NODE_IMAGE:
        if (!docx_media_drawing(r->w, r->rels, &r->out, n)) {
            const char *alt = oct_node_image_alt(n);
            if (alt && *alt)
                text_run(r, alt, strlen(alt), NULL);
        }
        break;
    case OCT_NODE_FOOTNOTE_REF:
        footnote_ref(r, n);
        break;
    default: /* raw inline markup of other formats is dropped */
        break;
    }
}

/* --------------------------------------------------------------- events */

static void code_block(render *r, const oct_node *n)
{
    size_t len = 0;
    const char *s = oct_node_literal(n, &len);
    while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    open_paragraph(r, render_top(r), "SourceCode", 0);
    markup_open(&r->out, "w:r");
    run_properties(r, "VerbatimChar");
    run_text(&r->out, s, len, 1);
    markup_close(&r->out, "w:r");
    close_paragraph(r);
}

static void block_leaf(render *r, const oct_node *n)
{
    const char *id = oct_node_id(n);
    switch (oct_node_get_type(n)) {
    case OCT_NODE_CODE_BLOCK:
        queue_bookmark(r, id);
        code_block(r, n);
        r->after_heading = 0;
        break;
    case OCT_NODE_THEMATIC_BREAK:
        queue_bookmark(r, id);
        open_paragraph(r, render_top(r), "Compact", 1);
        close_paragraph(r);
        break;
    default: /* raw blocks of other formats are dropped */
        break;
    }
}

static void title_line(render *r, const char *style, const char *text)
{
    if (!text || !*text)
        return;
    open_paragraph(r, render_top(r), style, 0);
    text_run(r, text, strlen(text), NULL);
    close_paragraph(r);
}

static void title_block(render *r)
{
    const oct_doc *doc = r->w->doc;
    const char *title = oct_meta_get(doc, OCT_META_TITLE);
    if (!title || !*title)
        return;
    title_line(r, "Title", title);
    title_line(r, "Subtitle", oct_meta_get(doc, OCT_META_SUBTITLE));
    size_t n = oct_meta_count(doc, OCT_META_AUTHOR);
    for (size_t i = 0; i < n; i++)
        title_line(r, "Author", oct_meta_get_nth(doc, OCT_META_AUTHOR, i));
    title_line(r, "Date", oct_meta_get(doc, OCT_META_DATE));
    r->after_heading = 1;
}

static void enter_list_item(render *r, frame *f)
{
    f->pending_number = 1;
    f->in_item = 1;
    f->item_ilvl = f->ilvl;
    f->task = oct_node_item_task(f->node);
    f->para_style = "ListParagraph";
    const oct_node *first = oct_node_first_child(f->node);
    oct_node_type t = first ? oct_node_get_type(first) : OCT_NODE_NONE;
    /* the number sits on the item's first paragraph; anything else first
     * (a nested list, a table) gets an empty numbered paragraph above it */
    if (first && t != OCT_NODE_PARAGRAPH && t != OCT_NODE_CODE_BLOCK && t != OCT_NODE_HEADING)
        render_empty_paragraph(r, f, NULL);
}

static void enter_container(render *r, const oct_node *n, oct_node_type t)
{
    frame *f = push(r, n);
    if (!f)
        return;
    const char *id = oct_node_id(n);
    switch (t) {
    case OCT_NODE_DOCUMENT:
        f->para_style = "BodyText";
        f->rtl = r->w->doc_rtl || f->rtl;
        if (r->w->title_block)
            title_block(r);
        break;
    case OCT_NODE_FOOTNOTE_DEF:
        f->para_style = "FootnoteText";
        r->note_mark_pending = 1;
        break;
    case OCT_NODE_HEADING: {
        static const char *const heading_styles[] = {"Heading1", "Heading2", "Heading3",
                                                     "Heading4", "Heading5", "Heading6"};
        queue_bookmark(r, id);
        int level = oct_node_heading_level(n);
        level = level < 1 ? 1 : level > 6 ? 6 : level;
        open_paragraph(r, &r->frames[r->depth - 2], heading_styles[level - 1], 0);
        break;
    }
    case OCT_NODE_PARAGRAPH:
        queue_bookmark(r, id);
        open_paragraph(r, &r->frames[r->depth - 2], NULL, 0);
        break;
    case OCT_NODE_CAPTION:
        queue_bookmark(r, id);
        open_paragraph(r, &r->frames[r->depth - 2], "Caption", 0);
        break;
    case OCT_NODE_DEFINITION_TERM:
        queue_bookmark(r, id);
        open_paragraph(r, &r->frames[r->depth - 2], "DefinitionTerm", 0);
        break;
    case OCT_NODE_BLOCK_QUOTE:
        queue_bookmark(r, id);
        r->quote_depth++;
        f->para_style = "BlockText";
        break;
    case OCT_NODE_LIST: {
        queue_bookmark(r, id);
        f->ilvl = r->list_depth < MAX_LIST_LEVEL ? r->list_depth : MAX_LIST_LEVEL;
        r->list_depth++;
        int num = docx_numbering_add(&r->w->numbering, oct_node_list_style(n),
                                     oct_node_list_start(n), f->ilvl);
        if (!num)
            docx_fail(r->w, OCT_ERR_NOMEM);
        f->num_id = num + r->w->num_id_offset;
        f->loose = !oct_node_list_tight(n);
        f->para_style = "ListParagraph";
        break;
    }
    case OCT_NODE_LIST_ITEM:
        queue_bookmark(r, id);
        enter_list_item(r, f);
        break;
    case OCT_NODE_DEFINITION_DESC:
        queue_bookmark(r, id);
        r->dd_depth++;
        f->para_style = "Definition";
        break;
    case OCT_NODE_FIGURE:
        queue_bookmark(r, id);
        f->para_style = "Figure";
        break;
    case OCT_NODE_TABLE:
        queue_bookmark(r, id);
        table_enter(r, f);
        break;
    case OCT_NODE_TABLE_ROW:
        table_row_enter(r, n);
        break;
    case OCT_NODE_TABLE_CELL:
        queue_bookmark(r, id);
        table_cell_enter(r, f);
        break;
    case OCT_NODE_DEFINITION_LIST:
    case OCT_NODE_DIV:
        queue_bookmark(r, id);
        break;
    /* inline containers */
    case OCT_NODE_EMPH: r->emph++; break;
    case OCT_NODE_STRONG: r->strong++; break;
    case OCT_NODE_STRIKEOUT: r->strike++; break;
    case OCT_NODE_SUPERSCRIPT: r->sup++; break;
    case OCT_NODE_SUBSCRIPT: r->sub++; break;
    case OCT_NODE_UNDERLINE: r->underline++; break;
    case OCT_NODE_HIGHLIGHT: r->highlight++; break;
    case OCT_NODE_SMALL_CAPS: r->smallcaps++; break;
    case OCT_NODE_QUOTED:
        r->quoted++;
        quote_mark(r, 1);
        break;
    case OCT_NODE_LINK:
        enter_link(r, f);
        break;
    default:
        break;
    }
}

static void exit_container(render *r, oct_node_type t)
{
    frame *f = render_top(r);
    switch (t) {
    case OCT_NODE_HEADING:
        close_paragraph(r);
        r->after_heading = r->story == DOCX_STORY_BODY;
        break;
    case OCT_NODE_PARAGRAPH:
    case OCT_NODE_CAPTION:
    case OCT_NODE_DEFINITION_TERM:
        close_paragraph(r);
        break;
    case OCT_NODE_FOOTNOTE_DEF:
        if (r->note_mark_pending)
            render_empty_paragraph(r, f, NULL);
        break;
    case OCT_NODE_BLOCK_QUOTE: r->quote_depth--; break;
    case OCT_NODE_LIST: r->list_depth--; break;
    case OCT_NODE_LIST_ITEM:
        if (f->pending_number)
            render_empty_paragraph(r, f, NULL);
        break;
    case OCT_NODE_DEFINITION_DESC: r->dd_depth--; break;
    case OCT_NODE_TABLE: table_exit(r); break;
    case OCT_NODE_TABLE_ROW: table_row_exit(r); break;
    case OCT_NODE_TABLE_CELL: table_cell_exit(r, f); break;
    case OCT_NODE_EMPH: r->emph--; break;
    case OCT_NODE_STRONG: r->strong--; break;
    case OCT_NODE_STRIKEOUT: r->strike--; break;
    case OCT_NODE_SUPERSCRIPT: r->sup--; break;
    case OCT_NODE_SUBSCRIPT: r->sub--; break;
    case OCT_NODE_UNDERLINE: r->underline--; break;
    case OCT_NODE_HIGHLIGHT: r->highlight--; break;
    case OCT_NODE_SMALL_CAPS: r->smallcaps--; break;
    case OCT_NODE_QUOTED:
        quote_mark(r, 0);
        r->quoted--;
        break;
    case OCT_NODE_LINK:
        if (f->hyperlink == HYPERLINK_MARKUP)
            markup_close(&r->out, "w:hyperlink");
        else if (f->hyperlink == HYPERLINK_WRITER)
            markup_writer_end(&r->out);
        if (f->hyperlink)
            r->hyperlinks--;
        break;
    default:
        break;
    }
    r->depth--;
}

oct_status docx_render_blocks(docx_writer *w, docx_rels *rels, oct_xml *x, const oct_node *root,
                              docx_story story)
{
    render r = {0};
    r.w = w;
    r.rels = rels;
    markup_init(&r.out, x);
    r.story = story;
    oct_iter it;
    oct_iter_init(&it, root);
    oct_event ev;
    size_t steps = 0;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE && w->status == OCT_OK) {
        const oct_node *n = oct_iter_node(&it);
        oct_node_type t = oct_node_get_type(n);
        if ((++steps & 0xFFFF) == 0 && oct_interrupted()) {
            docx_fail(w, OCT_ERR_INTERRUPTED);
            break;
        }
        /* notes live in footnotes.xml; the body only references them */
        if (t == OCT_NODE_FOOTNOTE_DEF && n != root) {
            if (ev == OCT_EVENT_ENTER)
                oct_iter_skip_children(&it);
            continue;
        }
        int is_inline = oct_node_type_is_inline(t);
        if (!is_inline)
            close_implicit(&r);
        if (ev == OCT_EVENT_EXIT) {
            if (r.depth)
                exit_container(&r, t);
            continue;
        }
        if (is_inline) {
            if (!r.depth)
                continue;
            ensure_paragraph(&r);
            const char *id = oct_node_id(n);
            if (id && *id)
                bookmark(&r, id);
        }
        if (oct_node_type_is_leaf(t)) {
            if (!r.depth)
                continue;
            if (is_inline)
                inline_leaf(&r, n);
            else
                block_leaf(&r, n);
        } else {
            enter_container(&r, n, t);
        }
    }
    close_implicit(&r);
    markup_sync(&r.out);
    free(r.frames);
    table_free_all(&r);
    free(r.pending_bookmarks);
    return w->status;
}

/* ------------------------------------------------------------ the body */

static void section_properties(docx_writer *w, oct_xml *x, const docx_refdoc *ref)
{
    if (ref && ref->sect_pr) {
        oct_xml_raw(x, ref->sect_pr);
        return;
    }
    oct_xml_start(x, "w:sectPr");
    oct_xml_start(x, "w:pgSz");
    oct_xml_attrf(x, "w:w", "%ld", w->page.width);
    oct_xml_attrf(x, "w:h", "%ld", w->page.height);
    oct_xml_end_element(x);
    oct_xml_start(x, "w:pgMar");
    oct_xml_attrf(x, "w:top", "%ld", w->page.margin_top);
    oct_xml_attrf(x, "w:right", "%ld", w->page.margin_right);
    oct_xml_attrf(x, "w:bottom", "%ld", w->page.margin_bottom);
    oct_xml_attrf(x, "w:left", "%ld", w->page.margin_left);
    oct_xml_attr(x, "w:header", "720");
    oct_xml_attr(x, "w:footer", "720");
    oct_xml_attr(x, "w:gutter", "0");
    oct_xml_end_element(x);
    oct_xml_start(x, "w:cols");
    oct_xml_attr(x, "w:space", "720");
    oct_xml_end_element(x);
    oct_xml_end_element(x);
}

/* Notes nothing in the body refers to still appear: their references are
 * gathered in one closing paragraph. */
static void unreferenced_notes(docx_writer *w, oct_xml *x)
{
    int opened = 0;
    for (size_t i = 0; i < w->footnote_count; i++) {
        if (w->footnote_used[i])
            continue;
        if (!opened) {
            oct_xml_start(x, "w:p");
            oct_xml_start(x, "w:pPr");
            docx_val(x, "w:pStyle", "BodyText");
            oct_xml_end_element(x);
            opened = 1;
        }
        w->footnote_used[i] = 1;
        oct_xml_start(x, "w:r");
        oct_xml_start(x, "w:rPr");
        docx_val(x, "w:rStyle", "FootnoteReference");
        oct_xml_end_element(x);
        oct_xml_start(x, "w:footnoteReference");
        oct_xml_attrf(x, "w:id", "%zu", i + 1);
        oct_xml_end_element(x);
        oct_xml_end_element(x);
    }
    if (opened) {
        oct_xml_end_element(x);
        oct_xml_raw(x, "\n");
    }
}

oct_status docx_document_part(docx_writer *w, docx_rels *rels, const docx_refdoc *ref)
{
    oct_xml x = {0};
    oct_status s = oct_xml_begin(&x, 1);
    if (s != OCT_OK) {
        oct_xml_free(&x);
        return docx_fail(w, s);
    }
    /* A node comes out as 70 to 140 bytes of WordprocessingML in the
     * books measured; room reserved and never used costs address space
     * only, and a book's body then never has to be copied to grow. */
    oct_xml_reserve(&x, oct_doc_node_count(w->doc) * DOCUMENT_BYTES_PER_NODE);
    oct_xml_start(&x, "w:document");
    oct_xml_attr(&x, "xmlns:w", DOCX_NS_W);
    oct_xml_attr(&x, "xmlns:r", DOCX_NS_R);
    oct_xml_attr(&x, "xmlns:wp", DOCX_NS_WP);
    oct_xml_attr(&x, "xmlns:a", DOCX_NS_A);
    oct_xml_attr(&x, "xmlns:pic", DOCX_NS_PIC);
    oct_xml_start(&x, "w:body");
    oct_xml_raw(&x, "\n");
    s = docx_render_blocks(w, rels, &x, oct_doc_root(w->doc), DOCX_STORY_BODY);
    if (s != OCT_OK) {
        oct_xml_free(&x);
        return s;
    }
    unreferenced_notes(w, &x);
    section_properties(w, &x, ref);
    oct_xml_raw(&x, "\n");
    oct_xml_end_element(&x);
    oct_xml_end_element(&x);
    if (x.failed) {
        oct_xml_free(&x);
        return docx_fail(w, OCT_ERR_NOMEM);
    }
    s = docx_package_add_xml(w->package, "word/document.xml", DOCX_CT_WML "document.main+xml",
                             &x);
    return s == OCT_OK ? OCT_OK : docx_fail(w, s);
}
