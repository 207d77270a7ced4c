/*
 * frames.h: which frames a domain owns, how often it mapped them, and what
 * that costs against its quota.  The only code that reads or writes the
 * ownership entries (struct domain's frames[]: page-aligned physical
 * address | DOMAIN_FRAME_* bits | mapping count).
 *
 * Kinds of owned frame:
 *   FRAME_POOL    from this core's pool (SYS_FRAME_ALLOC, channel areas the
 *                 monitor keeps); freed back to the pool
 *   FRAME_PINNED  the loader's (image, stack, start info, dispatcher page,
 *                 the monitor's info pages): never mapped, unmapped or freed
 *                 by the domain; pool frames freed when it ends
 *   FRAME_MONMEM  a frame of the monitors' memory (SYS_FRAME_GRANT); never
 *                 freed to a pool: it goes back to the core's monitor
 *
 * Quota.  A domain may hold at most d->frame_quota frames, counting the
 * frames it owns and the page-table frames built for its address space
 * (charged when a mapping makes the kernel allocate them).  A request that
 * would exceed it fails with ERR_QUOTA and one log line naming the domain
 * and the limit.  Everything is given back when the domain ends
 * (frames_release_all and the page tables, domain_destroy).
 *
 * Invariants (asserted): an entry's address is page-aligned and appears at
 * most once; a pinned frame has no SYS_MAP mappings; a frame is disowned or
 * freed only with no SYS_MAP mapping left; a frame never has both a
 * writable and an executable SYS_MAP mapping.  Only the owning core calls
 * these, for its own domains.
 */
#ifndef KERNEL_FRAMES_H
#define KERNEL_FRAMES_H
#include <stdbool.h>
#include <stdint.h>
#include <lib/err.h>

struct domain;

#define FRAME_POOL   0ull
#define FRAME_PINNED 0x400ull   /* DOMAIN_FRAME_PINNED */
#define FRAME_MONMEM 0x800ull   /* DOMAIN_FRAME_MONMEM */

/* Index of pa among d's owned frames, or -1. */
int frames_find(const struct domain *d, uint64_t pa);
/* Frames d may still take (quota and table room), counting page tables. */
uint64_t frames_room(const struct domain *d);
/* d becomes the owner of pa (not owned yet) as `kind`: ERR_QUOTA, ERR_FULL. */
err_t frames_own(struct domain *d, uint64_t pa, uint64_t kind, const char *request);
/* A zeroed pool frame owned by d (SYS_FRAME_ALLOC): ERR_QUOTA, ERR_NOMEM. */
err_t frames_alloc(struct domain *d, uint64_t *pa);
/* Give an unmapped pool frame back (SYS_FRAME_FREE): ERR_PERM, ERR_BUSY. */
err_t frames_free(struct domain *d, uint64_t pa);
/* A frame of the monitors' memory for d (SYS_FRAME_GRANT): ERR_EXIST... */
err_t frames_grant(struct domain *d, uint64_t pa);
/* Take it back, unmapped (SYS_FRAME_REVOKE): ERR_PERM, ERR_BUSY. */
err_t frames_revoke(struct domain *d, uint64_t pa);
/*
 * Map owned, unpinned frame pa at va (SYS_MAP): ERR_PERM (not owned,
 * pinned, W^X), ERR_FULL (mapped too often), ERR_QUOTA (page tables),
 * ERR_EXIST (va taken).
 */
err_t frames_map(struct domain *d, uint64_t va, uint64_t pa, bool write, bool exec);
/* Undo one frames_map at va (SYS_UNMAP): ERR_NOENT, ERR_PERM. */
err_t frames_unmap(struct domain *d, uint64_t va);
/*
 * The frame d mapped at va with frames_map (ERR_NOENT not mapped, ERR_PERM
 * a page SYS_UNMAP would refuse: the loader's, a channel, not owned).
 */
int64_t frames_mapped_at(const struct domain *d, uint64_t va);
/*
 * Change the rights of d's frames_map mapping at va to write/exec (never
 * both).  W^X across aliases: a frame mapped once takes the new rights; a
 * frame mapped more than once may only lose rights (ERR_PERM otherwise,
 * as for a page frames_mapped_at refuses).  With check set nothing
 * changes: only the answer.
 */
err_t frames_protect(struct domain *d, uint64_t va, bool write, bool exec, bool check);
/*
 * Map a frame d does not own as SYS_MAP cannot (a loader page, a channel
 * area, a link) with PTE flags; page tables charged to d.
 */
err_t frames_map_other(struct domain *d, uint64_t va, uint64_t pa, uint64_t pte_flags);
/* d ended: pool frames to the pool, monitors' memory to the core's monitor. */
void frames_release_all(struct domain *d);

#endif
