/* Its init refuses to start: ERR_PLUGIN_INIT, with init's reason passed on. */
#include "broken_common.h"

static oct_status refuse(oct_error *err)
{
    return oct_error_set(err, OCT_ERR_NOT_FOUND, "init_fails", 0,
                         "octest-init-reason: required data file missing");
}

BROKEN_FORMAT(format, "broken-init");
static const oct_format *const formats[] = {&format, NULL};
static const oct_plugin_descriptor descriptor = {
    .abi_version = OCT_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(oct_plugin_descriptor),
    .name = "init-fails",
    .version = "0.0.1",
    .formats = formats,
    .init = refuse,
};

const oct_plugin_descriptor *oct_plugin_entry(void)
{
    return &descriptor;
}
