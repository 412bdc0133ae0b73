/*
 * uchardet_load.h — libuchardet, opened the first time an encoding is guessed.
 *
 * libuchardet is written in C++: linked, the dynamic loader maps and
 * relocates it, and libstdc++ behind it, in every process that loads the text
 * plugin, while only input that is not valid UTF-8 ever asks it anything. So
 * the reader opens it with dlopen on the first guess and calls it through
 * this table; <uchardet.h> still gives the types.
 */
#ifndef OCTAVO_TEXT_UCHARDET_LOAD_H
#define OCTAVO_TEXT_UCHARDET_LOAD_H

#include <stddef.h>
#include <uchardet.h>

typedef struct text_uchardet_api {
    uchardet_t (*new_detector)(void);
    void (*delete_detector)(uchardet_t ud);
    int (*handle_data)(uchardet_t ud, const char *data, size_t len);
    void (*data_end)(uchardet_t ud);
    const char *(*get_charset)(uchardet_t ud);
} text_uchardet_api;

/* The loaded library, or NULL with *why (a static string) saying what failed:
 * the library is missing or lacks a function. Loads once per process; safe
 * from several threads. */
const text_uchardet_api *text_uchardet(const char **why);

#endif
