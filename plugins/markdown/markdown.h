/*
 * markdown.h — what the files of the Markdown writer share.
 */
#ifndef OCTAVO_MD_MARKDOWN_H
#define OCTAVO_MD_MARKDOWN_H

#include <octavo/octavo_plugin.h>

#include "render.h"

typedef enum md_flavour { MD_COMMONMARK = 0, MD_GFM } md_flavour;
typedef enum md_wrap { MD_WRAP_AUTO = 0, MD_WRAP_NONE, MD_WRAP_PRESERVE } md_wrap;

typedef struct md_options {
    md_flavour flavour;
    md_wrap wrap;
    size_t columns;
    int front_matter;
    int raw_html;
} md_options;

/* Where an inline run sits: it decides which line-start rules apply and
 * whether the run may span lines. */
typedef enum md_inline_place {
    MD_PLACE_PARAGRAPH = 0, /* block rules at every line start; may wrap */
    MD_PLACE_HEADING,       /* one line; trailing '#' and edge spaces matter */
    MD_PLACE_TABLE_CELL,    /* one line inside a GFM pipe table */
    MD_PLACE_TERM           /* a definition term: a paragraph in strong emphasis */
} md_inline_place;

typedef struct md_cell md_cell;
typedef struct md_delim md_delim;

typedef struct md_writer {
    oct_context *ctx;
    const oct_doc *doc;
    md_options opt;
    md_render r;
    /* Footnote labels in numbering order (sorted copy for lookup). */
    const oct_node **notes;
    size_t n_notes;
    const oct_node **notes_sorted;
    /* Scratch of the inline writer, reused from block to block. */
    md_cell *cells;
    size_t n_cells, cap_cells;
    /* The UTF-8 of the text and markup cells, in cell order, so that a run
     * of cells written as they are is one copy; and the cells that are not
     * (most are): index and offset in bytes of each. */
    char *bytes;
    size_t n_bytes, cap_bytes;
    uint64_t *specials;
    size_t n_specials, cap_specials;
    /* The verbatim spaces of text (between words), entries as in specials:
     * where lines may break. */
    uint64_t *joins;
    size_t n_joins, cap_joins;
    unsigned char *run_marks; /* what emphasis runs may pair with */
    size_t cap_run_marks;
    md_delim *delims;
    size_t n_delims, cap_delims;
    size_t *stack;
    size_t n_stack, cap_stack;
    oct_buf tmp;
    size_t tilde_runs; /* '~' runs and delimiters in the current inline run */
    /* For the tests that hold the two inline paths side by side: 1 sends
     * every run through the cells; plain_runs counts those written without. */
    int cells_only;
    size_t plain_runs;
    oct_status status;
} md_writer;

/* Writes the inline children of block into r. */
oct_status md_write_inlines(md_writer *w, md_render *r, const oct_node *block,
                            md_inline_place place);
/* The longest inline run the cells take, in characters. */
#define MD_MAX_CELLS ((size_t)1 << 28)
/* plain_run.c: writes the run of block if it is plain text (a heading of
 * one text, or a paragraph of lines of text between hard breaks) that the
 * cells would write unchanged, and returns 1; returns 0, having written
 * nothing, if it is left to the cells. */
int md_write_plain_run(md_writer *w, md_render *r, const oct_node *block, md_inline_place place);
void md_inline_free(md_writer *w);

oct_status md_write_document(oct_context *ctx, const oct_doc *doc, oct_sink *sink,
                             oct_error *err, md_flavour flavour);

/* 1-based number of a footnote definition, 0 when unknown. */
size_t md_footnote_number(const md_writer *w, const char *label);

/* YAML front matter from the document's metadata (nothing when empty). */
void md_write_front_matter(md_writer *w);

/* Where a line end makes raw HTML block s a CommonMark HTML block (after
 * its first tag), or 0 when it is one already or cannot be made one. */
size_t md_raw_block_line_break(const char *s, size_t len);

/* Appends url as a link destination: bare when it can be, <...> otherwise. */
void md_append_destination(oct_buf *b, const char *url);
/* Appends a link title in double quotes. */
void md_append_title(oct_buf *b, const char *title);

/* CommonMark's ASCII punctuation: what a backslash can escape. */
static inline int md_is_ascii_punct(uint32_t c)
{
    return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) ||
           (c >= 0x7b && c <= 0x7e);
}

#endif
