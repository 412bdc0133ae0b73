/*
 * bytes_portable.c — plugins/text/bytes.h compiled without SSE2, so that
 * the fallback every other platform uses is checked on this one too.
 */
#undef __SSE2__
#include "bytes.h"

#include "bytes_portable.h"

unsigned portable_block_eq(const char *p, char c)
{
    return text_block_eq(text_block_load(p), c);
}

unsigned portable_block_high(const char *p)
{
    return text_block_high(text_block_load(p));
}

unsigned portable_block_below(const char *p, char c)
{
    return text_block_below(text_block_load(p), c);
}

unsigned portable_block_high_or_eq(const char *p, char c)
{
    return text_block_high_or_eq(text_block_load(p), c);
}

unsigned portable_block_not_plain(const char *p)
{
    return text_block_not_plain(text_block_load(p));
}

unsigned portable_block_letters(const char *p)
{
    return text_block_letters(text_block_load(p));
}

unsigned portable_block_digits(const char *p)
{
    return text_block_digits(text_block_load(p));
}
