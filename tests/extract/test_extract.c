/*
 * test_extract — behaviour of the article extractor (plugins/html/extract*.c):
 * what it keeps and drops, its retries, its promises about the DOM it leaves
 * behind, and that hostile shapes (100,000 levels deep, very wide pages)
 * neither crash it nor make it quadratic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/HTMLparser.h>

#include "extract.h"
#include "extract_internal.h"

#define PARSE_OPTIONS                                                                   \
    (HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING)

/* ------------------------------------------------------------ helpers */

static xmlDocPtr parse(const char *html)
{
    xmlDocPtr doc = htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8", PARSE_OPTIONS);
    assert_non_null(doc);
    return doc;
}

/* Text of a subtree, iteratively; block boundaries become spaces. */
static char *text_of(xmlNodePtr root)
{
    size_t cap = 1024, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    xmlNodePtr node = root;
    while (node != NULL) {
        const char *piece = NULL;
        if (node->type == XML_TEXT_NODE && node->content != NULL)
            piece = (const char *)node->content;
        else if (node->type == XML_ELEMENT_NODE)
            piece = " ";
        if (piece != NULL) {
            size_t n = strlen(piece);
            while (len + n + 1 > cap) {
                cap *= 2;
                out = realloc(out, cap);
                assert_non_null(out);
            }
            memcpy(out + len, piece, n + 1);
            len += n;
        }
        if (node->type == XML_ELEMENT_NODE && node->children != NULL) {
            node = node->children;
            continue;
        }
        while (node != root && node->next == NULL)
            node = node->parent;
        if (node == root)
            break;
        node = node->next;
    }
    return out;
}

static xmlNodePtr find_element(xmlNodePtr root, const char *name)
{
    for (xmlNodePtr n = root; n != NULL; n = ex_next_element(n, 0, root))
        if (n->type == XML_ELEMENT_NODE && xmlStrcasecmp(n->name, BAD_CAST name) == 0)
            return n;
    return NULL;
}

static size_t count_elements(xmlNodePtr root, const char *name)
{
    size_t count = 0;
    for (xmlNodePtr n = root; n != NULL; n = ex_next_element(n, 0, root))
        count += xmlStrcasecmp(n->name, BAD_CAST name) == 0;
    return count;
}

static int all_private_cleared(xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr node = root;
    while (node != NULL) {
        if (node->_private != NULL)
            return 0;
        if (node->children != NULL && node->type == XML_ELEMENT_NODE) {
            node = node->children;
            continue;
        }
        while (node != root && node->next == NULL)
            node = node->parent;
        if (node == root)
            break;
        node = node->next;
    }
    return 1;
}

/* A paragraph of prose long enough to score, tagged with a marker word. */
static void add_paragraph(char *buf, size_t cap, const char *marker)
{
    size_t len = strlen(buf);
    snprintf(buf + len, cap - len,
             "<p>%s opens this paragraph, which goes on about the subject at hand, with "
             "commas, clauses, and enough words to look like real prose written by a person "
             "who has something to say about it, and says it at length.</p>\n",
             marker);
}

/* Frees a document whatever its depth: libxml2 may recurse when freeing. */
static void free_deep_doc(xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (root != NULL) {
        xmlNodePtr node = root;
        for (;;) {
            while (node->last != NULL)
                node = node->last;
            if (node == root)
                break;
            xmlNodePtr parent = node->parent;
            xmlUnlinkNode(node);
            xmlFreeNode(node);
            node = parent;
        }
    }
    xmlFreeDoc(doc);
}

/* ------------------------------------------------------------ tests */

static void tag_names_resolve(void **state)
{
    (void)state;
#define CHECK_TAG(id, name) assert_int_equal(ex_tag_lookup(BAD_CAST name), EX_TAG_##id);
    EX_TAG_LIST(CHECK_TAG)
#undef CHECK_TAG
    assert_int_equal(ex_tag_lookup(BAD_CAST "DIV"), EX_TAG_DIV);
    assert_int_equal(ex_tag_lookup(BAD_CAST "blink"), EX_TAG_OTHER);
}

static void rejects_bad_arguments(void **state)
{
    (void)state;
    oct_extract_result res;
    assert_int_equal(oct_html_extract(NULL, NULL, &res), -1);
    xmlDocPtr doc = parse("<p>x</p>");
    assert_int_equal(oct_html_extract(doc, NULL, NULL), -1);
    xmlFreeDoc(doc);

    xmlDocPtr empty = xmlNewDoc(BAD_CAST "1.0");
    res.content = (xmlNodePtr)empty;
    assert_int_equal(oct_html_extract(empty, NULL, &res), 0);
    assert_null(res.content);
    xmlFreeDoc(empty);
}

static void empty_body_gives_no_content(void **state)
{
    (void)state;
    xmlDocPtr doc = parse("<html><head><title>t</title></head><body>  </body></html>");
    oct_extract_result res;
    assert_int_equal(oct_html_extract(doc, NULL, &res), 0);
    assert_null(res.content);
    assert_int_equal(res.confident, 0);
    assert_true(all_private_cleared(doc));
    xmlFreeDoc(doc);
}

static const char *const clutter_markers[] = {
    "NAVMARK", "SIDEMARK", "SHAREMARK", "FOOTMARK", "COOKIEMARK", "COMMENTMARK",
    "RELATEDMARK", "HIDDENMARK", "SCRIPTMARK", "NEWSLETTERMARK", NULL};

static char *clutter_page(void)
{
    size_t cap = 64 * 1024;
    char *html = malloc(cap);
    assert_non_null(html);
    snprintf(html, cap,
             "<html><head><title>The Subject | Example News</title>"
             "<script>var SCRIPTMARK = 1;</script></head><body>\n"
             "<div class=\"cookie-banner gdpr\">COOKIEMARK We use cookies, accept them.</div>\n"
             "<header class=\"site-header\"><nav><ul>"
             "<li><a href=\"/\">NAVMARK Home</a></li><li><a href=\"/a\">World</a></li>"
             "</ul></nav></header>\n"
             "<div class=\"sidebar\"><p>SIDEMARK popular stories listed here in a column, "
             "a long list of them, with more words than a paragraph needs to score.</p></div>\n"
             "<article><h1>The Subject</h1>\n"
             "<div class=\"share-buttons\"><a href=\"#\">SHAREMARK Share</a> "
             "<a href=\"#\">Tweet</a></div>\n"
             "<h2>HEADINGMARK A section of the story</h2>\n");
    static const char *const markers[] = {"ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO",
                                          "FOXTROT", NULL};
    for (size_t i = 0; markers[i] != NULL; i++)
        add_paragraph(html, cap, markers[i]);
    size_t len = strlen(html);
    snprintf(html + len, cap - len,
             "<p style=\"display:none\">HIDDENMARK is not shown to readers at all, so it "
             "should not be kept either, however long this sentence grows.</p>\n"
             "<figure><img src=\"a.png\" alt=\"\"><figcaption>CAPTIONMARK a picture"
             "</figcaption></figure>\n"
             "<pre><code>CODEMARK int main(void) { return 0; }</code></pre>\n"
             "<table><thead><tr><th>TABLEMARK year</th><th>value</th></tr></thead>"
             "<tbody><tr><td>2020</td><td>1</td></tr><tr><td>2021</td><td>2</td></tr>"
             "</tbody></table>\n"
             "<ul><li>LISTMARK first point of the story</li><li>second point</li></ul>\n"
             "</article>\n"
             "<div class=\"related-stories\"><ul><li><a href=\"/r\">RELATEDMARK other</a></li>"
             "</ul></div>\n"
             "<form class=\"newsletter\"><input type=\"email\"> NEWSLETTERMARK "
             "<button>Subscribe</button></form>\n"
             "<div id=\"comments\"><p>COMMENTMARK I disagree with this article, strongly, "
             "for many reasons that I will now list at considerable length.</p></div>\n"
             "<footer>FOOTMARK Copyright</footer>\n</body></html>");
    return html;
}

static void keeps_article_drops_clutter(void **state)
{
    (void)state;
    char *html = clutter_page();
    xmlDocPtr doc = parse(html);
    free(html);
    oct_extract_result res;
    assert_int_equal(oct_html_extract(doc, NULL, &res), 0);
    assert_non_null(res.content);
    assert_int_equal(res.confident, 1);

    char *text = text_of(res.content);
    static const char *const kept[] = {"ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO",
                                       "FOXTROT", "HEADINGMARK", "CAPTIONMARK", "CODEMARK",
                                       "TABLEMARK", "LISTMARK", NULL};
    for (size_t i = 0; kept[i] != NULL; i++)
        if (strstr(text, kept[i]) == NULL)
            fail_msg("%s was dropped from: %s", kept[i], text);
    for (size_t i = 0; clutter_markers[i] != NULL; i++)
        if (strstr(text, clutter_markers[i]) != NULL)
            fail_msg("%s was kept in: %s", clutter_markers[i], text);
    /* the heading repeating the title goes; the article's own headings,
     * figures, tables and code keep their elements */
    assert_null(strstr(text, "The Subject"));
    assert_non_null(find_element(res.content, "table"));
    assert_non_null(find_element(res.content, "pre"));
    assert_non_null(find_element(res.content, "figure"));
    assert_non_null(find_element(res.content, "h2"));
    free(text);
    xmlFreeDoc(doc);
}

static void body_holds_only_the_article(void **state)
{
    (void)state;
    char *html = clutter_page();
    xmlDocPtr doc = parse(html);
    free(html);
    oct_extract_result res;
    assert_int_equal(oct_html_extract(doc, NULL, &res), 0);
    assert_non_null(res.content);
    xmlNodePtr body = find_element(xmlDocGetRootElement(doc), "body");
    assert_non_null(body);
    assert_ptr_equal(body->children, res.content);
    assert_ptr_equal(body->last, res.content);
    assert_ptr_equal(res.content->parent, body);
    assert_true(all_private_cleared(doc));
    xmlFreeDoc(doc);
}

static void short_page_is_found_by_retrying(void **state)
{
    (void)state;
    /* Under the strict rules the only text sits in an "unlikely" comment box
     * and nothing reaches 500 characters: the relaxed passes must find it. */
    xmlDocPtr doc = parse(
        "<html><body><div class=\"comment-body\">"
        "<p>RETRYMARK is a short note, with a comma, kept although it is short and "
        "sits in a box whose class says comment.</p></div></body></html>");
    oct_extract_result res;
    assert_int_equal(oct_html_extract(doc, NULL, &res), 0);
    assert_non_null(res.content);
    assert_int_equal(res.confident, 0);
    char *text = text_of(res.content);
    assert_non_null(strstr(text, "RETRYMARK"));
    free(text);
    assert_true(all_private_cleared(doc));
    xmlFreeDoc(doc);
}

/* Nothing scores (no paragraph reaches 25 characters), so Readability would
 * take the whole page; the element marked up as the article is taken instead. */
static void marked_up_article_wins_when_nothing_scores(void **state)
{
    (void)state;
    char html[16384] = "<html><body><nav><a href=\"/\">NAVMARK</a> <a href=\"/b\">News</a></nav>"
                       "<article><ul>";
    for (int i = 0; i < 40; i++)
        strcat(html, "<li>LISTMARK short item</li>");
    strcat(html, "</ul></article><div>OTHERMARK</div></body></html>");
    xmlDocPtr doc = parse(html);
    oct_extract_result res;
    assert_int_equal(oct_html_extract(doc, NULL, &res), 0);
    assert_non_null(res.content);
    char *text = text_of(res.content);
    assert_non_null(strstr(text, "LISTMARK"));
    assert_null(strstr(text, "NAVMARK"));
    assert_null(strstr(text, "OTHERMARK"));
    free(text);
    xmlFreeDoc(doc);
}

static void br_runs_become_paragraphs(void **state)
{
    (void)state;
    char html[8192] = "<html><body><div>";
    for (int i = 0; i < 6; i++)
        strcat(html, "A line of text that goes on, with commas, for a while, long enough to "
                     "count as a paragraph of its own when scored by the extractor."
                     "<br><br>\n");
    strcat(html, "</div></body></html>");
    xmlDocPtr doc = parse(html);
    oct_extract_result res;
    assert_int_equal(oct_html_extract(doc, NULL, &res), 0);
    assert_non_null(res.content);
    assert_true(count_elements(res.content, "p") >= 5);
    assert_int_equal(count_elements(res.content, "br"), 0);
    xmlFreeDoc(doc);
}

static void logs_through_the_context(void **state)
{
    (void)state;
    oct_context *ctx = oct_context_new(NULL);
    assert_non_null(ctx);
    oct_context_set_verbosity(ctx, OCT_SEV_WARNING); /* info stays quiet */
    char *html = clutter_page();
    xmlDocPtr doc = parse(html);
    free(html);
    oct_extract_result res;
    assert_int_equal(oct_html_extract(doc, ctx, &res), 0);
    assert_non_null(res.content);
    assert_int_equal(oct_context_warning_count(ctx), 0);
    xmlFreeDoc(doc);
    oct_context_free(ctx);
}

/* body > div x 100,000 > p: nothing may recurse over the depth. */
static void survives_deep_nesting(void **state)
{
    (void)state;
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr html = xmlNewDocNode(doc, NULL, BAD_CAST "html", NULL);
    xmlDocSetRootElement(doc, html);
    xmlNodePtr body = xmlNewChild(html, NULL, BAD_CAST "body", NULL);
    xmlNodePtr cur = body;
    for (int i = 0; i < 100000; i++) {
        cur = xmlNewChild(cur, NULL, BAD_CAST(i % 2 ? "div" : "section"), NULL);
        assert_non_null(cur);
    }
    for (int i = 0; i < 8; i++)
        xmlNewTextChild(cur, NULL, BAD_CAST "p",
                        BAD_CAST "DEEPMARK sits at the very bottom of a page nested one "
                                 "hundred thousand levels deep, with commas, words, and more.");
    oct_extract_result res;
    assert_int_equal(oct_html_extract(doc, NULL, &res), 0);
    assert_non_null(res.content);
    char *text = text_of(res.content);
    assert_non_null(strstr(text, "DEEPMARK"));
    free(text);
    assert_true(all_private_cleared(doc));
    free_deep_doc(doc);
}

/* 100,000 nested divs around one word: every div has short text, so every
 * one is checked for being an ad label; those checks must stay bounded. */
static void short_text_deep_down_stays_linear(void **state)
{
    (void)state;
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr html = xmlNewDocNode(doc, NULL, BAD_CAST "html", NULL);
    xmlDocSetRootElement(doc, html);
    xmlNodePtr body = xmlNewChild(html, NULL, BAD_CAST "body", NULL);
    xmlNodePtr cur = body;
    for (int i = 0; i < 100000; i++)
        cur = xmlNewChild(cur, NULL, BAD_CAST(i % 2 ? "div" : "section"), NULL);
    xmlNewTextChild(cur, NULL, BAD_CAST "p", BAD_CAST "Hello");
    struct timespec a, b;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    oct_extract_result res;
    assert_int_equal(oct_html_extract(doc, NULL, &res), 0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    double seconds = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    print_message("100,000 nested divs and sections: %.2fs\n", seconds);
    assert_true(seconds < 60);
    assert_true(all_private_cleared(doc));
    free_deep_doc(doc);
}

/* A <div> holding 100,000 nested inline elements (the phrasing checks must
 * not follow them without bound) and 100,000 nested <br>-free <a>s. */
static void survives_deep_inline_nesting(void **state)
{
    (void)state;
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr html = xmlNewDocNode(doc, NULL, BAD_CAST "html", NULL);
    xmlDocSetRootElement(doc, html);
    xmlNodePtr body = xmlNewChild(html, NULL, BAD_CAST "body", NULL);
    xmlNodePtr div = xmlNewChild(body, NULL, BAD_CAST "div", NULL);
    xmlNodePtr cur = div;
    for (int i = 0; i < 100000; i++)
        cur = xmlNewChild(cur, NULL, BAD_CAST(i % 3 == 0 ? "a" : i % 3 == 1 ? "ins" : "del"),
                          NULL);
    xmlNodeAddContent(cur, BAD_CAST "INLINEMARK at the bottom of many links, with words, "
                                    "commas, and enough length to be a paragraph of text.");
    oct_extract_result res;
    assert_int_equal(oct_html_extract(doc, NULL, &res), 0);
    assert_true(all_private_cleared(doc));
    free_deep_doc(doc);
}

static double seconds_to_extract(int paragraphs)
{
    size_t cap = (size_t)paragraphs * 400 + 1024;
    char *html = malloc(cap);
    assert_non_null(html);
    size_t len = (size_t)snprintf(html, cap, "<html><body><div class=\"content\">");
    for (int i = 0; i < paragraphs; i++)
        len += (size_t)snprintf(html + len, cap - len,
                                "<div><div><p>Paragraph %d has words, commas, and a "
                                "<a href=\"/l%d\">link</a> in it, to be scored.</p></div>"
                                "<span>x</span></div>",
                                i, i);
    snprintf(html + len, cap - len, "</div></body></html>");
    xmlDocPtr doc = parse(html);
    free(html);
    oct_extract_result res;
    struct timespec a, b;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    assert_int_equal(oct_html_extract(doc, NULL, &res), 0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    xmlFreeDoc(doc);
    return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

/* Four times the page may cost about four times the time, not sixteen. */
static void stays_linear_on_wide_pages(void **state)
{
    (void)state;
    double small = 1e9, large = 1e9;
    for (int i = 0; i < 2; i++) {
        double s = seconds_to_extract(2000), l = seconds_to_extract(8000);
        if (s < small)
            small = s;
        if (l < large)
            large = l;
    }
    print_message("2000 paragraphs: %.3fs, 8000 paragraphs: %.3fs\n", small, large);
    if (large > small * 10 && large > 0.05)
        fail_msg("4x the input took %.1fx the time (%.3fs vs %.3fs)", large / small, large,
                 small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tag_names_resolve),
        cmocka_unit_test(rejects_bad_arguments),
        cmocka_unit_test(empty_body_gives_no_content),
        cmocka_unit_test(keeps_article_drops_clutter),
        cmocka_unit_test(body_holds_only_the_article),
        cmocka_unit_test(short_page_is_found_by_retrying),
        cmocka_unit_test(marked_up_article_wins_when_nothing_scores),
        cmocka_unit_test(br_runs_become_paragraphs),
        cmocka_unit_test(logs_through_the_context),
        cmocka_unit_test(survives_deep_nesting),
        cmocka_unit_test(survives_deep_inline_nesting),
        cmocka_unit_test(short_text_deep_down_stays_linear),
        cmocka_unit_test(stays_linear_on_wide_pages),
    };
    /* TEST_FILTER=name runs one test (handy when timing them). */
    const char *filter = getenv("TEST_FILTER");
    if (filter != NULL && *filter != '\0')
        cmocka_set_test_filter(filter);
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return failed;
}
