/*
 * monsyscall.c: the privileged system calls of sys/monitor.h.  Only the
 * core's monitor may make them; the kernel trusts its monitor's word about
 * what other monitors agreed (a channel area's address, a frame of the
 * monitors' memory), and still checks every argument's shape and range.
 */
#include <kernel/chanreg.h>
#include <kernel/chanwake.h>
#include <kernel/entry.h>
#include <kernel/fence.h>
#include <kernel/console.h>
#include <kernel/corestatus.h>
#include <kernel/cpu.h>
#include <kernel/domain.h>
#include <kernel/frames.h>
#include <kernel/machine.h>
#include <topology/topo.h>
#include <kernel/memlayout.h>
#include <kernel/monlinks.h>
#include <kernel/pmm.h>
#include <kernel/poolreuse.h>
#include <kernel/sched.h>
#include <kernel/services.h>
#include <kernel/smp.h>
#include <kernel/uaccess.h>
#include <arch/lapic.h>
#include <arch/paging.h>
#include <arch/x86.h>
#include <lib/string.h>
#include <sys/monitor.h>
#include <sys/rights.h>
#include <urpc/urpc.h>


static struct domain *current(void)
{
	return cpu_self()->sched.current;
}

static struct domain *find_domain(uint64_t id)
{
	struct sched *s = &cpu_self()->sched;
	for (unsigned i = 0; i < SCHED_MAX_DOMAINS; i++) {
		struct domain *d = s->domains[i];
		if (d && d->id == id && d->state != DOM_ZOMBIE)
			return d;
	}
	return 0;
}

/* The same, ended domains included (a spanning home held after its end). */
static struct domain *find_held_domain(uint64_t id)
{
	struct sched *s = &cpu_self()->sched;
	for (unsigned i = 0; i < SCHED_MAX_DOMAINS; i++) {
		struct domain *d = s->domains[i];
		if (d && d->id == id)
			return d;
	}
	return 0;
}

/* Splits NUL-separated argument strings; ERR_INVAL if they do not add up. */
static err_t split_args(const struct spawn_args *a, struct domain_args *out)
{
	if (a->argc > PROGRAM_ARGC_MAX || a->len > sizeof a->buf)
		return ERR_INVAL;
	uint32_t at = 0;
	for (uint32_t i = 0; i < a->argc; i++) {
		out->argv[i] = a->buf + at;
		while (at < a->len && a->buf[at])
			at++;
		if (at >= a->len)
			return ERR_INVAL; /* no NUL before the end */
		at++;
	}
	out->argc = a->argc;
	return at == a->len ? ERR_OK : ERR_INVAL;
}

/* The monitor's new channel page for a child, formatted, mapped in both. */
static err_t monitor_channel(struct domain *mon, struct domain *child, uint64_t *mon_va,
			     uint64_t *chan_pa)
{
	uint64_t pa;
	err_t e = pmm_alloc(cpu_self()->pool, &pa);
	if (e)
		return e;
	*chan_pa = pa;
	if ((e = frames_own(mon, pa, FRAME_POOL, "SYS_SPAWN"))) {
		pmm_free(cpu_self()->pool, pa, 1);
		return e;
	}
	urpc_area_init(phys_to_virt(pa), PAGE_SIZE, MONCHAN_SLOTS, 0);
	*mon_va = MONITOR_DOMCHAN_VA + (uint64_t)child->id * PAGE_SIZE;
	e = frames_map(mon, *mon_va, pa, true, false);
	if (!e)
		e = domain_map_foreign(child, DOMAIN_MONCHAN_VA, pa, PTE_W | PTE_NX);
	if (!e)
		e = chanwake_add(pa, mon, cpu_self()->id);
	if (!e)
		e = chanwake_add(pa, child, cpu_self()->id);
	return e;
}

static void set_start_monitor_chan(struct domain *d)
{
	uint64_t pte = vm_lookup(d->pml4, DOMAIN_START_INFO);
	struct domain_start *st = phys_to_virt(pte & PTE_ADDR);
	st->monitor_chan = DOMAIN_MONCHAN_VA;
}

static int64_t sys_spawn(uint64_t name_uva, uint64_t args_uva, uint64_t out_uva)
{
	char name[PROGRAM_NAME_MAX];
	struct spawn_args a;
	struct domain_args da = { 0 };
	err_t e = copy_from_user(name, name_uva, sizeof name);
	if (!e)
		e = copy_from_user(&a, args_uva, sizeof a);
	if (e)
		return e;
	if (strnlen(name, sizeof name) == sizeof name || split_args(&a, &da) ||
	    (a.rights & ~(uint32_t)DOMAIN_RIGHT_ALL))
		return ERR_INVAL;
	const struct boot_module *m = services_find_module(name);
	if (!m)
		return ERR_NOENT;
	da.program = name;
	char why[160];
	struct domain *child;
	e = domain_create(phys_to_virt(m->start), m->end - m->start, &da, &child, why, sizeof why);
	if (e) {
		klog("spawn '%s': %s\n", name, why);
		return e;
	}
	struct spawn_result r = { .domain_id = child->id };
	child->rights = a.rights; /* before it can run: no window without them */
	e = monitor_channel(current(), child, &r.chan_va, &r.chan_pa);
	if (!e) {
		set_start_monitor_chan(child);
		e = copy_to_user(out_uva, &r, sizeof r);
	}
	if (e)
		child->state = DOM_ZOMBIE; /* never ran; reaped by the scheduler */
	return e ? e : (int64_t)child->id;
}

/* Maps pages frames at pa into d's channel region; all or nothing. */
static err_t map_area(struct domain *d, uint64_t pa, uint64_t pages, uint64_t *va)
{
	*va = d->next_chan_va;
	for (uint64_t i = 0; i < pages; i++) {
		err_t e = domain_map_foreign(d, *va + i * PAGE_SIZE, pa + i * PAGE_SIZE,
					     PTE_W | PTE_NX);
		if (e) {
			while (i--)
				vm_unmap(d->pml4, *va + i * PAGE_SIZE, 0);
			return e;
		}
	}
	d->next_chan_va += (pages + 1) * PAGE_SIZE; /* one unmapped page between */
	return ERR_OK;
}

static uint32_t slots_for_pages(uint64_t pages)
{
	uint32_t n = URPC_MIN_SLOTS;
	while (urpc_area_size(n * 2) <= pages * PAGE_SIZE && n * 2 <= URPC_MAX_SLOTS)
		n *= 2;
	return n;
}

static void record_chan(struct domain *d, uint64_t peer)
{
	if (d->nchans < DOMAIN_CHAN_RECORDS)
		d->chan_peer[d->nchans] = (uint16_t)peer;
	d->nchans++;
}

static int64_t sys_chan_create(uint64_t id, uint64_t pages, uint64_t peer, uint64_t out)
{
	struct domain *d = find_domain(id), *mon = current();
	struct chan_result r;
	if (!d)
		return ERR_NOENT;
	if (pages < 1 || pages > CHAN_MAX_PAGES || peer >= smp_cores_planned())
		return ERR_RANGE;
	if (frames_room(mon) < pages)
		return ERR_NOMEM;
	err_t e = pmm_alloc_contig(cpu_self()->pool, pages, 1, &r.pa);
	if (e)
		return e;
	urpc_area_init(phys_to_virt(r.pa), pages * PAGE_SIZE, slots_for_pages(pages), 0);
	e = chanreg_add(r.pa, pages, (unsigned)peer);
	if (!e && (e = map_area(d, r.pa, pages, &r.va)))
		chanreg_remove(r.pa);
	if (e) {
		pmm_free(cpu_self()->pool, r.pa, pages);
		return e;
	}
	for (uint64_t i = 0; i < pages; i++) /* the monitor keeps them (room checked) */
		frames_own(mon, r.pa + i * PAGE_SIZE, FRAME_POOL, "SYS_CHAN_CREATE");
	e = chanwake_add(r.pa, d, (unsigned)peer);
	if (e)
		klog("domain %u: no notifications on channel %#lx: %s\n", d->id, r.pa, err_str(e));
	record_chan(d, peer);
	return copy_to_user(out, &r, sizeof r);
}

struct area { uint64_t base, end; };

/* vm_walk_user's visitor: 1 for a page of the area arg. */
static uint64_t maps_area(void *arg, uint64_t va, uint64_t pte)
{
	const struct area *a = arg;
	uint64_t pa = pte & PTE_ADDR;
	(void)va;
	return pa >= a->base && pa < a->end;
}

static int64_t sys_chan_mapped(uint64_t id, uint64_t pa, uint64_t pages)
{
	const struct domain *d = find_domain(id);
	if (!d)
		return ERR_NOENT;
	if (pages < 1 || pages > CHAN_MAX_PAGES || (pa & (PAGE_SIZE - 1)) || pa >= vm_phys_top)
		return ERR_RANGE;
	struct area a = { pa, pa + pages * PAGE_SIZE };
	return (int64_t)vm_walk_user(d->pml4, maps_area, &a);
}

static int64_t sys_chan_map(uint64_t id, uint64_t pa, uint64_t pages, uint64_t peer,
			    uint64_t out)
{
	struct domain *d = find_domain(id);
	struct chan_result r = { .pa = pa };
	if (!d)
		return ERR_NOENT;
	if (pages < 1 || pages > CHAN_MAX_PAGES || peer >= smp_cores_planned() ||
	    (pa & (PAGE_SIZE - 1)) || pa >= vm_phys_top || pages * PAGE_SIZE > vm_phys_top - pa)
		return ERR_RANGE;
	if (!chanreg_handed_to_me((unsigned)peer, pa, pages)) {
		klog("domain %u (%s): SYS_CHAN_MAP refused: %#lx (%lu pages) is no channel area "
		     "core %lu made for this core\n", current()->id, current()->program, pa, pages,
		     peer);
		return ERR_PERM;
	}
	err_t e = map_area(d, pa, pages, &r.va);
	if (e)
		return e;
	e = chanwake_add(pa, d, (unsigned)peer);
	if (e)
		klog("domain %u: no notifications on channel %#lx: %s\n", d->id, pa, err_str(e));
	record_chan(d, peer);
	return copy_to_user(out, &r, sizeof r);
}

static int64_t sys_frame_grant(uint64_t id, uint64_t pa)
{
	struct domain *d = find_domain(id);
	if (!d)
		return ERR_NOENT;
	if ((pa & (PAGE_SIZE - 1)) || !monlinks_is_monitor_mem(pa))
		return ERR_RANGE;
	return frames_grant(d, pa);
}

static int64_t sys_frame_revoke(uint64_t id, uint64_t pa)
{
	struct domain *d = find_domain(id);
	if (!d)
		return ERR_NOENT;
	return frames_revoke(d, pa);
}

static int64_t sys_core_stop(uint64_t core)
{
	if (core >= smp_cores_planned() || core_status_get((unsigned)core) != CORE_UP)
		return ERR_RANGE;
	klog("stopping core %lu's CPU driver (test command)\n", core);
	uint32_t apic = machine_topo()->cores[core].apic_id;
	return lapic_send_ipi(apic, VEC_STOP) ? ERR_OK : ERR_BUSY;
}

static int64_t sys_core_fence(uint64_t core, uint64_t gen)
{
	if (core >= CORES_MAX || gen > UINT32_MAX)
		return ERR_RANGE;
	int64_t r = fence_core((unsigned)core, cpu_self()->id, (uint32_t)gen);
	if (r == 1)
		klog("fencing core %lu: the monitors declared it down while its CPU driver runs\n",
		     core);
	return r;
}

static int64_t sys_core_restart(uint64_t core, uint64_t pool_pa, uint64_t pool_pages)
{
	klog("restart of core %lu asked by domain %u\n", core, current()->id);
	err_t e = smp_restart(core, pool_pa, pool_pages);
	if (e)
		klog("restart of core %lu refused: %s\n", core, err_str(e));
	if (e && e != ERR_BUSY && core < CORES_MAX)
		fence_restart_failed((unsigned)core); /* the run may end without it */
	return e;
}

/* The calling monitor's link to peer moves to its new area (monlinks_renew). */
static int64_t sys_monlink_reset(uint64_t peer)
{
	struct domain *mon = current();
	struct monitor_link l[MONITOR_MAX_LINKS];
	uint64_t pa[MONITOR_MAX_LINKS];
	unsigned n = monlinks_of(cpu_self()->id, l, pa, MONITOR_MAX_LINKS);
	for (unsigned i = 0; i < n; i++) {
		if (l[i].peer != peer)
			continue;
		uint64_t va = MONITOR_LINKS_VA + i * MONITOR_LINK_SIZE, old;
		if ((vm_lookup(mon->pml4, va) & PTE_ADDR) == pa[i])
			return ERR_EXIST;
		if (vm_unmap(mon->pml4, va, &old) == ERR_OK) {
			invlpg(va);
			chanwake_remove(old, mon);
		}
		err_t e = vm_map(mon->pml4, va, pa[i], PTE_U | PTE_W | PTE_NX, cpu_self()->pool);
		if (!e)
			e = chanwake_add(pa[i], mon, (unsigned)peer);
		return e;
	}
	return ERR_NOENT;
}

static int64_t sys_domain_info(uint64_t index, uint64_t out)
{
	struct sched *s = &cpu_self()->sched;
	struct sys_domain_info r;
	for (unsigned i = 0, n = 0; i < SCHED_MAX_DOMAINS; i++) {
		const struct domain *d = s->domains[i];
		if (!d || d->state == DOM_ZOMBIE || n++ != index)
			continue;
		memset(&r, 0, sizeof r);
		r.id = d->id;
		r.state = d->state;
		r.rights = d->rights;
		r.privileged = d->privileged;
		r.nframes = (uint32_t)d->nframes;
		r.nchans = d->nchans;
		for (unsigned k = 0; k < DOMAIN_CHAN_RECORDS && k < d->nchans; k++)
			r.chan_peer[k] = d->chan_peer[k];
		memcpy(r.program, d->program, sizeof r.program);
		return copy_to_user(out, &r, sizeof r);
	}
	return ERR_NOENT;
}

static int64_t sys_core_info(uint64_t out)
{
	struct cpu *c = cpu_self();
	struct sys_core_info r;
	memset(&r, 0, sizeof r);
	r.pool_free = c->pool->free;
	r.pool_total = c->pool->nframes;
	r.idle_tsc = c->sched.idle_tsc;
	const struct topo_core *t = &machine_topo()->cores[c->id];
	r.node = t->node;
	r.package = t->package;
	r.core = t->core;
	r.thread = t->thread;
	r.now_tsc = rdtsc();
	for (unsigned i = 0; i < SCHED_MAX_DOMAINS; i++)
		r.ndomains += c->sched.domains[i] && c->sched.domains[i]->state != DOM_ZOMBIE;
	return copy_to_user(out, &r, sizeof r);
}

/*
 * Ends a domain that is not running (its monitor is): it becomes a zombie
 * and the scheduler frees it like one that exited.
 */
static int64_t sys_domain_kill(uint64_t id, uint64_t rights)
{
	struct domain *d = find_domain(id);
	if (!d)
		return ERR_NOENT;
	if (d->privileged || !(rights & DOMAIN_RIGHT_KILL) || (d->rights & ~rights))
		return ERR_PERM;
	d->exit_code = DOMAIN_KILLED_BASE;
	d->state = DOM_ZOMBIE;
	klog("domain %u (%s) killed on request\n", d->id, d->program);
	return ERR_OK;
}

static int64_t sys_domain_rights(uint64_t id, uint64_t mask)
{
	struct domain *d = find_domain(id);
	if (mask & ~(uint64_t)DOMAIN_RIGHT_ALL)
		return ERR_INVAL;
	if (!d)
		return ERR_NOENT;
	d->rights = (uint32_t)mask;
	return ERR_OK;
}

#define MONMEM_BATCH 64

static int64_t sys_pool_monmem(uint64_t core, uint64_t gen, uint64_t from, uint64_t uva,
			       uint64_t max)
{
	uint64_t pa[MONMEM_BATCH];
	if (core >= CORES_MAX || gen > UINT32_MAX || max > MONMEM_BATCH)
		return ERR_RANGE;
	int64_t n = poolreuse_monmem((unsigned)core, (uint32_t)gen, from, pa, max);
	if (n <= 0 || from >= (uint64_t)n || !max)
		return n;
	uint64_t got = (uint64_t)n - from < max ? (uint64_t)n - from : max;
	err_t e = copy_to_user(uva, pa, got * sizeof pa[0]);
	return e ? e : n;
}

int64_t monitor_syscall(struct trap_frame *f)
{
	if (!current()->privileged) {
		domain_refused(current(), "a monitor's system call", ERR_PERM,
			       "number %lu (args %#lx %#lx) from a domain that is no monitor", f->rax,
			       f->rdi, f->rsi);
		return ERR_PERM;
	}
	switch (f->rax) {
	case SYS_SPAWN:         return sys_spawn(f->rdi, f->rsi, f->rdx);
	case SYS_DOMAIN_STATE:  return find_domain(f->rdi) ? 1 : ERR_NOENT;
	case SYS_CHAN_CREATE:   return sys_chan_create(f->rdi, f->rsi, f->rdx, f->r10);
	case SYS_CHAN_MAP:      return sys_chan_map(f->rdi, f->rsi, f->rdx, f->r10, f->r8);
	case SYS_FRAME_GRANT:   return sys_frame_grant(f->rdi, f->rsi);
	case SYS_FRAME_REVOKE:  return sys_frame_revoke(f->rdi, f->rsi);
	case SYS_MANIFEST_DONE: services_manifest_done(); return ERR_OK;
	case SYS_CORE_STOP:     return sys_core_stop(f->rdi);
	case SYS_DOMAIN_RIGHTS: return sys_domain_rights(f->rdi, f->rsi);
	case SYS_SPAN_EXPORT:   return span_sys_export(find_domain(f->rdi), f->rsi);
	case SYS_SPAN_CREATE:   return span_sys_create(f->rdi, f->rsi, f->rdx, f->r10);
	case SYS_SPAN_END:      return span_sys_end(f->rdi, f->rsi, f->rdx);
	case SYS_SPAN_RELEASE:  return span_sys_release(find_held_domain(f->rdi), f->rsi);
	case SYS_SPAN_KILL:     return span_sys_kill(find_domain(f->rdi));
	case SYS_SPAN_VM:       return span_sys_vm(find_domain(f->rdi), f->rsi, f->rdx, f->r10,
						   f->r8, f->r9);
	case SYS_SPAN_REPLICA:  return span_sys_replica(f->rdi, f->rsi, f->rdx, f->r10, f->r8,
							f->r9);
	case SYS_DOMAIN_INFO:   return sys_domain_info(f->rdi, f->rsi);
	case SYS_CORE_INFO:     return sys_core_info(f->rdi);
	case SYS_DOMAIN_KILL:   return sys_domain_kill(f->rdi, f->rsi);
	case SYS_CORE_RESTART:  return sys_core_restart(f->rdi, f->rsi, f->rdx);
	case SYS_MONLINK_RESET: return sys_monlink_reset(f->rdi);
	case SYS_CORE_PULSE:    return fence_pulse(f->rdi);
	case SYS_CORE_FENCE:    return sys_core_fence(f->rdi, f->rsi);
	case SYS_CORE_GENERATION: return fence_generation(f->rdi);
	case SYS_POOL_MAPPED:
		return f->rdi < CORES_MAX && f->rsi <= UINT32_MAX
			       ? poolreuse_mapped_here((unsigned)f->rdi, (uint32_t)f->rsi) : ERR_RANGE;
	case SYS_CHAN_MAPPED:   return sys_chan_mapped(f->rdi, f->rsi, f->rdx);
	case SYS_POOL_RELEASE:
		return f->rdi < CORES_MAX && f->rsi <= UINT32_MAX
			       ? poolreuse_release((unsigned)f->rdi, (uint32_t)f->rsi) : ERR_RANGE;
	case SYS_POOL_ADOPT:    return poolreuse_adopt();
	case SYS_POOL_MONMEM:   return sys_pool_monmem(f->rdi, f->rsi, f->rdx, f->r10, f->r8);
	default:                return ERR_NOSYS;
	}
}
