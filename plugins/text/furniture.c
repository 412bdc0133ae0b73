/*
 * furniture.c — lines of a copied web page that are not the article.
 *
 * Only whole stand-alone lines are ever dropped (a blank line, or the start
 * or end of the text, on both sides), and only when they match a known
 * pattern, or, at the very start or end, are a short imperative or a bare
 * link. Every drop is reported with oct_info.
 */
#include "text_internal.h"
#include "byteblocks.h"

#include <string.h>

#define MAX_FURNITURE_LINE 400
#define NORM_MAX 128
#define EDGE_MAX_WORDS 8

/* Whole lines of page controls. Each entry, and each of share_words, starts
 * with a letter: text_furniture_pattern() skips other lines early. */
static const char *const exact_lines[] = {
    "back to top", "top", "return to top", "go to top", "to top", "share", "share this",
    "share this article", "share this story", "share this page", "share this post", "share article",
    "tweet", "email", "e-mail", "print", "print this", "print this page", "print article",
    "comments", "comments are closed", "comments closed", "leave a comment", "leave a reply",
    "press ctrl+c to copy", "press ctrl-c to copy", "press cmd+c to copy", "copy link",
    "link copied", "copied", "join our newsletter", "sign up for our newsletter",
    "subscribe to our newsletter", "sign up to our newsletter", "newsletter", "subscribe",
    "subscribe now", "advertisement", "advertising", "sponsored", "sponsored content",
    "skip to content", "skip to main content", "skip navigation", "accept cookies",
    "accept all cookies", "reject all", "manage cookies", "cookie settings", "cookie policy",
    "loading", "show comments", "hide comments", "view comments", "related articles",
    "related stories", "related content", "related posts", "more stories", "you may also like",
    "you might also like", "recommended", "recommended for you", "most read", "most popular",
    "follow us", "next article", "previous article", "read more", "continue reading",
    "listen to this article", "save", "save article", "save for later", "menu", "search", "close",
    "log in", "sign in", "register", "topics", NULL};

/* Words a "share bar" line is made of. */
static const char *const share_words[] = {
    "share", "facebook", "twitter", "x", "linkedin", "email", "e-mail", "mail", "print", "whatsapp",
    "reddit", "pinterest", "telegram", "copy", "link", "tweet", "messenger", "flipboard", "pocket",
    "bluesky", "mastodon", "threads", "on", "this", "via", NULL};

static const char *const filler_words[] = {
    "on", "this", "via", "link", "copy", NULL};

/* "Read more: <headline>" and its cousins. */
static const char *const interjection_prefixes[] = {
    "read more:", "more on this:", "more on this story:", "related:", "see also:", "also read:",
    "read also:", "read next:", "recommended:", "watch:", "listen:", "you may also like:",
    "you might also like:", "more from", "related article:", "related story:", "editor's pick:",
    "must read:", "read:", "more:", NULL};

static const char *const cookie_phrases[] = {
    "we use", "this site uses", "this website uses", "uses cookies", "accept", "consent",
    "cookie policy", "cookie settings", NULL};

static const char *const imperative_verbs[] = {
    "share", "print", "email", "subscribe", "follow", "sign", "click", "tap", "download", "listen",
    "watch", "view", "see", "read", "log", "register", "comment", "like", "tweet", "save", "copy",
    "join", "get", "back", "return", "skip", "go", "continue", "next", "previous", "more", "donate",
    "support", "visit", "contact", "send", NULL};

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int is_edge_junk(const char *s, size_t len, size_t *n)
{
    const unsigned char c = (unsigned char)s[0];
    if (c < 0x80) {
        *n = 1;
        return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
    }
    uint32_t cp;
    *n = oct_utf8_decode(s, len, &cp);
    return !text_is_word_cp(cp);
}

/* Lower-cased, white space collapsed, punctuation and arrows trimmed at both
 * ends: "« Back to top ↑" -> "back to top". Empty when too long. */
static size_t normalize(const char *s, size_t len, char out[NORM_MAX])
{
    size_t n;
    while (len > 0 && is_edge_junk(s, len, &n)) {
        s += n;
        len -= n;
    }
    while (len > 0) {
        /* find the start of the last code point */
        size_t k = len - 1;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
        if (!is_edge_junk(s + k, len - k, &n))
            break;
        len = k;
    }
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        size_t sp = text_space_len(s + i, len - i);
        if (sp) {
            space = 1;
            i += sp - 1;
            continue;
        }
        if (o + 2 >= NORM_MAX)
            return 0;
        if (space && o > 0)
            out[o++] = ' ';
        space = 0;
        out[o++] = ascii_lower(s[i]);
    }
    out[o] = '\0';
    return o;
}

static int in_list(const char *w, size_t len, const char *const *list)
{
    if (len == 0) /* no entry is empty */
        return 0;
    for (size_t i = 0; list[i]; i++)
        if (list[i][0] == w[0] && strlen(list[i]) == len && memcmp(list[i], w, len) == 0)
            return 1;
    return 0;
}

/* Every word of the line is a share-bar word ("Share: Facebook | Twitter"). */
static int is_share_bar(const char *norm, size_t len)
{
    size_t i = 0, words = 0;
    int has_share_word = 0;
    while (i < len) {
        while (i < len && strchr(" |,:/·", norm[i]))
            i++;
        size_t j = i;
        while (j < len && !strchr(" |,:/", norm[j]))
            j++;
        if (j == i)
            break;
        if (!in_list(norm + i, j - i, share_words))
            return 0;
        if (!in_list(norm + i, j - i, filler_words))
            has_share_word = 1;
        words++;
        i = j;
    }
    return words >= 2 && has_share_word;
}

static int contains(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

static int is_ascii_letter(char c)
{
    return (c | 32) >= 'a' && (c | 32) <= 'z';
}

static int cookie_at(const char *s, size_t len, size_t i)
{
    return len - i >= 6 && (s[i + 1] | 32) == 'o' && text_has_prefix_rest(s + i, len - i, "cookie");
}

/* "cookie" in any case anywhere in s, found from its 'c' a block at a time
 * and without a lower-cased copy: most lines have none. */
static int mentions_cookie(const char *s, size_t len)
{
    size_t i = 0;
    for (; i + OCT_BLOCK <= len; i += OCT_BLOCK) {
        const oct_block b = oct_block_load(s + i);
        for (unsigned c = oct_block_eq(b, 'c') | oct_block_eq(b, 'C'); c; c &= c - 1)
            if (cookie_at(s, len, i + oct_mask_first(c)))
                return 1;
    }
    for (; i < len; i++)
        if ((s[i] | 32) == 'c' && cookie_at(s, len, i))
            return 1;
    return 0;
}

/* Where the text normalize() keeps starts: after the edge punctuation. */
static size_t normalized_start(const char *s, size_t len)
{
    size_t k = 0, n;
    while (k < len && is_edge_junk(s + k, len - k, &n))
        k += n;
    return k;
}

const char *text_furniture_pattern(const char *s, size_t len)
{
    if (len == 0 || len > MAX_FURNITURE_LINE)
        return NULL;
    /* every prefix starts with a letter */
    for (size_t i = 0; is_ascii_letter(s[0]) && interjection_prefixes[i]; i++) {
        const size_t p = text_has_prefix(s, len, interjection_prefixes[i]);
        if (p && p < len && text_count_words(s + p, len - p) <= 25)
            return "link to another article";
    }
    /* a cookie notice can be long: a lower-cased copy is looked at when it
     * says "cookie" */
    if (mentions_cookie(s, len)) {
        char low[MAX_FURNITURE_LINE + 1];
        for (size_t i = 0; i < len; i++)
            low[i] = ascii_lower(s[i]);
        low[len] = '\0';
        for (size_t i = 0; cookie_phrases[i]; i++)
            if (contains(low, cookie_phrases[i]))
                return "cookie notice";
    }
    /* every entry of exact_lines and share_words starts with a letter, and
     * so would the normalized line that matched one: a line that starts
     * with a digit ("1.2. Title") or a letter beyond ASCII after its edge
     * punctuation is settled without being normalized */
    const size_t first = normalized_start(s, len);
    if (first == len || !is_ascii_letter(s[first]))
        return NULL;
    char norm[NORM_MAX];
    const size_t n = normalize(s, len, norm);
    if (n == 0)
        return NULL;
    if (in_list(norm, n, exact_lines))
        return "page control";
    if (is_share_bar(norm, n))
        return "share buttons";
    return NULL;
}

/* A short imperative ("Sign up for updates") or a bare link, as found at the
 * very start or end of a copied page. */
static int is_edge_line(const char *s, size_t len)
{
    if (text_is_bare_link(s, len))
        return 1;
    if (text_ends_with_sentence_punct(s, len) && s[len - 1] != '!')
        return 0;
    if (text_count_words(s, len) > EDGE_MAX_WORDS)
        return 0;
    char norm[NORM_MAX];
    const size_t n = normalize(s, len, norm);
    if (n == 0)
        return 0;
    size_t w = 0;
    while (w < n && norm[w] != ' ')
        w++;
    return in_list(norm, w, imperative_verbs);
}

static int standalone(const text_source *src, size_t i)
{
    const size_t next = i + 1;
    return text_gap_before(src, i) &&
           (next >= src->n_lines || text_gap_before(src, next) || text_line_gone(src, next));
}

static void drop(oct_context *ctx, text_source *src, size_t i, const char *why)
{
    text_line *l = &src->lines[i];
    l->flags |= LINE_DROPPED;
    oct_context_log(ctx, OCT_SEV_INFO, l->number, "dropped page furniture (%s): %.*s", why,
                    (int)(l->len > 200 ? 200 : l->len), text_line_str(src, i));
}

size_t text_furniture_drop(oct_context *ctx, text_source *src)
{
    size_t dropped = 0;
    for (size_t i = 0; i < src->n_lines; i++) {
        if (text_line_gone(src, i) || !standalone(src, i))
            continue;
        const char *why = text_furniture_pattern(text_line_str(src, i), src->lines[i].len);
        if (why) {
            drop(ctx, src, i, why);
            dropped++;
        }
    }
    /* the very start and the very end */
    for (size_t i = text_next_present(src, 0); i < src->n_lines;
         i = text_next_present(src, i + 1)) {
        if (!standalone(src, i) || !is_edge_line(text_line_str(src, i), src->lines[i].len))
            break;
        drop(ctx, src, i, "link or call to action at the start");
        dropped++;
    }
    for (size_t i = src->n_lines; i-- > 0;) {
        if (text_line_gone(src, i))
            continue;
        if (!standalone(src, i) || !is_edge_line(text_line_str(src, i), src->lines[i].len))
            break;
        drop(ctx, src, i, "link or call to action at the end");
        dropped++;
    }
    return dropped;
}
