/*
 * meta.c — the package metadata that must never be left to chance: a
 * deterministic identifier, a real language (never the machine's locale,
 * never "und", which Kindle refuses) and dates that come from the document or
 * SOURCE_DATE_EPOCH.
 */
#include "epub.h"
#include "hash_bytes.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ------------------------------------------------------------ languages */

int epub_lang_is_valid(const char *s)
{
    /* language (2-8 letters), then subtags of 1-8 letters or digits. */
    size_t n = 0;
    int first = 1;

    if (!s || !*s || strlen(s) > 63)
        return 0;
    for (const char *p = s;; p++) {
        if (*p == '-' || *p == '\0') {
            if (n == 0 || n > 8 || (first && n < 2))
                return 0;
            if (*p == '\0')
                return 1;
            first = 0;
            n = 0;
            continue;
        }
        if (first ? !isalpha((unsigned char)*p) : !isalnum((unsigned char)*p))
            return 0;
        n++;
    }
}

int epub_lang_is_rtl(const char *lang)
{
    static const char *const rtl[] = {"ar", "he", "iw", "fa", "ur", "yi", "ps", "sd",
                                      "ug", "dv", "ckb", "syr", NULL};
    size_t n;

    if (!lang)
        return 0;
    n = strcspn(lang, "-_");
    for (size_t i = 0; rtl[i]; i++)
        if (strlen(rtl[i]) == n && strncasecmp(lang, rtl[i], n) == 0)
            return 1;
    return 0;
}

/* Copies a language tag, turning locale-style "en_US" into "en-US". */
static int take_lang(const char *s, char *out, size_t size)
{
    size_t n;

    if (!s)
        return 0;
    n = strcspn(s, ".@"); /* "en_US.UTF-8" */
    if (n == 0 || n >= size)
        return 0;
    memcpy(out, s, n);
    out[n] = '\0';
    for (char *p = out; *p; p++)
        if (*p == '_')
            *p = '-';
    if (!epub_lang_is_valid(out) || strcasecmp(out, "und") == 0 || strcasecmp(out, "zxx") == 0)
        return 0;
    return 1;
}

enum script {
    SC_LATIN, SC_CYRILLIC, SC_GREEK, SC_ARABIC, SC_PERSIAN, SC_HEBREW, SC_HAN, SC_KANA,
    SC_HANGUL, SC_THAI, SC_DEVANAGARI, SC_COUNT
};

static int script_of(uint32_t cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= 0xC0 && cp <= 0x24F))
        return cp == 0xD7 || cp == 0xF7 ? -1 : SC_LATIN;
    if (cp >= 0x370 && cp <= 0x3FF)
        return SC_GREEK;
    if (cp >= 0x400 && cp <= 0x52F)
        return SC_CYRILLIC;
    if (cp >= 0x590 && cp <= 0x5FF)
        return SC_HEBREW;
    /* Letters Persian has and Arabic lacks: peh, tcheh, jeh, gaf, farsi yeh. */
    if (cp == 0x67E || cp == 0x686 || cp == 0x698 || cp == 0x6AF || cp == 0x6CC)
        return SC_PERSIAN;
    if ((cp >= 0x600 && cp <= 0x6FF) || (cp >= 0x750 && cp <= 0x77F) ||
        (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF))
        return SC_ARABIC;
    if (cp >= 0x900 && cp <= 0x97F)
        return SC_DEVANAGARI;
    if (cp >= 0xE00 && cp <= 0xE7F)
        return SC_THAI;
    if (cp >= 0x3040 && cp <= 0x30FF)
        return SC_KANA;
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF))
        return SC_HAN;
    if ((cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF))
        return SC_HANGUL;
    return -1;
}

/* Frequent short words of the Latin-script languages we tell apart; a word
 * shared by several languages counts for each, the distinctive ones decide. */
static const struct {
    const char *lang;
    const char *words;
} latin_langs[] = {
    {"en", " the and of to is that it was for with are this be have from not by "},
    {"fr", " le les des et est une dans que pour qui pas sur du au avec ce il sont "},
    {"de", " der die und das ist nicht ein eine mit den von zu sich auf dem auch "},
    {"es", " el los las y en del por con una para es se lo como pero "},
    {"it", " il di che della per non una sono gli del con nel alla anche "},
    {"pt", " os de que e do da em um uma para com não mais como dos "},
    {"nl", " het een van en is dat op te niet voor met zijn ook maar "},
};
#define N_LATIN (sizeof latin_langs / sizeof latin_langs[0])
/* A few thousand words tell these languages apart; reading a whole book
 * would only cost time. */
#define GUESS_MAX_BYTES (32 * 1024)

/* The words of every list in one small hash table, each with the lists
 * it is in as bits: a word of the text costs one look-up, not a search
 * of each list. Built per call; a hundred words take microseconds. */
#define WORD_SLOTS 256
typedef struct word_table {
    struct {
        const char *word; /* into latin_langs[].words, not terminated */
        size_t len;
        unsigned langs;   /* bit i: in latin_langs[i] */
    } slot[WORD_SLOTS];
    size_t longest;
} word_table;

static size_t word_hash(const char *w, size_t n)
{
    return (size_t)oct_hash_bytes(OCT_HASH_SEED, w, n) & (WORD_SLOTS - 1);
}

/* The slot holding w, or the empty one where it would go. */
static size_t word_slot(const word_table *t, const char *w, size_t n)
{
    size_t i = word_hash(w, n);
    while (t->slot[i].word && !(t->slot[i].len == n && memcmp(t->slot[i].word, w, n) == 0))
        i = (i + 1) & (WORD_SLOTS - 1);
    return i;
}

static void build_word_table(word_table *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < N_LATIN; i++) {
        for (const char *p = latin_langs[i].words; *p;) {
            if (*p == ' ') {
                p++;
                continue;
            }
            const size_t n = strcspn(p, " ");
            const size_t k = word_slot(t, p, n);
            t->slot[k].word = p;
            t->slot[k].len = n;
            t->slot[k].langs |= 1u << i;
            if (n > t->longest)
                t->longest = n;
            p += n;
        }
    }
}

static void score_word(const word_table *t, const char *w, size_t n, unsigned *scores)
{
    if (n == 0 || n > t->longest)
        return;
    const unsigned langs = t->slot[word_slot(t, w, n)].langs;
    for (size_t i = 0; langs >> i; i++)
        scores[i] += (langs >> i) & 1;
}

const char *epub_guess_lang(const oct_doc *doc)
{
    unsigned counts[SC_COUNT] = {0};
    unsigned scores[N_LATIN] = {0};
    word_table words;
    size_t seen = 0;
    oct_iter it;
    oct_event ev;
    int best = -1;

    build_word_table(&words);
    oct_iter_init(&it, oct_doc_root(doc));
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE && seen < GUESS_MAX_BYTES) {
        const oct_node *n = oct_iter_node(&it);
        const char *s;
        size_t len, i = 0, wlen = 0;
        char wbuf[24];

        if (ev != OCT_EVENT_ENTER || oct_node_get_type(n) != OCT_NODE_TEXT)
            continue;
        s = oct_node_literal(n, &len);
        if (!s)
            continue;
        seen += len;
        while (i < len) {
            uint32_t cp;
            size_t k;
            const unsigned char c = (unsigned char)s[i];
            /* ASCII is most text: no decoding call, a letter is Latin */
            if (c < 0x80) {
                const int letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
                if (letter) {
                    counts[SC_LATIN]++;
                    if (wlen + 1 < sizeof wbuf)
                        wbuf[wlen] = (char)(c | 0x20);
                    wlen++;
                } else {
                    if (wlen > 0 && wlen < sizeof wbuf)
                        score_word(&words, wbuf, wlen, scores);
                    wlen = 0;
                }
                i++;
                continue;
            }
            k = oct_utf8_decode(s + i, len - i, &cp);
            int sc = script_of(cp);
            if (sc >= 0)
                counts[sc]++;
            if (sc == SC_LATIN) {
                /* Lower-case words of Latin letters, accents kept as bytes. */
                if (wlen + k < sizeof wbuf) {
                    for (size_t j = 0; j < k; j++)
                        wbuf[wlen + j] = (char)tolower((unsigned char)s[i + j]);
                }
                wlen += k;
            } else {
                if (wlen > 0 && wlen < sizeof wbuf)
                    score_word(&words, wbuf, wlen, scores);
                wlen = 0;
            }
            i += k;
        }
        if (wlen > 0 && wlen < sizeof wbuf)
            score_word(&words, wbuf, wlen, scores);
    }
    for (int sc = 0; sc < SC_COUNT; sc++)
        if (counts[sc] > 0 && (best < 0 || counts[sc] > counts[best]))
            best = sc;
    switch (best) {
    case SC_CYRILLIC: return "ru";
    case SC_GREEK: return "el";
    case SC_ARABIC:
    case SC_PERSIAN:
        return counts[SC_PERSIAN] * 50 > counts[SC_ARABIC] + counts[SC_PERSIAN] ? "fa" : "ar";
    case SC_HEBREW: return "he";
    case SC_HAN:
    case SC_KANA:
        /* Japanese mixes kana into Han; Chinese has none. */
        return counts[SC_KANA] * 20 > counts[SC_HAN] ? "ja" : "zh";
    case SC_HANGUL: return "ko";
    case SC_THAI: return "th";
    case SC_DEVANAGARI: return "hi";
    case SC_LATIN: {
        size_t top = 0;
        for (size_t i = 1; i < N_LATIN; i++)
            if (scores[i] > scores[top])
                top = i;
        return latin_langs[top].lang; /* English wins ties and empty scores */
    }
    default: return NULL;
    }
}

/* ---------------------------------------------------------------- dates */

static int month_from_name(const char *w, size_t n)
{
    static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};
    if (n < 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (strncasecmp(w, months[i], 3) == 0)
            return i + 1;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

static int format_date(int y, int m, int d, char *out, size_t size)
{
    if (y < 1000 || y > 9999)
        return 0;
    if (m < 1 || m > 12)
        return snprintf(out, size, "%04d", y) > 0;
    if (d < 1 || d > days_in_month(y, m))
        return snprintf(out, size, "%04d-%02d", y, m) > 0;
    return snprintf(out, size, "%04d-%02d-%02d", y, m, d) > 0;
}

int epub_parse_date(const char *s, char *out, size_t size)
{
    int year = 0, month = 0, day = 0;
    const char *p = s;

    if (!s)
        return 0;
    while (isspace((unsigned char)*p))
        p++;
    /* ISO 8601 and its slash/dot cousins: 2024-03-05, 2024/3/5, 2024-03 */
    if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
        isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
        !isdigit((unsigned char)p[4])) {
        year = atoi(p);
        p += 4;
        if ((*p == '-' || *p == '/' || *p == '.') && isdigit((unsigned char)p[1])) {
            month = (int)strtol(p + 1, (char **)&p, 10);
            if ((*p == '-' || *p == '/' || *p == '.') && isdigit((unsigned char)p[1]))
                day = (int)strtol(p + 1, (char **)&p, 10);
        }
        return format_date(year, month, day, out, size);
    }
    /* Prose dates: "5 March 2024", "March 5, 2024", "Tue, 05 Mar 2024 10:00". */
    while (*p) {
        if (isalpha((unsigned char)*p)) {
            const char *w = p;
            while (isalpha((unsigned char)*p))
                p++;
            if (!month)
                month = month_from_name(w, (size_t)(p - w));
        } else if (isdigit((unsigned char)*p)) {
            const char *d = p;
            long v = strtol(p, (char **)&p, 10);
            size_t n = (size_t)(p - d);
            if (*p == ':') { /* a time of day */
                while (isdigit((unsigned char)*p) || *p == ':')
                    p++;
                continue;
            }
            if (n == 4 && !year)
                year = (int)v;
            else if (n <= 2 && !day && v >= 1 && v <= 31)
                day = (int)v;
        } else {
            p++;
        }
    }
    if (!year)
        return 0;
    return format_date(year, month, month ? day : 0, out, size);
}

static int modified_from_epoch(const char *env, char *out, size_t size)
{
    char *end;
    long long v;
    time_t t;
    struct tm tm;

    if (!env || !*env)
        return 0;
    errno = 0;
    v = strtoll(env, &end, 10);
    if (errno || *end || v < 0 || v > 253402300799LL) /* up to 9999-12-31 */
        return 0;
    t = (time_t)v;
    if (!gmtime_r(&t, &tm))
        return 0;
    return strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0;
}

/* ------------------------------------------------------------- resolving */

static char *first_heading_text(const oct_doc *doc)
{
    oct_iter it;
    oct_event ev;

    oct_iter_init(&it, oct_doc_root(doc));
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        const oct_node *n = oct_iter_node(&it);
        if (ev == OCT_EVENT_ENTER && oct_node_get_type(n) == OCT_NODE_HEADING) {
            char *t = epub_plain_text(n);
            if (t && *t)
                return t;
            free(t);
        }
    }
    return NULL;
}

/* Running checksums of a byte stream: CRC-32 catches every short edit (any
 * change within 32 consecutive bits), Adler-32 adds 32 more independent bits,
 * and the length goes with them. Together they tell apart two versions of a
 * text as surely as an identifier needs, at a fraction of SHA-1's cost over
 * the whole book; SHA-1 is then applied only to this short digest. */
static void digest_flush(epub_digest *d)
{
    d->crc = libdeflate_crc32(d->crc, d->pending, d->used);
    d->adler = libdeflate_adler32(d->adler, d->pending, d->used);
    d->len += d->used;
    d->used = 0;
}

static void digest_add(epub_digest *d, const void *p, size_t n)
{
    if (n > sizeof d->pending - d->used) {
        digest_flush(d);
        if (n > sizeof d->pending) {
            d->crc = libdeflate_crc32(d->crc, p, n);
            d->adler = libdeflate_adler32(d->adler, p, n);
            d->len += n;
            return;
        }
    }
    memcpy(d->pending + d->used, p, n);
    d->used += n;
}

static void digest_add_byte(epub_digest *d, unsigned char c)
{
    if (d->used == sizeof d->pending)
        digest_flush(d);
    d->pending[d->used++] = c;
}

void epub_digest_init(epub_digest *d)
{
    d->crc = 0;
    d->adler = 1;
    d->len = 0;
    d->used = 0;
}

/* every node's type and text, so structure counts as well as words */
void epub_digest_node(epub_digest *d, const oct_node *n, oct_node_type type)
{
    size_t len;
    const char *lit;

    digest_add_byte(d, (unsigned char)type);
    lit = oct_node_literal(n, &len);
    if (lit)
        digest_add(d, lit, len);
}

/* Hashes what makes this document this document: its metadata and text. */
oct_status epub_identify_by_text(epub_book *b, epub_digest *d)
{
    oct_buf name;
    char uuid[37];
    char tail[64];
    char buf[128];
    size_t n_meta = oct_meta_size(b->doc);

    oct_buf_init(&name, 1u << 20);
    for (size_t i = 0; i < n_meta; i++) {
        const char *k, *v;
        if (oct_meta_entry(b->doc, i, &k, &v) == OCT_OK && strcmp(k, "css") != 0) {
            oct_buf_puts(&name, k);
            oct_buf_putc(&name, 0x1f);
            oct_buf_puts(&name, v);
            oct_buf_putc(&name, 0x1e);
        }
    }
    digest_flush(d);
    snprintf(tail, sizeof tail, "content:%08" PRIx32 ":%08" PRIx32 ":%" PRIu64, d->crc,
             d->adler, d->len);
    oct_buf_puts(&name, tail);
    if (name.status == OCT_OK)
        epub_uuid5(name.data, name.len, uuid);
    else /* metadata past the bound: the digest alone still identifies */
        epub_uuid5(tail, strlen(tail), uuid);
    oct_buf_free(&name);
    snprintf(buf, sizeof buf, "urn:uuid:%s", uuid);
    free(b->identifier);
    b->identifier = strdup(buf);
    return b->identifier ? OCT_OK : OCT_ERR_NOMEM;
}

/* Everything (notes aside) inside DIVs marked right-to-left: a page whose
 * <body> or <main> carried dir="rtl". */
static int content_is_wrapped_rtl(const oct_node *root)
{
    int seen = 0;

    for (const oct_node *c = oct_node_first_child(root); c; c = oct_node_next(c)) {
        if (oct_node_get_type(c) == OCT_NODE_FOOTNOTE_DEF)
            continue;
        if (oct_node_get_type(c) != OCT_NODE_DIV || oct_node_dir(c) != OCT_DIR_RTL)
            return 0;
        seen = 1;
    }
    return seen;
}

static int looks_like_url(const char *s)
{
    return s && (strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0);
}

oct_status epub_resolve_metadata(epub_book *b)
{
    const oct_doc *doc = b->doc;
    const char *s;
    const oct_node *root = oct_doc_root(doc);
    char uuid[37];
    char buf[128];

    /* title */
    s = oct_meta_get(doc, OCT_META_TITLE);
    if (s && *s)
        b->title = strdup(s);
    else if (!(b->title = first_heading_text(doc)))
        b->title = strdup("Untitled");
    if (!b->title)
        return OCT_ERR_NOMEM;

    /* identifier: the user's, else derived from where the text came from */
    s = oct_meta_get(doc, OCT_META_IDENTIFIER);
    if (s && *s) {
        b->identifier = strdup(s);
    } else {
        const char *src = oct_meta_get(doc, OCT_META_SOURCE);
        if (!looks_like_url(src))
            src = oct_doc_base(doc);
        if (looks_like_url(src)) {
            epub_uuid5(src, strlen(src), uuid);
            snprintf(buf, sizeof buf, "urn:uuid:%s", uuid);
            b->identifier = strdup(buf);
        } else {
            /* from the text, summed up as the plan walks it: one walk of
             * the whole book fewer */
            b->identifier_from_text = 1;
        }
    }
    if (!b->identifier && !b->identifier_from_text)
        return OCT_ERR_NOMEM;

    /* language */
    if (!take_lang(oct_meta_get(doc, OCT_META_LANG), b->lang, sizeof b->lang) &&
        !take_lang(oct_node_lang(root), b->lang, sizeof b->lang)) {
        const char *guess = epub_guess_lang(doc);
        if (guess) {
            oct_info(b->ctx, "no document language; guessed '%s' from the text (set it with "
                             "-M lang=...)", guess);
        } else {
            guess = "en";
            oct_warn(b->ctx, "no document language and no text to guess it from; using "
                             "'en' (set it with -M lang=...)");
        }
        snprintf(b->lang, sizeof b->lang, "%s", guess);
    }
    s = oct_meta_get(doc, OCT_META_DIR);
    if (s && strcasecmp(s, "rtl") == 0)
        b->rtl = 1;
    else if (s && strcasecmp(s, "ltr") == 0)
        b->rtl = 0;
    else if (oct_node_dir(root) != OCT_DIR_NONE)
        b->rtl = oct_node_dir(root) == OCT_DIR_RTL;
    else
        b->rtl = content_is_wrapped_rtl(root) || epub_lang_is_rtl(b->lang);

    /* dates */
    b->date_text = oct_meta_get(doc, OCT_META_DATE);
    if (b->date_text && !epub_parse_date(b->date_text, b->date, sizeof b->date))
        b->date[0] = '\0';
    if (!modified_from_epoch(getenv("SOURCE_DATE_EPOCH"), b->modified, sizeof b->modified)) {
        if (b->date[0]) {
            /* Complete a partial date with the first month/day. */
            char full[16] = "0000-01-01";
            memcpy(full, b->date, strlen(b->date));
            snprintf(b->modified, sizeof b->modified, "%.10sT00:00:00Z", full);
        } else {
            /* Never the clock: the same input must give the same bytes. The
             * zip entries carry the same fixed epoch. */
            oct_info(b->ctx, "no document date: dcterms:modified is 1980-01-01 (set "
                             "SOURCE_DATE_EPOCH or -M date=... to change it)");
            snprintf(b->modified, sizeof b->modified, "1980-01-01T00:00:00Z");
        }
    }
    return OCT_OK;
}
