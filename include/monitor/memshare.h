/*
 * monitor/memshare.h: which monitor owns which frames of the monitors'
 * memory, and whom to ask for memory on a node.
 *
 * The spare RAM outside every core pool (monitor_info.mem, each range on a
 * NUMA node) is split without any agreement: every monitor applies the same
 * rule to the same monitor_info and gets the same map.  A node's ranges, in
 * order, form one run of frames that is cut into equal consecutive shares,
 * one per core of that node (cores 0..ncores-1 with core_node == node, in
 * id order); the memory of a node without cores goes to the cores of the
 * nearest node that has some (SLIT distance, then the lowest node id).  A
 * share may span ranges: it is a list of pieces.
 *
 * Invariants after memshare_build:
 *  - pieces are page-aligned, non-empty, pairwise disjoint, and together
 *    cover exactly the page-aligned part of every range;
 *  - memshare_owner(pa) is the one core whose piece holds pa (-1 outside);
 *  - the map depends only on mem, ncores, core_node and node_dist.
 *
 * Pure and freestanding; host-tested (tests/unit/test_frameset.c).
 */
#ifndef MONITOR_MEMSHARE_H
#define MONITOR_MEMSHARE_H
#include <stdbool.h>
#include <stdint.h>
#include <lib/err.h>
#include <sys/limits.h>
#include <sys/monitor.h>

#define MEMSHARE_PIECES (MONITOR_MAX_MEM + CORES_MAX)

struct memshare_piece {
	uint64_t base;               /* physical, page-aligned */
	uint64_t pages;
	uint16_t core;               /* its owner */
	uint16_t node;               /* the NUMA node of its memory */
	uint32_t pad;
};

struct memshare_map {
	struct memshare_piece piece[MEMSHARE_PIECES];
	unsigned npieces;
};

/* Builds the map from info (mem, ncores, core_node, node_dist); ERR_FULL if it does not fit. */
err_t memshare_build(struct memshare_map *m, const struct monitor_info *info);
/* The core owning frame pa; -1 if pa is not monitors' memory. */
int memshare_owner(const struct memshare_map *m, uint64_t pa);
/* SLIT distance between nodes a and b (10 for a == b, 255 unknown). */
unsigned memshare_dist(const struct monitor_info *info, unsigned a, unsigned b);
/*
 * Whom to ask for memory near `node`, best first, for a request that
 * starts on core `self`: the owners of that node's memory (self first if
 * it is one, else starting at self modulo their number, so requests
 * spread), then those of the other nodes with memory by distance from
 * `node`.  Every owner once; returns how many were written (<= max).
 */
unsigned memshare_candidates(const struct memshare_map *m, const struct monitor_info *info,
			     unsigned node, unsigned self, uint8_t *out, unsigned max);

#endif
