/* batch_inputs.h — from the INPUT arguments to the list of documents of a
 * batch: folders walked, globs applied, output paths planned and checked. */
#ifndef OCTAVO_TOOL_BATCH_INPUTS_H
#define OCTAVO_TOOL_BATCH_INPUTS_H

#include "../batch.h"

typedef struct batch_list {
    batch_item *items;
    size_t len, cap;
} batch_list;

/* Fills out with one item per document, in a stable order (arguments in
 * order, each folder's files sorted by path). Items whose output would leave
 * the output folder come out BATCH_REFUSED with the reason. out_ext is the
 * writer's extension ("md"). Returns 0, or an exit status after printing why. */
int batch_collect(const oct_registry *reg, const batch_options *opt, const char *out_ext,
                  batch_list *out);

/* 1 when rel belongs to shard k (1-based) of n: a hash of the path, so every
 * machine agrees without talking. */
int batch_in_shard(const char *rel, unsigned k, unsigned n);

/* Makes the folders of item->output below output_dir, refusing to go
 * through a symbolic link or to overwrite the input. 0, or sets the item
 * refused (or failed) and returns -1. */
int batch_prepare_output(const char *output_dir, batch_item *item);

void batch_list_free(batch_list *l);

#endif
