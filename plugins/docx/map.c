/*
 * map.c — a small open-addressing string map (linear probing) for
 * bookmark names, footnote labels and relationship targets.
 */
#include <stdlib.h>
#include <string.h>

#include "docx.h"
#include "hash_bytes.h"

static docx_map_entry *find_slot(docx_map_entry *slots, size_t cap, const char *key)
{
    size_t i = (size_t)oct_hash_str(key) & (cap - 1);
    while (slots[i].key && strcmp(slots[i].key, key) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

int docx_map_get(const docx_map *m, const char *key, int *value)
{
    if (!m->cap || !key)
        return 0;
    const docx_map_entry *e = find_slot(m->slots, m->cap, key);
    if (!e->key)
        return 0;
    if (value)
        *value = e->value;
    return 1;
}

static oct_status grow(docx_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    if (cap > ((size_t)1 << 28))
        return OCT_ERR_LIMIT;
    docx_map_entry *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return OCT_ERR_NOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].key)
            *find_slot(slots, cap, m->slots[i].key) = m->slots[i];
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return OCT_OK;
}

oct_status docx_map_put(docx_map *m, const char *key, int value)
{
    /* keep the load factor under one half so probes stay short */
    if ((m->count + 1) * 2 > m->cap) {
        oct_status s = grow(m);
        if (s != OCT_OK)
            return s;
    }
    docx_map_entry *e = find_slot(m->slots, m->cap, key);
    if (!e->key) {
        e->key = strdup(key);
        if (!e->key)
            return OCT_ERR_NOMEM;
        m->count++;
    }
    e->value = value;
    return OCT_OK;
}

void docx_map_free(docx_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}
