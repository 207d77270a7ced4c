/*
 * libFuzzer target for the urpc message decoder (urpc/recv.c) and the
 * area check of urpc_chan_init (urpc/area.c).
 *
 * The peer of a channel is not trusted: it can write anything into the
 * lines it owns (its slots, the header it formatted, its credit line).
 * The fuzzer plays that peer.  Byte 0 picks the mode:
 *  - bit 7 clear: a correctly formatted area with 4 << (bits 0..2 % 4)
 *    slots and a start counter from bytes 1..4 (values near 2^32 included),
 *    whose ring 0 (everything side 0 owns: header lines and slots) is then
 *    overwritten with the rest of the input;
 *  - bit 7 set: the rest of the input is the whole area, header included,
 *    in a buffer of exactly that size.
 * Side 1 then receives until the ring says empty or broken, with buffer
 * sizes taken from the input (an odd size byte receives that message in
 * place with urpc_peek and urpc_release instead; a size byte with bit 1
 * set receives a message that urpc_pending announces with the blocking
 * urpc_recv, whose inline poll must find it; one with bits 0 and 2 set
 * receives up to (byte >> 3) + 1 messages with a drain; an even one with bit 2
 * set receives into an 8-byte variable), and also sends into ring 1, with
 * urpc_send and then with a burst.  Checked:
 * nothing is read or written outside the area (AddressSanitizer), an
 * accepted message is within urpc_max_msg and URPC_TYPE_MAX and consumed
 * exactly its slots, a message lent in place lies inside the area and is
 * one slot long, a drain consumes exactly what it released, a small
 * receive writes nothing past the message, ERR_TOOBIG consumes nothing, a
 * broken channel stays broken, and the sender's free count never exceeds
 * the ring.
 */
#include <urpc/urpc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_urpc: %s\n", what);
	abort();
}

static uint8_t msgbuf[65536];
static const uint8_t *area_lo, *area_hi;        /* the area under test */

/*
 * Receive one message in place.  Same checks as urpc_try_recv's, plus: the
 * lent payload is inside the area and the slot is consumed only by
 * urpc_release.  Returns what urpc_peek returned.
 */
static err_t peek_one(struct urpc_chan *c)
{
	uint32_t tail = c->rx.tail;
	const void *p = NULL;
	uint16_t type = 0xffff;
	size_t len = 0;
	err_t e = urpc_peek(c, &type, &p, &len);

	if (c->rx.tail != tail)
		fail("urpc_peek consumed");
	if (e == ERR_OK) {
		const uint8_t *b = p;

		if (len > URPC_SLOT_PAYLOAD || type > URPC_TYPE_MAX ||
		    b < area_lo || b + len > area_hi)
			fail("lent message out of bounds");
		memcpy(msgbuf, b, len);
		urpc_release(c);
		urpc_release(c);        /* a second release must do nothing */
		if (c->rx.tail - tail != 1)
			fail("urpc_release consumed the wrong number of slots");
	} else if (e == ERR_TOOBIG) {
		if (len <= URPC_SLOT_PAYLOAD || len > urpc_max_msg(c))
			fail("urpc_peek lied about a long message's size");
		if (urpc_try_recv(c, &type, msgbuf, sizeof msgbuf, &len) !=
		    ERR_OK)
			fail("long message refused after urpc_peek");
		if (c->rx.tail - tail != urpc_slots_for(len))
			fail("consumed the wrong number of slots");
		e = ERR_OK;
	}
	return e;
}

/*
 * Receive up to `max` messages with a drain (urpc_drain_*), which keeps
 * the receive state in registers: the same checks as peek_one for each,
 * and the channel's tail moved by exactly the messages released.
 * ERR_OK if it took any; otherwise the answer of the first peek (a long
 * message taken with urpc_try_recv after its ERR_TOOBIG, as peek_one).
 */
static err_t drain_some(struct urpc_chan *c, uint32_t max)
{
	uint32_t tail = c->rx.tail, n = 0;
	struct urpc_drain d;
	const void *p = NULL;
	uint16_t type = 0xffff;
	size_t len = 0;
	err_t e = ERR_OK;

	urpc_drain_begin(c, &d);
	while (n < max &&
	       (e = urpc_drain_peek(&d, &type, &p, &len, 1)) == ERR_OK) {
		const uint8_t *b = p;

		if (len > URPC_SLOT_PAYLOAD || type > URPC_TYPE_MAX ||
		    b < area_lo || b + len > area_hi)
			fail("drained message out of bounds");
		memcpy(msgbuf, b, len);
		urpc_drain_release(&d);
		n++;
	}
	urpc_drain_end(&d);
	if (c->rx.tail - tail != n)
		fail("the drain consumed the wrong number of slots");
	if (n)
		return ERR_OK;
	if (e == ERR_TOOBIG) {
		if (len <= URPC_SLOT_PAYLOAD || len > urpc_max_msg(c))
			fail("urpc_drain_peek lied about a long message's size");
		if (urpc_try_recv(c, &type, msgbuf, sizeof msgbuf, &len) !=
		    ERR_OK)
			fail("long message refused after urpc_drain_peek");
		return ERR_OK;
	}
	return e;
}

/*
 * Receive into an 8-byte variable (a constant capacity of less than one
 * slot: fastpath.h takes only a message that fills it in line, a shorter
 * one out of line): bytes after the message keep their value, and a
 * refused message writes nothing.
 */
static err_t recv_small(struct urpc_chan *c, uint16_t *type, size_t *len)
{
	const uint64_t mark = 0x0123456789abcdefull;
	uint64_t v = mark;
	err_t e = urpc_try_recv(c, type, &v, sizeof v, len);

	if (e == ERR_OK && *len < sizeof v &&
	    memcmp((uint8_t *)&v + *len, (const uint8_t *)&mark + *len,
		   sizeof v - *len))
		fail("a small receive wrote past the message");
	if (e != ERR_OK && v != mark)
		fail("a refused small receive wrote into the buffer");
	return e;
}

/* Receive on side 1 until empty or broken; check every result. */
static void drain(struct urpc_chan *c, const uint8_t *caps, size_t ncaps)
{
	uint32_t nslots = c->rx.mask + 1;

	for (uint32_t i = 0; i < 4 * nslots + 4; i++) {
		size_t cap = ncaps ? (size_t)caps[i % ncaps] * 8 : sizeof msgbuf;
		uint32_t tail = c->rx.tail;
		uint16_t type = 0xffff;
		size_t len = 0;
		bool pend = urpc_pending(c);
		err_t e;

		if (ncaps && (caps[i % ncaps] & 5) == 5) {
			e = drain_some(c, (caps[i % ncaps] >> 3) + 1u);
			if (pend != (e != ERR_EMPTY))
				fail("urpc_pending disagrees with a drain");
			if (e == ERR_OK)
				continue;
		} else if (ncaps && (caps[i % ncaps] & 1)) {
			e = peek_one(c);
			if (pend != (e != ERR_EMPTY))
				fail("urpc_pending disagrees with urpc_peek");
			if (e == ERR_OK)
				continue;
		} else if (ncaps && (caps[i % ncaps] & 2) && pend) {
			/* the blocking receive: its inline poll finds it */
			e = urpc_recv(c, &type, msgbuf, cap, &len, 1);
		} else if (ncaps && (caps[i % ncaps] & 4)) {
			cap = sizeof(uint64_t);
			e = recv_small(c, &type, &len);
		} else {
			e = urpc_try_recv(c, &type, msgbuf, cap, &len);
		}

		if (pend != (e != ERR_EMPTY))
			fail("urpc_pending disagrees with urpc_try_recv");
		switch (e) {
		case ERR_OK:
			if (len > urpc_max_msg(c) || len > cap ||
			    type > URPC_TYPE_MAX)
				fail("accepted message out of bounds");
			if (c->rx.tail - tail != urpc_slots_for(len))
				fail("consumed the wrong number of slots");
			break;
		case ERR_TOOBIG:
			if (c->rx.tail != tail || len <= cap ||
			    len > urpc_max_msg(c))
				fail("ERR_TOOBIG consumed or lied about the size");
			/* take it with a big enough buffer next time */
			if (urpc_try_recv(c, &type, msgbuf, sizeof msgbuf,
					  &len) != ERR_OK)
				fail("message refused after ERR_TOOBIG");
			break;
		case ERR_EMPTY:
			return;
		case ERR_SYNTAX:
			if (urpc_try_recv(c, &type, msgbuf, sizeof msgbuf,
					  &len) != ERR_SYNTAX ||
			    c->rx.tail != tail)
				fail("a broken channel came back");
			return;
		default:
			fail("unexpected error from urpc_try_recv");
		}
	}
}

/* Side 1 sends into ring 1, whose credit line the peer controls. */
static void send_some(struct urpc_chan *c)
{
	uint32_t nslots = c->tx.mask + 1;

	for (uint32_t i = 0; i < nslots + 2; i++) {
		uint32_t space = urpc_tx_space(c);

		if (space > nslots)
			fail("free count larger than the ring");
		if (urpc_send(c, 7, msgbuf, 1 + i % URPC_SLOT_PAYLOAD) ==
		    ERR_FULL)
			break;
	}
}

/* The same with a burst (urpc_burst_*), long messages among them. */
static void send_burst(struct urpc_chan *c)
{
	uint32_t nslots = c->tx.mask + 1, head = c->tx.head, sent = 0;
	struct urpc_burst b;

	urpc_burst_begin(c, &b);
	for (uint32_t i = 0; i < nslots + 2; i++) {
		size_t len = i % 5 == 4 ? 2 * URPC_SLOT_PAYLOAD :
			     1 + i % URPC_SLOT_PAYLOAD;

		if (urpc_burst_send(&b, 8, msgbuf, len) != ERR_OK)
			break;
		sent += urpc_slots_for(len);
	}
	urpc_burst_end(&b);
	if (c->tx.head - head != sent)
		fail("the burst's head is not after what it sent");
	if (urpc_tx_space(c) > nslots)
		fail("free count larger than the ring after a burst");
}

static void run(void *area, size_t size, const uint8_t *caps, size_t ncaps)
{
	struct urpc_chan c;

	area_lo = area;
	area_hi = (const uint8_t *)area + size;
	if (urpc_chan_init(&c, area, size, 1, NULL) != ERR_OK)
		return;
	drain(&c, caps, ncaps);
	send_some(&c);
	send_burst(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *area;

	if (size < 1)
		return 0;
	if (data[0] & 0x80) {
		size_t n = size - 1;

		if (posix_memalign(&area, URPC_LINE, n ? n : 1))
			return 0;
		memcpy(area, data + 1, n);
		run(area, n, NULL, 0);
	} else {
		uint32_t nslots = 4u << (data[0] & 3), first = 0;
		size_t asz = urpc_area_size(nslots);
		size_t ring = 2 * URPC_LINE + nslots * URPC_LINE, n;

		if (size >= 5)
			memcpy(&first, data + 1, 4);
		data += size >= 5 ? 5 : size;
		size -= size >= 5 ? 5 : size;
		if (posix_memalign(&area, URPC_LINE, asz))
			return 0;
		if (urpc_area_init(area, asz, nslots, first) != ERR_OK)
			fail("urpc_area_init refused a valid area");
		/* ring 0 starts after the area header line */
		n = size < ring ? size : ring;
		memcpy((uint8_t *)area + URPC_LINE, data, n);
		run(area, asz, data + n, size - n);
	}
	free(area);
	return 0;
}
