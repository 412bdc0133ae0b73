/*
 * fuzz_common.h — shared set-up of the libFuzzer harnesses: one registry with
 * the plugins of this build, loaded once before fuzzing starts (so the
 * plugins' coverage counters are registered before the first input).
 */
#ifndef OCTAVO_FUZZ_COMMON_H
#define OCTAVO_FUZZ_COMMON_H

#include <octavo/octavo.h>
#include <octavo/octavo_plugin.h>
#include <stdio.h>
#include <stdlib.h>

static oct_registry *fuzz_registry;

static void fuzz_quiet_log(void *ud, oct_severity sev, const char *where, long line, const char *msg)
{
    (void)ud, (void)sev, (void)where, (void)line, (void)msg;
}

static void fuzz_setup(void)
{
    if (fuzz_registry) return;
    fuzz_registry = oct_registry_new();
    oct_registry_set_log(fuzz_registry, fuzz_quiet_log, NULL);
    const char *dir = OCTAVO_FUZZ_PLUGIN_DIR;
    if (oct_registry_load_dir(fuzz_registry, dir) == 0) {
        fprintf(stderr, "fuzz: no plugins in %s\n", dir);
        abort();
    }
}

/* A context that never prints, with limits small enough that a fuzzer input
 * cannot make one run take seconds. */
static oct_context *fuzz_context(void)
{
    oct_context *ctx = oct_context_new(fuzz_registry);
    oct_context_set_log(ctx, fuzz_quiet_log, NULL);
    oct_context_set_option(ctx, "offline", "on");
    oct_limits lim = *oct_context_limits(ctx);
    lim.max_depth = 64;
    lim.max_nodes = 200000;
    oct_context_set_limits(ctx, &lim);
    return ctx;
}

/* Reads data with the named reader; the resulting tree must validate. */
static oct_doc *fuzz_read(oct_context *ctx, const char *reader, const unsigned char *data, size_t len)
{
    const oct_format *f = oct_registry_find(fuzz_registry, reader);
    if (!f) abort();
    oct_doc *doc = NULL;
    oct_error err;
    if (oct_read_memory(ctx, data, len, "fuzz-input", f, &doc, &err) != OCT_OK) return NULL;
    if (oct_doc_normalize(ctx, doc, &err) != OCT_OK || oct_doc_validate(doc, &err) != OCT_OK) {
        fprintf(stderr, "fuzz: invalid tree: %s\n", err.message);
        abort();
    }
    return doc;
}

#endif
