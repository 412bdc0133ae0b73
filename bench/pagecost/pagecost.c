/*
 * pagecost.c — what touching fresh memory costs on this machine: 4 KiB
 * pages against 2 MiB transparent huge pages (core/hugepages.h decides
 * from these figures which buffers ask for huge pages).
 *
 *   cc -O2 -o /tmp/pagecost bench/pagecost/pagecost.c && /tmp/pagecost [MiB] [rounds]
 *
 * Each round maps MiB (32 by default) of fresh anonymous memory, 2 MiB
 * aligned, once as it is and once with MADV_HUGEPAGE, writes one byte in
 * every 4 KiB page and unmaps it. It prints each round's cost per 4 KiB of
 * memory and per 2 MiB, then the medians. The first huge-page round after
 * the machine has been idle can cost ten times the others: the kernel, or
 * the host under it, finds fresh huge pages then.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define HUGE_PAGE ((size_t)2 << 20)
#define MAX_ROUNDS 64

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* Microseconds to map, touch and unmap bytes of fresh memory. */
static double touch_fresh(size_t bytes, int huge)
{
    const double t0 = now_us();
    char *map = mmap(NULL, bytes + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
    if (map == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    char *p = (char *)(((uintptr_t)map + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (huge)
        (void)madvise(p, bytes, MADV_HUGEPAGE);
    for (size_t i = 0; i < bytes; i += 4096)
        p[i] = 1;
    munmap(map, bytes + HUGE_PAGE);
    return now_us() - t0;
}

static int by_value(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 32;
    int rounds = argc > 2 ? atoi(argv[2]) : 9;
    if (mib < 2 || rounds < 1 || rounds > MAX_ROUNDS) {
        fprintf(stderr, "usage: pagecost [MiB >= 2] [rounds 1..%d]\n", MAX_ROUNDS);
        return 2;
    }
    const size_t bytes = mib << 20;
    const double small_pages = (double)(bytes / 4096), huge_pages = (double)(bytes / HUGE_PAGE);
    double small[MAX_ROUNDS], huge[MAX_ROUNDS];
    for (int r = 0; r < rounds; r++) {
        small[r] = touch_fresh(bytes, 0);
        huge[r] = touch_fresh(bytes, 1);
        printf("round %d: 4 KiB pages %.2f us each; huge pages %.0f us each (%.2f us per 4 KiB)\n",
               r + 1, small[r] / small_pages, huge[r] / huge_pages, huge[r] / small_pages);
    }
    qsort(small, (size_t)rounds, sizeof small[0], by_value);
    qsort(huge, (size_t)rounds, sizeof huge[0], by_value);
    const double s = small[rounds / 2], h = huge[rounds / 2];
    printf("median: a 4 KiB page %.2f us; a 2 MiB huge page %.0f us, as much as %.0f small ones\n",
           s / small_pages, h / huge_pages, h / huge_pages / (s / small_pages));
    return 0;
}
