/* wait.c: what a ping-pong wait does once a burst of polls found nothing (see wait.h). */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <libos/thread.h>
#include "wait.h"

uint64_t pp_stall_ms = PP_STALL_MS;

/* Send retries between two pp_stall calls: each reads the peer's credit line. */
#define PP_SEND_BURST 4096
/* Kernel IPC send retries (each a yield) between two pp_stall calls. */
#define PP_KIPC_BURST 64

static uint64_t ms_since(uint64_t tsc)
{
	uint64_t per_ms = libos_tsc_hz() / 1000;
	return (libos_tsc() - tsc) / (per_ms ? per_ms : 1);
}

err_t pp_stall(struct pp_stall *st, uint64_t key, uint64_t trips)
{
	if (!st->waiting || st->key != key) {   /* a new wait: one burst so far */
		st->waiting = true;
		st->key = key;
		st->since = libos_tsc();
		st->naps = 0;
		return ERR_OK;
	}
	uint64_t ms = ms_since(st->since);
	if (ms < PP_STALL_SPIN_MS)
		return ERR_OK;
	const char *how = st->sending ? " (a send refused: its queue full)" : "";
	if (mon_chan_peer(st->chan) == ERR_DEAD) {
		printf("%s: %s gone during %s%s after %lu trips\n", st->self, st->peer, st->phase,
		       how, (unsigned long)trips);
		return ERR_DEAD;
	}
	if (ms >= pp_stall_ms) {
		printf("%s: %s silent for %lu ms during %s%s after %lu trips; giving up\n",
		       st->self, st->peer, (unsigned long)ms, st->phase, how, (unsigned long)trips);
		return ERR_TIMEOUT;
	}
	unsigned nap = st->naps < 4 ? 1u << st->naps : PP_STALL_NAP_MAX;
	st->naps++;
	thread_wait_notify(nap);        /* the core halts; a notification ends it early */
	return ERR_OK;
}

err_t pp_send_full(struct pp_stall *st, struct urpc_chan *c, struct urpc_msg m, uint64_t trips)
{
	err_t e = ERR_FULL;
	st->waiting = false;            /* a wait of its own */
	st->sending = true;
	while (e == ERR_FULL) {
		for (unsigned i = 0; i < PP_SEND_BURST && e == ERR_FULL; i++)
			e = urpc_send(c, m.type, m.data, m.len);
		if (e == ERR_FULL) {
			err_t s = pp_stall(st, UINT64_MAX, trips);
			if (s)
				e = s;
		}
	}
	st->sending = false;
	st->waiting = false;
	return e;
}

err_t pp_peer_error(struct pp_stall *st, err_t e, uint64_t trips)
{
	if (e == ERR_DEAD)
		printf("%s: %s gone during %s after %lu trips\n", st->self, st->peer, st->phase,
		       (unsigned long)trips);
	return e;
}

err_t pp_kipc_recv(struct pp_stall *st, void *buf, uint64_t trips)
{
	for (;;) {
		int64_t n = sys_raw(SYS_IPC_RECV, (uint64_t)buf, PP_KIPC_TICKS, 0, 0, 0, 0);
		if (n >= 0)
			return ERR_OK;
		if (n != ERR_TIMEOUT)
			return (err_t)n;
		err_t e = pp_stall(st, trips, trips);
		if (e)
			return e;
	}
}

err_t pp_kipc_send(struct pp_stall *st, uint32_t core, uint32_t dom, const void *p, size_t len,
		   uint64_t trips)
{
	int64_t r;
	unsigned i = 0;
	while ((r = sys_raw(SYS_IPC_SEND, core, dom, (uint64_t)p, len, 0, 0)) == ERR_FULL) {
		if (++i % PP_KIPC_BURST) {
			sys_yield();
			continue;
		}
		st->sending = true;
		err_t e = pp_stall(st, UINT64_MAX - trips, trips);
		st->sending = false;
		if (e)
			return e;
	}
	return r < 0 ? (err_t)r : ERR_OK;
}
