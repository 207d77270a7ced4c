/*
 * monitor/frameset.h: one monitor's share of the monitors' memory, as a
 * bitmap allocator of 4 KiB frames.
 *
 * A frameset is a list of page-aligned extents (the pieces of the spare RAM
 * this monitor owns, monitor/memory.c) and one bitmap over their frames in
 * order: bit i set = frame i is handed out (or holds the bitmap itself).
 * The bitmap lives in memory the caller gives (attach); the monitor keeps it
 * in the first frames of its own share, so a monitor that starts again on a
 * restarted core finds its predecessor's state there.
 *
 * Invariants after every call:
 *  - extents are page-aligned, non-empty and pairwise disjoint;
 *  - nfree == the number of clear bits among the first npages;
 *  - a frame is handed out by alloc only while its bit is clear, and its bit
 *    is set on the way out, so no frame is handed out twice without a free;
 *  - free accepts only frames of the set (ERR_FOREIGN) whose bit is set
 *    (ERR_FREED: a double free) and changes nothing on a refusal.
 * Freed neighbours need no merging: the bitmap is the free-extent map, and
 * alloc of n frames finds any n clear bits in a row inside one extent.
 *
 * Pure and freestanding, single-threaded (one monitor); host-tested with
 * sanitizers (tests/unit/test_frameset.c).
 */
#ifndef MONITOR_FRAMESET_H
#define MONITOR_FRAMESET_H
#include <stdbool.h>
#include <stdint.h>
#include <lib/err.h>

#define FRAMESET_EXTENTS 32
#define FRAMESET_PAGE    4096ull
#define FRAMESET_WORDS(n) (((n) + 63) / 64)   /* bitmap words for n frames */

struct frameset_extent {
	uint64_t base;               /* physical, page-aligned */
	uint64_t pages;
	uint64_t first;              /* index of its first frame in the bitmap */
};

struct frameset {
	struct frameset_extent ext[FRAMESET_EXTENTS];
	unsigned next;
	uint64_t npages;             /* frames in all extents */
	uint64_t nfree;
	uint64_t cursor;             /* no free frame below this index (first fit's hint) */
	uint64_t *bits;              /* frameset_words(npages) words; 0 before attach */
};

/* An empty set (no extents, no bitmap). */
void frameset_init(struct frameset *s);
/*
 * Adds [base, base + pages frames) before attach: ERR_INVAL if unaligned,
 * empty or overlapping an extent already there, ERR_FULL past
 * FRAMESET_EXTENTS, ERR_BUSY once attached.
 */
err_t frameset_add(struct frameset *s, uint64_t base, uint64_t pages);
/* 64-bit words of a bitmap for npages frames (FRAMESET_WORDS). */
uint64_t frameset_words(uint64_t npages);
/*
 * Uses bits (frameset_words(s->npages) words) as the bitmap: cleared when
 * fresh (every frame free), else kept as found (bits past npages cleared)
 * and nfree counted from it.
 */
void frameset_attach(struct frameset *s, uint64_t *bits, bool fresh);
/* Whether pa is a frame of the set. */
bool frameset_contains(const struct frameset *s, uint64_t pa);
/* Frame index of pa; -1 if not in the set. */
int64_t frameset_index(const struct frameset *s, uint64_t pa);
/*
 * npages contiguous free frames of one extent, the lowest such run (first
 * fit: a freed frame is the next handed out), marked used: *pa the first.
 * ERR_NOMEM if none.
 */
err_t frameset_alloc(struct frameset *s, uint64_t npages, uint64_t *pa);
/* The same, with the first frame's physical address a multiple of align (a power of two). */
err_t frameset_alloc_aligned(struct frameset *s, uint64_t npages, uint64_t align, uint64_t *pa);
/* Marks frame pa used (the bitmap's own frames): ERR_FOREIGN, ERR_EXIST if used already. */
err_t frameset_reserve(struct frameset *s, uint64_t pa);
/* Frame pa is free again: ERR_FOREIGN (not of the set), ERR_FREED (free already). */
err_t frameset_free(struct frameset *s, uint64_t pa);
/* Whether frame pa (of the set) is handed out. */
bool frameset_used(const struct frameset *s, uint64_t pa);

#endif
