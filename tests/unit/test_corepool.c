/* Host tests of the per-core pool plan (cpudriver/corepool.c). */
#include "test.h"
#include <kernel/corepool.h>

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static void add_cores(struct topo *t, unsigned n, unsigned per_node)
{
	for (unsigned i = 0; i < n; i++) {
		struct topo_core c = { .apic_id = i, .core = i, .node = per_node ? i / per_node : 0 };
		CHECK_EQ(topo_add_core(t, &c), ERR_OK);
	}
}

static int overlaps(const struct corepool *a, const struct corepool *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

static void test_single_node(void)
{
	struct topo t;
	topo_init(&t);
	add_cores(&t, 4, 0);
	CHECK_EQ(topo_finish(&t), ERR_OK);
	struct mem_ranges fr;
	memrange_init(&fr);
	memrange_add(&fr, 16 * MiB, 512 * MiB);
	uint64_t before = memrange_total(&fr);
	struct corepool p[4];
	CHECK_EQ(corepool_plan(&fr, &t, 1, 4, p), 3u);
	for (unsigned i = 1; i < 4; i++) {
		CHECK_EQ(p[i].err, ERR_OK);
		CHECK_EQ(p[i].size, COREPOOL_MAX);       /* 496 MiB / 6 > 64 MiB */
		CHECK_EQ(p[i].base % (2 * MiB), 0ull);
		for (unsigned j = 1; j < i; j++)
			CHECK(!overlaps(&p[i], &p[j]));
	}
	CHECK_EQ(memrange_total(&fr), before - 3 * COREPOOL_MAX);
}

static void test_share_halves_node(void)
{
	struct topo t;
	topo_init(&t);
	add_cores(&t, 17, 0);
	CHECK_EQ(topo_finish(&t), ERR_OK);
	struct mem_ranges fr;
	memrange_init(&fr);
	memrange_add(&fr, 0, 256 * MiB);
	struct corepool p[17];
	CHECK_EQ(corepool_plan(&fr, &t, 1, 17, p), 16u);
	CHECK_EQ(p[1].size, 8 * MiB);                    /* 256 / 32 */
	CHECK(memrange_total(&fr) >= 128 * MiB);          /* half stays free */
}

static void test_numa_pools_in_node(void)
{
	struct topo t;
	topo_init(&t);
	add_cores(&t, 4, 2);
	CHECK_EQ(topo_add_mem(&t, 0, 0, 1 * GiB), ERR_OK);
	CHECK_EQ(topo_add_mem(&t, 1, 1 * GiB, 1 * GiB), ERR_OK);
	CHECK_EQ(topo_finish(&t), ERR_OK);
	struct mem_ranges fr;
	memrange_init(&fr);
	memrange_add(&fr, 1 * MiB, 2 * GiB);
	struct corepool p[4];
	CHECK_EQ(corepool_plan(&fr, &t, 1, 4, p), 3u);
	for (unsigned i = 1; i < 4; i++) {
		CHECK(corepool_in_node(&t, t.cores[i].node, p[i].base, p[i].size));
		CHECK(!corepool_in_node(&t, 1 - t.cores[i].node, p[i].base, p[i].size));
	}
}

static void test_node_without_memory(void)
{
	struct topo t;
	topo_init(&t);
	add_cores(&t, 4, 2);
	CHECK_EQ(topo_add_mem(&t, 0, 0, 1 * GiB), ERR_OK);
	CHECK_EQ(topo_finish(&t), ERR_OK);
	struct mem_ranges fr;
	memrange_init(&fr);
	memrange_add(&fr, 1 * MiB, 1 * GiB);
	struct corepool p[4];
	CHECK_EQ(corepool_plan(&fr, &t, 1, 4, p), 1u);  /* node 1 has no RAM */
	CHECK_EQ(p[1].err, ERR_OK);
	CHECK_EQ(p[2].err, ERR_NOMEM);
	CHECK_EQ(p[3].err, ERR_NOMEM);
}

static void test_too_little_memory(void)
{
	struct topo t;
	topo_init(&t);
	add_cores(&t, 8, 0);
	CHECK_EQ(topo_finish(&t), ERR_OK);
	struct mem_ranges fr;
	memrange_init(&fr);
	memrange_add(&fr, 1 * MiB, 6 * MiB);             /* 5 MiB for 7 cores */
	struct corepool p[8];
	CHECK_EQ(corepool_plan(&fr, &t, 1, 8, p), 5u);   /* the minimum, while it lasts */
	for (unsigned i = 1; i < 6; i++) {
		CHECK_EQ(p[i].err, ERR_OK);
		CHECK_EQ(p[i].size, COREPOOL_MIN);
	}
	CHECK_EQ(p[6].err, ERR_NOMEM);
	CHECK_EQ(p[7].err, ERR_NOMEM);
	CHECK_EQ(memrange_total(&fr), 0ull);
}

static void test_fragmented(void)
{
	struct topo t;
	topo_init(&t);
	add_cores(&t, 3, 0);
	CHECK_EQ(topo_finish(&t), ERR_OK);
	struct mem_ranges fr;
	memrange_init(&fr);
	memrange_add(&fr, 1 * MiB, 5 * MiB);
	memrange_add(&fr, 64 * MiB, 70 * MiB);
	struct corepool p[3];
	/* share = 10 MiB / 4 = 2.5 -> 2 MiB, 2 MiB aligned */
	CHECK_EQ(corepool_plan(&fr, &t, 1, 3, p), 2u);
	CHECK_EQ(p[1].size, 2 * MiB);
	CHECK_EQ(p[1].base, 2 * MiB);
	CHECK_EQ(p[2].base, 64 * MiB);
}

int main(void)
{
	RUN(test_single_node);
	RUN(test_share_halves_node);
	RUN(test_numa_pools_in_node);
	RUN(test_node_without_memory);
	RUN(test_too_little_memory);
	RUN(test_fragmented);
	return test_summary();
}
