/*
 * fetch.c — bytes from files, standard input and http(s) URLs, always with a
 * size cap (and, for the network, time caps). Only http and https are ever
 * spoken, redirects included, so no page can make octavo reach file:, ftp:
 * or any other scheme.
 */
#include "internal.h"

#include "curl_load.h"
#include "hugepages.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

void oct_fetched_free(oct_fetched *f)
{
    if (!f) return;
    free(f->data);
    free(f->final_url);
    free(f->content_type);
    memset(f, 0, sizeof *f);
}

int oct_is_remote_url(const char *s)
{
    return s && (strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0);
}

static oct_status read_fd(int fd, const char *name, uint64_t max, size_t size_hint,
                          oct_fetched *out, oct_error *err)
{
    oct_buf b;
    oct_buf_init(&b, (size_t)(max < (uint64_t)SIZE_MAX / 2 ? max + 1 : SIZE_MAX / 2));
    /* A regular file's size is known: one allocation of the right size
     * instead of doublings that can leave a third of it unused, read into
     * directly. */
    if (size_hint && size_hint < b.max && (b.data = oct_alloc_huge(size_hint + 1)) != NULL) {
        b.cap = size_hint + 1;
        b.data[0] = '\0';
    }
    char chunk[65536];
    for (;;) {
        /* Straight into the buffer while it has room (its last byte stays
         * for the terminator); a file that grew past its size goes through
         * chunk. */
        const int direct = b.data && b.cap - b.len > 1;
        ssize_t n = direct ? read(fd, b.data + b.len, b.cap - b.len - 1)
                           : read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            oct_buf_free(&b);
            return oct_error_set(err, OCT_ERR_IO, name, 0, "cannot read: %s", strerror(e));
        }
        if (n == 0) break;
        if (direct) {
            b.len += (size_t)n;
            b.data[b.len] = '\0';
        }
        if ((!direct && oct_buf_append(&b, chunk, (size_t)n)) || b.len > max) {
            oct_status st = b.status ? b.status : OCT_ERR_LIMIT;
            oct_buf_free(&b);
            if (st == OCT_ERR_NOMEM) return oct_error_set(err, st, name, 0, NULL);
            return oct_error_set(err, OCT_ERR_LIMIT, name, 0,
                                 "input is larger than %llu bytes (raise with --max-input-size)",
                                 (unsigned long long)max);
        }
        if (oct_interrupted()) {
            oct_buf_free(&b);
            return oct_error_set(err, OCT_ERR_INTERRUPTED, name, 0, NULL);
        }
    }
    size_t len;
    out->data = (unsigned char *)oct_buf_detach(&b, &len);
    out->len = len;
    if (!out->data) out->data = calloc(1, 1);
    return out->data ? OCT_OK : oct_error_set(err, OCT_ERR_NOMEM, name, 0, NULL);
}

oct_status oct_read_file_bounded(const char *path, uint64_t max, oct_fetched *out, oct_error *err)
{
    memset(out, 0, sizeof *out);
    if (strcmp(path, "-") == 0) return read_fd(STDIN_FILENO, "<stdin>", max, 0, out, err);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        return oct_error_set(err, e == ENOENT ? OCT_ERR_NOT_FOUND : OCT_ERR_IO, path, 0,
                             "cannot open: %s", strerror(e));
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return oct_error_set(err, OCT_ERR_IO, path, 0, "is a directory");
    }
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
        close(fd);
        return oct_error_set(err, OCT_ERR_LIMIT, path, 0,
                             "input is larger than %llu bytes (raise with --max-input-size)",
                             (unsigned long long)max);
    }
    /* The file may still grow while it is read (a log being written); the
     * hint is only where reading starts. */
    size_t hint = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 0;
    oct_status s = read_fd(fd, path, max, hint, out, err);
    close(fd);
    return s;
}

typedef struct download {
    oct_buf body;
    uint64_t max;
    int too_big;
    /* Several downloads at once share a budget: the bytes all of them hold. */
    uint64_t *held, held_max;
    int over_budget;
} download;

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    download *d = userdata;
    size_t n = size * nmemb;
    if (d->body.len + n > d->max) { d->too_big = 1; return 0; }
    if (d->held) {
        if (*d->held + n > d->held_max) { d->over_budget = 1; return 0; }
        *d->held += n;
    }
    if (oct_buf_append(&d->body, ptr, n)) return 0;
    return oct_interrupted() ? 0 : n;
}

/* One transfer, set up the same way for a page and for an image: http(s)
 * only (redirects too), bounded in size and time, our User-Agent, proxies
 * from the environment (libcurl's default), TLS verified unless --insecure. */
static CURL *new_easy(oct_context *ctx, const char *url, uint64_t max, download *d, char *errbuf)
{
    const oct_curl_api *cu = oct_curl(NULL);
    CURL *c = cu->easy_init();
    if (!c) return NULL;
    cu->easy_setopt(c, CURLOPT_URL, url);
    cu->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    cu->easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    cu->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    cu->easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
    cu->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, oct_context_option_long(ctx, "connect-timeout", 15, 1, 600));
    cu->easy_setopt(c, CURLOPT_TIMEOUT, oct_context_option_long(ctx, "timeout", 60, 1, 3600));
    cu->easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    cu->easy_setopt(c, CURLOPT_USERAGENT, "octavo/" OCTAVO_VERSION_STRING);
    cu->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    cu->easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    cu->easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
    cu->easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    cu->easy_setopt(c, CURLOPT_WRITEDATA, d);
    if (oct_context_option_bool(ctx, "insecure", 0)) {
        cu->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        cu->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    return c;
}

/* What became of a finished transfer: OCT_OK, or err filled with why not.
 * limit_option names the option that raises the size cap. */
static oct_status judge_transfer(CURL *easy, CURLcode rc, const download *d, const char *errbuf,
                                 const char *url, const char *limit_option, oct_error *err)
{
    const oct_curl_api *cu = oct_curl(NULL);
    long status = 0;
    cu->easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (d->over_budget)
        return oct_error_set(err, OCT_ERR_LIMIT, url, 0, "images exceed %llu bytes in total",
                             (unsigned long long)d->held_max);
    if (d->too_big || rc == CURLE_FILESIZE_EXCEEDED)
        return oct_error_set(err, OCT_ERR_LIMIT, url, 0,
                             "download larger than %llu bytes (raise with %s)",
                             (unsigned long long)d->max, limit_option);
    if (oct_interrupted()) return oct_error_set(err, OCT_ERR_INTERRUPTED, url, 0, NULL);
    if (rc == CURLE_UNSUPPORTED_PROTOCOL)
        return oct_error_set(err, OCT_ERR_DENIED, url, 0,
                             "redirect to a scheme other than http(s) refused");
    if (rc != CURLE_OK)
        return oct_error_set(err, OCT_ERR_NETWORK, url, 0, "%s",
                             errbuf[0] ? errbuf : cu->easy_strerror(rc));
    if (status >= 400) return oct_error_set(err, OCT_ERR_NETWORK, url, 0, "HTTP status %ld", status);
    return OCT_OK;
}

oct_status oct_fetch_url(oct_context *ctx, const char *url, uint64_t max, oct_fetched *out,
                         oct_error *err)
{
    memset(out, 0, sizeof *out);
    if (!oct_is_remote_url(url))
        return oct_error_set(err, OCT_ERR_DENIED, url, 0, "only http and https URLs are fetched");
    if (oct_context_option_bool(ctx, "offline", 0))
        return oct_error_set(err, OCT_ERR_DENIED, url, 0, "network access is off (--offline)");
    const char *why = NULL;
    const oct_curl_api *cu = oct_curl(&why);
    if (!cu)
        return oct_error_set(err, OCT_ERR_NETWORK, url, 0, "%s", why);
    /* A page is a download too: --max-download caps it when it is the
     * smaller of the two limits. */
    uint64_t max_download = oct_context_limits(ctx)->max_resource_bytes;
    int capped_by_download = max_download < max;
    if (capped_by_download) max = max_download;
    download d;
    memset(&d, 0, sizeof d);
    oct_buf_init(&d.body, (size_t)(max + 1));
    d.max = max;
    char curl_err[CURL_ERROR_SIZE] = "";
    CURL *c = new_easy(ctx, url, max, &d, curl_err);
    if (!c) {
        oct_buf_free(&d.body);
        return oct_error_set(err, OCT_ERR_NOMEM, url, 0, NULL);
    }
    CURLcode rc = cu->easy_perform(c);
    oct_status st = judge_transfer(c, rc, &d, curl_err, url,
                                   capped_by_download ? "--max-download" : "--max-input-size", err);
    if (!st) {
        char *final = NULL, *ctype = NULL;
        cu->easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &final);
        cu->easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ctype);
        out->final_url = strdup(final ? final : url);
        out->content_type = ctype ? strdup(ctype) : NULL;
        size_t len;
        out->data = (unsigned char *)oct_buf_detach(&d.body, &len);
        out->len = len;
        if (!out->data) out->data = calloc(1, 1);
        if (!out->data || !out->final_url) {
            oct_fetched_free(out);
            st = oct_error_set(err, OCT_ERR_NOMEM, url, 0, NULL);
        }
    }
    oct_buf_free(&d.body);
    cu->easy_cleanup(c);
    return st;
}

/* ------------------------------------------------------- many at once */

/* Host part of an http(s) URL, lowercased, into out. */
static void url_host(const char *url, char *out, size_t size)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    const char *at = NULL;
    for (const char *q = p; *q && *q != '/' && *q != '?' && *q != '#'; q++)
        if (*q == '@') at = q;
    if (at) p = at + 1;
    size_t n = 0;
    while (p[n] && p[n] != '/' && p[n] != '?' && p[n] != '#' && p[n] != ':' && n + 1 < size) {
        out[n] = (char)((p[n] >= 'A' && p[n] <= 'Z') ? p[n] - 'A' + 'a' : p[n]);
        n++;
    }
    out[n] = '\0';
}

typedef struct transfer {
    CURL *easy;
    download d;
    size_t job;
    char err[CURL_ERROR_SIZE];
} transfer;

/* A host that could not be resolved or reached once is not tried again in
 * this run: a page with fifty images on a dead host costs one timeout. A
 * transfer that timed out after connecting says only that one image is slow. */
static int unreachable(CURL *easy, CURLcode rc)
{
    if (rc == CURLE_OPERATION_TIMEDOUT) {
        const oct_curl_api *cu = oct_curl(NULL);
        curl_off_t connected = 0;
        cu->easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connected);
        return connected == 0;
    }
    return rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY ||
           rc == CURLE_COULDNT_CONNECT;
}

void oct_fetch_many(oct_context *ctx, const char *const *urls, size_t n, uint64_t max_bytes,
                    size_t parallel, oct_fetched *out, oct_error *errs)
{
    for (size_t i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        oct_error_clear(&errs[i]);
    }
    if (n == 0) return;
    int offline = oct_context_option_bool(ctx, "offline", 0);
    const char *why = "cannot start libcurl";
    const oct_curl_api *cu = offline ? NULL : oct_curl(&why);
    CURLM *multi = cu ? cu->multi_init() : NULL;
    transfer *slots = multi ? calloc(parallel ? parallel : 1, sizeof *slots) : NULL;
    if (!slots) {
        for (size_t i = 0; i < n; i++)
            oct_error_set(&errs[i], offline ? OCT_ERR_DENIED : OCT_ERR_NETWORK, urls[i], 0, "%s",
                          offline ? "network access is off (--offline)" : why);
        if (multi) cu->multi_cleanup(multi);
        return;
    }
    if (parallel == 0) parallel = 1;
    /* Bodies are held until the caller takes them: together they may not
     * exceed what a document may hold in images. */
    uint64_t held = 0, held_max = oct_context_limits(ctx)->max_total_resource_bytes;
    char (*dead)[256] = calloc(n, sizeof *dead);
    size_t n_dead = 0, next = 0, running_slots = 0;
    for (;;) {
        /* Fill free slots with the next jobs, skipping hosts known dead. */
        for (size_t s = 0; s < parallel && next < n; s++) {
            if (slots[s].easy) continue;
            while (next < n) {
                char host[256];
                url_host(urls[next], host, sizeof host);
                int is_dead = 0;
                for (size_t k = 0; k < n_dead && !is_dead; k++) is_dead = strcmp(dead[k], host) == 0;
                if (!is_dead) break;
                oct_error_set(&errs[next], OCT_ERR_NETWORK, urls[next], 0,
                              "host %s was unreachable earlier", host);
                next++;
            }
            if (next >= n) break;
            transfer *t = &slots[s];
            memset(&t->d, 0, sizeof t->d);
            oct_buf_init(&t->d.body, (size_t)(max_bytes + 1));
            t->d.max = max_bytes;
            t->d.held = &held;
            t->d.held_max = held_max;
            t->err[0] = '\0';
            t->job = next;
            t->easy = new_easy(ctx, urls[next], max_bytes, &t->d, t->err);
            if (!t->easy) {
                oct_error_set(&errs[next], OCT_ERR_NOMEM, urls[next], 0, NULL);
                oct_buf_free(&t->d.body);
                next++;
                continue;
            }
            cu->easy_setopt(t->easy, CURLOPT_PRIVATE, t);
            cu->multi_add_handle(multi, t->easy);
            running_slots++;
            next++;
        }
        if (running_slots == 0) break;
        int still = 0;
        cu->multi_perform(multi, &still);
        CURLMsg *msg;
        int left;
        while ((msg = cu->multi_info_read(multi, &left))) {
            if (msg->msg != CURLMSG_DONE) continue;
            transfer *t = NULL;
            cu->easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
            CURLcode rc = msg->data.result;
            size_t j = t->job;
            if (judge_transfer(t->easy, rc, &t->d, t->err, urls[j], "--max-download", &errs[j]) == OCT_OK) {
                size_t len;
                out[j].data = (unsigned char *)oct_buf_detach(&t->d.body, &len);
                out[j].len = len;
                char *ctype = NULL;
                cu->easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ctype);
                out[j].content_type = ctype ? strdup(ctype) : NULL;
                if (!out[j].data) oct_error_set(&errs[j], OCT_ERR_NETWORK, urls[j], 0, "empty response");
            }
            if (unreachable(t->easy, rc) && dead) {
                url_host(urls[j], dead[n_dead], sizeof dead[n_dead]);
                n_dead++;
            }
            held -= t->d.body.len; /* what failed is released (a success was detached: 0) */
            cu->multi_remove_handle(multi, t->easy);
            cu->easy_cleanup(t->easy);
            oct_buf_free(&t->d.body);
            t->easy = NULL;
            running_slots--;
        }
        if (oct_interrupted()) break;
        if (still) cu->multi_poll(multi, NULL, 0, 200, NULL);
    }
    for (size_t s = 0; s < parallel; s++)
        if (slots[s].easy) {
            cu->multi_remove_handle(multi, slots[s].easy);
            cu->easy_cleanup(slots[s].easy);
            oct_buf_free(&slots[s].d.body);
            oct_error_set(&errs[slots[s].job], OCT_ERR_INTERRUPTED, urls[slots[s].job], 0, NULL);
        }
    free(dead);
    free(slots);
    cu->multi_cleanup(multi);
}
