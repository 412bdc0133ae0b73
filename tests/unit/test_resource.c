/* Resources: deduplication by content, media type and pixel size sniffed from
 * small hand-built headers, robustness on truncated headers, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <string.h>

#include "octavo/octavo.h"
#include "octest.h"

typedef struct sample {
    const char *name;
    const char *media_type;
    int width, height; /* 0: not asserted */
    unsigned char bytes[128];
    size_t len;
} sample;

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void append(sample *s, const void *data, size_t len)
{
    assert_true(s->len + len <= sizeof s->bytes);
    memcpy(s->bytes + s->len, data, len);
    s->len += len;
}

static void append_byte(sample *s, unsigned v)
{
    const unsigned char b = (unsigned char)v;
    append(s, &b, 1);
}

/* PNG signature + IHDR (300x200 RGBA). */
static void make_png(sample *s)
{
    *s = (sample){.name = "png", .media_type = "image/png", .width = 300, .height = 200};
    append(s, "\x89PNG\r\n\x1a\n", 8);
    unsigned char ihdr[25];
    put_be32(ihdr, 13);
    memcpy(ihdr + 4, "IHDR", 4);
    put_be32(ihdr + 8, 300);
    put_be32(ihdr + 12, 200);
    memcpy(ihdr + 16, "\x08\x06\x00\x00\x00", 5);
    put_be32(ihdr + 21, 0x12345678); /* CRC: not checked by a sniffer */
    append(s, ihdr, sizeof ihdr);
}

/* SOI, an APP0 segment to skip, then SOF (baseline or progressive). */
static void make_jpeg(sample *s, unsigned sof_marker)
{
    *s = (sample){.name = "jpeg", .media_type = "image/jpeg", .width = 640, .height = 480};
    append(s, "\xff\xd8", 2);
    append(s, "\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 18);
    append_byte(s, 0xff);
    append_byte(s, sof_marker);
    append(s, "\x00\x11\x08", 3);
    append(s, "\x01\xe0\x02\x80", 4); /* height 480, width 640 */
    append(s, "\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 10);
    append(s, "\xff\xd9", 2);
}

static void make_gif(sample *s)
{
    *s = (sample){.name = "gif", .media_type = "image/gif", .width = 33, .height = 17};
    append(s, "GIF87a\x21\x00\x11\x00\x00\x00\x00", 13);
    append(s, "\x2c\x00\x00\x00\x00\x21\x00\x11\x00\x00\x02\x02\x44\x01\x00\x3b", 16);
}

static void riff_webp(sample *s, const char *chunk, const unsigned char *payload, size_t n)
{
    unsigned char hdr[20];
    memcpy(hdr, "RIFF", 4);
    put_le32(hdr + 4, (uint32_t)(4 + 8 + n));
    memcpy(hdr + 8, "WEBP", 4);
    memcpy(hdr + 12, chunk, 4);
    put_le32(hdr + 16, (uint32_t)n);
    append(s, hdr, sizeof hdr);
    append(s, payload, n);
}

/* Extended WebP: canvas 1000x750 stored as 24-bit (size - 1). */
static void make_webp_vp8x(sample *s)
{
    *s = (sample){.name = "webp-vp8x", .media_type = "image/webp", .width = 1000, .height = 750};
    const unsigned char p[10] = {0, 0, 0, 0, 0xe7, 0x03, 0x00, 0xed, 0x02, 0x00};
    riff_webp(s, "VP8X", p, sizeof p);
}

/* Lossless WebP: 0x2f, then 14 bits width - 1 and 14 bits height - 1. */
static void make_webp_vp8l(sample *s)
{
    *s = (sample){.name = "webp-vp8l", .media_type = "image/webp", .width = 100, .height = 50};
    const uint32_t bits = (uint32_t)(100 - 1) | ((uint32_t)(50 - 1) << 14);
    /* Header plus a few bytes of bitstream, as in any real file. */
    unsigned char p[12] = {0x2f, 0, 0, 0, 0, 0};
    put_le32(p + 1, bits);
    riff_webp(s, "VP8L", p, sizeof p);
}

/* Lossy WebP: frame tag, start code 9d 01 2a, 16-bit width and height. */
static void make_webp_vp8(sample *s)
{
    *s = (sample){.name = "webp-vp8", .media_type = "image/webp", .width = 320, .height = 240};
    const unsigned char p[10] = {0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00};
    riff_webp(s, "VP8 ", p, sizeof p);
}

static void make_svg(sample *s)
{
    *s = (sample){.name = "svg", .media_type = "image/svg+xml"};
    const char *svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
                      "width=\"120\" height=\"80\"></svg>\n";
    append(s, svg, strlen(svg));
}

typedef void (*maker)(sample *);

static void make_jpeg_baseline(sample *s) { make_jpeg(s, 0xc0); }
static void make_jpeg_progressive(sample *s) { make_jpeg(s, 0xc2); }

static const maker makers[] = {make_png,       make_jpeg_baseline, make_jpeg_progressive,
                               make_gif,       make_webp_vp8x,     make_webp_vp8l,
                               make_webp_vp8,  make_svg};
#define N_MAKERS (sizeof makers / sizeof makers[0])

static void test_sniff_media_type_and_size(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_MAKERS; i++) {
        sample s;
        makers[i](&s);
        const char *mt = oct_sniff_media_type(s.bytes, s.len);
        if (mt == NULL || strcmp(mt, s.media_type) != 0) {
            fail_msg("%s: sniffed %s, want %s", s.name, mt ? mt : "NULL", s.media_type);
        }
        if (s.width > 0) {
            int w = -1, h = -1;
            oct_image_size(s.bytes, s.len, s.media_type, &w, &h);
            if (w != s.width || h != s.height) {
                fail_msg("%s: size %dx%d, want %dx%d", s.name, w, h, s.width, s.height);
            }
        }
    }
}

/* Every prefix of every header, in an exactly-sized heap block so ASan sees
 * any read past the end; a truncated header never yields a made-up size. */
static void test_truncated_headers_are_safe(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_MAKERS; i++) {
        sample s;
        makers[i](&s);
        for (size_t len = 0; len < s.len; len++) {
            unsigned char *copy = malloc(len ? len : 1);
            assert_non_null(copy);
            memcpy(copy, s.bytes, len);
            (void)oct_sniff_media_type(copy, len);
            int w = 0, h = 0;
            (void)oct_image_size(copy, len, s.media_type, &w, &h);
            assert_true(w == 0 || w == s.width || s.width == 0);
            assert_true(h == 0 || h == s.height || s.height == 0);
            free(copy);
        }
    }
}

static void test_unknown_bytes(void **state)
{
    (void)state;
    const char junk[] = "this is plain text, not an image at all";
    assert_null(oct_sniff_media_type(junk, sizeof junk - 1));
    assert_null(oct_sniff_media_type("", 0));

    oct_doc *doc = oct_doc_new();
    assert_non_null(doc);
    oct_error err;
    oct_error_clear(&err);
    assert_null(oct_doc_add_resource(doc, junk, sizeof junk - 1, NULL, "junk.bin", &err));
    assert_int_not_equal(err.status, OCT_OK);
    assert_true(strlen(err.message) > 0);
    assert_int_equal(oct_doc_resource_count(doc), 0);
    oct_doc_free(doc);
}

static int is_hex_id(const char *id)
{
    if (id == NULL || strncmp(id, "img-", 4) != 0 || strlen(id) != 4 + 16) return 0;
    for (const char *p = id + 4; *p; p++) {
        if (!isxdigit((unsigned char)*p) || isupper((unsigned char)*p)) return 0;
    }
    return 1;
}

static void test_add_resource_fields_and_dedup(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    assert_non_null(doc);
    sample png;
    make_png(&png);
    oct_error err;
    oct_error_clear(&err);
    oct_resource *r = oct_doc_add_resource(doc, png.bytes, png.len, NULL, "a.png", &err);
    assert_non_null(r);
    assert_string_equal(oct_resource_media_type(r), "image/png");
    assert_string_equal(oct_resource_extension(r), "png");
    assert_string_equal(oct_resource_source_url(r), "a.png");
    assert_int_equal(oct_resource_width(r), 300);
    assert_int_equal(oct_resource_height(r), 200);
    assert_true(is_hex_id(oct_resource_id(r)));
    assert_null(oct_resource_href(r));

    /* The document holds its own copy. */
    size_t len = 0;
    const unsigned char *data = oct_resource_data(r, &len);
    assert_int_equal(len, png.len);
    assert_ptr_not_equal(data, png.bytes);
    const unsigned char first = png.bytes[20];
    png.bytes[20] ^= 0xff;
    assert_int_equal(data[20], first);
    png.bytes[20] = first;

    /* Same bytes, another URL: the same resource, still one. */
    oct_resource *again = oct_doc_add_resource(doc, png.bytes, png.len, NULL, "b.png", &err);
    assert_ptr_equal(again, r);
    assert_int_equal(oct_doc_resource_count(doc), 1);

    /* One byte different: a new resource with another id. */
    png.bytes[png.len - 1] ^= 1;
    oct_resource *other = oct_doc_add_resource(doc, png.bytes, png.len, NULL, NULL, &err);
    assert_non_null(other);
    assert_ptr_not_equal(other, r);
    assert_int_equal(oct_doc_resource_count(doc), 2);
    assert_string_not_equal(oct_resource_id(other), oct_resource_id(r));
    assert_ptr_equal(oct_doc_resource_at(doc, 0), r);
    assert_ptr_equal(oct_doc_resource_at(doc, 1), other);
    assert_null(oct_doc_resource_at(doc, 2));

    /* The id depends on the content only: stable across documents. */
    png.bytes[png.len - 1] ^= 1;
    oct_doc *doc2 = oct_doc_new();
    assert_non_null(doc2);
    oct_resource *r2 = oct_doc_add_resource(doc2, png.bytes, png.len, NULL, NULL, &err);
    assert_non_null(r2);
    assert_string_equal(oct_resource_id(r2), oct_resource_id(r));

    /* An image node takes a resource of its own document only. */
    oct_node *img = oct_node_new(doc, OCT_NODE_IMAGE);
    assert_non_null(img);
    assert_int_equal(oct_node_set_image_resource(img, r), OCT_OK);
    assert_ptr_equal(oct_node_image_resource(img), r);
    assert_int_not_equal(oct_node_set_image_resource(img, r2), OCT_OK);
    assert_ptr_equal(oct_node_image_resource(img), r);

    assert_int_equal(oct_resource_set_href(r, "media/img.png"), OCT_OK);
    assert_string_equal(oct_resource_href(r), "media/img.png");
    oct_doc_free(doc2);
    oct_doc_free(doc);
}

static void test_explicit_media_type(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    assert_non_null(doc);
    sample jpg;
    make_jpeg_baseline(&jpg);
    oct_resource *r = oct_doc_add_resource(doc, jpg.bytes, jpg.len, "image/jpeg", NULL, NULL);
    assert_non_null(r);
    assert_string_equal(oct_resource_media_type(r), "image/jpeg");
    const char *ext = oct_resource_extension(r);
    assert_non_null(ext);
    assert_true(strcmp(ext, "jpg") == 0 || strcmp(ext, "jpeg") == 0);
    assert_int_equal(oct_resource_width(r), 640);
    assert_int_equal(oct_resource_height(r), 480);
    oct_doc_free(doc);
}

static void test_resource_limits(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    assert_non_null(doc);
    oct_limits lim;
    oct_limits_default(&lim);
    lim.max_resources = 2;
    lim.max_resource_bytes = 64;
    oct_doc_set_limits(doc, &lim);

    sample png, gif, svg;
    make_png(&png);
    make_gif(&gif);
    make_svg(&svg);
    assert_true(svg.len > 64 && png.len <= 64 && gif.len <= 64);
    oct_error err;
    oct_error_clear(&err);
    assert_null(oct_doc_add_resource(doc, svg.bytes, svg.len, NULL, NULL, &err));
    assert_int_equal(err.status, OCT_ERR_LIMIT);
    assert_int_equal(oct_doc_resource_count(doc), 0);

    oct_error_clear(&err);
    assert_non_null(oct_doc_add_resource(doc, png.bytes, png.len, NULL, NULL, &err));
    assert_non_null(oct_doc_add_resource(doc, gif.bytes, gif.len, NULL, NULL, &err));
    png.bytes[png.len - 1] ^= 1;
    assert_null(oct_doc_add_resource(doc, png.bytes, png.len, NULL, NULL, &err));
    assert_int_equal(err.status, OCT_ERR_LIMIT);
    assert_int_equal(oct_doc_resource_count(doc), 2);
    oct_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff_media_type_and_size),
        cmocka_unit_test(test_truncated_headers_are_safe),
        cmocka_unit_test(test_unknown_bytes),
        cmocka_unit_test(test_add_resource_fields_and_dedup),
        cmocka_unit_test(test_explicit_media_type),
        cmocka_unit_test(test_resource_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
