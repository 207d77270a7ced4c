/*
 * notify.c: blocking receive and the sleep/wake protocol.
 *
 * Polling is cheapest when a message is about to arrive; after a bounded
 * number of polls the receiver sleeps in the platform's wait hook, and a
 * sender wakes it with the platform's notify hook (in the OS, a syscall
 * that sends an IPI).  Senders must not pay for that syscall when nobody
 * sleeps, so the receiver announces its sleep in its sleep line, and only a
 * sender that sees the announcement notifies.
 *
 * The sleep line holds a 64-bit generation `gen`, written only by the
 * receiver: odd while it is asleep or about to be, incremented again on
 * waking.  A sender remembers the last odd generation it notified and
 * notifies each sleep at most once (later sends to a receiver that has
 * not woken yet cost no syscall).  64 bits never wrap in practice, so an
 * old generation never comes back.
 *
 *   receiver R                          sender S
 *   R1 gen = odd        (sleep_begin)   S1 publish slot (release store)
 *   R2 full fence                       S2 full fence
 *   R3 re-check ring; if non-empty,     S3 g = gen
 *      skip the wait                    S4 if g odd and not yet notified:
 *   R4 wait(): block until the token        notify(): set R's token, wake R
 *   R5 gen = even       (sleep_end)
 *
 * No lost wake-up.  Suppose R blocks in R4 while a message published in
 * S1 is unread.  R2 and S2 are seq_cst fences, so one precedes the other
 * in the single total order S of seq_cst operations (C11 7.17.3p11, the
 * fence-fence rule; on x86 the fences drain each core's store buffer).
 *  - S2 before R2: S1 is sequenced before S2 and R3 after R2, so R3 reads
 *    the slot S1 wrote (or a later value, which only the sender writes,
 *    after R consumed the slot, which it has not), R sees the message and
 *    skips the wait.  Contradiction.
 *  - R2 before S2: R1 is sequenced before R2 and S3 after S2, so S3 reads
 *    R1's odd generation g or a later one.  If g: S notifies, unless it
 *    already notified g after an earlier send; either way a notify for g
 *    happened after R1, so R's token is set after R1, and only R4 of this
 *    very sleep consumes tokens from then on: the wait returns.  A later
 *    value means R already left this sleep (R5), so it is not blocked.
 * Either way R wakes or never sleeps.  The token is what makes the order
 * of notify() and wait() irrelevant: a notify before the wait is kept.
 * A stale token (a notify for a sleep R3 cut short) makes one later wait
 * return at once: a spurious wake-up, which costs one more poll loop.
 *
 * Fence-free sending (urpc_rx_set_barrier).  S2's fence is what the
 * store-buffering pattern above needs on the sender's side; a receiver can
 * take it over with an asymmetric barrier B that makes the sender's thread
 * execute a full fence F somewhere in its program between B's start and
 * B's return (Linux membarrier; an IPI whose handler fences).  Such a
 * receiver sets URPC_SLEEP_BARRIER in gen (once, before any sleep that
 * relies on it; never cleared) and runs B after R2 and before R3
 * (urpc_pending does while the sleep is announced).  A sender that reads
 * the flag in S3 skips S2; a compiler barrier keeps S3 after S1 in its
 * program.  Suppose again R blocks in R4 with a message unread:
 *  - F after S1 in the sender's program: S1 is visible before F completes,
 *    so before B returns and before R3, which then sees the message.
 *  - F before S1: S3 comes after F, and F after B's start, which is after
 *    R2, so R1 was visible before F: S3 reads R1's odd gen or a later one,
 *    and the second case above applies.
 * A sender that reads gen without the flag fences as before, which is
 * right for any receiver.  Polling costs the sender no fence and the
 * receiver nothing; each sleep costs the receiver one B.
 *
 * Removing R2, R3 or S2, or re-checking the ring before setting the flag,
 * or reading the flag before publishing, breaks the protocol:
 * tests/urpc/urpc.pml models the ring and this protocol under x86-TSO,
 * and tests/urpc/spin-check.sh (run by `make test`) verifies it with spin
 * and checks that each of those mutants is caught; the same for the
 * fence-free mode without B, with B before R1, or with B on one channel of
 * a waitset only.
 */
#include "internal.h"

err_t urpc_rx_set_barrier(struct urpc_chan *c, void (*barrier)(void *arg),
			  void *arg)
{
	struct urpc_rx *r = &c->rx;

	if (!barrier)
		return ERR_INVAL;
	r->barrier = barrier;
	r->barrier_arg = arg;
	r->gen |= URPC_SLEEP_BARRIER;
	atomic_store_explicit(&r->own->sleep.gen, r->gen, memory_order_release);
	return ERR_OK;
}

/*
 * R1.  Also publishes any unpublished credit: a sender stuck on ERR_FULL
 * should see all the room there is while we sleep.
 */
void urpc_rx_sleep_begin(struct urpc_chan *c)
{
	struct urpc_rx *r = &c->rx;

	if (r->published != r->tail) {
		r->published = r->tail;
		atomic_store_explicit(&r->own->credit.consumed, r->tail,
				      memory_order_release);
	}
	if (!(r->gen & 1))
		r->gen++;
	atomic_store_explicit(&r->own->sleep.gen, r->gen, memory_order_relaxed);
	urpc_trace(URPC_TR_SLEEP, c, r->tail, r->gen);
}

/* R5. */
void urpc_rx_sleep_end(struct urpc_chan *c)
{
	struct urpc_rx *r = &c->rx;

	if (r->gen & 1)
		r->gen++;
	atomic_store_explicit(&r->own->sleep.gen, r->gen, memory_order_relaxed);
	urpc_trace(URPC_TR_WAKE, c, r->tail, r->gen);
}

/* R1..R5 over n sources: the one implementation (urpc.h). */
bool urpc_sleep(const struct urpc_sleep_ops *ops, void *ctx, size_t n)
{
	bool waited;

	if (ops->announce)
		for (size_t i = 0; i < n; i++)
			ops->announce(ctx, i);                  /* R1 */
	atomic_thread_fence(memory_order_seq_cst);              /* R2 */
	waited = !ops->recheck(ctx);                            /* R3 */
	if (waited)
		ops->wait(ctx);                                 /* R4 */
	if (ops->withdraw)
		for (size_t i = 0; i < n; i++)
			ops->withdraw(ctx, i);                  /* R5 */
	return waited;
}

/* One channel as the only source of urpc_sleep. */
static void urpc_chan_announce(void *ctx, size_t i)
{
	(void)i;
	urpc_rx_sleep_begin(ctx);
}

static bool urpc_chan_recheck(void *ctx)
{
	return urpc_pending(ctx);
}

static void urpc_chan_wait(void *ctx)
{
	struct urpc_chan *c = ctx;

	c->hooks.wait(c->hooks.wait_arg);
}

static void urpc_chan_withdraw(void *ctx, size_t i)
{
	(void)i;
	urpc_rx_sleep_end(ctx);
}

static const struct urpc_sleep_ops urpc_chan_sleep_ops = {
	urpc_chan_announce, urpc_chan_recheck, urpc_chan_wait,
	urpc_chan_withdraw,
};

/*
 * Poll up to `spins` times for the next message (or the channel
 * breaking), watching only the next slot's control word, so each idle
 * poll is a load, a compare and the CPU's pause, as in a raw ping-pong
 * loop, and a message is seen within one short iteration (the inline
 * poll of fastpath.h, after a sleep).
 */
static void urpc_rx_spin(struct urpc_chan *c, unsigned spins)
{
	const struct urpc_rx *r = &c->rx;
	const _Atomic uint64_t *w = &r->slots[r->tail & r->mask].ctrl;
	uint32_t want = urpc_seq_of(r->tail);
	uint64_t n = (uint64_t)spins << r->spin_shift;
	bool hint = c->hooks.pause != NULL;

	for (uint64_t i = 0; i < n; i++) {
		if ((uint32_t)atomic_load_explicit(w, memory_order_relaxed) ==
		    want || r->broken)
			return;
		urpc_cpu_pause(hint);
	}
}

/* After a wait that brought nothing: is the other side still there? */
static err_t urpc_rx_peer(struct urpc_chan *c)
{
	return c->hooks.peer ? c->hooks.peer(c->hooks.notify_arg) : ERR_OK;
}

/* True if slot tail + n - 1 is published: n slots or more are queued. */
static bool urpc_rx_queued(const struct urpc_rx *r, uint32_t n)
{
	uint32_t k = r->tail + n - 1;

	return URPC_CTRL_SEQ(atomic_load_explicit(&r->slots[k & r->mask].ctrl,
						  memory_order_relaxed)) ==
	       urpc_seq_of(k);
}

/*
 * Nothing came while polling: sleep (R1..R5).  A sleep that blocked is
 * counted, and adapts the poll (urpc.h): a quarter ring queued on waking
 * doubles it, less halves it.  A hostile peer can only make us poll
 * longer or shorter.
 */
static void urpc_rx_sleep(struct urpc_chan *c)
{
	struct urpc_rx *r = &c->rx;

	if (!c->hooks.wait || !urpc_sleep(&urpc_chan_sleep_ops, c, 1))
		return;
	r->waits++;
	if (urpc_rx_queued(r, r->credit_mask + 1)) {
		if (r->spin_shift < URPC_SPIN_SHIFT_MAX)
			r->spin_shift++;
	} else if (r->spin_shift) {
		r->spin_shift--;
	}
}

/*
 * urpc_recv's and urpc_peek_wait's out-of-line half, once their inline
 * poll (fastpath.h) ran out: take what came meanwhile, else sleep, then
 * poll and take again; after a wait that brought nothing, ask whether the
 * peer is still there.
 */
err_t urpc_recv_wait(struct urpc_chan *c, uint16_t *type, void *buf,
		     size_t cap, size_t *len, unsigned spins)
{
	for (bool slept = false;; slept = true) {
		err_t e = urpc_try_recv(c, type, buf, cap, len);

		if (e != ERR_EMPTY)
			return e;
		if (slept && (e = urpc_rx_peer(c)))
			return e;
		urpc_rx_sleep(c);
		urpc_rx_spin(c, spins);
	}
}

err_t urpc_peek_wait_slow(struct urpc_chan *c, uint16_t *type,
			  const void **data, size_t *len, unsigned spins)
{
	for (bool slept = false;; slept = true) {
		err_t e = urpc_peek(c, type, data, len);

		if (e != ERR_EMPTY)
			return e;
		if (slept && (e = urpc_rx_peer(c)))
			return e;
		urpc_rx_sleep(c);
		urpc_rx_spin(c, spins);
	}
}
