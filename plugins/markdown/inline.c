/*
 * inline.c — inline content as Markdown, escaped exactly where needed.
 *
 * Whether a character needs a backslash depends on what surrounds it in the
 * *output*: a '*' is harmless between spaces but opens emphasis before a
 * letter; a '.' matters only after digits at a line start. So a run of inline
 * nodes is first flattened into cells (one per output character of text and
 * markup, plus placeholders for emphasis delimiters and line breaks), then:
 *   1. soft breaks are decided (newline, breakable space, or dropped),
 *   2. spaces at line edges, which a parser would strip, become entities,
 *   3. each emphasis pair picks delimiters its neighbours let it keep
 *      ('*' or '_', else raw <em> tags),
 *   4. text is escaped with full look-behind and look-ahead and written,
 *      with break opportunities only where a new line could not change
 *      meaning.
 * Most cells are written as their character whatever surrounds them
 * (verbatim): the passes visit only the others, listed in specials, and a
 * run of verbatim cells is written by copying the UTF-8 kept for all cells.
 * Most spaces are verbatim too (those between two plain characters of one
 * text): they are listed apart, in joins, as the places where a re-wrapped
 * paragraph may break its lines.
 *
 * Most paragraphs, though, are text alone with nothing to escape: a check
 * over their bytes tells so, and they are written straight from the text
 * nodes, a line of output at a time, without cells (plain_run.c).
 */
#include "markdown.h"

#include "block_start.h"
#include "bytewords.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum cell_kind {
    C_TEXT = 0, /* a character of document text: escaped as needed */
    C_MARK,     /* a character of markup: written as is */
    C_DELIM,    /* an emphasis delimiter placeholder (cp: delimiter index) */
    C_SOFT,     /* a soft break (or a newline inside text) */
    C_HARD      /* a hard line break */
};

enum cell_flag {
    F_LINK_TEXT = 1u << 0, /* inside link text or image alt: brackets escaped */
    F_NO_BREAK = 1u << 1,  /* never a wrap point */
    F_ENTITY = 1u << 2,    /* a space at a line edge: written as an entity */
    F_CLOSE = 1u << 3,     /* a closing delimiter */
    F_BALANCED = 1u << 4,  /* a bracket of a matched pair inside link text */
    F_VERBATIM = 1u << 5   /* written as its character wherever it stands */
};

/* How a soft break is finally written. */
enum soft_as { SOFT_NEWLINE = 0, SOFT_SPACE, SOFT_BREAK_SPACE, SOFT_DROP };

struct md_cell {
    uint32_t cp; /* C_DELIM: the delimiter's index; C_SOFT, C_HARD: 0 */
    uint8_t kind;
    uint8_t flags;
    uint8_t soft; /* enum soft_as for C_SOFT / C_HARD (SOFT_DROP) */
    uint8_t pad;
};
_Static_assert(sizeof(md_cell) == sizeof(uint64_t), "a cell is made as one 64-bit word");

struct md_delim {
    oct_node_type type;
    const char *open;  /* resolved delimiter strings */
    const char *close;
};

/* Character classes of the CommonMark flanking rules. */
enum cclass { CL_WS = 0, CL_PUNCT, CL_OTHER };

#define MAX_CELLS MD_MAX_CELLS

/* What ASCII text characters are to the passes below: runs that may pair
 * (R_RUN), spaces (R_SPACE), controls written as entities (R_CONTROL) and
 * the other characters escaping may ever act on (R_ESCAPABLE: digits only
 * at a line start, the rest by what surrounds them). Anything else is
 * written as it is, wherever it stands. */
enum char_role { R_VERBATIM = 0, R_RUN, R_SPACE, R_CONTROL, R_ESCAPABLE };
static const unsigned char char_role[128] = {
    ['*'] = R_RUN,        ['_'] = R_RUN,        ['~'] = R_RUN,
    [' '] = R_SPACE,      ['\t'] = R_SPACE,     ['\r'] = R_CONTROL,
    ['\f'] = R_CONTROL,   ['\v'] = R_CONTROL,   ['!'] = R_ESCAPABLE,
    ['#'] = R_ESCAPABLE,  ['&'] = R_ESCAPABLE,  ['('] = R_ESCAPABLE,
    ['+'] = R_ESCAPABLE,  ['-'] = R_ESCAPABLE,  ['.'] = R_ESCAPABLE,
    ['0'] = R_ESCAPABLE,  ['1'] = R_ESCAPABLE,  ['2'] = R_ESCAPABLE,
    ['3'] = R_ESCAPABLE,  ['4'] = R_ESCAPABLE,  ['5'] = R_ESCAPABLE,
    ['6'] = R_ESCAPABLE,  ['7'] = R_ESCAPABLE,  ['8'] = R_ESCAPABLE,
    ['9'] = R_ESCAPABLE,  [':'] = R_ESCAPABLE,  ['<'] = R_ESCAPABLE,
    ['='] = R_ESCAPABLE,  ['>'] = R_ESCAPABLE,  ['['] = R_ESCAPABLE,
    ['\\'] = R_ESCAPABLE, [']'] = R_ESCAPABLE,  ['`'] = R_ESCAPABLE,
    ['|'] = R_ESCAPABLE};

/* F_VERBATIM for a cell that is written as its character wherever it
 * stands: known when the cell is made, so that the passes over all cells
 * can step over most of them at the cost of one test. */
static unsigned verbatim_flag(int kind, uint32_t cp)
{
    if (kind == C_TEXT)
        return cp >= 0x80 || char_role[cp] == R_VERBATIM ? F_VERBATIM : 0;
    return kind == C_MARK && cp != '\n' ? F_VERBATIM : 0;
}

/* ------------------------------------------------------------ cell array */

static int grow_to(void **arr, size_t *cap, size_t need, size_t elem, size_t max)
{
    if (need <= *cap)
        return 1;
    size_t n = *cap ? *cap : 256;
    while (n < need)
        n *= 2;
    if (n > max)
        return 0;
    void *p = realloc(*arr, n * elem);
    if (!p)
        return 0;
    *arr = p;
    *cap = n;
    return 1;
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    return grow_to(arr, cap, need, elem, MAX_CELLS);
}

/* Room for cells more cells (and their entries in specials, should none be
 * verbatim) and for bytes more bytes of their UTF-8 (at most 4 a cell). */
static int reserve(md_writer *w, size_t cells, size_t bytes)
{
    return grow((void **)&w->cells, &w->cap_cells, w->n_cells + cells, sizeof *w->cells) &&
           grow((void **)&w->specials, &w->cap_specials, w->n_specials + cells,
                sizeof *w->specials) &&
           grow((void **)&w->joins, &w->cap_joins, w->n_joins + cells, sizeof *w->joins) &&
           grow_to((void **)&w->bytes, &w->cap_bytes, w->n_bytes + bytes, 1, 4 * MAX_CELLS);
}

/* An entry of specials: the cell's index, and the offset in bytes where its
 * UTF-8 begins (where the next cell's would, if it has none). */
#define SPECIAL_STEP (((uint64_t)1 << 32) | 1u) /* a cell and a byte further */
static uint64_t special_entry(size_t index, size_t at) { return ((uint64_t)at << 32) | index; }
static size_t special_index(uint64_t e) { return (size_t)(uint32_t)e; }
static size_t special_at(uint64_t e) { return (size_t)(e >> 32); }

static void set_cell(md_cell *c, uint32_t cp, uint8_t kind, uint8_t flags)
{
    c->cp = cp;
    c->kind = kind;
    c->flags = flags;
    c->soft = SOFT_NEWLINE;
    c->pad = 0;
}

/* A cell as one word, so that the loop making a cell a byte stores it at
 * once (the compiler writes the fields one by one otherwise). Made through
 * memory, it holds whatever the byte order. */
static uint64_t cell_word(uint32_t cp, uint8_t kind, uint8_t flags)
{
    md_cell c;
    uint64_t word;
    set_cell(&c, cp, kind, flags);
    memcpy(&word, &c, sizeof word);
    return word;
}

static int has_bytes(int kind) { return kind == C_TEXT || kind == C_MARK; }

/* How many bytes oct_utf8_encode() writes for cp (surrogates and what lies
 * beyond Unicode as U+FFFD, in 3). */
static size_t utf8_length(uint32_t cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 || cp > 0x10FFFF ? 3 : 4;
}

static void add_cell(md_writer *w, uint32_t cp, int kind, unsigned flags)
{
    if (w->status != OCT_OK)
        return;
    if (!reserve(w, 1, 4)) {
        w->status = OCT_ERR_NOMEM;
        return;
    }
    const unsigned verbatim = verbatim_flag(kind, cp);
    if (!verbatim)
        w->specials[w->n_specials++] = special_entry(w->n_cells, w->n_bytes);
    if (has_bytes(kind))
        w->n_bytes += oct_utf8_encode(cp, w->bytes + w->n_bytes);
    set_cell(&w->cells[w->n_cells++], cp, (uint8_t)kind, (uint8_t)(flags | verbatim));
}

/* What markup bytes are to the passes: only a newline is not verbatim. */
static const unsigned char mark_role[128] = {['\n'] = R_CONTROL};

/* Stores the cell of ASCII byte b at out, and its entry in specials if it
 * is not verbatim; returns where the next entry goes. word[0] is the cell
 * of a verbatim byte, word[1] of another, both without the byte itself
 * (which unit places). */
static inline uint64_t *put_ascii_cell(md_cell *out, unsigned char b,
                                       const unsigned char *role, const uint64_t word[2],
                                       uint64_t unit, uint64_t *special, uint64_t entry)
{
    const size_t other = role[b] != R_VERBATIM;
    const uint64_t cell = word[other] | (uint64_t)b * unit;
    memcpy(out, &cell, sizeof cell);
    if (other)
        *special++ = entry;
    return special;
}

/* Is text byte b written as it stands, whatever its neighbours (b < 0x80)? */
static int plain_text_byte(unsigned char b) { return char_role[b] == R_VERBATIM; }

/* The text counterpart of add_ascii(): ASCII from s[i] on, up to a byte
 * outside ASCII, a newline or len. A space between two plain bytes of the
 * same text (most spaces: those between words) is verbatim too: no rule
 * acts on it, nothing makes it an entity, and a line may break there
 * (breakable_at() holds), so it is listed in joins rather than specials. */
static size_t add_text_ascii(md_writer *w, const char *s, size_t i, size_t len,
                             unsigned flags)
{
    size_t stop = i;
    while (stop + 8 <= len) {
        const uint64_t v = oct_word_load(s + stop);
        if (oct_word_high(v) | oct_word_eq(v, '\n'))
            break;
        stop += 8;
    }
    while (stop < len && (unsigned char)s[stop] < 0x80 && s[stop] != '\n')
        stop++;
    const uint64_t verbatim = cell_word(0, C_TEXT, (uint8_t)(flags | F_VERBATIM));
    const uint64_t other = cell_word(0, C_TEXT, (uint8_t)flags);
    const uint64_t unit = cell_word(1, 0, 0);
    /* a space may join words only where it may also break the line */
    const size_t space_from = flags & F_NO_BREAK ? SIZE_MAX : i + 1;
    md_cell *const out = w->cells + w->n_cells;
    uint64_t *special = w->specials + w->n_specials, *join = w->joins + w->n_joins;
    /* a cell a byte: the entry of s[k] is first's, k - i steps further */
    const uint64_t first = special_entry(w->n_cells, w->n_bytes);
    for (size_t k = i; k < stop; k++) {
        const unsigned char b = (unsigned char)s[k];
        uint64_t cell = verbatim | (uint64_t)b * unit;
        if (!plain_text_byte(b)) {
            if (b == ' ' && k >= space_from && k + 1 < stop &&
                plain_text_byte((unsigned char)s[k - 1]) &&
                plain_text_byte((unsigned char)s[k + 1])) {
                *join++ = first + (k - i) * SPECIAL_STEP;
            } else {
                cell = other | (uint64_t)b * unit;
                *special++ = first + (k - i) * SPECIAL_STEP;
            }
        }
        memcpy(&out[k - i], &cell, sizeof cell);
    }
    memcpy(w->bytes + w->n_bytes, s + i, stop - i);
    w->n_bytes += stop - i;
    w->n_cells += stop - i;
    w->n_specials = (size_t)(special - w->specials);
    w->n_joins = (size_t)(join - w->joins);
    return stop;
}

/* Makes the cells of the ASCII bytes from s[i] on, up to a byte outside
 * ASCII, a newline of text (a soft break) or len; returns where it stopped.
 * The room is there. */
static size_t add_ascii(md_writer *w, const char *s, size_t i, size_t len, int kind,
                        unsigned flags)
{
    if (kind == C_TEXT)
        return add_text_ascii(w, s, i, len, flags);
    const uint64_t word[2] = {cell_word(0, (uint8_t)kind, (uint8_t)(flags | F_VERBATIM)),
                              cell_word(0, (uint8_t)kind, (uint8_t)flags)};
    const uint64_t unit = cell_word(1, 0, 0);
    md_cell *const out = w->cells + w->n_cells;
    uint64_t *special = w->specials + w->n_specials;
    /* a cell a byte: the entry of s[k] is first's, k - from steps further */
    const uint64_t first = special_entry(w->n_cells, w->n_bytes);
    const size_t from = i;
    /* eight bytes at a time while none of them ends the run */
    for (; i + 8 <= len; i += 8) {
        const uint64_t v = oct_word_load(s + i);
        if (oct_word_high(v))
            break;
        if (oct_word_eq(v, '\n')) {
            for (size_t k = i; k < i + 8; k++)
                special = put_ascii_cell(&out[k - from], (unsigned char)s[k], mark_role, word,
                                         unit, special, first + (k - from) * SPECIAL_STEP);
            continue;
        }
        /* markup without a line end, most of it: all verbatim */
        for (size_t k = i; k < i + 8; k++) {
            const uint64_t cell = word[0] | (uint64_t)(unsigned char)s[k] * unit;
            memcpy(&out[k - from], &cell, sizeof cell);
        }
    }
    for (; i < len; i++) {
        const unsigned char b = (unsigned char)s[i];
        if (b >= 0x80)
            break;
        special = put_ascii_cell(&out[i - from], b, mark_role, word, unit, special,
                                 first + (i - from) * SPECIAL_STEP);
    }
    memcpy(w->bytes + w->n_bytes, s + from, i - from);
    w->n_bytes += i - from;
    w->n_cells += i - from;
    w->n_specials = (size_t)(special - w->specials);
    return i;
}

static void add_utf8(md_writer *w, const char *s, size_t len, int kind, unsigned flags)
{
    /* Room for the worst case (a cell a byte) at once lets ASCII, the common
     * case, fill cells in place; if that much room is refused, each cell
     * asks for its own (and add_cell reports the failure). */
    const int reserved = w->status == OCT_OK && reserve(w, len, len);
    size_t i = 0;
    while (i < len) {
        /* a character outside ASCII may have taken more bytes than it had */
        if (reserved && grow_to((void **)&w->bytes, &w->cap_bytes, w->n_bytes + (len - i), 1,
                                4 * MAX_CELLS)) {
            i = add_ascii(w, s, i, len, kind, flags);
            if (i == len)
                break;
        }
        uint32_t cp;
        i += oct_utf8_decode(s + i, len - i, &cp);
        if (kind == C_TEXT && cp == '\n')
            add_cell(w, 0, C_SOFT, flags);
        else
            add_cell(w, cp, kind, flags);
    }
}

/* Link text may hold brackets that pair up ("![[Tip]](tip.png)"): those
 * need no backslash. Pairs are only sought in link text between pieces of
 * markup; one that "(" "[" or ":" follows, or enclosing "^" (a GFM note),
 * stays escaped. */
static void mark_balanced(md_writer *w)
{
    size_t depth = 0, open_at[64];
    const size_t n = w->n_cells;
    md_cell *const cells = w->cells;
    const uint64_t *const special = w->specials;
    const size_t n_special = w->n_specials;
    size_t k = 0; /* in special: the first at or after i */
    for (size_t i = 0; i < n; i++) {
        if (depth == 0) {
            /* nothing open: only a '[' of text can matter, and that is
             * never verbatim */
            while (k < n_special && (special_index(special[k]) < i ||
                                     cells[special_index(special[k])].kind != C_TEXT ||
                                     cells[special_index(special[k])].cp != '['))
                k++;
            if (k == n_special)
                break;
            i = special_index(special[k]);
        }
        md_cell *c = &cells[i];
        if (c->kind == C_MARK || (c->kind == C_TEXT && !(c->flags & F_LINK_TEXT))) {
            depth = 0;
            continue;
        }
        if (c->kind != C_TEXT)
            continue;
        uint32_t next = i + 1 < n && has_bytes(cells[i + 1].kind) ? cells[i + 1].cp : 0;
        if (c->cp == '[') {
            /* escaped anyway after "[^1]"-like markup or before '^' */
            int after_mark = i > 0 && cells[i - 1].kind == C_MARK && cells[i - 1].cp == ']';
            if (depth == 64 || next == '^' || after_mark)
                depth = 0;
            else
                open_at[depth++] = i;
        } else if (c->cp == ']' && depth > 0) {
            size_t o = open_at[--depth];
            if (next == '(' || next == '[' || next == ':')
                continue;
            cells[o].flags |= F_BALANCED;
            c->flags |= F_BALANCED;
        }
    }
}

static void add_mark(md_writer *w, const char *s, unsigned flags)
{
    add_utf8(w, s, strlen(s), C_MARK, flags | F_NO_BREAK);
}

void md_inline_free(md_writer *w)
{
    free(w->cells);
    free(w->delims);
    free(w->stack);
    free(w->bytes);
    free(w->specials);
    free(w->joins);
    w->joins = NULL;
    w->n_joins = w->cap_joins = 0;
    free(w->run_marks);
    w->run_marks = NULL;
    w->cap_run_marks = 0;
    w->bytes = NULL;
    w->specials = NULL;
    w->n_bytes = w->cap_bytes = w->n_specials = w->cap_specials = 0;
    w->cells = NULL;
    w->delims = NULL;
    w->stack = NULL;
    w->n_cells = w->cap_cells = w->n_delims = w->cap_delims = 0;
    w->n_stack = w->cap_stack = 0;
}

/* -------------------------------------------------------------- classes */

static int is_unicode_ws(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == 0xa0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x202f || c == 0x205f ||
           c == 0x3000;
}

/* Punctuation outside ASCII (general category P). Symbols (S) count as
 * punctuation since CommonMark 0.31 but not before, so they are left
 * unknown: unknown characters may be either (see holds()). */
static int is_known_unicode_punct(uint32_t c)
{
    return c == 0xa1 || c == 0xa7 || c == 0xab || c == 0xb6 || c == 0xb7 || c == 0xbb ||
           c == 0xbf || (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x2043) ||
           (c >= 0x2045 && c <= 0x2051) || (c >= 0x2053 && c <= 0x205e) ||
           (c >= 0x3001 && c <= 0x3003) || (c >= 0x3008 && c <= 0x3011) ||
           (c >= 0xff01 && c <= 0xff0f && c != 0xff04 && c != 0xff0b);
}

static int is_letter_like(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    /* Latin, Greek, Cyrillic letters and CJK ideographs/kana/hangul. */
    return (c >= 0xc0 && c <= 0x24f && c != 0xd7 && c != 0xf7) || (c >= 0x370 && c <= 0x52f) ||
           (c >= 0x3040 && c <= 0x30ff) || (c >= 0x4e00 && c <= 0x9fff) ||
           (c >= 0xac00 && c <= 0xd7a3);
}

/* Possible classes of an output character, as a bit set over enum cclass. */
static unsigned classes_of(uint32_t c)
{
    if (is_unicode_ws(c))
        return 1u << CL_WS;
    if (c < 0x80)
        return md_is_ascii_punct(c) ? 1u << CL_PUNCT : 1u << CL_OTHER;
    if (is_known_unicode_punct(c))
        return 1u << CL_PUNCT;
    if (is_letter_like(c))
        return 1u << CL_OTHER;
    return (1u << CL_PUNCT) | (1u << CL_OTHER);
}

/* ------------------------------------------------------- cell neighbours */

static int is_line_end(const md_cell *c)
{
    return (c->kind == C_SOFT && c->soft == SOFT_NEWLINE) || c->kind == C_HARD;
}

static int is_space_cp(uint32_t c) { return c == ' ' || c == '\t'; }

static const char *delim_string(const md_writer *w, const md_cell *c)
{
    const md_delim *d = &w->delims[c->cp];
    const char *s = (c->flags & F_CLOSE) ? d->close : d->open;
    /* Not decided yet: it will begin with punctuation other than its
     * neighbours' characters, which '<' stands for. */
    return s ? s : "<";
}

/* First output character of cell i (as far as flanking cares). */
static uint32_t first_out(const md_writer *w, size_t i)
{
    const md_cell *c = &w->cells[i];
    switch (c->kind) {
    case C_TEXT:
        return (c->flags & F_ENTITY) ? '&' : c->cp;
    case C_MARK:
        return c->cp;
    case C_DELIM:
        return (uint32_t)(unsigned char)delim_string(w, c)[0];
    case C_HARD:
        return c->soft == SOFT_DROP ? ' ' : '\\';
    default:
        return c->soft == SOFT_DROP ? 0 : c->soft == SOFT_NEWLINE ? '\n' : ' ';
    }
}

/* Last output character of cell i. */
static uint32_t last_out(const md_writer *w, size_t i)
{
    const md_cell *c = &w->cells[i];
    switch (c->kind) {
    case C_TEXT:
        return (c->flags & F_ENTITY) ? ';' : c->cp;
    case C_MARK:
        return c->cp;
    case C_DELIM: {
        const char *s = delim_string(w, c);
        return (uint32_t)(unsigned char)s[strlen(s) - 1];
    }
    default:
        return c->soft == SOFT_DROP ? 0 : '\n';
    }
}

/* Skips dropped breaks. */
static size_t next_live(const md_writer *w, size_t i)
{
    while (i < w->n_cells && (w->cells[i].kind == C_SOFT || w->cells[i].kind == C_HARD) &&
           w->cells[i].soft == SOFT_DROP)
        i++;
    return i;
}

static size_t prev_live(const md_writer *w, size_t i) /* returns SIZE_MAX when none */
{
    while (i-- > 0) {
        const md_cell *c = &w->cells[i];
        if (!((c->kind == C_SOFT || c->kind == C_HARD) && c->soft == SOFT_DROP))
            return i;
    }
    return SIZE_MAX;
}

/* Character after cell i in the output; '\n' at the end of the run. */
static uint32_t char_after(const md_writer *w, size_t i)
{
    size_t j = next_live(w, i + 1);
    return j < w->n_cells ? first_out(w, j) : '\n';
}

static uint32_t char_before(const md_writer *w, size_t i)
{
    size_t j = prev_live(w, i);
    return j == SIZE_MAX ? '\n' : last_out(w, j);
}

static int at_line_start(const md_writer *w, size_t i)
{
    size_t j = prev_live(w, i);
    return j == SIZE_MAX || is_line_end(&w->cells[j]);
}

/* ----------------------------------------------------- flanking (spec 6.2) */

/* Whether a delimiter run with these neighbours is left-/right-flanking, for
 * one concrete class of each neighbour. */
static int left_flanking(int before, int after)
{
    return after != CL_WS && (after != CL_PUNCT || before == CL_WS || before == CL_PUNCT);
}

static int right_flanking(int before, int after)
{
    return before != CL_WS && (before != CL_PUNCT || after == CL_WS || after == CL_PUNCT);
}

/* What a run of c can do with neighbours of these classes (spec 6.2). */
static int can_open_with(uint32_t c, int b, int a)
{
    int lf = left_flanking(b, a), rf = right_flanking(b, a);
    return c == '_' ? lf && (!rf || b == CL_PUNCT) : lf;
}

static int can_close_with(uint32_t c, int b, int a)
{
    int lf = left_flanking(b, a), rf = right_flanking(b, a);
    return c == '_' ? rf && (!lf || a == CL_PUNCT) : rf;
}

/* Over every class the neighbours might have: all (1) or any (0). */
static int holds(int (*f)(uint32_t, int, int), uint32_t c, unsigned before, unsigned after,
                 int all)
{
    for (int b = 0; b < 3; b++) {
        if (!(before & (1u << b)))
            continue;
        for (int a = 0; a < 3; a++) {
            if (!(after & (1u << a)))
                continue;
            if (f(c, b, a) != all)
                return !all;
        }
    }
    return all;
}

/* ------------------------------------------------------ pass 1: flatten */

static int url_is_autolink(const char *url)
{
    /* scheme: 2-32 letters/digits/+.- starting with a letter, then ':' */
    size_t i = 0;
    if (!((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z')))
        return 0;
    while (url[i] && url[i] != ':') {
        char c = url[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '.' || c == '-'))
            return 0;
        i++;
    }
    if (url[i] != ':' || i < 2 || i > 32)
        return 0;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p == '<' || *p == '>' || *p == 0x7f)
            return 0;
    /* A backslash or entity would be taken literally in an autolink, but the
     * rest of octavo's writers show such URLs verbatim too: fine. Entities
     * are not decoded in autolinks, so '&' needs no care either. */
    return 1;
}

/* A link whose only content is its own URL is written <url>. */
static int link_as_autolink(const oct_node *link)
{
    const char *url = oct_node_url(link);
    const oct_node *child = oct_node_first_child(link);
    if (!url || !*url || oct_node_title(link) || !child || oct_node_next(child) ||
        oct_node_get_type(child) != OCT_NODE_TEXT)
        return 0;
    size_t len;
    const char *text = oct_node_literal(child, &len);
    if (strlen(url) != len || memcmp(url, text, len) != 0)
        return 0;
    return url_is_autolink(url);
}

static int has_bracket_colon(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == ']' && s[i + 1] == ':')
            return 1;
    return 0;
}

static void add_code_span(md_writer *w, const oct_node *n, md_inline_place place,
                          unsigned flags)
{
    size_t len;
    const char *s = oct_node_literal(n, &len);
    if (len == 0) {
        add_mark(w, "<code></code>", flags); /* no backtick form for it */
        return;
    }
    size_t longest = 0, run = 0;
    int all_space = 1, as_is = 1; /* as_is: no byte the loop below changes */
    for (size_t i = 0; i < len; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
        if (s[i] != ' ' && s[i] != '\n')
            all_space = 0;
        if (s[i] == '\n' || s[i] == '\r' || (s[i] == '|' && place == MD_PLACE_TABLE_CELL))
            as_is = 0;
    }
    /* Two code spans side by side would fuse into one backtick run; and in
     * link text "]:" would end a paragraph-initial "[" as a definition
     * label (labels do not respect code spans). */
    if ((w->n_cells > 0 && w->cells[w->n_cells - 1].kind == C_MARK &&
         w->cells[w->n_cells - 1].cp == '`') ||
        ((flags & F_LINK_TEXT) && has_bracket_colon(s, len))) {
        add_mark(w, "<code>", flags);
        add_utf8(w, s, len, C_TEXT, flags | F_NO_BREAK);
        add_mark(w, "</code>", flags);
        return;
    }
    size_t ticks = longest + 1;
    int pad = s[0] == '`' || s[len - 1] == '`' ||
              (!all_space && (s[0] == ' ' || s[0] == '\n') &&
               (s[len - 1] == ' ' || s[len - 1] == '\n'));
    for (size_t i = 0; i < ticks; i++)
        add_cell(w, '`', C_MARK, flags | F_NO_BREAK);
    if (pad)
        add_cell(w, ' ', C_MARK, flags | F_NO_BREAK);
    size_t i = as_is ? len : 0;
    if (as_is)
        add_utf8(w, s, len, C_MARK, flags | F_NO_BREAK);
    while (i < len) {
        uint32_t cp;
        i += oct_utf8_decode(s + i, len - i, &cp);
        if (cp == '\n' || cp == '\r')
            cp = ' '; /* a code span shows line ends as spaces anyway */
        if (cp == '|' && place == MD_PLACE_TABLE_CELL)
            add_cell(w, '\\', C_MARK, flags | F_NO_BREAK);
        add_cell(w, cp, C_MARK, flags | F_NO_BREAK);
    }
    if (pad)
        add_cell(w, ' ', C_MARK, flags | F_NO_BREAK);
    for (size_t k = 0; k < ticks; k++)
        add_cell(w, '`', C_MARK, flags | F_NO_BREAK);
}

static void add_link_tail(md_writer *w, const char *url, const char *title, unsigned flags)
{
    oct_buf_reset(&w->tmp);
    oct_buf_puts(&w->tmp, "](");
    if ((!url || !*url) && title)
        oct_buf_puts(&w->tmp, "<>"); /* a bare title would read as the URL */
    else
        md_append_destination(&w->tmp, url ? url : "");
    if (title) {
        oct_buf_putc(&w->tmp, ' ');
        md_append_title(&w->tmp, title);
    }
    oct_buf_putc(&w->tmp, ')');
    if (w->tmp.status != OCT_OK) {
        w->status = w->tmp.status;
        return;
    }
    add_utf8(w, w->tmp.data, w->tmp.len, C_MARK, flags | F_NO_BREAK);
}

static const char *image_url(const oct_node *img)
{
    const oct_resource *res = oct_node_image_resource(img);
    const char *href = res ? oct_resource_href(res) : NULL;
    if (href && *href)
        return href;
    const char *url = oct_node_url(img);
    if (url && *url)
        return url;
    return res ? oct_resource_source_url(res) : "";
}

static void add_footnote_ref(md_writer *w, const oct_node *n, unsigned flags)
{
    char tmp[48];
    size_t num = md_footnote_number(w, oct_node_footnote_label(n));
    if (w->opt.flavour == MD_GFM)
        snprintf(tmp, sizeof tmp, "[^%zu]", num);
    else
        snprintf(tmp, sizeof tmp, "[%zu]", num);
    add_mark(w, tmp, flags);
}

static void push(md_writer *w, size_t v)
{
    if (!grow((void **)&w->stack, &w->cap_stack, w->n_stack + 1, sizeof *w->stack)) {
        w->status = OCT_ERR_NOMEM;
        return;
    }
    w->stack[w->n_stack++] = v;
}

#define STACK_NOTHING ((size_t)-1)
#define STACK_LINK ((size_t)-2)

static size_t new_delim(md_writer *w, oct_node_type type)
{
    if (!grow((void **)&w->delims, &w->cap_delims, w->n_delims + 1, sizeof *w->delims)) {
        w->status = OCT_ERR_NOMEM;
        return 0;
    }
    md_delim *d = &w->delims[w->n_delims];
    d->type = type;
    d->open = d->close = NULL;
    return w->n_delims++;
}

static int uses_delimiters(const md_writer *w, oct_node_type t)
{
    return t == OCT_NODE_EMPH || t == OCT_NODE_STRONG ||
           (t == OCT_NODE_STRIKEOUT && w->opt.flavour == MD_GFM);
}

static void flatten(md_writer *w, const oct_node *block, md_inline_place place)
{
    oct_iter it;
    oct_event ev;
    int link_depth = 0;
    oct_iter_init(&it, block);
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE && w->status == OCT_OK) {
        const oct_node *n = oct_iter_node(&it);
        if (n == block)
            continue;
        oct_node_type t = oct_node_get_type(n);
        unsigned flags = link_depth > 0 ? F_LINK_TEXT : 0;
        if (ev == OCT_EVENT_EXIT) {
            if (w->n_stack == 0)
                continue;
            size_t top = w->stack[--w->n_stack];
            if (top == STACK_LINK) {
                link_depth--;
                add_link_tail(w, oct_node_url(n), oct_node_title(n),
                              link_depth > 0 ? F_LINK_TEXT : 0);
            } else if (top != STACK_NOTHING) {
                add_cell(w, (uint32_t)top, C_DELIM, flags | F_CLOSE);
            } else if (t == OCT_NODE_STRIKEOUT) {
                add_mark(w, "</del>", flags);
            } else if (t == OCT_NODE_SUPERSCRIPT) {
                add_mark(w, "</sup>", flags);
            } else if (t == OCT_NODE_SUBSCRIPT) {
                add_mark(w, "</sub>", flags);
            } else if (t == OCT_NODE_QUOTED) {
                add_cell(w, 0x201d, C_TEXT, flags);
            }
            continue;
        }
        switch (t) {
        case OCT_NODE_TEXT: {
            size_t len;
            const char *s = oct_node_literal(n, &len);
            add_utf8(w, s, len, C_TEXT, flags);
            break;
        }
        case OCT_NODE_SOFT_BREAK:
            add_cell(w, 0, C_SOFT, flags);
            break;
        case OCT_NODE_LINE_BREAK:
            if (place == MD_PLACE_PARAGRAPH)
                add_cell(w, 0, C_HARD, flags);
            else
                add_mark(w, "<br />", flags);
            break;
        case OCT_NODE_CODE:
            add_code_span(w, n, place, flags);
            break;
        case OCT_NODE_IMAGE: {
            const char *alt = oct_node_image_alt(n);
            add_mark(w, "![", flags);
            add_utf8(w, alt ? alt : "", alt ? strlen(alt) : 0, C_TEXT, flags | F_LINK_TEXT);
            add_link_tail(w, image_url(n), oct_node_title(n), flags);
            break;
        }
        case OCT_NODE_FOOTNOTE_REF:
            add_footnote_ref(w, n, flags);
            break;
        case OCT_NODE_RAW_INLINE: {
            const char *fmt = oct_node_raw_format(n);
            if (w->opt.raw_html && fmt && strcmp(fmt, "html") == 0) {
                size_t len;
                const char *s = oct_node_literal(n, &len);
                add_utf8(w, s, len, C_MARK, flags | F_NO_BREAK);
            }
            break;
        }
        case OCT_NODE_LINK:
            if (link_depth == 0 && link_as_autolink(n)) {
                add_mark(w, "<", flags);
                add_mark(w, oct_node_url(n), flags);
                add_mark(w, ">", flags);
                oct_iter_skip_children(&it);
                push(w, STACK_NOTHING);
            } else if (link_depth > 0) {
                /* CommonMark has no links inside links: keep the text. */
                push(w, STACK_NOTHING);
            } else {
                add_mark(w, "[", flags);
                link_depth++;
                push(w, STACK_LINK);
            }
            break;
        case OCT_NODE_STRIKEOUT:
        case OCT_NODE_SUPERSCRIPT:
        case OCT_NODE_SUBSCRIPT:
            if (uses_delimiters(w, t)) {
                size_t d = new_delim(w, t);
                add_cell(w, (uint32_t)d, C_DELIM, flags);
                push(w, d);
            } else {
                add_mark(w, t == OCT_NODE_STRIKEOUT     ? "<del>"
                            : t == OCT_NODE_SUPERSCRIPT ? "<sup>"
                                                        : "<sub>",
                         flags);
                push(w, STACK_NOTHING);
            }
            break;
        case OCT_NODE_EMPH:
        case OCT_NODE_STRONG: {
            size_t d = new_delim(w, t);
            add_cell(w, (uint32_t)d, C_DELIM, flags);
            push(w, d);
            break;
        }
        case OCT_NODE_QUOTED:
            add_cell(w, 0x201c, C_TEXT, flags);
            push(w, STACK_NOTHING);
            break;
        default:
            /* span, underline, small caps, highlight: their text only */
            if (!oct_node_type_is_leaf(t))
                push(w, STACK_NOTHING);
            break;
        }
    }
}

/* ------------------------------------------------- pass 2: line structure */

static int cell_is_space(const md_cell *c)
{
    return (c->kind == C_TEXT && is_space_cp(c->cp)) || c->kind == C_SOFT;
}

/* What the later passes may have to work on, noted while decide_breaks()
 * walks the cells anyway. */
enum cells_seen {
    SEEN_LINK_TEXT = 1u << 0, /* text inside link text or image alt */
    SEEN_RUNS = 1u << 1       /* emphasis, or text '*' '_' '~' */
};

/* A text space or tab: a parser strips it at a line's start or end. */
static int is_text_space(const md_cell *c)
{
    return c->kind == C_TEXT && is_space_cp(c->cp);
}

static unsigned decide_breaks(md_writer *w, md_inline_place place)
{
    unsigned seen = 0, text_flags = 0;
    size_t n = w->n_cells;
    md_cell *const cells = w->cells;
    /* One pass over the cells, since they are many: breaks are decided in
     * order, and spaces at line edges (which a parser would strip) are
     * marked as soon as their line edge is known. */
    size_t p = SIZE_MAX; /* the last cell not dropped: no walking back */
    /* Verbatim cells are left as they are and never dropped: only the
     * others are visited, the cell before each standing for any skipped. */
    const uint64_t *const special = w->specials;
    const size_t n_special = w->n_specials;
    for (size_t k = 0; k < n_special; k++) {
        const size_t i = special_index(special[k]);
        if (i > 0 && (cells[i - 1].flags & F_VERBATIM))
            p = i - 1;
        md_cell *c = &cells[i];
        if (c->kind == C_TEXT) {
            /* link text matters for its brackets, which are not verbatim */
            text_flags |= c->flags;
            switch (c->cp < 0x80 ? char_role[c->cp] : R_VERBATIM) {
            case R_RUN:
                seen |= SEEN_RUNS;
                break;
            case R_SPACE:
                if (p == SIZE_MAX || is_line_end(&cells[p]))
                    c->flags |= F_ENTITY;
                break;
            case R_CONTROL:
                c->flags |= F_ENTITY;
                break;
            default:
                break;
            }
            p = i;
            continue;
        }
        if (c->kind != C_SOFT && c->kind != C_HARD) {
            if (c->kind == C_DELIM)
                seen |= SEEN_RUNS;
            p = i;
            continue;
        }
        /* Breaks at the edges of a block cannot be written; neither can a
         * second line end in a row (it would be a blank line, ending the
         * paragraph). */
        if (p == SIZE_MAX ||
            (c->kind == C_SOFT && (cells[p].kind == C_SOFT || is_line_end(&cells[p])))) {
            c->soft = SOFT_DROP;
            continue;
        }
        if (place != MD_PLACE_PARAGRAPH) {
            c->soft = SOFT_SPACE;
        } else if (c->kind == C_HARD) {
            c->soft = SOFT_NEWLINE;
        } else if (w->opt.wrap == MD_WRAP_PRESERVE) {
            c->soft = SOFT_NEWLINE;
        } else {
            /* Re-wrapped: a space, unless a neighbour is a space too (which
             * a parser would then keep doubled); a line end keeps those. */
            int spaced = cell_is_space(&cells[p]) || (i + 1 < n && cell_is_space(&cells[i + 1]));
            c->soft = spaced ? SOFT_NEWLINE
                             : w->opt.wrap == MD_WRAP_AUTO ? SOFT_BREAK_SPACE : SOFT_SPACE;
        }
        if (is_line_end(c) && is_text_space(&cells[p]))
            cells[p].flags |= F_ENTITY;
        p = i;
    }
    /* Trailing line ends: the run's last live cell ends it. */
    for (size_t i = n; i-- > 0;) {
        md_cell *c = &cells[i];
        if (c->kind == C_SOFT || c->kind == C_HARD)
            c->soft = SOFT_DROP;
        else
            break;
    }
    size_t last = prev_live(w, n);
    if (last != SIZE_MAX && is_text_space(&cells[last]))
        cells[last].flags |= F_ENTITY;
    if (text_flags & F_LINK_TEXT)
        seen |= SEEN_LINK_TEXT;
    return seen;
}

/* ------------------------------------------------ pass 3: emphasis pairs */

static int char_slot(uint32_t c) { return c == '*' ? 0 : c == '_' ? 1 : c == '~' ? 2 : -1; }

/* Picks each pair's delimiters, outer pairs first. An opener must be able
 * to open whatever its neighbours turn out to be, a closer to close; an
 * opener that could also close is taken only if no enclosing pair uses the
 * same character (it might close that one instead). Equal runs on both
 * sides keep cmark's rule of three out of play. */
static void resolve_delims(md_writer *w)
{
    if (w->n_delims == 0)
        return;
    size_t *close_at = calloc(w->n_delims, sizeof *close_at);
    size_t *stack = calloc(w->n_delims, sizeof *stack);
    if (!close_at || !stack) {
        free(close_at);
        free(stack);
        w->status = OCT_ERR_NOMEM;
        return;
    }
    /* delimiters are never verbatim: the other cells are all there is */
    const uint64_t *const special = w->specials;
    const size_t n_special = w->n_specials;
    for (size_t k = 0; k < n_special; k++) {
        const size_t i = special_index(special[k]);
        if (w->cells[i].kind == C_DELIM && (w->cells[i].flags & F_CLOSE))
            close_at[w->cells[i].cp] = i;
    }
    size_t depth = 0, open_chars[3] = {0, 0, 0};
    for (size_t sp = 0; sp < n_special; sp++) {
        const size_t o = special_index(special[sp]);
        const md_cell *cell = &w->cells[o];
        if (cell->kind != C_DELIM)
            continue;
        md_delim *dl = &w->delims[cell->cp];
        if (cell->flags & F_CLOSE) {
            if (depth > 0)
                depth--;
            int slot = char_slot((uint32_t)(unsigned char)dl->open[0]);
            if (slot >= 0 && open_chars[slot] > 0)
                open_chars[slot]--;
            continue;
        }
        stack[depth++] = cell->cp;
        size_t c = close_at[cell->cp];
        static const char *const emph[][2] = {{"*", "*"}, {"_", "_"}};
        static const char *const strong[][2] = {{"**", "**"}, {"__", "__"}};
        static const char *const strike[][2] = {{"~~", "~~"}};
        const char *const(*cand)[2] = emph;
        size_t n_cand = 2;
        dl->open = "<em>";
        dl->close = "</em>";
        if (dl->type == OCT_NODE_STRONG) {
            cand = strong;
            dl->open = "<strong>";
            dl->close = "</strong>";
        } else if (dl->type == OCT_NODE_STRIKEOUT) {
            cand = strike;
            n_cand = 1;
            dl->open = "<del>";
            dl->close = "</del>";
        }
        if (c > o + 1) { /* an empty pair has only the tags */
            uint32_t bo = char_before(w, o), ao = char_after(w, o);
            uint32_t bc = char_before(w, c), ac = char_after(w, c);
            unsigned cbo = classes_of(bo), cao = classes_of(ao);
            unsigned cbc = classes_of(bc), cac = classes_of(ac);
            for (size_t k = 0; k < n_cand; k++) {
                uint32_t ch = (uint32_t)(unsigned char)cand[k][0][0];
                if (bo == ch || ao == ch || bc == ch || ac == ch)
                    continue; /* would merge with a neighbouring run */
                if (!holds(can_open_with, ch, cbo, cao, 1) ||
                    !holds(can_close_with, ch, cbc, cac, 1))
                    continue;
                if (holds(can_close_with, ch, cbo, cao, 0) && open_chars[char_slot(ch)] > 0)
                    continue;
                dl->open = cand[k][0];
                dl->close = cand[k][1];
                break;
            }
        }
        int slot = char_slot((uint32_t)(unsigned char)dl->open[0]);
        if (slot >= 0)
            open_chars[slot]++;
    }
    free(close_at);
    free(stack);
}

/* For the text runs of '*' '_' '~': may something before open, or
 * something after close, with them? (bit per char_slot) */
static void mark_run_partners(md_writer *w, unsigned char *opener_before,
                              unsigned char *closer_after, unsigned char *can)
{
    /* Delimiters and the characters of runs are never verbatim: only the
     * other cells can hold a partner, and only the first and the last cell
     * of a run are asked about (the entries of the rest are left unset). */
    const size_t n = w->n_cells, n_special = w->n_specials;
    const uint64_t *const special = w->specials;
    const int gfm = w->opt.flavour == MD_GFM;
    /* can[k], of special cell k: bit0-2 open, bit4-6 close */
    for (size_t k = 0; k < n_special; k++) {
        const size_t i = special_index(special[k]);
        const md_cell *c = &w->cells[i];
        can[k] = 0;
        if (c->kind == C_DELIM) {
            /* markup of ours: a partner for any text run of its char */
            int slot = char_slot((uint32_t)(unsigned char)delim_string(w, c)[0]);
            if (slot >= 0)
                can[k] = (unsigned char)((1u << slot) | (16u << slot));
            continue;
        }
        if (c->kind != C_TEXT || (i > 0 && w->cells[i - 1].kind == C_TEXT &&
                                  w->cells[i - 1].cp == c->cp))
            continue;
        int slot = char_slot(c->cp);
        if (slot < 0 || (slot == 2 && !gfm))
            continue;
        size_t end = i;
        while (end < n && w->cells[end].kind == C_TEXT && w->cells[end].cp == c->cp)
            end++;
        unsigned b = classes_of(char_before(w, i)), a = classes_of(char_after(w, end - 1));
        if (holds(can_open_with, c->cp, b, a, 0))
            can[k] |= (unsigned char)(1u << slot);
        if (holds(can_close_with, c->cp, b, a, 0))
            can[k] |= (unsigned char)(16u << slot);
    }
    w->tilde_runs = 0;
    for (size_t k = 0; k < n_special; k++)
        if (can[k] & ((1u << 2) | (16u << 2)))
            w->tilde_runs++;
    unsigned char seen = 0;
    for (size_t k = 0; k < n_special; k++) {
        opener_before[special_index(special[k])] = seen;
        seen |= can[k] & 7u;
    }
    seen = 0;
    for (size_t k = n_special; k-- > 0;) {
        closer_after[special_index(special[k])] = seen;
        seen |= (unsigned char)((can[k] >> 4) & 7u);
    }
}

/* ---------------------------------------------------- pass 4: escaping */

/* Could the line starting at cell i, cut at a wrap point or where it ends,
 * hold nothing but characters of set (a thematic break, a setext underline,
 * a table delimiter row)? True when a line end, or a space (where a wrap
 * may cut), comes before any character outside the set. */
static int line_only_of(const md_writer *w, size_t i, const char *set)
{
    for (; i < w->n_cells; i++) {
        const md_cell *c = &w->cells[i];
        if (c->kind == C_SOFT || c->kind == C_HARD) {
            if (c->soft == SOFT_DROP)
                continue;
            return 1;
        }
        if (c->kind != C_TEXT)
            return 0;
        if (is_space_cp(c->cp) && !(c->flags & F_ENTITY))
            return 1;
        if (c->cp >= 0x80 || c->cp == 0 || !strchr(set, (int)c->cp) || (c->flags & F_ENTITY))
            return 0;
    }
    return 1;
}

/* The raw character of cell i if it is text or markup, else 0. */
static uint32_t raw_at(const md_writer *w, size_t i)
{
    if (i >= w->n_cells)
        return 0;
    const md_cell *c = &w->cells[i];
    if (c->kind == C_TEXT || c->kind == C_MARK)
        return c->cp;
    if (c->kind == C_DELIM)
        return (uint32_t)(unsigned char)delim_string(w, c)[0];
    return 0;
}

/* What starts_block() is when cell i is not a letter or the like. */
/* raw_at() as block_start.h asks it */
static uint32_t cell_char_at(const void *w, size_t i) { return raw_at(w, i); }

/* An entity-like "&name;" or "&#123;" starting at cell i (the '&'). */
static int entity_follows(const md_writer *w, size_t i)
{
    size_t k = i + 1, start;
    uint32_t c = raw_at(w, k);
    if (c == '#') {
        k++;
        if (raw_at(w, k) == 'x' || raw_at(w, k) == 'X')
            k++;
    }
    start = k;
    while (k < w->n_cells && k - start < 40 && w->cells[k].kind == C_TEXT &&
           (is_digit(raw_at(w, k)) || (raw_at(w, k) | 0x20) - 'a' < 26u))
        k++;
    return k > start && raw_at(w, k) == ';' && w->cells[k].kind == C_TEXT;
}

/* Markup ending in ']' (a footnote reference) followed by '(' '[' or ':'
 * would read as a link or a definition. */
static int after_mark_bracket(const md_writer *w, size_t i)
{
    size_t j = prev_live(w, i);
    if (j == SIZE_MAX || w->cells[j].kind != C_MARK || w->cells[j].cp != ']')
        return 0;
    if (w->cells[i].cp != ':')
        return 1;
    /* "[1]:" is a definition only at the start of a paragraph, where
     * links or images may open before it ("[[1]: ...](u)") */
    while (j > 0 && w->cells[j].kind == C_MARK && w->cells[j].cp != '[')
        j--;
    while (j > 0 && w->cells[j - 1].kind == C_MARK &&
           (w->cells[j - 1].cp == '[' || w->cells[j - 1].cp == '!'))
        j--;
    return j == 0;
}

/* Do the TEXT cells ending just before cell i spell word (ASCII, any case)? */
static int text_before_is(const md_writer *w, size_t i, const char *word)
{
    size_t len = strlen(word);
    if (i < len)
        return 0;
    for (size_t k = 0; k < len; k++) {
        const md_cell *c = &w->cells[i - len + k];
        if (c->kind != C_TEXT || c->cp >= 0x80 || (c->cp | 0x20) != (uint32_t)word[k])
            return 0;
    }
    return 1;
}

/* GFM links bare "http://", "https://", "ftp://" and "www." text; a
 * backslash in them keeps them text, as they were in the document. */
static int gfm_autolink_at(const md_writer *w, size_t i)
{
    uint32_t c = w->cells[i].cp;
    if (c == ':')
        return raw_at(w, i + 1) == '/' && raw_at(w, i + 2) == '/' &&
               (text_before_is(w, i, "http") || text_before_is(w, i, "https") ||
                text_before_is(w, i, "ftp"));
    if (c == '.' && text_before_is(w, i, "www")) {
        uint32_t p = i >= 4 ? raw_at(w, i - 4) : 0;
        return !(p < 0x80 && is_letter_like(p));
    }
    return 0;
}

/* Could a line beginning at cell i start a block (list item, heading, quote,
 * fence, thematic break, setext underline, HTML block, table row)? */
static inline int starts_block(const md_writer *w, size_t i)
{
    /* Asked at every space: most words begin with a letter, which starts
     * nothing, as md_may_start_block tells without a call. */
    if (i < w->n_cells && (w->cells[i].kind == C_TEXT || w->cells[i].kind == C_MARK) &&
        (w->cells[i].cp >= 0x80 || !md_may_start_block[w->cells[i].cp]))
        return 0;
    return md_block_starts(cell_char_at, w, i);
}

/* A paragraph starting with '[' reads as a link reference definition if a
 * "]:" follows somewhere. */
static int ref_def_possible(const md_writer *w)
{
    for (size_t i = 1; i + 1 < w->n_cells; i++)
        if (w->cells[i].kind == C_TEXT && w->cells[i].cp == ']' && raw_at(w, i + 1) == ':')
            return 1;
    return 0;
}

/* Text bound for the renderer, gathered first: it would take one call per
 * character of markup and escapes. Handing it over in pieces or at once
 * writes the same bytes, since text is never broken, so it only has to be
 * flushed before a break space or a line end. */
typedef struct text_out {
    md_render *r;
    size_t len;
    int non_ascii; /* else the text is a column a byte: no need to measure it */
    char buf[1024];
} text_out;

static void out_flush(text_out *o)
{
    if (o->len > 0) {
        if (o->non_ascii)
            md_render_text(o->r, o->buf, o->len);
        else
            md_render_text_columns(o->r, o->buf, o->len, o->len);
    }
    o->len = 0;
    o->non_ascii = 0;
}

static void out_bytes(text_out *o, const char *s, size_t n)
{
    if (n > sizeof o->buf - o->len) {
        out_flush(o);
        if (n > sizeof o->buf) {
            md_render_text(o->r, s, n);
            return;
        }
    }
    for (size_t k = 0; k < n; k++)
        if ((unsigned char)s[k] >= 0x80)
            o->non_ascii = 1;
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

/* The same, for bytes whose ASCII-ness the caller knows. */
static void out_known(text_out *o, const char *s, size_t n, int non_ascii)
{
    if (n > sizeof o->buf - o->len) {
        out_flush(o);
        if (n > sizeof o->buf) {
            md_render_text_columns(o->r, s, n, non_ascii ? oct_utf8_display_width(s, n) : n);
            return;
        }
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->non_ascii |= non_ascii;
}

static void out_cp(text_out *o, uint32_t cp)
{
    if (sizeof o->buf - o->len < 4)
        out_flush(o);
    if (cp < 0x80) {
        o->buf[o->len++] = (char)cp;
    } else {
        o->len += oct_utf8_encode(cp, o->buf + o->len);
        o->non_ascii = 1;
    }
}

static void out_escaped(text_out *o, uint32_t cp)
{
    out_cp(o, '\\');
    out_cp(o, cp);
}

static void out_break_space(text_out *o)
{
    md_render_text_break_space(o->r, o->buf, o->len,
                               o->non_ascii ? oct_utf8_display_width(o->buf, o->len) : o->len);
    o->len = 0;
    o->non_ascii = 0;
}

static void out_newline(text_out *o)
{
    out_flush(o);
    md_render_newline(o->r);
}

/* Is a break allowed at the space cell i (writing the next word on a new
 * line must not change what it means)? */
static int breakable_at(const md_writer *w, size_t i, md_inline_place place)
{
    const md_cell *c = &w->cells[i];
    if (w->opt.wrap != MD_WRAP_AUTO || place != MD_PLACE_PARAGRAPH ||
        (c->flags & (F_NO_BREAK | F_ENTITY)))
        return 0;
    if (i == 0 || i + 1 >= w->n_cells)
        return 0;
    const md_cell *p = &w->cells[i - 1], *nx = &w->cells[i + 1];
    if (cell_is_space(p) || cell_is_space(nx) || p->kind == C_HARD || nx->kind == C_HARD)
        return 0;
    if (p->kind != C_TEXT && last_out(w, i - 1) == '\\')
        return 0;
    if (p->kind == C_TEXT && p->cp == '\\')
        return 0;
    return !starts_block(w, i + 1);
}

/* State of a '*' '_' '~' run that escaping decided once for all its chars. */
typedef struct run_state {
    size_t end;     /* first cell after the run */
    int escape;
} run_state;

static run_state decide_run(const md_writer *w, size_t i, md_inline_place place, int line_start,
                            const unsigned char *opener_before, const unsigned char *closer_after)
{
    run_state rs;
    uint32_t c = w->cells[i].cp;
    size_t k = i;
    while (k < w->n_cells && w->cells[k].kind == C_TEXT && w->cells[k].cp == c)
        k++;
    rs.end = k;
    uint32_t before = char_before(w, i), after = char_after(w, k - 1);
    size_t len = k - i;
    int slot = char_slot(c);
    rs.escape = 0;
    if (before == c || after == c) {
        rs.escape = 1; /* touches markup made of the same character */
    } else if (slot >= 0 && (slot < 2 || w->opt.flavour == MD_GFM)) {
        /* only a run that could pair with another needs the backslash */
        unsigned cb = classes_of(before), ca = classes_of(after);
        int opens = holds(can_open_with, c, cb, ca, 0), closes = holds(can_close_with, c, cb, ca, 0);
        if ((opens && (closer_after[k - 1] & (1u << slot))) ||
            (closes && (opener_before[i] & (1u << slot))))
            rs.escape = 1;
        /* GFM readers differ on tildes (one or two, flanking or not): with
         * another run around, any tilde run that could act is escaped */
        if (slot == 2 && (opens || closes) && w->tilde_runs > 1)
            rs.escape = 1;
    }
    if (!rs.escape && line_start && place == MD_PLACE_PARAGRAPH) {
        if (c == '~' && len >= 3)
            rs.escape = 1;
        else if (c == '*' && is_ws_or_end(after == '\n' ? 0 : after))
            rs.escape = 1;
    }
    return rs;
}

/* A cell written exactly as its character, whatever surrounds it: text
 * that escaping never acts on (most of it), and markup but line ends. */
static int is_verbatim(const md_cell *c)
{
    return (c->flags & F_VERBATIM) != 0;
}

/* Writes the verbatim cells [i, end), whose UTF-8 is bytes [pos, to), where
 * lines may wrap: at the spaces between words among them, which joins
 * lists from *join on (see add_text_ascii()), since breakable_at() holds
 * there. */
static void out_run_breaking(const md_writer *w, text_out *o, size_t *join, size_t i,
                             size_t end, size_t pos, size_t to)
{
    const char *const b = w->bytes;
    const int non_ascii = to - pos != end - i; /* else a byte a cell */
    size_t from = pos;                         /* not written yet */
    size_t j = *join;
    while (j < w->n_joins && special_index(w->joins[j]) < i)
        j++;
    for (; j < w->n_joins && special_index(w->joins[j]) < end; j++) {
        const size_t q = special_at(w->joins[j]);
        if (o->len == 0 && q > from) { /* a word alone: no need to gather it first */
            const size_t columns =
                non_ascii ? oct_utf8_display_width(b + from, q - from) : q - from;
            if (!md_render_word_fits(o->r, b + from, q - from, columns, w->n_bytes - from))
                md_render_text_break_space(o->r, b + from, q - from, columns);
        } else {
            out_known(o, b + from, q - from, non_ascii);
            out_break_space(o);
        }
        from = q + 1;
    }
    *join = j;
    out_known(o, b + from, to - from, non_ascii);
}

static void emit(md_writer *w, md_render *r, md_inline_place place,
                 const unsigned char *opener_before, const unsigned char *closer_after)
{
    size_t n = w->n_cells;
    run_state run = {0, 0};
    size_t escape_at = SIZE_MAX; /* a '.' or ')' after line-start digits */
    int gfm = w->opt.flavour == MD_GFM;
    /* the spaces between words, verbatim, are where lines may break */
    const int breaks = w->opt.wrap == MD_WRAP_AUTO && place == MD_PLACE_PARAGRAPH;
    text_out out_store, *const o = &out_store;
    o->r = r;
    o->len = 0;
    o->non_ascii = 0;
    const uint64_t *const special = w->specials;
    const size_t n_special = w->n_specials;
    size_t sp = 0;  /* in special: the first at or after i */
    size_t join = 0; /* in joins: the same */
    size_t pos = 0; /* in bytes: where the UTF-8 of cell i begins */
    for (size_t i = 0; i < n && w->status == OCT_OK; i++) {
        const md_cell *c = &w->cells[i];
        if (i != escape_at && is_verbatim(c)) {
            /* up to the next cell that is not, whose bytes follow theirs:
             * one copy */
            while (sp < n_special && special_index(special[sp]) < i)
                sp++;
            size_t end = n, to = w->n_bytes;
            if (sp < n_special) {
                end = special_index(special[sp]);
                to = special_at(special[sp]);
            }
            if (escape_at > i && escape_at < end) {
                end = escape_at;
                to = pos;
                for (size_t m = i; m < end; m++)
                    to += utf8_length(w->cells[m].cp);
            }
            if (breaks)
                out_run_breaking(w, o, &join, i, end, pos, to);
            else
                out_known(o, w->bytes + pos, to - pos, to - pos != end - i); /* else a byte a cell */
            pos = to;
            i = end - 1;
            continue;
        }
        if (has_bytes(c->kind))
            pos += utf8_length(c->cp);
        switch (c->kind) {
        case C_MARK: /* a line end: the rest are verbatim */
            out_newline(o);
            continue;
        case C_DELIM: {
            const char *s = delim_string(w, c);
            out_bytes(o, s, strlen(s));
            continue;
        }
        case C_HARD:
            if (c->soft == SOFT_DROP)
                continue;
            if (c->soft == SOFT_SPACE) {
                out_cp(o, ' ');
                continue;
            }
            out_cp(o, '\\');
            out_newline(o);
            continue;
        case C_SOFT:
            switch (c->soft) {
            case SOFT_DROP:
                break;
            case SOFT_SPACE:
                out_cp(o, ' ');
                break;
            case SOFT_BREAK_SPACE:
                if (i + 1 < n && !starts_block(w, i + 1) && !(i > 0 && raw_at(w, i - 1) == '\\'))
                    out_break_space(o);
                else
                    out_cp(o, ' ');
                break;
            default:
                out_newline(o);
                break;
            }
            continue;
        default:
            break;
        }

        /* C_TEXT that may need a backslash or an entity */
        uint32_t cp = c->cp;
        if (c->flags & F_ENTITY) {
            char ent[16];
            snprintf(ent, sizeof ent, "&#%u;", (unsigned)cp);
            out_bytes(o, ent, strlen(ent));
            continue;
        }
        if (cp == ' ') {
            if (breakable_at(w, i, place))
                out_break_space(o);
            else
                out_cp(o, ' ');
            continue;
        }
        if (i == escape_at) {
            out_escaped(o, cp);
            continue;
        }
        int line_start = at_line_start(w, i);
        int block_rules = line_start && place == MD_PLACE_PARAGRAPH;
        if (cp == '*' || cp == '_' || cp == '~') {
            if (i >= run.end)
                run = decide_run(w, i, place, line_start, opener_before, closer_after);
            if (!run.escape && block_rules && (cp == '*' || cp == '_') &&
                line_only_of(w, i, gfm ? "-=_*+:|" : "-=_*+"))
                run.escape = 1; /* all of the run: a part left could pair */
            int esc = run.escape;
            if (esc)
                out_escaped(o, cp);
            else
                out_cp(o, cp);
            continue;
        }
        int esc = 0;
        uint32_t next = char_after(w, i);
        uint32_t prev = char_before(w, i);
        switch (cp) {
        case '\\':
            esc = next == '\n' || next == 0 || md_is_ascii_punct(next);
            break;
        case '`':
            esc = 1;
            break;
        case '[':
            esc = ((c->flags & F_LINK_TEXT) && !(c->flags & F_BALANCED)) ||
                  (i == 0 && place == MD_PLACE_PARAGRAPH && ref_def_possible(w)) ||
                  (gfm && next == '^') || after_mark_bracket(w, i);
            break;
        case ']':
            esc = ((c->flags & F_LINK_TEXT) && !(c->flags & F_BALANCED)) || next == '(' ||
                  next == '[' ||
                  (gfm && next == ':');
            break;
        case '(':
        case ':':
            esc = after_mark_bracket(w, i);
            if (cp == ':' && !esc)
                esc = (block_rules && gfm && line_only_of(w, i, "-=_*+:|")) ||
                      (gfm && gfm_autolink_at(w, i));
            break;
        case '!':
            esc = next == '[';
            break;
        case '<':
            esc = (next < 0x80 && ((next | 0x20) - 'a' < 26u)) || next == '/' || next == '!' ||
                  next == '?';
            break;
        case '&':
            esc = entity_follows(w, i);
            break;
        case '|':
            esc = place == MD_PLACE_TABLE_CELL ||
                  (block_rules && gfm && line_only_of(w, i, "-=_*+:|"));
            break;
        case '#':
            if (block_rules) {
                size_t k = i;
                while (k < n && k - i < 7 && raw_at(w, k) == '#' && w->cells[k].kind == C_TEXT)
                    k++;
                esc = k - i <= 6 && (k >= n || is_ws_or_end(first_out(w, k)) ||
                                     is_line_end(&w->cells[k]));
            } else if (place == MD_PLACE_HEADING) {
                /* a closing sequence: '#'s at the very end after a space */
                if (prev == ' ' || prev == '\t' || prev == '\n') {
                    size_t k = i;
                    while (k < n && w->cells[k].kind == C_TEXT && w->cells[k].cp == '#')
                        k++;
                    esc = next_live(w, k) >= n;
                }
            }
            break;
        case '>':
            esc = block_rules;
            break;
        case '-':
        case '+':
            esc = block_rules && (is_ws_or_end(next == '\n' ? 0 : next) ||
                                  line_only_of(w, i, gfm ? "-=_*+:|" : "-=_*+"));
            break;
        case '=':
            esc = block_rules && line_only_of(w, i, gfm ? "-=_*+:|" : "-=_*+");
            break;
        case '.':
            esc = gfm && gfm_autolink_at(w, i);
            break;
        default:
            if (block_rules && is_digit(cp)) {
                size_t k = i;
                while (k < n && k - i < 10 && w->cells[k].kind == C_TEXT &&
                       is_digit(w->cells[k].cp))
                    k++;
                if (k < n && k - i <= 9 && w->cells[k].kind == C_TEXT &&
                    (w->cells[k].cp == '.' || w->cells[k].cp == ')')) {
                    uint32_t after = char_after(w, k);
                    if (after == '\n' || after == ' ' || after == '\t')
                        escape_at = k;
                }
            }
            break;
        }
        if (esc)
            out_escaped(o, cp);
        else
            out_cp(o, cp);
    }
    out_flush(o);
}

/* A paragraph whose first line is one HTML tag and nothing else would be
 * read as an HTML block: keep what follows a leading tag on its line. */
static void protect_leading_tag(md_writer *w)
{
    size_t i = next_live(w, 0);
    if (i >= w->n_cells)
        return;
    const md_cell *c = &w->cells[i];
    if (c->kind == C_MARK && c->cp == '<') {
        while (i < w->n_cells && w->cells[i].kind == C_MARK && w->cells[i].cp != '>')
            i++;
    } else if (!(c->kind == C_DELIM && delim_string(w, c)[0] == '<')) {
        return;
    }
    for (i++; i < w->n_cells; i++) {
        md_cell *x = &w->cells[i];
        if (x->kind == C_TEXT && is_space_cp(x->cp))
            x->flags |= F_NO_BREAK;
        else if (x->kind == C_SOFT && x->soft != SOFT_DROP)
            x->soft = SOFT_SPACE;
        else if (!(x->kind == C_SOFT))
            break;
    }
}

oct_status md_write_inlines(md_writer *w, md_render *r, const oct_node *block,
                            md_inline_place place)
{
    if (md_write_plain_run(w, r, block, place))
        return OCT_OK;
    w->n_cells = 0;
    w->n_bytes = 0;
    w->n_specials = 0;
    w->n_joins = 0;
    w->n_delims = 0;
    w->n_stack = 0;
    size_t term = 0;
    int is_term = place == MD_PLACE_TERM;
    if (is_term) {
        term = new_delim(w, OCT_NODE_STRONG);
        add_cell(w, (uint32_t)term, C_DELIM, 0);
        place = MD_PLACE_PARAGRAPH;
    }
    flatten(w, block, place);
    if (is_term)
        add_cell(w, (uint32_t)term, C_DELIM, F_CLOSE);
    if (w->status != OCT_OK)
        return w->status;
    /* Most runs have no link text and no emphasis, nor a '*' '_' '~' to
     * escape: the passes about those would find nothing. */
    const unsigned seen = decide_breaks(w, place);
    const int runs = (seen & SEEN_RUNS) != 0;
    if (seen & SEEN_LINK_TEXT)
        mark_balanced(w);
    resolve_delims(w);
    if (w->status != OCT_OK)
        return w->status;
    if (place == MD_PLACE_PARAGRAPH)
        protect_leading_tag(w);
    if (!runs) {
        w->tilde_runs = 0;
        emit(w, r, place, NULL, NULL); /* no run to decide: the tables go unread */
        return w->status;
    }
    /* opener_before and closer_after a byte a cell, and a byte a special */
    const size_t need = 2 * (w->n_cells + 1) + w->n_specials + 1;
    if (!grow_to((void **)&w->run_marks, &w->cap_run_marks, need, 1, 4 * MAX_CELLS)) {
        w->status = OCT_ERR_NOMEM;
        return w->status;
    }
    unsigned char *const before = w->run_marks, *const after = before + w->n_cells + 1;
    mark_run_partners(w, before, after, after + w->n_cells + 1);
    emit(w, r, place, before, after);
    return w->status;
}
