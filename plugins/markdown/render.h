/*
 * render.h — a generic line renderer for Markdown-like text (the idea of
 * cmark's render.c, written for octavo).
 *
 * It owns what every text writer needs and no writer should redo: the block
 * prefix repeated on every line ("> ", list indentation), collapsing of
 * repeated newline requests into at most one blank line, and greedy wrapping
 * at break points the writer marked as safe. The writer decides *what* a
 * break point is; the renderer only decides *where* to use one.
 */
#ifndef OCTAVO_MD_RENDER_H
#define OCTAVO_MD_RENDER_H

#include <octavo/octavo.h>

#include <string.h>

typedef struct md_render {
    oct_sink *sink;      /* NULL: output stays in out (tables, tests) */
    oct_buf out;         /* pending output; flushed to sink at line ends */
    oct_buf prefix;      /* written at the start of every line */
    size_t prefix_columns; /* its display width; SIZE_MAX: not measured yet */
    oct_buf scratch;     /* the tail of a line being wrapped */
    size_t width;        /* wrap lines longer than this; 0: never wrap */
    size_t column;       /* display columns of the current line */
    size_t line_start;   /* offset in out where the current line begins */
    size_t content_start; /* offset just after this line's prefix */
    size_t break_at;     /* offset of the last usable break space, or SIZE_MAX */
    int pending;         /* newlines requested: 0, 1 (line end) or 2 (blank line) */
    int begin_line;      /* nothing written on this line yet, not even the prefix */
    int after_lead;      /* a list marker / "> " was just written: ignore requests */
    int wrote_any;       /* something was written at all */
} md_render;

void md_render_init(md_render *r, oct_sink *sink, size_t width, size_t max_bytes);
void md_render_free(md_render *r);
/* Makes r as md_render_init() left it, keeping its buffers for reuse. */
void md_render_clear(md_render *r);

/* Block structure. push returns the previous prefix length for pop. */
size_t md_render_push_prefix(md_render *r, const char *s);
void md_render_pop_prefix(md_render *r, size_t saved_len);
/* Ask for the next output to start a new line / after a blank line. */
void md_render_cr(md_render *r);
void md_render_blank_line(md_render *r);
/* Writes a block lead ("- ", "12. ", "> ") on a fresh line; the block's own
 * first child then continues on that same line. */
void md_render_lead(md_render *r, const char *s);
/* Ends the lead state of an empty item / quote so later requests count. */
void md_render_leave(md_render *r);

/* Content. text never contains a newline; it is never broken. */
void md_render_text(md_render *r, const char *s, size_t len);
/* The same, for text whose display width the caller knows already. */
void md_render_text_columns(md_render *r, const char *s, size_t len, size_t columns);
/* A space the renderer may turn into a line break when the line is full. */
void md_render_break_space(md_render *r);
/* md_render_text_columns() then md_render_break_space(), in one call. */
void md_render_text_break_space(md_render *r, const char *s, size_t len, size_t columns);
/* Whether content goes on along a line already begun: nothing pending (no
 * line end, no blank line), no prefix to write first, past a list lead,
 * and something written before. Bitwise, one branch: asked for every word. */
static inline int md_render_line_begun(const md_render *r)
{
    return !(r->pending | r->begin_line | r->after_lead | !r->wrote_any);
}
/* What md_render_text_break_space() does with a word (len > 0) when that
 * is simple, as for most words of a paragraph: the line is begun and has
 * room for the word and the space after it, and so has the buffer. Returns
 * 0, having done nothing, otherwise. Inline: it is asked a word at a time.
 * readable: how many bytes at s may be read (at least len). */
static inline int md_render_word_fits(md_render *r, const char *s, size_t len, size_t columns,
                                      size_t readable)
{
    oct_buf *b = &r->out;
    if (!md_render_line_begun(r) || r->column + columns >= r->width || b->status != OCT_OK ||
        len + 1 >= b->cap - b->len || len + 1 > b->max - b->len)
        return 0;
    if (len <= 8 && readable >= 8 && b->cap - b->len > 8) {
        /* a short word, as most are: eight bytes copied at once (those
         * past the word land beyond the end of the text) */
        memcpy(b->data + b->len, s, 8);
    } else {
        memcpy(b->data + b->len, s, len);
    }
    b->len += len;
    r->break_at = b->len;
    b->data[b->len++] = ' ';
    b->data[b->len] = '\0';
    r->column += columns + 1;
    return 1;
}
/* Words by the line rather than a word at a time, for a writer that knows
 * where its break spaces are: while the line is begun, words w1 ... wk,
 * each with its break space after it, fit on it when their columns, spaces
 * included, are fewer than md_render_room() (0: none fit). Then
 * md_render_words() with all of them at once writes what
 * md_render_text_break_space() would with each in turn. columns: their
 * display width, the last space included. */
static inline size_t md_render_room(const md_render *r)
{
    if (!md_render_line_begun(r) || r->out.status != OCT_OK || r->column >= r->width)
        return 0;
    return r->width - r->column;
}
void md_render_words(md_render *r, const char *s, size_t len, size_t columns);
/* When the line is begun and ends with its last break space: ends it
 * there, as md_render_text_break_space() does before a word that would go
 * past the width (which then begins the next line), and returns 1. Returns
 * 0, having done nothing, otherwise. */
int md_render_wrap(md_render *r);
/* Ends the current line inside the block (the prefix repeats). */
void md_render_newline(md_render *r);

/* Final newline and flush. Returns the sticky status of buffer or sink. */
oct_status md_render_finish(md_render *r);
oct_status md_render_status(const md_render *r);

#endif
