/*
 * registry.c — finding, loading and checking format plugins.
 *
 * Each plugin's descriptor is copied into a zeroed struct of the core's own
 * size, taking only the bytes the plugin says it has (SQLite's versioned
 * structs, OBS's loader): a plugin built for an older minor ABI simply lacks
 * the newer fields, one built for a newer minor ABI has extra fields we
 * ignore, and one built for another major ABI is refused. Every failure is
 * one line naming the file and the reason; the scan goes on.
 */
#define _GNU_SOURCE /* dladdr */
#include "internal.h"

#include <dirent.h>
#include <dlfcn.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_FORMATS_PER_PLUGIN 64
#define MAX_DESCRIPTOR_SIZE ((size_t)1 << 20)
/* The size of each struct as ABI 1.0 defined it: the least a plugin may have. */
#define DESCRIPTOR_V1_SIZE (offsetof(oct_plugin_descriptor, fini) + sizeof(void (*)(void)))
#define FORMAT_V1_SIZE (offsetof(oct_format, flags) + sizeof(unsigned))

typedef struct plugin_rec {
    char *path;        /* file, or "(built-in)" */
    void *handle;      /* dlopen handle, NULL for built-ins */
    oct_plugin_descriptor desc;
} plugin_rec;

typedef struct format_rec {
    oct_format fmt;    /* first: an oct_format* is a format_rec* */
    size_t plugin;
} format_rec;

struct oct_registry {
    plugin_rec *plugins;
    size_t n_plugins, cap_plugins;
    format_rec **formats;
    size_t n_formats, cap_formats;
    oct_log_fn log;
    void *log_data;
};

extern const oct_plugin_descriptor oct_builtin_descriptor; /* dump.c */

static void diag(oct_registry *reg, oct_severity sev, const char *where, const char *fmt, ...)
    OCT_PRINTF(4, 5);
static void diag(oct_registry *reg, oct_severity sev, const char *where, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (char *p = msg; *p; p++)
        if (*p == '\n') *p = ' ';
    reg->log(reg->log_data, sev, where, 0, msg);
}

oct_registry *oct_registry_new(void)
{
    oct_registry *reg = calloc(1, sizeof *reg);
    if (!reg) return NULL;
    reg->log = oct_log_stderr;
    if (oct_registry_add(reg, &oct_builtin_descriptor, "(built-in)", NULL) != OCT_OK) {
        oct_registry_free(reg);
        return NULL;
    }
    return reg;
}

void oct_registry_free(oct_registry *reg)
{
    if (!reg) return;
    for (size_t i = 0; i < reg->n_formats; i++) free(reg->formats[i]);
    free(reg->formats);
    /* Unload in reverse order of loading. */
    for (size_t i = reg->n_plugins; i-- > 0;) {
        plugin_rec *p = &reg->plugins[i];
        if (p->desc.fini) p->desc.fini();
        if (p->handle) dlclose(p->handle);
        free(p->path);
    }
    free(reg->plugins);
    free(reg);
}

void oct_registry_set_log(oct_registry *reg, oct_log_fn fn, void *userdata)
{
    if (!reg) return;
    reg->log = fn ? fn : oct_log_stderr;
    reg->log_data = fn ? userdata : NULL;
}

static int valid_format_name(const char *s)
{
    if (!s || !*s || strlen(s) > 32) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
            return 0;
    return 1;
}

/* Checks a descriptor and copies it (and its formats) into the registry. */
/* shadowed (may be NULL) is set when the refusal is only that a plugin of
 * the same name came earlier in the search path: not worth a warning. */
static oct_status add_descriptor(oct_registry *reg, const oct_plugin_descriptor *d,
                                 const char *origin, oct_error *err, int *shadowed)
{
    if (shadowed) *shadowed = 0;
    if (!reg || !d) return oct_error_set(err, OCT_ERR_INVALID_ARG, origin, 0, "no descriptor");
    unsigned major = d->abi_version >> 16, minor = d->abi_version & 0xFFFF;
    if (major != OCT_PLUGIN_ABI_MAJOR)
        return oct_error_set(err, OCT_ERR_PLUGIN_ABI, origin, 0,
                             "built for plugin ABI %u.%u, this octavo supports %u.x", major, minor,
                             OCT_PLUGIN_ABI_MAJOR);
    if (d->struct_size < DESCRIPTOR_V1_SIZE)
        return oct_error_set(err, OCT_ERR_PLUGIN_DESCRIPTOR, origin, 0,
                             "descriptor of %u bytes is smaller than ABI 1.0's %zu",
                             (unsigned)d->struct_size, DESCRIPTOR_V1_SIZE);
    if (d->struct_size > MAX_DESCRIPTOR_SIZE)
        return oct_error_set(err, OCT_ERR_PLUGIN_DESCRIPTOR, origin, 0,
                             "descriptor claims %u bytes, not a plausible size",
                             (unsigned)d->struct_size);
    oct_plugin_descriptor desc;
    memset(&desc, 0, sizeof desc);
    memcpy(&desc, d, d->struct_size < sizeof desc ? d->struct_size : sizeof desc);
    if (!desc.name || !*desc.name || !desc.version || !desc.formats)
        return oct_error_set(err, OCT_ERR_PLUGIN_DESCRIPTOR, origin, 0,
                             "descriptor lacks a name, version or formats");
    if (d->struct_size > sizeof desc)
        diag(reg, OCT_SEV_INFO, origin,
             "plugin '%s' is built for a newer minor ABI (%u.%u); %zu bytes of its descriptor "
             "are ignored", desc.name, major, minor, (size_t)d->struct_size - sizeof desc);

    /* Another file of the same plugin earlier in the search path shadows this one. */
    for (size_t i = 0; i < reg->n_plugins; i++)
        if (strcmp(reg->plugins[i].desc.name, desc.name) == 0) {
            if (shadowed) *shadowed = 1;
            return oct_error_set(err, OCT_ERR_PLUGIN_DUPLICATE, origin, 0,
                                 "plugin '%s' is already loaded from %s", desc.name,
                                 reg->plugins[i].path);
        }

    format_rec *recs[MAX_FORMATS_PER_PLUGIN];
    size_t n = 0;
    oct_status st = OCT_OK;
    for (; desc.formats[n]; n++) {
        const oct_format *f = desc.formats[n];
        if (n == MAX_FORMATS_PER_PLUGIN) {
            st = oct_error_set(err, OCT_ERR_PLUGIN_DESCRIPTOR, origin, 0,
                               "more than %d formats", MAX_FORMATS_PER_PLUGIN);
            break;
        }
        if (f->struct_size < FORMAT_V1_SIZE || f->struct_size > MAX_DESCRIPTOR_SIZE) {
            st = oct_error_set(err, OCT_ERR_PLUGIN_DESCRIPTOR, origin, 0,
                               "format %zu has an implausible struct_size %zu", n, f->struct_size);
            break;
        }
        recs[n] = calloc(1, sizeof *recs[n]);
        if (!recs[n]) { st = oct_error_set(err, OCT_ERR_NOMEM, origin, 0, NULL); break; }
        memcpy(&recs[n]->fmt, f, f->struct_size < sizeof(oct_format) ? f->struct_size : sizeof(oct_format));
        const oct_format *c = &recs[n]->fmt;
        if (!valid_format_name(c->name) || (!c->read && !c->write)) {
            free(recs[n]);
            st = oct_error_set(err, OCT_ERR_PLUGIN_DESCRIPTOR, origin, 0,
                               "format %zu has no valid name or neither reader nor writer", n);
            break;
        }
        const oct_format *taken = oct_registry_find(reg, c->name);
        if (taken) {
            st = oct_error_set(err, OCT_ERR_PLUGIN_DUPLICATE, origin, 0,
                               "format '%s' is already provided by %s", c->name,
                               oct_format_plugin_path(reg, taken));
            free(recs[n]);
            break;
        }
        for (size_t j = 0; j < n; j++)
            if (strcmp(recs[j]->fmt.name, c->name) == 0) {
                st = oct_error_set(err, OCT_ERR_PLUGIN_DUPLICATE, origin, 0,
                                   "format '%s' is listed twice", c->name);
                break;
            }
        if (st) { free(recs[n]); break; }
    }
    if (!st && n == 0)
        st = oct_error_set(err, OCT_ERR_PLUGIN_DESCRIPTOR, origin, 0, "plugin provides no format");
    if (!st && desc.init) {
        oct_error ierr;
        oct_error_clear(&ierr);
        oct_status ist = desc.init(&ierr);
        if (ist != OCT_OK)
            st = oct_error_set(err, OCT_ERR_PLUGIN_INIT, origin, 0, "initialisation failed: %s",
                               ierr.message[0] ? ierr.message : oct_status_message(ist));
    }
    if (!st && (reg->n_formats + n > reg->cap_formats || reg->n_plugins == reg->cap_plugins)) {
        size_t fcap = reg->cap_formats ? reg->cap_formats : 16;
        while (fcap < reg->n_formats + n) fcap *= 2;
        format_rec **fp = realloc(reg->formats, fcap * sizeof *fp);
        if (fp) { reg->formats = fp; reg->cap_formats = fcap; }
        size_t pcap = reg->n_plugins == reg->cap_plugins ? (reg->cap_plugins ? reg->cap_plugins * 2 : 8)
                                                         : reg->cap_plugins;
        plugin_rec *pp = realloc(reg->plugins, pcap * sizeof *pp);
        if (pp) { reg->plugins = pp; reg->cap_plugins = pcap; }
        if (!fp || !pp) st = oct_error_set(err, OCT_ERR_NOMEM, origin, 0, NULL);
    }
    char *path = st ? NULL : strdup(origin ? origin : "(unknown)");
    if (!st && !path) st = oct_error_set(err, OCT_ERR_NOMEM, origin, 0, NULL);
    if (st) {
        for (size_t j = 0; j < n; j++) free(recs[j]);
        return st;
    }
    plugin_rec *p = &reg->plugins[reg->n_plugins];
    p->path = path;
    p->handle = NULL;
    p->desc = desc;
    for (size_t j = 0; j < n; j++) {
        recs[j]->plugin = reg->n_plugins;
        reg->formats[reg->n_formats++] = recs[j];
    }
    reg->n_plugins++;
    return OCT_OK;
}

oct_status oct_registry_add(oct_registry *reg, const oct_plugin_descriptor *d, const char *origin,
                            oct_error *err)
{
    return add_descriptor(reg, d, origin, err, NULL);
}

static oct_status load_file(oct_registry *reg, const char *path, oct_error *err, int *shadowed)
{
    if (shadowed) *shadowed = 0;
    if (!reg || !path) return oct_error_set(err, OCT_ERR_INVALID_ARG, path, 0, NULL);
    struct stat st;
    if (stat(path, &st) != 0)
        return oct_error_set(err, OCT_ERR_NOT_FOUND, path, 0, "no such plugin file");
    if (st.st_mode & S_IWOTH)
        return oct_error_set(err, OCT_ERR_DENIED, path, 0,
                             "refused: plugin file is writable by every user");
    dlerror();
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        return oct_error_set(err, OCT_ERR_PLUGIN_OPEN, path, 0, "not a loadable shared object: %s",
                             why ? why : "unknown dlopen error");
    }
    dlerror();
    void *sym = dlsym(h, OCT_PLUGIN_ENTRY_SYMBOL);
    const char *why = dlerror();
    if (!sym || why) {
        dlclose(h);
        return oct_error_set(err, OCT_ERR_PLUGIN_SYMBOL, path, 0, "no entry function %s()",
                             OCT_PLUGIN_ENTRY_SYMBOL);
    }
    oct_plugin_entry_fn entry;
    /* POSIX guarantees a data pointer from dlsym converts to a function pointer. */
    memcpy(&entry, &sym, sizeof entry);
    const oct_plugin_descriptor *d = entry();
    if (!d) {
        dlclose(h);
        return oct_error_set(err, OCT_ERR_PLUGIN_DESCRIPTOR, path, 0, "entry function returned no descriptor");
    }
    oct_status s = add_descriptor(reg, d, path, err, shadowed);
    if (s) {
        dlclose(h);
        return s;
    }
    reg->plugins[reg->n_plugins - 1].handle = h;
    return OCT_OK;
}

oct_status oct_registry_load_file(oct_registry *reg, const char *path, oct_error *err)
{
    return load_file(reg, path, err, NULL);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t oct_registry_load_dir(oct_registry *reg, const char *dir)
{
    if (!reg || !dir || !*dir) return 0;
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) return 0;
    if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)) {
        diag(reg, OCT_SEV_WARNING, dir, "plugin directory refused: writable by every user");
        return 0;
    }
    DIR *d = opendir(dir);
    if (!d) return 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".so") != 0 || e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) break;
            names = p;
        }
        if (!(names[n] = strdup(e->d_name))) break;
        n++;
    }
    closedir(d);
    /* Name order, so which plugin wins a conflict never depends on readdir. */
    if (n > 1) qsort(names, n, sizeof *names, compare_names);
    size_t loaded = 0;
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        oct_error err;
        oct_error_clear(&err);
        int shadowed;
        oct_status s = load_file(reg, path, &err, &shadowed);
        if (s == OCT_OK) loaded++;
        else if (shadowed)
            diag(reg, OCT_SEV_INFO, path, "skipped: %s", err.message);
        else
            diag(reg, OCT_SEV_WARNING, path, "plugin skipped: %s", err.message);
        free(names[i]);
    }
    free(names);
    return loaded;
}

/* The directory of plugins next to the liboctavo that is running, found from
 * the library's own address: works in the build tree and installed alike. */
static int own_plugin_dir(char *out, size_t size)
{
    Dl_info info;
    if (!dladdr((void *)&oct_registry_new, &info) || !info.dli_fname) return 0;
    char real[PATH_MAX];
    if (!realpath(info.dli_fname, real)) return 0;
    char *slash = strrchr(real, '/');
    if (!slash) return 0;
    *slash = '\0';
    return snprintf(out, size, "%s/%s", real, OCTAVO_PLUGIN_SUBDIR_FROM_LIB) < (int)size;
}

size_t oct_registry_load_default(oct_registry *reg, const char *const *extra, size_t n_extra)
{
    if (!reg) return 0;
    char *dirs[64];
    size_t nd = 0, loaded = 0;
    for (size_t i = 0; i < n_extra && nd < 60; i++)
        if (extra[i] && *extra[i]) dirs[nd++] = strdup(extra[i]);
    const char *env = getenv("OCTAVO_PLUGIN_PATH");
    if (env) {
        const char *p = env;
        while (*p && nd < 62) {
            const char *colon = strchr(p, ':');
            size_t len = colon ? (size_t)(colon - p) : strlen(p);
            if (len) dirs[nd++] = strndup(p, len);
            p += len + (colon ? 1 : 0);
        }
    }
    char own[PATH_MAX];
    if (own_plugin_dir(own, sizeof own)) dirs[nd++] = strdup(own);
    dirs[nd++] = strdup(OCTAVO_INSTALL_PLUGIN_DIR);
    /* A directory reached twice (say the install dir is also our own) is
     * scanned once; relative entries are never resolved against the cwd. */
    char (*seen)[PATH_MAX] = malloc(64 * sizeof *seen);
    size_t n_seen = 0;
    for (size_t i = 0; i < nd; i++) {
        if (!dirs[i]) continue;
        char real[PATH_MAX];
        if (dirs[i][0] == '/' || i < n_extra) {
            if (seen && realpath(dirs[i], real)) {
                int dup = 0;
                for (size_t j = 0; j < n_seen && !dup; j++) dup = strcmp(seen[j], real) == 0;
                if (!dup) {
                    memcpy(seen[n_seen++], real, strlen(real) + 1);
                    loaded += oct_registry_load_dir(reg, real);
                }
            } else if (i < n_extra) {
                diag(reg, OCT_SEV_WARNING, dirs[i], "plugin directory not found");
            }
        }
        free(dirs[i]);
    }
    free(seen);
    return loaded;
}

size_t oct_registry_format_count(const oct_registry *reg) { return reg ? reg->n_formats : 0; }

const oct_format *oct_registry_format_at(const oct_registry *reg, size_t i)
{
    return reg && i < reg->n_formats ? &reg->formats[i]->fmt : NULL;
}

const oct_format *oct_registry_find(const oct_registry *reg, const char *name)
{
    if (!reg || !name) return NULL;
    for (size_t i = 0; i < reg->n_formats; i++)
        if (strcmp(reg->formats[i]->fmt.name, name) == 0) return &reg->formats[i]->fmt;
    return NULL;
}

const oct_format *oct_registry_find_by_extension(const oct_registry *reg, const char *ext,
                                                 int want_writer)
{
    if (!reg || !ext) return NULL;
    if (*ext == '.') ext++;
    for (size_t i = 0; i < reg->n_formats; i++) {
        const oct_format *f = &reg->formats[i]->fmt;
        if (want_writer ? !f->write : !f->read) continue;
        for (const char *const *e = f->extensions; e && *e; e++)
            if (strcasecmp(*e, ext) == 0) return f;
    }
    return NULL;
}

const oct_format *oct_registry_probe(const oct_registry *reg, const void *data, size_t len,
                                     const char *name)
{
    const oct_format *best = NULL;
    int best_score = 0;
    for (size_t i = 0; reg && i < reg->n_formats; i++) {
        const oct_format *f = &reg->formats[i]->fmt;
        if (!f->read || !f->probe) continue;
        int s = f->probe(data, len, name);
        if (s > best_score) { best = f; best_score = s; }
    }
    return best;
}

static const plugin_rec *plugin_of(const oct_registry *reg, const oct_format *f)
{
    if (!reg || !f) return NULL;
    const format_rec *r = (const format_rec *)f;
    return r->plugin < reg->n_plugins ? &reg->plugins[r->plugin] : NULL;
}

const char *oct_format_plugin_path(const oct_registry *reg, const oct_format *f)
{
    const plugin_rec *p = plugin_of(reg, f);
    return p ? p->path : NULL;
}
const char *oct_format_plugin_name(const oct_registry *reg, const oct_format *f)
{
    const plugin_rec *p = plugin_of(reg, f);
    return p ? p->desc.name : NULL;
}
const char *oct_format_plugin_version(const oct_registry *reg, const oct_format *f)
{
    const plugin_rec *p = plugin_of(reg, f);
    return p ? p->desc.version : NULL;
}
const char *oct_format_name(const oct_format *f) { return f ? f->name : NULL; }
int oct_format_can_read(const oct_format *f) { return f && f->read; }
int oct_format_can_write(const oct_format *f) { return f && f->write; }

size_t oct_registry_plugin_count(const oct_registry *reg) { return reg ? reg->n_plugins : 0; }
const char *oct_registry_plugin_info(const oct_registry *reg, size_t i, const char **name,
                                     const char **version)
{
    if (!reg || i >= reg->n_plugins) return NULL;
    if (name) *name = reg->plugins[i].desc.name;
    if (version) *version = reg->plugins[i].desc.version;
    return reg->plugins[i].path;
}
