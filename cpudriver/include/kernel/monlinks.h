/*
 * monlinks.h: the boot-time layout of the links between monitors and of the
 * memory the monitors hand out (sys/monitor.h).
 *
 * monlinks_plan() runs on the boot core after the core pools are planned
 * and before any AP starts.  It builds the broadcast tree of the started
 * cores (printed as `core 0: bcast: ...` lines) and links core 0 to every
 * core, each tree edge, each pair of neighbours in core-number order
 * (the ring the monitors' liveness watches along) and cores 1 and n-1 (so
 * that 1..n-1 form a ring without core 0), takes one page per link
 * from the free RAM of the link's far end's node (the core farther from
 * core 0 receives the requests), formats it as a URPC area, and records
 * the free RAM left over as the monitors' memory.  All of it is a boot-time
 * fact, written before the APs start, except the areas of a restarted
 * core's links (monlinks_renew).
 */
#ifndef KERNEL_MONLINKS_H
#define KERNEL_MONLINKS_H
#include <stdint.h>
#include <kernel/memrange.h>
#include <sys/monitor.h>

void monlinks_plan(struct mem_ranges *free_ram, unsigned ncores);

/*
 * Links of `core`: fills out[0..n) and pa[0..n) (physical address of each
 * link's area) and returns n (<= max).
 */
unsigned monlinks_of(unsigned core, struct monitor_link *out, uint64_t *pa, unsigned max);

/* How many links `core` has (monlinks_of's n without a limit). */
unsigned monlinks_count(unsigned core);

/*
 * A stopped core is restarted (kernel/smp.h, one restart at a time): every
 * link of `core` gets a fresh, formatted area (a released link page,
 * kernel/poolreuse.h, else a frame of `pool`, the restarted core's new
 * pool).  The old areas are left as they are: live monitors still map them
 * until they move to the new ones (SYS_MONLINK_RESET); their addresses go
 * to old[0..*nold) (MONITOR_MAX_LINKS room), to be retired with the pool.
 */
struct pmm_pool;
err_t monlinks_renew(unsigned core, struct pmm_pool *pool, uint64_t *old, unsigned *nold);

/* Parent of core in the broadcast tree, MONITOR_NO_PARENT for core 0. */
uint32_t monlinks_parent(unsigned core);
/* Every link of every monitor: out[0..n), returns n (<= max). */
unsigned monlinks_graph(struct monitor_edge *out, unsigned max);

/* The monitors' memory (for core 0's monitor_info), and membership. */
unsigned monlinks_mem(struct monitor_mem *out, unsigned max);
/* Every core's node and the nodes' distances into info (the started cores' model). */
void monlinks_numa(struct monitor_info *info);
int monlinks_is_monitor_mem(uint64_t pa);
/* The node of [pa, pa + bytes) if it lies inside one range of the monitors' memory; -1 if not. */
int monlinks_mem_node(uint64_t pa, uint64_t bytes);

#endif
