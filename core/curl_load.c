/* curl_load.c — opens libcurl on first use; see curl_load.h for why. */
#include "curl_load.h"
#include "dl_resolve.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#ifndef OCTAVO_LIBCURL_SONAME
#define OCTAVO_LIBCURL_SONAME "libcurl.so.4"
#endif

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static oct_curl_api api;
static const oct_curl_api *loaded;
static const char *load_failure = "libcurl was not loaded";

#define RESOLVE(field, function)                                                                   \
    do {                                                                                           \
        if (!OCT_DL_RESOLVE(lib, api.field, function)) {                                           \
            load_failure = "libcurl lacks " #function " (too old?)";                               \
            return;                                                                                \
        }                                                                                          \
    } while (0)

static void load(void)
{
    /* Local: our pointers are the only way in, nothing else should bind to
     * the library's symbols. Never closed; it lives as long as the process. */
    void *lib = dlopen(OCTAVO_LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        load_failure = "cannot load " OCTAVO_LIBCURL_SONAME " (is libcurl installed?)";
        return;
    }
    RESOLVE(easy_init, curl_easy_init);
    RESOLVE(easy_setopt, curl_easy_setopt);
    RESOLVE(easy_perform, curl_easy_perform);
    RESOLVE(easy_getinfo, curl_easy_getinfo);
    RESOLVE(easy_cleanup, curl_easy_cleanup);
    RESOLVE(easy_strerror, curl_easy_strerror);
    RESOLVE(multi_init, curl_multi_init);
    RESOLVE(multi_add_handle, curl_multi_add_handle);
    RESOLVE(multi_remove_handle, curl_multi_remove_handle);
    RESOLVE(multi_perform, curl_multi_perform);
    RESOLVE(multi_info_read, curl_multi_info_read);
    RESOLVE(multi_poll, curl_multi_poll);
    RESOLVE(multi_cleanup, curl_multi_cleanup);
    RESOLVE(version_info, curl_version_info);
    RESOLVE(global_init, curl_global_init);
    /* CURLOPT_PROTOCOLS_STR, which keeps fetches (and their redirects) to
     * http and https, came in 7.85; an older library would ignore it. */
    const curl_version_info_data *v = api.version_info(CURLVERSION_NOW);
    if (!v || v->version_num < 0x075500) {
        load_failure = "libcurl 7.85 or newer is needed";
        return;
    }
    if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        load_failure = "cannot initialise libcurl";
        return;
    }
    loaded = &api;
}

const oct_curl_api *oct_curl(const char **why)
{
    pthread_once(&load_once, load);
    if (!loaded && why) *why = load_failure;
    return loaded;
}
