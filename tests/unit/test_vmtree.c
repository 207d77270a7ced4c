/*
 * test_vmtree: the shootdown paths through the monitors' tree
 * (include/lib/vmtree.h).
 *
 * For k-ary trees and random trees of up to 255 cores, every start core h
 * and random sets S, the protocol is simulated message by message: each
 * reached core forwards to vmtree_next(self, from).  Checks: every member
 * of S is reached exactly once; every edge carries at most one message;
 * a reached core that is not a member lies on the path from h to a member
 * (nobody is woken for nothing); the sides vmtree_next returns are
 * disjoint.  A parent array with a cycle terminates.
 */
#define TEST_PROGRAM "vmtree"
#include "test.h"

#include <stdlib.h>

#include <lib/vmtree.h>

static uint16_t parent[CORES_MAX];

static void kary(unsigned n, unsigned k)
{
	parent[0] = VMTREE_ROOT;
	for (unsigned c = 1; c < n; c++)
		parent[c] = (uint16_t)((c - 1) / k);
}

static void random_tree(unsigned n)
{
	parent[0] = VMTREE_ROOT;
	for (unsigned c = 1; c < n; c++)
		parent[c] = (uint16_t)(rand() % c);
}

/* true if c is on the tree path between a and b */
static bool on_path(unsigned n, unsigned c, unsigned a, unsigned b)
{
	/* c is on the path iff exactly one of a, b is below c, or c is their meeting point */
	bool ba = vmtree_below(parent, n, a, c), bb = vmtree_below(parent, n, b, c);
	if (ba != bb)
		return true;
	if (!ba)
		return false;
	for (unsigned w = 0; w < n; w++)        /* c is the lowest common ancestor? */
		if (w != c && parent[w] == c && vmtree_below(parent, n, a, w) &&
		    vmtree_below(parent, n, b, w))
			return false;
	return true;
}

static int simulate(unsigned n, unsigned h, const uint64_t *set)
{
	static unsigned reached[CORES_MAX], edge_used[CORES_MAX];
	uint32_t queue[CORES_MAX * 2], from[CORES_MAX * 2];
	unsigned qh = 0, qt = 0, bad = 0;
	memset(reached, 0, sizeof reached);
	memset(edge_used, 0, sizeof edge_used);
	queue[qt] = h;
	from[qt++] = VMTREE_NONE;
	while (qh < qt) {
		unsigned self = queue[qh], f = from[qh++];
		reached[self]++;
		if (f != VMTREE_NONE) {      /* edge (self, f): keyed by its lower end */
			unsigned low = parent[self] == f ? self : f;
			if (edge_used[low]++)
				bad++;
		}
		uint32_t next[CORES_MAX];
		unsigned k = vmtree_next(parent, n, self, f, set, next, CORES_MAX);
		uint64_t seen[VMTREE_WORDS] = { 0 };
		for (unsigned i = 0; i < k; i++) {
			uint64_t side[VMTREE_WORDS];
			if (next[i] == self || next[i] == f)
				bad++;
			vmtree_side(parent, n, self, next[i], set, side);
			for (unsigned w = 0; w < VMTREE_WORDS; w++) {
				if (seen[w] & side[w])
					bad++;
				seen[w] |= side[w];
			}
			queue[qt] = next[i];
			from[qt++] = self;
		}
	}
	for (unsigned c = 0; c < n; c++) {
		if (vmtree_has(set, c) && reached[c] != 1)
			bad++;
		if (reached[c] > 1)
			bad++;
		if (reached[c] && c != h && !vmtree_has(set, c)) {
			bool useful = false;
			for (unsigned m = 0; m < n && !useful; m++)
				useful = vmtree_has(set, m) && on_path(n, c, h, m);
			if (!useful)
				bad++;
		}
	}
	return (int)bad;
}

static void random_set(unsigned n, uint64_t *set, unsigned percent)
{
	memset(set, 0, VMTREE_WORDS * sizeof *set);
	for (unsigned c = 0; c < n; c++)
		if ((unsigned)rand() % 100 < percent)
			vmtree_add(set, c);
}

static void t_full_set_kary(void)
{
	for (unsigned n = 1; n <= 64; n += 7) {
		kary(n, 4);
		uint64_t set[VMTREE_WORDS] = { 0 };
		for (unsigned c = 0; c < n; c++)
			vmtree_add(set, c);
		for (unsigned h = 0; h < n; h++) {
			vmtree_del(set, h);
			CHECK_EQ(simulate(n, h, set), 0);
			vmtree_add(set, h);
		}
	}
}

static void t_random_sets(void)
{
	srand(7);
	for (unsigned iter = 0; iter < 300; iter++) {
		unsigned n = 2 + (unsigned)rand() % 254;
		if (iter % 2)
			random_tree(n);
		else
			kary(n, 1 + (unsigned)rand() % 6);
		uint64_t set[VMTREE_WORDS];
		random_set(n, set, 1 + (unsigned)rand() % 60);
		unsigned h = n > 1 ? (unsigned)rand() % n : 0;
		vmtree_del(set, h);
		CHECK_EQ(simulate(n, h, set), 0);
	}
}

static void t_empty_set_wakes_nobody(void)
{
	kary(32, 4);
	uint64_t set[VMTREE_WORDS] = { 0 };
	uint32_t next[8];
	CHECK_EQ(vmtree_next(parent, 32, 5, VMTREE_NONE, set, next, 8), 0);
	vmtree_add(set, 31);     /* 31's parent is 7, 7's is 1, 1's is 0 */
	CHECK_EQ(vmtree_next(parent, 32, 0, VMTREE_NONE, set, next, 8), 1);
	CHECK_EQ(next[0], 1);
	CHECK_EQ(vmtree_next(parent, 32, 5, VMTREE_NONE, set, next, 8), 1);
	CHECK_EQ(next[0], 1);    /* 5 goes up to 1, which is on the way */
	CHECK_EQ(vmtree_count(set), 1);
}

static void t_cycle_terminates(void)
{
	for (unsigned c = 0; c < 16; c++)
		parent[c] = (uint16_t)((c + 1) % 16);    /* one big cycle, no root */
	CHECK(!vmtree_below(parent, 16, 3, 200));
	parent[4] = 999;                              /* out of range */
	uint64_t set[VMTREE_WORDS] = { ~0ull, ~0ull, ~0ull, ~0ull };
	uint32_t next[CORES_MAX];
	unsigned k = vmtree_next(parent, 16, 4, VMTREE_NONE, set, next, CORES_MAX);
	CHECK(k <= 16);
	CHECK_EQ(vmtree_next(parent, 16, 300, VMTREE_NONE, set, next, CORES_MAX), 0);
}

int main(void)
{
	RUN(t_full_set_kary);
	RUN(t_random_sets);
	RUN(t_empty_set_wakes_nobody);
	RUN(t_cycle_terminates);
	return test_summary();
}
