/*
 * pmm.h: a core's pool of physical page frames.
 *
 * Each CPU driver owns one pool: a contiguous physical range carved at boot
 * from its NUMA node's memory (memrange.h).  The pool tracks 4 KiB frames in
 * a bitmap stored at the start of the range itself, so a pool needs no other
 * memory.  Only the owning core calls these functions (no locks).
 *
 * Pure code: the pool is given the range's physical base and a pointer
 * through which the range can be written (the direct map in the kernel, a
 * plain buffer in host tests).
 */
#ifndef KERNEL_PMM_H
#define KERNEL_PMM_H

#include <stdbool.h>
#include <stdint.h>
#include <lib/err.h>

#define PAGE_SIZE 4096ull
#define PAGE_SHIFT 12

struct pmm_pool {
	uint64_t base;      /* physical, page aligned */
	uint64_t nframes;   /* frames in the range, bitmap ones included */
	uint64_t free;      /* frames free now */
	uint64_t hint;      /* where the next search starts */
	uint64_t reserved;  /* leading frames that hold the bitmap */
	uint64_t *bitmap;   /* bit set = frame in use */
};

/*
 * Make a pool of the page-aligned range [base, base + size), writable at
 * `mem`.  The bitmap takes the first frames of the range.  ERR_INVAL for an
 * unaligned or too small range.
 */
err_t pmm_pool_init(struct pmm_pool *p, uint64_t base, uint64_t size, void *mem);
/* One free frame: ERR_NOMEM when none is left. */
err_t pmm_alloc(struct pmm_pool *p, uint64_t *pa);
/* n physically contiguous frames, aligned to `align_frames` frames. */
err_t pmm_alloc_contig(struct pmm_pool *p, uint64_t n, uint64_t align_frames, uint64_t *pa);
/*
 * Give back n frames at pa.  ERR_RANGE if they are not all in this pool,
 * ERR_INVAL if any of them is already free (double free); nothing changes then.
 */
err_t pmm_free(struct pmm_pool *p, uint64_t pa, uint64_t n);
bool pmm_owns(const struct pmm_pool *p, uint64_t pa);

#endif
