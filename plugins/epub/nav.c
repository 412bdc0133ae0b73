/*
 * nav.c — the navigation documents: the EPUB 3 nav (table of contents and
 * landmarks), and the NCX that EPUB 2 readers (and older Kindles) use.
 *
 * Both are nested lists built from the same flat entry list, whose depths
 * grow by at most one step (split.c guarantees it), so nesting is a matter
 * of opening and closing the right number of elements: no recursion.
 */
#include "epub.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_NCX "http://www.daisy.org/z3986/2005/ncx/"

typedef struct nav_entry {
    const char *label;
    char href[320];
    int depth;
} nav_entry;

/* Words a reader sees; localized for the languages we guess. */
typedef struct nav_words {
    const char *lang, *contents, *notes, *cover, *title_page, *start;
} nav_words;

static const nav_words words_table[] = {
    {"en", "Contents", "Notes", "Cover", "Title Page", "Start"},
    {"fr", "Table des mati\xC3\xA8res", "Notes", "Couverture", "Page de titre", "D\xC3\xA9" "but"},
    {"de", "Inhalt", "Anmerkungen", "Umschlag", "Titelseite", "Anfang"},
    {"es", "\xC3\x8dndice", "Notas", "Cubierta", "Portada", "Inicio"},
    {"it", "Indice", "Note", "Copertina", "Frontespizio", "Inizio"},
    {"pt", "Sum\xC3\xA1rio", "Notas", "Capa", "Folha de rosto", "In\xC3\xAD" "cio"},
    {"nl", "Inhoud", "Noten", "Omslag", "Titelpagina", "Begin"},
};

static const nav_words *words_for(const char *lang)
{
    size_t n = strcspn(lang, "-");
    for (size_t i = 0; i < sizeof words_table / sizeof words_table[0]; i++)
        if (strlen(words_table[i].lang) == n && strncmp(words_table[i].lang, lang, n) == 0)
            return &words_table[i];
    return &words_table[0];
}

const char *epub_notes_word(const epub_book *b) { return words_for(b->lang)->notes; }

/* The table of contents as a flat list; never empty. Caller frees. */
static nav_entry *collect_entries(const epub_book *b, size_t *count)
{
    size_t n = 0;
    nav_entry *e = calloc(b->n_toc + 2, sizeof *e);

    if (!e)
        return NULL;
    for (size_t i = 0; i < b->n_toc; i++) {
        const epub_toc_entry *t = &b->toc[i];
        const char *id = epub_anchor_id(b, t->heading);
        const char *file = epub_chapter_file(b, t->chapter);
        e[n].label = t->label;
        e[n].depth = t->depth;
        /* A chapter's opening heading links to the file itself. */
        if (id && b->chapters[t->chapter].opening != t->heading)
            snprintf(e[n].href, sizeof e[n].href, "%s#%s", file, id);
        else
            snprintf(e[n].href, sizeof e[n].href, "%s", file);
        n++;
    }
    if (n == 0) {
        e[n].label = b->title;
        snprintf(e[n].href, sizeof e[n].href, "%s", b->chapters[0].file);
        n++;
    }
    if (b->has_notes_file) {
        e[n].label = words_for(b->lang)->notes;
        snprintf(e[n].href, sizeof e[n].href, "%s", EPUB_NOTES);
        e[n].depth = 0;
        n++;
    }
    *count = n;
    return e;
}

/* Writes the nested list. item is "li" (nav) or "navPoint" (NCX); list is
 * "ol" or NULL (navPoints nest directly). */
static void write_tree(oct_xml *x, const nav_entry *e, size_t n, int ncx)
{
    int prev = 0;

    if (!ncx)
        oct_xml_start(x, "ol");
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            if (e[i].depth > prev) {
                if (!ncx)
                    oct_xml_start(x, "ol");
            } else {
                oct_xml_end_element_full(x); /* the previous item */
                for (int k = e[i].depth; k < prev; k++) {
                    if (!ncx)
                        oct_xml_end_element_full(x); /* ol */
                    oct_xml_end_element_full(x);     /* its item */
                }
            }
        }
        prev = e[i].depth;
        if (ncx) {
            oct_xml_start(x, "navPoint");
            oct_xml_attrf(x, "id", "navpoint-%zu", i + 1);
            oct_xml_attrf(x, "playOrder", "%zu", i + 1);
            oct_xml_start(x, "navLabel");
            oct_xml_element(x, "text", e[i].label);
            oct_xml_end_element_full(x);
            oct_xml_start(x, "content");
            oct_xml_attr(x, "src", e[i].href);
            oct_xml_end_element(x);
        } else {
            oct_xml_start(x, "li");
            oct_xml_start(x, "a");
            oct_xml_attr(x, "href", e[i].href);
            oct_xml_text_cstr(x, e[i].label);
            oct_xml_end_element_full(x);
        }
    }
    if (n > 0) {
        oct_xml_end_element_full(x);
        for (int k = 0; k < prev; k++) {
            if (!ncx)
                oct_xml_end_element_full(x);
            oct_xml_end_element_full(x);
        }
    }
    if (!ncx)
        oct_xml_end_element_full(x);
}

static void landmark(oct_xml *x, const char *type, const char *href, const char *label)
{
    oct_xml_start(x, "li");
    oct_xml_start(x, "a");
    oct_xml_attr(x, "epub:type", type);
    oct_xml_attr(x, "href", href);
    oct_xml_text_cstr(x, label);
    oct_xml_end_element_full(x);
    oct_xml_end_element_full(x);
}

oct_status epub_write_nav(epub_book *b, oct_zip *z)
{
    const nav_words *words = words_for(b->lang);
    size_t n;
    nav_entry *e = collect_entries(b, &n);
    oct_xml x;
    oct_status st;

    if (!e)
        return oct_error_set(b->err, OCT_ERR_NOMEM, EPUB_NAV, 0, "out of memory");
    epub_xhtml_begin(b, &x, words->contents, b->epub2 ? NULL : "frontmatter");
    oct_xml_start(&x, b->epub2 ? "div" : "nav");
    oct_xml_attr(&x, "id", "toc");
    oct_xml_attr(&x, "class", "toc");
    if (!b->epub2) {
        oct_xml_attr(&x, "epub:type", "toc");
        oct_xml_attr(&x, "role", "doc-toc");
    }
    oct_xml_element(&x, "h1", words->contents);
    write_tree(&x, e, n, 0);
    oct_xml_end_element_full(&x);
    if (!b->epub2) {
        oct_xml_start(&x, "nav");
        oct_xml_attr(&x, "id", "landmarks");
        oct_xml_attr(&x, "epub:type", "landmarks");
        oct_xml_attr(&x, "hidden", "hidden");
        oct_xml_element(&x, "h2", "Landmarks");
        oct_xml_start(&x, "ol");
        if (b->cover)
            landmark(&x, "cover", EPUB_COVER, words->cover);
        landmark(&x, "titlepage", EPUB_TITLE, words->title_page);
        if (b->nav_in_spine) /* landmarks may only point into the spine */
            landmark(&x, "toc", EPUB_NAV "#toc", words->contents);
        landmark(&x, "bodymatter", b->chapters[0].file, words->start);
        oct_xml_end_element_full(&x);
        oct_xml_end_element_full(&x);
    }
    st = epub_zip_xml(b, z, EPUB_NAV, &x);
    oct_xml_free(&x);
    free(e);
    return st;
}

oct_status epub_write_ncx(epub_book *b, oct_zip *z)
{
    size_t n;
    nav_entry *e = collect_entries(b, &n);
    oct_xml x;
    oct_status st;
    int depth = 1;

    if (!e)
        return oct_error_set(b->err, OCT_ERR_NOMEM, EPUB_NCX, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (e[i].depth + 1 > depth)
            depth = e[i].depth + 1;
    oct_xml_begin(&x, 0);
    oct_xml_start(&x, "ncx");
    oct_xml_attr(&x, "xmlns", NS_NCX);
    oct_xml_attr(&x, "version", "2005-1");
    oct_xml_attr(&x, "xml:lang", b->lang);
    oct_xml_start(&x, "head");
    oct_xml_start(&x, "meta");
    oct_xml_attr(&x, "name", "dtb:uid");
    oct_xml_attr(&x, "content", b->identifier);
    oct_xml_end_element(&x);
    oct_xml_start(&x, "meta");
    oct_xml_attr(&x, "name", "dtb:depth");
    oct_xml_attrf(&x, "content", "%d", depth);
    oct_xml_end_element(&x);
    oct_xml_start(&x, "meta");
    oct_xml_attr(&x, "name", "dtb:totalPageCount");
    oct_xml_attr(&x, "content", "0");
    oct_xml_end_element(&x);
    oct_xml_start(&x, "meta");
    oct_xml_attr(&x, "name", "dtb:maxPageNumber");
    oct_xml_attr(&x, "content", "0");
    oct_xml_end_element(&x);
    oct_xml_end_element_full(&x);
    oct_xml_start(&x, "docTitle");
    oct_xml_element(&x, "text", b->title);
    oct_xml_end_element_full(&x);
    oct_xml_start(&x, "navMap");
    write_tree(&x, e, n, 1);
    oct_xml_end_element_full(&x);
    st = epub_zip_xml(b, z, EPUB_NCX, &x);
    oct_xml_free(&x);
    free(e);
    return st;
}
