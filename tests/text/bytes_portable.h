/*
 * bytes_portable.h — the block masks of core/shared/byteblocks.h as the
 * portable code computes them, for comparison with the SSE2 ones.
 */
#ifndef OCTAVO_TEST_BYTES_PORTABLE_H
#define OCTAVO_TEST_BYTES_PORTABLE_H

unsigned portable_block_eq(const char *p, char c);
unsigned portable_block_high(const char *p);
unsigned portable_block_below(const char *p, char c);
unsigned portable_block_high_or_eq(const char *p, char c);
unsigned portable_block_not_plain(const char *p);
unsigned portable_block_letters(const char *p);
unsigned portable_block_digits(const char *p);

#endif
