/*
 * libos/waitset_urpc.h: a URPC channel as a waitset source.
 *
 * The receiving side of a channel (include/urpc/urpc.h) becomes a source:
 * poll is urpc_pending, sleep_begin/sleep_end are urpc_rx_sleep_begin/end
 * (the receiver's half of URPC's sleep protocol), and the handler is the
 * caller's on_message, which should drain what it can with urpc_try_recv.
 * The channel itself is not changed; its own wait hook is not used while
 * it sits in a waitset (the set waits for all its sources at once).
 *
 * For the wake-up to reach the set, the *sender's* notify hook must wake
 * the receiving domain: libos_urpc_hooks_chan() fills hooks that do
 * SYS_NOTIFY(channel area) on notify (the kernel wakes only the other
 * party of that channel), a wait of at most half a second on wait (for
 * plain urpc_recv), the peer check (SYS_NOTIFY(area) answers ERR_DEAD once
 * the peer's core is not up: urpc_recv then returns ERR_DEAD instead of
 * waiting for ever) and `pause` for spinning.
 *
 *     struct waitset_urpc w;
 *     waitset_urpc_init(&w, &chan, on_message, ctx);
 *     waitset_add(&ws, &w.src);
 */
#ifndef LIBOS_WAITSET_URPC_H
#define LIBOS_WAITSET_URPC_H

#include <libos/waitset.h>
#include <urpc/urpc.h>

struct waitset_urpc {
	struct waitset_source src;      /* add &w->src to the set */
	struct urpc_chan *chan;
	void (*on_message)(struct waitset_urpc *w);
	void *arg;                      /* the caller's */
};

void waitset_urpc_init(struct waitset_urpc *w, struct urpc_chan *chan,
		       void (*on_message)(struct waitset_urpc *w), void *arg);

/*
 * Hooks for a channel whose peer domain runs on core `peer_core`: notify
 * wakes that core (SYS_NOTIFY(core)), which only the monitors may do for
 * another core; for the caller's own core it wakes the caller itself
 * (channels inside one domain).  No pause hook: urpc_recv and
 * urpc_peek_wait poll without the `pause` instruction (libos/waitset_sys.c
 * says why).
 */
void libos_urpc_hooks(struct urpc_hooks *h, unsigned peer_core);
/*
 * Hooks for a channel the kernel mapped (a bind, an accept, the monitor
 * channel): notify is SYS_NOTIFY(area), the area's address in this domain;
 * a receiver blocked in urpc_recv sees ERR_DEAD within about half a second
 * of the peer's core going down.
 */
void libos_urpc_hooks_chan(struct urpc_hooks *h, const void *area);

#endif
