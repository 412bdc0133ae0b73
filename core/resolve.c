/*
 * resolve.c — turning the image references a reader recorded into resources
 * the document owns. This is the one place that decides what may be read:
 *   - data: URIs are decoded;
 *   - http(s) URLs are fetched (unless --offline or --no-images);
 *   - local paths only for a local input, relative to its folder, never
 *     absolute, never climbing out of it with "..", never through file: URLs
 *     when the page came from the network.
 * A reference that cannot be loaded is a warning; the image keeps its alt.
 */
#include "internal.h"
#include "hash_bytes.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes "data:[type][;base64],payload" into out (malloc'ed). */
static oct_status decode_data_uri(const char *uri, uint64_t max, oct_buf *out, char *type,
                                  size_t type_size)
{
    const char *comma = strchr(uri, ',');
    if (!comma) return OCT_ERR_PARSE;
    const char *meta = uri + 5;
    size_t mlen = (size_t)(comma - meta);
    int base64 = mlen >= 7 && strncasecmp(comma - 7, ";base64", 7) == 0;
    size_t tl = 0;
    while (tl < mlen && meta[tl] != ';' && tl + 1 < type_size) { type[tl] = meta[tl]; tl++; }
    type[tl] = '\0';
    oct_buf_init(out, (size_t)max);
    const unsigned char *p = (const unsigned char *)comma + 1;
    if (base64) {
        unsigned acc = 0;
        int bits = 0;
        for (; *p; p++) {
            if (*p == '%' && hex_value(p[1]) >= 0 && hex_value(p[2]) >= 0) {
                /* percent-encoded base64 characters occur in the wild */
                unsigned char c = (unsigned char)(hex_value(p[1]) * 16 + hex_value(p[2]));
                p += 2;
                int v = b64_value(c);
                if (v < 0) continue;
                acc = (acc << 6) | (unsigned)v;
                bits += 6;
            } else {
                int v = b64_value(*p);
                if (v < 0) continue; /* whitespace and '=' padding */
                acc = (acc << 6) | (unsigned)v;
                bits += 6;
            }
            if (bits >= 8) {
                bits -= 8;
                if (oct_buf_putc(out, (int)((acc >> bits) & 0xFF))) return out->status;
            }
        }
    } else {
        for (; *p; p++) {
            int c = *p;
            if (c == '%' && hex_value(p[1]) >= 0 && hex_value(p[2]) >= 0) {
                c = hex_value(p[1]) * 16 + hex_value(p[2]);
                p += 2;
            }
            if (oct_buf_putc(out, c)) return out->status;
        }
    }
    return out->len ? OCT_OK : OCT_ERR_PARSE;
}

/* Percent-decodes a relative URL path into a file path below the input's
 * folder. "." and ".." are resolved here, on the decoded text, so neither
 * "../" nor "%2e%2e/" reaches the file system; anything absolute, with a
 * scheme, a NUL, a backslash or an encoded separator is refused. */
static int safe_relative_path(const char *url, char *out, size_t size)
{
    if (!*url || url[0] == '/') return 0;
    for (const char *p = url; *p && *p != '/' && *p != '?' && *p != '#'; p++)
        if (*p == ':') return 0; /* a scheme (file:, javascript:, C:) */
    size_t o = 0, seg = 0; /* length of out; start of the current segment in out */
    for (const char *p = url;; p++) {
        int c = (unsigned char)*p;
        int end = c == '\0' || c == '?' || c == '#';
        if (c == '\\') return 0;
        if (c == '%' && hex_value((unsigned char)p[1]) >= 0 && hex_value((unsigned char)p[2]) >= 0) {
            c = hex_value((unsigned char)p[1]) * 16 + hex_value((unsigned char)p[2]);
            p += 2;
            if (c == 0 || c == '/' || c == '\\') return 0;
        } else if (end || c == '/') {
            size_t len = o - seg;
            if (len == 2 && out[seg] == '.' && out[seg + 1] == '.') {
                if (seg == 0) return 0; /* would climb out of the folder */
                o = seg - 1;            /* drop "..", its slash and the segment before */
                while (o > 0 && out[o - 1] != '/') o--;
            } else if (len == 0 || (len == 1 && out[seg] == '.')) {
                o = seg;
            } else if (!end) {
                if (o + 1 >= size) return 0;
                out[o++] = '/';
            }
            seg = o;
            if (end) break;
            continue;
        }
        if (o + 1 >= size) return 0;
        out[o++] = (char)c;
    }
    while (o && out[o - 1] == '/') o--;
    out[o] = '\0';
    return o > 0;
}

/* The input's folder, as given and as its real path: found once per
 * document, on its first local image (realpath costs a system call per
 * component of the path, and a page may hold hundreds of images). */
typedef struct input_folder {
    char dir[PATH_MAX]; /* with its final slash, or "" for the current folder */
    char real[PATH_MAX];
    int known;          /* 0 not looked up yet, 1 real holds it, -1 not found */
} input_folder;

/* Symbolic links inside the folder may point anywhere: the file opened is
 * the one the links lead to, and it must still lie below the folder.
 * Returns 1 with its real path in out, 0 outside, -1 when it is missing. */
static int real_path_inside(input_folder *folder, const char *path, char *out)
{
    /* one system call tells a missing image (a saved page often names
     * hundreds), where realpath would make one per component to say so */
    struct stat st;
    if (stat(path, &st) != 0 || !realpath(path, out)) return -1;
    if (!folder->known)
        folder->known = realpath(*folder->dir ? folder->dir : ".", folder->real) ? 1 : -1;
    if (folder->known < 0) return 0;
    size_t n = strlen(folder->real);
    if (n == 1) return 1; /* the folder is "/" */
    return strncmp(out, folder->real, n) == 0 && out[n] == '/';
}

/* The resource behind a local or data: URL, or NULL with a warning saying
 * why it is skipped (*st: OCT_ERR_NOMEM when memory ran out). */
static oct_resource *load_local(oct_context *ctx, oct_doc *doc, const char *url, int remote_doc,
                                input_folder *folder, oct_status *st)
{
    const oct_limits *lim = &doc->limits;
    oct_error err;
    oct_error_clear(&err);
    oct_resource *r = NULL;
    if (strncasecmp(url, "data:", 5) == 0) {
        oct_buf b;
        char type[128];
        oct_status dst = decode_data_uri(url, lim->max_resource_bytes, &b, type, sizeof type);
        if (dst == OCT_OK)
            r = oct_doc_add_resource(doc, b.data, b.len, type[0] ? type : NULL, NULL, &err);
        else
            oct_error_set(&err, dst, NULL, 0, "undecodable data: URI");
        oct_buf_free(&b);
        if (!r) {
            oct_warn(ctx, "image (data: URI) skipped: %s", err.message);
            if (err.status == OCT_ERR_NOMEM) *st = OCT_ERR_NOMEM;
        }
        return r;
    }
    char rel[PATH_MAX];
    if (remote_doc) {
        oct_warn(ctx, "image %s skipped: a page from the network may not read local files", url);
        return NULL;
    }
    if (!safe_relative_path(url, rel, sizeof rel)) {
        oct_warn(ctx, "image %s skipped: only paths inside the input's folder are read", url);
        return NULL;
    }
    char path[PATH_MAX * 2];
    snprintf(path, sizeof path, "%s%s", folder->dir, rel);
    char real[PATH_MAX];
    int inside = real_path_inside(folder, path, real);
    if (inside == 0) {
        oct_warn(ctx, "image %s skipped: it leads out of the input's folder", url);
        return NULL;
    }
    oct_fetched f;
    if (oct_read_file_bounded(inside > 0 ? real : path, lim->max_resource_bytes, &f, &err) == OCT_OK) {
        r = oct_doc_add_resource(doc, f.data, f.len, NULL, url, &err);
        oct_fetched_free(&f);
    }
    if (!r) oct_warn(ctx, "image %s skipped: %s", url, err.message);
    return r;
}

/* The images of one document by URL: each distinct URL loaded once (a saved
 * page names the same icon hundreds of times), then attached to every image
 * that names it; remote ones fetched several at a time. Distinct URLs are
 * found through a hash index (a hostile page may name millions); remote ones
 * are capped at max_resources, and images beyond the cap keep their alt
 * text. */
typedef struct image_set {
    const char **urls;   /* distinct, in document order */
    size_t n_urls, cap_urls, max_urls;
    size_t *index;       /* open addressing: 1 + position in urls, 0 free */
    size_t index_size;   /* a power of two, at least twice n_urls */
    size_t n_dropped;    /* distinct URLs beyond max_urls */
    oct_node **nodes;    /* every image node with a fetched URL */
    size_t *url_of;      /* index into urls for each node */
    size_t n_nodes, cap_nodes;
} image_set;

/* The slot of url in the index: where it is, or the free slot it would take. */
static size_t index_slot(const image_set *ri, const char *url)
{
    size_t mask = ri->index_size - 1, i = (size_t)oct_hash_str(url) & mask;
    while (ri->index[i] && strcmp(ri->urls[ri->index[i] - 1], url) != 0) i = (i + 1) & mask;
    return i;
}

static int grow_index(image_set *ri)
{
    size_t size = ri->index_size ? ri->index_size * 2 : 64;
    size_t *old = ri->index, old_size = ri->index_size;
    ri->index = calloc(size, sizeof *ri->index);
    if (!ri->index) { ri->index = old; return 0; }
    ri->index_size = size;
    for (size_t i = 0; i < old_size; i++)
        if (old[i]) ri->index[index_slot(ri, ri->urls[old[i] - 1])] = old[i];
    free(old);
    return 1;
}

static int remember_image(image_set *ri, oct_node *n)
{
    const char *url = n->as.image.url;
    if ((ri->n_urls + 1) * 2 > ri->index_size && !grow_index(ri)) return 0;
    size_t slot = index_slot(ri, url);
    size_t u;
    if (ri->index[slot]) {
        u = ri->index[slot] - 1;
    } else {
        if (ri->n_urls >= ri->max_urls) { ri->n_dropped++; return 1; }
        if (ri->n_urls == ri->cap_urls) {
            size_t cap = ri->cap_urls ? ri->cap_urls * 2 : 16;
            const char **p = realloc(ri->urls, cap * sizeof *p);
            if (!p) return 0;
            ri->urls = p;
            ri->cap_urls = cap;
        }
        u = ri->n_urls;
        ri->urls[ri->n_urls++] = url;
        ri->index[slot] = u + 1;
    }
    if (ri->n_nodes == ri->cap_nodes) {
        size_t cap = ri->cap_nodes ? ri->cap_nodes * 2 : 16;
        oct_node **p = realloc(ri->nodes, cap * sizeof *p);
        size_t *q = p ? realloc(ri->url_of, cap * sizeof *q) : NULL;
        if (p) ri->nodes = p;
        if (!q) return 0;
        ri->url_of = q;
        ri->cap_nodes = cap;
    }
    ri->nodes[ri->n_nodes] = n;
    ri->url_of[ri->n_nodes++] = u;
    return 1;
}

static oct_status fetch_remote(oct_context *ctx, oct_doc *doc, image_set *ri)
{
    size_t n = ri->n_urls;
    if (ri->n_dropped)
        oct_warn(ctx, "%zu more distinct images not fetched: at most %zu per document",
                 ri->n_dropped, ri->max_urls);
    oct_fetched *got = calloc(n ? n : 1, sizeof *got);
    oct_error *errs = calloc(n ? n : 1, sizeof *errs);
    oct_resource **res = calloc(n ? n : 1, sizeof *res);
    if (!got || !errs || !res) {
        free(got), free(errs), free(res);
        return OCT_ERR_NOMEM;
    }
    size_t parallel = (size_t)oct_context_option_long(ctx, "image-jobs", 6, 1, 32);
    oct_fetch_many(ctx, ri->urls, n, doc->limits.max_resource_bytes, parallel, got, errs);
    for (size_t i = 0; i < n; i++) {
        if (got[i].data) {
            res[i] = oct_doc_add_resource(doc, got[i].data, got[i].len, NULL, ri->urls[i], &errs[i]);
        }
        if (!res[i]) oct_warn(ctx, "image %s skipped: %s", ri->urls[i], errs[i].message);
        oct_fetched_free(&got[i]);
    }
    for (size_t k = 0; k < ri->n_nodes; k++)
        if (ri->url_of[k] < n && res[ri->url_of[k]])
            oct_node_set_image_resource(ri->nodes[k], res[ri->url_of[k]]);
    free(got), free(errs), free(res);
    return OCT_OK;
}

/* Loads each distinct local or data: URL once, in document order, and
 * attaches it to every image naming it. */
static oct_status load_locals(oct_context *ctx, oct_doc *doc, image_set *li, int remote_doc,
                              input_folder *folder)
{
    oct_resource **res = calloc(li->n_urls ? li->n_urls : 1, sizeof *res);
    if (!res) return OCT_ERR_NOMEM;
    oct_status st = OCT_OK;
    for (size_t i = 0; i < li->n_urls && !st; i++) {
        if (oct_interrupted()) st = OCT_ERR_INTERRUPTED;
        else res[i] = load_local(ctx, doc, li->urls[i], remote_doc, folder, &st);
    }
    for (size_t k = 0; k < li->n_nodes && !st; k++)
        if (res[li->url_of[k]]) oct_node_set_image_resource(li->nodes[k], res[li->url_of[k]]);
    free(res);
    return st;
}

static void image_set_free(image_set *set)
{
    free(set->urls);
    free(set->index);
    free(set->nodes);
    free(set->url_of);
}

oct_status oct_doc_resolve_images(oct_context *ctx, oct_doc *doc, oct_error *err)
{
    const char *base = doc->base;
    int remote_doc = base && oct_is_remote_url(base);
    input_folder *folder = calloc(1, sizeof *folder); /* two paths: not on the stack */
    if (!folder) return oct_error_set(err, OCT_ERR_NOMEM, NULL, 0, NULL);
    char *base_dir = folder->dir;
    if (base && !remote_doc) {
        const char *slash = strrchr(base, '/');
        if (slash && (size_t)(slash - base) + 2 < sizeof folder->dir)
            memcpy(base_dir, base, (size_t)(slash - base) + 1), base_dir[slash - base + 1] = '\0';
    }
    int no_local = !base || strcmp(base, "-") == 0;
    int fetch = oct_context_option_bool(ctx, "images", 1);
    image_set ri, li;
    memset(&ri, 0, sizeof ri);
    memset(&li, 0, sizeof li);
    ri.max_urls = doc->limits.max_resources;
    li.max_urls = SIZE_MAX; /* each distinct file meets the resource limit itself */
    oct_status st = OCT_OK;
    oct_iter it;
    oct_iter_init(&it, doc->root);
    oct_event ev;
    const int has_images = oct_doc_may_hold(doc, OCT_NODE_IMAGE);
    while (!st && has_images && (ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        oct_node *n = (oct_node *)it.node;
        if (ev != OCT_EVENT_ENTER || n->type != OCT_NODE_IMAGE || n->as.image.resource) continue;
        const char *url = n->as.image.url;
        if (!url || !*url) continue;
        if (oct_is_remote_url(url)) {
            if (fetch && !remember_image(&ri, n)) st = OCT_ERR_NOMEM;
            continue;
        }
        if (no_local && strncasecmp(url, "data:", 5) != 0) continue;
        if (!remember_image(&li, n)) st = OCT_ERR_NOMEM;
    }
    /* The page's lead image (og:image, JSON-LD image) becomes the cover when
     * nothing else is: it is loaded like any image, under the same policy. */
    oct_node *lead = NULL;
    const char *lead_url = oct_meta_get(doc, "cover-url");
    if (!st && !doc->cover && lead_url && *lead_url && oct_context_option_bool(ctx, "cover", 1)) {
        lead = oct_node_new(doc, OCT_NODE_IMAGE);
        if (lead && oct_node_set_url(lead, lead_url) == OCT_OK) {
            if (oct_is_remote_url(lead_url)) {
                if (fetch && !remember_image(&ri, lead)) st = OCT_ERR_NOMEM;
            } else if (!no_local || strncasecmp(lead_url, "data:", 5) == 0) {
                if (!remember_image(&li, lead)) st = OCT_ERR_NOMEM;
            }
        }
    }
    if (!st && li.n_urls) st = load_locals(ctx, doc, &li, remote_doc, folder);
    if (!st && (ri.n_urls || ri.n_dropped)) st = fetch_remote(ctx, doc, &ri);
    if (!st && lead && lead->as.image.resource) oct_doc_set_cover(doc, lead->as.image.resource);
    image_set_free(&ri);
    image_set_free(&li);
    free(folder);
    if (!st && oct_interrupted()) st = OCT_ERR_INTERRUPTED;
    return st ? oct_error_set(err, st, NULL, 0, NULL) : OCT_OK;
}
