/*
 * recv.c: the receiving half of a channel.
 *
 * The receiver polls the control word of slot `tail`: the message is there
 * when the word carries tail's sequence number (acquire load, pairing with
 * the sender's release store, so the payload is visible).  It validates
 * the whole message (first slot, then every continuation slot's word must
 * be exactly what a correct sender writes) before copying anything out;
 * a peer that breaks the format breaks the channel (ERR_SYNTAX, latched),
 * because after a bad header there is no trustworthy way to find the next
 * message.
 *
 * One-slot messages take the inline paths of <urpc/fastpath.h>
 * (urpc_try_recv, and urpc_peek, which lends the slot itself until
 * urpc_release); everything else comes here.
 *
 * Credits: after consuming, the receiver publishes `tail` in its credit
 * line, but only when the tail reaches a multiple of the batch (a quarter
 * ring), so the line the sender reads changes rarely.
 */
#include "internal.h"

static const struct urpc_slot *urpc_rx_slot(const struct urpc_rx *r,
					    uint32_t n)
{
	return &r->slots[n & r->mask];
}

bool urpc_pending(const struct urpc_chan *c)
{
	const struct urpc_rx *r = &c->rx;
	uint64_t w;

	if (r->barrier && (r->gen & 1))
		r->barrier(r->barrier_arg);                     /* R2b */
	w = atomic_load_explicit(&urpc_rx_slot(r, r->tail)->ctrl,
				 memory_order_relaxed);

	return URPC_CTRL_SEQ(w) == urpc_seq_of(r->tail) || r->broken;
}

/*
 * A sender refused for room had head + need > published + nslots, so it
 * wrote slot published + nslots - need, and need <= urpc_slots_for(max_msg).
 * That slot lies at or after the tail (the published credit lags the tail
 * by less than a quarter ring, and a message takes at most three quarters),
 * so its sequence tells whether it was written in this lap.
 */
bool urpc_rx_sender_may_wait(const struct urpc_chan *c)
{
	const struct urpc_rx *r = &c->rx;
	uint32_t n = r->published + r->mask + 1 - urpc_slots_for(c->max_msg);
	uint64_t w = atomic_load_explicit(&urpc_rx_slot(r, n)->ctrl,
					  memory_order_relaxed);

	return URPC_CTRL_SEQ(w) == urpc_seq_of(n);
}

/*
 * The last slot of the published credit's room carries its sequence.
 * Acquire, so that what the sender did before it published that slot (its
 * own credit for our ring, say) is visible to our reads after this.
 */
bool urpc_rx_ring_full(const struct urpc_chan *c)
{
	const struct urpc_rx *r = &c->rx;
	uint32_t n = r->published + r->mask;
	uint64_t w = atomic_load_explicit(&urpc_rx_slot(r, n)->ctrl,
					  memory_order_acquire);

	return URPC_CTRL_SEQ(w) == urpc_seq_of(n);
}

/*
 * A broken channel reads a private slot from then on: its word has the
 * continuation bit, so the inline paths never accept it, and whether its
 * sequence matches or not they return the latched error (fastpath.h);
 * the peer can no longer write anything the receiver looks at.
 */
static const struct urpc_slot urpc_rx_poison = { .ctrl = URPC_CTRL_CONT };

static err_t urpc_rx_break(struct urpc_rx *r)
{
	r->broken = ERR_SYNTAX;
	r->slots = &urpc_rx_poison;
	r->mask = 0;
	return ERR_SYNTAX;
}

/*
 * Check the continuation slots of a message whose first word is `w`.  They
 * were published before the first slot, so the acquire that saw the first
 * makes them visible; relaxed loads suffice.
 */
static bool urpc_rx_conts_ok(const struct urpc_rx *r, uint64_t w,
			     uint32_t k)
{
	uint32_t len = URPC_CTRL_LEN(w), type = URPC_CTRL_TYPE(w);

	for (uint32_t i = 1; i < k; i++) {
		uint32_t n = r->tail + i;
		uint64_t c = atomic_load_explicit(&urpc_rx_slot(r, n)->ctrl,
						  memory_order_relaxed);

		if (c != URPC_CTRL(urpc_seq_of(n), len, type, 1))
			return false;
	}
	return true;
}

/* Copy a validated message of `len` bytes out of the ring. */
static void urpc_rx_copy(const struct urpc_rx *r, void *buf, uint32_t len)
{
	uint8_t *out = buf;

	for (uint32_t off = 0, n = r->tail; off < len;
	     off += URPC_SLOT_PAYLOAD, n++) {
		uint32_t chunk = len - off < URPC_SLOT_PAYLOAD ?
				 len - off : URPC_SLOT_PAYLOAD;

		urpc_copy(out + off, urpc_rx_slot(r, n)->payload, chunk);
	}
}

void urpc_rx_credit(struct urpc_rx *r)
{
	r->published = r->tail;
	atomic_store_explicit(&r->own->credit.consumed, r->tail,
			      memory_order_release);
}

void urpc_rx_took(struct urpc_chan *c, uint32_t t, uint64_t w)
{
	urpc_trace(URPC_TR_RECV, c, t, w);
	if (!((t + 1) & c->rx.credit_mask))
		urpc_rx_credit(&c->rx);
}

/*
 * Consume k slots; publish the credit when the tail crosses a multiple of
 * the batch (credit_mask + 1, a quarter ring), as the inline path does, so
 * the published credit never lags by a whole batch.
 */
static void urpc_rx_advance(struct urpc_rx *r, uint32_t k)
{
	uint32_t old = r->tail;

	r->tail += k;
	if ((old ^ r->tail) & ~r->credit_mask)
		urpc_rx_credit(r);
}

/*
 * Validate the message whose first word is `w` (already seen to carry the
 * expected sequence): a continuation word first, a length over the limit
 * or a continuation slot that is not exactly what a correct sender writes
 * breaks the channel.  Returns its slot count, or 0 if it broke.
 */
static uint32_t urpc_rx_check(struct urpc_chan *c, uint64_t w)
{
	uint32_t mlen = URPC_CTRL_LEN(w), k = urpc_slots_for(mlen);

	if ((w & URPC_CTRL_CONT) || mlen > c->max_msg ||
	    !urpc_rx_conts_ok(&c->rx, w, k)) {
		urpc_rx_break(&c->rx);
		return 0;
	}
	return k;
}

/*
 * Messages of several slots, and malformed first words.  Out of line, so
 * the one-slot path needs no callee-saved registers.
 */
static err_t urpc_try_recv_general(struct urpc_chan *c, uint64_t w,
				   uint16_t *type, void *buf, size_t cap,
				   size_t *len)
{
	uint32_t mlen = URPC_CTRL_LEN(w), k = urpc_rx_check(c, w);

	if (!k)
		return ERR_SYNTAX;
	if (len)
		*len = mlen;
	if (mlen > cap)
		return ERR_TOOBIG;
	if (mlen && !buf)
		return ERR_INVAL;
	urpc_rx_copy(&c->rx, buf, mlen);
	if (type)
		*type = (uint16_t)URPC_CTRL_TYPE(w);
	urpc_trace(URPC_TR_RECV, c, c->rx.tail, w);
	urpc_rx_advance(&c->rx, k);
	return ERR_OK;
}

/* urpc_try_recv's cases other than a one-slot message that fits. */
err_t urpc_recv_slow(struct urpc_chan *c, uint64_t w, uint16_t *type,
		     void *buf, size_t cap, size_t *len)
{
	if (c->rx.broken)
		return c->rx.broken;
	return urpc_try_recv_general(c, w, type, buf, cap, len);
}

/* urpc_peek's: broken, or a message of several slots (or malformed). */
err_t urpc_peek_slow(struct urpc_chan *c, uint64_t w, uint16_t *type,
		     const void **data, size_t *len)
{
	(void)type, (void)data;         /* set only for a message lent */
	if (c->rx.broken)
		return c->rx.broken;
	if (!urpc_rx_check(c, w))
		return ERR_SYNTAX;
	if (len)
		*len = URPC_CTRL_LEN(w);
	return ERR_TOOBIG;
}
