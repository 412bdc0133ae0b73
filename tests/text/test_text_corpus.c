/*
 * test_text_corpus.c — the text reader on whole corpora (label "corpus").
 *
 *  - The Debian Reference as one plain-text file: its chapters become the
 *    level-1 headings (compared with an independent scan of the input), and
 *    no text is lost: every word of the input appears in the document.
 *  - Every html5lib tree-construction input, read as plain text, converts
 *    in-process without error (ASan/UBSan and LeakSanitizer watch).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "octest.h"

/* ------------------------------------------------------- a set of words */

typedef struct word_set {
    char **slots;
    size_t mask;
    size_t count;
} word_set;

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h;
}

static int set_has(const word_set *set, const char *s, size_t len)
{
    for (size_t i = hash_bytes(s, len) & set->mask;; i = (i + 1) & set->mask) {
        const char *w = set->slots[i];
        if (!w)
            return 0;
        if (strlen(w) == len && memcmp(w, s, len) == 0)
            return 1;
    }
}

static void set_add(word_set *set, const char *s, size_t len)
{
    if ((set->count + 1) * 2 > set->mask + 1) {
        word_set grown = {calloc((set->mask + 1) * 2, sizeof(char *)), set->mask * 2 + 1, 0};
        assert_non_null(grown.slots);
        for (size_t i = 0; i <= set->mask; i++)
            if (set->slots[i]) {
                size_t k = hash_bytes(set->slots[i], strlen(set->slots[i])) & grown.mask;
                while (grown.slots[k])
                    k = (k + 1) & grown.mask;
                grown.slots[k] = set->slots[i];
                grown.count++;
            }
        free(set->slots);
        *set = grown;
    }
    if (set_has(set, s, len))
        return;
    size_t i = hash_bytes(s, len) & set->mask;
    while (set->slots[i])
        i = (i + 1) & set->mask;
    set->slots[i] = strndup(s, len);
    set->count++;
}

static void set_free(word_set *set)
{
    for (size_t i = 0; i <= set->mask; i++)
        free(set->slots[i]);
    free(set->slots);
}

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static void add_words(word_set *set, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && !is_word_byte((unsigned char)s[i]))
            i++;
        const size_t start = i;
        while (i < len && is_word_byte((unsigned char)s[i]))
            i++;
        if (i > start)
            set_add(set, s + start, i - start);
    }
}

/* ---------------------------------------------------------------- helpers */

static oct_doc *read_text_file(oct_registry *reg, const char *path, char **data_out,
                               size_t *len_out)
{
    size_t len = 0;
    char *data = octest_read_file(path, &len);
    if (!data)
        fail_msg("cannot read %s", path);
    oct_context *ctx = oct_context_new(reg);
    oct_context_set_log(ctx, NULL, NULL);
    oct_error err;
    oct_error_clear(&err);
    oct_doc *doc = NULL;
    const oct_status st = oct_read_memory(ctx, data, len, path, oct_registry_find(reg, "text"),
                                          &doc, &err);
    oct_context_free(ctx);
    if (st != OCT_OK)
        fail_msg("%s: %s", path, err.message);
    *data_out = data;
    *len_out = len;
    return doc;
}

/* The chapter lines of the manual, found without the reader: a blank line,
 * "Preface" / "Chapter N. ..." / "Appendix X. ..." at column 0, a blank line. */
static size_t expected_chapters(const char *s, size_t len, char titles[][128], size_t max)
{
    size_t n = 0;
    const char *line = s, *end = s + len;
    int prev_blank = 1;
    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *le = nl ? nl : end;
        const char *next = nl ? nl + 1 : end;
        const int next_blank = next >= end || *next == '\n';
        const size_t ll = (size_t)(le - line);
        if (prev_blank && next_blank && ll > 0 && ll < 120 &&
            ((ll == 7 && memcmp(line, "Preface", 7) == 0) ||
             (ll > 9 && memcmp(line, "Chapter\xc2\xa0", 9) == 0) ||
             (ll > 10 && memcmp(line, "Appendix\xc2\xa0", 10) == 0)) && n < max) {
            snprintf(titles[n++], 128, "%.*s", (int)ll, line);
        }
        prev_blank = ll == 0;
        line = next;
    }
    return n;
}

/* ------------------------------------------------------------------ tests */

static void test_debian_reference(void **state)
{
    (void)state;
    oct_registry *reg = oct_registry_new();
    octest_load_plugins(reg);
    char path[4096];
    octest_path(path, sizeof path, octest_env("OCTAVO_SOURCE_DIR"),
                "../shared/corpora/books/debian-reference/debian-reference.en.txt");
    char *data;
    size_t len;
    oct_doc *doc = read_text_file(reg, path, &data, &len);

    /* chapters: the level-1 headings, in order */
    char want[64][128];
    const size_t n_want = expected_chapters(data, len, want, 64);
    assert_true(n_want > 10);
    size_t n_got = 0;
    word_set out = {calloc(1024, sizeof(char *)), 1023, 0};
    oct_iter it;
    oct_iter_init(&it, oct_doc_root(doc));
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        const oct_node *n = oct_iter_node(&it);
        if (ev != OCT_EVENT_ENTER)
            continue;
        size_t ll = 0;
        const char *lit = oct_node_literal(n, &ll);
        if (lit)
            add_words(&out, lit, ll);
        if (oct_node_get_type(n) == OCT_NODE_HEADING && oct_node_heading_level(n) == 1) {
            const char *t = oct_node_literal(oct_node_first_child(n), &ll);
            assert_non_null(t);
            if (n_got >= n_want || strlen(want[n_got]) != ll || memcmp(want[n_got], t, ll) != 0)
                fail_msg("chapter %zu: got \"%.*s\", want \"%s\"", n_got + 1, (int)ll, t,
                         n_got < n_want ? want[n_got] : "(none)");
            n_got++;
        }
    }
    assert_int_equal(n_got, n_want);
    print_message("debian-reference: %zu chapters detected\n", n_got);
    for (size_t i = 0; i < oct_meta_size(doc); i++) {
        const char *k, *v;
        oct_meta_entry(doc, i, &k, &v);
        add_words(&out, v, strlen(v));
    }

    /* no text lost: each input word is in the output, or, split by a
     * hyphen at a line end, its rejoined form is */
    size_t words = 0, missing = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && !is_word_byte((unsigned char)data[i]))
            i++;
        const size_t start = i;
        while (i < len && is_word_byte((unsigned char)data[i]))
            i++;
        if (i == start)
            break;
        words++;
        if (set_has(&out, data + start, i - start))
            continue;
        int found = 0;
        if (i + 1 < len && data[i] == '-' && data[i + 1] == '\n') {
            size_t j = i + 2;
            while (j < len && data[j] == ' ')
                j++;
            size_t k = j;
            while (k < len && is_word_byte((unsigned char)data[k]))
                k++;
            char joined[256];
            if (i - start + k - j < sizeof joined) {
                memcpy(joined, data + start, i - start);
                memcpy(joined + (i - start), data + j, k - j);
                found = set_has(&out, joined, i - start + k - j);
            }
        } else if (start >= 2 && data[start - 1] != '\n') {
            /* the second half of a rejoined word: look back over the break */
            size_t b = start;
            while (b > 0 && data[b - 1] == ' ')
                b--;
            if (b >= 2 && data[b - 1] == '\n' && data[b - 2] == '-') {
                size_t a = b - 2;
                while (a > 0 && is_word_byte((unsigned char)data[a - 1]))
                    a--;
                char joined[256];
                if ((b - 2 - a) + (i - start) < sizeof joined) {
                    memcpy(joined, data + a, b - 2 - a);
                    memcpy(joined + (b - 2 - a), data + start, i - start);
                    found = set_has(&out, joined, (b - 2 - a) + (i - start));
                }
            }
        }
        if (!found && missing++ < 10)
            print_error("lost word: %.*s\n", (int)(i - start), data + start);
    }
    print_message("debian-reference: %zu words, %zu lost\n", words, missing);
    assert_int_equal(missing, 0);
    set_free(&out);
    oct_doc_free(doc);
    free(data);
    oct_registry_free(reg);
}

static void test_html5lib_inputs_as_text(void **state)
{
    (void)state;
    oct_registry *reg = oct_registry_new();
    octest_load_plugins(reg);
    const oct_format *text = oct_registry_find(reg, "text");
    assert_non_null(text);
    char dir[4096];
    octest_path(dir, sizeof dir, octest_env("OCTAVO_SOURCE_DIR"), "../shared/corpora/html5lib/inputs");
    DIR *d = opendir(dir);
    assert_non_null(d);
    oct_context *ctx = oct_context_new(reg);
    oct_context_set_log(ctx, NULL, NULL);
    const struct dirent *e;
    size_t files = 0;
    while ((e = readdir(d)) != NULL) {
        const size_t nl = strlen(e->d_name);
        if (nl < 6 || strcmp(e->d_name + nl - 5, ".html") != 0)
            continue;
        char path[4096];
        octest_path(path, sizeof path, dir, e->d_name);
        size_t len = 0;
        char *data = octest_read_file(path, &len);
        assert_non_null(data);
        oct_doc *doc = NULL;
        oct_error err;
        oct_error_clear(&err);
        const oct_status st = oct_read_memory(ctx, data, len, e->d_name, text, &doc, &err);
        if (st != OCT_OK)
            fail_msg("%s: %s", e->d_name, err.message);
        assert_int_equal(oct_doc_validate(doc, NULL), OCT_OK);
        oct_doc_free(doc);
        free(data);
        files++;
    }
    closedir(d);
    oct_context_free(ctx);
    oct_registry_free(reg);
    print_message("html5lib: %zu inputs read as text\n", files);
    assert_true(files > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_debian_reference),
        cmocka_unit_test(test_html5lib_inputs_as_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
