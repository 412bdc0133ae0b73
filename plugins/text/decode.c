/*
 * decode.c — bytes to one clean UTF-8 buffer.
 *
 * Whatever the input, the rest of the reader sees valid UTF-8 with LF line
 * ends, no NUL or other C0 control bytes, tabs expanded to 8-column stops and
 * each form feed on a line of its own. Clean UTF-8 (the common case) is used
 * in place without a copy.
 */
#include "text_internal.h"
#include "byteblocks.h"
#include "uchardet_load.h"
#include "utf8_seq.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TAB_STOP 8
#define ICONV_CHUNK 65536
#define DETECT_BYTES ((size_t)1 << 20)

static const char replacement_utf8[] = "\xEF\xBF\xBD";

/* Whether clean UTF-8 can be used in place: valid, and no C0 control other
 * than LF, no DEL. A block at a time while the text is plain ASCII. */
static int usable_in_place(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (i + OCT_BLOCK <= len) {
            const unsigned odd = oct_block_not_plain(oct_block_load((const char *)s + i));
            if (odd) {
                i += oct_mask_first(odd); /* the plain bytes before it */
                break;
            }
            i += OCT_BLOCK;
        }
        if (i >= len)
            break;
        const unsigned char c = s[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\n') || c == 0x7F)
                return 0;
            i++;
            continue;
        }
        const size_t n = oct_utf8_seq_len(s + i, len - i);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

/* One pass over UTF-8 (possibly invalid): repairs, line ends, tabs, controls. */
static oct_status normalize_utf8(const unsigned char *s, size_t len, oct_buf *out)
{
    size_t col = 0;
    size_t i = 0;
    while (i < len && out->status == OCT_OK) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            size_t run = i;
            /* copy a run of plain printable ASCII at once */
            while (run < len && s[run] >= 0x20 && s[run] < 0x7F)
                run++;
            if (run > i) {
                oct_buf_append(out, s + i, run - i);
                col += run - i;
                i = run;
                continue;
            }
            if (c == '\n') {
                oct_buf_putc(out, '\n');
                col = 0;
            } else if (c == '\r') {
                oct_buf_putc(out, '\n');
                col = 0;
                if (i + 1 < len && s[i + 1] == '\n')
                    i++;
            } else if (c == '\t') {
                const size_t spaces = TAB_STOP - col % TAB_STOP;
                oct_buf_append(out, "        ", spaces);
                col += spaces;
            } else if (c == '\f') {
                oct_buf_append(out, "\n\f\n", 3);
                col = 0;
            }
            /* NUL, other controls and DEL are dropped */
            i++;
            continue;
        }
        uint32_t cp;
        const size_t n = oct_utf8_decode((const char *)s + i, len - i, &cp);
        if (cp == 0xFFFD && !(n == 3 && memcmp(s + i, replacement_utf8, 3) == 0))
            oct_buf_append(out, replacement_utf8, 3);
        else
            oct_buf_append(out, s + i, n);
        col += (size_t)oct_codepoint_width(cp);
        i += n;
    }
    return out->status;
}

static void put_cp(oct_buf *out, uint32_t cp)
{
    char enc[4];
    const size_t n = oct_utf8_encode(cp, enc);
    oct_buf_append(out, enc, n);
}

/* UTF-16 by hand: lone surrogates and an odd last byte become U+FFFD. */
static oct_status utf16_to_utf8(const unsigned char *s, size_t len, int big_endian, oct_buf *out)
{
    size_t i = 0;
    while (i + 1 < len && out->status == OCT_OK) {
        uint32_t u =
            big_endian ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
        i += 2;
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 1 < len) {
                const uint32_t lo = big_endian ? (uint32_t)(s[i] << 8 | s[i + 1])
                                               : (uint32_t)(s[i + 1] << 8 | s[i]);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                    i += 2;
                } else {
                    u = 0xFFFD;
                }
            } else {
                u = 0xFFFD;
            }
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            u = 0xFFFD;
        }
        put_cp(out, u);
    }
    if (i < len)
        put_cp(out, 0xFFFD);
    return out->status;
}

/* iconv that never gives up: an undecodable byte becomes U+FFFD. */
static oct_status convert_with_iconv(iconv_t cd, const unsigned char *s, size_t len, oct_buf *out)
{
    char chunk[ICONV_CHUNK];
    char *in = (char *)s;
    size_t in_left = len;
    while (in_left > 0 && out->status == OCT_OK) {
        char *o = chunk;
        size_t o_left = sizeof chunk;
        const size_t r = iconv(cd, &in, &in_left, &o, &o_left);
        oct_buf_append(out, chunk, sizeof chunk - o_left);
        if (r == (size_t)-1) {
            if (errno == E2BIG)
                continue;
            /* EILSEQ or EINVAL (truncated at the end): skip one byte */
            oct_buf_append(out, replacement_utf8, 3);
            in++;
            in_left--;
            iconv(cd, NULL, NULL, NULL, NULL);
        }
    }
    char *o = chunk;
    size_t o_left = sizeof chunk;
    iconv(cd, NULL, NULL, &o, &o_left);
    oct_buf_append(out, chunk, sizeof chunk - o_left);
    return out->status;
}

/* uchardet's guess for bytes that are not valid UTF-8; NULL when it has none
 * or guesses a Unicode form (then the caller's fallback applies). When
 * libuchardet cannot be loaded, NULL too, with *unloaded saying why. */
static char *guess_legacy_encoding(const unsigned char *s, size_t len, const char **unloaded)
{
    const text_uchardet_api *uc = text_uchardet(unloaded);
    if (!uc)
        return NULL;
    uchardet_t ud = uc->new_detector();
    if (!ud)
        return NULL;
    char *name = NULL;
    /* the first megabyte is plenty to guess from */
    if (uc->handle_data(ud, (const char *)s, len < DETECT_BYTES ? len : DETECT_BYTES) == 0) {
        uc->data_end(ud);
        const char *guess = uc->get_charset(ud);
        if (guess && *guess && strncasecmp(guess, "UTF-", 4) != 0 &&
            strcasecmp(guess, "ASCII") != 0)
            name = strdup(guess);
    }
    uc->delete_detector(ud);
    return name;
}

/* Mostly UTF-8 with a few bad bytes (a damaged file, a truncated copy) is
 * repaired as UTF-8 rather than misread as a legacy encoding. */
static int mostly_utf8(const unsigned char *s, size_t len)
{
    size_t valid_multi = 0, invalid = 0;
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        const size_t n = oct_utf8_decode((const char *)s + i, len - i, &cp);
        if (n == 1)
            invalid++;
        else
            valid_multi++;
        i += n;
    }
    return valid_multi > 0 && invalid * 2 <= valid_multi;
}

static oct_status finish_owned(oct_buf *utf8, text_decoded *out, oct_error *err)
{
    oct_buf clean;
    oct_buf_init(&clean, 0);
    const oct_status st = normalize_utf8((const unsigned char *)utf8->data, utf8->len, &clean);
    oct_buf_free(utf8);
    if (st != OCT_OK) {
        oct_buf_free(&clean);
        return oct_error_set(err, st, NULL, 0, "text too large to decode");
    }
    size_t n = 0;
    out->owned = oct_buf_detach(&clean, &n);
    out->data = out->owned ? out->owned : "";
    out->len = n;
    return OCT_OK;
}

static oct_status decode_named(oct_context *ctx, const unsigned char *s, size_t len,
                               const char *encoding, text_decoded *out, oct_error *err)
{
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t)-1)
        return oct_error_set(err, OCT_ERR_INVALID_ARG, NULL, 0, "unknown encoding '%s'", encoding);
    oct_buf utf8;
    oct_buf_init(&utf8, 0);
    const oct_status st = convert_with_iconv(cd, s, len, &utf8);
    iconv_close(cd);
    if (st != OCT_OK) {
        oct_buf_free(&utf8);
        return oct_error_set(err, st, NULL, 0, "cannot convert from %s", encoding);
    }
    oct_info(ctx, "encoding: %s (from -V encoding)", encoding);
    /* a BOM the conversion kept is not text */
    if (utf8.len >= 3 && memcmp(utf8.data, "\xEF\xBB\xBF", 3) == 0) {
        memmove(utf8.data, utf8.data + 3, utf8.len - 2);
        utf8.len -= 3;
    }
    return finish_owned(&utf8, out, err);
}

oct_status text_decode(oct_context *ctx, const unsigned char *s, size_t len, const char *encoding,
                       text_decoded *out, oct_error *err)
{
    memset(out, 0, sizeof *out);
    if (encoding && *encoding)
        return decode_named(ctx, s, len, encoding, out, err);

    oct_buf utf8;
    oct_buf_init(&utf8, 0);
    if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        const int big_endian = s[0] == 0xFE;
        oct_info(ctx, "encoding: UTF-16%s (byte order mark)", big_endian ? "BE" : "LE");
        if (utf16_to_utf8(s + 2, len - 2, big_endian, &utf8) != OCT_OK)
            goto fail;
        return finish_owned(&utf8, out, err);
    }
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        s += 3;
        len -= 3;
    }
    if (usable_in_place(s, len)) {
        oct_info(ctx, "encoding: UTF-8");
        out->data = (const char *)s;
        out->len = len;
        return OCT_OK;
    }
    if (oct_utf8_is_valid((const char *)s, len)) {
        oct_info(ctx, "encoding: UTF-8 (control characters and line ends normalised)");
        if (normalize_utf8(s, len, &utf8) != OCT_OK)
            goto fail;
        size_t n = 0;
        out->owned = oct_buf_detach(&utf8, &n);
        out->data = out->owned ? out->owned : "";
        out->len = n;
        return OCT_OK;
    }

    if (mostly_utf8(s, len)) {
        oct_warn(ctx, "text is not valid UTF-8; invalid bytes replaced with U+FFFD");
        if (normalize_utf8(s, len, &utf8) != OCT_OK)
            goto fail;
        size_t n = 0;
        out->owned = oct_buf_detach(&utf8, &n);
        out->data = out->owned ? out->owned : "";
        out->len = n;
        return OCT_OK;
    }
    const char *unloaded = NULL;
    char *guess = guess_legacy_encoding(s, len, &unloaded);
    const char *legacy = guess ? guess : "WINDOWS-1252";
    iconv_t cd = iconv_open("UTF-8", legacy);
    if (cd == (iconv_t)-1 && guess) {
        free(guess);
        guess = NULL;
        legacy = "WINDOWS-1252";
        cd = iconv_open("UTF-8", legacy);
    }
    if (cd == (iconv_t)-1) {
        /* no converter at all: repair as UTF-8 */
        free(guess);
        oct_warn(ctx, "text is not valid UTF-8; invalid bytes replaced with U+FFFD");
        oct_buf_append(&utf8, s, len);
        return finish_owned(&utf8, out, err);
    }
    if (unloaded) /* say why a file in another encoding came out wrong */
        oct_warn(ctx, "text is not valid UTF-8 and its encoding cannot be guessed: %s; read as %s "
                 "(use -V encoding=NAME to choose)", unloaded, legacy);
    else
        oct_warn(ctx, "text is not valid UTF-8; read as %s (use -V encoding=NAME to choose)",
                 legacy);
    const oct_status st = convert_with_iconv(cd, s, len, &utf8);
    iconv_close(cd);
    free(guess);
    if (st != OCT_OK)
        goto fail;
    return finish_owned(&utf8, out, err);

fail:;
    const oct_status failed = utf8.status != OCT_OK ? utf8.status : OCT_ERR_NOMEM;
    oct_buf_free(&utf8);
    return oct_error_set(err, failed, NULL, 0, "text too large to decode");
}

void text_decoded_free(text_decoded *d)
{
    free(d->owned);
    memset(d, 0, sizeof *d);
}
