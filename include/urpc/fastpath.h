/*
 * fastpath.h: URPC's one-slot paths, inline in the caller.  Included by
 * urpc.h, which documents the functions and their contracts; include that.
 *
 * A round trip of two small messages is all that URPC adds to the raw
 * cache line, so these paths do only what the protocol needs:
 *  - send: room by the cached credit, the copy, one release store of the
 *    control word, then the sleep check (read the receiver's sleep word;
 *    a full fence first unless the receiver runs the barrier itself);
 *  - receive: one acquire load of the control word, one compare of its
 *    sequence, one compare that folds "first slot", "one slot", "fits
 *    the buffer" and "not broken" together (length and continuation bit
 *    against min(cap, 56); a broken channel reads a private slot whose
 *    word has the continuation bit: urpc/recv.c), the copy, the new tail;
 *  - blocking receive (urpc_recv, urpc_peek_wait): the poll itself is
 *    inline (load the word, compare, the CPU's pause), and the message is
 *    taken with the word it loaded, so from seeing the word to having the
 *    message there is no call, no return and no second load;
 *  - streams: a burst (urpc_burst_*) or a drain (urpc_drain_*) copies the
 *    channel's send or receive state into a local the compiler keeps in
 *    registers, so a streamed message costs the room compare, the copy and
 *    the release store, or the acquire load, the length check and the
 *    release, and no reload of the state after each store or load;
 *  - a receive into a small buffer of constant size keeps the buffer in
 *    registers (URPC_RX_OWN_BUF).
 * Everything else is one call out of line, so the inline code needs no
 * saved registers: messages of several slots, invalid arguments, a ring
 * the cached credit calls full, a broken channel, a buffer that is too
 * small, the notification of a sleeping receiver (urpc/send.c,
 * urpc/notify.c), the credit published every quarter ring and a traced
 * receive (urpc/recv.c) and a poll that runs out, so the receiver sleeps
 * (urpc/notify.c).  The tracing hook costs a send two loads and a branch
 * while tracing is off; a receive nothing more than its credit test (the
 * switch is read before the poll).
 *
 * Under QEMU's TCG, where the OS is measured, what a path costs is its
 * memory accesses (each a soft-TLB lookup on the host) and its branches
 * (each ends a translated block) more than its instructions, so the
 * paths also keep the caller's values out of memory: no caller variable
 * whose address reaches an out-of-line half on the fast path (the halves
 * work on copies), loads that the poll can wait for done before it, and
 * the rare cases of a receive folded into one test (docs/03-urpc.md,
 * sixth round).
 */
#ifndef URPC_FASTPATH_H
#define URPC_FASTPATH_H

/* ---- The out-of-line halves (for these paths only; not an API) --------- */

/* Queue any message, checked, refreshing the credit; no sleep check. */
err_t urpc_send_slow(struct urpc_chan *c, uint16_t type, const void *data,
		     size_t len);
/* S4: the receiver's sleep generation g is odd; notify once per sleep. */
void urpc_tx_notify(struct urpc_chan *c, uint64_t g);
/* urpc_try_recv / urpc_peek when the next message is not the fast case. */
err_t urpc_recv_slow(struct urpc_chan *c, uint64_t w, uint16_t *type,
		     void *buf, size_t cap, size_t *len);
err_t urpc_peek_slow(struct urpc_chan *c, uint64_t w, uint16_t *type,
		     const void **data, size_t *len);
/* Publish the receiver's credit (tail) in its credit line. */
void urpc_rx_credit(struct urpc_rx *r);
/* After the one-slot receive of slot t (word w), when tracing is on or
 * t + 1 ends a batch: trace it, publish the credit. */
void urpc_rx_took(struct urpc_chan *c, uint32_t t, uint64_t w);
/* urpc_recv / urpc_peek_wait once the inline poll ran out: sleep, retry. */
err_t urpc_recv_wait(struct urpc_chan *c, uint16_t *type, void *buf,
		     size_t cap, size_t *len, unsigned spins);
err_t urpc_peek_wait_slow(struct urpc_chan *c, uint16_t *type,
			  const void **data, size_t *len, unsigned spins);

/* ---- Helpers ----------------------------------------------------------- */

/* Control word a slot must hold once slot number `n` is published. */
static inline uint32_t urpc_seq_of(uint32_t n)
{
	return n + 1;
}

/*
 * Payload copies of any length.  GCC expands __builtin_memcpy after its
 * ThreadSanitizer pass, so TSan would not see the payload accesses at
 * all; under TSan copy with a plain loop, which it instruments (the TSan
 * build is -O1, where GCC does not turn the loop back into memcpy).
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
 * The one-slot copy (n <= URPC_SLOT_PAYLOAD): 8-byte words, and a last
 * word that overlaps the previous one for a length that is not a multiple
 * of 8; shorter messages by 4, 2, 1 bytes.  Inline, so a length the
 * compiler knows (a send of a fixed-size struct, a receive into a small
 * buffer) leaves only the moves.
 */
static inline void urpc_copy_small(void *dst, const void *src, uint32_t n)
{
#ifdef __SANITIZE_THREAD__
	urpc_copy(dst, src, n);
#else
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (__builtin_expect(n >= 8, 1)) {     /* in line, no jump back */
		uint32_t i = 0;

		/*
		 * Unrolled (at most 7 words): under TCG every taken branch
		 * back ends a translated block.
		 */
#pragma GCC unroll 7
		do
			__builtin_memcpy(d + i, s + i, 8);
		while ((i += 8) + 8 <= n);
		if (i < n)
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

/* The tracing hook (urpc.h): a load and a branch while tracing is off. */
static inline bool urpc_tracing(void)
{
#ifndef URPC_NO_TRACE
	return __builtin_expect(*urpc_tracer.on != 0, 0);
#else
	return false;
#endif
}

static inline void urpc_trace(unsigned ev, const struct urpc_chan *c,
			      uint32_t n, uint64_t w)
{
	if (urpc_tracing())
		urpc_tracer.fn(ev, c, n, w);
}

/*
 * The CPU's spin-loop hint, inline in the poll of urpc_recv and
 * urpc_peek_wait (x86 `pause`), for a platform that asks for a hint (a
 * pause hook); nothing otherwise.  The hint is the instruction, not a
 * call of the hook.  The OS gives no pause hook (libos_urpc_hooks): under
 * QEMU's TCG every `pause` leaves the vCPU's translated code and takes
 * QEMU's global lock, so a poll with it costs several times one without
 * (docs/03-urpc.md, fifth round).  Linux threads (the tests and
 * make bench-host) give one.
 */
static inline void urpc_cpu_pause(bool hint)
{
#if defined(__x86_64__) || defined(__i386__)
	if (hint)
		__builtin_ia32_pause();
#else
	(void)hint;
#endif
}

/* ---- Sending ----------------------------------------------------------- */

/*
 * urpc_send_slow for the inline send.  When the length is a constant of
 * one slot (a send of a fixed-size value, as most are), the slow path gets
 * a copy of the data, so the caller's value is never passed to a call and
 * the compiler can keep it in a register instead of storing it to memory
 * and reading it back on the fast path (under TCG every memory access is a
 * soft-TLB lookup).
 */
static inline __attribute__((always_inline)) err_t
urpc_send_slow_in(struct urpc_chan *c, uint16_t type, const void *data,
		  size_t len)
{
	if (__builtin_constant_p(len) && len <= URPC_SLOT_PAYLOAD && data) {
		uint64_t tmp[URPC_SLOT_PAYLOAD / 8] = { 0 };

		urpc_copy_small(tmp, data, (uint32_t)len);
		return urpc_send_slow(c, type, tmp, len);
	}
	return urpc_send_slow(c, type, data, len);
}

/*
 * Queue one message; one that fits a slot, with room by the cached credit,
 * inline (S1), anything else through urpc_send_slow.  No sleep check.
 * The room check: the ring is full by the cached credit when head reaches
 * end (consumed_seen + slots).
 */
static inline __attribute__((always_inline)) err_t
urpc_tx_put(struct urpc_chan *c, uint16_t type, const void *data, size_t len)
{
	struct urpc_tx *t = &c->tx;
	uint32_t h = t->head;
	struct urpc_slot *s;
	uint64_t w;

	if (__builtin_expect(len > URPC_SLOT_PAYLOAD || type > URPC_TYPE_MAX ||
			     (len && !data) || h == t->end,
			     0))
		return urpc_send_slow_in(c, type, data, len);
	s = &t->slots[h & t->mask];
	w = URPC_CTRL(urpc_seq_of(h), len, type, 0);
	urpc_copy_small(s->payload, data, (uint32_t)len);
	atomic_store_explicit(&s->ctrl, w, memory_order_release); /* S1 */
	t->head = h + 1;
	urpc_trace(URPC_TR_SEND, c, h, URPC_CTRL(0, len, type, 0));
	return ERR_OK;
}

/*
 * S2..S4 (the argument is in urpc/notify.c): read the receiver's sleep
 * word, a line that changes only when the receiver sleeps, so it stays
 * shared, not transferred, while the receiver polls.  A receiver that
 * runs an asymmetric barrier in its sleep says so in that word
 * (URPC_SLEEP_BARRIER, set once, never cleared), and then the read needs
 * only a compiler barrier to stay after S1; otherwise a full fence and
 * read again.  A sleeping receiver (odd generation) is notified out of
 * line, once per sleep.
 */
static inline void urpc_tx_kick(struct urpc_chan *c)
{
	const _Atomic uint64_t *gen = &c->tx.peer->sleep.gen;
	uint64_t g;

	atomic_signal_fence(memory_order_seq_cst);              /* S2' */
	g = atomic_load_explicit(gen, memory_order_relaxed);    /* S3 */
	if (!(g & URPC_SLEEP_BARRIER)) {
		atomic_thread_fence(memory_order_seq_cst);      /* S2 */
		g = atomic_load_explicit(gen, memory_order_relaxed);
	}
	if (__builtin_expect((g & 1) != 0, 0))                  /* S4 */
		urpc_tx_notify(c, g);
}

static inline err_t urpc_send(struct urpc_chan *c, uint16_t type,
			      const void *data, size_t len)
{
	err_t e = urpc_tx_put(c, type, data, len);

	if (e == ERR_OK)
		urpc_tx_kick(c);
	return e;
}

static inline err_t urpc_send_async(struct urpc_chan *c, uint16_t type,
				    const void *data, size_t len)
{
	err_t e = urpc_tx_put(c, type, data, len);

	if (e == ERR_FULL)
		urpc_tx_kick(c);
	return e;
}

/*
 * A burst (urpc.h): the send state in *b, a local the compiler keeps in
 * registers, so the slot's release store does not make it reload them.
 * The room check is urpc_tx_put's against b->end, which is the head while
 * tracing is on, so every traced message goes out of line.
 */
static inline __attribute__((always_inline)) void
urpc_burst_begin(struct urpc_chan *c, struct urpc_burst *b)
{
	b->c = c;
	b->slots = c->tx.slots;
	b->mask = c->tx.mask;
	b->head = c->tx.head;
	b->end = urpc_tracing() ? b->head : c->tx.end;
}

/* Any message urpc_burst_send does not take in line, through the channel. */
static inline __attribute__((always_inline)) err_t
urpc_burst_slow(struct urpc_burst *b, uint16_t type, const void *data,
		size_t len)
{
	struct urpc_chan *c = b->c;
	err_t e;

	c->tx.head = b->head;
	e = urpc_send_slow_in(c, type, data, len);
	if (e == ERR_FULL)
		urpc_tx_kick(c);
	b->head = c->tx.head;
	b->end = urpc_tracing() ? b->head : c->tx.end;
	return e;
}

static inline __attribute__((always_inline)) err_t
urpc_burst_send(struct urpc_burst *b, uint16_t type, const void *data,
		size_t len)
{
	uint32_t h = b->head;
	struct urpc_slot *s;

	if (__builtin_expect(len > URPC_SLOT_PAYLOAD || type > URPC_TYPE_MAX ||
			     (len && !data) || h == b->end,
			     0))
		return urpc_burst_slow(b, type, data, len);
	s = &b->slots[h & b->mask];
	urpc_copy_small(s->payload, data, (uint32_t)len);
	atomic_store_explicit(&s->ctrl, URPC_CTRL(urpc_seq_of(h), len, type, 0),
			      memory_order_release);                 /* S1 */
	b->head = h + 1;
	return ERR_OK;
}

static inline __attribute__((always_inline)) void
urpc_burst_end(struct urpc_burst *b)
{
	b->c->tx.head = b->head;
	urpc_tx_kick(b->c);
}

/* ---- Receiving --------------------------------------------------------- */

/* Slot number t consumed: the new tail, and the credit every batch. */
static inline void urpc_rx_consume(struct urpc_rx *r, uint32_t t)
{
	r->tail = t + 1;
	if (__builtin_expect(!((t + 1) & r->credit_mask), 0))
		urpc_rx_credit(r);
}

/*
 * What a receive needs besides the slot, loaded before the control word
 * (before the poll, in the blocking receives), so that from seeing a
 * message to having it no other load waits: the credit batch mask, or 0
 * while tracing is on, so that one test after the receive ("does the new
 * tail end a batch?") also sends every traced receive out of line (under
 * TCG each branch ends a translated block).  Reading the tracing switch
 * earlier is the same as the switch being flipped later: nothing orders
 * the two.
 */
static inline __attribute__((always_inline)) uint32_t
urpc_rx_preload(const struct urpc_rx *r)
{
	return urpc_tracing() ? 0 : r->credit_mask;
}

/*
 * Bits 32..63 of a control word without the type: the length, and the
 * continuation bit as bit 31, so one unsigned compare with a limit <= 56
 * says "first slot of a one-slot message of at most that many bytes".
 */
static inline uint32_t urpc_ctrl_len_cont(uint64_t w)
{
	return (uint32_t)(w >> 32) & 0x8000ffffu;
}

/*
 * The out-of-line halves write their results into the inline code's own
 * variables, which are copied out after: so the caller's type, length and
 * pointer are never passed to a call, and the compiler keeps them in
 * registers on the fast path instead of storing and reloading them (under
 * TCG every memory access is a soft-TLB lookup).  The copy is made on
 * every answer: what the contract leaves unset (urpc.h) is 0 or NULL.
 */
static inline __attribute__((always_inline)) void
urpc_rx_out(uint16_t ty, size_t ln, uint16_t *type, size_t *len)
{
	if (type)
		*type = ty;
	if (len)
		*len = ln;
}

/*
 * Does a receive into buf[0..cap) give its slow half a buffer of its own?
 * When cap is a constant of at most one slot (a receive into a small
 * variable, as most are): then the caller's buffer is never passed to a
 * call, and every copy into or out of it has the constant length cap, so
 * the compiler can keep it in registers (under TCG every memory access is
 * a soft-TLB lookup).  The own buffer starts as a copy of the caller's
 * and is copied back whole after the call, so bytes the call did not
 * write keep the caller's values, as if it had written into buf itself
 * (a message longer than cap answers ERR_TOOBIG and writes nothing).  A
 * NULL buffer goes to the call as it is (its answer for a message with
 * bytes is ERR_INVAL).
 */
#define URPC_RX_OWN_BUF(buf, cap)                                        \
	(__builtin_constant_p(cap) && (cap) <= URPC_SLOT_PAYLOAD && (buf))

/*
 * The own buffer's start: the caller's bytes, which may be uninitialized
 * (a receive into a fresh variable); they only come back unchanged.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
static inline __attribute__((always_inline)) void
urpc_rx_own_in(uint64_t *own, const void *buf, size_t cap)
{
	__builtin_memcpy(own, buf, cap);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* urpc_recv_slow through the inline code's own variables (above). */
static inline __attribute__((always_inline)) err_t
urpc_recv_slow_out(struct urpc_chan *c, uint64_t w, uint16_t *type, void *buf,
		   size_t cap, size_t *len)
{
	uint16_t ty = 0;
	size_t ln = 0;
	err_t e;

	if (URPC_RX_OWN_BUF(buf, cap)) {
		uint64_t own[URPC_SLOT_PAYLOAD / 8];

		urpc_rx_own_in(own, buf, cap);
		e = urpc_recv_slow(c, w, &ty, own, cap, &ln);
		__builtin_memcpy(buf, own, cap);
	} else {
		e = urpc_recv_slow(c, w, &ty, buf, cap, &ln);
	}
	urpc_rx_out(ty, ln, type, len);
	return e;
}

/* urpc_peek_slow likewise; it lends nothing (*type 0, *data unchanged). */
static inline __attribute__((always_inline)) err_t
urpc_peek_slow_out(struct urpc_chan *c, uint64_t w, uint16_t *type,
		   const void **data, size_t *len)
{
	size_t ln = 0;
	err_t e = urpc_peek_slow(c, w, NULL, NULL, &ln);

	if (e == ERR_OK)        /* never: a message it could lend went in line */
		__builtin_unreachable();
	urpc_rx_out(0, ln, type, len);
	(void)data;             /* unchanged: nothing lent */
	return e;
}

/*
 * The one-slot receive of slot t, whose control word w (acquire-loaded)
 * carries t's sequence: the folded check, the copy, the new tail; any
 * other case out of line.
 */
static inline __attribute__((always_inline)) err_t
urpc_rx_take(struct urpc_chan *c, uint32_t t, const struct urpc_slot *s,
	     uint64_t w, uint32_t cmask, uint16_t *type, void *buf,
	     size_t cap, size_t *len)
{
	uint32_t lim = cap < URPC_SLOT_PAYLOAD ? (uint32_t)cap :
		       URPC_SLOT_PAYLOAD;
	uint32_t mlen;

#ifdef __clang_analyzer__
	/*
	 * clang's static analyzer sees the receive as the opaque call it was
	 * before this path was inline (the general path receives any message):
	 * through the inline copy it follows a short message into the caller
	 * and reports reads of fields beyond it, not knowing that the
	 * caller's message check, opaque to it, refuses such a message.
	 */
	(void)lim, (void)mlen, (void)t, (void)s, (void)cmask;
	return urpc_recv_slow(c, w, type, buf, cap, len);
#endif
	mlen = urpc_ctrl_len_cont(w);
	if (URPC_RX_OWN_BUF(buf, cap)) {
		/*
		 * A small buffer of constant size: in line only a message
		 * that fills it, so the copy has a constant length and the
		 * compiler keeps the buffer in registers (a copy of a variable
		 * length, bytes at a time, would keep it in memory: a store
		 * here and a load in the caller).  Shorter ones out of line.
		 */
		if (__builtin_expect(mlen != cap, 0))
			return urpc_recv_slow_out(c, w, type, buf, cap, len);
		urpc_copy_small(buf, s->payload, (uint32_t)cap);
	} else {
		if (__builtin_expect(mlen > lim || (mlen && !buf), 0))
			return urpc_recv_slow_out(c, w, type, buf, cap, len);
		urpc_copy_small(buf, s->payload, mlen);
	}
	if (type)
		*type = (uint16_t)(w >> 48);    /* bit 63 is clear: checked */
	if (len)
		*len = mlen;
	c->rx.tail = t + 1;
	if (__builtin_expect(!((t + 1) & cmask), 0))  /* batch done, or tracing */
		urpc_rx_took(c, t, w);
	return ERR_OK;
}

static inline err_t urpc_try_recv(struct urpc_chan *c, uint16_t *type,
				  void *buf, size_t cap, size_t *len)
{
	struct urpc_rx *r = &c->rx;
	uint32_t t = r->tail;
	const struct urpc_slot *s = &r->slots[t & r->mask];
	uint64_t w = atomic_load_explicit(&s->ctrl, memory_order_acquire);

	if ((uint32_t)w != urpc_seq_of(t))
		return r->broken ? r->broken : ERR_EMPTY;
	return urpc_rx_take(c, t, s, w, urpc_rx_preload(r), type, buf, cap,
			    len);
}

/* urpc_peek's half once slot t's word w carries t's sequence. */
static inline __attribute__((always_inline)) err_t
urpc_rx_lend(struct urpc_chan *c, const struct urpc_slot *s, uint64_t w,
	     uint16_t *type, const void **data, size_t *len)
{
	uint32_t mlen = urpc_ctrl_len_cont(w);

	if (__builtin_expect(mlen > URPC_SLOT_PAYLOAD, 0)) {
#ifdef __clang_analyzer__
		/* opaque to the analyzer, as urpc_rx_take's slow half */
		return urpc_peek_slow(c, w, type, data, len);
#endif
		return urpc_peek_slow_out(c, w, type, data, len);
	}
	if (type)
		*type = (uint16_t)(w >> 48);
	if (len)
		*len = mlen;
	if (data)
		*data = s->payload;
	c->rx.held = true;
	return ERR_OK;
}

static inline err_t urpc_peek(struct urpc_chan *c, uint16_t *type,
			      const void **data, size_t *len)
{
	struct urpc_rx *r = &c->rx;
	uint32_t t = r->tail;
	const struct urpc_slot *s = &r->slots[t & r->mask];
	uint64_t w = atomic_load_explicit(&s->ctrl, memory_order_acquire);

	if ((uint32_t)w != urpc_seq_of(t))
		return r->broken ? r->broken : ERR_EMPTY;
	return urpc_rx_lend(c, s, w, type, data, len);
}

/*
 * The blocking receives' poll, inline: watch slot t's control word (an
 * acquire load, a compare, the CPU's pause: the raw word's loop) up to
 * spins << spin_shift times; true and the word in *wp once it carries t's
 * sequence, so the message is taken with the word already loaded.  False
 * when the poll runs out or the channel is broken (it cannot break while
 * we poll: only this receiver breaks it); the caller then goes out of
 * line, where the receiver sleeps (urpc/notify.c).
 */
static inline __attribute__((always_inline)) bool
urpc_rx_poll(const struct urpc_chan *c, const struct urpc_slot *s, uint32_t t,
	     unsigned spins, uint64_t *wp)
{
	const struct urpc_rx *r = &c->rx;
	const _Atomic uint64_t *ctrl = &s->ctrl;
	uint64_t n = (uint64_t)spins << r->spin_shift;
	uint64_t w;

	if (__builtin_expect(r->broken != 0, 0))
		return false;
	/*
	 * Two loops, so the one without the hint is the raw word's: a load, a
	 * compare, a count (under TCG each branch ends a translated block).
	 */
	if (c->hooks.pause == NULL) {
		while ((uint32_t)(w = atomic_load_explicit(ctrl,
				memory_order_acquire)) != urpc_seq_of(t))
			if (__builtin_expect(n-- == 0, 0))
				return false;
	} else {
		while ((uint32_t)(w = atomic_load_explicit(ctrl,
				memory_order_acquire)) != urpc_seq_of(t)) {
			if (__builtin_expect(n-- == 0, 0))
				return false;
			urpc_cpu_pause(true);
		}
	}
	*wp = w;
	return true;
}

static inline __attribute__((always_inline)) err_t
urpc_recv(struct urpc_chan *c, uint16_t *type, void *buf, size_t cap,
	  size_t *len, unsigned spins)
{
	struct urpc_rx *r = &c->rx;
	uint32_t t = r->tail;
	const struct urpc_slot *s = &r->slots[t & r->mask];
	uint32_t cmask = urpc_rx_preload(r);
	uint16_t ty = 0;
	size_t ln = 0;
	uint64_t w;
	err_t e;

	if (urpc_rx_poll(c, s, t, spins, &w))
		return urpc_rx_take(c, t, s, w, cmask, type, buf, cap, len);
	if (URPC_RX_OWN_BUF(buf, cap)) {         /* urpc_recv_slow_out's rule */
		uint64_t own[URPC_SLOT_PAYLOAD / 8];

		urpc_rx_own_in(own, buf, cap);
		e = urpc_recv_wait(c, &ty, own, cap, &ln, spins);
		__builtin_memcpy(buf, own, cap);
	} else {
		e = urpc_recv_wait(c, &ty, buf, cap, &ln, spins);
	}
	urpc_rx_out(ty, ln, type, len);
	return e;
}

static inline __attribute__((always_inline)) err_t
urpc_peek_wait(struct urpc_chan *c, uint16_t *type, const void **data,
	       size_t *len, unsigned spins)
{
	struct urpc_rx *r = &c->rx;
	uint32_t t = r->tail;
	const struct urpc_slot *s = &r->slots[t & r->mask];
	const void *d = NULL;
	uint16_t ty = 0;
	size_t ln = 0;
	uint64_t w;
	err_t e;

	if (urpc_rx_poll(c, s, t, spins, &w))
		return urpc_rx_lend(c, s, w, type, data, len);
	e = urpc_peek_wait_slow(c, &ty, &d, &ln, spins);
	urpc_rx_out(ty, ln, type, len);
	if (data)
		*data = d;
	return e;
}

static inline void urpc_release(struct urpc_chan *c)
{
	struct urpc_rx *r = &c->rx;

	if (!r->held)
		return;
	r->held = false;
	if (urpc_tracing())
		urpc_tracer.fn(URPC_TR_RECV, c, r->tail, atomic_load_explicit(
			&r->slots[r->tail & r->mask].ctrl,
			memory_order_relaxed));
	urpc_rx_consume(r, r->tail);
}


/*
 * A drain (urpc.h): the receive state in *d, a local the compiler keeps in
 * registers.  The credit batch mask is urpc_rx_preload's (0 while tracing,
 * so every traced release goes out of line to urpc_rx_took).
 */
static inline __attribute__((always_inline)) void
urpc_drain_begin(struct urpc_chan *c, struct urpc_drain *d)
{
	d->c = c;
	d->slots = c->rx.slots;
	d->mask = c->rx.mask;
	d->tail = c->rx.tail;
	d->cmask = urpc_rx_preload(&c->rx);
	d->hint = c->hooks.pause != NULL;
	d->w = 0;
}

/* urpc_drain_peek's message of several slots, or a malformed word. */
static inline __attribute__((always_inline)) err_t
urpc_drain_slow(struct urpc_drain *d, uint64_t w, uint16_t *type,
		const void **data, size_t *len)
{
	struct urpc_chan *c = d->c;
	err_t e;

	c->rx.tail = d->tail;
	e = urpc_peek_slow_out(c, w, type, data, len);
	d->slots = c->rx.slots;         /* a broken channel reads its poison */
	d->mask = c->rx.mask;
	return e;
}

static inline __attribute__((always_inline)) err_t
urpc_drain_peek(struct urpc_drain *d, uint16_t *type, const void **data,
		size_t *len, unsigned spins)
{
	const struct urpc_slot *s = &d->slots[d->tail & d->mask];
	uint32_t seq = urpc_seq_of(d->tail), mlen;
	uint64_t w;

	/*
	 * The poll: a message already there costs the load and one compare;
	 * the hint's test is paid only while waiting.
	 */
	while ((uint32_t)(w = atomic_load_explicit(&s->ctrl,
			memory_order_acquire)) != seq) {
		if (__builtin_expect(spins-- == 0, 0))
			return d->c->rx.broken ? d->c->rx.broken : ERR_EMPTY;
		urpc_cpu_pause(d->hint);
	}
	mlen = urpc_ctrl_len_cont(w);
	if (__builtin_expect(mlen > URPC_SLOT_PAYLOAD, 0)) {
#ifdef __clang_analyzer__
		return urpc_peek_slow(d->c, w, type, data, len);
#endif
		return urpc_drain_slow(d, w, type, data, len);
	}
	d->w = w;
	if (type)
		*type = (uint16_t)(w >> 48);
	if (len)
		*len = mlen;
	if (data)
		*data = s->payload;
	return ERR_OK;
}

static inline __attribute__((always_inline)) void
urpc_drain_release(struct urpc_drain *d)
{
	uint32_t t = d->tail;

	d->tail = t + 1;
	if (__builtin_expect(!((t + 1) & d->cmask), 0)) {   /* batch, or tracing */
		d->c->rx.tail = t + 1;
		urpc_rx_took(d->c, t, d->w);
	}
}

static inline __attribute__((always_inline)) void
urpc_drain_end(struct urpc_drain *d)
{
	d->c->rx.tail = d->tail;
}

#endif
