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
	uint64_t w = atomic_load_explicit(&urpc_rx_slot(r, r->tail)->ctrl,
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

err_t urpc_try_recv(struct urpc_chan *c, uint16_t *type, void *buf,
		    size_t cap, size_t *len)
{
	struct urpc_rx *r = &c->rx;
	uint64_t w;
	uint32_t mlen, k;

	if (r->broken)
		return r->broken;
	w = atomic_load_explicit(&urpc_rx_slot(r, r->tail)->ctrl,
				 memory_order_acquire);
	if (URPC_CTRL_SEQ(w) != urpc_seq_of(r->tail))
		return ERR_EMPTY;
	mlen = URPC_CTRL_LEN(w);
	k = urpc_slots_for(mlen);
	if ((w & URPC_CTRL_CONT) || mlen > c->max_msg ||
	    !urpc_rx_conts_ok(r, w, k))
		return urpc_rx_break(r);
	if (len)
		*len = mlen;
	if (mlen > cap)
		return ERR_TOOBIG;
	if (mlen && !buf)
		return ERR_INVAL;
	urpc_rx_copy(r, buf, mlen);
	if (type)
		*type = (uint16_t)URPC_CTRL_TYPE(w);
	urpc_trace(URPC_TR_RECV, c, r->tail, w);
	urpc_rx_advance(r, k);
	return ERR_OK;
}
