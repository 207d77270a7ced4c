/*
 * span.c: the CPU driver's half of domains that span cores (kernel/span.h,
 * sys/monitor.h).  Everything here runs on the core that owns the domain
 * in question; the only thing that crosses cores is the exported list,
 * written here on the home core and read by another core's CPU driver
 * after the monitors carried its address over URPC (whose release/acquire
 * ordering makes the list's contents visible before its address).
 */
#include <kernel/chanreg.h>
#include <kernel/chanwake.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/domain.h>
#include <kernel/frames.h>
#include <kernel/panic.h>
#include <kernel/memlayout.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/span.h>
#include <kernel/uaccess.h>
#include <arch/paging.h>
#include <lib/string.h>
#include <sys/monitor.h>
#include <sys/trace.h>

#define SPAN_PTE_KEEP (PTE_P | PTE_W | PTE_U | PTE_NX)

_Static_assert(sizeof(struct span_queue) <= PAGE_SIZE, "the queue is one page");
_Static_assert(sizeof(struct span_change) == 32, "queue entries");
_Static_assert(offsetof(struct span_queue, tail) == 64, "one writer per cache line");

/* The pages every instance has of its own, never exported or replicated. */
static bool span_va_is_local(uint64_t va)
{
	return va == DOMAIN_DISPATCHER_VA || va == DOMAIN_START_INFO ||
	       va == DOMAIN_MONCHAN_VA || va == DOMAIN_TRACE_CTL_VA ||
	       (va >= DOMAIN_TRACE_VA && va < DOMAIN_TRACE_VA + DOMAIN_TRACE_PAGES * PAGE_SIZE) ||
	       (va >= DOMAIN_STACK_TOP - DOMAIN_STACK_SIZE && va < DOMAIN_STACK_TOP);
}

bool span_frozen(const struct domain *d)
{
	return d->span.exported || d->span.home_domain != 0;
}

bool span_may_reap(const struct domain *d)
{
	return d->span.refs == 0;
}

struct walk_out {
	struct span_entry *out;
	uint64_t n, max;
};

/* vm_walk_user's visitor: lists an exportable page (user, not local) into w->out. */
static uint64_t list_exportable(void *arg, uint64_t va, uint64_t pte)
{
	struct walk_out *w = arg;
	if (!(pte & PTE_U) || span_va_is_local(va))
		return 0;
	if (w->out && w->n < w->max)
		w->out[w->n] = (struct span_entry){ va, pte & (PTE_ADDR | SPAN_PTE_KEEP) };
	w->n++;
	return 1;
}

/* Lists every exportable user page of d into out[0..max); returns how many there are. */
static uint64_t walk(const struct domain *d, struct span_entry *out, uint64_t max)
{
	struct walk_out w = { out, 0, max };
	return vm_walk_user(d->pml4, list_exportable, &w);
}

int64_t span_sys_export(struct domain *d, uint64_t core)
{
	if (!d)
		return ERR_NOENT;
	if (d->privileged || d->span.home_domain)
		return ERR_PERM;
	if (core >= smp_cores_planned() || core == cpu_self()->id)
		return ERR_RANGE;
	if (d->span.change.active)
		return ERR_BUSY;        /* the list would miss a change under way */
	unsigned slot = SPAN_MAX;
	for (unsigned i = 0; i < SPAN_MAX; i++) {
		if (d->span.list_pa[i] && d->span.list_core[i] == core)
			return ERR_EXIST;
		if (!d->span.list_pa[i] && slot == SPAN_MAX)
			slot = i;
	}
	if (slot == SPAN_MAX)
		return ERR_FULL;
	uint64_t n = walk(d, 0, 0);
	if (n > SPAN_LIST_MAX)
		return ERR_TOOBIG;
	if (!d->span.wake_key) {            /* the first export: the span's wake entry */
		err_t w = chanwake_add(d->pml4, d, cpu_self()->id);
		if (w)
			return w;
		d->span.wake_key = d->pml4;
	}
	uint64_t pages = (sizeof(struct span_list) + n * sizeof(struct span_entry) +
			  PAGE_SIZE - 1) / PAGE_SIZE + 1;      /* + the queue */
	if (frames_room(d) < pages)
		return ERR_QUOTA;
	uint64_t pa;
	err_t e = pmm_alloc_contig(cpu_self()->pool, pages, 1, &pa);
	if (e)
		return e;
	struct span_list *l = phys_to_virt(pa);
	memset(l, 0, pages * PAGE_SIZE);
	l->magic = SPAN_LIST_MAGIC;
	l->count = (uint32_t)walk(d, l->e, n);
	l->entry = d->entry;
	l->wake_key = d->span.wake_key;
	memcpy(l->program, d->program, sizeof l->program);
	e = chanreg_add(pa, pages, (unsigned)core);
	if (e) {
		pmm_free(cpu_self()->pool, pa, pages);
		return e;
	}
	for (uint64_t i = 0; i < pages; i++)
		if (frames_own(d, pa + i * PAGE_SIZE, FRAME_PINNED, "SYS_SPAN_EXPORT"))
			panic("span list frame refused after the room check");
	d->span.list_pa[slot] = pa;
	d->span.list_core[slot] = (uint32_t)core;
	d->span.queues[slot] = phys_to_virt(pa + (pages - 1) * PAGE_SIZE);
	d->span.exported = true;
	d->span.refs++;
	klog("domain %u (%s): tables exported for core %lu: list and queue at %#lx, %lu pages\n",
	     d->id, d->program, core, pa, pages);
	return (int64_t)(pa | pages);
}

static struct domain *find_any(bool (*match)(const struct domain *, uint64_t, uint64_t),
			       uint64_t a, uint64_t b);
static bool is_instance_of(const struct domain *d, uint64_t core, uint64_t dom);
static void end(struct domain *d, int code, const char *why);

struct span_fill {
	const struct span_list *l;
	struct span_queue *queue;
	uint32_t home_core, home_domain;
	uint64_t arg;
};

static err_t fill_replica(struct domain *d, const void *ctx)
{
	const struct span_fill *f = ctx;
	d->span.home_core = f->home_core;
	d->span.home_domain = f->home_domain;
	d->span.arg = f->arg;
	d->span.queue = f->queue;
	d->span.wake_key = f->l->wake_key;
	for (uint32_t i = 0; i < f->l->count; i++) {
		const struct span_entry *s = &f->l->e[i];
		uint64_t pa = s->pte & PTE_ADDR;
		if (!user_page_addr_ok(s->va) || span_va_is_local(s->va) ||
		    pa >= vm_phys_top || (s->pte & ~(PTE_ADDR | SPAN_PTE_KEEP)))
			return ERR_RANGE;
		err_t e = frames_map_other(d, s->va, pa, s->pte & (PTE_W | PTE_NX));
		if (e)
			return e;
	}
	return ERR_OK;
}

int64_t span_sys_create(uint64_t list, uint64_t home_core, uint64_t home_domain,
			uint64_t arg)
{
	uint64_t list_pa = list & ~(PAGE_SIZE - 1), pages = list & (PAGE_SIZE - 1);
	if (home_core >= CORES_MAX || home_core == cpu_self()->id || !home_domain ||
	    home_domain > UINT32_MAX || pages < 2 || pages > SPAN_LIST_PAGES)
		return ERR_INVAL;
	if (!chanreg_handed_to_me((unsigned)home_core, list_pa, pages))
		return ERR_PERM;        /* not a list the home's CPU driver made for us */
	if (find_any(is_instance_of, home_core, home_domain))
		return ERR_EXIST;
	const struct span_list *l = phys_to_virt(list_pa);
	if (l->magic != SPAN_LIST_MAGIC)
		return ERR_BADMAGIC;
	if (l->count > ((pages - 1) * PAGE_SIZE - sizeof *l) / sizeof l->e[0] ||
	    l->entry < DOMAIN_IMAGE_LO || l->entry >= DOMAIN_IMAGE_HI)
		return ERR_INVAL;
	char program[PROGRAM_NAME_MAX];
	memcpy(program, l->program, sizeof program);
	program[sizeof program - 1] = 0;
	struct domain_args args = { .program = program };
	struct span_fill f = { l, phys_to_virt(list_pa + (pages - 1) * PAGE_SIZE),
			       (uint32_t)home_core, (uint32_t)home_domain, arg };
	struct domain *d;
	err_t e = domain_create_with(&args, l->entry, fill_replica, &f, &d);
	if (e)
		return e;
	e = chanwake_add(d->span.wake_key, d, (unsigned)home_core);
	if (e) {
		end(d, DOMAIN_KILLED_BASE, "no room for its wake entry");
		return e;
	}
	klog("domain %u (%s): instance of core %lu's domain %lu, %u pages shared\n", d->id,
	     d->program, home_core, home_domain, l->count);
	return d->id;
}

static struct domain *find_any(bool (*match)(const struct domain *, uint64_t, uint64_t),
			       uint64_t a, uint64_t b)
{
	struct sched *s = &cpu_self()->sched;
	for (unsigned i = 0; i < SCHED_MAX_DOMAINS; i++)
		if (s->domains[i] && match(s->domains[i], a, b))
			return s->domains[i];
	return 0;
}

static bool is_instance_of(const struct domain *d, uint64_t core, uint64_t dom)
{
	return d->span.home_domain && d->span.home_core == core && d->span.home_domain == dom;
}

static void end(struct domain *d, int code, const char *why)
{
	if (d->state == DOM_ZOMBIE)
		return;
	d->exit_code = code;
	d->state = DOM_ZOMBIE;
	klog("domain %u (%s) ended: %s\n", d->id, d->program, why);
}

int64_t span_sys_end(uint64_t home_core, uint64_t home_domain, uint64_t why)
{
	struct domain *d = find_any(is_instance_of, home_core, home_domain);
	if (!d)
		return ERR_NOENT;
	if (why == SPAN_END_HOME_DOWN)
		end(d, DOMAIN_KILLED_BASE, "its home's core is down");
	else
		end(d, 0, "its home domain ended");
	return ERR_OK;
}

int64_t span_sys_release(struct domain *d, uint64_t core)
{
	for (unsigned i = 0; d && i < SPAN_MAX; i++) {
		if (d->span.list_pa[i] && d->span.list_core[i] == core) {
			chanreg_remove(d->span.list_pa[i]);
			d->span.list_pa[i] = 0;
			d->span.queues[i] = 0;
			d->span.refs--;
			return ERR_OK;
		}
	}
	return ERR_NOENT;
}

int64_t span_sys_kill(struct domain *d)
{
	if (!d)
		return ERR_NOENT;
	if (!d->span.exported)
		return ERR_PERM;
	end(d, DOMAIN_KILLED_BASE, "an instance on another core died");
	return ERR_OK;
}

/* [va, va + pages pages) lies in user space and is not too long. */
static err_t range_ok(uint64_t va, uint64_t pages)
{
	if (pages == 0 || pages > SPAN_VM_MAX_PAGES || !user_page_addr_ok(va) ||
	    !user_page_addr_ok(va + (pages - 1) * PAGE_SIZE))
		return ERR_RANGE;
	return ERR_OK;
}

static err_t rights_ok(uint64_t flags)
{
	if (flags & ~(uint64_t)(SYS_MAP_WRITE | SYS_MAP_EXEC))
		return ERR_INVAL;
	return flags == (SYS_MAP_WRITE | SYS_MAP_EXEC) ? ERR_PERM : ERR_OK;
}

/*
 * W^X across cores: a protect may not trade W for X (or X for W) in one
 * change.  The cores take a change one after the other (the home last), so
 * meanwhile one core would hold the old right and another the new one: a
 * page writable on one core and executable on another.  Dropping the right
 * first (protect read-only) and adding the other in a second change keeps
 * every core's rights within W or X at every moment.
 */
static err_t no_trade(const struct domain *d, uint64_t va, uint64_t flags)
{
	uint64_t pte = vm_lookup(d->pml4, va);
	bool had_w = pte & PTE_W, had_x = !(pte & PTE_NX);
	return (flags & SYS_MAP_EXEC && had_w) || (flags & SYS_MAP_WRITE && had_x) ? ERR_PERM :
		ERR_OK;
}

/* Every page of the range may be unmapped (check) or protected to flags by d. */
static err_t home_check(struct domain *d, uint64_t op, uint64_t va, uint64_t flags,
			uint64_t pages)
{
	err_t e = range_ok(va, pages);
	if (!e && op == SPAN_VM_CHECK_PROTECT)
		e = rights_ok(flags);
	for (uint64_t i = 0; i < pages && !e; i++) {
		uint64_t p = va + i * PAGE_SIZE;
		if (op == SPAN_VM_CHECK_UNMAP) {
			int64_t pa = frames_mapped_at(d, p);
			e = pa < 0 ? (err_t)pa : ERR_OK;
		} else {
			e = frames_protect(d, p, flags & SYS_MAP_WRITE, flags & SYS_MAP_EXEC, true);
			e = e ? e : no_trade(d, p, flags);
		}
	}
	return e;
}

/* One full fence, then each instance's running flag: need = the cores that may run it. */
static void read_running(const struct domain *d, uint64_t need[CORES_MAX / 64])
{
	memset(need, 0, CORES_MAX / 8);
	spanq_fence();
	for (unsigned i = 0; i < SPAN_MAX; i++)
		if (d->span.queues[i] && spanq_running(d->span.queues[i]))
			need[d->span.list_core[i] / 64] |= 1ull << (d->span.list_core[i] % 64);
}

/*
 * The lazy path: the change goes into every instance's queue (all or none:
 * ERR_FULL if one has no room), then read_running.
 */
static err_t queue_all(struct domain *d, uint64_t op, uint64_t va, uint64_t flags,
		       uint64_t pages, uint64_t need[CORES_MAX / 64])
{
	memset(need, 0, CORES_MAX / 8);
	for (unsigned i = 0; i < SPAN_MAX; i++)
		if (d->span.queues[i] && spanq_room(d->span.queues[i]) == 0)
			return ERR_FULL;
	struct span_change c = { .op = (uint32_t)op, .pages = (uint32_t)pages, .va = va,
				 .flags = flags };
	for (unsigned i = 0; i < SPAN_MAX; i++)
		if (d->span.queues[i]) {
			c.seq = d->span.queues[i]->head;
			spanq_push(d->span.queues[i], &c);
		}
	read_running(d, need);
	return ERR_OK;
}

/* No other change in flight, or this one queued by SYS_SPAN_LAZY (*queued). */
static err_t may_begin(const struct domain *d, uint64_t op, uint64_t va, uint64_t flags,
		       uint64_t pages, bool *queued)
{
	const struct span_inflight *c = &d->span.change;
	*queued = false;
	if (!c->active)
		return ERR_OK;
	if (!c->queued || c->op != op || c->va != va || c->pages != pages ||
	    (op == SPAN_VM_PROTECT && c->flags != flags))
		return ERR_BUSY;
	*queued = true;
	return ERR_OK;
}

static void begin(struct domain *d, uint64_t op, uint64_t va, uint64_t flags, uint64_t pages,
		  bool queued)
{
	d->span.change = (struct span_inflight){ true, queued, (uint32_t)op, va, flags, pages };
}

/* The unmap or protect op (SPAN_VM_UNMAP / PROTECT) a CHECK_* or QUEUE_* op is about. */
static uint64_t change_op(uint64_t op)
{
	return op == SPAN_VM_CHECK_UNMAP || op == SPAN_VM_QUEUE_UNMAP ? SPAN_VM_UNMAP :
		SPAN_VM_PROTECT;
}

static err_t home_queue(struct domain *d, uint64_t op, uint64_t va, uint64_t flags,
			uint64_t pages, uint64_t out_uva, bool queued)
{
	uint64_t need[CORES_MAX / 64] = { 0 };
	err_t e = copy_to_user(out_uva, need, sizeof need);   /* a bad buffer queues nothing */
	if (e)
		return e;
	if (queued)
		read_running(d, need);  /* SYS_SPAN_LAZY queued it: only ask again */
	else
		e = queue_all(d, change_op(op), va, flags, pages, need);
	return e ? e : copy_to_user(out_uva, need, sizeof need);
}

/* The home's own tables: every page of the checked range. */
static err_t home_apply(struct domain *d, uint64_t op, uint64_t va, uint64_t flags,
			uint64_t pages)
{
	err_t e = ERR_OK;
	for (uint64_t i = 0; i < pages && !e; i++)
		e = op == SPAN_VM_UNMAP ? frames_unmap(d, va + i * PAGE_SIZE) :
			frames_protect(d, va + i * PAGE_SIZE, flags & SYS_MAP_WRITE,
				       flags & SYS_MAP_EXEC, false);
	return e;
}

int64_t span_sys_lazy(struct domain *d, uint64_t op, uint64_t va, uint64_t flags,
		      uint64_t pages)
{
	if (!d->span.exported || d->state == DOM_ZOMBIE)
		return ERR_BUSY;        /* not a spanning home: the monitor answers */
	if (op != SPAN_VM_UNMAP && op != SPAN_VM_PROTECT)
		return ERR_INVAL;
	if (d->span.change.active)
		return ERR_BUSY;        /* another change is in flight: the monitor refuses */
	err_t e = home_check(d, op == SPAN_VM_UNMAP ? SPAN_VM_CHECK_UNMAP : SPAN_VM_CHECK_PROTECT,
			     va, flags, pages);
	if (e)
		return e;
	uint64_t need[CORES_MAX / 64];
	e = queue_all(d, op, va, flags, pages, need);
	if (e)
		return ERR_BUSY;        /* a queue is full: nothing queued */
	for (unsigned i = 0; i < CORES_MAX / 64; i++)
		if (need[i]) {
			/* Queued, but a running core must be told: the monitor's request
			 * for this change takes it from here without queuing it again,
			 * and nothing else may change the tables before it. */
			begin(d, op, va, flags, pages, true);
			return ERR_BUSY;
		}
	return home_apply(d, op, va, flags, pages);
}

int64_t span_sys_vm(struct domain *d, uint64_t op, uint64_t va, uint64_t arg, uint64_t pages,
		    uint64_t out_uva)
{
	if (!d)
		return ERR_NOENT;
	if (!d->span.exported)
		return ERR_PERM;
	if (op == SPAN_VM_DONE) {       /* the monitor finished a change without UNMAP/PROTECT */
		d->span.change.active = false;
		return ERR_OK;
	}
	if (!user_page_addr_ok(va))
		return ERR_RANGE;
	bool queued;
	err_t e;
	switch (op) {
	case SPAN_VM_CHECK_UNMAP:
	case SPAN_VM_CHECK_PROTECT:
		e = may_begin(d, change_op(op), va, arg, pages, &queued);
		e = e ? e : home_check(d, op, va, arg, pages);
		if (!e)
			begin(d, change_op(op), va, arg, pages, false);
		return e;
	case SPAN_VM_QUEUE_UNMAP:
	case SPAN_VM_QUEUE_PROTECT:
		e = may_begin(d, change_op(op), va, arg, pages, &queued);
		e = e ? e : home_check(d, op == SPAN_VM_QUEUE_UNMAP ? SPAN_VM_CHECK_UNMAP :
				       SPAN_VM_CHECK_PROTECT, va, arg, pages);
		e = e ? e : home_queue(d, op, va, arg, pages, out_uva, queued);
		if (!e)
			begin(d, change_op(op), va, arg, pages, false);
		return e;
	case SPAN_VM_UNMAP:             /* the end of a change: the home goes last */
	case SPAN_VM_PROTECT:
		e = home_check(d, op == SPAN_VM_UNMAP ? SPAN_VM_CHECK_UNMAP :
			       SPAN_VM_CHECK_PROTECT, va, arg, pages);
		e = e ? e : home_apply(d, op, va, arg, pages);
		d->span.change.active = false;
		return e;
	case SPAN_VM_MAP:               /* the beginning of a map: the home goes first */
		if ((arg & (PAGE_SIZE - 1)) & ~(uint64_t)(SYS_MAP_WRITE | SYS_MAP_EXEC))
			return ERR_INVAL;
		if (d->span.change.active)
			return ERR_BUSY;
		e = frames_map(d, va, arg & ~(PAGE_SIZE - 1), arg & SYS_MAP_WRITE,
			       arg & SYS_MAP_EXEC);
		if (!e)
			begin(d, SPAN_VM_MAP, va, arg, 1, false);
		return e;
	default:
		return ERR_INVAL;
	}
}

/* The instance's side of an unmap or protect: every page of the range it maps. */
static err_t replica_range(struct domain *d, uint64_t op, uint64_t va, uint64_t flags,
			   uint64_t pages)
{
	err_t e = range_ok(va, pages);
	if (!e && op == SPAN_VM_PROTECT)
		e = rights_ok(flags);
	for (uint64_t i = 0; i < pages && !e; i++)
		if (span_va_is_local(va + i * PAGE_SIZE))
			e = ERR_RANGE;
	for (uint64_t i = 0; i < pages && !e; i++) {
		uint64_t p = va + i * PAGE_SIZE;
		if (!(vm_lookup(d->pml4, p) & PTE_P))
			continue;       /* already gone: unmap is idempotent */
		if (op == SPAN_VM_UNMAP)
			e = vm_unmap(d->pml4, p, 0);  /* invlpg inside */
		else
			e = vm_protect(d->pml4, p, (flags & SYS_MAP_WRITE ? PTE_W : 0) |
				       (flags & SYS_MAP_EXEC ? 0 : PTE_NX));
	}
	return e;
}

static err_t apply_change(void *ctx, const struct span_change *c)
{
	if (c->op != SPAN_VM_UNMAP && c->op != SPAN_VM_PROTECT)
		return ERR_INVAL;
	return replica_range(ctx, c->op, c->va, c->flags, c->pages);
}

/* Apply the changes the home queued for instance d; a refused one ends d. */
static bool drain(struct domain *d)
{
	err_t e = spanq_drain(d->span.queue, apply_change, d, &d->span.lazy_applied);
	if (!e)
		return true;
	klog("domain %u (%s): a change queued by core %u was refused (%s)\n", d->id, d->program,
	     d->span.home_core, err_str(e));
	end(d, DOMAIN_KILLED_BASE, "its tables could not follow its home's");
	return false;
}

bool span_enter(struct domain *d)
{
	if (!d->span.queue)
		return true;
	spanq_enter(d->span.queue);
	return drain(d);
}

void span_leave(struct domain *d)
{
	if (d->span.queue)
		spanq_leave(d->span.queue);
}

int64_t span_sys_replica(uint64_t home_core, uint64_t home_domain, uint64_t op, uint64_t va,
			 uint64_t arg, uint64_t pages)
{
	struct domain *d = find_any(is_instance_of, home_core, home_domain);
	uint64_t pa = arg & ~(PAGE_SIZE - 1), flags = arg & (PAGE_SIZE - 1);
	if (!d || d->state == DOM_ZOMBIE)
		return ERR_NOENT;
	if (d->span.queue && !drain(d))   /* the home's earlier changes first */
		return ERR_NOENT;
	if (op == SPAN_VM_UNMAP || op == SPAN_VM_PROTECT)
		return replica_range(d, op, va, arg, pages);
	if (op != SPAN_VM_MAP)
		return ERR_INVAL;
	if (!user_page_addr_ok(va) || span_va_is_local(va) || pa >= vm_phys_top)
		return ERR_RANGE;
	if (flags & ~(uint64_t)(SYS_MAP_WRITE | SYS_MAP_EXEC) ||
	    flags == (SYS_MAP_WRITE | SYS_MAP_EXEC))
		return ERR_INVAL;
	return frames_map_other(d, va, pa, (flags & SYS_MAP_WRITE ? PTE_W : 0) |
				 (flags & SYS_MAP_EXEC ? 0 : PTE_NX));
}
