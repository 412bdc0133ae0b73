/*
 * test_docx.c — the DOCX writer on documents built with the node API: the
 * package's parts and relationships, the WordprocessingML for each kind of
 * content (checked with XPath), numbering, tables with spans, footnotes,
 * pictures, reference documents, reproducibility, Flat OPC == zip, deep
 * nesting, and the OOXML schema validator and pandoc on the result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <zip.h>

#include "octest.h"
#include "octavo/octavo_plugin.h"

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

/* ------------------------------------------------------------- fixtures */

typedef struct fixture {
    oct_registry *reg;
    oct_context *ctx;
    const oct_format *docx;
    const oct_format *flat;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->reg = oct_registry_new();
    assert_true(octest_load_plugins(f->reg) > 0);
    f->docx = oct_registry_find(f->reg, "docx");
    f->flat = oct_registry_find(f->reg, "docx-xml");
    assert_non_null(f->docx);
    assert_non_null(f->flat);
    f->ctx = oct_context_new(f->reg);
    oct_context_set_verbosity(f->ctx, OCT_SEV_ERROR);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    oct_context_free(f->ctx);
    oct_registry_free(f->reg);
    free(f);
    return 0;
}

/* ---------------------------------------------------------- tree helpers */

static oct_node *add(oct_node *parent, oct_node_type type)
{
    oct_node *n = oct_node_new(oct_node_doc(parent), type);
    assert_non_null(n);
    assert_int_equal(oct_node_append_child(parent, n), OCT_OK);
    return n;
}

static oct_node *text(oct_node *parent, const char *s)
{
    oct_node *n = add(parent, OCT_NODE_TEXT);
    assert_int_equal(oct_node_set_literal(n, s, strlen(s)), OCT_OK);
    return n;
}

static oct_node *para(oct_node *parent, const char *s)
{
    oct_node *p = add(parent, OCT_NODE_PARAGRAPH);
    text(p, s);
    return p;
}

static oct_node *heading(oct_node *parent, int level, const char *s, const char *id)
{
    oct_node *h = add(parent, OCT_NODE_HEADING);
    oct_node_set_heading_level(h, level);
    if (id)
        oct_node_set_id(h, id);
    text(h, s);
    return h;
}

static oct_node *add_link(oct_node *parent, const char *url, const char *s)
{
    oct_node *l = add(parent, OCT_NODE_LINK);
    oct_node_set_url(l, url);
    text(l, s);
    return l;
}

static oct_node *list(oct_node *parent, oct_list_style style, int start)
{
    oct_node *l = add(parent, OCT_NODE_LIST);
    oct_node_set_list_style(l, style);
    oct_node_set_list_start(l, start);
    oct_node_set_list_tight(l, 1);
    return l;
}

static oct_node *item(oct_node *l, const char *s)
{
    oct_node *i = add(l, OCT_NODE_LIST_ITEM);
    para(i, s);
    return i;
}

static oct_node *cell(oct_node *row, const char *s, int colspan, int rowspan, int header)
{
    oct_node *c = add(row, OCT_NODE_TABLE_CELL);
    oct_node_set_cell_span(c, colspan, rowspan);
    oct_node_set_cell_header(c, header);
    if (s)
        para(c, s);
    return c;
}

/* A 1x1 PNG header claiming width x height (enough for the size sniffer). */
static size_t fake_png(unsigned char *out, int width, int height)
{
    static const unsigned char head[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n',
                                         0,    0,   0,   13,  'I',  'H',  'D',  'R'};
    memcpy(out, head, sizeof head);
    unsigned char *p = out + sizeof head;
    p[0] = (unsigned char)(width >> 24);
    p[1] = (unsigned char)(width >> 16);
    p[2] = (unsigned char)(width >> 8);
    p[3] = (unsigned char)width;
    p[4] = (unsigned char)(height >> 24);
    p[5] = (unsigned char)(height >> 16);
    p[6] = (unsigned char)(height >> 8);
    p[7] = (unsigned char)height;
    p[8] = 8;
    p[9] = 6;
    p[10] = p[11] = p[12] = 0;
    p[13] = p[14] = p[15] = p[16] = 0; /* CRC, unchecked */
    memcpy(p + 17, "\0\0\0\0IEND\xAE\x42\x60\x82", 12);
    return sizeof head + 17 + 12;
}

static oct_node *image(oct_node *parent, oct_doc *doc, int width, int height, const char *alt)
{
    unsigned char png[64];
    size_t len = fake_png(png, width, height);
    oct_resource *r = oct_doc_add_resource(doc, png, len, "image/png", NULL, NULL);
    assert_non_null(r);
    oct_node *img = add(parent, OCT_NODE_IMAGE);
    oct_node_set_image_resource(img, r);
    oct_node_set_url(img, "pic.png");
    oct_node_set_image_alt(img, alt);
    return img;
}

/* A document with one of everything. */
static oct_doc *kitchen_sink(void)
{
    oct_doc *doc = oct_doc_new();
    oct_node *root = oct_doc_root(doc);
    oct_meta_set(doc, OCT_META_TITLE, "Kitchen sink");
    oct_meta_add(doc, OCT_META_AUTHOR, "Ada Lovelace");
    oct_meta_add(doc, OCT_META_AUTHOR, "Charles Babbage");
    oct_meta_set(doc, OCT_META_DATE, "2024-03-01");
    oct_meta_set(doc, OCT_META_LANG, "en-GB");
    oct_meta_add(doc, OCT_META_SUBJECT, "engines");
    oct_meta_add(doc, OCT_META_SUBJECT, "notes");

    heading(root, 1, "Introduction", "intro");
    oct_node *p = add(root, OCT_NODE_PARAGRAPH);
    text(p, "Plain ");
    text(add(p, OCT_NODE_EMPH), "emphasis");
    text(p, " and ");
    text(add(p, OCT_NODE_STRONG), "strong");
    text(p, " and ");
    text(add(p, OCT_NODE_STRIKEOUT), "struck");
    text(p, " H");
    text(add(p, OCT_NODE_SUBSCRIPT), "2");
    text(p, "O x");
    text(add(p, OCT_NODE_SUPERSCRIPT), "2");
    text(p, " ");
    text(add(p, OCT_NODE_UNDERLINE), "under");
    text(p, " ");
    oct_node *code = add(p, OCT_NODE_CODE);
    oct_node_set_literal(code, "x = 1", 5);
    text(p, " see ");
    add_link(p, "https://example.com/a b", "the site");
    text(p, " or ");
    add_link(p, "#intro", "the intro");
    text(p, " or ");
    add_link(p, "#weird id!", "the odd one");
    add(p, OCT_NODE_LINE_BREAK);
    text(p, "after break");
    oct_node *ref = add(p, OCT_NODE_FOOTNOTE_REF);
    oct_node_set_footnote_label(ref, "n1");

    heading(root, 2, "Second part", "weird id!");
    para(root, "First paragraph after a heading.");
    para(root, "Then body text.");

    oct_node *q = add(root, OCT_NODE_BLOCK_QUOTE);
    para(q, "Quoted.");
    oct_node *q2 = add(q, OCT_NODE_BLOCK_QUOTE);
    para(q2, "Nested quote.");

    oct_node *cb = add(root, OCT_NODE_CODE_BLOCK);
    const char *src = "int main(void)\n{\n\treturn  0;\n}\n";
    oct_node_set_literal(cb, src, strlen(src));

    oct_node *ol = list(root, OCT_LIST_DECIMAL, 1);
    item(ol, "one");
    oct_node *two = item(ol, "two");
    oct_node *nested = list(two, OCT_LIST_BULLET, 1);
    item(nested, "two-a");
    item(nested, "two-b");
    item(ol, "three");
    para(root, "Between lists.");
    oct_node *ol2 = list(root, OCT_LIST_LOWER_ROMAN, 5);
    item(ol2, "five");
    item(ol2, "six");
    oct_node *empty_item = add(ol2, OCT_NODE_LIST_ITEM);
    (void)empty_item;

    oct_node *dl = add(root, OCT_NODE_DEFINITION_LIST);
    text(add(dl, OCT_NODE_DEFINITION_TERM), "Term");
    para(add(dl, OCT_NODE_DEFINITION_DESC), "Its definition.");

    oct_node *table = add(root, OCT_NODE_TABLE);
    text(add(table, OCT_NODE_CAPTION), "A table");
    oct_node *hr = add(table, OCT_NODE_TABLE_ROW);
    oct_node_set_row_section(hr, OCT_ROW_HEAD);
    cell(hr, "H1", 1, 1, 1);
    cell(hr, "H2", 2, 1, 1);
    oct_node *r1 = add(table, OCT_NODE_TABLE_ROW);
    cell(r1, "tall", 1, 2, 0);
    cell(r1, "b", 1, 1, 0);
    cell(r1, NULL, 1, 1, 0); /* empty cell */
    oct_node *r2 = add(table, OCT_NODE_TABLE_ROW);
    cell(r2, "c", 1, 1, 0);
    cell(r2, "d", 1, 1, 0);
    oct_node *r3 = add(table, OCT_NODE_TABLE_ROW);
    cell(r3, "short row", 1, 1, 0);
    oct_node *nested_cell = cell(r3, NULL, 1, 1, 0);
    oct_node *inner = add(nested_cell, OCT_NODE_TABLE);
    cell(add(inner, OCT_NODE_TABLE_ROW), "inner", 1, 1, 0);

    oct_node *fig = add(root, OCT_NODE_FIGURE);
    image(add(fig, OCT_NODE_PARAGRAPH), doc, 200, 100, "A small picture");
    text(add(fig, OCT_NODE_CAPTION), "Figure caption");
    image(add(root, OCT_NODE_PARAGRAPH), doc, 4000, 1000, "A wide picture");

    add(root, OCT_NODE_THEMATIC_BREAK);

    oct_node *rtl = add(root, OCT_NODE_PARAGRAPH);
    oct_node_set_dir(rtl, OCT_DIR_RTL);
    oct_node_set_lang(rtl, "ar");
    text(rtl, "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7");
    oct_node *fr = add(root, OCT_NODE_PARAGRAPH);
    oct_node *span = add(fr, OCT_NODE_SPAN);
    oct_node_set_lang(span, "fr");
    text(span, "bonjour");

    oct_node *def = add(root, OCT_NODE_FOOTNOTE_DEF);
    oct_node_set_footnote_label(def, "n1");
    para(def, "A note with a ");
    add_link(oct_node_first_child(def), "https://example.org/note", "link");
    oct_node *unref = add(root, OCT_NODE_FOOTNOTE_DEF);
    oct_node_set_footnote_label(unref, "n2");
    para(unref, "Nobody cites me.");
    return doc;
}

/* ------------------------------------------------------ output helpers */

typedef struct blob {
    unsigned char *data;
    size_t len;
} blob;

static blob write_doc(fixture *f, const oct_doc *doc, const oct_format *fmt)
{
    oct_sink *sink = oct_sink_new_memory(0);
    assert_non_null(sink);
    oct_error err;
    oct_error_clear(&err);
    oct_status s = oct_write(f->ctx, doc, fmt, sink, &err);
    if (s != OCT_OK)
        fail_msg("write failed: %s", err.message);
    size_t len = 0;
    const unsigned char *data = oct_sink_memory_data(sink, &len);
    blob b = {malloc(len + 1), len};
    assert_non_null(b.data);
    memcpy(b.data, data, len);
    b.data[len] = 0;
    oct_sink_close(sink);
    return b;
}

/* The named entry of a zip in memory, NUL-terminated, or NULL. */
static char *zip_entry(const blob *z, const char *name, size_t *len_out)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(z->data, z->len, 0, &ze);
    assert_non_null(src);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    assert_non_null(za);
    zip_error_fini(&ze);
    char *out = NULL;
    zip_stat_t st;
    if (zip_stat(za, name, 0, &st) == 0) {
        zip_file_t *zf = zip_fopen(za, name, 0);
        assert_non_null(zf);
        out = malloc(st.size + 1);
        assert_non_null(out);
        assert_int_equal(zip_fread(zf, out, st.size), (zip_int64_t)st.size);
        out[st.size] = 0;
        zip_fclose(zf);
        if (len_out)
            *len_out = st.size;
    }
    zip_close(za);
    return out;
}

static char **zip_names(const blob *z, size_t *count)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(z->data, z->len, 0, &ze);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    assert_non_null(za);
    zip_int64_t n = zip_get_num_entries(za, 0);
    char **names = calloc((size_t)n + 1, sizeof *names);
    for (zip_int64_t i = 0; i < n; i++)
        names[i] = strdup(zip_get_name(za, (zip_uint64_t)i, 0));
    zip_close(za);
    *count = (size_t)n;
    return names;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static xmlXPathObjectPtr eval(const char *xml, const char *expr, xmlDocPtr *doc_out)
{
    xmlDocPtr d = xmlReadMemory(xml, (int)strlen(xml), "part.xml", NULL, XML_PARSE_NONET);
    if (!d)
        fail_msg("part is not well-formed XML");
    xmlXPathContextPtr xp = xmlXPathNewContext(d);
    xmlXPathRegisterNs(xp, (const xmlChar *)"w", (const xmlChar *)NS_W);
    xmlXPathRegisterNs(xp, (const xmlChar *)"r",
                       (const xmlChar *)"http://schemas.openxmlformats.org/officeDocument/2006/"
                                        "relationships");
    xmlXPathRegisterNs(xp, (const xmlChar *)"wp",
                       (const xmlChar *)"http://schemas.openxmlformats.org/drawingml/2006/"
                                        "wordprocessingDrawing");
    xmlXPathRegisterNs(xp, (const xmlChar *)"a",
                       (const xmlChar *)"http://schemas.openxmlformats.org/drawingml/2006/main");
    xmlXPathRegisterNs(xp, (const xmlChar *)"pr",
                       (const xmlChar *)"http://schemas.openxmlformats.org/package/2006/"
                                        "relationships");
    xmlXPathRegisterNs(xp, (const xmlChar *)"ct",
                       (const xmlChar *)"http://schemas.openxmlformats.org/package/2006/"
                                        "content-types");
    xmlXPathRegisterNs(xp, (const xmlChar *)"cp",
                       (const xmlChar *)"http://schemas.openxmlformats.org/package/2006/"
                                        "metadata/core-properties");
    xmlXPathRegisterNs(xp, (const xmlChar *)"dc", (const xmlChar *)"http://purl.org/dc/elements/1.1/");
    xmlXPathRegisterNs(xp, (const xmlChar *)"dcterms", (const xmlChar *)"http://purl.org/dc/terms/");
    xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, xp);
    xmlXPathFreeContext(xp);
    if (!o)
        fail_msg("bad XPath %s", expr);
    *doc_out = d;
    return o;
}

static double xnum(const char *xml, const char *expr)
{
    xmlDocPtr d;
    xmlXPathObjectPtr o = eval(xml, expr, &d);
    double v = xmlXPathCastToNumber(o);
    xmlXPathFreeObject(o);
    xmlFreeDoc(d);
    return v;
}

/* String value of expr, malloc'd. */
static char *xstr(const char *xml, const char *expr)
{
    xmlDocPtr d;
    xmlXPathObjectPtr o = eval(xml, expr, &d);
    xmlChar *v = xmlXPathCastToString(o);
    char *out = strdup((const char *)v);
    xmlFree(v);
    xmlXPathFreeObject(o);
    xmlFreeDoc(d);
    return out;
}

#define assert_xcount(xml, expr, n) assert_int_equal((int)xnum((xml), "count(" expr ")"), (n))

static void assert_xstr(const char *xml, const char *expr, const char *want)
{
    char *got = xstr(xml, expr);
    if (strcmp(got, want) != 0) {
        print_error("%s: got '%s', want '%s'\n", expr, got, want);
        free(got);
        fail();
    }
    free(got);
}

/* ---------------------------------------------------------------- tests */

static void test_package_parts(void **state)
{
    fixture *f = *state;
    oct_doc *doc = kitchen_sink();
    blob z = write_doc(f, doc, f->docx);
    size_t n;
    char **names = zip_names(&z, &n);
    static const char *const want[] = {
        "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
        "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml",
        "word/numbering.xml", "word/settings.xml", "word/fontTable.xml", "word/footnotes.xml",
        "word/_rels/footnotes.xml.rels"};
    assert_int_equal(n, sizeof want / sizeof *want + 2); /* + two pictures */
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        assert_string_equal(names[i], want[i]);
    assert_true(strncmp(names[n - 1], "word/media/", 11) == 0);

    char *ct = zip_entry(&z, "[Content_Types].xml", NULL);
    assert_xcount(ct, "/ct:Types/ct:Default[@Extension='png'][@ContentType='image/png']", 1);
    assert_xcount(ct, "/ct:Types/ct:Override[@PartName='/word/footnotes.xml']", 1);
    assert_xcount(ct, "/ct:Types/ct:Override", 8);

    /* every relationship of the document points at a part or is external */
    char *rels = zip_entry(&z, "word/_rels/document.xml.rels", NULL);
    int nrels = (int)xnum(rels, "count(//pr:Relationship)");
    for (int i = 1; i <= nrels; i++) {
        char expr[128];
        snprintf(expr, sizeof expr, "string(//pr:Relationship[%d]/@TargetMode)", i);
        char *mode = xstr(rels, expr);
        snprintf(expr, sizeof expr, "string(//pr:Relationship[%d]/@Target)", i);
        char *target = xstr(rels, expr);
        if (strcmp(mode, "External") != 0) {
            char path[256];
            snprintf(path, sizeof path, "word/%s", target);
            char *part = zip_entry(&z, path, NULL);
            assert_non_null(part);
            free(part);
        }
        free(mode);
        free(target);
    }
    assert_xcount(rels, "//pr:Relationship[@Target='https://example.com/a%20b'][@TargetMode='External']", 1);

    char *core = zip_entry(&z, "docProps/core.xml", NULL);
    assert_xstr(core, "string(//dc:title)", "Kitchen sink");
    assert_xstr(core, "string(//dc:creator)", "Ada Lovelace; Charles Babbage");
    assert_xstr(core, "string(//cp:keywords)", "engines, notes");
    assert_xstr(core, "string(//dc:language)", "en-GB");
    assert_xstr(core, "string(//dcterms:created)", "2024-03-01T00:00:00Z");
    free(core);
    free(rels);
    free(ct);
    free_names(names, n);
    free(z.data);
    oct_doc_free(doc);
}

static void test_styles(void **state)
{
    fixture *f = *state;
    oct_doc *doc = kitchen_sink();
    blob z = write_doc(f, doc, f->docx);
    char *styles = zip_entry(&z, "word/styles.xml", NULL);
    static const char *const ids[] = {
        "Normal", "BodyText", "FirstParagraph", "Title", "Subtitle", "Author", "Date",
        "Heading1", "Heading6", "BlockText", "SourceCode", "VerbatimChar", "Hyperlink",
        "Caption", "Table", "FootnoteText", "FootnoteReference", "ListParagraph"};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        char expr[160];
        snprintf(expr, sizeof expr, "count(//w:style[@w:styleId='%s'])", ids[i]);
        if (xnum(styles, expr) != 1)
            fail_msg("style %s defined %g times", ids[i], xnum(styles, expr));
    }
    assert_xstr(styles, "string(//w:style[@w:styleId='Heading3']/w:name/@w:val)", "heading 3");
    assert_xstr(styles, "string(//w:style[@w:styleId='Heading3']/w:pPr/w:outlineLvl/@w:val)", "2");
    assert_xstr(styles, "string(//w:docDefaults//w:lang/@w:val)", "en-GB");

    /* every style the document uses is defined */
    char *body = zip_entry(&z, "word/document.xml", NULL);
    xmlDocPtr d;
    xmlXPathObjectPtr o = eval(body, "//w:pStyle/@w:val | //w:rStyle/@w:val | //w:tblStyle/@w:val", &d);
    assert_true(o->nodesetval && o->nodesetval->nodeNr > 10);
    for (int i = 0; i < o->nodesetval->nodeNr; i++) {
        xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
        char expr[160];
        snprintf(expr, sizeof expr, "count(//w:style[@w:styleId='%s'])", (const char *)v);
        if (xnum(styles, expr) != 1)
            fail_msg("document uses undefined style %s", (const char *)v);
        xmlFree(v);
    }
    xmlXPathFreeObject(o);
    xmlFreeDoc(d);
    free(body);
    free(styles);
    free(z.data);
    oct_doc_free(doc);
}

static void test_blocks_and_runs(void **state)
{
    fixture *f = *state;
    oct_doc *doc = kitchen_sink();
    blob z = write_doc(f, doc, f->docx);
    char *x = zip_entry(&z, "word/document.xml", NULL);

    /* title block */
    assert_xstr(x, "string(//w:p[w:pPr/w:pStyle/@w:val='Title'])", "Kitchen sink");
    assert_xcount(x, "//w:p[w:pPr/w:pStyle/@w:val='Author']", 2);
    assert_xstr(x, "string(//w:p[w:pPr/w:pStyle/@w:val='Date'])", "2024-03-01");
    /* headings carry bookmarks; odd ids get a valid generated name */
    assert_xcount(x, "//w:p[w:pPr/w:pStyle/@w:val='Heading1']/w:bookmarkStart[@w:name='intro']", 1);
    char *odd = xstr(x, "string(//w:p[w:pPr/w:pStyle/@w:val='Heading2']/w:bookmarkStart/@w:name)");
    assert_true(strncmp(odd, "_oct", 4) == 0);
    char expr[200];
    snprintf(expr, sizeof expr, "count(//w:hyperlink[@w:anchor='%s'])", odd);
    assert_int_equal((int)xnum(x, expr), 1);
    free(odd);
    assert_xcount(x, "//w:hyperlink[@w:anchor='intro']", 1);
    assert_xcount(x, "//w:hyperlink[@r:id]//w:rStyle[@w:val='Hyperlink']", 1);
    /* first paragraph after a heading, body text after that */
    assert_xstr(x, "string(//w:p[w:pPr/w:pStyle/@w:val='FirstParagraph'][2])",
                "First paragraph after a heading.");
    assert_xcount(x, "//w:p[w:pPr/w:pStyle/@w:val='BodyText'][.='Then body text.']", 1);
    /* emphasis and friends */
    assert_xcount(x, "//w:r[w:rPr/w:i][w:t='emphasis']", 1);
    assert_xcount(x, "//w:r[w:rPr/w:b][w:t='strong']", 1);
    assert_xcount(x, "//w:r[w:rPr/w:strike][w:t='struck']", 1);
    assert_xcount(x, "//w:r[w:rPr/w:vertAlign/@w:val='subscript'][w:t='2']", 1);
    assert_xcount(x, "//w:r[w:rPr/w:vertAlign/@w:val='superscript'][w:t='2']", 1);
    assert_xcount(x, "//w:r[w:rPr/w:u/@w:val='single'][w:t='under']", 1);
    assert_xcount(x, "//w:r[w:rPr/w:rStyle/@w:val='VerbatimChar'][w:t='x = 1']", 1);
    assert_xcount(x, "//w:r/w:br", 1 + 3); /* line break + code block lines */
    /* quotes nest, indenting further */
    assert_xstr(x, "string(//w:p[.='Nested quote.']/w:pPr/w:pStyle/@w:val)", "BlockText");
    assert_xstr(x, "string(//w:p[.='Nested quote.']/w:pPr/w:ind/@w:left)", "1440");
    /* spaces Word would trim are preserved, and only those */
    assert_xcount(x, "//w:t[.=' and '][@xml:space='preserve']", 2);
    assert_xcount(x, "//w:t[.='Then body text.'][@xml:space]", 0);
    /* code keeps its spacing and tabs */
    assert_xcount(x, "//w:p[w:pPr/w:pStyle/@w:val='SourceCode']//w:tab", 1);
    assert_xcount(x, "//w:p[w:pPr/w:pStyle/@w:val='SourceCode']//w:t[.='return  0;'][@xml:space='preserve']", 1);
    /* definition list */
    assert_xstr(x, "string(//w:p[w:pPr/w:pStyle/@w:val='DefinitionTerm'])", "Term");
    assert_xstr(x, "string(//w:p[w:pPr/w:pStyle/@w:val='Definition'])", "Its definition.");
    /* thematic break, language and direction */
    assert_xcount(x, "//w:p/w:pPr/w:pBdr/w:bottom", 1);
    assert_xcount(x, "//w:p[w:pPr/w:bidi]//w:r[w:rPr/w:rtl][w:rPr/w:lang/@w:val='ar']", 1);
    assert_xcount(x, "//w:r[w:rPr/w:lang/@w:val='fr'][w:t='bonjour']", 1);
    /* the body ends with the page setup */
    assert_xcount(x, "/w:document/w:body/*[last()][self::w:sectPr]/w:pgSz", 1);
    free(x);
    free(z.data);
    oct_doc_free(doc);
}

static void test_lists(void **state)
{
    fixture *f = *state;
    oct_doc *doc = kitchen_sink();
    blob z = write_doc(f, doc, f->docx);
    char *x = zip_entry(&z, "word/document.xml", NULL);
    char *num = zip_entry(&z, "word/numbering.xml", NULL);

    char *first = xstr(x, "string(//w:p[.='one']/w:pPr/w:numPr/w:numId/@w:val)");
    char *nested = xstr(x, "string(//w:p[.='two-a']/w:pPr/w:numPr/w:numId/@w:val)");
    char *second = xstr(x, "string(//w:p[.='five']/w:pPr/w:numPr/w:numId/@w:val)");
    char *third = xstr(x, "string(//w:p[.='three']/w:pPr/w:numPr/w:numId/@w:val)");
    assert_string_equal(third, first);
    free(third);
    assert_string_not_equal(first, second);
    assert_string_not_equal(first, nested);
    assert_xstr(x, "string(//w:p[.='two-a']/w:pPr/w:numPr/w:ilvl/@w:val)", "1");
    assert_xstr(x, "string(//w:p[.='one']/w:pPr/w:numPr/w:ilvl/@w:val)", "0");
    /* the empty item still shows its number */
    char expr[200];
    snprintf(expr, sizeof expr, "count(//w:p[w:pPr/w:numPr/w:numId/@w:val='%s'])", second);
    assert_int_equal((int)xnum(x, expr), 3);

    /* each ordered list restarts at its own start value */
    snprintf(expr, sizeof expr, "string(//w:num[@w:numId='%s']/w:lvlOverride/w:startOverride/@w:val)", second);
    char *start = xstr(num, expr);
    assert_string_equal(start, "5");
    snprintf(expr, sizeof expr, "string(//w:num[@w:numId='%s']/w:lvlOverride/w:startOverride/@w:val)", first);
    char *start1 = xstr(num, expr);
    assert_string_equal(start1, "1");
    snprintf(expr, sizeof expr, "string(//w:abstractNum[@w:abstractNumId=//w:num[@w:numId='%s']/w:abstractNumId/@w:val]/w:lvl[1]/w:numFmt/@w:val)", second);
    char *fmt = xstr(num, expr);
    assert_string_equal(fmt, "lowerRoman");
    free(fmt);
    free(start);
    free(start1);
    free(first);
    free(nested);
    free(second);
    free(num);
    free(x);
    free(z.data);
    oct_doc_free(doc);
}

static void test_tables(void **state)
{
    fixture *f = *state;
    oct_doc *doc = kitchen_sink();
    blob z = write_doc(f, doc, f->docx);
    char *x = zip_entry(&z, "word/document.xml", NULL);
    /* the caption comes before its table */
    assert_xcount(x, "//w:p[w:pPr/w:pStyle/@w:val='Caption'][.='A table']/following-sibling::*[1][self::w:tbl]", 1);
    const char *outer = "//w:tbl[w:tblGrid/w:gridCol[3]]";
    char expr[300];
    snprintf(expr, sizeof expr, "count(%s)", outer);
    assert_int_equal((int)xnum(x, expr), 1);
    /* header row repeated, spans, vertical merge, padded short row */
    snprintf(expr, sizeof expr, "count(%s/w:tr[1]/w:trPr/w:tblHeader)", outer);
    assert_int_equal((int)xnum(x, expr), 1);
    snprintf(expr, sizeof expr, "string(%s/w:tr[1]/w:tc[2]/w:tcPr/w:gridSpan/@w:val)", outer);
    char *span = xstr(x, expr);
    assert_string_equal(span, "2");
    free(span);
    snprintf(expr, sizeof expr, "string(%s/w:tr[2]/w:tc[1]/w:tcPr/w:vMerge/@w:val)", outer);
    char *restart = xstr(x, expr);
    assert_string_equal(restart, "restart");
    free(restart);
    snprintf(expr, sizeof expr, "count(%s/w:tr[3]/w:tc[1]/w:tcPr/w:vMerge[not(@w:val)])", outer);
    assert_int_equal((int)xnum(x, expr), 1);
    for (int row = 1; row <= 4; row++) {
        /* every row covers the three grid columns */
        snprintf(expr, sizeof expr,
                 "count(%s/w:tr[%d]/w:tc) + sum(%s/w:tr[%d]/w:tc/w:tcPr/w:gridSpan/@w:val) - "
                 "count(%s/w:tr[%d]/w:tc/w:tcPr/w:gridSpan)",
                 outer, row, outer, row, outer, row);
        assert_int_equal((int)xnum(x, expr), 3);
    }
    /* every cell holds a paragraph and ends with one */
    assert_xcount(x, "//w:tc[not(w:p)]", 0);
    assert_xcount(x, "//w:tc[not(*[last()][self::w:p])]", 0);
    assert_xcount(x, "//w:tc//w:tbl", 1);
    free(x);
    free(z.data);
    oct_doc_free(doc);
}

static void test_footnotes(void **state)
{
    fixture *f = *state;
    oct_doc *doc = kitchen_sink();
    /* a second reference to the same note */
    oct_node *p = para(oct_doc_root(doc), "Again");
    oct_node *ref = add(p, OCT_NODE_FOOTNOTE_REF);
    oct_node_set_footnote_label(ref, "n1");
    oct_node_insert_before(oct_node_first_child(oct_doc_root(doc)), p);
    blob z = write_doc(f, doc, f->docx);
    char *x = zip_entry(&z, "word/document.xml", NULL);
    char *notes = zip_entry(&z, "word/footnotes.xml", NULL);
    char *rels = zip_entry(&z, "word/_rels/footnotes.xml.rels", NULL);
    char *settings = zip_entry(&z, "word/settings.xml", NULL);
    assert_non_null(rels);
    /* each note referenced exactly once (Word's rule), the unreferenced one too */
    assert_xcount(x, "//w:footnoteReference[@w:id='1']", 1);
    assert_xcount(x, "//w:footnoteReference[@w:id='2']", 1);
    assert_xcount(x, "//w:footnoteReference", 2);
    assert_xcount(notes, "//w:footnote", 4);
    assert_xcount(notes, "//w:footnote[@w:id='-1'][@w:type='separator']", 1);
    assert_xcount(notes, "//w:footnote[@w:id='1']/w:p[1]/w:r[1]/w:footnoteRef", 1);
    assert_xcount(notes, "//w:footnote[@w:id='1']//w:p[w:pPr/w:pStyle/@w:val='FootnoteText']", 1);
    assert_xcount(notes, "//w:footnote[@w:id='1']//w:hyperlink[@r:id]", 1);
    assert_xcount(rels, "//pr:Relationship[@Target='https://example.org/note']", 1);
    assert_xcount(settings, "//w:footnotePr/w:footnote", 2);
    free(settings);
    free(rels);
    free(notes);
    free(x);
    free(z.data);
    oct_doc_free(doc);
}

static void test_images(void **state)
{
    fixture *f = *state;
    oct_doc *doc = kitchen_sink();
    oct_node *p = add(oct_doc_root(doc), OCT_NODE_PARAGRAPH);
    /* the same picture again is stored once; an SVG falls back to its alt */
    image(p, doc, 200, 100, "Again");
    oct_resource *svg = oct_doc_add_resource(doc, "<svg xmlns='http://www.w3.org/2000/svg'/>", 41,
                                             "image/svg+xml", NULL, NULL);
    assert_non_null(svg);
    oct_node *img = add(p, OCT_NODE_IMAGE);
    oct_node_set_image_resource(img, svg);
    oct_node_set_image_alt(img, "vector alt");
    /* a requested display width wins, keeping the aspect ratio */
    oct_node *sized = image(p, doc, 200, 100, "Sized");
    oct_node_set_image_size(sized, 100, 0);
    blob z = write_doc(f, doc, f->docx);
    char *x = zip_entry(&z, "word/document.xml", NULL);
    size_t n;
    char **names = zip_names(&z, &n);
    int media = 0;
    for (size_t i = 0; i < n; i++)
        media += strncmp(names[i], "word/media/", 11) == 0;
    assert_int_equal(media, 2);
    /* 96 dpi: 9525 EMU per pixel */
    assert_xcount(x, "//wp:inline[wp:docPr/@descr='A small picture']/wp:extent[@cx='1905000'][@cy='952500']", 1);
    /* 4000 px does not fit: scaled to the 6.5 in text width */
    assert_xcount(x, "//wp:inline[wp:docPr/@descr='A wide picture']/wp:extent[@cx='5943600'][@cy='1485900']", 1);
    assert_xcount(x, "//wp:inline[wp:docPr/@descr='Sized']/wp:extent[@cx='952500'][@cy='476250']", 1);
    assert_xcount(x, "//w:r[w:t='vector alt']", 1);
    assert_xstr(x, "string(//w:p[.//wp:docPr/@descr='A small picture']/w:pPr/w:pStyle/@w:val)", "Figure");
    assert_xcount(x, "//w:p[w:pPr/w:pStyle/@w:val='Caption'][.='Figure caption']", 1);
    /* drawing ids are unique */
    assert_xcount(x, "//wp:docPr[@id=preceding::wp:docPr/@id]", 0);
    free_names(names, n);
    free(x);
    free(z.data);
    oct_doc_free(doc);
}

static void test_reproducible(void **state)
{
    fixture *f = *state;
    oct_doc *doc = kitchen_sink();
    blob a = write_doc(f, doc, f->docx);
    blob b = write_doc(f, doc, f->docx);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    free(b.data);

    /* without a document date: SOURCE_DATE_EPOCH, else no date at all */
    oct_meta_set(doc, OCT_META_DATE, NULL);
    unsetenv("SOURCE_DATE_EPOCH");
    blob c = write_doc(f, doc, f->docx);
    char *core = zip_entry(&c, "docProps/core.xml", NULL);
    assert_xcount(core, "//dcterms:created", 0);
    free(core);
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    blob d = write_doc(f, doc, f->docx);
    core = zip_entry(&d, "docProps/core.xml", NULL);
    assert_xstr(core, "string(//dcterms:modified)", "2023-11-14T22:13:20Z");
    unsetenv("SOURCE_DATE_EPOCH");
    free(core);
    free(c.data);
    free(d.data);
    free(a.data);
    oct_doc_free(doc);
}

static int b64_value(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

static unsigned char *b64_decode(const char *s, size_t n, size_t *out_len)
{
    unsigned char *out = malloc(n + 1);
    size_t j = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_value((unsigned char)s[i]);
        if (v < 0)
            continue;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[j++] = (unsigned char)(acc >> bits);
        }
    }
    *out_len = j;
    return out;
}

static void test_flat_opc_same_parts(void **state)
{
    fixture *f = *state;
    oct_doc *doc = kitchen_sink();
    blob z = write_doc(f, doc, f->docx);
    blob flat = write_doc(f, doc, f->flat);
    const char *xml = (const char *)flat.data;
    assert_non_null(strstr(xml, "<?mso-application progid=\"Word.Document\"?>"));
    xmlDocPtr parsed = xmlReadMemory(xml, (int)flat.len, "flat.xml", NULL, XML_PARSE_NONET);
    assert_non_null(parsed);
    xmlFreeDoc(parsed);

    size_t n;
    char **names = zip_names(&z, &n);
    int compared = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], "[Content_Types].xml") == 0)
            continue;
        size_t len = 0;
        char *part = zip_entry(&z, names[i], &len);
        char key[300];
        snprintf(key, sizeof key, "pkg:name=\"/%s\"", names[i]);
        const char *at = strstr(xml, key);
        if (!at)
            fail_msg("part %s missing from the flat file", names[i]);
        const char *xmldata = strstr(at, "<pkg:xmlData>");
        const char *bindata = strstr(at, "<pkg:binaryData>");
        const char *end_part = strstr(at, "</pkg:part>");
        if (xmldata && xmldata < end_part) {
            /* the zip part is the flat content preceded by its declaration */
            xmldata += strlen("<pkg:xmlData>");
            const char *close = strstr(xmldata, "</pkg:xmlData>");
            size_t flen = (size_t)(close - xmldata);
            assert_true(strncmp(part, "<?xml", 5) == 0);
            const char *body = strchr(part, '>') + 1;
            while (*body == '\n' || *body == '\r')
                body++;
            size_t blen = len - (size_t)(body - part);
            assert_int_equal(blen, flen);
            assert_memory_equal(body, xmldata, flen);
        } else {
            assert_true(bindata && bindata < end_part);
            bindata += strlen("<pkg:binaryData>");
            const char *close = strstr(bindata, "</pkg:binaryData>");
            size_t dlen;
            unsigned char *decoded = b64_decode(bindata, (size_t)(close - bindata), &dlen);
            assert_int_equal(dlen, len);
            assert_memory_equal(decoded, part, len);
            free(decoded);
        }
        compared++;
        free(part);
    }
    assert_int_equal(compared, (int)n - 1);
    /* and nothing more in the flat file */
    int parts = 0;
    for (const char *p = xml; (p = strstr(p, "<pkg:part ")); p++)
        parts++;
    assert_int_equal(parts, compared);

    /* the shared checker's own Flat OPC conversion of the zip gives the
     * very same file */
    const char *src = octest_env("OCTAVO_SOURCE_DIR");
    char tool[512], dir[256], zpath[512], fpath[512], cmd[2048];
    snprintf(tool, sizeof tool, "%s/../shared/ooxml/tools/docx2flatopc.py", src);
    if (octest_exists(tool)) {
        octest_tempdir(dir, sizeof dir);
        octest_write_file(octest_path(zpath, sizeof zpath, dir, "a.docx"), z.data, z.len);
        octest_path(fpath, sizeof fpath, dir, "a.xml");
        snprintf(cmd, sizeof cmd, "python3 '%s' '%s' '%s'", tool, zpath, fpath);
        assert_int_equal(system(cmd), 0);
        size_t tlen = 0;
        char *theirs = octest_read_file(fpath, &tlen);
        assert_non_null(theirs);
        while (tlen && theirs[tlen - 1] == '\n')
            tlen--;
        size_t olen = flat.len;
        while (olen && flat.data[olen - 1] == '\n')
            olen--;
        assert_int_equal(tlen, olen);
        assert_memory_equal(theirs, flat.data, olen);
        free(theirs);
        octest_remove_tree(dir);
    }
    free_names(names, n);
    free(flat.data);
    free(z.data);
    oct_doc_free(doc);
}

/* ------------------------------------------------------ reference docx */

static void zip_put(zip_t *za, const char *name, const char *text)
{
    zip_source_t *s = zip_source_buffer(za, text, strlen(text), 0);
    assert_non_null(s);
    assert_true(zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8) >= 0);
}

/* A template as a user's Word would save it: its own heading colour, a
 * custom style, numbering its styles point to, A4 landscape with a header. */
static blob reference_docx(void)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    zip_put(za, "[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
    zip_put(za, "word/styles.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            "<w:styles xmlns:w=\"" NS_W "\">"
            "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>"
            "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
            "<w:basedOn w:val=\"Normal\"/><w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr><w:outlineLvl w:val=\"0\"/></w:pPr>"
            "<w:rPr><w:color w:val=\"FF0000\"/></w:rPr></w:style>"
            "<w:style w:type=\"paragraph\" w:styleId=\"MyStyle\"><w:name w:val=\"My Style\"/></w:style>"
            "</w:styles>");
    zip_put(za, "word/numbering.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            "<w:numbering xmlns:w=\"" NS_W "\">"
            "<w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"multilevel\"/>"
            "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1\"/></w:lvl></w:abstractNum>"
            "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
            "</w:numbering>");
    zip_put(za, "word/document.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
            "<w:body><w:p/><w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId9\"/>"
            "<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>"
            "<w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>"
            "<w:cols w:space=\"708\"/></w:sectPr></w:body></w:document>");
    assert_int_equal(zip_close(za), 0);
    assert_int_equal(zip_source_open(src), 0);
    zip_stat_t st;
    zip_source_stat(src, &st);
    blob b = {malloc(st.size), st.size};
    assert_int_equal(zip_source_read(src, b.data, st.size), (zip_int64_t)st.size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    return b;
}

static void test_reference_doc(void **state)
{
    fixture *f = *state;
    oct_doc *doc = kitchen_sink();
    blob ref = reference_docx();
    oct_resource *r = oct_doc_add_resource(
        doc, ref.data, ref.len,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", NULL, NULL);
    assert_non_null(r);
    oct_meta_set(doc, "reference-doc", oct_resource_id(r));
    blob z = write_doc(f, doc, f->docx);
    char *styles = zip_entry(&z, "word/styles.xml", NULL);
    char *num = zip_entry(&z, "word/numbering.xml", NULL);
    char *x = zip_entry(&z, "word/document.xml", NULL);

    /* the template's styles win, ours fill the gaps */
    assert_xcount(styles, "//w:style[@w:styleId='Heading1']", 1);
    assert_xstr(styles, "string(//w:style[@w:styleId='Heading1']/w:rPr/w:color/@w:val)", "FF0000");
    assert_xcount(styles, "//w:style[@w:styleId='MyStyle']", 1);
    assert_xcount(styles, "//w:style[@w:styleId='BodyText']", 1);
    assert_xcount(styles, "//w:style[@w:styleId='Normal']", 1);
    /* its numbering stays (its heading style uses numId 1); ours come after */
    assert_xcount(num, "//w:num[@w:numId='1']/w:abstractNumId[@w:val='0']", 1);
    assert_xcount(num, "//w:abstractNum[@w:abstractNumId='0']", 1);
    assert_xcount(num, "//w:num[@w:numId='1']", 1);
    assert_xcount(num, "/w:numbering/w:num[1][preceding-sibling::w:abstractNum]", 1);
    assert_xcount(num, "/w:numbering/w:abstractNum[preceding-sibling::w:num]", 0);
    char *used = xstr(x, "string(//w:p[.='one']/w:pPr/w:numPr/w:numId/@w:val)");
    assert_true(atoi(used) >= 2);
    char expr[200];
    snprintf(expr, sizeof expr, "count(//w:num[@w:numId='%s'])", used);
    assert_int_equal((int)xnum(num, expr), 1);
    free(used);
    /* page setup from the template, without its header (not carried over) */
    assert_xcount(x, "//w:sectPr/w:pgSz[@w:w='16838'][@w:orient='landscape']", 1);
    assert_xcount(x, "//w:sectPr/w:headerReference", 0);
    /* text width follows: 16838 - 2 * 1134 twips */
    assert_xcount(x, "//wp:inline[wp:docPr/@descr='A wide picture']/wp:extent[@cx='9251950']", 1);
    free(x);
    free(num);
    free(styles);
    free(z.data);
    free(ref.data);
    oct_doc_free(doc);
}

static void test_broken_reference_doc(void **state)
{
    fixture *f = *state;
    oct_doc *doc = kitchen_sink();
    oct_resource *r = oct_doc_add_resource(
        doc, "not a zip at all", 16,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", NULL, NULL);
    assert_non_null(r);
    oct_meta_set(doc, "reference-doc", oct_resource_id(r));
    size_t before = oct_context_warning_count(f->ctx);
    blob z = write_doc(f, doc, f->docx);
    assert_true(oct_context_warning_count(f->ctx) > before);
    char *styles = zip_entry(&z, "word/styles.xml", NULL);
    assert_xcount(styles, "//w:style[@w:styleId='BodyText']", 1);
    free(styles);
    free(z.data);
    oct_doc_free(doc);
}

static void test_title_block_option(void **state)
{
    fixture *f = *state;
    oct_doc *doc = kitchen_sink();
    oct_context_set_option(f->ctx, "title-block", "off");
    blob z = write_doc(f, doc, f->docx);
    char *x = zip_entry(&z, "word/document.xml", NULL);
    assert_xcount(x, "//w:pStyle[@w:val='Title' or @w:val='Author' or @w:val='Date']", 0);
    /* the title still names the document */
    char *core = zip_entry(&z, "docProps/core.xml", NULL);
    assert_xstr(core, "string(//dc:title)", "Kitchen sink");
    free(core);
    free(x);
    free(z.data);
    oct_doc_free(doc);
}

/* ------------------------------------------------------- pathological */

static void test_deep_nesting(void **state)
{
    fixture *f = *state;
    oct_doc *doc = oct_doc_new();
    oct_limits lim;
    oct_limits_default(&lim);
    lim.max_nodes = 1000000;
    oct_doc_set_limits(doc, &lim);
    oct_node *parent = oct_doc_root(doc);
    /* alternate quotes and lists, 20,000 levels deep, then a deep inline */
    for (int i = 0; i < 10000; i++) {
        oct_node *q = add(parent, OCT_NODE_BLOCK_QUOTE);
        oct_node *l = add(q, OCT_NODE_LIST);
        parent = add(l, OCT_NODE_LIST_ITEM);
    }
    oct_node *p = add(parent, OCT_NODE_PARAGRAPH);
    for (int i = 0; i < 10000; i++)
        p = add(p, i % 2 ? OCT_NODE_EMPH : OCT_NODE_STRONG);
    text(p, "deep");
    blob z = write_doc(f, doc, f->docx);
    char *x = zip_entry(&z, "word/document.xml", NULL);
    assert_xcount(x, "//w:r[w:rPr/w:b][w:rPr/w:i][w:t='deep']", 1);
    assert_xcount(x, "//w:ilvl[@w:val > 8]", 0);
    free(x);
    free(z.data);
    oct_doc_free(doc);
}

static void test_hostile_text(void **state)
{
    fixture *f = *state;
    oct_doc *doc = oct_doc_new();
    oct_node *p = add(oct_doc_root(doc), OCT_NODE_PARAGRAPH);
    /* control characters XML forbids, markup characters, a huge URL */
    text(p, "a\x01" "b\x0B<c>&\"d\"\xEF\xBF\xBF");
    char *url = malloc(5000);
    memset(url, 'x', 4999);
    memcpy(url, "http://", 7);
    url[4999] = 0;
    add_link(p, url, "long");
    free(url);
    /* targets must be URIs: invisible marks trimmed, the rest escaped */
    add_link(p, "\xE2\x80\x8B https://x.org/a[b]%zz#f#g\xC3\xA9 ", "escaped");
    add_link(p, "%41:b", "relative");
    blob z = write_doc(f, doc, f->docx);
    char *x = zip_entry(&z, "word/document.xml", NULL);
    char *rels = zip_entry(&z, "word/_rels/document.xml.rels", NULL);
    assert_xstr(x, "string(//w:p)", "ab<c>&\"d\"longescapedrelative");
    assert_xcount(x, "//w:hyperlink", 2);
    assert_xcount(x, "//w:hyperlink[.='long']", 0);
    assert_xcount(rels, "//pr:Relationship[@Target='https://x.org/a%5Bb%5D%25zz#f%23g%C3%A9']", 1);
    assert_xcount(rels, "//pr:Relationship[@Target='./%41:b']", 1);
    free(rels);
    free(x);
    free(z.data);
    oct_doc_free(doc);
}

/* Runs are scanned eight bytes at a time and their markup is written around
 * the text: spaces side by side at every offset of a word, tabs and line
 * ends far into a run, markup characters in a tooltip and in a target, and
 * text that cleans away to nothing must all come out as before. */
static void test_run_scanning(void **state)
{
    fixture *f = *state;
    oct_doc *doc = oct_doc_new();
    oct_node *root = oct_doc_root(doc);
    char s[32];
    for (int at = 1; at < 22; at++) {
        memset(s, 'x', 24);
        s[24] = '\0';
        s[at] = s[at + 1] = ' ';
        para(root, s);
    }
    para(root, "abcdefg hijklmn opqrstu vwxyz abcdefg");
    para(root, "0123456789abcdef\tghijklmnopqrstuv\nwxyz");
    oct_node *code = add(root, OCT_NODE_CODE_BLOCK);
    const char *lines = "0123456789abcdef\n0123456789abcdef\r\nlast";
    oct_node_set_literal(code, lines, strlen(lines));
    oct_node *p = add(root, OCT_NODE_PARAGRAPH);
    oct_node *link = add_link(p, "https://e.org/?a=1&b=<2>", "titled");
    oct_node_set_title(link, "a<b&c\"d>e");
    text(p, "\x01\x02");
    blob z = write_doc(f, doc, f->docx);
    char *x = zip_entry(&z, "word/document.xml", NULL);
    char *rels = zip_entry(&z, "word/_rels/document.xml.rels", NULL);
    /* every pair of spaces is preserved, single spaces are not */
    assert_xcount(x, "//w:t[contains(., '  ')][@xml:space='preserve']", 21);
    assert_xcount(x, "//w:t[contains(., '  ')][not(@xml:space)]", 0);
    assert_xcount(x, "//w:t[starts-with(., 'abcdefg ')][@xml:space]", 0);
    /* a tab and a soft line end past the first word */
    assert_xstr(x, "string(//w:p[w:r/w:tab])", "0123456789abcdefghijklmnopqrstuv wxyz");
    assert_xcount(x, "//w:p[w:r/w:tab]//w:t[.=' '][@xml:space='preserve']", 1);
    /* code lines, CRLF counted once */
    assert_xcount(x, "//w:p[w:pPr/w:pStyle/@w:val='SourceCode']//w:br", 2);
    assert_xcount(x, "//w:p[w:pPr/w:pStyle/@w:val='SourceCode']//w:t[.='last']", 1);
    /* the tooltip and the target read back as they were given */
    assert_xcount(x, "//w:hyperlink[@w:tooltip='a<b&c\"d>e'][@r:id][.='titled']", 1);
    assert_xcount(rels, "//pr:Relationship[@Target='https://e.org/?a=1&b=%3C2%3E']", 1);
    /* forbidden characters dropped: an empty w:t, still well-formed */
    assert_xcount(x, "//w:hyperlink/following-sibling::w:r/w:t[.='']", 1);
    free(rels);
    free(x);
    free(z.data);
    oct_doc_free(doc);
}

/* The scans for run breaks and for spaces Word would collapse look at
 * sixteen bytes at a time, the last few as the sixteen that end the text:
 * a pair of spaces, a tab or a line end at every offset of texts of one,
 * two and three such blocks, the pairs across block boundaries included. */
static void test_run_scanning_offsets(void **state)
{
    fixture *f = *state;
    static const size_t lengths[] = {15, 16, 17, 31, 32, 33, 40, 47, 48, 49};
    static const char breaks[] = {'\t', '\n', '\r'};
    char s[64], expr[160];
    size_t pairs = 0;
    oct_doc *doc = oct_doc_new();
    oct_node *root = oct_doc_root(doc);

    for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++) {
        const size_t len = lengths[l];
        for (size_t at = 1; at + 2 < len; at++) {
            memset(s, 'a' + (int)(at % 26), len);
            s[len] = '\0';
            s[at] = s[at + 1] = ' ';
            para(root, s);
            pairs++;
        }
        for (size_t at = 1; at + 1 < len; at++) {
            memset(s, 'P', len); /* capitals: the pairs' texts are lower case */
            s[len] = '\0';
            s[at] = breaks[at % 3];
            para(root, s);
        }
        /* single spaces only, one every sixteen bytes: nothing to keep */
        memset(s, 'Q', len);
        s[len] = '\0';
        for (size_t at = 7; at + 1 < len; at += 16)
            s[at] = ' ';
        para(root, s);
    }
    blob z = write_doc(f, doc, f->docx);
    char *x = zip_entry(&z, "word/document.xml", NULL);
    snprintf(expr, sizeof expr, "count(//w:t[contains(., '  ')][@xml:space='preserve'])");
    assert_int_equal((int)xnum(x, expr), (int)pairs);
    assert_xcount(x, "//w:t[contains(., '  ')][not(@xml:space)]", 0);
    assert_xcount(x, "//w:t[starts-with(., 'Q')][@xml:space]", 0);
    /* every tab split its run at its own offset, every line end became a
     * preserved space: no break character is left in any text */
    assert_xcount(x, "//w:t[contains(., '\t') or contains(., '\n') or contains(., '\r')]", 0);
    size_t tabs = 0, ends = 0;
    for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++)
        for (size_t at = 1; at + 1 < lengths[l]; at++)
            if (breaks[at % 3] == '\t')
                tabs++;
            else
                ends++;
    assert_xcount(x, "//w:r/w:tab", (int)tabs);
    snprintf(expr, sizeof expr, "count(//w:p[starts-with(., 'P')]//w:t[.=' '][@xml:space='preserve'])");
    assert_int_equal((int)xnum(x, expr), (int)ends);
    free(x);
    free(z.data);
    oct_doc_free(doc);
}

/* numbering.xml is written through the markup batch: the bytes of a level
 * and of a list's instance, pinned. */
static void test_numbering_markup(void **state)
{
    fixture *f = *state;
    oct_doc *doc = oct_doc_new();
    oct_node *root = oct_doc_root(doc);
    item(list(root, OCT_LIST_DECIMAL, 3), "three");
    item(list(root, OCT_LIST_BULLET, 1), "dot");
    blob z = write_doc(f, doc, f->docx);
    char *num = zip_entry(&z, "word/numbering.xml", NULL);
    assert_non_null(strstr(num, "<w:abstractNum w:abstractNumId=\"1\"><w:nsid w:val=\"6F637401\"/>"
                                "<w:multiLevelType w:val=\"multilevel\"/><w:lvl w:ilvl=\"0\">"
                                "<w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>"
                                "<w:lvlText w:val=\"%1.\"/><w:lvlJc w:val=\"left\"/><w:pPr>"
                                "<w:ind w:left=\"720\" w:hanging=\"360\"/></w:pPr></w:lvl>"));
    assert_non_null(strstr(num, "<w:lvl w:ilvl=\"8\"><w:start w:val=\"1\"/><w:numFmt "
                                "w:val=\"decimal\"/><w:lvlText w:val=\"%9.\"/>"));
    assert_non_null(strstr(num, "<w:lvlText w:val=\"\xE2\x97\xA6\"/>"));
    assert_non_null(strstr(num, "<w:ind w:left=\"6480\" w:hanging=\"360\"/>"));
    assert_non_null(strstr(num, "\n<w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/>"
                                "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"3\"/>"
                                "</w:lvlOverride></w:num>\n<w:num w:numId=\"2\">"
                                "<w:abstractNumId w:val=\"0\"/></w:num>\n</w:numbering>"));
    free(num);
    free(z.data);
    oct_doc_free(doc);
}

/* Ids that are not Word bookmark names get "_oct<n>", n counting in
 * document order past one digit. */
static void test_generated_bookmarks(void **state)
{
    fixture *f = *state;
    oct_doc *doc = oct_doc_new();
    oct_node *root = oct_doc_root(doc);
    char id[16], name[32], expr[160];
    for (int i = 1; i <= 12; i++) {
        snprintf(id, sizeof id, "%d odd", i);
        heading(root, 2, id, id);
    }
    blob z = write_doc(f, doc, f->docx);
    char *x = zip_entry(&z, "word/document.xml", NULL);
    for (int i = 1; i <= 12; i++) {
        snprintf(name, sizeof name, "_oct%d", i);
        snprintf(expr, sizeof expr, "count(//w:p[.='%d odd']/w:bookmarkStart[@w:name='%s'])", i,
                 name);
        assert_int_equal((int)xnum(x, expr), 1);
    }
    free(x);
    free(z.data);
    oct_doc_free(doc);
}

/* ------------------------------------------------ external validators */

static int have_program(const char *name)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}

static void test_validates_and_reads_back(void **state)
{
    fixture *f = *state;
    char dir[256];
    octest_tempdir(dir, sizeof dir);
    const char *src = octest_env("OCTAVO_SOURCE_DIR");
    char validator[512], path[512], refpath[512], cmd[2048];
    snprintf(validator, sizeof validator, "%s/../shared/ooxml/validate-docx.sh", src);
    if (!octest_exists(validator))
        skip();

    oct_doc *doc = kitchen_sink();
    blob z = write_doc(f, doc, f->docx);
    octest_write_file(octest_path(path, sizeof path, dir, "sink.docx"), (const char *)z.data, z.len);
    blob ref = reference_docx();
    oct_resource *r = oct_doc_add_resource(
        doc, ref.data, ref.len,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", NULL, NULL);
    oct_meta_set(doc, "reference-doc", oct_resource_id(r));
    blob zr = write_doc(f, doc, f->docx);
    octest_write_file(octest_path(refpath, sizeof refpath, dir, "ref.docx"), (const char *)zr.data,
                      zr.len);
    snprintf(cmd, sizeof cmd, "bash '%s' --plain -q '%s' '%s' >&2", validator, path, refpath);
    assert_int_equal(system(cmd), 0);

    if (have_program("pandoc")) {
        char md[512];
        snprintf(md, sizeof md, "%s/sink.md", dir);
        snprintf(cmd, sizeof cmd, "pandoc -f docx -t markdown-smart --wrap=none '%s' -o '%s'", path, md);
        assert_int_equal(system(cmd), 0);
        char *out = octest_read_file(md, NULL);
        assert_non_null(out);
        static const char *const want[] = {
            "# Introduction", "*emphasis*", "**strong**", "~~struck~~", "H~2~O", "x^2^",
            "`x = 1`", "[the site](https://example.com/a%20b)", "[the intro](#introduction)", "[the odd one](#second-part)",
            "## Second part", "> Quoted.", "> > Nested quote.", "1.  one", "    -   two-a",
            "v.  five", "Term", ":   Its definition.", "A note with a [link](https://example.org/note)",
            "Nobody cites me.", "bonjour", "return  0;", "short row"};
        for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
            if (!strstr(out, want[i]))
                fail_msg("pandoc's reading lacks \"%s\":\n%s", want[i], out);
        }
        free(out);
    }
    free(zr.data);
    free(ref.data);
    free(z.data);
    oct_doc_free(doc);
    octest_remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_package_parts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_styles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blocks_and_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_footnotes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_images, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reproducible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flat_opc_same_parts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reference_doc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_broken_reference_doc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_title_block_option, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_nesting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_scanning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_scanning_offsets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbering_markup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_generated_bookmarks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validates_and_reads_back, setup, teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return failed;
}
