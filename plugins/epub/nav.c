/*
 * nav.c — the navigation documents: the EPUB 3 nav (table of contents and
 * landmarks), and the NCX that EPUB 2 readers (and older Kindles) use.
 *
 * Both are nested lists built from the same flat entry list, whose depths
 * grow by at most one step (split.c guarantees it), so nesting is a matter
 * of opening and closing the right number of elements: no recursion.
 */
#include "epub.h"
#include "markup.h"

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

/* "file#id" (or the file alone) into an entry's href, cut as snprintf
 * would cut it; snprintf itself cost more than the rest of the list. */
static void set_href(nav_entry *e, const char *file, const char *id)
{
    const char *const parts[3] = {file, id ? "#" : "", id ? id : ""};
    size_t o = 0;

    for (int i = 0; i < 3; i++) {
        size_t n = strlen(parts[i]);
        if (n > sizeof e->href - 1 - o)
            n = sizeof e->href - 1 - o;
        memcpy(e->href + o, parts[i], n);
        o += n;
    }
    e->href[o] = '\0';
}

/* The table of contents as a flat list; never empty. Caller frees. */
static nav_entry *collect_entries(const epub_book *b, size_t *count)
{
    size_t n = 0;
    /* not calloc: every field of an entry used is set below, and zeroing
     * a book's list of 320-byte entries cost more than filling it */
    nav_entry *e = malloc((b->n_toc + 2) * sizeof *e);

    if (!e)
        return NULL;
    for (size_t i = 0; i < b->n_toc; i++) {
        const epub_toc_entry *t = &b->toc[i];
        const char *id = epub_anchor_id(b, t->heading);
        const char *file = epub_chapter_file(b, t->chapter);
        e[n].label = t->label;
        e[n].depth = t->depth;
        /* A chapter's opening heading links to the file itself. */
        set_href(&e[n], file, id && b->chapters[t->chapter].opening != t->heading ? id : NULL);
        n++;
    }
    if (n == 0) {
        e[n].label = b->title;
        e[n].depth = 0;
        set_href(&e[n], b->chapters[0].file, NULL);
        n++;
    }
    if (b->has_notes_file) {
        e[n].label = words_for(b->lang)->notes;
        set_href(&e[n], EPUB_NOTES, NULL);
        e[n].depth = 0;
        n++;
    }
    *count = n;
    return e;
}

/* Writes the nested list: <ol> of <li> (nav), or navPoints nested directly
 * (NCX). */
static void write_tree(markup *m, const nav_entry *e, size_t n, int ncx)
{
    int prev = 0;

    if (!ncx)
        markup_start(m, "ol");
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            if (e[i].depth > prev) {
                if (!ncx)
                    markup_start(m, "ol");
            } else {
                markup_end(m); /* the previous item */
                for (int k = e[i].depth; k < prev; k++) {
                    if (!ncx)
                        markup_end(m); /* ol */
                    markup_end(m);     /* its item */
                }
            }
        }
        prev = e[i].depth;
        if (ncx) {
            markup_start(m, "navPoint");
            markup_attr_numbered(m, "id", "navpoint-", (long)(i + 1));
            markup_attr_int(m, "playOrder", (long)(i + 1));
            markup_start(m, "navLabel");
            markup_element(m, "text", e[i].label);
            markup_end(m);
            markup_start(m, "content");
            markup_attr(m, "src", e[i].href);
            markup_end_empty(m);
        } else {
            markup_start(m, "li");
            markup_start(m, "a");
            markup_attr(m, "href", e[i].href);
            markup_text_cstr(m, e[i].label);
            markup_end(m);
        }
    }
    if (n > 0) {
        markup_end(m);
        for (int k = 0; k < prev; k++) {
            if (!ncx)
                markup_end(m);
            markup_end(m);
        }
    }
    if (!ncx)
        markup_end(m);
}

static void landmark(markup *m, const char *type, const char *href, const char *label)
{
    markup_start(m, "li");
    markup_start(m, "a");
    markup_attr(m, "epub:type", type);
    markup_attr(m, "href", href);
    markup_text_cstr(m, label);
    markup_end(m);
    markup_end(m);
}

static oct_status write_nav(epub_book *b, oct_zip *z, const nav_entry *e, size_t n)
{
    const nav_words *words = words_for(b->lang);
    oct_xml x;
    markup m;
    oct_status st;

    oct_xml_begin(&x, 0);
    markup_init(&m, &x);
    epub_xhtml_begin(b, &x, &m, words->contents, b->epub2 ? NULL : "frontmatter");
    markup_start(&m, b->epub2 ? "div" : "nav");
    markup_attr(&m, "id", "toc");
    markup_attr(&m, "class", "toc");
    if (!b->epub2) {
        markup_attr(&m, "epub:type", "toc");
        markup_attr(&m, "role", "doc-toc");
    }
    markup_element(&m, "h1", words->contents);
    write_tree(&m, e, n, 0);
    markup_end(&m);
    if (!b->epub2) {
        markup_start(&m, "nav");
        markup_attr(&m, "id", "landmarks");
        markup_attr(&m, "epub:type", "landmarks");
        markup_attr(&m, "hidden", "hidden");
        markup_element(&m, "h2", "Landmarks");
        markup_start(&m, "ol");
        if (b->cover)
            landmark(&m, "cover", EPUB_COVER, words->cover);
        landmark(&m, "titlepage", EPUB_TITLE, words->title_page);
        if (b->nav_in_spine) /* landmarks may only point into the spine */
            landmark(&m, "toc", EPUB_NAV "#toc", words->contents);
        landmark(&m, "bodymatter", b->chapters[0].file, words->start);
        markup_end(&m);
        markup_end(&m);
    }
    markup_finish(&m);
    markup_free(&m);
    st = epub_zip_xml(b, z, EPUB_NAV, &x);
    oct_xml_free(&x);
    return st;
}

static oct_status write_ncx(epub_book *b, oct_zip *z, const nav_entry *e, size_t n)
{
    oct_xml x;
    markup m;
    oct_status st;
    int depth = 1;

    for (size_t i = 0; i < n; i++)
        if (e[i].depth + 1 > depth)
            depth = e[i].depth + 1;
    oct_xml_begin(&x, 0);
    oct_xml_start(&x, "ncx");
    oct_xml_attr(&x, "xmlns", NS_NCX);
    oct_xml_attr(&x, "version", "2005-1");
    oct_xml_attr(&x, "xml:lang", b->lang);
    markup_init(&m, &x);
    markup_start(&m, "head");
    markup_start(&m, "meta");
    markup_attr(&m, "name", "dtb:uid");
    markup_attr(&m, "content", b->identifier);
    markup_end_empty(&m);
    markup_start(&m, "meta");
    markup_attr(&m, "name", "dtb:depth");
    markup_attr_int(&m, "content", depth);
    markup_end_empty(&m);
    markup_start(&m, "meta");
    markup_attr(&m, "name", "dtb:totalPageCount");
    markup_attr(&m, "content", "0");
    markup_end_empty(&m);
    markup_start(&m, "meta");
    markup_attr(&m, "name", "dtb:maxPageNumber");
    markup_attr(&m, "content", "0");
    markup_end_empty(&m);
    markup_end(&m);
    markup_start(&m, "docTitle");
    markup_element(&m, "text", b->title);
    markup_end(&m);
    markup_start(&m, "navMap");
    write_tree(&m, e, n, 1);
    markup_end(&m);
    markup_finish(&m);
    markup_free(&m);
    st = epub_zip_xml(b, z, EPUB_NCX, &x);
    oct_xml_free(&x);
    return st;
}

oct_status epub_write_navigation(epub_book *b, oct_zip *z)
{
    size_t n;
    /* one list for both documents: its hrefs cost a look-up each */
    nav_entry *e = collect_entries(b, &n);
    oct_status st = OCT_OK;

    if (!e)
        return oct_error_set(b->err, OCT_ERR_NOMEM, EPUB_NCX, 0, "out of memory");
    if (epub_nav_file_written(b))
        st = write_nav(b, z, e, n);
    if (st == OCT_OK)
        st = write_ncx(b, z, e, n);
    free(e);
    return st;
}
