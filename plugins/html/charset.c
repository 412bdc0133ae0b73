/* charset.c — which encoding the page is in, and conversion to UTF-8. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "html.h"

/* How far <meta charset> is looked for; the HTML standard says 1024 bytes,
 * real pages put long comments and scripts first. */
#define META_SCAN_BYTES 4096

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* Case-insensitive search for an ASCII needle in [s, s+len). */
static const char *find_ci(const char *s, size_t len, const char *needle)
{
    const size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++) {
        size_t k = 0;
        while (k < n && lower((unsigned char)s[i + k]) == needle[k])
            k++;
        if (k == n)
            return s + i;
    }
    return NULL;
}

/* Copies the value after "charset=" (quotes and spaces skipped) into label. */
static int charset_param(const char *s, size_t len, char *label, size_t label_size)
{
    const char *p = find_ci(s, len, "charset");
    if (!p)
        return 0;
    const char *end = s + len;
    p += 7;
    while (p < end && html_is_space((unsigned char)*p))
        p++;
    if (p >= end || *p != '=')
        return 0;
    p++;
    while (p < end && (html_is_space((unsigned char)*p) || *p == '"' || *p == '\''))
        p++;
    size_t n = 0;
    while (p + n < end && n + 1 < label_size && p[n] != '"' && p[n] != '\'' && p[n] != ';' &&
           p[n] != '>' && !html_is_space((unsigned char)p[n]))
        n++;
    if (n == 0)
        return 0;
    memcpy(label, p, n);
    label[n] = '\0';
    return 1;
}

/* WHATWG maps these labels onto supersets; iconv knows the supersets too. */
static void canonical_label(char *label, size_t size)
{
    static const char *const cp1252[] = {"iso-8859-1", "iso8859-1", "latin1", "l1",
                                         "us-ascii", "ascii", "iso_8859-1", "cp819",
                                         "windows-1252", "cp1252", "x-cp1252", NULL};
    for (size_t i = 0; cp1252[i]; i++)
        if (strcasecmp(label, cp1252[i]) == 0) {
            snprintf(label, size, "WINDOWS-1252");
            return;
        }
    if (strcasecmp(label, "utf8") == 0 || strcasecmp(label, "unicode-1-1-utf-8") == 0 ||
        strcasecmp(label, "utf-8") == 0)
        snprintf(label, size, "UTF-8");
    else if (strcasecmp(label, "gb2312") == 0 || strcasecmp(label, "x-gbk") == 0)
        snprintf(label, size, "GBK");
    else if (strcasecmp(label, "x-sjis") == 0 || strcasecmp(label, "sjis") == 0)
        snprintf(label, size, "SHIFT_JIS");
    else if (strcasecmp(label, "iso-8859-9") == 0 || strcasecmp(label, "latin5") == 0)
        snprintf(label, size, "WINDOWS-1254");
    else if (strcasecmp(label, "tis-620") == 0 || strcasecmp(label, "iso-8859-11") == 0)
        snprintf(label, size, "WINDOWS-874");
}

/* Looks through the <meta> tags of the first bytes for a declared charset. */
static int meta_charset(const unsigned char *data, size_t len, char *label, size_t size)
{
    const char *s = (const char *)data;
    size_t n = len < META_SCAN_BYTES ? len : META_SCAN_BYTES;
    const char *end = s + n;
    const char *p = s;
    while (p < end) {
        const char *m = find_ci(p, (size_t)(end - p), "<meta");
        if (!m)
            return 0;
        const char *close = memchr(m, '>', (size_t)(end - m));
        const char *tag_end = close ? close : end;
        const char *tag = m + 5;
        size_t tag_len = (size_t)(tag_end - tag);
        /* <meta charset=x> and <meta http-equiv=content-type content="...; charset=x">
         * both carry "charset" followed by '='. */
        if (charset_param(tag, tag_len, label, size))
            return 1;
        p = tag_end;
    }
    return 0;
}

static int has_non_ascii(const unsigned char *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (data[i] >= 0x80)
            return 1;
    return 0;
}

size_t html_detect_charset(const unsigned char *data, size_t len, const char *content_type,
                           char *label, size_t label_size)
{
    if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) {
        snprintf(label, label_size, "UTF-8");
        return 3;
    }
    if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF) {
        snprintf(label, label_size, "UTF-16BE");
        return 2;
    }
    if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE) {
        snprintf(label, label_size, "UTF-16LE");
        return 2;
    }
    int found = 0;
    if (content_type)
        found = charset_param(content_type, strlen(content_type), label, label_size);
    if (!found && meta_charset(data, len, label, label_size)) {
        found = 1;
        /* A saved page is often re-encoded to UTF-8 while its <meta> still
         * names the original charset; non-ASCII text that is valid UTF-8 is
         * practically never GBK or windows-1252 by accident. */
        canonical_label(label, label_size);
        if (strcasecmp(label, "UTF-8") != 0 && has_non_ascii(data, len) &&
            oct_utf8_is_valid((const char *)data, len)) {
            snprintf(label, label_size, "UTF-8");
            return 0;
        }
    }
    if (found) {
        canonical_label(label, label_size);
        /* A document that could declare itself in ASCII is not UTF-16. */
        if (strncasecmp(label, "utf-16", 6) == 0)
            snprintf(label, label_size, "UTF-8");
        return 0;
    }
    snprintf(label, label_size, "%s",
             oct_utf8_is_valid((const char *)data, len) ? "UTF-8" : "WINDOWS-1252");
    return 0;
}

oct_status html_to_utf8(oct_context *ctx, const unsigned char *data, size_t len,
                        const char *label, oct_buf *out)
{
    if (strcasecmp(label, "UTF-8") == 0)
        return oct_utf8_append_repaired(out, (const char *)data, len);

    iconv_t cd = iconv_open("UTF-8", label);
    if (cd == (iconv_t)-1) {
        oct_warn(ctx, "unknown character encoding '%s', reading as UTF-8", label);
        return oct_utf8_append_repaired(out, (const char *)data, len);
    }
    char chunk[16384];
    char *in = (char *)data;
    size_t in_left = len;
    while (in_left > 0 && out->status == OCT_OK) {
        char *o = chunk;
        size_t o_left = sizeof chunk;
        size_t r = iconv(cd, &in, &in_left, &o, &o_left);
        oct_buf_append(out, chunk, sizeof chunk - o_left);
        if (r == (size_t)-1) {
            if (errno == E2BIG)
                continue;
            /* EILSEQ or EINVAL (truncated at the end): one byte becomes U+FFFD. */
            oct_buf_puts(out, "\xEF\xBF\xBD");
            in++;
            in_left--;
            iconv(cd, NULL, NULL, NULL, NULL);
        }
    }
    char *o = chunk;
    size_t o_left = sizeof chunk;
    iconv(cd, NULL, NULL, &o, &o_left);
    oct_buf_append(out, chunk, sizeof chunk - o_left);
    iconv_close(cd);
    return out->status;
}
