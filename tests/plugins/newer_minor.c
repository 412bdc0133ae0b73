/* Built against a newer minor ABI (1.7): descriptor and format carry fields
 * this core does not know. It must load with those fields ignored (SQLite's
 * and OBS's rule) and say so in an info line. The extra fields are poison:
 * calling or dereferencing them aborts. */
#include <stdlib.h>

#include "broken_common.h"

static void future_hook(void)
{
    abort();
}

typedef struct newer_format {
    oct_format base;
    void (*future_callback)(void);
    const char *future_text;
} newer_format;

typedef struct newer_descriptor {
    oct_plugin_descriptor base;
    void (*future_hook)(void);
    const char *future_text;
    char future_padding[256];
} newer_descriptor;

static const newer_format format = {
    .base = {
        .struct_size = sizeof(newer_format),
        .name = "octest-newer",
        .summary = "format from a newer minor ABI",
        .write = broken_write,
    },
    .future_callback = future_hook,
    .future_text = "ignored",
};
static const oct_format *const formats[] = {&format.base, NULL};

static const newer_descriptor descriptor = {
    .base = {
        .abi_version = (uint32_t)((OCT_PLUGIN_ABI_MAJOR << 16) | (OCT_PLUGIN_ABI_MINOR + 7)),
        .struct_size = sizeof(newer_descriptor),
        .name = "newer-minor",
        .version = "0.0.1",
        .formats = formats,
    },
    .future_hook = future_hook,
    .future_text = "ignored",
};

const oct_plugin_descriptor *oct_plugin_entry(void)
{
    return &descriptor.base;
}
