/*
 * tree_html.c — see tree_html.h. Test code: written from cmark's documented
 * HTML output conventions (spec examples), not from the writer.
 */
#include "tree_html.h"

#include <stdio.h>
#include <string.h>

static void cr(oct_buf *b)
{
    if (b->len > 0 && b->data[b->len - 1] != '\n')
        oct_buf_putc(b, '\n');
}

static void esc_html(oct_buf *b, const char *s, size_t len, int newline_as_space)
{
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '&': oct_buf_puts(b, "&amp;"); break;
        case '<': oct_buf_puts(b, "&lt;"); break;
        case '>': oct_buf_puts(b, "&gt;"); break;
        case '"': oct_buf_puts(b, "&quot;"); break;
        case '\n': oct_buf_putc(b, newline_as_space ? ' ' : '\n'); break;
        default: oct_buf_putc(b, s[i]);
        }
    }
}

/* cmark keeps these bytes of a URL, percent-encodes every other one, and
 * writes & and ' as entities (measured with the cmark program). */
static int gfm_mode;
static int raw_mode;

static void esc_href(oct_buf *b, const char *url)
{
    if (gfm_mode) { /* read back by pandoc, which keeps URLs as they are */
        esc_html(b, url, strlen(url), 0);
        return;
    }
    static const char safe[] = "!#$%()*+,-./:;=?@_~";
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        unsigned c = *p;
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c < 0x80 && c && strchr(safe, (int)c)))
            oct_buf_putc(b, (int)c);
        else if (c == '&')
            oct_buf_puts(b, "&amp;");
        else if (c == '\'')
            oct_buf_puts(b, "&#x27;");
        else
            oct_buf_printf(b, "%%%02X", c);
    }
}

/* Markdown can keep b right after a inside a list item (no blank line,
 * which would make the list loose) only when b closes what a left open:
 * headings, fences and rules always; lists (bullet, or ordered from 1, with
 * a first item of text) and quotes after a paragraph; nothing else. */
static oct_node_type kind_of(const oct_node *n)
{
    oct_node_type t = oct_node_get_type(n);
    return t == OCT_NODE_CAPTION || t == OCT_NODE_DEFINITION_TERM ? OCT_NODE_PARAGRAPH : t;
}

static int see_through(oct_node_type t)
{
    return t == OCT_NODE_DIV || t == OCT_NODE_FIGURE || t == OCT_NODE_DEFINITION_LIST ||
           t == OCT_NODE_DEFINITION_DESC;
}

static int follows_tightly(const oct_node *a, const oct_node *b)
{
    oct_node_type ta = kind_of(a), tb = kind_of(b);
    if (ta == OCT_NODE_HEADING || ta == OCT_NODE_THEMATIC_BREAK || ta == OCT_NODE_CODE_BLOCK)
        return 1;
    int para_like = ta == OCT_NODE_PARAGRAPH || ta == OCT_NODE_BLOCK_QUOTE;
    if (tb == OCT_NODE_HEADING || tb == OCT_NODE_CODE_BLOCK || tb == OCT_NODE_THEMATIC_BREAK)
        return para_like || ta == OCT_NODE_LIST;
    if (ta == OCT_NODE_PARAGRAPH && tb == OCT_NODE_BLOCK_QUOTE)
        return 1;
    if (para_like && tb == OCT_NODE_LIST) {
        const oct_node *first = oct_node_first_child(b);
        return (!oct_node_list_is_ordered(b) || oct_node_list_start(b) == 1) && first &&
               oct_node_first_child(first) &&
               oct_node_get_type(oct_node_first_child(first)) == OCT_NODE_PARAGRAPH;
    }
    return 0;
}

static int list_tight(const oct_node *list)
{
    if (oct_node_list_tight(list)) {
        /* the blocks of each item in order, looking through divs/figures */
        for (const oct_node *item = oct_node_first_child(list); item;
             item = oct_node_next(item)) {
            oct_iter it;
            oct_event ev;
            const oct_node *prev = NULL;
            oct_iter_init(&it, item);
            while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
                const oct_node *n = oct_iter_node(&it);
                if (ev != OCT_EVENT_ENTER || n == item || see_through(oct_node_get_type(n)))
                    continue;
                if (prev && !follows_tightly(prev, n))
                    return 0;
                prev = n;
                oct_iter_skip_children(&it);
            }
        }
        return 1;
    }
    /* Markdown has no way to make one single-block item loose. */
    const oct_node *item = oct_node_first_child(list);
    if (item && !oct_node_next(item)) {
        const oct_node *c = oct_node_first_child(item);
        return !c || !oct_node_next(c);
    }
    return 0;
}

static int in_tight_item(const oct_node *para)
{
    const oct_node *p = oct_node_parent(para);
    while (p && see_through(oct_node_get_type(p)))
        p = oct_node_parent(p);
    if (!p || oct_node_get_type(p) != OCT_NODE_LIST_ITEM)
        return 0;
    return list_tight(oct_node_parent(p));
}

static size_t note_number(const oct_doc *doc, const char *label)
{
    size_t n = 0;
    for (const oct_node *c = oct_node_first_child(oct_doc_root(doc)); c; c = oct_node_next(c)) {
        if (oct_node_get_type(c) != OCT_NODE_FOOTNOTE_DEF)
            continue;
        n++;
        if (label && strcmp(oct_node_footnote_label(c), label) == 0)
            return n;
    }
    return 0;
}

static const char *section_name(oct_row_section s)
{
    return s == OCT_ROW_HEAD ? "thead" : s == OCT_ROW_FOOT ? "tfoot" : "tbody";
}

static const oct_node *prev_row(const oct_node *row)
{
    for (const oct_node *p = oct_node_prev(row); p; p = oct_node_prev(p))
        if (oct_node_get_type(p) == OCT_NODE_TABLE_ROW)
            return p;
    return NULL;
}

static int is_lone_cell_paragraph(const oct_node *n)
{
    const oct_node *p = oct_node_parent(n);
    return gfm_mode && p && oct_node_get_type(p) == OCT_NODE_TABLE_CELL && !oct_node_prev(n) &&
           !oct_node_next(n);
}

static void render_node(const oct_doc *doc, const oct_node *n, int entering, oct_buf *b,
                        int *tight_note)
{
    oct_node_type t = oct_node_get_type(n);
    size_t len;
    const char *s;
    switch (t) {
    case OCT_NODE_CAPTION: /* a figure's caption is a paragraph */
    case OCT_NODE_PARAGRAPH:
        if (t == OCT_NODE_CAPTION && oct_node_get_type(oct_node_parent(n)) == OCT_NODE_TABLE) {
            cr(b);
            oct_buf_puts(b, entering ? "<caption>\n<p>" : "</p>\n</caption>\n");
            break;
        }
        if (in_tight_item(n) || is_lone_cell_paragraph(n) ||
            (*tight_note && oct_node_get_type(oct_node_parent(n)) == OCT_NODE_FOOTNOTE_DEF))
            break;
        if (entering) {
            cr(b);
            oct_buf_puts(b, "<p>");
        } else {
            oct_buf_puts(b, "</p>\n");
        }
        break;
    case OCT_NODE_DEFINITION_TERM: {
        int tight = in_tight_item(n);
        if (entering) {
            cr(b);
            oct_buf_puts(b, tight ? "<strong>" : "<p><strong>");
        } else {
            oct_buf_puts(b, tight ? "</strong>" : "</strong></p>\n");
        }
        break;
    }
    case OCT_NODE_HEADING:
        if (entering) {
            cr(b);
            oct_buf_printf(b, "<h%d>", oct_node_heading_level(n));
        } else {
            oct_buf_printf(b, "</h%d>\n", oct_node_heading_level(n));
        }
        break;
    case OCT_NODE_BLOCK_QUOTE:
        cr(b);
        oct_buf_puts(b, entering ? "<blockquote>\n" : "</blockquote>\n");
        break;
    case OCT_NODE_LIST:
        cr(b);
        if (!entering)
            oct_buf_puts(b, oct_node_list_is_ordered(n) ? "</ol>\n" : "</ul>\n");
        else if (!oct_node_list_is_ordered(n))
            oct_buf_puts(b, "<ul>\n");
        else if (oct_node_list_start(n) != 1)
            oct_buf_printf(b, "<ol start=\"%d\">\n", oct_node_list_start(n));
        else
            oct_buf_puts(b, "<ol>\n");
        break;
    case OCT_NODE_LIST_ITEM:
        if (entering) {
            cr(b);
            oct_buf_puts(b, "<li>");
        } else {
            oct_buf_puts(b, "</li>\n");
        }
        break;
    case OCT_NODE_CODE_BLOCK: {
        cr(b);
        const char *lang = oct_node_code_language(n);
        oct_buf_puts(b, "<pre><code");
        if (lang && *lang) {
            size_t w = strcspn(lang, " \t");
            oct_buf_puts(b, " class=\"language-");
            esc_html(b, lang, w, 0);
            oct_buf_putc(b, '"');
        }
        oct_buf_putc(b, '>');
        s = oct_node_literal(n, &len);
        if (gfm_mode && len > 0 && s[0] == '\n')
            oct_buf_putc(b, '\n'); /* pandoc's HTML reader drops a first newline */
        esc_html(b, s, len, 0);
        if (len > 0 && s[len - 1] != '\n')
            oct_buf_putc(b, '\n');
        oct_buf_puts(b, "</code></pre>\n");
        break;
    }
    case OCT_NODE_THEMATIC_BREAK:
        cr(b);
        oct_buf_puts(b, "<hr />\n");
        break;
    case OCT_NODE_TABLE:
        cr(b);
        if (entering) {
            oct_buf_puts(b, "<table>\n");
        } else {
            const oct_node *last = oct_node_last_child(n);
            if (last && oct_node_get_type(last) == OCT_NODE_TABLE_ROW)
                oct_buf_printf(b, "</%s>\n", section_name(oct_node_row_section(last)));
            oct_buf_puts(b, "</table>\n");
        }
        break;
    case OCT_NODE_TABLE_ROW:
        cr(b);
        if (entering) {
            const oct_node *p = prev_row(n);
            if (!p || oct_node_row_section(p) != oct_node_row_section(n)) {
                if (p)
                    oct_buf_printf(b, "</%s>\n", section_name(oct_node_row_section(p)));
                oct_buf_printf(b, "<%s>\n", section_name(oct_node_row_section(n)));
            }
            oct_buf_puts(b, "<tr>\n");
        } else {
            oct_buf_puts(b, "</tr>\n");
        }
        break;
    case OCT_NODE_TABLE_CELL: {
        const char *tag = oct_node_cell_is_header(n) ? "th" : "td";
        cr(b);
        if (!entering) {
            if (oct_node_first_child(n))
                oct_buf_printf(b, "</%s>\n", tag);
            break;
        }
        static const char *const al[] = {NULL, "left", "center", "right"};
        oct_buf_printf(b, "<%s", tag);
        if (oct_node_cell_align(n) != OCT_ALIGN_NONE)
            oct_buf_printf(b, " align=\"%s\"", al[oct_node_cell_align(n)]);
        if (oct_node_cell_colspan(n) > 1)
            oct_buf_printf(b, " colspan=\"%d\"", oct_node_cell_colspan(n));
        if (oct_node_cell_rowspan(n) > 1)
            oct_buf_printf(b, " rowspan=\"%d\"", oct_node_cell_rowspan(n));
        if (oct_node_first_child(n))
            oct_buf_puts(b, ">\n");
        else
            oct_buf_printf(b, "></%s>\n", tag);
        break;
    }
    case OCT_NODE_TEXT:
        s = oct_node_literal(n, &len);
        esc_html(b, s, len, 0);
        break;
    case OCT_NODE_SOFT_BREAK:
        oct_buf_putc(b, '\n');
        break;
    case OCT_NODE_LINE_BREAK:
        oct_buf_puts(b, "<br />\n");
        break;
    case OCT_NODE_CODE:
        s = oct_node_literal(n, &len);
        oct_buf_puts(b, "<code>");
        esc_html(b, s, len, 1);
        oct_buf_puts(b, "</code>");
        break;
    case OCT_NODE_EMPH:
        oct_buf_puts(b, entering ? "<em>" : "</em>");
        break;
    case OCT_NODE_STRONG:
        oct_buf_puts(b, entering ? "<strong>" : "</strong>");
        break;
    case OCT_NODE_STRIKEOUT:
        oct_buf_puts(b, entering ? "<del>" : "</del>");
        break;
    case OCT_NODE_SUPERSCRIPT:
        oct_buf_puts(b, entering ? "<sup>" : "</sup>");
        break;
    case OCT_NODE_SUBSCRIPT:
        oct_buf_puts(b, entering ? "<sub>" : "</sub>");
        break;
    case OCT_NODE_QUOTED:
        oct_buf_puts(b, entering ? "\xe2\x80\x9c" : "\xe2\x80\x9d");
        break;
    case OCT_NODE_LINK:
        if (entering) {
            oct_buf_puts(b, "<a href=\"");
            esc_href(b, oct_node_url(n));
            oct_buf_putc(b, '"');
            if (oct_node_title(n)) {
                oct_buf_puts(b, " title=\"");
                esc_html(b, oct_node_title(n), strlen(oct_node_title(n)), 0);
                oct_buf_putc(b, '"');
            }
            oct_buf_putc(b, '>');
        } else {
            oct_buf_puts(b, "</a>");
        }
        break;
    case OCT_NODE_IMAGE: {
        const char *alt = oct_node_image_alt(n);
        oct_buf_puts(b, "<img src=\"");
        esc_href(b, oct_node_url(n));
        oct_buf_puts(b, "\" alt=\"");
        esc_html(b, alt, strlen(alt), 1);
        oct_buf_putc(b, '"');
        if (oct_node_title(n)) {
            oct_buf_puts(b, " title=\"");
            esc_html(b, oct_node_title(n), strlen(oct_node_title(n)), 0);
            oct_buf_putc(b, '"');
        }
        oct_buf_puts(b, " />");
        break;
    }
    case OCT_NODE_FOOTNOTE_REF:
        oct_buf_printf(b, "[%zu]", note_number(doc, oct_node_footnote_label(n)));
        break;
    case OCT_NODE_RAW_BLOCK:
    case OCT_NODE_RAW_INLINE:
        /* HTML meant as HTML passes through untouched; other formats say
         * nothing in HTML */
        if (raw_mode && oct_node_raw_format(n) && strcmp(oct_node_raw_format(n), "html") == 0) {
            if (t == OCT_NODE_RAW_BLOCK)
                cr(b);
            s = oct_node_literal(n, &len);
            oct_buf_append(b, s, len);
            if (t == OCT_NODE_RAW_BLOCK)
                cr(b);
        }
        break;
    default:
        break; /* document, div, figure, spans: transparent */
    }
}

static void render_tree(const oct_doc *doc, const oct_node *root, oct_buf *b, int tight_note)
{
    oct_iter it;
    oct_event ev;
    oct_iter_init(&it, root);
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        const oct_node *n = oct_iter_node(&it);
        if (oct_node_get_type(n) == OCT_NODE_FOOTNOTE_DEF) {
            if (n != root)
                oct_iter_skip_children(&it);
            continue;
        }
        render_node(doc, n, ev == OCT_EVENT_ENTER, b, &tight_note);
    }
}

void tree_html_render(const oct_doc *doc, oct_buf *out, unsigned flags)
{
    gfm_mode = (flags & TREE_HTML_GFM) != 0;
    raw_mode = (flags & TREE_HTML_RAW) != 0;
    const oct_node *root = oct_doc_root(doc);
    render_tree(doc, root, out, 0);
    size_t notes = 0;
    const oct_node *only = NULL;
    for (const oct_node *c = oct_node_first_child(root); c; c = oct_node_next(c))
        if (oct_node_get_type(c) == OCT_NODE_FOOTNOTE_DEF) {
            notes++;
            only = c;
        }
    if (notes == 0)
        return;
    cr(out);
    oct_buf_puts(out, "<hr />\n<ol>\n");
    int tight = notes == 1 && (!oct_node_first_child(only) ||
                               !oct_node_next(oct_node_first_child(only)));
    for (const oct_node *c = oct_node_first_child(root); c; c = oct_node_next(c)) {
        if (oct_node_get_type(c) != OCT_NODE_FOOTNOTE_DEF)
            continue;
        cr(out);
        oct_buf_puts(out, "<li>");
        render_tree(doc, c, out, tight);
        oct_buf_puts(out, "</li>\n");
    }
    oct_buf_puts(out, "</ol>\n");
}

void html_normalize(const char *in, size_t len, oct_buf *out)
{
    int pre = 0;
    for (size_t i = 0; i < len; i++) {
        if (in[i] == '<') {
            if (len - i >= 4 && memcmp(in + i, "<pre", 4) == 0)
                pre = 1;
            else if (len - i >= 6 && memcmp(in + i, "</pre>", 6) == 0)
                pre = 0;
        }
        oct_buf_putc(out, (!pre && in[i] == '\n') ? ' ' : in[i]);
    }
}
