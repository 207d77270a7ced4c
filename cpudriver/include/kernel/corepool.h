/*
 * corepool.h: carving each core's private pool of physical memory at boot.
 *
 * The boot core plans every AP's pool before starting any AP.  Policy:
 *  - a core's pool comes from the free RAM of its own NUMA node (the node's
 *    ranges from the topology model; with no SRAT everything is node 0);
 *  - size = min(COREPOOL_MAX, node_free / (2 * cores_on_node)), rounded
 *    down to 2 MiB (4 KiB below 2 MiB), so at least half of every node's
 *    free RAM stays for the monitors to hand out later (issue 6);
 *  - when that share is below COREPOOL_MIN, cores get COREPOOL_MIN each, in
 *    core order, while the node's memory lasts (the half-for-the-monitors
 *    rule gives way: a started core beats a reserve); a core left without a
 *    pool gets ERR_NOMEM in its slot: it is reported and not started, the
 *    others still are.
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

struct corepool {
	err_t err;      /* ERR_OK, or why this core has no pool */
	uint64_t base;  /* physical, page aligned */
	uint64_t size;
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

/* Whether [base, base + size) lies inside memory of node `node` in t. */
int corepool_in_node(const struct topo *t, uint32_t node, uint64_t base, uint64_t size);

#endif
