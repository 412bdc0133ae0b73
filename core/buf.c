/* buf.c — oct_buf, the capped growable buffer (after curl's dynbuf). */
#include "octavo/octavo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void oct_buf_init(oct_buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max ? max : OCT_BUF_DEFAULT_MAX;
    b->status = OCT_OK;
}

static oct_status reserve(oct_buf *b, size_t extra)
{
    if (b->status) return b->status;
    if (b->max == 0) b->max = OCT_BUF_DEFAULT_MAX;
    if (extra > b->max || b->len > b->max - extra) return b->status = OCT_ERR_LIMIT;
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return OCT_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p) return b->status = OCT_ERR_NOMEM;
    b->data = p;
    b->cap = cap;
    return OCT_OK;
}

/* Writers append a few bytes at a time, millions of times: when the room is
 * there (and within the cap), skip reserve()'s checks. */
static int has_room(const oct_buf *b, size_t len)
{
    return b->status == OCT_OK && len < b->cap - b->len && len <= b->max - b->len;
}

oct_status oct_buf_append(oct_buf *b, const void *data, size_t len)
{
    if (!has_room(b, len)) {
        oct_status st = reserve(b, len);
        if (st) return st;
    }
    if (len) memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return OCT_OK;
}

oct_status oct_buf_puts(oct_buf *b, const char *s) { return oct_buf_append(b, s, strlen(s)); }

oct_status oct_buf_putc(oct_buf *b, int c)
{
    if (!has_room(b, 1)) {
        oct_status st = reserve(b, 1);
        if (st) return st;
    }
    b->data[b->len++] = (char)c;
    b->data[b->len] = '\0';
    return OCT_OK;
}

oct_status oct_buf_vprintf(oct_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return b->status ? b->status : (b->status = OCT_ERR_INVALID_ARG);
    oct_status st = reserve(b, (size_t)n);
    if (st) return st;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return OCT_OK;
}

oct_status oct_buf_printf(oct_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    oct_status st = oct_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return st;
}

void oct_buf_reset(oct_buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
    b->status = OCT_OK;
}

void oct_buf_free(oct_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->status = OCT_OK;
}

char *oct_buf_detach(oct_buf *b, size_t *len)
{
    char *p = b->data;
    if (len) *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
