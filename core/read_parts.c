/*
 * read_parts.c — the inputs of one conversion, read into parts.
 *
 * Why threads: a book given as its chapters (the debian-reference manual's
 * 16 pages, say) spends four fifths of its conversion reading them, and
 * each chapter is read on its own: the parts do not see each other until
 * they are linked and joined, afterwards, in input order. So several can
 * be read at once. Each is read with a fork of the conversion's context,
 * whose messages are replayed in input order once all are done, and the
 * document that comes out is byte for byte the one a one-at-a-time read
 * gives: same parts, same order, same messages, same first error.
 *
 * Only readers that declare OCT_FORMAT_THREAD_SAFE are run this way; a
 * plugin that keeps state of its own is read one input at a time on the
 * calling thread, as before.
 */
#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

/* One input's reading: into parts[i], with its own context and error. */
typedef struct part_job {
    oct_context *ctx;
    oct_status status;
    oct_error err;
} part_job;

/* What the threads share. Inputs are taken in order from `next`; once one
 * fails, inputs after it are no longer started (their outcome could not
 * change the result), but those before it are finished, since an earlier
 * failure would be the one to report. */
typedef struct reading {
    const char *const *inputs;
    size_t n;
    const oct_format *reader;
    oct_doc **parts;
    part_job *jobs;
    atomic_size_t next;
    atomic_size_t first_failed; /* n while none has */
} reading;

/* The same steps for every input, threaded or not: read, load its images
 * (relative to its own folder or URL, with its own local-or-remote
 * policy), and make it a chapter when the book has several. */
static oct_status read_part(oct_context *ctx, const char *input, const oct_format *reader,
                            int several, oct_doc **part, oct_error *err)
{
    oct_status st = oct_read_input(ctx, input, reader, part, err);
    if (!st && oct_context_option_bool(ctx, "images", 1)) {
        oct_context_set_where(ctx, input);
        st = oct_doc_resolve_images(ctx, *part, err);
        oct_context_set_where(ctx, NULL);
    }
    if (!st && several && oct_context_option_bool(ctx, "chapters", 1))
        st = oct_doc_make_chapter(*part, err);
    return st;
}

static void note_failure(reading *r, size_t i)
{
    size_t seen = atomic_load(&r->first_failed);
    while (i < seen && !atomic_compare_exchange_weak(&r->first_failed, &seen, i)) {
    }
}

static void *read_some_parts(void *arg)
{
    reading *r = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&r->next, 1);
        if (i >= r->n || i > atomic_load(&r->first_failed)) return NULL;
        part_job *job = &r->jobs[i];
        oct_error_clear(&job->err);
        job->status = read_part(job->ctx, r->inputs[i], r->reader, 1, &r->parts[i], &job->err);
        if (job->status) note_failure(r, i);
    }
}

/* Whether every reader this conversion may use can run on several threads
 * at once. Without a named reader, each input's is picked from its name or
 * bytes, so all readers must allow it. */
static int readers_allow_threads(const oct_context *ctx, const oct_format *reader)
{
    if (reader) return (reader->flags & OCT_FORMAT_THREAD_SAFE) != 0;
    const oct_registry *reg = oct_context_registry(ctx);
    for (size_t i = 0; i < oct_registry_format_count(reg); i++) {
        const oct_format *f = oct_registry_format_at(reg, i);
        if (f->read && !(f->flags & OCT_FORMAT_THREAD_SAFE)) return 0;
    }
    return 1;
}

static oct_status read_in_turn(oct_context *ctx, const char *const *inputs, size_t n,
                               const oct_format *reader, oct_doc **parts, oct_error *err)
{
    oct_status st = OCT_OK;
    for (size_t i = 0; i < n && !st; i++) st = read_part(ctx, inputs[i], reader, n > 1, &parts[i], err);
    return st;
}

oct_status oct_read_parts(oct_context *ctx, const char *const *inputs, size_t n,
                          const oct_format *reader, unsigned threads, oct_doc **parts,
                          oct_error *err)
{
    if (threads > n) threads = (unsigned)n;
    if (threads < 2 || !readers_allow_threads(ctx, reader))
        return read_in_turn(ctx, inputs, n, reader, parts, err);

    part_job *jobs = calloc(n, sizeof *jobs);
    pthread_t *ids = calloc(threads - 1, sizeof *ids);
    oct_status st = jobs && ids ? OCT_OK : OCT_ERR_NOMEM;
    for (size_t i = 0; i < n && !st; i++)
        if (!(jobs[i].ctx = oct_context_fork(ctx))) st = OCT_ERR_NOMEM;
    if (st) {
        for (size_t i = 0; jobs && i < n; i++) oct_context_free(jobs[i].ctx);
        free(jobs);
        free(ids);
        return oct_error_set(err, st, NULL, 0, NULL);
    }
    reading r = {.inputs = inputs, .n = n, .reader = reader, .parts = parts, .jobs = jobs};
    atomic_init(&r.next, 0);
    atomic_init(&r.first_failed, n);
    /* A thread that cannot be started leaves its share to the others; the
     * calling thread reads too, so there is always one. */
    unsigned started = 0;
    for (unsigned t = 0; t + 1 < threads; t++)
        if (pthread_create(&ids[started], NULL, read_some_parts, &r) == 0) started++;
    read_some_parts(&r);
    for (unsigned t = 0; t < started; t++) pthread_join(ids[t], NULL);

    /* Every input up to the first failure was read: its messages are told
     * in order, then that failure; what came after it is not. */
    size_t last = atomic_load(&r.first_failed);
    for (size_t i = 0; i < n && i <= last; i++) oct_context_replay(ctx, jobs[i].ctx);
    if (last < n) {
        st = jobs[last].status;
        if (err) *err = jobs[last].err;
    }
    for (size_t i = 0; i < n; i++) oct_context_free(jobs[i].ctx);
    free(jobs);
    free(ids);
    return st;
}
