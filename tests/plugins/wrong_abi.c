/* Built for a future major ABI: ERR_PLUGIN_ABI. */
#include "broken_common.h"

BROKEN_FORMAT(format, "broken-abi");
static const oct_format *const formats[] = {&format, NULL};
static const oct_plugin_descriptor descriptor = {
    .abi_version = (uint32_t)(((OCT_PLUGIN_ABI_MAJOR + 1) << 16) | 0),
    .struct_size = sizeof(oct_plugin_descriptor),
    .name = "wrong-abi",
    .version = "0.0.1",
    .formats = formats,
};

const oct_plugin_descriptor *oct_plugin_entry(void)
{
    return &descriptor;
}
