/*
 * test_bcast: the two-level broadcast tree (include/topology/bcast_tree.h)
 * over several machine shapes, roots and fan-outs.
 *
 * For every tree the structural checks are the same: the root is the
 * source and has no parent; a walk from the root along the children lists
 * reaches every core exactly once and agrees with parent[] and level[];
 * an edge between groups joins two leaders, and leaders are reached first
 * (one core per node/package, then the fan-out inside each group); a
 * leader sends to leader children before group children; the depth is at
 * most the height of a k-ary tree over the leaders plus that over the
 * largest group.
 */
#define TEST_PROGRAM "bcast"
#include "test.h"

#include <topology/bcast_tree.h>

static struct topo model;
static struct bcast_tree tree;

/*
 * A QEMU-like machine: pkgs x cores x threads, APIC ids with power-of-two
 * fields, nodes consecutive runs of packages (nodes <= pkgs) or of cores
 * inside one package (pkgs == 1).
 */
static void machine(uint32_t pkgs, uint32_t cores, uint32_t threads,
		    uint32_t nodes)
{
	uint8_t tb = cpuid_bits_for(threads), cb = cpuid_bits_for(cores);
	uint32_t per_node = pkgs * cores * threads / nodes;
	uint32_t i = 0;

	topo_init(&model);
	for (uint32_t p = 0; p < pkgs; p++)
		for (uint32_t c = 0; c < cores; c++)
			for (uint32_t h = 0; h < threads; h++, i++) {
				struct topo_core k = { 0 };

				k.apic_id = p << (cb + tb) | c << tb | h;
				k.package = p;
				k.core = c;
				k.thread = h;
				k.node = i / per_node;
				k.cache[0] = k.cache[1] = k.apic_id >> tb;
				k.cache[2] = p;
				CHECK_EQ(topo_add_core(&model, &k), ERR_OK);
			}
	CHECK_EQ(topo_finish(&model), ERR_OK);
}

/* Height of a k-ary heap of n nodes (edges on its longest path). */
static uint32_t heap_height(uint32_t n, uint32_t k)
{
	uint64_t cap = 1, level = 1;
	uint32_t h = 0;

	while (cap < n) {
		level *= k;
		cap += level;
		h++;
	}
	return h;
}

static uint32_t group_of(uint32_t cpu)
{
	return model.nnodes > 1 ? model.cores[cpu].node : model.cores[cpu].package;
}

static void check_tree(uint32_t root, uint32_t k)
{
	uint32_t queue[CORES_MAX], seen[CORES_MAX] = { 0 };
	uint32_t size[CORES_MAX] = { 0 }, head = 0, tail = 0;
	uint32_t ngroups = 0, biggest = 0, nleaders = 0;

	CHECK_EQ(bcast_build(&tree, &model, root, k), ERR_OK);
	CHECK_EQ(tree.root, root);
	CHECK_EQ(tree.ncores, model.ncores);
	CHECK_EQ(tree.parent[root], BCAST_NONE);
	CHECK_EQ(tree.level[root], 0);
	CHECK_EQ(tree.leader[root], root);
	queue[tail++] = root;
	seen[root] = 1;
	while (head < tail) {
		uint32_t p = queue[head++], n, leaders_done = 0;
		const uint32_t *ch = bcast_children(&tree, p, &n);

		CHECK(n <= 2 * k);		/* k leader + k group edges */
		for (uint32_t j = 0; j < n; j++) {
			uint32_t c = ch[j];

			if (c >= model.ncores) {
				CHECK(!"child out of range");
				return;
			}
			CHECK_EQ(seen[c], 0);	/* exactly once */
			seen[c]++;
			CHECK_EQ(tree.parent[c], p);
			CHECK_EQ(tree.level[c], tree.level[p] + 1);
			if (group_of(c) != group_of(p)) {
				CHECK_EQ(tree.leader[p], p);
				CHECK_EQ(tree.leader[c], c);
				CHECK(!leaders_done);	/* leaders first */
			} else {
				leaders_done = 1;
				CHECK_EQ(tree.leader[c], tree.leader[p]);
			}
			queue[tail++] = c;
		}
	}
	CHECK_EQ(tail, model.ncores);		/* every core reached */
	for (uint32_t i = 0; i < model.ncores; i++) {
		uint32_t g = group_of(i);

		CHECK_EQ(seen[i], 1);		/* the root counts as reached */
		CHECK_EQ(tree.group[i], g);
		CHECK_EQ(group_of(tree.leader[i]), g);
		if (tree.leader[i] == i)
			nleaders++;
		if (size[g]++ == 0) {
			ngroups++;
			/* the lowest cpu of its group, except in the root's */
			if (g != group_of(root))
				CHECK_EQ(tree.leader[i], i);
		}
		if (size[g] > biggest)
			biggest = size[g];
		CHECK(tree.level[i] <= tree.depth);
	}
	CHECK_EQ(nleaders, ngroups);
	CHECK_EQ(tree.ngroups, ngroups);
	CHECK(tree.depth <= heap_height(ngroups, k) + heap_height(biggest, k));
}

static void all_roots(uint32_t k)
{
	for (uint32_t r = 0; r < model.ncores; r++)
		check_tree(r, k);
}

static void t_single_core(void)
{
	machine(1, 1, 1, 1);
	check_tree(0, 2);
	CHECK_EQ(tree.depth, 0);
	CHECK_EQ(tree.ngroups, 1);
}

static void t_one_package(void)
{
	machine(1, 4, 1, 1);
	all_roots(1);
	all_roots(2);
	check_tree(0, 1);
	CHECK_EQ(tree.depth, 3);		/* fan-out 1: a chain */
	check_tree(0, 3);
	CHECK_EQ(tree.depth, 1);
}

static void t_s2c2t2(void)
{
	machine(2, 2, 2, 1);
	for (uint32_t k = 1; k <= 4; k++)
		all_roots(k);
	check_tree(0, 2);
	CHECK_EQ(tree.ngroups, 2);		/* by package */
	CHECK_EQ(tree.parent[4], 0);		/* package 1's leader first */
	CHECK_EQ(bcast_children(&tree, 0, &(uint32_t){ 0 })[0], 4);
}

static void t_s2c3t2_root_in_second_package(void)
{
	machine(2, 3, 2, 1);
	check_tree(9, 2);
	CHECK_EQ(tree.leader[9], 9);		/* the root leads its group */
	CHECK_EQ(tree.leader[6], 9);
	CHECK_EQ(tree.leader[0], 0);
	CHECK_EQ(tree.parent[0], 9);
	all_roots(2);
	all_roots(16);
}

static void t_numa_nodes(void)
{
	machine(4, 2, 2, 2);		/* 2 nodes of 2 packages */
	all_roots(2);
	check_tree(0, 4);
	CHECK_EQ(tree.ngroups, 2);	/* by node, not package */
	CHECK_EQ(tree.leader[15], 8);
}

static void t_numa_inside_package(void)
{
	machine(1, 8, 1, 4);
	all_roots(2);
	check_tree(5, 2);
	CHECK_EQ(tree.ngroups, 4);
}

/* Leaders are reached nearest node first: node 2 (15), 3 (20), 1 (30). */
static void t_leaders_by_distance(void)
{
	machine(4, 2, 1, 4);
	CHECK_EQ(topo_set_dist(&model, 0, 1, 30), ERR_OK);
	CHECK_EQ(topo_set_dist(&model, 0, 2, 15), ERR_OK);
	CHECK_EQ(topo_set_dist(&model, 0, 3, 20), ERR_OK);
	check_tree(0, 16);
	{
		uint32_t n;
		const uint32_t *ch = bcast_children(&tree, 0, &n);

		CHECK_EQ(n, 4);
		CHECK_EQ(ch[0], 4);		/* node 2's leader */
		CHECK_EQ(ch[1], 6);		/* node 3 */
		CHECK_EQ(ch[2], 2);		/* node 1 */
		CHECK_EQ(ch[3], 1);		/* own group last */
	}
	check_tree(0, 1);			/* chain: 0 4 6 2, then members */
	CHECK_EQ(tree.parent[4], 0);
	CHECK_EQ(tree.parent[6], 4);
	CHECK_EQ(tree.parent[2], 6);
}

static void t_big_machines(void)
{
	machine(4, 16, 4, 1);		/* 256 cores */
	CHECK_EQ(model.ncores, 256);
	check_tree(0, 2);
	check_tree(255, 4);
	check_tree(100, 16);
	CHECK(tree.depth <= 4);
	machine(8, 8, 4, 8);
	check_tree(37, 2);
	check_tree(0, 3);
	machine(16, 16, 1, 16);
	check_tree(128, 16);
	CHECK(tree.depth <= 2);
}

static void t_errors(void)
{
	topo_init(&model);
	CHECK_EQ(bcast_build(&tree, &model, 0, 2), ERR_EMPTY);
	machine(1, 4, 1, 1);
	CHECK_EQ(bcast_build(&tree, &model, 4, 2), ERR_RANGE);
	CHECK_EQ(bcast_build(&tree, &model, 0, 0), ERR_RANGE);
	CHECK_EQ(bcast_build(&tree, &model, 0, BCAST_MAX_FANOUT + 1), ERR_RANGE);
	CHECK_EQ(bcast_build(&tree, &model, 0, BCAST_MAX_FANOUT), ERR_OK);
	{
		uint32_t n = 99;

		bcast_children(&tree, 4, &n);
		CHECK_EQ(n, 0);
	}
}

struct lines {
	int n;
	char l[16][TOPO_LINE_MAX];
};

static void collect(void *ctx, const char *line)
{
	struct lines *s = ctx;

	if (s->n < 16)
		snprintf(s->l[s->n++], TOPO_LINE_MAX, "%s", line);
}

static void t_print(void)
{
	struct lines out = { 0 };

	machine(2, 2, 1, 1);
	CHECK_EQ(bcast_build(&tree, &model, 0, 2), ERR_OK);
	bcast_print(&tree, collect, &out);
	CHECK_EQ(out.n, 4);
	CHECK_STR(out.l[0], "bcast: root=0 cores=4 groups=2 fanout=2 depth=2");
	CHECK_STR(out.l[1], "bcast: 0 -> 2 1");
	CHECK_STR(out.l[2], "bcast: 2 -> 3");
	CHECK_STR(out.l[3], "bcast: end");
}

/* The summary: the shape without its edges, three lines at any size. */
static void t_print_summary(void)
{
	struct lines out = { 0 };

	machine(2, 2, 1, 1);
	CHECK_EQ(bcast_build(&tree, &model, 0, 2), ERR_OK);
	bcast_print_summary(&tree, collect, &out);
	CHECK_EQ(out.n, 3);
	CHECK_STR(out.l[0], "bcast: root=0 cores=4 groups=2 fanout=2 depth=2");
	CHECK_STR(out.l[1], "bcast: 2 parents, 3 edges not listed");
	CHECK_STR(out.l[2], "bcast: end");
}

int main(void)
{
	RUN(t_single_core);
	RUN(t_one_package);
	RUN(t_s2c2t2);
	RUN(t_s2c3t2_root_in_second_package);
	RUN(t_numa_nodes);
	RUN(t_numa_inside_package);
	RUN(t_leaders_by_distance);
	RUN(t_big_machines);
	RUN(t_errors);
	RUN(t_print);
	RUN(t_print_summary);
	return test_summary();
}
