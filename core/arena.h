/*
 * arena.h — the bump allocator every document owns. Nodes and strings are
 * carved from large blocks and released together, so freeing a document of a
 * million nodes is a walk over a few hundred blocks, not a million frees.
 */
#ifndef OCTAVO_ARENA_H
#define OCTAVO_ARENA_H

#include <stddef.h>

typedef struct oct_arena_block oct_arena_block;

typedef struct oct_arena {
    oct_arena_block *head;
    size_t total;  /* bytes obtained from malloc, for limits and reports */
} oct_arena;

void oct_arena_init(oct_arena *a);
/* Zeroed, max_align_t-aligned memory; NULL when out of memory. */
void *oct_arena_alloc(oct_arena *a, size_t size);
/* A hint that about bytes more will be asked for: from 512 KiB on, one
 * block on huge pages (of up to the largest block's size) at once, instead
 * of the doublings towards it. Nothing happens if memory is short. */
void oct_arena_reserve(oct_arena *a, size_t bytes);
char *oct_arena_strndup(oct_arena *a, const char *s, size_t len);
/* Moves every block of src into dst; src is left empty. */
void oct_arena_merge(oct_arena *dst, oct_arena *src);
void oct_arena_free(oct_arena *a);

#endif
