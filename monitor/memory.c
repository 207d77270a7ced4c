/*
 * memory.c: the monitors' memory, kept by core 0's monitor.
 *
 * The CPU drivers give every core a pool at boot; everything left over is
 * listed in core 0's monitor_info.mem and handed out here, frame by frame,
 * to whoever asks through its monitor (MON_MEM_ALLOC_REQ).  A frame has one
 * owner at a time: the kernel of the owner's core enforces it, the monitors
 * move ownership with MON_MEM_SEND_REQ.  Frames are not returned here (a
 * domain's frames go to its core's monitor when it ends).
 */
#include "monitor.h"

static uint64_t next[MONITOR_MAX_MEM];

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
