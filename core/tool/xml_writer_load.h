/*
 * xml_writer_load.h — libxml2's xmlTextWriter, opened on first use.
 *
 * Only the JUnit report writes XML in the command-line tool. Linking
 * libxml2 made every start load it with ICU and the C++ runtime (about
 * 2.5 ms, most of a small text conversion, whose plugins need none of it),
 * so the report opens it with dlopen when it is asked for, as liboctavo
 * opens libcurl (core/curl_load.h).
 */
#ifndef OCTAVO_XML_WRITER_LOAD_H
#define OCTAVO_XML_WRITER_LOAD_H

#include <libxml/xmlwriter.h>

typedef struct xml_writer_api {
    xmlBufferPtr (*buffer_create)(void);
    void (*buffer_free)(xmlBufferPtr);
    const xmlChar *(*buffer_content)(const xmlBuffer *);
    int (*buffer_length)(const xmlBuffer *);
    xmlTextWriterPtr (*new_writer)(xmlBufferPtr, int compression);
    void (*free_writer)(xmlTextWriterPtr);
    int (*set_indent)(xmlTextWriterPtr, int);
    int (*start_document)(xmlTextWriterPtr, const char *version, const char *encoding,
                          const char *standalone);
    int (*end_document)(xmlTextWriterPtr);
    int (*start_element)(xmlTextWriterPtr, const xmlChar *name);
    int (*end_element)(xmlTextWriterPtr);
    int (*write_attribute)(xmlTextWriterPtr, const xmlChar *name, const xmlChar *value);
    int (*write_string)(xmlTextWriterPtr, const xmlChar *text);
} xml_writer_api;

/* The functions, or NULL with *why saying what failed (no libxml2, or one
 * too old). Thread-safe; the library stays loaded. */
const xml_writer_api *xml_writer_load(const char **why);

#endif
