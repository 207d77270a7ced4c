/*
 * Host tests for monitor/routepath.c: the monitors' link plan (core 0 to
 * every core, a fan-out-4 tree, the ring 1..n-1) with core 0 and two
 * non-adjacent cores of the ring down, for every such pair at 8 and 16
 * cores and sampled pairs at 64 and 255: every pair of live cores that the
 * live graph connects is routed hop by hop (each monitor on the way using
 * its own first hops) in at most n - 1 hops, every other pair has no first
 * hop (route_send's ERR_NOROUTE); and the hop limit stops a message that
 * two monitors with different views of who is down would bounce for ever.
 */
#define TEST_PROGRAM "routepath"
#include "test.h"
#include <stdlib.h>
#include <monitor/routepath.h>

static struct monitor_edge edges[MONITOR_GRAPH_MAX];
static unsigned nedges;
static struct rp_graph g;
static uint16_t hops[CORES_MAX][CORES_MAX];   /* hops[self][dst] */
static uint64_t down[CORES_MAX / 64];

static void edge(unsigned a, unsigned b)
{
	edges[nedges++] = (struct monitor_edge){ (uint8_t)a, (uint8_t)b };
}

static unsigned tree_parent(unsigned c)
{
	return (c - 1) / 4;
}

/* The kernel's plan (cpudriver/monlinks.c): 0 to each, the tree, the ring. */
static void plan(unsigned n)
{
	nedges = 0;
	for (unsigned c = 1; c < n; c++)
		edge(0, c);
	for (unsigned c = 1; c < n; c++)
		if (tree_parent(c) != 0)
			edge(tree_parent(c), c);
	for (unsigned c = 1; c + 1 < n; c++)
		edge(c, c + 1);
	if (n > 3)
		edge(1, n - 1);
	rp_graph_build(&g, edges, nedges, n);
}

static void set(uint64_t *s, unsigned c)
{
	s[c / 64] |= 1ull << (c % 64);
}

/* Reachability over live cores by a plain flood over the edge list (the oracle). */
static void reach_from(unsigned n, unsigned s, bool *seen)
{
	memset(seen, 0, n * sizeof *seen);
	seen[s] = true;
	for (bool grew = true; grew;) {
		grew = false;
		for (unsigned i = 0; i < nedges; i++) {
			unsigned a = edges[i].a, b = edges[i].b;
			if (rp_has(down, a) || rp_has(down, b) || seen[a] == seen[b])
				continue;
			seen[a] = seen[b] = true;
			grew = true;
		}
	}
}

static bool adjacent(unsigned a, unsigned b)
{
	for (unsigned i = g.start[a]; i < g.start[a + 1]; i++)
		if (g.adj[i] == b)
			return true;
	return false;
}

/* Every live pair: routed in <= n-1 hops along links iff connected. Returns unreachable pairs. */
static unsigned check_all_pairs(unsigned n)
{
	static bool seen[CORES_MAX];
	unsigned unreachable = 0;
	for (unsigned c = 0; c < n; c++)
		if (!rp_has(down, c))
			rp_first_hops(&g, c, down, 0, hops[c]);
	for (unsigned s = 0; s < n && !test_case_failed; s++) {
		if (rp_has(down, s))
			continue;
		reach_from(n, s, seen);
		for (unsigned d = 0; d < n && !test_case_failed; d++) {
			if (rp_has(down, d) || d == s)
				continue;
			if (!seen[d]) {
				CHECK_EQ(hops[s][d], RP_NO_HOP);
				unreachable++;
				continue;
			}
			unsigned at = s, k = 0;
			while (at != d && k < n) {
				unsigned next = hops[at][d];
				CHECK(next != RP_NO_HOP && !rp_has(down, next) && adjacent(at, next));
				if (test_case_failed)
					break;
				at = next;
				k++;
				CHECK(k == 1 || rp_may_forward(k - 1, n));
			}
			CHECK_EQ(at, d);
		}
	}
	return unreachable;
}

static void split_ring(unsigned n, unsigned a, unsigned b, unsigned *total_unreachable)
{
	memset(down, 0, sizeof down);
	set(down, 0);
	set(down, a);
	set(down, b);
	*total_unreachable += check_all_pairs(n);
}

static bool ring_neighbours(unsigned n, unsigned a, unsigned b)
{
	return a + 1 == b || b + 1 == a || (a == 1 && b == n - 1) || (b == 1 && a == n - 1);
}

static void t_split_ring_small(void)
{
	static const unsigned sizes[] = { 8, 16 };
	for (unsigned i = 0; i < 2; i++) {
		unsigned n = sizes[i], unreachable = 0, cases = 0;
		plan(n);
		for (unsigned a = 1; a < n && !test_case_failed; a++)
			for (unsigned b = a + 1; b < n && !test_case_failed; b++)
				if (!ring_neighbours(n, a, b)) {
					split_ring(n, a, b, &unreachable);
					cases++;
				}
		CHECK(cases > 10);
		CHECK(unreachable > 0);       /* some splits cut a leaf run off: named, not lost */
	}
}

static void t_split_ring_large(void)
{
	static const unsigned sizes[] = { 64, 255 };
	unsigned seed = 4242;
	for (unsigned i = 0; i < 2; i++) {
		unsigned n = sizes[i], unreachable = 0;
		plan(n);
		for (unsigned rep = 0; rep < 6 && !test_case_failed; rep++) {
			unsigned a = 1 + (unsigned)rand_r(&seed) % (n - 1), b;
			do
				b = 1 + (unsigned)rand_r(&seed) % (n - 1);
			while (b == a || ring_neighbours(n, a, b));
			split_ring(n, a, b, &unreachable);
		}
	}
}

/* With core 0 up, a core without a direct link goes through core 0 (two hops). */
static void t_core0_first(void)
{
	plan(16);
	memset(down, 0, sizeof down);
	rp_first_hops(&g, 7, down, 0, hops[7]);
	CHECK_EQ(hops[7][12], 0);
	CHECK_EQ(hops[7][7], 7);
	CHECK_EQ(hops[7][8], 8);
	/* a failed link is not taken as a first hop */
	uint64_t nolink[CORES_MAX / 64] = { 0 };
	set(nolink, 0);
	rp_first_hops(&g, 7, down, nolink, hops[7]);
	CHECK(hops[7][12] != 0 && hops[7][12] != RP_NO_HOP);
	CHECK(hops[7][0] != 0 && hops[7][0] != RP_NO_HOP);   /* reached the long way */
}

/*
 * Two monitors whose views differ (each takes the other as the way to core
 * 6): the hop field stops the bounce after n - 1 links.
 */
static void t_hop_limit(void)
{
	unsigned n = 8, hopsn = 0, at = 2;
	/* a path graph 0-1-2-3-4-5-6-7 where a stale view makes 2 and 3 each the other's way */
	uint16_t way[CORES_MAX];
	for (unsigned c = 0; c < CORES_MAX; c++)
		way[c] = RP_NO_HOP;
	way[2] = 3;
	way[3] = 2;
	while (at != 6 && rp_may_forward(hopsn, n)) {
		at = way[at];
		hopsn++;
	}
	CHECK(at != 6);
	CHECK_EQ(hopsn, n - 1);
	CHECK(!rp_may_forward(n - 1, n));
	CHECK(rp_may_forward(n - 2, n));
	CHECK(!rp_may_forward(0, 1));
	/* the link word keeps type and hops apart */
	for (unsigned t = 0; t < (1u << RP_TYPE_BITS); t += 7)
		for (unsigned h = 0; h <= RP_HOPS_MAX; h += 17) {
			uint16_t w = rp_link_type((uint16_t)t, h);
			CHECK_EQ(rp_link_msg_type(w), t);
			CHECK_EQ(rp_link_hops(w), h);
			CHECK(w <= 0x7fff);
		}
}

/* Bad plans: edges naming absent cores or loops are ignored. */
static void t_bad_edges(void)
{
	nedges = 0;
	edge(0, 1);
	edge(1, 1);
	edge(1, 9);
	edge(200, 2);
	edge(1, 2);
	rp_graph_build(&g, edges, nedges, 3);
	memset(down, 0, sizeof down);
	rp_first_hops(&g, 0, down, 0, hops[0]);
	CHECK_EQ(hops[0][2], 1);
	CHECK_EQ(hops[0][9], RP_NO_HOP);
	rp_first_hops(&g, 5, down, 0, hops[5]);        /* self outside the machine */
	CHECK_EQ(hops[5][0], RP_NO_HOP);
}

int main(void)
{
	RUN(t_split_ring_small);
	RUN(t_split_ring_large);
	RUN(t_core0_first);
	RUN(t_hop_limit);
	RUN(t_bad_edges);
	return test_summary();
}
