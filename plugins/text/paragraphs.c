/*
 * paragraphs.c — where paragraphs begin and end, decided once per document
 * the way calibre's "auto" does: blank-line separated blocks, one paragraph
 * per line, or hard-wrapped lines to unwrap by their shape.
 *
 * The key measurement is the wrap width: the width most lines inside a block
 * reach. A break before a word that would still have fitted on the line was
 * made by hand (end of paragraph, a verse line, a row of code).
 */
#include "text_internal.h"

#include <stdlib.h>
#include <string.h>

#define WIDTH_BUCKETS 1024
#define INDENT_BUCKETS 64
#define MIN_WRAP 45
#define MAX_WRAP 100
#define WRAP_BAND 15

const char *text_para_mode_name(text_para_mode m)
{
    switch (m) {
    case PARA_BLOCK: return "block";
    case PARA_SINGLE: return "single";
    case PARA_UNWRAP: return "unwrap";
    case PARA_PREFORMATTED: return "preformatted";
    case PARA_AUTO: break;
    }
    return "auto";
}

/* Next present line after i inside the same blank-free run, or n_lines. */
static size_t next_in_run(const text_source *src, size_t i)
{
    return i + 1 < src->n_lines && !text_gap_before(src, i + 1) ? i + 1 : src->n_lines;
}

void text_layout_detect(oct_context *ctx, const text_source *src, text_para_mode forced,
                        text_layout *lay)
{
    memset(lay, 0, sizeof *lay);
    size_t *widths = calloc(WIDTH_BUCKETS, sizeof *widths);
    size_t indents[INDENT_BUCKETS] = {0};
    size_t present = 0, gaps = 0, inner = 0;
    for (size_t i = 0; i < src->n_lines; i++) {
        if (text_line_gone(src, i))
            continue;
        /* the gap before the first line separates nothing */
        if (present++ > 0 && text_gap_before(src, i))
            gaps++;
        const text_line *l = &src->lines[i];
        if (next_in_run(src, i) < src->n_lines) {
            inner++;
            if (widths)
                widths[l->width < WIDTH_BUCKETS ? l->width : WIDTH_BUCKETS - 1]++;
        }
    }
    /* the wrap width: 90th percentile of the widths of lines inside blocks */
    unsigned wrap = 0;
    if (widths && inner >= 4) {
        size_t seen = 0;
        const size_t target = inner - inner / 10;
        for (unsigned w = 0; w < WIDTH_BUCKETS; w++) {
            seen += widths[w];
            if (seen >= target) {
                wrap = w;
                break;
            }
        }
        size_t in_band = 0;
        for (unsigned w = wrap > WRAP_BAND ? wrap - WRAP_BAND : 0; w <= wrap; w++)
            in_band += widths[w];
        if (wrap < MIN_WRAP || wrap > MAX_WRAP || in_band * 2 < inner)
            wrap = 0;
    }
    free(widths);
    lay->wrap_width = wrap;

    /* the body indent: most common indent of full-width lines */
    for (size_t i = 0; i < src->n_lines; i++) {
        const text_line *l = &src->lines[i];
        if (text_line_gone(src, i) || (wrap && l->width + WRAP_BAND < wrap) ||
            (!wrap && l->width < 40))
            continue;
        indents[l->indent < INDENT_BUCKETS ? l->indent : INDENT_BUCKETS - 1]++;
    }
    unsigned body = 0;
    for (unsigned k = 1; k < INDENT_BUCKETS; k++)
        if (indents[k] > indents[body])
            body = k;
    lay->body_indent = body;

    /* paragraphs marked by an indented first line instead of a blank line */
    size_t indented_starts = 0, hand_breaks = 0;
    for (size_t i = 0; i < src->n_lines; i++) {
        const size_t j = next_in_run(src, i);
        if (text_line_gone(src, i) || j >= src->n_lines)
            continue;
        if (src->lines[j].indent > src->lines[i].indent && src->lines[i].indent == body &&
            src->lines[j].indent <= body + 8)
            indented_starts++;
        if (wrap && text_break_is_deliberate(src, lay, i, j) &&
            text_ends_with_sentence_punct(text_line_str(src, i), src->lines[i].len))
            hand_breaks++;
    }
    lay->first_line_indent = indented_starts * 20 > present && indented_starts > 2;

    if (forced != PARA_AUTO) {
        lay->mode = forced;
        oct_info(ctx, "paragraphs: %s (from -V paragraphs)", text_para_mode_name(forced));
    } else if (present == 0) {
        lay->mode = PARA_BLOCK;
    } else if (!wrap) {
        /* lines as long as their paragraphs: blank lines, or none at all */
        lay->mode = gaps * 20 >= present ? PARA_BLOCK : PARA_SINGLE;
    } else {
        lay->mode = gaps >= hand_breaks + (size_t)(lay->first_line_indent ? indented_starts : 0)
                        ? PARA_BLOCK
                        : PARA_UNWRAP;
    }
    if (forced == PARA_AUTO)
        oct_info(ctx,
                 "paragraphs: %s (auto: %zu lines, %zu after a blank line, %zu hand breaks"
                 "%s); wrap width %u; body indent %u",
                 text_para_mode_name(lay->mode), present, gaps, hand_breaks,
                 lay->first_line_indent ? ", indented first lines" : "", wrap, body);
}

size_t text_block_end(const text_source *src, const text_layout *lay, size_t i)
{
    size_t j = i + 1;
    if (lay->mode == PARA_SINGLE)
        return j;
    for (; j < src->n_lines && !text_gap_before(src, j) && !text_line_gone(src, j); j++) {
        if (lay->mode != PARA_UNWRAP)
            continue;
        const text_line *a = &src->lines[j - 1], *b = &src->lines[j];
        if (lay->first_line_indent && b->indent > a->indent && b->indent <= a->indent + 8)
            break;
        if (text_break_is_deliberate(src, lay, j - 1, j) &&
            (text_ends_with_sentence_punct(text_line_str(src, j - 1), a->len) ||
             text_is_upper_start(text_line_str(src, j), b->len)))
            break;
    }
    return j;
}

/* Appends s with runs of spaces collapsed to one; a line without such a
 * run (the usual case, known from its LINE_SPACES flag) is appended in one
 * piece. */
static void append_collapsed(oct_buf *buf, const char *s, size_t len, int maybe_spaces)
{
    if (!maybe_spaces || !text_has_double_space(s, len)) {
        text_buf_add(buf, 0, s, len);
        return;
    }
    size_t from = 0;
    for (size_t i = 1; i < len; i++) {
        if (s[i] == ' ' && s[i - 1] == ' ') {
            oct_buf_append(buf, s + from, i - from);
            while (i < len && s[i] == ' ')
                i++;
            from = i;
        }
    }
    if (from < len)
        oct_buf_append(buf, s + from, len - from);
}

static int ends_with_dash(const char *s, size_t len)
{
    if (len >= 2 && s[len - 1] == '-' && s[len - 2] == '-')
        return 1;
    /* — and – */
    return len >= 3 && (unsigned char)s[len - 3] == 0xE2 && (unsigned char)s[len - 2] == 0x80 &&
           ((unsigned char)s[len - 1] == 0x94 || (unsigned char)s[len - 1] == 0x93);
}

oct_status text_join_lines(const text_source *src, const text_hyphens *h, size_t first, size_t end,
                           size_t skip_first, oct_buf *buf)
{
    size_t prev = src->n_lines;
    for (size_t i = first; i < end; i++) {
        if (text_line_gone(src, i))
            continue;
        const char *s = text_line_str(src, i);
        size_t len = src->lines[i].len;
        if (i == first) {
            s += skip_first < len ? skip_first : len;
            len -= skip_first < len ? skip_first : len;
        }
        int space = 0;
        if (prev < src->n_lines && buf->len > 0) {
            const char *p = text_line_str(src, prev);
            const size_t plen = src->lines[prev].len;
            const char last = p[plen - 1];
            const unsigned pflags = src->lines[prev].flags;
            if (last != '-' && last != '/' && last != (char)0x93 && last != (char)0x94) {
                space = 1; /* most lines: no split word, dash or URL scheme at the end */
            } else if (prev + 1 == i && !text_gap_before(src, i) && (pflags & LINE_SPLIT_WORD)) {
                /* hyphens.c has read this split already (the same test as below) */
                if ((pflags & LINE_SPLIT_ATTESTED) && buf->data[buf->len - 1] == '-') {
                    buf->len--;
                    buf->data[buf->len] = '\0';
                }
            } else if (plen >= 2 && last == '-' && p[plen - 2] != '-' &&
                       text_trailing_word_start(p, plen - 1) < plen - 1) {
                /* a split word: drop the hyphen only if the whole word is attested */
                const size_t ls = text_trailing_word_start(p, plen - 1);
                const size_t rl = text_leading_word_len(s, len);
                if (rl > 0 && text_is_lower_start(s, len) &&
                    text_hyphens_attested(h, p + ls, plen - 1 - ls, s, rl) &&
                    buf->data[buf->len - 1] == '-') {
                    buf->len--;
                    buf->data[buf->len] = '\0';
                }
            } else if (!ends_with_dash(p, plen) &&
                       !(plen >= 3 && memcmp(p + plen - 3, "://", 3) == 0)) {
                /* a URL broken after its scheme is rejoined too */
                space = 1;
            }
        }
        if (src->lines[i].flags & LINE_SPACES) {
            if (space)
                text_buf_add(buf, 0, " ", 1);
            append_collapsed(buf, s, len, 1);
        } else {
            text_buf_add(buf, space, s, len);
        }
        prev = i;
    }
    return buf->status;
}
