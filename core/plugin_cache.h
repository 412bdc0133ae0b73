/*
 * plugin_cache.h — what a directory's plugins provide, written down so a
 * conversion need not open them all to find the two it uses.
 *
 * Opening a plugin means relocating it and every library it needs: libxml2
 * with ICU and the C++ runtime, libzip with libcrypto. Every start paid for
 * all of them, which was most of a small conversion. GStreamer and
 * fontconfig keep such a cache for the same reason; here it is one text
 * file, plugins.cache, in the plugin directory, written by `octavo
 * --update-plugin-cache` (the build runs it, and installs the file with the
 * plugins). The registry trusts it only while the directory holds exactly
 * the plugins it names, each with the GNU build ID it names (build_id.h);
 * otherwise it opens every plugin as before. It is written only for a
 * directory whose plugins all loaded without a word, so reading the cache
 * tells the same things a scan would.
 */
#ifndef OCTAVO_PLUGIN_CACHE_H
#define OCTAVO_PLUGIN_CACHE_H

#include <stddef.h>

#include "octavo/octavo.h"

#define OCT_PLUGIN_CACHE_FILE "plugins.cache"

/* What a format can do, without its functions. */
enum { OCT_CACHED_READ = 1, OCT_CACHED_WRITE = 2, OCT_CACHED_PROBE = 4 };

typedef struct oct_cached_format {
    const char *name, *summary;
    const char **extensions;  /* NULL-terminated, or NULL */
    const char **media_types; /* NULL-terminated, or NULL */
    unsigned flags;           /* OCT_FORMAT_* */
    unsigned caps;            /* OCT_CACHED_* */
} oct_cached_format;

typedef struct oct_cached_plugin {
    const char *file; /* name within the directory */
    const char *name, *version, *summary;
    oct_cached_format *formats;
    size_t n_formats;
} oct_cached_plugin;

/* A read cache; its strings live in its own storage. */
typedef struct oct_plugin_cache {
    oct_cached_plugin *plugins;
    size_t n_plugins;
    char *text;    /* the file, cut into strings in place */
    void **arrays; /* the lists allocated for it */
    size_t n_arrays, cap_arrays;
} oct_plugin_cache;

/* Reads dir's cache and checks it against the directory: the same plugin
 * files in name order (names, the list of *.so a scan would open), each
 * with the build ID written for it and writable by its owner alone. Returns
 * 1 with *out filled, or 0 when there is no cache, it is damaged, written by
 * another liboctavo, or out of date. */
int oct_plugin_cache_read(const char *dir, const char *const *names, size_t n_names,
                          oct_plugin_cache *out);
void oct_plugin_cache_free(oct_plugin_cache *cache);

/* Writes the cache of dir for the plugins given (in name order, one per
 * file of the directory), atomically: a reader sees the old file or the new
 * one. Fails with a message when a string cannot be written down (a tab or
 * line break in it), a plugin file has no build ID, or the file cannot be
 * written. */
oct_status oct_plugin_cache_write(const char *dir, const oct_cached_plugin *plugins, size_t n,
                                  oct_error *err);

/* Whether the file name is one a directory scan opens: "*.so", not hidden. */
int oct_plugin_file_name(const char *name);

#endif
