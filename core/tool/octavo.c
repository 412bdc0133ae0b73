/*
 * octavo.c — the command-line program: parse arguments, set up the registry
 * and context, hand the request to liboctavo, report. It never touches the
 * document tree itself.
 */
#include <octavo/octavo.h>
#include <octavo/octavo_plugin.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "../batch.h"

/* On SIGINT/SIGTERM: remove temporary outputs (old outputs were never
 * touched) and leave at once with the conventional status. */
static void on_signal(int sig)
{
    oct_request_interrupt();
    oct_sink_abort_all();
    static const char msg[] = "octavo: interrupted\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
    _exit(128 + sig);
}

static void install_signal_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

typedef struct log_state {
    int verbosity;
} log_state;

static void log_to_stderr(void *userdata, oct_severity sev, const char *where, long line,
                          const char *message)
{
    const log_state *ls = userdata;
    if (ls->verbosity < 0 && sev > OCT_SEV_ERROR) return;
    if (sev == OCT_SEV_INFO && ls->verbosity < 1) return;
    if (sev == OCT_SEV_DEBUG && ls->verbosity < 2) return;
    oct_log_stderr(NULL, sev, where, line, message);
}

static void list_formats(const oct_registry *reg)
{
    printf("%-12s %-5s %-10s %-8s %s\n", "FORMAT", "MODE", "PLUGIN", "VERSION", "FILE");
    for (size_t i = 0; i < oct_registry_format_count(reg); i++) {
        const oct_format *f = oct_registry_format_at(reg, i);
        if (!f) continue; /* its plugin failed to open, as a warning said */
        char mode[3] = {oct_format_can_read(f) ? 'r' : '-', oct_format_can_write(f) ? 'w' : '-', 0};
        printf("%-12s %-5s %-10s %-8s %s\n", oct_format_name(f), mode,
               oct_format_plugin_name(reg, f), oct_format_plugin_version(reg, f),
               oct_format_plugin_path(reg, f));
    }
}

static void show_version(const oct_registry *reg)
{
    printf("octavo %s\n%s\n", oct_version(), oct_version_details());
    for (size_t i = 0; i < oct_registry_plugin_count(reg); i++) {
        const char *name, *version;
        const char *path = oct_registry_plugin_info(reg, i, &name, &version);
        printf("plugin %s %s (%s)\n", name, version, path);
    }
}

static int report(const oct_error *err, oct_status st)
{
    char line[1200];
    oct_error e = *err;
    if (e.status == OCT_OK) e.status = st;
    fprintf(stderr, "octavo: %s\n", oct_error_format(&e, line, sizeof line));
    return oct_status_exit_code(e.status);
}

/* Options that only make sense with --output-dir. */
static const char *batch_only_option(const cli_args *a)
{
    if (a->include.len) return "--include";
    if (a->exclude.len) return "--exclude";
    if (a->fail_fast) return "--fail-fast";
    if (a->report_json) return "--report";
    if (a->junit_xml) return "--junit";
    if (a->incremental) return "--incremental";
    if (a->shard_count) return "--shard";
    return NULL;
}

/* The inputs of one book read at once: -j, or one per core. Up to eight by
 * default, since each page being read holds its parsed tree in memory. A
 * batch runs documents in parallel instead, each read on one thread. */
static unsigned reading_threads(const cli_args *a)
{
    if (a->output_dir) return 1;
    if (a->jobs) return (unsigned)a->jobs;
    const long jobs = batch_default_jobs();
    return jobs > 8 ? 8 : (unsigned)jobs;
}

static int run_batch(oct_context *ctx, const cli_args *args, const oct_convert_request *req)
{
    batch_options opt = {
        .inputs = args->inputs.items,
        .n_inputs = args->inputs.len,
        .output_dir = args->output_dir,
        .include = args->include.items,
        .n_include = args->include.len,
        .exclude = args->exclude.items,
        .n_exclude = args->exclude.len,
        .jobs = args->jobs,
        .fail_fast = args->fail_fast,
        .fail_if_warnings = args->fail_if_warnings,
        .incremental = args->incremental,
        .verbosity = args->verbosity,
        .shard_index = args->shard_index,
        .shard_count = args->shard_count,
        .report_json = args->report_json,
        .junit_xml = args->junit_xml,
        .request = *req,
        .fingerprint = args->variables.items,
        .n_fingerprint = args->variables.len,
    };
    /* Warnings always reach the batch, which shows or silences them itself
     * and records them in the reports. */
    oct_context_set_verbosity(ctx, args->verbosity >= 2 ? OCT_SEV_DEBUG
                                   : args->verbosity == 1 ? OCT_SEV_INFO : OCT_SEV_WARNING);
    return batch_run(ctx, &opt);
}

int main(int argc, char **argv)
{
    cli_args args;
    int rc = cli_parse(argc, argv, &args);
    if (rc) { cli_args_free(&args); return rc; }
    if (args.show_help) {
        cli_print_help();
        cli_args_free(&args);
        return 0;
    }
    if (args.update_plugin_cache) {
        oct_error err;
        oct_error_clear(&err);
        oct_status st = oct_registry_update_cache(args.update_plugin_cache, &err);
        cli_args_free(&args);
        return st ? report(&err, st) : 0;
    }
    log_state ls = {args.verbosity};
    oct_registry *reg = oct_registry_new();
    oct_context *ctx = reg ? oct_context_new(reg) : NULL;
    if (!ctx) {
        fprintf(stderr, "octavo: out of memory\n");
        oct_registry_free(reg);
        cli_args_free(&args);
        return 4;
    }
    oct_registry_set_log(reg, log_to_stderr, &ls);
    oct_context_set_log(ctx, log_to_stderr, &ls);
    oct_context_set_verbosity(ctx, args.verbosity >= 2 ? OCT_SEV_DEBUG
                                   : args.verbosity == 1 ? OCT_SEV_INFO
                                   : args.verbosity < 0 ? OCT_SEV_ERROR : OCT_SEV_WARNING);
    oct_registry_load_default(reg, args.plugin_dirs.items, args.plugin_dirs.len);

    if (args.show_version || args.list_formats) {
        if (args.show_version) show_version(reg);
        if (args.list_formats) list_formats(reg);
        goto done;
    }
    if (args.merge_reports) {
        rc = batch_merge_reports(args.merge_reports, args.inputs.items, args.inputs.len);
        goto done;
    }
    if (!args.output_dir && batch_only_option(&args)) {
        fprintf(stderr, "octavo: %s needs --output-dir (try --help)\n", batch_only_option(&args));
        rc = 2;
        goto done;
    }
    if (args.output_dir && args.output) {
        fprintf(stderr, "octavo: -o and --output-dir cannot be used together (try --help)\n");
        rc = 2;
        goto done;
    }
    if (args.inputs.len == 0) {
        fprintf(stderr, "octavo: no input given (try --help)\n");
        rc = 2;
        goto done;
    }
    for (size_t i = 0; i < args.variables.len; i++) {
        const char *kv = args.variables.items[i];
        const char *eq = strchr(kv, '=');
        char key[128];
        size_t klen = (size_t)(eq - kv);
        if (klen >= sizeof key) {
            fprintf(stderr, "octavo: variable name too long: %s\n", kv);
            rc = 2;
            goto done;
        }
        memcpy(key, kv, klen);
        key[klen] = '\0';
        oct_context_set_option(ctx, key, eq + 1);
    }
    if (args.max_output_bytes || args.max_nodes) {
        oct_limits lim = *oct_context_limits(ctx);
        if (args.max_output_bytes) lim.max_output_bytes = args.max_output_bytes;
        if (args.max_nodes) lim.max_nodes = args.max_nodes;
        oct_context_set_limits(ctx, &lim);
    }
    if (args.max_input_bytes) {
        oct_limits lim = *oct_context_limits(ctx);
        lim.max_input_bytes = args.max_input_bytes;
        oct_context_set_limits(ctx, &lim);
    }
    const char *max_dl = oct_context_option(ctx, "max-download");
    if (max_dl) {
        oct_limits lim = *oct_context_limits(ctx);
        lim.max_resource_bytes = strtoull(max_dl, NULL, 10);
        oct_context_set_limits(ctx, &lim);
    }

    oct_convert_request req = {
        .struct_size = sizeof req,
        .inputs = args.inputs.items,
        .n_inputs = args.inputs.len,
        .from = args.from,
        .to = args.to,
        .output = args.output,
        .metadata = args.metadata.items,
        .n_metadata = args.metadata.len,
        .cover_image = args.cover_image,
        .stylesheets = args.stylesheets.items,
        .n_stylesheets = args.stylesheets.len,
        .reference_doc = args.reference_doc,
        .extract_media = args.extract_media,
        .read_threads = reading_threads(&args),
    };
    oct_error err;
    oct_error_clear(&err);
    /* Unknown formats are usage errors: say so before reading anything. */
    if (args.from && !oct_registry_find(reg, args.from)) {
        fprintf(stderr, "octavo: unknown input format '%s' (see --list-formats)\n", args.from);
        rc = 2;
        goto done;
    }
    if (!oct_convert_pick_writer(ctx, &req, &err)) {
        rc = report(&err, OCT_ERR_UNKNOWN_FORMAT);
        goto done;
    }
    if (args.output_dir) {
        rc = run_batch(ctx, &args, &req);
        goto done;
    }
    install_signal_handlers();
    oct_status st = oct_convert(ctx, &req, &err);
    if (st) rc = report(&err, st);
    else if (args.fail_if_warnings && oct_context_warning_count(ctx) > 0) {
        fprintf(stderr, "octavo: warnings treated as errors (--fail-if-warnings)\n");
        rc = 3;
    }

done:
    oct_context_free(ctx);
    oct_registry_free(reg);
    cli_args_free(&args);
    return rc;
}
