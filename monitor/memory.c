/*
 * memory.c: the monitors' memory, kept by core 0's monitor.
 *
 * The CPU drivers give every core a pool at boot; everything left over is
 * listed in core 0's monitor_info.mem and handed out here, frame by frame,
 * to whoever asks through its monitor (MON_MEM_ALLOC_REQ).  A frame has one
 * owner at a time: the kernel of the owner's core enforces it, the monitors
 * move ownership with MON_MEM_SEND_REQ.  A frame handed out comes back
 * with memory_free (on core 0) and is handed out again before new ones;
 * the free list holds MEMORY_FREE_MAX frames.  What each domain may hold is
 * limited by its quota (quota.h).  A domain's frames go to its core's
 * monitor when it ends (not back here yet).
 */
#include "monitor.h"

#define MEMORY_FREE_MAX 1024

static uint64_t next[MONITOR_MAX_MEM];
static uint64_t freed[MEMORY_FREE_MAX];
static unsigned nfreed;

void memory_free(uint64_t pa)
{
	if (nfreed < MEMORY_FREE_MAX)
		freed[nfreed++] = pa;
	else
		mon_log("memory: free list full; frame 0x%lx not reused", (unsigned long)pa);
}

void memory_init(void)
{
	for (unsigned i = 0; i < mon_info->nmem && i < MONITOR_MAX_MEM; i++) {
		next[i] = mon_info->mem[i].base;
		mon_log("memory: 0x%lx-0x%lx node %u", (unsigned long)mon_info->mem[i].base,
			(unsigned long)(mon_info->mem[i].base + mon_info->mem[i].len - 1),
			mon_info->mem[i].node);
	}
}

err_t memory_alloc(uint32_t npages, uint64_t *pa)
{
	uint64_t bytes = (uint64_t)npages * 4096;
	if (npages == 1 && nfreed) {
		*pa = freed[--nfreed];
		return ERR_OK;
	}
	for (unsigned i = 0; i < mon_info->nmem && i < MONITOR_MAX_MEM; i++) {
		const struct monitor_mem *m = &mon_info->mem[i];
		if (m->base + m->len - next[i] >= bytes) {
			*pa = next[i];
			next[i] += bytes;
			return ERR_OK;
		}
	}
	return ERR_NOMEM;
}
