/* struct_size covers only the version fields, less than the ABI 1.0 layout:
 * ERR_PLUGIN_DESCRIPTOR. */
#include "broken_common.h"

BROKEN_FORMAT(format, "broken-small");
static const oct_format *const formats[] = {&format, NULL};
static const oct_plugin_descriptor descriptor = {
    .abi_version = OCT_PLUGIN_ABI_VERSION,
    .struct_size = 2 * sizeof(uint32_t),
    .name = "small-descriptor",
    .version = "0.0.1",
    .formats = formats,
};

const oct_plugin_descriptor *oct_plugin_entry(void)
{
    return &descriptor;
}
