/*
 * wait.h: the ping-pong benchmark's waits for the other side, bounded.
 *
 * A pair's two sides wait for each other in busy loops (the raw word, the
 * raw ring) and in retries of a send the ring refuses (ERR_FULL: URPC never
 * spins, its caller does).  A side whose peer died, was killed, lost its
 * core or stopped playing along must not spin for ever: under TCG a
 * spinning vCPU takes a host core from everyone (docs/11-reliability.md,
 * "Bounded waits in the ping-pong benchmark").
 *
 * Fast path: a poll is the plain load and compare it always was, no call,
 * no other memory access; PP_POLL_UNROLL of them in a row, then a
 * register countdown, for PP_POLL_BURST polls in all (pp_poll_eq,
 * pp_poll_odd).  When a burst runs out, the loop calls pp_stall() with a
 * key naming what it waits for (the value it expects, the trip); a new key
 * starts a new wait.  pp_stall:
 *  - for the first PP_STALL_SPIN_MS of a wait does nothing: the loop polls
 *    on (a host that deschedules the peer's vCPU stalls a trip for ms);
 *  - then asks whether the peer is still there (mon_chan_peer on the
 *    pair's channel: ERR_DEAD once its domain ended or its core stopped);
 *  - if it is, sleeps (thread_wait_notify: the core halts) 1, 2, 4, 8,
 *    then 10 ticks between bursts, so a peer that is alive but silent
 *    costs its waiter about a burst per 100 ms;
 *  - gives up when the peer is gone or after pp_stall_ms (stall_ms=,
 *    default PP_STALL_MS) of one wait: prints one line naming the side,
 *    the phase and how far it got,
 *      "serve pp3: client gone during the raw ring block after 120 trips"
 *      "client pp3: server silent for 60000 ms during the raw word block after 7 trips"
 *    and returns ERR_DEAD or ERR_TIMEOUT, which the caller passes up: the
 *    domain ends and its core goes idle.
 * Waits that sleep anyway (urpc_recv, urpc_peek_wait: their wait hook asks
 * the peer every half second and answers ERR_DEAD) need none of this.
 *
 * One side's waits share one struct pp_stall (the channel, the names);
 * each phase sets `phase` and `trips` before it waits (pp_stall_phase).
 * Single-threaded, like the rest of pingpong.
 */
#ifndef APPS_PINGPONG_WAIT_H
#define APPS_PINGPONG_WAIT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lib/err.h>
#include <urpc/urpc.h>

#define PP_POLL_UNROLL 8             /* polls between two countdown steps */
#define PP_POLL_BURST (1u << 16)     /* polls before pp_stall (about 1 ms under TCG) */
#define PP_STALL_SPIN_MS 20          /* a wait polls this long before it asks or sleeps */
#define PP_STALL_MS 60000            /* a wait gives up after this (stall_ms=) */
#define PP_STALL_NAP_MAX 10          /* ticks: the longest sleep between bursts */

extern uint64_t pp_stall_ms;

struct pp_stall {
	struct urpc_chan *chan;     /* the pair's channel: whose peer is asked */
	const char *self;           /* "serve pp3", "client pp3": the line's start */
	const char *peer;           /* "client" or "server" */
	const char *phase;          /* "the raw word block", ...: set per phase */
	uint64_t trips;             /* trips of the phase before this wait (the line's N) */
	uint64_t key;               /* what the current wait waits for */
	uint64_t since;             /* TSC when its first burst ran out */
	unsigned naps;              /* sleeps in it so far */
	bool waiting;               /* key and since are set */
	bool sending;               /* in pp_send_full (the line says so) */
};

/* A new phase: its name for the give-up line, and its trips so far. */
static inline void pp_stall_phase(struct pp_stall *st, const char *phase, uint64_t trips)
{
	st->phase = phase;
	st->trips = trips;
	st->waiting = false;
}

/*
 * A burst of polls for `key` found nothing (file comment).  ERR_OK: poll
 * again; ERR_DEAD (peer gone) or ERR_TIMEOUT (pp_stall_ms passed): the
 * line is printed, give up.  trips: the phase's trips done, for the line.
 */
err_t pp_stall(struct pp_stall *st, uint64_t key, uint64_t trips);

/*
 * Send one message, retrying while the ring is full (the peer does not
 * consume) with pp_stall between bursts of retries.  ERR_OK, urpc_send's
 * other errors, or pp_stall's.  For the slow path only: call it after a
 * send answered ERR_FULL (pp_send_wait does both).
 */
err_t pp_send_full(struct pp_stall *st, struct urpc_chan *c, struct urpc_msg m, uint64_t trips);

/*
 * An error of a blocking receive (urpc_recv, urpc_peek_wait) during the
 * phase: for ERR_DEAD (the wait hook found the peer gone) the give-up line;
 * returns e.
 */
err_t pp_peer_error(struct pp_stall *st, err_t e, uint64_t trips);

/*
 * Kernel IPC with the same bounds: a receive waits PP_KIPC_TICKS at a time
 * (SYS_IPC_RECV's timeout; each one that brought nothing is a burst run
 * out), a send the destination's queue refuses (ERR_FULL) is retried with
 * yields, a burst at a time.  buf: 64 bytes, as SYS_IPC_RECV wants.
 * ERR_OK, the system call's error, or pp_stall's.
 */
#define PP_KIPC_TICKS 10
err_t pp_kipc_recv(struct pp_stall *st, void *buf, uint64_t trips);
err_t pp_kipc_send(struct pp_stall *st, uint32_t core, uint32_t dom, const void *p, size_t len,
		   uint64_t trips);

/* urpc_send of m, and pp_send_full if the ring is full. */
static inline err_t pp_send_wait(struct pp_stall *st, struct urpc_chan *c, struct urpc_msg m)
{
	err_t e = urpc_send(c, m.type, m.data, m.len);
	return __builtin_expect(e == ERR_FULL, 0) ? pp_send_full(st, c, m, st->trips) : e;
}

/*
 * Poll *w until it holds `want` or a burst of PP_POLL_BURST polls ran out
 * (false).  Each poll is one load and one compare-and-branch, as a plain
 * `while (*w != want);` (under TCG: one translated block per poll); the
 * countdown runs once per PP_POLL_UNROLL polls.
 */
static inline __attribute__((always_inline)) bool pp_poll_eq(const volatile uint64_t *w,
							     uint64_t want)
{
	for (unsigned k = PP_POLL_BURST / PP_POLL_UNROLL; k; k--) {
#pragma GCC unroll 8
		for (unsigned j = 0; j < PP_POLL_UNROLL; j++)
			if (*w == want)
				return true;
	}
	return false;
}

/* The same for an odd value (the raw word's server); *v is the last value read. */
static inline __attribute__((always_inline)) bool pp_poll_odd(const volatile uint64_t *w,
							      uint64_t *v)
{
	for (unsigned k = PP_POLL_BURST / PP_POLL_UNROLL; k; k--) {
#pragma GCC unroll 8
		for (unsigned j = 0; j < PP_POLL_UNROLL; j++)
			if ((*v = *w) & 1)
				return true;
	}
	return false;
}

_Static_assert(PP_POLL_BURST % PP_POLL_UNROLL == 0, "a burst is whole rounds of polls");

#endif
