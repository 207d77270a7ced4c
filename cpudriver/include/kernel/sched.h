/*
 * sched.h: the per-core round-robin scheduler.
 *
 * Each core schedules only its own domains.  The scheduler runs on the
 * core's own kernel stack: it picks the next RUNNABLE domain, switches to
 * its address space and kernel stack, and returns to its user context.
 * A domain's FPU/SSE/AVX registers are loaded just before it runs and
 * saved as soon as it stops (kernel/fpu.h).
 * Preemption: the local-APIC tick marks the running domain for a switch,
 * done when the interrupt returns to ring 3.  With nothing runnable the
 * core halts with interrupts on (never spins).
 *
 * Priority: the core's monitor runs before every other domain whenever it
 * is runnable, and a notification or time-out that wakes it preempts the
 * running domain at once; a monitor that yields or uses up its slice lets
 * one other domain run first (so it gets at least every other slice when
 * it needs the CPU, and cannot starve the core when it spins).  Liveness
 * between monitors depends on this: a core busy with dozens of domains
 * still answers its heartbeats within a slice.
 *
 * Notifications: a VEC_NOTIFY IPI wakes every domain of the core blocked in
 * SYS_WAIT and marks the others `notified`, so a SYS_WAIT that comes after
 * a notification returns at once: no wake-up is lost, spurious ones are
 * allowed (waiters re-check their channels).
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H
#include <stdbool.h>
#include <stdint.h>

#define SCHED_MAX_DOMAINS 32

struct domain;

struct sched {
	struct domain *current;          /* running domain, or NULL */
	struct domain *domains[SCHED_MAX_DOMAINS];
	unsigned next;                   /* round-robin position */
	uint64_t sched_rsp;              /* scheduler's saved stack pointer */
	bool need_resched;
	uint32_t next_id;
	unsigned live;                   /* domains not yet freed, monitor excluded */
	struct domain *monitor;          /* this core's monitor, if started */
	bool monitor_yielded;            /* it gave the CPU away: others first once */
	void (*idle_hook)(void);
	uint64_t busy_ticks, idle_ticks; /* ticks that found a domain running, or none */
	uint64_t idle_free;              /* pool frames free at the last "EV pool.free" */
	uint64_t idle_tsc;           /* TSC ticks spent halted with nothing to run */
};

/* Set up this core's scheduler: tick hook, notification vector. */
void sched_init(void);

/* Adds a RUNNABLE domain; ERR_FULL past SCHED_MAX_DOMAINS. */
int sched_add(struct domain *d);

/* Runs domains forever on the calling core (the idle loop included). */
void sched_run(void) __attribute__((noreturn));

/* From a syscall or trap of the current domain: give up the core. */
void sched_yield(void);

/* Block the current domain in SYS_WAIT; returns its wait result. */
int64_t sched_wait(uint64_t ticks);
/*
 * d has seen its notifications (a wait returned, or kernel IPC drops them):
 * clear its pending flag and re-arm its channels (kernel/chanwake.h).
 */
void sched_consume_notification(struct domain *d);
/* Notify local domain `id` (wake it or leave it a pending notification). */
void sched_notify_domain(uint32_t id);
/* Notify every local domain. */
void sched_notify_all(void);

/* Current domain has become a ZOMBIE: switch away for good. */
void sched_exit_current(void) __attribute__((noreturn));

/* Domains of this core not yet freed. */
unsigned sched_live(void);

/* Called on every idle wake-up of the scheduler loop (core 0: end of run). */
void sched_set_idle_hook(void (*hook)(void));

#endif
