/* html_test_support.h — shared by the HTML reader's tests. */
#ifndef HTML_TEST_SUPPORT_H
#define HTML_TEST_SUPPORT_H

#include <stddef.h>

#include "octavo/octavo.h"

/* A registry with the built plugins and a quiet context (warnings not
 * printed); both freed with html_test_close. */
typedef struct html_test_env {
    oct_registry *reg;
    oct_context *ctx;
    const oct_format *html;
} html_test_env;

int html_test_open(html_test_env *env);
void html_test_close(html_test_env *env);
/* The whole file, NUL-terminated (free it); NULL when unreadable. */
char *html_test_read_file(const char *path, size_t *len);
/* "$OCTAVO_SOURCE_DIR/<rel>" into buf. */
const char *html_test_source_path(char *buf, size_t size, const char *rel);
/* Reads HTML in-process (oct_read_memory), normalizes and validates. */
oct_status html_test_read(html_test_env *env, const void *data, size_t len, const char *name,
                          oct_doc **out);
/* Every word of the document's text (text, code, alt) appended to buf,
 * separated by spaces. */
void html_test_doc_text(const oct_doc *doc, oct_buf *buf);

#endif
