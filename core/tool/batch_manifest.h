/* batch_manifest.h — the record --incremental trusts: for each output, the
 * hashes of its input, of the configuration that made it (options, octavo and
 * plugin versions) and of the output itself, kept in the output folder. */
#ifndef OCTAVO_TOOL_BATCH_MANIFEST_H
#define OCTAVO_TOOL_BATCH_MANIFEST_H

#include <jansson.h>

#include "../batch.h"

#define BATCH_MANIFEST_NAME ".octavo-manifest.json"

/* The entries of output_dir's manifest, keyed by input path relative to its
 * folder: an empty object when there is none or it is unreadable. */
json_t *batch_manifest_load(const char *output_dir);

/* 1 when entries records it (input hash already set) as made from the same
 * input bytes with config_hex, and its output still has the recorded bytes.
 * Then copies the warnings recorded with it into it. */
int batch_manifest_current(const json_t *entries, batch_item *it, const char *config_hex);

/* Records every converted or up-to-date item, forgets the others that
 * failed, keeps entries of inputs this run did not touch; writes atomically. */
int batch_manifest_save(const char *output_dir, json_t *entries, const batch_item *items,
                        size_t n, const char *config_hex);

/* SHA-256 of a file's bytes (at most max); 0, or -1 with errno set. */
int batch_hash_file(const char *path, uint64_t max, uint8_t sha[32], uint64_t *bytes);

void batch_hex(const uint8_t sha[32], char out[65]);

#endif
