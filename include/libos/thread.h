/*
 * libos/thread.h: user-level threads of one domain (libos/thread.c,
 * libos/thread_sync.c).
 *
 * Threads are scheduled by libos itself, on the domain's dispatcher
 * (include/sys/domain.h): the CPU driver only ever sees the domain.  When
 * the core's timer preempts the domain, the CPU driver upcalls the
 * dispatcher, which saves the running thread (general registers from the
 * dispatcher page, x87/SSE/AVX registers with XSAVE or FXSAVE) and resumes
 * the next runnable thread, round robin.  A thread that blocks (join,
 * mutex, condition variable, sleep, waiting for a notification) blocks only
 * itself: the others keep running.  Only when no thread can run does the
 * domain block in SYS_WAIT, for at most the time to the nearest sleeper's
 * deadline.
 *
 * Every thread has its own stack (THREAD_STACK_SIZE of fresh pages at
 * THREAD_STACKS_VA, with an unmapped guard below it, so an overrun faults
 * and ends the domain instead of corrupting memory) and its
 * own floating-point state, which starts clean (MXCSR 0x1f80, x87 control
 * word 0x37f, all registers zero).  The thread that runs main() is thread 1;
 * when main returns, or any thread calls exit(), the whole domain ends.
 * A thread's return value (or thread_exit's argument) is collected by
 * thread_join, which also frees its stack; every thread must be joined
 * once.
 *
 * The thread library's own state is changed only with the dispatcher
 * `disabled` (libos_disp_disable), which makes a preemption resume in place
 * instead of upcalling: that is its only lock, valid while a domain runs on
 * one core.  malloc/free use the same section, so they may be called from
 * any thread.
 *
 * Errors: ERR_INVAL (create with no function), ERR_NOMEM, ERR_FULL (1024
 * stacks in use) from create, ERR_INVAL (join of NULL, of itself, of a
 * thread someone else joins), ERR_PERM (unlocking a mutex the caller does
 * not hold).
 */
#ifndef LIBOS_THREAD_H
#define LIBOS_THREAD_H

#include <lib/err.h>
#include <stdbool.h>
#include <stdint.h>

#define THREAD_STACK_SIZE (32u * 1024)  /* mapped; as much unmapped guard below */
#define THREAD_STACK_PAGES (THREAD_STACK_SIZE / 4096)
#define THREAD_STACKS_VA  0x0000004000000000ull /* the stacks' slots */

struct thread;

/* Start fn(arg) in a new thread; *out names it for thread_join. */
err_t thread_create(struct thread **out, int (*fn)(void *arg), void *arg);
/* Wait until t ended; its result into *ret (may be NULL); frees t. */
err_t thread_join(struct thread *t, int *ret);
/* End the calling thread with `ret` (main's thread: ends the domain). */
__attribute__((noreturn)) void thread_exit(int ret);
/* Let the other runnable threads of this domain run first. */
void thread_yield(void);
/* Block this thread for at least `us` microseconds. */
void thread_sleep_us(uint64_t us);
/* The calling thread, and its number (1 for main's thread). */
struct thread *thread_self(void);
uint32_t thread_id(const struct thread *t);
/* Threads created and not yet joined (main's included). */
unsigned thread_count(void);
/* Times the scheduler resumed a thread other than the one that stopped. */
uint64_t thread_switches(void);

/*
 * Block the calling thread until a notification reaches the domain's core
 * (ERR_OK) or `ticks` timer ticks pass (ERR_TIMEOUT; 0 = no limit).  Like
 * SYS_WAIT for one thread: it may return early, so callers re-check what
 * they wait for; a notification is never lost.  Without other threads it
 * is SYS_WAIT.  The waitset and URPC's blocking receive use it, so a thread
 * waiting on a channel blocks only itself.
 */
err_t thread_wait_notify(uint64_t ticks);

/* A mutex: one owner; waiters are served first come, first served. */
struct thread_queue {
	struct thread *head, *tail;
};

struct thread_mutex {
	bool locked;
	struct thread *owner;
	struct thread_queue waiters;
};

#define THREAD_MUTEX_INIT { false, 0, { 0, 0 } }

void thread_mutex_init(struct thread_mutex *m);
void thread_mutex_lock(struct thread_mutex *m);
bool thread_mutex_trylock(struct thread_mutex *m);
err_t thread_mutex_unlock(struct thread_mutex *m);

/* A condition variable; wakeups are never spurious here, but use a loop. */
struct thread_cond {
	struct thread_queue waiters;
};

#define THREAD_COND_INIT { { 0, 0 } }

void thread_cond_init(struct thread_cond *c);
/* Unlock m, block until signalled, lock m again.  The caller must hold m. */
err_t thread_cond_wait(struct thread_cond *c, struct thread_mutex *m);
void thread_cond_signal(struct thread_cond *c);
void thread_cond_broadcast(struct thread_cond *c);

/*
 * The dispatcher's critical section (libos/dispatch.c): while disabled, a
 * preemption resumes the domain in place.  Returns whether it already was
 * disabled; pass that to libos_disp_restore.  Nests.
 */
bool libos_disp_disable(void);
void libos_disp_restore(bool was_disabled);

#endif
