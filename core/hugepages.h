/* hugepages.h — transparent huge pages for big buffers (see hugepages.c). */
#ifndef OCTAVO_HUGEPAGES_H
#define OCTAVO_HUGEPAGES_H

#include <stddef.h>

/* The size of one transparent huge page on x86-64 and arm64 (4 KiB base). */
#define OCT_HUGE_PAGE ((size_t)2 << 20)

/* Asks the kernel to back the whole huge pages inside [p, p+len) with huge
 * pages; does nothing where unsupported. */
void oct_hint_huge_pages(void *p, size_t len);
/* malloc(len), except from half a megabyte on: 2 MiB-aligned and hinted,
 * and below 2 MiB rounded up to one whole huge page (oct_huge_size() says
 * how much is really there). Released with free(). */
void *oct_alloc_huge(size_t len);
/* The bytes oct_alloc_huge(len) really gives. */
size_t oct_huge_size(size_t len);

#endif
