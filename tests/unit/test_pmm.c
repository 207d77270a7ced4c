/* Host tests for cpudriver/pmm.c over a malloc'd "physical" range. */
#define TEST_PROGRAM "pmm"
#include "test.h"
#include <kernel/pmm.h>
#include <stdlib.h>

#define BASE 0x400000ull

static void *mem;

static void pool(struct pmm_pool *p, uint64_t frames)
{
	free(mem);
	mem = aligned_alloc(4096, frames * PAGE_SIZE);
	CHECK_EQ(pmm_pool_init(p, BASE, frames * PAGE_SIZE, mem), ERR_OK);
}

static void t_init_rejects_bad_ranges(void)
{
	struct pmm_pool p;
	char buf[4096];
	CHECK_EQ(pmm_pool_init(&p, BASE + 1, 8 * PAGE_SIZE, buf), ERR_INVAL);
	CHECK_EQ(pmm_pool_init(&p, BASE, 8 * PAGE_SIZE + 3, buf), ERR_INVAL);
	CHECK_EQ(pmm_pool_init(&p, BASE, PAGE_SIZE, buf), ERR_INVAL); /* only the bitmap */
}

static void t_alloc_all_distinct(void)
{
	struct pmm_pool p;
	pool(&p, 300);
	uint64_t n = p.free, pa;
	static unsigned char seen[300];
	for (uint64_t i = 0; i < n; i++) {
		CHECK_EQ(pmm_alloc(&p, &pa), ERR_OK);
		CHECK(pmm_owns(&p, pa) && (pa & 0xfff) == 0);
		uint64_t idx = (pa - BASE) / PAGE_SIZE;
		CHECK(idx >= p.reserved && !seen[idx]);
		seen[idx] = 1;
	}
	CHECK_EQ(pmm_alloc(&p, &pa), ERR_NOMEM);
	CHECK_EQ(p.free, 0);
}

static void t_free_validates(void)
{
	struct pmm_pool p;
	uint64_t pa;
	pool(&p, 64);
	CHECK_EQ(pmm_alloc(&p, &pa), ERR_OK);
	CHECK_EQ(pmm_free(&p, pa + 8, 1), ERR_RANGE);       /* unaligned */
	CHECK_EQ(pmm_free(&p, BASE - PAGE_SIZE, 1), ERR_RANGE); /* not ours */
	CHECK_EQ(pmm_free(&p, BASE, 1), ERR_RANGE);         /* the bitmap frame */
	CHECK_EQ(pmm_free(&p, pa, 1000), ERR_RANGE);        /* runs past the end */
	CHECK_EQ(pmm_free(&p, pa, 2), ERR_INVAL);           /* second frame is free */
	CHECK_EQ(pmm_free(&p, pa, 1), ERR_OK);
	CHECK_EQ(pmm_free(&p, pa, 1), ERR_INVAL);           /* double free */
	CHECK_EQ(p.free, 63);
}

static void t_contig_aligned(void)
{
	struct pmm_pool p;
	uint64_t a, b, c;
	pool(&p, 128);
	CHECK_EQ(pmm_alloc(&p, &a), ERR_OK);
	CHECK_EQ(pmm_alloc_contig(&p, 16, 16, &b), ERR_OK);
	CHECK_EQ(((b - BASE) / PAGE_SIZE) % 16, 0);
	CHECK_EQ(pmm_alloc_contig(&p, 200, 1, &c), ERR_NOMEM);
	CHECK_EQ(pmm_free(&p, b, 16), ERR_OK);
	CHECK_EQ(pmm_alloc_contig(&p, 0, 1, &c), ERR_INVAL);
}

int main(void)
{
	RUN(t_init_rejects_bad_ranges);
	RUN(t_alloc_all_distinct);
	RUN(t_free_validates);
	RUN(t_contig_aligned);
	free(mem);
	return test_summary();
}
