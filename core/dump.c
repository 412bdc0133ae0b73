/*
 * dump.c — the debug dump of a document (`octavo -t tree`): metadata, then
 * one node per line indented by depth, with its attributes. Golden tests
 * compare it, so its form only changes on purpose.
 */
#include "internal.h"

#include <string.h>

#include "bytewords.h"

/* 1 for the bytes the dump escapes: controls, DEL, quote and backslash. */
static const unsigned char escaped[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    /* 0x80-0xFF: UTF-8 sequences, copied as they are */
};

/* Whether any of 8 bytes needs escaping: a byte below 0x20, a quote, a
 * backslash or DEL. Text is mostly plain, and skipped 8 bytes a step. */
static int word_needs_escape(uint64_t w)
{
    return (oct_word_below(w, 0x20) | oct_word_eq(w, '"') | oct_word_eq(w, '\\') |
            oct_word_eq(w, 0x7f)) != 0;
}

static void put_quoted(oct_sink *s, const char *str, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    oct_sink_write(s, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        while (len - i >= 8) {
            if (word_needs_escape(oct_word_load(str + i))) break;
            i += 8;
        }
        if (i >= len) break;
        unsigned char c = (unsigned char)str[i];
        if (!escaped[c]) continue; /* the rest is copied in runs */
        char esc[5] = {'\\', 0, 0, 0, 0};
        if (c == '"' || c == '\\') esc[1] = (char)c;
        else if (c == '\n') esc[1] = 'n';
        else if (c == '\t') esc[1] = 't';
        else if (c == '\r') esc[1] = 'r';
        else { esc[1] = 'x'; esc[2] = digits[c >> 4]; esc[3] = digits[c & 15]; }
        oct_sink_write(s, str + run, i - run);
        oct_sink_puts(s, esc);
        run = i + 1;
    }
    oct_sink_write(s, str + run, len - run);
    oct_sink_write(s, "\"", 1);
}

static void attr_str(oct_sink *s, const char *name, const char *v)
{
    if (!v) return;
    oct_sink_printf(s, " %s=", name);
    put_quoted(s, v, strlen(v));
}

static void attr_int(oct_sink *s, const char *name, long v) { oct_sink_printf(s, " %s=%ld", name, v); }

static const char *const list_styles[] = {"bullet", "decimal", "lower-alpha", "upper-alpha",
                                          "lower-roman", "upper-roman"};
static const char *const aligns[] = {"none", "left", "center", "right"};
static const char *const sections[] = {"body", "head", "foot"};

static void dump_node(oct_sink *s, const oct_node *n)
{
    oct_sink_puts(s, oct_node_type_name((oct_node_type)n->type));
    switch (n->type) {
    case OCT_NODE_HEADING: attr_int(s, "level", n->as.heading.level); break;
    case OCT_NODE_LIST:
        oct_sink_printf(s, " style=%s", list_styles[n->as.list.style]);
        if (n->as.list.style != OCT_LIST_BULLET) attr_int(s, "start", n->as.list.start);
        oct_sink_puts(s, n->as.list.tight ? " tight" : " loose");
        if (n->as.list.reversed) oct_sink_puts(s, " reversed");
        break;
    case OCT_NODE_LIST_ITEM:
        if (n->as.item.task) oct_sink_puts(s, n->as.item.task == OCT_TASK_CHECKED ? " task=checked" : " task=unchecked");
        break;
    case OCT_NODE_CODE_BLOCK: attr_str(s, "lang", n->as.code.language); break;
    case OCT_NODE_LINK: case OCT_NODE_IMAGE:
        attr_str(s, "url", n->as.link.url);
        attr_str(s, "title", n->as.link.title);
        if (n->type == OCT_NODE_IMAGE) {
            attr_str(s, "alt", n->as.image.alt);
            if (n->as.image.width) attr_int(s, "width", n->as.image.width);
            if (n->as.image.height) attr_int(s, "height", n->as.image.height);
            if (n->as.image.resource) attr_str(s, "resource", n->as.image.resource->id);
        }
        break;
    case OCT_NODE_BLOCK_QUOTE: attr_str(s, "cite", n->as.quote.cite); break;
    case OCT_NODE_TABLE_ROW:
        if (n->as.row.section) oct_sink_printf(s, " section=%s", sections[n->as.row.section]);
        break;
    case OCT_NODE_TABLE_CELL:
        if (n->as.cell.header) oct_sink_puts(s, " header");
        if (n->as.cell.colspan > 1) attr_int(s, "colspan", n->as.cell.colspan);
        if (n->as.cell.rowspan > 1) attr_int(s, "rowspan", n->as.cell.rowspan);
        if (n->as.cell.align) oct_sink_printf(s, " align=%s", aligns[n->as.cell.align]);
        break;
    case OCT_NODE_FOOTNOTE_DEF: case OCT_NODE_FOOTNOTE_REF:
        attr_str(s, "label", n->as.note.label);
        break;
    case OCT_NODE_RAW_BLOCK: case OCT_NODE_RAW_INLINE: attr_str(s, "format", n->as.raw.format); break;
    case OCT_NODE_SPAN: case OCT_NODE_DIV: attr_str(s, "class", n->as.span.cls); break;
    default: break;
    }
    attr_str(s, "id", n->id);
    attr_str(s, "lang", n->lang);
    if (n->dir) oct_sink_puts(s, n->dir == OCT_DIR_RTL ? " dir=rtl" : " dir=ltr");
    if (n->literal && n->type != OCT_NODE_DOCUMENT) {
        oct_sink_puts(s, " ");
        put_quoted(s, n->literal, n->literal_len);
    }
    oct_sink_puts(s, "\n");
}

oct_status oct_doc_dump(const oct_doc *doc, oct_sink *s)
{
    if (!doc || !s) return OCT_ERR_INVALID_ARG;
    for (size_t i = 0; i < doc->meta_len; i++) {
        oct_sink_printf(s, "meta %s ", doc->meta[i].key);
        put_quoted(s, doc->meta[i].value, strlen(doc->meta[i].value));
        oct_sink_puts(s, "\n");
    }
    for (size_t i = 0; i < doc->res_len; i++) {
        const oct_resource *r = doc->resources[i];
        oct_sink_printf(s, "resource %s %s %zu bytes %dx%d%s\n", r->id, r->media_type, r->len,
                        r->width, r->height, r == doc->cover ? " cover" : "");
    }
    oct_iter it;
    oct_iter_init(&it, doc->root);
    oct_event ev;
    size_t depth = 0;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        if (ev == OCT_EVENT_EXIT) { depth--; continue; }
        for (size_t i = 0; i < depth; i++) oct_sink_write(s, "  ", 2);
        dump_node(s, it.node);
        if (!oct_node_type_is_leaf((oct_node_type)it.node->type)) depth++;
    }
    return oct_sink_status(s);
}

/* The built-in "tree" writer: the dump as an output format. */
static oct_status write_tree(oct_context *ctx, const oct_doc *doc, oct_sink *sink, oct_error *err)
{
    (void)ctx;
    oct_status st = oct_doc_dump(doc, sink);
    if (st) return oct_error_set(err, st, NULL, 0, "cannot write the tree dump");
    return OCT_OK;
}

static const char *const tree_extensions[] = {"tree", NULL};

static const oct_format tree_format = {
    .struct_size = sizeof(oct_format),
    .name = "tree",
    .summary = "debug dump of the document tree",
    .extensions = tree_extensions,
    .write = write_tree,
    .flags = OCT_FORMAT_TEXT,
};

static const oct_format *const builtin_formats[] = {&tree_format, NULL};

const oct_plugin_descriptor oct_builtin_descriptor = {
    .abi_version = OCT_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(oct_plugin_descriptor),
    .name = "core",
    .version = OCTAVO_VERSION_STRING,
    .summary = "formats built into liboctavo",
    .formats = builtin_formats,
};
