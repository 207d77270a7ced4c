/*
 * monitor/routepath.h: how a monitor message finds its way between cores
 * (the pure part of monitor/route.c), and the hop limit of a forwarded one.
 *
 * Paths.  Every monitor knows the whole link plan (monitor_info.graph: core
 * 0 to every core, the broadcast tree's edges, the ring c to c+1 and 1 to
 * n-1).  rp_first_hops() runs a breadth-first search from `self` over the
 * cores not in `down` and gives, for every core, the neighbour of self a
 * message to it leaves by: the first hop of a shortest live path.
 * Neighbours are visited in core order, so ties go to the lower core.  A
 * core that no live path reaches gets RP_NO_HOP; route_send answers
 * ERR_NOROUTE for it (a named error, not a silent loss).
 * Invariant: when every monitor on a path has the same `down` set, following
 * each one's first hop towards d strictly shortens the distance to d, so a
 * message reaches d in at most n - 1 hops and never loops.
 *
 * Hop limit.  Views of `down` differ for a while after a core stops (until
 * MON_CORE_DOWN reached everyone), and two monitors whose views differ can
 * each see the other as the way to d: a message could bounce between them.
 * So every message on a link carries the number of links it has crossed
 * (in the URPC type word: rp_link_type / rp_link_hops / rp_link_msg_type,
 * the monitor type in the low RP_TYPE_BITS bits); a monitor forwards it
 * only while rp_may_forward(): a loop-free path never needs more than
 * n - 1 links, so one that would need more is looping and is dropped with
 * a log line naming its source, destination and hops.
 *
 * Pure, freestanding, no allocation; host-tested (tests/unit/test_routepath.c).
 */
#ifndef MONITOR_ROUTEPATH_H
#define MONITOR_ROUTEPATH_H

#include <stdbool.h>
#include <stdint.h>

#include <sys/limits.h>
#include <sys/monitor.h>

#define RP_NO_HOP    0xffffu
#define RP_TYPE_BITS 7u                       /* monitor message types < 128 */
#define RP_HOPS_MAX  0xffu                    /* 8 bits of hops above the type */

_Static_assert(CORES_MAX - 1 <= RP_HOPS_MAX, "a loop-free path's hops fit the hop field");
_Static_assert(RP_TYPE_BITS + 8 <= 15, "type and hops fit a URPC message type");

/* The link plan as adjacency lists, each in core order. */
struct rp_graph {
	unsigned ncores;
	uint16_t start[CORES_MAX + 1];            /* core c's neighbours: adj[start[c]..start[c+1]) */
	uint8_t adj[2 * MONITOR_GRAPH_MAX];
};

/* Builds g from nedges edges over cores 0..ncores-1; edges naming a core >= ncores or a
 * loop are ignored, duplicates kept (harmless). */
void rp_graph_build(struct rp_graph *g, const struct monitor_edge *edges, unsigned nedges,
		    unsigned ncores);

static inline bool rp_has(const uint64_t *set, unsigned c)
{
	return set && c < CORES_MAX && (set[c / 64] >> (c % 64) & 1);
}

/*
 * first_hop[d] (CORES_MAX entries) for every core d: the neighbour of self
 * to send towards d, self for d == self, RP_NO_HOP when no path over cores
 * outside `down` reaches d.  `nolink` (may be NULL): neighbours of self
 * whose direct link is unusable (not taken as a first hop).
 */
void rp_first_hops(const struct rp_graph *g, unsigned self, const uint64_t *down,
		   const uint64_t *nolink, uint16_t *first_hop);

static inline uint16_t rp_link_type(uint16_t type, unsigned hops)
{
	return (uint16_t)((hops & RP_HOPS_MAX) << RP_TYPE_BITS | (type & ((1u << RP_TYPE_BITS) - 1)));
}

static inline uint16_t rp_link_msg_type(uint16_t word)
{
	return (uint16_t)(word & ((1u << RP_TYPE_BITS) - 1));
}

static inline unsigned rp_link_hops(uint16_t word)
{
	return (unsigned)(word >> RP_TYPE_BITS) & RP_HOPS_MAX;
}

/* A message that crossed `hops` links may cross one more on a machine of ncores. */
static inline bool rp_may_forward(unsigned hops, unsigned ncores)
{
	return hops + 1 <= (ncores ? ncores - 1 : 0);
}

#endif
