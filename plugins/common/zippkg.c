/*
 * zippkg.c — reproducible zip packages built in memory with libzip.
 *
 * libzip writes the archive into a buffer source we keep a reference to, so
 * after zip_close() the finished bytes can be read back and copied to the
 * writer's sink. Reproducibility comes from three choices: entries keep their
 * add order, every entry gets the same DOS timestamp (set directly as a DOS
 * date, so the time zone never matters) and the same external attributes,
 * and nothing else (no extra fields, no comment) is ever added.
 */
#include "zippkg.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define ZIPPKG_WHERE "zip package"
/* 1980-01-01 00:00:00 in MS-DOS format: date = (year-1980)<<9 | month<<5 | day. */
#define DOS_EPOCH_DATE ((zip_uint16_t)((0u << 9) | (1u << 5) | 1u))
#define DOS_EPOCH_TIME ((zip_uint16_t)0)
/* Regular file, rw-r--r--, as Unix zip tools write it. */
#define ENTRY_ATTRIBUTES ((zip_uint32_t)0100644u << 16)
#define MAX_NAME_LEN 4096

struct oct_zip {
    zip_source_t *src; /* the archive's bytes; we hold one reference */
    zip_t *za;         /* NULL once finished */
    int finished;
};

oct_zip *oct_zip_new(oct_error *err)
{
    oct_zip *z = calloc(1, sizeof *z);
    zip_error_t zerr;

    if (!z)
        goto nomem;
    zip_error_init(&zerr);
    z->src = zip_source_buffer_create(NULL, 0, 0, &zerr);
    if (!z->src) {
        zip_error_fini(&zerr);
        goto nomem;
    }
    /* zip_open_from_source takes over one reference; keep ours for reading
     * the archive back after zip_close. */
    zip_source_keep(z->src);
    z->za = zip_open_from_source(z->src, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!z->za) {
        oct_error_set(err, OCT_ERR_CONVERSION, ZIPPKG_WHERE, 0, "cannot create archive: %s",
                      zip_error_strerror(&zerr));
        zip_error_fini(&zerr);
        zip_source_free(z->src); /* the reference libzip did not take */
        zip_source_free(z->src);
        free(z);
        return NULL;
    }
    zip_error_fini(&zerr);
    return z;

nomem:
    free(z);
    oct_error_set(err, OCT_ERR_NOMEM, ZIPPKG_WHERE, 0, "cannot create archive: out of memory");
    return NULL;
}

/* A package path: relative, '/'-separated, no empty, "." or ".." segment, no
 * backslash or control character (some unzip tools treat those as paths or
 * escape them differently). */
static int name_is_valid(const char *name)
{
    size_t len = strlen(name);
    const char *seg = name;

    if (len == 0 || len > MAX_NAME_LEN || name[0] == '/')
        return 0;
    for (const char *p = name;; p++) {
        if (*p == '/' || *p == '\0') {
            size_t seglen = (size_t)(p - seg);
            if (seglen == 0 || (seglen == 1 && seg[0] == '.') ||
                (seglen == 2 && seg[0] == '.' && seg[1] == '.'))
                return 0;
            if (*p == '\0')
                break;
            seg = p + 1;
            continue;
        }
        if (*p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7f)
            return 0;
    }
    return oct_utf8_is_valid(name, len);
}

oct_status oct_zip_add_owned(oct_zip *z, const char *name, void *data, size_t len,
                             oct_zip_method method, oct_error *err)
{
    zip_source_t *entry = NULL;
    zip_int64_t idx;

    if (!z || !name || (!data && len > 0)) {
        free(data);
        return oct_error_set(err, OCT_ERR_INVALID_ARG, ZIPPKG_WHERE, 0, "bad arguments");
    }
    if (z->finished) {
        free(data);
        return oct_error_set(err, OCT_ERR_INVALID_ARG, ZIPPKG_WHERE, 0,
                             "cannot add %s: archive already finished", name);
    }
    if (!name_is_valid(name)) {
        free(data);
        return oct_error_set(err, OCT_ERR_INVALID_ARG, ZIPPKG_WHERE, 0,
                             "refusing entry name \"%.200s\"", name);
    }
    if (zip_name_locate(z->za, name, 0) >= 0) {
        free(data);
        return oct_error_set(err, OCT_ERR_INVALID_ARG, ZIPPKG_WHERE, 0,
                             "duplicate entry name \"%.200s\"", name);
    }
    /* freep=1: libzip frees data with free() when it is done with it; an
     * empty buffer it never takes, so that one is ours to free. */
    if (len == 0) {
        free(data);
        data = NULL;
    }
    entry = zip_source_buffer(z->za, data, len, data != NULL);
    if (!entry) {
        free(data);
        return oct_error_set(err, OCT_ERR_NOMEM, ZIPPKG_WHERE, 0, "cannot add %s: %s", name,
                             zip_strerror(z->za));
    }
    idx = zip_file_add(z->za, name, entry, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(entry); /* also frees data */
        return oct_error_set(err, OCT_ERR_CONVERSION, ZIPPKG_WHERE, 0, "cannot add %s: %s",
                             name, zip_strerror(z->za));
    }
    /* Level 6, zlib's own default: about a third of level 9's time for
     * packages a percent or so larger. */
    if (zip_set_file_compression(z->za, (zip_uint64_t)idx,
                                 method == OCT_ZIP_STORE ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                 method == OCT_ZIP_STORE ? 0 : 6) < 0 ||
        zip_file_set_dostime(z->za, (zip_uint64_t)idx, DOS_EPOCH_TIME, DOS_EPOCH_DATE, 0) < 0 ||
        zip_file_set_external_attributes(z->za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                                         ENTRY_ATTRIBUTES) < 0)
        return oct_error_set(err, OCT_ERR_CONVERSION, ZIPPKG_WHERE, 0, "cannot set up %s: %s",
                             name, zip_strerror(z->za));
    return OCT_OK;
}

oct_status oct_zip_add(oct_zip *z, const char *name, const void *data, size_t len,
                       oct_zip_method method, oct_error *err)
{
    void *copy = malloc(len ? len : 1);

    if (!copy)
        return oct_error_set(err, OCT_ERR_NOMEM, ZIPPKG_WHERE, 0, "cannot add %s: out of memory",
                             name ? name : "(null)");
    if (len)
        memcpy(copy, data, len);
    return oct_zip_add_owned(z, name, copy, len, method, err);
}

/* Copies the finished archive from the buffer source to sink. */
static oct_status copy_archive(zip_source_t *src, oct_sink *sink, oct_error *err)
{
    unsigned char chunk[64 * 1024];
    zip_int64_t n;
    oct_status st = OCT_OK;

    if (zip_source_open(src) < 0)
        return oct_error_set(err, OCT_ERR_CONVERSION, ZIPPKG_WHERE, 0,
                             "cannot read archive back: %s",
                             zip_error_strerror(zip_source_error(src)));
    while ((n = zip_source_read(src, chunk, sizeof chunk)) > 0) {
        st = oct_sink_write(sink, chunk, (size_t)n);
        if (st != OCT_OK) {
            oct_error_set(err, st, ZIPPKG_WHERE, 0, "cannot write archive");
            break;
        }
    }
    if (n < 0 && st == OCT_OK)
        st = oct_error_set(err, OCT_ERR_CONVERSION, ZIPPKG_WHERE, 0,
                           "cannot read archive back: %s",
                           zip_error_strerror(zip_source_error(src)));
    zip_source_close(src);
    return st;
}

oct_status oct_zip_finish(oct_zip *z, oct_sink *sink, oct_error *err)
{
    if (!z || !sink)
        return oct_error_set(err, OCT_ERR_INVALID_ARG, ZIPPKG_WHERE, 0, "bad arguments");
    if (z->finished)
        return oct_error_set(err, OCT_ERR_INVALID_ARG, ZIPPKG_WHERE, 0,
                             "archive already finished");
    z->finished = 1;
    if (zip_close(z->za) < 0) {
        oct_status st = oct_error_set(err, OCT_ERR_CONVERSION, ZIPPKG_WHERE, 0,
                                      "cannot finish archive: %s", zip_strerror(z->za));
        zip_discard(z->za);
        z->za = NULL;
        return st;
    }
    z->za = NULL;
    return copy_archive(z->src, sink, err);
}

void oct_zip_free(oct_zip *z)
{
    if (!z)
        return;
    if (z->za)
        zip_discard(z->za);
    zip_source_free(z->src);
    free(z);
}
