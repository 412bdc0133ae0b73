/*
 * bytes_portable.c — core/shared/byteblocks.h compiled without SSE2, so that
 * the fallback every other platform uses is checked on this one too.
 */
#undef __SSE2__
#include "byteblocks.h"

#include "bytes_portable.h"

unsigned portable_block_eq(const char *p, char c)
{
    return oct_block_eq(oct_block_load(p), c);
}

unsigned portable_block_high(const char *p)
{
    return oct_block_high(oct_block_load(p));
}

unsigned portable_block_below(const char *p, char c)
{
    return oct_block_below(oct_block_load(p), c);
}

unsigned portable_block_high_or_eq(const char *p, char c)
{
    return oct_block_high_or_eq(oct_block_load(p), c);
}

unsigned portable_block_not_plain(const char *p)
{
    return oct_block_not_plain(oct_block_load(p));
}

unsigned portable_block_letters(const char *p)
{
    return oct_block_letters(oct_block_load(p));
}

unsigned portable_block_digits(const char *p)
{
    return oct_block_digits(oct_block_load(p));
}
