/* Provides "octest", which the good test plugin already provides:
 * ERR_PLUGIN_DUPLICATE for whichever loads second. */
#include "broken_common.h"

BROKEN_FORMAT(format, "octest");
static const oct_format *const formats[] = {&format, NULL};
static const oct_plugin_descriptor descriptor = {
    .abi_version = OCT_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(oct_plugin_descriptor),
    .name = "duplicate",
    .version = "0.0.1",
    .formats = formats,
};

const oct_plugin_descriptor *oct_plugin_entry(void)
{
    return &descriptor;
}
