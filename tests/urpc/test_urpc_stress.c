/*
 * Two pinned threads exchange messages in both directions at once over one
 * channel; every message is checked: sequence number, type, length (sizes
 * vary from one slot to the largest multi-slot message) and a checksum of
 * the payload compared with the one its contents must have.
 *
 *   test_urpc_stress [count] [nslots]
 *
 * count messages go each way (default URPC_STRESS_DEFAULT: 500000, and
 * 100000 in the TSan build, bounded so `make test` stays short; pass a few
 * million for a long run: build/host/test_urpc_stress 5000000).  The
 * sender mixes single sends and batches (bursts in t_both_ways_streams,
 * whose receivers take messages with drains); a side that has sent everything
 * drains with the blocking urpc_recv, so the sleep protocol runs too, with
 * a futex wait whose timeout would reveal a lost wake-up.  Built twice:
 * with ASan/UBSan and with TSan.
 */
#define TEST_PROGRAM "urpc_stress"
#include "test.h"
#include "urpc_linux.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef URPC_STRESS_DEFAULT
#define URPC_STRESS_DEFAULT 500000
#endif
#define HDR 12                          /* u64 sequence, u32 checksum */

static uint64_t count = URPC_STRESS_DEFAULT;
static uint32_t nslots = 32;

struct side {
	struct urpc_chan chan;
	unsigned idx;
	uint64_t to_send, to_recv;      /* messages this side sends, gets */
	uint64_t sent, recvd, full;
	uint8_t out[8][65536], in[65536];
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

/* Length of message `seq`: mostly one slot, one in eight multi-slot. */
static size_t msg_len(uint64_t seq, uint32_t max)
{
	uint64_t r = mix(seq);

	if (r % 8 == 0)
		return HDR + (size_t)(r >> 8) % (max - HDR + 1);
	return HDR + (size_t)(r >> 8) % (URPC_SLOT_PAYLOAD - HDR + 1);
}

static uint32_t checksum(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static uint8_t body_byte(uint64_t seq, size_t i)
{
	return (uint8_t)(seq * 29u + i * 13u);
}

static uint32_t body_sum(uint64_t seq, size_t len)
{
	uint8_t b[65536];

	for (size_t i = HDR; i < len; i++)
		b[i] = body_byte(seq, i);
	return checksum(b + HDR, len - HDR);
}

static void fail(struct side *s, const char *why, uint64_t seq)
{
	printf("TEST %s.side%u FAIL: %s at message %llu\n", TEST_PROGRAM,
	       s->idx, why, (unsigned long long)seq);
	fflush(stdout);
	_exit(1);
}

static size_t build(uint8_t *buf, uint64_t seq, uint32_t max)
{
	size_t len = msg_len(seq, max);
	uint32_t sum;

	for (size_t i = HDR; i < len; i++)
		buf[i] = body_byte(seq, i);
	sum = checksum(buf + HDR, len - HDR);
	__builtin_memcpy(buf, &seq, 8);
	__builtin_memcpy(buf + 8, &sum, 4);
	return len;
}

/* Bursts and drains (urpc_burst_*, urpc_drain_*) instead of batches and
 * try_recv. */
static bool streams;

/* Send a batch of 1..8 messages, as many as fit (a burst with streams). */
static void send_some(struct side *s)
{
	struct urpc_msg m[8];
	size_t n = 1 + mix(s->sent ^ 0x5555) % 8, sent = 0;

	if (n > s->to_send - s->sent)
		n = s->to_send - s->sent;
	for (size_t i = 0; i < n; i++) {
		uint64_t seq = s->sent + i;
		size_t len = build(s->out[i], seq, urpc_max_msg(&s->chan));

		m[i] = (struct urpc_msg){ (uint16_t)(seq & URPC_TYPE_MAX),
					  (uint16_t)len, s->out[i] };
	}
	if (streams && n > 1) {
		struct urpc_burst b;
		err_t e = ERR_OK;

		urpc_burst_begin(&s->chan, &b);
		while (sent < n && (e = urpc_burst_send(&b, m[sent].type,
							 m[sent].data,
							 m[sent].len)) == ERR_OK)
			sent++;
		urpc_burst_end(&b);
		if (e != ERR_OK && e != ERR_FULL)
			fail(s, "burst error", s->sent + sent);
	} else if (n == 1) {
		err_t e = urpc_send(&s->chan, m[0].type, m[0].data, m[0].len);

		sent = e == ERR_OK;
		if (e != ERR_OK && e != ERR_FULL)
			fail(s, "send error", s->sent);
	} else {
		err_t e = urpc_send_batch(&s->chan, m, n, &sent);

		if (e != ERR_OK && e != ERR_FULL)
			fail(s, "batch error", s->sent);
	}
	s->sent += sent;
	s->full += sent < n;
}

static void check(struct side *s, uint16_t type, size_t len)
{
	uint64_t seq;
	uint32_t sum;

	if (len < HDR)
		fail(s, "short message", s->recvd);
	__builtin_memcpy(&seq, s->in, 8);
	__builtin_memcpy(&sum, s->in + 8, 4);
	if (seq != s->recvd)
		fail(s, "wrong sequence", s->recvd);
	if (type != (seq & URPC_TYPE_MAX))
		fail(s, "wrong type", seq);
	if (len != msg_len(seq, urpc_max_msg(&s->chan)))
		fail(s, "wrong length", seq);
	if (sum != checksum(s->in + HDR, len - HDR) || sum != body_sum(seq, len))
		fail(s, "checksum mismatch", seq);
	s->recvd++;
}

/*
 * Up to 64 messages with a drain, copied out of their slots before the
 * check; a message of several slots ends the drain and is received with
 * urpc_try_recv.
 */
static void drain_some(struct side *s)
{
	struct urpc_drain d;
	const void *p;
	uint16_t type;
	size_t len;
	err_t e = ERR_OK;

	urpc_drain_begin(&s->chan, &d);
	for (int i = 0; i < 64 && s->recvd < s->to_recv; i++) {
		e = urpc_drain_peek(&d, &type, &p, &len, 4);
		if (e != ERR_OK)
			break;
		__builtin_memcpy(s->in, p, len);
		urpc_drain_release(&d);
		check(s, type, len);
	}
	urpc_drain_end(&d);
	if (e == ERR_TOOBIG) {
		e = urpc_try_recv(&s->chan, &type, s->in, sizeof s->in, &len);
		if (e != ERR_OK)
			fail(s, err_str(e), s->recvd);
		check(s, type, len);
	} else if (e != ERR_OK && e != ERR_EMPTY) {
		fail(s, err_str(e), s->recvd);
	}
}

/* Receive what is there (up to 64), or block if we have sent everything. */
static void recv_some(struct side *s)
{
	uint16_t type;
	size_t len;
	err_t e;

	if (s->sent == s->to_send) {
		e = urpc_recv(&s->chan, &type, s->in, sizeof s->in, &len, 2000);
		if (e != ERR_OK)
			fail(s, err_str(e), s->recvd);
		check(s, type, len);
		return;
	}
	if (streams) {
		drain_some(s);
		return;
	}
	for (int i = 0; i < 64 && s->recvd < s->to_recv; i++) {
		e = urpc_try_recv(&s->chan, &type, s->in, sizeof s->in, &len);
		if (e == ERR_EMPTY)
			return;
		if (e != ERR_OK)
			fail(s, err_str(e), s->recvd);
		check(s, type, len);
	}
}

static void *run(void *arg)
{
	struct side *s = arg;
	unsigned idle = 0;

	urpc_linux_pin(s->idx);
	while (s->sent < s->to_send || s->recvd < s->to_recv) {
		uint64_t before = s->sent + s->recvd;

		if (s->sent < s->to_send)
			send_some(s);
		if (s->recvd < s->to_recv)
			recv_some(s);
		/* both rings stuck: the peer is descheduled; let it run */
		if (s->sent + s->recvd == before && ++idle % 4096 == 0)
			sched_yield();
	}
	return NULL;
}

/* Receivers in fence-free mode (urpc_rx_set_barrier with membarrier). */
static bool fence_free;

/* Side 0 sends n0 messages to side 1, side 1 sends n1 to side 0. */
static void stress(uint64_t n0, uint64_t n1)
{
	static struct side sides[2];
	static struct urpc_linux_waiter waiter[2];
	size_t size;
	void *area = urpc_linux_area(nslots, 0, &size);
	pthread_t th[2];

	__builtin_memset(waiter, 0, sizeof waiter);
	for (unsigned i = 0; i < 2; i++) {
		struct side *s = &sides[i];
		struct urpc_hooks h = urpc_linux_hooks(&waiter[i],
						       &waiter[1 - i]);

		waiter[i].timeout_ms = 10000;
		s->idx = i;
		s->to_send = i ? n1 : n0;
		s->to_recv = i ? n0 : n1;
		s->sent = s->recvd = s->full = 0;
		CHECK_EQ(urpc_chan_init(&s->chan, area, size, i, &h), ERR_OK);
		if (fence_free)
			CHECK_EQ(urpc_rx_set_barrier(&s->chan,
						     urpc_linux_barrier, NULL),
				 ERR_OK);
	}
	for (unsigned i = 0; i < 2; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, run, &sides[i]), 0);
	for (unsigned i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	for (unsigned i = 0; i < 2; i++) {
		CHECK_EQ(sides[i].recvd, sides[i].to_recv);
		CHECK_EQ(atomic_load(&waiter[i].timeouts), 0);
		printf("side %u: %llu received, %llu sends hit a full ring, "
		       "%llu waits, %llu notifies received\n", i,
		       (unsigned long long)sides[i].recvd,
		       (unsigned long long)sides[i].full,
		       (unsigned long long)atomic_load(&waiter[i].waits),
		       (unsigned long long)atomic_load(&waiter[i].notifies));
	}
	free(area);
}

static void t_one_way(void)
{
	stress(count, 0);
}

static void t_both_ways(void)
{
	stress(count, count);
}

static void t_both_ways_fence_free(void)
{
	stress(count, count);
}

static void t_both_ways_streams(void)
{
	streams = true;
	stress(count, count);
	streams = false;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		count = strtoull(argv[1], NULL, 0);
	if (argc > 2)
		nslots = (uint32_t)strtoul(argv[2], NULL, 0);
	if (nslots < URPC_MIN_SLOTS || nslots > 1024 || (nslots & (nslots - 1))) {
		printf("TEST %s.args FAIL: nslots must be a power of two in "
		       "[4, 1024]\n", TEST_PROGRAM);
		return 1;
	}
	RUN(t_one_way);
	RUN(t_both_ways);
	RUN(t_both_ways_streams);
	if (urpc_linux_barrier_init() == 0) {
		fence_free = true;
		RUN(t_both_ways_fence_free);
	} else {
		printf("no membarrier here: fence-free case not run\n");
	}
	return test_summary();
}
