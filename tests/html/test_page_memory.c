/*
 * test_page_memory.c — libxml2's page arena (plugins/html/page_memory.c):
 * blocks keep their bytes through realloc, memory from before the page is
 * still freed by free(), a page past its budget goes on with malloc and is
 * freed the ordinary way, and threads have pages of their own.
 *
 * Leaks and stray frees are the sanitizers' and LeakSanitizer's to report:
 * this suite runs under ASan like the rest.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/xmlmemory.h>

#include "html.h"

static int setup(void **state)
{
    (void)state;
    xmlInitParser();
    html_page_memory_install();
    return 0;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed * 31u + i * 7u);
}

static int holds(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(seed * 31u + i * 7u))
            return 0;
    return 1;
}

/* Growing and shrinking blocks, the newest (grown in place) and older ones
 * (moved), small and chunk-sized, never lose or mix their bytes. */
static void test_realloc_keeps_bytes(void **state)
{
    (void)state;
    html_page_memory *pm = html_page_memory_open(1000);
    assert_non_null(pm);
    enum { N = 64 };
    unsigned char *block[N];
    size_t size[N];
    for (unsigned i = 0; i < N; i++) {
        size[i] = 1 + i * 37u;
        block[i] = xmlMalloc(size[i]);
        assert_non_null(block[i]);
        assert_int_equal((uintptr_t)block[i] % 16, 0);
        fill(block[i], size[i], i);
    }
    for (unsigned round = 0; round < 6; round++)
        for (unsigned i = 0; i < N; i++) {
            const size_t grown = (i + round) % 3 == 0 ? size[i] / 2 + 1 : size[i] * 3 + 100;
            const size_t kept = grown < size[i] ? grown : size[i];
            unsigned char *q = xmlRealloc(block[i], grown);
            assert_non_null(q);
            assert_true(holds(q, kept, i));
            fill(q, grown, i);
            block[i] = q;
            size[i] = grown;
        }
    /* The newest block grows where it is while its chunk has room. */
    unsigned char *last = xmlMalloc(16);
    fill(last, 16, 99);
    unsigned char *same = xmlRealloc(last, 4000);
    assert_ptr_equal(same, last);
    assert_true(holds(same, 16, 99));
    char *copy = (char *)xmlStrdup(BAD_CAST "a string for the page");
    assert_string_equal(copy, "a string for the page");
    xmlFree(copy);
    for (unsigned i = 0; i < N; i++)
        assert_true(holds(block[i], size[i], i));
    assert_true(html_page_memory_used(pm) > 0);
    assert_false(html_page_memory_spilled(pm));
    html_page_memory_close(pm, NULL);
}

/* Memory libxml2 allocated before the page opened is malloc's: freeing or
 * growing it while the page is open must go to free() and realloc(), or
 * LeakSanitizer reports it. */
static void test_memory_from_before_the_page(void **state)
{
    (void)state;
    char *before = (char *)xmlStrdup(BAD_CAST "made before the page");
    char *grows = xmlMalloc(10);
    memcpy(grows, "123456789", 10);
    html_page_memory *pm = html_page_memory_open(100);
    assert_non_null(pm);
    xmlFree(before);
    grows = xmlRealloc(grows, 100000);
    assert_non_null(grows);
    assert_string_equal(grows, "123456789");
    html_page_memory_close(pm, NULL);
    xmlFree(grows);
}

/* A page whose parse outgrows the budget goes on with malloc; closing it
 * frees the tree (LeakSanitizer would report the malloc'ed part if not). */
static void test_page_past_its_budget(void **state)
{
    (void)state;
    enum { PARAGRAPHS = 20000 };
    const char *para = "<p class=\"x\">Some words <b>in bold</b> and a "
                       "<a href=\"https://example.org/\">link</a>.</p>\n";
    const size_t plen = strlen(para);
    char *html = malloc(PARAGRAPHS * plen + 64);
    assert_non_null(html);
    size_t len = 0;
    len += (size_t)sprintf(html, "<html><body>");
    for (int i = 0; i < PARAGRAPHS; i++, len += plen)
        memcpy(html + len, para, plen);
    len += (size_t)sprintf(html + len, "</body></html>");

    html_page_memory *pm = html_page_memory_open_within(3 * 1024 * 1024);
    assert_non_null(pm);
    htmlDocPtr dom = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
    assert_non_null(dom);
    assert_true(html_page_memory_spilled(pm));
    assert_true(html_page_memory_used(pm) > 0); /* arena first, then malloc */
    /* The whole tree is there, arena and malloc parts alike. */
    size_t paragraphs = 0;
    for (xmlNode *n = xmlDocGetRootElement(dom)->children->children; n; n = n->next)
        paragraphs += n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, "p");
    assert_int_equal(paragraphs, PARAGRAPHS);
    html_page_memory_close(pm, dom);
    free(html);
}

/* Within its budget a page's tree is dropped with the arena, and libxml2's
 * memory outside a page is malloc's again afterwards. */
static void test_page_within_budget(void **state)
{
    (void)state;
    const char *html = "<html><head><title>t</title></head><body><p>one &amp; two"
                       "<p>three</body></html>";
    html_page_memory *pm = html_page_memory_open(strlen(html));
    assert_non_null(pm);
    /* One page per thread at a time. */
    assert_null(html_page_memory_open(10));
    htmlDocPtr dom = htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
    assert_non_null(dom);
    xmlChar *text = xmlNodeGetContent((xmlNode *)dom);
    assert_string_equal((const char *)text, "tone & twothree");
    xmlFree(text);
    assert_false(html_page_memory_spilled(pm));
    html_page_memory_close(pm, dom);
    char *after = xmlMalloc(32);
    assert_non_null(after);
    free(after); /* plain malloc memory: free() takes it */
}

/* Each thread has its own page; blocks of one thread's page are never
 * another's. */
static void *read_pages(void *arg)
{
    const unsigned seed = (unsigned)(uintptr_t)arg;
    for (int page = 0; page < 50; page++) {
        html_page_memory *pm = html_page_memory_open(5000);
        if (!pm)
            return (void *)1;
        unsigned char *blocks[40];
        for (unsigned i = 0; i < 40; i++) {
            blocks[i] = xmlMalloc(50 + i * 13);
            fill(blocks[i], 50 + i * 13, seed + i);
        }
        for (unsigned i = 0; i < 40; i++)
            if (!holds(blocks[i], 50 + i * 13, seed + i))
                return (void *)2;
        html_page_memory_close(pm, NULL);
    }
    return NULL;
}

static void test_threads_have_their_own_pages(void **state)
{
    (void)state;
    pthread_t t[4];
    for (uintptr_t i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, read_pages, (void *)(i * 1000)), 0);
    for (int i = 0; i < 4; i++) {
        void *result = (void *)9;
        pthread_join(t[i], &result);
        assert_null(result);
    }
}

/* Another allocator put in after ours: pages are no longer ours to drop,
 * so none opens (and trees are freed as usual). */
static void test_allocator_replaced(void **state)
{
    (void)state;
    xmlFreeFunc f;
    xmlMallocFunc m;
    xmlReallocFunc r;
    xmlStrdupFunc d;
    assert_int_equal(xmlMemGet(&f, &m, &r, &d), 0);
    assert_int_equal(xmlMemSetup(free, malloc, realloc, strdup), 0);
    assert_null(html_page_memory_open(100));
    assert_int_equal(xmlMemSetup(f, m, r, d), 0);
    html_page_memory *pm = html_page_memory_open(100);
    assert_non_null(pm);
    html_page_memory_close(pm, NULL);
}

/* xmlCleanupParser frees libxml2's global tables; they are set up again
 * outside any page, not in page memory that goes with the page (ASan
 * reports the use of a dropped table otherwise). Last: it resets libxml2. */
static void test_cleanup_between_pages(void **state)
{
    (void)state;
    const char *html = "<p>one</p>";
    for (int round = 0; round < 2; round++) {
        html_page_memory *pm = html_page_memory_open(strlen(html));
        assert_non_null(pm);
        htmlDocPtr dom = htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8",
                                        HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
        assert_non_null(dom);
        html_page_memory_close(pm, dom);
        xmlCleanupParser();
    }
    xmlCharEncodingHandlerPtr utf16 = xmlFindCharEncodingHandler("UTF-16LE");
    assert_non_null(utf16);
    assert_string_equal(utf16->name, "UTF-16LE");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_realloc_keeps_bytes),
        cmocka_unit_test(test_memory_from_before_the_page),
        cmocka_unit_test(test_page_past_its_budget),
        cmocka_unit_test(test_page_within_budget),
        cmocka_unit_test(test_threads_have_their_own_pages),
        cmocka_unit_test(test_allocator_replaced),
        cmocka_unit_test(test_cleanup_between_pages),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
