/*
 * vmtree: the paths a change to a spanning domain's address space takes
 * through the monitors' tree (monitor/vmops.c).
 *
 * The monitors' links follow one broadcast tree rooted at core 0, built
 * from the topology model (topology/bcast_tree.h: NUMA node groups, a
 * leader per group, fan-out 4), plus a link from core 0 to every core.  A
 * shootdown started on any core h for a set S of cores walks that tree as
 * an undirected graph rooted at h: a monitor that got the message from
 * neighbour `from` passes it on to each other neighbour (its tree parent,
 * its children) whose side of the edge holds a member of S, and answers
 * `from` once all of those answered.  So every edge is used at most once,
 * a subtree without a member is never woken, inter-node edges join only
 * group leaders, and a message between two nodes crosses the
 * interconnect once however many cores of the far node are in S.
 *
 * The tree is given as parent[c] for every core c < n (VMTREE_ROOT for the
 * root).  Sets are bitmaps of VMTREE_WORDS words (bit c of word c / 64).
 * Invariants the callers rely on: vmtree_next never returns `from` nor
 * self; the sides it returns are disjoint and their union with {self} and
 * from's side is every core; a parent array with a cycle or an index >= n
 * makes every function treat the core as outside every subtree (the walk
 * up is bounded by n steps), never loop.
 *
 * Pure code, no allocation: built into the monitors and tested on the host.
 */
#ifndef LIB_VMTREE_H
#define LIB_VMTREE_H

#include <stdbool.h>
#include <stdint.h>

#include <sys/limits.h>

#define VMTREE_ROOT  0xffffu
#define VMTREE_WORDS (CORES_MAX / 64)
#define VMTREE_NONE  0xffffffffu        /* `from` of the core that starts */

static inline bool vmtree_has(const uint64_t *set, unsigned c)
{
	return c < CORES_MAX && (set[c / 64] >> (c % 64) & 1);
}

static inline void vmtree_add(uint64_t *set, unsigned c)
{
	if (c < CORES_MAX)
		set[c / 64] |= 1ull << (c % 64);
}

static inline void vmtree_del(uint64_t *set, unsigned c)
{
	if (c < CORES_MAX)
		set[c / 64] &= ~(1ull << (c % 64));
}

/* Number of cores in set. */
unsigned vmtree_count(const uint64_t *set);

/* true if x lies in the subtree of w (x == w included). */
bool vmtree_below(const uint16_t *parent, unsigned n, unsigned x, unsigned w);

/*
 * The members of set on w's side of the edge self-w (w a tree neighbour of
 * self), into out.
 */
void vmtree_side(const uint16_t *parent, unsigned n, unsigned self, unsigned w,
		 const uint64_t *set, uint64_t *out);

/*
 * The neighbours of self, other than from, whose side holds a member of
 * set: the parent first (its side is the largest), then the children in
 * core order.  Writes at most max into out, returns their number.
 */
unsigned vmtree_next(const uint16_t *parent, unsigned n, unsigned self, unsigned from,
		     const uint64_t *set, uint32_t *out, unsigned max);

#endif
