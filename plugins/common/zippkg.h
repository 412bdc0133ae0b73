/*
 * zippkg.h — reproducible zip packages for the EPUB and DOCX writers.
 *
 * Entries are kept in the order they are added, every timestamp is fixed
 * (1980-01-01 00:00, the zip epoch) and no extra fields are written, so the
 * same entries always give the same bytes. The archive is built in memory and
 * then copied to the writer's sink: writers never open files.
 */
#ifndef OCTAVO_ZIPPKG_H
#define OCTAVO_ZIPPKG_H

#include <octavo/octavo.h>

typedef struct oct_zip oct_zip;

typedef enum oct_zip_method { OCT_ZIP_STORE = 0, OCT_ZIP_DEFLATE = 1 } oct_zip_method;

oct_zip *oct_zip_new(oct_error *err);
/* Adds a copy of data under name (a relative path with '/' separators; names
 * with "..", a leading '/', a backslash or a duplicate are refused). */
oct_status oct_zip_add(oct_zip *z, const char *name, const void *data, size_t len,
                       oct_zip_method method, oct_error *err);
/* Like oct_zip_add, but takes ownership of a malloc()ed data buffer. */
oct_status oct_zip_add_owned(oct_zip *z, const char *name, void *data, size_t len,
                             oct_zip_method method, oct_error *err);
/* Writes the finished archive to sink. The zip cannot be added to afterwards. */
oct_status oct_zip_finish(oct_zip *z, oct_sink *sink, oct_error *err);
void oct_zip_free(oct_zip *z);
/* Frees the small entries remembered with what they deflated to (zippkg.c),
 * which identical entries of later packages reuse: for a plugin's fini. */
void oct_zip_forget_remembered(void);
/* How many entries were given remembered deflated bytes so far (tests). */
unsigned long oct_zip_recalled_count(void);

#endif
