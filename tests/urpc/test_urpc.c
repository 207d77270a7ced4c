/*
 * Host unit tests of the urpc channel, single-threaded: both sides of a
 * channel live in this thread, hooks are counting stubs.
 */
#define TEST_PROGRAM "urpc"
#include "test.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <urpc/urpc.h>

/* Counting stub hooks; the wait stub can run an action "while asleep". */
static int n_notify, n_wait;
static void (*while_asleep)(void);

static void stub_notify(void *arg)
{
	(void)arg;
	n_notify++;
}

static void stub_wait(void *arg)
{
	(void)arg;
	n_wait++;
	if (while_asleep)
		while_asleep();
}

static const struct urpc_hooks stubs = {
	.notify = stub_notify, .wait = stub_wait,
};

/* A formatted area and both of its sides. */
struct pair {
	void *area;
	size_t size;
	struct urpc_chan a, b;          /* a = side 0, b = side 1 */
};

static void pair_open(struct pair *p, uint32_t nslots, uint32_t first_seq)
{
	p->size = urpc_area_size(nslots);
	p->area = aligned_alloc(64, p->size);
	CHECK(p->area != NULL);
	CHECK_EQ(urpc_area_init(p->area, p->size, nslots, first_seq), ERR_OK);
	CHECK_EQ(urpc_chan_init(&p->a, p->area, p->size, 0, &stubs), ERR_OK);
	CHECK_EQ(urpc_chan_init(&p->b, p->area, p->size, 1, &stubs), ERR_OK);
	n_notify = n_wait = 0;
	while_asleep = NULL;
}

static void pair_close(struct pair *p)
{
	free(p->area);
}

/* Deterministic message contents: byte i of message `id`. */
static uint8_t msg_byte(uint32_t id, size_t i)
{
	return (uint8_t)(id * 131u + i * 7u + (i >> 8));
}

static void msg_fill(uint8_t *buf, uint32_t id, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = msg_byte(id, i);
}

/* Receive one message on `c` and check it is message `id` of `len`. */
static void expect_msg(struct urpc_chan *c, uint32_t id, size_t len)
{
	static uint8_t buf[65536];
	uint16_t type = 0xffff;
	size_t got = 0;

	CHECK_EQ(urpc_try_recv(c, &type, buf, sizeof buf, &got), ERR_OK);
	CHECK_EQ(type, id & URPC_TYPE_MAX);
	CHECK_EQ(got, len);
	for (size_t i = 0; i < got && i < len; i++)
		if (buf[i] != msg_byte(id, i)) {
			CHECK_EQ(buf[i], msg_byte(id, i));
			break;
		}
}

static err_t send_msg(struct urpc_chan *c, uint32_t id, size_t len)
{
	static uint8_t buf[65536];

	msg_fill(buf, id, len);
	return urpc_send(c, id & URPC_TYPE_MAX, buf, len);
}

static void t_layout_checks(void)
{
	size_t sz = urpc_area_size(8);
	uint8_t *raw = aligned_alloc(64, sz + 64);
	struct urpc_chan c;

	CHECK_EQ(sz, 64 + 2 * (128 + 8 * 64));
	CHECK_EQ(urpc_area_init(raw + 8, sz, 8, 0), ERR_INVAL);
	CHECK_EQ(urpc_area_init(raw, sz, 6, 0), ERR_INVAL);
	CHECK_EQ(urpc_area_init(raw, sz, 2, 0), ERR_INVAL);
	CHECK_EQ(urpc_area_init(raw, sz - 1, 8, 0), ERR_RANGE);
	CHECK_EQ(urpc_area_init(raw, sz, 8, 0), ERR_OK);
	CHECK_EQ(urpc_chan_init(&c, raw, sz, 2, NULL), ERR_INVAL);
	CHECK_EQ(urpc_chan_init(&c, raw, sz - 64, 0, NULL), ERR_RANGE);
	CHECK_EQ(urpc_chan_init(&c, raw, sz, 1, NULL), ERR_OK);
	CHECK_EQ(urpc_max_msg(&c), 6 * URPC_SLOT_PAYLOAD);
	raw[0] ^= 1;                                    /* bad magic */
	CHECK_EQ(urpc_chan_init(&c, raw, sz, 0, NULL), ERR_BADMAGIC);
	raw[0] ^= 1;
	raw[4] = 9;                                     /* bad version */
	CHECK_EQ(urpc_chan_init(&c, raw, sz, 0, NULL), ERR_BADMAGIC);
	free(raw);
}

static void t_both_directions(void)
{
	struct pair p;

	pair_open(&p, 8, 0);
	CHECK_EQ(send_msg(&p.a, 1, 10), ERR_OK);
	CHECK_EQ(send_msg(&p.b, 2, 20), ERR_OK);
	CHECK(urpc_pending(&p.b));
	CHECK(urpc_pending(&p.a));
	expect_msg(&p.b, 1, 10);
	expect_msg(&p.a, 2, 20);
	CHECK(!urpc_pending(&p.a));
	CHECK_EQ(urpc_try_recv(&p.a, NULL, NULL, 0, NULL), ERR_EMPTY);
	pair_close(&p);
}

/* A full ring refuses, writes nothing, and loses nothing. */
static void t_full_backpressure(void)
{
	struct pair p;

	pair_open(&p, 8, 0);
	for (uint32_t i = 0; i < 8; i++)
		CHECK_EQ(send_msg(&p.a, i, 40), ERR_OK);
	CHECK_EQ(send_msg(&p.a, 99, 1), ERR_FULL);
	CHECK_EQ(urpc_tx_space(&p.a), 0);
	for (uint32_t i = 0; i < 4; i++)
		expect_msg(&p.b, i, 40);
	/* 4 slots free now, a 5-slot message does not fit: nothing written */
	CHECK_EQ(send_msg(&p.a, 98, 5 * URPC_SLOT_PAYLOAD), ERR_FULL);
	CHECK_EQ(send_msg(&p.a, 97, 4 * URPC_SLOT_PAYLOAD), ERR_OK);
	for (uint32_t i = 4; i < 8; i++)
		expect_msg(&p.b, i, 40);
	expect_msg(&p.b, 97, 4 * URPC_SLOT_PAYLOAD);
	CHECK_EQ(urpc_try_recv(&p.b, NULL, NULL, 0, NULL), ERR_EMPTY);
	pair_close(&p);
}

/* Many laps round a small ring with mixed sizes, from two start values. */
static void laps(uint32_t first_seq)
{
	struct pair p;
	uint32_t sent = 0, got = 0;

	pair_open(&p, 4, first_seq);
	while (got < 5000) {
		size_t len = (sent * 37u) % (urpc_max_msg(&p.a) + 1);

		if (send_msg(&p.a, sent, len) == ERR_OK) {
			sent++;
			continue;
		}
		while (urpc_pending(&p.b) && !test_case_failed) {
			size_t want = (got * 37u) % (urpc_max_msg(&p.a) + 1);

			expect_msg(&p.b, got++, want);
		}
		if (test_case_failed)
			break;
	}
	CHECK(p.a.tx.head - first_seq > 4 * 1000);      /* many laps */
	pair_close(&p);
}

static void t_wrap_many_laps(void)
{
	laps(0);
}

static void t_counter_wrap_2_32(void)
{
	laps(0xfffff000u);
}

static void t_multi_slot_sizes(void)
{
	static const size_t lens[] = { 0, 1, 55, 56, 57, 111, 112, 113, 500,
				       1000, 1344 };
	struct pair p;

	pair_open(&p, 32, 0);
	CHECK_EQ(urpc_max_msg(&p.a), 24 * URPC_SLOT_PAYLOAD);
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		CHECK_EQ(send_msg(&p.a, (uint32_t)i, lens[i]), ERR_OK);
		CHECK_EQ(p.a.tx.head, p.b.rx.tail + urpc_slots_for(lens[i]));
		expect_msg(&p.b, (uint32_t)i, lens[i]);
	}
	pair_close(&p);
}

static void t_batch_send(void)
{
	static uint8_t data[20][100];
	struct urpc_msg m[20];
	struct pair p;
	size_t sent = 0;

	pair_open(&p, 16, 0);
	for (uint32_t i = 0; i < 20; i++) {
		size_t len = i % 3 == 0 ? 100 : 8;      /* 2 or 1 slots */

		msg_fill(data[i], i, len);
		m[i] = (struct urpc_msg){ (uint16_t)i, (uint16_t)len, data[i] };
	}
	urpc_rx_sleep_begin(&p.b);                      /* count notifies */
	CHECK_EQ(urpc_send_batch(&p.a, m, 20, &sent), ERR_FULL);
	CHECK_EQ(sent, 12);     /* 2+1+1+2+1+1+2+1+1+2+1+1 = 16 slots */
	CHECK_EQ(n_notify, 1);
	urpc_rx_sleep_end(&p.b);
	for (uint32_t i = 0; i < sent; i++)
		expect_msg(&p.b, i, i % 3 == 0 ? 100 : 8);
	CHECK_EQ(urpc_send_batch(&p.a, m + sent, 20 - sent, &sent), ERR_OK);
	CHECK_EQ(sent, 8);
	for (uint32_t i = 12; i < 20; i++)
		expect_msg(&p.b, i, i % 3 == 0 ? 100 : 8);
	/* an invalid message stops the batch with its error */
	m[1].len = 60000;
	CHECK_EQ(urpc_send_batch(&p.a, m, 3, &sent), ERR_TOOBIG);
	CHECK_EQ(sent, 1);
	pair_close(&p);
}

static void t_oversized_rejected(void)
{
	static uint8_t big[2000], small[16];
	struct pair p;
	size_t len = 0;

	pair_open(&p, 8, 0);
	CHECK_EQ(urpc_send(&p.a, 1, big, urpc_max_msg(&p.a) + 1), ERR_TOOBIG);
	CHECK_EQ(urpc_send(&p.a, URPC_TYPE_MAX + 1, big, 1), ERR_INVAL);
	CHECK_EQ(urpc_send(&p.a, 1, NULL, 5), ERR_INVAL);
	CHECK_EQ(p.a.tx.head, 0);
	CHECK_EQ(send_msg(&p.a, 5, 100), ERR_OK);
	/* too small a buffer: told the size, message stays queued */
	CHECK_EQ(urpc_try_recv(&p.b, NULL, small, sizeof small, &len),
		 ERR_TOOBIG);
	CHECK_EQ(len, 100);
	CHECK(urpc_pending(&p.b));
	expect_msg(&p.b, 5, 100);
	pair_close(&p);
}

/* Corrupt the control word of the slot the receiver reads next. */
static void corrupt_and_expect(uint64_t (*mk)(uint32_t seq))
{
	struct pair p;
	struct urpc_slot *s;

	pair_open(&p, 8, 0);
	CHECK_EQ(send_msg(&p.a, 3, 150), ERR_OK);      /* 3 slots */
	s = &p.a.tx.slots[0];
	atomic_store(&s[0].ctrl, mk(1));
	CHECK(urpc_pending(&p.b));
	CHECK_EQ(urpc_try_recv(&p.b, NULL, NULL, 0, NULL), ERR_SYNTAX);
	CHECK_EQ(urpc_try_recv(&p.b, NULL, NULL, 0, NULL), ERR_SYNTAX);
	pair_close(&p);
}

static uint64_t bad_cont_first(uint32_t seq)
{
	return URPC_CTRL(seq, 150, 3, 1);
}

static uint64_t bad_too_long(uint32_t seq)
{
	return URPC_CTRL(seq, 7 * URPC_SLOT_PAYLOAD, 3, 0);
}

static uint64_t bad_len_mismatch(uint32_t seq)
{
	return URPC_CTRL(seq, 120, 3, 0);       /* conts say 150 */
}

static uint64_t bad_type_mismatch(uint32_t seq)
{
	return URPC_CTRL(seq, 150, 4, 0);       /* conts say type 3 */
}

static uint64_t bad_short(uint32_t seq)
{
	return URPC_CTRL(seq, 300, 3, 0);       /* 6 slots, only 3 written */
}

static void t_malformed_rejected(void)
{
	corrupt_and_expect(bad_cont_first);
	corrupt_and_expect(bad_too_long);
	corrupt_and_expect(bad_len_mismatch);
	corrupt_and_expect(bad_type_mismatch);
	corrupt_and_expect(bad_short);
}

/* Credit is published once per quarter ring, not per message. */
static void t_credit_batching(void)
{
	struct pair p;
	_Atomic uint32_t *credit;

	pair_open(&p, 16, 0);
	credit = &p.b.rx.own->credit.consumed;
	for (uint32_t i = 0; i < 16; i++)
		CHECK_EQ(send_msg(&p.a, i, 8), ERR_OK);
	for (uint32_t i = 0; i < 3; i++)
		expect_msg(&p.b, i, 8);
	CHECK_EQ(atomic_load(credit), 0);
	CHECK_EQ(urpc_tx_space(&p.a), 0);
	expect_msg(&p.b, 3, 8);
	CHECK_EQ(atomic_load(credit), 4);
	CHECK_EQ(urpc_tx_space(&p.a), 4);
	/* a sender with cached room does not look at the credit line */
	atomic_store(credit, 1000);                     /* bogus */
	CHECK_EQ(send_msg(&p.a, 16, 8), ERR_OK);
	CHECK_EQ(p.a.tx.consumed_seen, 4);
	CHECK_EQ(urpc_tx_space(&p.a), 3);               /* bogus ignored */
	atomic_store(credit, 4);
	/* going to sleep publishes the partial batch */
	expect_msg(&p.b, 4, 8);
	CHECK_EQ(atomic_load(credit), 4);
	urpc_rx_sleep_begin(&p.b);
	CHECK_EQ(atomic_load(credit), 5);
	pair_close(&p);
}

/* Only a sleeping receiver is notified, once per sleep. */
static void t_notify_only_when_asleep(void)
{
	struct pair p;

	pair_open(&p, 16, 0);
	CHECK_EQ(send_msg(&p.a, 1, 8), ERR_OK);
	CHECK_EQ(n_notify, 0);
	urpc_rx_sleep_begin(&p.b);
	CHECK_EQ(send_msg(&p.a, 2, 8), ERR_OK);
	CHECK_EQ(n_notify, 1);
	CHECK_EQ(send_msg(&p.a, 3, 8), ERR_OK);
	CHECK_EQ(n_notify, 1);                          /* coalesced */
	urpc_rx_sleep_end(&p.b);
	CHECK_EQ(send_msg(&p.a, 4, 8), ERR_OK);
	CHECK_EQ(n_notify, 1);
	urpc_rx_sleep_begin(&p.b);                      /* a new sleep */
	CHECK_EQ(send_msg(&p.a, 5, 8), ERR_OK);
	CHECK_EQ(n_notify, 2);
	pair_close(&p);
}

/*
 * Fence-free mode: the flag is in the sleep line, the barrier runs in the
 * re-check of an announced sleep and nowhere else, and notification works
 * as before (once per sleep, with the flag in the generation).
 */
static unsigned n_barrier;

static void count_barrier(void *arg)
{
	(void)arg;
	n_barrier++;
}

static void t_fence_free_mode(void)
{
	struct pair p;
	_Atomic uint64_t *gen;

	pair_open(&p, 16, 0);
	gen = &p.b.rx.own->sleep.gen;
	n_barrier = 0;
	CHECK_EQ(urpc_rx_set_barrier(&p.b, NULL, NULL), ERR_INVAL);
	CHECK_EQ(atomic_load(gen), 0);
	CHECK_EQ(urpc_rx_set_barrier(&p.b, count_barrier, NULL), ERR_OK);
	CHECK_EQ(atomic_load(gen), URPC_SLEEP_BARRIER);
	CHECK(!urpc_pending(&p.b));                     /* polling: no B */
	CHECK_EQ(n_barrier, 0);
	CHECK_EQ(send_msg(&p.a, 1, 8), ERR_OK);
	CHECK_EQ(n_notify, 0);
	CHECK(urpc_pending(&p.b));
	expect_msg(&p.b, 1, 8);
	CHECK_EQ(n_barrier, 0);
	urpc_rx_sleep_begin(&p.b);
	CHECK_EQ(atomic_load(gen), URPC_SLEEP_BARRIER | 1);
	CHECK(!urpc_pending(&p.b));                     /* R3 runs B */
	CHECK_EQ(n_barrier, 1);
	CHECK_EQ(send_msg(&p.a, 2, 8), ERR_OK);
	CHECK_EQ(n_notify, 1);
	CHECK_EQ(send_msg(&p.a, 3, 8), ERR_OK);
	CHECK_EQ(n_notify, 1);                          /* coalesced */
	urpc_rx_sleep_end(&p.b);
	CHECK_EQ(atomic_load(gen), URPC_SLEEP_BARRIER | 2);
	CHECK(urpc_pending(&p.b));
	CHECK_EQ(n_barrier, 1);
	urpc_rx_sleep_begin(&p.b);                      /* a new sleep */
	CHECK_EQ(send_msg(&p.a, 4, 8), ERR_OK);
	CHECK_EQ(n_notify, 2);
	urpc_rx_sleep_end(&p.b);
	/* the other direction is independent: side a keeps the fence */
	CHECK_EQ(atomic_load(&p.a.rx.own->sleep.gen), 0);
	pair_close(&p);
}

/*
 * urpc_send_async: no notification until the kick; the kick notifies a
 * sleeping receiver once for the whole burst; ERR_FULL kicks by itself;
 * every size round-trips intact.
 */
static void t_send_async(void)
{
	static uint8_t buf[2048];
	struct pair p;
	uint32_t id = 0;

	pair_open(&p, 8, 0xfffffffeu);                  /* wraps at once */
	urpc_rx_sleep_begin(&p.b);
	for (size_t len = 0; len <= URPC_SLOT_PAYLOAD; len += 9) {
		msg_fill(buf, id, len);
		CHECK_EQ(urpc_send_async(&p.a, (uint16_t)id, buf, len), ERR_OK);
		id++;
	}
	CHECK_EQ(n_notify, 0);                          /* not yet kicked */
	urpc_tx_kick(&p.a);
	CHECK_EQ(n_notify, 1);
	urpc_tx_kick(&p.a);
	CHECK_EQ(n_notify, 1);                          /* once per sleep */
	urpc_rx_sleep_end(&p.b);
	id = 0;
	for (size_t len = 0; len <= URPC_SLOT_PAYLOAD; len += 9)
		expect_msg(&p.b, id++, len);
	/* a full ring: ERR_FULL, nothing written, and the receiver woken */
	urpc_rx_sleep_begin(&p.b);
	while (send_msg(&p.a, id, 8) == ERR_OK)
		id++;
	CHECK_EQ(n_notify, 2);
	urpc_rx_sleep_end(&p.b);
	urpc_rx_sleep_begin(&p.b);                      /* a new sleep */
	msg_fill(buf, id, 8);
	CHECK_EQ(urpc_send_async(&p.a, 1, buf, 8), ERR_FULL);
	CHECK_EQ(n_notify, 3);
	urpc_rx_sleep_end(&p.b);
	/* longer messages and bad arguments go the general way */
	while (urpc_pending(&p.b)) {
		uint16_t type;
		size_t got;

		CHECK_EQ(urpc_try_recv(&p.b, &type, buf, sizeof buf, &got),
			 ERR_OK);
	}
	msg_fill(buf, 500, 100);
	CHECK_EQ(urpc_send_async(&p.a, 500, buf, 100), ERR_OK);
	expect_msg(&p.b, 500, 100);
	CHECK_EQ(urpc_send_async(&p.a, URPC_TYPE_MAX + 1, buf, 8), ERR_INVAL);
	CHECK_EQ(urpc_send_async(&p.a, 1, NULL, 8), ERR_INVAL);
	CHECK_EQ(urpc_send_async(&p.a, 1, buf, urpc_max_msg(&p.a) + 1),
		 ERR_TOOBIG);
	CHECK(!urpc_pending(&p.b));
	pair_close(&p);
}

/* A tracer that counts what it is called for (urpc.h, "Tracing hook"). */
static volatile uint32_t trace_switch;
static unsigned n_traced[URPC_TR_WAKE + 1];

static void trace_count(unsigned ev, const struct urpc_chan *c, uint32_t n,
			uint64_t w)
{
	(void)c, (void)n, (void)w;
	n_traced[ev]++;
}

/* Tracing on (counts reset) or back to the library's own switch. */
static void tracing(bool on)
{
	static struct urpc_tracer saved;

	if (on) {
		saved = urpc_tracer;
		memset(n_traced, 0, sizeof n_traced);
		trace_switch = 1;
		urpc_tracer.on = &trace_switch;
		urpc_tracer.fn = trace_count;
	} else {
		urpc_tracer = saved;
	}
}

/*
 * A burst: the same messages in the same slots as urpc_send_async, the
 * sleep check once at the end, ERR_FULL with the receiver woken, the
 * channel's head right after any message that went out of line.
 */
static void t_burst(void)
{
	static uint8_t buf[2048];
	struct urpc_burst b;
	struct pair p;
	uint32_t id = 0, sent = 0;

	pair_open(&p, 8, 0xfffffffeu);                  /* wraps at once */
	urpc_rx_sleep_begin(&p.b);
	urpc_burst_begin(&p.a, &b);
	for (size_t len = 0; len <= URPC_SLOT_PAYLOAD; len += 9) {
		msg_fill(buf, id, len);
		CHECK_EQ(urpc_burst_send(&b, (uint16_t)id, buf, len), ERR_OK);
		id++;
	}
	CHECK_EQ(n_notify, 0);                          /* not yet kicked */
	CHECK_EQ(p.a.tx.head, 0xfffffffeu);             /* in registers */
	urpc_burst_end(&b);
	CHECK_EQ(n_notify, 1);
	CHECK_EQ(p.a.tx.head, 0xfffffffeu + id);
	urpc_rx_sleep_end(&p.b);
	id = 0;
	for (size_t len = 0; len <= URPC_SLOT_PAYLOAD; len += 9)
		expect_msg(&p.b, id++, len);
	/* a full ring: ERR_FULL, nothing written, and the receiver woken */
	urpc_rx_sleep_begin(&p.b);
	urpc_burst_begin(&p.a, &b);
	msg_fill(buf, 100, 8);
	while (urpc_burst_send(&b, 100, buf, 8) == ERR_OK)
		sent++;
	CHECK_EQ(n_notify, 2);
	CHECK_EQ(urpc_burst_send(&b, 100, buf, 8), ERR_FULL);
	urpc_burst_end(&b);
	urpc_rx_sleep_end(&p.b);
	CHECK_EQ(sent, 8u);
	for (uint32_t i = 0; i < sent; i++)
		expect_msg(&p.b, 100, 8);
	CHECK(!urpc_pending(&p.b));
	urpc_rx_sleep_begin(&p.b);                      /* publishes the credit */
	urpc_rx_sleep_end(&p.b);
	/* longer messages and bad arguments go out of line; the head follows */
	urpc_burst_begin(&p.a, &b);
	msg_fill(buf, 500, 100);
	CHECK_EQ(urpc_burst_send(&b, 500, buf, 100), ERR_OK);
	msg_fill(buf, 501, 16);
	CHECK_EQ(urpc_burst_send(&b, 501, buf, 16), ERR_OK);
	CHECK_EQ(urpc_burst_send(&b, URPC_TYPE_MAX + 1, buf, 8), ERR_INVAL);
	CHECK_EQ(urpc_burst_send(&b, 1, NULL, 8), ERR_INVAL);
	CHECK_EQ(urpc_burst_send(&b, 1, buf, urpc_max_msg(&p.a) + 1),
		 ERR_TOOBIG);
	urpc_burst_end(&b);
	expect_msg(&p.b, 500, 100);
	expect_msg(&p.b, 501, 16);
	CHECK(!urpc_pending(&p.b));
	/* while tracing, every message goes out of line and is traced */
	tracing(true);
	urpc_burst_begin(&p.a, &b);
	msg_fill(buf, 7, 8);
	CHECK_EQ(urpc_burst_send(&b, 7, buf, 8), ERR_OK);
	CHECK_EQ(urpc_burst_send(&b, 7, buf, 8), ERR_OK);
	urpc_burst_end(&b);
	CHECK_EQ(n_traced[URPC_TR_SEND], 2u);
	tracing(false);
	expect_msg(&p.b, 7, 8);
	expect_msg(&p.b, 7, 8);
	pair_close(&p);
}

/*
 * A drain: messages lent in order, the credit every quarter ring once
 * released, a message peeked and not released left queued, ERR_TOOBIG for
 * several slots, ERR_EMPTY when the poll runs out, a broken channel's
 * error from then on.
 */
static void t_drain(void)
{
	struct urpc_drain d;
	const void *data = NULL;
	_Atomic uint32_t *credit;
	uint16_t type = 0;
	size_t len = 0;
	struct pair p;

	pair_open(&p, 16, 0xfffffff0u);                 /* wraps inside */
	credit = &p.b.rx.own->credit.consumed;
	for (uint32_t i = 0; i < 6; i++)
		CHECK_EQ(send_msg(&p.a, i, 8 * i), ERR_OK);
	CHECK_EQ(send_msg(&p.a, 6, 57), ERR_OK);        /* two slots */
	CHECK_EQ(send_msg(&p.a, 7, 56), ERR_OK);
	urpc_drain_begin(&p.b, &d);
	for (uint32_t i = 0; i < 6; i++) {
		CHECK_EQ(urpc_drain_peek(&d, &type, &data, &len, 0), ERR_OK);
		CHECK_EQ(type, i);
		CHECK_EQ(len, 8 * i);
		if (len)
			CHECK_EQ(((const uint8_t *)data)[len - 1],
				 msg_byte(i, len - 1));
		CHECK_EQ(atomic_load(credit), 0xfffffff0u + (i < 4 ? 0 : 4));
		urpc_drain_release(&d);
		/* the tail ends a quarter ring: published at the release */
		CHECK_EQ(atomic_load(credit), 0xfffffff0u + (i < 3 ? 0 : 4));
	}
	CHECK_EQ(p.b.rx.tail, 0xfffffff0u + 4);         /* in registers */
	CHECK_EQ(urpc_drain_peek(&d, &type, &data, &len, 0), ERR_TOOBIG);
	CHECK_EQ(len, 57);
	urpc_drain_end(&d);
	CHECK_EQ(p.b.rx.tail, 0xfffffff0u + 6);
	expect_msg(&p.b, 6, 57);
	urpc_drain_begin(&p.b, &d);
	CHECK_EQ(urpc_drain_peek(&d, &type, &data, &len, 3), ERR_OK);
	CHECK_EQ(type, 7);
	urpc_drain_end(&d);                             /* not released */
	expect_msg(&p.b, 7, 56);
	urpc_drain_begin(&p.b, &d);
	CHECK_EQ(urpc_drain_peek(&d, &type, &data, &len, 5), ERR_EMPTY);
	urpc_drain_end(&d);
	/* while tracing, every release is traced */
	tracing(true);
	CHECK_EQ(send_msg(&p.a, 8, 8), ERR_OK);
	CHECK_EQ(send_msg(&p.a, 9, 8), ERR_OK);
	urpc_drain_begin(&p.b, &d);
	for (uint32_t i = 0; i < 2; i++) {
		CHECK_EQ(urpc_drain_peek(&d, &type, &data, &len, 0), ERR_OK);
		CHECK_EQ(type, 8 + i);
		urpc_drain_release(&d);
	}
	urpc_drain_end(&d);
	CHECK_EQ(n_traced[URPC_TR_RECV], 2u);
	tracing(false);
	/* a malformed first word breaks the channel, for good */
	CHECK_EQ(send_msg(&p.a, 10, 8), ERR_OK);
	atomic_store(&p.a.tx.slots[(p.a.tx.head - 1) & p.a.tx.mask].ctrl,
		     URPC_CTRL(p.a.tx.head, 7 * URPC_SLOT_PAYLOAD, 10, 0));
	urpc_drain_begin(&p.b, &d);
	CHECK_EQ(urpc_drain_peek(&d, &type, &data, &len, 0), ERR_SYNTAX);
	CHECK_EQ(urpc_drain_peek(&d, &type, &data, &len, 0), ERR_SYNTAX);
	urpc_drain_end(&d);
	CHECK_EQ(urpc_try_recv(&p.b, NULL, NULL, 0, NULL), ERR_SYNTAX);
	pair_close(&p);
}

/* urpc_recv sleeps when nothing comes, and returns what arrived. */
static struct pair *g_pair;

static void peer_sends(void)
{
	CHECK_EQ(send_msg(&g_pair->a, 77, 70), ERR_OK);
}

static void peer_sends_six(void)
{
	static const uint8_t six[6] = { 1, 2, 3, 4, 5, 6 };

	CHECK_EQ(urpc_send(&g_pair->a, 12, six, sizeof six), ERR_OK);
}

static void t_recv_sleeps_and_wakes(void)
{
	static uint8_t buf[256];
	struct pair p;
	uint16_t type = 0;
	size_t len = 0;

	pair_open(&p, 8, 0);
	g_pair = &p;
	while_asleep = peer_sends;
	CHECK_EQ(urpc_recv(&p.b, &type, buf, sizeof buf, &len, 10), ERR_OK);
	CHECK_EQ(n_wait, 1);
	CHECK_EQ(n_notify, 1);          /* the sender saw the sleep */
	CHECK_EQ(type, 77);
	CHECK_EQ(len, 70);
	CHECK_EQ(atomic_load(&p.b.rx.own->sleep.gen) & 1, 0);  /* awake */
	/* a message already there: no sleep at all, even with 0 spins */
	CHECK_EQ(send_msg(&p.a, 78, 1), ERR_OK);
	CHECK_EQ(urpc_recv(&p.b, &type, buf, sizeof buf, &len, 0), ERR_OK);
	CHECK_EQ(n_wait, 1);
	CHECK_EQ(type, 78);
	CHECK_EQ(p.b.rx.waits, 1u);     /* one sleep blocked */
	pair_close(&p);
}

static void peer_sends_short(void)
{
	CHECK_EQ(send_msg(&g_pair->a, 79, 40), ERR_OK);
}

static void peer_sends_quarter(void)
{
	CHECK_EQ(send_msg(&g_pair->a, 81, 8), ERR_OK);
	CHECK_EQ(send_msg(&g_pair->a, 82, 8), ERR_OK);
}

/* A wake to a quarter ring queued doubles the poll; a wake to less halves it. */
static void t_recv_adapts_to_streams(void)
{
	static uint8_t buf[64];
	struct pair p;
	uint16_t type = 0;
	size_t len = 0;

	pair_open(&p, 8, 0);                    /* a quarter ring: 2 slots */
	g_pair = &p;
	CHECK_EQ(p.b.rx.spin_shift, 0u);
	while_asleep = peer_sends_quarter;
	CHECK_EQ(urpc_recv(&p.b, &type, buf, sizeof buf, &len, 3), ERR_OK);
	CHECK_EQ(type, 81);
	CHECK_EQ(p.b.rx.spin_shift, 1u);
	CHECK_EQ(urpc_recv(&p.b, &type, buf, sizeof buf, &len, 3), ERR_OK);
	CHECK_EQ(type, 82);
	CHECK_EQ(n_wait, 1);                    /* the second was there */
	for (unsigned i = 0; i < URPC_SPIN_SHIFT_MAX + 2; i++) {
		CHECK_EQ(urpc_recv(&p.b, &type, buf, sizeof buf, &len, 3), ERR_OK);
		CHECK_EQ(urpc_recv(&p.b, &type, buf, sizeof buf, &len, 3), ERR_OK);
	}
	CHECK_EQ(p.b.rx.spin_shift, (uint32_t)URPC_SPIN_SHIFT_MAX);
	while_asleep = peer_sends_short;
	CHECK_EQ(urpc_recv(&p.b, &type, buf, sizeof buf, &len, 3), ERR_OK);
	CHECK_EQ(type, 79);
	CHECK_EQ(p.b.rx.spin_shift, (uint32_t)URPC_SPIN_SHIFT_MAX - 1);
	CHECK_EQ(p.b.rx.waits, (uint32_t)URPC_SPIN_SHIFT_MAX + 4);
	pair_close(&p);
}

/* urpc_peek_wait: sleeps like urpc_recv, then lends the slot. */
static void t_peek_wait(void)
{
	struct pair p;
	const void *data = NULL;
	uint16_t type = 0;
	size_t len = 0;

	pair_open(&p, 8, 0);
	g_pair = &p;
	while_asleep = peer_sends_short;
	CHECK_EQ(urpc_peek_wait(&p.b, &type, &data, &len, 10), ERR_OK);
	CHECK_EQ(n_wait, 1);
	CHECK_EQ(n_notify, 1);
	CHECK_EQ(p.b.rx.waits, 1u);
	CHECK_EQ(type, 79);
	CHECK_EQ(len, 40);
	CHECK(data != NULL);
	if (data)
		CHECK_EQ(((const uint8_t *)data)[39], msg_byte(79, 39));
	CHECK_EQ(p.b.rx.tail, 0u);              /* lent, not consumed */
	urpc_release(&p.b);
	CHECK_EQ(p.b.rx.tail, 1u);
	/* already there: no sleep; a long one stays queued (ERR_TOOBIG) */
	CHECK_EQ(send_msg(&p.a, 80, 100), ERR_OK);
	CHECK_EQ(urpc_peek_wait(&p.b, &type, &data, &len, 0), ERR_TOOBIG);
	CHECK_EQ(len, 100);
	CHECK_EQ(n_wait, 1);
	expect_msg(&p.b, 80, 100);
	pair_close(&p);
}

/* Every length 0..56 crosses the one-slot fast paths intact. */
static void t_single_slot_sizes(void)
{
	struct pair p;

	pair_open(&p, 4, 0xfffffff0u);
	for (uint32_t len = 0; len <= URPC_SLOT_PAYLOAD; len++) {
		CHECK_EQ(send_msg(&p.a, 100 + len, len), ERR_OK);
		expect_msg(&p.b, 100 + len, len);
	}
	pair_close(&p);
}

/*
 * A receive into a small buffer of constant size (fastpath.h,
 * URPC_RX_OWN_BUF): a message that fills it in line, a shorter one out of
 * line with the bytes after it unchanged, a longer one ERR_TOOBIG with the
 * buffer unchanged; the same through urpc_recv after a sleep.
 */
static void t_small_const_buffer(void)
{
	static const uint8_t six[6] = { 1, 2, 3, 4, 5, 6 };
	uint64_t v, w = 0;
	uint16_t type = 0;
	size_t len = 0;
	struct pair p;

	pair_open(&p, 8, 0xfffffffcu);
	for (uint32_t lap = 0; lap < 12; lap++) {       /* past the wrap */
		v = 0x1111111111111111ull * (lap + 1);
		CHECK_EQ(urpc_send(&p.a, 9, &v, sizeof v), ERR_OK);
		v = 0;
		CHECK_EQ(urpc_try_recv(&p.b, &type, &v, sizeof v, &len), ERR_OK);
		CHECK_EQ(v, 0x1111111111111111ull * (lap + 1));
		CHECK_EQ(type, 9);
		CHECK_EQ(len, sizeof v);
	}
	CHECK_EQ(urpc_send(&p.a, 10, six, sizeof six), ERR_OK);
	v = ~0ull;
	CHECK_EQ(urpc_try_recv(&p.b, &type, &v, sizeof v, &len), ERR_OK);
	CHECK_EQ(len, 6);
	CHECK_EQ(type, 10);
	CHECK_EQ(memcmp(&v, six, 6), 0);
	CHECK_EQ(v >> 48, 0xffffu);                     /* not written */
	CHECK_EQ(urpc_send(&p.a, 11, &v, sizeof v), ERR_OK);
	CHECK_EQ(urpc_try_recv(&p.b, &type, &w, 4, &len), ERR_TOOBIG);
	CHECK_EQ(len, 8);
	CHECK_EQ(w, 0u);
	CHECK_EQ(urpc_try_recv(&p.b, &type, &w, sizeof w, &len), ERR_OK);
	CHECK_EQ(w, v);
	/* urpc_recv's sleeping half: a shorter message after the wait */
	g_pair = &p;
	while_asleep = peer_sends_six;
	w = ~0ull;
	CHECK_EQ(urpc_recv(&p.b, &type, &w, sizeof w, &len, 2), ERR_OK);
	CHECK_EQ(len, 6);
	CHECK_EQ(memcmp(&w, six, 6), 0);
	CHECK_EQ(w >> 48, 0xffffu);
	while_asleep = NULL;
	pair_close(&p);
}

/* urpc_peek lends the slot, urpc_release returns it; long messages refused. */
static void t_peek_release(void)
{
	struct pair p;
	const void *data = NULL;
	uint16_t type = 0;
	size_t len = 0;
	uint32_t tail;

	pair_open(&p, 4, 0);
	CHECK_EQ(urpc_peek(&p.b, &type, &data, &len), ERR_EMPTY);
	urpc_release(&p.b);                     /* nothing lent: no effect */
	CHECK_EQ(p.b.rx.tail, 0u);
	CHECK_EQ(send_msg(&p.a, 5, 56), ERR_OK);
	CHECK_EQ(send_msg(&p.a, 6, 57), ERR_OK);        /* two slots */
	tail = p.b.rx.tail;
	CHECK_EQ(urpc_peek(&p.b, &type, &data, &len), ERR_OK);
	CHECK_EQ(type, 5);
	CHECK_EQ(len, 56);
	CHECK_EQ(((const uint8_t *)data)[55], msg_byte(5, 55));
	CHECK_EQ(p.b.rx.tail, tail);            /* not consumed yet */
	CHECK_EQ(urpc_peek(&p.b, &type, &data, &len), ERR_OK);  /* same one */
	CHECK_EQ(type, 5);
	urpc_release(&p.b);
	urpc_release(&p.b);                     /* second release: nothing */
	CHECK_EQ(p.b.rx.tail, tail + 1);
	CHECK_EQ(urpc_peek(&p.b, &type, &data, &len), ERR_TOOBIG);
	CHECK_EQ(len, 57);
	CHECK_EQ(p.b.rx.tail, tail + 1);
	expect_msg(&p.b, 6, 57);
	/* the ring fills only up to what was released */
	for (uint32_t i = 0; i < 4; i++)
		CHECK_EQ(send_msg(&p.a, 10 + i, 8), ERR_OK);
	CHECK_EQ(send_msg(&p.a, 14, 8), ERR_FULL);
	CHECK_EQ(urpc_peek(&p.b, &type, &data, &len), ERR_OK);
	CHECK_EQ(send_msg(&p.a, 14, 8), ERR_FULL);      /* still lent */
	urpc_release(&p.b);
	urpc_rx_sleep_begin(&p.b);              /* publishes the credit */
	urpc_rx_sleep_end(&p.b);
	CHECK_EQ(send_msg(&p.a, 14, 8), ERR_OK);
	pair_close(&p);
}

/* A peer that stops consuming: the sender gets ERR_FULL, never spins. */
static void t_stalled_peer_full(void)
{
	struct pair p;
	uint32_t sent = 0;

	pair_open(&p, 8, 0);
	while (send_msg(&p.a, sent, 8) == ERR_OK)
		sent++;
	CHECK_EQ(sent, 8u);
	for (int i = 0; i < 1000; i++)
		CHECK_EQ(send_msg(&p.a, 99, 8), ERR_FULL);
	CHECK_EQ(send_msg(&p.a, 99, 100), ERR_FULL);
	pair_close(&p);
}

/* urpc_sleep: the order of the steps, over several sources. */
static char sleep_log[64];
static size_t sleep_log_n;
static bool sleep_ready;

static void log_step(char c)
{
	if (sleep_log_n + 1 < sizeof sleep_log)
		sleep_log[sleep_log_n++] = c;
	sleep_log[sleep_log_n] = 0;
}

static void s_announce(void *ctx, size_t i)
{
	(void)ctx;
	log_step((char)('a' + i));
}

static bool s_recheck(void *ctx)
{
	(void)ctx;
	log_step('?');
	return sleep_ready;
}

static void s_wait(void *ctx)
{
	(void)ctx;
	log_step('W');
}

static void s_withdraw(void *ctx, size_t i)
{
	(void)ctx;
	log_step((char)('A' + i));
}

static void t_sleep_steps(void)
{
	static const struct urpc_sleep_ops ops = {
		s_announce, s_recheck, s_wait, s_withdraw,
	};
	static const struct urpc_sleep_ops bare = {
		NULL, s_recheck, s_wait, NULL,
	};

	sleep_log_n = 0;
	sleep_ready = false;
	CHECK(urpc_sleep(&ops, NULL, 3));
	CHECK_STR(sleep_log, "abc?WABC");
	sleep_log_n = 0;
	sleep_ready = true;
	CHECK(!urpc_sleep(&ops, NULL, 2));
	CHECK_STR(sleep_log, "ab?AB");
	sleep_log_n = 0;
	sleep_ready = false;
	CHECK(urpc_sleep(&bare, NULL, 2));
	CHECK_STR(sleep_log, "?W");
}

static void t_waitset_round_robin(void)
{
	struct pair p[3];
	struct urpc_chan *slots[3], *c;
	struct urpc_waitset ws;
	uint8_t buf[64];

	for (int i = 0; i < 3; i++)
		pair_open(&p[i], 16, 0);
	urpc_waitset_init(&ws, slots, 3, &stubs);
	CHECK_EQ(urpc_waitset_poll(&ws), NULL);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(urpc_waitset_add(&ws, &p[i].b), ERR_OK);
	CHECK_EQ(urpc_waitset_add(&ws, &p[0].b), ERR_EXIST);
	CHECK_EQ(urpc_waitset_add(&ws, &p[0].a), ERR_FULL);
	for (int i = 0; i < 3; i++)                     /* 0 busier */
		for (uint32_t k = 0; k < (i == 0 ? 9u : 3u); k++)
			CHECK_EQ(send_msg(&p[i].a, k, 4), ERR_OK);
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 3; i++) {
			c = urpc_waitset_poll(&ws);
			CHECK(c == &p[i].b);
			if (c)
				CHECK_EQ(urpc_try_recv(c, NULL, buf, 64, NULL),
					 ERR_OK);
		}
	for (int k = 0; k < 6; k++) {                   /* only 0 left */
		c = urpc_waitset_poll(&ws);
		CHECK(c == &p[0].b);
		if (c)
			urpc_try_recv(c, NULL, buf, 64, NULL);
	}
	CHECK_EQ(urpc_waitset_poll(&ws), NULL);
	CHECK_EQ(urpc_waitset_remove(&ws, &p[1].b), ERR_OK);
	CHECK_EQ(urpc_waitset_remove(&ws, &p[1].b), ERR_NOENT);
	CHECK_EQ(ws.n, 2);
	for (int i = 0; i < 3; i++)
		pair_close(&p[i]);
}

static struct pair *g_ws_pairs;

static void ws_peer_sends(void)
{
	CHECK_EQ(send_msg(&g_ws_pairs[2].a, 5, 5), ERR_OK);
}

static void t_waitset_sleeps_and_wakes(void)
{
	struct pair p[3];
	struct urpc_chan *slots[3];
	struct urpc_waitset ws;

	for (int i = 0; i < 3; i++)
		pair_open(&p[i], 8, 0);
	urpc_waitset_init(&ws, slots, 3, &stubs);
	CHECK_EQ(urpc_waitset_wait(&ws, 5), NULL);      /* empty set */
	for (int i = 0; i < 3; i++)
		urpc_waitset_add(&ws, &p[i].b);
	g_ws_pairs = p;
	while_asleep = ws_peer_sends;
	CHECK(urpc_waitset_wait(&ws, 5) == &p[2].b);
	CHECK_EQ(n_wait, 1);
	CHECK_EQ(n_notify, 1);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(atomic_load(&p[i].b.rx.own->sleep.gen) & 1, 0);
	expect_msg(&p[2].b, 5, 5);
	for (int i = 0; i < 3; i++)
		pair_close(&p[i]);
}

/*
 * urpc_rx_sender_may_wait: true whenever a send was refused for room, by
 * the credit published last; false on an emptier ring; right across laps
 * and with a counter start near 2^32.
 */
static void t_sender_may_wait(void)
{
	static const uint32_t starts[] = { 0, 0xfffffff0u };
	for (unsigned k = 0; k < 2; k++) {
		struct pair p;
		pair_open(&p, 16, starts[k]);
		uint8_t big[URPC_SLOT_PAYLOAD * 9];
		memset(big, 1, sizeof big);
		for (unsigned lap = 0; lap < 5; lap++) {
			CHECK(!urpc_rx_sender_may_wait(&p.b));
			unsigned sent = 0;
			size_t size = lap % 2 ? 8 : sizeof big;  /* one slot, nine */
			while (urpc_send(&p.a, 1, big, size) == ERR_OK)
				sent++;
			CHECK(sent >= 1);
			CHECK(urpc_rx_sender_may_wait(&p.b));    /* a send was refused */
			uint16_t type;
			size_t len;
			while (urpc_try_recv(&p.b, &type, big, sizeof big, &len) == ERR_OK)
				;
			urpc_rx_sleep_begin(&p.b);                 /* publishes the rest */
			urpc_rx_sleep_end(&p.b);
			CHECK(!urpc_rx_sender_may_wait(&p.b));   /* drained */
			CHECK_EQ(urpc_send(&p.a, 1, big, 8), ERR_OK);
			CHECK(!urpc_rx_sender_may_wait(&p.b));   /* one slot: room enough */
			CHECK_EQ(urpc_try_recv(&p.b, &type, big, sizeof big, &len), ERR_OK);
			urpc_rx_sleep_begin(&p.b);
			urpc_rx_sleep_end(&p.b);
		}
		pair_close(&p);
	}
}

/*
 * urpc_rx_ring_full: true exactly when a one-slot send is refused, with
 * the receiver's published credit lagging its tail, across laps and with
 * a counter start near 2^32.
 */
static void t_ring_full(void)
{
	static const uint32_t starts[] = { 0, 0xfffffff0u };
	for (unsigned k = 0; k < 2; k++) {
		struct pair p;
		pair_open(&p, 16, starts[k]);
		uint64_t v = 7;
		for (unsigned lap = 0; lap < 5; lap++) {
			for (unsigned i = 0;               /* a lag of 1..3 */
			     i < 1 + lap || p.b.rx.published == p.b.rx.tail; i++) {
				CHECK_EQ(urpc_send(&p.a, 1, &v, 8), ERR_OK);
				CHECK_EQ(urpc_try_recv(&p.b, NULL, &v, 8, NULL), ERR_OK);
			}
			err_t e = ERR_OK;
			while (!urpc_rx_ring_full(&p.b) && e == ERR_OK)
				e = urpc_send(&p.a, 1, &v, 8);
			CHECK_EQ(e, ERR_OK);                /* full: not before */
			CHECK_EQ(urpc_send(&p.a, 1, &v, 8), ERR_FULL);
			while (urpc_try_recv(&p.b, NULL, &v, 8, NULL) == ERR_OK)
				;
			urpc_rx_sleep_begin(&p.b);                 /* publishes the rest */
			urpc_rx_sleep_end(&p.b);
			CHECK(!urpc_rx_ring_full(&p.b));
		}
		pair_close(&p);
	}
}

int main(void)
{
	RUN(t_layout_checks);
	RUN(t_both_directions);
	RUN(t_full_backpressure);
	RUN(t_sender_may_wait);
	RUN(t_ring_full);
	RUN(t_wrap_many_laps);
	RUN(t_counter_wrap_2_32);
	RUN(t_multi_slot_sizes);
	RUN(t_batch_send);
	RUN(t_oversized_rejected);
	RUN(t_malformed_rejected);
	RUN(t_credit_batching);
	RUN(t_notify_only_when_asleep);
	RUN(t_recv_sleeps_and_wakes);
	RUN(t_single_slot_sizes);
	RUN(t_small_const_buffer);
	RUN(t_peek_release);
	RUN(t_peek_wait);
	RUN(t_recv_adapts_to_streams);
	RUN(t_stalled_peer_full);
	RUN(t_sleep_steps);
	RUN(t_fence_free_mode);
	RUN(t_send_async);
	RUN(t_burst);
	RUN(t_drain);
	RUN(t_waitset_round_robin);
	RUN(t_waitset_sleeps_and_wakes);
	return test_summary();
}
