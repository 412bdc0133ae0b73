/*
 * node.c — the document tree: node types, the containment rule, accessors and
 * the mutators that keep the tree valid. Every mutation is checked here, so
 * readers may be careless and writers may trust what they get.
 */
#include "internal.h"

#include <string.h>

static const char *const type_names[OCT_NODE_TYPE_COUNT_] = {
    [OCT_NODE_NONE] = "none",
    [OCT_NODE_DOCUMENT] = "document",
    [OCT_NODE_HEADING] = "heading",
    [OCT_NODE_PARAGRAPH] = "paragraph",
    [OCT_NODE_BLOCK_QUOTE] = "block_quote",
    [OCT_NODE_LIST] = "list",
    [OCT_NODE_LIST_ITEM] = "item",
    [OCT_NODE_CODE_BLOCK] = "code_block",
    [OCT_NODE_THEMATIC_BREAK] = "thematic_break",
    [OCT_NODE_TABLE] = "table",
    [OCT_NODE_TABLE_ROW] = "table_row",
    [OCT_NODE_TABLE_CELL] = "table_cell",
    [OCT_NODE_FIGURE] = "figure",
    [OCT_NODE_CAPTION] = "caption",
    [OCT_NODE_DEFINITION_LIST] = "definition_list",
    [OCT_NODE_DEFINITION_TERM] = "definition_term",
    [OCT_NODE_DEFINITION_DESC] = "definition_desc",
    [OCT_NODE_FOOTNOTE_DEF] = "footnote_def",
    [OCT_NODE_RAW_BLOCK] = "raw_block",
    [OCT_NODE_DIV] = "div",
    [OCT_NODE_TEXT] = "text",
    [OCT_NODE_EMPH] = "emph",
    [OCT_NODE_STRONG] = "strong",
    [OCT_NODE_STRIKEOUT] = "strikeout",
    [OCT_NODE_SUPERSCRIPT] = "superscript",
    [OCT_NODE_SUBSCRIPT] = "subscript",
    [OCT_NODE_UNDERLINE] = "underline",
    [OCT_NODE_CODE] = "code",
    [OCT_NODE_LINK] = "link",
    [OCT_NODE_IMAGE] = "image",
    [OCT_NODE_LINE_BREAK] = "line_break",
    [OCT_NODE_SOFT_BREAK] = "soft_break",
    [OCT_NODE_FOOTNOTE_REF] = "footnote_ref",
    [OCT_NODE_SPAN] = "span",
    [OCT_NODE_RAW_INLINE] = "raw_inline",
    [OCT_NODE_HIGHLIGHT] = "highlight",
    [OCT_NODE_SMALL_CAPS] = "small_caps",
    [OCT_NODE_QUOTED] = "quoted",
};

static int valid_type(oct_node_type t) { return t > OCT_NODE_NONE && t < OCT_NODE_TYPE_COUNT_; }

const char *oct_node_type_name(oct_node_type t) { return valid_type(t) ? type_names[t] : "none"; }

int oct_node_type_is_block(oct_node_type t)
{
    return t >= OCT_NODE_FIRST_BLOCK && t <= OCT_NODE_LAST_BLOCK;
}

int oct_node_type_is_inline(oct_node_type t)
{
    return t >= OCT_NODE_FIRST_INLINE && t <= OCT_NODE_LAST_INLINE;
}

int oct_node_type_is_leaf(oct_node_type t)
{
    switch (t) {
    case OCT_NODE_CODE_BLOCK: case OCT_NODE_THEMATIC_BREAK: case OCT_NODE_RAW_BLOCK:
    case OCT_NODE_TEXT: case OCT_NODE_CODE: case OCT_NODE_IMAGE: case OCT_NODE_LINE_BREAK:
    case OCT_NODE_SOFT_BREAK: case OCT_NODE_FOOTNOTE_REF: case OCT_NODE_RAW_INLINE:
        return 1;
    default:
        return !valid_type(t);
    }
}

/* Blocks that may stand in any flow container (document, quote, item, cell...). */
static int is_flow_block(oct_node_type t)
{
    switch (t) {
    case OCT_NODE_PARAGRAPH: case OCT_NODE_HEADING: case OCT_NODE_BLOCK_QUOTE:
    case OCT_NODE_LIST: case OCT_NODE_CODE_BLOCK: case OCT_NODE_THEMATIC_BREAK:
    case OCT_NODE_TABLE: case OCT_NODE_FIGURE: case OCT_NODE_DEFINITION_LIST:
    case OCT_NODE_RAW_BLOCK: case OCT_NODE_DIV:
        return 1;
    default:
        return 0;
    }
}

int oct_node_type_can_contain(oct_node_type parent, oct_node_type child)
{
    if (!valid_type(parent) || !valid_type(child) || oct_node_type_is_leaf(parent)) return 0;
    switch (parent) {
    case OCT_NODE_DOCUMENT:
        return is_flow_block(child) || child == OCT_NODE_FOOTNOTE_DEF;
    case OCT_NODE_BLOCK_QUOTE: case OCT_NODE_LIST_ITEM: case OCT_NODE_TABLE_CELL:
    case OCT_NODE_DEFINITION_DESC: case OCT_NODE_FOOTNOTE_DEF: case OCT_NODE_DIV:
        return is_flow_block(child);
    case OCT_NODE_FIGURE:
        return is_flow_block(child) || child == OCT_NODE_CAPTION;
    case OCT_NODE_LIST:
        return child == OCT_NODE_LIST_ITEM;
    case OCT_NODE_TABLE:
        return child == OCT_NODE_CAPTION || child == OCT_NODE_TABLE_ROW;
    case OCT_NODE_TABLE_ROW:
        return child == OCT_NODE_TABLE_CELL;
    case OCT_NODE_DEFINITION_LIST:
        return child == OCT_NODE_DEFINITION_TERM || child == OCT_NODE_DEFINITION_DESC;
    default: /* heading, paragraph, caption, term and every inline container */
        return oct_node_type_is_inline(child);
    }
}

oct_node *oct_node_new(oct_doc *doc, oct_node_type type)
{
    if (!doc || !valid_type(type)) return NULL;
    /* Only the document's own root is a DOCUMENT. */
    if (type == OCT_NODE_DOCUMENT && doc->root) return NULL;
    if (doc->node_count >= doc->limits.max_nodes) {
        doc->node_limit_hit = 1;
        return NULL;
    }
    oct_node *n = oct_arena_alloc(&doc->arena, sizeof *n);
    if (!n) return NULL;
    n->doc = doc;
    n->type = (uint16_t)type;
    doc->types_made |= (uint64_t)1 << type;
    switch (type) {
    case OCT_NODE_HEADING: n->as.heading.level = 1; break;
    case OCT_NODE_LIST: n->as.list.start = 1; n->as.list.tight = 1; break;
    case OCT_NODE_TABLE_CELL: n->as.cell.colspan = n->as.cell.rowspan = 1; break;
    case OCT_NODE_LINK: case OCT_NODE_IMAGE:
        n->as.link.url = "";
        if (type == OCT_NODE_IMAGE) n->as.image.alt = "";
        break;
    case OCT_NODE_TEXT: case OCT_NODE_CODE: case OCT_NODE_CODE_BLOCK:
    case OCT_NODE_RAW_BLOCK: case OCT_NODE_RAW_INLINE:
        n->literal = "";
        break;
    case OCT_NODE_FOOTNOTE_DEF: case OCT_NODE_FOOTNOTE_REF:
        n->as.note.label = "";
        break;
    default: break;
    }
    doc->node_count++;
    return n;
}

oct_node_type oct_node_get_type(const oct_node *n) { return n ? (oct_node_type)n->type : OCT_NODE_NONE; }
oct_node *oct_node_parent(const oct_node *n) { return n ? n->parent : NULL; }
oct_node *oct_node_first_child(const oct_node *n) { return n ? n->first_child : NULL; }
oct_node *oct_node_last_child(const oct_node *n) { return n ? n->last_child : NULL; }
oct_node *oct_node_next(const oct_node *n) { return n ? n->next : NULL; }
oct_node *oct_node_prev(const oct_node *n) { return n ? n->prev : NULL; }
oct_doc *oct_node_doc(const oct_node *n) { return n ? n->doc : NULL; }

int oct_node_is_ancestor(const oct_node *maybe_ancestor, const oct_node *n)
{
    for (const oct_node *p = n; p; p = p->parent)
        if (p == maybe_ancestor) return 1;
    return 0;
}

void oct_node_unlink(oct_node *n)
{
    if (!n || !n->parent) return;
    if (n->prev) n->prev->next = n->next; else n->parent->first_child = n->next;
    if (n->next) n->next->prev = n->prev; else n->parent->last_child = n->prev;
    n->parent = n->prev = n->next = NULL;
}

void oct_node_append_unchecked(oct_node *parent, oct_node *child)
{
    child->parent = parent;
    child->next = NULL;
    child->prev = parent->last_child;
    if (parent->last_child) parent->last_child->next = child; else parent->first_child = child;
    parent->last_child = child;
}

/* The one check behind every mutator: may child be placed under parent? */
static oct_status check_placement(const oct_node *parent, const oct_node *child)
{
    if (!parent || !child || parent->doc != child->doc) return OCT_ERR_INVALID_ARG;
    if (child->type == OCT_NODE_DOCUMENT) return OCT_ERR_INVALID_CHILD;
    if (!oct_node_type_can_contain((oct_node_type)parent->type, (oct_node_type)child->type))
        return OCT_ERR_INVALID_CHILD;
    /* A childless node cannot be an ancestor of anything but itself; skipping
     * the walk keeps top-down building linear even for very deep trees. */
    if (child == parent || (child->first_child && oct_node_is_ancestor(child, parent)))
        return OCT_ERR_INVALID_CHILD;
    return OCT_OK;
}

oct_status oct_node_append_child(oct_node *parent, oct_node *child)
{
    oct_status st = check_placement(parent, child);
    if (st) return st;
    oct_node_unlink(child);
    oct_node_append_unchecked(parent, child);
    return OCT_OK;
}

oct_status oct_node_prepend_child(oct_node *parent, oct_node *child)
{
    oct_status st = check_placement(parent, child);
    if (st) return st;
    oct_node_unlink(child);
    child->parent = parent;
    child->prev = NULL;
    child->next = parent->first_child;
    if (parent->first_child) parent->first_child->prev = child; else parent->last_child = child;
    parent->first_child = child;
    return OCT_OK;
}

oct_status oct_node_insert_before(oct_node *sibling, oct_node *node)
{
    if (!sibling || !sibling->parent || sibling == node) return OCT_ERR_INVALID_ARG;
    oct_status st = check_placement(sibling->parent, node);
    if (st) return st;
    oct_node_unlink(node);
    node->parent = sibling->parent;
    node->next = sibling;
    node->prev = sibling->prev;
    if (sibling->prev) sibling->prev->next = node; else sibling->parent->first_child = node;
    sibling->prev = node;
    return OCT_OK;
}

oct_status oct_node_insert_after(oct_node *sibling, oct_node *node)
{
    if (!sibling || !sibling->parent || sibling == node) return OCT_ERR_INVALID_ARG;
    oct_status st = check_placement(sibling->parent, node);
    if (st) return st;
    oct_node_unlink(node);
    node->parent = sibling->parent;
    node->prev = sibling;
    node->next = sibling->next;
    if (sibling->next) sibling->next->prev = node; else sibling->parent->last_child = node;
    sibling->next = node;
    return OCT_OK;
}

/* ------------------------------------------------------------ attributes */

/* Copies a string attribute into the arena; NULL stays NULL. */
static oct_status dup_attr(oct_node *n, const char **slot, const char *s, int allow_null)
{
    if (!s) {
        if (!allow_null) return OCT_ERR_INVALID_ARG;
        *slot = NULL;
        return OCT_OK;
    }
    size_t len = strlen(s);
    if (!oct_utf8_is_valid(s, len)) return OCT_ERR_INVALID_UTF8;
    const char *copy = oct_arena_strndup(&n->doc->arena, s, len);
    if (!copy) return OCT_ERR_NOMEM;
    *slot = copy;
    return OCT_OK;
}

#define IS(n, t) ((n) && (n)->type == (t))

const char *oct_node_id(const oct_node *n) { return n ? n->id : NULL; }
oct_status oct_node_set_id(oct_node *n, const char *id)
{
    if (!n) return OCT_ERR_INVALID_ARG;
    if (id && !*id) id = NULL;
    return dup_attr(n, &n->id, id, 1);
}

const char *oct_node_lang(const oct_node *n) { return n ? n->lang : NULL; }
oct_status oct_node_set_lang(oct_node *n, const char *lang)
{
    if (!n) return OCT_ERR_INVALID_ARG;
    if (lang && !*lang) lang = NULL;
    return dup_attr(n, &n->lang, lang, 1);
}

oct_dir oct_node_dir(const oct_node *n) { return n ? (oct_dir)n->dir : OCT_DIR_NONE; }
oct_status oct_node_set_dir(oct_node *n, oct_dir dir)
{
    if (!n || dir > OCT_DIR_RTL) return OCT_ERR_INVALID_ARG;
    n->dir = (uint8_t)dir;
    return OCT_OK;
}

/* Large documents hold millions of nodes: keep each one cache-line sized. */
_Static_assert(sizeof(oct_node) <= 128, "oct_node grew past 128 bytes");

long oct_node_source_line(const oct_node *n) { return n ? n->line : 0; }
void oct_node_set_source_line(oct_node *n, long line)
{
    if (n) n->line = line > INT32_MAX ? INT32_MAX : line < INT32_MIN ? INT32_MIN : (int32_t)line;
}

static int has_literal(const oct_node *n)
{
    return n && (n->type == OCT_NODE_TEXT || n->type == OCT_NODE_CODE ||
                 n->type == OCT_NODE_CODE_BLOCK || n->type == OCT_NODE_RAW_BLOCK ||
                 n->type == OCT_NODE_RAW_INLINE);
}

const char *oct_node_literal(const oct_node *n, size_t *len)
{
    if (!has_literal(n)) { if (len) *len = 0; return NULL; }
    if (len) *len = n->literal_len;
    return n->literal;
}

oct_status oct_node_set_literal(oct_node *n, const char *s, size_t len)
{
    if (!n) return OCT_ERR_INVALID_ARG;
    if (!has_literal(n)) return OCT_ERR_WRONG_TYPE;
    if (!s && len) return OCT_ERR_INVALID_ARG;
    if (len && (memchr(s, '\0', len) || !oct_utf8_is_valid(s, len))) return OCT_ERR_INVALID_UTF8;
    char *copy = oct_arena_strndup(&n->doc->arena, s ? s : "", len);
    if (!copy) return OCT_ERR_NOMEM;
    n->literal = copy;
    n->literal_len = len;
    return OCT_OK;
}

int oct_node_heading_level(const oct_node *n) { return IS(n, OCT_NODE_HEADING) ? n->as.heading.level : 0; }
oct_status oct_node_set_heading_level(oct_node *n, int level)
{
    if (!IS(n, OCT_NODE_HEADING)) return n ? OCT_ERR_WRONG_TYPE : OCT_ERR_INVALID_ARG;
    if (level < 1 || level > 6) return OCT_ERR_INVALID_ARG;
    n->as.heading.level = level;
    return OCT_OK;
}

#define LIST_CHECK(n) \
    if (!IS(n, OCT_NODE_LIST)) return (n) ? OCT_ERR_WRONG_TYPE : OCT_ERR_INVALID_ARG

oct_list_style oct_node_list_style(const oct_node *n) { return IS(n, OCT_NODE_LIST) ? (oct_list_style)n->as.list.style : OCT_LIST_BULLET; }
oct_status oct_node_set_list_style(oct_node *n, oct_list_style s)
{
    LIST_CHECK(n);
    if ((unsigned)s > OCT_LIST_UPPER_ROMAN) return OCT_ERR_INVALID_ARG;
    n->as.list.style = s;
    return OCT_OK;
}
int oct_node_list_is_ordered(const oct_node *n) { return IS(n, OCT_NODE_LIST) && n->as.list.style != OCT_LIST_BULLET; }
int oct_node_list_start(const oct_node *n) { return IS(n, OCT_NODE_LIST) ? n->as.list.start : 0; }
oct_status oct_node_set_list_start(oct_node *n, int start)
{
    LIST_CHECK(n);
    /* CommonMark allows at most nine digits; keep every writer's life simple. */
    if (start < 0 || start > 999999999) return OCT_ERR_INVALID_ARG;
    n->as.list.start = start;
    return OCT_OK;
}
int oct_node_list_tight(const oct_node *n) { return IS(n, OCT_NODE_LIST) ? n->as.list.tight : 0; }
oct_status oct_node_set_list_tight(oct_node *n, int tight) { LIST_CHECK(n); n->as.list.tight = !!tight; return OCT_OK; }
int oct_node_list_reversed(const oct_node *n) { return IS(n, OCT_NODE_LIST) ? n->as.list.reversed : 0; }
oct_status oct_node_set_list_reversed(oct_node *n, int r) { LIST_CHECK(n); n->as.list.reversed = !!r; return OCT_OK; }

oct_task oct_node_item_task(const oct_node *n) { return IS(n, OCT_NODE_LIST_ITEM) ? (oct_task)n->as.item.task : OCT_TASK_NONE; }
oct_status oct_node_set_item_task(oct_node *n, oct_task t)
{
    if (!IS(n, OCT_NODE_LIST_ITEM)) return n ? OCT_ERR_WRONG_TYPE : OCT_ERR_INVALID_ARG;
    if ((unsigned)t > OCT_TASK_CHECKED) return OCT_ERR_INVALID_ARG;
    n->as.item.task = t;
    return OCT_OK;
}

const char *oct_node_code_language(const oct_node *n) { return IS(n, OCT_NODE_CODE_BLOCK) ? n->as.code.language : NULL; }
oct_status oct_node_set_code_language(oct_node *n, const char *lang)
{
    if (!IS(n, OCT_NODE_CODE_BLOCK)) return n ? OCT_ERR_WRONG_TYPE : OCT_ERR_INVALID_ARG;
    if (lang && !*lang) lang = NULL;
    return dup_attr(n, &n->as.code.language, lang, 1);
}

static int is_link_or_image(const oct_node *n) { return IS(n, OCT_NODE_LINK) || IS(n, OCT_NODE_IMAGE); }

/* link.url/title and image.url/title share their position in the union. */
const char *oct_node_url(const oct_node *n) { return is_link_or_image(n) ? n->as.link.url : NULL; }
oct_status oct_node_set_url(oct_node *n, const char *url)
{
    if (!is_link_or_image(n)) return n ? OCT_ERR_WRONG_TYPE : OCT_ERR_INVALID_ARG;
    return dup_attr(n, &n->as.link.url, url ? url : "", 0);
}
const char *oct_node_title(const oct_node *n) { return is_link_or_image(n) ? n->as.link.title : NULL; }
oct_status oct_node_set_title(oct_node *n, const char *title)
{
    if (!is_link_or_image(n)) return n ? OCT_ERR_WRONG_TYPE : OCT_ERR_INVALID_ARG;
    if (title && !*title) title = NULL;
    return dup_attr(n, &n->as.link.title, title, 1);
}

#define IMAGE_CHECK(n) \
    if (!IS(n, OCT_NODE_IMAGE)) return (n) ? OCT_ERR_WRONG_TYPE : OCT_ERR_INVALID_ARG

const char *oct_node_image_alt(const oct_node *n) { return IS(n, OCT_NODE_IMAGE) ? n->as.image.alt : NULL; }
oct_status oct_node_set_image_alt(oct_node *n, const char *alt) { IMAGE_CHECK(n); return dup_attr(n, &n->as.image.alt, alt ? alt : "", 0); }
oct_resource *oct_node_image_resource(const oct_node *n) { return IS(n, OCT_NODE_IMAGE) ? n->as.image.resource : NULL; }
oct_status oct_node_set_image_resource(oct_node *n, oct_resource *r)
{
    IMAGE_CHECK(n);
    if (r && r->doc != n->doc) return OCT_ERR_INVALID_ARG;
    n->as.image.resource = r;
    return OCT_OK;
}
int oct_node_image_width(const oct_node *n) { return IS(n, OCT_NODE_IMAGE) ? n->as.image.width : 0; }
int oct_node_image_height(const oct_node *n) { return IS(n, OCT_NODE_IMAGE) ? n->as.image.height : 0; }
oct_status oct_node_set_image_size(oct_node *n, int w, int h)
{
    IMAGE_CHECK(n);
    if (w < 0 || h < 0 || w > 100000 || h > 100000) return OCT_ERR_INVALID_ARG;
    n->as.image.width = w;
    n->as.image.height = h;
    return OCT_OK;
}

const char *oct_node_cite(const oct_node *n) { return IS(n, OCT_NODE_BLOCK_QUOTE) ? n->as.quote.cite : NULL; }
oct_status oct_node_set_cite(oct_node *n, const char *url)
{
    if (!IS(n, OCT_NODE_BLOCK_QUOTE)) return n ? OCT_ERR_WRONG_TYPE : OCT_ERR_INVALID_ARG;
    if (url && !*url) url = NULL;
    return dup_attr(n, &n->as.quote.cite, url, 1);
}

oct_row_section oct_node_row_section(const oct_node *n) { return IS(n, OCT_NODE_TABLE_ROW) ? (oct_row_section)n->as.row.section : OCT_ROW_BODY; }
oct_status oct_node_set_row_section(oct_node *n, oct_row_section s)
{
    if (!IS(n, OCT_NODE_TABLE_ROW)) return n ? OCT_ERR_WRONG_TYPE : OCT_ERR_INVALID_ARG;
    if ((unsigned)s > OCT_ROW_FOOT) return OCT_ERR_INVALID_ARG;
    n->as.row.section = s;
    return OCT_OK;
}

#define CELL_CHECK(n) \
    if (!IS(n, OCT_NODE_TABLE_CELL)) return (n) ? OCT_ERR_WRONG_TYPE : OCT_ERR_INVALID_ARG

int oct_node_cell_is_header(const oct_node *n) { return IS(n, OCT_NODE_TABLE_CELL) && n->as.cell.header; }
oct_status oct_node_set_cell_header(oct_node *n, int h) { CELL_CHECK(n); n->as.cell.header = !!h; return OCT_OK; }
int oct_node_cell_colspan(const oct_node *n) { return IS(n, OCT_NODE_TABLE_CELL) ? n->as.cell.colspan : 0; }
int oct_node_cell_rowspan(const oct_node *n) { return IS(n, OCT_NODE_TABLE_CELL) ? n->as.cell.rowspan : 0; }
oct_status oct_node_set_cell_span(oct_node *n, int colspan, int rowspan)
{
    CELL_CHECK(n);
    /* HTML caps colspan at 1000 and rowspan at 65534. */
    if (colspan < 1 || colspan > 1000 || rowspan < 1 || rowspan > 65534) return OCT_ERR_INVALID_ARG;
    n->as.cell.colspan = colspan;
    n->as.cell.rowspan = rowspan;
    return OCT_OK;
}
oct_align oct_node_cell_align(const oct_node *n) { return IS(n, OCT_NODE_TABLE_CELL) ? (oct_align)n->as.cell.align : OCT_ALIGN_NONE; }
oct_status oct_node_set_cell_align(oct_node *n, oct_align a)
{
    CELL_CHECK(n);
    if ((unsigned)a > OCT_ALIGN_RIGHT) return OCT_ERR_INVALID_ARG;
    n->as.cell.align = a;
    return OCT_OK;
}

static int is_note(const oct_node *n) { return IS(n, OCT_NODE_FOOTNOTE_DEF) || IS(n, OCT_NODE_FOOTNOTE_REF); }
const char *oct_node_footnote_label(const oct_node *n) { return is_note(n) ? n->as.note.label : NULL; }
oct_status oct_node_set_footnote_label(oct_node *n, const char *label)
{
    if (!is_note(n)) return n ? OCT_ERR_WRONG_TYPE : OCT_ERR_INVALID_ARG;
    return dup_attr(n, &n->as.note.label, label ? label : "", 0);
}

static int is_raw(const oct_node *n) { return IS(n, OCT_NODE_RAW_BLOCK) || IS(n, OCT_NODE_RAW_INLINE); }
const char *oct_node_raw_format(const oct_node *n) { return is_raw(n) ? n->as.raw.format : NULL; }
oct_status oct_node_set_raw_format(oct_node *n, const char *format)
{
    if (!is_raw(n)) return n ? OCT_ERR_WRONG_TYPE : OCT_ERR_INVALID_ARG;
    return dup_attr(n, &n->as.raw.format, format, 1);
}

static int has_class(const oct_node *n) { return IS(n, OCT_NODE_SPAN) || IS(n, OCT_NODE_DIV); }
const char *oct_node_class(const oct_node *n) { return has_class(n) ? n->as.span.cls : NULL; }
oct_status oct_node_set_class(oct_node *n, const char *cls)
{
    if (!has_class(n)) return n ? OCT_ERR_WRONG_TYPE : OCT_ERR_INVALID_ARG;
    if (cls && !*cls) cls = NULL;
    return dup_attr(n, &n->as.span.cls, cls, 1);
}

oct_node *oct_node_clone_shallow(oct_doc *doc, const oct_node *n)
{
    oct_node *c = oct_node_new(doc, (oct_node_type)n->type);
    if (!c) return NULL;
    /* Strings live in the same arena and are immutable: sharing is safe. */
    c->literal = n->literal;
    c->literal_len = n->literal_len;
    c->id = NULL; /* ids must stay unique */
    c->lang = n->lang;
    c->dir = n->dir;
    c->line = n->line;
    c->as = n->as;
    return c;
}
