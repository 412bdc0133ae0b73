/* status.c — names, messages and exit codes of oct_status, and oct_error. */
#include "octavo/octavo.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    const char *message;
    int exit_code;
} status_info[] = {
#define OCT_X_INFO(name, cls, msg) {"OCT_" #name, msg, cls},
    OCT_STATUS_TABLE(OCT_X_INFO)
#undef OCT_X_INFO
};

_Static_assert(sizeof status_info / sizeof status_info[0] == OCT_STATUS_COUNT_,
               "one entry per status");

const char *oct_status_name(oct_status s)
{
    if ((unsigned)s >= OCT_STATUS_COUNT_) return "OCT_UNKNOWN_STATUS";
    return status_info[s].name;
}

const char *oct_status_message(oct_status s)
{
    if ((unsigned)s >= OCT_STATUS_COUNT_) return "unknown status";
    return status_info[s].message;
}

int oct_status_exit_code(oct_status s)
{
    if ((unsigned)s >= OCT_STATUS_COUNT_) return 4;
    return status_info[s].exit_code;
}

void oct_error_clear(oct_error *err)
{
    if (!err) return;
    err->status = OCT_OK;
    err->line = 0;
    err->where[0] = '\0';
    err->message[0] = '\0';
}

/* Copies a message keeping it on one line: a diagnostic is always one line. */
static void copy_one_line(char *dst, size_t size, const char *src)
{
    size_t i = 0;
    for (; src && *src && i + 1 < size; src++)
        dst[i++] = (*src == '\n' || *src == '\r') ? ' ' : *src;
    dst[i] = '\0';
    while (i > 0 && dst[i - 1] == ' ') dst[--i] = '\0';
}

oct_status oct_error_set(oct_error *err, oct_status status, const char *where, long line,
                         const char *fmt, ...)
{
    if (!err) return status;
    err->status = status;
    err->line = line;
    copy_one_line(err->where, sizeof err->where, where ? where : "");
    char tmp[sizeof err->message];
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(tmp, sizeof tmp, fmt, ap);
        va_end(ap);
    } else {
        snprintf(tmp, sizeof tmp, "%s", oct_status_message(status));
    }
    copy_one_line(err->message, sizeof err->message, tmp);
    return status;
}

const char *oct_error_format(const oct_error *err, char *buf, size_t size)
{
    if (!buf || size == 0) return "";
    if (!err) { buf[0] = '\0'; return buf; }
    const char *msg = err->message[0] ? err->message : oct_status_message(err->status);
    if (err->where[0] && err->line > 0)
        snprintf(buf, size, "%s: line %ld: %s", err->where, err->line, msg);
    else if (err->where[0])
        snprintf(buf, size, "%s: %s", err->where, msg);
    else if (err->line > 0)
        snprintf(buf, size, "line %ld: %s", err->line, msg);
    else
        snprintf(buf, size, "%s", msg);
    return buf;
}
