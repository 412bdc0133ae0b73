/*
 * extract_f1 — extraction quality on the Readability test pages.
 *
 * For every page directory (source.html, expected.html) of the corpus: parse
 * source.html, run oct_html_extract, take the text of the result, and compute
 * the token F1 against the text of expected.html (bags of lowercased words
 * with multiplicity; CJK characters count one token each). Prints one line
 * per page and the mean; fails when the mean is below the recorded floor.
 *
 * usage: extract_f1 [CORPUS_DIR [FLOOR_FILE]]
 *   defaults: $OCTAVO_SOURCE_DIR/../shared/corpora/readability and
 *             $OCTAVO_SOURCE_DIR/tests/extract/f1-floor.txt
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include "extract.h"

#define PARSE_OPTIONS                                                                   \
    (HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING)

/* ------------------------------------------------------------ files */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        char *grown = realloc(buf, cap *= 2);
        if (grown == NULL) {
            free(buf);
            buf = NULL;
        }
        buf = grown;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* ------------------------------------------------------------ text */

typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void text_add(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (t->len + n + 1 > cap)
            cap *= 2;
        char *grown = realloc(t->s, cap);
        if (grown == NULL)
            abort();
        t->s = grown;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static int separates_words(const xmlChar *name)
{
    static const char *const blocks[] = {
        "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr",
        "section", "article", "blockquote", "pre", "ul", "ol", "table", "figure",
        "figcaption", "dd", "dt", "header", "footer", "hr", "main", "aside", "nav", NULL};
    for (size_t i = 0; blocks[i] != NULL; i++)
        if (xmlStrcasecmp(name, BAD_CAST blocks[i]) == 0)
            return 1;
    return 0;
}

static int skipped(const xmlNode *node)
{
    return node->type == XML_ELEMENT_NODE &&
           (xmlStrcasecmp(node->name, BAD_CAST "script") == 0 ||
            xmlStrcasecmp(node->name, BAD_CAST "style") == 0);
}

/* The text of root's subtree, walked without recursion. */
static void subtree_text(xmlNodePtr root, text *out)
{
    xmlNodePtr node = root;
    while (node != NULL) {
        int descend = 0;
        if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
            if (node->content != NULL)
                text_add(out, (const char *)node->content, strlen((const char *)node->content));
        } else if (node->type == XML_ELEMENT_NODE && !skipped(node)) {
            if (separates_words(node->name))
                text_add(out, " ", 1);
            descend = node->children != NULL;
        }
        if (descend) {
            node = node->children;
            continue;
        }
        while (node != root && node->next == NULL) {
            node = node->parent;
            if (node->type == XML_ELEMENT_NODE && separates_words(node->name))
                text_add(out, " ", 1);
        }
        if (node == root)
            break;
        node = node->next;
    }
}

/* ------------------------------------------------------------ tokens */

/* liboctavo's own UTF-8 decoding and encoding (the test links it anyway). */
static size_t utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
    return oct_utf8_decode((const char *)s, len, cp);
}

static size_t utf8_put(uint32_t cp, char *out) { return oct_utf8_encode(cp, out); }

enum { SEP, WORD, SINGLE };

/* Letters and digits make words; ideographs and kana are one token each;
 * spaces, punctuation and symbols separate. */
static int char_class(uint32_t cp)
{
    if (cp < 0x80)
        return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') || (cp >= '0' && cp <= '9') ? WORD : SEP;
    if (cp < 0xC0)
        return cp == 0xAA || cp == 0xB5 || cp == 0xBA ? WORD : SEP;
    if (cp == 0xD7 || cp == 0xF7)
        return SEP;
    if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
        (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
        (cp >= 0xFF5B && cp <= 0xFF65) || cp >= 0x1F000 || cp == 0xFFFD || cp == 0xFEFF ||
        cp == 0x60C || cp == 0x61F || cp == 0x6D4)
        return SEP;
    if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
        (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF))
        return SINGLE;
    return WORD;
}

static uint32_t lower(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return cp + 32;
    if (cp >= 0x391 && cp <= 0x3A9)
        return cp + 32;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 32;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 80;
    return cp;
}

typedef struct entry {
    char *key;
    long count[2];
} entry;

typedef struct bag {
    entry *slots;
    size_t cap, used;
    long total[2];
} bag;

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static void bag_add(bag *b, const char *tok, size_t n, int side);

static void bag_grow(bag *b)
{
    bag bigger = {calloc(b->cap ? b->cap * 2 : 1024, sizeof(entry)), b->cap ? b->cap * 2 : 1024,
                  0, {b->total[0], b->total[1]}};
    if (bigger.slots == NULL)
        abort();
    for (size_t i = 0; i < b->cap; i++) {
        if (b->slots[i].key == NULL)
            continue;
        uint64_t h = hash(b->slots[i].key, strlen(b->slots[i].key)) & (bigger.cap - 1);
        while (bigger.slots[h].key != NULL)
            h = (h + 1) & (bigger.cap - 1);
        bigger.slots[h] = b->slots[i];
        bigger.used++;
    }
    free(b->slots);
    *b = bigger;
}

static void bag_add(bag *b, const char *tok, size_t n, int side)
{
    if ((b->used + 1) * 2 > b->cap)
        bag_grow(b);
    uint64_t h = hash(tok, n) & (b->cap - 1);
    while (b->slots[h].key != NULL) {
        if (strlen(b->slots[h].key) == n && memcmp(b->slots[h].key, tok, n) == 0)
            break;
        h = (h + 1) & (b->cap - 1);
    }
    if (b->slots[h].key == NULL) {
        /* tok is not NUL-terminated: copy exactly n bytes */
        char *key = malloc(n + 1);
        if (key == NULL)
            abort();
        memcpy(key, tok, n);
        key[n] = '\0';
        b->slots[h].key = key;
        b->used++;
    }
    b->slots[h].count[side]++;
    b->total[side]++;
}

static void bag_free(bag *b)
{
    for (size_t i = 0; i < b->cap; i++)
        free(b->slots[i].key);
    free(b->slots);
}

static void tokenize_into(bag *b, const char *s, size_t len, int side)
{
    char tok[1024];
    size_t n = 0, i = 0;
    while (i <= len) {
        uint32_t cp = 0;
        int cls = SEP;
        if (i < len) {
            i += utf8_next((const unsigned char *)s + i, len - i, &cp);
            cls = char_class(cp);
        } else {
            i++;
        }
        if (cls == WORD && n + 4 < sizeof tok) {
            n += utf8_put(lower(cp), tok + n);
            continue;
        }
        if (n > 0)
            bag_add(b, tok, n, side);
        n = 0;
        if (cls == SINGLE) {
            char one[4];
            const size_t one_len = utf8_put(cp, one);
            bag_add(b, one, one_len, side);
        }
    }
}

/* ------------------------------------------------------------ per page */

typedef struct result {
    char name[128];
    double f1, precision, recall;
    long got, want;
} result;

static xmlDocPtr parse(const char *path)
{
    size_t len;
    char *data = read_file(path, &len);
    if (data == NULL)
        return NULL;
    xmlDocPtr doc = htmlReadMemory(data, (int)len, "http://fakehost/test/page.html", "UTF-8",
                                   PARSE_OPTIONS);
    free(data);
    return doc;
}

static int score_page(const char *dir, const char *name, result *r)
{
    char path[8192];
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(path, sizeof path, "%.4000s/%.255s/source.html", dir, name);
    xmlDocPtr source = parse(path);
    snprintf(path, sizeof path, "%.4000s/%.255s/expected.html", dir, name);
    xmlDocPtr expected = parse(path);
    if (source == NULL || expected == NULL) {
        xmlFreeDoc(source);
        xmlFreeDoc(expected);
        return -1;
    }

    oct_extract_result res;
    text got = {0}, want = {0};
    /* EXTRACT_F1_BASELINE=1 scores the whole page instead, for comparison. */
    const char *baseline = getenv("EXTRACT_F1_BASELINE");
    res.content = NULL;
    if ((baseline != NULL && *baseline == '1') || oct_html_extract(source, NULL, &res) == 0) {
        xmlNodePtr from = res.content;
        if (from == NULL)
            from = xmlDocGetRootElement(source);
        if (from != NULL)
            subtree_text(from, &got);
    }
    if (xmlDocGetRootElement(expected) != NULL)
        subtree_text(xmlDocGetRootElement(expected), &want);
    /* EXTRACT_F1_DUMP=<page> writes both texts to stderr, for debugging. */
    const char *dump = getenv("EXTRACT_F1_DUMP");
    if (dump != NULL && strcmp(dump, name) == 0)
        fprintf(stderr, "=== extracted\n%s\n=== expected\n%s\n", got.s ? got.s : "",
                want.s ? want.s : "");

    bag b = {0};
    bag_grow(&b);
    tokenize_into(&b, got.s ? got.s : "", got.len, 0);
    tokenize_into(&b, want.s ? want.s : "", want.len, 1);
    long common = 0;
    for (size_t i = 0; i < b.cap; i++)
        if (b.slots[i].key != NULL)
            common += b.slots[i].count[0] < b.slots[i].count[1] ? b.slots[i].count[0]
                                                                 : b.slots[i].count[1];
    r->got = b.total[0];
    r->want = b.total[1];
    r->precision = r->got ? (double)common / r->got : (r->want ? 0 : 1);
    r->recall = r->want ? (double)common / r->want : 1;
    r->f1 = r->precision + r->recall > 0
                ? 2 * r->precision * r->recall / (r->precision + r->recall)
                : 0;
    bag_free(&b);
    free(got.s);
    free(want.s);
    xmlFreeDoc(source);
    xmlFreeDoc(expected);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *src = getenv("OCTAVO_SOURCE_DIR");
    char corpus[4096], floor_path[4200];
    snprintf(corpus, sizeof corpus, "%s", argc > 1 ? argv[1] : "");
    snprintf(floor_path, sizeof floor_path, "%s", argc > 2 ? argv[2] : "");
    if (argc <= 1 && src != NULL)
        snprintf(corpus, sizeof corpus, "%.4000s/../shared/corpora/readability", src);
    if (argc <= 2 && src != NULL)
        snprintf(floor_path, sizeof floor_path, "%.4000s/tests/extract/f1-floor.txt", src);

    DIR *d = opendir(corpus);
    if (d == NULL) {
        fprintf(stderr, "extract_f1: cannot open corpus '%s'\n", corpus);
        return 1;
    }
    char *names[1024];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 1024) {
        char probe[8192];
        snprintf(probe, sizeof probe, "%.4000s/%.255s/expected.html", corpus, e->d_name);
        FILE *f = e->d_name[0] != '.' ? fopen(probe, "rb") : NULL;
        if (f != NULL) {
            fclose(f);
            names[n++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);

    double sum = 0;
    size_t scored = 0;
    printf("%-40s %6s %6s %6s %7s %7s\n", "page", "P", "R", "F1", "got", "want");
    for (size_t i = 0; i < n; i++) {
        result r;
        if (score_page(corpus, names[i], &r) == 0) {
            printf("%-40s %6.3f %6.3f %6.3f %7ld %7ld\n", r.name, r.precision, r.recall, r.f1,
                   r.got, r.want);
            sum += r.f1;
            scored++;
        } else {
            printf("%-40s unreadable\n", names[i]);
        }
        free(names[i]);
    }
    double mean = scored ? sum / scored : 0;
    printf("mean F1 over %zu pages: %.5f\n", scored, mean);

    double floor_value = 0;
    FILE *f = floor_path[0] ? fopen(floor_path, "r") : NULL;
    if (f != NULL) {
        if (fscanf(f, "%lf", &floor_value) != 1)
            floor_value = 0;
        fclose(f);
    }
    printf("floor: %.4f\n", floor_value);
    xmlCleanupParser();
    if (scored == 0 || mean < floor_value) {
        fprintf(stderr, "extract_f1: mean F1 %.4f is below the floor %.4f\n", mean, floor_value);
        return 1;
    }
    return 0;
}
