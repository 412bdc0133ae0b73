/*
 * frontmatter.c — metadata at the top of a text.
 *
 * Structured: a YAML block (--- ... ---, the simple key: value / list
 * subset) or pandoc's "% title / % author / % date" lines.
 * Otherwise the short lines before the first body paragraph are examined one
 * by one: a date, a line of tags, a "By Name" line and a title line become
 * metadata (and leave the text); the first paragraph, when it ends with
 * ", Name writes." or "— Name", gives the author and stays.
 */
#include "text_internal.h"

#include <stdio.h>
#include <string.h>

#define YAML_MAX_LINES 400
#define LEADING_MAX_LINES 12
#define TITLE_MAX_COLS 150
#define TITLE_MAX_WORDS 25
#define TAG_MAX_BYTES 40
#define TAG_MAX_WORDS 4
#define NAME_MAX_WORDS 5
#define VALUE_MAX 1024
#define TAIL_MAX 200

/* ---------------------------------------------------------------- helpers */

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

static void trim(const char **s, size_t *len)
{
    size_t sp;
    while (*len > 0 && (sp = text_space_len(*s, *len)) > 0) {
        *s += sp;
        *len -= sp;
    }
    while (*len > 0 && is_space((*s)[*len - 1]))
        (*len)--;
    if (*len >= 2 && (unsigned char)(*s)[*len - 2] == 0xC2 && (unsigned char)(*s)[*len - 1] == 0xA0)
        *len -= 2;
}

static int meta_put(oct_doc *doc, const char *key, const char *s, size_t len, int multi)
{
    trim(&s, &len);
    if (len == 0)
        return 0;
    const char *v = oct_doc_strndup(doc, s, len);
    if (!v)
        return 0;
    return (multi ? oct_meta_add(doc, key, v) : oct_meta_set(doc, key, v)) == OCT_OK;
}

static int is_particle(const char *w, size_t len)
{
    static const char *const particles[] = {"de", "van", "von", "da",  "di", "del", "der", "den",
                                            "du", "la",  "le",  "bin", "al", "ibn", "ter", NULL};
    for (size_t i = 0; particles[i]; i++)
        if (strlen(particles[i]) == len && memcmp(particles[i], w, len) == 0)
            return 1;
    return 0;
}

/* "Jane Doe", "J. R. Hartley", "Anna de la Cruz", "Zoë O'Neill". */
static int is_name(const char *s, size_t len, size_t min_words)
{
    trim(&s, &len);
    if (len == 0 || len > 80)
        return 0;
    size_t words = 0, i = 0;
    while (i < len) {
        size_t sp;
        while (i < len && (sp = text_space_len(s + i, len - i)) > 0)
            i += sp;
        if (i >= len)
            break;
        const size_t w = text_first_word_len(s + i, len - i);
        if (!text_is_upper_start(s + i, w) && !is_particle(s + i, w))
            return 0;
        for (size_t k = 0; k < w; k++) {
            const unsigned char c = (unsigned char)s[i + k];
            if (c < 0x80 && !((c | 32) >= 'a' && (c | 32) <= 'z') && c != '.' && c != '-' &&
                c != '\'')
                return 0;
        }
        words++;
        i += w;
    }
    return words >= min_words && words <= NAME_MAX_WORDS;
}

/* Adds each name of "Jane Doe, John Roe and Ann Poe"; stops at the first
 * part that is not a name ("in Brussels"). Returns how many were added. */
static size_t add_names(oct_doc *doc, const char *s, size_t len, size_t min_words)
{
    size_t added = 0;
    while (len > 0) {
        size_t cut = len, skip = 0;
        for (size_t i = 0; i < len; i++) {
            if (s[i] == ',' || s[i] == '&' || s[i] == ';') {
                cut = i;
                skip = 1;
                break;
            }
            if (i + 5 <= len && memcmp(s + i, " and ", 5) == 0) {
                cut = i;
                skip = 5;
                break;
            }
        }
        if (!is_name(s, cut, min_words))
            break;
        if (meta_put(doc, OCT_META_AUTHOR, s, cut, 1))
            added++;
        if (cut + skip >= len)
            break;
        s += cut + skip;
        len -= cut + skip;
    }
    return added;
}

/* ------------------------------------------------------------------- YAML */

/* A scalar without its quotes; a trailing " # comment" is cut off. */
static void yaml_scalar(const char **s, size_t *len)
{
    trim(s, len);
    if (*len >= 2 && (((*s)[0] == '"' && (*s)[*len - 1] == '"') ||
                      ((*s)[0] == '\'' && (*s)[*len - 1] == '\''))) {
        (*s)++;
        *len -= 2;
        return;
    }
    for (size_t i = 0; i + 1 < *len; i++)
        if (is_space((*s)[i]) && (*s)[i + 1] == '#') {
            *len = i;
            break;
        }
    trim(s, len);
}

typedef enum yaml_target {
    Y_IGNORE,
    Y_TITLE,
    Y_SUBTITLE,
    Y_AUTHOR,
    Y_DATE,
    Y_SUBJECT,
    Y_DESCRIPTION,
    Y_LANG,
    Y_PUBLISHER,
    Y_RIGHTS,
    Y_SOURCE,
    Y_IDENTIFIER
} yaml_target;

static yaml_target yaml_key(const char *k, size_t len)
{
    static const struct {
        const char *key;
        yaml_target t;
    } keys[] = {
        {"title", Y_TITLE},         {"subtitle", Y_SUBTITLE},    {"author", Y_AUTHOR},
        {"authors", Y_AUTHOR},      {"creator", Y_AUTHOR},       {"by", Y_AUTHOR},
        {"date", Y_DATE},           {"published", Y_DATE},       {"tags", Y_SUBJECT},
        {"keywords", Y_SUBJECT},    {"subject", Y_SUBJECT},      {"subjects", Y_SUBJECT},
        {"categories", Y_SUBJECT},  {"category", Y_SUBJECT},     {"description", Y_DESCRIPTION},
        {"summary", Y_DESCRIPTION}, {"abstract", Y_DESCRIPTION}, {"excerpt", Y_DESCRIPTION},
        {"lang", Y_LANG},           {"language", Y_LANG},        {"publisher", Y_PUBLISHER},
        {"rights", Y_RIGHTS},       {"copyright", Y_RIGHTS},     {"license", Y_RIGHTS},
        {"source", Y_SOURCE},       {"url", Y_SOURCE},           {"identifier", Y_IDENTIFIER},
        {"isbn", Y_IDENTIFIER},     {"doi", Y_IDENTIFIER}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strlen(keys[i].key) == len && text_has_prefix(k, len, keys[i].key) == len)
            return keys[i].t;
    return Y_IGNORE;
}

static void yaml_apply(oct_doc *doc, yaml_target t, const char *v, size_t len)
{
    yaml_scalar(&v, &len);
    if (len == 0)
        return;
    char iso[11];
    switch (t) {
    case Y_TITLE: meta_put(doc, OCT_META_TITLE, v, len, 0); break;
    case Y_SUBTITLE: meta_put(doc, OCT_META_SUBTITLE, v, len, 0); break;
    case Y_AUTHOR: meta_put(doc, OCT_META_AUTHOR, v, len, 1); break;
    case Y_SUBJECT: meta_put(doc, OCT_META_SUBJECT, v, len, 1); break;
    case Y_DESCRIPTION: meta_put(doc, OCT_META_DESCRIPTION, v, len, 0); break;
    case Y_LANG: meta_put(doc, OCT_META_LANG, v, len, 0); break;
    case Y_PUBLISHER: meta_put(doc, OCT_META_PUBLISHER, v, len, 0); break;
    case Y_RIGHTS: meta_put(doc, OCT_META_RIGHTS, v, len, 0); break;
    case Y_SOURCE: meta_put(doc, OCT_META_SOURCE, v, len, 0); break;
    case Y_IDENTIFIER: meta_put(doc, OCT_META_IDENTIFIER, v, len, 0); break;
    case Y_DATE:
        if (text_parse_date(v, len, iso))
            oct_meta_set(doc, OCT_META_DATE, iso);
        else
            meta_put(doc, OCT_META_DATE, v, len, 0);
        break;
    case Y_IGNORE: break;
    }
}

/* "a, b, c" as separate values. */
static void yaml_apply_each(oct_doc *doc, yaml_target t, const char *v, size_t len)
{
    while (len > 0) {
        const char *comma = memchr(v, ',', len);
        const size_t part = comma ? (size_t)(comma - v) : len;
        yaml_apply(doc, t, v, part);
        if (!comma)
            break;
        v += part + 1;
        len -= part + 1;
    }
}

static int yaml_block(oct_context *ctx, text_source *src, oct_doc *doc)
{
    if (src->n_lines < 2 || src->lines[0].number != 1 || src->lines[0].indent != 0 ||
        src->lines[0].len != 3 || memcmp(text_line_str(src, 0), "---", 3) != 0)
        return 0;
    size_t close = 0;
    for (size_t i = 1; i < src->n_lines && i <= YAML_MAX_LINES; i++) {
        const char *s = text_line_str(src, i);
        if (src->lines[i].indent == 0 && src->lines[i].len == 3 &&
            (memcmp(s, "---", 3) == 0 || memcmp(s, "...", 3) == 0)) {
            close = i;
            break;
        }
    }
    /* a front matter block has a "key:" first */
    if (close < 2 || !memchr(text_line_str(src, 1), ':', src->lines[1].len))
        return 0;
    yaml_target current = Y_IGNORE;
    oct_buf folded;
    oct_buf_init(&folded, VALUE_MAX);
    int folding = 0;
    for (size_t i = 1; i < close; i++) {
        const text_line *l = &src->lines[i];
        const char *s = text_line_str(src, i);
        size_t len = l->len;
        if (s[0] == '#')
            continue;
        if (s[0] == '-' && (len == 1 || s[1] == ' ')) {
            folding = 0;
            yaml_apply(doc, current, s + 1, len - 1);
            continue;
        }
        if (l->indent > 0) {
            if (folding) {
                if (folded.len)
                    oct_buf_putc(&folded, ' ');
                oct_buf_append(&folded, s, len);
            }
            continue;
        }
        if (folding && folded.len)
            yaml_apply(doc, current, folded.data, folded.len);
        folding = 0;
        oct_buf_reset(&folded);
        const char *colon = memchr(s, ':', len);
        if (!colon) {
            current = Y_IGNORE;
            continue;
        }
        const size_t klen = (size_t)(colon - s);
        current = yaml_key(s, klen);
        if (current == Y_IGNORE)
            oct_context_log(ctx, OCT_SEV_INFO, l->number, "front matter key '%.*s' ignored",
                            (int)(klen > 60 ? 60 : klen), s);
        const char *v = colon + 1;
        size_t vlen = len - klen - 1;
        trim(&v, &vlen);
        if (vlen == 0)
            continue;
        if (vlen == 1 && (v[0] == '|' || v[0] == '>')) {
            folding = 1;
        } else if (v[0] == '[' && v[vlen - 1] == ']') {
            yaml_apply_each(doc, current, v + 1, vlen - 2);
        } else if (current == Y_SUBJECT && v[0] != '"' && v[0] != '\'') {
            yaml_apply_each(doc, current, v, vlen);
        } else {
            yaml_apply(doc, current, v, vlen);
        }
    }
    if (folding && folded.len)
        yaml_apply(doc, current, folded.data, folded.len);
    oct_buf_free(&folded);
    for (size_t i = 0; i <= close; i++)
        src->lines[i].flags |= LINE_CONSUMED;
    oct_context_log(ctx, OCT_SEV_INFO, 1, "YAML front matter read (lines 1-%lu)",
                    (unsigned long)src->lines[close].number);
    return 1;
}

/* ---------------------------------------------------------------- pandoc */

static int pandoc_block(oct_context *ctx, text_source *src, oct_doc *doc)
{
    size_t n = 0;
    while (n < 3 && n < src->n_lines && src->lines[n].number == n + 1 &&
           src->lines[n].indent == 0 && text_line_str(src, n)[0] == '%')
        n++;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = text_line_str(src, i) + 1;
        size_t len = src->lines[i].len - 1;
        trim(&s, &len);
        if (i == 0) {
            meta_put(doc, OCT_META_TITLE, s, len, 0);
        } else if (i == 1) {
            while (len > 0) {
                const char *semi = memchr(s, ';', len);
                const size_t part = semi ? (size_t)(semi - s) : len;
                meta_put(doc, OCT_META_AUTHOR, s, part, 1);
                if (!semi)
                    break;
                s += part + 1;
                len -= part + 1;
            }
        } else {
            char iso[11];
            if (text_parse_date(s, len, iso))
                oct_meta_set(doc, OCT_META_DATE, iso);
            else
                meta_put(doc, OCT_META_DATE, s, len, 0);
        }
        src->lines[i].flags |= LINE_CONSUMED;
    }
    oct_info(ctx, "pandoc title block read (%zu lines)", n);
    return 1;
}

/* --------------------------------------------------------- leading lines */

static int is_tag_part(const char *s, size_t len)
{
    trim(&s, &len);
    if (len == 0 || len > TAG_MAX_BYTES || text_count_words(s, len) > TAG_MAX_WORDS)
        return 0;
    if (text_has_prefix(s, len, "and ") || text_has_prefix(s, len, "or ") ||
        text_ends_with_sentence_punct(s, len))
        return 0;
    char iso[11];
    if (text_parse_date(s, len, iso))
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z')
            return 1;
    return (unsigned char)s[0] >= 0x80;
}

/* Splits at sep (one or more bytes); returns the number of parts, or 0 when
 * any part is not tag-like. */
static size_t tag_parts(const char *s, size_t len, const char *sep, oct_doc *doc)
{
    const size_t slen = strlen(sep);
    size_t parts = 0;
    for (;;) {
        size_t cut = len;
        for (size_t i = 0; i + slen <= len; i++)
            if (memcmp(s + i, sep, slen) == 0) {
                cut = i;
                break;
            }
        if (!is_tag_part(s, cut))
            return 0;
        if (doc)
            meta_put(doc, OCT_META_SUBJECT, s, cut, 1);
        parts++;
        if (cut == len)
            return parts;
        s += cut + slen;
        len -= cut + slen;
    }
}

/* "Politics | Energy | Europe", "Climate, Energy, Policy". */
static int tag_line(const char *s, size_t len, oct_doc *doc)
{
    if (len > 200 || text_ends_with_sentence_punct(s, len))
        return 0;
    static const struct {
        const char *sep;
        size_t min_parts;
    } seps[] = {{"|", 2}, {"\xC2\xB7", 2}, {"\xE2\x80\xA2", 2}, {" / ", 2}, {",", 3}};
    for (size_t k = 0; k < sizeof seps / sizeof seps[0]; k++) {
        if (tag_parts(s, len, seps[k].sep, NULL) >= seps[k].min_parts) {
            if (doc)
                tag_parts(s, len, seps[k].sep, doc);
            return 1;
        }
    }
    return 0;
}

/* "By Jane Doe", "by Jane Doe and John Roe". Returns names added. */
static size_t byline(const char *s, size_t len, oct_doc *doc)
{
    if (len > 120)
        return 0;
    static const char *const prefixes[] = {"by ", "written by ", "words by ", "story by ", NULL};
    for (size_t i = 0; prefixes[i]; i++) {
        const size_t p = text_has_prefix(s, len, prefixes[i]);
        if (p) {
            size_t end = len;
            /* "By Jane Doe | Reuters", "By Jane Doe - 9 Jan 2019": the name part */
            for (size_t k = p; k + 2 < len; k++)
                if (s[k] == ' ' &&
                    (s[k + 1] == '|' || s[k + 1] == '-' || (unsigned char)s[k + 1] == 0xE2)) {
                    end = k;
                    break;
                }
            /* check before adding anything */
            if (!is_name(s + p, end - p, 1)) {
                const char *comma = memchr(s + p, ',', end - p);
                const char *and_ = NULL;
                for (size_t k = p; k + 5 <= end; k++)
                    if (memcmp(s + k, " and ", 5) == 0) {
                        and_ = s + k;
                        break;
                    }
                const char *first = comma && (!and_ || comma < and_) ? comma : and_;
                if (!first || !is_name(s + p, (size_t)(first - s) - p, 1))
                    return 0;
            }
            return add_names(doc, s + p, end - p, 1);
        }
    }
    return 0;
}

static int title_like(const char *s, size_t len, const text_line *l)
{
    if (l->width > TITLE_MAX_COLS || text_count_words(s, len) > TITLE_MAX_WORDS)
        return 0;
    const char last = s[len - 1];
    if (last == '.' || last == ',' || last == ';' || last == ':')
        return 0;
    if (text_is_lower_start(s, len) || text_is_bare_link(s, len) || text_is_chapter_line(s, len))
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z')
            return 1;
    return (unsigned char)s[0] >= 0x80;
}

static int standalone(const text_source *src, size_t i)
{
    return text_gap_before(src, i) && (i + 1 >= src->n_lines || text_gap_before(src, i + 1));
}

static void consume(oct_context *ctx, text_source *src, size_t i, const char *what)
{
    src->lines[i].flags |= LINE_CONSUMED;
    oct_context_log(ctx, OCT_SEV_INFO, src->lines[i].number, "%s: %.*s", what,
                    (int)(src->lines[i].len > 120 ? 120 : src->lines[i].len),
                    text_line_str(src, i));
}

/* ", Jane Doe writes." or "— Jane Doe" at the end of the first paragraph. */
static void standfirst_author(oct_context *ctx, const text_source *src, size_t first, oct_doc *doc)
{
    size_t end = first + 1;
    while (end < src->n_lines && !text_gap_before(src, end))
        end++;
    /* the signature is in the last 200 bytes; it may straddle a line end */
    char tail[TAIL_MAX + 1];
    size_t tlen = 0;
    for (size_t i = end; i-- > first && tlen + 1 < TAIL_MAX;) {
        const size_t room = TAIL_MAX - tlen - (tlen ? 1 : 0);
        const size_t take = src->lines[i].len < room ? src->lines[i].len : room;
        const char *s = text_line_str(src, i) + src->lines[i].len - take;
        const size_t sep = tlen ? 1 : 0;
        memmove(tail + take + sep, tail, tlen);
        memcpy(tail, s, take);
        if (sep)
            tail[take] = ' ';
        tlen += take + sep;
    }
    const char *s = tail;
    size_t len = tlen;
    while (len > 0 && (s[len - 1] == '.' || s[len - 1] == ')' || s[len - 1] == ' '))
        len--;
    static const char *const verbs[] = {" writes", " reports", " argues", " explains", NULL};
    for (size_t v = 0; verbs[v]; v++) {
        const size_t vl = strlen(verbs[v]);
        if (len > vl && memcmp(s + len - vl, verbs[v], vl) == 0) {
            const size_t name_end = len - vl;
            size_t k = name_end;
            while (k > 0 && s[k - 1] != ',')
                k--;
            while (k < name_end && s[k] == ' ')
                k++;
            if (k > 0 && add_names(doc, s + k, name_end - k, 2)) {
                oct_context_log(ctx, OCT_SEV_INFO, src->lines[end - 1].number,
                                "author from the standfirst: %.*s", (int)(name_end - k), s + k);
                return;
            }
        }
    }
    /* "— Jane Doe" */
    for (size_t k = len; k-- > 0;) {
        size_t after = 0;
        if (k + 3 <= len && (unsigned char)s[k] == 0xE2 && (unsigned char)s[k + 1] == 0x80 &&
            ((unsigned char)s[k + 2] == 0x94 || (unsigned char)s[k + 2] == 0x93))
            after = k + 3;
        else if (k + 2 <= len && s[k] == '-' && s[k + 1] == '-')
            after = k + 2;
        if (after) {
            while (after < len && s[after] == ' ')
                after++;
            if (add_names(doc, s + after, len - after, 2))
                oct_context_log(ctx, OCT_SEV_INFO, src->lines[end - 1].number,
                                "author from the standfirst: %.*s", (int)(len - after), s + after);
            return;
        }
        if (len - k > 60)
            return;
    }
}

static void leading_lines(oct_context *ctx, text_source *src, oct_doc *doc, text_front *front)
{
    int have_date = 0, have_tags = 0, have_title = oct_meta_get(doc, OCT_META_TITLE) != NULL;
    int have_author = oct_meta_get(doc, OCT_META_AUTHOR) != NULL;
    size_t examined = 0;
    size_t i = text_next_present(src, 0);
    for (; i < src->n_lines && examined < LEADING_MAX_LINES; i = text_next_present(src, i + 1)) {
        const text_line *l = &src->lines[i];
        const char *s = text_line_str(src, i);
        examined++;
        if (standalone(src, i) && text_furniture_pattern(s, l->len))
            continue;
        char iso[11];
        if (!have_date && text_parse_date(s, l->len, iso)) {
            oct_meta_set(doc, OCT_META_DATE, iso);
            consume(ctx, src, i, "date");
            have_date = 1;
            front->article_signals++;
            continue;
        }
        if (!have_tags && tag_line(s, l->len, doc)) {
            consume(ctx, src, i, "subjects");
            have_tags = 1;
            front->article_signals++;
            continue;
        }
        if (!have_author && byline(s, l->len, doc)) {
            consume(ctx, src, i, "byline");
            have_author = 1;
            continue;
        }
        if (text_is_chapter_line(s, l->len))
            break;
        /* a title stands alone, is underlined (setext), or sits on top of
         * other front lines */
        int underlined = 0, alone = standalone(src, i);
        if (!alone && i + 1 < src->n_lines && !text_gap_before(src, i + 1)) {
            const char *t = text_line_str(src, i + 1);
            const size_t tl = src->lines[i + 1].len;
            char iso2[11];
            underlined = text_setext_char(t, tl) != 0;
            alone = underlined || text_parse_date(t, tl, iso2) || tag_line(t, tl, NULL) ||
                    text_has_prefix(t, tl, "by ");
        }
        if (!have_title && alone && title_like(s, l->len, l)) {
            meta_put(doc, OCT_META_TITLE, s, l->len, 0);
            consume(ctx, src, i, "title");
            if (underlined)
                src->lines[i + 1].flags |= LINE_CONSUMED;
            have_title = 1;
            continue;
        }
        break;
    }
    if (!have_author && i < src->n_lines &&
        !text_is_chapter_line(text_line_str(src, i), src->lines[i].len))
        standfirst_author(ctx, src, i, doc);
}

oct_status text_front_matter(oct_context *ctx, text_source *src, oct_doc *doc, text_front *front)
{
    memset(front, 0, sizeof *front);
    if (yaml_block(ctx, src, doc) || pandoc_block(ctx, src, doc))
        front->structured = 1;
    else
        leading_lines(ctx, src, doc, front);
    front->has_title = oct_meta_get(doc, OCT_META_TITLE) != NULL;
    return OCT_OK;
}

oct_status text_title_from_name(oct_context *ctx, const char *name, oct_doc *doc)
{
    /* "-", "<stdin>", "<memory>": no file name to speak of */
    if (!name || !*name || strcmp(name, "-") == 0 || name[0] == '<')
        return OCT_OK;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *dot = strrchr(base, '.');
    const size_t len = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    char title[256];
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < len && o + 2 < sizeof title; i++) {
        const char c = base[i];
        if (c == '-' || c == '_' || c == ' ' || c == '.' || c == '+') {
            space = o > 0;
            continue;
        }
        if (space)
            title[o++] = ' ';
        space = 0;
        title[o++] = c;
    }
    title[o] = '\0';
    if (o == 0 || !oct_utf8_is_valid(title, o))
        return OCT_OK;
    if (title[0] >= 'a' && title[0] <= 'z')
        title[0] = (char)(title[0] - 'a' + 'A');
    oct_info(ctx, "title from the file name: %s", title);
    return oct_meta_set(doc, OCT_META_TITLE, title);
}
