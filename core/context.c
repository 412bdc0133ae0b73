/* context.c — one conversion's options (-V), limits and diagnostics. */
#include "internal.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct option_kv {
    char *key, *value;
} option_kv;

/* A message a forked context holds back until its parent replays it. */
typedef struct kept_message {
    oct_severity severity;
    long line;
    char *where;
    char *text;
} kept_message;


struct oct_context {
    oct_registry *registry;
    oct_log_fn log;
    void *log_data;
    oct_severity verbosity;
    option_kv *options;
    size_t n_options, cap_options;
    oct_limits limits;
    char *where;
    size_t warnings;
    /* Only in a fork: messages held for oct_context_replay, and the budget
     * they draw on, shared by the forks of one reading. */
    kept_message *kept;
    size_t n_kept, cap_kept, n_not_kept;
    char *not_kept_where;
    atomic_size_t *kept_budget;
};

/* Set by a signal handler, read by every thread that reads or fetches: a
 * lock-free atomic is safe in both places. */
static atomic_int interrupt_requested;

void oct_request_interrupt(void) { atomic_store(&interrupt_requested, 1); }
int oct_interrupted(void) { return atomic_load(&interrupt_requested) != 0; }

void oct_log_stderr(void *userdata, oct_severity sev, const char *where, long line,
                    const char *message)
{
    /* What -v shows is the program talking, not a problem: no label. */
    static const char *const labels[] = {"error: ", "warning: ", "", ""};
    (void)userdata;
    char lbuf[32] = "";
    if (line > 0) snprintf(lbuf, sizeof lbuf, "line %ld: ", line);
    fprintf(stderr, "octavo: %s%s%s%s%s\n", where ? where : "", where ? ": " : "", lbuf,
            labels[sev <= OCT_SEV_DEBUG ? sev : OCT_SEV_DEBUG], message);
}

oct_context *oct_context_new(oct_registry *reg)
{
    oct_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return NULL;
    ctx->registry = reg;
    ctx->log = oct_log_stderr;
    ctx->verbosity = OCT_SEV_WARNING;
    oct_limits_default(&ctx->limits);
    return ctx;
}

void oct_context_free(oct_context *ctx)
{
    if (!ctx) return;
    for (size_t i = 0; i < ctx->n_options; i++) {
        free(ctx->options[i].key);
        free(ctx->options[i].value);
    }
    free(ctx->options);
    free(ctx->where);
    for (size_t i = 0; i < ctx->n_kept; i++) {
        free(ctx->kept[i].where);
        free(ctx->kept[i].text);
    }
    free(ctx->kept);
    free(ctx->not_kept_where);
    free(ctx);
}

/* Takes n bytes from the shared budget, or says there are not enough. */
static int take_from_budget(atomic_size_t *budget, size_t n)
{
    size_t left = atomic_load(budget);
    do {
        if (left < n) return 0;
    } while (!atomic_compare_exchange_weak(budget, &left, left - n));
    return 1;
}

/* A fork's log: the message is kept, in order, for the replay, as long as
 * the shared budget lasts; past it, only a count (and where the first
 * dropped message came from) is kept. */
static void keep_message(void *userdata, oct_severity sev, const char *where, long line,
                         const char *message)
{
    oct_context *ctx = userdata;
    const size_t size = sizeof(kept_message) + strlen(message) + 1 + (where ? strlen(where) + 1 : 0);
    kept_message *m = NULL;
    if (take_from_budget(ctx->kept_budget, size)) {
        if (ctx->n_kept == ctx->cap_kept) {
            size_t cap = ctx->cap_kept ? ctx->cap_kept * 2 : 8;
            kept_message *k = realloc(ctx->kept, cap * sizeof *k);
            if (k) {
                ctx->kept = k;
                ctx->cap_kept = cap;
            }
        }
        if (ctx->n_kept < ctx->cap_kept) m = &ctx->kept[ctx->n_kept];
    }
    if (m) {
        m->severity = sev;
        m->line = line;
        m->where = where ? strdup(where) : NULL;
        m->text = strdup(message);
        if (m->text && (!where || m->where)) {
            ctx->n_kept++;
            return;
        }
        free(m->where);
        free(m->text);
    }
    if (!ctx->n_not_kept++ && where) ctx->not_kept_where = strdup(where);
}

oct_context *oct_context_fork(const oct_context *parent, atomic_size_t *kept_budget)
{
    if (!parent || !kept_budget) return NULL;
    oct_context *ctx = oct_context_new(parent->registry);
    if (!ctx) return NULL;
    ctx->kept_budget = kept_budget;
    ctx->verbosity = parent->verbosity;
    ctx->limits = parent->limits;
    ctx->log = keep_message;
    ctx->log_data = ctx;
    for (size_t i = 0; i < parent->n_options; i++) {
        if (oct_context_set_option(ctx, parent->options[i].key, parent->options[i].value)) {
            oct_context_free(ctx);
            return NULL;
        }
    }
    if (parent->where && !(ctx->where = strdup(parent->where))) {
        oct_context_free(ctx);
        return NULL;
    }
    return ctx;
}

void oct_context_replay(oct_context *parent, oct_context *fork)
{
    if (!parent || !fork) return;
    for (size_t i = 0; i < fork->n_kept; i++) {
        kept_message *m = &fork->kept[i];
        parent->log(parent->log_data, m->severity, m->where, m->line, m->text);
        atomic_fetch_add(fork->kept_budget, sizeof *m + strlen(m->text) + 1 +
                                                (m->where ? strlen(m->where) + 1 : 0));
        free(m->where);
        free(m->text);
    }
    fork->n_kept = 0;
    if (fork->n_not_kept) {
        char text[128];
        snprintf(text, sizeof text,
                 "%zu more message%s not shown (too many waited for an earlier input)",
                 fork->n_not_kept, fork->n_not_kept == 1 ? "" : "s");
        parent->log(parent->log_data, OCT_SEV_WARNING, fork->not_kept_where, 0, text);
        fork->n_not_kept = 0;
    }
    parent->warnings += fork->warnings;
    fork->warnings = 0;
}

oct_registry *oct_context_registry(const oct_context *ctx) { return ctx ? ctx->registry : NULL; }

void oct_context_set_log(oct_context *ctx, oct_log_fn fn, void *userdata)
{
    if (!ctx) return;
    ctx->log = fn ? fn : oct_log_stderr;
    ctx->log_data = fn ? userdata : NULL;
}

void oct_context_set_verbosity(oct_context *ctx, oct_severity max_shown)
{
    if (ctx) ctx->verbosity = max_shown;
}

oct_status oct_context_set_option(oct_context *ctx, const char *key, const char *value)
{
    if (!ctx || !key || !*key) return OCT_ERR_INVALID_ARG;
    for (size_t i = 0; i < ctx->n_options; i++) {
        if (strcmp(ctx->options[i].key, key) == 0) {
            char *v = strdup(value ? value : "");
            if (!v) return OCT_ERR_NOMEM;
            free(ctx->options[i].value);
            ctx->options[i].value = v;
            return OCT_OK;
        }
    }
    if (ctx->n_options == ctx->cap_options) {
        size_t cap = ctx->cap_options ? ctx->cap_options * 2 : 8;
        option_kv *p = realloc(ctx->options, cap * sizeof *p);
        if (!p) return OCT_ERR_NOMEM;
        ctx->options = p;
        ctx->cap_options = cap;
    }
    char *k = strdup(key), *v = strdup(value ? value : "");
    if (!k || !v) { free(k); free(v); return OCT_ERR_NOMEM; }
    ctx->options[ctx->n_options].key = k;
    ctx->options[ctx->n_options].value = v;
    ctx->n_options++;
    return OCT_OK;
}

const char *oct_context_option(const oct_context *ctx, const char *key)
{
    if (!ctx || !key) return NULL;
    for (size_t i = 0; i < ctx->n_options; i++)
        if (strcmp(ctx->options[i].key, key) == 0) return ctx->options[i].value;
    return NULL;
}

int oct_context_option_bool(oct_context *ctx, const char *key, int dflt)
{
    const char *v = oct_context_option(ctx, key);
    if (!v) return dflt;
    static const char *const yes[] = {"on", "true", "yes", "1", ""};
    static const char *const no[] = {"off", "false", "no", "0"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (strcasecmp(v, yes[i]) == 0) return 1;
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strcasecmp(v, no[i]) == 0) return 0;
    oct_warn(ctx, "option %s=%s is not on or off; using %s", key, v, dflt ? "on" : "off");
    return dflt;
}

long oct_context_option_long(oct_context *ctx, const char *key, long dflt, long min, long max)
{
    const char *v = oct_context_option(ctx, key);
    if (!v) return dflt;
    char *end;
    long n = strtol(v, &end, 10);
    if (end == v || *end || n < min || n > max) {
        oct_warn(ctx, "option %s=%s is not a number from %ld to %ld; using %ld", key, v, min, max,
                 dflt);
        return dflt;
    }
    return n;
}

const oct_limits *oct_context_limits(const oct_context *ctx) { return ctx ? &ctx->limits : NULL; }

void oct_context_set_limits(oct_context *ctx, const oct_limits *l)
{
    if (ctx && l) oct_limits_copy(&ctx->limits, l);
}

void oct_context_set_where(oct_context *ctx, const char *where)
{
    if (!ctx) return;
    char *w = where ? strdup(where) : NULL;
    free(ctx->where);
    ctx->where = w;
}

const char *oct_context_where(const oct_context *ctx) { return ctx ? ctx->where : NULL; }

void oct_context_log(oct_context *ctx, oct_severity sev, long line, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    if (!ctx) {
        if (sev <= OCT_SEV_WARNING) oct_log_stderr(NULL, sev, NULL, line, msg);
        return;
    }
    if (sev == OCT_SEV_WARNING) ctx->warnings++;
    if (sev > ctx->verbosity) return;
    ctx->log(ctx->log_data, sev, ctx->where, line, msg);
}

size_t oct_context_warning_count(const oct_context *ctx) { return ctx ? ctx->warnings : 0; }
