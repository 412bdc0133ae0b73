/*
 * gen_doc.c — random documents for the Markdown round-trip tests, built
 * with the core node API from text drawn heavily from the characters
 * Markdown gives meaning to. See gen_doc.h.
 */
#include "gen_doc.h"

#include <stdio.h>
#include <string.h>

static uint64_t next_rand(gen_state *g)
{
    /* xorshift64* */
    g->s ^= g->s >> 12;
    g->s ^= g->s << 25;
    g->s ^= g->s >> 27;
    return g->s * 2685821657736338717ull;
}

static unsigned pick(gen_state *g, unsigned n) { return (unsigned)(next_rand(g) % n); }

static const char *const text_tokens[] = {
    "*", "**", "_", "__", "a", "b", "foo", "x_y", " ", "  ", "\t", "[", "]", "(", ")", "!",
    "![", "](", "<", ">", "&", "&amp;", "&#35;", "&copy;", "#", "##", "-", "+", "=", "1.",
    "2)", "10.", ".", "`", "``", "~", "~~", "~~~", "```", "\\", "|", ":", "'", "\"", "\xc3\xa9",
    "\xe4\xb8\xad", "http://x.y", "<a>", "<!--", "---", "***", "    ", ";", "^", "a*b", "_a_",
    "[x](y)", "[^1]", "\\*", "***a", "a.", "2023.", " - ", " 1. ", "=", "===", "+ ", "> ",
};
#define N_TEXT (sizeof text_tokens / sizeof *text_tokens)

static const char *const urls[] = {
    "", "http://a.b/c", "a b", "(x)", "x)", "<y>", "a\\b", "&amp;", "\xc3\xa9", "u\"q",
    "#frag", "a(b)c", "mailto:x@y", "/p?q=1&r=2", "x y(z", "*a*",
};
static const char *const titles[] = {"t", "a \"q\"", "x'y", "\\", "&amp;", "(p)", "a\nb"};
static const char *const langs[] = {"c", "py`x", "a b", "c++", "&amp;"};
static const char *const code_lines[] = {
    "int x;", "```", "~~~", "    indented", "", "````", "a `b` c", "<div>", "- item", "# h",
    "\\", "  trailing  ", "> q",
};

static void add_text(gen_state *g, char *buf, size_t cap, unsigned max_tokens, int spaces_ok)
{
    size_t len = 0;
    unsigned n = 1 + pick(g, max_tokens);
    buf[0] = '\0';
    for (unsigned i = 0; i < n; i++) {
        const char *t = text_tokens[pick(g, N_TEXT)];
        if (!spaces_ok && (strchr(t, ' ') || strchr(t, '\t')))
            continue;
        size_t l = strlen(t);
        if (len + l + 1 >= cap)
            break;
        memcpy(buf + len, t, l + 1);
        len += l;
    }
    if (len == 0)
        snprintf(buf, cap, "z");
}

static oct_node *append(gen_state *g, oct_node *parent, oct_node_type t)
{
    oct_node *n = oct_node_new(g->doc, t);
    if (n && oct_node_append_child(parent, n) != OCT_OK)
        n = NULL;
    if (!n)
        g->failed = 1;
    return n;
}

static void gen_inlines(gen_state *g, oct_node *parent, int depth, int in_link, int breaks)
{
    unsigned count = 1 + pick(g, 5);
    char buf[128];
    int last_break = 1; /* no break first */
    for (unsigned i = 0; i < count && !g->failed; i++) {
        unsigned r = pick(g, 100);
        oct_node *n;
        if (r >= 45 && r < 53 && depth < 3) {
            n = append(g, parent, OCT_NODE_EMPH);
            if (n && pick(g, 8))
                gen_inlines(g, n, depth + 1, in_link, 0);
        } else if (r >= 53 && r < 59 && depth < 3) {
            n = append(g, parent, OCT_NODE_STRONG);
            if (n && pick(g, 8))
                gen_inlines(g, n, depth + 1, in_link, 0);
        } else if (r >= 59 && r < 65) {
            n = append(g, parent, OCT_NODE_CODE);
            add_text(g, buf, sizeof buf, 3, 1);
            if (n)
                oct_node_set_literal(n, buf, strlen(buf));
        } else if (r >= 65 && r < 71 && !in_link && depth < 3) {
            n = append(g, parent, OCT_NODE_LINK);
            if (n) {
                oct_node_set_url(n, urls[pick(g, sizeof urls / sizeof *urls)]);
                if (pick(g, 3) == 0)
                    oct_node_set_title(n, titles[pick(g, sizeof titles / sizeof *titles)]);
                if (pick(g, 6))
                    gen_inlines(g, n, depth + 1, 1, 0);
            }
        } else if (r >= 71 && r < 75) {
            n = append(g, parent, OCT_NODE_IMAGE);
            if (n) {
                oct_node_set_url(n, urls[pick(g, sizeof urls / sizeof *urls)]);
                add_text(g, buf, sizeof buf, 3, 1);
                oct_node_set_image_alt(n, pick(g, 4) ? buf : "");
                if (pick(g, 3) == 0)
                    oct_node_set_title(n, titles[pick(g, sizeof titles / sizeof *titles)]);
            }
        } else if (r >= 75 && r < 84 && breaks && !last_break && i + 1 < count) {
            append(g, parent, r < 80 ? OCT_NODE_SOFT_BREAK : OCT_NODE_LINE_BREAK);
            last_break = 1;
            continue;
        } else if (r >= 84 && r < 88 && depth < 3) {
            n = append(g, parent, OCT_NODE_STRIKEOUT);
            if (n)
                gen_inlines(g, n, depth + 1, in_link, 0);
        } else if (r >= 88 && r < 91 && depth < 3) {
            n = append(g, parent, pick(g, 2) ? OCT_NODE_SUPERSCRIPT : OCT_NODE_SPAN);
            if (n)
                gen_inlines(g, n, depth + 1, in_link, 0);
        } else if (r >= 91 && r < 93 && g->allow_notes) {
            n = append(g, parent, OCT_NODE_FOOTNOTE_REF);
            unsigned k = pick(g, 3);
            snprintf(buf, sizeof buf, "n%u", k);
            if (n)
                oct_node_set_footnote_label(n, buf);
            g->notes_used |= 1u << k;
        } else {
            n = append(g, parent, OCT_NODE_TEXT);
            add_text(g, buf, sizeof buf, 4, 1);
            if (n)
                oct_node_set_literal(n, buf, strlen(buf));
        }
        last_break = 0;
    }
    /* a break must not end the run: it cannot be written there */
    oct_node *last = oct_node_last_child(parent);
    if (last && (oct_node_get_type(last) == OCT_NODE_SOFT_BREAK ||
                 oct_node_get_type(last) == OCT_NODE_LINE_BREAK))
        oct_node_unlink(last);
}

static void gen_blocks(gen_state *g, oct_node *parent, int depth, int tight_item);

static void gen_code(gen_state *g, oct_node *parent)
{
    oct_node *n = append(g, parent, OCT_NODE_CODE_BLOCK);
    if (!n)
        return;
    char buf[512];
    size_t len = 0;
    unsigned lines = pick(g, 4);
    for (unsigned i = 0; i < lines; i++) {
        const char *l = code_lines[pick(g, sizeof code_lines / sizeof *code_lines)];
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s\n", l);
    }
    if (len > 0 && pick(g, 3) == 0)
        len--; /* no final line end */
    oct_node_set_literal(n, buf, len);
    if (pick(g, 2))
        oct_node_set_code_language(n, langs[pick(g, sizeof langs / sizeof *langs)]);
}

static void gen_list(gen_state *g, oct_node *parent, int depth, int must_start_at_1)
{
    oct_node *list = append(g, parent, OCT_NODE_LIST);
    if (!list)
        return;
    int ordered = pick(g, 2);
    if (ordered) {
        static const int starts[] = {1, 1, 0, 2, 9, 10, 99, 123456789};
        oct_node_set_list_style(list, OCT_LIST_DECIMAL);
        oct_node_set_list_start(list, must_start_at_1 ? 1 : starts[pick(g, 8)]);
    }
    int tight = pick(g, 2);
    oct_node_set_list_tight(list, tight);
    unsigned items = 1 + pick(g, 3);
    for (unsigned i = 0; i < items && !g->failed; i++) {
        oct_node *item = append(g, list, OCT_NODE_LIST_ITEM);
        if (item && i == 0 && must_start_at_1) {
            /* it interrupts a paragraph: its first item starts with text */
            oct_node *p = append(g, item, OCT_NODE_PARAGRAPH);
            if (p)
                gen_inlines(g, p, 0, 0, 1);
        } else if (item) {
            gen_blocks(g, item, depth + 1, tight);
        }
    }
}

static void gen_table(gen_state *g, oct_node *parent)
{
    oct_node *table = append(g, parent, OCT_NODE_TABLE);
    if (!table)
        return;
    unsigned cols = 1 + pick(g, 3), rows = 1 + pick(g, 3);
    oct_align aligns[3];
    for (unsigned c = 0; c < 3; c++) /* a pipe table aligns whole columns */
        aligns[c] = (oct_align)pick(g, 4);
    for (unsigned r = 0; r < rows; r++) {
        oct_node *row = append(g, table, OCT_NODE_TABLE_ROW);
        if (!row)
            return;
        oct_node_set_row_section(row, r == 0 ? OCT_ROW_HEAD : OCT_ROW_BODY);
        for (unsigned c = 0; c < cols; c++) {
            oct_node *cell = append(g, row, OCT_NODE_TABLE_CELL);
            if (!cell)
                return;
            oct_node_set_cell_header(cell, r == 0);
            oct_node_set_cell_align(cell, aligns[c]);
            if (r == 0 || pick(g, 5)) {
                oct_node *p = append(g, cell, OCT_NODE_PARAGRAPH);
                if (p)
                    gen_inlines(g, p, 1, 0, 0);
            }
        }
    }
}

static void gen_blocks(gen_state *g, oct_node *parent, int depth, int tight_item)
{
    if (tight_item) {
        /* a tight item: what CommonMark can keep without blank lines */
        if (pick(g, 5) == 0)
            return;
        oct_node *p = append(g, parent, OCT_NODE_PARAGRAPH);
        if (p)
            gen_inlines(g, p, 0, 0, 1);
        switch (depth < 3 ? pick(g, 6) : 5) {
        case 0: gen_list(g, parent, depth, 1); break;
        case 1: {
            oct_node *q = append(g, parent, OCT_NODE_BLOCK_QUOTE);
            if (q)
                gen_blocks(g, q, depth + 1, 0);
            break;
        }
        case 2: gen_code(g, parent); break;
        default: break;
        }
        /* blocks that close whatever precedes them may follow tightly */
        if (pick(g, 3) == 0) {
            oct_node *h = pick(g, 2) ? NULL : append(g, parent, OCT_NODE_HEADING);
            if (h)
                gen_inlines(g, h, 0, 0, 0);
            else
                gen_code(g, parent);
        }
        return;
    }
    unsigned count = 1 + pick(g, 4);
    char buf[16];
    (void)buf;
    for (unsigned i = 0; i < count && !g->failed; i++) {
        unsigned r = pick(g, 100);
        if (r < 40) {
            oct_node *p = append(g, parent, OCT_NODE_PARAGRAPH);
            if (p)
                gen_inlines(g, p, 0, 0, 1);
        } else if (r < 50) {
            oct_node *h = append(g, parent, OCT_NODE_HEADING);
            if (h) {
                oct_node_set_heading_level(h, 1 + (int)pick(g, 6));
                if (pick(g, 8))
                    gen_inlines(g, h, 0, 0, 0);
            }
        } else if (r < 60) {
            gen_code(g, parent);
        } else if (r < 65) {
            /* libcmark 0.30 does not count a blank line after a rule in a
             * list item towards looseness (other parsers do): keep rules
             * out of items, where the two readings differ */
            oct_node_type pt = oct_node_get_type(parent);
            if (pt != OCT_NODE_LIST_ITEM && pt != OCT_NODE_FOOTNOTE_DEF)
                append(g, parent, OCT_NODE_THEMATIC_BREAK);
        } else if (r < 75 && depth < 3) {
            oct_node *q = append(g, parent, OCT_NODE_BLOCK_QUOTE);
            if (q)
                gen_blocks(g, q, depth + 1, 0);
        } else if (r < 90 && depth < 3) {
            gen_list(g, parent, depth, 0);
        } else if (r < 95 && g->allow_tables) {
            gen_table(g, parent);
        } else {
            oct_node *p = append(g, parent, OCT_NODE_PARAGRAPH);
            if (p)
                gen_inlines(g, p, 0, 0, 1);
        }
    }
}

oct_doc *gen_document(uint64_t seed, int allow_tables, int allow_notes)
{
    gen_state g;
    memset(&g, 0, sizeof g);
    g.s = seed * 0x9e3779b97f4a7c15ull + 1;
    g.doc = oct_doc_new();
    g.allow_tables = allow_tables;
    g.allow_notes = allow_notes;
    if (!g.doc)
        return NULL;
    oct_node *root = oct_doc_root(g.doc);
    gen_blocks(&g, root, 0, 0);
    for (unsigned k = 0; k < 3 && !g.failed; k++) {
        if (!(g.notes_used & (1u << k)))
            continue;
        oct_node *def = append(&g, root, OCT_NODE_FOOTNOTE_DEF);
        char label[8];
        snprintf(label, sizeof label, "n%u", k);
        if (def) {
            oct_node_set_footnote_label(def, label);
            gen_blocks(&g, def, 2, 0);
        }
    }
    if (g.failed) {
        oct_doc_free(g.doc);
        return NULL;
    }
    return g.doc;
}
