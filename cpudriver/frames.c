/* frames.c: frame ownership, mapping counts and quotas (see kernel/frames.h). */
#include <kernel/chanreg.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/domain.h>
#include <kernel/frames.h>
#include <kernel/memlayout.h>
#include <kernel/panic.h>
#include <kernel/pmm.h>
#include <arch/paging.h>
#include <lib/string.h>

_Static_assert(FRAME_PINNED == DOMAIN_FRAME_PINNED && FRAME_MONMEM == DOMAIN_FRAME_MONMEM,
	       "kinds are the entry bits");

#define ENTRY_ADDR (~(uint64_t)(PAGE_SIZE - 1))
#define TABLES_PER_MAP 3 /* a 4 KiB mapping may need a PDPT, a PD and a PT */

static struct pmm_pool *pool(void)
{
	return cpu_self()->pool;
}

int frames_find(const struct domain *d, uint64_t pa)
{
	if (pa & (PAGE_SIZE - 1))
		return -1;
	for (uint64_t i = 0; i < d->nframes; i++)
		if ((d->frames[i] & ENTRY_ADDR) == pa)
			return (int)i;
	return -1;
}

static uint64_t charged(const struct domain *d)
{
	return d->nframes + d->table_frames;
}

uint64_t frames_room(const struct domain *d)
{
	uint64_t used = charged(d), room = d->frame_quota > used ? d->frame_quota - used : 0;
	uint64_t slots = DOMAIN_MAX_FRAMES - d->nframes;
	return room < slots ? room : slots;
}

static err_t over_quota(struct domain *d, const char *request, uint64_t need)
{
	domain_refused(d, request, ERR_QUOTA,
		       "frame quota %lu reached (%lu frames owned, %lu page tables, %lu more asked)",
		       d->frame_quota, d->nframes, d->table_frames, need);
	return ERR_QUOTA;
}

err_t frames_own(struct domain *d, uint64_t pa, uint64_t kind, const char *request)
{
	assert(!(pa & (PAGE_SIZE - 1)) && !(kind & ~(FRAME_PINNED | FRAME_MONMEM)));
	assert(frames_find(d, pa) < 0);
	if (d->nframes >= DOMAIN_MAX_FRAMES)
		return ERR_FULL;
	if (charged(d) >= d->frame_quota)
		return over_quota(d, request, 1);
	d->frames[d->nframes++] = pa | kind;
	return ERR_OK;
}

/* Remove entry i; it must have no SYS_MAP mapping left. */
static void disown(struct domain *d, int i)
{
	assert(i >= 0 && (uint64_t)i < d->nframes && !(d->frames[i] & DOMAIN_FRAME_MAPS));
	d->frames[i] = d->frames[--d->nframes];
}

err_t frames_alloc(struct domain *d, uint64_t *pa)
{
	if (!frames_room(d))
		return d->nframes >= DOMAIN_MAX_FRAMES ? ERR_NOMEM
						       : over_quota(d, "SYS_FRAME_ALLOC", 1);
	err_t e = pmm_alloc(pool(), pa);
	if (e)
		return e;
	memset(phys_to_virt(*pa), 0, PAGE_SIZE);
	return frames_own(d, *pa, FRAME_POOL, "SYS_FRAME_ALLOC");
}

err_t frames_free(struct domain *d, uint64_t pa)
{
	int i = frames_find(d, pa);
	if (i < 0 || (d->frames[i] & (DOMAIN_FRAME_PINNED | DOMAIN_FRAME_MONMEM)))
		return ERR_PERM;
	if (d->frames[i] & DOMAIN_FRAME_MAPS)
		return ERR_BUSY;
	chanreg_remove(pa); /* a channel area's first frame: no more SYS_CHAN_MAP of it */
	disown(d, i);
	pmm_free(pool(), pa, 1);
	return ERR_OK;
}

err_t frames_grant(struct domain *d, uint64_t pa)
{
	if (frames_find(d, pa) >= 0)
		return ERR_EXIST;
	return frames_own(d, pa, FRAME_MONMEM, "SYS_FRAME_GRANT");
}

err_t frames_revoke(struct domain *d, uint64_t pa)
{
	int i = frames_find(d, pa);
	if (i < 0 || !(d->frames[i] & DOMAIN_FRAME_MONMEM))
		return ERR_PERM;
	if (d->frames[i] & DOMAIN_FRAME_MAPS)
		return ERR_BUSY;
	disown(d, i);
	return ERR_OK;
}

/* vm_map into d, charging the page tables it makes to d. */
static err_t map_charged(struct domain *d, uint64_t va, uint64_t pa, uint64_t pte,
			 const char *request)
{
	if (charged(d) + TABLES_PER_MAP > d->frame_quota)
		return over_quota(d, request, TABLES_PER_MAP);
	uint64_t before = pool()->free;
	err_t e = vm_map(d->pml4, va, pa, pte | PTE_U, pool());
	d->table_frames += before - pool()->free; /* tables stay until the domain ends */
	return e;
}

err_t frames_map(struct domain *d, uint64_t va, uint64_t pa, bool write, bool exec)
{
	int i = frames_find(d, pa);
	if (i < 0 || (d->frames[i] & DOMAIN_FRAME_PINNED))
		return ERR_PERM;
	uint64_t *f = &d->frames[i];
	assert(!((*f & DOMAIN_FRAME_W) && (*f & DOMAIN_FRAME_X)));
	/* W^X holds across mappings too: never a writable and an executable alias */
	if ((write && (*f & DOMAIN_FRAME_X)) || (exec && (*f & DOMAIN_FRAME_W)) ||
	    (write && exec))
		return ERR_PERM;
	if ((*f & DOMAIN_FRAME_MAPS) == DOMAIN_FRAME_MAPS)
		return ERR_FULL;
	err_t e = map_charged(d, va, pa, (write ? PTE_W : 0) | (exec ? 0 : PTE_NX), "SYS_MAP");
	if (!e)
		*f = (*f + 1) | (write ? DOMAIN_FRAME_W : 0) | (exec ? DOMAIN_FRAME_X : 0);
	return e;
}

err_t frames_unmap(struct domain *d, uint64_t va)
{
	uint64_t pte = vm_lookup(d->pml4, va);
	if (!(pte & PTE_P))
		return ERR_NOENT;
	int i = frames_find(d, pte & PTE_ADDR);
	if (i < 0 || (d->frames[i] & DOMAIN_FRAME_PINNED) || !(d->frames[i] & DOMAIN_FRAME_MAPS))
		return ERR_PERM; /* the loader's pages and channel areas stay */
	vm_unmap(d->pml4, va, 0);
	uint64_t *f = &d->frames[i];
	if ((--*f & DOMAIN_FRAME_MAPS) == 0)
		*f &= ~(DOMAIN_FRAME_W | DOMAIN_FRAME_X);
	return ERR_OK;
}

int64_t frames_mapped_at(const struct domain *d, uint64_t va)
{
	uint64_t pte = vm_lookup(d->pml4, va);
	if (!(pte & PTE_P))
		return ERR_NOENT;
	int i = frames_find(d, pte & PTE_ADDR);
	if (i < 0 || (d->frames[i] & DOMAIN_FRAME_PINNED) || !(d->frames[i] & DOMAIN_FRAME_MAPS))
		return ERR_PERM;
	return (int64_t)(pte & PTE_ADDR);
}

err_t frames_protect(struct domain *d, uint64_t va, bool write, bool exec, bool check)
{
	int64_t pa = frames_mapped_at(d, va);
	if (pa < 0)
		return (err_t)pa;
	if (write && exec)
		return ERR_PERM;
	uint64_t pte = vm_lookup(d->pml4, va);
	uint64_t *f = &d->frames[frames_find(d, (uint64_t)pa)];
	bool had_w = pte & PTE_W, had_x = !(pte & PTE_NX);
	if ((*f & DOMAIN_FRAME_MAPS) > 1 && ((write && !had_w) || (exec && !had_x)))
		return ERR_PERM;       /* another alias may hold the other right */
	if (check)
		return ERR_OK;
	vm_protect(d->pml4, va, (write ? PTE_W : 0) | (exec ? 0 : PTE_NX));
	if ((*f & DOMAIN_FRAME_MAPS) == 1)
		*f = (*f & ~(DOMAIN_FRAME_W | DOMAIN_FRAME_X)) | (write ? DOMAIN_FRAME_W : 0) |
		     (exec ? DOMAIN_FRAME_X : 0);
	return ERR_OK;
}

err_t frames_map_other(struct domain *d, uint64_t va, uint64_t pa, uint64_t pte_flags)
{
	return map_charged(d, va, pa, pte_flags, "mapping");
}

/* Pool frames go back to the pool; monitors' memory to the core's monitor. */
static void release(struct domain *d, uint64_t entry)
{
	uint64_t pa = entry & ENTRY_ADDR;
	struct domain *mon = cpu_self()->sched.monitor;
	if (!(entry & DOMAIN_FRAME_MONMEM))
		pmm_free(pool(), pa, 1);
	else if (mon && mon != d && frames_find(mon, pa) >= 0)
		return; /* the monitor holds it already */
	else if (!mon || mon == d || frames_own(mon, pa, FRAME_MONMEM, "taking back memory"))
		klog("domain %u: frame %#lx of monitor memory has no owner left\n", d->id, pa);
}

void frames_release_all(struct domain *d)
{
	for (uint64_t i = 0; i < d->nframes; i++)
		release(d, d->frames[i]);
	d->nframes = 0;
}
