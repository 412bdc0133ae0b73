/*
 * hugepages.c — big buffers asked to live on 2 MiB pages.
 *
 * A 50 MB text makes about 150 MB of input buffer, tree and text, touched
 * once each: on 4 KiB pages that is some 37,000 page faults, and the kernel's
 * share of a whole conversion was a third of its time. Linux's transparent
 * huge pages, which Debian enables for regions that ask (madvise mode), take
 * that to under a hundred faults. Only buffers of several megabytes ask: a
 * huge page is resident as a whole, which small documents should not pay.
 */
#include "hugepages.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE ((size_t)2 << 20)

void oct_hint_huge_pages(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    if (!p || len < 2 * HUGE_PAGE) return;
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t start = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t end = (uintptr_t)p + len;
    if (end <= start) return;
    /* Advice only: on a kernel without THP it fails, and nothing changes. */
    (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p;
    (void)len;
#endif
}

void *oct_alloc_huge(size_t len)
{
    void *p = NULL;
    /* aligned, so every 2 MiB of it can be one huge page */
    if (len < 2 * HUGE_PAGE || posix_memalign(&p, HUGE_PAGE, len) != 0) return malloc(len);
    oct_hint_huge_pages(p, len);
    return p;
}
