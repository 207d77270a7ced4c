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
 * One-slot messages take an inline path; urpc_peek lends the slot itself
 * (receive in place) until urpc_release.
 *
 * Credits: after consuming, the receiver publishes `tail` in its credit
 * line, but only once `batch` (a quarter ring) slots have been consumed
 * since the last publication, so the line the sender reads changes rarely.
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

static err_t urpc_rx_break(struct urpc_rx *r)
{
	r->broken = ERR_SYNTAX;
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

/* Consume k slots and publish the credit if a batch is complete. */
static void urpc_rx_advance(struct urpc_rx *r, uint32_t k)
{
	r->tail += k;
	if (r->tail - r->published >= r->batch) {
		r->published = r->tail;
		atomic_store_explicit(&r->own->credit.consumed, r->tail,
				      memory_order_release);
	}
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
static __attribute__((noinline)) err_t urpc_try_recv_general(struct urpc_chan *c, uint64_t w,
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

/*
 * The first word of the next message, acquire (pairs with the sender's
 * release store: the payload is visible once the sequence matches).
 * ERR_EMPTY if it is not there yet, the latched error if broken.
 */
static inline err_t urpc_rx_head(const struct urpc_rx *r, uint64_t *w)
{
	if (r->broken)
		return r->broken;
	*w = atomic_load_explicit(&urpc_rx_slot(r, r->tail)->ctrl,
				  memory_order_acquire);
	return URPC_CTRL_SEQ(*w) == urpc_seq_of(r->tail) ? ERR_OK : ERR_EMPTY;
}

/* A first word describing a whole message of one slot. */
static inline bool urpc_rx_single(uint64_t w)
{
	return URPC_CTRL_LEN(w) <= URPC_SLOT_PAYLOAD && !(w & URPC_CTRL_CONT);
}

/*
 * Inline path for one-slot messages (no continuation to check, one
 * copy); everything else goes to urpc_try_recv_general.
 */
err_t urpc_try_recv(struct urpc_chan *c, uint16_t *type, void *buf,
		    size_t cap, size_t *len)
{
	struct urpc_rx *r = &c->rx;
	uint64_t w;
	uint32_t mlen;
	err_t e = urpc_rx_head(r, &w);

	if (e != ERR_OK)
		return e;
	if (!urpc_rx_single(w))
		return urpc_try_recv_general(c, w, type, buf, cap, len);
	mlen = URPC_CTRL_LEN(w);
	if (len)
		*len = mlen;
	if (mlen > cap)
		return ERR_TOOBIG;
	if (mlen && !buf)
		return ERR_INVAL;
	urpc_copy_small(buf, urpc_rx_slot(r, r->tail)->payload, mlen);
	if (type)
		*type = (uint16_t)URPC_CTRL_TYPE(w);
	r->held = false;
	urpc_trace(URPC_TR_RECV, c, r->tail, w);
	urpc_rx_advance(r, 1);
	return ERR_OK;
}

err_t urpc_peek(struct urpc_chan *c, uint16_t *type, const void **data,
		size_t *len)
{
	struct urpc_rx *r = &c->rx;
	uint64_t w;
	err_t e = urpc_rx_head(r, &w);

	if (e != ERR_OK)
		return e;
	if (!urpc_rx_single(w)) {
		if (!urpc_rx_check(c, w))
			return ERR_SYNTAX;
		if (len)
			*len = URPC_CTRL_LEN(w);
		return ERR_TOOBIG;
	}
	if (len)
		*len = URPC_CTRL_LEN(w);
	if (type)
		*type = (uint16_t)URPC_CTRL_TYPE(w);
	if (data)
		*data = urpc_rx_slot(r, r->tail)->payload;
	r->held = true;
	return ERR_OK;
}

/* Gives back the slot urpc_peek lent; does nothing if none is lent. */
void urpc_release(struct urpc_chan *c)
{
	if (!c->rx.held)
		return;
	c->rx.held = false;
	urpc_trace(URPC_TR_RECV, c, c->rx.tail,
		   atomic_load_explicit(&urpc_rx_slot(&c->rx, c->rx.tail)->ctrl,
					memory_order_relaxed));
	urpc_rx_advance(&c->rx, 1);
}
