/*
 * date.c — a line that is a date, in the forms articles print them:
 * "9 January 2019", "January 9, 2019", "Jan. 9, 2019", "2019-01-09",
 * "Wednesday, 9 January 2019", "Published 9 Jan 2019 10:32 GMT".
 * All-numeric day/month orders (03/04/2019) are ambiguous and refused.
 */
#include "text_internal.h"
#include "byteblocks.h"

#include <string.h>

#define MAX_DATE_LINE 96
#define MAX_TOKENS 16

typedef struct token {
    const char *s;
    size_t len;
    int is_num;
    long value;
} token;

static const char *const months[12] = {"january",   "february", "march",    "april",
                                       "may",       "june",     "july",     "august",
                                       "september", "october",  "november", "december"};
static const char *const weekdays[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                        "friday", "saturday", "sunday"};
static const char *const lead_words[] = {"published", "updated", "posted",   "on",    "date",
                                         "last",      "first",   "modified", "dated", NULL};
static const char *const time_words[] = {"at",  "am",  "pm",    "a",    "p",    "m",   "utc", "gmt",
                                         "bst", "cet", "cest",  "eet",  "eest", "est", "edt", "cst",
                                         "cdt", "mst", "mdt",   "pst",  "pdt",  "et",  "pt",  "t",
                                         "z",   "h",   "local", "time", "ist",  "jst", NULL};

static int word_is(const token *t, const char *w)
{
    return t->len == strlen(w) && text_has_prefix(t->s, t->len, w) == t->len;
}

static int in_list(const token *t, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (word_is(t, list[i]))
            return 1;
    return 0;
}

/* A full name or an abbreviation of at least three letters ("Jan", "Sept"). */
static int name_index(const token *t, const char *const *names, size_t n)
{
    if (t->is_num || t->len < 3)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (t->len > strlen(names[i]))
            continue;
        size_t k = 0;
        while (k < t->len && (char)(t->s[k] | 32) == names[i][k])
            k++;
        if (k == t->len)
            return (int)i;
    }
    return -1;
}

static int month_of(const token *t)
{
    return name_index(t, months, 12);
}
static int weekday_of(const token *t)
{
    return name_index(t, weekdays, 7);
}

static int days_in_month(long year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 1 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 29;
    return days[month];
}

static size_t tokenize(const char *s, size_t len, token *out, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len) {
        const unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9') {
            token t = {s + i, 0, 1, 0};
            while (i < len && s[i] >= '0' && s[i] <= '9') {
                if (t.value < 100000)
                    t.value = t.value * 10 + (s[i] - '0');
                t.len++;
                i++;
            }
            /* ordinal suffix: 1st 2nd 3rd 9th */
            if (i + 1 < len &&
                (text_has_prefix(s + i, 2, "st") || text_has_prefix(s + i, 2, "nd") ||
                 text_has_prefix(s + i, 2, "rd") || text_has_prefix(s + i, 2, "th")) &&
                !(i + 2 < len && ((s[i + 2] | 32) >= 'a' && (s[i + 2] | 32) <= 'z')))
                i += 2;
            if (n == max)
                return max + 1;
            out[n++] = t;
        } else if ((c | 32) >= 'a' && (c | 32) <= 'z') {
            token t = {s + i, 0, 0, 0};
            while (i < len && ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z')) {
                t.len++;
                i++;
            }
            if (n == max)
                return max + 1;
            out[n++] = t;
        } else if (c >= 0x80) {
            /* non-ASCII letters mean words we do not know: not a date line */
            uint32_t cp;
            const size_t k = oct_utf8_decode(s + i, len - i, &cp);
            if (text_is_word_cp(cp))
                return max + 1;
            i += k;
        } else {
            i++;
        }
    }
    return n;
}

/* A run of exactly four digits: the year. The runs are read from the digit
 * masks of whole blocks: a section number or a heading has few. */
static int has_four_digit_run(const char *s, size_t len)
{
    size_t i = 0, before = 0; /* before: the digits that end the blocks read */
    for (; i + OCT_BLOCK <= len; i += OCT_BLOCK) {
        unsigned d = oct_block_digits(oct_block_load(s + i));
        if (before && !(d & 1u)) {
            if (before == 4)
                return 1;
            before = 0;
        }
        size_t carried = 0;
        while (d) {
            const unsigned start = oct_mask_first(d);
            /* the shifted mask has a clear bit past the block: never all ones */
            const unsigned n = oct_mask_first(~(d >> start));
            const size_t run = n + before; /* before is kept only if start is 0 */
            before = 0;
            if (start + n == OCT_BLOCK) {
                carried = run;
                break;
            }
            if (run == 4)
                return 1;
            d &= ~(((1u << n) - 1u) << start);
        }
        before = carried;
    }
    size_t run = before;
    for (; i < len; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            run++;
        } else {
            if (run == 4)
                return 1;
            run = 0;
        }
    }
    return run == 4;
}

int text_parse_date(const char *s, size_t len, char iso[11])
{
    if (len == 0 || len > MAX_DATE_LINE)
        return 0;
    /* every form has a year of four digits, and a number token is a whole
     * run of digits: most lines (section numbers "1.2.3" included) are
     * settled here, before they are cut into words */
    if (!has_four_digit_run(s, len))
        return 0;
    token tok[MAX_TOKENS];
    const size_t n = tokenize(s, len, tok, MAX_TOKENS);
    if (n > MAX_TOKENS || n < 3)
        return 0;
    size_t i = 0;
    while (i < n && !tok[i].is_num && in_list(&tok[i], lead_words) && month_of(&tok[i]) < 0)
        i++;
    if (i < n && weekday_of(&tok[i]) >= 0)
        i++;
    if (i + 3 > n)
        return 0;
    long year, day;
    int month;
    const token *a = &tok[i], *b = &tok[i + 1], *c = &tok[i + 2];
    if (a->is_num && a->len <= 2 && !b->is_num && (month = month_of(b)) >= 0 && c->is_num &&
        c->len == 4) {
        day = a->value;
        year = c->value;
    } else if (!a->is_num && (month = month_of(a)) >= 0 && b->is_num && b->len <= 2 && c->is_num &&
               c->len == 4) {
        day = b->value;
        year = c->value;
    } else if (a->is_num && a->len == 4 && b->is_num && b->len <= 2 && c->is_num && c->len <= 2) {
        /* year first: only the ISO order year-month-day is in use */
        year = a->value;
        month = (int)b->value - 1;
        day = c->value;
        const char sep = a->s[a->len];
        if (sep != '-' && sep != '/' && sep != '.')
            return 0;
    } else {
        return 0;
    }
    if (month < 0 || month > 11 || year < 1000 || year > 2999 || day < 1 ||
        day > days_in_month(year, month))
        return 0;
    /* what follows may only be a time of day */
    for (size_t k = i + 3; k < n; k++)
        if (!tok[k].is_num && !in_list(&tok[k], time_words))
            return 0;
    const int parts[3] = {(int)year, month + 1, (int)day};
    const int digits[3] = {4, 2, 2};
    size_t o = 0;
    for (int p = 0; p < 3; p++) {
        int v = parts[p];
        for (int d = digits[p] - 1; d >= 0; d--) {
            iso[o + (size_t)d] = (char)('0' + v % 10);
            v /= 10;
        }
        o += (size_t)digits[p];
        iso[o++] = p < 2 ? '-' : '\0';
    }
    return 1;
}
