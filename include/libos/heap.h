/*
 * libos/heap.h: the allocator core behind malloc (libos/heap.c).
 *
 * A heap manages one contiguous address range [base, limit).  Memory is
 * usable only up to `top`, which grows by whole pages through a page
 * source the caller supplies: in a domain, SYS_FRAME_ALLOC + SYS_MAP
 * (libos/malloc.c); in a host test, a block of host memory.  The core makes
 * no system calls and keeps no global state, so it builds and is tested on
 * the host (tests/unit/test_malloc.c, with ASan poisoning of free and slack
 * bytes when built with -fsanitize=address).
 *
 * Layout.  [base, top) is tiled by blocks.  Each block starts with a
 * 16-byte header { size | in-use bit, size of the physically previous
 * block (0 for the first) }, so both neighbours are found in O(1).  A free
 * block keeps two free-list links in its first payload bytes.  Sizes are
 * multiples of 16, payloads 16-byte aligned, the smallest block is 32 bytes.
 *
 * Invariants (heap_check verifies them all):
 *  - the blocks tile [base, top) exactly, each prev_size is right;
 *  - no two free blocks are adjacent (free coalesces both ways);
 *  - the free list holds exactly the free blocks, each once.
 *
 * Policy: first fit on a LIFO free list, split when the rest is a block,
 * grow by at least `grow_min` bytes when nothing fits (merging with a free
 * last block first).  Memory is never returned to the page source.
 *
 * One heap is used by one thread at a time (no locks).
 */
#ifndef LIBOS_HEAP_H
#define LIBOS_HEAP_H

#include <lib/err.h>
#include <stddef.h>
#include <stdint.h>

#define HEAP_PAGE       4096u
#define HEAP_ALIGN      16u
#define HEAP_HDR        16u             /* header bytes before a payload */
#define HEAP_MIN_BLOCK  32u             /* header + two free-list links */
#define HEAP_GROW_MIN   (64u << 10)     /* default bytes per grow */

/*
 * Page source: make [at, at + bytes) usable, read-write memory and return
 * how many bytes from `at` on it did make usable: `bytes` on success, a
 * smaller multiple of HEAP_PAGE (possibly 0) when it ran out part-way.
 * `at` is the current top, `bytes` a multiple of HEAP_PAGE.  The heap
 * takes a short grow as free memory (nothing leaks, nothing is mapped
 * twice) and fails the allocation that needed more.
 */
struct heap_source {
	size_t (*grow)(void *ctx, uintptr_t at, size_t bytes);
	void *ctx;
};

struct heap_block;

struct heap {
	uintptr_t base, top, limit;     /* blocks tile [base, top) */
	struct heap_block *free_head;   /* doubly-linked free blocks */
	struct heap_block *last;        /* block ending at top, or NULL */
	struct heap_source src;
	size_t grow_min;                /* bytes per grow at least */
	size_t grows;                   /* successful grow calls */
	size_t in_use;                  /* blocks handed out */
};

/*
 * Set up an empty heap over [base, base + max).  base must be page-aligned
 * and max a multiple of HEAP_PAGE; ERR_INVAL otherwise (or if base + max
 * overflows, or src->grow is NULL).  Touches no memory of the range.
 */
err_t heap_init(struct heap *h, uintptr_t base, size_t max,
		const struct heap_source *src);

/* n bytes, 16-byte aligned; NULL when the page source or limit says no. */
void *heap_alloc(struct heap *h, size_t n);

/* n * size zeroed bytes; NULL also if the product overflows. */
void *heap_calloc(struct heap *h, size_t n, size_t size);

/*
 * Free p (NULL is a no-op).  ERR_INVAL, changing nothing, if p is not a
 * live block of this heap as far as its header shows (a stray pointer or
 * a second free of the same block).
 */
err_t heap_free(struct heap *h, void *p);

/*
 * Resize p to n bytes, in place when the block or its free successor has
 * room, else by alloc + copy + free.  *out is the new pointer; p NULL acts
 * as heap_alloc.  ERR_NOMEM (p untouched, *out NULL) or ERR_INVAL (p not a
 * live block).
 */
err_t heap_realloc(struct heap *h, void *p, size_t n, void **out);

/* Bytes usable at p (>= what was asked for); 0 if p is not a live block. */
size_t heap_usable(const struct heap *h, const void *p);

/* Verify every invariant above; ERR_OK or ERR_RANGE at the first breach. */
err_t heap_check(const struct heap *h);

/* Free bytes inside [base, top) (payload and headers of free blocks). */
size_t heap_free_bytes(const struct heap *h);

#endif
