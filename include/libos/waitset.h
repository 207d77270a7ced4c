/*
 * libos/waitset.h: a domain's event loop (libos/waitset.c).
 *
 * A waitset polls a set of event sources and runs the handler of one that
 * is ready.  A source is four callbacks on one argument:
 *
 *   poll(arg)         is there work?  Cheap, must not consume anything,
 *                     may be called any number of times
 *   handler(arg)      do (some of) the work; called only after poll said
 *                     yes.  It may add or remove sources, or stop the set
 *   sleep_begin(arg)  optional: "I am about to sleep; whoever makes me
 *                     ready from now on must send a notification"
 *   sleep_end(arg)    optional: "I am awake again"
 *
 * waitset_dispatch() serves the ready sources round robin (it starts after
 * the one it served last, so a source that is always ready cannot starve
 * the others).  When none is ready it polls `spins` more rounds, then
 * sleeps: sleep_begin on every source, one full fence, poll all again, and
 * only if still nothing is ready block in ops.wait (in a domain:
 * SYS_WAIT), then sleep_end on every source.  This is the receiver's side
 * of URPC's no-lost-wake-up protocol (urpc/notify.c) extended to many
 * sources, exactly as urpc_waitset does it for channels only; a URPC
 * channel plugs in as a source through libos/waitset_urpc.h, next to
 * sources of any other kind.
 *
 * The contract a source must keep for sleeping to be safe: anything that
 * makes it ready after its sleep_begin ran must also wake the waiting
 * domain (SYS_NOTIFY to its core; SYS_WAIT keeps a notification that came
 * early, so the order of notify and wait does not matter).  A source with
 * no such waker (say, polling a device) must not rely on sleeping: give
 * waitset_dispatch a timeout in ticks, or build the set with no wait op,
 * which makes it poll forever.
 *
 * The set owns no memory: the caller passes the array of source pointers
 * and keeps every source alive while it is a member.  One thread per set.
 * The core is pure (no system calls, host-tested in
 * tests/unit/test_waitset.c); waitset_init_sys() gives it SYS_WAIT.
 */
#ifndef LIBOS_WAITSET_H
#define LIBOS_WAITSET_H

#include <lib/err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WAITSET_SPINS_DEFAULT 256u

struct waitset_source {
	bool (*poll)(void *arg);
	void (*handler)(void *arg);
	void (*sleep_begin)(void *arg);         /* NULL: nothing to announce */
	void (*sleep_end)(void *arg);           /* NULL: nothing to announce */
	void *arg;
};

/*
 * How the set blocks.  wait(ctx, ticks): block until a notification
 * (ERR_OK) or `ticks` timer ticks pass (ERR_TIMEOUT), ticks 0 meaning no
 * limit; may return early.  NULL: never block, keep polling.
 * pause(): spin-loop hint between polling rounds; NULL for none.
 */
struct waitset_ops {
	err_t (*wait)(void *ctx, uint64_t ticks);
	void (*pause)(void);
	void *ctx;
};

struct waitset {
	struct waitset_source **srcs;           /* caller's array */
	size_t n, cap;
	size_t next;                            /* where polling starts */
	unsigned spins;                         /* rounds before sleeping */
	bool stopped;                           /* set by waitset_stop */
	struct waitset_ops ops;
	uint64_t served, sleeps;                /* statistics */
};

/* Empty set over storage[0..cap); ops copied (NULL: never block). */
void waitset_init(struct waitset *ws, struct waitset_source **storage,
		  size_t cap, const struct waitset_ops *ops, unsigned spins);

/* The same with SYS_WAIT and `pause`, WAITSET_SPINS_DEFAULT (libos only). */
void waitset_init_sys(struct waitset *ws, struct waitset_source **storage,
		      size_t cap);

/* ERR_INVAL (NULL or no poll/handler), ERR_EXIST, ERR_FULL. */
err_t waitset_add(struct waitset *ws, struct waitset_source *s);
/* ERR_NOENT if s is not a member.  Keeps the others' order. */
err_t waitset_remove(struct waitset *ws, struct waitset_source *s);

/* The next ready source, round robin, without serving it; NULL if none. */
struct waitset_source *waitset_poll(struct waitset *ws);

/*
 * Serve one ready source (run its handler) and return ERR_OK.  If none is
 * ready: with ticks == 0, spin and sleep until one is; with ticks > 0,
 * spin and then sleep at most once, for at most `ticks` ticks, and return
 * ERR_TIMEOUT if nothing is ready after that (a wake-up meant for someone
 * else can end the sleep early).  ERR_EMPTY if the set has no sources.
 * With no wait op, ticks > 0 means `spins` rounds and then ERR_TIMEOUT.
 */
err_t waitset_dispatch(struct waitset *ws, uint64_t ticks);

/*
 * Dispatch until a handler calls waitset_stop (returns ERR_OK, and clears
 * the stop so the set can run again) or the set is empty (ERR_EMPTY).
 */
err_t waitset_run(struct waitset *ws);
void waitset_stop(struct waitset *ws);

#endif
