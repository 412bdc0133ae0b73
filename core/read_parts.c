/*
 * read_parts.c — the inputs of one conversion, read into parts.
 *
 * Why threads: a book given as its chapters (the debian-reference manual's
 * 16 pages, say) spends four fifths of its conversion reading them, and
 * each chapter is read on its own: the parts do not see each other until
 * they are linked and joined, afterwards, in input order. So several can
 * be read at once. Each is read with a fork of the conversion's context,
 * whose messages are told as soon as that input and every one before it
 * are read, and the document that comes out is byte for byte the one a
 * one-at-a-time read gives: same parts, same order, same messages, same
 * first error. (Only a flood of messages from inputs waiting for an
 * earlier one, beyond KEPT_MESSAGE_BYTES, is cut short, and says so.)
 *
 * Only readers that declare OCT_FORMAT_THREAD_SAFE are run this way; a
 * plugin that keeps state of its own is read one input at a time on the
 * calling thread, as before.
 */
#include "internal.h"

#include <pthread.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A library caller may ask for any number; each thread holds a page. */
#define MAX_READING_THREADS 64
/* Bytes of messages all inputs may hold while an earlier input is being
 * read (replay gives them back); a flood beyond it is counted, not kept. */
#define KEPT_MESSAGE_BYTES ((size_t)16 << 20)

/* One input's reading: into parts[i], with its own context and error. */
typedef struct part_job {
    oct_context *ctx;
    oct_status status;
    oct_error err;
    int done; /* under reading.replay_lock */
} part_job;

/* What the threads share. Inputs are taken in order from `next`; once one
 * fails, inputs after it are no longer started (their outcome could not
 * change the result), but those before it are finished, since an earlier
 * failure would be the one to report. */
typedef struct reading {
    oct_context *ctx; /* the conversion's: messages are replayed to it */
    const char *const *inputs;
    size_t n;
    const oct_format *reader;
    oct_doc **parts;
    part_job *jobs;
    atomic_size_t next;
    atomic_size_t first_failed; /* n while none has */
    atomic_size_t kept_budget;
    /* Messages are told as soon as an input and all before it are read,
     * by whichever thread finished the last of them: one at a time. */
    pthread_mutex_t replay_lock;
    size_t replayed; /* inputs before this one have been told */
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

/* Under replay_lock: tells the messages of every input that is read and
 * has all inputs before it read, up to the first that failed. */
static void tell_what_is_read(reading *r)
{
    while (r->replayed < r->n && r->jobs[r->replayed].done &&
           r->replayed <= atomic_load(&r->first_failed)) {
        oct_context_replay(r->ctx, r->jobs[r->replayed].ctx);
        r->replayed++;
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
        pthread_mutex_lock(&r->replay_lock);
        job->done = 1;
        tell_what_is_read(r);
        pthread_mutex_unlock(&r->replay_lock);
    }
}

/* Whether every reader this conversion may use can run on several threads
 * at once. Without a named reader, each input's is picked from its name or
 * bytes, so all readers must allow it. */
static int readers_allow_threads(const oct_context *ctx, const oct_format *reader)
{
    if (reader) return (reader->flags & OCT_FORMAT_THREAD_SAFE) != 0;
    return oct_registry_readers_thread_safe(oct_context_registry(ctx));
}

/* Standard input given twice is read twice, one after the other. */
static int reads_stdin_twice(const char *const *inputs, size_t n)
{
    size_t seen = 0;
    for (size_t i = 0; i < n; i++) seen += strcmp(inputs[i], "-") == 0;
    return seen > 1;
}

static oct_status read_in_turn(oct_context *ctx, const char *const *inputs, size_t n,
                               const oct_format *reader, oct_doc **parts, oct_error *err)
{
    oct_status st = OCT_OK;
    for (size_t i = 0; i < n && !st; i++) st = read_part(ctx, inputs[i], reader, n > 1, &parts[i], err);
    return st;
}

/* Each input loads its images several at a time (-V image-jobs, 6 by
 * default); read at once, they share that number, so a book from one site
 * does not open threads times as many connections to it. */
static void share_image_jobs(const oct_context *ctx, oct_context *fork, unsigned threads)
{
    const char *v = oct_context_option(ctx, "image-jobs");
    char *end = NULL;
    long jobs = v ? strtol(v, &end, 10) : 6;
    if (v && (end == v || *end || jobs < 1 || jobs > 32)) return; /* the fork warns as usual */
    char share[24];
    snprintf(share, sizeof share, "%ld", (jobs + (long)threads - 1) / (long)threads);
    oct_context_set_option(fork, "image-jobs", share);
}

oct_status oct_read_parts(oct_context *ctx, const char *const *inputs, size_t n,
                          const oct_format *reader, unsigned threads, oct_doc **parts,
                          oct_error *err)
{
    if (threads > n) threads = (unsigned)n;
    if (threads > MAX_READING_THREADS) threads = MAX_READING_THREADS;
    if (threads < 2 || !readers_allow_threads(ctx, reader) || reads_stdin_twice(inputs, n))
        return read_in_turn(ctx, inputs, n, reader, parts, err);

    reading r = {.ctx = ctx, .inputs = inputs, .n = n, .reader = reader, .parts = parts};
    atomic_init(&r.next, 0);
    atomic_init(&r.first_failed, n);
    atomic_init(&r.kept_budget, KEPT_MESSAGE_BYTES);
    part_job *jobs = calloc(n, sizeof *jobs);
    pthread_t *ids = calloc(threads - 1, sizeof *ids);
    int ready = jobs && ids && pthread_mutex_init(&r.replay_lock, NULL) == 0;
    for (size_t i = 0; ready && i < n; i++) {
        if (!(jobs[i].ctx = oct_context_fork(ctx, &r.kept_budget))) ready = 0;
        else share_image_jobs(ctx, jobs[i].ctx, threads);
    }
    if (!ready) {
        /* Short of memory for the threads' bookkeeping: read as before. */
        if (jobs && ids) {
            pthread_mutex_destroy(&r.replay_lock);
            for (size_t i = 0; i < n; i++) oct_context_free(jobs[i].ctx);
        }
        free(jobs);
        free(ids);
        return read_in_turn(ctx, inputs, n, reader, parts, err);
    }
    r.jobs = jobs;
    /* A thread that cannot be started leaves its share to the others; the
     * calling thread reads too, so there is always one. */
    unsigned started = 0;
    for (unsigned t = 0; t + 1 < threads; t++)
        if (pthread_create(&ids[started], NULL, read_some_parts, &r) == 0) started++;
    read_some_parts(&r);
    for (unsigned t = 0; t < started; t++) pthread_join(ids[t], NULL);

    /* Every input up to the first failure was read and told; what came
     * after it is not. */
    pthread_mutex_lock(&r.replay_lock);
    tell_what_is_read(&r);
    pthread_mutex_unlock(&r.replay_lock);
    size_t last = atomic_load(&r.first_failed);
    oct_status st = OCT_OK;
    if (last < n) {
        st = jobs[last].status;
        if (err) *err = jobs[last].err;
    }
    pthread_mutex_destroy(&r.replay_lock);
    for (size_t i = 0; i < n; i++) oct_context_free(jobs[i].ctx);
    free(jobs);
    free(ids);
#if defined(__GLIBC__)
    /* Each reading thread had a malloc arena of its own, and what its pages
     * freed stays there, out of the writer's reach: given back now, it
     * does not add to the conversion's peak memory (the book to DOCX: 31.2
     * MB without this). One arena for all threads would do it too, but its
     * lock cost a quarter more CPU time. */
    malloc_trim(0);
#endif
    return st;
}
