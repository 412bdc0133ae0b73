/* An absurd struct_size (2 MiB): ERR_PLUGIN_DESCRIPTOR, and the core must not
 * read past the real struct. */
#include "broken_common.h"

BROKEN_FORMAT(format, "broken-huge");
static const oct_format *const formats[] = {&format, NULL};
static const oct_plugin_descriptor descriptor = {
    .abi_version = OCT_PLUGIN_ABI_VERSION,
    .struct_size = 2u << 20,
    .name = "huge-descriptor",
    .version = "0.0.1",
    .formats = formats,
};

const oct_plugin_descriptor *oct_plugin_entry(void)
{
    return &descriptor;
}
