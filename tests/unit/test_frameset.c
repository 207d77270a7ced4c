/*
 * Host tests for monitor/frameset.c (a monitor's bitmap allocator) and
 * monitor/memshare.c (the split of the monitors' memory among them).
 *
 *   alloc_free      every frame handed out once, ERR_NOMEM when exhausted,
 *                   each freed frame handed out again
 *   first_fit       the lowest free frame is handed out first: a freed one
 *                   is the next one out
 *   coalesce        two freed neighbours make room for one run spanning both;
 *                   a run never crosses an extent's end
 *   aligned         a run whose first frame is aligned (a restarted core's pool)
 *   refusals        double free (ERR_FREED), a foreign or unaligned frame
 *                   (ERR_FOREIGN), each changing nothing
 *   reattach        a bitmap kept (a restarted monitor) keeps what was used
 *   add_checks      overlapping, unaligned, empty extents refused
 *   random          10 000 random alloc/free against a model
 *   share_split     a node's ranges cut into equal shares, one per core,
 *                   covering every frame exactly once, owner of each frame
 *   share_coreless  a node without cores: its memory goes to the nearest
 *                   node's cores; a memoryless node's cores ask there
 *   candidates      self first, then its node's others, then by distance
 */
#define TEST_PROGRAM "frameset"
#include "test.h"
#include <stdlib.h>
#include <monitor/frameset.h>
#include <monitor/memshare.h>

#define P FRAMESET_PAGE

static uint64_t bits[64];

static void two_extents(struct frameset *s)
{
	frameset_init(s);
	CHECK_EQ(frameset_add(s, 0x100000, 8), ERR_OK);
	CHECK_EQ(frameset_add(s, 0x800000, 4), ERR_OK);
	frameset_attach(s, bits, true);
	CHECK_EQ(s->nfree, 12);
}

static void t_alloc_free(void)
{
	struct frameset s;
	uint64_t pa[12], again;
	two_extents(&s);
	for (unsigned i = 0; i < 12; i++) {
		CHECK_EQ(frameset_alloc(&s, 1, &pa[i]), ERR_OK);
		CHECK(frameset_contains(&s, pa[i]));
		for (unsigned j = 0; j < i; j++)
			CHECK(pa[j] != pa[i]);
	}
	CHECK_EQ(s.nfree, 0);
	CHECK_EQ(frameset_alloc(&s, 1, &again), ERR_NOMEM);
	CHECK_EQ(frameset_free(&s, pa[5]), ERR_OK);
	CHECK_EQ(frameset_free(&s, pa[11]), ERR_OK);
	CHECK_EQ(s.nfree, 2);
	uint64_t a, b;
	CHECK_EQ(frameset_alloc(&s, 1, &a), ERR_OK);
	CHECK_EQ(frameset_alloc(&s, 1, &b), ERR_OK);
	CHECK((a == pa[5] && b == pa[11]) || (a == pa[11] && b == pa[5]));
	CHECK_EQ(frameset_alloc(&s, 1, &again), ERR_NOMEM);
}

static void t_first_fit(void)
{
	struct frameset s;
	uint64_t a, b, c, d;
	two_extents(&s);
	CHECK_EQ(frameset_alloc(&s, 1, &a), ERR_OK);
	CHECK_EQ(frameset_alloc(&s, 1, &b), ERR_OK);
	CHECK_EQ(frameset_alloc(&s, 1, &c), ERR_OK);
	CHECK(a == 0x100000 && b == a + P && c == b + P);
	CHECK_EQ(frameset_free(&s, b), ERR_OK);
	CHECK_EQ(frameset_alloc(&s, 1, &d), ERR_OK);
	CHECK_EQ(d, b);
	CHECK_EQ(frameset_free(&s, c), ERR_OK);
	CHECK_EQ(frameset_free(&s, a), ERR_OK);
	CHECK_EQ(frameset_alloc(&s, 2, &d), ERR_OK); /* a alone is too short: c and on */
	CHECK_EQ(d, c);
	CHECK_EQ(frameset_alloc(&s, 1, &d), ERR_OK);
	CHECK_EQ(d, a);
}

static void t_coalesce(void)
{
	struct frameset s;
	uint64_t a, b, c, run;
	two_extents(&s);
	CHECK_EQ(frameset_alloc(&s, 3, &a), ERR_OK);
	CHECK_EQ(frameset_alloc(&s, 3, &b), ERR_OK);
	CHECK_EQ(frameset_alloc(&s, 2, &c), ERR_OK); /* first extent full now */
	CHECK_EQ(b, a + 3 * P);
	CHECK_EQ(frameset_alloc(&s, 5, &run), ERR_NOMEM); /* 4 left, in the other extent */
	for (unsigned i = 0; i < 3; i++) {
		CHECK_EQ(frameset_free(&s, a + i * P), ERR_OK);
		CHECK_EQ(frameset_free(&s, b + i * P), ERR_OK);
	}
	CHECK_EQ(frameset_alloc(&s, 6, &run), ERR_OK);
	CHECK_EQ(run, a);
	/* 4 free at 0x800000 but never 5 across extents */
	CHECK_EQ(frameset_alloc(&s, 5, &run), ERR_NOMEM);
	CHECK_EQ(frameset_alloc(&s, 4, &run), ERR_OK);
	CHECK_EQ(run, 0x800000);
	CHECK_EQ(s.nfree, 0);
}

static void t_aligned(void)
{
	struct frameset s;
	uint64_t a, b, c;
	two_extents(&s);
	CHECK_EQ(frameset_alloc(&s, 1, &a), ERR_OK);
	CHECK_EQ(frameset_alloc_aligned(&s, 2, 4 * P, &b), ERR_OK);
	CHECK_EQ(b, 0x104000);
	CHECK_EQ(frameset_alloc(&s, 1, &c), ERR_OK);
	CHECK_EQ(c, 0x101000);
	CHECK_EQ(frameset_alloc_aligned(&s, 4, 0x800000, &b), ERR_OK); /* only the other extent */
	CHECK_EQ(b, 0x800000);
	CHECK_EQ(frameset_alloc_aligned(&s, 1, 0x800000, &b), ERR_NOMEM);
	CHECK_EQ(frameset_alloc_aligned(&s, 1, 3 * P, &b), ERR_NOMEM); /* not a power of two */
	CHECK_EQ(s.nfree, 12 - 8);
}

static void t_refusals(void)
{
	struct frameset s;
	uint64_t a;
	two_extents(&s);
	CHECK_EQ(frameset_alloc(&s, 1, &a), ERR_OK);
	CHECK_EQ(frameset_free(&s, a), ERR_OK);
	CHECK_EQ(frameset_free(&s, a), ERR_FREED);
	CHECK_EQ(frameset_free(&s, 0x100000 + 7 * P), ERR_FREED); /* never handed out */
	CHECK_EQ(frameset_free(&s, 0x100000 + 8 * P), ERR_FOREIGN); /* just past the extent */
	CHECK_EQ(frameset_free(&s, 0x800000 + 4 * P), ERR_FOREIGN);
	CHECK_EQ(frameset_free(&s, 0x100001), ERR_FOREIGN);
	CHECK_EQ(frameset_free(&s, 0), ERR_FOREIGN);
	CHECK_EQ(s.nfree, 12);
	CHECK_EQ(frameset_reserve(&s, 0x800000), ERR_OK);
	CHECK_EQ(frameset_reserve(&s, 0x800000), ERR_EXIST);
	CHECK_EQ(frameset_reserve(&s, 0x900000), ERR_FOREIGN);
	CHECK_EQ(s.nfree, 11);
	CHECK(frameset_used(&s, 0x800000));
	CHECK(!frameset_used(&s, 0x801000));
}

static void t_reattach(void)
{
	struct frameset s, t;
	uint64_t a, b, c;
	two_extents(&s);
	CHECK_EQ(frameset_alloc(&s, 1, &a), ERR_OK);
	CHECK_EQ(frameset_alloc(&s, 2, &b), ERR_OK);
	CHECK_EQ(frameset_free(&s, a), ERR_OK);
	frameset_init(&t);
	CHECK_EQ(frameset_add(&t, 0x100000, 8), ERR_OK);
	CHECK_EQ(frameset_add(&t, 0x800000, 4), ERR_OK);
	bits[7] = ~0ull; /* garbage past the bitmap's words is not looked at */
	bits[0] |= ~0ull << 12; /* nor bits past the last frame */
	frameset_attach(&t, bits, false);
	CHECK_EQ(t.nfree, 10);
	CHECK(frameset_used(&t, b) && frameset_used(&t, b + P) && !frameset_used(&t, a));
	CHECK_EQ(frameset_free(&t, b), ERR_OK);
	CHECK_EQ(frameset_free(&t, a), ERR_FREED);
	for (unsigned i = 0; i < 11; i++)
		CHECK_EQ(frameset_alloc(&t, 1, &c), ERR_OK);
	CHECK_EQ(frameset_alloc(&t, 1, &c), ERR_NOMEM);
	bits[7] = 0;
}

static void t_add_checks(void)
{
	struct frameset s;
	frameset_init(&s);
	CHECK_EQ(frameset_add(&s, 0x100000, 8), ERR_OK);
	CHECK_EQ(frameset_add(&s, 0x107000, 2), ERR_INVAL);  /* overlaps its last frame */
	CHECK_EQ(frameset_add(&s, 0xff000, 2), ERR_INVAL);   /* overlaps its first */
	CHECK_EQ(frameset_add(&s, 0x200800, 2), ERR_INVAL);  /* unaligned */
	CHECK_EQ(frameset_add(&s, 0x200000, 0), ERR_INVAL);  /* empty */
	CHECK_EQ(frameset_add(&s, 0x108000, 1), ERR_OK);     /* touching is fine */
	for (unsigned i = 2; i < FRAMESET_EXTENTS; i++)
		CHECK_EQ(frameset_add(&s, 0x1000000 + i * 0x10000, 1), ERR_OK);
	CHECK_EQ(frameset_add(&s, 0x9000000, 1), ERR_FULL);
	uint64_t a;
	CHECK_EQ(frameset_alloc(&s, 1, &a), ERR_NOMEM); /* no bitmap yet */
	frameset_attach(&s, bits, true);
	CHECK_EQ(frameset_add(&s, 0x9000000, 1), ERR_BUSY);
	CHECK_EQ(s.nfree, 8 + 1 + FRAMESET_EXTENTS - 2);
}

static void t_random(void)
{
	struct frameset s;
	static uint64_t big[FRAMESET_WORDS(1000)];
	static bool used[1000];
	frameset_init(&s);
	CHECK_EQ(frameset_add(&s, 0x40000000, 600), ERR_OK);
	CHECK_EQ(frameset_add(&s, 0x10000000, 400), ERR_OK);
	frameset_attach(&s, big, true);
	srand(7);
	uint64_t held = 0;
	for (unsigned step = 0; step < 10000; step++) {
		uint64_t n = 1 + (uint64_t)(rand() % 4), pa;
		if (rand() % 3) {
			err_t e = frameset_alloc(&s, n, &pa);
			if (e) {
				CHECK_EQ(e, ERR_NOMEM);
				continue;
			}
			for (uint64_t i = 0; i < n; i++) {
				int64_t ix = frameset_index(&s, pa + i * P);
				CHECK(ix >= 0 && !used[ix]);
				if (ix >= 0)
					used[ix] = true;
			}
			held += n;
		} else {
			unsigned ix = (unsigned)(rand() % 1000);
			uint64_t at = ix < 600 ? 0x40000000 + ix * P : 0x10000000 + (ix - 600) * P;
			CHECK_EQ(frameset_free(&s, at), used[ix] ? ERR_OK : ERR_FREED);
			held -= used[ix];
			used[ix] = false;
		}
		CHECK_EQ(s.nfree, 1000 - held);
	}
}

/* A machine: 2 nodes with memory, 4 cores each, node 2 with 2 cores and no memory. */
static struct monitor_info info;

static void machine(void)
{
	memset(&info, 0, sizeof info);
	info.ncores = 10;
	info.nnodes = 3;
	for (unsigned c = 0; c < 10; c++)
		info.core_node[c] = (uint8_t)(c < 4 ? 0 : c < 8 ? 1 : 2);
	static const uint8_t d[3][3] = { { 10, 20, 30 }, { 20, 10, 15 }, { 30, 15, 10 } };
	for (unsigned a = 0; a < 3; a++)
		for (unsigned b = 0; b < 3; b++)
			info.node_dist[a][b] = d[a][b];
	info.nmem = 3;
	info.mem[0] = (struct monitor_mem){ 0x1000000, 10 * P, 0, 0 };
	info.mem[1] = (struct monitor_mem){ 0x9000000, 30 * P, 1, 0 };
	info.mem[2] = (struct monitor_mem){ 0x2000000, 7 * P, 0, 0 };
}

static struct memshare_map map;

static void t_share_split(void)
{
	machine();
	CHECK_EQ(memshare_build(&map, &info), ERR_OK);
	unsigned per[10] = { 0 };
	for (unsigned i = 0; i < map.npieces; i++) {
		per[map.piece[i].core] += (unsigned)map.piece[i].pages;
		CHECK(map.piece[i].pages > 0);
		CHECK_EQ(info.core_node[map.piece[i].core], map.piece[i].node);
	}
	/* node 0: 17 frames to cores 0..3 (4, 4, 4, 5); node 1: 30 to 4..7 (7, 8, 7, 8) */
	CHECK_EQ(per[0] + per[1] + per[2] + per[3], 17);
	CHECK_EQ(per[4] + per[5] + per[6] + per[7], 30);
	for (unsigned c = 0; c < 8; c++)
		CHECK(per[c] >= (c < 4 ? 4u : 7u) && per[c] <= (c < 4 ? 5u : 8u));
	CHECK_EQ(per[8] + per[9], 0);
	/* every frame has exactly one owner, in id order along the node's run */
	CHECK_EQ(memshare_owner(&map, 0x1000000), 0);
	CHECK_EQ(memshare_owner(&map, 0x2000000 + 6 * P), 3);
	CHECK_EQ(memshare_owner(&map, 0x9000000), 4);
	CHECK_EQ(memshare_owner(&map, 0x9000000 + 29 * P), 7);
	CHECK_EQ(memshare_owner(&map, 0x9000000 + 30 * P), -1);
	CHECK_EQ(memshare_owner(&map, 0x1000000 - P), -1);
	unsigned owned = 0;
	for (unsigned i = 0; i < map.npieces; i++)
		for (unsigned j = 0; j < map.npieces; j++)
			if (i != j)
				CHECK(map.piece[i].base + map.piece[i].pages * P <= map.piece[j].base ||
				      map.piece[j].base + map.piece[j].pages * P <= map.piece[i].base);
	for (uint64_t pa = 0x1000000; pa < 0x1000000 + 10 * P; pa += P)
		owned += memshare_owner(&map, pa) >= 0;
	CHECK_EQ(owned, 10);
}

static void t_share_coreless(void)
{
	machine();
	info.nmem = 4;
	info.nnodes = 4;
	info.mem[3] = (struct monitor_mem){ 0x20000000, 8 * P, 3, 0 }; /* node 3: no cores */
	info.node_dist[3][0] = info.node_dist[0][3] = 40;
	info.node_dist[3][1] = info.node_dist[1][3] = 25;
	info.node_dist[3][2] = info.node_dist[2][3] = 12; /* nearest, but node 2 has cores 8, 9 */
	CHECK_EQ(memshare_build(&map, &info), ERR_OK);
	CHECK_EQ(memshare_owner(&map, 0x20000000), 8);
	CHECK_EQ(memshare_owner(&map, 0x20000000 + 7 * P), 9);
	/* core 8 (node 2) asks for its own node: node 2's memory is that of node 3 */
	uint8_t c[CORES_MAX];
	unsigned n = memshare_candidates(&map, &info, 2, 8, c, CORES_MAX);
	CHECK_EQ(n, 10);
	/* nearest memory to node 2: node 3 (12, owned by 8, 9), node 1 (15), node 0 (30) */
	CHECK(c[0] == 8 && c[1] == 9 && c[2] >= 4 && c[2] <= 7 && c[6] <= 3);
}

static void t_candidates(void)
{
	machine();
	CHECK_EQ(memshare_build(&map, &info), ERR_OK);
	uint8_t c[CORES_MAX];
	unsigned n = memshare_candidates(&map, &info, 0, 2, c, CORES_MAX);
	CHECK_EQ(n, 8);
	CHECK(c[0] == 2 && c[1] == 3 && c[2] == 0 && c[3] == 1 && c[4] == 6 && c[7] == 5);
	/* core 9 of memoryless node 2 asks for its node: node 1 (15) before node 0 (30) */
	n = memshare_candidates(&map, &info, 2, 9, c, CORES_MAX);
	CHECK_EQ(n, 8);
	CHECK(c[0] == 5 && c[1] == 6 && c[3] == 4 && c[4] == 1); /* starts at 9 % 4 */
	/* near another node: core 1 asks for node 1's memory */
	n = memshare_candidates(&map, &info, 1, 1, c, 3);
	CHECK_EQ(n, 3);
	CHECK(c[0] == 5 && c[1] == 6 && c[2] == 7);
}

int main(void)
{
	RUN(t_alloc_free);
	RUN(t_first_fit);
	RUN(t_coalesce);
	RUN(t_aligned);
	RUN(t_refusals);
	RUN(t_reattach);
	RUN(t_add_checks);
	RUN(t_random);
	RUN(t_share_split);
	RUN(t_share_coreless);
	RUN(t_candidates);
	return test_summary();
}
