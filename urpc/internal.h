/*
 * internal.h: helpers shared by the urpc/ sources, not part of the API.
 *
 * Counters (head, tail, consumed) are free-running uint32_t slot numbers;
 * differences are taken mod 2^32, so they stay right across wrap-around as
 * long as fewer than 2^31 slots are outstanding (at most URPC_MAX_SLOTS).
 */
#ifndef URPC_INTERNAL_H
#define URPC_INTERNAL_H

#include <urpc/urpc.h>

/* Control word a slot must hold once slot number `n` is published. */
static inline uint32_t urpc_seq_of(uint32_t n)
{
	return n + 1;
}

/*
 * Payload copies: memcpy, the platform's (a call to libos's simple loop in
 * the OS).  An inline word loop with its tail branches was tried for the
 * one-slot paths: no faster on the host, and slower under QEMU's TCG
 * (six of six alternating `make bench` rounds; TCG ends a translated block
 * at every branch).
 *
 * GCC expands __builtin_memcpy after its ThreadSanitizer
 * pass, so TSan would not see the payload accesses at all; under TSan copy
 * with a plain loop, which it instruments (the TSan build is -O1, where
 * GCC does not turn the loop back into memcpy).
 */
static inline void urpc_copy(void *dst, const void *src, size_t n)
{
#ifdef __SANITIZE_THREAD__
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
#else
	__builtin_memcpy(dst, src, n);
#endif
}

/* The tracing hook (urpc.h): a predictable branch when tracing is off. */
static inline void urpc_trace(unsigned ev, const struct urpc_chan *c,
			      uint32_t n, uint64_t w)
{
#ifndef URPC_NO_TRACE
	if (__builtin_expect(*urpc_tracer.on != 0, 0))
		urpc_tracer.fn(ev, c, n, w);
#else
	(void)ev, (void)c, (void)n, (void)w;
#endif
}

/*
 * S2..S4, inline in the send paths: full fence, read the receiver's sleep
 * generation (a line that changes only when the receiver sleeps, so it is
 * shared, not transferred, while the receiver polls), notify once per
 * sleep.  The argument is in notify.c.
 */
static inline void urpc_tx_kick_inline(struct urpc_chan *c)
{
	uint64_t g;

	atomic_thread_fence(memory_order_seq_cst);              /* S2 */
	g = atomic_load_explicit(&c->tx.peer->sleep.gen,        /* S3 */
				 memory_order_relaxed);
	if (__builtin_expect((g & 1) && g != c->tx.notified_gen, 0)) { /* S4 */
		c->tx.notified_gen = g;
		urpc_trace(URPC_TR_NOTIFY, c, c->tx.head, g);
		if (c->hooks.notify)
			c->hooks.notify(c->hooks.notify_arg);
	}
}

static inline void urpc_pause(const struct urpc_hooks *h)
{
	if (h->pause)
		h->pause();
}

#endif
