/* utf8.c — decoding, validation, repair and display width of UTF-8. */
#include "octavo/octavo.h"

#include <string.h>

#include "bytewords.h"
#include "utf8_seq.h"

size_t oct_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned char c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    size_t n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; v = c & 0x07; min = 0x10000; }
    else { *cp = 0xFFFD; return 1; }
    if (len < n) { *cp = 0xFFFD; return 1; }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) { *cp = 0xFFFD; return 1; }
        v = (v << 6) | (s[i] & 0x3F);
    }
    /* Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8. */
    if (v < min || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) { *cp = 0xFFFD; return 1; }
    *cp = v;
    return n;
}

size_t oct_utf8_encode(uint32_t cp, char out[4])
{
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Eight bytes at a time while they are all ASCII: most text is, and a byte
 * loop costs several instructions per byte on every string the core checks. */
/* Non-zero when some byte of w is 0x00 or has its high bit set. */
static uint64_t zero_or_high(uint64_t w)
{
    return oct_word_eq(w, 0) | oct_word_high(w);
}

int oct_utf8_is_valid(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (i + 8 <= len && !oct_word_high(oct_word_load(s + i))) i += 8;
        if (i >= len) break;
        if ((unsigned char)s[i] < 0x80) { i++; continue; }
        size_t n = oct_utf8_seq_len((const unsigned char *)s + i, len - i);
        if (n == 0) return 0;
        i += n;
    }
    return 1;
}

oct_status oct_utf8_append_repaired(oct_buf *b, const char *s, size_t len)
{
    size_t i = 0, run = 0; /* run: start of the pending span of good bytes */
    while (i < len) {
        while (i + 8 <= len && !zero_or_high(oct_word_load(s + i))) i += 8;
        if (i >= len) break;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x80) { i++; continue; }
        if (c == 0) {
            oct_buf_append(b, s + run, i - run);
            run = ++i;
            continue;
        }
        if (c < 0x80) { i++; continue; }
        size_t n = oct_utf8_seq_len((const unsigned char *)s + i, len - i);
        if (n == 0) {
            oct_buf_append(b, s + run, i - run);
            oct_buf_append(b, "\xEF\xBF\xBD", 3);
            run = ++i;
            continue;
        }
        i += n;
    }
    return oct_buf_append(b, s + run, i - run);
}

typedef struct { uint32_t lo, hi; } cp_range;

/* Zero-width: combining marks, zero-width spaces and joiners, variation
 * selectors. Not exhaustive Unicode data, but the marks that occur in text. */
static const cp_range zero_width[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05BF},
    {0x05C1, 0x05C2}, {0x05C4, 0x05C5}, {0x05C7, 0x05C7}, {0x0610, 0x061A},
    {0x064B, 0x065F}, {0x0670, 0x0670}, {0x06D6, 0x06DC}, {0x06DF, 0x06E4},
    {0x06E7, 0x06E8}, {0x06EA, 0x06ED}, {0x0900, 0x0902}, {0x093A, 0x093A},
    {0x093C, 0x093C}, {0x0941, 0x0948}, {0x094D, 0x094D}, {0x0951, 0x0957},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF},
    {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064},
    {0x20D0, 0x20FF}, {0x302A, 0x302D}, {0x3099, 0x309A}, {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

/* East Asian Wide and Fullwidth, and emoji presented wide. */
static const cp_range wide[] = {
    {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC},
    {0x23F0, 0x23F0}, {0x23F3, 0x23F3}, {0x25FD, 0x25FE}, {0x2614, 0x2615},
    {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
    {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE},
    {0x26D4, 0x26D4}, {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5},
    {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B},
    {0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755},
    {0x2757, 0x2757}, {0x2795, 0x2797}, {0x27B0, 0x27B0}, {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55}, {0x2E80, 0x303E},
    {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF},
    {0xA960, 0xA97F}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x16FE0, 0x16FE4},
    {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
    {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251}, {0x1F300, 0x1F64F},
    {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF},
    {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

static int in_ranges(uint32_t cp, const cp_range *r, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < r[mid].lo) hi = mid;
        else if (cp > r[mid].hi) lo = mid + 1;
        else return 1;
    }
    return 0;
}

int oct_codepoint_width(uint32_t cp)
{
    if (cp < 0x300) return 1;
    if (in_ranges(cp, zero_width, sizeof zero_width / sizeof zero_width[0])) return 0;
    if (in_ranges(cp, wide, sizeof wide / sizeof wide[0])) return 2;
    return 1;
}

size_t oct_utf8_display_width(const char *s, size_t len)
{
    /* ASCII is a column a byte: writers measure every word they write, so
     * find out first, and cheaply, whether that is all there is. */
    size_t i = 0;
    for (; i + 8 <= len; i += 8)
        if (oct_word_high(oct_word_load(s + i))) break;
    if (i + 8 > len) {
        while (i < len && (unsigned char)s[i] < 0x80) i++;
        if (i == len) return len;
    }
    size_t w = i;
    while (i < len) {
        if (i + 8 <= len && !oct_word_high(oct_word_load(s + i))) { w += 8; i += 8; continue; }
        if ((unsigned char)s[i] < 0x80) { w++; i++; continue; }
        uint32_t cp;
        i += oct_utf8_decode(s + i, len - i, &cp);
        w += (size_t)oct_codepoint_width(cp);
    }
    return w;
}
