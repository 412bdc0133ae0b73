/*
 * octavo_plugin.h — what a format plugin includes.
 *
 * A plugin is a shared object exporting exactly one function,
 *
 *     OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void);
 *
 * returning a descriptor that lives as long as the plugin is loaded. The
 * descriptor and each format begin with their struct_size, so both grow the
 * way SQLite's versioned structs do: fields are only ever added at the end,
 * and the core reads a field only when the plugin's struct_size covers it and
 * it is non-NULL. A plugin built for a newer *major* ABI is refused; one built
 * for a newer minor ABI loads, its extra fields ignored.
 */
#ifndef OCTAVO_PLUGIN_H
#define OCTAVO_PLUGIN_H

#include "octavo/octavo.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OCT_PLUGIN_ABI_MAJOR 1
#define OCT_PLUGIN_ABI_MINOR 0
#define OCT_PLUGIN_ABI_VERSION ((uint32_t)((OCT_PLUGIN_ABI_MAJOR << 16) | OCT_PLUGIN_ABI_MINOR))
#define OCT_PLUGIN_ENTRY_SYMBOL "oct_plugin_entry"

#if defined(__GNUC__)
#define OCT_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define OCT_PLUGIN_EXPORT
#endif

/* Input handed to a reader. The core owns it; data stays valid for the call. */
typedef struct oct_input {
    size_t struct_size;
    const unsigned char *data; /* the whole input; not NUL-terminated */
    size_t len;
    const char *name;          /* for messages: path, URL or "-" */
    const char *path;          /* local file path, or NULL (stdin, URL) */
    const char *url;           /* final URL when fetched, or NULL */
    const char *content_type;  /* HTTP Content-Type when fetched, or NULL */
} oct_input;

/* A reader adds what it read to doc (fresh and empty, base already set).
 * It reports problems through oct_context_log / err and never writes files. */
typedef oct_status (*oct_reader_fn)(oct_context *ctx, const oct_input *in, oct_doc *doc,
                                    oct_error *err);
/* A writer serialises doc into sink. It never fetches and never opens files:
 * everything it needs is in the document. */
typedef oct_status (*oct_writer_fn)(oct_context *ctx, const oct_doc *doc, oct_sink *sink,
                                    oct_error *err);
/* How sure the reader is that these bytes are its format: 0 (no) .. 100. */
typedef int (*oct_probe_fn)(const unsigned char *data, size_t len, const char *name);

/* One -V option a format understands. */
typedef struct oct_option_spec {
    const char *name;    /* "paragraphs" */
    const char *values;  /* "block|single|unwrap|preformatted", or NULL for any text */
    const char *help;    /* one line */
} oct_option_spec;

enum {
    OCT_FORMAT_BINARY = 1u << 0, /* output is binary: refuse to write it to a terminal */
    OCT_FORMAT_TEXT = 1u << 1,
    /* The reader keeps no state between calls that is not the caller's:
     * several inputs of one book may be read at once, on several threads,
     * each with its own context and document. */
    OCT_FORMAT_THREAD_SAFE = 1u << 2
};

struct oct_format {
    size_t struct_size;              /* sizeof(oct_format) as the plugin saw it */
    const char *name;                /* "markdown"; unique across plugins */
    const char *summary;             /* one line */
    const char *const *extensions;   /* NULL-terminated, no dots: {"md", NULL}; may be NULL */
    const char *const *media_types;  /* NULL-terminated; may be NULL */
    oct_reader_fn read;              /* NULL when the format cannot be read */
    oct_writer_fn write;             /* NULL when it cannot be written */
    oct_probe_fn probe;              /* optional */
    const oct_option_spec *options;  /* terminated by {NULL}; may be NULL */
    unsigned flags;                  /* OCT_FORMAT_* */
    /* ABI 1.0 ends here; new fields go below. */
};

struct oct_plugin_descriptor {
    uint32_t abi_version;            /* OCT_PLUGIN_ABI_VERSION */
    uint32_t struct_size;            /* sizeof(oct_plugin_descriptor) */
    const char *name;                /* "markdown" */
    const char *version;             /* "0.1.0" */
    const char *summary;             /* one line */
    const oct_format *const *formats; /* NULL-terminated array of pointers */
    /* Optional; called once after loading. Non-OK refuses the plugin. */
    oct_status (*init)(oct_error *err);
    /* Optional; called once when the registry is freed (the plugin itself
     * stays mapped: see oct_registry_free). */
    void (*fini)(void);
    /* ABI 1.0 ends here; new fields go below. */
};

typedef const oct_plugin_descriptor *(*oct_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif
#endif /* OCTAVO_PLUGIN_H */
