/*
 * map.c — a small string-keyed hash map (open addressing, linear probing),
 * enough for the id, label and image look-ups of one book.
 */
#include "epub.h"

#include "hash_bytes.h"

#include <stdlib.h>
#include <string.h>

static size_t find_slot(char *const *keys, size_t cap, const char *key)
{
    size_t i = (size_t)oct_hash_str(key) & (cap - 1);
    while (keys[i] && strcmp(keys[i], key) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

static oct_status grow(epub_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    char **keys = calloc(cap, sizeof *keys);
    void **values = calloc(cap, sizeof *values);

    if (!keys || !values || cap < m->cap) {
        free(keys);
        free(values);
        return OCT_ERR_NOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i]) {
            size_t j = find_slot(keys, cap, m->keys[i]);
            keys[j] = m->keys[i];
            values[j] = m->values[i];
        }
    }
    free(m->keys);
    free(m->values);
    m->keys = keys;
    m->values = values;
    m->cap = cap;
    return OCT_OK;
}

void *epub_map_get(const epub_map *m, const char *key)
{
    size_t i;

    if (!m->cap || !key)
        return NULL;
    i = find_slot(m->keys, m->cap, key);
    return m->keys[i] ? m->values[i] : NULL;
}

oct_status epub_map_put(epub_map *m, const char *key, void *value, int *inserted)
{
    size_t i;
    char *copy;

    if (inserted)
        *inserted = 0;
    /* Keep the load factor under one half so probes stay short. */
    if ((m->count + 1) * 2 > m->cap && grow(m) != OCT_OK)
        return OCT_ERR_NOMEM;
    i = find_slot(m->keys, m->cap, key);
    if (m->keys[i])
        return OCT_OK;
    copy = strdup(key);
    if (!copy)
        return OCT_ERR_NOMEM;
    m->keys[i] = copy;
    m->values[i] = value;
    m->count++;
    if (inserted)
        *inserted = 1;
    return OCT_OK;
}

void epub_map_free(epub_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->values);
    memset(m, 0, sizeof *m);
}
