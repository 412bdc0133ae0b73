/*
 * plain_run.c — a paragraph of plain text, written straight from its nodes.
 *
 * Most paragraphs of a text book are one text node (or lines of text between
 * hard breaks) in which the cells' passes (inline.c) find next to nothing to do: no
 * character to guard with a backslash or an entity, bar one the block rules
 * may ask for at a line start; no space at a line edge or next to another;
 * no soft break. For such a run they come down to writing the text as it
 * is, with a break space at every space but those before which
 * starts_block() holds. Headings likewise, without break spaces.
 *
 * The renderer writes a piece of text the same whether it is handed over at
 * once or in parts (text is never broken, widths add up), and
 * md_render_text_break_space() is md_render_text_columns() then
 * md_render_break_space(). So writing each piece between two break spaces
 * in one call, straight from the node, gives the bytes the cells give,
 * without making them. The check below admits only text of which it can
 * tell, byte by byte, what the cells would make; when unsure, it leaves the
 * run to them. tests/markdown/test_markdown_plain.c holds the two paths side
 * by side.
 */
#include "markdown.h"

#include "block_start.h"
#include "bytewords.h"

#include <stdint.h>
#include <string.h>

/* What a byte of text is to that check. */
enum plain_class {
    PC_PLAIN = 0, /* written as it is wherever it stands; begins no block */
    PC_SPACE,     /* a space: where lines may break */
    PC_LOOK,      /* escaped, or begins a block, only with some neighbours */
    PC_HIGH,      /* a byte of a character outside ASCII */
    PC_RUN,       /* '_' '~': as they are inside words, else for the cells */
    PC_NO         /* controls, '*' '`' '[' ']' '\\': for the cells */
};

#define P PC_PLAIN
#define S PC_SPACE
#define L PC_LOOK
#define H PC_HIGH
#define R PC_RUN
#define N PC_NO
static const unsigned char plain_class[256] = {
    /* 0_ */ N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N,
    /* 1_ */ N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N,
    /* 2_ */ S, P, P, L, P, P, L, P, P, P, N, L, P, L, L, P,
    /* 3_ */ L, L, L, L, L, L, L, L, L, L, L, P, L, L, L, P,
    /* 4_ */ P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
    /* 5_ */ P, P, P, P, P, P, P, P, P, P, P, N, N, N, P, R,
    /* 6_ */ N, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
    /* 7_ */ P, P, P, P, P, P, P, P, P, P, P, P, L, P, R, N,
    /* 8_ */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* 9_ */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* A_ */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* B_ */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* C_ */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* D_ */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* E_ */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* F_ */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H};
#undef P
#undef S
#undef L
#undef H
#undef R
#undef N

/* The byte at offset k of a text, 0 past its end: what raw_at() gives for
 * the cell there when the bytes before it are ASCII. */
static unsigned plain_at(const unsigned char *u, size_t len, size_t k)
{
    return k < len ? u[k] : 0;
}

static int is_ascii_letter(unsigned c) { return c < 0x80 && (c | 0x20) - 'a' < 26u; }

static int is_ascii_alnum(unsigned c) { return is_digit(c) || is_ascii_letter(c); }

/* A text for md_block_starts(): its bytes, 0 past its end. */
typedef struct plain_src {
    const unsigned char *u;
    size_t len;
} plain_src;

static uint32_t plain_char_at(const void *src, size_t k)
{
    const plain_src *p = src;
    return plain_at(p->u, p->len, k);
}

/* starts_block() for a line beginning at byte j of a text, as its cells
 * would answer it (a character outside ASCII is a byte of its own there,
 * never one of the marks, as it is a code point of its own in a cell). */
static int plain_starts_block(const unsigned char *u, size_t len, size_t j)
{
    const plain_src src = {u, len};
    return u[j] < 0x80 && md_may_start_block[u[j]] && md_block_starts(plain_char_at, &src, j);
}

/* Is the space at byte at of a text plain_text_as_is() admitted a break
 * space (the word after it would begin no block)? */
static inline int plain_breaks_at(const unsigned char *u, size_t len, size_t at)
{
    const unsigned next = u[at + 1]; /* a space is never last */
    return next >= 0x80 || !md_may_start_block[next] || !plain_starts_block(u, len, at + 1);
}

/* line_only_of() for the line the text begins (ASCII up to the first
 * space, or a character outside set). */
static int plain_line_only_of(const unsigned char *u, size_t len, const char *set)
{
    for (size_t k = 0; k < len && u[k] != ' '; k++)
        if (u[k] >= 0x80 || u[k] == 0 || !strchr(set, (int)u[k]))
            return 0;
    return 1;
}

/* What the block rules make of the first character of a line of text: 1
 * and *escape_at the offset of the one character they escape (SIZE_MAX:
 * none), or 0 when the cells should see to it. last: the line ends the run
 * (else a hard break follows, which the cells see as a '\\'). */
static int plain_lead(const md_writer *w, const unsigned char *u, size_t len, int last,
                      size_t *escape_at)
{
    const int gfm = w->opt.flavour == MD_GFM;
    const char *const line_set = gfm ? "-=_*+:|" : "-=_*+";
    const unsigned c = u[0];
    *escape_at = SIZE_MAX;
    if (plain_class[c] != PC_LOOK)
        return 1; /* the rest asks nothing of the line start */
    if (c == '>' ||
        ((c == '-' || c == '+') &&
         (len == 1 || u[1] == ' ' || plain_line_only_of(u, len, line_set))) ||
        (c == '=' && plain_line_only_of(u, len, line_set))) {
        *escape_at = 0;
    } else if (c == '#') {
        size_t k = 0;
        while (k < len && k < 7 && u[k] == '#')
            k++;
        if (k <= 6 && (k == len || u[k] == ' '))
            *escape_at = 0;
    } else if (is_digit(c)) {
        size_t k = 0;
        while (k < len && k < 10 && is_digit(u[k]))
            k++;
        if (k < len && k <= 9 && (u[k] == '.' || u[k] == ')') &&
            (k + 1 == len ? last : u[k + 1] == ' '))
            *escape_at = k; /* "1." "2)": the dot or parenthesis */
    } else if (c == '|' || c == ':') {
        return !gfm; /* GFM's table rows and autolinks: for the cells */
    }
    return 1; /* '<' '&' '.': as anywhere else */
}

/* Is byte at of the text, one a letter or a space is not, what the cells
 * would write as it is (bar the escape plain_lead() asks for)? *done: the
 * offset up to which the text is known good (past a character outside
 * ASCII). */
static int plain_byte_ok(const md_writer *w, const unsigned char *u, size_t len, size_t at,
                         size_t *done)
{
    const unsigned b = u[at];
    const unsigned prev = at > 0 ? u[at - 1] : 0, next = plain_at(u, len, at + 1);
    switch (plain_class[b]) {
    case PC_PLAIN:
        return 1;
    case PC_SPACE:
        return 1; /* letters and spaces are the caller's */
    case PC_LOOK:
        /* After a space, whether a block could begin there decides only
         * whether the line may break (plain_breaks_at()). Elsewhere the
         * escapes are those of '<' before a tag, '&' before an entity and
         * GFM's autolinks ("www.", "://"): text that could hold one is left
         * to the cells. */
        if (b == '<')
            return !is_ascii_letter(next) && next != '/' && next != '!' && next != '?';
        if (b == '&')
            return next != '#' && !is_ascii_alnum(next);
        return w->opt.flavour != MD_GFM ||
               !((b == ':' && next == '/') || (b == '.' && (prev | 0x20) == 'w'));
    case PC_HIGH: {
        if (at < *done)
            return 1; /* inside a character checked already */
        /* the cells hold code points: written back, they must give these
         * very bytes (not U+FFFD for a stray one) */
        uint32_t cp;
        char again[4];
        const size_t n = oct_utf8_decode((const char *)u + at, len - at, &cp);
        if (oct_utf8_encode(cp, again) != n || memcmp(again, u + at, n) != 0)
            return 0;
        *done = at + n;
        return 1;
    }
    case PC_RUN:
        /* Inside a word ("file_name"), '_' can neither open nor close. In
         * CommonMark '~' is markup of nothing: only doubled, or at the
         * start (a fence), is it escaped. */
        if (b == '_')
            return is_ascii_alnum(prev) && is_ascii_alnum(next);
        return w->opt.flavour != MD_GFM && at > 0 && prev != '~' && next != '~';
    default:
        return 0;
    }
}

/* Bytes plain_byte_ok() would pass without a look around, which most it
 * is asked about are: punctuation of prose, and digits or the like not
 * after a space (where a block could begin). */
static inline int plain_byte_quiet(const unsigned char *u, size_t at, int gfm)
{
    const unsigned b = u[at], c = plain_class[b];
    return c == PC_PLAIN || (c == PC_LOOK && b != '<' && b != '&' && !gfm &&
                             (at == 0 || u[at - 1] != ' '));
}

/* 0x80 in every byte of v that is an ASCII letter. */
static uint64_t word_letters(uint64_t v)
{
    const uint64_t folded = v | OCT_BYTES_EACH(0x20); /* 'A'-'Z' as 'a'-'z' */
    return oct_word_below(folded, 'z' + 1) & ~oct_word_below(folded, 'a');
}

/* Would the cells of text s, a line of a paragraph (or a heading), be
 * written as its bytes but for the escape at *escape_at (SIZE_MAX: none)
 * and the spaces, those break spaces wherever plain_starts_block() says 0?
 * last: the line ends the run. *high: whether s holds bytes outside ASCII. */
static int plain_text_as_is(const md_writer *w, const char *s, size_t len,
                            md_inline_place place, int last, size_t *escape_at, int *high)
{
    const unsigned char *const u = (const unsigned char *)s;
    *escape_at = SIZE_MAX;
    /* at the edges a space would be an entity; a heading's closing '#'s
     * are escaped after a space */
    if (len == 0 || len >= MD_MAX_CELLS || u[0] == ' ' || u[len - 1] == ' ' ||
        (place == MD_PLACE_HEADING ? u[len - 1] == '#' : !plain_lead(w, u, len, last, escape_at)))
        return 0;
    const int gfm = w->opt.flavour == MD_GFM;
    size_t done = 0; /* see plain_byte_ok() */
    uint64_t any_high = 0;
    unsigned space_before = 0; /* 0x80 if the byte before the next word is a space */
    size_t i = 0;
    /* eight bytes at a time: letters and single spaces need no look */
    for (; i + 8 <= len; i += 8) {
        const uint64_t v = oct_word_load_ordered(s + i);
        const uint64_t spaces = oct_word_eq(v, ' ');
        /* a doubled space would not break (nor stay single) */
        if ((spaces & (spaces >> 8)) || (spaces & space_before))
            return 0;
        space_before = (unsigned)(spaces >> 56) & 0x80;
        any_high |= v;
        for (uint64_t look = ~(word_letters(v) | spaces) & OCT_BYTES_HIGH; look;
             look &= look - 1) {
            const size_t at = i + oct_word_first(look);
            if (!plain_byte_quiet(u, at, gfm) && !plain_byte_ok(w, u, len, at, &done))
                return 0;
        }
    }
    for (; i < len; i++) {
        if (u[i] == ' ' ? i > 0 && u[i - 1] == ' '
                        : plain_class[u[i]] != PC_PLAIN && !plain_byte_ok(w, u, len, i, &done))
            return 0;
        any_high |= u[i];
    }
    *high = oct_word_high(any_high) != 0;
    return 1;
}

/* Writes text s from from on, which plain_text_as_is() admitted, a piece
 * from one break space to the next as md_render_text_break_space() would,
 * but a line at a time: the pieces that fit on the line gathered, and
 * written at once. Widths are measured (see write_plain_ascii() for text
 * that is a column a byte). */
static void write_plain_text(md_render *r, const char *s, size_t len, size_t from)
{
    const unsigned char *const u = (const unsigned char *)s;
    size_t gathered = 0; /* of it, bytes of pieces that fit (each with its space) */
    /* of those, the first counted bytes are counted_columns wide; a byte is
     * never narrower than its column, so the rest need measuring only when
     * their bytes would not fit */
    size_t counted = 0, counted_columns = 0;
    size_t room = md_render_room(r);
    for (size_t i = 0; i < len; i += 8) {
        uint64_t spaces = 0;
        if (i + 8 <= len) {
            spaces = oct_word_eq(oct_word_load_ordered(s + i), ' ');
        } else {
            for (size_t k = i; k < len; k++)
                if (u[k] == ' ')
                    spaces |= (uint64_t)0x80 << (8 * (k - i));
        }
        for (; spaces; spaces &= spaces - 1) {
            const size_t at = i + oct_word_first(spaces);
            if (!plain_breaks_at(u, len, at))
                continue;
            const size_t piece = from + gathered, bytes = at - piece;
            if (counted_columns + (gathered - counted) + bytes < room) {
                gathered = at + 1 - from; /* fits, even were a byte a column */
                continue;
            }
            counted_columns += oct_utf8_display_width(s + from + counted, gathered - counted);
            const size_t columns = oct_utf8_display_width(s + piece, bytes);
            if (counted_columns + columns >= room) {
                /* the piece goes past the line: what fits first */
                if (gathered > 0)
                    md_render_words(r, s + from, gathered, counted_columns);
                from = piece;
                gathered = counted_columns = 0;
                room = md_render_room(r);
                if (columns > room && md_render_wrap(r))
                    room = md_render_room(r); /* it begins the next line */
                if (columns >= room) {
                    md_render_text_break_space(r, s + piece, bytes, columns);
                    from = at + 1;
                    gathered = counted = 0;
                    room = md_render_room(r);
                    continue;
                }
            }
            gathered = counted = at + 1 - from;
            counted_columns += columns + 1;
        }
    }
    if (gathered > 0) {
        counted_columns += oct_utf8_display_width(s + from + counted, gathered - counted);
        md_render_words(r, s + from, gathered, counted_columns);
        from += gathered;
    }
    const size_t n = len - from;
    md_render_text_columns(r, s + from, n, oct_utf8_display_width(s + from, n));
}

/* write_plain_text() for ASCII, a column a byte: from where the line is
 * full back to its last break space, not a space at a time. */
static void write_plain_ascii(md_render *r, const char *s, size_t len, size_t from)
{
    const unsigned char *const u = (const unsigned char *)s;
    size_t room = md_render_room(r);
    for (;;) {
        /* the pieces up to a break space before from + room fit */
        size_t fit = SIZE_MAX;
        for (size_t k = from + room < len ? from + room : len; k-- > from;) {
            if (u[k] == ' ' && plain_breaks_at(u, len, k)) {
                fit = k;
                break;
            }
        }
        if (fit != SIZE_MAX) {
            md_render_words(r, s + from, fit + 1 - from, fit + 1 - from);
            from = fit + 1;
        }
        /* the next piece, which does not fit (or is the last) */
        size_t end = from;
        while (end < len && !(u[end] == ' ' && plain_breaks_at(u, len, end)))
            end++;
        if (end == len)
            break;
        room = md_render_room(r);
        if (end - from > room && md_render_wrap(r)) {
            room = md_render_room(r); /* it begins the next line */
            if (end - from < room)
                continue;
        }
        md_render_text_break_space(r, s + from, end - from, end - from);
        from = end + 1;
        room = md_render_room(r);
    }
    md_render_text_columns(r, s + from, len - from, len - from);
}

/* The text of node, a line of plain text of the run (see write_plain_run()),
 * or NULL. */
static const char *plain_line(const md_writer *w, const oct_node *node, md_inline_place place,
                              size_t *len, size_t *escape_at, int *high)
{
    const char *s = oct_node_literal(node, len);
    if (!s || !plain_text_as_is(w, s, *len, place, oct_node_next(node) == NULL, escape_at, high))
        return NULL;
    return s;
}

int md_write_plain_run(md_writer *w, md_render *r, const oct_node *block,
                       md_inline_place place)
{
    if (w->cells_only || (place != MD_PLACE_PARAGRAPH && place != MD_PLACE_HEADING) ||
        w->status != OCT_OK)
        return 0;
    /* text (line break, text)*: all checked before anything is written */
    int high = 0, want_text = 1;
    size_t first_escape_at = SIZE_MAX;
    for (const oct_node *n = oct_node_first_child(block); n; n = oct_node_next(n)) {
        size_t len, escape_at;
        int line_high;
        if (oct_node_get_type(n) != (want_text ? OCT_NODE_TEXT : OCT_NODE_LINE_BREAK) ||
            (want_text && !plain_line(w, n, place, &len, &escape_at, &line_high)) ||
            (place == MD_PLACE_HEADING && oct_node_next(n)))
            return 0;
        if (want_text) {
            high |= line_high;
            if (n == oct_node_first_child(block))
                first_escape_at = escape_at;
        }
        want_text = !want_text;
    }
    if (want_text)
        return 0; /* empty, or ending in a line break (which is dropped) */
    /* measured if any line holds a character outside ASCII (a column a
     * byte otherwise): an ASCII line measured is as wide as it is long */
    const int breaks = w->opt.wrap == MD_WRAP_AUTO && place == MD_PLACE_PARAGRAPH;
    for (const oct_node *n = oct_node_first_child(block); n; n = oct_node_next(n)) {
        if (oct_node_get_type(n) == OCT_NODE_LINE_BREAK) {
            md_render_text_columns(r, "\\", 1, 1);
            md_render_newline(r);
            continue;
        }
        size_t len, escape_at = first_escape_at;
        const char *s = oct_node_literal(n, &len);
        if (n != oct_node_first_child(block)) /* a line of a paragraph, admitted above */
            plain_lead(w, (const unsigned char *)s, len, oct_node_next(n) == NULL, &escape_at);
        size_t from = 0;
        if (escape_at != SIZE_MAX) { /* in the first piece, after ASCII */
            md_render_text_columns(r, s, escape_at, escape_at);
            md_render_text_columns(r, "\\", 1, 1);
            from = escape_at;
        }
        if (!breaks)
            md_render_text_columns(r, s + from, len - from,
                                   high ? oct_utf8_display_width(s + from, len - from)
                                        : len - from);
        else if (high)
            write_plain_text(r, s, len, from);
        else
            write_plain_ascii(r, s, len, from);
    }
    w->plain_runs++;
    return 1;
}
