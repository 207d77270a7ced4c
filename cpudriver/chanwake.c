/* chanwake.c: notifications per channel (see kernel/chanwake.h). */
#include <kernel/pooltable.h>
#include <kernel/chanwake.h>
#include <kernel/console.h>
#include <kernel/corestatus.h>
#include <kernel/cpu.h>
#include <kernel/domain.h>
#include <kernel/machine.h>
#include <kernel/memlayout.h>
#include <kernel/monlinks.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <arch/lapic.h>
#include <arch/paging.h>
#include <lib/string.h>

enum { WAKE_IDLE, WAKE_POSTED, WAKE_DELIVERED };

struct chanwake_entry {
	uint32_t valid;         /* owner: release-stored after the fields */
	uint32_t state;         /* WAKE_*: any core (compare-and-swap) */
	uint32_t domain_id;     /* owner */
	uint32_t peer;          /* owner */
	uint64_t pa;            /* owner */
	uint64_t pad;
};

struct chanwake_table {
	uint32_t broadcast;     /* a core notification is pending: wake all */
	uint32_t nentries;      /* owner, before the table is published */
	uint32_t pad[6];
	struct chanwake_entry e[];
};
_Static_assert(sizeof(struct chanwake_table) == 32 && sizeof(struct chanwake_entry) == 32,
	       "one entry per half cache line");


static struct chanwake_table *table_of(unsigned core)
{
	if (core >= CORES_MAX)
		return 0;
	return __atomic_load_n(&core_status[core].wake_table, __ATOMIC_ACQUIRE);
}

void chanwake_init(void)
{
	unsigned n = monlinks_count(cpu_self()->id) + CHANWAKE_DOMAIN_ENTRIES;
	struct chanwake_table *t = pool_table_alloc(sizeof *t + n * sizeof t->e[0]);
	if (!t) {
		klog("channel notifications: no memory; only core notifications here\n");
		return;
	}
	t->nentries = n;
	__atomic_store_n(&core_status[cpu_self()->id].wake_table, t, __ATOMIC_RELEASE);
}

err_t chanwake_add(uint64_t pa, const struct domain *d, unsigned peer)
{
	struct chanwake_table *t = table_of(cpu_self()->id);
	for (unsigned i = 0; t && i < t->nentries; i++) {
		struct chanwake_entry *e = &t->e[i];
		if (e->valid)
			continue;
		e->pa = pa;
		e->domain_id = d->id;
		e->peer = peer;
		__atomic_store_n(&e->state, WAKE_IDLE, __ATOMIC_RELAXED);
		__atomic_store_n(&e->valid, 1, __ATOMIC_RELEASE);
		return ERR_OK;
	}
	return t ? ERR_FULL : ERR_NOMEM;
}

void chanwake_remove(uint64_t pa, const struct domain *d)
{
	struct chanwake_table *t = table_of(cpu_self()->id);
	for (unsigned i = 0; t && i < t->nentries; i++)
		if (t->e[i].valid && t->e[i].domain_id == d->id && t->e[i].pa == pa)
			__atomic_store_n(&t->e[i].valid, 0, __ATOMIC_RELEASE);
}

void chanwake_remove_domain(const struct domain *d)
{
	struct chanwake_table *t = table_of(cpu_self()->id);
	for (unsigned i = 0; t && i < t->nentries; i++)
		if (t->e[i].valid && t->e[i].domain_id == d->id)
			__atomic_store_n(&t->e[i].valid, 0, __ATOMIC_RELEASE);
}

unsigned chanwake_count_in(uint64_t base, uint64_t end)
{
	struct chanwake_table *t = table_of(cpu_self()->id);
	unsigned n = 0;
	for (unsigned i = 0; t && i < t->nentries; i++)
		n += t->e[i].valid && t->e[i].pa >= base && t->e[i].pa < end;
	return n;
}

/* The entry of `core` for area pa, not the one of domain `not_id` (0: any). */
static struct chanwake_entry *find(unsigned core, uint64_t pa, uint32_t id, uint32_t not_id)
{
	struct chanwake_table *t = table_of(core);
	for (unsigned i = 0; t && i < t->nentries; i++) {
		struct chanwake_entry *e = &t->e[i];
		if (!__atomic_load_n(&e->valid, __ATOMIC_ACQUIRE) || e->pa != pa)
			continue;
		if ((id && e->domain_id == id) || (!id && e->domain_id != not_id))
			return e;
	}
	return 0;
}

err_t chanwake_notify(struct domain *d, uint64_t va)
{
	unsigned me = cpu_self()->id;
	uint64_t pte = vm_lookup(d->pml4, va & ~(PAGE_SIZE - 1));
	struct chanwake_entry *mine = 0;
	if ((pte & PTE_P) && !(va & (PAGE_SIZE - 1)))
		mine = find(me, pte & PTE_ADDR, d->id, 0);
	if (!mine) {
		domain_refused(d, "SYS_NOTIFY", ERR_PERM, "%#lx is no channel this domain is a party of",
			       va);
		return ERR_PERM;
	}
	unsigned peer = mine->peer;
	if (peer != me && core_status_get(peer) != CORE_UP)
		return ERR_DEAD; /* stopped, or restarted: its new CPU driver never knew this area */
	struct chanwake_entry *other = find(peer, mine->pa, 0, peer == me ? d->id : 0);
	if (!other)
		return ERR_DEAD; /* the other party is gone or not mapped yet */
	uint32_t idle = WAKE_IDLE;
	if (!__atomic_compare_exchange_n(&other->state, &idle, WAKE_POSTED, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return ERR_OK; /* coalesced with one on its way or delivered */
	if (peer == me) {
		chanwake_deliver();
		return ERR_OK;
	}
	return lapic_send_ipi(machine_topo()->cores[peer].apic_id, VEC_NOTIFY) ? ERR_OK
										: ERR_BUSY;
}

err_t chanwake_notify_key(struct domain *d, uint64_t key, unsigned core)
{
	unsigned me = cpu_self()->id;
	if (!find(me, key, d->id, 0))
		return ERR_PERM;
	struct chanwake_entry *other = find(core, key, 0, core == me ? d->id : 0);
	if (!other)
		return ERR_NOENT;
	uint32_t idle = WAKE_IDLE;
	if (!__atomic_compare_exchange_n(&other->state, &idle, WAKE_POSTED, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return ERR_OK; /* coalesced with one on its way or delivered */
	if (core == me) {
		chanwake_deliver();
		return ERR_OK;
	}
	return lapic_send_ipi(machine_topo()->cores[core].apic_id, VEC_NOTIFY) ? ERR_OK
										: ERR_BUSY;
}

err_t chanwake_notify_core(unsigned core)
{
	struct chanwake_table *t = table_of(core);
	if (t)
		__atomic_store_n(&t->broadcast, 1, __ATOMIC_RELEASE);
	if (core == cpu_self()->id) {
		chanwake_deliver();
		return ERR_OK;
	}
	return lapic_send_ipi(machine_topo()->cores[core].apic_id, VEC_NOTIFY) ? ERR_OK
										: ERR_BUSY;
}

void chanwake_deliver(void)
{
	struct chanwake_table *t = table_of(cpu_self()->id);
	if (!t || __atomic_exchange_n(&t->broadcast, 0, __ATOMIC_ACQ_REL))
		sched_notify_all();
	for (unsigned i = 0; t && i < t->nentries; i++) {
		struct chanwake_entry *e = &t->e[i];
		uint32_t posted = WAKE_POSTED;
		if (!e->valid || !__atomic_compare_exchange_n(&e->state, &posted, WAKE_DELIVERED,
							      false, __ATOMIC_ACQ_REL,
							      __ATOMIC_RELAXED))
			continue;
		sched_notify_domain(e->domain_id);
	}
}

void chanwake_rearm(const struct domain *d)
{
	struct chanwake_table *t = table_of(cpu_self()->id);
	for (unsigned i = 0; t && i < t->nentries; i++) {
		struct chanwake_entry *e = &t->e[i];
		uint32_t delivered = WAKE_DELIVERED;
		if (e->valid && e->domain_id == d->id)
			__atomic_compare_exchange_n(&e->state, &delivered, WAKE_IDLE, false,
						    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
	}
}
