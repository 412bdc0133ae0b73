/*
 * extract_hints.c — what class names, ids, roles and inline styles say about
 * a node. The word lists are Readability's; its regular expressions are
 * plain alternations of substrings, matched here case-insensitively.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_internal.h"

/* ASCII case-insensitive strstr (strcasestr is a GNU extension). */
/* Case-insensitive strstr. The needles are lowercase; only positions whose
 * first letter matches get a full comparison (this runs for every class and
 * id of every element, dozens of words each). */
static const char *find_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    unsigned char first = (unsigned char)needle[0];
    unsigned char upper = (first >= 'a' && first <= 'z') ? (unsigned char)(first - 32) : first;
    for (; *hay != '\0'; hay++) {
        unsigned char c = (unsigned char)*hay;
        if ((c == first || c == upper) && strncasecmp(hay, needle, n) == 0)
            return hay;
    }
    return NULL;
}

#define BIGRAM_BITS 1024
#define LOWERED_MAX 1536

static unsigned bigram(unsigned char a, unsigned char b)
{
    return ((unsigned)a * 33u + b) % BIGRAM_BITS;
}

/* A word list with the set of its words' first two letters, made once:
 * a position of the string whose two letters are in no word's start can
 * begin no word, and that is nearly every position. */
typedef struct word_list {
    const char *const *words;
    uint64_t starts[BIGRAM_BITS / 64];
} word_list;

static const char *const unlikely_words[] = {
    "-ad-", "ai2html", "banner", "breadcrumbs", "combx", "comment", "community",
    "cover-wrap", "disqus", "extra", "footer", "gdpr", "header", "legends", "menu",
    "related", "remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social",
    "sponsor", "supplemental", "ad-break", "agegate", "pagination", "pager", "popup",
    "yom-remote", NULL};
static const char *const maybe_words[] = {"and", "article", "body", "column", "content",
                                          "mathjax", "main", "shadow", NULL};
static const char *const positive_words[] = {"article", "body", "content", "entry", "hentry",
                                             "h-entry", "main", "page", "pagination", "post",
                                             "text", "blog", "story", NULL};
static const char *const negative_words[] = {
    "-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "footer", "gdpr",
    "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share",
    "shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "widget", NULL};
static const char *const byline_words[] = {"byline", "author", "dateline", "writtenby",
                                           "p-author", NULL};

static word_list unlikely = {unlikely_words, {0}}, maybe = {maybe_words, {0}},
                 positive = {positive_words, {0}}, negative = {negative_words, {0}},
                 byline = {byline_words, {0}};
static pthread_once_t lists_once = PTHREAD_ONCE_INIT;

static void index_list(word_list *list)
{
    for (size_t i = 0; list->words[i] != NULL; i++) {
        const unsigned char *w = (const unsigned char *)list->words[i];
        unsigned k = bigram(w[0], w[1]); /* every word has two letters or more */
        list->starts[k / 64] |= (uint64_t)1 << (k % 64);
    }
}

static void index_lists(void)
{
    index_list(&unlikely);
    index_list(&maybe);
    index_list(&positive);
    index_list(&negative);
    index_list(&byline);
}

/* Whether some word of the list occurs in s, case-insensitively. Strings
 * longer than the lowercased copy take the plain search. */
static int contains_any(const char *s, const word_list *list)
{
    if (s == NULL || *s == '\0')
        return 0;
    pthread_once(&lists_once, index_lists);
    char low[LOWERED_MAX];
    size_t n = 0;
    for (; s[n] != '\0' && n < sizeof low - 1; n++) {
        unsigned char c = (unsigned char)s[n];
        low[n] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    if (s[n] != '\0') {
        for (size_t i = 0; list->words[i] != NULL; i++)
            if (find_ci(s, list->words[i]) != NULL)
                return 1;
        return 0;
    }
    low[n] = '\0';
    for (size_t at = 0; at + 1 < n; at++) {
        unsigned k = bigram((unsigned char)low[at], (unsigned char)low[at + 1]);
        if (!((list->starts[k / 64] >> (k % 64)) & 1))
            continue;
        for (size_t i = 0; list->words[i] != NULL; i++) {
            const char *w = list->words[i];
            if (w[0] != low[at] || w[1] != low[at + 1])
                continue;
            size_t j = 2;
            while (w[j] != '\0' && w[j] == low[at + j])
                j++;
            if (w[j] == '\0')
                return 1;
        }
    }
    return 0;
}

int ex_hint_unlikely(const char *match)
{
    return contains_any(match, &unlikely);
}

int ex_hint_maybe(const char *match)
{
    return contains_any(match, &maybe);
}

int ex_hint_positive(const char *s)
{
    return contains_any(s, &positive);
}

/* "hid" as a whole space-separated word. */
static int has_hid_word(const char *s)
{
    for (const char *p = s; (p = find_ci(p, "hid")) != NULL; p += 3) {
        int before = p == s || p[-1] == ' ';
        int after = p[3] == '\0' || p[3] == ' ';
        if (before && after)
            return 1;
    }
    return 0;
}

int ex_hint_negative(const char *s)
{
    if (s == NULL || *s == '\0')
        return 0;
    return contains_any(s, &negative) || has_hid_word(s);
}

int ex_hint_byline(const char *match)
{
    return contains_any(match, &byline);
}

static int is_word_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* (\b|_)(share|sharedaddy)(\b|_): the word must not run into other letters
 * or digits on either side ('_' counts as a separator here). */
int ex_hint_share(const char *match)
{
    static const char *const words[] = {"share", "sharedaddy"};
    for (size_t w = 0; w < 2; w++) {
        size_t wl = strlen(words[w]);
        for (const char *p = match; (p = find_ci(p, words[w])) != NULL; p++) {
            char before = p == match ? ' ' : p[-1];
            char after = p[wl];
            int ok_before = before == '_' || !is_word_char(before);
            int ok_after = after == '_' || after == '\0' || !is_word_char(after);
            if (ok_before && ok_after)
                return 1;
        }
    }
    return 0;
}

/* Readability's allowed video hosts: //(www.)?(dailymotion|youtube|
 * youtube-nocookie|player.vimeo|v.qq).com, (archive|upload.wikimedia).org,
 * player.twitch.tv */
int ex_hint_video(const char *s)
{
    static const char *const hosts[] = {
        "dailymotion.com", "youtube.com", "youtube-nocookie.com", "player.vimeo.com",
        "v.qq.com", "archive.org", "upload.wikimedia.org", "player.twitch.tv", NULL};
    for (const char *p = s; (p = strstr(p, "//")) != NULL; p += 2) {
        const char *h = p + 2;
        if (strncasecmp(h, "www.", 4) == 0) {
            for (size_t i = 0; hosts[i] != NULL; i++)
                if (strncasecmp(h + 4, hosts[i], strlen(hosts[i])) == 0)
                    return 1;
        }
        for (size_t i = 0; hosts[i] != NULL; i++)
            if (strncasecmp(h, hosts[i], strlen(hosts[i])) == 0)
                return 1;
    }
    return 0;
}

int ex_class_weight(ex_ctx *ex, xmlNodePtr node)
{
    if (!(ex->flags & EX_FLAG_WEIGHT_CLASSES))
        return 0;
    char buf[512];
    int weight = 0;
    const char *cls = ex_attr(node, "class", buf, sizeof buf);
    if (cls != NULL && *cls != '\0') {
        if (ex_hint_negative(cls))
            weight -= 25;
        if (ex_hint_positive(cls))
            weight += 25;
    }
    const char *id = ex_attr(node, "id", buf, sizeof buf);
    if (id != NULL && *id != '\0') {
        if (ex_hint_negative(id))
            weight -= 25;
        if (ex_hint_positive(id))
            weight += 25;
    }
    return weight;
}

/* Open addressing on the string's hash; strings too long for a slot are
 * answered without being remembered, and a full table stops growing. */
#define MEMO_SLOTS 1024 /* a power of two */
#define MEMO_KEY 64

typedef struct memo_slot {
    char key[MEMO_KEY]; /* NUL-ended; "" marks a free slot (a match string is never empty) */
    unsigned char hints;
} memo_slot;

struct ex_hint_memo {
    memo_slot slots[MEMO_SLOTS];
    size_t used;
};

static unsigned compute_hints(const char *match)
{
    return (ex_hint_unlikely(match) ? EX_HINT_UNLIKELY : 0u) |
           (ex_hint_maybe(match) ? EX_HINT_MAYBE : 0u) |
           (ex_hint_byline(match) ? EX_HINT_BYLINE : 0u) |
           (ex_hint_share(match) ? EX_HINT_SHARE : 0u);
}

unsigned ex_match_hints(ex_ctx *ex, const char *match)
{
    size_t len = 0;
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; match[len] != '\0'; len++) {
        if (len + 1 == MEMO_KEY)
            return compute_hints(match);
        h = (h ^ (unsigned char)match[len]) * 16777619u;
    }
    if (ex->hint_memo == NULL) {
        ex->hint_memo = calloc(1, sizeof *ex->hint_memo);
        if (ex->hint_memo == NULL)
            return compute_hints(match); /* remembering is only a saving */
    }
    struct ex_hint_memo *memo = ex->hint_memo;
    for (uint32_t slot = h % MEMO_SLOTS;; slot = (slot + 1) % MEMO_SLOTS) {
        memo_slot *m = &memo->slots[slot];
        if (m->key[0] == '\0') {
            const unsigned hints = compute_hints(match);
            if (len > 0 && memo->used < MEMO_SLOTS / 2) {
                memcpy(m->key, match, len + 1);
                m->hints = (unsigned char)hints;
                memo->used++;
            }
            return hints;
        }
        if (memcmp(m->key, match, len + 1) == 0)
            return m->hints;
    }
}

unsigned ex_node_hints(ex_ctx *ex, xmlNodePtr node)
{
    ex_info *info = ex_info_of(ex, node);
    if (!(info->hints & EX_HINT_KNOWN)) {
        unsigned hints = 0;
        /* without class or id the match string is " ", which says nothing */
        if (ex_attr_initials(node) & (EX_INITIAL('c') | EX_INITIAL('i'))) {
            char match[1024];
            hints = ex_match_hints(ex, ex_match_string(node, match, sizeof match));
        }
        info->hints = (uint8_t)(hints | EX_HINT_KNOWN);
    }
    return info->hints & ~(unsigned)EX_HINT_KNOWN;
}

void ex_hint_memo_free(ex_ctx *ex)
{
    free(ex->hint_memo);
    ex->hint_memo = NULL;
}

const char *ex_match_string(xmlNodePtr node, char *buf, size_t cap)
{
    char part[512];
    size_t len = 0;
    const char *cls = ex_attr(node, "class", part, sizeof part);
    if (cls != NULL) {
        len = strlen(cls);
        if (len >= cap - 2)
            len = cap - 2;
        memcpy(buf, cls, len);
    }
    buf[len++] = ' ';
    buf[len] = '\0';
    const char *id = ex_attr(node, "id", part, sizeof part);
    if (id != NULL) {
        size_t n = strlen(id);
        if (len + n >= cap)
            n = cap - 1 - len;
        memcpy(buf + len, id, n);
        len += n;
        buf[len] = '\0';
    }
    return buf;
}

/* Whether the inline style declares property: value (value compared up to
 * its end, "!important" or a space). */
static int style_says(const char *style, const char *property, const char *value)
{
    size_t plen = strlen(property), vlen = strlen(value);
    const char *p = style;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ';')
            p++;
        const char *decl = p;
        while (*p != '\0' && *p != ';')
            p++;
        const char *colon = memchr(decl, ':', (size_t)(p - decl));
        if (colon == NULL)
            continue;
        const char *name_end = colon;
        while (name_end > decl && (name_end[-1] == ' ' || name_end[-1] == '\t'))
            name_end--;
        if ((size_t)(name_end - decl) != plen || strncasecmp(decl, property, plen) != 0)
            continue;
        const char *v = colon + 1;
        while (v < p && (*v == ' ' || *v == '\t' || *v == '\n'))
            v++;
        if ((size_t)(p - v) >= vlen && strncasecmp(v, value, vlen) == 0) {
            char next = v + vlen < p ? v[vlen] : '\0';
            if (next == '\0' || next == ' ' || next == '!' || next == '\t' || next == '\n' ||
                next == '\r')
                return 1;
        }
    }
    return 0;
}

/* An attribute named exactly name. (xmlHasProp would also look for a
 * default in the DTD, which an HTML document never declares.) */
static int has_attribute(xmlNodePtr node, const char *name)
{
    for (xmlAttrPtr a = node->properties; a != NULL; a = a->next)
        if (a->name != NULL && strcmp((const char *)a->name, name) == 0)
            return 1;
    return 0;
}

int ex_is_visible(xmlNodePtr node, uint32_t initials)
{
    char buf[1024];
    const char *style =
        initials & EX_INITIAL('s') ? ex_attr(node, "style", buf, sizeof buf) : NULL;
    if (style != NULL && (style_says(style, "display", "none") ||
                          style_says(style, "visibility", "hidden")))
        return 0;
    if ((initials & EX_INITIAL('h')) && has_attribute(node, "hidden"))
        return 0;
    if (!(initials & EX_INITIAL('a')))
        return 1;
    const char *aria = ex_attr(node, "aria-hidden", buf, sizeof buf);
    if (aria != NULL && strcmp(aria, "true") == 0) {
        char cls[512];
        const char *c = ex_attr(node, "class", cls, sizeof cls);
        if (c == NULL || strstr(c, "fallback-image") == NULL)
            return 0;
    }
    return 1;
}
