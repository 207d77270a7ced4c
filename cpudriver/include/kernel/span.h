/*
 * span.h: domains that span cores (the monitors' side: sys/monitor.h).
 *
 * A spanning domain is its home domain on one core plus one *instance* on
 * each other core it spans.  Each CPU driver keeps its own page tables (no
 * core ever writes or walks another core's tables): an instance's tables are
 * a replica of the home's user mappings, built from a list the home's CPU
 * driver exports (SYS_SPAN_EXPORT) and the monitors carry to the other core
 * (SYS_SPAN_CREATE).  The replica maps the home's frames without owning
 * them; only the per-core pages are the instance's own: its dispatcher
 * page, its start info and its stack (the ranges span_va_is_local names).
 *
 * The list is registered (kernel/chanreg.h) for the one core it was
 * exported for, and a core builds an instance only from a list the home's
 * CPU driver registered for it, and only one instance per home: a monitor
 * cannot make a CPU driver map frames the home's driver did not list.
 *
 * Keeping the replicas in step: from the first export on, SYS_MAP and
 * SYS_UNMAP in the home and in every instance return ERR_SPANNED; the
 * monitors map and unmap by messages instead (SYS_SPAN_VM on the home,
 * SYS_SPAN_REPLICA on every instance's core): a map is made on the home
 * first, an unmap on the home last, after every instance's core dropped
 * the page, so a frame is unmapped in the home (and only then can be
 * freed) when no replica maps it any more.
 *
 * Lifetime, the invariant that keeps frames safe: a home domain's frames
 * go back to its pool only when no instance can run any more.  Every export
 * takes a reference (span.refs); the home's monitor drops it with
 * SYS_SPAN_RELEASE after the instance's monitor ended it (SYS_SPAN_END),
 * after a failed SYS_SPAN_CREATE, or when the instance's core stopped for
 * good.  A home that ended stays a zombie (not reaped) while refs > 0.  An
 * instance that dies makes its monitor tell the home's monitor, which ends
 * the home (SYS_SPAN_KILL): a fault on any core ends the domain everywhere.
 *
 * Notifications: every participant (the home and each instance) has one
 * chanwake entry (kernel/chanwake.h) under the span's key, the physical
 * address of the home's top-level page table (a frame no domain maps, and
 * one that lives as long as any instance: the home is reaped last).
 * SYS_NOTIFY(core) from a participant wakes only its own participant on
 * that core, and a core where the domain has none is refused unless the
 * caller has the notify right: a participant needs no right beyond its own
 * span.
 *
 * Lazy changes (SPAN_VM_QUEUE_*).  Each export's last page is a queue of
 * changes (lib/spanq.h) from the home's CPU driver to that instance's CPU driver, kernel
 * memory neither domain maps.  Every word of it has one writer: the home
 * writes the entries and `head`; the instance writes `tail` and `running`
 * (each on its own cache line).  The protocol, Dekker-style:
 *   home:     append the change, head++; full fence; read running
 *   instance: running = 1; full fence; apply entries tail..head; tail = head
 *             (sched.c, before loading the instance's CR3), and
 *             running = 0 only after CR3 was switched away from it
 * With both fences, at least one side sees the other's store: either the
 * home reads running == 1 (and messages that core, whose SYS_SPAN_REPLICA
 * drains the queue first) or the instance's drain sees the entry.  A core
 * with running == 0 loaded another CR3 (no PCID, user pages not global:
 * the switch flushed every translation of the instance) and applies the
 * change before any instruction of the instance runs again, so no TLB can
 * hold the old translation: the frame is safe to reuse once the running
 * cores answered and the home unmapped it.  A full queue makes
 * SPAN_VM_QUEUE_* queue nothing and fail with ERR_FULL: the monitor falls
 * back to the eager path (every op of SYS_SPAN_REPLICA drains first, so
 * changes are applied in the home's order on either path).
 */
#ifndef KERNEL_SPAN_H
#define KERNEL_SPAN_H
#include <stdbool.h>
#include <stdint.h>
#include <lib/spanq.h>

#define SPAN_MAX 64                /* cores one home may span */

/*
 * The home's one change in flight.  A change (unmap, protect, map) begins
 * at the home (SYS_SPAN_LAZY that must ask the monitor, SPAN_VM_CHECK_*,
 * QUEUE_*, MAP) and ends when the home applies it (SPAN_VM_UNMAP /
 * PROTECT) or the monitor says it is over (SPAN_VM_DONE).  Meanwhile every
 * other change and every export is refused with ERR_BUSY: the cores would
 * otherwise apply two changes in different orders (a map reaching a core
 * after an unmap of the same page that the home already did leaves that
 * core mapping a frame the home can free), and an export would copy a
 * page whose unmap has not reached the new core.  The one exception:
 * `queued`, SYS_SPAN_LAZY put the change into the queues and answered
 * ERR_BUSY because a core runs the domain; the monitor's request for that
 * very change then begins it without queuing it again.
 */
struct span_inflight {
	bool active, queued;
	uint32_t op;               /* SPAN_VM_UNMAP, PROTECT or MAP */
	uint64_t va, flags, pages;
};

struct domain_span {
	uint32_t refs;             /* home: exports not yet released */
	struct span_inflight change;  /* home: the change in flight */
	uint64_t list_pa[SPAN_MAX];   /* home: each export's list, registered */
	uint32_t list_core[SPAN_MAX]; /* (kernel/chanreg.h) for that core only */
	struct span_queue *queues[SPAN_MAX];   /* home: each export's queue */
	bool exported;             /* home: spans (or spanned) cores */
	uint32_t home_core;        /* instance: its home; */
	uint32_t home_domain;      /* 0 if this domain is not an instance */
	uint64_t arg;              /* instance: the home's argument */
	struct span_queue *queue;  /* instance: its changes (the home's page) */
	uint64_t wake_key;         /* every participant: the span's chanwake key */
	uint64_t lazy_applied;     /* instance: changes taken from the queue */
};

struct domain;

/* May d map or unmap pages (ERR_SPANNED if it spans cores)? */
bool span_frozen(const struct domain *d);
/* May the scheduler free this ended domain yet? */
bool span_may_reap(const struct domain *d);

/*
 * sched.c, around running d: span_enter before loading d's CR3 (false:
 * d could not take a queued change and was ended: do not run it);
 * span_leave after the CR3 was switched away from d.
 */
bool span_enter(struct domain *d);
void span_leave(struct domain *d);

/* The privileged calls (sys/monitor.h), for monsyscall.c. */
int64_t span_sys_export(struct domain *d, uint64_t core);
int64_t span_sys_create(uint64_t list, uint64_t home_core, uint64_t home_domain,
			uint64_t arg);
int64_t span_sys_end(uint64_t home_core, uint64_t home_domain, uint64_t why);
int64_t span_sys_release(struct domain *d, uint64_t core);
int64_t span_sys_kill(struct domain *d);
int64_t span_sys_vm(struct domain *d, uint64_t op, uint64_t va, uint64_t arg, uint64_t pages,
		    uint64_t out_uva);
/* SYS_SPAN_LAZY (sys/syscall.h), for d, the calling domain. */
int64_t span_sys_lazy(struct domain *d, uint64_t op, uint64_t va, uint64_t flags, uint64_t pages);
int64_t span_sys_replica(uint64_t home_core, uint64_t home_domain, uint64_t op, uint64_t va,
			 uint64_t arg, uint64_t pages);

#endif
