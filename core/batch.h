/* batch.h — batch conversion: many inputs, one output each, converted by a
 * pool of worker processes, reported for people and for CI.
 *
 * Part of the octavo program, not of liboctavo: it forks, owns the terminal
 * and writes reports, none of which a library should do. */
#ifndef OCTAVO_BATCH_H
#define OCTAVO_BATCH_H

#include <octavo/octavo.h>

#include <stddef.h>
#include <stdint.h>

typedef enum batch_status {
    BATCH_PENDING = 0,
    BATCH_CONVERTED,
    BATCH_UP_TO_DATE,   /* --incremental found the output current */
    BATCH_FAILED,       /* the conversion returned an error */
    BATCH_CRASHED,      /* the worker died while converting it */
    BATCH_REFUSED,      /* its output would leave the output folder */
    BATCH_NOT_RUN,      /* --fail-fast stopped the batch first */
} batch_status;

/* "converted", "up-to-date", ...: the words the reports use. */
const char *batch_status_name(batch_status s);
/* The status of a report word, or -1. */
int batch_status_from_name(const char *name);

/* One input of the batch and what became of it. */
typedef struct batch_item {
    char *input;          /* path handed to the reader */
    char *rel;            /* its path relative to the folder it was found in */
    char *output;         /* output path, or NULL when refused */
    batch_status status;
    int exit_code;        /* oct_status_exit_code of the failure, 0 if none */
    char *error;          /* one line, or NULL */
    char **warnings;      /* one line each */
    size_t n_warnings;
    double seconds;
    uint64_t input_bytes, output_bytes;
    uint8_t input_sha256[32], output_sha256[32];
    int hashed;           /* input_sha256 (and output_sha256 when converted) are set */
} batch_item;

/* Everything a batch run needs besides the context. */
typedef struct batch_options {
    const char *const *inputs;        /* files and folders */
    size_t n_inputs;
    const char *output_dir;
    const char *const *include;       /* globs for files found in folders */
    size_t n_include;
    const char *const *exclude;
    size_t n_exclude;
    long jobs;                        /* 0: one per core */
    int fail_fast, fail_if_warnings, incremental;
    int verbosity;                    /* -1 quiet, 0 normal, 1+ verbose */
    unsigned shard_index, shard_count;
    const char *report_json, *junit_xml;
    /* The conversion every input gets (inputs and output are set per input). */
    oct_convert_request request;
    /* Command-line options that change outputs, in order ("-V k=v", ...):
     * part of what --incremental compares. */
    const char *const *fingerprint;
    size_t n_fingerprint;
} batch_options;

/* What -j means when it is not given: one per core online, 1 to
 * BATCH_MAX_JOBS. */
long batch_default_jobs(void);

/* Runs the batch; returns the exit status (0 when every input converted). */
int batch_run(oct_context *ctx, const batch_options *opt);

/* --merge-reports OUT IN...: the union of shards' JSON reports. */
int batch_merge_reports(const char *out, const char *const *reports, size_t n);

void batch_item_clear(batch_item *it);

#endif
