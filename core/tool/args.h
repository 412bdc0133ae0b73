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
    int verbosity;         /* -1 quiet, 0 normal, 1 verbose, 2 debug */
    int list_formats, show_version, show_help;
} cli_args;

/* Parses argv. Returns 0, or 2 after printing a one-line usage error. */
int cli_parse(int argc, char **argv, cli_args *out);
void cli_args_free(cli_args *a);
void cli_print_help(void);

#endif
