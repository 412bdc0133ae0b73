/* args.c — parsing the octavo command line (getopt_long), nothing more. */
#include "args.h"
#include "defaults.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int push(str_list *l, const char *s)
{
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        const char **p = realloc(l->items, cap * sizeof *p);
        if (!p) return -1;
        l->items = p;
        l->cap = cap;
    }
    l->items[l->len++] = s;
    return 0;
}

/* Variables built from long options are allocated; remember them to free. */
static str_list owned;

static int push_var(cli_args *a, const char *key, const char *value)
{
    size_t n = strlen(key) + strlen(value) + 2;
    char *kv = malloc(n);
    if (!kv) return -1;
    snprintf(kv, n, "%s=%s", key, value);
    push(&owned, kv);
    return push(&a->variables, kv);
}

static int parse_size(const char *s, unsigned long long *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s) return -1;
    unsigned long long mult = 1;
    if (*end == 'k' || *end == 'K') mult = 1024ull, end++;
    else if (*end == 'm' || *end == 'M') mult = 1024ull * 1024, end++;
    else if (*end == 'g' || *end == 'G') mult = 1024ull * 1024 * 1024, end++;
    if (*end == 'B' || *end == 'b') end++;
    if (*end || v == 0 || v > (~0ull) / mult) return -1;
    *out = v * mult;
    return 0;
}

enum {
    OPT_PLUGIN_DIR = 256, OPT_LIST_FORMATS, OPT_VERSION, OPT_DUMP_TREE, OPT_ENCODING, OPT_WRAP,
    OPT_COLUMNS, OPT_CSS, OPT_COVER, OPT_REFDOC, OPT_EXTRACT_MEDIA, OPT_EXTRACT, OPT_OFFLINE,
    OPT_NO_IMAGES, OPT_INSECURE, OPT_SPLIT_LEVEL, OPT_TOC_DEPTH, OPT_MAX_INPUT, OPT_MAX_DOWNLOAD, OPT_MAX_OUTPUT, OPT_MAX_NODES,
    OPT_TITLE, OPT_NO_DEFAULT_CSS,
    OPT_OUTPUT_DIR, OPT_INCLUDE, OPT_EXCLUDE, OPT_FAIL_FAST, OPT_FAIL_IF_WARNINGS, OPT_REPORT,
    OPT_JUNIT, OPT_INCREMENTAL, OPT_SHARD, OPT_MERGE_REPORTS, OPT_UPDATE_PLUGIN_CACHE,
    /* keys only a defaults file has */
    OPT_INPUT_FILES, OPT_METADATA_MAP, OPT_VARIABLES_MAP,
};

static const struct option long_options[] = {
    {"from", required_argument, NULL, 'f'},
    {"to", required_argument, NULL, 't'},
    {"output", required_argument, NULL, 'o'},
    {"metadata", required_argument, NULL, 'M'},
    {"variable", required_argument, NULL, 'V'},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"defaults", required_argument, NULL, 'd'},
    {"jobs", required_argument, NULL, 'j'},
    {"plugin-dir", required_argument, NULL, OPT_PLUGIN_DIR},
    {"list-formats", no_argument, NULL, OPT_LIST_FORMATS},
    {"version", no_argument, NULL, OPT_VERSION},
    {"update-plugin-cache", required_argument, NULL, OPT_UPDATE_PLUGIN_CACHE},
    {"dump-tree", no_argument, NULL, OPT_DUMP_TREE},
    {"encoding", required_argument, NULL, OPT_ENCODING},
    {"wrap", required_argument, NULL, OPT_WRAP},
    {"columns", required_argument, NULL, OPT_COLUMNS},
    {"css", required_argument, NULL, OPT_CSS},
    {"no-default-css", no_argument, NULL, OPT_NO_DEFAULT_CSS},
    {"cover-image", required_argument, NULL, OPT_COVER},
    {"reference-doc", required_argument, NULL, OPT_REFDOC},
    {"extract-media", required_argument, NULL, OPT_EXTRACT_MEDIA},
    {"extract", required_argument, NULL, OPT_EXTRACT},
    {"offline", no_argument, NULL, OPT_OFFLINE},
    {"no-images", no_argument, NULL, OPT_NO_IMAGES},
    {"insecure", no_argument, NULL, OPT_INSECURE},
    {"split-level", required_argument, NULL, OPT_SPLIT_LEVEL},
    {"toc-depth", required_argument, NULL, OPT_TOC_DEPTH},
    {"max-input-size", required_argument, NULL, OPT_MAX_INPUT},
    {"max-output-size", required_argument, NULL, OPT_MAX_OUTPUT},
    {"max-nodes", required_argument, NULL, OPT_MAX_NODES},
    {"max-download", required_argument, NULL, OPT_MAX_DOWNLOAD},
    {"title", required_argument, NULL, OPT_TITLE},
    {"output-dir", required_argument, NULL, OPT_OUTPUT_DIR},
    {"include", required_argument, NULL, OPT_INCLUDE},
    {"exclude", required_argument, NULL, OPT_EXCLUDE},
    {"fail-fast", no_argument, NULL, OPT_FAIL_FAST},
    {"fail-if-warnings", no_argument, NULL, OPT_FAIL_IF_WARNINGS},
    {"report", required_argument, NULL, OPT_REPORT},
    {"junit", required_argument, NULL, OPT_JUNIT},
    {"incremental", no_argument, NULL, OPT_INCREMENTAL},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"merge-reports", required_argument, NULL, OPT_MERGE_REPORTS},
    {NULL, 0, NULL, 0},
};

/* Keys a defaults file may use besides the long option names. */
static const struct option defaults_only_keys[] = {
    {"input-files", required_argument, NULL, OPT_INPUT_FILES},
    {"inputs", required_argument, NULL, OPT_INPUT_FILES},
    {"input", required_argument, NULL, OPT_INPUT_FILES},
    {"plugin-dirs", required_argument, NULL, OPT_PLUGIN_DIR},
    {"output-file", required_argument, NULL, 'o'},
    {"variables", required_argument, NULL, OPT_VARIABLES_MAP},
    {NULL, 0, NULL, 0},
};

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "octavo: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (try --help)\n");
    return 2;
}

static int key_value(const char *s) { return strchr(s, '=') && s[0] != '='; }

/* "3/8" -> 3, 8 with 1 <= K <= N. */
static int parse_shard(const char *s, unsigned *k, unsigned *n)
{
    char *end;
    unsigned long a = strtoul(s, &end, 10);
    if (end == s || *end != '/') return -1;
    const char *p = end + 1;
    unsigned long b = strtoul(p, &end, 10);
    if (end == p || *end || a < 1 || b < 1 || a > b || b > 1000000) return -1;
    *k = (unsigned)a;
    *n = (unsigned)b;
    return 0;
}

/* Applies one option, from the command line or a defaults file. */
static int apply_option(cli_args *a, int c, const char *arg)
{
    switch (c) {
    case 'f': a->from = arg; break;
    case 't': a->to = arg; break;
    case 'o': a->output = arg; break;
    case 'M':
    case OPT_METADATA_MAP:
        if (!key_value(arg) && strchr(arg, '=')) return usage_error("bad metadata '%s': use KEY=VALUE", arg);
        push(&a->metadata, arg);
        break;
    case 'V':
    case OPT_VARIABLES_MAP:
        if (!key_value(arg)) return usage_error("bad variable '%s': use KEY=VALUE", arg);
        push(&a->variables, arg);
        break;
    case 'q': a->verbosity = -1; break;
    case 'v': a->verbosity = a->verbosity < 0 ? 1 : a->verbosity + 1; break;
    case 'h': a->show_help = 1; break;
    case 'd': push(&a->defaults_files, arg); break;
    case 'j': {
        char *end;
        long v = strtol(arg, &end, 10);
        if (end == arg || *end || v < 1 || v > 256)
            return usage_error("-j takes a number of parallel conversions from 1 to 256, not '%s'", arg);
        a->jobs = v;
        break;
    }
    case OPT_PLUGIN_DIR: push(&a->plugin_dirs, arg); break;
    case OPT_LIST_FORMATS: a->list_formats = 1; break;
    case OPT_VERSION: a->show_version = 1; break;
    case OPT_UPDATE_PLUGIN_CACHE: a->update_plugin_cache = arg; break;
    case OPT_DUMP_TREE: a->to = "tree"; break;
    case OPT_ENCODING: push_var(a, "encoding", arg); break;
    case OPT_WRAP:
        if (strcmp(arg, "auto") && strcmp(arg, "none") && strcmp(arg, "preserve"))
            return usage_error("--wrap takes auto, none or preserve, not '%s'", arg);
        push_var(a, "wrap", arg);
        break;
    case OPT_COLUMNS: push_var(a, "columns", arg); break;
    case OPT_CSS: push(&a->stylesheets, arg); break;
    case OPT_NO_DEFAULT_CSS: push_var(a, "default-css", "off"); break;
    case OPT_COVER: a->cover_image = arg; break;
    case OPT_REFDOC: a->reference_doc = arg; break;
    case OPT_EXTRACT_MEDIA: a->extract_media = arg; break;
    case OPT_EXTRACT:
        if (strcmp(arg, "auto") && strcmp(arg, "on") && strcmp(arg, "off"))
            return usage_error("--extract takes auto, on or off, not '%s'", arg);
        push_var(a, "extract", arg);
        break;
    case OPT_OFFLINE: push_var(a, "offline", "on"); break;
    case OPT_NO_IMAGES: push_var(a, "images", "off"); break;
    case OPT_INSECURE: push_var(a, "insecure", "on"); break;
    case OPT_SPLIT_LEVEL: push_var(a, "split-level", arg); break;
    case OPT_TOC_DEPTH: push_var(a, "toc-depth", arg); break;
    case OPT_MAX_INPUT:
        if (parse_size(arg, &a->max_input_bytes))
            return usage_error("--max-input-size takes a size such as 64M, not '%s'", arg);
        break;
    case OPT_MAX_OUTPUT:
        if (parse_size(arg, &a->max_output_bytes))
            return usage_error("--max-output-size takes a size such as 1G, not '%s'", arg);
        break;
    case OPT_MAX_NODES:
        if (parse_size(arg, &a->max_nodes))
            return usage_error("--max-nodes takes a number such as 50M, not '%s'", arg);
        break;
    case OPT_MAX_DOWNLOAD: {
        unsigned long long v;
        if (parse_size(arg, &v)) return usage_error("--max-download takes a size such as 50M, not '%s'", arg);
        char num[32];
        snprintf(num, sizeof num, "%llu", v);
        push_var(a, "max-download", num);
        break;
    }
    case OPT_TITLE: {
        size_t n = strlen(arg) + 7;
        char *kv = malloc(n);
        if (!kv) return 2;
        snprintf(kv, n, "title=%s", arg);
        push(&owned, kv);
        push(&a->metadata, kv);
        break;
    }
    case OPT_OUTPUT_DIR: a->output_dir = arg; break;
    case OPT_INCLUDE: push(&a->include, arg); break;
    case OPT_EXCLUDE: push(&a->exclude, arg); break;
    case OPT_FAIL_FAST: a->fail_fast = 1; break;
    case OPT_FAIL_IF_WARNINGS: a->fail_if_warnings = 1; break;
    case OPT_REPORT: a->report_json = arg; break;
    case OPT_JUNIT: a->junit_xml = arg; break;
    case OPT_INCREMENTAL: a->incremental = 1; break;
    case OPT_SHARD:
        if (parse_shard(arg, &a->shard_index, &a->shard_count))
            return usage_error("--shard takes K/N with 1 <= K <= N, not '%s'", arg);
        break;
    case OPT_MERGE_REPORTS: a->merge_reports = arg; break;
    case OPT_INPUT_FILES: push(&a->inputs, arg); break;
    default: return 2;
    }
    return 0;
}

static const struct option *find_key(const struct option *table, const char *key)
{
    for (const struct option *o = table; o->name; o++)
        if (strcmp(o->name, key) == 0) return o;
    return NULL;
}

static int is_true(const char *v) { return !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on"); }
static int is_false(const char *v) { return !strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off"); }

typedef struct defaults_target {
    cli_args *args;
    const char *path;
} defaults_target;

/* One key/value of a defaults file: the same options as the command line. */
static int apply_default(void *userdata, const char *key, const char *value)
{
    defaults_target *t = userdata;
    char *copy = strdup(value);
    if (!copy || push(&owned, copy)) { free(copy); return 2; }
    const struct option *o = find_key(defaults_only_keys, key);
    if (!o && strcmp(key, "defaults") != 0 && strcmp(key, "merge-reports") != 0)
        o = find_key(long_options, key);
    if (!o) {
        fprintf(stderr, "octavo: %s: unknown key '%s' (keys are the long option names)\n",
                t->path, key);
        return 2;
    }
    if (o->has_arg == no_argument) {
        if (is_false(copy)) return 0;
        if (!is_true(copy)) {
            fprintf(stderr, "octavo: %s: '%s' takes true or false, not '%s'\n", t->path, key, copy);
            return 2;
        }
        return apply_option(t->args, o->val, NULL);
    }
    return apply_option(t->args, o->val, copy);
}

static int parse_argv(int argc, char **argv, cli_args *a)
{
    opterr = 0;
    optind = 1;
    int c;
    /* '+' would stop at the first input; options may follow inputs, as in pandoc. */
    while ((c = getopt_long(argc, argv, ":f:t:o:M:V:d:j:qvh", long_options, NULL)) != -1) {
        if (c == ':') return usage_error("option %s needs a value", argv[optind - 1]);
        if (c == '?') return usage_error("unknown option %s", argv[optind - 1]);
        int rc = apply_option(a, c, optarg);
        if (rc) return rc;
    }
    for (int i = optind; i < argc; i++) push(&a->inputs, argv[i]);
    return 0;
}

/* Length of the key of "key=value" (or of the whole string). */
static size_t key_len(const char *kv) { return strcspn(kv, "="); }

/* Defaults' entries of a metadata key the command line sets again are
 * overridden, not added to. */
static void drop_overridden_metadata(str_list *m, size_t n_defaults)
{
    size_t out = 0;
    for (size_t i = 0; i < m->len; i++) {
        int overridden = 0;
        for (size_t j = n_defaults; i < n_defaults && j < m->len && !overridden; j++)
            overridden = key_len(m->items[i]) == key_len(m->items[j]) &&
                         strncmp(m->items[i], m->items[j], key_len(m->items[i])) == 0;
        if (!overridden) m->items[out++] = m->items[i];
    }
    m->len = out;
}

static void free_lists(cli_args *a)
{
    str_list *lists[] = {&a->inputs, &a->metadata, &a->variables, &a->plugin_dirs,
                         &a->stylesheets, &a->include, &a->exclude, &a->defaults_files};
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
        free(lists[i]->items);
        memset(lists[i], 0, sizeof *lists[i]);
    }
}

int cli_parse(int argc, char **argv, cli_args *a)
{
    memset(a, 0, sizeof *a);
    /* First pass: only to learn the defaults files, which apply first. */
    cli_args scan;
    memset(&scan, 0, sizeof scan);
    int rc = parse_argv(argc, argv, &scan);
    for (size_t i = 0; i < scan.defaults_files.len && !rc; i++) {
        defaults_target t = {a, scan.defaults_files.items[i]};
        rc = defaults_load(scan.defaults_files.items[i], apply_default, &t);
    }
    free_lists(&scan);
    if (rc) return rc;

    size_t default_inputs = a->inputs.len, default_metadata = a->metadata.len;
    rc = parse_argv(argc, argv, a);
    if (rc) return rc;
    /* Inputs named on the command line replace the defaults file's. */
    if (a->inputs.len > default_inputs) {
        memmove(a->inputs.items, a->inputs.items + default_inputs,
                (a->inputs.len - default_inputs) * sizeof *a->inputs.items);
        a->inputs.len -= default_inputs;
    }
    drop_overridden_metadata(&a->metadata, default_metadata);
    return 0;
}

void cli_args_free(cli_args *a)
{
    free_lists(a);
    for (size_t i = 0; i < owned.len; i++) free((void *)owned.items[i]);
    free(owned.items);
    memset(&owned, 0, sizeof owned);
}

void cli_print_help(void)
{
    fputs(
"Usage: octavo [OPTIONS] INPUT... [-o OUTPUT]\n"
"       octavo [OPTIONS] --output-dir DIR INPUT...\n"
"Convert plain text, HTML files and web pages to EPUB, DOCX or Markdown.\n"
"Several inputs make one document, in order. INPUT may be a file, a URL or -.\n"
"\n"
"Formats\n"
"  -f, --from FORMAT        input format (default: from extension, then content)\n"
"  -t, --to FORMAT          output format (default: from -o's extension, else markdown)\n"
"  -o, --output FILE        output file, - for standard output (default: stdout)\n"
"      --list-formats       list the formats and the plugins providing them\n"
"      --dump-tree          print the document tree (same as -t tree)\n"
"\n"
"Document\n"
"  -M, --metadata KEY=VAL   set metadata (title, author, date, lang...); repeat a\n"
"                           key to give several values\n"
"      --title TEXT         the same as -M title=TEXT\n"
"  -V, --variable KEY=VAL   set a format option (see docs/user-guide.md)\n"
"      --encoding NAME      character encoding of text input\n"
"      --extract auto|on|off  keep only the article of a web page (default auto)\n"
"      --cover-image FILE   cover for e-books\n"
"      --css FILE           extra stylesheet for e-books (repeatable)\n"
"      --no-default-css     leave out the built-in e-book stylesheet\n"
"      --split-level N      heading level that starts a new EPUB file\n"
"      --toc-depth N        heading levels in the table of contents\n"
"      --reference-doc FILE take DOCX styles from FILE\n"
"      --wrap auto|none|preserve, --columns N   Markdown line wrapping\n"
"      --extract-media DIR  write images to DIR and link them (Markdown)\n"
"\n"
"Network and limits\n"
"      --offline            never use the network\n"
"      --no-images          do not fetch remote images\n"
"      --insecure           do not verify TLS certificates\n"
"      --max-input-size N   largest input read (default 256M)\n"
"      --max-output-size N  largest output written (default 4G)\n"
"      --max-nodes N        most nodes in one document (default 20M)\n"
"      --max-download N     largest download (default 50M)\n"
"\n"
"Batch (one output per input; see docs/batch.md)\n"
"      --output-dir DIR     convert each input (files, or folders walked\n"
"                           recursively) to its own file under DIR\n"
"      --include GLOB, --exclude GLOB   which files of a folder to take\n"
"                           (default: those some reader knows by extension)\n"
"  -j, --jobs N             parallel conversions; for one book of several inputs,\n"
"                           inputs read at once (default: one per core)\n"
"      --incremental        skip inputs whose output is up to date\n"
"      --shard K/N          convert only the K-th of N parts of the inputs\n"
"      --report FILE.json   per-input results as JSON\n"
"      --junit FILE.xml     per-input results as JUnit XML, for CI\n"
"      --fail-fast          stop at the first failed input\n"
"      --fail-if-warnings   a warning fails the input (and the run)\n"
"      --merge-reports OUT.json REPORT.json...   merge shards' reports\n"
"  -d, --defaults FILE      read options from a YAML file first\n"
"\n"
"Program\n"
"      --plugin-dir DIR     load plugins from DIR first (repeatable)\n"
"      --update-plugin-cache DIR   write DIR/plugins.cache, so that a\n"
"                           conversion opens only the plugins it uses\n"
"  -q, --quiet              no warnings\n"
"  -v, --verbose            say what was decided (twice: more)\n"
"      --version            versions of octavo, its libraries and plugins\n"
"  -h, --help               this help\n"
"\n"
"Exit status: 0 success, 2 usage error, 3 input error, 4 conversion error,\n"
"5 output error, 130 interrupted.\n",
        stdout);
}
