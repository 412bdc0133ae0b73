/* version.c — what this liboctavo is and what it was built with. */
#include "curl_load.h"
#include "internal.h"

#include <libxml/xmlversion.h>
#include <stdio.h>
#include <zipconf.h>

const char *oct_version(void) { return OCTAVO_VERSION_STRING; }

const char *oct_version_details(void)
{
    static char buf[256];
    if (!buf[0]) {
        /* libcurl is loaded only to be named here; see curl_load.h */
        const oct_curl_api *cu = oct_curl(NULL);
        curl_version_info_data *cv = cu ? cu->version_info(CURLVERSION_NOW) : NULL;
        /* libxml2 and libzip as built against, from their headers: the
         * plugins link them, liboctavo does not, so that a conversion
         * whose plugins need neither never loads them */
        snprintf(buf, sizeof buf, "liboctavo %s, libxml2 %s, libzip %s, libcurl %s",
                 OCTAVO_VERSION_STRING, LIBXML_DOTTED_VERSION, LIBZIP_VERSION,
                 cv && cv->version ? cv->version : "(not found)");
    }
    return buf;
}
