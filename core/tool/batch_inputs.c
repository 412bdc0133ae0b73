/* batch_inputs.c — walking the inputs of a batch (iteratively: a hostile
 * tree may be deep), planning each output under --output-dir, and refusing
 * any output that would land outside it. */
#include "batch_inputs.h"

#include <octavo/octavo_plugin.h>

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PATH_LEN 4096
/* Bounds for a walk over a hostile tree. */
#define MAX_DOCUMENTS 10000000u
#define MAX_WALK_DEPTH 256

void batch_item_clear(batch_item *it)
{
    free(it->input);
    free(it->rel);
    free(it->output);
    free(it->error);
    for (size_t i = 0; i < it->n_warnings; i++) free(it->warnings[i]);
    free(it->warnings);
    memset(it, 0, sizeof *it);
}

void batch_list_free(batch_list *l)
{
    for (size_t i = 0; i < l->len; i++) batch_item_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la + lb + 2 > MAX_PATH_LEN) return NULL;
    char *s = malloc(la + lb + 2);
    if (!s) return NULL;
    memcpy(s, a, la);
    size_t o = la;
    if (la && a[la - 1] != '/' && lb) s[o++] = '/';
    memcpy(s + o, b, lb + 1);
    return s;
}

/* "rel/path.html" -> "rel/path.md": the last extension of the file name
 * replaced (added when there is none). */
static char *output_name(const char *dir, const char *rel, const char *ext)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    const char *dot = strrchr(base, '.');
    size_t stem = dot && dot != base ? (size_t)(dot - rel) : strlen(rel);
    size_t n = stem + strlen(ext) + 2;
    char *r = malloc(n);
    if (!r) return NULL;
    snprintf(r, n, "%.*s.%s", (int)stem, rel, ext);
    char *full = join(dir, r);
    free(r);
    return full;
}

static batch_item *add_item(batch_list *l)
{
    if (l->len >= MAX_DOCUMENTS) return NULL;
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        batch_item *p = realloc(l->items, cap * sizeof *p);
        if (!p) return NULL;
        l->items = p;
        l->cap = cap;
    }
    batch_item *it = &l->items[l->len++];
    memset(it, 0, sizeof *it);
    return it;
}

static void refuse(batch_item *it, const char *why)
{
    it->status = BATCH_REFUSED;
    it->exit_code = oct_status_exit_code(OCT_ERR_DENIED);
    free(it->error);
    it->error = strdup(why);
    free(it->output);
    it->output = NULL;
}

/* Lexical clean-up of a relative path: "./a//b/./c" -> "a/b/c". Sets
 * *escapes when a ".." component would climb out. */
static char *clean_relative(const char *path, int *escapes)
{
    char *out = malloc(strlen(path) + 1);
    if (!out) return NULL;
    size_t o = 0;
    *escapes = 0;
    const char *p = path;
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.') *escapes = 1;
        if (n && !(n == 1 && p[0] == '.')) {
            if (o) out[o++] = '/';
            memcpy(out + o, p, n);
            o += n;
        }
        p += n;
        while (*p == '/') p++;
    }
    out[o] = '\0';
    return out;
}

static int glob_match(const char *pattern, const char *rel)
{
    const char *base = strrchr(rel, '/');
    const char *subject = strchr(pattern, '/') ? rel : (base ? base + 1 : rel);
    return fnmatch(pattern, subject, 0) == 0;
}

/* Whether a file found in a folder belongs to the batch. */
static int wanted(const oct_registry *reg, const batch_options *opt, const char *rel)
{
    for (size_t i = 0; i < opt->n_exclude; i++)
        if (glob_match(opt->exclude[i], rel)) return 0;
    if (opt->n_include) {
        for (size_t i = 0; i < opt->n_include; i++)
            if (glob_match(opt->include[i], rel)) return 1;
        return 0;
    }
    /* Without --include: the files some reader (or the -f reader) claims. */
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base) return 0;
    if (opt->request.from) {
        const oct_format *f = oct_registry_find(reg, opt->request.from);
        for (const char *const *e = f ? f->extensions : NULL; e && *e; e++)
            if (strcasecmp(*e, dot + 1) == 0) return 1;
        return 0;
    }
    return oct_registry_find_by_extension(reg, dot + 1, 0) != NULL;
}

static int by_rel(const void *a, const void *b)
{
    return strcmp(((const batch_item *)a)->rel, ((const batch_item *)b)->rel);
}

typedef struct walk_dir {
    char *path; /* as the user would name it: root + "/" + rel */
    char *rel;  /* relative to the root, "" for the root */
    int depth;
} walk_dir;

typedef struct walk {
    const oct_registry *reg;
    const batch_options *opt;
    const char *out_ext;
    const char *root;
    char root_real[PATH_MAX];
    struct stat out_st;
    int have_out_st;
    batch_list *list;
    walk_dir *stack;
    size_t depth, cap;
} walk;

static int push_dir(walk *w, char *path, char *rel, int depth)
{
    if (w->depth == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        walk_dir *p = realloc(w->stack, cap * sizeof *p);
        if (!p) return -1;
        w->stack = p;
        w->cap = cap;
    }
    w->stack[w->depth++] = (walk_dir){path, rel, depth};
    return 0;
}

/* A symbolic link found in a folder: followed only to a file inside the
 * folder being walked, so a link cannot publish what lies outside it. */
static int link_stays_inside(const walk *w, const char *path)
{
    char real[PATH_MAX];
    if (!realpath(path, real)) return 1; /* dangling: reading it will fail and say so */
    size_t n = strlen(w->root_real);
    return strncmp(real, w->root_real, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

static int add_found_file(walk *w, char *path, char *rel, int is_link)
{
    batch_item *it = add_item(w->list);
    if (!it) { free(path); free(rel); return -1; }
    it->input = path;
    it->rel = rel;
    it->output = output_name(w->opt->output_dir, rel, w->out_ext);
    if (!it->output) return -1;
    if (is_link && !link_stays_inside(w, path))
        refuse(it, "symbolic link leads outside the input folder");
    return 0;
}

static int walk_folder(walk *w)
{
    size_t first = w->list->len;
    if (!realpath(w->root, w->root_real)) return -1;
    char *path = strdup(w->root), *rel = strdup("");
    if (!path || !rel || push_dir(w, path, rel, 0)) { free(path); free(rel); return -1; }
    int rc = 0;
    while (w->depth && !rc) {
        walk_dir d = w->stack[--w->depth];
        DIR *dir = opendir(d.path);
        if (!dir) {
            /* An unreadable folder fails like an unreadable file: reported,
             * and the run's exit status says so. */
            char why[300];
            snprintf(why, sizeof why, "cannot read the folder: %s", strerror(errno));
            batch_item *it = add_item(w->list);
            if (!it) { rc = -1; }
            else {
                it->input = d.path;
                it->rel = d.rel;
                d.path = d.rel = NULL;
                it->status = BATCH_FAILED;
                it->exit_code = oct_status_exit_code(OCT_ERR_IO);
                it->error = strdup(why);
            }
        } else {
            struct dirent *de;
            while (!rc && (de = readdir(dir))) {
                /* dot files and folders (.git, .octavo-manifest.json) are not documents */
                if (de->d_name[0] == '.') continue;
                char *child = join(d.path, de->d_name);
                char *crel = join(d.rel, de->d_name);
                struct stat lst, st;
                if (!child || !crel || lstat(child, &lst) != 0) { free(child); free(crel); continue; }
                int is_link = S_ISLNK(lst.st_mode);
                int have = stat(child, &st) == 0;
                if (!is_link && S_ISDIR(lst.st_mode)) {
                    int is_output = w->have_out_st && lst.st_dev == w->out_st.st_dev &&
                                    lst.st_ino == w->out_st.st_ino;
                    if (!is_output && d.depth + 1 > MAX_WALK_DEPTH)
                        fprintf(stderr, "octavo: %s: warning: folders nested deeper than %d levels "
                                "are not walked\n", child, MAX_WALK_DEPTH);
                    if (is_output || d.depth + 1 > MAX_WALK_DEPTH || push_dir(w, child, crel, d.depth + 1)) {
                        free(child);
                        free(crel);
                    }
                    continue;
                }
                /* Linked folders are not followed (no cycles); devices, FIFOs and
                 * sockets are not documents. */
                int is_file = is_link ? (!have || S_ISREG(st.st_mode)) : S_ISREG(lst.st_mode);
                if (!is_file || !wanted(w->reg, w->opt, crel)) {
                    free(child);
                    free(crel);
                    continue;
                }
                if (add_found_file(w, child, crel, is_link)) rc = -1;
            }
            closedir(dir);
        }
        free(d.path);
        free(d.rel);
    }
    while (w->depth) {
        w->depth--;
        free(w->stack[w->depth].path);
        free(w->stack[w->depth].rel);
    }
    qsort(w->list->items + first, w->list->len - first, sizeof *w->list->items, by_rel);
    return rc;
}

/* A file named on the command line mirrors its own (relative) path. */
static int add_named_file(const batch_options *opt, const char *name, const char *out_ext,
                          batch_list *list)
{
    batch_item *it = add_item(list);
    if (!it) return -1;
    it->input = strdup(name);
    if (!it->input) return -1;
    const char *relsrc = name;
    char cwd[PATH_MAX];
    if (name[0] == '/') {
        size_t n = getcwd(cwd, sizeof cwd) ? strlen(cwd) : 0;
        if (n && strncmp(name, cwd, n) == 0 && name[n] == '/') relsrc = name + n + 1;
    }
    int escapes = 0;
    it->rel = clean_relative(relsrc, &escapes);
    if (!it->rel) return -1;
    if (strcmp(name, "-") == 0 || strstr(name, "://")) {
        refuse(it, "only files and folders can be converted with --output-dir");
        return 0;
    }
    if (relsrc[0] == '/') {
        refuse(it, "a file outside the current folder has no place in the output "
                   "folder (name its folder instead)");
        return 0;
    }
    if (escapes || !it->rel[0]) {
        refuse(it, "output path would leave the output folder ('..' in the path)");
        return 0;
    }
    it->output = output_name(opt->output_dir, it->rel, out_ext);
    return it->output ? 0 : -1;
}

/* Sorting item indexes by output path finds inputs that would write the
 * same file in n log n; of each group, the first input in order keeps it. */
static const batch_item *sort_items;

static int by_output_then_index(const void *a, const void *b)
{
    size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
    int c = strcmp(sort_items[ia].output, sort_items[ib].output);
    return c ? c : (ia > ib) - (ia < ib);
}

static void refuse_duplicate_outputs(batch_list *l)
{
    size_t *order = l->len ? malloc(l->len * sizeof *order) : NULL;
    size_t n = 0;
    for (size_t i = 0; order && i < l->len; i++)
        if (l->items[i].output) order[n++] = i;
    sort_items = l->items;
    if (n) qsort(order, n, sizeof *order, by_output_then_index);
    for (size_t k = 1; k < n; k++) {
        size_t keeper = order[k - 1], dup = order[k];
        if (strcmp(l->items[keeper].output, l->items[dup].output) != 0) continue;
        char why[MAX_PATH_LEN + 64];
        snprintf(why, sizeof why, "%s writes the same output", l->items[keeper].input);
        /* refuse() clears the output; the next comparison uses the keeper's */
        order[k] = keeper;
        refuse(&l->items[dup], why);
    }
    free(order);
}

int batch_collect(const oct_registry *reg, const batch_options *opt, const char *out_ext,
                  batch_list *out)
{
    memset(out, 0, sizeof *out);
    walk w;
    memset(&w, 0, sizeof w);
    w.reg = reg;
    w.opt = opt;
    w.out_ext = out_ext;
    w.list = out;
    w.have_out_st = stat(opt->output_dir, &w.out_st) == 0;
    for (size_t i = 0; i < opt->n_inputs; i++) {
        struct stat st;
        const char *name = opt->inputs[i];
        int rc;
        if (stat(name, &st) == 0 && S_ISDIR(st.st_mode)) {
            w.root = name;
            rc = walk_folder(&w);
        } else {
            rc = add_named_file(opt, name, out_ext, out);
        }
        if (rc) {
            free(w.stack);
            fprintf(stderr, "octavo: %s: cannot list the inputs: %s\n", name,
                    errno ? strerror(errno) : "out of memory");
            return 4;
        }
    }
    free(w.stack);
    refuse_duplicate_outputs(out);
    return 0;
}

int batch_in_shard(const char *rel, unsigned k, unsigned n)
{
    if (n <= 1) return 1;
    uint8_t h[32];
    oct_sha256(rel, strlen(rel), h);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | h[i];
    return v % n == (uint64_t)(k - 1);
}

int batch_prepare_output(const char *output_dir, batch_item *it)
{
    size_t base = strlen(output_dir);
    const char *path = it->output;
    char buf[MAX_PATH_LEN];
    if (strlen(path) >= sizeof buf) {
        refuse(it, "output path too long");
        return -1;
    }
    /* Each folder between the output folder and the file: made if missing,
     * and never a symbolic link, which could point anywhere. */
    for (size_t i = base + 1; path[i]; i++) {
        if (path[i] != '/') continue;
        memcpy(buf, path, i);
        buf[i] = '\0';
        struct stat st;
        if (lstat(buf, &st) != 0) {
            if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
                char why[MAX_PATH_LEN + 64];
                snprintf(why, sizeof why, "%s: cannot create the folder: %s", buf, strerror(errno));
                free(it->error);
                it->error = strdup(why);
                it->status = BATCH_FAILED;
                it->exit_code = oct_status_exit_code(OCT_ERR_OUTPUT);
                return -1;
            }
            if (lstat(buf, &st) != 0) st.st_mode = 0;
        }
        if (S_ISLNK(st.st_mode)) {
            refuse(it, "output path would leave the output folder through a symbolic link");
            return -1;
        }
        if (!S_ISDIR(st.st_mode)) {
            refuse(it, "a file stands where the output needs a folder");
            return -1;
        }
    }
    /* An existing output must be a plain file: the file sink writes through
     * to a device or FIFO, and a link may point anywhere. */
    struct stat in_st, out_st;
    if (lstat(path, &out_st) == 0 && !S_ISREG(out_st.st_mode)) {
        refuse(it, S_ISLNK(out_st.st_mode) ? "the output path is a symbolic link"
                                           : "the output path exists and is not a regular file");
        return -1;
    }
    if (stat(it->input, &in_st) == 0 && stat(path, &out_st) == 0 && in_st.st_dev == out_st.st_dev &&
        in_st.st_ino == out_st.st_ino) {
        refuse(it, "the output would overwrite the input");
        return -1;
    }
    return 0;
}
