/* batch_pool.c — the worker processes of a batch.
 *
 * Why processes: a document that crashes a reader or writer (a bug, a
 * plugin's abort()) must not take the other documents down with it. Workers
 * are forked once each and convert many documents, so the cost of starting
 * one is paid per worker, not per document.
 *
 * Protocol, one pipe pair per worker: the parent writes an item index (8
 * bytes); the worker answers with one length-prefixed result message. A
 * worker whose result pipe closes while it holds a document crashed on it. */
#include "batch_pool.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_MESSAGE (1024 * 1024)
#define MAX_TEXT 2048
#define MAX_WARNINGS_SENT 200

typedef struct worker {
    pid_t pid;          /* 0: no process */
    int task_fd;        /* parent writes indexes */
    int result_fd;      /* parent reads results */
    /* Items handed to it, oldest first: it converts them in this order. Two
     * in flight keep it busy while the parent reads its last result. */
    long busy[2];
    int n_busy;
    double busy_since;  /* CLOCK_MONOTONIC seconds when busy[0] started */
    oct_buf in;         /* bytes of results read so far */
} worker;

/* Worker ids for the signal handler, which may not allocate. */
static volatile pid_t signal_pids[BATCH_MAX_JOBS];

/* In the parent: stop the workers (each removes its temporary output), wait
 * for them, remove the parent's own temporary files, leave. */
static void on_parent_signal(int sig)
{
    oct_request_interrupt();
    for (int i = 0; i < BATCH_MAX_JOBS; i++)
        if (signal_pids[i] > 0) kill(signal_pids[i], SIGTERM);
    for (int i = 0; i < BATCH_MAX_JOBS; i++)
        if (signal_pids[i] > 0) waitpid(signal_pids[i], NULL, 0);
    oct_sink_abort_all();
    static const char msg[] = "octavo: interrupted\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
    _exit(128 + sig);
}

/* In a worker: what the single-document CLI does, no partial outputs. */
static void on_worker_signal(int sig)
{
    oct_request_interrupt();
    oct_sink_abort_all();
    _exit(128 + sig);
}

static void set_handlers(void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigfillset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int write_all(int fd, const void *data, size_t len)
{
    const unsigned char *p = data;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static int read_full(int fd, void *data, size_t len)
{
    unsigned char *p = data;
    while (len) {
        ssize_t r = read(fd, p, len);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

/* ------------------------------------------------------------ messages */

static void put_text(oct_buf *b, const char *s)
{
    uint32_t n = s ? (uint32_t)strnlen(s, MAX_TEXT) : UINT32_MAX;
    oct_buf_append(b, &n, sizeof n);
    if (s) oct_buf_append(b, s, n);
}

static void encode_result(oct_buf *b, uint64_t index, const batch_item *r)
{
    uint32_t len = 0;
    oct_buf_append(b, &len, sizeof len); /* patched below */
    uint32_t status = r->status, hashed = (uint32_t)r->hashed;
    int32_t exit_code = r->exit_code;
    oct_buf_append(b, &index, sizeof index);
    oct_buf_append(b, &status, sizeof status);
    oct_buf_append(b, &exit_code, sizeof exit_code);
    oct_buf_append(b, &r->seconds, sizeof r->seconds);
    oct_buf_append(b, &r->input_bytes, sizeof r->input_bytes);
    oct_buf_append(b, &r->output_bytes, sizeof r->output_bytes);
    oct_buf_append(b, &hashed, sizeof hashed);
    oct_buf_append(b, r->input_sha256, 32);
    oct_buf_append(b, r->output_sha256, 32);
    put_text(b, r->error);
    uint32_t nw = r->n_warnings < MAX_WARNINGS_SENT ? (uint32_t)r->n_warnings : MAX_WARNINGS_SENT;
    oct_buf_append(b, &nw, sizeof nw);
    for (uint32_t i = 0; i < nw; i++) put_text(b, r->warnings[i]);
    if (b->status == OCT_OK) {
        len = (uint32_t)(b->len - sizeof len);
        memcpy(b->data, &len, sizeof len);
    }
}

typedef struct cursor {
    const unsigned char *p, *end;
    int bad;
} cursor;

static void take(cursor *c, void *out, size_t n)
{
    if (c->bad || (size_t)(c->end - c->p) < n) { c->bad = 1; memset(out, 0, n); return; }
    memcpy(out, c->p, n);
    c->p += n;
}

static char *take_text(cursor *c)
{
    uint32_t n;
    take(c, &n, sizeof n);
    if (c->bad || n == UINT32_MAX) return NULL;
    if (n > MAX_TEXT || (size_t)(c->end - c->p) < n) { c->bad = 1; return NULL; }
    char *s = strndup((const char *)c->p, n);
    c->p += n;
    return s;
}

/* Fills items[*index] from one message; -1 when the message is malformed. */
static int decode_result(const unsigned char *msg, size_t len, batch_item *items, long expected)
{
    cursor c = {msg, msg + len, 0};
    uint64_t index;
    uint32_t status, hashed, nw;
    int32_t exit_code;
    take(&c, &index, sizeof index);
    if (c.bad || (long)index != expected) return -1;
    batch_item *it = &items[index];
    take(&c, &status, sizeof status);
    take(&c, &exit_code, sizeof exit_code);
    take(&c, &it->seconds, sizeof it->seconds);
    take(&c, &it->input_bytes, sizeof it->input_bytes);
    take(&c, &it->output_bytes, sizeof it->output_bytes);
    take(&c, &hashed, sizeof hashed);
    take(&c, it->input_sha256, 32);
    take(&c, it->output_sha256, 32);
    it->error = take_text(&c);
    take(&c, &nw, sizeof nw);
    if (c.bad || nw > MAX_WARNINGS_SENT || status > BATCH_NOT_RUN) return -1;
    it->warnings = nw ? calloc(nw, sizeof *it->warnings) : NULL;
    if (nw && !it->warnings) return -1;
    for (uint32_t i = 0; i < nw && !c.bad; i++) {
        it->warnings[i] = take_text(&c);
        if (it->warnings[i]) it->n_warnings++;
    }
    if (c.bad || c.p != c.end) return -1;
    it->status = (batch_status)status;
    it->exit_code = exit_code;
    it->hashed = (int)hashed;
    return 0;
}

/* ------------------------------------------------------------- workers */

static void worker_main(int task_fd, int result_fd, const batch_pool_hooks *h)
{
    oct_buf msg;
    oct_buf_init(&msg, MAX_MESSAGE);
    uint64_t index;
    while (read_full(task_fd, &index, sizeof index) == 0) {
        batch_item result;
        memset(&result, 0, sizeof result);
        h->work(h->userdata, (size_t)index, &result);
        oct_buf_reset(&msg);
        encode_result(&msg, index, &result);
        batch_item_clear(&result);
        if (msg.status || write_all(result_fd, msg.data, msg.len)) break;
    }
    oct_buf_free(&msg);
    close(task_fd);
    close(result_fd);
    /* exit, not _exit: a sanitizer build checks the worker for leaks too. */
    exit(0);
}

static int spawn(worker *pool, long n, long slot, const batch_pool_hooks *h)
{
    worker *w = &pool[slot];
    int tp[2], rp[2];
    if (pipe(tp)) return -1;
    if (pipe(rp)) { close(tp[0]); close(tp[1]); return -1; }
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    fflush(NULL); /* else the child would print the parent's buffered output again */
    pid_t pid = fork();
    if (pid == 0) {
        set_handlers(on_worker_signal);
        signal(SIGPIPE, SIG_DFL);
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        sigprocmask(SIG_SETMASK, &old, NULL);
        close(tp[1]);
        close(rp[0]);
        for (long i = 0; i < n; i++) {
            if (i == slot || !pool[i].pid) continue;
            close(pool[i].task_fd);
            close(pool[i].result_fd);
        }
        worker_main(tp[0], rp[1], h);
    }
    if (pid > 0) signal_pids[slot] = pid;
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(tp[0]);
    close(rp[1]);
    if (pid < 0) {
        close(tp[1]);
        close(rp[0]);
        return -1;
    }
    fcntl(rp[0], F_SETFL, fcntl(rp[0], F_GETFL) | O_NONBLOCK);
    w->pid = pid;
    w->task_fd = tp[1];
    w->result_fd = rp[0];
    w->n_busy = 0;
    oct_buf_init(&w->in, MAX_MESSAGE + 8);
    return 0;
}

/* "killed by signal 6 (Aborted)" / "exited with status 3". */
static void describe_exit(int wstatus, char *out, size_t size)
{
    if (WIFSIGNALED(wstatus))
        snprintf(out, size, "killed by signal %d (%s)", WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
    else if (WIFEXITED(wstatus))
        snprintf(out, size, "exited with status %d", WEXITSTATUS(wstatus));
    else
        snprintf(out, size, "ended");
}

/* Closes a worker's pipes and reaps it; returns its wait status. */
static int retire(worker *w, long slot, int kill_it)
{
    int wstatus = 0;
    if (kill_it) kill(w->pid, SIGKILL);
    close(w->task_fd);
    close(w->result_fd);
    while (waitpid(w->pid, &wstatus, 0) < 0 && errno == EINTR) {}
    signal_pids[slot] = 0;
    w->pid = 0;
    oct_buf_free(&w->in);
    return wstatus;
}

static void mark_crashed(batch_item *it, const char *how)
{
    char msg[256];
    snprintf(msg, sizeof msg, "worker process %s", how);
    free(it->error);
    it->error = strdup(msg);
    it->status = BATCH_CRASHED;
    it->exit_code = oct_status_exit_code(OCT_ERR_CONVERSION);
}

/* Reads what a busy worker sent. Returns 1 when it has died, else 0; each
 * whole message completes its document. */
static int drain(worker *w, batch_item *items, const batch_pool_hooks *h, int *stop, int *protocol_error)
{
    unsigned char chunk[16384];
    int dead = 0;
    for (;;) {
        ssize_t r = read(w->result_fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (r <= 0) { dead = 1; break; }
        if (oct_buf_append(&w->in, chunk, (size_t)r)) { *protocol_error = 1; return 1; }
    }
    while (w->in.len >= 4) {
        uint32_t len;
        memcpy(&len, w->in.data, sizeof len);
        if (len > MAX_MESSAGE) { *protocol_error = 1; return 1; }
        if (w->in.len < 4 + (size_t)len) break;
        if (w->n_busy == 0 ||
            decode_result((const unsigned char *)w->in.data + 4, len, items, w->busy[0])) {
            *protocol_error = 1;
            return 1;
        }
        long done_index = w->busy[0];
        w->busy[0] = w->busy[1];
        w->n_busy--;
        w->busy_since = now_seconds();
        if (w->n_busy && h->started) h->started(h->userdata, (size_t)w->busy[0]);
        memmove(w->in.data, w->in.data + 4 + len, w->in.len - 4 - len);
        w->in.len -= 4 + len;
        if (h->done(h->userdata, (size_t)done_index)) *stop = 1;
    }
    return dead;
}

int batch_pool_run(batch_item *items, const size_t *queue, size_t n_queue, long jobs,
                   int depth, const batch_pool_hooks *h)
{
    if (n_queue == 0) return 0;
    long n = jobs < 1 ? 1 : jobs > BATCH_MAX_JOBS ? BATCH_MAX_JOBS : jobs;
    if ((size_t)n > n_queue) n = (long)n_queue;
    depth = depth < 1 ? 1 : depth > 2 ? 2 : depth;
    worker *pool = calloc((size_t)n, sizeof *pool);
    /* Documents a dead worker had been handed but not started: handed out
     * again before the rest of the queue. */
    size_t *retry = malloc((size_t)n * 2 * sizeof *retry);
    if (!pool || !retry) { free(pool); free(retry); return -1; }
    size_t n_retry = 0;
    struct sigaction old_pipe, ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &old_pipe); /* a dead worker's pipe gives EPIPE, not death */
    set_handlers(on_parent_signal);

    int rc = 0, stop = 0;
    long live = 0;
    for (long i = 0; i < n; i++)
        if (spawn(pool, n, i, h) == 0) live++;
    size_t next = 0;
    while (live > 0) {
        /* Keep every worker supplied. */
        for (long i = 0; i < n && !stop && (n_retry || next < n_queue); i++) {
            worker *w = &pool[i];
            if (!w->pid || w->n_busy >= depth) continue;
            uint64_t index = n_retry ? retry[n_retry - 1] : queue[next];
            if (write_all(w->task_fd, &index, sizeof index) == 0) {
                if (n_retry) n_retry--;
                else next++;
                if (w->n_busy == 0) {
                    w->busy_since = now_seconds();
                    if (h->started) h->started(h->userdata, (size_t)index);
                }
                w->busy[w->n_busy++] = (long)index;
                i--; /* it may take one more */
                continue;
            }
            /* It died while idle: no document lost, start another. */
            for (int k = 0; k < w->n_busy; k++) retry[n_retry++] = (size_t)w->busy[k];
            retire(w, i, 1);
            live--;
            if (spawn(pool, n, i, h) == 0) { live++; i--; }
        }
        struct pollfd fds[BATCH_MAX_JOBS];
        long slots[BATCH_MAX_JOBS];
        nfds_t nf = 0;
        for (long i = 0; i < n; i++) {
            if (!pool[i].pid || pool[i].n_busy == 0) continue;
            fds[nf] = (struct pollfd){.fd = pool[i].result_fd, .events = POLLIN};
            slots[nf++] = i;
        }
        if (nf == 0) break; /* nothing in flight and nothing more to hand out */
        int ready = poll(fds, nf, 100);
        if (h->tick) h->tick(h->userdata);
        if (ready <= 0) continue;
        for (nfds_t k = 0; k < nf; k++) {
            if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            long i = slots[k];
            worker *w = &pool[i];
            int protocol_error = 0;
            if (!drain(w, items, h, &stop, &protocol_error)) continue;
            /* It died: the document it was converting is lost, the one
             * waiting behind it goes to another worker. */
            long lost = w->n_busy ? w->busy[0] : -1;
            for (int b = 1; b < w->n_busy; b++) retry[n_retry++] = (size_t)w->busy[b];
            double since = w->busy_since;
            int wstatus = retire(w, i, protocol_error);
            live--;
            if (lost >= 0) {
                char how[128];
                if (protocol_error) snprintf(how, sizeof how, "sent a garbled result");
                else describe_exit(wstatus, how, sizeof how);
                mark_crashed(&items[lost], how);
                items[lost].seconds = now_seconds() - since;
                if (h->done(h->userdata, (size_t)lost)) stop = 1;
            }
            if (!stop && (n_retry || next < n_queue) && spawn(pool, n, i, h) == 0) live++;
        }
    }
    /* No live worker but documents left: workers could not be started. */
    while (!stop && live == 0 && (n_retry || next < n_queue)) {
        size_t index = n_retry ? retry[--n_retry] : queue[next++];
        batch_item *it = &items[index];
        it->status = BATCH_FAILED;
        it->exit_code = oct_status_exit_code(OCT_ERR_CONVERSION);
        free(it->error);
        it->error = strdup("cannot start a worker process");
        h->done(h->userdata, index);
        rc = -1;
    }
    /* Closing the task pipes lets idle workers finish; each must exit cleanly
     * (a sanitizer's leak report is a non-zero exit). */
    for (long i = 0; i < n; i++) {
        if (!pool[i].pid) continue;
        int wstatus = retire(&pool[i], i, 0);
        if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
            char how[128];
            describe_exit(wstatus, how, sizeof how);
            fprintf(stderr, "octavo: error: a worker process %s after its last document\n", how);
            rc = -1;
        }
    }
    sigaction(SIGPIPE, &old_pipe, NULL);
    free(retry);
    free(pool);
    return rc;
}
