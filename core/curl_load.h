/*
 * curl_load.h — libcurl, loaded the first time a URL is fetched.
 *
 * libcurl drags some thirty shared libraries behind it (TLS, Kerberos, LDAP,
 * SSH...). Linked directly, the dynamic loader relocates them all at every
 * start: about 12 M instructions, half of what converting a short local
 * article costs. Most runs never touch the network, so liboctavo opens
 * libcurl with dlopen when a fetch first needs it and calls it through this
 * table; the headers still give the types and constants.
 */
#ifndef OCTAVO_CURL_LOAD_H
#define OCTAVO_CURL_LOAD_H

#include <curl/curl.h>

typedef struct oct_curl_api {
    CURLcode (*global_init)(long flags); /* already called by oct_curl */
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *easy, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *easy);
    CURLcode (*easy_getinfo)(CURL *easy, CURLINFO info, ...);
    void (*easy_cleanup)(CURL *easy);
    const char *(*easy_strerror)(CURLcode code);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_add_handle)(CURLM *multi, CURL *easy);
    CURLMcode (*multi_remove_handle)(CURLM *multi, CURL *easy);
    CURLMcode (*multi_perform)(CURLM *multi, int *running);
    CURLMsg *(*multi_info_read)(CURLM *multi, int *left);
    CURLMcode (*multi_poll)(CURLM *multi, struct curl_waitfd *extra, unsigned n_extra,
                            int timeout_ms, int *numfds);
    CURLMcode (*multi_cleanup)(CURLM *multi);
    curl_version_info_data *(*version_info)(CURLversion age);
} oct_curl_api;

/* The loaded and globally initialised libcurl, or NULL with *why saying
 * what failed (the library is missing, a symbol is, or its initialisation
 * did). Loads once per process; safe from several threads. */
const oct_curl_api *oct_curl(const char **why);

#endif
