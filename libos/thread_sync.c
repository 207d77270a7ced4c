/*
 * thread_sync.c: mutexes and condition variables of libos/thread.h.
 *
 * Both are a flag and a FIFO of blocked threads, changed under the thread
 * lock with this core's dispatcher disabled (thread_impl.h).  Unlock hands
 * the mutex straight to the first waiter (no barging, no lost ownership);
 * a condition wait queues the thread and releases the mutex in one
 * critical section, so a signal between the two cannot be missed.  The
 * waiters may run on any core of the domain.
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
	bool was = thread_lock_acquire();
	bool got = !m->locked;
	if (got) {
		m->locked = true;
		m->owner = thread_me();
	}
	thread_lock_release(was);
	return got;
}

void thread_mutex_lock(struct thread_mutex *m)
{
	bool was = thread_lock_acquire();
	struct thread *me = thread_me();
	if (!m->locked) {
		m->locked = true;
		m->owner = me;
		thread_lock_release(was);
		return;
	}
	if (m->owner == me)
		libos_abort("thread_mutex_lock: the caller already holds this mutex");
	if (was)
		libos_abort("threads: a blocking call inside the dispatcher's critical section");
	me->state = TH_BLOCKED;
	thread_queue_push(&m->waiters, me);
	thread_block_current(); /* resumed as the owner, unlocked and enabled */
}

/* Release m (locked, caller holds it): to the first waiter, if any. */
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
	bool was = thread_lock_acquire();
	if (!m->locked || m->owner != thread_me()) {
		thread_lock_release(was);
		return ERR_PERM;
	}
	mutex_release(m);
	thread_lock_release(was);
	return ERR_OK;
}

void thread_cond_init(struct thread_cond *c)
{
	*c = (struct thread_cond)THREAD_COND_INIT;
}

err_t thread_cond_wait(struct thread_cond *c, struct thread_mutex *m)
{
	bool was = thread_lock_acquire();
	struct thread *me = thread_me();
	if (!m->locked || m->owner != me) {
		thread_lock_release(was);
		return ERR_PERM;
	}
	if (was)
		libos_abort("threads: a blocking call inside the dispatcher's critical section");
	me->state = TH_BLOCKED;
	thread_queue_push(&c->waiters, me);
	mutex_release(m);
	thread_block_current();
	thread_mutex_lock(m);
	return ERR_OK;
}

void thread_cond_signal(struct thread_cond *c)
{
	bool was = thread_lock_acquire();
	struct thread *t = thread_queue_pop(&c->waiters);
	if (t)
		thread_make_runnable(t);
	thread_lock_release(was);
}

void thread_cond_broadcast(struct thread_cond *c)
{
	bool was = thread_lock_acquire();
	struct thread *t;
	while ((t = thread_queue_pop(&c->waiters)))
		thread_make_runnable(t);
	thread_lock_release(was);
}
