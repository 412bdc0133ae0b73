/* resource.c — binary resources (images) owned by a document: deduplicated by
 * content, media type sniffed from the bytes, pixel size read from headers. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void oct_resources_free_all(oct_doc *doc)
{
    free(doc->resources);
    doc->resources = NULL;
    doc->res_len = doc->res_cap = 0;
}

static int starts_with(const unsigned char *d, size_t len, const char *magic, size_t n)
{
    return len >= n && memcmp(d, magic, n) == 0;
}

/* Skips an XML prolog (BOM, declaration, comments, doctype, whitespace) and
 * reports whether the first element is <svg. Looks at the first 4 KiB only. */
static int looks_like_svg(const unsigned char *d, size_t len)
{
    size_t n = len < 4096 ? len : 4096, i = 0;
    if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) i = 3;
    while (i < n) {
        unsigned char c = d[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { i++; continue; }
        if (c != '<') return 0;
        if (i + 4 <= n && memcmp(d + i, "<svg", 4) == 0) return 1;
        if (i + 1 < n && (d[i + 1] == '?' || d[i + 1] == '!')) {
            const char *close = (i + 3 < n && memcmp(d + i, "<!--", 4) == 0) ? "-->" : ">";
            size_t cl = strlen(close), j = i + 2;
            while (j + cl <= n && memcmp(d + j, close, cl) != 0) j++;
            if (j + cl > n) return 0;
            i = j + cl;
            continue;
        }
        return 0;
    }
    return 0;
}

const char *oct_sniff_media_type(const void *data, size_t len)
{
    const unsigned char *d = data;
    if (!d) return NULL;
    if (starts_with(d, len, "\x89PNG\r\n\x1a\n", 8)) return "image/png";
    if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return "image/jpeg";
    if (starts_with(d, len, "GIF87a", 6) || starts_with(d, len, "GIF89a", 6)) return "image/gif";
    if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0) return "image/webp";
    if (looks_like_svg(d, len)) return "image/svg+xml";
    return NULL;
}

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static unsigned le16(const unsigned char *p) { return (unsigned)p[1] << 8 | p[0]; }
static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}
static unsigned long le24(const unsigned char *p)
{
    return (unsigned long)p[2] << 16 | (unsigned long)p[1] << 8 | p[0];
}

static int jpeg_size(const unsigned char *d, size_t len, int *w, int *h)
{
    size_t i = 2;
    /* Segments are walked by their lengths: at most len/2 steps. */
    while (i + 9 < len) {
        if (d[i] != 0xFF) return 0;
        unsigned char m = d[i + 1];
        if (m == 0xFF) { i++; continue; }
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { i += 2; continue; }
        unsigned seg = be16(d + i + 2);
        if (seg < 2) return 0;
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            *h = (int)be16(d + i + 5);
            *w = (int)be16(d + i + 7);
            return *w > 0 && *h > 0;
        }
        i += 2 + seg;
    }
    return 0;
}

static int webp_size(const unsigned char *d, size_t len, int *w, int *h)
{
    if (len < 30) return 0;
    if (memcmp(d + 12, "VP8 ", 4) == 0) {
        *w = (int)(le16(d + 26) & 0x3FFF);
        *h = (int)(le16(d + 28) & 0x3FFF);
    } else if (memcmp(d + 12, "VP8L", 4) == 0) {
        unsigned long b = (unsigned long)d[21] | (unsigned long)d[22] << 8 |
                          (unsigned long)d[23] << 16 | (unsigned long)d[24] << 24;
        *w = (int)(b & 0x3FFF) + 1;
        *h = (int)((b >> 14) & 0x3FFF) + 1;
    } else if (memcmp(d + 12, "VP8X", 4) == 0) {
        *w = (int)le24(d + 24) + 1;
        *h = (int)le24(d + 27) + 1;
    } else {
        return 0;
    }
    return *w > 0 && *h > 0;
}

/* Reads width="N" / height="N" (plain numbers or px) from the <svg> start tag,
 * falling back to the viewBox's size. */
static int svg_size(const unsigned char *d, size_t len, int *w, int *h)
{
    size_t n = len < 8192 ? len : 8192;
    const unsigned char *p = NULL;
    for (size_t i = 0; i + 4 <= n; i++)
        if (memcmp(d + i, "<svg", 4) == 0) { p = d + i; break; }
    if (!p) return 0;
    const unsigned char *end = p;
    while (end < d + n && *end != '>') end++;
    char tag[2048];
    size_t tl = (size_t)(end - p) < sizeof tag - 1 ? (size_t)(end - p) : sizeof tag - 1;
    memcpy(tag, p, tl);
    tag[tl] = '\0';
    double fw = 0, fh = 0;
    const char *a;
    if ((a = strstr(tag, " width=\"")) && sscanf(a + 8, "%lf", &fw) != 1) fw = 0;
    if ((a = strstr(tag, " height=\"")) && sscanf(a + 9, "%lf", &fh) != 1) fh = 0;
    if ((fw <= 0 || fh <= 0) && (a = strstr(tag, "viewBox=\""))) {
        double x, y;
        if (sscanf(a + 9, "%lf %lf %lf %lf", &x, &y, &fw, &fh) != 4) fw = fh = 0;
    }
    if (fw <= 0 || fh <= 0 || fw > 100000 || fh > 100000) return 0;
    *w = (int)(fw + 0.5);
    *h = (int)(fh + 0.5);
    return 1;
}

int oct_image_size(const void *data, size_t len, const char *media_type, int *width, int *height)
{
    const unsigned char *d = data;
    int w = 0, h = 0, ok = 0;
    if (!d || !media_type) return 0;
    if (strcmp(media_type, "image/png") == 0 && len >= 24 && memcmp(d + 12, "IHDR", 4) == 0) {
        unsigned long lw = be32(d + 16), lh = be32(d + 20);
        if (lw > 0 && lh > 0 && lw < 1000000 && lh < 1000000) { w = (int)lw; h = (int)lh; ok = 1; }
    } else if (strcmp(media_type, "image/gif") == 0 && len >= 10) {
        w = (int)le16(d + 6);
        h = (int)le16(d + 8);
        ok = w > 0 && h > 0;
    } else if (strcmp(media_type, "image/jpeg") == 0) {
        ok = jpeg_size(d, len, &w, &h);
    } else if (strcmp(media_type, "image/webp") == 0) {
        ok = webp_size(d, len, &w, &h);
    } else if (strcmp(media_type, "image/svg+xml") == 0) {
        ok = svg_size(d, len, &w, &h);
    }
    if (!ok) w = h = 0;
    if (width) *width = w;
    if (height) *height = h;
    return ok;
}

static const char *extension_for(const char *media_type)
{
    static const struct { const char *type, *ext; } map[] = {
        {"image/png", "png"}, {"image/jpeg", "jpg"}, {"image/gif", "gif"},
        {"image/webp", "webp"}, {"image/svg+xml", "svg"}, {"image/avif", "avif"},
        {"image/bmp", "bmp"}, {"image/tiff", "tiff"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i].type, media_type) == 0) return map[i].ext;
    return "bin";
}

static int valid_media_type(const char *t)
{
    /* type "/" subtype, token characters only: it ends up in manifests. */
    const char *slash = strchr(t, '/');
    if (!slash || slash == t || !slash[1] || strlen(t) > 127) return 0;
    for (const char *p = t; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("/+-.", *p)))
            return 0;
    return 1;
}

oct_resource *oct_doc_add_resource(oct_doc *doc, const void *data, size_t len,
                                   const char *media_type, const char *source_url, oct_error *err)
{
    if (!doc || !data || len == 0) {
        oct_error_set(err, OCT_ERR_INVALID_ARG, source_url, 0, "empty resource");
        return NULL;
    }
    const oct_limits *lim = &doc->limits;
    if (len > lim->max_resource_bytes) {
        oct_error_set(err, OCT_ERR_LIMIT, source_url, 0,
                      "image of %zu bytes is over the limit of %llu bytes", len,
                      (unsigned long long)lim->max_resource_bytes);
        return NULL;
    }
    uint8_t digest[32];
    oct_sha256(data, len, digest);
    for (size_t i = 0; i < doc->res_len; i++) {
        oct_resource *r = doc->resources[i];
        if (r->len == len && memcmp(r->digest, digest, sizeof digest) == 0) return r;
    }
    if (doc->res_len >= lim->max_resources) {
        oct_error_set(err, OCT_ERR_LIMIT, source_url, 0, "more than %u images in one document",
                      (unsigned)lim->max_resources);
        return NULL;
    }
    if (doc->res_bytes + len > lim->max_total_resource_bytes) {
        oct_error_set(err, OCT_ERR_LIMIT, source_url, 0, "images exceed %llu bytes in total",
                      (unsigned long long)lim->max_total_resource_bytes);
        return NULL;
    }
    const char *sniffed = oct_sniff_media_type(data, len);
    if (sniffed) media_type = sniffed;
    if (!media_type || !valid_media_type(media_type)) {
        oct_error_set(err, OCT_ERR_UNSUPPORTED, source_url, 0, "not a recognised image format");
        return NULL;
    }
    if (source_url && !oct_utf8_is_valid(source_url, strlen(source_url))) source_url = NULL;
    if (doc->res_len == doc->res_cap) {
        size_t cap = doc->res_cap ? doc->res_cap * 2 : 8;
        oct_resource **p = realloc(doc->resources, cap * sizeof *p);
        if (!p) { oct_error_set(err, OCT_ERR_NOMEM, source_url, 0, NULL); return NULL; }
        doc->resources = p;
        doc->res_cap = cap;
    }
    oct_resource *r = oct_arena_alloc(&doc->arena, sizeof *r);
    unsigned char *copy = r ? oct_arena_alloc(&doc->arena, len) : NULL;
    const char *mt = copy ? oct_doc_intern(doc, media_type) : NULL;
    if (!mt) { oct_error_set(err, OCT_ERR_NOMEM, source_url, 0, NULL); return NULL; }
    memcpy(copy, data, len);
    r->data = copy;
    r->len = len;
    r->media_type = mt;
    r->source_url = oct_doc_intern(doc, source_url);
    r->doc = doc;
    memcpy(r->digest, digest, sizeof digest);
    snprintf(r->id, sizeof r->id, "img-%02x%02x%02x%02x%02x%02x%02x%02x", digest[0], digest[1],
             digest[2], digest[3], digest[4], digest[5], digest[6], digest[7]);
    oct_image_size(data, len, mt, &r->width, &r->height);
    doc->resources[doc->res_len++] = r;
    doc->res_bytes += len;
    return r;
}

size_t oct_doc_resource_count(const oct_doc *doc) { return doc ? doc->res_len : 0; }
oct_resource *oct_doc_resource_at(const oct_doc *doc, size_t i)
{
    return doc && i < doc->res_len ? doc->resources[i] : NULL;
}
const unsigned char *oct_resource_data(const oct_resource *r, size_t *len)
{
    if (len) *len = r ? r->len : 0;
    return r ? r->data : NULL;
}
const char *oct_resource_media_type(const oct_resource *r) { return r ? r->media_type : NULL; }
const char *oct_resource_source_url(const oct_resource *r) { return r ? r->source_url : NULL; }
const char *oct_resource_id(const oct_resource *r) { return r ? r->id : NULL; }
const char *oct_resource_extension(const oct_resource *r) { return r ? extension_for(r->media_type) : NULL; }
int oct_resource_width(const oct_resource *r) { return r ? r->width : 0; }
int oct_resource_height(const oct_resource *r) { return r ? r->height : 0; }
const char *oct_resource_href(const oct_resource *r) { return r ? r->href : NULL; }
oct_status oct_resource_set_href(oct_resource *r, const char *href)
{
    if (!r) return OCT_ERR_INVALID_ARG;
    if (href && !oct_utf8_is_valid(href, strlen(href))) return OCT_ERR_INVALID_UTF8;
    r->href = href ? oct_doc_intern(r->doc, href) : NULL;
    return href && !r->href ? OCT_ERR_NOMEM : OCT_OK;
}
