/*
 * bcast_tree: the broadcast / reduction tree the monitors use for global
 * operations, built from the topology model.
 *
 * Shape, for a root core r and fan-out k:
 *  - cores are grouped by NUMA node, or by package when there is a single
 *    node; each group has one leader: r for r's own group, the lowest cpu
 *    number for the others;
 *  - the leaders form a k-ary tree rooted at r, ordered by distance from
 *    r's node (then by group number), so nearer groups are reached first;
 *  - inside each group, the members (leader first, then in cpu order) form
 *    a k-ary tree rooted at the leader, so SMT siblings and cores that share
 *    caches sit next to each other.
 * Invariants: every core of the model appears exactly once; the root has no
 * parent, every other core exactly one; an edge between two groups always
 * joins two leaders; a leader sends to its leader children first (they
 * have the longest way to go), then to its own group.  A reduction runs the
 * same edges bottom-up.
 *
 * Pure code over caller storage; build once per root (each monitor builds
 * the trees it roots itself from its copy of the model).
 */
#ifndef TOPOLOGY_BCAST_TREE_H
#define TOPOLOGY_BCAST_TREE_H

#include <stdint.h>

#include <lib/err.h>
#include <topology/topo.h>

#define BCAST_NONE       0xffffffffu
#define BCAST_MAX_FANOUT 16u

struct bcast_tree {
	uint32_t root;
	uint32_t ncores;
	uint32_t fanout;
	uint32_t ngroups;
	uint32_t depth;				/* edges on the longest path */
	uint32_t group[CORES_MAX];		/* node or package of each cpu */
	uint32_t leader[CORES_MAX];	/* leader of each cpu's group */
	uint32_t parent[CORES_MAX];	/* BCAST_NONE for the root */
	uint32_t level[CORES_MAX];		/* edges from the root */
	uint32_t nchildren[CORES_MAX];
	uint32_t first[CORES_MAX];		/* index into child[] */
	uint32_t child[CORES_MAX];		/* children, in send order */
};

/*
 * Builds the tree for model t rooted at cpu `root` with fan-out `fanout`
 * (1..BCAST_MAX_FANOUT).  ERR_RANGE for a bad root or fan-out, ERR_EMPTY
 * for a model without cores.
 */
err_t bcast_build(struct bcast_tree *b, const struct topo *t, uint32_t root,
		  uint32_t fanout);

/* Children of cpu in send order; *n receives their number. */
const uint32_t *bcast_children(const struct bcast_tree *b, uint32_t cpu,
			       uint32_t *n);

/*
 * Prints the shape:
 *   bcast: root=R cores=N groups=G fanout=K depth=D
 *   bcast: P -> C1 C2 ...        (one line per cpu with children, cpu order)
 *   bcast: end
 */
void bcast_print(const struct bcast_tree *b, topo_line_fn line, void *ctx);

/*
 * The same without the edges, three lines at any size (the kernel's form
 * above TOPO_PRINT_FULL_MAX cores):
 *   bcast: root=R cores=N groups=G fanout=K depth=D
 *   bcast: P parents, E edges not listed
 *   bcast: end
 */
void bcast_print_summary(const struct bcast_tree *b, topo_line_fn line, void *ctx);

#endif
