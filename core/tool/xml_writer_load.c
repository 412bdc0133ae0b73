/* xml_writer_load.c — libxml2's writer on first use; see xml_writer_load.h. */
#include "xml_writer_load.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#ifndef OCTAVO_LIBXML2_SONAME
#define OCTAVO_LIBXML2_SONAME "libxml2.so.2"
#endif

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static xml_writer_api api;
static const xml_writer_api *loaded;
static const char *load_failure = "libxml2 was not loaded";

/* Each slot of the api, in order, and the symbol that fills it. */
static const struct {
    size_t offset;
    const char *symbol;
} slots[] = {
    {offsetof(xml_writer_api, buffer_create), "xmlBufferCreate"},
    {offsetof(xml_writer_api, buffer_free), "xmlBufferFree"},
    {offsetof(xml_writer_api, buffer_content), "xmlBufferContent"},
    {offsetof(xml_writer_api, buffer_length), "xmlBufferLength"},
    {offsetof(xml_writer_api, new_writer), "xmlNewTextWriterMemory"},
    {offsetof(xml_writer_api, free_writer), "xmlFreeTextWriter"},
    {offsetof(xml_writer_api, set_indent), "xmlTextWriterSetIndent"},
    {offsetof(xml_writer_api, start_document), "xmlTextWriterStartDocument"},
    {offsetof(xml_writer_api, end_document), "xmlTextWriterEndDocument"},
    {offsetof(xml_writer_api, start_element), "xmlTextWriterStartElement"},
    {offsetof(xml_writer_api, end_element), "xmlTextWriterEndElement"},
    {offsetof(xml_writer_api, write_attribute), "xmlTextWriterWriteAttribute"},
    {offsetof(xml_writer_api, write_string), "xmlTextWriterWriteString"},
};

static void load(void)
{
    /* Local, never closed: our pointers are the only way in. */
    void *lib = dlopen(OCTAVO_LIBXML2_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        load_failure = "cannot load " OCTAVO_LIBXML2_SONAME " (is libxml2 installed?)";
        return;
    }
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
        void *sym = dlsym(lib, slots[i].symbol);
        if (!sym) {
            load_failure = "libxml2 lacks an xmlTextWriter function (too old?)";
            return;
        }
        /* POSIX: a pointer from dlsym converts to a function pointer; every
         * slot is one, of the same size as this one */
        void (*fn)(void);
        memcpy(&fn, &sym, sizeof fn);
        memcpy((char *)&api + slots[i].offset, &fn, sizeof fn);
    }
    loaded = &api;
}

const xml_writer_api *xml_writer_load(const char **why)
{
    pthread_once(&load_once, load);
    if (!loaded && why) *why = load_failure;
    return loaded;
}
