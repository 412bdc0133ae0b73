/*
 * structure.c — blocks of lines to document nodes.
 *
 * Each block (see paragraphs.c) is looked at once, in order: a block quote,
 * a scene break, a setext or plain heading, a list item, a preformatted
 * region, or a paragraph. Lists and quotes span blocks, so the open ones are
 * kept on small explicit stacks — nothing here recurses.
 */
#include "text_internal.h"

#include <string.h>

#define MAX_LIST_LEVELS 16
#define MAX_QUOTE_LEVELS 32
#define HEADING_MAX_COLS 72
#define HEADING_MAX_WORDS 12
#define CHAPTER_MAX_COLS 80
#define SHORT_LINE_COLS 50

typedef struct list_level {
    oct_node *list;
    unsigned marker_indent;
    unsigned content_indent;
    int ordered;
    oct_list_style style;
} list_level;

typedef struct build {
    oct_context *ctx;
    const text_source *src;
    const text_layout *lay;
    const text_hyphens *hy;
    oct_doc *doc;
    oct_builder *b;
    oct_buf scratch;
    list_level lists[MAX_LIST_LEVELS];
    size_t list_depth;
    size_t quote_depth;
    text_stats *stats;
    oct_status st;
} build;

static int line_has_marker(const build *bs, size_t i)
{
    int ordered, start;
    oct_list_style style;
    return text_list_marker(text_line_str(bs->src, i), bs->src->lines[i].len, &ordered, &style,
                            &start) != 0;
}

/* A short line that could head a section; 0 or its level. */
static int heading_level(const build *bs, size_t i)
{
    const text_line *l = &bs->src->lines[i];
    const char *s = text_line_str(bs->src, i);
    const size_t len = l->len;
    const int chapter = text_chapter_kind(s, len);
    if (chapter && l->width <= CHAPTER_MAX_COLS)
        return 1;
    if (l->width > HEADING_MAX_COLS || text_count_words(s, len) > HEADING_MAX_WORDS)
        return 0;
    size_t end = len;
    while (end > 0 && text_is_closer(s[end - 1]))
        end--;
    if (end == 0)
        return 0;
    const char last = s[end - 1];
    if (last == '.' || last == ',' || last == ';' || last == ':' || last == '!')
        return 0;
    /* two letters are enough to know */
    int letters = 0;
    for (size_t k = 0; k < len && letters < 2; k++)
        letters += ((s[k] | 32) >= 'a' && (s[k] | 32) <= 'z') || (unsigned char)s[k] >= 0xC0;
    if (letters < 2)
        return 0;
    /* any one of these rules a heading out: the cheap ones first */
    char iso[11];
    if (text_is_lower_start(s, len) || text_has_prefix(s, len, "by ") ||
        text_is_bare_link(s, len) || text_parse_date(s, len, iso) ||
        text_has_sentence_break(s, len) || text_is_label_or_caption(s, len) ||
        text_ends_with_function_word(s, len) || text_furniture_pattern(s, len))
        return 0;
    const int parts = text_numbered_heading(s, len);
    if (parts >= 2)
        return l->indent <= bs->lay->body_indent ? (parts > 6 ? 6 : parts) : 0;
    if (parts == 1)
        return l->indent < bs->lay->body_indent ? 2 : 0;
    if (line_has_marker(bs, i))
        return 0;
    /* where body text is indented, headings stand out to the left */
    if (bs->lay->body_indent > 0 && l->indent >= bs->lay->body_indent)
        return 0;
    if (bs->lay->body_indent == 0 && l->indent > 0 &&
        l->indent + l->width + 8 < (bs->lay->wrap_width ? bs->lay->wrap_width : 72))
        return 0; /* indented but not centred: preformatted */
    return 2;
}

/* --------------------------------------------------------------- emitting */

static void fail(build *bs, oct_status st)
{
    if (bs->st == OCT_OK)
        bs->st = st;
}

static oct_node *open_node(build *bs, oct_node_type type, size_t line)
{
    if (bs->st != OCT_OK)
        return NULL;
    oct_node *n = oct_builder_open_new(bs->b, type);
    if (!n) {
        fail(bs, OCT_ERR_LIMIT);
        return NULL;
    }
    oct_node_set_source_line(n, bs->src->lines[line].number);
    return n;
}

static void close_node(build *bs)
{
    const oct_status st = oct_builder_close(bs->b);
    if (st != OCT_OK)
        fail(bs, st);
}

static void emit_inline(build *bs, const char *s, size_t len)
{
    if (bs->st != OCT_OK)
        return;
    const oct_status st = text_emit_inline(bs->b, bs->doc, s, len);
    if (st != OCT_OK)
        fail(bs, st);
}

/* A line with no run of spaces reads as is, without a copy. */
static int line_is_clean(const text_source *src, size_t i)
{
    return !(src->lines[i].flags & LINE_SPACES);
}

static void emit_joined(build *bs, size_t first, size_t end, size_t skip_first)
{
    if (!open_node(bs, OCT_NODE_PARAGRAPH, first))
        return;
    if (end == first + 1 && line_is_clean(bs->src, first)) {
        const size_t len = bs->src->lines[first].len;
        const size_t skip = skip_first < len ? skip_first : len;
        emit_inline(bs, text_line_str(bs->src, first) + skip, len - skip);
        close_node(bs);
        return;
    }
    oct_buf_reset(&bs->scratch);
    if (text_join_lines(bs->src, bs->hy, first, end, skip_first, &bs->scratch) != OCT_OK)
        fail(bs, bs->scratch.status);
    emit_inline(bs, bs->scratch.data ? bs->scratch.data : "", bs->scratch.len);
    close_node(bs);
}

/* Verse, addresses: the line breaks are the author's. */
static void emit_lines(build *bs, size_t first, size_t end)
{
    if (!open_node(bs, OCT_NODE_PARAGRAPH, first))
        return;
    for (size_t i = first; i < end && bs->st == OCT_OK; i++) {
        if (i > first) {
            oct_node *br = oct_node_new(bs->doc, OCT_NODE_LINE_BREAK);
            if (!br || oct_builder_leaf(bs->b, br) != OCT_OK)
                fail(bs, OCT_ERR_LIMIT);
        }
        oct_buf_reset(&bs->scratch);
        text_join_lines(bs->src, bs->hy, i, i + 1, 0, &bs->scratch);
        emit_inline(bs, bs->scratch.data ? bs->scratch.data : "", bs->scratch.len);
    }
    close_node(bs);
}

static void emit_code(build *bs, size_t first, size_t end)
{
    if (bs->st != OCT_OK)
        return;
    unsigned min_indent = UINT16_MAX;
    for (size_t i = first; i < end; i++)
        if (bs->src->lines[i].indent < min_indent)
            min_indent = bs->src->lines[i].indent;
    oct_buf_reset(&bs->scratch);
    for (size_t i = first; i < end; i++) {
        const text_line *l = &bs->src->lines[i];
        if (i > first) {
            /* keep one blank line where there were any */
            const uint32_t gap = l->number - bs->src->lines[i - 1].number;
            text_buf_add(&bs->scratch, 0, "\n\n", gap > 1 ? 2 : 1);
        }
        for (unsigned k = min_indent; k < l->indent; k++)
            oct_buf_putc(&bs->scratch, ' ');
        text_buf_add(&bs->scratch, 0, text_line_str(bs->src, i), l->len);
    }
    oct_node *code = oct_node_new(bs->doc, OCT_NODE_CODE_BLOCK);
    if (!code || bs->scratch.status != OCT_OK) {
        fail(bs, code ? bs->scratch.status : OCT_ERR_LIMIT);
        return;
    }
    oct_node_set_source_line(code, bs->src->lines[first].number);
    oct_status st =
        oct_node_set_literal(code, bs->scratch.data ? bs->scratch.data : "", bs->scratch.len);
    if (st == OCT_OK)
        st = oct_builder_leaf(bs->b, code);
    if (st != OCT_OK)
        fail(bs, st);
    bs->stats->code_blocks++;
}

static void emit_heading(build *bs, int level, size_t line, const char *s, size_t len)
{
    oct_node *h = open_node(bs, OCT_NODE_HEADING, line);
    if (!h)
        return;
    oct_node_set_heading_level(h, level);
    emit_inline(bs, s, len);
    close_node(bs);
    bs->stats->headings++;
    if (level == 1)
        bs->stats->chapters++;
}

static void emit_break(build *bs, size_t line)
{
    if (bs->st != OCT_OK)
        return;
    oct_node *hr = oct_node_new(bs->doc, OCT_NODE_THEMATIC_BREAK);
    if (!hr) {
        fail(bs, OCT_ERR_LIMIT);
        return;
    }
    oct_node_set_source_line(hr, bs->src->lines[line].number);
    const oct_status st = oct_builder_leaf(bs->b, hr);
    if (st != OCT_OK)
        fail(bs, st);
}

/* ---------------------------------------------------------- lists, quotes */

static void close_list_level(build *bs)
{
    close_node(bs); /* item */
    close_node(bs); /* list */
    bs->list_depth--;
}

static void close_lists(build *bs, size_t keep)
{
    while (bs->list_depth > keep)
        close_list_level(bs);
}

static void close_quotes(build *bs)
{
    for (; bs->quote_depth > 0; bs->quote_depth--)
        close_node(bs);
}

static void open_list(build *bs, size_t line, unsigned marker_indent, unsigned content_indent,
                      int ordered, oct_list_style style, int start)
{
    oct_node *list = open_node(bs, OCT_NODE_LIST, line);
    if (!list)
        return;
    oct_node_set_list_style(list, style);
    if (ordered && start != 1)
        oct_node_set_list_start(list, start);
    oct_node_set_list_tight(list, 1);
    list_level *lv = &bs->lists[bs->list_depth++];
    lv->list = list;
    lv->marker_indent = marker_indent;
    lv->content_indent = content_indent;
    lv->ordered = ordered;
    lv->style = style;
    bs->stats->lists++;
    open_node(bs, OCT_NODE_LIST_ITEM, line);
}

/* One list item line (with its continuation lines up to the next marker). */
static size_t list_item(build *bs, size_t i, size_t end)
{
    const text_line *l = &bs->src->lines[i];
    int ordered, start;
    oct_list_style style;
    const size_t skip =
        text_list_marker(text_line_str(bs->src, i), l->len, &ordered, &style, &start);
    const unsigned m = l->indent;
    const unsigned content = m + (unsigned)oct_utf8_display_width(text_line_str(bs->src, i), skip);
    while (bs->list_depth > 0 && m + 1 < bs->lists[bs->list_depth - 1].marker_indent)
        close_list_level(bs);
    list_level *top = bs->list_depth ? &bs->lists[bs->list_depth - 1] : NULL;
    if (top && m <= top->marker_indent + 1 && top->ordered == ordered && top->style == style) {
        close_node(bs);
        if (text_gap_before(bs->src, i))
            oct_node_set_list_tight(top->list, 0);
        open_node(bs, OCT_NODE_LIST_ITEM, i);
    } else if (top && m <= top->marker_indent + 1) {
        close_list_level(bs);
        open_list(bs, i, m, content, ordered, style, start);
    } else if (top && bs->list_depth < MAX_LIST_LEVELS) {
        open_list(bs, i, m, content, ordered, style, start);
    } else if (top) {
        close_node(bs);
        open_node(bs, OCT_NODE_LIST_ITEM, i);
    } else {
        open_list(bs, i, m, content, ordered, style, start);
    }
    size_t j = i + 1;
    while (j < end && !line_has_marker(bs, j))
        j++;
    emit_joined(bs, i, j, skip);
    return j;
}

static void quote_block(build *bs, size_t first, size_t end)
{
    size_t para_start = end;
    oct_buf_reset(&bs->scratch);
    for (size_t i = first; i <= end && bs->st == OCT_OK; i++) {
        size_t content = 0, depth = bs->quote_depth;
        const char *s = i < end ? text_line_str(bs->src, i) : "";
        const size_t len = i < end ? bs->src->lines[i].len : 0;
        if (i < end && s[0] == '>')
            depth = text_quote_depth(s, len, &content);
        if (depth > MAX_QUOTE_LEVELS)
            depth = MAX_QUOTE_LEVELS;
        const int flush = i == end || depth != bs->quote_depth || content == len;
        if (flush && para_start < end) {
            if (open_node(bs, OCT_NODE_PARAGRAPH, para_start)) {
                emit_inline(bs, bs->scratch.data, bs->scratch.len);
                close_node(bs);
            }
            oct_buf_reset(&bs->scratch);
            para_start = end;
        }
        if (i == end)
            break;
        for (; bs->quote_depth > depth; bs->quote_depth--)
            close_node(bs);
        for (; bs->quote_depth < depth; bs->quote_depth++)
            open_node(bs, OCT_NODE_BLOCK_QUOTE, i);
        if (content == len)
            continue;
        if (para_start == end)
            para_start = i;
        else
            oct_buf_putc(&bs->scratch, ' ');
        oct_buf_append(&bs->scratch, s + content, len - content);
    }
}

/* ------------------------------------------------------------ block shapes */

static int looks_like_code(const build *bs, size_t first, size_t end, int deliberate)
{
    const size_t n = end - first;
    if (n == 1)
        return text_has_prefix(text_line_str(bs->src, first), bs->src->lines[first].len, "$ ") != 0;
    size_t code = 0, box = 0;
    for (size_t i = first; i < end; i++) {
        const char *s = text_line_str(bs->src, i);
        const size_t len = bs->src->lines[i].len;
        box += text_is_box_line(s, len);
        /* wrapped prose has no code lines to look for */
        if (deliberate)
            code += text_is_code_line(s, len);
    }
    if (box >= 2 && box * 2 >= n)
        return 1;
    return code * 2 >= n;
}

/* Most breaks inside the block were made by hand (a wrapper could have
 * filled the line): verse, addresses, tables of contents. */
static int breaks_deliberate(const build *bs, size_t first, size_t end)
{
    size_t deliberate = 0;
    for (size_t i = first; i + 1 < end; i++)
        deliberate += text_break_is_deliberate(bs->src, bs->lay, i, i + 1);
    return end - first > 1 && deliberate * 10 >= (end - first - 1) * 7;
}

/* Wrapped to the block's own width: most breaks came before a word that
 * would not have fitted on the widest line of the block. */
static int wrapped_within(const build *bs, size_t first, size_t end)
{
    unsigned widest = 0;
    for (size_t i = first; i < end; i++)
        if (bs->src->lines[i].width > widest)
            widest = bs->src->lines[i].width;
    size_t forced = 0;
    for (size_t i = first; i + 1 < end; i++)
        forced += (size_t)bs->src->lines[i].width + 1 + bs->src->lines[i + 1].first_width > widest;
    return forced * 2 >= end - first - 1;
}

static void plain_block(build *bs, size_t first, size_t end)
{
    const text_source *src = bs->src;
    unsigned indent = UINT16_MAX, widest = 0;
    for (size_t i = first; i < end; i++) {
        if (src->lines[i].indent < indent)
            indent = src->lines[i].indent;
        if (src->lines[i].width > widest)
            widest = src->lines[i].width;
    }
    const size_t n = end - first;
    const int deliberate = breaks_deliberate(bs, first, end);
    if (looks_like_code(bs, first, end, deliberate || !bs->lay->wrap_width)) {
        emit_code(bs, first, end);
        return;
    }
    if (bs->list_depth == 0 && indent >= bs->lay->body_indent + 2) {
        /* indented: a quotation when it reads as prose, else preformatted */
        const char *last = text_line_str(src, end - 1);
        const int prose = text_ends_with_sentence_punct(last, src->lines[end - 1].len) &&
                          (n == 1 ? widest >= 40 : wrapped_within(bs, first, end));
        if (prose && bs->lay->mode != PARA_PREFORMATTED) {
            if (open_node(bs, OCT_NODE_BLOCK_QUOTE, first)) {
                emit_joined(bs, first, end, 0);
                close_node(bs);
            }
        } else if (n == 1) {
            emit_joined(bs, first, end, 0);
        } else {
            emit_code(bs, first, end);
        }
        return;
    }
    if (bs->lay->mode == PARA_PREFORMATTED) {
        emit_lines(bs, first, end);
    } else if (n == 1) {
        emit_joined(bs, first, end, 0);
    } else if (bs->lay->wrap_width) {
        if (deliberate)
            emit_lines(bs, first, end);
        else
            emit_joined(bs, first, end, 0);
    } else if (widest <= SHORT_LINE_COLS) {
        emit_lines(bs, first, end); /* verse in a text that is not hard-wrapped */
    } else if (wrapped_within(bs, first, end)) {
        emit_joined(bs, first, end, 0);
    } else {
        /* lines as long as paragraphs */
        for (size_t i = first; i < end; i++)
            emit_joined(bs, i, i + 1, 0);
    }
}

/* ----------------------------------------------------------------- blocks */

static int block_is_single_line(const text_source *src, size_t i, size_t end)
{
    return end == i + 1 && (end >= src->n_lines || text_gap_before(src, end));
}

/* A chapter number line followed by a title line of its own. */
static size_t chapter_title_line(const build *bs, size_t end)
{
    const text_source *src = bs->src;
    const size_t j = text_next_present(src, end);
    if (j >= src->n_lines)
        return 0;
    const size_t j_end = text_block_end(src, bs->lay, j);
    if (!block_is_single_line(src, j, j_end) || j_end >= src->n_lines)
        return 0;
    const char *s = text_line_str(src, j);
    const size_t len = src->lines[j].len;
    if (text_chapter_kind(s, len) || src->lines[j].width > HEADING_MAX_COLS ||
        text_ends_with_sentence_punct(s, len) || text_is_lower_start(s, len) ||
        text_is_scene_break(s, len) || line_has_marker(bs, j))
        return 0;
    return j;
}

static void heading_with_title(build *bs, size_t i, size_t title)
{
    const char *s = text_line_str(bs->src, i);
    const size_t len = bs->src->lines[i].len;
    oct_buf joined;
    oct_buf_init(&joined, 0);
    oct_buf_append(&joined, s, len);
    oct_buf_puts(&joined, s[len - 1] == '.' || s[len - 1] == ':' ? " " : ". ");
    oct_buf_append(&joined, text_line_str(bs->src, title), bs->src->lines[title].len);
    if (joined.status == OCT_OK)
        emit_heading(bs, 1, i, joined.data, joined.len);
    else
        fail(bs, joined.status);
    oct_buf_free(&joined);
}

/* Handles the block starting at i; returns the first line not used. */
static size_t one_block(build *bs, size_t i)
{
    const text_source *src = bs->src;
    size_t end = text_block_end(src, bs->lay, i);
    const char *s = text_line_str(src, i);
    const size_t len = src->lines[i].len;
    const size_t n = end - i;

    if (s[0] == '>') {
        close_lists(bs, 0);
        quote_block(bs, i, end);
        return end;
    }
    close_quotes(bs);

    if (n == 1 && text_is_scene_break(s, len) && !text_setext_char(s, len)) {
        close_lists(bs, 0);
        emit_break(bs, i);
        return end;
    }
    if (n == 1 && text_setext_char(s, len)) {
        close_lists(bs, 0);
        emit_break(bs, i);
        return end;
    }
    if (n == 2 && text_setext_char(text_line_str(src, i + 1), src->lines[i + 1].len) &&
        !line_has_marker(bs, i) && src->lines[i].width <= HEADING_MAX_COLS &&
        !text_ends_with_sentence_punct(s, len)) {
        close_lists(bs, 0);
        const int level =
            text_setext_char(text_line_str(src, i + 1), src->lines[i + 1].len) == '=' ? 1 : 2;
        emit_heading(bs, level, i, s, len);
        return end;
    }

    if (line_has_marker(bs, i)) {
        size_t k = i;
        while (k < end && bs->st == OCT_OK) {
            if (!line_has_marker(bs, k))
                break;
            k = list_item(bs, k, end);
        }
        return k;
    }
    if (bs->list_depth > 0) {
        const unsigned indent = src->lines[i].indent;
        while (bs->list_depth > 0 && bs->lists[bs->list_depth - 1].content_indent > indent + 1)
            close_list_level(bs);
        if (bs->list_depth > 0) {
            oct_node_set_list_tight(bs->lists[bs->list_depth - 1].list, 0);
            plain_block(bs, i, end);
            return end;
        }
    }

    const int chapter = text_chapter_kind(s, len);
    const int heading_ok =
        end >= src->n_lines || text_gap_before(src, end) || bs->lay->mode == PARA_SINGLE || chapter;
    if (n == 1 && heading_ok && text_next_present(src, end) < src->n_lines) {
        const int level = heading_level(bs, i);
        if (level) {
            const size_t title = chapter == 1 ? chapter_title_line(bs, end) : 0;
            if (title) {
                heading_with_title(bs, i, title);
                return title + 1;
            }
            emit_heading(bs, level, i, s, len);
            return end;
        }
    }
    if (n >= 2 && chapter && src->lines[i].width <= CHAPTER_MAX_COLS &&
        !line_has_marker(bs, i + 1)) {
        const char *t = text_line_str(src, i + 1);
        const size_t tlen = src->lines[i + 1].len;
        if (n == 2 && chapter == 1 && src->lines[i + 1].width <= HEADING_MAX_COLS &&
            !text_ends_with_sentence_punct(t, tlen) && !text_is_lower_start(t, tlen)) {
            heading_with_title(bs, i, i + 1);
            return end;
        }
        if (n > 2 || text_ends_with_sentence_punct(t, tlen)) {
            emit_heading(bs, 1, i, s, len);
            return i + 1;
        }
    }
    plain_block(bs, i, end);
    return end;
}

/* Without chapters, the top heading level in use becomes level 1. */
static void promote_headings(oct_doc *doc)
{
    int min = 7;
    for (oct_node *n = oct_node_first_child(oct_doc_root(doc)); n; n = oct_node_next(n))
        if (oct_node_get_type(n) == OCT_NODE_HEADING && oct_node_heading_level(n) < min)
            min = oct_node_heading_level(n);
    if (min <= 1 || min > 6)
        return;
    for (oct_node *n = oct_node_first_child(oct_doc_root(doc)); n; n = oct_node_next(n))
        if (oct_node_get_type(n) == OCT_NODE_HEADING)
            oct_node_set_heading_level(n, oct_node_heading_level(n) - (min - 1));
}

oct_status text_build(oct_context *ctx, text_source *src, const text_layout *lay,
                      const text_hyphens *hy, int article, oct_doc *doc, text_stats *stats,
                      oct_error *err)
{
    build bs;
    memset(&bs, 0, sizeof bs);
    memset(stats, 0, sizeof *stats);
    bs.ctx = ctx;
    bs.src = src;
    bs.lay = lay;
    bs.hy = hy;
    bs.doc = doc;
    bs.stats = stats;
    bs.b = oct_builder_new(doc);
    if (!bs.b)
        return oct_error_set(err, OCT_ERR_NOMEM, NULL, 0, "cannot create a builder");
    oct_buf_init(&bs.scratch, 0);
    size_t i = text_next_present(src, 0);
    size_t polled = 0;
    while (i < src->n_lines && bs.st == OCT_OK) {
        const size_t next = one_block(&bs, i);
        i = text_next_present(src, next > i ? next : i + 1);
        if (++polled % 4096 == 0) {
            if (oct_interrupted())
                fail(&bs, OCT_ERR_INTERRUPTED);
            /* the tree grows while the line table is no longer needed behind
             * us: a block looks back one line at most (text_gap_before) */
            if (i >= 2)
                text_lines_release_before(src, i - 2);
        }
    }
    close_quotes(&bs);
    close_lists(&bs, 0);
    const oct_status finished = oct_builder_finish(bs.b);
    oct_builder_free(bs.b);
    oct_buf_free(&bs.scratch);
    const oct_status st = bs.st != OCT_OK ? bs.st : finished;
    if (st != OCT_OK)
        return oct_error_set(err, st, NULL, 0, "cannot build the document: %s",
                             oct_status_message(st));
    /* an article's title is metadata: its sections stay at level 2 */
    if (stats->chapters == 0 && !article)
        promote_headings(doc);
    return OCT_OK;
}
