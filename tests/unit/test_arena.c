/* Unit tests of the document arena's block sizes (core/arena.c, compiled in:
 * it is internal to liboctavo): reservations, and blocks that fill whole
 * huge pages. Whether the kernel then backs them with huge pages is its
 * business, measured in bench/, not asserted here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "hugepages.h"

/* What a block's header may take: the arena keeps max_align_t alignment. */
#define HEADER_AT_MOST ((size_t)64)

static int on_huge_page_boundary(const void *first_byte_of_block)
{
    return (uintptr_t)first_byte_of_block % OCT_HUGE_PAGE <= HEADER_AT_MOST;
}

/* Allocates n bytes in pieces of piece bytes; returns the first piece. */
static unsigned char *fill(oct_arena *a, size_t n, size_t piece)
{
    unsigned char *first = NULL;
    for (size_t done = 0; done < n; done += piece) {
        unsigned char *p = oct_arena_alloc(a, piece);
        assert_non_null(p);
        if (!first) first = p;
    }
    return first;
}

static void test_reserve_makes_one_huge_block(void **state)
{
    (void)state;
    oct_arena a;
    oct_arena_init(&a);
    oct_arena_reserve(&a, 900 * 1024);
    /* one whole huge page, less the block's header */
    assert_true(a.total >= 900 * 1024);
    assert_true(a.total < OCT_HUGE_PAGE && a.total + HEADER_AT_MOST >= OCT_HUGE_PAGE);
    const size_t reserved = a.total;
    unsigned char *first = fill(&a, 900 * 1024, 1024);
    assert_int_equal(a.total, reserved); /* no block beyond the reserved one */
    assert_true(on_huge_page_boundary(first));
    oct_arena_free(&a);
    assert_int_equal(a.total, 0);
}

static void test_small_reserve_is_left_to_doublings(void **state)
{
    (void)state;
    oct_arena a;
    oct_arena_init(&a);
    oct_arena_reserve(&a, 100 * 1024);
    assert_int_equal(a.total, 0);
    assert_non_null(oct_arena_alloc(&a, 16));
    assert_true(a.total < 100 * 1024); /* the first block stays small */
    oct_arena_free(&a);
}

static void test_reserve_with_room_does_nothing(void **state)
{
    (void)state;
    oct_arena a;
    oct_arena_init(&a);
    oct_arena_reserve(&a, 3 << 20);
    const size_t reserved = a.total;
    assert_true(reserved >= 3 << 20);
    oct_arena_reserve(&a, 1 << 20);
    assert_int_equal(a.total, reserved);
    oct_arena_free(&a);
}

/* Grown blocks from 2 MiB on take whole huge pages: up to the largest,
 * 8 MiB, whose header would otherwise spill into a fifth. */
static void test_grown_blocks_fill_huge_pages(void **state)
{
    (void)state;
    oct_arena a;
    oct_arena_init(&a);
    size_t before = 0, huge_blocks = 0;
    for (size_t done = 0; done < (size_t)40 << 20; done += 4096) {
        unsigned char *p = oct_arena_alloc(&a, 4096);
        assert_non_null(p);
        assert_int_equal(p[0] | p[4095], 0); /* zeroed */
        p[0] = p[4095] = 1;
        if (a.total == before) continue;
        const size_t block = a.total - before;
        before = a.total;
        if (block < OCT_HUGE_PAGE - HEADER_AT_MOST) continue;
        huge_blocks++;
        assert_true((block + HEADER_AT_MOST) % OCT_HUGE_PAGE <= HEADER_AT_MOST);
        assert_true(block < ((size_t)8 << 20));
        assert_true(on_huge_page_boundary(p));
    }
    assert_true(huge_blocks >= 4);
    /* blocks double, so at most about half of what was made is unused */
    assert_true(a.total < (size_t)2 * (40 << 20));
    oct_arena_free(&a);
}

/* A request bigger than any block still gets memory, after a reservation
 * as without one, and strings keep their bytes. */
static void test_oversized_after_reserve(void **state)
{
    (void)state;
    oct_arena a;
    oct_arena_init(&a);
    oct_arena_reserve(&a, 600 * 1024);
    unsigned char *big = oct_arena_alloc(&a, (size_t)12 << 20);
    assert_non_null(big);
    memset(big, 7, (size_t)12 << 20);
    char *s = oct_arena_strndup(&a, "kept", 4);
    assert_string_equal(s, "kept");
    assert_int_equal(big[((size_t)12 << 20) - 1], 7);
    oct_arena_free(&a);
}

static void test_huge_size(void **state)
{
    (void)state;
    assert_int_equal(oct_huge_size(1000), 1000);
    assert_int_equal(oct_huge_size(600 * 1024), OCT_HUGE_PAGE);
    assert_int_equal(oct_huge_size(OCT_HUGE_PAGE + 1), OCT_HUGE_PAGE + 1);
    void *p = oct_alloc_huge(600 * 1024);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % OCT_HUGE_PAGE, 0);
    memset(p, 1, OCT_HUGE_PAGE); /* all of the huge page is there */
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reserve_makes_one_huge_block),
        cmocka_unit_test(test_small_reserve_is_left_to_doublings),
        cmocka_unit_test(test_reserve_with_room_does_nothing),
        cmocka_unit_test(test_grown_blocks_fill_huge_pages),
        cmocka_unit_test(test_oversized_after_reserve),
        cmocka_unit_test(test_huge_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
