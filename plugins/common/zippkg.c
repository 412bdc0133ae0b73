/*
 * zippkg.c — reproducible zip packages built in memory with libzip.
 *
 * libzip writes the archive into a buffer source we keep a reference to, so
 * after zip_close() the finished bytes can be read back and copied to the
 * writer's sink. Reproducibility comes from three choices: entries keep their
 * add order, every entry gets the same DOS timestamp (set directly as a DOS
 * date, so the time zone never matters) and the same external attributes,
 * and nothing else (no extra fields, no comment) is ever added.
 *
 * Entries to be deflated are compressed when they are added, with libdeflate,
 * and handed to libzip already compressed (a source whose stat says "deflate,
 * this CRC, these sizes", which libzip copies as it copies an entry between
 * archives). Two reasons: libdeflate compresses markup about twice as fast as
 * zlib at the same level and ratio, and the uncompressed part is freed at once
 * instead of living until zip_close(), so a big book holds its compressed
 * chapters, not its XHTML.
 *
 * Most entries of a small package are the same in every package: the EPUB's
 * stylesheet and container, the DOCX's styles, settings, fonts and
 * relationships. A batch of a thousand pages deflated each of them a
 * thousand times, and libdeflate spends 8 to 10 microseconds on any call,
 * at any level, however few the bytes: deflating was half of all the work
 * on a small page (callgrind, 100 html5lib pages to EPUB in one batch). So
 * small entries are remembered, by their exact bytes, with what they
 * deflated to, and an identical entry of a later package is given the same
 * deflated bytes; the memory is the process's (every package of a batch,
 * every thread), a few slots that the entries seen in most packages keep.
 */
#include "zippkg.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdint.h>
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
/* zlib's own default level: about a third of level 9's time for packages a
 * percent or so larger. */
#define DEFLATE_LEVEL 6

struct oct_zip {
    zip_source_t *src; /* the archive's bytes; we hold one reference */
    zip_t *za;         /* NULL once finished */
    struct libdeflate_compressor *deflater; /* made on the first deflated entry */
    int finished;
};

/* One entry's bytes, already deflated, served to libzip. */
typedef struct deflated_entry {
    unsigned char *data; /* raw DEFLATE stream */
    size_t comp_len, pos;
    size_t plain_len;
    uint32_t crc; /* of the uncompressed bytes */
    zip_error_t error;
} deflated_entry;

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

static zip_int64_t deflated_entry_cb(void *state, void *data, zip_uint64_t len,
                                     zip_source_cmd_t cmd)
{
    deflated_entry *e = state;

    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        e->pos = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        size_t n = e->comp_len - e->pos;
        if (n > len)
            n = (size_t)len;
        memcpy(data, e->data + e->pos, n);
        e->pos += n;
        return (zip_int64_t)n;
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &e->error);
        if (!st)
            return -1;
        zip_stat_init(st);
        st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_CRC | ZIP_STAT_COMP_METHOD |
                    ZIP_STAT_ENCRYPTION_METHOD;
        st->size = e->plain_len;
        st->comp_size = e->comp_len;
        st->crc = e->crc;
        st->comp_method = ZIP_CM_DEFLATE;
        st->encryption_method = ZIP_EM_NONE;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&e->error, data, len);
    case ZIP_SOURCE_FREE:
        zip_error_fini(&e->error);
        free(e->data);
        free(e);
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return ZIP_SOURCE_SUPPORTS_READABLE;
    default:
        zip_error_set(&e->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

/* ------------------------------------------------ deflated entries, remembered */

/* Entries up to this size are remembered; bigger ones are a document's own
 * text, which no other package repeats. */
#define REMEMBERED_MAX_BYTES ((size_t)32 << 10)
/* The slots: more than the constant entries of one package (eight in a
 * DOCX), so the one-off entries of each package take turns in the rest. */
#define REMEMBERED_SLOTS 24

typedef struct remembered {
    unsigned char *plain;    /* the entry's bytes, NULL for a free slot */
    unsigned char *deflated; /* what they deflated to */
    size_t plain_len, comp_len;
    uint32_t crc;
    uint64_t used; /* the last lookup that found it or put it here */
} remembered;

static pthread_mutex_t remembered_lock = PTHREAD_MUTEX_INITIALIZER;
static remembered slots[REMEMBERED_SLOTS];
static uint64_t lookups;
static unsigned long recalled;

/* A copy of what data deflated to before, into e; 0 when it was not seen. */
static int recall_deflated(deflated_entry *e, const void *data, size_t len, uint32_t crc)
{
    int found = 0;
    pthread_mutex_lock(&remembered_lock);
    lookups++;
    for (size_t i = 0; i < REMEMBERED_SLOTS && !found; i++) {
        remembered *r = &slots[i];
        if (!r->plain || r->plain_len != len || r->crc != crc || memcmp(r->plain, data, len))
            continue;
        if ((e->data = malloc(r->comp_len))) {
            memcpy(e->data, r->deflated, r->comp_len);
            e->comp_len = r->comp_len;
            r->used = lookups;
            recalled++;
            found = 1;
        }
        break;
    }
    pthread_mutex_unlock(&remembered_lock);
    return found;
}

/* Keeps data and e's deflated bytes in a free slot, or in place of the
 * entry unused for longest. Short of memory, nothing is kept. */
static void remember_deflated(const deflated_entry *e, const void *data, size_t len)
{
    unsigned char *plain = malloc(len), *deflated = malloc(e->comp_len);
    if (!plain || !deflated) {
        free(plain);
        free(deflated);
        return;
    }
    memcpy(plain, data, len);
    memcpy(deflated, e->data, e->comp_len);
    pthread_mutex_lock(&remembered_lock);
    remembered *r = &slots[0];
    for (size_t i = 0; i < REMEMBERED_SLOTS && r->plain; i++)
        if (!slots[i].plain || slots[i].used < r->used) r = &slots[i];
    free(r->plain);
    free(r->deflated);
    *r = (remembered){plain, deflated, len, e->comp_len, e->crc, ++lookups};
    pthread_mutex_unlock(&remembered_lock);
}

unsigned long oct_zip_recalled_count(void)
{
    pthread_mutex_lock(&remembered_lock);
    unsigned long n = recalled;
    pthread_mutex_unlock(&remembered_lock);
    return n;
}

void oct_zip_forget_remembered(void)
{
    pthread_mutex_lock(&remembered_lock);
    for (size_t i = 0; i < REMEMBERED_SLOTS; i++) {
        free(slots[i].plain);
        free(slots[i].deflated);
        slots[i] = (remembered){0};
    }
    pthread_mutex_unlock(&remembered_lock);
}

/* Deflates data into e->data and e->comp_len; 0 when out of memory. */
static int deflate_now(oct_zip *z, deflated_entry *e, const void *data, size_t len)
{
    if (!z->deflater && !(z->deflater = libdeflate_alloc_compressor(DEFLATE_LEVEL)))
        return 0;
    const size_t bound = libdeflate_deflate_compress_bound(z->deflater, len);
    if (!(e->data = malloc(bound)))
        return 0;
    e->comp_len = libdeflate_deflate_compress(z->deflater, data, len, e->data, bound);
    if (e->comp_len == 0) { /* cannot happen within the bound */
        free(e->data);
        e->data = NULL;
        return 0;
    }
    /* hand back what the bound over-reserved; a book has hundreds of parts */
    unsigned char *fit = realloc(e->data, e->comp_len);
    if (fit)
        e->data = fit;
    return 1;
}

/* A source over data deflated now (or before, for bytes seen already);
 * data itself is not kept. */
static zip_source_t *deflated_source(oct_zip *z, const void *data, size_t len)
{
    deflated_entry *e;
    zip_source_t *src;

    if (!(e = calloc(1, sizeof *e)))
        return NULL;
    e->plain_len = len;
    e->crc = (uint32_t)libdeflate_crc32(0, data, len);
    const int small = len <= REMEMBERED_MAX_BYTES;
    if (!(small && recall_deflated(e, data, len, e->crc))) {
        if (!deflate_now(z, e, data, len)) {
            free(e);
            return NULL;
        }
        if (small)
            remember_deflated(e, data, len);
    }
    zip_error_init(&e->error);
    src = zip_source_function(z->za, deflated_entry_cb, e);
    if (!src) {
        zip_error_fini(&e->error);
        free(e->data);
        free(e);
    }
    return src;
}

/* Adds data under name; owned, when not NULL, is data's malloc()ed buffer
 * and is freed here whatever happens. */
static oct_status add_entry(oct_zip *z, const char *name, const void *data, size_t len,
                            void *owned, oct_zip_method method, oct_error *err)
{
    zip_source_t *entry = NULL;
    zip_int64_t idx;

    if (!z || !name || (!data && len > 0)) {
        free(owned);
        return oct_error_set(err, OCT_ERR_INVALID_ARG, ZIPPKG_WHERE, 0, "bad arguments");
    }
    if (z->finished) {
        free(owned);
        return oct_error_set(err, OCT_ERR_INVALID_ARG, ZIPPKG_WHERE, 0,
                             "cannot add %s: archive already finished", name);
    }
    if (!name_is_valid(name)) {
        free(owned);
        return oct_error_set(err, OCT_ERR_INVALID_ARG, ZIPPKG_WHERE, 0,
                             "refusing entry name \"%.200s\"", name);
    }
    if (zip_name_locate(z->za, name, 0) >= 0) {
        free(owned);
        return oct_error_set(err, OCT_ERR_INVALID_ARG, ZIPPKG_WHERE, 0,
                             "duplicate entry name \"%.200s\"", name);
    }
    if (len == 0) {
        /* libzip never takes ownership of an empty buffer */
        free(owned);
        entry = zip_source_buffer(z->za, NULL, 0, 0);
    } else if (method == OCT_ZIP_DEFLATE) {
        entry = deflated_source(z, data, len);
        free(owned);
    } else if (owned) {
        /* freep=1: libzip frees the buffer with free() when done with it */
        entry = zip_source_buffer(z->za, owned, len, 1);
        if (!entry)
            free(owned);
    } else {
        /* libzip keeps the pointer until zip_close: give it its own copy */
        void *copy = malloc(len);
        if (copy) {
            memcpy(copy, data, len);
            entry = zip_source_buffer(z->za, copy, len, 1);
            if (!entry)
                free(copy);
        }
    }
    if (!entry)
        return oct_error_set(err, OCT_ERR_NOMEM, ZIPPKG_WHERE, 0,
                             "cannot add %s: out of memory", name);
    idx = zip_file_add(z->za, name, entry, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(entry); /* also frees its data */
        return oct_error_set(err, OCT_ERR_CONVERSION, ZIPPKG_WHERE, 0, "cannot add %s: %s",
                             name, zip_strerror(z->za));
    }
    /* A deflated entry keeps libzip's default method, which takes the
     * source's own (deflate) and copies the bytes as they are; an empty one
     * is stored, as zip tools do. */
    if ((method == OCT_ZIP_STORE || len == 0) &&
        zip_set_file_compression(z->za, (zip_uint64_t)idx, ZIP_CM_STORE, 0) < 0)
        return oct_error_set(err, OCT_ERR_CONVERSION, ZIPPKG_WHERE, 0, "cannot set up %s: %s",
                             name, zip_strerror(z->za));
    if (zip_file_set_dostime(z->za, (zip_uint64_t)idx, DOS_EPOCH_TIME, DOS_EPOCH_DATE, 0) < 0 ||
        zip_file_set_external_attributes(z->za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                                         ENTRY_ATTRIBUTES) < 0)
        return oct_error_set(err, OCT_ERR_CONVERSION, ZIPPKG_WHERE, 0, "cannot set up %s: %s",
                             name, zip_strerror(z->za));
    return OCT_OK;
}

oct_status oct_zip_add_owned(oct_zip *z, const char *name, void *data, size_t len,
                             oct_zip_method method, oct_error *err)
{
    return add_entry(z, name, data, len, data, method, err);
}

oct_status oct_zip_add(oct_zip *z, const char *name, const void *data, size_t len,
                       oct_zip_method method, oct_error *err)
{
    return add_entry(z, name, data, len, NULL, method, err);
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
    if (z->deflater)
        libdeflate_free_compressor(z->deflater);
    free(z);
}
