/*
 * classify.c — what a single line looks like: a chapter line, a list
 * marker, a scene break, a setext underline, a numbered section title, a
 * line of code or of a drawn table, a quoted line. Pure functions of the
 * line's text; structure.c decides what they mean in context.
 */
#include "text_internal.h"
#include "byteblocks.h"

#include <string.h>

#define CHAPTER_MAX_COLS 80
#define MAX_CODE_LINE 300

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t skip_spaces(const char *s, size_t len, size_t i)
{
    size_t sp;
    while (i < len && (sp = text_space_len(s + i, len - i)) > 0)
        i += sp;
    return i;
}

static int is_roman_char(char c)
{
    return c == 'I' || c == 'V' || c == 'X' || c == 'L' || c == 'C';
}

static int is_roman(const char *s, size_t len)
{
    if (len == 0 || len > 8)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!is_roman_char(s[i]))
            return 0;
    return 1;
}

static int is_number_word(const char *s, size_t len)
{
    static const char *const words[] = {
        "one",       "two",      "three",    "four",   "five",     "six",      "seven",   "eight",
        "nine",      "ten",      "eleven",   "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
        "seventeen", "eighteen", "nineteen", "twenty", "thirty",   "forty",    "fifty",   "first",
        "second",    "third",    "fourth",   "fifth",  "sixth",    "seventh",  "eighth",  "ninth",
        "tenth",     "last",     "the",      NULL};
    for (size_t i = 0; words[i]; i++)
        if (strlen(words[i]) == len && text_has_prefix(s, len, words[i]) == len)
            return 1;
    return 0;
}

/* 0: not a chapter line; 1: a number with no title ("CHAPTER IV"); 2: a
 * chapter line carrying its title ("Chapter 1. Tutorials", "Preface"). */
int text_chapter_kind(const char *s, size_t len)
{
    if (len == 0 || len > CHAPTER_MAX_COLS * 2)
        return 0;
    const char last = s[len - 1];
    if (last == ',' || last == ';')
        return 0;
    /* asked of every block: most lines start with a letter no chapter word
     * (below) nor Roman numeral starts with */
    switch (s[0] | 32) {
    case 'a': case 'b': case 'c': case 'e': case 'f': case 'i': case 'l': case 'p': case 'v':
    case 'x': break;
    default: return 0;
    }
    static const char *const alone[] = {"prologue",  "epilogue",     "preface", "foreword",
                                        "afterword", "introduction", "prelude", NULL};
    size_t body = len;
    if (body > 0 && s[body - 1] == '.')
        body--;
    for (size_t i = 0; alone[i]; i++)
        if (strlen(alone[i]) == body && text_has_prefix(s, body, alone[i]) == body)
            return 2;
    /* lone Roman numeral, or "IV. THE STORM" */
    size_t r = 0;
    while (r < len && is_roman_char(s[r]))
        r++;
    if (r > 0 && is_roman(s, r) && !(r < len && ((s[r] | 32) >= 'a' && (s[r] | 32) <= 'z'))) {
        if (r == len || (r + 1 == len && s[r] == '.'))
            return 1;
        /* "IV. THE STORM", but not the initials of "C. S. Lewis" */
        if (r + 3 < len && s[r] == '.' && s[r + 1] == ' ' && s[r + 3] != '.' &&
            text_is_upper_start(s + r + 2, len - r - 2) && !text_ends_with_sentence_punct(s, len) &&
            len <= CHAPTER_MAX_COLS)
            return 2;
        return 0;
    }
    static const char *const words[] = {
        "chapter ", "part ",           "book ",        "volume ",          "appendix ", "act ",
        "canto ",   "chapter\xC2\xA0", "part\xC2\xA0", "appendix\xC2\xA0", NULL};
    size_t p = 0;
    for (size_t i = 0; words[i] && !p; i++)
        p = text_has_prefix(s, len, words[i]);
    if (!p)
        return 0;
    /* the chapter word must be capitalised: "part of the deal" is prose */
    if (!text_is_upper_start(s, len))
        return 0;
    p = skip_spaces(s, len, p);
    size_t q = p;
    while (q < len && ((s[q] | 32) >= 'a' && (s[q] | 32) <= 'z'))
        q++;
    if (q == p)
        while (q < len && is_digit(s[q]))
            q++;
    if (q == p)
        return 0;
    const int numeric = is_digit(s[p]) || is_roman(s + p, q - p) || is_number_word(s + p, q - p) ||
                        (q - p == 1 && s[p] >= 'A' && s[p] <= 'Z');
    if (!numeric)
        return 0;
    /* "Twenty-One" */
    if (!is_digit(s[p]) && q + 1 < len && s[q] == '-') {
        size_t r2 = q + 1;
        while (r2 < len && ((s[r2] | 32) >= 'a' && (s[r2] | 32) <= 'z'))
            r2++;
        if (is_number_word(s + q + 1, r2 - q - 1))
            q = r2;
    }
    size_t t = q;
    if (t < len && (s[t] == '.' || s[t] == ':'))
        t++;
    t = skip_spaces(s, len, t);
    if (t >= len)
        return 1;
    /* a title follows; also "—" and "-" separators */
    if (len > CHAPTER_MAX_COLS * 2 || text_ends_with_sentence_punct(s, len))
        return s[len - 1] == '?' ? 2 : 0;
    return t == q ? 0 : 2;
}

int text_is_chapter_line(const char *s, size_t len)
{
    return text_chapter_kind(s, len) != 0;
}

/* "* item", "- item", "1. item", "2) item", "(a) item". */
size_t text_list_marker(const char *s, size_t len, int *ordered, oct_list_style *style, int *start)
{
    *ordered = 0;
    *style = OCT_LIST_BULLET;
    *start = 1;
    size_t m = 0;
    if (len >= 2 && (s[0] == '*' || s[0] == '-' || s[0] == '+') && s[1] == ' ')
        m = 1;
    else if (len >= 4 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
             ((unsigned char)s[2] == 0xA2 || (unsigned char)s[2] == 0xA3) && s[3] == ' ')
        m = 3; /* • ‣ */
    if (m) {
        const size_t c = skip_spaces(s, len, m);
        return c < len ? c : 0;
    }
    size_t i = s[0] == '(' ? 1 : 0;
    size_t d = i;
    while (d < len && is_digit(s[d]) && d - i < 3)
        d++;
    if (d > i) {
        *ordered = 1;
        *style = OCT_LIST_DECIMAL;
        int n = 0;
        for (size_t k = i; k < d; k++)
            n = n * 10 + (s[k] - '0');
        *start = n;
    } else if (d < len && ((s[d] >= 'a' && s[d] <= 'z') || (s[d] >= 'A' && s[d] <= 'Z')) &&
               d + 1 < len && s[d + 1] == ')') {
        *ordered = 1;
        *style = s[d] >= 'a' ? OCT_LIST_LOWER_ALPHA : OCT_LIST_UPPER_ALPHA;
        *start = (s[d] | 32) - 'a' + 1;
        d++;
    } else {
        return 0;
    }
    if (d >= len)
        return 0;
    if (i == 1 ? s[d] != ')' : (s[d] != '.' && s[d] != ')'))
        return 0;
    d++;
    if (d >= len || s[d] != ' ')
        return 0;
    const size_t c = skip_spaces(s, len, d);
    return c < len ? c : 0;
}

/* "* * *", "***", "---", "#", "~~~", "———". */
int text_is_scene_break(const char *s, size_t len)
{
    size_t marks = 0;
    char kind = 0;
    for (size_t i = 0; i < len; i++) {
        const unsigned char c = (unsigned char)s[i];
        if (c == ' ')
            continue;
        if (c == '*' || c == '-' || c == '_' || c == '~' || c == '=' || c == '#') {
            marks++;
            kind = (char)c;
            continue;
        }
        /* — ─ • · */
        if (i + 2 < len && c == 0xE2 &&
            ((unsigned char)s[i + 1] == 0x80 || (unsigned char)s[i + 1] == 0x94)) {
            marks++;
            kind = '-';
            i += 2;
            continue;
        }
        if (i + 1 < len && c == 0xC2 && (unsigned char)s[i + 1] == 0xB7) {
            marks++;
            i++;
            continue;
        }
        return 0;
    }
    return marks >= 3 || (marks == 1 && kind == '#');
}

char text_setext_char(const char *s, size_t len)
{
    if (len < 3 || (s[0] != '=' && s[0] != '-'))
        return 0;
    for (size_t i = 1; i < len; i++)
        if (s[i] != s[0])
            return 0;
    return s[0];
}

/* "1.2. Title" / "1.2 Title": the number of components, else 0. */
int text_numbered_heading(const char *s, size_t len)
{
    int parts = 0;
    size_t i = 0;
    for (;;) {
        const size_t d = i;
        while (i < len && is_digit(s[i]) && i - d < 3)
            i++;
        if (i == d)
            return 0;
        parts++;
        if (i < len && s[i] == '.')
            i++;
        if (i >= len || !is_digit(s[i]))
            break;
    }
    const size_t t = skip_spaces(s, len, i);
    if (t == i || t >= len || !text_is_upper_start(s + t, len - t))
        return 0;
    return parts;
}

int text_is_label_or_caption(const char *s, size_t len)
{
    static const char *const labels[] = {"note",      "tip",  "warning", "caution",
                                         "important", "hint", "danger",  NULL};
    enum { LONGEST_LABEL = 9 };
    for (size_t i = 0; len <= LONGEST_LABEL && labels[i]; i++)
        if (strlen(labels[i]) == len && text_has_prefix(s, len, labels[i]) == len)
            return 1;
    static const char *const captions[] = {"table ", "figure ", "example ", "listing ", NULL};
    for (size_t i = 0; captions[i]; i++) {
        const size_t p = text_has_prefix(s, len, captions[i]);
        if (p && p < len && (is_digit(s[p]) || (p + 1 < len && is_digit(s[p + 1]))))
            return 1;
    }
    if (text_has_prefix(s, len, "copyright"))
        return 1;
    /* ©, found from its first byte */
    const char *const end = s + len;
    for (const char *c = memchr(s, 0xC2, len); c; c = memchr(c + 1, 0xC2, (size_t)(end - c - 1)))
        if (c + 1 < end && (unsigned char)c[1] == 0xA9)
            return 1;
    return 0;
}

/* Whether the sentence end mark at i ends a lowercase word and is followed
 * by a space and a capital. */
static int sentence_break_at(const char *s, size_t len, size_t i)
{
    return i >= 1 && i + 2 < len && s[i + 1] == ' ' && (s[i - 1] >= 'a' && s[i - 1] <= 'z') &&
           text_is_upper_start(s + i + 2, len - i - 2);
}

static int is_sentence_end_mark(char c)
{
    return c == '.' || c == '!' || c == '?';
}

/* Two sentences in one line: ". X" after a lowercase word. The marks are
 * found a block at a time. */
int text_has_sentence_break(const char *s, size_t len)
{
    size_t i = 0;
    for (; i + OCT_BLOCK <= len; i += OCT_BLOCK) {
        const oct_block b = oct_block_load(s + i);
        for (unsigned m = oct_block_eq(b, '.') | oct_block_eq(b, '!') | oct_block_eq(b, '?'); m;
             m &= m - 1)
            if (sentence_break_at(s, len, i + oct_mask_first(m)))
                return 1;
    }
    for (; i < len; i++)
        if (is_sentence_end_mark(s[i]) && sentence_break_at(s, len, i))
            return 1;
    return 0;
}

/* "... to meet again on": a line that stops mid-sentence. */
int text_ends_with_function_word(const char *s, size_t len)
{
    static const char *const words[] = {"a",   "an", "the",  "of",  "to",   "on",   "and",  "or",
                                        "in",  "at", "with", "for", "by",   "from", "that", "which",
                                        "but", "is", "are",  "was", "were", NULL};
    enum { LONGEST_WORD = 5 };
    size_t w = len;
    while (w > 0 && s[w - 1] != ' ')
        w--;
    for (size_t i = 0; len - w <= LONGEST_WORD && words[i]; i++)
        if (strlen(words[i]) == len - w && text_has_prefix(s + w, len - w, words[i]))
            return 1;
    return 0;
}

/* Whether the byte at i ends an operator of code: "==", "&&", "||", "->",
 * "=>" or "();". */
static int ends_code_operator(const char *s, size_t i)
{
    if (i == 0)
        return 0;
    const char p = s[i - 1], c = s[i];
    return (p == '=' && c == '=') || (p == '&' && c == '&') || (p == '|' && c == '|') ||
           (p == '-' && c == '>') || (p == '=' && c == '>') ||
           (p == ')' && c == ';' && i >= 2 && s[i - 2] == '(');
}

/* The last byte of every operator is one of "=&|>;", rare in prose: they
 * are found a block at a time. */
static int has_code_operator(const char *s, size_t len)
{
    size_t i = 0;
    for (; i + OCT_BLOCK <= len; i += OCT_BLOCK) {
        const oct_block b = oct_block_load(s + i);
        unsigned ends = oct_block_eq(b, '=') | oct_block_eq(b, '&') | oct_block_eq(b, '|') |
                        oct_block_eq(b, '>') | oct_block_eq(b, ';');
        for (; ends; ends &= ends - 1)
            if (ends_code_operator(s, i + oct_mask_first(ends)))
                return 1;
    }
    for (; i < len; i++)
        if (ends_code_operator(s, i))
            return 1;
    return 0;
}

/* Columns aligned with runs of spaces: three in a row. Most lines have not
 * even two, which is asked eight bytes at a time first. */
static int has_three_spaces(const char *s, size_t len)
{
    if (!text_has_double_space(s, len))
        return 0;
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        run = s[i] == ' ' ? run + 1 : 0;
        if (run == 3)
            return 1;
    }
    return 0;
}

/* Signs of code in one line: a prompt, a statement end, operators, or
 * columns aligned with runs of spaces. */
int text_is_code_line(const char *s, size_t len)
{
    if (len > MAX_CODE_LINE)
        return 0;
    if (text_has_prefix(s, len, "$ ") || text_has_prefix(s, len, "# ") ||
        text_has_prefix(s, len, "#!") || text_has_prefix(s, len, ">>> ") ||
        text_has_prefix(s, len, "% "))
        return 1;
    const char last = s[len - 1];
    if (last == ';' || last == '{' || last == '}' || last == '\\')
        return 1;
    if (s[0] == '<' && last == '>')
        return 1;
    return has_three_spaces(s, len) || has_code_operator(s, len);
}

/* Quote depth of a line and where its content starts. */
size_t text_quote_depth(const char *s, size_t len, size_t *content)
{
    size_t depth = 0, i = 0;
    while (i < len && s[i] == '>') {
        depth++;
        i++;
        if (i < len && s[i] == ' ')
            i++;
    }
    *content = i;
    return depth;
}
