/*
 * xhtml.c — the content documents: cover, title page, chapters, notes.
 *
 * One iterative walk over the tree renders every chapter: when the walk
 * enters the heading that opens the next chapter (split.c decided which),
 * the DIVs around it are closed, the file is finished, and the next file
 * starts by reopening them. Footnote definitions are rendered separately, in
 * number order, at the end of their chapter or in the notes file; each is a
 * walk of its own, never a recursion.
 *
 * EPUB 3 gets XHTML5 with epub:type semantics; EPUB 2 gets XHTML 1.1, so the
 * few HTML5 elements are swapped for classed <div>/<span>s there.
 */
#include "epub.h"
#include "markup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NS_XHTML "http://www.w3.org/1999/xhtml"
#define NS_OPS "http://www.idpf.org/2007/ops"
#define NS_SVG "http://www.w3.org/2000/svg"
#define NS_XLINK "http://www.w3.org/1999/xlink"
#define HREF_MAX 1024
#define CONTENT_BYTES_PER_NODE 128
#define CONTENT_RESERVE_MAX ((size_t)8 << 20)

typedef struct writer {
    epub_book *b;
    oct_zip *z;
    oct_xml x;
    markup m;                     /* the body of x, batched */
    int open;                     /* a file is being written into x */
    int reserved;                 /* x's buffer was sized up front */
    int chapter;                  /* the chapter being written */
    int in_link;                  /* inside <a>: no nested links */
    int bare_paragraph;           /* the open paragraph has no <p> */
    int body_used;                /* something was written into <body> */
    const epub_note *backlink;    /* to write at the start of the next <p> */
    /* Rank of the open row group (thead 0, tbody 1, tfoot 2) of each open
     * table, innermost last; -1 before the first row. */
    int *groups;
    size_t n_groups, cap_groups;
    oct_status st;
} writer;

/* --------------------------------------------------------------- helpers */

static void fail(writer *w, oct_status st)
{
    if (w->st == OCT_OK)
        w->st = st;
}

oct_status epub_zip_xml(epub_book *b, oct_zip *z, const char *name, oct_xml *x)
{
    const char *data;
    size_t len;
    char path[128];
    oct_status st = oct_xml_end(x, &data, &len);

    if (st != OCT_OK)
        return oct_error_set(b->err, st, name, 0, "cannot write XML");
    snprintf(path, sizeof path, EPUB_DIR "%s", name);
    return oct_zip_add(z, path, data, len, OCT_ZIP_DEFLATE, b->err);
}

/* RFC 3986 unreserved and reserved characters, minus the brackets, which
 * are only legal around an IPv6 host: bit c of the ASCII set, in two words. */
#define URL_BIT(c) ((uint64_t)1 << ((c) & 63))
static const uint64_t url_chars[2] = {
    URL_BIT('!') | URL_BIT('#') | URL_BIT('$') | URL_BIT('&') | URL_BIT('\'') | URL_BIT('(') |
        URL_BIT(')') | URL_BIT('*') | URL_BIT('+') | URL_BIT(',') | URL_BIT('-') | URL_BIT('.') |
        URL_BIT('/') | ((uint64_t)0x3FF << '0') | URL_BIT(':') | URL_BIT(';') | URL_BIT('=') |
        URL_BIT('?'),
    URL_BIT('@') | ((uint64_t)0x3FFFFFF << ('A' - 64)) | URL_BIT('_') |
        ((uint64_t)0x3FFFFFF << ('a' - 64)) | URL_BIT('~'),
};

static int is_url_char(unsigned char c)
{
    return c < 128 && (url_chars[c >> 6] >> (c & 63)) & 1;
}

static int is_hex(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* [user@]host[:port] with an ASCII host name or IPv6 literal: what URL
 * parsers accept. (An internationalized host would need IDNA encoding.) */
static int host_is_valid(const char *h, size_t len)
{
    int alnum = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)h[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            alnum = 1;
        else if (!strchr("-._:@[]", c) || c == '\0')
            return 0;
    }
    return alnum;
}

/* Writes url as the attribute name when it is an absolute URL safe to link
 * to (percent-encoding what URLs cannot carry); returns 0 otherwise. */
static int url_attr(writer *w, const char *name, const char *url)
{
    static const char *const schemes[] = {"http://", "https://", "mailto:", "ftp://", NULL};
    static const char hex[] = "0123456789ABCDEF";
    char out[HREF_MAX * 3 + 1];
    size_t o = 0, slen = 0;
    int hashes = 0;

    if (!url)
        return 0;
    for (size_t i = 0; schemes[i]; i++)
        if ((url[0] | 0x20) == schemes[i][0] &&
            strncasecmp(url, schemes[i], strlen(schemes[i])) == 0)
            slen = strlen(schemes[i]);
    /* An absolute URL with something after the scheme, not too long. */
    if (!slen || !url[slen] || url[slen] == '/' || strlen(url) > HREF_MAX)
        return 0;
    if (url[slen - 1] == '/' && !host_is_valid(url + slen, strcspn(url + slen, "/?#")))
        return 0;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        /* Runs of characters that stay as they are are copied whole; '%',
         * '#' and NUL end a run ('%' is not a URL character). */
        const unsigned char *run = p;
        while (is_url_char(*p) && *p != '#')
            p++;
        memcpy(out + o, run, (size_t)(p - run));
        o += (size_t)(p - run);
        if (!*p)
            break;
        if (*p == '#' && hashes++ == 0) {
            out[o++] = '#';
        } else if (*p == '%' && is_hex(p[1]) && is_hex(p[2])) {
            out[o++] = '%';
        } else {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        }
    }
    out[o] = '\0';
    markup_attr(&w->m, name, out);
    return 1;
}

/* lang (EPUB 3 only) and xml:lang, dir: the node's own, when valid. */
static void write_lang_dir(writer *w, const oct_node *n)
{
    const char *lang = oct_node_lang(n);

    if (lang && epub_lang_is_valid(lang)) {
        if (!w->b->epub2)
            markup_attr(&w->m, "lang", lang);
        markup_attr(&w->m, "xml:lang", lang);
    }
    switch (oct_node_dir(n)) {
    case OCT_DIR_LTR: markup_attr(&w->m, "dir", "ltr"); break;
    case OCT_DIR_RTL: markup_attr(&w->m, "dir", "rtl"); break;
    default: break;
    }
}

/* Opens an element carrying the node's id, language and direction. */
static void open_el(writer *w, const char *name, const oct_node *n, const char *cls)
{
    const char *id = n ? epub_anchor_id(w->b, n) : NULL;

    w->body_used = 1;
    markup_start(&w->m, name);
    if (id)
        markup_attr(&w->m, "id", id);
    if (cls)
        markup_attr(&w->m, "class", cls);
    if (n)
        write_lang_dir(w, n);
}

static void close_el(writer *w) { markup_end(&w->m); }

/* An element that holds nothing but the node's id, so links to it land. */
static void empty_anchor(writer *w, const oct_node *n, int block)
{
    const char *id = epub_anchor_id(w->b, n);

    if (!id)
        return;
    w->body_used = 1;
    markup_start(&w->m, block ? "div" : "span");
    markup_attr(&w->m, "id", id);
    close_el(w);
}

void epub_xhtml_begin(const epub_book *b, oct_xml *x, markup *m, const char *title,
                      const char *body_type)
{
    size_t n_css = oct_meta_count(b->doc, "css");

    if (b->epub2)
        oct_xml_doctype(x, "html", "-//W3C//DTD XHTML 1.1//EN",
                        "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd");
    else
        oct_xml_doctype(x, "html", NULL, NULL);
    /* The rest goes through the batch: the bytes libxml2 would write
     * element by element, without a libxml2 call for each. */
    markup_start(m, "html");
    markup_attr(m, "xmlns", NS_XHTML);
    if (!b->epub2) {
        markup_attr(m, "xmlns:epub", NS_OPS);
        markup_attr(m, "lang", b->lang);
    }
    markup_attr(m, "xml:lang", b->lang);
    if (b->rtl)
        markup_attr(m, "dir", "rtl");
    markup_start(m, "head");
    markup_element(m, "title", title && *title ? title : b->title);
    if (b->default_css) {
        markup_start(m, "link");
        markup_attr(m, "rel", "stylesheet");
        markup_attr(m, "type", "text/css");
        markup_attr(m, "href", EPUB_STYLE);
        markup_end_empty(m);
    }
    for (size_t i = 0; i < n_css; i++) {
        char href[32];
        snprintf(href, sizeof href, "user-%zu.css", i + 1);
        markup_start(m, "link");
        markup_attr(m, "rel", "stylesheet");
        markup_attr(m, "type", "text/css");
        markup_attr(m, "href", href);
        markup_end_empty(m);
    }
    markup_end(m); /* head */
    markup_start(m, "body");
    if (body_type && !b->epub2)
        markup_attr(m, "epub:type", body_type);
}

/* ---------------------------------------------------------------- notes */

static void write_backlink(writer *w, const epub_note *note)
{
    char href[128];

    char num[16];

    snprintf(num, sizeof num, "%d.", note->number);
    if (note->ref_chapter < 0) { /* nobody refers to it: a label, no link */
        markup_start(&w->m, "span");
        markup_attr(&w->m, "class", "note-label");
        markup_text_cstr(&w->m, num);
        close_el(w);
        markup_text_cstr(&w->m, " ");
        return;
    }
    if (note->ref_chapter == w->chapter)
        snprintf(href, sizeof href, "#noteref-%d", note->number);
    else
        snprintf(href, sizeof href, "%s#noteref-%d", epub_chapter_file(w->b, note->ref_chapter),
                 note->number);
    markup_start(&w->m, "a");
    markup_attr(&w->m, "class", "note-backlink");
    markup_attr(&w->m, "href", href);
    if (!w->b->epub2)
        markup_attr(&w->m, "role", "doc-backlink");
    markup_text_cstr(&w->m, num);
    close_el(w);
    markup_text_cstr(&w->m, " ");
}

static void write_noteref(writer *w, const oct_node *n)
{
    epub_note *note = epub_map_get(&w->b->notes_by_label, oct_node_footnote_label(n));
    char id[48], href[128], num[16];

    if (!note)
        return;
    if (note->refs_rendered == 0) {
        /* The back link goes to the first reference actually written. */
        note->ref_chapter = w->chapter;
        snprintf(id, sizeof id, "noteref-%d", note->number);
    } else {
        snprintf(id, sizeof id, "noteref-%d-%d", note->number, note->refs_rendered + 1);
    }
    note->refs_rendered++;
    snprintf(num, sizeof num, "%d", note->number);
    if (note->render_chapter == w->chapter)
        snprintf(href, sizeof href, "#%s", note->id);
    else
        snprintf(href, sizeof href, "%s#%s", epub_chapter_file(w->b, note->render_chapter),
                 note->id);
    empty_anchor(w, n, 0);
    if (w->in_link) {
        markup_start(&w->m, "sup");
        markup_attr(&w->m, "id", id);
        markup_attr(&w->m, "class", "noteref");
        markup_text_cstr(&w->m, num);
        close_el(w);
        return;
    }
    markup_start(&w->m, "a");
    markup_attr(&w->m, "id", id);
    markup_attr(&w->m, "class", "noteref");
    markup_attr(&w->m, "href", href);
    if (!w->b->epub2) {
        markup_attr(&w->m, "epub:type", "noteref");
        markup_attr(&w->m, "role", "doc-noteref");
    }
    markup_start(&w->m, "sup");
    markup_text_cstr(&w->m, num);
    close_el(w);
    close_el(w);
}

/* ------------------------------------------------------------ rendering */

static const char *list_type_attr(oct_list_style s)
{
    switch (s) {
    case OCT_LIST_LOWER_ALPHA: return "a";
    case OCT_LIST_UPPER_ALPHA: return "A";
    case OCT_LIST_LOWER_ROMAN: return "i";
    case OCT_LIST_UPPER_ROMAN: return "I";
    default: return NULL;
    }
}

static const char *list_class(oct_list_style s)
{
    switch (s) {
    case OCT_LIST_LOWER_ALPHA: return "lower-alpha";
    case OCT_LIST_UPPER_ALPHA: return "upper-alpha";
    case OCT_LIST_LOWER_ROMAN: return "lower-roman";
    case OCT_LIST_UPPER_ROMAN: return "upper-roman";
    default: return NULL;
    }
}

/* A tight list item's leading paragraph and a table cell's only paragraph
 * are written without <p>, as HTML authors write them. */
static int paragraph_is_bare(const oct_node *n)
{
    const oct_node *parent = oct_node_parent(n);
    const oct_node *next = oct_node_next(n);

    if (!parent)
        return 0;
    if (oct_node_get_type(parent) == OCT_NODE_TABLE_CELL)
        return oct_node_first_child(parent) == n && !next;
    return oct_node_get_type(parent) == OCT_NODE_LIST_ITEM &&
           oct_node_first_child(parent) == n &&
           (!next || oct_node_get_type(next) != OCT_NODE_PARAGRAPH) &&
           oct_node_list_tight(oct_node_parent(parent));
}

/* A figure caption must be the figure's first or last child. */
static int caption_is_figcaption(const oct_node *n)
{
    const oct_node *fig = oct_node_parent(n);
    return fig && oct_node_get_type(fig) == OCT_NODE_FIGURE &&
           (oct_node_first_child(fig) == n || oct_node_last_child(fig) == n);
}

static int row_rank(const writer *w, const oct_node *row)
{
    switch (oct_node_row_section(row)) {
    case OCT_ROW_HEAD: return 0;
    case OCT_ROW_FOOT: return w->b->epub2 ? 1 : 2; /* XHTML 1.1 wants tfoot first */
    default: return 1;
    }
}

static void push_group(writer *w)
{
    if (w->n_groups == w->cap_groups) {
        size_t cap = w->cap_groups ? w->cap_groups * 2 : 8;
        int *grown = realloc(w->groups, cap * sizeof *grown);
        if (!grown) {
            fail(w, OCT_ERR_NOMEM);
            return;
        }
        w->groups = grown;
        w->cap_groups = cap;
    }
    w->groups[w->n_groups++] = -1;
}

/* Opens the row group a row belongs in. Groups only move forward (thead,
 * tbody, tfoot): a row out of order joins the open group. */
static void enter_row(writer *w, const oct_node *row)
{
    static const char *const group_names[] = {"thead", "tbody", "tfoot"};
    int rank = row_rank(w, row);
    int *cur;

    if (w->n_groups == 0)
        return;
    cur = &w->groups[w->n_groups - 1];
    if (rank > *cur) {
        if (*cur >= 0)
            close_el(w);
        markup_start(&w->m, group_names[rank]);
        *cur = rank;
    }
}

static void write_image(writer *w, const oct_node *n)
{
    const epub_image *img = epub_image_for(w->b, oct_node_image_resource(n));
    const char *alt = oct_node_image_alt(n);
    const char *title = oct_node_title(n);

    if (!img) {
        /* No resource (or a dropped one): the alt text stands in. */
        if (alt && *alt) {
            open_el(w, "span", n, "image-alt");
            markup_text_cstr(&w->m, alt);
            close_el(w);
        } else {
            empty_anchor(w, n, 0);
        }
        return;
    }
    open_el(w, "img", n, NULL);
    markup_attr(&w->m, "src", img->href);
    markup_attr(&w->m, "alt", alt ? alt : "");
    if (title && *title)
        markup_attr(&w->m, "title", title);
    markup_end_empty(&w->m);
}

static void write_literal(writer *w, const oct_node *n)
{
    size_t len = 0;
    const char *s = oct_node_literal(n, &len);
    if (s)
        markup_text(&w->m, s, len);
}

static void enter_link(writer *w, const oct_node *n)
{
    char href[HREF_MAX + 64];
    const char *url = oct_node_url(n);
    const char *title = oct_node_title(n);

    if (w->in_link++ > 0) {
        open_el(w, "span", n, NULL);
        return;
    }
    if (epub_resolve_link(w->b, url, w->chapter, href, sizeof href)) {
        open_el(w, "a", n, NULL);
        markup_attr(&w->m, "href", href);
    } else {
        open_el(w, "a", n, NULL);
        if (!url_attr(w, "href", url))
            markup_attr(&w->m, "class", "link-unresolved");
    }
    if (title && *title)
        markup_attr(&w->m, "title", title);
}

/* Renders the start of n (and all of a leaf). Returns 0 when n's children
 * should be skipped. */
static int enter(writer *w, oct_iter *it, const oct_node *n)
{
    epub_book *b = w->b;
    oct_node_type t = oct_node_get_type(n);
    static const char *const heading_names[] = {"h1", "h2", "h3", "h4", "h5", "h6"};

    switch (t) {
    case OCT_NODE_DOCUMENT:
        empty_anchor(w, n, 1);
        break;
    case OCT_NODE_HEADING: {
        int level = oct_node_heading_level(n);
        open_el(w, heading_names[level < 1 ? 0 : level > 6 ? 5 : level - 1], n, NULL);
        break;
    }
    case OCT_NODE_PARAGRAPH:
        /* remembered for leave(): paragraphs hold only inlines, so the one
         * left next is this one */
        w->bare_paragraph = paragraph_is_bare(n);
        if (w->bare_paragraph) {
            empty_anchor(w, n, 0);
            break;
        }
        open_el(w, "p", n, NULL);
        if (w->backlink) {
            write_backlink(w, w->backlink);
            w->backlink = NULL;
        }
        break;
    case OCT_NODE_BLOCK_QUOTE:
        open_el(w, "blockquote", n, NULL);
        url_attr(w, "cite", oct_node_cite(n));
        break;
    case OCT_NODE_LIST: {
        int ordered = oct_node_list_is_ordered(n);
        oct_list_style style = oct_node_list_style(n);
        open_el(w, ordered ? "ol" : "ul", n, b->epub2 ? list_class(style) : NULL);
        if (ordered && !b->epub2) {
            if (oct_node_list_start(n) != 1)
                markup_attr_int(&w->m, "start", oct_node_list_start(n));
            if (list_type_attr(style))
                markup_attr(&w->m, "type", list_type_attr(style));
            if (oct_node_list_reversed(n))
                markup_attr(&w->m, "reversed", "reversed");
        }
        break;
    }
    case OCT_NODE_LIST_ITEM:
        open_el(w, "li", n, oct_node_item_task(n) != OCT_TASK_NONE ? "task" : NULL);
        if (oct_node_item_task(n) == OCT_TASK_CHECKED)
            markup_text_cstr(&w->m, "\xE2\x98\x91 "); /* U+2611 ballot box with check */
        else if (oct_node_item_task(n) == OCT_TASK_UNCHECKED)
            markup_text_cstr(&w->m, "\xE2\x98\x90 "); /* U+2610 ballot box */
        break;
    case OCT_NODE_CODE_BLOCK: {
        const char *lang = oct_node_code_language(n);
        open_el(w, "pre", n, NULL);
        markup_start(&w->m, "code");
        if (lang && *lang) {
            char cls[96];
            char tok[80];
            epub_make_ncname(lang, "x-", tok, sizeof tok);
            snprintf(cls, sizeof cls, "language-%s", tok);
            markup_attr(&w->m, "class", cls);
        }
        write_literal(w, n);
        close_el(w);
        close_el(w);
        break;
    }
    case OCT_NODE_THEMATIC_BREAK:
        open_el(w, "hr", n, NULL);
        markup_end_empty(&w->m);
        break;
    case OCT_NODE_TABLE:
        open_el(w, "table", n, NULL);
        push_group(w);
        break;
    case OCT_NODE_TABLE_ROW:
        enter_row(w, n);
        open_el(w, "tr", n, NULL);
        break;
    case OCT_NODE_TABLE_CELL: {
        static const char *const align[] = {NULL, "align-left", "align-center", "align-right"};
        oct_align a = oct_node_cell_align(n);
        open_el(w, oct_node_cell_is_header(n) ? "th" : "td", n,
                a >= OCT_ALIGN_LEFT && a <= OCT_ALIGN_RIGHT ? align[a] : NULL);
        if (oct_node_cell_colspan(n) > 1)
            markup_attr_int(&w->m, "colspan", oct_node_cell_colspan(n));
        if (oct_node_cell_rowspan(n) > 1)
            markup_attr_int(&w->m, "rowspan", oct_node_cell_rowspan(n));
        break;
    }
    case OCT_NODE_FIGURE:
        open_el(w, b->epub2 ? "div" : "figure", n, b->epub2 ? "figure" : NULL);
        break;
    case OCT_NODE_CAPTION: {
        const oct_node *parent = oct_node_parent(n);
        if (parent && oct_node_get_type(parent) == OCT_NODE_TABLE)
            open_el(w, "caption", n, NULL);
        else if (!b->epub2 && caption_is_figcaption(n))
            open_el(w, "figcaption", n, NULL);
        else
            open_el(w, "p", n, "caption");
        break;
    }
    case OCT_NODE_DEFINITION_LIST:
        open_el(w, "dl", n, NULL);
        break;
    case OCT_NODE_DEFINITION_TERM:
        open_el(w, "dt", n, NULL);
        break;
    case OCT_NODE_DEFINITION_DESC: {
        /* A description needs a term before it. */
        const oct_node *prev = oct_node_prev(n);
        if (!prev || (oct_node_get_type(prev) != OCT_NODE_DEFINITION_TERM &&
                      oct_node_get_type(prev) != OCT_NODE_DEFINITION_DESC)) {
            markup_start(&w->m, "dt");
            close_el(w);
        }
        open_el(w, "dd", n, NULL);
        break;
    }
    case OCT_NODE_DIV: {
        const char *cls = oct_node_class(n);
        char tok[128];
        if (cls && *cls)
            epub_make_ncname(cls, "x-", tok, sizeof tok);
        open_el(w, "div", n, cls && *cls ? tok : NULL);
        break;
    }
    case OCT_NODE_TEXT:
        if (epub_anchor_id(b, n)) {
            open_el(w, "span", n, NULL);
            write_literal(w, n);
            close_el(w);
        } else {
            write_literal(w, n);
        }
        break;
    case OCT_NODE_EMPH: open_el(w, "em", n, NULL); break;
    case OCT_NODE_STRONG: open_el(w, "strong", n, NULL); break;
    case OCT_NODE_STRIKEOUT: open_el(w, b->epub2 ? "del" : "s", n, NULL); break;
    case OCT_NODE_SUPERSCRIPT: open_el(w, "sup", n, NULL); break;
    case OCT_NODE_SUBSCRIPT: open_el(w, "sub", n, NULL); break;
    case OCT_NODE_UNDERLINE:
        open_el(w, b->epub2 ? "span" : "u", n, b->epub2 ? "underline" : NULL);
        break;
    case OCT_NODE_CODE:
        open_el(w, "code", n, NULL);
        write_literal(w, n);
        close_el(w);
        break;
    case OCT_NODE_LINK: enter_link(w, n); break;
    case OCT_NODE_IMAGE: write_image(w, n); break;
    case OCT_NODE_LINE_BREAK:
        open_el(w, "br", n, NULL);
        markup_end_empty(&w->m);
        break;
    case OCT_NODE_SOFT_BREAK:
        empty_anchor(w, n, 0);
        markup_text_cstr(&w->m, "\n");
        break;
    case OCT_NODE_FOOTNOTE_REF: write_noteref(w, n); break;
    case OCT_NODE_SPAN: {
        const char *cls = oct_node_class(n);
        char tok[128];
        if (cls && *cls)
            epub_make_ncname(cls, "x-", tok, sizeof tok);
        open_el(w, "span", n, cls && *cls ? tok : NULL);
        break;
    }
    case OCT_NODE_HIGHLIGHT:
        open_el(w, b->epub2 ? "span" : "mark", n, b->epub2 ? "highlight" : NULL);
        break;
    case OCT_NODE_SMALL_CAPS: open_el(w, "span", n, "smallcaps"); break;
    case OCT_NODE_QUOTED: open_el(w, "q", n, NULL); break;
    case OCT_NODE_RAW_BLOCK:
        /* Raw markup cannot be trusted to be well-formed XHTML. */
        empty_anchor(w, n, 1);
        break;
    case OCT_NODE_RAW_INLINE:
        empty_anchor(w, n, 0);
        break;
    default:
        /* FOOTNOTE_DEF (rendered with the notes) and types newer than this
         * writer: nothing here, and nothing of their children. */
        if (t != OCT_NODE_FOOTNOTE_DEF)
            empty_anchor(w, n, oct_node_type_is_block(t));
        oct_iter_skip_children(it);
        return 0;
    }
    return 1;
}

static void leave(writer *w, const oct_node *n)
{
    oct_node_type t = oct_node_get_type(n);

    switch (t) {
    case OCT_NODE_DOCUMENT:
        break;
    case OCT_NODE_PARAGRAPH:
        if (!w->bare_paragraph)
            close_el(w);
        break;
    case OCT_NODE_TABLE:
        if (w->n_groups > 0 && w->groups[--w->n_groups] >= 0)
            close_el(w);
        close_el(w);
        break;
    case OCT_NODE_DEFINITION_TERM: {
        /* A term needs a description after it. */
        const oct_node *next = oct_node_next(n);
        close_el(w);
        if (!next || (oct_node_get_type(next) != OCT_NODE_DEFINITION_TERM &&
                      oct_node_get_type(next) != OCT_NODE_DEFINITION_DESC)) {
            markup_start(&w->m, "dd");
            close_el(w);
        }
        break;
    }
    case OCT_NODE_LINK:
        w->in_link--;
        close_el(w);
        break;
    case OCT_NODE_HEADING: case OCT_NODE_BLOCK_QUOTE: case OCT_NODE_LIST:
    case OCT_NODE_LIST_ITEM: case OCT_NODE_TABLE_ROW: case OCT_NODE_TABLE_CELL:
    case OCT_NODE_FIGURE: case OCT_NODE_CAPTION: case OCT_NODE_DEFINITION_LIST:
    case OCT_NODE_DEFINITION_DESC: case OCT_NODE_DIV: case OCT_NODE_EMPH:
    case OCT_NODE_STRONG: case OCT_NODE_STRIKEOUT: case OCT_NODE_SUPERSCRIPT:
    case OCT_NODE_SUBSCRIPT: case OCT_NODE_UNDERLINE: case OCT_NODE_SPAN:
    case OCT_NODE_HIGHLIGHT: case OCT_NODE_SMALL_CAPS: case OCT_NODE_QUOTED:
        close_el(w);
        break;
    default:
        break; /* rendered nothing on enter */
    }
}

/* Renders one footnote as an <aside> (a <div> in EPUB 2). */
static void render_note(writer *w, const epub_note *note)
{
    const oct_node *first = oct_node_first_child(note->def);
    oct_iter it;
    oct_event ev;

    markup_start(&w->m, w->b->epub2 ? "div" : "aside");
    markup_attr(&w->m, "id", note->id);
    markup_attr(&w->m, "class", "footnote");
    if (!w->b->epub2) {
        markup_attr(&w->m, "epub:type", "footnote");
        markup_attr(&w->m, "role", "doc-footnote");
    }
    write_lang_dir(w, note->def);
    if (first && oct_node_get_type(first) == OCT_NODE_PARAGRAPH) {
        w->backlink = note;
    } else {
        markup_start(&w->m, "p");
        write_backlink(w, note);
        close_el(w);
    }
    oct_iter_init(&it, note->def);
    oct_iter_next(&it); /* the definition itself: the aside stands for it */
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        const oct_node *n = oct_iter_node(&it);
        if (n == note->def)
            break;
        if (ev == OCT_EVENT_ENTER)
            enter(w, &it, n);
        else
            leave(w, n);
    }
    w->backlink = NULL;
    close_el(w);
}

/* The notes that land in this chapter's file, in number order. */
static void render_notes_of(writer *w, int chapter, int book_end)
{
    int any = 0;

    for (size_t i = 0; i < w->b->n_notes; i++) {
        const epub_note *note = w->b->notes[i];
        if (note->render_chapter != chapter)
            continue;
        if (!any) {
            markup_start(&w->m, w->b->epub2 ? "div" : "section");
            markup_attr(&w->m, "class", book_end ? "footnotes endnotes" : "footnotes");
            if (!w->b->epub2)
                markup_attr(&w->m, "epub:type", book_end ? "endnotes" : "footnotes");
            any = 1;
        }
        render_note(w, note);
    }
    if (any)
        close_el(w);
}

/* Starts a content document; its body is written through w->m. Every
 * file is built in the memory of the one before. */
static void begin_file(writer *w, const char *title, const char *body_type)
{
    oct_xml_restart(&w->x, 0);
    /* Room for the whole book's XHTML, as far as the first file goes: the
     * buffer then never grows by copying. Unused room is address space
     * only (a node writes some 50 to 100 bytes). */
    if (!w->reserved) {
        size_t nodes = oct_doc_node_count(w->b->doc);
        oct_xml_reserve(&w->x, nodes < CONTENT_RESERVE_MAX / CONTENT_BYTES_PER_NODE
                                   ? nodes * CONTENT_BYTES_PER_NODE
                                   : CONTENT_RESERVE_MAX);
        w->reserved = 1;
    }
    epub_xhtml_begin(w->b, &w->x, &w->m, title, body_type);
    w->open = 1;
}

static void finish_file(writer *w, const char *name)
{
    oct_status st;

    if (!w->open)
        return;
    markup_finish(&w->m);
    st = epub_zip_xml(w->b, w->z, name, &w->x);
    w->open = 0; /* w->x is kept for the next file */
    fail(w, st);
}

static void begin_chapter(writer *w, int chapter)
{
    w->chapter = chapter;
    w->body_used = 0;
    begin_file(w, w->b->chapters[chapter].title, "bodymatter");
}

static void end_chapter(writer *w)
{
    if (w->b->notes_mode == EPUB_NOTES_CHAPTER)
        render_notes_of(w, w->chapter, 0);
    if (!w->body_used) {
        /* XHTML 1.1 wants at least one block in <body>. */
        markup_start(&w->m, "div");
        close_el(w);
    }
    finish_file(w, w->b->chapters[w->chapter].file);
}

/* Closes the DIVs around the heading that opens the next chapter, finishes
 * this chapter, starts the next and reopens the DIVs (without their ids,
 * which stay where they first appeared). */
static void switch_chapter(writer *w, const oct_node *heading)
{
    const oct_node *root = oct_doc_root(w->b->doc);
    const oct_node **chain = NULL;
    size_t depth = 0;

    for (const oct_node *p = oct_node_parent(heading); p && p != root; p = oct_node_parent(p))
        depth++;
    if (depth) {
        chain = malloc(depth * sizeof *chain);
        if (!chain) {
            fail(w, OCT_ERR_NOMEM);
            return;
        }
        size_t i = depth;
        for (const oct_node *p = oct_node_parent(heading); p && p != root; p = oct_node_parent(p))
            chain[--i] = p;
    }
    for (size_t i = 0; i < depth; i++)
        close_el(w);
    end_chapter(w);
    begin_chapter(w, w->chapter + 1);
    for (size_t i = 0; i < depth; i++) {
        const char *cls = oct_node_class(chain[i]);
        char tok[128];
        if (cls && *cls)
            epub_make_ncname(cls, "x-", tok, sizeof tok);
        markup_start(&w->m, "div");
        if (cls && *cls)
            markup_attr(&w->m, "class", tok);
        write_lang_dir(w, chain[i]);
    }
    free(chain);
}

static void render_chapters(writer *w)
{
    oct_iter it;
    oct_event ev;

    begin_chapter(w, 0);
    oct_iter_init(&it, oct_doc_root(w->b->doc));
    while (w->st == OCT_OK && (ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        const oct_node *n = oct_iter_node(&it);
        if (ev == OCT_EVENT_EXIT) {
            leave(w, n);
            continue;
        }
        if ((size_t)w->chapter + 1 < w->b->n_chapters &&
            n == w->b->chapters[w->chapter + 1].start)
            switch_chapter(w, n);
        enter(w, &it, n);
        if (w->x.failed)
            fail(w, OCT_ERR_CONVERSION);
    }
    end_chapter(w);
}

/* ---------------------------------------------------- cover, title, notes */

static void write_cover(writer *w)
{
    const epub_image *cover = w->b->cover;
    int width = oct_resource_width(cover->res), height = oct_resource_height(cover->res);
    char view_box[48];

    begin_file(w, w->b->title, "cover");
    markup_start(&w->m, "div");
    markup_attr(&w->m, "class", "cover");
    if (w->b->cover_is_svg) {
        /* An SVG wrapper scales the cover to the page on every reader. */
        markup_start(&w->m, "svg");
        markup_attr(&w->m, "xmlns", NS_SVG);
        markup_attr(&w->m, "xmlns:xlink", NS_XLINK);
        markup_attr(&w->m, "version", "1.1");
        markup_attr(&w->m, "width", "100%");
        markup_attr(&w->m, "height", "100%");
        snprintf(view_box, sizeof view_box, "0 0 %d %d", width, height);
        markup_attr(&w->m, "viewBox", view_box);
        markup_attr(&w->m, "preserveAspectRatio", "xMidYMid meet");
        markup_start(&w->m, "image");
        markup_attr_int(&w->m, "width", width);
        markup_attr_int(&w->m, "height", height);
        markup_attr(&w->m, "xlink:href", cover->href);
        markup_end_empty(&w->m);
        markup_start(&w->m, "title");
        markup_text_cstr(&w->m, w->b->title);
        close_el(w);
        close_el(w);
    } else {
        markup_start(&w->m, "img");
        markup_attr(&w->m, "src", cover->href);
        markup_attr(&w->m, "alt", w->b->title);
        markup_end_empty(&w->m);
    }
    close_el(w);
    finish_file(w, EPUB_COVER);
}

static void title_line(writer *w, const char *cls, const char *text)
{
    if (!text || !*text)
        return;
    markup_start(&w->m, "p");
    markup_attr(&w->m, "class", cls);
    markup_text_cstr(&w->m, text);
    close_el(w);
}

static void write_title_page(writer *w)
{
    const oct_doc *doc = w->b->doc;
    const char *source = oct_meta_get(doc, OCT_META_SOURCE);
    size_t n_authors = oct_meta_count(doc, OCT_META_AUTHOR);

    if (!source) {
        const char *base = oct_doc_base(doc);
        if (base && (!strncmp(base, "http://", 7) || !strncmp(base, "https://", 8)))
            source = base;
    }
    begin_file(w, w->b->title, "frontmatter");
    markup_start(&w->m, w->b->epub2 ? "div" : "section");
    markup_attr(&w->m, "class", "titlepage");
    if (!w->b->epub2)
        markup_attr(&w->m, "epub:type", "titlepage");
    markup_start(&w->m, "h1");
    markup_attr(&w->m, "class", "title");
    markup_text_cstr(&w->m, w->b->title);
    close_el(w);
    title_line(w, "subtitle", oct_meta_get(doc, OCT_META_SUBTITLE));
    for (size_t i = 0; i < n_authors; i++)
        title_line(w, "author", oct_meta_get_nth(doc, OCT_META_AUTHOR, i));
    title_line(w, "publisher", oct_meta_get(doc, OCT_META_PUBLISHER));
    title_line(w, "date", w->b->date_text);
    if (source && *source) {
        markup_start(&w->m, "p");
        markup_attr(&w->m, "class", "source");
        markup_start(&w->m, "a");
        if (!url_attr(w, "href", source))
            markup_attr(&w->m, "class", "link-unresolved");
        markup_text_cstr(&w->m, source);
        close_el(w);
        close_el(w);
    }
    close_el(w);
    finish_file(w, EPUB_TITLE);
}

static void write_notes_file(writer *w)
{
    const char *heading = epub_notes_word(w->b);

    w->chapter = epub_notes_chapter(w->b);
    begin_file(w, heading, "backmatter");
    markup_start(&w->m, "h1");
    markup_attr(&w->m, "class", "notes-title");
    markup_text_cstr(&w->m, heading);
    close_el(w);
    render_notes_of(w, w->chapter, 1);
    finish_file(w, EPUB_NOTES);
}

oct_status epub_write_content(epub_book *b, oct_zip *z)
{
    writer w;

    memset(&w, 0, sizeof w);
    w.b = b;
    w.z = z;
    markup_init(&w.m, &w.x);
    if (b->cover)
        write_cover(&w);
    if (w.st == OCT_OK)
        write_title_page(&w);
    if (w.st == OCT_OK)
        render_chapters(&w);
    if (w.st == OCT_OK && b->has_notes_file)
        write_notes_file(&w);
    oct_xml_free(&w.x);
    markup_free(&w.m);
    free(w.groups);
    if (w.st != OCT_OK && b->err && b->err->status == OCT_OK)
        oct_error_set(b->err, w.st, "epub", 0, "cannot render the book");
    return w.st;
}
