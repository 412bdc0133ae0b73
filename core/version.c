/* version.c — what this liboctavo is and what it was built with. */
#include "internal.h"

#include <curl/curl.h>
#include <libxml/xmlversion.h>
#include <stdio.h>
#include <zip.h>

const char *oct_version(void) { return OCTAVO_VERSION_STRING; }

const char *oct_version_details(void)
{
    static char buf[256];
    if (!buf[0]) {
        curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
        snprintf(buf, sizeof buf, "liboctavo %s, libxml2 %s, libzip %s, libcurl %s",
                 OCTAVO_VERSION_STRING, LIBXML_DOTTED_VERSION, zip_libzip_version(),
                 cv && cv->version ? cv->version : "?");
    }
    return buf;
}
