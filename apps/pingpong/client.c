/*
 * client.c: the measuring side of one pair.
 *
 *  1. Round trips, four kinds interleaved: `rounds` blocks (PP_ROUNDS) of
 *     iters/rounds trips of each kind in turn, after iters/10 warm-up trips
 *     of each, so every kind sees the same host conditions (on this shared
 *     host a pair's two vCPU threads are co-scheduled some of the time
 *     only, and a figure measured a minute apart from another is not
 *     comparable with it); one TSC reading per trip:
 *       bare  URPC's own round trip: urpc_send of 8 bytes, urpc_recv of the
 *             echo (polling PP_SPINS times, then sleeping until the
 *             server's notification), the server the same (PP_BARE);
 *       urpc  the IDL layer's round trip (PP_PING): pp_send_ping, and the
 *             server receives in place, copies, checks the message with
 *             pp_msg_check and pp_may_send, echoes with send_retry;
 *       raw   the raw limit inside the OS: one word of a second channel's
 *             memory bounced with plain loads and stores, no protocol (as
 *             Linux's shared-memory ping-pong), same timing; its loops
 *             poll without `pause`, as URPC's own poll does in the OS
 *             (Linux's shm loop executes `pause`);
 *       ring  the raw limit with URPC's memory pattern: the raw word's
 *             channel (bound with PP_RING_PAGES, 64 slots a ring), each
 *             trip in a new slot line, one line per direction: the client
 *             writes trip s's word into slot s % 64 of its sending ring
 *             and polls slot s % 64 of its receiving ring, the server the
 *             reverse; no protocol otherwise, same timing (the raw word
 *             bounces one word both ways in one line: URPC / raw ring is
 *             what URPC's protocol costs at equal memory traffic).
 *     The client's receive sleeps during the bare and urpc trips are
 *     counted (bare_waits, urpc_waits).
 *  2. URPC streaming, a fourth kind in the same interleaved blocks:
 *     `stream`/rounds PP_STREAM messages of one slot's payload per block,
 *     sent back to back in bursts (urpc_burst_send, retrying while the
 *     ring is full; urpc_burst_end's sleep check once per PP_STREAM_BURST
 *     messages), then
 *     PP_STREAM_END; a block's cycles run until the server's count comes
 *     back, with the number of times the server's receive slept
 *     meanwhile.  Reported: the whole stream (the blocks' sum, every host
 *     stall included) and the median block, which sees the same host
 *     conditions as the round trips' medians.
 *  3. Kernel IPC round trips: the same as 1 through SYS_IPC_SEND /
 *     SYS_IPC_RECV (the CPU drivers and an IPI carry each message);
 *     `kipc` of them (default: iters; 0: none, for a profile of the
 *     others alone, tools/tcg-budget.py).
 * For a same-core pair only 3 runs (two domains polling one core would
 * measure the scheduler's time slice, not a channel).
 * No wait for the server is unbounded (wait.h): a server gone or silent
 * mid-phase ends the pair with a line naming the phase and err=-15
 * (ERR_DEAD) or -14 (ERR_TIMEOUT) in its result.
 * Results go to the coordinator ("ppcoord") as one PP_RESULT message.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <libos/thread.h>
#include "die.h"
#include "pingpong.h"
#include "wait.h"

/*
 * How long a bind waits for its name to be registered: the server was
 * spawned just before us and its registration is an agreement round among
 * every monitor, which the monitors give MON_PENDING_MS plus 100 ms per
 * core (MON_CALL_MS: twice that and a margin).  A fixed 10 s was too short
 * at 255 cores on a loaded host: the bind gave up ("no such entry") and
 * the server registered a moment later.
 */
static uint64_t bind_wait_ms(void)
{
	return MON_CALL_MS(libos_ncores());
}

#define PP_STREAM_BURST 16      /* streamed messages per burst (one sleep check) */
#define PP_ROUNDS 10            /* interleaved blocks of each round-trip kind */
#define PP_KINDS 4              /* round-trip kinds: bare, urpc, raw, ring */
#define PP_SEQ0 1000000         /* trip i of a block carries the sequence PP_SEQ0 + i */
/*
 * Pages of the raw word's channel: three give 64 slots a ring
 * (cpudriver/monsyscall.c, slots_for_pages), as many as the raw ring
 * walks; the raw word uses slot 0 of it, as with one page.
 */
#define PP_RING_PAGES 3

/* The round-trip measurement of one pair: where each kind's samples go. */
struct pp_rtt {
	struct urpc_chan *c;
	volatile uint64_t *line;        /* the raw word (second channel) */
	uint64_t raw_seq;               /* raw trips so far (the word's values) */
	struct urpc_slot *ring_tx;      /* the raw ring: the second channel's rings */
	const struct urpc_slot *ring_rx;
	uint32_t ring_mask;             /* slots a ring - 1 */
	uint64_t ring_seq;              /* raw ring trips so far (the server counts too) */
	uint64_t *t[PP_KINDS];          /* samples: bare, urpc, raw, ring */
	uint64_t n[PP_KINDS];           /* samples taken */
	uint64_t waits[2];              /* client's receive sleeps: bare, urpc */
	uint64_t *blk;                  /* stream blocks: cycles of each */
	uint64_t nblk, blk_msgs;        /* blocks taken, messages per block */
	uint64_t stream_cycles, stream_waits;  /* sums over the blocks */
};

/*
 * The client's waits for its server (wait.h).  One per domain, not in
 * struct pp_rtt: the trip loops reach it only on their slow paths, so it
 * takes no register of theirs.
 */
static struct pp_stall stall;
static char self[32];                   /* "client NAME" */
static struct pp_death death;           /* a test's die= (die.h) */

enum { PP_KIND_BARE, PP_KIND_URPC, PP_KIND_RAW, PP_KIND_RING };

static void sort(uint64_t *a, uint64_t n)
{
	for (uint64_t gap = n / 2; gap; gap /= 2) /* shell sort: no recursion, no libc */
		for (uint64_t i = gap; i < n; i++)
			for (uint64_t j = i; j >= gap && a[j - gap] > a[j]; j -= gap) {
				uint64_t t = a[j];
				a[j] = a[j - gap];
				a[j - gap] = t;
			}
}

static struct pp_stats stats(uint64_t *t, uint64_t n)
{
	struct pp_stats s = { 0, 0, 0 };
	if (!n)
		return s;
	sort(t, n);
	s.min = t[0];
	s.median = t[n / 2];
	s.p99 = t[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
	return s;
}

/* bare_trip's send refused for room: retry (wait.h); seq by value, so it stays in a register there. */
static __attribute__((noinline, cold)) err_t bare_full(struct urpc_chan *c, uint64_t seq)
{
	return pp_send_full(&stall, c, (struct urpc_msg){ PP_BARE, sizeof seq, &seq },
			    seq - PP_SEQ0);
}

/* URPC's own round trip: 8 bytes there and back, urpc_send and urpc_recv only. */
static err_t bare_trip(struct urpc_chan *c, uint64_t seq)
{
	uint64_t back;
	uint16_t type;
	size_t len;
	err_t e = urpc_send(c, PP_BARE, &seq, sizeof seq);
	if (__builtin_expect(e != ERR_OK, 0)) {  /* ERR_FULL: the server does not consume */
		if (e == ERR_FULL)
			e = bare_full(c, seq);
		if (e)
			return e;
	}
	e = urpc_recv(c, &type, &back, sizeof back, &len, pp_spins);
	/*
	 * One test for the three checks (|, not &&): under QEMU's TCG every
	 * conditional branch ends a translated block, and each block boundary
	 * costs host instructions (tools/tcg-budget.py).
	 */
	if (__builtin_expect(((uint64_t)e | (type ^ PP_BARE) | (len ^ sizeof back) |
			      (back ^ seq)) == 0, 1))
		return ERR_OK;
	return e ? e : ERR_SYNTAX;
}

/* The IDL layer's round trip (the server checks with pp_msg_check). */
static err_t urpc_trip(struct urpc_chan *c, uint64_t seq)
{
	struct pp_ping m = { seq }, back;
	uint16_t type;
	size_t len;
	err_t e = pp_send_ping(c, &m);
	if (e == ERR_FULL)
		e = pp_send_full(&stall, c, pp_batch_ping(&m), seq - PP_SEQ0);
	if (e)
		return e;
	e = urpc_recv(c, &type, &back, sizeof back, &len, pp_spins);
	return e ? e : (type == PP_PING && len == sizeof back && back.seq == seq ?
			ERR_OK : ERR_SYNTAX);
}

/*
 * n URPC round trips (the server is in bare_echo); t may be NULL (warm-up).
 * A loop of its own, as raw_block's, so what a trip measures besides
 * URPC is the same for both: the channel and the sample pointer stay in
 * registers (in rtt_block's shared loop they were reloaded from the stack
 * every trip, and the kind tested).  Not inlined, as raw_block, bare_echo
 * and raw_echo: each kind's loop is a function of its own, so that
 * tools/tcg-budget.py can filter QEMU's logs by its address range.
 */
static __attribute__((noinline)) err_t bare_block(struct urpc_chan *c, uint64_t n, uint64_t *t)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t t0 = libos_tsc_serialized();
		err_t e = bare_trip(c, PP_SEQ0 + i);

		if (t)
			t[i] = libos_tsc_serialized() - t0;
		if (e)
			return e;
	}
	return ERR_OK;
}

/*
 * Up to n raw trips (the server is in raw_echo); t may be NULL (warm-up).
 * Returns the trips made: fewer than n when a burst of polls ran out
 * (wait.h), the next trip's word written and its sample so far taken;
 * raw_run finishes that trip (finish_trip).  No call in the loop (the slow
 * path returns), so what it keeps stays in registers, and the sample is
 * taken the same way on both paths, so the trip's start is combined from
 * the TSC's halves after the poll, as before.
 */
static __attribute__((noinline)) uint64_t raw_block(struct pp_rtt *m, uint64_t n, uint64_t *t)
{
	volatile uint64_t *line = m->line;
	uint64_t i = 0;
	for (; i < n; i++, m->raw_seq++) {
		uint64_t t0 = libos_tsc_serialized();
		*line = 2 * m->raw_seq + 1;
		bool got = pp_poll_eq(line, 2 * m->raw_seq + 2);  /* no `pause`, as URPC's poll */
		if (t)
			t[i] = libos_tsc_serialized() - t0;
		if (!got)
			break;
	}
	return i;
}

/*
 * The trip a block left when a burst ran out: poll on for `want` in *w,
 * with pp_stall between bursts; its sample (if t), taken up to the burst's
 * end, grows by the time from here on (the return in between is a
 * fraction of a burst).
 */
static err_t finish_trip(const volatile uint64_t *w, uint64_t want, uint64_t trips, uint64_t *t)
{
	uint64_t t0 = libos_tsc_serialized();
	while (!pp_poll_eq(w, want)) {
		err_t e = pp_stall(&stall, want, trips);
		if (e)
			return e;
	}
	if (t)
		*t += libos_tsc_serialized() - t0;
	return ERR_OK;
}

/* n raw trips, bounded: raw_block, and finish_trip for a trip it left. */
static err_t raw_run(struct pp_rtt *m, uint64_t n, uint64_t *t)
{
	pp_stall_phase(&stall, "the raw word block", 0);
	for (uint64_t i = 0; (i += raw_block(m, n - i, t ? t + i : NULL)) < n; i++, m->raw_seq++) {
		err_t e = finish_trip(m->line, 2 * m->raw_seq + 2, m->raw_seq, t ? t + i : NULL);
		if (e)
			return e;
	}
	return ERR_OK;
}

/* A raw word block: n trips (raw_run), then its end. */
static err_t raw_trips(struct pp_rtt *m, uint64_t n, uint64_t *t)
{
	err_t e = raw_run(m, n, t);
	if (e)
		return e;
	*m->line = PP_RAW_END;          /* the server answers 0 and leaves */
	while (!pp_poll_eq(m->line, 0)) {
		err_t e = pp_stall(&stall, PP_RAW_END, m->raw_seq);
		if (e)
			return e;
	}
	return ERR_OK;
}

/* The raw ring's word of slot s in ring r (the sending or the receiving one). */
static volatile uint64_t *ring_word(const struct pp_rtt *m, const struct urpc_slot *r, uint64_t s)
{
	return (volatile uint64_t *)(void *)&r[s & m->ring_mask].payload[PP_RING_WORD];
}

/*
 * Up to n raw ring trips (the server is in ring_echo with the block's n);
 * t may be NULL (warm-up).  Trip s writes s + 1 into the last payload word
 * of slot s & mask of the sending ring and waits for s + 1 in the same
 * word of the receiving ring (what it held before is s + 1 - slots, or
 * 0).  Not the first word: slot 0's is the raw word, whose server takes
 * any odd value for the client's (raw_echo) and would answer a ring
 * trip's.  Returns the trips made, as raw_block (m->ring_seq: the next).
 */
static __attribute__((noinline)) uint64_t ring_block(struct pp_rtt *m, uint64_t n, uint64_t *t)
{
	struct urpc_slot *tx = m->ring_tx;
	const struct urpc_slot *rx = m->ring_rx;
	uint64_t mask = m->ring_mask, s = m->ring_seq, i = 0;
	for (; i < n; i++, s++) {
		uint64_t t0 = libos_tsc_serialized();
		volatile uint64_t *out = (volatile uint64_t *)(void *)&tx[s & mask].payload[PP_RING_WORD];
		const volatile uint64_t *in =
			(const volatile uint64_t *)(const void *)&rx[s & mask].payload[PP_RING_WORD];
		*out = s + 1;
		bool got = pp_poll_eq(in, s + 1);  /* no `pause`, as URPC's poll in the OS */
		if (t)
			t[i] = libos_tsc_serialized() - t0;
		if (!got)
			break;
	}
	m->ring_seq = s;
	return i;
}

/* n raw ring trips, bounded: ring_block, and finish_trip for a trip it left. */
static err_t ring_run(struct pp_rtt *m, uint64_t n, uint64_t *t)
{
	err_t e = ERR_OK;
	for (uint64_t i = 0; !e && (i += ring_block(m, n - i, t ? t + i : NULL)) < n;
	     i++, m->ring_seq++)
		e = finish_trip(ring_word(m, m->ring_rx, m->ring_seq), m->ring_seq + 1, m->ring_seq,
				t ? t + i : NULL);
	return e;
}

/*
 * A raw ring block: `trips` of them started on the server (PP_RING_START),
 * n made (ring_run; n < trips only for a test's die=ring).
 */
static err_t ring_trips(struct pp_rtt *m, uint64_t trips, uint64_t n, uint64_t *t)
{
	struct pp_trips msg = { trips };
	pp_stall_phase(&stall, "the raw ring block", 0);
	err_t e = pp_send_wait(&stall, m->c, pp_batch_ring_start(&msg));
	return e ? e : ring_run(m, n, t);
}

/* One block of n trips of `kind`; samples into m->t[kind] unless warm-up. */
static err_t rtt_block(struct pp_rtt *m, unsigned kind, uint64_t n, bool warm)
{
	uint64_t *t = warm ? NULL : m->t[kind] + m->n[kind];
	uint32_t waits0 = m->c->rx.waits;
	err_t e = ERR_OK;
	if (kind == PP_KIND_RAW) {
		pp_stall_phase(&stall, "the raw word block", 0);
		e = pp_send_wait(&stall, m->c, pp_batch_raw_start());
		if (!e)
			e = raw_trips(m, n, t);
	} else if (kind == PP_KIND_RING) {
		e = ring_trips(m, n, n, t);
	} else if (kind == PP_KIND_BARE) {
		uint32_t tail0 = m->c->rx.tail;    /* the trips: one echo slot each */
		pp_stall_phase(&stall, "the URPC round trips", 0);
		e = pp_send_wait(&stall, m->c, pp_batch_bare_start());
		if (!e)
			e = bare_block(m->c, n, t);
		if (e)
			e = pp_peer_error(&stall, e, m->c->rx.tail - tail0);
		if (!e)
			e = pp_send_wait(&stall, m->c, pp_batch_bare_end());
		if (!warm)
			m->waits[kind] += m->c->rx.waits - waits0;
	} else {
		pp_stall_phase(&stall, "the IDL round trips", 0);
		for (uint64_t i = 0; i < n && !e; i++) {
			uint64_t t0 = libos_tsc_serialized();
			e = urpc_trip(m->c, PP_SEQ0 + i);
			if (t)
				t[i] = libos_tsc_serialized() - t0;
			if (e)
				e = pp_peer_error(&stall, e, i);
		}
		if (!warm)
			m->waits[kind] += m->c->rx.waits - waits0;
	}
	if (!e && !warm)
		m->n[kind] += n;
	return e;
}

static err_t measure_stream(struct urpc_chan *c, uint64_t n, uint64_t *cycles,
			    uint64_t *waits)
{
	struct pp_stream msg;
	struct pp_count count = { 0, 0 };
	uint16_t type = 0;
	size_t len = 0;
	err_t e;
	memset(&msg, 0x5a, sizeof msg);
	pp_stall_phase(&stall, "the stream", 0);
	uint64_t t0 = libos_tsc_serialized();
	for (uint64_t i = 0; i < n;) {
		struct urpc_burst b;
		uint64_t stop = i + PP_STREAM_BURST < n ? i + PP_STREAM_BURST : n;

		urpc_burst_begin(c, &b);
		for (e = ERR_OK; i < stop; i++) {
			__builtin_memcpy(msg.data, &i, sizeof i);  /* a store, not a call */
			e = urpc_burst_send(&b, PP_STREAM, &msg, sizeof msg);
			if (__builtin_expect(e != ERR_OK, 0)) {
				for (unsigned k = PP_POLL_BURST; e == ERR_FULL && k; k--)
					e = urpc_burst_send(&b, PP_STREAM, &msg, sizeof msg);
				if (e)
					break;  /* message i not sent */
			}
		}
		urpc_burst_end(&b);     /* the sleep check, once per burst */
		if (e == ERR_FULL)      /* the server takes nothing: wait.h, then message i again */
			e = pp_stall(&stall, i, i);
		if (e)
			return e;
	}
	e = pp_send_wait(&stall, c, pp_batch_stream_end());
	if (!e)
		e = pp_peer_error(&stall, urpc_recv(c, &type, &count, sizeof count, &len, pp_spins), n);
	*cycles = libos_tsc_serialized() - t0;
	if (!e && pp_msg_check(type, &count, len, 0, NULL, 0) == ERR_OK && type == PP_STREAM_COUNT) {
		*waits = count.waits;
		return count.count == n ? ERR_OK : ERR_SYNTAX;
	}
	return e ? e : ERR_SYNTAX;
}

/* One stream block of m->blk_msgs messages (none if 0); warm-up blocks are not counted. */
static err_t stream_block(struct pp_rtt *m, bool warm)
{
	uint64_t cycles = 0, waits = 0;
	if (!m->blk_msgs)
		return ERR_OK;
	err_t e = measure_stream(m->c, m->blk_msgs, &cycles, &waits);
	if (!e && !warm) {
		m->blk[m->nblk++] = cycles;
		m->stream_cycles += cycles;
		m->stream_waits += waits;
	}
	return e;
}

/*
 * A test's die= (die.h), once the raw word's channel is bound (the server
 * in its first raw block): into the phase, then stop in its middle.
 */
static __attribute__((noreturn)) void die_in(struct pp_rtt *m)
{
	err_t e = ERR_OK;
	if (death.where == PP_DIE_RAW) {
		e = raw_run(m, PP_DIE_TRIPS, NULL);
		if (!e)
			pp_die(&death, self, "the raw word block", m->raw_seq);
	}
	if (!e)
		e = raw_trips(m, 0, NULL);      /* the server's raw block ends */
	if (!e && death.where == PP_DIE_RING) {
		e = ring_trips(m, 2 * PP_DIE_TRIPS, PP_DIE_TRIPS, NULL);
		if (!e)
			pp_die(&death, self, "the raw ring block", m->ring_seq);
	}
	uint64_t sent = 0;
	if (!e)
		e = pp_send_wait(&stall, m->c, pp_batch_bare_start());
	/*
	 * die=full: URPC trips' requests, none of the echoes taken, until both rings are
	 * full.  The echo ring is seen full first (exactly, by the credit this side
	 * published): a request refused after that is refused by credit the server
	 * published before its last echo, so the server holds a request it cannot echo
	 * and ends in its refused send, not in a receive.
	 */
	while (!e) {
		bool echoes_full = urpc_rx_ring_full(m->c);
		e = urpc_send(m->c, PP_BARE, &sent, sizeof sent);
		if (e == ERR_OK)
			sent++;
		else if (e == ERR_FULL && echoes_full)
			pp_die(&death, self, "the URPC round trips", sent);  /* both rings full */
		else if (e == ERR_FULL) {
			thread_wait_notify(1);  /* the server is still echoing: let it */
			e = ERR_OK;
		}
	}
	printf("%s: test: die: %s\n", self, err_str(e));
	exit(1);
}

/*
 * The four kinds of round trip and the stream, interleaved block by block (file comment).
 * The raw word's channel (also the raw ring's) is bound once, after the first PP_RAW_START.
 */
static err_t measure_rtt(struct urpc_chan *c, const char *name, uint64_t iters,
			 uint64_t stream, struct pp_result *r)
{
	struct pp_rtt m;
	memset(&m, 0, sizeof m);
	m.c = c;
	uint64_t rounds = iters < PP_ROUNDS ? 1 : PP_ROUNDS, per = iters / rounds;
	for (unsigned k = 0; k < PP_KINDS; k++)
		m.t[k] = malloc(per * rounds * sizeof *m.t[k]);
	m.blk = malloc(rounds * sizeof *m.blk);
	m.blk_msgs = stream / rounds;
	struct urpc_chan raw;
	uint32_t core;
	pp_stall_phase(&stall, "the raw word block", 0);
	err_t e = m.t[0] && m.t[1] && m.t[2] && m.t[3] && m.blk ?
		pp_send_wait(&stall, c, pp_batch_raw_start()) : ERR_NOMEM;
	if (!e)
		e = mon_bind(name, PP_RING_PAGES, bind_wait_ms(), &raw, &core);
	if (!e) {
		m.line = (volatile uint64_t *)(void *)raw.tx.slots;
		m.ring_tx = raw.tx.slots;
		m.ring_rx = raw.rx.slots;
		m.ring_mask = raw.tx.mask;
		if (death.where != PP_DIE_NONE)
			die_in(&m);
		e = raw_trips(&m, iters / 10 + 1, NULL);  /* warm-up, raw first */
	}
	for (unsigned k = 0; k < PP_KINDS && !e; k++)
		if (k != PP_KIND_RAW)
			e = rtt_block(&m, k, iters / 10 + 1, true);
	if (!e)
		e = stream_block(&m, true);
	for (uint64_t i = 0; i < rounds && !e; i++) {
		for (unsigned k = 0; k < PP_KINDS && !e; k++)
			e = rtt_block(&m, k, per, false);
		if (!e)
			e = stream_block(&m, false);
	}
	if (!e) {
		r->bare = stats(m.t[PP_KIND_BARE], m.n[PP_KIND_BARE]);
		r->urpc = stats(m.t[PP_KIND_URPC], m.n[PP_KIND_URPC]);
		r->raw = stats(m.t[PP_KIND_RAW], m.n[PP_KIND_RAW]);
		r->ring = stats(m.t[PP_KIND_RING], m.n[PP_KIND_RING]);
		r->bare_waits = m.waits[PP_KIND_BARE];
		r->urpc_waits = m.waits[PP_KIND_URPC];
		r->rounds = rounds;
		r->stream_msgs = m.blk_msgs * m.nblk;
		r->stream_cycles = m.stream_cycles;
		r->stream_waits = m.stream_waits;
		r->stream_block = stats(m.blk, m.nblk);
		r->stream_block_msgs = m.blk_msgs;
	}
	for (unsigned k = 0; k < PP_KINDS; k++)
		free(m.t[k]);
	free(m.blk);
	return e;
}

/* One kernel-IPC round trip, bounded as every wait (wait.h: pp_kipc_send, pp_kipc_recv). */
static err_t kipc_trip(uint32_t core, uint32_t dom, uint64_t seq, uint64_t trips)
{
	uint8_t buf[64] __attribute__((aligned(8)));
	err_t e = pp_kipc_send(&stall, core, dom, &seq, 8, trips);
	if (!e)
		e = pp_kipc_recv(&stall, buf, trips);
	if (e)
		return e;
	return *(uint64_t *)(buf + 16) == seq ? ERR_OK : ERR_SYNTAX;
}

static err_t measure_kipc(uint32_t core, uint32_t dom, uint64_t iters, uint64_t *t,
			  struct pp_stats *out)
{
	pp_stall_phase(&stall, "the kernel IPC round trips", 0);
	for (uint64_t i = 0; i < iters / 10 + 1; i++) {
		err_t e = kipc_trip(core, dom, i, i);
		if (e)
			return e == ERR_DEAD || e == ERR_TIMEOUT ? e : ERR_SYNTAX;
	}
	for (uint64_t i = 0; i < iters; i++) {
		uint64_t t0 = libos_tsc_serialized();
		err_t e = kipc_trip(core, dom, PP_SEQ0 + i, iters / 10 + 1 + i);
		t[i] = libos_tsc_serialized() - t0;
		if (e)
			return e;
	}
	uint64_t end = PP_KIPC_END;
	sys_raw(SYS_IPC_SEND, core, dom, (uint64_t)&end, 8, 0, 0);
	*out = stats(t, iters);
	return ERR_OK;
}

static err_t run_pair(const char *name, uint64_t iters, uint64_t stream, uint64_t kipc,
		      bool same, struct pp_result *r)
{
	struct urpc_chan c;
	uint32_t core, dom;
	uint64_t *t = malloc((kipc ? kipc : 1) * sizeof *t);
	err_t e = t ? mon_bind(name, 4, bind_wait_ms(), &c, &core) : ERR_NOMEM;
	stall = (struct pp_stall){ .chan = &c, .self = self, .peer = "server" };
	if (!e)
		e = mon_lookup(name, &core, &dom);
	if (!e && !same)
		e = measure_rtt(&c, name, iters, stream, r);
	if (!e && kipc) {
		pp_stall_phase(&stall, "the kernel IPC round trips", 0);
		e = pp_send_wait(&stall, &c, pp_batch_kipc_start());
		if (!e)
			e = measure_kipc(core, dom, kipc, t, &r->kipc);
	}
	if (!e) {
		pp_stall_phase(&stall, "its last message", 0);
		e = pp_send_wait(&stall, &c, pp_batch_done());
	}
	free(t);
	return e;
}

int pp_client(int argc, char **argv)
{
	struct pp_result r;
	memset(&r, 0, sizeof r);
	r.pair = (uint32_t)pp_arg(argc, argv, "pair", 0);
	r.src = libos_core_id();
	r.dst = (uint32_t)pp_arg(argc, argv, "dst", 0);
	r.samecore = (uint32_t)pp_arg(argc, argv, "samecore", 0);
	if (pp_arg(argc, argv, "silent", 0)) { /* a test: bind, then die without a word */
		struct urpc_chan c;
		uint32_t core;
		err_t e = mon_bind("ppcoord", 1, bind_wait_ms(), &c, &core);
		printf("pair %u->%u: silent client (bind: %s), exiting\n", r.src, r.dst, err_str(e));
		return 1;
	}
	const char *name = pp_arg_str(argc, argv, "name", "pp");
	snprintf(self, sizeof self, "client %s", name);
	if (pp_death_parse(argc, argv, &death))
		return 2;
	uint64_t iters = pp_arg(argc, argv, "iters", 1000);
	r.err = run_pair(name, iters,
			 pp_arg(argc, argv, "stream", 10000), pp_arg(argc, argv, "kipc", iters),
			 r.samecore, &r);
	if (r.err)
		printf("pair %u->%u: %s\n", r.src, r.dst, err_str(r.err));
	struct urpc_chan c;
	uint32_t core;
	err_t e = mon_bind("ppcoord", 1, bind_wait_ms(), &c, &core);
	if (!e) {
		struct pp_stall st = { .chan = &c, .self = self, .peer = "coordinator" };
		pp_stall_phase(&st, "the result's report", 0);
		e = pp_send_wait(&st, &c, pp_batch_result(&r));
	}
	if (e)
		printf("cannot report to the coordinator: %s\n", err_str(e));
	return r.err ? 1 : 0;
}
