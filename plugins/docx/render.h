/*
 * render.h — the state of one walk over a story (the body or a footnote),
 * shared by the block and run renderer (document.c) and the tables
 * (tables.c).
 */
#ifndef OCTAVO_DOCX_RENDER_H
#define OCTAVO_DOCX_RENDER_H

#include "docx.h"

/* How a link's w:hyperlink was opened, so it is closed the same way. */
enum { HYPERLINK_NONE, HYPERLINK_MARKUP, HYPERLINK_WRITER };

/* What a container hands down to its descendants; one per open container. */
typedef struct frame {
    const oct_node *node;
    oct_node_type type;
    const char *lang;       /* effective language */
    int rtl;                /* effective direction */
    oct_align align;        /* effective alignment (table cells) */
    const char *para_style; /* style of plain paragraphs inside */
    int num_id;             /* LIST: its numbering instance */
    int ilvl;               /* LIST: its level */
    int loose;              /* LIST, LIST_ITEM: paragraphs spaced apart */
    int pending_number;     /* LIST_ITEM: its number is not yet written */
    int in_item;            /* inside a list item (not across table cells) */
    int item_ilvl;          /* ... and that item's level */
    oct_task task;
    int hyperlink;          /* LINK: a w:hyperlink was opened: HYPERLINK_MARKUP or
                               HYPERLINK_WRITER (it carries a tooltip) */
    int bold_cell;          /* TABLE_CELL: header cell in a body row */
    int saved_quote, saved_list, saved_dd; /* TABLE_CELL: outer depths */
} frame;

typedef struct table_state table_state;

/* The walk itself. */
typedef struct render {
    docx_writer *w;
    docx_rels *rels;
    markup out;             /* everything the walk writes goes through it */
    docx_story story;
    frame *frames;
    size_t depth, cap;
    table_state *tables;
    size_t ntables, tables_cap;
    int quote_depth, list_depth, dd_depth;
    int emph, strong, strike, sup, sub, underline, smallcaps, highlight, quoted;
    int hyperlinks;         /* open w:hyperlink elements */
    int para_open;          /* a w:p is open */
    int para_implicit;      /* ... opened for stray inline content */
    int last_was_para;      /* the last block written was a w:p (cells must end so) */
    int last_was_table;     /* two adjacent tables would merge in Word */
    int after_heading;      /* the next body paragraph is a First Paragraph */
    int note_mark_pending;  /* footnote: the next paragraph starts with its mark */
    const char **pending_bookmarks; /* ids of containers, placed on the next paragraph */
    size_t n_pending, pending_cap;
} render;

/* The innermost open container. */
frame *render_top(render *r);
/* A paragraph with nothing but its properties, child of container. */
void render_empty_paragraph(render *r, frame *container, const char *style);
/* A line break between block elements (meaningless to Word, kind to diffs). */
void render_end_line(markup *m);

/* Tables (tables.c): a grid laid out from the rows' spans, vertical merges
 * continued in later rows, every row filled to the grid, every cell ending
 * with a paragraph. */
void table_enter(render *r, frame *f);
void table_exit(render *r);
void table_row_enter(render *r, const oct_node *row);
void table_row_exit(render *r);
void table_cell_enter(render *r, frame *f);
void table_cell_exit(render *r, frame *f);
/* Frees the layouts of tables left open (a walk stopped by an error). */
void table_free_all(render *r);

#endif
