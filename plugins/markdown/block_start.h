/*
 * block_start.h — what may begin a Markdown block at the start of a line,
 * as both inline paths ask it: the cells' (inline.c) and plain text's
 * (plain_run.c), which must agree byte for byte.
 */
#ifndef OCTAVO_MD_BLOCK_START_H
#define OCTAVO_MD_BLOCK_START_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The characters a block may begin with: a line beginning with any other
 * starts none (most words begin with a letter, which this tells without a
 * call). */
static const unsigned char md_may_start_block[128] = {
    ['#'] = 1, ['>'] = 1, ['<'] = 1, ['|'] = 1, ['-'] = 1, ['+'] = 1, ['*'] = 1,
    ['`'] = 1, ['~'] = 1, ['['] = 1, ['='] = 1, ['_'] = 1, [':'] = 1, ['0'] = 1,
    ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1};

static inline int is_digit(uint32_t c) { return c >= '0' && c <= '9'; }

/* What ends a list marker or an ATX opening: white space, or nothing. */
static inline int is_ws_or_end(uint32_t c) { return c == 0 || c == ' ' || c == '\t' || c == '\n'; }

/* The character at k of a line's source, 0 past its end: a cell's raw
 * character (inline.c) or a byte of a text (plain_run.c). */
typedef uint32_t (*md_char_at)(const void *src, size_t k);

/* Could the line whose first character is at i begin a block: an ATX
 * heading, a quote, an HTML block or table row, a list item, a fence, a
 * footnote definition, or a thematic break or setext underline (a word of
 * "-=_*+:|" alone, if the line were to end after it)? Asked only of a
 * character md_may_start_block holds. The one set of rules for both inline
 * paths, so that they cannot answer differently. */
static inline int md_block_starts(md_char_at at, const void *src, size_t i)
{
    const uint32_t c = at(src, i), c1 = at(src, i + 1);
    if (c == '#' || c == '>' || c == '<' || c == '|')
        return 1;
    if ((c == '-' || c == '+' || c == '*') && is_ws_or_end(c1))
        return 1;
    if (c == '`' || c == '~')
        return c1 == c;
    if (c == '[' && c1 == '^')
        return 1;
    if (is_digit(c)) {
        size_t k = i;
        while (k - i < 10 && is_digit(at(src, k)))
            k++;
        const uint32_t p = at(src, k);
        if ((p == '.' || p == ')') && k - i <= 9 && is_ws_or_end(at(src, k + 1)))
            return 1;
    }
    if (c == '-' || c == '=' || c == '_' || c == '*' || c == '+' || c == ':') {
        for (size_t k = i;; k++) {
            const uint32_t x = at(src, k);
            if (x == 0 || x == ' ' || x == '\t')
                return 1;
            if (x >= 0x80 || !strchr("-=_*+:|", (int)x))
                return 0;
        }
    }
    return 0;
}

#endif
