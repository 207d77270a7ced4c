/*
 * waitset_sys.c: the system-call side of the waitset and of URPC hooks:
 * blocking is SYS_WAIT, waking a peer is SYS_NOTIFY to its core.  With
 * several threads, blocking blocks only the calling thread
 * (thread_wait_notify), the others keep running.
 */
#include <libos/sys.h>
#include <libos/thread.h>
#include <libos/waitset.h>
#include <libos/waitset_urpc.h>
#include <sys/limits.h>
#include "arch/x86_64/syscall_asm.h"

static err_t ws_sys_wait(void *ctx, uint64_t ticks)
{
	(void)ctx;
	return thread_wait_notify(ticks);
}

static void ws_sys_pause(void)
{
	arch_pause();
}

void waitset_init_sys(struct waitset *ws, struct waitset_source **storage,
		      size_t cap)
{
	static const struct waitset_ops ops = { ws_sys_wait, ws_sys_pause, NULL };

	waitset_init(ws, storage, cap, &ops, WAITSET_SPINS_DEFAULT);
}

static void urpc_sys_notify(void *arg)
{
	sys_notify((uint64_t)(uintptr_t)arg);
}

static void urpc_sys_wait(void *arg)
{
	(void)arg;
	thread_wait_notify(0);
}

void libos_urpc_hooks(struct urpc_hooks *h, unsigned peer_core)
{
	h->notify = urpc_sys_notify;
	h->notify_arg = (void *)(uintptr_t)peer_core;
	h->wait = urpc_sys_wait;
	h->wait_arg = NULL;
	/*
	 * No spin-loop hint in urpc_recv's poll: under QEMU's TCG (where this
	 * OS runs) every `pause` ends the vCPU's run of translated code and
	 * takes QEMU's global lock before it resumes, which made each poll
	 * several times dearer than the load and compare it follows and made
	 * every polling vCPU contend for the lock the halted ones, the timers
	 * and the serial port need.  Measured: URPC's round trip 0.67x
	 * without it (make bench SMP=8, docs/03-urpc.md, fifth round).
	 * (The waitset's polling rounds keep their `pause`: ws_sys_pause.)
	 */
	h->pause = NULL;
	h->peer = NULL;
}

/*
 * A channel's receiver sleeps at most this long before asking whether its
 * peer lives.  It asks only after a sleep that ran out (chan_wait_expired),
 * never after one a notification ended: the question itself notifies the
 * peer, and two receivers of one channel asking after every wake-up would
 * wake each other for ever.  One flag per domain: with several threads a
 * question may come one period late, never in a loop (each expiry allows
 * at most one).
 */
#define PEER_CHECK_TICKS (TICK_HZ / 2)

static volatile bool chan_wait_expired;

static void urpc_chan_wait(void *arg)
{
	(void)arg;
	chan_wait_expired = thread_wait_notify(PEER_CHECK_TICKS) == ERR_TIMEOUT;
}

/* SYS_NOTIFY on a channel answers ERR_DEAD once the peer's core is not up (and wakes it). */
static err_t urpc_chan_peer(void *arg)
{
	if (!chan_wait_expired)
		return ERR_OK;
	chan_wait_expired = false;
	return sys_notify((uint64_t)(uintptr_t)arg) == ERR_DEAD ? ERR_DEAD : ERR_OK;
}

void libos_urpc_hooks_chan(struct urpc_hooks *h, const void *area)
{
	libos_urpc_hooks(h, 0);
	h->notify_arg = (void *)(uintptr_t)area; /* SYS_NOTIFY takes both forms */
	h->wait = urpc_chan_wait;
	h->peer = urpc_chan_peer;
}
