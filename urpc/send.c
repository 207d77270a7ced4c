/*
 * send.c: the sending half of a channel.
 *
 * The sender owns its ring's slots and nothing else.  It knows how many
 * slots are free from `consumed_seen`, its cached copy of the receiver's
 * credit line, and reads that line again only when the cached view says
 * the message does not fit: in steady state the credit line moves between
 * the cores once per quarter ring, not once per message.
 *
 * A message of k slots is written continuation slots first and its first
 * slot last; each slot is published by a release store of its control word
 * after its payload.  The receiver looks only at the first slot, so it sees
 * the whole message at once or not at all.  Nothing is written unless the
 * whole message fits: ERR_FULL leaves the ring as it was.
 *
 * urpc_send, urpc_send_async and urpc_tx_kick are inline in the caller
 * (<urpc/fastpath.h>) for the common message of one slot (up to 56 bytes):
 * room check on the cached credit, the copy, one release store, then the
 * sleep check (with a fence unless the receiver runs the barrier itself).
 * Longer messages, errors and a ring full by the cached credit come here
 * (urpc_send_slow), and so does the notification of a sleeping receiver
 * (urpc_tx_notify).  urpc_send_async skips the sleep check, which the
 * caller does once per burst with urpc_tx_kick; it does it itself before
 * returning ERR_FULL, so a sender that spins on a full ring has always
 * woken the receiver that must drain it.
 */
#include "internal.h"

/* Free slots according to the cached credit. */
static uint32_t urpc_tx_free(const struct urpc_tx *t)
{
	return t->mask + 1 - (t->head - t->consumed_seen);
}

/*
 * Refresh the cached credit.  Acquire pairs with the receiver's release
 * store, so its reads of the slots we are about to reuse are finished.  A
 * value claiming more than we sent is ignored (a broken peer must not
 * make us compute a huge free count).
 */
static void urpc_tx_refresh(struct urpc_tx *t)
{
	uint32_t c = atomic_load_explicit(&t->peer->credit.consumed,
					  memory_order_acquire);

	if (t->head - c <= t->mask + 1) {
		t->consumed_seen = c;
		t->end = c + t->mask + 1;
	}
}

/* True if `need` slots are free, reading the credit line only if needed. */
static bool urpc_tx_room(struct urpc_tx *t, uint32_t need)
{
	if (urpc_tx_free(t) >= need)
		return true;
	urpc_tx_refresh(t);
	return urpc_tx_free(t) >= need;
}

uint32_t urpc_tx_space(struct urpc_chan *c)
{
	urpc_tx_refresh(&c->tx);
	return urpc_tx_free(&c->tx);
}

/* Write fragment `i` of a message into slot number `n` and publish it. */
static void urpc_tx_fill(struct urpc_tx *t, uint32_t n, uint16_t type,
			 const uint8_t *data, uint32_t len, uint32_t i)
{
	struct urpc_slot *s = &t->slots[n & t->mask];
	uint32_t off = i * URPC_SLOT_PAYLOAD;
	uint32_t chunk = len - off < URPC_SLOT_PAYLOAD ?
			 len - off : URPC_SLOT_PAYLOAD;

	urpc_copy(s->payload, data + off, chunk);
	atomic_store_explicit(&s->ctrl,
			      URPC_CTRL(urpc_seq_of(n), len, type, i != 0),
			      memory_order_release);
}

/* Write a whole message that is known to fit; first slot published last. */
static void urpc_tx_write(struct urpc_tx *t, uint16_t type,
			  const void *data, uint32_t len)
{
	uint32_t k = urpc_slots_for(len);

	for (uint32_t i = 1; i < k; i++)
		urpc_tx_fill(t, t->head + i, type, data, len, i);
	urpc_tx_fill(t, t->head, type, data, len, 0);
	t->head += k;
}

/* Validate one message before anything is written. */
static err_t urpc_tx_check(const struct urpc_chan *c, uint16_t type,
			   const void *data, size_t len)
{
	if (type > URPC_TYPE_MAX || (len && !data))
		return ERR_INVAL;
	if (len > c->max_msg)
		return ERR_TOOBIG;
	return ERR_OK;
}

/* Queue one message without notifying. */
static err_t urpc_tx_one(struct urpc_chan *c, uint16_t type,
			 const void *data, size_t len)
{
	err_t e = urpc_tx_check(c, type, data, len);

	if (e != ERR_OK)
		return e;
	if (!urpc_tx_room(&c->tx, urpc_slots_for(len)))
		return ERR_FULL;
	urpc_tx_write(&c->tx, type, data, (uint32_t)len);
	urpc_trace(URPC_TR_SEND, c, c->tx.head - urpc_slots_for(len),
		   URPC_CTRL(0, len, type, 0));
	return ERR_OK;
}

/* Any message, checked, queued without a sleep check (fastpath.h). */
err_t urpc_send_slow(struct urpc_chan *c, uint16_t type, const void *data,
		     size_t len)
{
	return urpc_tx_one(c, type, data, len);
}

/* S4 out of line: notify each sleep generation at most once. */
void urpc_tx_notify(struct urpc_chan *c, uint64_t g)
{
	if (g == c->tx.notified_gen)
		return;
	c->tx.notified_gen = g;
	urpc_trace(URPC_TR_NOTIFY, c, c->tx.head, g);
	if (c->hooks.notify)
		c->hooks.notify(c->hooks.notify_arg);
}

err_t urpc_send_batch(struct urpc_chan *c, const struct urpc_msg *msgs,
		      size_t n, size_t *sent)
{
	err_t e = ERR_OK;
	size_t i;

	for (i = 0; i < n; i++) {
		e = urpc_tx_one(c, msgs[i].type, msgs[i].data, msgs[i].len);
		if (e != ERR_OK)
			break;
	}
	if (i > 0)
		urpc_tx_kick(c);
	if (sent)
		*sent = i;
	return e;
}
