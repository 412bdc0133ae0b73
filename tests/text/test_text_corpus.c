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

/* Words with how many times each occurs (a multiset). */
typedef struct word_set {
    char **slots;
    size_t *counts;
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

static size_t set_slot(const word_set *set, const char *s, size_t len)
{
    size_t i = hash_bytes(s, len) & set->mask;
    while (set->slots[i] && !(strlen(set->slots[i]) == len && memcmp(set->slots[i], s, len) == 0))
        i = (i + 1) & set->mask;
    return i;
}

/* Takes one occurrence of the word out of the set; 0 when none is left. */
static int set_take(word_set *set, const char *s, size_t len)
{
    const size_t i = set_slot(set, s, len);
    if (!set->slots[i] || set->counts[i] == 0)
        return 0;
    set->counts[i]--;
    return 1;
}

static void set_add(word_set *set, const char *s, size_t len)
{
    if ((set->count + 1) * 2 > set->mask + 1) {
        const size_t old_size = set->mask + 1;
        char **old = set->slots;
        size_t *old_counts = set->counts;
        set->slots = calloc(old_size * 2, sizeof(char *));
        set->counts = calloc(old_size * 2, sizeof(size_t));
        assert_non_null(set->slots);
        assert_non_null(set->counts);
        set->mask = old_size * 2 - 1;
        for (size_t i = 0; i < old_size; i++)
            if (old[i]) {
                const size_t k = set_slot(set, old[i], strlen(old[i]));
                set->slots[k] = old[i];
                set->counts[k] = old_counts[i];
            }
        free(old);
        free(old_counts);
    }
    const size_t i = set_slot(set, s, len);
    if (!set->slots[i]) {
        set->slots[i] = strndup(s, len);
        set->count++;
    }
    set->counts[i]++;
}

static void set_free(word_set *set)
{
    for (size_t i = 0; i <= set->mask; i++)
        free(set->slots[i]);
    free(set->slots);
    free(set->counts);
}

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Word bytes, except that a no-break space (C2 A0) separates words. */
static int word_at(const char *s, size_t len, size_t i)
{
    if ((unsigned char)s[i] == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0)
        return 0;
    if ((unsigned char)s[i] == 0xA0 && i > 0 && (unsigned char)s[i - 1] == 0xC2)
        return 0;
    return is_word_byte((unsigned char)s[i]);
}

static void add_words(word_set *set, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && !word_at(s, len, i))
            i++;
        const size_t start = i;
        while (i < len && word_at(s, len, i))
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
    const oct_status st =
        oct_read_memory(ctx, data, len, path, oct_registry_find(reg, "text"), &doc, &err);
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
             (ll > 10 && memcmp(line, "Appendix\xc2\xa0", 10) == 0)) &&
            n < max) {
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
    word_set out = {calloc(1024, sizeof(char *)), calloc(1024, sizeof(size_t)), 1023, 0};
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
        /* an ordered list's numbers are in the output as its numbering */
        if (oct_node_get_type(n) == OCT_NODE_LIST && oct_node_list_is_ordered(n)) {
            int number = oct_node_list_start(n);
            for (const oct_node *item = oct_node_first_child(n); item;
                 item = oct_node_next(item), number++) {
                char label[16];
                const oct_list_style style = oct_node_list_style(n);
                if (style == OCT_LIST_LOWER_ALPHA || style == OCT_LIST_UPPER_ALPHA)
                    snprintf(label, sizeof label, "%c",
                             (style == OCT_LIST_LOWER_ALPHA ? 'a' : 'A') + (number - 1) % 26);
                else
                    snprintf(label, sizeof label, "%d", number);
                add_words(&out, label, strlen(label));
            }
        }
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

    /* no text lost: each occurrence of an input word is matched by one in
     * the output, or, for a word split by a hyphen at a line end, by its
     * rejoined form */
    size_t words = 0, missing = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && !word_at(data, len, i))
            i++;
        const size_t start = i;
        while (i < len && word_at(data, len, i))
            i++;
        if (i == start)
            break;
        words++;
        int found = 0;
        /* a word split by a hyphen at a line end may have been rejoined:
         * the joined word then stands for both halves */
        if (i + 1 < len && data[i] == '-' && data[i + 1] == '\n') {
            size_t j = i + 2;
            while (j < len && data[j] == ' ')
                j++;
            size_t k = j;
            while (k < len && word_at(data, len, k))
                k++;
            char joined[256];
            if (k > j && i - start + k - j < sizeof joined) {
                memcpy(joined, data + start, i - start);
                memcpy(joined + (i - start), data + j, k - j);
                if (set_take(&out, joined, i - start + k - j)) {
                    found = 1;
                    i = k;
                    words++;
                }
            }
        }
        if (!found)
            found = set_take(&out, data + start, i - start);
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
    octest_path(dir, sizeof dir, octest_env("OCTAVO_SOURCE_DIR"),
                "../shared/corpora/html5lib/inputs");
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
