/* progress.c — the progress bar and the per-document lines of a batch, all
 * on stderr. Messages go above the bar, which is redrawn after them. */
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_init(progress *p, size_t total, int verbosity, int fail_if_warnings)
{
    memset(p, 0, sizeof *p);
    p->total = total;
    p->verbosity = verbosity;
    p->fail_if_warnings = fail_if_warnings;
    p->start = progress_now();
    const char *ci = getenv("CI");
    if (verbosity < 0) p->mode = PROGRESS_QUIET;
    else if (isatty(STDERR_FILENO) && !(ci && *ci)) p->mode = PROGRESS_BAR;
    else p->mode = PROGRESS_LINES;
}

static int terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
    return 80;
}

static void clear_bar(progress *p)
{
    if (p->bar_shown) fputs("\r\033[K", stderr);
    p->bar_shown = 0;
}

/* Copies the tail of s that fits in cols columns (the end of a path says most). */
static void fit_tail(const char *s, int cols, char *out, size_t size)
{
    size_t len = strlen(s);
    size_t start = 0;
    while (start < len && (int)oct_utf8_display_width(s + start, len - start) > cols) {
        start++;
        while (start < len && ((unsigned char)s[start] & 0xC0) == 0x80) start++;
    }
    snprintf(out, size, "%s%s", start ? "…" : "", s + start);
}

static void draw_bar(progress *p)
{
    double now = progress_now();
    double elapsed = now - p->start;
    double rate = elapsed > 0 ? (double)p->done / elapsed : 0;
    char eta[32] = "--:--";
    if (rate > 0 && p->done < p->total) {
        long secs = (long)((double)(p->total - p->done) / rate + 0.5);
        snprintf(eta, sizeof eta, "%ld:%02ld", secs / 60, secs % 60);
    } else if (p->done >= p->total) {
        snprintf(eta, sizeof eta, "0:00");
    }
    int width = terminal_width();
    enum { BAR = 24 };
    char bar[BAR + 1];
    size_t fill = p->total ? p->done * BAR / p->total : BAR;
    for (int i = 0; i < BAR; i++) bar[i] = (size_t)i < fill ? '#' : '-';
    bar[BAR] = '\0';
    char head[160];
    int n = snprintf(head, sizeof head, "[%s] %zu/%zu %.1f files/s ETA %s ", bar, p->done, p->total,
                     rate, eta);
    char name[512] = "";
    int room = width - 1 - (n > 0 ? n : 0);
    if (room > 4 && p->current[0]) fit_tail(p->current, room - 1, name, sizeof name);
    fprintf(stderr, "\r\033[K%s%s", head, name);
    fflush(stderr);
    p->bar_shown = 1;
    p->last_draw = now;
}

void progress_result(progress *p, const batch_item *it)
{
    p->done++;
    int failed = it->status == BATCH_FAILED || it->status == BATCH_CRASHED || it->status == BATCH_REFUSED;
    if (p->mode == PROGRESS_BAR) clear_bar(p);
    if (p->mode == PROGRESS_LINES) {
        int digits = snprintf(NULL, 0, "%zu", p->total);
        if (failed)
            fprintf(stderr, "octavo: [%*zu/%zu] %s %s: %s\n", digits, p->done, p->total,
                    batch_status_name(it->status), it->input, it->error ? it->error : "");
        else if (it->status == BATCH_NOT_RUN)
            fprintf(stderr, "octavo: [%*zu/%zu] not run %s\n", digits, p->done, p->total, it->input);
        else
            fprintf(stderr, "octavo: [%*zu/%zu] %s %s -> %s (%.1f ms)\n", digits, p->done, p->total,
                    batch_status_name(it->status), it->input, it->output ? it->output : "",
                    it->seconds * 1000.0);
    } else if (failed) {
        fprintf(stderr, "octavo: %s: %s%s\n", it->input,
                it->status == BATCH_FAILED ? "error: " : "", it->error ? it->error : "");
    }
    /* Warnings are noise under -q, except when they fail the batch. */
    if (p->mode != PROGRESS_QUIET || p->fail_if_warnings)
        for (size_t i = 0; i < it->n_warnings; i++)
            fprintf(stderr, "octavo: %s: warning: %s\n", it->input, it->warnings[i]);
    if (p->mode == PROGRESS_BAR) draw_bar(p);
}

void progress_started(progress *p, const batch_item *it)
{
    snprintf(p->current, sizeof p->current, "%s", it->input);
}

void progress_tick(progress *p)
{
    if (p->mode == PROGRESS_BAR && progress_now() - p->last_draw >= 0.2) draw_bar(p);
}

void progress_finish(progress *p)
{
    if (p->mode == PROGRESS_BAR) clear_bar(p);
    fflush(stderr);
}
