/*
 * test_html_sax_tree.c — the HTML reader's own SAX tree builder
 * (plugins/html/sax_tree.c) against libxml2's: for tricky pages, both trees
 * must hold the same nodes (type, name, content, line), the same
 * attributes in the same order, and be linked the same way. libxml2's tree
 * is htmlReadMemory's with the reader's options; it never holds a
 * namespace in an HTML page, and ours may not either. Ours differs in one
 * way: the document keeps the parser's dictionary, and every element and
 * attribute name is the dictionary's copy (which xmlFreeNode and
 * xmlNodeSetName must know not to free).
 *
 * With the argument "corpus" the program compares the trees of every
 * html5lib input and readability page instead (1,800 malformed and real
 * pages).
 *
 * Leaks and bad frees (of our trees by xmlFreeDoc, in and out of the page
 * arena) are ASan's and LeakSanitizer's to report.
 */
#define _GNU_SOURCE /* dladdr */
#include <dirent.h>
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlmemory.h>

#include "html.h"

/* The reader's options (parse.c). */
#define OPTIONS                                                                            \
    (HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |   \
     XML_PARSE_HUGE)

static int setup(void **state)
{
    (void)state;
    xmlInitParser();
    html_page_memory_install();
    return 0;
}

static int same_string(const xmlChar *a, const xmlChar *b)
{
    return (!a && !b) || (a && b && strcmp((const char *)a, (const char *)b) == 0);
}

static const char *shown(const xmlChar *s)
{
    return s ? (const char *)s : "(null)";
}

static int differ(const char *what, const xmlNode *ref, const xmlNode *ours)
{
    print_error("trees differ (%s): libxml2 type %d name \"%s\" line %u, ours type %d "
                "name \"%s\" line %u\n",
                what, ref ? (int)ref->type : -1, ref ? shown(ref->name) : "",
                ref ? ref->line : 0, ours ? (int)ours->type : -1, ours ? shown(ours->name) : "",
                ours ? ours->line : 0);
    return 0;
}

/* A node's own links as xmlFreeDoc and the walks rely on them. */
static int linked_well(const xmlNode *n, const xmlDoc *doc)
{
    if (n->doc != doc)
        return 0;
    if (n->next && n->next->prev != n)
        return 0;
    if (!n->next && n->parent && n->parent->last != n)
        return 0;
    if (!n->prev && n->parent && n->parent->children != n)
        return 0;
    for (const xmlNode *c = n->children; c; c = c->next)
        if (c->parent != n)
            return 0;
    return 1;
}

/* A name of ours: the document's dictionary's own copy. */
static int dict_name(const xmlChar *name, const xmlDoc *doc)
{
    return name && xmlDictOwns(doc->dict, name) == 1 &&
           xmlDictLookup(doc->dict, name, -1) == name;
}

static int same_attributes(const xmlNode *ref, const xmlNode *ours, const xmlDoc *doc)
{
    const xmlAttr *a = ref->properties, *b = ours->properties;
    for (; a && b; a = a->next, b = b->next) {
        if (!same_string(a->name, b->name) || !dict_name(b->name, doc) || b->parent != ours ||
            b->doc != doc ||
            (b->next && b->next->prev != b) || a->ns || b->ns)
            return differ("attribute", ref, ours);
        const xmlNode *va = a->children, *vb = b->children;
        if (!va != !vb || (va && (va->next || vb->next || vb->type != XML_TEXT_NODE ||
                                  vb->name != xmlStringText || vb->parent != (xmlNode *)b ||
                                  b->last != vb || vb->doc != doc ||
                                  !same_string(va->content, vb->content))))
            return differ("attribute value", ref, ours);
    }
    return !a && !b ? 1 : differ("attribute count", ref, ours);
}

static int same_node(const xmlNode *ref, const xmlNode *ours, const xmlDoc *doc)
{
    /* A doctype is an xmlDtd, with fields of its own past the links. */
    if (ref->type == XML_DTD_NODE || ours->type == XML_DTD_NODE) {
        const xmlDtd *a = (const xmlDtd *)ref, *b = (const xmlDtd *)ours;
        if (a->type != b->type || !same_string(a->name, b->name) ||
            !same_string(a->ExternalID, b->ExternalID) ||
            !same_string(a->SystemID, b->SystemID) || b->doc != doc)
            return differ("doctype", NULL, NULL);
        return 1;
    }
    if (ref->type != ours->type || !same_string(ref->name, ours->name) ||
        !same_string(ref->content, ours->content) || ref->line != ours->line)
        return differ("node", ref, ours);
    /* Texts are merged only when named xmlStringText, by pointer. */
    if (ours->type == XML_TEXT_NODE && ours->name != xmlStringText)
        return differ("text name", ref, ours);
    if (ref->ns || ours->ns || !linked_well(ours, doc))
        return differ("links", ref, ours);
    if (ref->type == XML_ELEMENT_NODE)
        return dict_name(ours->name, doc) ? !ref->nsDef && !ours->nsDef &&
                                                same_attributes(ref, ours, doc)
                                          : differ("name not the dictionary's", ref, ours);
    return 1;
}

/* Walks both trees side by side, without recursion (pages nest 100,000
 * deep). Returns the number of nodes compared, 0 on a difference. */
static size_t same_tree(const xmlDoc *ref, const xmlDoc *ours)
{
    if (!ref || !ours)
        return !ref && !ours ? 1 : 0;
    if (ref->dict || !ours->dict || ours->ids || ours->oldNs || ours->type != ref->type ||
        !same_string(ref->URL, ours->URL) || !same_string(ref->encoding, ours->encoding))
        return 0;
    size_t count = 1;
    const xmlNode *a = ref->children, *b = ours->children;
    while (a || b) {
        if (!a || !b)
            return differ("sibling count", a, b);
        if (!same_node(a, b, ours))
            return 0;
        count++;
        if (a->type == XML_ELEMENT_NODE && (a->children || b->children)) {
            a = a->children;
            b = b->children;
            continue;
        }
        if (a->children || b->children)
            return differ("children", a, b);
        while (a && b && !a->next && !b->next) {
            a = a->parent;
            b = b->parent;
            if (a == (const xmlNode *)ref || b == (const xmlNode *)ours) {
                if (a != (const xmlNode *)ref || b != (const xmlNode *)ours)
                    return differ("depth", NULL, NULL);
                return count;
            }
        }
        if (!a || !b)
            return differ("parents", a, b);
        a = a->next;
        b = b->next;
    }
    return count;
}

static xmlDocPtr parse_ours(const char *html, size_t len)
{
    xmlDocPtr dom = NULL;
    assert_int_equal(html_tree_parse(html, len, "page.html", OPTIONS, &dom), OCT_OK);
    return dom;
}

/* Both trees of html, compared and freed; returns the node count. */
static size_t compare_len(const char *html, size_t len)
{
    xmlDocPtr ref = len ? htmlReadMemory(html, (int)len, "page.html", "UTF-8", OPTIONS) : NULL;
    xmlDocPtr ours = parse_ours(html, len);
    const size_t nodes = same_tree(ref, ours);
    xmlFreeDoc(ref);
    xmlFreeDoc(ours);
    assert_true(nodes > 0);
    return nodes;
}

static size_t compare(const char *html)
{
    return compare_len(html, strlen(html));
}

static void test_attributes(void **state)
{
    (void)state;
    /* Bare attributes: booleans get their name as value, others none. */
    compare("<body><input disabled checked type=checkbox><table><tr><td nowrap foo "
            "bar=\"\">c</td></tr></table><select><option selected>x</option></select>"
            "<img ismap alt src=a.png></body>");
    /* Repeated names: the first stays (any case: names are lowered). */
    compare("<p a=\"1\" a=\"2\" A=\"3\" b='x' b class=one CLASS=two>text</p>");
    /* References in values, known, unknown and unfinished. */
    compare("<a href=\"?a=1&amp;b=2&lt;3&copy;&#x41;&#65;&unknown;&amp\" "
            "title=\"&quot;q&quot; &nbsp;x\" id=top name=top>link</a><a id=top>again</a>");
    /* Many attributes, listed in order. */
    oct_buf b;
    oct_buf_init(&b, 0);
    oct_buf_puts(&b, "<div");
    for (int i = 0; i < 300; i++)
        oct_buf_printf(&b, " data-a%d=\"v%d\"", i, i);
    oct_buf_puts(&b, ">x</div>");
    compare_len(b.data, b.len);
    xmlDocPtr ours = parse_ours(b.data, b.len);
    size_t count = 0;
    for (const xmlAttr *a = xmlDocGetRootElement(ours)->children->children->properties; a;
         a = a->next)
        count++;
    assert_int_equal(count, 300);
    xmlFreeDoc(ours);
    oct_buf_free(&b);
}

static void test_prefixed_names(void **state)
{
    (void)state;
    /* SAX2 keeps an HTML element's name after the first colon (not when the
     * colon is first or last) and attribute names whole; no namespaces. */
    const char *html =
        "<html xmlns:p=\"urn:x\" xmlns=\"http://www.w3.org/1999/xhtml\"><body>"
        "<p:x p:y=\"1\" xml:lang=\"en\" xmlns:q=\"urn:q\"><xml:z>t</xml:z><:lead>u</:lead>"
        "<trail:>v</trail:><a:b:c>w</a:b:c><q:1>n</q:1>"
        "<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\"><svg:rect svg:width=\"1\"/>"
        "</svg:svg></p:x></body></html>";
    compare(html);
    xmlDocPtr ours = parse_ours(html, strlen(html));
    const xmlNode *x = xmlDocGetRootElement(ours)->children->children;
    assert_string_equal((const char *)x->name, "x");
    assert_string_equal((const char *)x->properties->name, "p:y");
    assert_null(x->ns);
    xmlFreeDoc(ours);
}

static void test_text_runs(void **state)
{
    (void)state;
    /* One run reported in pieces (references, unknown names) is one text;
     * comments and processing instructions split it. */
    compare("<p>a &amp; b &copy; c<!--x-->d&lt;e&unknown;f&#x263A;g<?pi x?>h&amp</p>");
    /* Runs past the parser's 1,000-byte buffer, text and script alike. */
    oct_buf b;
    oct_buf_init(&b, 0);
    oct_buf_puts(&b, "<html><head><script>");
    for (int i = 0; i < 400; i++)
        oct_buf_puts(&b, "var a = 1 < 2; ");
    oct_buf_puts(&b, "</script><style>");
    for (int i = 0; i < 300; i++)
        oct_buf_puts(&b, "p { margin: 0 } ");
    oct_buf_puts(&b, "</style></head><body><p>");
    for (int i = 0; i < 2000; i++)
        oct_buf_puts(&b, i % 97 ? "word " : "&amp; ");
    oct_buf_puts(&b, "</p><textarea>");
    for (int i = 0; i < 500; i++)
        oct_buf_puts(&b, "<b>not a tag</b> ");
    oct_buf_puts(&b, "</textarea><pre>\n\n  kept\n</pre></body></html>");
    compare_len(b.data, b.len);
    xmlDocPtr ours = parse_ours(b.data, b.len);
    const xmlNode *script = xmlDocGetRootElement(ours)->children->children;
    assert_string_equal((const char *)script->name, "script");
    assert_int_equal(script->children->type, XML_CDATA_SECTION_NODE);
    assert_null(script->children->next);
    assert_int_equal(strlen((const char *)script->children->content), 400 * 15);
    xmlFreeDoc(ours);
    oct_buf_free(&b);
}

static void test_blanks_and_lines(void **state)
{
    (void)state;
    /* The parser drops or keeps blank text by looking at the open element
     * and its last child, which our handlers keep for it. */
    compare("<html>\n<head>\n<title>t</title>\n</head>\n<body>\n<ul>\n  <li>a</li>\n  <li>b"
            "</li>\n</ul>\n<p><b>x</b> <i>y</i> <!-- c --> </p>\n<div> <span> </span> </div>"
            "\n\n\n<p>\nline\n<b>seven</b></p>\n</body>\n</html>\n");
    compare("   \n\t ");
    compare("");
    compare("just text");
}

static void test_misplaced_tags(void **state)
{
    (void)state;
    compare("text before<html><head><title>t</title></head>stray<body><p>one<p>two"
            "<table><td>c<tr><th>d</table><li>item<dd>def</body></html>after<p>more</p>"
            "<!--end-->");
    compare("<html><body><html lang=x><head><title>late</title></head><body class=b>"
            "<body>twice</body></html>");
    /* Content after the root closed: into the document's first child when
     * it is the root element, after it when it is a doctype or comment. */
    compare("<html><body>x</body></html><div>late</div><p>later");
    compare("<!DOCTYPE html><!--c--><html><body>x</body></html><div>late</div>text");
    compare("<!--c--><p>x</p></html><p>y</p>");
    compare("<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><body> <p> a </p> </body>");
    compare("</p></div></html>text<frameset><frame></frameset><noframes>n</noframes>");
}

static void test_deep_nesting(void **state)
{
    (void)state;
    enum { DEPTH = 100000 };
    oct_buf b;
    oct_buf_init(&b, 0);
    for (int i = 0; i < DEPTH; i++)
        oct_buf_puts(&b, i % 3 ? "<div class=d>" : "<span>");
    oct_buf_puts(&b, "deepest");
    for (int i = 0; i < DEPTH / 2; i++)
        oct_buf_puts(&b, "</div>");
    oct_buf_puts(&b, "<p>after</p>");
    assert_true(compare_len(b.data, b.len) > DEPTH);
    oct_buf_free(&b);
}

/* A page of n paragraphs with attributes and text. */
static void make_page(oct_buf *b, int n)
{
    oct_buf_puts(b, "<!DOCTYPE html><html><body>");
    for (int i = 0; i < n; i++)
        oct_buf_printf(b, "<p class=\"x\" id=p%d>Some words <b>in bold</b> &amp; a "
                          "<a href=\"https://example.org/%d\">link</a>.</p>\n", i, i);
    oct_buf_puts(b, "</body></html>");
}

/* In the arena the tree is dropped with it; past the budget the rest comes
 * from malloc, and closing the page frees the mixed tree with xmlFreeDoc. */
/* Of the steps of a pre-order walk of the tree from one node to the next,
 * the share in thousandths that go to the node just after it in memory
 * (the next block of the page memory's node lane). */
static long packed_steps(const xmlDoc *doc)
{
    long steps = 0, packed = 0;
    const xmlNode *prev = NULL;
    for (const xmlNode *n = xmlDocGetRootElement(doc); n;) {
        if (prev) {
            const uintptr_t a = (uintptr_t)prev, b = (uintptr_t)n;
            steps++;
            packed += b > a && b - a <= sizeof(xmlNode) + 16;
        }
        prev = n;
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && !n->next)
            n = n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent : NULL;
        n = n ? n->next : NULL;
    }
    return steps ? packed * 1000 / steps : 0;
}

static void test_page_memory(void **state)
{
    (void)state;
    oct_buf b;
    oct_buf_init(&b, 0);
    make_page(&b, 20000);
    xmlDocPtr ref = htmlReadMemory(b.data, (int)b.len, "page.html", "UTF-8", OPTIONS);
    assert_non_null(ref);

    html_page_memory *pm = html_page_memory_open(b.len);
    assert_non_null(pm);
    xmlDocPtr ours = parse_ours(b.data, b.len);
    assert_true(same_tree(ref, ours) > 100000);
    assert_false(html_page_memory_spilled(pm));
    /* The tree's nodes lie in the order a walk takes them, names, text and
     * attributes elsewhere (page_memory.c, carve): the walk's steps go
     * all but a few to the next block. */
    const long packed = packed_steps(ours);
    print_message("page memory: %ld of 1000 steps to the next node in memory\n", packed);
    assert_true(packed > 500);
    html_page_memory_close(pm, ours);

    pm = html_page_memory_open_within(512 * 1024);
    assert_non_null(pm);
    ours = parse_ours(b.data, b.len);
    assert_true(html_page_memory_spilled(pm));
    assert_true(same_tree(ref, ours) > 100000);
    html_page_memory_close(pm, ours);

    /* A small page takes one chunk (1 MiB) of memory, nodes and all: two
     * made malloc hand the memory back after every page of a batch. */
    static const char small[] = "<p class=a>one <b>two</b></p><p title=t>three</p>";
    pm = html_page_memory_open(sizeof small - 1);
    assert_non_null(pm);
    ours = parse_ours(small, sizeof small - 1);
    assert_true(html_page_memory_used(pm) > 0);
    assert_true(html_page_memory_used(pm) <= (size_t)1 << 20);
    html_page_memory_close(pm, ours);

    xmlFreeDoc(ref);
    oct_buf_free(&b);
}

/* Each allocation of our handlers fails in turn (libxml2's own are left
 * alone: its failure paths are not ours to test, and some leak): the parse
 * gives NOMEM and no tree, without a crash or a leak; past the last one it
 * gives the whole tree. Ours are those called from this program's code,
 * where sax_tree.c is compiled in, rather than from libxml2's. */
static long fail_at;
static long our_allocations;
static xmlMallocFunc real_malloc;
static xmlReallocFunc real_realloc;

static int called_from_here(const void *caller)
{
    Dl_info here, there;
    return dladdr((const void *)&called_from_here, &here) && dladdr(caller, &there) &&
           here.dli_fbase == there.dli_fbase;
}

static int fails_now(const void *caller)
{
    if (!called_from_here(caller))
        return 0;
    our_allocations++;
    return fail_at-- == 0;
}

static void *failing_malloc(size_t n)
{
    return fails_now(__builtin_return_address(0)) ? NULL : real_malloc(n);
}

static void *failing_realloc(void *p, size_t n)
{
    return fails_now(__builtin_return_address(0)) ? NULL : real_realloc(p, n);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    oct_buf b;
    oct_buf_init(&b, 0);
    oct_buf_puts(&b, "<!DOCTYPE html><html><head><script>x()</script></head><body>"
                     "<p class=a id=b checked>one &amp; two<b>three</b></p><div>");
    for (int i = 0; i < 300; i++)
        oct_buf_puts(&b, "a long text run &amp; ");
    oct_buf_puts(&b, "<!--c--></div></body></html>");
    xmlFreeFunc f;
    xmlStrdupFunc s;
    assert_int_equal(xmlMemGet(&f, &real_malloc, &real_realloc, &s), 0);
    assert_int_equal(xmlMemSetup(f, failing_malloc, failing_realloc, s), 0);
    long failures = 0;
    xmlDocPtr whole = NULL;
    for (long at = 0; !whole && at < 1000; at++) {
        fail_at = at;
        our_allocations = 0;
        const oct_status st = html_tree_parse(b.data, b.len, NULL, OPTIONS, &whole);
        if (st == OCT_ERR_NOMEM) {
            assert_null(whole);
            failures++;
        } else {
            assert_int_equal(st, OCT_OK);
            assert_non_null(whole);
        }
    }
    const long needed = our_allocations;
    assert_int_equal(xmlMemSetup(f, real_malloc, real_realloc, s), 0);
    /* Every one of ours failed once, and the last run had them all. */
    assert_true(needed > 20);
    assert_int_equal(failures, needed);
    xmlDocPtr ref = htmlReadMemory(b.data, (int)b.len, NULL, "UTF-8", OPTIONS);
    assert_true(same_tree(ref, whole) > 10);
    xmlFreeDoc(ref);
    xmlFreeDoc(whole);
    oct_buf_free(&b);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Compares the trees of every file in dir ending in suffix, or of the
 * file sub in each folder of dir when sub is set; returns how many. */
static size_t compare_dir(const char *dir, const char *sub, const char *suffix)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0, cap = 4096;
    char **names = malloc(cap * sizeof *names);
    assert_non_null(names);
    const size_t slen = suffix ? strlen(suffix) : 0;
    for (struct dirent *e; (e = readdir(d)) && n < cap;) {
        const size_t len = strlen(e->d_name);
        if (e->d_name[0] != '.' && (sub || (len > slen && !strcmp(e->d_name + len - slen, suffix))))
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    size_t compared = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s%s%s", dir, names[i], sub ? "/" : "", sub ? sub : "");
        FILE *fp = fopen(path, "rb");
        if (fp) {
            oct_buf b;
            oct_buf_init(&b, 0);
            char chunk[65536];
            for (size_t got; (got = fread(chunk, 1, sizeof chunk, fp)) > 0;)
                oct_buf_append(&b, chunk, got);
            fclose(fp);
            if (!compare_len(b.data ? b.data : "", b.len))
                fail_msg("%s", path);
            oct_buf_free(&b);
            compared++;
        }
        free(names[i]);
    }
    free(names);
    return compared;
}

static void test_corpora(void **state)
{
    (void)state;
    const char *src = getenv("OCTAVO_SOURCE_DIR");
    if (!src)
        skip();
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/../shared/corpora/html5lib/inputs", src);
    const size_t html5lib = compare_dir(dir, NULL, ".html");
    snprintf(dir, sizeof dir, "%s/../shared/corpora/readability", src);
    const size_t readability = compare_dir(dir, "source.html", NULL);
    if (html5lib + readability == 0)
        skip();
    assert_true(html5lib > 1000);
    assert_true(readability > 50);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "corpus")) {
        const struct CMUnitTest corpus[] = {cmocka_unit_test(test_corpora)};
        return cmocka_run_group_tests(corpus, setup, NULL);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attributes),     cmocka_unit_test(test_prefixed_names),
        cmocka_unit_test(test_text_runs),      cmocka_unit_test(test_blanks_and_lines),
        cmocka_unit_test(test_misplaced_tags), cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_page_memory),    cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
