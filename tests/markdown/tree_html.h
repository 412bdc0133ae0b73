/*
 * tree_html.h — an independent octavo tree -> HTML renderer for the tests,
 * following cmark's HTML conventions, so that cmark's rendering of octavo's
 * Markdown can be compared with what the tree itself says.
 *
 * Where Markdown cannot say something, the renderer follows the writer's
 * documented degradations (tables as HTML blocks of Markdown, strict
 * CommonMark notes as a numbered list after a rule, definition terms in
 * bold, sup/sub/del as raw tags).
 */
#ifndef OCTAVO_TEST_TREE_HTML_H
#define OCTAVO_TEST_TREE_HTML_H

#include <octavo/octavo.h>

/* Flags of tree_html_render. */
enum {
    TREE_HTML_GFM = 1u << 0, /* a table cell's single paragraph is inline content, as in a
                                GFM pipe table; URLs as pandoc keeps them */
    TREE_HTML_RAW = 1u << 1  /* raw HTML nodes shown as they are (the writer's raw-html=on) */
};

/* Renders doc as HTML into out (initialised by the caller); flags: TREE_HTML_*. */
void tree_html_render(const oct_doc *doc, oct_buf *out, unsigned flags);

/* Whitespace-insensitive form: outside <pre>, every line end becomes a
 * space (re-wrapped Markdown turns soft breaks into spaces and back). */
void html_normalize(const char *in, size_t len, oct_buf *out);

#endif
