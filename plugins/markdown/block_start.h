/*
 * block_start.h — what may begin a Markdown block at the start of a line,
 * as both inline paths ask it: the cells' (inline.c) and plain text's
 * (plain_run.c), which must agree byte for byte.
 */
#ifndef OCTAVO_MD_BLOCK_START_H
#define OCTAVO_MD_BLOCK_START_H

#include <stdint.h>

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

#endif
