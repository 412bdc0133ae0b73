/* xml_writer_load.c — libxml2's writer on first use; see xml_writer_load.h. */
#include "xml_writer_load.h"
#include "dl_resolve.h"

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

#define RESOLVE(field, function)                                                                   \
    do {                                                                                           \
        if (!OCT_DL_RESOLVE(lib, api.field, function)) {                                           \
            load_failure = "libxml2 lacks " #function " (too old?)";                               \
            return;                                                                                \
        }                                                                                          \
    } while (0)

static void load(void)
{
    /* Local, never closed: our pointers are the only way in. */
    void *lib = dlopen(OCTAVO_LIBXML2_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        load_failure = "cannot load " OCTAVO_LIBXML2_SONAME " (is libxml2 installed?)";
        return;
    }
    RESOLVE(buffer_create, xmlBufferCreate);
    RESOLVE(buffer_free, xmlBufferFree);
    RESOLVE(buffer_content, xmlBufferContent);
    RESOLVE(buffer_length, xmlBufferLength);
    RESOLVE(new_writer, xmlNewTextWriterMemory);
    RESOLVE(free_writer, xmlFreeTextWriter);
    RESOLVE(set_indent, xmlTextWriterSetIndent);
    RESOLVE(start_document, xmlTextWriterStartDocument);
    RESOLVE(end_document, xmlTextWriterEndDocument);
    RESOLVE(start_element, xmlTextWriterStartElement);
    RESOLVE(end_element, xmlTextWriterEndElement);
    RESOLVE(write_attribute, xmlTextWriterWriteAttribute);
    RESOLVE(write_string, xmlTextWriterWriteString);
    loaded = &api;
}

const xml_writer_api *xml_writer_load(const char **why)
{
    pthread_once(&load_once, load);
    if (!loaded && why) *why = load_failure;
    return loaded;
}
