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
 * large ones make few mallocs. Blocks sit on huge pages (hugepages.h) from
 * 2 MiB on, once a document has shown it needs that much, or from 1 MiB when
 * that much was reserved: a huge page is resident as soon as it is touched,
 * and the last block of a document is on average half used. */
#define ARENA_MIN_BLOCK ((size_t)4096)
#define ARENA_MAX_BLOCK ((size_t)8 << 20)
#define ARENA_HUGE_GROWN ((size_t)2 << 20)
#define ARENA_HUGE_RESERVED ((size_t)1 << 20)

void oct_arena_init(oct_arena *a) { a->head = NULL; a->total = 0; }

/* A block of about bytes in all, header included; NULL when out of memory.
 * On huge pages it takes whole ones, the nearest number of them that holds
 * need: 8 MiB and a header would otherwise spill into one more. */
static oct_arena_block *alloc_block(oct_arena *a, size_t bytes, size_t need, size_t huge_from)
{
    oct_arena_block *b;
    if (bytes >= huge_from) {
        const size_t rounded = (bytes + OCT_HUGE_PAGE / 2) / OCT_HUGE_PAGE * OCT_HUGE_PAGE;
        if (rounded >= sizeof *b + need) bytes = rounded;
        b = oct_alloc_huge(bytes);
    } else {
        b = malloc(bytes);
    }
    if (!b) return NULL;
    b->size = bytes - sizeof *b;
    b->used = 0;
    a->total += b->size;
    return b;
}

static oct_arena_block *new_block(oct_arena *a, size_t need)
{
    size_t size = a->head ? a->head->size * 2 : ARENA_MIN_BLOCK;
    if (size > ARENA_MAX_BLOCK) size = ARENA_MAX_BLOCK;
    if (size < need) size = need;
    if (size > SIZE_MAX - sizeof(oct_arena_block)) return NULL;
    return alloc_block(a, sizeof(oct_arena_block) + size, need, ARENA_HUGE_GROWN);
}

void oct_arena_reserve(oct_arena *a, size_t bytes)
{
    if (a->head && a->head->size - a->head->used >= bytes) return;
    size_t size = ARENA_MIN_BLOCK;
    while (size < ARENA_MAX_BLOCK && size < bytes) size *= 2;
    /* Below, the doublings do as well: their small blocks come from memory
     * the heap already has, where a block of its own would be new pages. */
    if (size < ARENA_HUGE_RESERVED) return;
    oct_arena_block *b = alloc_block(a, sizeof(oct_arena_block) + size, 0, ARENA_HUGE_RESERVED);
    if (!b) return; /* only a hint: the blocks will come one by one */
    b->next = a->head;
    a->head = b;
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
