/*
 * hugepages.c — big buffers asked to live on 2 MiB pages.
 *
 * Every 4 KiB page a process touches for the first time costs a page fault.
 * On the virtual machines CI runs on, one costs about 2 µs, while a 2 MiB
 * huge page costs about 60 µs, the price of 30 small ones, for 512 pages'
 * worth. A text book of 0.8 MB made 1,070 faults, a third of them for its
 * input buffer and tree, and the kernel's share of the conversion was a
 * third of its time; a 50 MB text made some 37,000. Linux's transparent huge
 * pages, which Debian enables for regions that ask (madvise mode), take such
 * buffers to a few faults each.
 *
 * A huge page is resident as a whole once touched, so only buffers from half
 * a megabyte on ask: small documents stay small, and a buffer that big will
 * be filled (an input read into it, an arena block used before the next is
 * made) so at most 1.5 MiB is resident that 4 KiB pages would have spared.
 */
#include "hugepages.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_FROM (OCT_HUGE_PAGE / 4)

void oct_hint_huge_pages(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    if (!p || len < OCT_HUGE_PAGE) return;
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

size_t oct_huge_size(size_t len)
{
    return len >= HUGE_FROM && len < OCT_HUGE_PAGE ? OCT_HUGE_PAGE : len;
}

void *oct_alloc_huge(size_t len)
{
    void *p = NULL;
    if (len < HUGE_FROM) return malloc(len);
    len = oct_huge_size(len);
    /* aligned, so every 2 MiB of it can be one huge page */
    if (posix_memalign(&p, OCT_HUGE_PAGE, len) != 0) return malloc(len);
    oct_hint_huge_pages(p, len);
    return p;
}
