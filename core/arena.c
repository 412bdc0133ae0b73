#include "arena.h"
#include "hugepages.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct oct_arena_block {
    oct_arena_block *next;
    size_t used, size;
    alignas(max_align_t) unsigned char mem[];
};

/* Blocks grow geometrically up to 8 MiB so small documents stay small and
 * large ones make few mallocs; blocks from 4 MiB on sit on huge pages. */
#define ARENA_MIN_BLOCK ((size_t)4096)
#define ARENA_MAX_BLOCK ((size_t)8 << 20)

void oct_arena_init(oct_arena *a) { a->head = NULL; a->total = 0; }

static oct_arena_block *new_block(oct_arena *a, size_t need)
{
    size_t size = a->head ? a->head->size * 2 : ARENA_MIN_BLOCK;
    if (size > ARENA_MAX_BLOCK) size = ARENA_MAX_BLOCK;
    if (size < need) size = need;
    if (size > SIZE_MAX - sizeof(oct_arena_block)) return NULL;
    oct_arena_block *b = oct_alloc_huge(sizeof *b + size);
    if (!b) return NULL;
    b->size = size;
    b->used = 0;
    a->total += size;
    return b;
}

/* Uninitialised memory, for callers that overwrite all of it. */
static void *alloc_raw(oct_arena *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    if (size == 0) size = 1;
    if (size > SIZE_MAX - align) return NULL;
    size = (size + align - 1) & ~(align - 1);
    oct_arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        oct_arena_block *nb = new_block(a, size);
        if (!nb) return NULL;
        /* An oversized request gets a block of its own behind the current
         * one, so the space left in the current block is not wasted. */
        if (b && nb->size == size && b->size - b->used > ARENA_MIN_BLOCK / 4) {
            nb->next = b->next;
            b->next = nb;
            b = nb;
        } else {
            nb->next = b;
            a->head = nb;
            b = nb;
        }
    }
    void *p = b->mem + b->used;
    b->used += size;
    return p;
}

void *oct_arena_alloc(oct_arena *a, size_t size)
{
    void *p = alloc_raw(a, size);
    if (p) memset(p, 0, size ? size : 1);
    return p;
}

char *oct_arena_strndup(oct_arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX) return NULL;
    char *p = alloc_raw(a, len + 1); /* every byte is written below */
    if (!p) return NULL;
    if (len) memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void oct_arena_merge(oct_arena *dst, oct_arena *src)
{
    if (!src->head) return;
    oct_arena_block *tail = src->head;
    while (tail->next) tail = tail->next;
    /* src's blocks go behind dst's head so dst keeps allocating from its own
     * current block. */
    if (dst->head) {
        tail->next = dst->head->next;
        dst->head->next = src->head;
    } else {
        tail->next = NULL;
        dst->head = src->head;
    }
    dst->total += src->total;
    src->head = NULL;
    src->total = 0;
}

void oct_arena_free(oct_arena *a)
{
    oct_arena_block *b = a->head;
    while (b) {
        oct_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}
