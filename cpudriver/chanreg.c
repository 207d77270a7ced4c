/* chanreg.c: the registry of channel areas (see kernel/chanreg.h). */
#include <kernel/pooltable.h>
#include <kernel/chanreg.h>
#include <kernel/console.h>
#include <kernel/corestatus.h>
#include <kernel/cpu.h>
#include <kernel/memlayout.h>
#include <kernel/pmm.h>
#include <lib/string.h>

struct chanreg_entry {
	uint32_t valid;      /* release-stored last by the owner */
	uint32_t peer;
	uint32_t pages;
	uint32_t pad;
	uint64_t pa;
};

struct chanreg {
	struct chanreg_entry e[CHANREG_ENTRIES];
};


static struct chanreg *registry_of(unsigned core)
{
	if (core >= CORES_MAX)
		return 0;
	return __atomic_load_n(&core_status[core].chan_areas, __ATOMIC_ACQUIRE);
}

void chanreg_init(void)
{
	struct chanreg *r = pool_table_alloc(sizeof *r);
	if (!r) {
		klog("channel registry: no memory; this core creates no channels\n");
		return;
	}
	__atomic_store_n(&core_status[cpu_self()->id].chan_areas, r, __ATOMIC_RELEASE);
}

err_t chanreg_add(uint64_t pa, uint64_t pages, unsigned peer)
{
	struct chanreg *r = registry_of(cpu_self()->id);
	if (!r)
		return ERR_NOMEM;
	for (unsigned i = 0; i < CHANREG_ENTRIES; i++) {
		struct chanreg_entry *e = &r->e[i];
		if (__atomic_load_n(&e->valid, __ATOMIC_RELAXED))
			continue;
		e->pa = pa;
		e->pages = (uint32_t)pages;
		e->peer = peer;
		__atomic_store_n(&e->valid, 1, __ATOMIC_RELEASE);
		return ERR_OK;
	}
	return ERR_FULL;
}

void chanreg_remove(uint64_t pa)
{
	struct chanreg *r = registry_of(cpu_self()->id);
	for (unsigned i = 0; r && i < CHANREG_ENTRIES; i++)
		if (r->e[i].valid && r->e[i].pa == pa)
			__atomic_store_n(&r->e[i].valid, 0, __ATOMIC_RELEASE);
}

bool chanreg_handed_to_me(unsigned owner, uint64_t pa, uint64_t pages)
{
	struct chanreg *r = registry_of(owner);
	unsigned me = cpu_self()->id;
	for (unsigned i = 0; r && i < CHANREG_ENTRIES; i++) {
		const struct chanreg_entry *e = &r->e[i];
		if (!__atomic_load_n(&e->valid, __ATOMIC_ACQUIRE))
			continue;
		if (e->pa == pa && e->pages == pages && e->peer == me)
			return true;
	}
	return false;
}
