/*
 * render.c — the line renderer shared by the Markdown flavours.
 */
#include "render.h"

#include "bytewords.h"

#include <stdint.h>
#include <string.h>

#define NO_BREAK SIZE_MAX
/* Complete lines are handed to the sink once this much is pending. */
#define FLUSH_THRESHOLD ((size_t)64 * 1024)

void md_render_init(md_render *r, oct_sink *sink, size_t width, size_t max_bytes)
{
    memset(r, 0, sizeof *r);
    r->sink = sink;
    r->width = width;
    r->break_at = NO_BREAK;
    r->begin_line = 1;
    r->prefix_columns = SIZE_MAX;
    oct_buf_init(&r->out, max_bytes);
    oct_buf_init(&r->prefix, 0);
    oct_buf_init(&r->scratch, 0);
}

void md_render_free(md_render *r)
{
    oct_buf_free(&r->out);
    oct_buf_free(&r->prefix);
    oct_buf_free(&r->scratch);
}

void md_render_clear(md_render *r)
{
    md_render kept = *r;
    memset(r, 0, sizeof *r);
    r->sink = kept.sink;
    r->width = kept.width;
    r->break_at = NO_BREAK;
    r->begin_line = 1;
    r->prefix_columns = SIZE_MAX;
    r->out = kept.out;
    r->prefix = kept.prefix;
    r->scratch = kept.scratch;
    oct_buf_reset(&r->out);
    oct_buf_reset(&r->prefix);
    oct_buf_reset(&r->scratch);
}

size_t md_render_push_prefix(md_render *r, const char *s)
{
    size_t saved = r->prefix.len;
    oct_buf_puts(&r->prefix, s);
    r->prefix_columns = SIZE_MAX;
    return saved;
}

void md_render_pop_prefix(md_render *r, size_t saved_len)
{
    if (saved_len <= r->prefix.len && r->prefix.data) {
        r->prefix.len = saved_len;
        r->prefix.data[saved_len] = '\0';
        r->prefix_columns = SIZE_MAX;
    }
}

/* The renderer appends a word at a time, a million times a book: when the
 * room is there, copy without the library call (oct_buf_append would do the
 * same, keeping the NUL after the data and the cap). */
static void out_append(md_render *r, const char *s, size_t len)
{
    oct_buf *b = &r->out;
    if (b->status == OCT_OK && len < b->cap - b->len && len <= b->max - b->len) {
        memcpy(b->data + b->len, s, len);
        b->len += len;
        b->data[b->len] = '\0';
    } else {
        oct_buf_append(b, s, len);
    }
}

static void out_putc(md_render *r, char c)
{
    out_append(r, &c, 1);
}

/* Display columns of s: a column a byte when it is all ASCII, as most
 * words are, which a look at the high bits tells cheaply. */
static size_t text_width(const char *s, size_t len)
{
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        if (oct_word_high(oct_word_load(s + i)))
            return oct_utf8_display_width(s, len);
    }
    for (; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return oct_utf8_display_width(s, len);
    return len;
}

static void truncate_out(md_render *r, size_t len)
{
    if (r->out.data && len <= r->out.len) {
        r->out.len = len;
        r->out.data[len] = '\0';
    }
}

/* Drops the spaces a line of nothing but prefix and lead would end with:
 * they carry no meaning and editors flag them. */
static void trim_bare_line(md_render *r)
{
    while (r->out.len > r->line_start &&
           (r->out.data[r->out.len - 1] == ' ' || r->out.data[r->out.len - 1] == '\t'))
        truncate_out(r, r->out.len - 1);
}

static void flush(md_render *r)
{
    if (r->sink && r->out.len > 0 && r->out.status == OCT_OK) {
        oct_sink_write(r->sink, r->out.data, r->out.len);
        oct_buf_reset(&r->out);
        r->line_start = 0;
        r->content_start = 0;
    }
}

static void end_line(md_render *r)
{
    if (r->after_lead || (!r->begin_line && r->out.len == r->content_start))
        trim_bare_line(r);
    out_putc(r, '\n');
    r->line_start = r->out.len;
    r->content_start = r->out.len;
    r->column = 0;
    r->begin_line = 1;
    r->break_at = NO_BREAK;
    if (r->out.len >= FLUSH_THRESHOLD)
        flush(r);
}

static void write_prefix(md_render *r)
{
    const char *prefix = r->prefix.data ? r->prefix.data : "";
    if (r->prefix.len > 0) /* most lines have none */
        out_append(r, prefix, r->prefix.len);
    /* measured once for the many lines it starts */
    if (r->prefix_columns == SIZE_MAX)
        r->prefix_columns = text_width(prefix, r->prefix.len);
    r->column = r->prefix_columns;
    r->content_start = r->out.len;
    r->begin_line = 0;
}

/* Honours pending newline requests and writes the prefix of a new line. */
static void start_line_content(md_render *r)
{
    if (r->after_lead)
        r->pending = 0;
    if (r->pending > 0 && r->wrote_any) {
        if (!r->begin_line)
            end_line(r);
        if (r->pending > 1) {
            write_prefix(r);
            end_line(r);
        }
    }
    r->pending = 0;
    if (r->begin_line)
        write_prefix(r);
    r->after_lead = 0;
    r->wrote_any = 1;
}

/* Mostly the content goes on along a line already begun: nothing to do. */
static inline void start_content(md_render *r)
{
    if (!md_render_line_begun(r))
        start_line_content(r);
}

void md_render_cr(md_render *r)
{
    if (!r->after_lead && r->pending < 1)
        r->pending = 1;
}

void md_render_blank_line(md_render *r)
{
    if (!r->after_lead)
        r->pending = 2;
}

void md_render_lead(md_render *r, const char *s)
{
    if (!r->after_lead && !r->begin_line && r->pending < 1)
        r->pending = 1;
    start_content(r);
    size_t len = strlen(s);
    out_append(r, s, len);
    r->column += text_width(s, len);
    r->after_lead = 1;
}

void md_render_leave(md_render *r)
{
    r->after_lead = 0;
}

/* Moves everything after the last break space onto a new line. */
static void wrap_line(md_render *r)
{
    size_t tail = r->break_at + 1;
    oct_buf_reset(&r->scratch);
    oct_buf_append(&r->scratch, r->out.data + tail, r->out.len - tail);
    truncate_out(r, r->break_at);
    r->after_lead = 0;
    end_line(r);
    write_prefix(r);
    out_append(r, r->scratch.data ? r->scratch.data : "", r->scratch.len);
    r->column += text_width(r->scratch.data ? r->scratch.data : "", r->scratch.len);
}

void md_render_text_columns(md_render *r, const char *s, size_t len, size_t columns)
{
    if (len == 0)
        return;
    start_content(r);
    out_append(r, s, len);
    r->column += columns;
    if (r->width > 0 && r->column > r->width && r->break_at != NO_BREAK)
        wrap_line(r);
}

void md_render_text(md_render *r, const char *s, size_t len)
{
    md_render_text_columns(r, s, len, text_width(s, len));
}

void md_render_break_space(md_render *r)
{
    start_content(r);
    if (r->width > 0 && r->column >= r->width) {
        /* The line is already full: break right here. */
        end_line(r);
        return;
    }
    if (r->width > 0)
        r->break_at = r->out.len;
    out_putc(r, ' ');
    r->column += 1;
}

void md_render_text_break_space(md_render *r, const char *s, size_t len, size_t columns)
{
    if (len == 0) {
        md_render_break_space(r);
        return;
    }
    if (md_render_word_fits(r, s, len, columns, len))
        return;
    /* md_render_text_columns() then md_render_break_space(), the second
     * finding the line begun by the first */
    start_content(r);
    out_append(r, s, len);
    r->column += columns;
    if (r->width > 0) {
        if (r->column > r->width && r->break_at != NO_BREAK)
            wrap_line(r);
        if (r->column >= r->width) {
            end_line(r);
            return;
        }
        r->break_at = r->out.len;
    }
    out_putc(r, ' ');
    r->column += 1;
}

void md_render_words(md_render *r, const char *s, size_t len, size_t columns)
{
    /* Word by word, each would be appended with its space, that space
     * becoming the break point: the last one is what remains of them. */
    out_append(r, s, len);
    if (r->out.status != OCT_OK)
        return; /* nothing reaches the sink any more (see flush()) */
    r->break_at = r->out.len - 1;
    r->column += columns;
}

int md_render_wrap(md_render *r)
{
    /* wrap_line() with nothing after the break space to carry over */
    if (!md_render_line_begun(r) || r->width == 0 ||
        r->break_at == NO_BREAK || r->break_at + 1 != r->out.len)
        return 0;
    truncate_out(r, r->break_at);
    end_line(r);
    write_prefix(r);
    return 1;
}

void md_render_newline(md_render *r)
{
    start_content(r);
    end_line(r);
}

oct_status md_render_finish(md_render *r)
{
    if (r->wrote_any && !r->begin_line)
        end_line(r);
    flush(r);
    return md_render_status(r);
}

oct_status md_render_status(const md_render *r)
{
    if (r->out.status != OCT_OK)
        return r->out.status;
    if (r->prefix.status != OCT_OK)
        return r->prefix.status;
    if (r->sink)
        return oct_sink_status(r->sink);
    return OCT_OK;
}
