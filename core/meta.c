/* meta.c — document metadata: ordered key/value pairs, keys may repeat. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void oct_meta_free_all(oct_doc *doc)
{
    free(doc->meta);
    doc->meta = NULL;
    doc->meta_len = doc->meta_cap = 0;
}

static oct_status check_kv(const char *key, const char *value)
{
    if (!key || !*key || !oct_utf8_is_valid(key, strlen(key))) return OCT_ERR_INVALID_ARG;
    if (value && !oct_utf8_is_valid(value, strlen(value))) return OCT_ERR_INVALID_UTF8;
    return OCT_OK;
}

static oct_status push(oct_doc *doc, const char *key, const char *value)
{
    if (doc->meta_len == doc->meta_cap) {
        size_t cap = doc->meta_cap ? doc->meta_cap * 2 : 16;
        oct_meta_item *p = realloc(doc->meta, cap * sizeof *p);
        if (!p) return OCT_ERR_NOMEM;
        doc->meta = p;
        doc->meta_cap = cap;
    }
    const char *k = oct_doc_intern(doc, key), *v = oct_doc_intern(doc, value);
    if (!k || !v) return OCT_ERR_NOMEM;
    doc->meta[doc->meta_len].key = k;
    doc->meta[doc->meta_len].value = v;
    doc->meta_len++;
    return OCT_OK;
}

oct_status oct_meta_set(oct_doc *doc, const char *key, const char *value)
{
    if (!doc) return OCT_ERR_INVALID_ARG;
    oct_status st = check_kv(key, value);
    if (st) return st;
    /* The first value keeps its position (so the order of keys is stable);
     * later values of the key are removed. */
    size_t out = 0;
    int placed = 0;
    for (size_t i = 0; i < doc->meta_len; i++) {
        if (strcmp(doc->meta[i].key, key) == 0) {
            if (placed || !value) continue;
            const char *v = oct_doc_intern(doc, value);
            if (!v) return OCT_ERR_NOMEM;
            doc->meta[i].value = v;
            placed = 1;
        }
        doc->meta[out++] = doc->meta[i];
    }
    doc->meta_len = out;
    if (!placed && value) return push(doc, key, value);
    return OCT_OK;
}

oct_status oct_meta_add(oct_doc *doc, const char *key, const char *value)
{
    if (!doc || !value) return OCT_ERR_INVALID_ARG;
    oct_status st = check_kv(key, value);
    if (st) return st;
    return push(doc, key, value);
}

const char *oct_meta_get(const oct_doc *doc, const char *key) { return oct_meta_get_nth(doc, key, 0); }

size_t oct_meta_count(const oct_doc *doc, const char *key)
{
    size_t n = 0;
    if (!doc || !key) return 0;
    for (size_t i = 0; i < doc->meta_len; i++) n += strcmp(doc->meta[i].key, key) == 0;
    return n;
}

const char *oct_meta_get_nth(const oct_doc *doc, const char *key, size_t nth)
{
    if (!doc || !key) return NULL;
    for (size_t i = 0; i < doc->meta_len; i++)
        if (strcmp(doc->meta[i].key, key) == 0 && nth-- == 0) return doc->meta[i].value;
    return NULL;
}

size_t oct_meta_size(const oct_doc *doc) { return doc ? doc->meta_len : 0; }

oct_status oct_meta_entry(const oct_doc *doc, size_t i, const char **key, const char **value)
{
    if (!doc || i >= doc->meta_len) return OCT_ERR_NOT_FOUND;
    if (key) *key = doc->meta[i].key;
    if (value) *value = doc->meta[i].value;
    return OCT_OK;
}

oct_resource *oct_doc_cover(const oct_doc *doc) { return doc ? doc->cover : NULL; }

oct_status oct_doc_set_cover(oct_doc *doc, oct_resource *r)
{
    if (!doc || (r && r->doc != doc)) return OCT_ERR_INVALID_ARG;
    doc->cover = r;
    return OCT_OK;
}
