/*
 * gen_doc.h — seeded random documents for the Markdown round-trip tests.
 */
#ifndef OCTAVO_TEST_GEN_DOC_H
#define OCTAVO_TEST_GEN_DOC_H

#include <octavo/octavo.h>

typedef struct gen_state {
    uint64_t s;
    oct_doc *doc;
    int allow_tables;
    int allow_notes;
    unsigned notes_used;
    int failed;
} gen_state;

/* A document of paragraphs, headings, code, quotes, lists (tight and
 * loose), optional tables and footnotes; the same seed gives the same tree. */
oct_doc *gen_document(uint64_t seed, int allow_tables, int allow_notes);

#endif
