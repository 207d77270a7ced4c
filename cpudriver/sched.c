/* sched.c: per-core round-robin scheduling of domains (see kernel/sched.h). */
#include <kernel/chanreg.h>
#include <kernel/chanwake.h>
#include <kernel/entry.h>
#include <kernel/event.h>
#include <kernel/console.h>
#include <kernel/corestatus.h>
#include <kernel/cpu.h>
#include <kernel/domain.h>
#include <kernel/fpu.h>
#include <kernel/kipc.h>
#include <kernel/pmm.h>
#include <kernel/panic.h>
#include <kernel/poolreuse.h>
#include <kernel/sched.h>
#include <kernel/fence.h>
#include <kernel/span.h>
#include <kernel/tick.h>
#include <kernel/trace.h>
#include <arch/lapic.h>
#include <arch/x86.h>


static struct sched *me(void)
{
	return &cpu_self()->sched;
}

static void publish_live(struct sched *s)
{
	__atomic_store_n(&core_status[cpu_self()->id].domains_live, s->live, __ATOMIC_RELEASE);
}

/* The monitor just became runnable while another domain runs: switch at once. */
static void monitor_woken(struct sched *s, struct domain *d)
{
	if (d == s->monitor && s->current && s->current != d)
		s->need_resched = true;
}

/* Tick: preempt the running domain, count down SYS_WAIT timeouts. */
static void on_tick(struct trap_frame *f)
{
	(void)f;
	struct sched *s = me();
	for (unsigned i = 0; i < SCHED_MAX_DOMAINS; i++) {
		struct domain *d = s->domains[i];
		if (d && d->state == DOM_WAITING && d->wait_ticks && --d->wait_ticks == 0) {
			d->wait_result = ERR_TIMEOUT;
			d->state = DOM_RUNNABLE;
			monitor_woken(s, d);
		}
	}
	if (s->current)
		s->need_resched = true;
}

/* Wake d if it waits, else leave it a notification for its next wait. */
static void notify(struct sched *s, struct domain *d)
{
	if (d->state == DOM_WAITING) {
		d->wait_result = 0;
		d->state = DOM_RUNNABLE;
		monitor_woken(s, d);
	} else {
		d->notified = true;
	}
}

void sched_notify_domain(uint32_t id)
{
	struct sched *s = me();
	for (unsigned i = 0; i < SCHED_MAX_DOMAINS; i++) {
		struct domain *d = s->domains[i];
		if (d && d->id == id && d->state != DOM_ZOMBIE)
			notify(s, d);
	}
}

void sched_notify_all(void)
{
	struct sched *s = me();
	for (unsigned i = 0; i < SCHED_MAX_DOMAINS; i++)
		if (s->domains[i])
			notify(s, s->domains[i]);
}

/* Notification IPI: channel notifications (kernel/chanwake.h), core ones. */
static void on_notify(struct trap_frame *f)
{
	(void)f;
	lapic_eoi();
	chanwake_deliver();
}

/* Test command or fence (kernel/fence.h) from another core: this CPU driver stops for good. */
static void on_stop(struct trap_frame *f)
{
	(void)f;
	fence_stop_begins(); /* a late fence NMI leaves the report to us */
	lapic_eoi();
	int by = fence_fenced_by(cpu_self()->id);
	if (by >= 0) {
		klog("fenced by core %d: declared down by the monitors while running; halting this core\n",
		     by);
		kevent("core.fenced", "by=%d", by);
	} else {
		klog("stopped by a test command; halting this core for good\n");
		kevent("core.stop", "%s", "");
	}
	poolreuse_life_stopped_cleanly(cpu_self()->id); /* never inside the kernel: see poolreuse.h */
	core_status_set(cpu_self()->id, CORE_STOPPED);
	halt_forever();
}

void sched_init(void)
{
	tick_set_hook(on_tick);
	trap_set_irq_handler(VEC_NOTIFY, on_notify);
	trap_set_irq_handler(VEC_STOP, on_stop);
	kipc_init();
	chanreg_init();
	chanwake_init();
}

int sched_add(struct domain *d)
{
	struct sched *s = me();
	assert(d && d->state == DOM_RUNNABLE);
	for (unsigned i = 0; i < SCHED_MAX_DOMAINS; i++) {
		assert(s->domains[i] != d);       /* added once */
		if (!s->domains[i]) {
			s->domains[i] = d;
			s->live += !d->privileged;
			publish_live(s);
			return ERR_OK;
		}
	}
	return ERR_FULL;
}

unsigned sched_live(void)
{
	return me()->live;
}

void sched_set_idle_hook(void (*hook)(void))
{
	me()->idle_hook = hook;
}

/*
 * An event line for the tests (a leak shows as a value that drifts): the
 * core's free pool frames when the scheduler finds nothing but the monitor
 * left and the value differs from the last line (the monitor frees its
 * side of an ended domain's channel a moment after the domain ended).
 */
static void report_idle_pool(struct sched *s)
{
	uint64_t free = cpu_self()->pool->free;
	if (s->live || free == s->idle_free)
		return;
	s->idle_free = free;
	klog("EV pool.free=%lu\n", free);
}

static void reap(struct sched *s)
{
	for (unsigned i = 0; i < SCHED_MAX_DOMAINS; i++) {
		struct domain *d = s->domains[i];
		if (d && d->state == DOM_ZOMBIE && span_may_reap(d)) {
			assert(d != s->current);
			assert(s->live >= !d->privileged);
			s->domains[i] = 0;
			if (d == s->monitor) {
				klog("the monitor of this core has ended; its services stay\n");
				s->monitor = 0;
			}
			s->live -= !d->privileged;
			domain_destroy(d);
			publish_live(s);
		}
	}
}

/*
 * The monitor first whenever it is runnable, unless it gave the CPU away
 * (yielded, or used up a slice) since another domain last ran: then one
 * round-robin pick comes first.  So a monitor that waits for messages runs
 * as soon as one arrives, however many domains compute on its core, and a
 * monitor that computes gets at most every other slice.
 */
static struct domain *pick(struct sched *s)
{
	struct domain *m = s->monitor;
	if (m && m->state == DOM_RUNNABLE && !s->monitor_yielded)
		return m;
	s->monitor_yielded = false;
	for (unsigned k = 0; k < SCHED_MAX_DOMAINS; k++) {
		unsigned i = (s->next + k) % SCHED_MAX_DOMAINS;
		struct domain *d = s->domains[i];
		if (d && d->state == DOM_RUNNABLE) {
			s->next = i + 1;
			return d;
		}
	}
	return 0;
}

static void run(struct sched *s, struct domain *d)
{
	struct cpu *c = cpu_self();
	uint64_t top = (uint64_t)d->kstack + DOMAIN_KSTACK_SIZE;
	assert(s->current == 0 && d->state == DOM_RUNNABLE);
	if (!span_enter(d))
		return;           /* ended: it could not take its home's change */
	d->state = DOM_RUNNING;
	s->current = d;
	s->need_resched = false;
	c->syscall_rsp = top;
	tss_set_kernel_stack(&c->tables, top);
	write_cr3(d->pml4);
	fpu_restore(d->fpu);
	ktrace(TR_SWITCH, d->id, 0, 0);
	context_switch(&s->sched_rsp, d->kernel_rsp);
	fpu_save(d->fpu);
	write_cr3(c->pml4_phys);
	span_leave(d);            /* after the switch: its translations are gone */
	ktrace(TR_SWITCH, 0, d->id, 0);
	s->current = 0;
}

/* Ticks until the first SYS_WAIT time-out; UINT64_MAX if none waits with one. */
static uint64_t idle_ticks(struct sched *s)
{
	uint64_t min = UINT64_MAX;
	for (unsigned i = 0; i < SCHED_MAX_DOMAINS; i++) {
		struct domain *d = s->domains[i];
		if (d && d->state == DOM_WAITING && d->wait_ticks && d->wait_ticks < min)
			min = d->wait_ticks;
	}
	return min;
}

/* Ticks that passed while the core slept without its periodic tick. */
static void advance_waits(uint64_t ticks)
{
	struct sched *s = me();
	for (unsigned i = 0; i < SCHED_MAX_DOMAINS; i++) {
		struct domain *d = s->domains[i];
		if (!d || d->state != DOM_WAITING || !d->wait_ticks)
			continue;
		if (d->wait_ticks > ticks) {
			d->wait_ticks -= ticks;
			continue;
		}
		d->wait_ticks = 0;
		d->wait_result = ERR_TIMEOUT;
		d->state = DOM_RUNNABLE;
	}
}

void sched_run(void)
{
	struct sched *s = me();
	irq_disable();
	for (;;) {
		reap(s);
		report_idle_pool(s);
		struct domain *d = pick(s);
		if (d) {
			run(s, d);
			continue;
		}
		if (s->idle_hook)
			s->idle_hook();
		console_poll();
		uint64_t t0 = rdtsc();
		tick_idle(idle_ticks(s), advance_waits); /* an interrupt may make a domain runnable */
		s->idle_tsc += rdtsc() - t0;
	}
}

/* Back to the scheduler loop; returns when this domain runs again. */
static void to_scheduler(struct domain *d)
{
	context_switch(&d->kernel_rsp, me()->sched_rsp);
}

void sched_yield(void)
{
	struct domain *d = me()->current;
	assert(d && d->state == DOM_RUNNING);
	if (d == me()->monitor)
		me()->monitor_yielded = true;
	d->state = DOM_RUNNABLE;
	to_scheduler(d);
}

void sched_consume_notification(struct domain *d)
{
	d->notified = false;
	chanwake_rearm(d); /* consumed: the next notification needs its own IPI */
}

int64_t sched_wait(uint64_t ticks)
{
	struct domain *d = me()->current;
	assert(d && d->state == DOM_RUNNING);
	if (d->notified) {
		sched_consume_notification(d);
		return 0;
	}
	if (d == me()->monitor) /* its start is done: it waits for work (bootgate.h) */
		__atomic_store_n(&core_status[cpu_self()->id].monitor_ready, 1, __ATOMIC_RELEASE);
	d->wait_ticks = ticks;
	d->state = DOM_WAITING;
	to_scheduler(d);
	sched_consume_notification(d); /* whatever woke it, what was delivered is seen */
	return d->wait_result;
}

void sched_exit_current(void)
{
	struct domain *d = me()->current;
	assert(d && d->state == DOM_RUNNING);
	d->state = DOM_ZOMBIE;
	to_scheduler(d);
	__builtin_unreachable();
}
