/*
 * extract_hints.c — what class names, ids, roles and inline styles say about
 * a node. The word lists are Readability's; its regular expressions are
 * plain alternations of substrings, matched here case-insensitively.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_internal.h"
#include "hash_bytes.h"

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

/* The lists, each a bit of a set of lists. */
enum { L_UNLIKELY, L_MAYBE, L_POSITIVE, L_NEGATIVE, L_BYLINE, N_LISTS };
static const char *const *const word_lists[N_LISTS] = {unlikely_words, maybe_words,
                                                       positive_words, negative_words,
                                                       byline_words};
#define LIST(l) (1u << (l))

/* The words of all lists by their first two letters, made once: at nearly
 * every position of a string no word begins, and where one may, only the
 * words starting so are compared. */
#define MAX_WORDS 128
#define LIST_SIZE(words) (sizeof words / sizeof words[0] - 1)
_Static_assert(LIST_SIZE(unlikely_words) + LIST_SIZE(maybe_words) + LIST_SIZE(positive_words) +
                       LIST_SIZE(negative_words) + LIST_SIZE(byline_words) <=
                   MAX_WORDS,
               "the word index holds every word");
typedef struct indexed_word {
    const char *word;
    unsigned char list;
} indexed_word;
static indexed_word words_by_bigram[MAX_WORDS];
static unsigned short bigram_first[BIGRAM_BITS + 1]; /* into words_by_bigram */
static pthread_once_t lists_once = PTHREAD_ONCE_INIT;

static void index_lists(void)
{
    /* a counting sort on the bigram; every word has two letters or more */
    unsigned short count[BIGRAM_BITS] = {0};
    for (unsigned l = 0; l < N_LISTS; l++)
        for (size_t i = 0; word_lists[l][i] != NULL; i++) {
            const unsigned char *w = (const unsigned char *)word_lists[l][i];
            count[bigram(w[0], w[1])]++;
        }
    unsigned short at = 0;
    for (unsigned k = 0; k < BIGRAM_BITS; k++) {
        bigram_first[k] = at;
        at = (unsigned short)(at + count[k]);
    }
    bigram_first[BIGRAM_BITS] = at;
    unsigned short next[BIGRAM_BITS];
    memcpy(next, bigram_first, sizeof next);
    for (unsigned l = 0; l < N_LISTS; l++)
        for (size_t i = 0; word_lists[l][i] != NULL; i++) {
            const unsigned char *w = (const unsigned char *)word_lists[l][i];
            const unsigned k = bigram(w[0], w[1]);
            words_by_bigram[next[k]++] = (indexed_word){word_lists[l][i], (unsigned char)l};
        }
}

/* Which of the wanted lists have a word in the n lowercase bytes at low:
 * one pass over the string for all of them. */
static unsigned lists_found(const char *low, size_t n, unsigned wanted)
{
    pthread_once(&lists_once, index_lists);
    unsigned found = 0;
    for (size_t at = 0; at + 1 < n && found != wanted; at++) {
        const unsigned k = bigram((unsigned char)low[at], (unsigned char)low[at + 1]);
        for (unsigned e = bigram_first[k]; e < bigram_first[k + 1]; e++) {
            const indexed_word *iw = &words_by_bigram[e];
            const char *w = iw->word;
            if (!(wanted & ~found & LIST(iw->list)) || w[0] != low[at] || w[1] != low[at + 1])
                continue;
            size_t j = 2;
            while (w[j] != '\0' && at + j < n && w[j] == low[at + j])
                j++;
            if (w[j] == '\0')
                found |= LIST(iw->list);
        }
    }
    return found;
}

/* s lowercased (ASCII letters) into low, up to cap - 1 bytes, NUL-ended;
 * returns the length. */
static size_t lower_copy(const char *s, char *low, size_t cap)
{
    size_t n = 0;
    for (; s[n] != '\0' && n + 1 < cap; n++) {
        const unsigned char c = (unsigned char)s[n];
        low[n] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    low[n] = '\0';
    return n;
}

/* Whether some word of the list occurs in s, case-insensitively. Strings
 * longer than the lowercased copy take the plain search. */
static int contains_any(const char *s, unsigned list)
{
    if (s == NULL || *s == '\0')
        return 0;
    char low[LOWERED_MAX];
    const size_t n = lower_copy(s, low, sizeof low);
    if (s[n] != '\0') {
        for (const char *const *w = word_lists[list]; *w != NULL; w++)
            if (find_ci(s, *w) != NULL)
                return 1;
        return 0;
    }
    return lists_found(low, n, LIST(list)) != 0;
}

int ex_hint_unlikely(const char *match)
{
    return contains_any(match, L_UNLIKELY);
}

int ex_hint_maybe(const char *match)
{
    return contains_any(match, L_MAYBE);
}

int ex_hint_positive(const char *s)
{
    return contains_any(s, L_POSITIVE);
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

/* The same on the n lowercase bytes at low. */
static int has_hid_word_in(const char *low, size_t n)
{
    for (size_t at = 0; at + 3 <= n; at++)
        if (low[at] == 'h' && low[at + 1] == 'i' && low[at + 2] == 'd' &&
            (at == 0 || low[at - 1] == ' ') && (at + 3 == n || low[at + 3] == ' '))
            return 1;
    return 0;
}

int ex_hint_negative(const char *s)
{
    if (s == NULL || *s == '\0')
        return 0;
    return contains_any(s, L_NEGATIVE) || has_hid_word(s);
}

int ex_hint_byline(const char *match)
{
    return contains_any(match, L_BYLINE);
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

/* ------------------------------------------------------------ per node */

/* What a node's class and id say, in one byte: the EX_HINT_* bits of its
 * match string and its class weight (-50..50 in steps of 25, as 0..4). */

static unsigned pack_answer(unsigned hints, int weight)
{
    return hints | (unsigned)(weight / 25 + 2) << EX_WEIGHT_SHIFT;
}

/* -25 for a negative name, +25 for a positive one: the n lowercase bytes
 * at low. */
static int name_weight(const char *low, size_t n)
{
    if (n == 0)
        return 0;
    const unsigned found = lists_found(low, n, LIST(L_NEGATIVE) | LIST(L_POSITIVE));
    const int negative = (found & LIST(L_NEGATIVE)) || has_hid_word_in(low, n);
    return (negative ? -25 : 0) + (found & LIST(L_POSITIVE) ? 25 : 0);
}

/* The answer for the class and id as ex_attr reads them (so truncated the
 * same way); NULL when absent. The match string "class id" is lowercased
 * once: the class and the id are parts of it. */
static unsigned compute_answer(const char *cls, const char *id)
{
    char low[1024]; /* both at most 511 bytes */
    const size_t cls_len = cls != NULL ? lower_copy(cls, low, 512) : 0;
    low[cls_len] = ' ';
    const size_t id_len = id != NULL ? lower_copy(id, low + cls_len + 1, 512) : 0;
    const size_t n = cls_len + 1 + id_len;
    low[n] = '\0';
    const unsigned found =
        lists_found(low, n, LIST(L_UNLIKELY) | LIST(L_MAYBE) | LIST(L_BYLINE));
    /* the share pattern is case-blind too */
    const unsigned hints = (found & LIST(L_UNLIKELY) ? EX_HINT_UNLIKELY : 0u) |
                           (found & LIST(L_MAYBE) ? EX_HINT_MAYBE : 0u) |
                           (found & LIST(L_BYLINE) ? EX_HINT_BYLINE : 0u) |
                           (ex_hint_share(low) ? EX_HINT_SHARE : 0u);
    return pack_answer(hints, name_weight(low, cls_len) + name_weight(low + cls_len + 1, id_len));
}

/* Pages repeat a few class names on thousands of elements: the answers
 * are remembered per (class, id), by open addressing on their hash. Pairs
 * too long for a slot are answered without being remembered, and a full
 * table stops growing. */
#define MEMO_SLOTS 1024 /* a power of two */
#define MEMO_KEY 62     /* class, a NUL, id */

typedef struct memo_slot {
    unsigned char len; /* of the key */
    unsigned char answer;
    char key[MEMO_KEY];
} memo_slot;

struct ex_hint_memo {
    unsigned char taken[MEMO_SLOTS]; /* only these are cleared when made */
    size_t used;
    memo_slot slots[MEMO_SLOTS];
};

/* The value of an attribute as ex_attr gives it (up to 511 bytes) when it
 * is one text, the common case: a pointer into the page and its length.
 * Returns 0 for a value made of several texts. */
static int plain_value(xmlAttrPtr a, const char **value, size_t *len)
{
    *value = "";
    *len = 0;
    if (a == NULL || a->children == NULL)
        return 1;
    if (a->children->next != NULL)
        return 0;
    if (a->children->content == NULL)
        return 1;
    *value = (const char *)a->children->content;
    *len = strnlen(*value, 511);
    return 1;
}

/* memcmp(a, b, n) == 0 for the few bytes of a key, without the call. */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, sizeof x);
        memcpy(&y, b + i, sizeof y);
        if (x != y)
            return 0;
    }
    for (; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static unsigned remembered_answer(ex_ctx *ex, xmlAttrPtr cls_attr, xmlAttrPtr id_attr,
                                  xmlNodePtr node)
{
    const char *cls, *id;
    size_t cls_len, id_len;
    if (!plain_value(cls_attr, &cls, &cls_len) || !plain_value(id_attr, &id, &id_len) ||
        cls_len + 1 + id_len > MEMO_KEY)
        goto compute;
    if (ex->hint_memo == NULL) {
        ex->hint_memo = malloc(sizeof *ex->hint_memo);
        if (ex->hint_memo == NULL)
            goto compute; /* remembering is only a saving */
        memset(ex->hint_memo->taken, 0, sizeof ex->hint_memo->taken);
        ex->hint_memo->used = 0;
    }
    struct ex_hint_memo *memo = ex->hint_memo;
    const size_t len = cls_len + 1 + id_len;
    /* the class with its NUL, so that the split between the two counts */
    const uint64_t h =
        oct_hash_bytes(oct_hash_bytes(0xCBF29CE484222325u, cls, cls_len + 1), id, id_len);
    for (uint32_t slot = (uint32_t)h % MEMO_SLOTS;; slot = (slot + 1) % MEMO_SLOTS) {
        memo_slot *m = &memo->slots[slot];
        if (!memo->taken[slot]) {
            const unsigned answer = compute_answer(cls_attr ? cls : NULL, id_attr ? id : NULL);
            if (memo->used < MEMO_SLOTS / 2) {
                memo->taken[slot] = 1;
                m->len = (unsigned char)len;
                m->answer = (unsigned char)answer;
                memcpy(m->key, cls, cls_len + 1); /* with its NUL */
                memcpy(m->key + cls_len + 1, id, id_len);
                memo->used++;
            }
            return answer;
        }
        if (m->len == len && same_bytes(m->key, cls, cls_len) && m->key[cls_len] == '\0' &&
            same_bytes(m->key + cls_len + 1, id, id_len))
            return m->answer;
    }
compute:;
    char cls_buf[512], id_buf[512];
    return compute_answer(ex_attr(node, "class", cls_buf, sizeof cls_buf),
                          ex_attr(node, "id", id_buf, sizeof id_buf));
}

unsigned ex_node_answer(ex_ctx *ex, xmlNodePtr node, ex_info *info)
{
    /* the first of each name, as ex_attr finds it */
    xmlAttrPtr cls = NULL, id = NULL;
    for (xmlAttrPtr a = node->properties; a != NULL; a = a->next) {
        if (a->name == NULL)
            continue;
        if (cls == NULL && ex_name_is(a->name, "class"))
            cls = a;
        else if (id == NULL && ex_name_is(a->name, "id"))
            id = a;
    }
    /* without class or id the match string is " ", which says nothing */
    const unsigned answer =
        cls == NULL && id == NULL ? pack_answer(0, 0) : remembered_answer(ex, cls, id, node);
    if (answer & EX_HINT_SHARE)
        ex->share_hinted = 1;
    info->hints = (uint8_t)(answer | EX_HINT_KNOWN);
    return info->hints;
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

/* Whether the value of a declaration (from v to end) is word, compared up
 * to its end, "!important" or a space. */
static int value_is(const char *v, const char *end, const char *word, size_t len)
{
    while (v < end && (*v == ' ' || *v == '\t' || *v == '\n'))
        v++;
    if ((size_t)(end - v) < len || strncasecmp(v, word, len) != 0)
        return 0;
    const char next = v + len < end ? v[len] : '\0';
    return next == '\0' || next == ' ' || next == '!' || next == '\t' || next == '\n' ||
           next == '\r';
}

/* Whether the inline style declares display: none or visibility: hidden,
 * both looked for in one pass over the declarations. */
static int style_hides(const char *style)
{
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
        const size_t name_len = (size_t)(name_end - decl);
        /* the first letter before the call: most styles set neither */
        const char first = (char)(*decl | 0x20);
        if (name_len == 7 && first == 'd' && strncasecmp(decl, "display", 7) == 0) {
            if (value_is(colon + 1, p, "none", 4))
                return 1;
        } else if (name_len == 10 && first == 'v' && strncasecmp(decl, "visibility", 10) == 0) {
            if (value_is(colon + 1, p, "hidden", 6))
                return 1;
        }
    }
    return 0;
}

/* The text of an attribute as ex_attr gives it into a buffer of cap
 * bytes: the value itself when it is one text that fits, else a copy. */
static const char *attr_text_in(xmlAttrPtr a, char *buf, size_t cap)
{
    if (a->children != NULL && a->children->next == NULL && a->children->content != NULL &&
        strnlen((const char *)a->children->content, cap) < cap)
        return (const char *)a->children->content;
    return ex_attr_copy(a, buf, cap);
}

int ex_hidden_by_attrs(xmlNodePtr node, uint32_t initials)
{
    (void)initials;
    /* one pass for the three: the first style and aria-hidden, as ex_attr
     * finds them, and an attribute named exactly hidden (xmlHasProp would
     * also look for a default in the DTD, which HTML never declares) */
    xmlAttrPtr style = NULL, aria = NULL;
    int hidden = 0;
    for (xmlAttrPtr a = node->properties; a != NULL; a = a->next) {
        if (a->name == NULL)
            continue;
        switch (a->name[0] | 0x20) {
        case 's':
            if (style == NULL && ex_name_is(a->name, "style"))
                style = a;
            break;
        case 'h':
            hidden |= strcmp((const char *)a->name, "hidden") == 0;
            break;
        case 'a':
            if (aria == NULL && ex_name_is(a->name, "aria-hidden"))
                aria = a;
            break;
        default:
            break;
        }
    }
    char buf[1024];
    if (style != NULL && style_hides(attr_text_in(style, buf, sizeof buf)))
        return 1;
    if (hidden)
        return 1;
    if (aria == NULL || strcmp(attr_text_in(aria, buf, sizeof buf), "true") != 0)
        return 0;
    char cls[512];
    const char *c = ex_attr(node, "class", cls, sizeof cls);
    return c == NULL || strstr(c, "fallback-image") == NULL;
}
