/*
 * batch.c — many inputs, one output each (--output-dir): list the inputs,
 * keep this shard's, skip what is up to date, convert the rest in a pool of
 * worker processes, then summarise and write the manifest and reports.
 *
 * Every document is converted by oct_convert exactly as a single run would,
 * with the same request whatever -j, order or shard: outputs are the same
 * bytes however the batch is cut.
 */
#include "batch.h"

#include <octavo/octavo_plugin.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool/batch_inputs.h"
#include "tool/batch_manifest.h"
#include "tool/batch_pool.h"
#include "tool/batch_report.h"
#include "tool/progress.h"

#define MAX_WARNINGS_KEPT 100

typedef struct run_state {
    oct_context *ctx;
    const batch_options *opt;
    batch_item *items;
    json_t *manifest;
    char config_hex[65];
    progress prog;
} run_state;

/* ------------------------------------------------------ in the workers */

typedef struct collector {
    batch_item *result;
    const char *input;
    size_t cap, dropped;
    int verbosity;
} collector;

static void collect_log(void *userdata, oct_severity sev, const char *where, long line,
                        const char *message)
{
    collector *c = userdata;
    if (sev >= OCT_SEV_INFO) {
        if ((sev == OCT_SEV_INFO && c->verbosity >= 1) || c->verbosity >= 2)
            fprintf(stderr, "octavo: %s: %s\n", where ? where : c->input, message);
        return;
    }
    batch_item *r = c->result;
    if (r->n_warnings >= MAX_WARNINGS_KEPT) { c->dropped++; return; }
    if (r->n_warnings == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 4;
        char **p = realloc(r->warnings, cap * sizeof *p);
        if (!p) { c->dropped++; return; }
        r->warnings = p;
        c->cap = cap;
    }
    char text[1200];
    char lbuf[32] = "";
    if (line > 0) snprintf(lbuf, sizeof lbuf, "line %ld: ", line);
    /* The input is implied; any other place (the output, an image URL) is said. */
    int other = where && strcmp(where, c->input) != 0;
    snprintf(text, sizeof text, "%s%s%s%s%s", sev == OCT_SEV_ERROR ? "error: " : "",
             other ? where : "", other ? ": " : "", lbuf, message);
    char *s = strdup(text);
    if (s) r->warnings[r->n_warnings++] = s;
    else c->dropped++;
}

static void finish_warnings(collector *c)
{
    if (!c->dropped) return;
    char text[96];
    snprintf(text, sizeof text, "... and %zu more warnings", c->dropped);
    char **p = realloc(c->result->warnings, (c->result->n_warnings + 1) * sizeof *p);
    if (!p) return;
    c->result->warnings = p;
    if ((p[c->result->n_warnings] = strdup(text))) c->result->n_warnings++;
}

/* The message of a failure, without the input's name in front (the reports
 * and the progress lines name the input themselves). */
static char *failure_text(const oct_error *err, oct_status st, const char *input)
{
    const char *msg = err->message[0] ? err->message
                                      : oct_status_message(err->status ? err->status : st);
    int other = err->where[0] && strcmp(err->where, input) != 0;
    char text[1200], lbuf[32] = "";
    if (err->line > 0) snprintf(lbuf, sizeof lbuf, "line %ld: ", err->line);
    snprintf(text, sizeof text, "%s%s%s%s", other ? err->where : "", other ? ": " : "", lbuf, msg);
    return strdup(text);
}

static void convert_one(void *userdata, size_t index, batch_item *res)
{
    run_state *s = userdata;
    const batch_item *it = &s->items[index];
    double t0 = progress_now();
    uint64_t max = oct_context_limits(s->ctx)->max_input_bytes;
    /* An input that cannot be hashed cannot be read either: oct_convert
     * says why in its own words. */
    res->hashed = batch_hash_file(it->input, max, res->input_sha256, &res->input_bytes) == 0;
    if (res->hashed && s->opt->incremental) {
        res->rel = it->rel;
        res->output = it->output;
        int current = batch_manifest_current(s->manifest, res, s->config_hex);
        res->rel = res->output = NULL;
        if (current) {
            res->status = BATCH_UP_TO_DATE;
            res->seconds = progress_now() - t0;
            return;
        }
    }
    collector c = {.result = res, .input = it->input, .verbosity = s->opt->verbosity};
    oct_context_set_log(s->ctx, collect_log, &c);
    oct_convert_request req = s->opt->request;
    req.inputs = (const char *const *)&it->input;
    req.n_inputs = 1;
    req.output = it->output;
    oct_error err;
    oct_error_clear(&err);
    oct_status st = oct_convert(s->ctx, &req, &err);
    oct_context_set_log(s->ctx, NULL, NULL);
    finish_warnings(&c);
    if (st) {
        res->status = BATCH_FAILED;
        res->exit_code = oct_status_exit_code(err.status ? err.status : st);
        res->error = failure_text(&err, st, it->input);
    } else {
        res->status = BATCH_CONVERTED;
        if (res->hashed && batch_hash_file(it->output, 0, res->output_sha256, &res->output_bytes))
            res->hashed = 0;
    }
    res->seconds = progress_now() - t0;
}

/* ------------------------------------------------------- in the parent */

static int on_done(void *userdata, size_t index)
{
    run_state *s = userdata;
    const batch_item *it = &s->items[index];
    progress_result(&s->prog, it);
    return s->opt->fail_fast && batch_item_failed(it, s->opt->fail_if_warnings);
}

static void on_started(void *userdata, size_t index)
{
    run_state *s = userdata;
    progress_started(&s->prog, &s->items[index]);
}

static void on_tick(void *userdata)
{
    run_state *s = userdata;
    progress_tick(&s->prog);
}

/* Hash of a file named by an option, so that changing it re-converts. */
static void fingerprint_file(oct_buf *b, const char *label, const char *path)
{
    uint8_t sha[32];
    uint64_t n;
    char hex[65] = "unreadable";
    if (path && batch_hash_file(path, 0, sha, &n) == 0) batch_hex(sha, hex);
    oct_buf_printf(b, "%s %s %s\n", label, path ? path : "-", path ? hex : "-");
}

/* Everything besides the input that decides the output bytes. */
static void config_fingerprint(oct_context *ctx, const batch_options *opt, const oct_format *writer,
                               char hex[65])
{
    const oct_registry *reg = oct_context_registry(ctx);
    const oct_convert_request *r = &opt->request;
    oct_buf b;
    oct_buf_init(&b, 0);
    oct_buf_printf(&b, "octavo %s\n", oct_version());
    for (size_t i = 0; i < oct_registry_plugin_count(reg); i++) {
        const char *name, *version;
        oct_registry_plugin_info(reg, i, &name, &version);
        oct_buf_printf(&b, "plugin %s %s\n", name ? name : "?", version ? version : "?");
    }
    oct_buf_printf(&b, "to %s\nfrom %s\n", oct_format_name(writer), r->from ? r->from : "-");
    for (size_t i = 0; i < r->n_metadata; i++) oct_buf_printf(&b, "metadata %s\n", r->metadata[i]);
    for (size_t i = 0; i < opt->n_fingerprint; i++) oct_buf_printf(&b, "option %s\n", opt->fingerprint[i]);
    const oct_limits *l = oct_context_limits(ctx);
    oct_buf_printf(&b, "limits %llu %lu %llu %llu %lu %llu %llu\n",
                   (unsigned long long)l->max_input_bytes, (unsigned long)l->max_depth,
                   (unsigned long long)l->max_nodes, (unsigned long long)l->max_resource_bytes,
                   (unsigned long)l->max_resources, (unsigned long long)l->max_total_resource_bytes,
                   (unsigned long long)l->max_output_bytes);
    if (r->cover_image) fingerprint_file(&b, "cover", r->cover_image);
    for (size_t i = 0; i < r->n_stylesheets; i++) fingerprint_file(&b, "css", r->stylesheets[i]);
    if (r->reference_doc) fingerprint_file(&b, "reference-doc", r->reference_doc);
    if (r->extract_media) oct_buf_printf(&b, "extract-media %s\n", r->extract_media);
    uint8_t sha[32];
    oct_sha256(b.data ? b.data : "", b.len, sha);
    batch_hex(sha, hex);
    oct_buf_free(&b);
}

/* mkdir -p */
static int make_folder(const char *path)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) return -1;
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0') continue;
        char saved = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
        buf[i] = saved;
    }
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

long batch_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > BATCH_MAX_JOBS ? BATCH_MAX_JOBS : n;
}

/* Keeps only this shard's items. */
static void keep_shard(batch_list *l, unsigned k, unsigned n)
{
    size_t out = 0;
    for (size_t i = 0; i < l->len; i++) {
        if (batch_in_shard(l->items[i].rel, k, n)) l->items[out++] = l->items[i];
        else batch_item_clear(&l->items[i]);
    }
    l->len = out;
}

static void print_summary(const batch_summary *s, int verbosity, int failed)
{
    if (verbosity < 0 && !failed) return;
    char parts[512];
    int n = snprintf(parts, sizeof parts, "%zu converted", s->converted);
    const struct { size_t count; const char *label; } more[] = {
        {s->up_to_date, "up to date"}, {s->failed, "failed"}, {s->crashed, "crashed"},
        {s->refused, "refused"}, {s->not_run, "not run"}, {s->with_warnings, "with warnings"},
    };
    for (size_t i = 0; i < sizeof more / sizeof *more && n > 0 && (size_t)n < sizeof parts; i++)
        if (more[i].count)
            n += snprintf(parts + n, sizeof parts - (size_t)n, ", %zu %s", more[i].count, more[i].label);
    double rate = s->elapsed > 0 ? (double)(s->converted + s->up_to_date) / s->elapsed : 0;
    fprintf(stderr, "octavo: %zu input%s: %s in %.2f s (%.1f files/s)\n", s->total,
            s->total == 1 ? "" : "s", parts, s->elapsed, rate);
}

int batch_run(oct_context *ctx, const batch_options *opt)
{
    oct_error err;
    oct_error_clear(&err);
    const oct_format *writer = oct_convert_pick_writer(ctx, &opt->request, &err);
    if (!writer) {
        char line[1200];
        if (!err.status) err.status = OCT_ERR_UNKNOWN_FORMAT;
        fprintf(stderr, "octavo: %s\n", oct_error_format(&err, line, sizeof line));
        return oct_status_exit_code(err.status);
    }
    const char *ext = writer->extensions && writer->extensions[0] ? writer->extensions[0]
                                                                  : oct_format_name(writer);
    if (make_folder(opt->output_dir)) {
        fprintf(stderr, "octavo: %s: cannot create the output folder: %s\n", opt->output_dir,
                strerror(errno));
        return oct_status_exit_code(OCT_ERR_OUTPUT);
    }
    double start = progress_now();
    batch_list list;
    int rc = batch_collect(oct_context_registry(ctx), opt, ext, &list);
    if (rc) { batch_list_free(&list); return rc; }
    if (opt->shard_count > 1) keep_shard(&list, opt->shard_index, opt->shard_count);

    run_state s;
    memset(&s, 0, sizeof s);
    s.ctx = ctx;
    s.opt = opt;
    s.items = list.items;
    config_fingerprint(ctx, opt, writer, s.config_hex);
    s.manifest = batch_manifest_load(opt->output_dir);
    progress_init(&s.prog, list.len, opt->verbosity, opt->fail_if_warnings);

    size_t *queue = list.len ? malloc(list.len * sizeof *queue) : NULL;
    size_t n_queue = 0;
    int stop = 0;
    for (size_t i = 0; i < list.len; i++) {
        batch_item *it = &list.items[i];
        if (it->status == BATCH_PENDING) batch_prepare_output(opt->output_dir, it);
        if (it->status == BATCH_PENDING && queue) queue[n_queue++] = i;
        else if (it->status != BATCH_PENDING) {
            progress_result(&s.prog, it);
            if (opt->fail_fast) stop = 1;
        }
    }
    if (list.len && !queue) {
        fprintf(stderr, "octavo: out of memory\n");
        rc = 4;
    }
    const batch_pool_hooks hooks = {.userdata = &s, .work = convert_one, .done = on_done,
                                  .started = on_started, .tick = on_tick};
    long jobs = opt->jobs > 0 ? opt->jobs : batch_default_jobs();
    /* One fsync per output costs more than converting a small page; outputs
     * are still renamed into place atomically, and synced once at the end. */
    if (!oct_context_option(ctx, "fsync")) oct_context_set_option(ctx, "fsync", "off");
    /* --fail-fast hands out one document at a time, so that it stops right
     * after the first failure. */
    int depth = opt->fail_fast ? 1 : 2;
    int pool_rc = stop ? 0 : batch_pool_run(list.items, queue, n_queue, jobs, depth, &hooks);
    for (size_t i = 0; i < list.len; i++)
        if (list.items[i].status == BATCH_PENDING) {
            list.items[i].status = BATCH_NOT_RUN;
            progress_result(&s.prog, &list.items[i]);
        }
    progress_finish(&s.prog);
    sync();

    batch_report_info info = {
        .to = oct_format_name(writer), .output_dir = opt->output_dir,
        .shard_index = opt->shard_count ? opt->shard_index : 0, .shard_count = opt->shard_count,
        .fail_if_warnings = opt->fail_if_warnings,
    };
    info.summary.elapsed = progress_now() - start;
    batch_summarize(list.items, list.len, &info.summary);

    /* The exit status of the first input that failed, in input order. */
    int failed = 0;
    for (size_t i = 0; i < list.len && !rc; i++) {
        const batch_item *it = &list.items[i];
        if (!batch_item_failed(it, opt->fail_if_warnings)) continue;
        failed = 1;
        /* warnings under --fail-if-warnings: 3, as for an input error */
        rc = it->exit_code ? it->exit_code : 3;
    }
    print_summary(&info.summary, opt->verbosity, failed);
    if (list.len == 0 && opt->verbosity >= 0)
        fprintf(stderr, "octavo: warning: no input to convert\n");
    if (pool_rc && !rc) rc = oct_status_exit_code(OCT_ERR_CONVERSION);

    if (batch_manifest_save(opt->output_dir, s.manifest, list.items, list.len, s.config_hex) && !rc)
        rc = oct_status_exit_code(OCT_ERR_OUTPUT);
    if (opt->report_json && batch_report_write_json(opt->report_json, &info, list.items, list.len) && !rc)
        rc = oct_status_exit_code(OCT_ERR_OUTPUT);
    if (opt->junit_xml && batch_report_write_junit(opt->junit_xml, &info, list.items, list.len) && !rc)
        rc = oct_status_exit_code(OCT_ERR_OUTPUT);
    json_decref(s.manifest);
    free(queue);
    batch_list_free(&list);
    return rc;
}
