/* args.h — the octavo command line, parsed into plain data. */
#ifndef OCTAVO_TOOL_ARGS_H
#define OCTAVO_TOOL_ARGS_H

#include <stddef.h>

typedef struct str_list {
    const char **items;
    size_t len, cap;
} str_list;

typedef struct cli_args {
    str_list inputs;
    str_list metadata;     /* -M KEY=VALUE */
    str_list variables;    /* -V KEY=VALUE, and long options that map to them */
    str_list plugin_dirs;
    str_list stylesheets;
    const char *from, *to, *output;
    const char *cover_image, *reference_doc, *extract_media;
    unsigned long long max_input_bytes; /* 0: default */
    unsigned long long max_output_bytes; /* 0: default */
    unsigned long long max_nodes;        /* 0: default */
    int verbosity;         /* -1 quiet, 0 normal, 1 verbose, 2 debug */
    int list_formats, show_version, show_help;

    /* Batch mode (--output-dir): one output per input. */
    const char *output_dir;
    str_list include, exclude;     /* globs for files found in folders */
    str_list defaults_files;       /* --defaults, applied before the command line */
    long jobs;                     /* 0: one per core */
    int fail_fast, fail_if_warnings, incremental;
    const char *report_json, *junit_xml;
    unsigned shard_index, shard_count; /* 1-based K of N; 0/0 when not sharding */
    const char *merge_reports;     /* --merge-reports OUT: inputs are reports */
    const char *update_plugin_cache; /* --update-plugin-cache DIR */
} cli_args;

/* Parses argv, after the defaults files it names (YAML). Returns 0, or 2
 * after printing a one-line usage error. */
int cli_parse(int argc, char **argv, cli_args *out);
void cli_args_free(cli_args *a);
void cli_print_help(void);

#endif
