/* chanwake.c: notifications per channel (see kernel/chanwake.h). */
#include <kernel/pooltable.h>
#include <kernel/chanwake.h>
#include <kernel/chantable.h>
#include <kernel/console.h>
#include <kernel/corestatus.h>
#include <kernel/cpu.h>
#include <kernel/domain.h>
#include <kernel/machine.h>
#include <kernel/memlayout.h>
#include <kernel/monlinks.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <arch/lapic.h>
#include <arch/paging.h>
#include <arch/x86.h>
#include <sys/limits.h>
#include <lib/string.h>

enum { WAKE_IDLE, WAKE_POSTED, WAKE_DELIVERED };

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
	chantable_init(t, n);
	__atomic_store_n(&core_status[cpu_self()->id].wake_table, t, __ATOMIC_RELEASE);
}

err_t chanwake_add(uint64_t pa, const struct domain *d, unsigned peer)
{
	unsigned me = cpu_self()->id;
	struct chanwake_table *t = table_of(me);
	if (!t)
		return ERR_NOMEM;
	struct chanwake_entry *e = chantable_add(t, pa, d->id, peer, rdtsc());
	if (!e)
		return ERR_FULL;
	chantable_meet(e, table_of(peer), peer == me);
	return ERR_OK;
}

void chanwake_remove(uint64_t pa, const struct domain *d)
{
	struct chanwake_table *t = table_of(cpu_self()->id);
	for (unsigned i = 0; t && i < t->nentries; i++)
		if (t->e[i].valid && t->e[i].domain_id == d->id && chantable_pa(&t->e[i]) == pa)
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
		n += t->e[i].valid && chantable_pa(&t->e[i]) >= base && chantable_pa(&t->e[i]) < end;
	return n;
}

/* The entry of `core` for area pa: domain id's, or (id 0) any but not_id's. */
static struct chanwake_entry *find(unsigned core, uint64_t pa, uint32_t id, uint32_t not_id)
{
	return chantable_find(table_of(core), pa, id, not_id);
}

/*
 * How long a channel's other party may take to map its side before it is
 * taken for gone: the client's own bind call gives up after MON_CALL_MS,
 * so a side not mapped by then never will be (chantable.h).
 */
static uint64_t unmapped_bound(void)
{
	return cpu_self()->tsc_hz / 1000 * MON_CALL_MS(smp_cores_planned());
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
	struct chanwake_entry *other = find(peer, chantable_pa(mine), 0, peer == me ? d->id : 0);
	switch (chantable_peer(mine, other, rdtsc(), unmapped_bound())) {
	case CHAN_PEER_GONE:
		return ERR_DEAD; /* it ended, or never mapped its side in time */
	case CHAN_PEER_NOT_YET:
		return ERR_OK;   /* nothing to wake: it reads the ring once it maps */
	case CHAN_PEER_HERE:
		break;
	}
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
