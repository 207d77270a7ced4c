/*
 * corepool.h: carving each core's private pool of physical memory at boot.
 *
 * The boot core plans every AP's pool before starting any AP.  Policy:
 *  - a core's pool comes from the free RAM of its own NUMA node (the node's
 *    ranges from the topology model; with no SRAT everything is node 0);
 *  - size = min(COREPOOL_MAX, node_free / (2 * cores_on_node)), rounded
 *    down to 2 MiB (4 KiB below 2 MiB), so at least half of every node's
 *    free RAM stays for the monitors to hand out later;
 *  - but when that half gives less than COREPOOL_LEAN per core, pools take
 *    up to 7/8 of the node (at most COREPOOL_LEAN each): a core's kernel
 *    tables and its monitor use about 0.65 MiB before any domain runs, so a
 *    1 MiB pool leaves room for one small domain (255 cores in 512 MiB: the
 *    ping-pong's pairs ran out), while the monitors' memory is rarely used;
 *  - when that share is below COREPOOL_MIN, cores get COREPOOL_MIN each, in
 *    core order, while the node's memory lasts (the half-for-the-monitors
 *    rule gives way: a started core beats a reserve); a core left without a
 *    pool gets ERR_NOMEM in its slot: it is reported and not started, the
 *    others still are;
 *  - a core whose node has no memory, or too little for one more minimum
 *    pool, takes its pool from the nearest node that has (SLIT distance,
 *    then the lower node number); `node` says where the pool lies and
 *    `borrowed` that it is not the core's own node.  Such cores count in
 *    the share of the node they borrow from.  Only a machine whose memory
 *    cannot give every core the minimum leaves cores without a pool.
 *
 * Pure code (host-tested): plans on a copy of the free ranges and removes
 * what it gives out from *free_ram.
 */
#ifndef KERNEL_COREPOOL_H
#define KERNEL_COREPOOL_H
#include <stdint.h>
#include <kernel/memrange.h>
#include <topology/topo.h>

#define COREPOOL_MAX (64ull << 20)
#define COREPOOL_MIN (1ull << 20)
#define COREPOOL_LEAN (2ull << 20)

struct corepool {
	err_t err;      /* ERR_OK, or why this core has no pool */
	uint64_t base;  /* physical, page aligned */
	uint64_t size;
	uint32_t node;  /* the node the pool lies in (when err == ERR_OK) */
	uint32_t borrowed; /* 1: not the core's own node (none or too little there) */
};

/*
 * Plans pools for cores [first, ncores) of t (ncores <= t->ncores).
 * out[i] is filled for every i in [first, ncores); returns how many pools
 * were given out.
 */
unsigned corepool_plan(struct mem_ranges *free_ram, const struct topo *t,
		       unsigned first, unsigned ncores, struct corepool *out);

/* Takes size bytes aligned to align from the free RAM of `node`. */
err_t corepool_take(struct mem_ranges *free_ram, const struct topo *t, uint32_t node,
		    uint64_t size, uint64_t align, uint64_t *base);

/* The node whose memory holds [base, base + size); -1 if none does. */
int corepool_node_of(const struct topo *t, uint64_t base, uint64_t size);

/* Whether the model gives node any memory at all. */
int corepool_node_has_memory(const struct topo *t, uint32_t node);

/* Whether [base, base + size) lies inside memory of node `node` in t. */
int corepool_in_node(const struct topo *t, uint32_t node, uint64_t base, uint64_t size);

#endif
