/* Exports a function, but not oct_plugin_entry: ERR_PLUGIN_SYMBOL. */
#include "broken_common.h"

BROKEN_FORMAT(format, "broken-no-entry");
static const oct_format *const formats[] = {&format, NULL};
static const oct_plugin_descriptor descriptor = {
    .abi_version = OCT_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(oct_plugin_descriptor),
    .name = "no-entry",
    .version = "0.0.1",
    .formats = formats,
};

OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry_misspelt(void);
OCT_PLUGIN_EXPORT const oct_plugin_descriptor *oct_plugin_entry_misspelt(void)
{
    return &descriptor;
}
