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

/*
 * The one-slot paths' copy (n <= URPC_SLOT_PAYLOAD): 8-byte words, and a
 * last word that overlaps the previous one for a length that is not a
 * multiple of 8; shorter messages by 4, 2, 1 bytes.  memcpy in the OS is
 * a byte loop (46 instructions for 8 bytes, against about 12 here:
 * tools/urpc-insn-count.sh).
 */
static inline void urpc_copy_small(void *dst, const void *src, uint32_t n)
{
#ifdef __SANITIZE_THREAD__
	urpc_copy(dst, src, n);
#else
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (n >= 8) {
		for (uint32_t i = 0; i + 8 <= n; i += 8)
			__builtin_memcpy(d + i, s + i, 8);
		if (n & 7)
			__builtin_memcpy(d + n - 8, s + n - 8, 8);
		return;
	}
	if (n & 4) {
		__builtin_memcpy(d, s, 4);
		d += 4, s += 4;
	}
	if (n & 2) {
		__builtin_memcpy(d, s, 2);
		d += 2, s += 2;
	}
	if (n & 1)
		*d = *s;
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
 * S2..S4, inline in the send paths: read the receiver's sleep word (a line
 * that changes only when the receiver sleeps, so it is shared, not
 * transferred, while the receiver polls).  If the receiver declared that
 * its sleep runs an asymmetric barrier (URPC_SLEEP_BARRIER, set once and
 * never cleared), that read needs no fence before it: only a compiler
 * barrier, so that it stays after S1 in program order.  Otherwise: full
 * fence and read again.  Then notify once per sleep.  The argument is in
 * notify.c.
 */
static inline void urpc_tx_kick_inline(struct urpc_chan *c)
{
	uint64_t g;

	atomic_signal_fence(memory_order_seq_cst);              /* S2' */
	g = atomic_load_explicit(&c->tx.peer->sleep.gen,        /* S3 */
				 memory_order_relaxed);
	if (!(g & URPC_SLEEP_BARRIER)) {
		atomic_thread_fence(memory_order_seq_cst);      /* S2 */
		g = atomic_load_explicit(&c->tx.peer->sleep.gen, /* S3 */
					 memory_order_relaxed);
	}
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
