/* Host tests for cpudriver/memrange.c, checked against a byte-map model. */
#define TEST_PROGRAM "memrange"
#include "test.h"
#include <kernel/memrange.h>
#include <stdlib.h>

static void t_add_merges(void)
{
	struct mem_ranges m;
	memrange_init(&m);
	CHECK_EQ(memrange_add(&m, 100, 200), ERR_OK);
	CHECK_EQ(memrange_add(&m, 300, 400), ERR_OK);
	CHECK_EQ(memrange_add(&m, 200, 300), ERR_OK); /* touching both: one range */
	CHECK_EQ(m.count, 1);
	CHECK_EQ(m.r[0].base, 100);
	CHECK_EQ(m.r[0].end, 400);
	CHECK_EQ(memrange_add(&m, 50, 60), ERR_OK);
	CHECK_EQ(m.count, 2);
	CHECK_EQ(m.r[0].base, 50);
	CHECK_EQ(memrange_add(&m, 10, 5), ERR_INVAL);
}

static void t_remove_splits(void)
{
	struct mem_ranges m;
	memrange_init(&m);
	memrange_add(&m, 0, 1000);
	CHECK_EQ(memrange_remove(&m, 100, 200), ERR_OK);
	CHECK_EQ(m.count, 2);
	CHECK_EQ(memrange_total(&m), 900);
	CHECK_EQ(memrange_remove(&m, 0, 1000), ERR_OK);
	CHECK_EQ(m.count, 0);
}

static void t_full_is_an_error(void)
{
	struct mem_ranges m;
	memrange_init(&m);
	for (int i = 0; i < MEMRANGE_MAX; i++)
		CHECK_EQ(memrange_add(&m, (uint64_t)i * 10, (uint64_t)i * 10 + 5), ERR_OK);
	CHECK_EQ(memrange_add(&m, 10000, 10005), ERR_FULL);
	memrange_init(&m);
	for (int i = 0; i < MEMRANGE_MAX - 1; i++)
		memrange_add(&m, (uint64_t)i * 10, (uint64_t)i * 10 + 5);
	memrange_add(&m, 10000, 20000);
	CHECK_EQ(memrange_remove(&m, 12000, 13000), ERR_FULL); /* split needs a 65th slot */
	CHECK_EQ(memrange_total(&m), (MEMRANGE_MAX - 1) * 5 + 10000); /* unchanged */
}

static void t_take_aligned(void)
{
	struct mem_ranges m;
	uint64_t base = 0;
	memrange_init(&m);
	memrange_add(&m, 0x1000, 0x5000);
	memrange_add(&m, 0x10000, 0x30000);
	CHECK_EQ(memrange_take(&m, 0x4000, 0x10000, 0, UINT64_MAX, &base), ERR_OK);
	CHECK_EQ(base, 0x10000);
	CHECK_EQ(memrange_take(&m, 0x100000, 0x1000, 0, UINT64_MAX, &base), ERR_NOMEM);
	CHECK_EQ(memrange_take(&m, 0x1000, 0x1000, 0x20000, 0x21000, &base), ERR_OK);
	CHECK_EQ(base, 0x20000);
	CHECK_EQ(memrange_take(&m, 0x1000, 3, 0, UINT64_MAX, &base), ERR_INVAL);
	CHECK_EQ(memrange_total_within(&m, 0, 0x5000), 0x4000);
}

/* Random operations against a byte map of 4096 addresses. */
static void t_random_against_model(void)
{
	enum { N = 4096 };
	static unsigned char model[N];
	struct mem_ranges m;
	memrange_init(&m);
	srand(7);
	for (int step = 0; step < 20000; step++) {
		uint64_t a = (uint64_t)rand() % N, b = a + (uint64_t)rand() % 64;
		if (b > N)
			b = N;
		bool add = rand() & 1;
		err_t e = add ? memrange_add(&m, a, b) : memrange_remove(&m, a, b);
		if (e == ERR_FULL)
			continue;
		CHECK_EQ(e, ERR_OK);
		for (uint64_t i = a; i < b; i++)
			model[i] = add;
		uint64_t want = 0;
		for (int i = 0; i < N; i++)
			want += model[i];
		CHECK_EQ(memrange_total(&m), want);
		for (unsigned i = 0; i + 1 < m.count; i++)
			CHECK(m.r[i].end < m.r[i + 1].base); /* sorted, disjoint, merged */
	}
}

int main(void)
{
	RUN(t_add_merges);
	RUN(t_remove_splits);
	RUN(t_full_is_an_error);
	RUN(t_take_aligned);
	RUN(t_random_against_model);
	return test_summary();
}
