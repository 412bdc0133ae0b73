/*
 * lines.c — the decoded text cut into lines, and the small scanners every
 * later stage uses on one line.
 */
#include "text_internal.h"
#include "byteblocks.h"
#include "bytewords.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#define MAX_INDENT 0xFFFF

/* Trailing white space, including the form feeds decode.c isolates. */
static size_t trailing_space_len(const char *s, size_t len)
{
    size_t n = 0;
    while (n < len) {
        const unsigned char c = (unsigned char)s[len - n - 1];
        if (c == ' ' || c == '\f')
            n++;
        else if (c == 0xA0 && len - n >= 2 && (unsigned char)s[len - n - 2] == 0xC2)
            n += 2;
        else
            break;
    }
    return n;
}

int text_has_double_space(const char *s, size_t len)
{
    size_t i = 0;
    int prev_space = 0;
    for (; i + 8 <= len; i += 8) {
        /* the spaces' bits, then two in a row */
        const uint64_t spaces = oct_word_eq(oct_word_load(s + i), ' ');
        if (!spaces) {
            prev_space = 0;
            continue;
        }
        /* bytes are in memory order: byte k+1 sits 8 bits above byte k */
        if ((spaces & (spaces << 8)) || (prev_space && s[i] == ' '))
            return 1;
        prev_space = s[i + 7] == ' ';
    }
    for (; i < len; i++) {
        if (s[i] == ' ' && (prev_space || (i > 0 && s[i - 1] == ' ')))
            return 1;
        prev_space = 0;
    }
    return 0;
}

/* Prose lines average 50 to 70 bytes, so a table for one line per 48 bytes
 * of text is made once for most texts, rather than doubled (and copied) a
 * dozen times; what it holds beyond the lines is never touched. */
#define BYTES_PER_LINE_GUESS 48

static oct_status grow_lines(text_source *src, size_t *cap, size_t text_len)
{
    const size_t guess = text_len / BYTES_PER_LINE_GUESS;
    const size_t ncap = *cap ? *cap * 2 : guess > 256 ? guess : 256;
    text_line *grown = realloc(src->lines, ncap * sizeof *grown);
    if (!grown)
        return OCT_ERR_NOMEM;
    src->lines = grown;
    *cap = ncap;
    return OCT_OK;
}

#define NOT_SEEN SIZE_MAX

/* Where a line ends, and the first space, byte above ASCII and pair of
 * spaces from its content on, found in one pass over the line. They may lie
 * beyond the content (in the trailing white space, even on a later line):
 * the caller compares them with where the content ends. */
typedef struct line_scan {
    size_t end; /* the '\n' or the end of the text */
    size_t first_space, first_high, first_pair;
} line_scan;

static void scan_line(const char *text, size_t text_len, size_t from, line_scan *ls)
{
    ls->first_space = ls->first_high = ls->first_pair = NOT_SEEN;
    size_t q = from;
    unsigned carry = 0;        /* 1: the byte before the block is a space */
    unsigned want_space = ~0u; /* 0 once the first space is found */
    for (; q + OCT_BLOCK <= text_len; q += OCT_BLOCK) {
        const oct_block b = oct_block_load(text + q);
        const unsigned spaces = oct_block_eq(b, ' '), rare = oct_block_high_or_eq(b, '\n');
        /* a space that follows a space: the second of a pair */
        const unsigned pair_ends = spaces & ((spaces << 1) | carry);
        carry = spaces >> (OCT_BLOCK - 1);
        /* plain prose: one test a block */
        if (!(rare | pair_ends | (spaces & want_space)))
            continue;
        const unsigned nl = rare ? oct_block_eq(b, '\n') : 0, high = rare & ~nl;
        if (spaces & want_space) {
            ls->first_space = q + oct_mask_first(spaces);
            want_space = 0;
        }
        if (high && ls->first_high == NOT_SEEN)
            ls->first_high = q + oct_mask_first(high);
        if (pair_ends && ls->first_pair == NOT_SEEN)
            ls->first_pair = q + oct_mask_first(pair_ends) - 1;
        if (nl) {
            ls->end = q + oct_mask_first(nl);
            return;
        }
    }
    for (; q < text_len && text[q] != '\n'; q++) {
        if (text[q] == ' ') {
            if (ls->first_space == NOT_SEEN)
                ls->first_space = q;
            if (ls->first_pair == NOT_SEEN && q > from && text[q - 1] == ' ')
                ls->first_pair = q - 1;
        } else if ((unsigned char)text[q] >= 0x80 && ls->first_high == NOT_SEEN) {
            ls->first_high = q;
        }
    }
    ls->end = q;
}

static uint32_t clamp32(size_t n)
{
    return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

/* Fills one line's entry from the scan of its content [c, c + len). */
static void fill_line(text_line *line, const char *text, size_t c, size_t len, const line_scan *ls,
                      size_t indent, uint32_t number, int form_feed)
{
    const char *s = text + c;
    line->start_low = (uint32_t)c;
    line->start_high = (uint8_t)((uint64_t)c >> 32);
    line->len = clamp32(len);
    const size_t content_end = c + line->len;
    /* ASCII (the usual case) is a column a byte */
    if (ls->first_high >= content_end)
        line->width = line->len;
    else
        line->width = clamp32(ls->first_high - c + oct_utf8_display_width(
                                                       text + ls->first_high,
                                                       content_end - ls->first_high));
    const size_t word_end = ls->first_space < content_end ? ls->first_space : content_end;
    if (ls->first_high >= word_end)
        line->first_width = clamp32(word_end - c);
    else
        line->first_width = clamp32(oct_utf8_display_width(s, text_first_word_len(s, line->len)));
    line->number = number;
    line->indent = (uint16_t)(indent > MAX_INDENT ? MAX_INDENT : indent);
    const int spaces = ls->first_pair != NOT_SEEN && ls->first_pair + 1 < content_end;
    line->flags = (uint8_t)((form_feed ? LINE_FORM_FEED : 0) | (spaces ? LINE_SPACES : 0) |
                            (s[line->len - 1] == '-' ? LINE_HYPHEN_END : 0));
}

oct_status text_lines_split(const text_decoded *d, text_source *src)
{
    memset(src, 0, sizeof *src);
    /* in locals: the stores into the line table could alias them otherwise,
     * and be read again for every line */
    const char *const text = d->data;
    const size_t text_len = d->len;
    src->text = text;
    src->len = text_len;
    size_t cap = 0, n_lines = 0;
    uint32_t number = 0;
    int form_feed = 0;
    size_t pos = 0;
    oct_status st = OCT_OK;
    while (pos < text_len) {
        if (number < UINT32_MAX)
            number++;
        if (text[pos] == '\n') {
            /* empty lines: nothing to keep, only to count, a block at a time
             * in a long run of them */
            pos++;
            while (pos + OCT_BLOCK <= text_len &&
                   oct_block_eq(oct_block_load(text + pos), '\n') == 0xFFFFu) {
                number = number > UINT32_MAX - OCT_BLOCK ? UINT32_MAX : number + OCT_BLOCK;
                pos += OCT_BLOCK;
            }
            continue;
        }
        /* the indent: a line end is not white space, so it stops this too */
        size_t indent = 0, lead = 0, sp;
        while ((sp = text_space_len(text + pos + lead, text_len - pos - lead)) > 0) {
            if (sp == 1 && pos + lead + OCT_BLOCK <= text_len) {
                /* code and tables are indented deep: their spaces a block at a time */
                const unsigned others =
                    ~oct_block_eq(oct_block_load(text + pos + lead), ' ') & 0xFFFFu;
                const size_t run = others ? oct_mask_first(others) : OCT_BLOCK;
                lead += run;
                indent += run;
                continue;
            }
            lead += sp;
            indent++;
        }
        const size_t c = pos + lead;
        line_scan ls;
        scan_line(text, text_len, c, &ls);
        size_t len = ls.end > c ? ls.end - c : 0;
        len -= trailing_space_len(text + c, len);
        if (len == 0) {
            if (memchr(text + pos, '\f', ls.end - pos))
                form_feed = 1;
        } else {
            if ((uint64_t)c > TEXT_MAX_OFFSET) {
                st = OCT_ERR_LIMIT;
                break;
            }
            if (n_lines == cap && grow_lines(src, &cap, text_len) != OCT_OK) {
                st = OCT_ERR_NOMEM;
                break;
            }
            /* every field written in place */
            fill_line(&src->lines[n_lines++], text, c, len, &ls, indent, number, form_feed);
            form_feed = 0;
        }
        pos = ls.end + 1;
    }
    src->n_lines = n_lines;
    return st;
}

void text_lines_release_before(text_source *src, size_t i)
{
#if defined(MADV_DONTNEED) && defined(PROT_NONE) && defined(_SC_PAGESIZE)
    const long page = sysconf(_SC_PAGESIZE);
    if (page <= 0 || !src->lines || i > src->n_lines)
        return;
    const uintptr_t mask = (uintptr_t)page - 1;
    /* whole pages only, and never the one the table starts in: the
     * allocator's own bookkeeping may sit just before the table */
    const uintptr_t from = src->released_to ? (uintptr_t)src->released_to
                                            : ((uintptr_t)src->lines + (uintptr_t)page) & ~mask;
    const uintptr_t to = (uintptr_t)(src->lines + i) & ~mask;
    if (to <= from || madvise((void *)from, to - from, MADV_DONTNEED) != 0)
        return;
    /* a line read after this would be zeroes: make it a fault instead */
    (void)mprotect((void *)from, to - from, PROT_NONE);
    if (!src->released_from)
        src->released_from = (char *)from;
    src->released_to = (char *)to;
#else
    (void)src;
    (void)i;
#endif
}

void text_source_free(text_source *src)
{
#if defined(MADV_DONTNEED) && defined(PROT_NONE) && defined(_SC_PAGESIZE)
    /* the allocator owns these pages again */
    if (src->released_from)
        (void)mprotect(src->released_from, (size_t)(src->released_to - src->released_from),
                       PROT_READ | PROT_WRITE);
#endif
    free(src->lines);
    memset(src, 0, sizeof *src);
}

size_t text_next_present(const text_source *src, size_t i)
{
    while (i < src->n_lines && text_line_gone(src, i))
        i++;
    return i;
}

size_t text_first_word_len(const char *s, size_t len)
{
    size_t n = 0;
    /* eight bytes at a time to the first space or 0xC2 (which may begin
     * U+00A0): every line's first word is measured */
    for (; n + 8 <= len; n += 8) {
        const uint64_t w = oct_word_load_ordered(s + n);
        const uint64_t found = oct_word_eq(w, ' ') | oct_word_eq(w, 0xC2);
        if (found) {
            n += oct_word_first(found);
            break;
        }
    }
    while (n < len && s[n] != ' ' &&
           !((unsigned char)s[n] == 0xC2 && n + 1 < len && (unsigned char)s[n + 1] == 0xA0))
        n++;
    return n;
}

size_t text_count_words(const char *s, size_t len)
{
    size_t words = 0, i = 0;
    /* ASCII blocks (most lines): a word starts at each byte other than a
     * space that follows a space or the start, counted a block at a time */
    unsigned after_space = 1;
    for (; i + OCT_BLOCK <= len; i += OCT_BLOCK) {
        const oct_block b = oct_block_load(s + i);
        if (oct_block_high(b))
            break; /* maybe a no-break space: the rest a word at a time */
        const unsigned spaces = oct_block_eq(b, ' ');
        words += oct_mask_count(~spaces & ((spaces << 1) | after_space) & 0xFFFFu);
        after_space = spaces >> (OCT_BLOCK - 1);
    }
    if (!after_space) /* the word the blocks ended in is counted */
        i += text_first_word_len(s + i, len - i);
    while (i < len) {
        size_t sp;
        while (i < len && (sp = text_space_len(s + i, len - i)) > 0)
            i += sp;
        if (i >= len)
            break;
        words++;
        i += text_first_word_len(s + i, len - i);
    }
    return words;
}

int text_is_upper_start(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    uint32_t cp;
    oct_utf8_decode(s, len, &cp);
    return (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
           (cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x400 && cp <= 0x42F);
}

int text_is_lower_start(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    uint32_t cp;
    oct_utf8_decode(s, len, &cp);
    return (cp >= 'a' && cp <= 'z') || (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) ||
           (cp >= 0x3B1 && cp <= 0x3C9) || (cp >= 0x430 && cp <= 0x45F);
}

size_t text_has_prefix_rest(const char *s, size_t len, const char *prefix)
{
    const size_t n = strlen(prefix);
    if (len < n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char a = s[i], b = prefix[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (char)(b - 'A' + 'a');
        if (a != b)
            return 0;
    }
    return n;
}

/* Length of closing quotes and brackets at the end of s. */
static size_t trailing_closers_len(const char *s, size_t len)
{
    size_t n = 0;
    for (;;) {
        const size_t left = len - n;
        if (left >= 1 && text_is_closer(s[left - 1]))
            n++;
        else if (left >= 3 &&
                 ((unsigned char)s[left - 3] == 0xE2 && (unsigned char)s[left - 2] == 0x80 &&
                  ((unsigned char)s[left - 1] == 0x9D || (unsigned char)s[left - 1] == 0x99)))
            n += 3; /* ” ’ */
        else if (left >= 2 && (unsigned char)s[left - 2] == 0xC2 &&
                 (unsigned char)s[left - 1] == 0xBB)
            n += 2; /* » */
        else
            return n;
    }
}

int text_ends_with_sentence_punct(const char *s, size_t len)
{
    len -= trailing_closers_len(s, len);
    if (len == 0)
        return 0;
    const char c = s[len - 1];
    if (c == '.' || c == '!' || c == '?')
        return 1;
    /* … */
    return len >= 3 && (unsigned char)s[len - 3] == 0xE2 && (unsigned char)s[len - 2] == 0x80 &&
           (unsigned char)s[len - 1] == 0xA6;
}

int text_is_bare_link(const char *s, size_t len)
{
    if (len < 5 || memchr(s, ' ', len))
        return 0;
    if (text_has_prefix(s, len, "http://") || text_has_prefix(s, len, "https://") ||
        text_has_prefix(s, len, "www."))
        return 1;
    const char *at = memchr(s, '@', len);
    return at && at > s && memchr(at, '.', len - (size_t)(at - s)) != NULL;
}

int text_is_word_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7 || cp == 0xFFFD)
        return 0;
    if (cp >= 0x2000 && cp <= 0x2BFF) /* punctuation, symbols, arrows, boxes */
        return 0;
    if (cp >= 0x3000 && cp <= 0x303F) /* CJK punctuation */
        return 0;
    return !(cp >= 0xFE30 && cp <= 0xFE4F) && !(cp >= 0xFF00 && cp <= 0xFF0F);
}
