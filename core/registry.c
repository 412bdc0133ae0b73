/*
 * registry.c — finding, loading and checking format plugins.
 *
 * Each plugin's descriptor is copied into a zeroed struct of the core's own
 * size, taking only the bytes the plugin says it has (SQLite's versioned
 * structs, OBS's loader): a plugin built for an older minor ABI simply lacks
 * the newer fields, one built for a newer minor ABI has extra fields we
 * ignore, and one built for another major ABI is refused. Every failure is
 * one line naming the file and the reason; the scan goes on.
 *
 * A directory with an up-to-date plugins.cache (plugin_cache.h) is not
 * opened at all: its plugins and formats are registered from the cache, in
 * the same order and with the same checks, and a plugin is opened the first
 * time one of its formats is asked for by name, extension, media type or
 * probe. Its descriptor must then say what the cache said.
 */
#define _GNU_SOURCE /* dladdr */
#include "internal.h"
#include "plugin_cache.h"

#include <dirent.h>
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
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

enum plugin_state {
    PLUGIN_OPEN,   /* its descriptor and functions are here */
    PLUGIN_CACHED, /* known from plugins.cache, not opened yet */
    PLUGIN_FAILED  /* opening it after all failed; its formats are not given out */
};

typedef struct plugin_rec {
    char *path;        /* file, or "(built-in)" */
    void *handle;      /* dlopen handle, NULL for built-ins and cached plugins */
    oct_plugin_descriptor desc; /* a cached one: name, version and summary */
    size_t first_format, n_formats; /* its formats, contiguous in formats[] */
    atomic_int state;  /* plugin_state; read without the lock once OPEN */
} plugin_rec;

typedef struct format_rec {
    oct_format fmt;    /* first: an oct_format* is a format_rec* */
    size_t plugin;
    unsigned caps;     /* OCT_CACHED_*: what it does, known before it is opened */
    /* What lookups read, set once when registered: fmt of a cached plugin is
     * rewritten when it is opened, maybe while another thread looks. */
    struct {
        const char *name;
        const char *const *extensions, *const *media_types;
        unsigned flags;
    } known;
} format_rec;

struct oct_registry {
    plugin_rec *plugins;
    size_t n_plugins, cap_plugins;
    format_rec **formats;
    size_t n_formats, cap_formats;
    oct_plugin_cache *caches; /* the strings of cached formats live here */
    size_t n_caches;
    /* Opening a cached plugin: the inputs of a book are read on threads,
     * each of which may pick its reader. */
    pthread_mutex_t open_lock;
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
    if (pthread_mutex_init(&reg->open_lock, NULL) != 0) {
        free(reg);
        return NULL;
    }
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
        if (atomic_load(&p->state) == PLUGIN_OPEN && p->desc.fini) p->desc.fini();
        if (p->handle) dlclose(p->handle);
        free(p->path);
    }
    free(reg->plugins);
    for (size_t i = 0; i < reg->n_caches; i++) oct_plugin_cache_free(&reg->caches[i]);
    free(reg->caches);
    pthread_mutex_destroy(&reg->open_lock);
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

/* The descriptor a plugin handed over, checked and copied into a zeroed
 * struct of our size (see the top of the file). */
static oct_status copy_descriptor(oct_registry *reg, const oct_plugin_descriptor *d,
                                  const char *origin, oct_plugin_descriptor *desc, oct_error *err)
{
    if (!d) return oct_error_set(err, OCT_ERR_INVALID_ARG, origin, 0, "no descriptor");
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
    memset(desc, 0, sizeof *desc);
    memcpy(desc, d, d->struct_size < sizeof *desc ? d->struct_size : sizeof *desc);
    if (!desc->name || !*desc->name || !desc->version || !desc->formats)
        return oct_error_set(err, OCT_ERR_PLUGIN_DESCRIPTOR, origin, 0,
                             "descriptor lacks a name, version or formats");
    if (reg && d->struct_size > sizeof *desc)
        diag(reg, OCT_SEV_INFO, origin,
             "plugin '%s' is built for a newer minor ABI (%u.%u); %zu bytes of its descriptor "
             "are ignored", desc->name, major, minor, (size_t)d->struct_size - sizeof *desc);
    return OCT_OK;
}

static unsigned caps_of(const oct_format *f)
{
    return (f->read ? OCT_CACHED_READ : 0) | (f->write ? OCT_CACHED_WRITE : 0) |
           (f->probe ? OCT_CACHED_PROBE : 0);
}

/* Format n of a plugin, checked and copied into rec as the plugin sees it. */
static oct_status copy_format(const oct_format *f, size_t n, const char *origin, format_rec *rec,
                              oct_error *err)
{
    if (f->struct_size < FORMAT_V1_SIZE || f->struct_size > MAX_DESCRIPTOR_SIZE)
        return oct_error_set(err, OCT_ERR_PLUGIN_DESCRIPTOR, origin, 0,
                             "format %zu has an implausible struct_size %zu", n, f->struct_size);
    memset(&rec->fmt, 0, sizeof rec->fmt);
    memcpy(&rec->fmt, f, f->struct_size < sizeof(oct_format) ? f->struct_size : sizeof(oct_format));
    rec->caps = caps_of(&rec->fmt);
    if (!valid_format_name(rec->fmt.name) || !(rec->caps & (OCT_CACHED_READ | OCT_CACHED_WRITE)))
        return oct_error_set(err, OCT_ERR_PLUGIN_DESCRIPTOR, origin, 0,
                             "format %zu has no valid name or neither reader nor writer", n);
    return OCT_OK;
}

/* Whether the format's name is taken: by a plugin registered before, or
 * earlier in the same plugin's list. */
static oct_status check_format_name(const oct_registry *reg, format_rec *const *recs, size_t n,
                                    const char *origin, oct_error *err)
{
    const char *name = recs[n]->fmt.name;
    for (size_t i = 0; i < reg->n_formats; i++)
        if (strcmp(reg->formats[i]->known.name, name) == 0)
            return oct_error_set(err, OCT_ERR_PLUGIN_DUPLICATE, origin, 0,
                                 "format '%s' is already provided by %s", name,
                                 reg->plugins[reg->formats[i]->plugin].path);
    for (size_t j = 0; j < n; j++)
        if (strcmp(recs[j]->fmt.name, name) == 0)
            return oct_error_set(err, OCT_ERR_PLUGIN_DUPLICATE, origin, 0,
                                 "format '%s' is listed twice", name);
    return OCT_OK;
}

static oct_status run_init(const oct_plugin_descriptor *desc, const char *origin, oct_error *err)
{
    if (!desc->init) return OCT_OK;
    oct_error ierr;
    oct_error_clear(&ierr);
    oct_status ist = desc->init(&ierr);
    if (ist == OCT_OK) return OCT_OK;
    return oct_error_set(err, OCT_ERR_PLUGIN_INIT, origin, 0, "initialisation failed: %s",
                         ierr.message[0] ? ierr.message : oct_status_message(ist));
}

/* A plugin with its formats, from its descriptor or its cache entry:
 * refused when another of the same name came first (*shadowed then says
 * so), when a format's name is taken, or when init fails; else registered
 * in state, taking the records. On failure the records are freed. */
static oct_status register_plugin(oct_registry *reg, const oct_plugin_descriptor *desc,
                                  format_rec **recs, size_t n, enum plugin_state state,
                                  const char *origin, oct_error *err, int *shadowed)
{
    oct_status st = OCT_OK;
    /* Another file of the same plugin earlier in the search path shadows this one. */
    for (size_t i = 0; i < reg->n_plugins && !st; i++)
        if (strcmp(reg->plugins[i].desc.name, desc->name) == 0) {
            if (shadowed) *shadowed = 1;
            st = oct_error_set(err, OCT_ERR_PLUGIN_DUPLICATE, origin, 0,
                               "plugin '%s' is already loaded from %s", desc->name,
                               reg->plugins[i].path);
        }
    for (size_t i = 0; i < n && !st; i++) st = check_format_name(reg, recs, i, origin, err);
    if (!st && n == 0)
        st = oct_error_set(err, OCT_ERR_PLUGIN_DESCRIPTOR, origin, 0, "plugin provides no format");
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
    /* init last: a plugin whose init ran is always accepted, so whatever
     * init hands to libraries (the HTML reader's libxml2 allocator) stays
     * mapped with it (keep_mapped) */
    if (!st && state == PLUGIN_OPEN) st = run_init(desc, origin, err);
    if (st) {
        free(path);
        for (size_t j = 0; j < n; j++) free(recs[j]);
        return st;
    }
    plugin_rec *p = &reg->plugins[reg->n_plugins];
    p->path = path;
    p->handle = NULL;
    p->desc = *desc;
    p->first_format = reg->n_formats;
    p->n_formats = n;
    atomic_init(&p->state, state);
    for (size_t j = 0; j < n; j++) {
        const oct_format *f = &recs[j]->fmt;
        recs[j]->plugin = reg->n_plugins;
        recs[j]->known.name = f->name;
        recs[j]->known.extensions = f->extensions;
        recs[j]->known.media_types = f->media_types;
        recs[j]->known.flags = f->flags;
        reg->formats[reg->n_formats++] = recs[j];
    }
    reg->n_plugins++;
    return OCT_OK;
}

/* Checks a descriptor and copies it (and its formats) into the registry. */
static oct_status add_descriptor(oct_registry *reg, const oct_plugin_descriptor *d,
                                 const char *origin, oct_error *err, int *shadowed)
{
    if (shadowed) *shadowed = 0;
    if (!reg) return oct_error_set(err, OCT_ERR_INVALID_ARG, origin, 0, "no registry");
    oct_plugin_descriptor desc;
    oct_status st = copy_descriptor(reg, d, origin, &desc, err);
    if (st) return st;
    format_rec *recs[MAX_FORMATS_PER_PLUGIN];
    size_t n = 0; /* records made and kept */
    for (; desc.formats[n]; n++) {
        format_rec *r = n < MAX_FORMATS_PER_PLUGIN ? calloc(1, sizeof *r) : NULL;
        if (n == MAX_FORMATS_PER_PLUGIN)
            st = oct_error_set(err, OCT_ERR_PLUGIN_DESCRIPTOR, origin, 0,
                               "more than %d formats", MAX_FORMATS_PER_PLUGIN);
        else if (!r)
            st = oct_error_set(err, OCT_ERR_NOMEM, origin, 0, NULL);
        else
            st = copy_format(desc.formats[n], n, origin, r, err);
        if (st) {
            free(r);
            for (size_t j = 0; j < n; j++) free(recs[j]);
            return st;
        }
        recs[n] = r;
    }
    return register_plugin(reg, &desc, recs, n, PLUGIN_OPEN, origin, err, shadowed);
}

/* A plugin known from its directory's cache, registered without opening it. */
static oct_status add_cached(oct_registry *reg, const oct_cached_plugin *c, const char *origin,
                             oct_error *err, int *shadowed)
{
    if (shadowed) *shadowed = 0;
    oct_plugin_descriptor desc = {.abi_version = OCT_PLUGIN_ABI_VERSION,
                                  .struct_size = sizeof desc,
                                  .name = c->name,
                                  .version = c->version,
                                  .summary = c->summary};
    format_rec *recs[MAX_FORMATS_PER_PLUGIN];
    size_t n = 0;
    for (; n < c->n_formats && n < MAX_FORMATS_PER_PLUGIN; n++) {
        if (!(recs[n] = calloc(1, sizeof *recs[n]))) {
            for (size_t j = 0; j < n; j++) free(recs[j]);
            return oct_error_set(err, OCT_ERR_NOMEM, origin, 0, NULL);
        }
        const oct_cached_format *f = &c->formats[n];
        recs[n]->fmt = (oct_format){.struct_size = sizeof(oct_format),
                                    .name = f->name,
                                    .summary = f->summary,
                                    .extensions = f->extensions,
                                    .media_types = f->media_types,
                                    .flags = f->flags};
        recs[n]->caps = f->caps;
    }
    return register_plugin(reg, &desc, recs, n, PLUGIN_CACHED, origin, err, shadowed);
}

oct_status oct_registry_add(oct_registry *reg, const oct_plugin_descriptor *d, const char *origin,
                            oct_error *err)
{
    return add_descriptor(reg, d, origin, err, NULL);
}

/* dlopen's part of loading a file: the handle and the descriptor it hands out. */
static oct_status open_plugin(const char *path, void **handle, const oct_plugin_descriptor **d,
                              oct_error *err)
{
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
    if (!(*d = entry())) {
        dlclose(h);
        return oct_error_set(err, OCT_ERR_PLUGIN_DESCRIPTOR, path, 0,
                             "entry function returned no descriptor");
    }
    *handle = h;
    return OCT_OK;
}

/* An accepted plugin is never unmapped, though its handle is closed with
 * the registry: the libraries it brought in (libxml2 with ICU, libzip with
 * libcrypto) keep process-wide state once initialised that they cannot
 * give back, and unloading them with the plugin would lose it as a leak at
 * every registry made and freed. GStreamer never unloads its plugins for
 * the same reason. The flag sticks to the object; the extra reference goes. */
static void keep_mapped(const char *path)
{
    void *again = dlopen(path, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
    if (again) dlclose(again);
}

static oct_status load_file(oct_registry *reg, const char *path, oct_error *err, int *shadowed)
{
    if (shadowed) *shadowed = 0;
    if (!reg || !path) return oct_error_set(err, OCT_ERR_INVALID_ARG, path, 0, NULL);
    void *h;
    const oct_plugin_descriptor *d;
    oct_status s = open_plugin(path, &h, &d, err);
    if (s) return s;
    s = add_descriptor(reg, d, path, err, shadowed);
    if (s) {
        dlclose(h);
        return s;
    }
    reg->plugins[reg->n_plugins - 1].handle = h;
    keep_mapped(path);
    return OCT_OK;
}

/* Opens a plugin registered from the cache, under open_lock: its descriptor
 * must name the formats the cache named, able to do the same things. */
static void open_cached(oct_registry *reg, plugin_rec *p)
{
    oct_error err;
    oct_error_clear(&err);
    void *h = NULL;
    const oct_plugin_descriptor *d;
    oct_plugin_descriptor desc;
    format_rec *recs = calloc(p->n_formats, sizeof *recs);
    oct_status st = recs ? open_plugin(p->path, &h, &d, &err)
                         : oct_error_set(&err, OCT_ERR_NOMEM, p->path, 0, NULL);
    if (!st) st = copy_descriptor(NULL, d, p->path, &desc, &err);
    if (!st && strcmp(desc.name, p->desc.name) != 0)
        st = oct_error_set(&err, OCT_ERR_PLUGIN_DESCRIPTOR, p->path, 0,
                           "is plugin '%s', not '%s' as %s says", desc.name, p->desc.name,
                           OCT_PLUGIN_CACHE_FILE);
    for (size_t i = 0; !st && i < p->n_formats; i++) {
        const format_rec *cached = reg->formats[p->first_format + i];
        if (!desc.formats[i]) {
            st = oct_error_set(&err, OCT_ERR_PLUGIN_DESCRIPTOR, p->path, 0,
                               "has fewer formats than %s says", OCT_PLUGIN_CACHE_FILE);
        } else if (!(st = copy_format(desc.formats[i], i, p->path, &recs[i], &err)) &&
                   (strcmp(recs[i].fmt.name, cached->known.name) != 0 ||
                    recs[i].caps != cached->caps || recs[i].fmt.flags != cached->known.flags)) {
            st = oct_error_set(&err, OCT_ERR_PLUGIN_DESCRIPTOR, p->path, 0,
                               "format '%s' is not what %s says", recs[i].fmt.name,
                               OCT_PLUGIN_CACHE_FILE);
        }
    }
    if (!st && desc.formats[p->n_formats])
        st = oct_error_set(&err, OCT_ERR_PLUGIN_DESCRIPTOR, p->path, 0,
                           "has more formats than %s says", OCT_PLUGIN_CACHE_FILE);
    if (!st) st = run_init(&desc, p->path, &err);
    if (st) {
        if (h) dlclose(h);
        free(recs);
        diag(reg, OCT_SEV_WARNING, p->path, "plugin skipped: %s", err.message);
        atomic_store_explicit(&p->state, PLUGIN_FAILED, memory_order_release);
        return;
    }
    for (size_t i = 0; i < p->n_formats; i++) {
        format_rec *r = reg->formats[p->first_format + i];
        r->fmt = recs[i].fmt;
    }
    free(recs);
    keep_mapped(p->path);
    p->handle = h;
    /* name, version and summary stay the cache's: other threads may be
     * reading them, and the build ID vouches they are the same */
    p->desc.formats = desc.formats;
    p->desc.init = desc.init;
    p->desc.fini = desc.fini;
    atomic_store_explicit(&p->state, PLUGIN_OPEN, memory_order_release);
}

/* Format i ready to use: its plugin opened if it was only cached. NULL when
 * opening it failed (said once, as a warning). */
static const oct_format *ready(const oct_registry *creg, size_t i)
{
    /* The registry is const to its users; opening a cached plugin is the
     * one change behind their back, made once, under the lock. */
    oct_registry *reg = (oct_registry *)creg;
    format_rec *r = reg->formats[i];
    plugin_rec *p = &reg->plugins[r->plugin];
    int state = atomic_load_explicit(&p->state, memory_order_acquire);
    if (state == PLUGIN_CACHED) {
        pthread_mutex_lock(&reg->open_lock);
        if (atomic_load_explicit(&p->state, memory_order_acquire) == PLUGIN_CACHED)
            open_cached(reg, p);
        pthread_mutex_unlock(&reg->open_lock);
        state = atomic_load_explicit(&p->state, memory_order_acquire);
    }
    return state == PLUGIN_OPEN ? &r->fmt : NULL;
}

oct_status oct_registry_load_file(oct_registry *reg, const char *path, oct_error *err)
{
    return load_file(reg, path, err, NULL);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The plugin files of dir, in name order so which plugin wins a conflict
 * never depends on readdir. NULL with *n 0 when there are none. */
static char **plugin_files(const char *dir, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return NULL;
    char **names = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!oct_plugin_file_name(e->d_name)) continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) break;
            names = p;
        }
        if (!(names[*n] = strdup(e->d_name))) break;
        (*n)++;
    }
    closedir(d);
    if (*n > 1) qsort(names, *n, sizeof *names, compare_names);
    return names;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

/* dir's cache, kept by the registry (cached formats point into it), when
 * it is there and up to date; else NULL. */
static const oct_plugin_cache *read_cache(oct_registry *reg, const char *dir, char *const *names,
                                          size_t n)
{
    oct_plugin_cache cache;
    if (!oct_plugin_cache_read(dir, (const char *const *)names, n, &cache)) return NULL;
    oct_plugin_cache *kept = realloc(reg->caches, (reg->n_caches + 1) * sizeof *kept);
    if (!kept) {
        oct_plugin_cache_free(&cache);
        return NULL;
    }
    reg->caches = kept;
    kept[reg->n_caches] = cache;
    return &kept[reg->n_caches++];
}

/* Every plugin file of dir, registered from its cache when use_cache finds
 * one up to date, else opened: the same checks and messages either way. */
static size_t load_dir(oct_registry *reg, const char *dir, int use_cache)
{
    if (!reg || !dir || !*dir) return 0;
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) return 0;
    if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)) {
        diag(reg, OCT_SEV_WARNING, dir, "plugin directory refused: writable by every user");
        return 0;
    }
    size_t n, loaded = 0;
    char **names = plugin_files(dir, &n);
    const oct_plugin_cache *cache = use_cache && n ? read_cache(reg, dir, names, n) : NULL;
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        oct_error err;
        oct_error_clear(&err);
        int shadowed;
        oct_status s = cache ? add_cached(reg, &cache->plugins[i], path, &err, &shadowed)
                             : load_file(reg, path, &err, &shadowed);
        if (s == OCT_OK) loaded++;
        else if (shadowed)
            diag(reg, OCT_SEV_INFO, path, "skipped: %s", err.message);
        else
            diag(reg, OCT_SEV_WARNING, path, "plugin skipped: %s", err.message);
    }
    free_names(names, n);
    return loaded;
}

size_t oct_registry_load_dir(oct_registry *reg, const char *dir)
{
    return load_dir(reg, dir, 1);
}

/* The first thing a scan said, kept to explain why there is no cache. */
typedef struct first_word {
    char text[600];
} first_word;

static void keep_first_word(void *userdata, oct_severity sev, const char *where, long line,
                            const char *message)
{
    first_word *w = userdata;
    if (!w->text[0]) snprintf(w->text, sizeof w->text, "%s: %s", where ? where : "", message);
}

oct_status oct_registry_update_cache(const char *dir, oct_error *err)
{
    if (!dir || !*dir) return oct_error_set(err, OCT_ERR_INVALID_ARG, dir, 0, "no directory");
    oct_registry *reg = oct_registry_new();
    if (!reg) return oct_error_set(err, OCT_ERR_NOMEM, dir, 0, NULL);
    first_word said = {{0}};
    oct_registry_set_log(reg, keep_first_word, &said);
    size_t n_files;
    char **names = plugin_files(dir, &n_files);
    size_t loaded = load_dir(reg, dir, 0);
    oct_status st = OCT_OK;
    /* Only what a scan accepts without a word: then reading the cache says
     * nothing either, exactly as the scan would. */
    if (said.text[0])
        st = oct_error_set(err, OCT_ERR_UNSUPPORTED, dir, 0, "not cached, the scan said: %s",
                           said.text);
    else if (n_files == 0 || loaded != n_files)
        st = oct_error_set(err, OCT_ERR_NOT_FOUND, dir, 0, "no plugins to cache");
    oct_cached_plugin *plugins = st ? NULL : calloc(loaded, sizeof *plugins);
    oct_cached_format *formats = st ? NULL : calloc(reg->n_formats, sizeof *formats);
    if (!st && (!plugins || !formats)) st = oct_error_set(err, OCT_ERR_NOMEM, dir, 0, NULL);
    /* plugins[0] of the registry is the built-in one */
    for (size_t i = 0; !st && i < loaded; i++) {
        const plugin_rec *p = &reg->plugins[i + 1];
        oct_cached_plugin *c = &plugins[i];
        c->file = names[i];
        c->name = p->desc.name;
        c->version = p->desc.version;
        c->summary = p->desc.summary;
        c->formats = &formats[p->first_format];
        c->n_formats = p->n_formats;
        for (size_t j = 0; j < p->n_formats; j++) {
            const format_rec *r = reg->formats[p->first_format + j];
            c->formats[j] = (oct_cached_format){.name = r->fmt.name,
                                                .summary = r->fmt.summary,
                                                .extensions = (const char **)r->fmt.extensions,
                                                .media_types = (const char **)r->fmt.media_types,
                                                .flags = r->fmt.flags,
                                                .caps = r->caps};
        }
    }
    if (!st) st = oct_plugin_cache_write(dir, plugins, loaded, err);
    free(plugins);
    free(formats);
    free_names(names, n_files);
    oct_registry_free(reg);
    return st;
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
    return reg && i < reg->n_formats ? ready(reg, i) : NULL;
}

const oct_format *oct_registry_find(const oct_registry *reg, const char *name)
{
    if (!reg || !name) return NULL;
    for (size_t i = 0; i < reg->n_formats; i++)
        if (strcmp(reg->formats[i]->known.name, name) == 0) return ready(reg, i);
    return NULL;
}

const oct_format *oct_registry_find_by_extension(const oct_registry *reg, const char *ext,
                                                 int want_writer)
{
    if (!reg || !ext) return NULL;
    if (*ext == '.') ext++;
    const unsigned need = want_writer ? OCT_CACHED_WRITE : OCT_CACHED_READ;
    for (size_t i = 0; i < reg->n_formats; i++) {
        const format_rec *r = reg->formats[i];
        if (!(r->caps & need)) continue;
        for (const char *const *e = r->known.extensions; e && *e; e++)
            if (strcasecmp(*e, ext) == 0) {
                const oct_format *f = ready(reg, i);
                if (f) return f;
                break; /* its plugin failed to open: as if it had no such format */
            }
    }
    return NULL;
}

const oct_format *oct_registry_find_by_media_type(const oct_registry *reg, const char *type,
                                                  size_t len)
{
    for (size_t i = 0; reg && type && i < reg->n_formats; i++) {
        const format_rec *r = reg->formats[i];
        if (!(r->caps & OCT_CACHED_READ)) continue;
        for (const char *const *m = r->known.media_types; m && *m; m++)
            if (strlen(*m) == len && strncasecmp(*m, type, len) == 0) {
                const oct_format *f = ready(reg, i);
                if (f) return f;
                break;
            }
    }
    return NULL;
}

const oct_format *oct_registry_probe(const oct_registry *reg, const void *data, size_t len,
                                     const char *name)
{
    const oct_format *best = NULL;
    int best_score = 0;
    const unsigned need = OCT_CACHED_READ | OCT_CACHED_PROBE;
    for (size_t i = 0; reg && i < reg->n_formats; i++) {
        if ((reg->formats[i]->caps & need) != need) continue;
        const oct_format *f = ready(reg, i);
        if (!f) continue;
        int s = f->probe(data, len, name);
        if (s > best_score) { best = f; best_score = s; }
    }
    return best;
}

int oct_registry_readers_thread_safe(const oct_registry *reg)
{
    for (size_t i = 0; reg && i < reg->n_formats; i++) {
        const format_rec *r = reg->formats[i];
        if ((r->caps & OCT_CACHED_READ) && !(r->known.flags & OCT_FORMAT_THREAD_SAFE)) return 0;
    }
    return 1;
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
