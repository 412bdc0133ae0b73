/* A minimal valid format for the deliberately broken test plugins: each
 * plugin breaks exactly one thing, everything else stays correct, so the
 * registry's diagnostic can only be about that one thing. */
#ifndef OCTEST_BROKEN_COMMON_H
#define OCTEST_BROKEN_COMMON_H

#include "octavo/octavo_plugin.h"

static oct_status broken_write(oct_context *ctx, const oct_doc *doc, oct_sink *sink,
                               oct_error *err)
{
    (void)ctx;
    (void)doc;
    (void)err;
    return oct_sink_puts(sink, "broken\n");
}

#define BROKEN_FORMAT(var, format_name)                                                         \
    static const oct_format var = {                                                             \
        .struct_size = sizeof(oct_format),                                                      \
        .name = format_name,                                                                    \
        .summary = "test format of a broken plugin",                                           \
        .write = broken_write,                                                                  \
    }

OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry(void);

#endif
