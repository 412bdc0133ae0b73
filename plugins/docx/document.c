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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render.h"

#define INDENT_STEP 720      /* twips per nesting level */
#define INDENT_MAX_LEVELS 12 /* deeper levels stop indenting further */
#define NUMBER_HANGING 360
#define MAX_LIST_LEVEL 8     /* w:ilvl is 0..8 */
#define FRAMES_MAX ((size_t)1 << 22)

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
    f->hyperlink = 0;
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
    oct_xml *x = r->x;
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
    oct_xml_start(x, "w:rPr");
    if (char_style)
        docx_val(x, "w:rStyle", char_style);
    if (bold) {
        oct_xml_start(x, "w:b");
        oct_xml_end_element(x);
        oct_xml_start(x, "w:bCs");
        oct_xml_end_element(x);
    }
    if (r->emph) {
        oct_xml_start(x, "w:i");
        oct_xml_end_element(x);
        oct_xml_start(x, "w:iCs");
        oct_xml_end_element(x);
    }
    if (r->smallcaps) {
        oct_xml_start(x, "w:smallCaps");
        oct_xml_end_element(x);
    }
    if (r->strike) {
        oct_xml_start(x, "w:strike");
        oct_xml_end_element(x);
    }
    if (r->highlight)
        docx_val(x, "w:highlight", "yellow");
    if (r->underline)
        docx_val(x, "w:u", "single");
    if (r->sup)
        docx_val(x, "w:vertAlign", "superscript");
    else if (r->sub)
        docx_val(x, "w:vertAlign", "subscript");
    if (rtl) {
        oct_xml_start(x, "w:rtl");
        oct_xml_end_element(x);
    }
    if (want_lang) {
        oct_xml_start(x, "w:lang");
        oct_xml_attr(x, "w:val", lang);
        if (rtl)
            oct_xml_attr(x, "w:bidi", lang);
        oct_xml_end_element(x);
    }
    oct_xml_end_element(x);
}

/* Word trims and collapses spaces in a w:t unless told to preserve them;
 * code always keeps them, other text only says so when it must. */
static int needs_preserve(const char *s, size_t len)
{
    if (s[0] == ' ' || s[len - 1] == ' ')
        return 1;
    for (size_t i = 1; i < len; i++) {
        if (s[i] == ' ' && s[i - 1] == ' ')
            return 1;
    }
    return 0;
}

static void text_piece(oct_xml *x, const char *s, size_t len, int code)
{
    if (!len)
        return;
    oct_xml_start(x, "w:t");
    if (code || needs_preserve(s, len))
        oct_xml_attr(x, "xml:space", "preserve");
    oct_xml_text(x, s, len);
    oct_xml_end_element(x);
}

/* Run content: tabs become w:tab; line ends become w:br when keep_lines
 * (code), spaces otherwise. */
static void run_text(oct_xml *x, const char *s, size_t len, int keep_lines)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c != '\t' && c != '\n' && c != '\r')
            continue;
        text_piece(x, s + start, i - start, keep_lines);
        start = i + 1;
        if (c == '\t') {
            oct_xml_start(x, "w:tab");
            oct_xml_end_element(x);
        } else if (!keep_lines) {
            text_piece(x, " ", 1, 0);
        } else {
            if (c == '\r' && i + 1 < len && s[i + 1] == '\n') {
                i++;
                start = i + 1;
            }
            oct_xml_start(x, "w:br");
            oct_xml_end_element(x);
        }
    }
    text_piece(x, s + start, len - start, keep_lines);
}

static void text_run(render *r, const char *s, size_t len, const char *char_style)
{
    oct_xml_start(r->x, "w:r");
    run_properties(r, char_style);
    run_text(r->x, s, len, 0);
    oct_xml_end_element(r->x);
}

static void bookmark(render *r, const char *id)
{
    const char *name = docx_bookmark_claim(r->w, id);
    if (!name)
        return;
    int bid = r->w->next_bookmark_id++;
    oct_xml_start(r->x, "w:bookmarkStart");
    oct_xml_attrf(r->x, "w:id", "%d", bid);
    oct_xml_attr(r->x, "w:name", name);
    oct_xml_end_element(r->x);
    oct_xml_start(r->x, "w:bookmarkEnd");
    oct_xml_attrf(r->x, "w:id", "%d", bid);
    oct_xml_end_element(r->x);
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
    oct_xml *x = r->x;
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

    oct_xml_start(x, "w:pPr");
    if (pp->style)
        docx_val(x, "w:pStyle", pp->style);
    if (pp->numbered) {
        oct_xml_start(x, "w:numPr");
        docx_val_int(x, "w:ilvl", pp->ilvl);
        docx_val_int(x, "w:numId", pp->num_id);
        oct_xml_end_element(x);
    }
    if (pp->border) {
        oct_xml_start(x, "w:pBdr");
        oct_xml_start(x, "w:bottom");
        oct_xml_attr(x, "w:val", "single");
        oct_xml_attr(x, "w:sz", "6");
        oct_xml_attr(x, "w:space", "1");
        oct_xml_attr(x, "w:color", "auto");
        oct_xml_end_element(x);
        oct_xml_end_element(x);
    }
    if (f->rtl) {
        oct_xml_start(x, "w:bidi");
        oct_xml_end_element(x);
    }
    if (pp->loose) {
        oct_xml_start(x, "w:spacing");
        oct_xml_attr(x, "w:after", "120");
        oct_xml_end_element(x);
    }
    /* a numbered paragraph takes its indent from its level unless a quote
     * or definition around the list, or nesting beyond Word's nine levels,
     * indents further */
    if (levels > 0 && (!pp->num_id || r->quote_depth + r->dd_depth > 0 ||
                       r->list_depth > MAX_LIST_LEVEL + 1)) {
        oct_xml_start(x, "w:ind");
        oct_xml_attrf(x, "w:left", "%d", levels * INDENT_STEP);
        if (pp->num_id)
            oct_xml_attrf(x, "w:hanging", "%d", NUMBER_HANGING);
        oct_xml_end_element(x);
    }
    if (pp->loose) {
        oct_xml_start(x, "w:contextualSpacing");
        oct_xml_attr(x, "w:val", "0");
        oct_xml_end_element(x);
    }
    if (jc)
        docx_val(x, "w:jc", jc);
    oct_xml_end_element(x);
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
    oct_xml *x = r->x;
    oct_xml_start(x, "w:r");
    oct_xml_start(x, "w:rPr");
    docx_val(x, "w:rStyle", "FootnoteReference");
    oct_xml_end_element(x);
    oct_xml_start(x, "w:footnoteRef");
    oct_xml_end_element(x);
    oct_xml_end_element(x);
    oct_xml_start(x, "w:r");
    text_piece(x, " ", 1, 0);
    oct_xml_end_element(x);
}

/* One paragraph per line: whitespace between block elements means nothing
 * to WordprocessingML, and the Flat OPC output then diffs line by line. */
void render_end_line(oct_xml *x)
{
    oct_xml_raw(x, "\n");
}

static void close_paragraph(render *r)
{
    if (!r->para_open)
        return;
    oct_xml_end_element(r->x);
    render_end_line(r->x);
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
    oct_xml_start(r->x, "w:p");
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
    oct_xml *x = r->x;
    if (url[0] == '#') {
        const char *name = docx_bookmark_for(r->w, url + 1);
        if (!name)
            return;
        oct_xml_start(x, "w:hyperlink");
        oct_xml_attr(x, "w:anchor", name);
    } else {
        char *target = docx_uri_escape(url);
        if (!target)
            return;
        int rid = docx_rels_get(r->rels, "hyperlink", target, 1);
        free(target);
        if (!rid) {
            docx_fail(r->w, OCT_ERR_NOMEM);
            return;
        }
        oct_xml_start(x, "w:hyperlink");
        oct_xml_attrf(x, "r:id", "rId%d", rid);
    }
    const char *title = oct_node_title(f->node);
    if (title && *title)
        oct_xml_attr(x, "w:tooltip", title);
    oct_xml_attr(x, "w:history", "1");
    f->hyperlink = 1;
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
        oct_xml *x = r->x;
        oct_xml_start(x, "w:r");
        oct_xml_start(x, "w:rPr");
        docx_val(x, "w:rStyle", "FootnoteReference");
        oct_xml_end_element(x);
        oct_xml_start(x, "w:footnoteReference");
        oct_xml_attrf(x, "w:id", "%d", id);
        oct_xml_end_element(x);
        oct_xml_end_element(x);
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
    oct_xml *x = r->x;
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
        oct_xml_start(x, "w:r");
        oct_xml_start(x, "w:br");
        oct_xml_end_element(x);
        oct_xml_end_element(x);
        break;
    case OCT_NODE_IMAGE:
        if (!docx_media_drawing(r->w, r->rels, x, n)) {
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
    oct_xml_start(r->x, "w:r");
    run_properties(r, "VerbatimChar");
    run_text(r->x, s, len, 1);
    oct_xml_end_element(r->x);
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
        queue_bookmark(r, id);
        char style[16];
        int level = oct_node_heading_level(n);
        snprintf(style, sizeof style, "Heading%d", level < 1 ? 1 : level > 6 ? 6 : level);
        open_paragraph(r, &r->frames[r->depth - 2], style, 0);
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
        if (f->hyperlink) {
            oct_xml_end_element(r->x);
            r->hyperlinks--;
        }
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
    r.x = x;
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
        render_end_line(x);
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
    oct_xml_start(&x, "w:document");
    oct_xml_attr(&x, "xmlns:w", DOCX_NS_W);
    oct_xml_attr(&x, "xmlns:r", DOCX_NS_R);
    oct_xml_attr(&x, "xmlns:wp", DOCX_NS_WP);
    oct_xml_attr(&x, "xmlns:a", DOCX_NS_A);
    oct_xml_attr(&x, "xmlns:pic", DOCX_NS_PIC);
    oct_xml_start(&x, "w:body");
    render_end_line(&x);
    s = docx_render_blocks(w, rels, &x, oct_doc_root(w->doc), DOCX_STORY_BODY);
    if (s != OCT_OK) {
        oct_xml_free(&x);
        return s;
    }
    unreferenced_notes(w, &x);
    section_properties(w, &x, ref);
    render_end_line(&x);
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
