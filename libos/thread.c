/*
 * thread.c: user-level threads and their scheduler (libos/thread.h).
 *
 * The scheduler is one function, libos_thread_run_next(), entered on the
 * dispatcher's upcall stack with the dispatcher disabled, from two places:
 * the preemption upcall (thread_preempted: the running thread goes to the
 * tail of the run queue) and a thread that gives up the core itself
 * (libos_thread_switch, after the thread set its own state).  It wakes the
 * sleepers whose time has come, then resumes the head of the run queue;
 * with nothing runnable it blocks the domain in SYS_WAIT until the nearest
 * deadline, and a notification wakes every thread in thread_wait_notify.
 *
 * Why no notification is lost: a thread that waits for a channel first
 * announces its sleep on the channel (the waitset / URPC protocol), then
 * blocks in thread_wait_notify.  The sender then notifies the core; the
 * kernel keeps that notification as a token until the domain's next
 * SYS_WAIT, which the scheduler makes only when no thread can run, and
 * which then returns at once and wakes all notify-waiters.  While other
 * threads are runnable, notify-waiters are also put back on the run queue
 * at every pick (they re-check and block again): spurious wake-ups are
 * allowed, missed ones are not.
 */
#include <libos/libos.h>
#include <libos/thread.h>
#include <sys/limits.h>
#include "thread_impl.h"

#define THREAD_FP_MAX   4096u           /* main thread's static area */
#define RFLAGS_USER     0x202ull

struct thread *thread_cur;
uint8_t *libos_fp_cur;
uint32_t libos_fp_xsave, libos_fp_size;

static struct thread main_thread;
static uint8_t main_fp[THREAD_FP_MAX] __attribute__((aligned(64)));
static struct thread_queue runq;
static struct thread *all_threads;
static unsigned live_threads;
static uint32_t next_id = 1;
static uint64_t switches;

#define DISP ((struct dispatcher_shared *)DOMAIN_DISPATCHER_VA)

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
	thread_queue_push(&runq, t);
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
	thread_cur = &main_thread;
	libos_fp_cur = main_fp;
}

__attribute__((noreturn)) static void resume(struct thread *t)
{
	if (t != thread_cur)
		switches++;
	thread_cur = t;
	t->state = TH_RUNNING;
	DISP->enabled_save = t->regs;
	libos_fp_cur = t->fp;
	libos_disp_resume_fp(t->fp);
}

/* Wake sleepers and notify-waiters that are due; the nearest deadline left. */
static uint64_t wake_due(uint64_t now, bool notified)
{
	uint64_t nearest = 0;
	bool others = runq.head != 0;
	for (struct thread *t = all_threads; t; t = t->all_next) {
		if (t->state != TH_SLEEPING && t->state != TH_NOTIFY)
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
	bool notified = false;
	for (;;) {
		uint64_t nearest = wake_due(libos_tsc(), notified);
		struct thread *t = thread_queue_pop(&runq);
		if (t)
			resume(t);
		if (!anyone_waits_for_time_or_notify())
			libos_abort("threads: deadlock, every thread is blocked on another");
		uint64_t ticks = 0;
		if (nearest) {
			uint64_t now = libos_tsc();
			uint64_t left = nearest > now ? nearest - now : 0;
			ticks = left * TICK_HZ / libos_tsc_hz() + 1;
		}
		notified = sys_wait(ticks) == ERR_OK;
	}
}

void thread_preempted(const struct user_regs *saved)
{
	struct thread *t = thread_cur;
	t->regs = *saved;
	thread_make_runnable(t);
	libos_thread_run_next();
}

void thread_block_current(void)
{
	libos_thread_switch(&thread_cur->regs, thread_cur->fp);
}

static void enter(bool *was)
{
	*was = libos_disp_disable();
	if (*was)
		libos_abort("threads: a blocking call inside the dispatcher's critical section");
}

static void thread_trampoline(struct thread *t)
{
	thread_exit(t->fn(t->arg));
}

err_t thread_create(struct thread **out, int (*fn)(void *arg), void *arg)
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
	bool was = libos_disp_disable();
	t->id = next_id++;
	t->all_next = all_threads;
	all_threads = t;
	live_threads++;
	thread_make_runnable(t);
	libos_disp_restore(was);
	*out = t;
	return ERR_OK;
}

void thread_exit(int ret)
{
	struct thread *t = thread_cur;
	if (t == &main_thread)
		exit(ret);
	bool was;
	enter(&was);
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
	bool was;
	if (!t || t == thread_cur)
		return ERR_INVAL;
	enter(&was);
	if (t->join_claimed) {
		libos_disp_restore(was);
		return ERR_INVAL;
	}
	t->join_claimed = true;
	if (t->state != TH_EXITED) {
		t->joiner = thread_cur;
		thread_cur->state = TH_BLOCKED;
		thread_block_current();
		libos_disp_disable();
	}
	unlink_thread(t);
	if (ret)
		*ret = t->ret;
	libos_disp_restore(false);
	thread_stack_free(t);
	free(t->mem);
	return ERR_OK;
}

void thread_yield(void)
{
	bool was;
	enter(&was);
	thread_make_runnable(thread_cur);
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
	bool was;
	enter(&was);
	thread_cur->deadline = deadline_after(us, 1000000);
	thread_cur->state = TH_SLEEPING;
	thread_block_current();
}

err_t thread_wait_notify(uint64_t ticks)
{
	bool was;
	if (live_threads == 1)
		return sys_wait(ticks);
	enter(&was);
	thread_cur->deadline = ticks ? deadline_after(ticks, TICK_HZ) : 0;
	thread_cur->state = TH_NOTIFY;
	thread_block_current();
	return thread_cur->wait_result;
}

struct thread *thread_self(void)
{
	return thread_cur;
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
	return switches;
}
