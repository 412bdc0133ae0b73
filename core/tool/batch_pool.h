/* batch_pool.h — a pool of forked worker processes. Each worker converts
 * many documents, one at a time, and sends each result back over a pipe; a
 * worker that dies costs the one result it was working on and is replaced. */
#ifndef OCTAVO_TOOL_BATCH_POOL_H
#define OCTAVO_TOOL_BATCH_POOL_H

#include "../batch.h"

#define BATCH_MAX_JOBS 256

typedef struct batch_pool_hooks {
    void *userdata;
    /* In a worker: converts items[index], filling result (status, error,
     * warnings, timings, sizes, hashes). */
    void (*work)(void *userdata, size_t index, batch_item *result);
    /* In the parent: items[index] has its result. Non-zero stops handing
     * out further documents (--fail-fast). */
    int (*done)(void *userdata, size_t index);
    /* In the parent: a worker has begun items[index] (optional). */
    void (*started)(void *userdata, size_t index);
    /* In the parent, a few times a second while waiting. */
    void (*tick)(void *userdata);
} batch_pool_hooks;

/* Converts items[queue[0..n_queue)] with up to jobs workers, each handed up
 * to depth (1 or 2) documents ahead. Items left unconverted when stopped keep
 * BATCH_PENDING. Returns 0, or -1 when a worker ended badly outside a
 * document (reported on stderr). */
int batch_pool_run(batch_item *items, const size_t *queue, size_t n_queue, long jobs, int depth,
                   const batch_pool_hooks *hooks);

#endif
