/* pooltable.c: zeroed per-core tables from the core's own pool (pooltable.h). */
#include <kernel/pooltable.h>
#include <kernel/cpu.h>
#include <kernel/memlayout.h>
#include <kernel/pmm.h>
#include <lib/string.h>

void *pool_table_alloc(size_t bytes)
{
	uint64_t frames = (bytes + PAGE_SIZE - 1) / PAGE_SIZE, pa;
	if (pmm_alloc_contig(cpu_self()->pool, frames, 1, &pa))
		return NULL;
	void *t = phys_to_virt(pa);
	memset(t, 0, frames * PAGE_SIZE);
	return t;
}
