/*
 * memrange.h: a set of physical address ranges.
 *
 * Used at boot to turn the firmware's memory map into "free RAM": add the
 * usable regions, remove what is taken (kernel image, Multiboot data, boot
 * modules, the first MiB), then carve each core's pool out of what is left.
 * Ranges are kept sorted, disjoint and merged.  Fixed capacity, caller-owned
 * storage, pure code (host-tested).  Only the boot core uses it, before the
 * APs start.
 */
#ifndef KERNEL_MEMRANGE_H
#define KERNEL_MEMRANGE_H

#include <stdint.h>
#include <lib/err.h>

#define MEMRANGE_MAX 64

struct mem_range {
	uint64_t base;
	uint64_t end; /* exclusive */
};

struct mem_ranges {
	unsigned count;
	struct mem_range r[MEMRANGE_MAX];
};

void memrange_init(struct mem_ranges *m);
/* Add [base, end): merges with neighbours.  ERR_FULL if no slot is left. */
err_t memrange_add(struct mem_ranges *m, uint64_t base, uint64_t end);
/* Remove [base, end) wherever it overlaps.  ERR_FULL if a split needs a slot that is not there. */
err_t memrange_remove(struct mem_ranges *m, uint64_t base, uint64_t end);
/* Total bytes in the set. */
uint64_t memrange_total(const struct mem_ranges *m);
/* Bytes of the set inside [lo, hi). */
uint64_t memrange_total_within(const struct mem_ranges *m, uint64_t lo, uint64_t hi);
/*
 * Take `size` bytes aligned to `align` (a power of two) from the lowest
 * fitting place inside [lo, hi) and remove them from the set.
 * ERR_NOMEM if nothing fits; the set is unchanged then.
 */
err_t memrange_take(struct mem_ranges *m, uint64_t size, uint64_t align,
		    uint64_t lo, uint64_t hi, uint64_t *base_out);

#endif
