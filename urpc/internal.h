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
 * Payload copies.  GCC expands __builtin_memcpy after its ThreadSanitizer
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

static inline void urpc_pause(const struct urpc_hooks *h)
{
	if (h->pause)
		h->pause();
}

#endif
