/*
 * serve.c: the server side of one pair: registers its name, accepts one
 * client, echoes PP_PING, counts PP_STREAM, answers PP_STREAM_END with the
 * count, bounces a raw word after PP_RAW_START, answers PP_RING_START's
 * raw ring trips (URPC's memory pattern, no protocol), echoes kernel IPC messages
 * after PP_KIPC_START, exits on PP_DONE.
 * Receives as URPC is meant to be used: polls for a bounded time
 * (PP_SPINS), then sleeps until the sender's notification; in place
 * (urpc_peek_wait).  A PP_STREAM message carries nothing the server
 * reads, so its check is the one pp_msg_check would make (known type from
 * the client, exact length) and it is released without a copy, and the
 * ones queued behind it are taken the same way by a drain (urpc_drain_*); any other
 * message is copied out of the slot first and the copy checked, as a
 * receiver must with a peer that may rewrite the slot.  STREAM_COUNT
 * also says how often the server's receive slept during the stream.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include "pingpong.h"

static void kipc_echo(void)
{
	uint8_t buf[64] __attribute__((aligned(8)));
	for (;;) {
		int64_t n = sys_raw(SYS_IPC_RECV, (uint64_t)buf, 0, 0, 0, 0, 0);
		if (n < 0) {
			printf("kernel IPC receive: %s\n", err_str((err_t)n));
			return;
		}
		uint32_t src_core = *(uint32_t *)buf, src_dom = *(uint32_t *)(buf + 4);
		uint64_t word = *(uint64_t *)(buf + 16);
		if (word == PP_KIPC_END)
			return;
		while (sys_raw(SYS_IPC_SEND, src_core, src_dom, (uint64_t)(buf + 16), 8, 0, 0) ==
		       ERR_FULL)
			sys_yield();
	}
}

/*
 * The raw limit inside the OS: one word of a second channel's memory
 * bounced between the two cores with plain loads and stores (no protocol),
 * as Linux's shared-memory ping-pong does (but without its `pause`, as
 * URPC's poll in the OS): the client writes 2i+1, the
 * server answers 2i+2; PP_RAW_END (odd) ends a block, answered with 0.
 */
static __attribute__((noinline)) void raw_echo(volatile uint64_t *line)
{
	for (;;) {
		uint64_t v;
		while (!((v = *line) & 1))
			;       /* no `pause`: URPC's poll has none in the OS either */
		if (v == PP_RAW_END) {
			*line = 0;
			return;
		}
		*line = v + 1;
	}
}

/*
 * The raw ring: n trips of URPC's memory pattern without its protocol
 * (client.c, ring_block): trip s waits for s + 1 in the word at
 * PP_RING_WORD of slot s & mask of the receiving ring, answers s + 1 in
 * the same word of the sending ring.  *seq counts the trips of every block, as the
 * client's does.
 */
static __attribute__((noinline)) void ring_echo(struct urpc_chan *raw, uint64_t n,
						uint64_t *seq)
{
	const struct urpc_slot *rx = raw->rx.slots;
	struct urpc_slot *tx = raw->tx.slots;
	uint64_t mask = raw->rx.mask, s = *seq;
	for (uint64_t end = s + n; s != end; s++) {
		const volatile uint64_t *in =
			(const volatile uint64_t *)(const void *)&rx[s & mask].payload[PP_RING_WORD];
		while (*in != s + 1)
			;       /* no `pause`, as raw_echo */
		*(volatile uint64_t *)(void *)&tx[s & mask].payload[PP_RING_WORD] = s + 1;
	}
	*seq = s;
}

/*
 * The raw word's (and raw ring's) second channel, accepted (if `accept`)
 * at the first PP_RAW_START; NULL if there is none.
 */
static struct urpc_chan *raw_chan(bool accept)
{
	static struct urpc_chan c;
	static bool have;
	struct mon_new_channel info;
	if (!have && accept && mon_accept(&c, &info, 0) == ERR_OK)
		have = true;
	return have ? &c : NULL;
}

/*
 * URPC's own round trip: echo PP_BARE (8 bytes) with urpc_recv and
 * urpc_send alone, no IDL layer, until PP_BARE_END.  The type and length
 * are the check (the payload is only echoed); anything else ends the
 * phase with an error.  Not inlined (nor raw_echo): tools/tcg-budget.py
 * filters QEMU's logs by each loop's address range.
 */
static __attribute__((noinline)) err_t bare_echo(struct urpc_chan *c)
{
	for (;;) {
		uint64_t v;
		uint16_t type;
		size_t len;
		err_t e = urpc_recv(c, &type, &v, sizeof v, &len, pp_spins);
		/* the echo's checks in one test (one block end under TCG, as bare_trip's) */
		if (__builtin_expect(((uint64_t)e | (type ^ PP_BARE) | (len ^ sizeof v)) != 0, 0)) {
			if (e)
				return e;
			return type == PP_BARE_END && len == 0 ? ERR_OK : ERR_SYNTAX;
		}
		while ((e = urpc_send(c, PP_BARE, &v, sizeof v)) == ERR_FULL)
			;
		if (e)
			return e;
	}
}

/*
 * The stream messages queued after one just taken, in place with the
 * receive state in registers (urpc_drain_*), polling pp_spins times for
 * each; returns how many.  Stops at the first other message (left queued
 * for the main loop, which checks it) or when the poll runs out (the main
 * loop's urpc_peek_wait then polls and sleeps).
 */
static uint64_t drain_stream(struct urpc_chan *c)
{
	unsigned spins = pp_spins;
	struct urpc_drain d;
	uint64_t n = 0;
	const void *p;
	uint16_t type;
	size_t len;

	urpc_drain_begin(c, &d);
	while (urpc_drain_peek(&d, &type, &p, &len, spins) == ERR_OK &&
	       ((type ^ PP_STREAM) | (len ^ sizeof(struct pp_stream))) == 0) {
		n++;            /* what pp_msg_check checks, no copy */
		urpc_drain_release(&d);
	}
	urpc_drain_end(&d);
	return n;
}

static void send_retry(struct urpc_chan *c, uint16_t type, const void *p, size_t n)
{
	while (urpc_send(c, type, p, n) == ERR_FULL)
		;
}

int pp_serve(int argc, char **argv)
{
	const char *name = pp_arg_str(argc, argv, "name", "pp");
	struct urpc_chan c;
	struct mon_new_channel info;
	err_t e = mon_register(name);
	if (!e)
		e = mon_accept(&c, &info, 0);
	if (e) {
		printf("serve %s: %s\n", name, err_str(e));
		return 1;
	}
	union {
		struct pp_ping ping;
		struct pp_trips trips;
		uint8_t raw[URPC_SLOT_PAYLOAD * 4];  /* room to refuse an oversized one */
	} buf;
	struct pp_count streamed = { 0, 0 };
	uint64_t ring_seq = 0;         /* raw ring trips so far */
	uint32_t waits0 = c.rx.waits;
	char why[96];
	for (;;) {
		uint16_t type;
		size_t len;
		const void *p;
		e = urpc_peek_wait(&c, &type, &p, &len, pp_spins);
		if (e == ERR_OK && type == PP_STREAM && len == sizeof(struct pp_stream)) {
			urpc_release(&c);  /* what pp_msg_check checks, no copy */
			streamed.count += 1 + drain_stream(&c);
			continue;
		}
		if (e == ERR_OK) {         /* one slot: copy it out, then check the copy */
			urpc_copy_small(&buf, p, (uint32_t)len);
			urpc_release(&c);
		} else if (e == ERR_TOOBIG) {
			e = urpc_try_recv(&c, &type, &buf, sizeof buf, &len);
		}
		if (e) {
			printf("serve %s: channel: %s\n", name, err_str(e));
			return 1;
		}
		if (pp_msg_check(type, &buf, len, 0, why, sizeof why) ||
		    !pp_may_send(PP_SIDE_CLIENT, type)) {
			printf("serve %s: refused: %s\n", name, why[0] ? why : "not a client message");
			continue;
		}
		if (type == PP_PING)
			send_retry(&c, PP_PING, &buf.ping, sizeof buf.ping);
		else if (type == PP_STREAM)
			streamed.count++;
		else if (type == PP_STREAM_END) {
			streamed.waits = c.rx.waits - waits0;
			send_retry(&c, PP_STREAM_COUNT, &streamed, sizeof streamed);
			streamed.count = 0;
			waits0 = c.rx.waits;
		} else if (type == PP_KIPC_START)
			kipc_echo();
		else if (type == PP_RAW_START) {
			struct urpc_chan *raw = raw_chan(true);
			if (raw)
				raw_echo((volatile uint64_t *)(void *)raw->rx.slots);
			else
				printf("raw: no second channel\n");
		} else if (type == PP_RING_START) {
			struct urpc_chan *raw = raw_chan(false);  /* the client binds it first */
			if (!raw) {
				printf("serve %s: raw ring before the raw word's channel\n", name);
				return 1;
			}
			ring_echo(raw, buf.trips.n, &ring_seq);
		} else if (type == PP_BARE_START) {
			if ((e = bare_echo(&c))) {
				printf("serve %s: bare round trips: %s\n", name, err_str(e));
				return 1;
			}
		}
		else if (type == PP_DONE)
			return 0;
	}
}
