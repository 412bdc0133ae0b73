/*
 * table.h — tables as GFM pipe tables when they fit, else as HTML blocks
 * whose cells hold Markdown (blank lines around it keep it parsed).
 */
#ifndef OCTAVO_MD_TABLE_H
#define OCTAVO_MD_TABLE_H

#include "markdown.h"

/* On ENTER of a TABLE, TABLE_ROW or TABLE_CELL. Returns 1 when the node was
 * written whole and its children must be skipped. */
int md_table_enter(md_writer *w, const oct_node *n);
void md_table_exit(md_writer *w, const oct_node *n);
/* The caption of an HTML table. */
void md_table_caption(md_writer *w, const oct_node *caption);
void md_table_free(md_writer *w);

#endif
