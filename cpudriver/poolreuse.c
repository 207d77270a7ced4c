/* poolreuse.c: restart pools, retired and given back (see kernel/poolreuse.h). */
#include <kernel/chanwake.h>
#include <kernel/console.h>
#include <kernel/corestatus.h>
#include <kernel/cpu.h>
#include <kernel/domain.h>
#include <kernel/memlayout.h>
#include <kernel/monlinks.h>
#include <kernel/pmm.h>
#include <kernel/poolreuse.h>
#include <kernel/sched.h>
#include <arch/paging.h>
#include <arch/x86.h>

enum pool_state { POOL_FREE, POOL_IN_USE, POOL_RETIRED };

struct reuse_pool {
	uint64_t base, size;
	uint32_t node;
	enum pool_state state;
	uint32_t core, generation;      /* POOL_RETIRED: whose life it held */
	uint32_t by, by_gen;            /* ... and which incarnation coordinates its release */
	const struct cpu *old;          /* that life's CPU driver if it stopped cleanly, else 0 */
	unsigned nlinks;                /* link pages outside [base, base + size) */
	uint64_t link_pa[POOLREUSE_LINKS];
};

static struct reuse_pool table[POOLREUSE_MAX];
static struct cpu *life[CORES_MAX];     /* each core's present life */
static uint8_t clean[CORES_MAX];        /* ... took the stop IPI (not an NMI, not a panic) */
static unsigned npools, nspares;
static uint64_t free_links[POOLREUSE_MAX * 4];
static unsigned nfree_links;
static uint32_t table_lock;

static uint32_t core_generation(unsigned core)
{
	return __atomic_load_n(&core_status[core].generation, __ATOMIC_ACQUIRE);
}

static void lock(void)
{
	while (__atomic_exchange_n(&table_lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&table_lock, __ATOMIC_RELAXED))
			cpu_relax();
}

static void unlock(void)
{
	__atomic_store_n(&table_lock, 0, __ATOMIC_RELEASE);
}

/*
 * The boot core's first life's struct cpu is a static of the kernel image,
 * not in its pool; it is never reused, so old_domain may read it too.
 */
static const struct cpu *boot_life;

void poolreuse_life_started(struct cpu *c)
{
	if (c->id == 0 && !boot_life)
		boot_life = c;
	__atomic_store_n(&clean[c->id], 0, __ATOMIC_RELEASE);
	__atomic_store_n(&life[c->id], c, __ATOMIC_RELEASE);
}

void poolreuse_life_stopped_cleanly(unsigned core)
{
	__atomic_store_n(&clean[core], 1, __ATOMIC_RELEASE);
}

void poolreuse_add_spare(uint64_t base, uint64_t size, uint32_t node)
{
	lock();
	if (npools < POOLREUSE_MAX) {
		table[npools++] = (struct reuse_pool){ .base = base, .size = size, .node = node };
		nspares++;
	}
	unlock();
}

unsigned poolreuse_spares(void)
{
	return nspares;
}

err_t poolreuse_take(uint32_t own, const uint8_t *dist_row, struct corepool *out)
{
	struct reuse_pool *best = 0;
	lock();
	for (unsigned i = 0; i < npools; i++) {
		struct reuse_pool *p = &table[i];
		if (p->state != POOL_FREE)
			continue;
		if (!best || (p->node == own && best->node != own) ||
		    (best->node != own && dist_row[p->node] < dist_row[best->node]))
			best = p;
	}
	if (best) {
		best->state = POOL_IN_USE;
		*out = (struct corepool){ .base = best->base, .size = best->size, .node = best->node };
	}
	unlock();
	return best ? ERR_OK : ERR_NOMEM;
}

void poolreuse_unuse(uint64_t base)
{
	lock();
	for (unsigned i = 0; i < npools; i++)
		if (table[i].base == base && table[i].state == POOL_IN_USE)
			table[i].state = POOL_FREE;
	unlock();
}

static struct reuse_pool *find_base(uint64_t base)
{
	for (unsigned i = 0; i < npools; i++)
		if (table[i].base == base)
			return &table[i];
	return 0;
}

static struct reuse_pool *find_retired(unsigned core, uint32_t generation)
{
	for (unsigned i = 0; i < npools; i++)
		if (table[i].state == POOL_RETIRED && table[i].core == core &&
		    table[i].generation == generation)
			return &table[i];
	return 0;
}

void poolreuse_retire(unsigned core, uint32_t generation, const struct corepool *old,
		      const uint64_t *link_pa, unsigned nlinks)
{
	lock();
	struct reuse_pool *p = find_base(old->base);
	if (!p && npools < POOLREUSE_MAX)
		p = &table[npools++];  /* a boot pool, or one given from the monitors' memory */
	bool cleanly = core < CORES_MAX && __atomic_load_n(&clean[core], __ATOMIC_ACQUIRE);
	if (p) {
		unsigned me = cpu_self()->id;
		*p = (struct reuse_pool){ .base = old->base, .size = old->size, .node = old->node,
					  .state = POOL_RETIRED, .core = core,
					  .generation = generation, .by = me,
					  .by_gen = core_generation(me),
					  .old = cleanly ? life[core] : 0 };
		for (unsigned i = 0; i < nlinks; i++)
			if ((link_pa[i] < old->base || link_pa[i] - old->base >= old->size) &&
			    p->nlinks < POOLREUSE_LINKS)
				p->link_pa[p->nlinks++] = link_pa[i];
	}
	unlock();
	if (!p)
		klog("restart core %u: no room to record its old pool %#lx (%lu MiB); it is never reused\n",
		     core, old->base, old->size >> 20);
	else if (!cleanly)
		klog("restart core %u: incarnation %u did not stop at a known point (NMI or panic): "
		     "frames of the monitors' memory its domains held stay out of use\n", core,
		     generation);
}

/*
 * The ended life's domains (not its monitor, not the ended ones, whose
 * frames are the monitor's business), each checked to lie in the retired
 * pool as every structure of that life does: a pointer that does not is
 * skipped rather than followed.
 */
static const struct domain *old_domain(const struct reuse_pool *p, unsigned i)
{
	const struct cpu *c = p->old;
	const char *lo = phys_to_virt(p->base), *hi = lo + p->size;
	if (!c || (c != boot_life && ((const char *)c < lo || (const char *)(c + 1) > hi)))
		return 0;
	const struct domain *d = c->sched.domains[i];
	if (!d || (const char *)d < lo || (const char *)(d + 1) > hi || d == c->sched.monitor ||
	    d->state == DOM_ZOMBIE || d->state == DOM_FREE || d->nframes > DOMAIN_MAX_FRAMES)
		return 0;
	return d;
}

/* Whether pa is a frame of the monitors' memory that p's ended life's domains held. */
static bool old_monmem(const struct reuse_pool *p, uint64_t pa)
{
	if (!p->old || !monlinks_is_monitor_mem(pa))
		return false;
	for (unsigned i = 0; i < SCHED_MAX_DOMAINS; i++) {
		const struct domain *d = old_domain(p, i);
		for (uint64_t k = 0; d && k < d->nframes; k++)
			if ((d->frames[k] & DOMAIN_FRAME_MONMEM) &&
			    (d->frames[k] & ~(uint64_t)(PAGE_SIZE - 1)) == pa)
				return true;
	}
	return false;
}

int64_t poolreuse_monmem(unsigned core, uint32_t generation, uint64_t from, uint64_t *out,
			 uint64_t max)
{
	lock();
	const struct reuse_pool *p = find_retired(core, generation);
	uint64_t n = 0;
	for (unsigned i = 0; p && i < SCHED_MAX_DOMAINS; i++) {
		const struct domain *d = old_domain(p, i);
		for (uint64_t k = 0; d && k < d->nframes; k++)
			if (d->frames[k] & DOMAIN_FRAME_MONMEM) {
				if (n >= from && n - from < max)
					out[n - from] = d->frames[k] & ~(uint64_t)(PAGE_SIZE - 1);
				n++;
			}
	}
	unlock();
	return p ? (int64_t)n : ERR_NOENT;
}

/* Whether the incarnation that coordinates p's release has ended. */
static bool coordinator_gone(const struct reuse_pool *p)
{
	return core_status_get(p->by) != CORE_UP || core_generation(p->by) != p->by_gen;
}

int64_t poolreuse_adopt(void)
{
	unsigned me = cpu_self()->id;
	struct reuse_pool was = { 0 };
	int64_t r = ERR_NOENT;
	lock();
	for (unsigned i = 0; i < npools && r == ERR_NOENT; i++) {
		struct reuse_pool *p = &table[i];
		if (p->state != POOL_RETIRED || !coordinator_gone(p))
			continue;
		was = *p;
		p->by = me;
		p->by_gen = core_generation(me);
		r = (int64_t)p->core | (int64_t)(p->generation & 0x7fffffffu) << 32;
	}
	unlock();
	if (r >= 0)
		klog("restart pool of core %u (incarnation %u): its release's coordinator, core %u "
		     "(incarnation %u), has ended; core %u coordinates it now\n", was.core,
		     was.generation, was.by, was.by_gen, me);
	return r;
}

/* The ranges of a retired pool, and its record, copied out of the table. */
struct ranges {
	unsigned n;
	uint64_t base[1 + POOLREUSE_LINKS], end[1 + POOLREUSE_LINKS];
	struct reuse_pool rec;   /* for the ended life's frames of the monitors' memory */
};

static bool in_ranges(const struct ranges *r, uint64_t pa)
{
	for (unsigned i = 0; i < r->n; i++)
		if (pa >= r->base[i] && pa < r->end[i])
			return true;
	return old_monmem(&r->rec, pa);
}

/* vm_walk_user's visitor: 1 for a user page whose frame lies in the ranges arg. */
static uint64_t ref_in_ranges(void *arg, uint64_t va, uint64_t pte)
{
	(void)va;
	return in_ranges(arg, pte & PTE_ADDR);
}

static uint64_t domain_refs(const struct domain *d, const struct ranges *r)
{
	uint64_t n = d->pml4 ? vm_walk_user(d->pml4, ref_in_ranges, (void *)r) : 0;
	if (d->span.queue && in_ranges(r, virt_to_phys(d->span.queue)))
		n++;
	return n;
}

int64_t poolreuse_mapped_here(unsigned core, uint32_t generation)
{
	struct ranges r = { 0 };
	lock();
	const struct reuse_pool *p = find_retired(core, generation);
	if (p) {
		r.base[0] = p->base;
		r.end[0] = p->base + p->size;
		for (unsigned i = 0; i < p->nlinks; i++) {
			r.base[1 + i] = p->link_pa[i];
			r.end[1 + i] = p->link_pa[i] + PAGE_SIZE;
		}
		r.n = 1 + p->nlinks;
		r.rec = *p;
	}
	unlock();
	if (!p)
		return ERR_NOENT;
	struct sched *s = &cpu_self()->sched;
	uint64_t total = 0, first = 0;
	for (unsigned i = 0; i < SCHED_MAX_DOMAINS; i++) { /* the monitor is one of them */
		const struct domain *d = s->domains[i];
		if (!d)
			continue;
		uint64_t n = domain_refs(d, &r);
		if (n && !first)
			first = d->id;
		total += n;
	}
	for (unsigned i = 0; i < r.n; i++)
		total += chanwake_count_in(r.base[i], r.end[i]);
	if (total > UINT32_MAX)
		total = UINT32_MAX;
	return (int64_t)(total | (first & 0x7fffffffull) << 32);
}

#define FREE_LINKS_MAX (sizeof free_links / sizeof free_links[0])

err_t poolreuse_release(unsigned core, uint32_t generation)
{
	lock();
	struct reuse_pool *p = find_retired(core, generation);
	if (p) {
		for (unsigned i = 0; i < p->nlinks; i++)
			if (nfree_links < FREE_LINKS_MAX) /* else that page is not reused */
				free_links[nfree_links++] = p->link_pa[i];
		p->nlinks = 0;
		p->state = POOL_FREE;
	}
	unlock();
	return p ? ERR_OK : ERR_NOENT;
}

bool poolreuse_take_link(uint64_t *pa)
{
	lock();
	bool ok = nfree_links > 0;
	if (ok)
		*pa = free_links[--nfree_links];
	unlock();
	return ok;
}

void poolreuse_give_link(uint64_t pa)
{
	lock();
	if (nfree_links < FREE_LINKS_MAX)
		free_links[nfree_links++] = pa;
	unlock();
}
