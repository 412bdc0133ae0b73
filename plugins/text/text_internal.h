/*
 * text_internal.h — the stages of the plain-text reader and what they share.
 *
 *   decode.c       bytes in any supported encoding -> one UTF-8 buffer, LF line ends
 *   lines.c        the buffer cut into non-blank lines (indent, width, input line number)
 *   frontmatter.c  YAML / pandoc "%" blocks and the leading title/date/tag/byline lines
 *   date.c         date lines -> ISO 8601
 *   furniture.c    web-page furniture lines ("Back to top", "Read more: ...")
 *   paragraphs.c   paragraph mode detection, block segmentation, line joining
 *   hyphens.c      which line-end hyphenations are attested words
 *   classify.c     what one line looks like (chapter line, list marker, code...)
 *   structure.c    headings, lists, quotes, breaks, code -> oct_builder
 *   inline.c       paragraph text with URLs and e-mail addresses as links
 *   byteblocks.h   (core/shared) sixteen bytes at a time, for the loops that read every byte
 *
 * Blank lines are never stored: a line knows its input line number, so a gap
 * in the numbers is a blank line. That keeps a million blank lines free.
 */
#ifndef OCTAVO_TEXT_INTERNAL_H
#define OCTAVO_TEXT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <octavo/octavo_plugin.h>

/* ------------------------------------------------------------ decoding */

typedef struct text_decoded {
    const char *data; /* UTF-8, LF line ends, no NUL, tabs expanded */
    size_t len;
    char *owned; /* the buffer behind data when it had to be rewritten */
} text_decoded;

/* encoding: the -V encoding value or NULL for detection. */
oct_status text_decode(oct_context *ctx, const unsigned char *bytes, size_t len,
                       const char *encoding, text_decoded *out, oct_error *err);
void text_decoded_free(text_decoded *d);

/* ---------------------------------------------------------------- lines */

enum {
    LINE_DROPPED = 1u << 0,    /* furniture: read as a blank line */
    LINE_CONSUMED = 1u << 1,   /* became metadata: read as a blank line */
    LINE_FORM_FEED = 1u << 2,  /* a page break preceded this line */
    /* noted while the line is split, so later stages need not read the
     * text of every line again: */
    LINE_SPACES = 1u << 3,     /* two spaces in a row somewhere */
    LINE_HYPHEN_END = 1u << 4, /* the content ends with '-' */
    /* set by text_hyphens_new(): */
    LINE_SPLIT_WORD = 1u << 5,    /* ends in a word fragment and '-' */
    LINE_SPLIT_ATTESTED = 1u << 6 /* ...which the next line completes into an
                                     attested word: joined without the '-' */
};

/* Twenty-four bytes a line: a book has hundreds of thousands, all kept until
 * the document is built. */
typedef struct text_line {
    uint32_t start_low; /* byte offset of the first character after the indent: */
    uint8_t start_high; /* start_low + start_high * 2^32 */
    uint8_t flags;
    uint16_t indent; /* columns of leading white space (capped) */
    uint32_t len;    /* content bytes, trailing white space trimmed */
    uint32_t width;  /* display columns of the content */
    /* display columns of the first word: whether it would have fitted on the
     * line before is asked of most lines, several times */
    uint32_t first_width;
    uint32_t number; /* 1-based input line number */
} text_line;

/* Texts past 2^40 bytes cannot be held in memory anyway. */
#define TEXT_MAX_OFFSET (((uint64_t)1 << 40) - 1)

static inline size_t text_line_start(const text_line *l)
{
    return (size_t)l->start_low | (size_t)((uint64_t)l->start_high << 32);
}

typedef struct text_source {
    const char *text;
    size_t len;
    text_line *lines;
    size_t n_lines;
    /* pages of lines given back while building (text_lines_release_before) */
    char *released_from, *released_to;
} text_source;

oct_status text_lines_split(const text_decoded *d, text_source *src);
/* Gives the memory of the lines before line i back to the system: the
 * build only moves forward. Reading such a line afterwards faults. */
void text_lines_release_before(text_source *src, size_t i);
void text_source_free(text_source *src);

static inline const char *text_line_str(const text_source *src, size_t i)
{
    return src->text + text_line_start(&src->lines[i]);
}

/* Read as blank: dropped or consumed. */
static inline int text_line_gone(const text_source *src, size_t i)
{
    return (src->lines[i].flags & (LINE_DROPPED | LINE_CONSUMED)) != 0;
}

/* Whether a blank line (or a line read as blank, or a page break) separates
 * line i from the line before it; true for the first line. */
static inline int text_gap_before(const text_source *src, size_t i)
{
    if (i == 0)
        return 1;
    const text_line *cur = &src->lines[i], *prev = &src->lines[i - 1];
    return cur->number != prev->number + 1 || (cur->flags & LINE_FORM_FEED) ||
           text_line_gone(src, i - 1);
}
/* Next line at or after i that is not read as blank; src->n_lines if none. */
size_t text_next_present(const text_source *src, size_t i);

/* --------------------------------------------------------- small scanners */

/* White space for layout purposes: ASCII blanks and U+00A0 (lynx and web
 * copies indent with no-break spaces). Returns its byte length or 0. Asked of
 * nearly every byte some stages look at: inline. */
static inline size_t text_space_len(const char *s, size_t len)
{
    if (len >= 1 && s[0] == ' ')
        return 1;
    if (len >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
        return 2;
    return 0;
}
/* Two spaces in a row anywhere in s (eight bytes at a time). */
int text_has_double_space(const char *s, size_t len);
/* Byte length of the first word (up to white space). */
size_t text_first_word_len(const char *s, size_t len);
size_t text_count_words(const char *s, size_t len);
int text_is_upper_start(const char *s, size_t len);
int text_is_lower_start(const char *s, size_t len);
/* Case-insensitive ASCII prefix test; returns the prefix length or 0. Asked
 * of most lines for many prefixes: the first letter, tested inline, settles
 * most. */
size_t text_has_prefix_rest(const char *s, size_t len, const char *prefix);
static inline char text_fold_ascii(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}
static inline size_t text_has_prefix(const char *s, size_t len, const char *prefix)
{
    if (len == 0 || prefix[0] == '\0' || text_fold_ascii(s[0]) != text_fold_ascii(prefix[0]))
        return 0;
    return text_has_prefix_rest(s, len, prefix);
}
int text_ends_with_sentence_punct(const char *s, size_t len);
/* Closing quotes, brackets and emphasis marks that may follow the end of a
 * sentence or title: " ' ) ] * _ (asked of line ends, without a strchr). */
static inline int text_is_closer(char c)
{
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == '*' || c == '_';
}
/* "http://...", "www...." or "a@b.cd" spanning the whole string. */
int text_is_bare_link(const char *s, size_t len);
/* A code point that belongs in a word (letters and digits, roughly). */
int text_is_word_cp(uint32_t cp);

/* ------------------------------------------------------- line patterns */

/* 0: not a chapter line; 1: a number without a title ("CHAPTER IV");
 * 2: a chapter line with its title ("Chapter 1. Tutorials", "Preface"). */
int text_chapter_kind(const char *s, size_t len);
int text_is_chapter_line(const char *s, size_t len);
/* "* item", "1. item", "b) item": the offset of the item text, or 0. */
size_t text_list_marker(const char *s, size_t len, int *ordered, oct_list_style *style, int *start);
/* "* * *", "***", "---", "#", "~~~": a scene break on its own. */
int text_is_scene_break(const char *s, size_t len);
/* '=' or '-' for a setext underline, else 0. */
char text_setext_char(const char *s, size_t len);
/* "1.2. Title": the number of components of the section number, else 0. */
int text_numbered_heading(const char *s, size_t len);
/* "Note", "Warning", "Table 1.3. ...", "Copyright ...": never headings. */
int text_is_label_or_caption(const char *s, size_t len);
/* Two sentences on one line. */
int text_has_sentence_break(const char *s, size_t len);
/* A line that stops mid-sentence ("... to meet again on"). */
int text_ends_with_function_word(const char *s, size_t len);
int text_is_code_line(const char *s, size_t len);
/* "+----+" and "| a | b |" rows of a drawn table. */
static inline int text_is_box_line(const char *s, size_t len)
{
    return len >= 2 && (s[0] == '+' || s[0] == '|') && (s[len - 1] == '+' || s[len - 1] == '|');
}
/* Number of leading '>' marks, and where the quoted text starts. */
size_t text_quote_depth(const char *s, size_t len, size_t *content);

/* ------------------------------------------------------------------ dates */

/* Whole-line date in a common written form; ambiguous numeric forms
 * (03/04/2019) are refused. Writes "YYYY-MM-DD". */
int text_parse_date(const char *s, size_t len, char iso[11]);

/* ------------------------------------------------------------ front matter */

typedef struct text_front {
    int structured;      /* YAML or pandoc title block found */
    int article_signals; /* date or tag line among the leading lines */
    int has_title;
} text_front;

/* Reads front matter into doc's metadata and marks the lines it used. */
oct_status text_front_matter(oct_context *ctx, text_source *src, oct_doc *doc, text_front *front);
/* Title from the input's file name, when the text gave none. */
oct_status text_title_from_name(oct_context *ctx, const char *name, oct_doc *doc);

/* -------------------------------------------------------------- furniture */

/* Why a line is known page furniture, or NULL (pattern match only). */
const char *text_furniture_pattern(const char *s, size_t len);
/* Drops furniture lines (article mode); returns how many. */
size_t text_furniture_drop(oct_context *ctx, text_source *src);

/* ------------------------------------------------------------- paragraphs */

typedef enum text_para_mode {
    PARA_AUTO = 0,
    PARA_BLOCK,       /* blank lines separate paragraphs */
    PARA_SINGLE,      /* each line is a paragraph */
    PARA_UNWRAP,      /* hard-wrapped, few blank lines: join by line shape */
    PARA_PREFORMATTED /* keep every line */
} text_para_mode;

typedef struct text_layout {
    text_para_mode mode;
    unsigned wrap_width;   /* columns lines were wrapped at; 0 when not wrapped */
    unsigned body_indent;  /* usual indent of body text */
    int first_line_indent; /* paragraphs start with an indented line */
} text_layout;

const char *text_para_mode_name(text_para_mode m);
void text_layout_detect(oct_context *ctx, const text_source *src, text_para_mode forced,
                        text_layout *lay);
/* End (exclusive) of the block starting at line i: the lines up to the next
 * paragraph boundary the mode recognises. */
size_t text_block_end(const text_source *src, const text_layout *lay, size_t i);
/* Whether a wrapper could have put the first word of line b on line a: the
 * break between them was made by hand. Asked of most pairs of lines. */
static inline int text_break_is_deliberate(const text_source *src, const text_layout *lay,
                                           size_t a, size_t b)
{
    if (lay->wrap_width == 0)
        return 1;
    return (size_t)src->lines[a].width + 1 + src->lines[b].first_width <= lay->wrap_width;
}

/* ---------------------------------------------------------------- hyphens */

typedef struct text_hyphens text_hyphens;

/* Collects the words split by a hyphen at a line end and looks for each,
 * unsplit, elsewhere in the text; marks the lines (LINE_SPLIT_WORD,
 * LINE_SPLIT_ATTESTED). NULL only on allocation failure. */
text_hyphens *text_hyphens_new(text_source *src);
void text_hyphens_free(text_hyphens *h);
/* Whether left+right (the two halves of a split word) is attested. */
int text_hyphens_attested(const text_hyphens *h, const char *left, size_t llen, const char *right,
                          size_t rlen);
/* The word fragment that ends s (before a final '-'): its start offset. */
size_t text_trailing_word_start(const char *s, size_t len);
size_t text_leading_word_len(const char *s, size_t len);


/* A space when space is set, then s: oct_buf_append without the call while
 * there is room (the same checks), as paragraphs and code blocks are put
 * together a line at a time. */
static inline void text_buf_add(oct_buf *b, int space, const char *s, size_t n)
{
    const size_t need = n + (space ? 1 : 0);
    if (b->status == OCT_OK && need < b->cap - b->len && need <= b->max - b->len) {
        char *to = b->data + b->len;
        if (space)
            *to++ = ' ';
        memcpy(to, s, n);
        b->len += need;
        b->data[b->len] = '\0';
        return;
    }
    if (space)
        oct_buf_append(b, " ", 1);
    oct_buf_append(b, s, n);
}

/* Appends the lines [first, end) of src to buf as one reflowed run of text:
 * white space collapsed, hyphenation repaired where attested. */
oct_status text_join_lines(const text_source *src, const text_hyphens *h, size_t first, size_t end,
                           size_t skip_first, oct_buf *buf);

/* ---------------------------------------------------------------- inlines */

/* Emits text with URLs and e-mail addresses as LINK nodes; doc is the
 * builder's document (asked once, not for every node). */
oct_status text_emit_inline(oct_builder *b, oct_doc *doc, const char *s, size_t len);

/* -------------------------------------------------------------- structure */

typedef struct text_stats {
    size_t headings;
    size_t chapters;
    size_t code_blocks;
    size_t lists;
} text_stats;

oct_status text_build(oct_context *ctx, text_source *src, const text_layout *lay,
                      const text_hyphens *hy, int article, oct_doc *doc, text_stats *stats,
                      oct_error *err);

#endif
