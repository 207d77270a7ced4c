/*
 * thread_sync.c: mutexes and condition variables of libos/thread.h.
 *
 * Both are a flag and a FIFO of blocked threads, changed with the
 * dispatcher disabled (the one lock of a domain on one core).  Unlock hands
 * the mutex straight to the first waiter (no barging, no lost ownership);
 * a condition wait queues the thread and releases the mutex in one
 * critical section, so a signal between the two cannot be missed.
 */
#include <libos/libos.h>
#include <libos/thread.h>
#include "thread_impl.h"

void thread_mutex_init(struct thread_mutex *m)
{
	*m = (struct thread_mutex)THREAD_MUTEX_INIT;
}

bool thread_mutex_trylock(struct thread_mutex *m)
{
	bool was = libos_disp_disable();
	bool got = !m->locked;
	if (got) {
		m->locked = true;
		m->owner = thread_cur;
	}
	libos_disp_restore(was);
	return got;
}

void thread_mutex_lock(struct thread_mutex *m)
{
	bool was = libos_disp_disable();
	if (!m->locked) {
		m->locked = true;
		m->owner = thread_cur;
		libos_disp_restore(was);
		return;
	}
	if (m->owner == thread_cur)
		libos_abort("thread_mutex_lock: the caller already holds this mutex");
	if (was)
		libos_abort("threads: a blocking call inside the dispatcher's critical section");
	thread_cur->state = TH_BLOCKED;
	thread_queue_push(&m->waiters, thread_cur);
	thread_block_current(); /* resumed as the owner, enabled */
}

/* Release m (disabled, caller holds it): to the first waiter, if any. */
static void mutex_release(struct thread_mutex *m)
{
	struct thread *t = thread_queue_pop(&m->waiters);
	m->owner = t;
	m->locked = t != 0;
	if (t)
		thread_make_runnable(t);
}

err_t thread_mutex_unlock(struct thread_mutex *m)
{
	bool was = libos_disp_disable();
	if (!m->locked || m->owner != thread_cur) {
		libos_disp_restore(was);
		return ERR_PERM;
	}
	mutex_release(m);
	libos_disp_restore(was);
	return ERR_OK;
}

void thread_cond_init(struct thread_cond *c)
{
	*c = (struct thread_cond)THREAD_COND_INIT;
}

err_t thread_cond_wait(struct thread_cond *c, struct thread_mutex *m)
{
	bool was = libos_disp_disable();
	if (!m->locked || m->owner != thread_cur) {
		libos_disp_restore(was);
		return ERR_PERM;
	}
	if (was)
		libos_abort("threads: a blocking call inside the dispatcher's critical section");
	thread_cur->state = TH_BLOCKED;
	thread_queue_push(&c->waiters, thread_cur);
	mutex_release(m);
	thread_block_current();
	thread_mutex_lock(m);
	return ERR_OK;
}

void thread_cond_signal(struct thread_cond *c)
{
	bool was = libos_disp_disable();
	struct thread *t = thread_queue_pop(&c->waiters);
	if (t)
		thread_make_runnable(t);
	libos_disp_restore(was);
}

void thread_cond_broadcast(struct thread_cond *c)
{
	bool was = libos_disp_disable();
	struct thread *t;
	while ((t = thread_queue_pop(&c->waiters)))
		thread_make_runnable(t);
	libos_disp_restore(was);
}
