/* hugepages.h — transparent huge pages for big buffers (see hugepages.c). */
#ifndef OCTAVO_HUGEPAGES_H
#define OCTAVO_HUGEPAGES_H

#include <stddef.h>

/* Asks the kernel to back [p, p+len) with huge pages when len is several
 * megabytes; does nothing for smaller buffers or where unsupported. */
void oct_hint_huge_pages(void *p, size_t len);
/* malloc(len), 2 MiB-aligned and hinted when len is several megabytes;
 * released with free(). */
void *oct_alloc_huge(size_t len);

#endif
