/* urpc_linux.c: futex-based notify/wait hooks and helpers, see the header. */
#define _GNU_SOURCE
#include "urpc_linux.h"

#include <asm/unistd.h>          /* __NR_futex; <sys/syscall.h> is the
				   OS's own include/sys/syscall.h here */
#include <errno.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long urpc_futex(_Atomic uint32_t *addr, int op, uint32_t val,
		       const struct timespec *ts)
{
	return syscall(__NR_futex, (uint32_t *)addr, op, val, ts, NULL, 0);
}

void urpc_linux_notify(void *arg)
{
	struct urpc_linux_waiter *w = arg;

	atomic_fetch_add(&w->notifies, 1);
	if (atomic_exchange(&w->token, 1) == 0)
		urpc_futex(&w->token, FUTEX_WAKE_PRIVATE, 1, NULL);
}

void urpc_linux_wait(void *arg)
{
	struct urpc_linux_waiter *w = arg;
	struct timespec ts = { w->timeout_ms / 1000,
			       (long)(w->timeout_ms % 1000) * 1000000 };

	atomic_fetch_add(&w->waits, 1);
	while (atomic_exchange(&w->token, 0) == 0) {
		long r;

		atomic_fetch_add(&w->blocks, 1);
		r = urpc_futex(&w->token, FUTEX_WAIT_PRIVATE, 0,
			       w->timeout_ms ? &ts : NULL);
		if (r == -1 && errno == ETIMEDOUT) {
			atomic_fetch_add(&w->timeouts, 1);
			return;
		}
	}
}

void urpc_linux_pause(void)
{
	__builtin_ia32_pause();
}

struct urpc_hooks urpc_linux_hooks(struct urpc_linux_waiter *self,
				   struct urpc_linux_waiter *peer)
{
	struct urpc_hooks h = {
		.notify = urpc_linux_notify, .notify_arg = peer,
		.wait = urpc_linux_wait, .wait_arg = self,
		.pause = urpc_linux_pause,
	};
	return h;
}

_Atomic uint64_t urpc_linux_barriers;

int urpc_linux_barrier_init(void)
{
	long cmds = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);

	if (cmds < 0 || !(cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED))
		return -1;
	return syscall(__NR_membarrier,
		       MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) ? -1 : 0;
}

void urpc_linux_barrier(void *unused)
{
	(void)unused;
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0)) {
		perror("membarrier");
		exit(1);
	}
	atomic_fetch_add(&urpc_linux_barriers, 1);
}

int urpc_linux_pin(unsigned idx)
{
	cpu_set_t allowed, one;
	unsigned n = 0;

	if (sched_getaffinity(0, sizeof allowed, &allowed) != 0)
		return -1;
	idx %= (unsigned)CPU_COUNT(&allowed);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &allowed) || n++ != idx)
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		return pthread_setaffinity_np(pthread_self(), sizeof one, &one);
	}
	return -1;
}

void *urpc_linux_area(uint32_t nslots, uint32_t first_seq, size_t *size)
{
	size_t sz = urpc_area_size(nslots);
	void *a = aligned_alloc(URPC_LINE, (sz + URPC_LINE - 1) & ~(size_t)63);

	if (!a) {
		perror("aligned_alloc");
		exit(2);
	}
	if (urpc_area_init(a, sz, nslots, first_seq) != ERR_OK) {
		fprintf(stderr, "urpc_area_init failed\n");
		exit(2);
	}
	*size = sz;
	return a;
}
