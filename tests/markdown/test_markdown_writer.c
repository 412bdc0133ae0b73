/*
 * test_markdown_writer.c — what the Markdown writer must write, pinned:
 * no escape a person would not write, the escapes that are needed, layout
 * (wrapping, lists, quotes, fences), the GFM and strict CommonMark forms of
 * tables, notes, strikethrough and tasks, front matter, options, and that
 * pathological trees stay linear.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <time.h>

#include "octavo/octavo.h"
#include "octest.h"

static oct_registry *reg;

static int setup(void **state)
{
    (void)state;
    reg = oct_registry_new();
    octest_load_plugins(reg);
    assert_non_null(oct_registry_find(reg, "markdown"));
    assert_non_null(oct_registry_find(reg, "commonmark"));
    assert_non_null(oct_registry_find(reg, "gfm"));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    oct_registry_free(reg);
    return 0;
}

/* ------------------------------------------------------------ helpers */

/* Writes doc in format with "key=value" options (NULL-terminated). */
static char *write_md(const oct_doc *doc, const char *format, ...)
{
    oct_context *ctx = oct_context_new(reg);
    oct_context_set_option(ctx, "front-matter", "off");
    va_list ap;
    va_start(ap, format);
    for (const char *kv; (kv = va_arg(ap, const char *)) != NULL;) {
        char key[64];
        const char *eq = strchr(kv, '=');
        assert_non_null(eq);
        snprintf(key, sizeof key, "%.*s", (int)(eq - kv), kv);
        oct_context_set_option(ctx, key, eq + 1);
    }
    va_end(ap);
    oct_sink *sink = oct_sink_new_memory(0);
    oct_error err;
    oct_error_clear(&err);
    assert_int_equal(oct_write(ctx, doc, oct_registry_find(reg, format), sink, &err), OCT_OK);
    size_t n;
    const unsigned char *data = oct_sink_memory_data(sink, &n);
    char *out = strndup((const char *)data, n);
    oct_sink_close(sink);
    oct_context_free(ctx);
    return out;
}

static void expect_md(const oct_doc *doc, const char *format, const char *want, ...)
{
    /* options after want, NULL-terminated; at most four */
    va_list ap;
    const char *o[4] = {NULL, NULL, NULL, NULL};
    va_start(ap, want);
    for (int i = 0; i < 4; i++) {
        o[i] = va_arg(ap, const char *);
        if (!o[i])
            break;
    }
    va_end(ap);
    char *got = write_md(doc, format, o[0], o[1], o[2], o[3], (const char *)NULL);
    int same = strcmp(got, want) == 0;
    if (!same)
        print_error("%s output differs\n--- want:\n%s--- got:\n%s---\n", format, want, got);
    free(got);
    assert_true(same);
}

static oct_node *add(oct_node *parent, oct_node_type t)
{
    oct_node *n = oct_node_new(oct_node_doc(parent), t);
    assert_non_null(n);
    assert_int_equal(oct_node_append_child(parent, n), OCT_OK);
    return n;
}

static oct_node *add_text(oct_node *parent, const char *s)
{
    oct_node *t = add(parent, OCT_NODE_TEXT);
    assert_int_equal(oct_node_set_literal(t, s, strlen(s)), OCT_OK);
    return t;
}

static oct_node *add_para(oct_node *parent, const char *s)
{
    oct_node *p = add(parent, OCT_NODE_PARAGRAPH);
    if (s)
        add_text(p, s);
    return p;
}

/* A document of one paragraph holding s. */
static oct_doc *doc_of_text(const char *s)
{
    oct_doc *doc = oct_doc_new();
    add_para(oct_doc_root(doc), s);
    return doc;
}

static void expect_text(const char *text, const char *want)
{
    oct_doc *doc = doc_of_text(text);
    char *got = write_md(doc, "markdown", (const char *)NULL);
    size_t wl = strlen(want);
    int same = strncmp(got, want, wl) == 0 && strcmp(got + wl, "\n") == 0;
    if (!same)
        print_error("text [%s]: want [%s], got [%s]\n", text, want, got);
    free(got);
    oct_doc_free(doc);
    assert_true(same);
}

/* ---------------------------------------------------------- readability */

static void test_no_needless_escapes(void **state)
{
    (void)state;
    static const char *const plain[] = {
        "a * b and 2 * 3 = 6",
        "snake_case_name, a*b and a_b_ c",
        "In 2024. we moved; 3.14 is pi; 1) mid-sentence",
        "C# and F# are languages; issue #12",
        "x - y + z = w",
        "50% & more & less; AT&T",
        "a < b > c and 1 <= 2",
        "(parens) [brackets] {braces} and a lone ]",
        "It's \"quoted\" and ends with !",
        "path C:\\Users and a\\b",
        "tilde ~ and ~~two~~ in CommonMark",
        "an_email_address@example.com",
        "hyphen-ated and em\xe2\x80\x94" "dash",
        "a pipe | in text",
        "price: $5 = 5$",
    };
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        expect_text(plain[i], plain[i]);
}

static void test_needed_escapes(void **state)
{
    (void)state;
    expect_text("*not emphasis*", "\\*not emphasis\\*");
    expect_text("_not emphasis_", "\\_not emphasis\\_");
    expect_text("# not a heading", "\\# not a heading");
    expect_text("#hashtag at start", "#hashtag at start");
    expect_text("1. not a list", "1\\. not a list");
    expect_text("2024) not a list", "2024\\) not a list");
    expect_text("- not an item", "\\- not an item");
    expect_text("+ not an item", "\\+ not an item");
    expect_text("> not a quote", "\\> not a quote");
    expect_text("---", "\\---");
    expect_text("===", "\\===");
    expect_text("<div> is not HTML", "\\<div> is not HTML");
    expect_text("&amp; is not an entity", "\\&amp; is not an entity");
    expect_text("[x](y) is no link", "[x\\](y) is no link");
    expect_text("[x]: y is no definition", "\\[x]: y is no definition");
    expect_text("a *b* c", "a \\*b\\* c");
    expect_text("a_b_ c", "a_b_ c");
    expect_text("![x](y) is no image", "\\![x\\](y) is no image");
    expect_text("`code` is not code", "\\`code\\` is not code");
    expect_text("a backslash\\*", "a backslash\\\\*");
    expect_text("__init__ is bold", "\\_\\_init\\_\\_ is bold");
    expect_text("```", "\\`\\`\\`");
    expect_text("~~~ no fence", "\\~\\~\\~ no fence");
    expect_text("a*b, 2*3", "a\\*b, 2\\*3");
    expect_text("    four spaces", "&#32;   four spaces");
    expect_text("trailing spaces  ", "trailing spaces &#32;");
    expect_text("a**b**c", "a\\*\\*b\\*\\*c");
}

/* ------------------------------------------------------------- inlines */

static void test_inline_markup(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    oct_node *p = add_para(oct_doc_root(doc), "Some ");
    add_text(add(p, OCT_NODE_EMPH), "emphasis");
    add_text(p, ", ");
    oct_node *strong = add(p, OCT_NODE_STRONG);
    add_text(add(strong, OCT_NODE_EMPH), "both");
    add_text(p, ", ");
    oct_node *code = add(p, OCT_NODE_CODE);
    oct_node_set_literal(code, "a `` b", 6);
    add_text(p, ", ");
    oct_node *link = add(p, OCT_NODE_LINK);
    oct_node_set_url(link, "http://example.com/a b(c");
    oct_node_set_title(link, "say \"hi\"");
    add_text(link, "link");
    add_text(p, ", ");
    oct_node *auto_link = add(p, OCT_NODE_LINK);
    oct_node_set_url(auto_link, "https://example.org/");
    add_text(auto_link, "https://example.org/");
    add_text(p, ", ");
    oct_node *img = add(p, OCT_NODE_IMAGE);
    oct_node_set_url(img, "pic.png");
    oct_node_set_image_alt(img, "a [pic]");
    add_text(p, " and intra");
    add_text(add(p, OCT_NODE_EMPH), "word");
    add_text(p, "s.");
    expect_md(doc, "markdown",
              "Some *emphasis*, **_both_**, ```a `` b```, [link](<http://example.com/a b(c> "
              "\"say &quot;hi&quot;\"), <https://example.org/>, ![a [pic]](pic.png) and "
              "intra*word*s.\n",
              "wrap=none", (const char *)NULL);
    oct_doc_free(doc);
}

/* cmark decodes entities in a destination before it removes backslash
 * escapes: a backslash before punctuation is written escaped (an entity
 * would escape the punctuation away), elsewhere as an entity. */
static void test_backslashes_in_destinations(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    oct_node *p = oct_node_new(doc, OCT_NODE_PARAGRAPH);
    assert_int_equal(oct_node_append_child(oct_doc_root(doc), p), OCT_OK);
    oct_node *link = add(p, OCT_NODE_LINK);
    oct_node_set_url(link, "/bar\\/)x\\b");
    oct_node_set_title(link, "a\\\"b");
    add_text(link, "x");
    expect_md(doc, "markdown", "[x](</bar\\\\/)x&#92;b> \"a\\\\&quot;b\")\n",
              (const char *)NULL);
    oct_doc_free(doc);
}

static void test_hard_breaks_and_soft_breaks(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    oct_node *p = add_para(oct_doc_root(doc), "one");
    add(p, OCT_NODE_LINE_BREAK);
    add_text(p, "two");
    add(p, OCT_NODE_SOFT_BREAK);
    add_text(p, "three");
    expect_md(doc, "markdown", "one\\\ntwo three\n", (const char *)NULL);
    expect_md(doc, "markdown", "one\\\ntwo\nthree\n", "wrap=preserve", (const char *)NULL);
    expect_md(doc, "markdown", "one\\\ntwo three\n", "wrap=none", (const char *)NULL);
    oct_doc_free(doc);
}

/* -------------------------------------------------------------- layout */

static void test_wrapping(void **state)
{
    (void)state;
    oct_doc *doc = doc_of_text("aaa bbb ccc ddd eee fff 1. ggg # hhh - iii > jjj");
    oct_node *p = oct_node_first_child(oct_doc_root(doc));
    add_text(p, " ");
    oct_node *code = add(p, OCT_NODE_CODE);
    oct_node_set_literal(code, "x y z", 5);
    add_text(p, " end");
    /* no line may start with "1." "#" "-" or ">", no code span is broken */
    expect_md(doc, "markdown",
              "aaa bbb ccc\nddd eee\nfff 1. ggg #\nhhh - iii >\njjj `x y z`\nend\n",
              "columns=12", (const char *)NULL);
    oct_doc_free(doc);
    /* a break right before "1." would start a list: none is taken there */
    doc = doc_of_text("aaaaaaaaa 1. b");
    char *md = write_md(doc, "markdown", "columns=10", (const char *)NULL);
    assert_string_equal(md, "aaaaaaaaa 1.\nb\n");
    free(md);
    oct_doc_free(doc);
    /* East Asian wide characters count two columns */
    doc = doc_of_text("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97 \xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97 "
                      "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97");
    md = write_md(doc, "markdown", "columns=14", (const char *)NULL);
    assert_string_equal(md, "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97 \xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\n"
                            "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\n");
    free(md);
    oct_doc_free(doc);
}

/* The spaces between two plain characters of one text are never looked at
 * one by one (they break lines where they fall); all other spaces are, and
 * so are the spaces of markup, which never break. */
static void test_spaces_between_words(void **state)
{
    (void)state;
    /* words outside ASCII around spaces between words, and a code span
     * whose spaces sit among them in the output */
    oct_doc *doc = doc_of_text("h\xc3\xa9llo w\xc3\xb6rld ab ");
    oct_node *p = oct_node_first_child(oct_doc_root(doc));
    oct_node *code = add(p, OCT_NODE_CODE);
    oct_node_set_literal(code, "x y z", 5);
    add_text(p, "cd ef  gh \xc3\xa9 ij");
    expect_md(doc, "markdown",
              "h\xc3\xa9llo\nw\xc3\xb6rld\nab\n`x y z`cd\nef  gh\n\xc3\xa9 ij\n", "columns=6",
              (const char *)NULL);
    expect_md(doc, "markdown",
              "h\xc3\xa9llo w\xc3\xb6rld ab `x y z`cd ef  gh \xc3\xa9 ij\n", "wrap=none",
              (const char *)NULL);
    oct_doc_free(doc);

    /* text that may not break: a code span in link text written as tags */
    doc = oct_doc_new();
    oct_node *link = add(add_para(oct_doc_root(doc), "a b "), OCT_NODE_LINK);
    oct_node_set_url(link, "u");
    code = add(link, OCT_NODE_CODE);
    oct_node_set_literal(code, "c ]: d e f", 10);
    expect_md(doc, "markdown", "a b\n[<code>c \\]: d e f</code>](u)\n", "columns=4",
              (const char *)NULL);
    oct_doc_free(doc);

    /* an escape at a line start, right before a space between words; and a
     * heading, which never wraps */
    doc = doc_of_text("1) bb cc dd");
    add_text(add(oct_doc_root(doc), OCT_NODE_HEADING), "ee ff gg hh");
    expect_md(doc, "markdown", "1\\) bb\ncc dd\n\n# ee ff gg hh\n", "columns=6",
              (const char *)NULL);
    oct_doc_free(doc);
}

static void test_lists_and_quotes(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    oct_node *root = oct_doc_root(doc);
    oct_node *list = add(root, OCT_NODE_LIST);
    oct_node_set_list_style(list, OCT_LIST_DECIMAL);
    oct_node_set_list_start(list, 9);
    oct_node_set_list_tight(list, 1);
    add_para(add(list, OCT_NODE_LIST_ITEM), "nine");
    oct_node *ten = add(list, OCT_NODE_LIST_ITEM);
    add_para(ten, "ten with a longer line that wraps");
    oct_node *sub = add(ten, OCT_NODE_LIST);
    add_para(add(sub, OCT_NODE_LIST_ITEM), "sub");
    /* a second bullet list right after: another marker keeps it apart */
    oct_node *b1 = add(root, OCT_NODE_LIST);
    add_para(add(b1, OCT_NODE_LIST_ITEM), "b1");
    oct_node *b2 = add(root, OCT_NODE_LIST);
    add_para(add(b2, OCT_NODE_LIST_ITEM), "b2");
    oct_node *loose = add(root, OCT_NODE_LIST);
    oct_node_set_list_tight(loose, 0);
    oct_node *li = add(loose, OCT_NODE_LIST_ITEM);
    add_para(li, "p1");
    add_para(li, "p2");
    oct_node *q = add(root, OCT_NODE_BLOCK_QUOTE);
    add_para(q, "quoted");
    oct_node *cb = add(q, OCT_NODE_CODE_BLOCK);
    oct_node_set_literal(cb, "```\ncode\n", 9);
    oct_node_set_code_language(cb, "c");
    expect_md(doc, "markdown",
              "9. nine\n"
              "10. ten with a longer\n"
              "    line that wraps\n"
              "    * sub\n"
              "\n"
              "- b1\n"
              "\n"
              "+ b2\n"
              "\n"
              "- p1\n"
              "\n"
              "  p2\n"
              "\n"
              "> quoted\n"
              ">\n"
              "> ````c\n"
              "> ```\n"
              "> code\n"
              "> ````\n",
              "columns=24", (const char *)NULL);
    oct_doc_free(doc);
}

/* ------------------------------------------------------------- flavours */

static oct_doc *doc_with_table(int header)
{
    oct_doc *doc = oct_doc_new();
    oct_node *t = add(oct_doc_root(doc), OCT_NODE_TABLE);
    static const char *const cells[2][2] = {{"Name", "Value|x"}, {"a", "12"}};
    for (int r = 0; r < 2; r++) {
        oct_node *row = add(t, OCT_NODE_TABLE_ROW);
        oct_node_set_row_section(row, r == 0 && header ? OCT_ROW_HEAD : OCT_ROW_BODY);
        for (int c = 0; c < 2; c++) {
            oct_node *cell = add(row, OCT_NODE_TABLE_CELL);
            oct_node_set_cell_header(cell, r == 0 && header);
            oct_node_set_cell_align(cell, c == 1 ? OCT_ALIGN_RIGHT : OCT_ALIGN_NONE);
            add_para(cell, cells[r][c]);
        }
    }
    return doc;
}

static void test_tables(void **state)
{
    (void)state;
    oct_doc *doc = doc_with_table(1);
    expect_md(doc, "gfm",
              "| Name | Value\\|x |\n"
              "|------|---------:|\n"
              "| a    |       12 |\n",
              (const char *)NULL);
    /* strict CommonMark: an HTML table whose cells stay Markdown */
    expect_md(doc, "markdown",
              "<table>\n<thead>\n<tr>\n<th>\n\nName\n\n</th>\n<th align=\"right\">\n\nValue|x\n\n"
              "</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>\n\na\n\n</td>\n<td align=\"right\">\n\n"
              "12\n\n</td>\n</tr>\n</tbody>\n</table>\n",
              (const char *)NULL);
    oct_doc_free(doc);
    /* no header row: a pipe table cannot say that */
    doc = doc_with_table(0);
    char *md = write_md(doc, "gfm", (const char *)NULL);
    assert_non_null(strstr(md, "<table>"));
    free(md);
    oct_doc_free(doc);
}

static void test_gfm_extensions_and_notes(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    oct_node *root = oct_doc_root(doc);
    oct_node *p = add_para(root, "Gone ");
    add_text(add(p, OCT_NODE_STRIKEOUT), "away");
    add_text(p, " with a note");
    oct_node *ref = add(p, OCT_NODE_FOOTNOTE_REF);
    oct_node_set_footnote_label(ref, "weird label");
    add_text(p, ".");
    oct_node *list = add(root, OCT_NODE_LIST);
    oct_node *done = add(list, OCT_NODE_LIST_ITEM);
    oct_node_set_item_task(done, OCT_TASK_CHECKED);
    add_para(done, "done");
    oct_node *todo = add(list, OCT_NODE_LIST_ITEM);
    oct_node_set_item_task(todo, OCT_TASK_UNCHECKED);
    add_para(todo, "todo");
    oct_node *def = add(root, OCT_NODE_FOOTNOTE_DEF);
    oct_node_set_footnote_label(def, "weird label");
    add_para(def, "The note.");
    add_para(def, "Second paragraph.");
    expect_md(doc, "gfm",
              "Gone ~~away~~ with a note[^1].\n"
              "\n"
              "- [x] done\n"
              "- [ ] todo\n"
              "\n"
              "[^1]: The note.\n"
              "\n"
              "    Second paragraph.\n",
              (const char *)NULL);
    oct_doc *urls = doc_of_text("see http://example.com, www.example.com and ~5 km");
    expect_md(urls, "gfm", "see http\\://example.com, www\\.example.com and ~5 km\n",
              (const char *)NULL);
    expect_md(urls, "markdown", "see http://example.com, www.example.com and ~5 km\n",
              (const char *)NULL);
    oct_doc_free(urls);
    expect_md(doc, "markdown",
              "Gone <del>away</del> with a note[1].\n"
              "\n"
              "- \xe2\x98\x92 done\n"
              "- \xe2\x98\x90 todo\n"
              "\n"
              "---\n"
              "\n"
              "1. The note.\n"
              "\n"
              "   Second paragraph.\n",
              (const char *)NULL);
    oct_doc_free(doc);
}

static void test_front_matter(void **state)
{
    (void)state;
    oct_doc *doc = doc_of_text("Body.");
    oct_meta_set(doc, "title", "Notes: a study");
    oct_meta_add(doc, "author", "Ann");
    oct_meta_add(doc, "author", "Bob \"B\"");
    oct_meta_set(doc, "date", "2024-05-01");
    oct_meta_set(doc, "lang", "en");
    oct_meta_set(doc, "source", "https://example.com/a");
    expect_md(doc, "markdown",
              "---\n"
              "title: \"Notes: a study\"\n"
              "author:\n"
              "- Ann\n"
              "- Bob \"B\"\n"
              "date: 2024-05-01\n"
              "lang: en\n"
              "source: https://example.com/a\n"
              "---\n"
              "\n"
              "Body.\n",
              "front-matter=on", (const char *)NULL);
    expect_md(doc, "markdown", "Body.\n", "front-matter=off", (const char *)NULL);
    oct_doc_free(doc);
}

static void test_raw_html_and_images(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    oct_node *root = oct_doc_root(doc);
    oct_node *raw = add(root, OCT_NODE_RAW_BLOCK);
    oct_node_set_raw_format(raw, "html");
    oct_node_set_literal(raw, "<div class=\"x\">raw</div>", 24);
    oct_node *p = add_para(root, NULL);
    oct_node *img = add(p, OCT_NODE_IMAGE);
    oct_node_set_url(img, "http://example.com/pic.png");
    oct_node_set_image_alt(img, "pic");
    static const unsigned char gif[] = "GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff" ""
                                       "!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00"
                                       "\x01\x00\x00\x02\x02" "D\x01\x00;";
    oct_resource *res =
        oct_doc_add_resource(doc, gif, sizeof gif - 1, "image/gif", "http://example.com/pic.png",
                             NULL);
    assert_non_null(res);
    oct_node_set_image_resource(img, res);
    expect_md(doc, "markdown", "![pic](http://example.com/pic.png)\n", (const char *)NULL);
    oct_resource_set_href(res, "media/img-1.gif");
    expect_md(doc, "markdown",
              "<div class=\"x\">raw</div>\n\n![pic](media/img-1.gif)\n", "raw-html=on",
              (const char *)NULL);
    oct_doc_free(doc);

    /* An element CommonMark has no block rule for: its first tag alone on
     * a line makes the HTML block (else a paragraph holding raw HTML). */
    doc = oct_doc_new();
    raw = add(oct_doc_root(doc), OCT_NODE_RAW_BLOCK);
    oct_node_set_raw_format(raw, "html");
    const char *note = "<x-note kind=\"a\">Hi</x-note>";
    oct_node_set_literal(raw, note, strlen(note));
    raw = add(oct_doc_root(doc), OCT_NODE_RAW_BLOCK);
    oct_node_set_raw_format(raw, "html");
    oct_node_set_literal(raw, "<x-alone>", 9);
    expect_md(doc, "markdown", "<x-note kind=\"a\">\nHi</x-note>\n\n<x-alone>\n", "raw-html=on",
              (const char *)NULL);
    oct_doc_free(doc);
}

static void test_definition_list_degrades(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    oct_node *dl = add(oct_doc_root(doc), OCT_NODE_DEFINITION_LIST);
    add_text(add(dl, OCT_NODE_DEFINITION_TERM), "Term");
    add_para(add(dl, OCT_NODE_DEFINITION_DESC), "Its meaning.");
    expect_md(doc, "markdown", "**Term**\n\nIts meaning.\n", (const char *)NULL);
    oct_doc_free(doc);
}

/* ----------------------------------------------- eight bytes at a time */

/* The writer looks at ASCII eight bytes at a time and copies what needs no
 * escape in runs: what does need one must come out the same at every
 * offset from those eight bytes, after characters outside ASCII too. */
static void test_every_offset(void **state)
{
    (void)state;
    static const char as[] = "aaaaaaaaaaaaaaaaaaaa";
    char text[128], want[160];
    for (int k = 0; k < 20; k++) {
        snprintf(text, sizeof text, "%.*s\xc3\xa9*b* &amp; <x> \xe2\x80\x94%.*s_", k, as, k, as);
        snprintf(want, sizeof want, "%.*s\xc3\xa9\\*b\\* \\&amp; \\<x> \xe2\x80\x94%.*s_", k, as,
                 k, as);
        expect_text(text, want);

        /* destinations: bare, or in pointy brackets when they must be */
        static const struct {
            const char *tail, *before, *written, *after;
        } urls[] = {{" b", "<", " b", ">"},
                    {"(", "<", "(", ">"},
                    {"\\b", "", "&#92;b", ""},
                    {"&amp;", "", "&amp;amp;", ""},
                    {"<b", "<", "&lt;b", ">"}};
        for (size_t u = 0; u < sizeof urls / sizeof urls[0]; u++) {
            oct_doc *doc = oct_doc_new();
            oct_node *link = add(add_para(oct_doc_root(doc), NULL), OCT_NODE_LINK);
            snprintf(text, sizeof text, "/%.*s%s", k, as, urls[u].tail);
            oct_node_set_url(link, text);
            add_text(link, "x");
            snprintf(want, sizeof want, "[x](%s/%.*s%s%s)\n", urls[u].before, k, as,
                     urls[u].written, urls[u].after);
            expect_md(doc, "markdown", want, (const char *)NULL);
            oct_doc_free(doc);
        }

        /* raw HTML: a line end of markup at any offset stays one */
        oct_doc *doc = oct_doc_new();
        oct_node *p = add_para(oct_doc_root(doc), "a ");
        oct_node *raw = add(p, OCT_NODE_RAW_INLINE);
        oct_node_set_raw_format(raw, "html");
        snprintf(text, sizeof text, "<span%.*s\ntitle=x>", k, "                    ");
        oct_node_set_literal(raw, text, strlen(text));
        add_text(p, " b");
        snprintf(want, sizeof want, "a <span%.*s\ntitle=x> b\n", k, "                    ");
        expect_md(doc, "markdown", want, "raw-html=on", (const char *)NULL);
        oct_doc_free(doc);
    }
}

/* ---------------------------------------------------------- pathological */

static double seconds_to_write(const oct_doc *doc, const char *fmt)
{
    clock_t t0 = clock();
    char *md = write_md(doc, fmt, (const char *)NULL);
    clock_t t1 = clock();
    free(md);
    return (double)(t1 - t0) / CLOCKS_PER_SEC;
}

static void test_pathological_trees_stay_linear(void **state)
{
    (void)state;
    oct_limits lim;
    oct_limits_default(&lim);
    /* deep nesting: quotes in list items in quotes ... */
    oct_doc *doc = oct_doc_new();
    oct_node *at = oct_doc_root(doc);
    for (int i = 0; i < 20000; i++) {
        oct_node *q = add(at, i % 2 ? OCT_NODE_BLOCK_QUOTE : OCT_NODE_LIST);
        at = i % 2 ? q : add(q, OCT_NODE_LIST_ITEM);
    }
    add_para(at, "deep");
    assert_true(seconds_to_write(doc, "markdown") < 20.0);
    oct_doc_free(doc);
    /* deep inline nesting */
    doc = oct_doc_new();
    at = add_para(oct_doc_root(doc), "x");
    for (int i = 0; i < 50000; i++)
        at = add(at, i % 3 ? OCT_NODE_EMPH : OCT_NODE_STRONG);
    add_text(at, "core");
    assert_true(seconds_to_write(doc, "gfm") < 20.0);
    oct_doc_free(doc);
    /* many tiny blocks and one huge line */
    doc = oct_doc_new();
    for (int i = 0; i < 50000; i++)
        add_para(oct_doc_root(doc), "*");
    size_t big = 1 << 20;
    char *s = malloc(big + 1);
    for (size_t i = 0; i < big; i++)
        s[i] = i % 7 == 6 ? ' ' : "ab*_[#"[i % 6];
    s[big] = '\0';
    add_para(oct_doc_root(doc), s);
    free(s);
    assert_true(seconds_to_write(doc, "markdown") < 20.0);
    oct_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_needless_escapes),
        cmocka_unit_test(test_needed_escapes),
        cmocka_unit_test(test_inline_markup),
        cmocka_unit_test(test_backslashes_in_destinations),
        cmocka_unit_test(test_hard_breaks_and_soft_breaks),
        cmocka_unit_test(test_wrapping),
        cmocka_unit_test(test_spaces_between_words),
        cmocka_unit_test(test_lists_and_quotes),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_gfm_extensions_and_notes),
        cmocka_unit_test(test_front_matter),
        cmocka_unit_test(test_raw_html_and_images),
        cmocka_unit_test(test_definition_list_degrades),
        cmocka_unit_test(test_every_offset),
        cmocka_unit_test(test_pathological_trees_stay_linear),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
