/*
 * bookmarks.c — Word bookmark names for node ids, so internal links
 * (w:hyperlink w:anchor) reach headings and other targets.
 *
 * Word accepts bookmark names of at most 40 characters, starting with a
 * letter, made of letters, digits and underscores. An id that already is one
 * keeps its name (pandoc reads it back as the heading id); any other gets
 * "_oct<n>" in document order, which cannot collide with a kept name because
 * those start with a letter (the underscore also hides it in Word's list).
 */
#include <stdlib.h>
#include <string.h>

#include "docx.h"

#define BOOKMARK_MAX 40

static int is_word_bookmark(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > BOOKMARK_MAX)
        return 0;
    if (!((id[0] >= 'A' && id[0] <= 'Z') || (id[0] >= 'a' && id[0] <= 'z')))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return 0;
    }
    return 1;
}

/* "_oct<number>", malloc()ed. */
static char *generated_name(size_t number)
{
    char digits[24];
    const size_t n = oct_markup_format_long((long)number, digits + sizeof digits);
    char *name = malloc(4 + n + 1);
    if (name) {
        memcpy(name, "_oct", 4);
        memcpy(name + 4, digits + sizeof digits - n, n);
        name[4 + n] = '\0';
    }
    return name;
}

static oct_status add_name(docx_writer *w, const char *id, char *name)
{
    if (!name)
        return OCT_ERR_NOMEM;
    if (w->bookmark_count == w->bookmark_cap) {
        size_t cap = w->bookmark_cap ? w->bookmark_cap * 2 : 64;
        char **names = realloc(w->bookmark_names, cap * sizeof *names);
        if (!names) {
            free(name);
            return OCT_ERR_NOMEM;
        }
        w->bookmark_names = names;
        unsigned char *placed = realloc(w->bookmark_placed, cap);
        if (!placed) {
            free(name);
            return OCT_ERR_NOMEM;
        }
        w->bookmark_placed = placed;
        w->bookmark_cap = cap;
    }
    w->bookmark_names[w->bookmark_count] = name;
    w->bookmark_placed[w->bookmark_count] = 0;
    oct_status s = docx_map_put(&w->bookmarks, id, (int)w->bookmark_count);
    if (s != OCT_OK) {
        free(name);
        return s;
    }
    w->bookmark_count++;
    return OCT_OK;
}

oct_status docx_bookmarks_collect(docx_writer *w)
{
    oct_iter it;
    oct_iter_init(&it, oct_doc_root(w->doc));
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        if (ev != OCT_EVENT_ENTER)
            continue;
        const char *id = oct_node_id(oct_iter_node(&it));
        if (!id || !*id || docx_map_get(&w->bookmarks, id, NULL))
            continue;
        char *name;
        if (is_word_bookmark(id)) {
            name = strdup(id);
        } else {
            name = generated_name(w->bookmark_count + 1);
        }
        oct_status s = add_name(w, id, name);
        if (s != OCT_OK)
            return s;
    }
    return OCT_OK;
}

const char *docx_bookmark_for(const docx_writer *w, const char *id)
{
    int index;
    if (!id || !docx_map_get(&w->bookmarks, id, &index))
        return NULL;
    return w->bookmark_names[index];
}

const char *docx_bookmark_claim(docx_writer *w, const char *id)
{
    int index;
    if (!id || !docx_map_get(&w->bookmarks, id, &index) || w->bookmark_placed[index])
        return NULL;
    w->bookmark_placed[index] = 1;
    return w->bookmark_names[index];
}
