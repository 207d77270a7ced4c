/*
 * poolreuse.h: the pools restarted cores run in, and giving a restarted
 * core's old pool back once nobody maps anything in it.
 *
 * A restart (kernel/smp.h) builds the core's new CPU driver in a pool that
 * nothing else uses: a spare of this table, or a pool the requesting
 * monitor gives from its share of the monitors' memory (which joins the
 * table for good when it is retired).  The pool of the life that ended
 * (and its link pages that lie outside that pool: the boot-time ones) is
 * *retired*: nobody may use it while another core may still map a part of
 * it (a client's channel area, a spanning instance's view of a home's
 * frames, a monitor's old link page) or hold a kernel pointer into it.
 *
 * The monitors agree by messages when it is free (monitor/poolreuse.c):
 * every live monitor asks its own CPU driver poolreuse_mapped_here, which
 * counts the user mappings of this core's domains (monitor included) into
 * the retired ranges, the span queue pointers into them and this core's
 * channel notification entries for them.  The count is exact for this
 * core: only this core edits its domains' tables, and the call runs
 * between two of its own system calls, so no call of this core that read
 * an address of the old life before the restart is still running (a
 * kernel pointer read from core_status is used within one call).  When
 * every live monitor has answered 0, the restarting monitor calls
 * poolreuse_release and the pool is a spare again, for any restart on its
 * node or a near one; released link pages serve the next renewals of
 * links (monlinks_renew) before a new pool's frames do.
 *
 * Each retired pool also records the incarnation of the core whose
 * monitor coordinates its release: the restarting core's, at first.  If
 * that incarnation ends before the release (stopped, fenced, restarted),
 * poolreuse_adopt hands the pool to the calling core, whose monitor runs
 * the agreement again from the start: a release is never left half done
 * by a coordinator that died.  Adoption is exclusive (under the table's
 * lock), so one monitor coordinates each pool at a time.
 *
 * Frames of the monitors' memory that the ended life's domains held (not
 * its monitor's: its share's free map stays with the core) are retired
 * with the pool when that life stopped at a known point (the stop IPI,
 * taken only where interrupts are enabled, never inside the kernel): the
 * list is read from the ended life's own domain tables, which lie in the
 * retired pool and stay intact until it is released.  They count in
 * poolreuse_mapped_here like the pool (a spanning instance elsewhere may
 * map a home's frames), and poolreuse_monmem copies them out for the
 * coordinator, which gives them back to their owners when it releases the
 * pool.  A life that ended otherwise (fenced by NMI, a panic: halted
 * anywhere, maybe in the middle of an update) keeps them out of use.
 *
 * Shared by every CPU driver (one table, spinlock); records are named by
 * (core, generation): the retired pool of incarnation `generation` of core.
 */
#ifndef KERNEL_POOLREUSE_H
#define KERNEL_POOLREUSE_H
#include <stdbool.h>
#include <stdint.h>
#include <lib/err.h>
#include <kernel/corepool.h>

struct cpu;

#define POOLREUSE_MAX 64              /* pools in the table: spares, in use, retired */
#define POOLREUSE_LINKS 64            /* link pages outside pools, per retired pool */

/* Boot: a spare of size bytes at base on node. */
void poolreuse_add_spare(uint64_t base, uint64_t size, uint32_t node);
/* How many spares the table holds (boot report). */
unsigned poolreuse_spares(void);
/*
 * A free pool for a core of node `own`: on that node, else the nearest
 * (dist(own, n)); marked in use; ERR_NOMEM if none.  poolreuse_unuse gives
 * it back when the restart failed before anything referred to it.
 */
err_t poolreuse_take(uint32_t own, const uint8_t *dist_row, struct corepool *out);
void poolreuse_unuse(uint64_t base);
/*
 * Incarnation `generation` of core ended and its successor runs in another
 * pool: `old` and the link pages link_pa[0..nlinks) (those outside `old`
 * are kept with it) are retired.  Logs if the table has no room (the pool
 * is then never reused).
 */
void poolreuse_retire(unsigned core, uint32_t generation, const struct corepool *old,
		      const uint64_t *link_pa, unsigned nlinks);
/*
 * Mappings on this core into the retired pool of (core, generation): the
 * count in the low 32 bits, the first mapping domain's id in bits 32-62;
 * ERR_NOENT if no such pool is retired (released already, or never).
 */
int64_t poolreuse_mapped_here(unsigned core, uint32_t generation);
/* smp.c: core c's life starts (its struct cpu); sched.c: it took the stop IPI. */
void poolreuse_life_started(struct cpu *c);
void poolreuse_life_stopped_cleanly(unsigned core);
/*
 * The frames of the monitors' memory that the domains of incarnation
 * `generation` of core held: numbers from..from+max-1 of them into out;
 * how many there are in all (0 if that life did not stop cleanly);
 * ERR_NOENT if that pool is not retired.  Call before poolreuse_release.
 */
int64_t poolreuse_monmem(unsigned core, uint32_t generation, uint64_t from, uint64_t *out,
			 uint64_t max);
/*
 * One retired pool whose coordinator's incarnation has ended (its core is
 * not up, or was restarted since) becomes the calling core's to
 * coordinate: core | generation << 32; ERR_NOENT if there is none.
 */
int64_t poolreuse_adopt(void);
/* The retired pool of (core, generation) is a spare again: ERR_NOENT. */
err_t poolreuse_release(unsigned core, uint32_t generation);
/* A released link page (formatted by the caller), if any; give_link puts one back. */
bool poolreuse_take_link(uint64_t *pa);
void poolreuse_give_link(uint64_t pa);

#endif
