/* uchardet_load.c — opens libuchardet on the first guess; see uchardet_load.h. */
#include "uchardet_load.h"
#include "dl_resolve.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Set by the build (plugins/text/CMakeLists.txt); a test build of the reader
 * sets a name that does not exist. */
#ifndef OCTAVO_UCHARDET_SONAME
#define OCTAVO_UCHARDET_SONAME "libuchardet.so.0"
#endif

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static text_uchardet_api api;
static const text_uchardet_api *loaded;
/* Written only inside load(): pthread_once orders it before every reader. */
static char load_failure[256] = "libuchardet was not loaded";

#define RESOLVE(field, function)                                                                   \
    do {                                                                                           \
        if (!OCT_DL_RESOLVE(lib, api.field, function)) {                                           \
            snprintf(load_failure, sizeof load_failure,                                            \
                     OCTAVO_UCHARDET_SONAME " lacks " #function);                                  \
            return;                                                                                \
        }                                                                                          \
    } while (0)

static void load(void)
{
    /* Local: nothing but this table should bind to its symbols. Never
     * closed; it lives as long as the process. */
    void *lib = dlopen(OCTAVO_UCHARDET_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *reason = dlerror();
        snprintf(load_failure, sizeof load_failure, "cannot load " OCTAVO_UCHARDET_SONAME " (%s)",
                 reason ? reason : "no reason given");
        return;
    }
    RESOLVE(new_detector, uchardet_new);
    RESOLVE(delete_detector, uchardet_delete);
    RESOLVE(handle_data, uchardet_handle_data);
    RESOLVE(data_end, uchardet_data_end);
    RESOLVE(get_charset, uchardet_get_charset);
    loaded = &api;
}

const text_uchardet_api *text_uchardet(const char **why)
{
    pthread_once(&load_once, load);
    if (!loaded && why)
        *why = load_failure;
    return loaded;
}
