/*
 * urpc_linux.h: Linux platform hooks for urpc, used by the host tests and
 * the benchmark (never by the OS).
 *
 * A urpc_linux_waiter is the "token" of one receiving thread: notify sets
 * it and wakes the thread with a futex, wait blocks until it is set and
 * clears it.  A wait that lasts longer than `timeout_ms` is counted in
 * `timeouts` and returns: tests use that to detect a lost wake-up instead
 * of hanging (a correct protocol never needs the timeout).
 */
#ifndef TESTS_URPC_LINUX_H
#define TESTS_URPC_LINUX_H

#include <stdatomic.h>
#include <stdint.h>
#include <urpc/urpc.h>

struct urpc_linux_waiter {
	_Atomic uint32_t token;         /* 1: notified, not yet consumed */
	_Atomic uint64_t waits;         /* wait() calls */
	_Atomic uint64_t blocks;        /* futex sleeps that really blocked */
	_Atomic uint64_t notifies;      /* notify() calls */
	_Atomic uint64_t timeouts;      /* waits that ran into timeout_ms */
	int timeout_ms;                 /* 0: wait forever */
};

void urpc_linux_notify(void *waiter);
void urpc_linux_wait(void *waiter);
void urpc_linux_pause(void);

/* Hooks for a side that sleeps on `self` and wakes `peer`. */
struct urpc_hooks urpc_linux_hooks(struct urpc_linux_waiter *self,
				   struct urpc_linux_waiter *peer);

/*
 * Asymmetric barrier for urpc_rx_set_barrier: membarrier(PRIVATE_EXPEDITED)
 * makes every running thread of this process execute a full barrier before
 * it returns.  urpc_linux_barrier_init registers the process (once, before
 * the first barrier); it returns 0, or -1 if the kernel has no membarrier
 * (then do not call urpc_rx_set_barrier: the senders keep their fence).
 * urpc_linux_barrier exits the program if the call fails.
 */
int urpc_linux_barrier_init(void);
void urpc_linux_barrier(void *unused);
extern _Atomic uint64_t urpc_linux_barriers;    /* barriers run */

/* Pin the calling thread to the idx-th CPU it may run on (mod count). */
int urpc_linux_pin(unsigned idx);

/* An aligned, formatted channel area (exits on allocation failure). */
void *urpc_linux_area(uint32_t nslots, uint32_t first_seq, size_t *size);

#endif
