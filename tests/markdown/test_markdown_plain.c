/*
 * test_markdown_plain.c — the Markdown writer's two inline paths agree.
 *
 * A paragraph of plain text is written straight from its text node
 * (write_plain_run() in plugins/markdown/inline.c); everything else,
 * and that too when the writer's cells_only is set, goes through the cells.
 * The plain path must give the very bytes the cells give, and leave the
 * renderer as they leave it. So each run here is written both ways, into
 * renderers set up alike (prefix, width, what came before on the line), more
 * words are written after it, and the outputs must be equal. The runs are
 * generated to sit on every rule the plain path decides by itself (line
 * starts, break spaces before what could begin a block, '_' and '~' inside
 * words, '<' '&', characters outside ASCII, long words), and come from the
 * sample documents too.
 *
 * The writer's sources are compiled in (the plugin exports only its entry).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"
#include "octest.h"

/* ------------------------------------------------------------ generator */

static uint64_t rng_next(uint64_t *s)
{
    /* splitmix64: a seed gives the same runs on every machine */
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static size_t pick(uint64_t *s, size_t n) { return (size_t)(rng_next(s) % n); }

/* Pieces text is made of: mostly words, then whatever sits on a rule. */
static const char *const words[] = {
    "the", "package", "Debian", "is", "a", "of", "configuration", "I", "x", "files", "system",
    "apt-get", "e.g.,", "(see", "below)", "\"quoted\"", "it's", "50%", "$HOME", "/etc/fstab",
    "a/b", "{x}", "^x", "@user", "@", "?", "end.", "one,", "two;", "ok:"};
/* Pieces that sit on a rule, in groups that act together. */
static const char *const block_starts[] = {
    /* may begin a block, after a space or at a line start */
    "#", "##", "#######", "#x", ">", ">x", "-", "--", "-x", "+", "+x", "=", "==", "=x", "|", "|x",
    ":", "::", ":x", "-=+", "-:", "-|", "1.", "1)", "12.", "1234567890.", "123456789)", "1.5",
    "2024", "3)x", "0.", "-é", "=Ĭ", "-ĭ", ":ĭ", "::é", NULL};
static const char *const near_escapes[] = {
    /* escaped next to some characters only */
    "<", "<a", "</p>", "<!--", "<?", "<1", "< b", "&", "&amp;", "&#1;", "&x", "& ", "&;",
    "www.example", "www.", "Www.x", "x.www.y", "http://x", "https://", "ftp:/", "a:/b",
    "mailto:x", "!", "!x", "(", "()", ")", "[x]", "[^1]", "\\", "\\x", "a\\", "`code`", NULL};
static const char *const runs[] = {
    "snake_case", "a_b_c", "_x", "x_", "__x", "a__b", "1_2", "é_x", "_", "~", "~/.bashrc", "a~b",
    "~~", "a~~b", "x~", "~x", "*", "a*b", "*x", "x*", NULL};
static const char *const others[] = {
    /* outside ASCII (a tree holds only valid UTF-8): accents, wide,
     * zero-width, a no-break space, U+FFFD; controls, other spaces */
    "café", "naïve", "中文", "日本語テキスト", "e\xcc\x81", "\xc2\xa0", "x\xc2\xa0y", "\xe2\x80\x94",
    "\xf0\x9f\x98\x80", "\xef\xbf\xbd", "\xe2\x80\x83", "\t", "a\tb", "\r", "\x01", "\x7f",
    "\n", "a\nb", NULL};
static const char *const *const groups[] = {block_starts, near_escapes, runs, others};

static const char *pick_from(uint64_t *s, const char *const *group)
{
    size_t n = 0;
    while (group[n])
        n++;
    return group[pick(s, n)];
}

static void put(char *buf, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (*len + n < cap) {
        memcpy(buf + *len, s, n);
        *len += n;
    }
    buf[*len] = '\0';
}

/* A paragraph's text: words and tricky pieces, single spaces between them
 * mostly; sometimes a leading, trailing or doubled space, a long word. */
static size_t gen_text(uint64_t *s, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    /* a line of one tricky piece now and then (what ends a line counts) */
    const size_t n = pick(s, 10) == 0 ? 1 : 1 + pick(s, 30);
    const unsigned mix = (unsigned)pick(s, 4); /* 0: plain prose, no tricky pieces */
    /* a few tricky pieces a paragraph, mostly of one group, so that those
     * that act together ("_a" ... "b_") meet often */
    const char *some[4];
    const char *const *group = groups[pick(s, sizeof groups / sizeof *groups)];
    for (size_t k = 0; k < 4; k++)
        some[k] = pick_from(s, k < 3 ? group : groups[pick(s, sizeof groups / sizeof *groups)]);
    if (pick(s, 12) == 0)
        put(buf, cap, &len, " ");
    for (size_t k = 0; k < n; k++) {
        if (k > 0)
            put(buf, cap, &len, pick(s, 40) == 0 ? "  " : " ");
        const size_t roll = pick(s, 100);
        if ((mix > 0 && roll < 8 * mix) || n == 1) {
            put(buf, cap, &len, some[pick(s, 4)]);
        } else if (roll == 99) {
            /* past the width of any line, and past the writer's 1 KiB
             * gathering buffer now and then */
            const size_t long_len = pick(s, 2) ? 60 : 1100;
            for (size_t i = 0; i < long_len && len + 1 < cap; i++)
                buf[len++] = (char)('a' + i % 26);
            buf[len] = '\0';
        } else {
            put(buf, cap, &len, words[pick(s, sizeof words / sizeof *words)]);
        }
    }
    if (pick(s, 12) == 0)
        put(buf, cap, &len, " ");
    return len;
}

/* ------------------------------------------------------------- writing */

/* Where on the page a run starts: the renderer's state before it. */
typedef struct setup {
    size_t width;       /* 0: no wrapping */
    const char *prefix; /* a quote or list indentation */
    int before;         /* 0: fresh; 1: a blank line asked for; 2: text on the line; 3: a lead */
    md_flavour flavour;
    md_wrap wrap;
    md_inline_place place;
} setup;

/* Writes the inline run of block as the writer would in set, by the cells
 * only or not, then more words after it (so that the renderer's state after
 * the run counts too). Returns the output, malloc'd. */
static char *write_run(const oct_node *block, const setup *set, int cells_only,
                       size_t *plain_runs)
{
    md_writer w;
    memset(&w, 0, sizeof w);
    w.opt.flavour = set->flavour;
    w.opt.wrap = set->wrap;
    w.opt.columns = set->width;
    w.cells_only = cells_only;
    md_render *r = &w.r;
    md_render_init(r, NULL, set->wrap == MD_WRAP_AUTO ? set->width : 0, 0);
    md_render_push_prefix(r, set->prefix);
    md_render_text(r, "Start.", 6);
    switch (set->before) {
    case 1:
        md_render_blank_line(r);
        break;
    case 2:
        md_render_break_space(r);
        md_render_text(r, "Some words", 10);
        md_render_break_space(r);
        break;
    case 3:
        md_render_blank_line(r);
        md_render_lead(r, "- ");
        break;
    default:
        md_render_cr(r);
        break;
    }
    assert_int_equal(md_write_inlines(&w, r, block, set->place), OCT_OK);
    static const char *const after[] = {"and", "then", "some", "more", "words", "to", "wrap"};
    for (size_t k = 0; k < sizeof after / sizeof *after; k++)
        md_render_text_break_space(r, after[k], strlen(after[k]), strlen(after[k]));
    md_render_text(r, "end.", 4);
    assert_int_equal(md_render_finish(r), OCT_OK);
    char *out = strndup(r->out.data ? r->out.data : "", r->out.len);
    assert_non_null(out);
    *plain_runs += w.plain_runs;
    md_render_free(r);
    md_inline_free(&w);
    oct_buf_free(&w.tmp);
    return out;
}

typedef struct tally {
    size_t runs;  /* compared */
    size_t plain; /* of them, written by the plain path */
} tally;

/* Both ways: the outputs must be the same bytes. */
static void compare_paths(const oct_node *block, const setup *set, const char *what, tally *t)
{
    size_t plain = 0, none = 0;
    char *cells = write_run(block, set, 1, &none);
    char *direct = write_run(block, set, 0, &plain);
    assert_int_equal(none, 0);
    if (strcmp(cells, direct) != 0)
        print_error("inline paths differ for [%s] (width %zu, prefix \"%s\", before %d, "
                    "flavour %d, wrap %d, place %d)\n--- cells:\n%s\n--- plain:\n%s\n---\n",
                    what, set->width, set->prefix, set->before, (int)set->flavour,
                    (int)set->wrap, (int)set->place, cells, direct);
    assert_string_equal(cells, direct);
    t->runs++;
    t->plain += plain;
    free(cells);
    free(direct);
}

static setup random_setup(uint64_t *s)
{
    static const size_t widths[] = {80, 80, 72, 40, 20, 10, 5, 1, 0};
    static const char *const prefixes[] = {"", "", "> ", "   ", "> > "};
    setup set;
    set.width = widths[pick(s, sizeof widths / sizeof *widths)];
    set.prefix = prefixes[pick(s, sizeof prefixes / sizeof *prefixes)];
    set.before = (int)pick(s, 4);
    set.flavour = pick(s, 3) == 0 ? MD_GFM : MD_COMMONMARK;
    set.wrap = pick(s, 8) == 0 ? (md_wrap)(1 + pick(s, 2)) : MD_WRAP_AUTO;
    const size_t place = pick(s, 10);
    set.place = place == 0 ? MD_PLACE_HEADING : place == 1 ? MD_PLACE_TERM : MD_PLACE_PARAGRAPH;
    return set;
}

/* ---------------------------------------------------------------- tests */

static void append_node(oct_node *parent, oct_node_type type, const char *text, size_t len)
{
    oct_node *n = oct_node_new(oct_node_doc(parent), type);
    assert_non_null(n);
    assert_int_equal(oct_node_append_child(parent, n), OCT_OK);
    if (text)
        assert_int_equal(oct_node_set_literal(n, text, len), OCT_OK);
}

/* A paragraph of generated lines: one mostly; else lines between hard
 * breaks, and now and then what the plain path leaves to the cells (a soft
 * break, two texts side by side, breaks doubled or at an edge). what: the
 * text, lines between '|'. */
static oct_node *gen_paragraph(uint64_t *s, oct_doc *doc, char *what, size_t cap)
{
    static char text[8192];
    oct_node *para = oct_node_new(doc, OCT_NODE_PARAGRAPH);
    assert_int_equal(oct_node_append_child(oct_doc_root(doc), para), OCT_OK);
    const size_t lines = pick(s, 4) == 0 ? 2 + pick(s, 4) : 1;
    size_t what_len = 0;
    what[0] = '\0';
    if (pick(s, 40) == 0)
        append_node(para, OCT_NODE_LINE_BREAK, NULL, 0);
    for (size_t k = 0; k < lines; k++) {
        if (k > 0) {
            const size_t roll = pick(s, 20);
            if (roll == 0) {
                append_node(para, OCT_NODE_SOFT_BREAK, NULL, 0);
            } else if (roll == 1) {
                append_node(para, OCT_NODE_LINE_BREAK, NULL, 0);
                append_node(para, OCT_NODE_LINE_BREAK, NULL, 0);
            } else if (roll != 2) { /* 2: none */
                append_node(para, OCT_NODE_LINE_BREAK, NULL, 0);
            }
            put(what, cap, &what_len, "|");
        }
        const size_t len = gen_text(s, text, sizeof text);
        append_node(para, OCT_NODE_TEXT, text, len);
        put(what, cap, &what_len, text);
    }
    if (pick(s, 40) == 0)
        append_node(para, OCT_NODE_LINE_BREAK, NULL, 0);
    return para;
}

static void test_generated_runs(void **state)
{
    (void)state;
    uint64_t seed = 20261129;
    tally t = {0, 0};
    static char what[16384];
    for (int k = 0; k < 6000; k++) {
        oct_doc *doc = oct_doc_new();
        const oct_node *para = gen_paragraph(&seed, doc, what, sizeof what);
        for (int v = 0; v < 3; v++) {
            const setup set = random_setup(&seed);
            compare_paths(para, &set, what, &t);
        }
        oct_doc_free(doc);
    }
    /* The comparison means something only if the plain path ran, over
     * much of the rules: most prose, and a good share of the rest. */
    print_message("%zu runs compared, %zu written by the plain path\n", t.runs, t.plain);
    assert_true(t.plain * 5 > t.runs);
    assert_true(t.plain * 5 < t.runs * 4);
}

/* The plain path takes prose, and the line-start escapes, itself; what it
 * cannot tell from the bytes it leaves to the cells. */
static void test_plain_path_takes_prose(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int plain;
    } cases[] = {
        {"Plain prose, as most paragraphs are: words (and some punctuation).", 1},
        {"# not a heading", 1},
        {"1. not a list item", 1},
        {"> not a quote", 1},
        {"a file_name and ~/.profile in 2 places - fine", 1},
        {"caf\xc3\xa9 and \xe4\xb8\xad\xe6\x96\x87", 1},
        {"an *emphasis* run", 0},
        {"a [bracket]", 0},
        {"a `tick`", 0},
        {"two  spaces", 0},
        {" leading space", 0},
        {"a\ttab", 0},
        {"<b>tag</b>", 0},
        {"&amp; entity", 0},
    };
    const setup set = {80, "", 0, MD_COMMONMARK, MD_WRAP_AUTO, MD_PLACE_PARAGRAPH};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        oct_doc *doc = oct_doc_new();
        oct_node *para = oct_node_new(doc, OCT_NODE_PARAGRAPH);
        oct_node *node = oct_node_new(doc, OCT_NODE_TEXT);
        assert_int_equal(oct_node_append_child(oct_doc_root(doc), para), OCT_OK);
        assert_int_equal(oct_node_append_child(para, node), OCT_OK);
        assert_int_equal(oct_node_set_literal(node, cases[k].text, strlen(cases[k].text)), OCT_OK);
        tally t = {0, 0};
        compare_paths(para, &set, cases[k].text, &t);
        if ((t.plain != 0) != cases[k].plain)
            print_error("[%s]: plain path %s\n", cases[k].text, t.plain ? "taken" : "not taken");
        assert_int_equal(t.plain != 0, cases[k].plain);
        oct_doc_free(doc);
    }
    /* a heading; lines between hard breaks, the second at a line start */
    oct_doc *doc = oct_doc_new();
    oct_node *heading = oct_node_new(doc, OCT_NODE_HEADING);
    assert_int_equal(oct_node_append_child(oct_doc_root(doc), heading), OCT_OK);
    append_node(heading, OCT_NODE_TEXT, "A heading, not closed #1", 24);
    oct_node *para = oct_node_new(doc, OCT_NODE_PARAGRAPH);
    assert_int_equal(oct_node_append_child(oct_doc_root(doc), para), OCT_OK);
    append_node(para, OCT_NODE_TEXT, "2.2.1. Contents", 15);
    append_node(para, OCT_NODE_LINE_BREAK, NULL, 0);
    append_node(para, OCT_NODE_TEXT, "2. Introduction", 15);
    tally t = {0, 0};
    setup at_heading = set;
    at_heading.place = MD_PLACE_HEADING;
    compare_paths(heading, &at_heading, "a heading", &t);
    compare_paths(para, &set, "two lines", &t);
    assert_int_equal(t.plain, 2);
    oct_doc_free(doc);
}

/* Every line start the block rules look at, alone on a line or before a
 * hard break, in every setup of a small grid: the cases where what the
 * line starts with, and the line start escape, meet the wrapping. */
static void test_line_starts(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "#", "# a", "## two words", "####### seven", "#x y", ">", "> quote", "-", "- item",
        "--", "-- x", "-x", "+ x", "+", "=", "== x", "=x", "1.", "1. one", "12) two", "1.5 x",
        "1234567890. x", "123456789) x", "|", "| x", ":", ": x", "<", "< x", "&", "& x", "www.x y",
        "Plain start, then - a dash and 1. a number", "x #", "x ##", "x # y"};
    static const size_t widths[] = {0, 1, 3, 6, 12, 80};
    static const char *const prefixes[] = {"", "> "};
    tally t = {0, 0};
    for (size_t a = 0; a < sizeof lines / sizeof *lines; a++) {
        for (size_t b = 0; b <= sizeof lines / sizeof *lines; b++) {
            /* a then b after a hard break; a alone when b is past the end */
            oct_doc *doc = oct_doc_new();
            oct_node *para = oct_node_new(doc, OCT_NODE_PARAGRAPH);
            assert_int_equal(oct_node_append_child(oct_doc_root(doc), para), OCT_OK);
            append_node(para, OCT_NODE_TEXT, lines[a], strlen(lines[a]));
            if (b < sizeof lines / sizeof *lines) {
                append_node(para, OCT_NODE_LINE_BREAK, NULL, 0);
                append_node(para, OCT_NODE_TEXT, lines[b], strlen(lines[b]));
            }
            for (size_t k = 0; k < sizeof widths / sizeof *widths * 2 * 4 * 2; k++) {
                setup set;
                set.width = widths[k % (sizeof widths / sizeof *widths)];
                set.prefix = prefixes[k / (sizeof widths / sizeof *widths) % 2];
                set.before = (int)(k / (sizeof widths / sizeof *widths) / 2 % 4);
                set.flavour = k / (sizeof widths / sizeof *widths) / 8 % 2 ? MD_GFM : MD_COMMONMARK;
                set.wrap = MD_WRAP_AUTO;
                set.place = MD_PLACE_PARAGRAPH;
                char what[256];
                snprintf(what, sizeof what, "%s|%s", lines[a],
                         b < sizeof lines / sizeof *lines ? lines[b] : "");
                compare_paths(para, &set, what, &t);
            }
            oct_doc_free(doc);
        }
    }
    print_message("%zu runs compared, %zu written by the plain path\n", t.runs, t.plain);
    assert_true(t.plain * 2 > t.runs);
}

/* Every block with inline content of the sample documents, read by the
 * text and the HTML readers, in many setups. */
static void test_sample_documents(void **state)
{
    (void)state;
    oct_registry *reg = oct_registry_new();
    octest_load_plugins(reg);
    static const struct {
        const char *file, *reader;
    } samples[] = {{"samples/article.txt", "text"}, {"samples/article.html", "html"}};
    uint64_t seed = 7;
    tally t = {0, 0};
    for (size_t k = 0; k < sizeof samples / sizeof *samples; k++) {
        char path[4096];
        octest_path(path, sizeof path, octest_env("OCTAVO_SOURCE_DIR"), samples[k].file);
        const oct_format *reader = oct_registry_find(reg, samples[k].reader);
        assert_non_null(reader);
        oct_context *ctx = oct_context_new(reg);
        oct_context_set_option(ctx, "offline", "on");
        oct_doc *doc = NULL;
        assert_int_equal(oct_read_input(ctx, path, reader, &doc, NULL), OCT_OK);
        oct_iter it;
        oct_iter_init(&it, oct_doc_root(doc));
        for (oct_event ev; (ev = oct_iter_next(&it)) != OCT_EVENT_DONE;) {
            const oct_node *n = oct_iter_node(&it);
            const oct_node_type type = oct_node_get_type(n);
            if (ev != OCT_EVENT_ENTER ||
                (type != OCT_NODE_PARAGRAPH && type != OCT_NODE_HEADING))
                continue;
            for (int v = 0; v < 8; v++) {
                setup set = random_setup(&seed);
                if (type == OCT_NODE_HEADING)
                    set.place = MD_PLACE_HEADING;
                compare_paths(n, &set, samples[k].file, &t);
            }
        }
        oct_doc_free(doc);
        oct_context_free(ctx);
    }
    print_message("%zu runs of the samples compared, %zu written by the plain path\n", t.runs,
                  t.plain);
    assert_true(t.plain > 0);
    oct_registry_free(reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generated_runs),
        cmocka_unit_test(test_plain_path_takes_prose),
        cmocka_unit_test(test_line_starts),
        cmocka_unit_test(test_sample_documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
