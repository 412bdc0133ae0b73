/*
 * test_epub.c — the EPUB writer on documents built with the core API, so it
 * is tested independently of the readers. Each test writes a book into
 * memory, opens it with libzip and checks what a reader (or epubcheck) would
 * care about. Every book is also saved into $EPUB_FIXTURE_DIR, where the
 * epub_epubcheck_fixtures test runs epubcheck on all of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "octavo/octavo.h"
#include "octavo/octavo_plugin.h"
#include "octest.h"

static oct_registry *reg;

/* A 3x2 RGB PNG. */
static const unsigned char png_bytes[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0x12,
    0x16, 0xf1, 0x4d, 0x00, 0x00, 0x00, 0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
    0xcf, 0xc0, 0x00, 0x41, 0x0c, 0x30, 0xc6, 0x7f, 0x00, 0x3b, 0xd8, 0x05, 0xfb, 0x39, 0x4d,
    0x96, 0xa5, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
/* A 1x1 lossless WebP. */
static const unsigned char webp_bytes[] = {
    0x52, 0x49, 0x46, 0x46, 0x1a, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38,
    0x4c, 0x0d, 0x00, 0x00, 0x00, 0x2f, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88,
    0x88, 0xfe, 0x07, 0x00};

/* ------------------------------------------------------------ helpers */

typedef struct book {
    unsigned char *data;
    size_t len;
    zip_t *za;
    size_t warnings;
} book;

static void count_log(void *ud, oct_severity sev, const char *where, long line, const char *msg)
{
    (void)where;
    (void)line;
    (void)msg;
    if (sev == OCT_SEV_WARNING)
        (*(size_t *)ud)++;
}

static void save_fixture(const char *name, const book *b)
{
    const char *dir = getenv("EPUB_FIXTURE_DIR");
    char path[1024];

    if (!dir || !name)
        return;
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/%s.epub", dir, name);
    octest_write_file(path, b->data, b->len);
}

/* Writes doc with format ("epub"/"epub2") and -V options "k=v" (NULL-ended). */
static void write_book(oct_doc *doc, const char *format, const char *fixture, book *out, ...)
{
    oct_context *ctx = oct_context_new(reg);
    const oct_format *f = oct_registry_find(reg, format);
    oct_sink *sink = oct_sink_new_memory(0);
    oct_error err;
    const unsigned char *data;
    zip_error_t zerr;
    zip_source_t *src;
    va_list ap;
    const char *kv;

    memset(out, 0, sizeof *out);
    assert_non_null(f);
    oct_context_set_log(ctx, count_log, &out->warnings);
    va_start(ap, out);
    while ((kv = va_arg(ap, const char *)) != NULL) {
        char key[64];
        const char *eq = strchr(kv, '=');
        assert_non_null(eq);
        snprintf(key, sizeof key, "%.*s", (int)(eq - kv), kv);
        assert_int_equal(oct_context_set_option(ctx, key, eq + 1), OCT_OK);
    }
    va_end(ap);
    oct_error_clear(&err);
    assert_int_equal(oct_doc_normalize(ctx, doc, &err), OCT_OK);
    assert_int_equal(oct_write(ctx, doc, f, sink, &err), OCT_OK);
    data = oct_sink_memory_data(sink, &out->len);
    out->data = malloc(out->len);
    memcpy(out->data, data, out->len);
    oct_sink_close(sink);
    oct_context_free(ctx);
    zip_error_init(&zerr);
    src = zip_source_buffer_create(out->data, out->len, 0, &zerr);
    assert_non_null(src);
    out->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    assert_non_null(out->za);
    zip_error_fini(&zerr);
    save_fixture(fixture, out);
}

static void book_free(book *b)
{
    if (b->za)
        zip_discard(b->za);
    free(b->data);
}

/* Contents of one entry, NUL-terminated, or NULL when absent. */
static char *entry(const book *b, const char *name)
{
    zip_stat_t st;
    zip_file_t *f;
    char *buf;

    if (zip_stat(b->za, name, 0, &st) < 0)
        return NULL;
    buf = malloc(st.size + 1);
    f = zip_fopen(b->za, name, 0);
    assert_non_null(f);
    assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
    zip_fclose(f);
    buf[st.size] = '\0';
    return buf;
}

static int has_entry(const book *b, const char *name)
{
    return zip_name_locate(b->za, name, 0) >= 0;
}

static void assert_entry_contains(const book *b, const char *name, const char *needle)
{
    char *s = entry(b, name);
    if (!s)
        fail_msg("no entry %s", name);
    if (!strstr(s, needle))
        fail_msg("%s lacks %s:\n%.3000s", name, needle, s);
    free(s);
}

static void assert_entry_lacks(const book *b, const char *name, const char *needle)
{
    char *s = entry(b, name);
    if (!s)
        fail_msg("no entry %s", name);
    if (strstr(s, needle))
        fail_msg("%s contains %s:\n%.3000s", name, needle, s);
    free(s);
}

static size_t count_of(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static oct_node *text_para(oct_builder *bld, const char *text)
{
    oct_node *p = oct_builder_open_new(bld, OCT_NODE_PARAGRAPH);
    oct_builder_text(bld, text, strlen(text));
    oct_builder_close(bld);
    return p;
}

static void heading(oct_builder *bld, int level, const char *text)
{
    oct_node *h = oct_node_new(oct_node_doc(oct_builder_current(bld)), OCT_NODE_HEADING);
    oct_node_set_heading_level(h, level);
    oct_builder_open(bld, h);
    oct_builder_text(bld, text, strlen(text));
    oct_builder_close(bld);
}

/* Long enough that the automatic split applies. */
static void filler(oct_builder *bld, int paragraphs)
{
    static const char lorem[] =
        "The quick brown fox jumps over the lazy dog, and the dog was not amused by this at "
        "all, for it had been sleeping in the sun for most of the afternoon and had plans.";
    for (int i = 0; i < paragraphs; i++)
        text_para(bld, lorem);
}

static oct_doc *new_doc(oct_builder **bld)
{
    oct_doc *doc = oct_doc_new();
    oct_meta_set(doc, OCT_META_TITLE, "A Test Book");
    oct_meta_set(doc, OCT_META_LANG, "en");
    oct_meta_set(doc, OCT_META_DATE, "2024-03-05");
    *bld = oct_builder_new(doc);
    return doc;
}

static oct_node *add_link(oct_builder *bld, const char *url, const char *text)
{
    oct_node *l = oct_node_new(oct_node_doc(oct_builder_current(bld)), OCT_NODE_LINK);
    oct_node_set_url(l, url);
    oct_builder_open(bld, l);
    oct_builder_text(bld, text, strlen(text));
    oct_builder_close(bld);
    return l;
}

static void add_noteref(oct_builder *bld, const char *label)
{
    oct_node *r = oct_node_new(oct_node_doc(oct_builder_current(bld)), OCT_NODE_FOOTNOTE_REF);
    oct_node_set_footnote_label(r, label);
    oct_builder_leaf(bld, r);
}

static void add_note_def(oct_builder *bld, const char *label, const char *text)
{
    oct_node *d = oct_node_new(oct_node_doc(oct_builder_current(bld)), OCT_NODE_FOOTNOTE_DEF);
    oct_node_set_footnote_label(d, label);
    oct_builder_open(bld, d);
    text_para(bld, text);
    oct_builder_close(bld);
}

/* A three-chapter book with cross-chapter links and notes. */
static oct_doc *chaptered_doc(void)
{
    oct_builder *bld;
    oct_doc *doc = new_doc(&bld);
    oct_node *p;

    heading(bld, 1, "First Chapter");
    p = oct_builder_open_new(bld, OCT_NODE_PARAGRAPH);
    oct_builder_text(bld, "See ", 4);
    add_link(bld, "#third-chapter", "the third chapter");
    oct_builder_text(bld, " and a note", 11);
    add_noteref(bld, "a");
    oct_builder_close(bld);
    (void)p;
    filler(bld, 60);
    heading(bld, 1, "Second Chapter");
    heading(bld, 2, "A Section");
    p = oct_builder_open_new(bld, OCT_NODE_PARAGRAPH);
    oct_builder_text(bld, "Back to ", 8);
    add_link(bld, "#first-chapter", "the start");
    add_noteref(bld, "b");
    oct_builder_text(bld, " and again", 10);
    add_noteref(bld, "a");
    oct_builder_close(bld);
    filler(bld, 60);
    heading(bld, 1, "Third Chapter");
    filler(bld, 60);
    add_note_def(bld, "a", "The first note.");
    add_note_def(bld, "b", "The second note.");
    add_note_def(bld, "orphan", "Nobody refers to this note.");
    oct_builder_finish(bld);
    oct_builder_free(bld);
    return doc;
}

/* -------------------------------------------------------------- tests */

static void test_package_layout(void **state)
{
    (void)state;
    oct_builder *bld;
    oct_doc *doc = new_doc(&bld);
    book b;
    zip_stat_t st;

    text_para(bld, "Hello, world.");
    oct_builder_finish(bld);
    oct_builder_free(bld);
    write_book(doc, "epub", "layout", &b, NULL);
    /* The OCF rules: "mimetype" first, stored, no extra field. */
    assert_memory_equal(b.data, "PK\x03\x04", 4);
    assert_memory_equal(b.data + 30, "mimetypeapplication/epub+zip", 28);
    assert_int_equal(b.data[28] | b.data[29] << 8, 0); /* extra field length */
    assert_int_equal(zip_stat_index(b.za, 0, 0, &st), 0);
    assert_string_equal(st.name, "mimetype");
    assert_int_equal(st.comp_method, ZIP_CM_STORE);
    assert_entry_contains(&b, "META-INF/container.xml", "full-path=\"EPUB/package.opf\"");
    assert_entry_contains(&b, "EPUB/package.opf", "<dc:language>en</dc:language>");
    assert_entry_contains(&b, "EPUB/package.opf", "<dc:date>2024-03-05</dc:date>");
    assert_entry_contains(&b, "EPUB/package.opf", "properties=\"nav\"");
    assert_entry_contains(&b, "EPUB/package.opf", "<spine toc=\"ncx\">");
    assert_entry_contains(&b, "EPUB/toc.ncx", "dtb:uid");
    assert_entry_contains(&b, "EPUB/title.xhtml", "A Test Book");
    assert_entry_contains(&b, "EPUB/ch001.xhtml", "<p>Hello, world.</p>");
    /* A short article is one chapter, and the nav is not in the spine. */
    assert_false(has_entry(&b, "EPUB/ch002.xhtml"));
    assert_entry_lacks(&b, "EPUB/package.opf", "idref=\"nav\"");
    for (zip_int64_t i = 0; i < zip_get_num_entries(b.za, 0); i++) {
        zip_stat_index(b.za, (zip_uint64_t)i, 0, &st);
        assert_true(st.valid & ZIP_STAT_MTIME);
        struct tm tm;
        localtime_r(&st.mtime, &tm);
        assert_int_equal(tm.tm_year, 80); /* DOS epoch */
    }
    book_free(&b);
    oct_doc_free(doc);
}

static void test_reproducible(void **state)
{
    (void)state;
    book a, b, c;
    oct_doc *d1 = chaptered_doc(), *d2 = chaptered_doc();

    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    write_book(d1, "epub", "chaptered", &a, NULL);
    write_book(d2, "epub", NULL, &b, NULL);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    assert_entry_contains(&a, "EPUB/package.opf", "2023-11-14T22:13:20Z");
    book_free(&b);
    /* Without SOURCE_DATE_EPOCH the document's date is used, not the clock. */
    unsetenv("SOURCE_DATE_EPOCH");
    write_book(d1, "epub", NULL, &b, NULL);
    write_book(d2, "epub", NULL, &c, NULL);
    assert_entry_contains(&b, "EPUB/package.opf", "2024-03-05T00:00:00Z");
    assert_int_equal(b.len, c.len);
    assert_memory_equal(b.data, c.data, b.len);
    book_free(&a);
    book_free(&b);
    book_free(&c);
    oct_doc_free(d1);
    oct_doc_free(d2);
}

static char *opf_identifier(const book *b)
{
    char *opf = entry(b, "EPUB/package.opf");
    char *start = strstr(opf, "id=\"book-id\">");
    char *end;
    assert_non_null(start);
    start += strlen("id=\"book-id\">");
    end = strstr(start, "<");
    memmove(opf, start, (size_t)(end - start));
    opf[end - start] = '\0';
    return opf;
}

static void test_identifier(void **state)
{
    (void)state;
    oct_builder *bld;
    oct_doc *d1 = new_doc(&bld), *d2;
    book a, b;
    char *ida, *idb;

    text_para(bld, "One text.");
    oct_builder_finish(bld);
    oct_builder_free(bld);
    d2 = new_doc(&bld);
    text_para(bld, "Another text.");
    oct_builder_finish(bld);
    oct_builder_free(bld);
    /* Different content, no source: different identifiers. */
    write_book(d1, "epub", NULL, &a, NULL);
    write_book(d2, "epub", NULL, &b, NULL);
    ida = opf_identifier(&a);
    idb = opf_identifier(&b);
    assert_int_equal(strncmp(ida, "urn:uuid:", 9), 0);
    assert_int_equal(strlen(ida), 9 + 36);
    assert_int_equal(ida[9 + 14], '5'); /* a version 5 UUID */
    assert_string_not_equal(ida, idb);
    free(ida);
    free(idb);
    book_free(&a);
    book_free(&b);
    /* Same source URL: same identifier, whatever the content. */
    oct_meta_set(d1, OCT_META_SOURCE, "https://example.org/article");
    oct_meta_set(d2, OCT_META_SOURCE, "https://example.org/article");
    write_book(d1, "epub", NULL, &a, NULL);
    write_book(d2, "epub", NULL, &b, NULL);
    ida = opf_identifier(&a);
    idb = opf_identifier(&b);
    assert_string_equal(ida, idb);
    free(ida);
    free(idb);
    book_free(&a);
    book_free(&b);
    /* The user's identifier wins, and the NCX carries the same. */
    oct_meta_set(d1, OCT_META_IDENTIFIER, "isbn:978-3-16-148410-0");
    write_book(d1, "epub", NULL, &a, NULL);
    ida = opf_identifier(&a);
    assert_string_equal(ida, "isbn:978-3-16-148410-0");
    assert_entry_contains(&a, "EPUB/toc.ncx", "content=\"isbn:978-3-16-148410-0\"");
    free(ida);
    book_free(&a);
    oct_doc_free(d1);
    oct_doc_free(d2);
}

/* A document whose only difference from another may be a footnote's text. */
static oct_doc *noted_doc(const char *note_text)
{
    oct_builder *bld;
    oct_doc *doc = new_doc(&bld);
    oct_node *p = oct_builder_open_new(bld, OCT_NODE_PARAGRAPH);

    (void)p;
    oct_builder_text(bld, "A claim.", 8);
    add_noteref(bld, "n");
    oct_builder_close(bld);
    text_para(bld, "More text after the claim.");
    add_note_def(bld, "n", note_text);
    oct_builder_finish(bld);
    oct_builder_free(bld);
    return doc;
}

/* The identifier derived from the text is summed up during the plan's walk,
 * which skips footnote definitions (they are planned in note order): their
 * text must still count, and the NCX must carry the same identifier. */
static void test_identifier_from_text(void **state)
{
    (void)state;
    oct_doc *d1 = noted_doc("The source."), *d2 = noted_doc("Another source.");
    book a, b;
    char *ida, *idb, *again, *ncx_uid;

    write_book(d1, "epub", NULL, &a, NULL);
    write_book(d2, "epub", NULL, &b, NULL);
    ida = opf_identifier(&a);
    idb = opf_identifier(&b);
    assert_int_equal(strncmp(ida, "urn:uuid:", 9), 0);
    assert_string_not_equal(ida, idb);
    ncx_uid = malloc(strlen(ida) + 32);
    sprintf(ncx_uid, "content=\"%s\"", ida);
    assert_entry_contains(&a, "EPUB/toc.ncx", ncx_uid);
    free(ncx_uid);
    book_free(&b);
    /* the same document again: the same identifier */
    write_book(d1, "epub", NULL, &b, NULL);
    again = opf_identifier(&b);
    assert_string_equal(again, ida);
    free(ida);
    free(idb);
    free(again);
    book_free(&a);
    book_free(&b);
    oct_doc_free(d1);
    oct_doc_free(d2);
}

/* Names the writer makes from the document's words (a code block's
 * language becomes a class): ASCII kept or turned into '-', other name
 * characters kept as they are, a prefix where a name cannot start. Ids take
 * the same path, and keep out of the writer's own name spaces. */
static void test_words_become_names(void **state)
{
    (void)state;
    static const struct {
        const char *word, *want;
    } cases[] = {
        {"plain-id_1.x", "class=\"language-plain-id_1.x\""},
        {"2 words here", "class=\"language-x-2-words-here\""},
        {"caf\xC3\xA9 \xC3\xBC", "class=\"language-caf\xC3\xA9-\xC3\xBC\""},
        {"\xC3\xA9t\xC3\xA9", "class=\"language-\xC3\xA9t\xC3\xA9\""},
        {"\xE2\x80\x94" "dash", "class=\"language-x--dash\""},
        {"-lead", "class=\"language-x--lead\""},
        {"a/b?c#d", "class=\"language-a-b-c-d\""},
        {"A\xE2\x80\xBF" "B", "class=\"language-A\xE2\x80\xBF" "B\""},
        {"\xE2\x80\xBF" "tie", "class=\"language-x-\xE2\x80\xBF" "tie\""},
    };
    oct_builder *bld;
    oct_doc *doc = new_doc(&bld);
    book b;
    char *ch;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        oct_node *n = oct_node_new(doc, OCT_NODE_CODE_BLOCK);
        oct_node_set_code_language(n, cases[i].word);
        oct_node_set_literal(n, "x\n", 2);
        oct_builder_leaf(bld, n);
    }
    oct_node_set_id(text_para(bld, "ours"), "noteref-3");
    oct_builder_finish(bld);
    oct_builder_free(bld);
    write_book(doc, "epub", NULL, &b, NULL);
    ch = entry(&b, "EPUB/ch001.xhtml");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (!strstr(ch, cases[i].want))
            fail_msg("%s: no %s in\n%s", cases[i].word, cases[i].want, ch);
    assert_non_null(strstr(ch, "<p id=\"x-noteref-3\">ours</p>"));
    free(ch);
    book_free(&b);
    oct_doc_free(doc);
}

static void lang_case(const char *text, const char *want_lang, int rtl)
{
    oct_doc *doc = oct_doc_new();
    oct_builder *bld = oct_builder_new(doc);
    char needle[64];
    book b;

    oct_meta_set(doc, OCT_META_TITLE, "Language");
    text_para(bld, text);
    oct_builder_finish(bld);
    oct_builder_free(bld);
    write_book(doc, "epub", rtl ? "rtl" : NULL, &b, NULL);
    snprintf(needle, sizeof needle, "<dc:language>%s</dc:language>", want_lang);
    assert_entry_contains(&b, "EPUB/package.opf", needle);
    if (rtl) {
        assert_entry_contains(&b, "EPUB/package.opf", "page-progression-direction=\"rtl\"");
        assert_entry_contains(&b, "EPUB/ch001.xhtml", "dir=\"rtl\"");
    } else {
        assert_entry_lacks(&b, "EPUB/package.opf", "page-progression-direction");
    }
    book_free(&b);
    oct_doc_free(doc);
}

static void test_language(void **state)
{
    (void)state;
    setenv("LANG", "C", 1); /* the machine's locale must never leak in */
    lang_case("Le chat est sur la table et il dort dans le soleil avec les enfants.", "fr", 0);
    lang_case("Der Hund und die Katze sind nicht im Haus, das ist auf dem Tisch.", "de", 0);
    /* words several lists share count for each; accented ones are bytes */
    lang_case("El perro y los gatos de la casa estÃ¡n en el jardÃ­n con una niÃ±" "a.",
              "es", 0);
    lang_case("Il cane della casa non Ã¨ con gli altri nel giardino, anche per questo.",
              "it", 0);
    lang_case("O cÃ£o nÃ£o estÃ¡ em casa com os gatos da famÃ­lia e dos amigos.",
              "pt", 0);
    lang_case("De hond is niet in het huis van de buren, maar ook niet voor de deur.", "nl", 0);
    lang_case("The cat is on the table and it is sleeping in the sun with the children.", "en",
              0);
    lang_case("\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \xD8\xA8\xD8\xA7\xD9\x84\xD8\xB9\xD8\xA7"
              "\xD9\x84\xD9\x85",
              "ar", 1);
    lang_case("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE6\x96\x87\xE7\xAB\xA0\xE3\x81"
              "\xA7\xE3\x81\x99\xE3\x80\x82",
              "ja", 0);
    lang_case("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82, \xD0\xBC\xD0\xB8\xD1\x80", "ru",
              0);
}

/* A page whose whole content sits in a right-to-left wrapper reads RTL. */
static void test_wrapped_rtl(void **state)
{
    (void)state;
    oct_builder *bld;
    oct_doc *doc = new_doc(&bld);
    oct_node *div = oct_node_new(doc, OCT_NODE_DIV);
    book b;

    oct_node_set_dir(div, OCT_DIR_RTL);
    oct_builder_open(bld, div);
    text_para(bld, "Lorem ipsum.");
    oct_builder_close(bld);
    oct_builder_finish(bld);
    oct_builder_free(bld);
    write_book(doc, "epub", NULL, &b, NULL);
    assert_entry_contains(&b, "EPUB/package.opf", "page-progression-direction=\"rtl\"");
    assert_entry_contains(&b, "EPUB/ch001.xhtml", "<div dir=\"rtl\"><p>Lorem ipsum.</p></div>");
    book_free(&b);
    oct_doc_free(doc);
}

static void test_chapters_links_notes(void **state)
{
    (void)state;
    oct_doc *doc = chaptered_doc();
    book b;
    char *ch1, *ch2, *ch3;

    write_book(doc, "epub", "notes-chapter", &b, NULL);
    ch1 = entry(&b, "EPUB/ch001.xhtml");
    ch2 = entry(&b, "EPUB/ch002.xhtml");
    ch3 = entry(&b, "EPUB/ch003.xhtml");
    assert_non_null(ch1);
    assert_non_null(ch2);
    assert_non_null(ch3);
    assert_false(has_entry(&b, "EPUB/ch004.xhtml"));
    /* Links across files point at the file that holds the id. */
    assert_non_null(strstr(ch1, "href=\"ch003.xhtml#third-chapter\""));
    assert_non_null(strstr(ch2, "href=\"ch001.xhtml#first-chapter\""));
    assert_non_null(strstr(ch3, "id=\"third-chapter\""));
    /* Notes at the end of the chapter of their first reference, with back links. */
    assert_non_null(strstr(ch1, "epub:type=\"noteref\""));
    assert_non_null(strstr(ch1, "<aside id=\"note-1\""));
    assert_non_null(strstr(ch1, "href=\"#noteref-1\""));
    assert_non_null(strstr(ch2, "href=\"ch001.xhtml#note-1\""));
    assert_non_null(strstr(ch2, "id=\"noteref-1-2\""));
    assert_non_null(strstr(ch2, "<aside id=\"note-2\""));
    /* The unreferenced definition is still there, at the end. */
    assert_non_null(strstr(ch3, "Nobody refers to this note."));
    free(ch1);
    free(ch2);
    free(ch3);
    /* The nav nests the section under its chapter and is in the spine. */
    assert_entry_contains(&b, "EPUB/nav.xhtml",
                          "<a href=\"ch002.xhtml\">Second Chapter</a><ol><li><a "
                          "href=\"ch002.xhtml#a-section\">A Section</a>");
    assert_entry_contains(&b, "EPUB/package.opf", "<itemref idref=\"nav\"/>");
    assert_entry_contains(&b, "EPUB/toc.ncx", "playOrder=\"4\"");
    book_free(&b);

    /* Book-end notes go to notes.xhtml. */
    write_book(doc, "epub", "notes-book", &b, "notes=book", NULL);
    assert_entry_contains(&b, "EPUB/notes.xhtml", "<aside id=\"note-2\"");
    assert_entry_contains(&b, "EPUB/notes.xhtml", "href=\"ch002.xhtml#noteref-2\"");
    assert_entry_contains(&b, "EPUB/ch001.xhtml", "href=\"notes.xhtml#note-1\"");
    assert_entry_lacks(&b, "EPUB/ch001.xhtml", "<aside");
    book_free(&b);

    /* split-level=0 keeps everything in one file; split-level=2 splits more. */
    write_book(doc, "epub", NULL, &b, "split-level=0", NULL);
    assert_false(has_entry(&b, "EPUB/ch002.xhtml"));
    assert_entry_contains(&b, "EPUB/ch001.xhtml", "href=\"#third-chapter\"");
    book_free(&b);
    write_book(doc, "epub", NULL, &b, "split-level=2", NULL);
    /* "Second Chapter" is directly followed by "A Section": they stay together. */
    assert_true(has_entry(&b, "EPUB/ch003.xhtml"));
    assert_false(has_entry(&b, "EPUB/ch004.xhtml"));
    book_free(&b);

    /* EPUB 2 of the same book. */
    write_book(doc, "epub2", "notes-chapter-epub2", &b, NULL);
    assert_entry_contains(&b, "EPUB/package.opf", "version=\"2.0\"");
    assert_entry_contains(&b, "EPUB/package.opf", "<guide>");
    assert_entry_contains(&b, "EPUB/ch001.xhtml", "XHTML 1.1");
    assert_entry_lacks(&b, "EPUB/ch001.xhtml", "epub:type");
    assert_entry_lacks(&b, "EPUB/ch001.xhtml", "<aside");
    book_free(&b);
    oct_doc_free(doc);
}

static oct_node *open_typed(oct_builder *bld, oct_node_type t)
{
    oct_node *n = oct_builder_open_new(bld, t);
    assert_non_null(n);
    return n;
}

/* with_webp: EPUBCheck 4.2 predates EPUB 3.3 and rejects WebP without a
 * fallback, so the book it checks has none. */
static oct_doc *every_node_doc(int with_webp)
{
    oct_builder *bld;
    oct_doc *doc = new_doc(&bld);
    oct_node *n;
    oct_resource *png = oct_doc_add_resource(doc, png_bytes, sizeof png_bytes, NULL,
                                             "https://example.org/a.png", NULL);
    oct_resource *webp = with_webp ? oct_doc_add_resource(doc, webp_bytes, sizeof webp_bytes,
                                                          NULL, "https://example.org/b.webp",
                                                          NULL)
                                   : NULL;

    assert_non_null(png);
    oct_meta_add(doc, OCT_META_AUTHOR, "Ada Lovelace");
    oct_meta_add(doc, OCT_META_AUTHOR, "Charles Babbage");
    oct_meta_set(doc, OCT_META_SUBTITLE, "Every node");
    oct_meta_set(doc, OCT_META_PUBLISHER, "Octavo Press");
    oct_meta_set(doc, OCT_META_DESCRIPTION, "A description with <markup> & ampersands.");
    oct_meta_add(doc, OCT_META_SUBJECT, "Testing");
    oct_meta_set(doc, OCT_META_SOURCE, "https://example.org/every node?a=1&b=\"2\"");
    oct_meta_set(doc, OCT_META_RIGHTS, "CC BY 4.0");
    heading(bld, 1, "Everything");

    /* Inline formatting. */
    open_typed(bld, OCT_NODE_PARAGRAPH);
    static const oct_node_type inl[] = {OCT_NODE_EMPH, OCT_NODE_STRONG, OCT_NODE_STRIKEOUT,
                                        OCT_NODE_SUPERSCRIPT, OCT_NODE_SUBSCRIPT,
                                        OCT_NODE_UNDERLINE, OCT_NODE_HIGHLIGHT,
                                        OCT_NODE_SMALL_CAPS, OCT_NODE_QUOTED};
    for (size_t i = 0; i < sizeof inl / sizeof inl[0]; i++) {
        open_typed(bld, inl[i]);
        oct_builder_text(bld, "x", 1);
        oct_builder_close(bld);
        oct_builder_text(bld, " ", 1);
    }
    n = oct_node_new(doc, OCT_NODE_CODE);
    oct_node_set_literal(n, "a < b && c", 10);
    oct_builder_leaf(bld, n);
    n = oct_node_new(doc, OCT_NODE_LINE_BREAK);
    oct_builder_leaf(bld, n);
    n = oct_node_new(doc, OCT_NODE_SPAN);
    oct_node_set_lang(n, "he");
    oct_node_set_dir(n, OCT_DIR_RTL);
    oct_builder_open(bld, n);
    oct_builder_text(bld, "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D", 8);
    oct_builder_close(bld);
    /* Control characters must never reach the XML. */
    oct_builder_text(bld, " bell\x07 esc\x1b end", 15);
    add_link(bld, "https://example.org/a b?q=\"x\"", "a link with spaces");
    add_link(bld, "javascript:alert(1)", "a script link");
    add_link(bld, "https://<?php echo $x; ?>example.com/", "a bad host");
    add_link(bld, "relative/page.html", "a relative link");
    n = oct_node_new(doc, OCT_NODE_RAW_INLINE);
    oct_node_set_raw_format(n, "html");
    oct_node_set_literal(n, "<blink>", 7);
    oct_builder_leaf(bld, n);
    oct_builder_close(bld);

    /* Block quote, code block, thematic break. */
    n = open_typed(bld, OCT_NODE_BLOCK_QUOTE);
    oct_node_set_cite(n, "https://example.org/quote");
    text_para(bld, "Quoted.");
    oct_builder_close(bld);
    n = oct_node_new(doc, OCT_NODE_CODE_BLOCK);
    oct_node_set_code_language(n, "c++ code");
    oct_node_set_literal(n, "int main() { return a<b; }\n", 27);
    oct_builder_leaf(bld, n);
    oct_builder_leaf(bld, oct_node_new(doc, OCT_NODE_THEMATIC_BREAK));

    /* Nested lists: ordered roman starting at 3, tight bullet inside, tasks. */
    n = open_typed(bld, OCT_NODE_LIST);
    oct_node_set_list_style(n, OCT_LIST_LOWER_ROMAN);
    oct_node_set_list_start(n, 3);
    oct_node_set_list_tight(n, 0);
    open_typed(bld, OCT_NODE_LIST_ITEM);
    text_para(bld, "Outer item.");
    n = open_typed(bld, OCT_NODE_LIST);
    oct_node_set_list_tight(n, 1);
    n = open_typed(bld, OCT_NODE_LIST_ITEM);
    oct_node_set_item_task(n, OCT_TASK_CHECKED);
    text_para(bld, "Inner tight item.");
    oct_builder_close(bld);
    oct_builder_close(bld);
    oct_builder_close(bld);
    oct_builder_close(bld);

    /* Table: caption, head row, a body row with spans, a foot row first. */
    open_typed(bld, OCT_NODE_TABLE);
    open_typed(bld, OCT_NODE_CAPTION);
    oct_builder_text(bld, "Table caption", 13);
    oct_builder_close(bld);
    n = open_typed(bld, OCT_NODE_TABLE_ROW);
    oct_node_set_row_section(n, OCT_ROW_HEAD);
    for (int i = 0; i < 2; i++) {
        n = open_typed(bld, OCT_NODE_TABLE_CELL);
        oct_node_set_cell_header(n, 1);
        oct_builder_text(bld, "H", 1);
        oct_builder_close(bld);
    }
    oct_builder_close(bld);
    open_typed(bld, OCT_NODE_TABLE_ROW);
    n = open_typed(bld, OCT_NODE_TABLE_CELL);
    oct_node_set_cell_span(n, 2, 1);
    oct_node_set_cell_align(n, OCT_ALIGN_CENTER);
    oct_builder_text(bld, "spanning", 8);
    oct_builder_close(bld);
    oct_builder_close(bld);
    n = open_typed(bld, OCT_NODE_TABLE_ROW);
    oct_node_set_row_section(n, OCT_ROW_FOOT);
    open_typed(bld, OCT_NODE_TABLE_CELL);
    oct_builder_text(bld, "foot", 4);
    oct_builder_close(bld);
    open_typed(bld, OCT_NODE_TABLE_CELL);
    oct_builder_text(bld, "f2", 2);
    oct_builder_close(bld);
    oct_builder_close(bld);
    n = open_typed(bld, OCT_NODE_TABLE_ROW); /* a head row after the foot: stays valid */
    oct_node_set_row_section(n, OCT_ROW_HEAD);
    open_typed(bld, OCT_NODE_TABLE_CELL);
    oct_builder_text(bld, "late", 4);
    oct_builder_close(bld);
    oct_builder_close(bld);
    oct_builder_close(bld);

    /* Figure with image and caption; WebP and a missing resource. */
    open_typed(bld, OCT_NODE_FIGURE);
    open_typed(bld, OCT_NODE_PARAGRAPH);
    n = oct_node_new(doc, OCT_NODE_IMAGE);
    oct_node_set_image_resource(n, png);
    oct_node_set_image_alt(n, "A red and blue picture");
    oct_builder_leaf(bld, n);
    oct_builder_close(bld);
    open_typed(bld, OCT_NODE_CAPTION);
    oct_builder_text(bld, "Figure caption", 14);
    oct_builder_close(bld);
    oct_builder_close(bld);
    open_typed(bld, OCT_NODE_PARAGRAPH);
    n = oct_node_new(doc, OCT_NODE_IMAGE);
    oct_node_set_image_resource(n, webp);
    oct_node_set_image_alt(n, "webp picture");
    oct_builder_leaf(bld, n);
    n = oct_node_new(doc, OCT_NODE_IMAGE);
    oct_node_set_url(n, "https://example.org/remote.png");
    oct_node_set_image_alt(n, "remote picture");
    oct_builder_leaf(bld, n);
    oct_builder_close(bld);

    /* Definition list starting with a description and ending with a term. */
    open_typed(bld, OCT_NODE_DEFINITION_LIST);
    open_typed(bld, OCT_NODE_DEFINITION_DESC);
    text_para(bld, "Orphan description.");
    oct_builder_close(bld);
    open_typed(bld, OCT_NODE_DEFINITION_TERM);
    oct_builder_text(bld, "Term", 4);
    oct_builder_close(bld);
    open_typed(bld, OCT_NODE_DEFINITION_DESC);
    text_para(bld, "Its description.");
    oct_builder_close(bld);
    open_typed(bld, OCT_NODE_DEFINITION_TERM);
    oct_builder_text(bld, "Last term", 9);
    oct_builder_close(bld);
    oct_builder_close(bld);

    /* A DIV with a language and an id; a duplicate id; odd ids. */
    n = open_typed(bld, OCT_NODE_DIV);
    oct_node_set_lang(n, "fr");
    oct_node_set_id(n, "1 bad id");
    oct_node_set_class(n, "some class");
    text_para(bld, "Bonjour.");
    oct_builder_close(bld);
    n = open_typed(bld, OCT_NODE_DIV);
    oct_node_set_id(n, "1 bad id");
    text_para(bld, "Duplicate id.");
    oct_builder_close(bld);
    n = open_typed(bld, OCT_NODE_DIV);
    oct_node_set_id(n, "note-1");
    open_typed(bld, OCT_NODE_PARAGRAPH);
    add_link(bld, "#everything", "link to the heading");
    add_link(bld, "#nowhere", "link to nowhere");
    add_noteref(bld, "n");
    oct_builder_close(bld);
    oct_builder_close(bld);
    add_note_def(bld, "n", "A note with a list after:");
    oct_builder_finish(bld);
    oct_builder_free(bld);
    oct_doc_set_cover(doc, png);
    return doc;
}

static void test_every_node(void **state)
{
    (void)state;
    oct_doc *doc = every_node_doc(1);
    oct_doc *checked = every_node_doc(0);
    book b;
    const char *ch = "EPUB/ch001.xhtml";

    write_book(checked, "epub", "every-node", &b, NULL);
    book_free(&b);
    oct_doc_free(checked);
    write_book(doc, "epub", NULL, &b, "webp=on", NULL);
    assert_entry_contains(&b, ch, "<em>x</em> <strong>x</strong> <s>x</s> <sup>x</sup> "
                                  "<sub>x</sub> <u>x</u> <mark>x</mark> <span "
                                  "class=\"smallcaps\">x</span> <q>x</q>");
    assert_entry_contains(&b, ch, "<code>a &lt; b &amp;&amp; c</code>");
    assert_entry_contains(&b, ch, "<span lang=\"he\" xml:lang=\"he\" dir=\"rtl\">");
    assert_entry_contains(&b, ch, " bell esc end");
    assert_entry_contains(&b, ch, "href=\"https://example.org/a%20b?q=%22x%22\"");
    assert_entry_lacks(&b, ch, "javascript:");
    assert_entry_lacks(&b, ch, "php");
    assert_entry_lacks(&b, ch, "relative/page.html");
    assert_entry_lacks(&b, ch, "blink");
    assert_entry_contains(&b, ch, "<blockquote cite=\"https://example.org/quote\"><p>Quoted.");
    assert_entry_contains(&b, ch, "<pre><code class=\"language-c---code\">int main() { return "
                                  "a&lt;b; }\n</code></pre>");
    assert_entry_contains(&b, ch, "<ol start=\"3\" type=\"i\"><li><p>Outer item.</p><ul>"
                                  "<li class=\"task\">\xE2\x98\x91 Inner tight item.</li>");
    assert_entry_contains(&b, ch, "<table><caption>Table caption</caption><thead><tr><th>H</th><th>H</th>");
    assert_entry_contains(&b, ch, "<tbody><tr><td class=\"align-center\" colspan=\"2\">");
    assert_entry_contains(&b, ch, "<tfoot><tr><td>foot</td><td>f2</td></tr><tr><td>late</td>");
    assert_entry_contains(&b, ch, "<figure><p><img src=\"images/");
    assert_entry_contains(&b, ch, "alt=\"A red and blue picture\"/></p><figcaption>Figure");
    assert_entry_contains(&b, ch, "<span class=\"image-alt\">remote picture</span>");
    assert_entry_lacks(&b, ch, "remote.png");
    assert_entry_contains(&b, ch, "<dl><dt></dt><dd><p>Orphan description.</p></dd><dt>Term");
    assert_entry_contains(&b, ch, "<dt>Last term</dt><dd></dd></dl>");
    assert_entry_contains(&b, ch, "class=\"some-class\" lang=\"fr\" xml:lang=\"fr\"><p>Bonjour.");
    assert_entry_contains(&b, ch, "<p>Duplicate id.</p></div>");
    /* Our note ids never collide with the document's. */
    assert_entry_contains(&b, ch, "<div id=\"x-note-1\">");
    assert_entry_contains(&b, ch, "<aside id=\"note-1\"");
    assert_entry_contains(&b, ch, "<a href=\"#everything\">link to the heading</a>");
    assert_entry_lacks(&b, ch, "#nowhere");
    /* WebP is an EPUB 3.3 core media type, kept on request (-V webp=on); the
     * cover gets its page and property. */
    assert_entry_contains(&b, "EPUB/package.opf", "media-type=\"image/webp\"");
    assert_entry_contains(&b, "EPUB/package.opf", "properties=\"cover-image\"");
    assert_entry_contains(&b, "EPUB/package.opf", "<meta refines=\"#creator-1\" "
                                                  "property=\"file-as\">Lovelace, Ada</meta>");
    assert_entry_contains(&b, "EPUB/package.opf", "<dc:publisher>Octavo Press</dc:publisher>");
    assert_entry_contains(&b, "EPUB/package.opf", "&lt;markup&gt; &amp; ampersands");
    assert_entry_contains(&b, "EPUB/package.opf", "title-type\">subtitle</meta>");
    assert_entry_contains(&b, "EPUB/cover.xhtml", "<svg");
    assert_entry_contains(&b, "EPUB/package.opf", "href=\"cover.xhtml\" "
                                                  "media-type=\"application/xhtml+xml\" "
                                                  "properties=\"svg\"");
    assert_entry_contains(&b, "EPUB/title.xhtml", "<p class=\"author\">Charles Babbage</p>");
    assert_entry_contains(&b, "EPUB/title.xhtml", "href=\"https://example.org/every%20node");
    assert_int_equal(b.warnings, 0);
    book_free(&b);

    /* By default WebP is dropped even from EPUB 3 (EPUB 3.2 readers and
     * epubcheck 4 reject it), with a warning, alt text kept. */
    write_book(doc, "epub", NULL, &b, NULL);
    assert_entry_lacks(&b, "EPUB/package.opf", "image/webp");
    assert_entry_contains(&b, ch, "<span class=\"image-alt\">webp picture</span>");
    assert_int_equal(b.warnings, 1);
    book_free(&b);

    /* EPUB 2: no WebP (dropped with a warning, alt text kept), XHTML 1.1 elements. */
    write_book(doc, "epub2", "every-node-epub2", &b, NULL);
    assert_entry_lacks(&b, "EPUB/package.opf", "image/webp");
    assert_entry_contains(&b, ch, "<span class=\"image-alt\">webp picture</span>");
    assert_entry_contains(&b, ch, "<del>x</del>");
    assert_entry_contains(&b, ch, "<div class=\"figure\">");
    assert_entry_contains(&b, ch, "<span xml:lang=\"he\" dir=\"rtl\">");
    assert_entry_contains(&b, "EPUB/package.opf", "opf:file-as=\"Lovelace, Ada\"");
    assert_entry_contains(&b, "EPUB/package.opf", "<meta name=\"cover\"");
    assert_true(b.warnings >= 1);
    book_free(&b);
    oct_doc_free(doc);
}

static void test_css_options(void **state)
{
    (void)state;
    oct_builder *bld;
    oct_doc *doc = new_doc(&bld);
    book b;

    text_para(bld, "Styled.");
    oct_builder_finish(bld);
    oct_builder_free(bld);
    oct_meta_add(doc, "css", "p { color: #333; }");
    oct_meta_add(doc, "css", "h1 { font-size: 2em; }");
    write_book(doc, "epub", "css", &b, NULL);
    assert_entry_contains(&b, "EPUB/style.css", "line-height");
    assert_entry_contains(&b, "EPUB/user-2.css", "font-size: 2em");
    assert_entry_contains(&b, "EPUB/ch001.xhtml", "href=\"user-1.css\"");
    book_free(&b);
    write_book(doc, "epub", NULL, &b, "default-css=off", NULL);
    assert_false(has_entry(&b, "EPUB/style.css"));
    assert_entry_lacks(&b, "EPUB/ch001.xhtml", "style.css");
    assert_entry_lacks(&b, "EPUB/package.opf", "style.css");
    book_free(&b);
    oct_doc_free(doc);
}

/* Hostile shapes: deep nesting, many notes, huge text; all linear, no crash. */
static void test_pathological(void **state)
{
    (void)state;
    oct_builder *bld;
    oct_doc *doc = new_doc(&bld);
    book b;
    char *ch;

    for (int i = 0; i < 20000; i++)
        open_typed(bld, i % 2 ? OCT_NODE_BLOCK_QUOTE : OCT_NODE_DIV);
    text_para(bld, "deep");
    for (int i = 0; i < 20000; i++)
        oct_builder_close(bld);
    open_typed(bld, OCT_NODE_PARAGRAPH);
    for (int i = 0; i < 20000; i++)
        open_typed(bld, OCT_NODE_EMPH);
    oct_builder_text(bld, "deep inline", 11);
    for (int i = 0; i < 20000; i++)
        oct_builder_close(bld);
    oct_builder_close(bld);
    open_typed(bld, OCT_NODE_PARAGRAPH);
    for (int i = 0; i < 500; i++) {
        char label[16];
        snprintf(label, sizeof label, "n%d", i);
        add_noteref(bld, label);
    }
    oct_builder_close(bld);
    for (int i = 0; i < 500; i++) {
        char label[16];
        snprintf(label, sizeof label, "n%d", i);
        add_note_def(bld, label, "note");
    }
    oct_builder_finish(bld);
    oct_builder_free(bld);
    write_book(doc, "epub", "pathological", &b, NULL);
    ch = entry(&b, "EPUB/ch001.xhtml");
    assert_non_null(strstr(ch, "deep inline"));
    assert_int_equal(count_of(ch, "epub:type=\"footnote\""), 500);
    free(ch);
    book_free(&b);
    oct_doc_free(doc);
}

static void test_no_title_no_lang(void **state)
{
    (void)state;
    oct_doc *doc = oct_doc_new();
    book b;

    /* An empty document still makes a valid book. */
    write_book(doc, "epub", "empty", &b, NULL);
    assert_entry_contains(&b, "EPUB/package.opf", "<dc:title id=\"title\">Untitled</dc:title>");
    assert_entry_contains(&b, "EPUB/package.opf", "<dc:language>en</dc:language>");
    assert_entry_lacks(&b, "EPUB/package.opf", "und<");
    book_free(&b);
    write_book(doc, "epub2", "empty-epub2", &b, NULL);
    book_free(&b);
    oct_doc_free(doc);
}

static int setup(void **state)
{
    (void)state;
    const char *dir = getenv("EPUB_FIXTURE_DIR");
    if (dir && *dir)
        octest_remove_tree(dir); /* no stale books from earlier runs */
    reg = oct_registry_new();
    octest_load_plugins(reg);
    unsetenv("SOURCE_DATE_EPOCH");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    oct_registry_free(reg);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_package_layout),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_identifier),
        cmocka_unit_test(test_identifier_from_text),
        cmocka_unit_test(test_words_become_names),
        cmocka_unit_test(test_language),
        cmocka_unit_test(test_wrapped_rtl),
        cmocka_unit_test(test_chapters_links_notes),
        cmocka_unit_test(test_every_node),
        cmocka_unit_test(test_css_options),
        cmocka_unit_test(test_pathological),
        cmocka_unit_test(test_no_title_no_lang),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
