/*
 * dl_resolve.h — a function of a library opened with dlopen, into a pointer
 * whose type the library's own header checks.
 *
 * liboctavo opens libcurl when it first fetches (curl_load.c), the command
 * line opens libxml2's writer for a JUnit report (tool/xml_writer_load.c)
 * and the text reader opens libuchardet for its first guess
 * (plugins/text/uchardet_load.c): linked, each would be relocated at every
 * start for a few runs' sake. Each calls the library through a table of
 * pointers, filled here. Header only; shared in-tree, never installed.
 */
#ifndef OCTAVO_DL_RESOLVE_H
#define OCTAVO_DL_RESOLVE_H

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

/* Fills the function pointer slot with the symbol named like function, from
 * lib. The assignment inside sizeof is never evaluated, so nothing links to
 * the function, but the compiler checks slot's type against the function's
 * prototype: a table field with another signature fails to build instead of
 * failing at the call. 1, or 0 when the library lacks the symbol. */
#define OCT_DL_RESOLVE(lib, slot, function)                                                        \
    oct_dl_resolve_((lib), #function, &(slot), sizeof((slot) = (function)))

static inline int oct_dl_resolve_(void *lib, const char *symbol, void *slot, size_t size)
{
    void *sym = dlsym(lib, symbol);
    if (!sym || size != sizeof sym)
        return 0;
    /* POSIX lets a pointer from dlsym become a function pointer; the copy
     * says so without a cast warning */
    memcpy(slot, &sym, size);
    return 1;
}

#endif
