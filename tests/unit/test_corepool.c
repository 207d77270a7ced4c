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

/*
 * Many cores, little memory (255 cores in 512 MiB): half the node would
 * give 0.86 MiB each, so pools take up to 7/8 of it instead, at most
 * COREPOOL_LEAN each; an eighth stays for the monitors.
 */
static void test_lean_share(void)
{
	static struct topo t;
	topo_init(&t);
	add_cores(&t, 255, 0);
	CHECK_EQ(topo_finish(&t), ERR_OK);
	struct mem_ranges fr;
	memrange_init(&fr);
	memrange_add(&fr, 72 * MiB, 512 * MiB);
	static struct corepool p[255];
	CHECK_EQ(corepool_plan(&fr, &t, 1, 255, p), 254u);
	uint64_t want = (440 * MiB / 8 * 7 / 254) & ~4095ull;
	for (unsigned i = 1; i < 255; i++)
		CHECK_EQ(p[i].size, want);
	CHECK(want > 3 * MiB / 2 && want < COREPOOL_LEAN);
	CHECK(memrange_total(&fr) >= 440 * MiB / 8);

	/* half gives 1.97 MiB each, 7/8 would give 3.4: capped at COREPOOL_LEAN */
	memrange_init(&fr);
	memrange_add(&fr, 0, 1000 * MiB);
	CHECK_EQ(corepool_plan(&fr, &t, 1, 255, p), 254u);
	CHECK_EQ(p[1].size, COREPOOL_LEAN);
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
	CHECK_EQ(corepool_plan(&fr, &t, 1, 4, p), 3u);  /* node 1 has no RAM: node 0's */
	for (unsigned i = 1; i < 4; i++) {
		CHECK_EQ(p[i].err, ERR_OK);
		CHECK_EQ(p[i].node, 0u);
		CHECK(corepool_in_node(&t, 0, p[i].base, p[i].size));
		CHECK_EQ(corepool_node_of(&t, p[i].base, p[i].size), 0);
		for (unsigned j = 1; j < i; j++)
			CHECK(!overlaps(&p[i], &p[j]));
	}
	CHECK_EQ(p[1].borrowed, 0u);
	CHECK_EQ(p[2].borrowed, 1u);
	CHECK_EQ(p[3].borrowed, 1u);
	CHECK_EQ(p[2].size, p[1].size);  /* borrowers share node 0 like its own cores */
}

/* Node 2 has no memory; node 1 is nearer to it than node 0 (SLIT). */
static void test_nearest_node_by_distance(void)
{
	struct topo t;
	topo_init(&t);
	add_cores(&t, 6, 2);
	CHECK_EQ(topo_add_mem(&t, 0, 0, 1 * GiB), ERR_OK);
	CHECK_EQ(topo_add_mem(&t, 1, 1 * GiB, 1 * GiB), ERR_OK);
	CHECK_EQ(topo_set_dist(&t, 2, 0, 30), ERR_OK);
	CHECK_EQ(topo_set_dist(&t, 2, 1, 15), ERR_OK);
	CHECK_EQ(topo_finish(&t), ERR_OK);
	struct mem_ranges fr;
	memrange_init(&fr);
	memrange_add(&fr, 1 * MiB, 2 * GiB);
	struct corepool p[6];
	CHECK_EQ(corepool_plan(&fr, &t, 1, 6, p), 5u);
	CHECK_EQ(p[4].node, 1u);
	CHECK_EQ(p[5].node, 1u);
	CHECK_EQ(p[4].borrowed, 1u);
	CHECK_EQ(p[3].node, 1u);
	CHECK_EQ(p[3].borrowed, 0u);
	CHECK(corepool_in_node(&t, 1, p[5].base, p[5].size));
}

/* A small node 0 (3 MiB free for 3 cores): the third core borrows from node 1. */
static void test_small_node(void)
{
	struct topo t;
	topo_init(&t);
	add_cores(&t, 6, 3);
	CHECK_EQ(topo_add_mem(&t, 0, 0, 64 * MiB), ERR_OK);
	CHECK_EQ(topo_add_mem(&t, 1, 64 * MiB, 448 * MiB), ERR_OK);
	CHECK_EQ(topo_finish(&t), ERR_OK);
	struct mem_ranges fr;
	memrange_init(&fr);
	memrange_add(&fr, 61 * MiB, 512 * MiB);          /* node 0: 3 MiB left */
	struct corepool p[6];
	CHECK_EQ(corepool_plan(&fr, &t, 1, 6, p), 5u);
	unsigned own0 = 0, borrowed = 0;
	for (unsigned i = 1; i < 6; i++) {
		CHECK_EQ(p[i].err, ERR_OK);
		CHECK_EQ(corepool_node_of(&t, p[i].base, p[i].size), (int)p[i].node);
		own0 += i < 3 && p[i].node == 0;
		borrowed += p[i].borrowed;
		for (unsigned j = 1; j < i; j++)
			CHECK(!overlaps(&p[i], &p[j]));
	}
	CHECK_EQ(own0, 2u);          /* two minimum pools fit in node 0's 3 MiB ... */
	CHECK_EQ(borrowed, 0u);      /* ... and no core of node 0 needed a third */
	/* With a third core on node 0 (cores 0-3 on node 0), one must borrow. */
	topo_init(&t);
	add_cores(&t, 8, 4);
	CHECK_EQ(topo_add_mem(&t, 0, 0, 64 * MiB), ERR_OK);
	CHECK_EQ(topo_add_mem(&t, 1, 64 * MiB, 448 * MiB), ERR_OK);
	CHECK_EQ(topo_finish(&t), ERR_OK);
	memrange_init(&fr);
	memrange_add(&fr, 62 * MiB, 512 * MiB);          /* node 0: 2 MiB left */
	struct corepool q[8];
	CHECK_EQ(corepool_plan(&fr, &t, 1, 8, q), 7u);
	CHECK_EQ(q[1].node, 0u);
	CHECK_EQ(q[2].node, 0u);
	CHECK_EQ(q[3].node, 1u);
	CHECK_EQ(q[3].borrowed, 1u);
	CHECK(corepool_in_node(&t, 1, q[3].base, q[3].size));
}

/* No node at all has memory for one more core: that core is left out, reported. */
static void test_no_node_has_room(void)
{
	struct topo t;
	topo_init(&t);
	add_cores(&t, 4, 2);
	CHECK_EQ(topo_add_mem(&t, 0, 0, 64 * MiB), ERR_OK);
	CHECK_EQ(topo_add_mem(&t, 1, 64 * MiB, 64 * MiB), ERR_OK);
	CHECK_EQ(topo_finish(&t), ERR_OK);
	struct mem_ranges fr;
	memrange_init(&fr);
	memrange_add(&fr, 62 * MiB, 65 * MiB);           /* 2 MiB in node 0, 1 in node 1 */
	struct corepool p[4];
	CHECK_EQ(corepool_plan(&fr, &t, 1, 4, p), 3u);
	memrange_init(&fr);
	memrange_add(&fr, 63 * MiB, 65 * MiB);           /* 1 + 1 MiB for 3 cores */
	CHECK_EQ(corepool_plan(&fr, &t, 1, 4, p), 2u);
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
	RUN(test_lean_share);
	RUN(test_numa_pools_in_node);
	RUN(test_node_without_memory);
	RUN(test_nearest_node_by_distance);
	RUN(test_small_node);
	RUN(test_no_node_has_room);
	RUN(test_too_little_memory);
	RUN(test_fragmented);
	return test_summary();
}
