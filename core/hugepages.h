/*
 * hugepages.h — big buffers asked to live on 2 MiB pages (document arenas,
 * input buffers).
 *
 * Every 4 KiB page a process touches for the first time costs a page fault.
 * On the virtual machines CI runs on, one costs about 3.7 µs, while a 2 MiB
 * huge page costs about 320 µs, the price of some 84 small ones, for 512
 * pages' worth (bench/pagecost); and a huge page takes one TLB entry where
 * 512 small ones took 512.
 * A text book of 0.8 MB made 1,070 faults, a third of them for its input
 * buffer and tree, and the kernel's share of the conversion was a third of
 * its time; a 50 MB text made some 37,000. Linux's transparent huge pages,
 * which Debian enables for regions that ask (madvise mode), take such
 * buffers to a few faults each.
 *
 * Not for memory that is freed and made again and again: each new huge page
 * is zeroed whole, 2 MiB at a time. The HTML reader's page memory, 1 MiB
 * chunks that malloc hands from one page to the next, came out no faster on
 * huge pages (fewer faults, as much more zeroing) and took more memory.
 *
 * A huge page is resident as a whole once touched, so only buffers from half
 * a megabyte on ask (128 small pages, more than the 84 a huge page costs),
 * and only those that will be filled (an input read into it, an arena block
 * used before the next is made): at most 1.5 MiB is then resident that 4 KiB
 * pages would have spared.
 */
#ifndef OCTAVO_HUGEPAGES_H
#define OCTAVO_HUGEPAGES_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* The size of one transparent huge page on x86-64 and arm64 (4 KiB base). */
#define OCT_HUGE_PAGE ((size_t)2 << 20)
/* From here on oct_alloc_huge asks for huge pages. */
#define OCT_HUGE_FROM (OCT_HUGE_PAGE / 4)

/* Asks the kernel to back the whole huge pages inside [p, p+len) with huge
 * pages; does nothing where unsupported. */
static inline void oct_hint_huge_pages(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    if (!p || len < OCT_HUGE_PAGE) return;
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    const uintptr_t start = ((uintptr_t)p + page - 1) & ~(page - 1);
    const uintptr_t end = (uintptr_t)p + len;
    if (end <= start) return;
    /* Advice only: on a kernel without THP it fails, and nothing changes. */
    (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p;
    (void)len;
#endif
}

/* The bytes oct_alloc_huge(len) really gives: below 2 MiB, from
 * OCT_HUGE_FROM on, one whole huge page. */
static inline size_t oct_huge_size(size_t len)
{
    return len >= OCT_HUGE_FROM && len < OCT_HUGE_PAGE ? OCT_HUGE_PAGE : len;
}

/* malloc(len), except from OCT_HUGE_FROM on: 2 MiB-aligned, hinted, and
 * oct_huge_size(len) long. Released with free(). */
static inline void *oct_alloc_huge(size_t len)
{
    void *p = NULL;
    if (len < OCT_HUGE_FROM) return malloc(len);
    len = oct_huge_size(len);
    /* aligned, so every 2 MiB of it can be one huge page */
    if (posix_memalign(&p, OCT_HUGE_PAGE, len) != 0) return malloc(len);
    oct_hint_huge_pages(p, len);
    return p;
}

#endif
