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
 * No wait for the client is unbounded (wait.h): a client gone or silent
 * mid-phase ends the server with a line naming the phase, and its core
 * goes idle.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include "die.h"
#include "pingpong.h"
#include "wait.h"

/*
 * Echo kernel IPC messages until PP_KIPC_END.  The receive waits at most
 * PP_KIPC_TICKS at a time, and a wait that brought nothing is a stall
 * (wait.h): a client gone during the phase ends it.
 */
static err_t kipc_echo(struct pp_stall *st)
{
	uint8_t buf[64] __attribute__((aligned(8)));
	uint64_t trips = 0;
	pp_stall_phase(st, "the kernel IPC round trips", 0);
	for (;; trips++) {
		err_t e = pp_kipc_recv(st, buf, trips);
		if (e)
			return e;
		uint32_t src_core = *(uint32_t *)buf, src_dom = *(uint32_t *)(buf + 4);
		uint64_t word = *(uint64_t *)(buf + 16);
		if (word == PP_KIPC_END)
			return ERR_OK;
		if ((e = pp_kipc_send(st, src_core, src_dom, buf + 16, 8, trips)))
			return e;
	}
}

/*
 * The raw limit inside the OS: one word of a second channel's memory
 * bounced between the two cores with plain loads and stores (no protocol),
 * as Linux's shared-memory ping-pong does (but without its `pause`, as
 * URPC's poll in the OS): the client writes 2i+1, the
 * server answers 2i+2; PP_RAW_END (odd) ends a block, answered with 0.
 */
static __attribute__((noinline)) err_t raw_echo(volatile uint64_t *line, struct pp_stall *st,
						 uint64_t *trips)
{
	uint64_t last = 2 * *trips;     /* our last answer: twice the trips so far */
	pp_stall_phase(st, "the raw word block", 0);
	for (;;) {
		uint64_t v;
		while (!pp_poll_odd(line, &v)) {  /* no `pause`: URPC's poll has none in the OS either */
			err_t e = pp_stall(st, v, last / 2);
			if (e)
				return e;
		}
		if (v == PP_RAW_END) {
			*line = 0;
			*trips = last / 2;
			return ERR_OK;
		}
		last = v + 1;
		*line = last;
	}
}

/*
 * The raw ring: up to n trips of URPC's memory pattern without its
 * protocol (client.c, ring_block): trip s waits for s + 1 in the word at
 * PP_RING_WORD of slot s & mask of the receiving ring, answers s + 1 in
 * the same word of the sending ring.  *seq counts the trips of every
 * block, as the client's does.  Returns the trips made: fewer than n when
 * a burst of polls ran out (wait.h; ring_trips stalls and comes back), so
 * that the loop makes no call and keeps everything in registers.
 */
static __attribute__((noinline)) uint64_t ring_echo(struct urpc_chan *raw, uint64_t n,
						     uint64_t *seq)
{
	const struct urpc_slot *rx = raw->rx.slots;
	struct urpc_slot *tx = raw->tx.slots;
	uint64_t mask = raw->rx.mask, s = *seq, i = 0;
	for (; i < n; i++, s++) {
		const volatile uint64_t *in =
			(const volatile uint64_t *)(const void *)&rx[s & mask].payload[PP_RING_WORD];
		if (!pp_poll_eq(in, s + 1))     /* no `pause`, as raw_echo */
			break;
		*(volatile uint64_t *)(void *)&tx[s & mask].payload[PP_RING_WORD] = s + 1;
	}
	*seq = s;
	return i;
}

/* n raw ring trips (ring_echo), with pp_stall whenever a burst of polls ran out. */
static err_t ring_trips(struct urpc_chan *raw, uint64_t n, uint64_t *seq, struct pp_stall *st)
{
	pp_stall_phase(st, "the raw ring block", 0);
	for (uint64_t i = 0; (i += ring_echo(raw, n - i, seq)) < n;) {
		err_t e = pp_stall(st, *seq, *seq);
		if (e)
			return e;
	}
	return ERR_OK;
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

/* bare_echo's echo of v refused for room: retry (wait.h); v by value, so it stays in a register there. */
static __attribute__((noinline, cold)) err_t bare_full(struct pp_stall *st, struct urpc_chan *c,
						       uint64_t v, uint64_t trips)
{
	return pp_send_full(st, c, (struct urpc_msg){ PP_BARE, sizeof v, &v }, trips);
}

/*
 * URPC's own round trip: echo PP_BARE (8 bytes) with urpc_recv and
 * urpc_send alone, no IDL layer, until PP_BARE_END.  The type and length
 * are the check (the payload is only echoed); anything else ends the
 * phase with an error.  Not inlined (nor raw_echo): tools/tcg-budget.py
 * filters QEMU's logs by each loop's address range.
 */
static __attribute__((noinline)) err_t bare_echo(struct urpc_chan *c, struct pp_stall *st)
{
	uint32_t tail0 = c->rx.tail;    /* for the give-up line only: one slot per trip */
	pp_stall_phase(st, "the URPC round trips", 0);
	for (;;) {
		uint64_t v;
		uint16_t type;
		size_t len;
		err_t e = urpc_recv(c, &type, &v, sizeof v, &len, pp_spins);
		/* the echo's checks in one test (one block end under TCG, as bare_trip's) */
		if (__builtin_expect(((uint64_t)e | (type ^ PP_BARE) | (len ^ sizeof v)) != 0, 0)) {
			if (e)
				return pp_peer_error(st, e, c->rx.tail - tail0);
			return type == PP_BARE_END && len == 0 ? ERR_OK : ERR_SYNTAX;
		}
		e = urpc_send(c, PP_BARE, &v, sizeof v);
		if (__builtin_expect(e != ERR_OK, 0)) {  /* ERR_FULL: the client does not consume */
			if (e == ERR_FULL)
				e = bare_full(st, c, v, c->rx.tail - tail0);
			if (e)
				return e;
		}
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

/* One server's state across the phases. */
struct server {
	struct urpc_chan c;
	struct pp_stall st;             /* its waits for the client (wait.h) */
	struct pp_death death;          /* a test's die= (die.h) */
	struct pp_count streamed;
	uint32_t waits0;                /* c.rx.waits when the stream began */
	uint64_t raw_trips;             /* raw word trips so far */
	uint64_t ring_seq;              /* raw ring trips so far */
	uint64_t pings;                 /* IDL round trips so far */
	char self[32];                  /* "serve NAME" */
};

/* The raw word's phase (PP_RAW_START): its channel at the first, then the trips. */
static err_t serve_raw(struct server *sv)
{
	struct urpc_chan *raw = raw_chan(true);
	if (!raw) {
		printf("%s: raw word: no second channel\n", sv->self);
		return ERR_OK;
	}
	if (sv->death.where == PP_DIE_RAW)
		pp_die(&sv->death, sv->self, "the raw word block", sv->raw_trips);
	return raw_echo((volatile uint64_t *)(void *)raw->rx.slots, &sv->st, &sv->raw_trips);
}

/* The raw ring's phase (PP_RING_START): n trips on the raw word's channel. */
static err_t serve_ring(struct server *sv, uint64_t n)
{
	struct urpc_chan *raw = raw_chan(false);  /* the client binds it first */
	if (!raw) {
		printf("%s: raw ring before the raw word's channel\n", sv->self);
		return ERR_INVAL;
	}
	if (sv->death.where != PP_DIE_RING)
		return ring_trips(raw, n, &sv->ring_seq, &sv->st);
	err_t e = ring_trips(raw, n / 2, &sv->ring_seq, &sv->st);
	if (!e)
		pp_die(&sv->death, sv->self, "the raw ring block", sv->ring_seq);
	return e;
}

/*
 * The IDL round trip's echo of a checked PP_PING, in the receive loop and
 * before serve_msg's switch: under TCG the switch's jump table is an
 * indirect jump (a hash lookup in C every time) and each call's return
 * another, so the echo is urpc_send in line, as the client's send is, and
 * the stall's phase is set only when the send is refused (the only wait
 * of this phase that names it: the receive's give-up line is "between
 * phases").  Measured with tools/bench-urpc-ab.py --guest (docs/03-urpc.md,
 * tenth round).
 */
static inline __attribute__((always_inline)) err_t serve_ping(struct server *sv,
							       const struct pp_ping *m)
{
	err_t e = urpc_send(&sv->c, PP_PING, m, sizeof *m);
	sv->pings++;
	if (__builtin_expect(e == ERR_FULL, 0)) {
		pp_stall_phase(&sv->st, "the IDL round trips", sv->pings - 1);
		e = pp_send_full(&sv->st, &sv->c, pp_batch_ping(m), sv->pings - 1);
	}
	return e;
}

/*
 * One checked request other than PP_PING (serve_ping) and PP_STREAM
 * (counted in serve_next); ERR_OK (*done after PP_DONE), or the phase's
 * error.
 */
static err_t serve_msg(struct server *sv, uint16_t type, const void *msg, bool *done)
{
	struct urpc_chan *c = &sv->c;
	switch (type) {
	case PP_STREAM_END: {
		sv->streamed.waits = c->rx.waits - sv->waits0;
		pp_stall_phase(&sv->st, "the stream's end", 0);
		err_t e = pp_send_wait(&sv->st, c, pp_batch_stream_count(&sv->streamed));
		sv->streamed.count = 0;
		sv->waits0 = c->rx.waits;
		return e;
	}
	case PP_KIPC_START:
		return kipc_echo(&sv->st);
	case PP_RAW_START:
		return serve_raw(sv);
	case PP_RING_START:
		return serve_ring(sv, ((const struct pp_trips *)msg)->n);
	case PP_BARE_START:
		return bare_echo(c, &sv->st);
	case PP_DONE:
		*done = true;
		return ERR_OK;
	}
	return ERR_OK;
}

/*
 * The next request, received in place and checked (file comment); stream
 * messages are counted here.  ERR_OK with *type and buf set, ERR_EMPTY
 * (nothing for the caller: a stream message or a refused one; the channel
 * never answers it here), or the channel's error.
 */
static err_t serve_next(struct server *sv, uint16_t *type, void *buf, size_t cap)
{
	struct urpc_chan *c = &sv->c;
	char why[96];
	size_t len;
	const void *p;
	err_t e = urpc_peek_wait(c, type, &p, &len, pp_spins);
	if (e == ERR_OK && *type == PP_STREAM && len == sizeof(struct pp_stream)) {
		urpc_release(c);        /* what pp_msg_check checks, no copy */
		sv->streamed.count += 1 + drain_stream(c);
		return ERR_EMPTY;
	}
	if (e == ERR_OK) {              /* one slot: copy it out, then check the copy */
		urpc_copy_small(buf, p, (uint32_t)len);
		urpc_release(c);
	} else if (e == ERR_TOOBIG) {
		e = urpc_try_recv(c, type, buf, cap, &len);
	}
	if (e)
		return e;
	if (pp_msg_check(*type, buf, len, 0, why, sizeof why) ||
	    !pp_may_send(PP_SIDE_CLIENT, *type)) {
		printf("%s: refused: %s\n", sv->self, why[0] ? why : "not a client message");
		return ERR_EMPTY;
	}
	return ERR_OK;
}

int pp_serve(int argc, char **argv)
{
	const char *name = pp_arg_str(argc, argv, "name", "pp");
	struct server sv;
	struct mon_new_channel info;
	memset(&sv, 0, sizeof sv);
	snprintf(sv.self, sizeof sv.self, "serve %s", name);
	err_t e = pp_death_parse(argc, argv, &sv.death);
	if (!e)
		e = mon_register(name);
	if (!e)
		e = mon_accept(&sv.c, &info, 0);
	if (e) {
		printf("%s: %s\n", sv.self, err_str(e));
		return 1;
	}
	sv.st = (struct pp_stall){ .chan = &sv.c, .self = sv.self, .peer = "client" };
	sv.waits0 = sv.c.rx.waits;
	union {
		struct pp_ping ping;
		struct pp_trips trips;
		uint8_t raw[URPC_SLOT_PAYLOAD * 4];  /* room to refuse an oversized one */
	} buf;
	memset(&buf, 0, sizeof buf);    /* serve_next fills it before serve_msg reads */
	for (bool done = false; !done;) {
		uint16_t type;
		e = serve_next(&sv, &type, &buf, sizeof buf);
		if (e == ERR_EMPTY)
			continue;
		if (e == ERR_DEAD) {    /* urpc_peek_wait's sleeps ask for the client (wait.h) */
			printf("%s: client gone between phases\n", sv.self);
			return 1;
		}
		if (e) {
			printf("%s: channel: %s\n", sv.self, err_str(e));
			return 1;
		}
		if (__builtin_expect(type == PP_PING, 1))
			e = serve_ping(&sv, &buf.ping);
		else
			e = serve_msg(&sv, type, &buf, &done);
		if (e) {                /* the give-up line is out (wait.h) */
			printf("%s: ends: %s\n", sv.self, err_str(e));
			return 1;
		}
	}
	return 0;
}
