/* plugin_cache.c — the plugin directory's cache file; see plugin_cache.h. */
#include "plugin_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_id.h"
#include "octavo/octavo_plugin.h"
#include "octavo/octavo_version.h"

/* A cache names a handful of plugins in a few hundred bytes each. */
#define MAX_CACHE_BYTES ((size_t)1 << 20)
#define MAX_LIST_ITEMS 64
/* The first line: the file's own layout, then who wrote it. A cache from
 * another liboctavo is not read: its idea of a format may differ. */
#define CACHE_LAYOUT "octavo-plugin-cache\t1"

int oct_plugin_file_name(const char *name)
{
    size_t len = strlen(name);
    return len >= 4 && name[0] != '.' && strcmp(name + len - 3, ".so") == 0;
}

/* ---------------------------------------------------------------- reading */

static void *keep_array(oct_plugin_cache *c, size_t count, size_t size)
{
    if (c->n_arrays == c->cap_arrays) {
        size_t cap = c->cap_arrays ? c->cap_arrays * 2 : 16;
        void **p = realloc(c->arrays, cap * sizeof *p);
        if (!p) return NULL;
        c->arrays = p;
        c->cap_arrays = cap;
    }
    void *a = calloc(count ? count : 1, size);
    if (a) c->arrays[c->n_arrays++] = a;
    return a;
}

/* Cuts the next tab-separated field off *line; NULL when there is none. */
static char *field(char **line)
{
    if (!*line) return NULL;
    char *f = *line, *tab = strchr(f, '\t');
    if (tab) {
        *tab = '\0';
        *line = tab + 1;
    } else {
        *line = NULL;
    }
    return f;
}

/* "md,markdown" as a NULL-terminated list; an empty field is no list. */
static int split_list(oct_plugin_cache *c, char *s, const char ***out)
{
    *out = NULL;
    if (!*s) return 1;
    const char **items = keep_array(c, MAX_LIST_ITEMS + 1, sizeof *items);
    if (!items) return 0;
    size_t n = 0;
    for (char *p = s; p; n++) {
        if (n == MAX_LIST_ITEMS) return 0;
        items[n] = p;
        char *comma = strchr(p, ',');
        if (comma) *comma++ = '\0';
        if (!*items[n]) return 0;
        p = comma;
    }
    *out = items;
    return 1;
}

static int parse_caps(const char *s, unsigned *caps)
{
    if (strlen(s) != 3) return 0;
    *caps = (s[0] == 'r' ? OCT_CACHED_READ : 0) | (s[1] == 'w' ? OCT_CACHED_WRITE : 0) |
            (s[2] == 'p' ? OCT_CACHED_PROBE : 0);
    return (s[0] == 'r' || s[0] == '-') && (s[1] == 'w' || s[1] == '-') &&
           (s[2] == 'p' || s[2] == '-') && (*caps & (OCT_CACHED_READ | OCT_CACHED_WRITE));
}

static int parse_plugin(oct_plugin_cache *c, char *line, oct_cached_plugin *p, char *build_id)
{
    const char *file = field(&line), *id = field(&line);
    p->name = field(&line);
    p->version = field(&line);
    p->summary = field(&line);
    if (!file || !id || !p->summary || line || strlen(id) >= OCT_BUILD_ID_HEX_MAX) return 0;
    p->file = file;
    strcpy(build_id, id);
    p->formats = keep_array(c, MAX_LIST_ITEMS, sizeof *p->formats);
    return p->formats != NULL;
}

static int parse_format(oct_plugin_cache *c, char *line, oct_cached_format *f)
{
    f->name = field(&line);
    const char *caps = field(&line), *flags = field(&line);
    char *extensions = field(&line), *media = field(&line);
    f->summary = field(&line);
    if (!f->summary || line || !parse_caps(caps, &f->caps)) return 0;
    char *end;
    errno = 0;
    unsigned long v = strtoul(flags, &end, 16);
    if (errno || !*flags || *end || v > UINT_MAX) return 0;
    f->flags = (unsigned)v;
    return split_list(c, extensions, &f->extensions) && split_list(c, media, &f->media_types);
}

/* The plugin file matches what the cache says of it: same build, and no
 * more writable than a scan accepts. */
static int same_build(const char *dir, const char *file, const char *build_id)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path) return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    struct stat st;
    char id[OCT_BUILD_ID_HEX_MAX];
    int same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && !(st.st_mode & S_IWOTH) &&
               oct_build_id_read(fd, id) && strcmp(id, build_id) == 0;
    close(fd);
    return same;
}

static char *read_cache_file(const char *dir)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, OCT_PLUGIN_CACHE_FILE) >= (int)sizeof path)
        return NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    char *text = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && !(st.st_mode & S_IWOTH) &&
        st.st_size > 0 && (size_t)st.st_size <= MAX_CACHE_BYTES &&
        (text = malloc((size_t)st.st_size + 1))) {
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t n = read(fd, text + got, (size_t)st.st_size - got);
            if (n <= 0) break;
            got += (size_t)n;
        }
        if (got == (size_t)st.st_size) {
            text[got] = '\0';
        } else {
            free(text);
            text = NULL;
        }
    }
    close(fd);
    return text;
}

int oct_plugin_cache_read(const char *dir, const char *const *names, size_t n_names,
                          oct_plugin_cache *out)
{
    memset(out, 0, sizeof *out);
    if (n_names == 0 || n_names > MAX_LIST_ITEMS || !(out->text = read_cache_file(dir)))
        return 0;
    char header[96];
    snprintf(header, sizeof header, CACHE_LAYOUT "\t%08x\t%s\n", (unsigned)OCT_PLUGIN_ABI_VERSION,
             OCTAVO_VERSION_STRING);
    int ok = strncmp(out->text, header, strlen(header)) == 0 &&
             (out->plugins = keep_array(out, n_names, sizeof *out->plugins)) != NULL;
    char *next = ok ? out->text + strlen(header) : NULL;
    int ended = 0;
    oct_cached_plugin *p = NULL;
    while (ok && next && *next) {
        char *line = next, *nl = strchr(line, '\n');
        if (!nl) { ok = 0; break; } /* cut short */
        *nl = '\0';
        next = nl + 1;
        char *kind = field(&line);
        char build_id[OCT_BUILD_ID_HEX_MAX];
        if (strcmp(kind, "plugin") == 0 && out->n_plugins < n_names && !ended) {
            p = &out->plugins[out->n_plugins++];
            ok = parse_plugin(out, line, p, build_id) &&
                 strcmp(p->file, names[out->n_plugins - 1]) == 0 &&
                 same_build(dir, p->file, build_id);
        } else if (strcmp(kind, "format") == 0 && p && p->n_formats < MAX_LIST_ITEMS && !ended) {
            ok = parse_format(out, line, &p->formats[p->n_formats++]);
        } else if (strcmp(kind, "end") == 0 && !line && !ended) {
            ended = 1;
        } else {
            ok = 0;
        }
    }
    for (size_t i = 0; ok && i < out->n_plugins; i++) ok = out->plugins[i].n_formats > 0;
    if (ok && ended && out->n_plugins == n_names) return 1;
    oct_plugin_cache_free(out);
    return 0;
}

void oct_plugin_cache_free(oct_plugin_cache *cache)
{
    if (!cache) return;
    for (size_t i = 0; i < cache->n_arrays; i++) free(cache->arrays[i]);
    free(cache->arrays);
    free(cache->text);
    memset(cache, 0, sizeof *cache);
}

/* ---------------------------------------------------------------- writing */

/* A string the line format can hold: no tab or line break (and, in a list,
 * no comma and not empty). */
static int writable(const char *s, int in_list)
{
    if (!s) return !in_list;
    if (in_list && !*s) return 0;
    return !strpbrk(s, in_list ? "\t\r\n," : "\t\r\n");
}

static int write_list(FILE *f, const char *const *items)
{
    for (size_t i = 0; items && items[i]; i++) {
        if (i == MAX_LIST_ITEMS || !writable(items[i], 1)) return 0;
        fprintf(f, "%s%s", i ? "," : "", items[i]);
    }
    return 1;
}

static oct_status write_plugin(FILE *f, const char *dir, const oct_cached_plugin *p,
                               oct_error *err)
{
    char path[PATH_MAX], id[OCT_BUILD_ID_HEX_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, p->file) >= (int)sizeof path)
        return oct_error_set(err, OCT_ERR_LIMIT, dir, 0, "path too long");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int have_id = fd >= 0 && oct_build_id_read(fd, id);
    if (fd >= 0) close(fd);
    if (!have_id)
        return oct_error_set(err, OCT_ERR_UNSUPPORTED, path, 0,
                             "no GNU build ID to know the plugin by (link with --build-id)");
    if (!writable(p->file, 0) || !writable(p->name, 0) || !writable(p->version, 0) ||
        !writable(p->summary, 0))
        return oct_error_set(err, OCT_ERR_UNSUPPORTED, path, 0,
                             "a name, version or summary holds a tab or line break");
    if (p->n_formats == 0 || p->n_formats > MAX_LIST_ITEMS)
        return oct_error_set(err, OCT_ERR_UNSUPPORTED, path, 0, "%zu formats", p->n_formats);
    fprintf(f, "plugin\t%s\t%s\t%s\t%s\t%s\n", p->file, id, p->name, p->version,
            p->summary ? p->summary : "");
    for (size_t i = 0; i < p->n_formats; i++) {
        const oct_cached_format *c = &p->formats[i];
        if (!writable(c->name, 0) || !writable(c->summary, 0))
            return oct_error_set(err, OCT_ERR_UNSUPPORTED, path, 0,
                                 "a format's name or summary holds a tab or line break");
        fprintf(f, "format\t%s\t%c%c%c\t%x\t", c->name, c->caps & OCT_CACHED_READ ? 'r' : '-',
                c->caps & OCT_CACHED_WRITE ? 'w' : '-', c->caps & OCT_CACHED_PROBE ? 'p' : '-',
                c->flags);
        int lists = write_list(f, c->extensions);
        fputc('\t', f);
        lists = lists && write_list(f, c->media_types);
        if (!lists)
            return oct_error_set(err, OCT_ERR_UNSUPPORTED, path, 0,
                                 "format '%s': an extension or media type is empty or holds a "
                                 "comma, tab or line break",
                                 c->name);
        fprintf(f, "\t%s\n", c->summary ? c->summary : "");
    }
    return OCT_OK;
}

oct_status oct_plugin_cache_write(const char *dir, const oct_cached_plugin *plugins, size_t n,
                                  oct_error *err)
{
    char path[PATH_MAX], tmp[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, OCT_PLUGIN_CACHE_FILE) >= (int)sizeof path ||
        snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, OCT_PLUGIN_CACHE_FILE) >= (int)sizeof tmp)
        return oct_error_set(err, OCT_ERR_LIMIT, dir, 0, "path too long");
    if (n == 0 || n > MAX_LIST_ITEMS)
        return oct_error_set(err, OCT_ERR_UNSUPPORTED, dir, 0, "%zu plugins to cache", n);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return oct_error_set(err, OCT_ERR_IO, dir, 0, "cannot write the cache: %s",
                             strerror(errno));
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        return oct_error_set(err, OCT_ERR_NOMEM, dir, 0, NULL);
    }
    fprintf(f, CACHE_LAYOUT "\t%08x\t%s\n", (unsigned)OCT_PLUGIN_ABI_VERSION,
            OCTAVO_VERSION_STRING);
    oct_status st = OCT_OK;
    for (size_t i = 0; i < n && !st; i++) st = write_plugin(f, dir, &plugins[i], err);
    fputs("end\n", f);
    /* readable by all, as the plugins are; mkstemp made it private */
    if (!st && (fflush(f) != 0 || fchmod(fd, 0644) != 0 || fsync(fd) != 0))
        st = oct_error_set(err, OCT_ERR_IO, path, 0, "cannot write the cache: %s",
                           strerror(errno));
    if (fclose(f) != 0 && !st)
        st = oct_error_set(err, OCT_ERR_IO, path, 0, "cannot write the cache: %s",
                           strerror(errno));
    if (!st && rename(tmp, path) != 0)
        st = oct_error_set(err, OCT_ERR_IO, path, 0, "cannot write the cache: %s",
                           strerror(errno));
    if (st) unlink(tmp);
    return st;
}
