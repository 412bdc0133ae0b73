/*
 * read_html.c — times the HTML reader alone: bytes to document tree
 * in-process (oct_read_memory), best of N runs, no normalisation, no output.
 * usage: read_html PLUGIN_DIR FILE [RUNS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "octavo/octavo.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s PLUGIN_DIR FILE [RUNS]\n", argv[0]);
        return 2;
    }
    const int runs = argc > 3 ? atoi(argv[3]) : 3;
    FILE *f = fopen(argv[2], "rb");
    if (!f)
        return perror(argv[2]), 1;
    fseek(f, 0, SEEK_END);
    const long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)len + 1);
    if (!data || fread(data, 1, (size_t)len, f) != (size_t)len)
        return fprintf(stderr, "cannot read %s\n", argv[2]), 1;
    fclose(f);

    oct_registry *reg = oct_registry_new();
    oct_registry_load_dir(reg, argv[1]);
    const oct_format *html = oct_registry_find(reg, "html");
    oct_context *ctx = oct_context_new(reg);
    if (!html || !ctx)
        return fprintf(stderr, "html reader not found in %s\n", argv[1]), 1;
    oct_context_set_option(ctx, "extract", "off");
    oct_context_set_verbosity(ctx, OCT_SEV_ERROR);

    double best_wall = 1e9, best_cpu = 1e9;
    size_t nodes = 0;
    for (int i = 0; i < runs; i++) {
        oct_doc *doc = NULL;
        const double w0 = now(), c0 = cpu();
        oct_status st = oct_read_memory(ctx, data, (size_t)len, argv[2], html, &doc, NULL);
        const double w = now() - w0, c = cpu() - c0;
        if (st != OCT_OK)
            return fprintf(stderr, "read failed: %s\n", oct_status_message(st)), 1;
        nodes = oct_doc_node_count(doc);
        oct_doc_free(doc);
        best_wall = w < best_wall ? w : best_wall;
        best_cpu = c < best_cpu ? c : best_cpu;
    }
    const double mb = (double)len / 1e6;
    printf("octavo html reader: %.1f MB, %zu nodes, best of %d: %.3f s wall (%.1f MB/s), "
           "%.3f s cpu (%.1f MB/s)\n",
           mb, nodes, runs, best_wall, mb / best_wall, best_cpu, mb / best_cpu);
    oct_context_free(ctx);
    oct_registry_free(reg);
    free(data);
    return 0;
}
