/*
 * thread.c: user-level threads and their scheduler (libos/thread.h).
 *
 * Each dispatcher (one per core the domain runs on: libos/span.h) runs
 * libos_thread_run_next() on its own stack, with its dispatcher disabled
 * and thread_lock held, entered from two places: the preemption upcall
 * (thread_preempted: the running thread goes to the tail of its run queue)
 * and a thread that gives up the core itself (libos_thread_switch, after
 * the thread set its own state).  It wakes this slot's sleepers whose time
 * has come, then resumes the head of this slot's run queue; with nothing
 * runnable it drops the lock and blocks the domain on this core in
 * SYS_WAIT until the nearest deadline or a notification.  A thread made
 * runnable for another slot is queued there and that core is notified.
 *
 * Why no notification is lost: a thread that waits for a channel first
 * announces its sleep on the channel (the waitset / URPC protocol), then
 * blocks in thread_wait_notify.  The sender then notifies the core; the
 * kernel keeps that notification as a token until the dispatcher's next
 * SYS_WAIT, which it makes only when no thread can run, and which then
 * returns at once and wakes this slot's notify-waiters.  While other
 * threads run, notify-waiters are also put back on the run queue at every
 * pick (they re-check and block again): spurious wake-ups are allowed,
 * missed ones are not.  The same token argument covers cross-core wake-ups
 * (queue under the lock, then SYS_NOTIFY the core).
 */
#include <libos/libos.h>
#include <libos/thread.h>
#include <sys/limits.h>
#include "thread_impl.h"

#define THREAD_FP_MAX   4096u           /* main thread's static area */
#define RFLAGS_USER     0x202ull

uint32_t libos_fp_xsave, libos_fp_size;
uint32_t thread_slot_core[THREAD_SLOTS_MAX];
uint32_t thread_nslots = 1;
bool thread_spanning;

static uint32_t thread_lock;
static struct thread main_thread;
static uint8_t main_fp[THREAD_FP_MAX] __attribute__((aligned(64)));
static struct thread_queue runq[THREAD_SLOTS_MAX];
static struct thread *all_threads;
static unsigned live_threads;
static uint32_t next_id = 1;
static uint64_t switches;

#define DISP ((struct dispatcher_shared *)DOMAIN_DISPATCHER_VA)

bool thread_lock_acquire(void)
{
	bool was = libos_disp_disable();
	while (__atomic_exchange_n(&thread_lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&thread_lock, __ATOMIC_RELAXED))
			__asm__ volatile("pause");
	return was;
}

void thread_lock_release(bool was_disabled)
{
	__atomic_store_n(&thread_lock, 0, __ATOMIC_RELEASE);
	libos_disp_restore(was_disabled);
}

void thread_enter(void)
{
	if (thread_lock_acquire())
		libos_abort("threads: a blocking call inside the dispatcher's critical section");
}

void thread_queue_push(struct thread_queue *q, struct thread *t)
{
	t->next = 0;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
}

struct thread *thread_queue_pop(struct thread_queue *q)
{
	struct thread *t = q->head;
	if (t) {
		q->head = t->next;
		if (!q->head)
			q->tail = 0;
		t->next = 0;
	}
	return t;
}

void thread_make_runnable(struct thread *t)
{
	t->state = TH_RUNNABLE;
	thread_queue_push(&runq[t->slot], t);
	if (t->slot != disp_local()->slot)
		sys_notify(thread_slot_core[t->slot]);
}

static void fp_area_clean(uint8_t *fp)
{
	static const uint16_t fcw = 0x37f;
	static const uint32_t mxcsr = 0x1f80;
	memset(fp, 0, libos_fp_size);
	memcpy(fp + 0, &fcw, sizeof fcw);        /* FXSAVE layout: FCW at 0 */
	memcpy(fp + 24, &mxcsr, sizeof mxcsr);   /* MXCSR at 24 */
}

void thread_init(void)
{
	if (libos_fp_size == 0 || libos_fp_size > THREAD_FP_MAX)
		libos_abort("threads: the CPU's x87/SSE/AVX save area does not fit");
	main_thread.id = next_id++;
	main_thread.state = TH_RUNNING;
	main_thread.fp = main_fp;
	main_thread.join_claimed = true; /* nobody joins main's thread */
	all_threads = &main_thread;
	live_threads = 1;
	thread_slot_core[0] = libos_core_id();
	disp_local()->cur = &main_thread;
	disp_local()->fp_cur = main_fp;
}

/* Runs t on this dispatcher: drops the lock, loads t's state, jumps. */
__attribute__((noreturn)) static void resume(struct thread *t)
{
	struct disp_local *l = disp_local();
	if (t != l->cur)
		__atomic_fetch_add(&switches, 1, __ATOMIC_RELAXED);
	l->cur = t;
	t->state = TH_RUNNING;
	DISP->enabled_save = t->regs;
	l->fp_cur = t->fp;
	__atomic_store_n(&thread_lock, 0, __ATOMIC_RELEASE);
	libos_disp_resume_fp(t->fp);
}

/* Wake this slot's sleepers and notify-waiters that are due; the nearest deadline left. */
static uint64_t wake_due(uint32_t slot, uint64_t now, bool notified)
{
	uint64_t nearest = 0;
	bool others = runq[slot].head != 0;
	for (struct thread *t = all_threads; t; t = t->all_next) {
		if (t->slot != slot || (t->state != TH_SLEEPING && t->state != TH_NOTIFY))
			continue;
		if (t->deadline && t->deadline <= now) {
			t->wait_result = ERR_TIMEOUT;
			thread_make_runnable(t);
		} else if (t->state == TH_NOTIFY && (notified || others)) {
			t->wait_result = ERR_OK;
			thread_make_runnable(t);
		} else if (t->deadline && (!nearest || t->deadline < nearest)) {
			nearest = t->deadline;
		}
	}
	return nearest;
}

static bool anyone_waits_for_time_or_notify(void)
{
	for (struct thread *t = all_threads; t; t = t->all_next)
		if (t->state == TH_SLEEPING || t->state == TH_NOTIFY)
			return true;
	return false;
}

void libos_thread_run_next(void)
{
	struct disp_local *l = disp_local();
	bool notified = false;
	for (;;) {
		uint64_t nearest = wake_due(l->slot, libos_tsc(), notified);
		struct thread *t = thread_queue_pop(&runq[l->slot]);
		if (t)
			resume(t);
		l->cur = 0;
		if (!thread_spanning && !anyone_waits_for_time_or_notify())
			libos_abort("threads: deadlock, every thread is blocked on another");
		uint64_t ticks = 0;
		if (nearest) {
			uint64_t now = libos_tsc();
			uint64_t left = nearest > now ? nearest - now : 0;
			ticks = left * TICK_HZ / libos_tsc_hz() + 1;
		}
		__atomic_store_n(&thread_lock, 0, __ATOMIC_RELEASE);
		notified = sys_wait(ticks) == ERR_OK;
		while (__atomic_exchange_n(&thread_lock, 1, __ATOMIC_ACQUIRE))
			__asm__ volatile("pause");
	}
}

void thread_preempted(const struct user_regs *saved)
{
	thread_lock_acquire();  /* already disabled by the upcall */
	struct thread *t = thread_me();
	t->regs = *saved;
	thread_make_runnable(t);
	libos_thread_run_next();
}

void thread_block_current(void)
{
	struct thread *t = thread_me();
	libos_thread_switch(&t->regs, t->fp);
}

static void thread_trampoline(struct thread *t)
{
	thread_exit(t->fn(t->arg));
}

err_t thread_create_slot(uint32_t slot, struct thread **out, int (*fn)(void *arg), void *arg)
{
	size_t head = (sizeof(struct thread) + 63) & ~(size_t)63;
	uint64_t top;
	if (!fn)
		return ERR_INVAL;
	uint8_t *mem = malloc(head + libos_fp_size + 64);
	if (!mem)
		return ERR_NOMEM;
	uint8_t *base = (uint8_t *)(((uintptr_t)mem + 63) & ~(uintptr_t)63);
	struct thread *t = (struct thread *)base;
	memset(t, 0, sizeof *t);
	t->mem = mem;
	t->fp = base + head;
	fp_area_clean(t->fp);
	err_t e = thread_stack_alloc(t, &top);
	if (e) {
		free(mem);
		return e;
	}
	t->regs.rip = (uint64_t)thread_trampoline;
	t->regs.rsp = top - 8;          /* as if called: rsp + 8 is 16-aligned */
	t->regs.rdi = (uint64_t)t;
	t->regs.rflags = RFLAGS_USER;
	t->fn = fn;
	t->arg = arg;
	t->slot = slot;
	bool was = thread_lock_acquire();
	t->id = next_id++;
	t->all_next = all_threads;
	all_threads = t;
	live_threads++;
	thread_make_runnable(t);
	thread_lock_release(was);
	*out = t;
	return ERR_OK;
}

err_t thread_create(struct thread **out, int (*fn)(void *arg), void *arg)
{
	return thread_create_slot(disp_local()->slot, out, fn, arg);
}

void thread_exit(int ret)
{
	struct thread *t = thread_me();
	if (t == &main_thread)
		exit(ret);
	thread_enter();
	t->ret = ret;
	t->state = TH_EXITED;
	if (t->joiner)
		thread_make_runnable(t->joiner);
	thread_block_current();
	libos_abort("threads: an exited thread was resumed");
}

static void unlink_thread(struct thread *t)
{
	for (struct thread **p = &all_threads; *p; p = &(*p)->all_next) {
		if (*p == t) {
			*p = t->all_next;
			live_threads--;
			return;
		}
	}
}

err_t thread_join(struct thread *t, int *ret)
{
	if (!t || t == thread_me())
		return ERR_INVAL;
	thread_enter();
	if (t->join_claimed) {
		thread_lock_release(false);
		return ERR_INVAL;
	}
	t->join_claimed = true;
	if (t->state != TH_EXITED) {
		t->joiner = thread_me();
		thread_me()->state = TH_BLOCKED;
		thread_block_current();
		thread_enter();
	}
	unlink_thread(t);
	if (ret)
		*ret = t->ret;
	thread_lock_release(false);
	thread_stack_free(t);
	free(t->mem);
	return ERR_OK;
}

void thread_yield(void)
{
	thread_enter();
	thread_make_runnable(thread_me());
	thread_block_current();
}

static uint64_t deadline_after(uint64_t ticks_of_hz, uint64_t per_second)
{
	uint64_t hz = libos_tsc_hz();
	return libos_tsc() + ticks_of_hz / per_second * hz +
	       ticks_of_hz % per_second * hz / per_second + 1;
}

void thread_sleep_us(uint64_t us)
{
	thread_enter();
	thread_me()->deadline = deadline_after(us, 1000000);
	thread_me()->state = TH_SLEEPING;
	thread_block_current();
}

err_t thread_wait_notify(uint64_t ticks)
{
	if (live_threads == 1 && thread_nslots == 1)
		return sys_wait(ticks);
	thread_enter();
	struct thread *me = thread_me();
	me->deadline = ticks ? deadline_after(ticks, TICK_HZ) : 0;
	me->state = TH_NOTIFY;
	thread_block_current();
	return me->wait_result;
}

struct thread *thread_self(void)
{
	return thread_me();
}

uint32_t thread_id(const struct thread *t)
{
	return t->id;
}

unsigned thread_count(void)
{
	return live_threads;
}

uint64_t thread_switches(void)
{
	return __atomic_load_n(&switches, __ATOMIC_RELAXED);
}
