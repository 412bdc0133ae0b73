/*
 * sink.c — where writers' bytes go. A file sink never exposes a half-written
 * file: bytes go to a temporary file beside the target, which is fsynced and
 * renamed over the target only on commit. An interrupted or failed
 * conversion leaves the old file, if any, untouched.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum sink_kind { SINK_MEMORY, SINK_FILE, SINK_STDOUT };

#define SINK_BUFFER (64 * 1024)

struct oct_sink {
    enum sink_kind kind;
    oct_status status;
    uint64_t written;
    uint64_t max;
    oct_buf mem;            /* SINK_MEMORY */
    int fd;                 /* SINK_FILE, SINK_STDOUT */
    char *path, *tmp;
    unsigned char *buf;
    size_t blen;
    int slot;               /* index in the temp-file table, or -1 */
    int write_errno;        /* errno of the first failed write */
    int lazy;               /* skip the fsync at commit (the caller syncs later) */
    int committed;
};

/* Temporary files in flight, for oct_sink_abort_all from a signal handler:
 * fixed slots so the handler never allocates or takes locks. */
#define MAX_TEMPS 64
static char temp_paths[MAX_TEMPS][4096];
static volatile sig_atomic_t temp_used[MAX_TEMPS];

static int claim_slot(const char *path)
{
    size_t n = strlen(path);
    if (n >= sizeof temp_paths[0]) return -1;
    for (int i = 0; i < MAX_TEMPS; i++) {
        if (__atomic_exchange_n(&temp_used[i], 2, __ATOMIC_ACQ_REL) == 0) {
            memcpy(temp_paths[i], path, n + 1);
            __atomic_store_n(&temp_used[i], 1, __ATOMIC_RELEASE);
            return i;
        }
    }
    return -1;
}

static void release_slot(int slot)
{
    if (slot >= 0) __atomic_store_n(&temp_used[slot], 0, __ATOMIC_RELEASE);
}

void oct_sink_abort_all(void)
{
    for (int i = 0; i < MAX_TEMPS; i++)
        if (temp_used[i] == 1) unlink(temp_paths[i]);
}

oct_sink *oct_sink_new_memory(size_t max_bytes)
{
    oct_sink *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->kind = SINK_MEMORY;
    s->max = max_bytes ? max_bytes : UINT64_MAX;
    s->fd = -1;
    s->slot = -1;
    oct_buf_init(&s->mem, max_bytes ? max_bytes : 0);
    return s;
}

const unsigned char *oct_sink_memory_data(const oct_sink *s, size_t *len)
{
    if (!s || s->kind != SINK_MEMORY) { if (len) *len = 0; return NULL; }
    if (len) *len = s->mem.len;
    return (const unsigned char *)(s->mem.data ? s->mem.data : "");
}

static oct_status write_all(oct_sink *s, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = write(s->fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            s->write_errno = errno;
            return OCT_ERR_OUTPUT;
        }
        p += w;
        n -= (size_t)w;
    }
    return OCT_OK;
}

static oct_status flush_buffer(oct_sink *s)
{
    if (s->status || !s->blen) return s->status;
    oct_status st = write_all(s, s->buf, s->blen);
    s->blen = 0;
    if (st) s->status = st;
    return s->status;
}

oct_status oct_sink_write(oct_sink *s, const void *data, size_t len)
{
    if (!s) return OCT_ERR_INVALID_ARG;
    if (s->status) return s->status;
    if (len == 0) return OCT_OK;
    if (len > s->max - s->written) return s->status = OCT_ERR_LIMIT;
    s->written += len;
    if (s->kind == SINK_MEMORY) {
        if (oct_buf_append(&s->mem, data, len)) s->status = s->mem.status;
        return s->status;
    }
    if (s->blen + len > SINK_BUFFER) {
        if (flush_buffer(s)) return s->status;
        if (len >= SINK_BUFFER) {
            oct_status st = write_all(s, data, len);
            if (st) s->status = st;
            return s->status;
        }
    }
    memcpy(s->buf + s->blen, data, len);
    s->blen += len;
    return OCT_OK;
}

oct_status oct_sink_puts(oct_sink *s, const char *str) { return oct_sink_write(s, str, strlen(str)); }

oct_status oct_sink_printf(oct_sink *s, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return s ? (s->status = OCT_ERR_INVALID_ARG) : OCT_ERR_INVALID_ARG;
    if ((size_t)n < sizeof small) return oct_sink_write(s, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big) return s->status = OCT_ERR_NOMEM;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    oct_status st = oct_sink_write(s, big, (size_t)n);
    free(big);
    return st;
}

void oct_sink_set_max(oct_sink *s, uint64_t max_bytes)
{
    if (s && max_bytes) s->max = max_bytes;
}

void oct_sink_set_durable(oct_sink *s, int durable)
{
    if (s) s->lazy = !durable;
}

oct_status oct_sink_status(const oct_sink *s) { return s ? s->status : OCT_ERR_INVALID_ARG; }
uint64_t oct_sink_bytes_written(const oct_sink *s) { return s ? s->written : 0; }

oct_sink *oct_sink_open_file(const char *path, oct_error *err)
{
    if (!path || !*path) {
        oct_error_set(err, OCT_ERR_INVALID_ARG, NULL, 0, "no output path");
        return NULL;
    }
    oct_sink *s = calloc(1, sizeof *s);
    if (!s) { oct_error_set(err, OCT_ERR_NOMEM, path, 0, NULL); return NULL; }
    s->slot = -1;
    s->fd = -1;
    s->max = UINT64_MAX;
    s->buf = malloc(SINK_BUFFER);
    if (!s->buf) goto nomem;
    if (strcmp(path, "-") == 0) {
        s->kind = SINK_STDOUT;
        s->fd = STDOUT_FILENO;
        return s;
    }
    s->kind = SINK_FILE;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        oct_error_set(err, OCT_ERR_OUTPUT, path, 0, "is a directory");
        goto fail;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* A device or pipe (/dev/null, /dev/full, a FIFO) is written to as it
         * is: renaming a file over it would replace the device itself. */
        s->kind = SINK_STDOUT;
        s->path = strdup(path);
        s->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (!s->path || s->fd < 0) {
            int e = errno;
            oct_error_set(err, OCT_ERR_OUTPUT, path, 0, "cannot open output: %s", strerror(e));
            goto fail;
        }
        return s;
    }
    s->path = strdup(path);
    /* The temporary file lives in the target's directory, so the final
     * rename is atomic (same file system). */
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    size_t tl = dirlen + strlen(base) + 32;
    s->tmp = malloc(tl);
    if (!s->path || !s->tmp) goto nomem;
    snprintf(s->tmp, tl, "%.*s.%s.octavo-XXXXXX", (int)dirlen, path, base);
    s->fd = mkstemp(s->tmp);
    if (s->fd < 0) {
        int e = errno;
        oct_error_set(err, OCT_ERR_OUTPUT, path, 0, "cannot create output: %s",
                      e == ENOENT ? "directory does not exist" : strerror(e));
        goto fail;
    }
    s->slot = claim_slot(s->tmp);
    /* mkstemp makes 0600; an output file should get the usual 0666 & ~umask. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(s->fd, 0666 & ~mask);
    return s;
nomem:
    oct_error_set(err, OCT_ERR_NOMEM, path, 0, NULL);
fail:
    free(s->tmp);
    s->tmp = NULL;
    oct_sink_close(s);
    return NULL;
}

oct_status oct_sink_commit(oct_sink *s, oct_error *err)
{
    if (!s) return OCT_ERR_INVALID_ARG;
    const char *where = s->path ? s->path : (s->kind == SINK_STDOUT ? "<stdout>" : NULL);
    if (s->kind == SINK_MEMORY)
        return s->status ? oct_error_set(err, s->status, NULL, 0, "output: %s",
                                         oct_status_message(s->status)) : OCT_OK;
    flush_buffer(s);
    if (s->status) {
        const char *why = s->status == OCT_ERR_LIMIT ? "output larger than the limit"
                                                     : strerror(s->write_errno ? s->write_errno : EIO);
        return oct_error_set(err, s->status, where, 0, "cannot write output: %s", why);
    }
    if (s->kind == SINK_STDOUT) {
        s->committed = 1;
        return OCT_OK;
    }
    if (!s->lazy && fsync(s->fd) != 0 && errno != EINVAL) {
        int e = errno;
        s->status = OCT_ERR_OUTPUT;
        return oct_error_set(err, OCT_ERR_OUTPUT, where, 0, "cannot write output: %s", strerror(e));
    }
    int fd = s->fd;
    s->fd = -1;
    if (close(fd) != 0) {
        int e = errno;
        s->status = OCT_ERR_OUTPUT;
        return oct_error_set(err, OCT_ERR_OUTPUT, where, 0, "cannot write output: %s", strerror(e));
    }
    if (rename(s->tmp, s->path) != 0) {
        int e = errno;
        s->status = OCT_ERR_OUTPUT;
        return oct_error_set(err, OCT_ERR_OUTPUT, where, 0, "cannot replace output: %s", strerror(e));
    }
    release_slot(s->slot);
    s->slot = -1;
    s->committed = 1;
    return OCT_OK;
}

void oct_sink_close(oct_sink *s)
{
    if (!s) return;
    if (s->kind == SINK_STDOUT) {
        if (!s->committed) flush_buffer(s);
        if (s->path && s->fd >= 0) close(s->fd);
    } else if (s->kind == SINK_FILE) {
        if (s->fd >= 0) close(s->fd);
        if (!s->committed && s->tmp) unlink(s->tmp);
        release_slot(s->slot);
    }
    oct_buf_free(&s->mem);
    free(s->buf);
    free(s->path);
    free(s->tmp);
    free(s);
}
