/*
 * libos/monclient.h: a domain's requests to the monitors (monitor/proto.h).
 *
 * Every domain a monitor spawned has a URPC channel to its core's monitor
 * (sys/monitor.h).  Each call below sends one request on it and waits for
 * the answer (the monitors answer every request: with a result, an error,
 * or ERR_TIMEOUT when another core did not answer in time).  Events the
 * monitor sends unasked (a client bound to our service, frames given to
 * us) that arrive while waiting are queued (on the heap, as many as come)
 * and returned by the *_wait calls; one the heap cannot hold is dropped
 * with a line on the console and counted by mon_events_dropped().
 * Domains are single-threaded; so is this.
 *
 * All calls return ERR_OK or an err_t: ERR_NOSYS when the domain has no
 * monitor channel (it was started without monitors), ERR_SYNTAX/ERR_PERM
 * when the monitor refused the request (mon_last_error() has its sentence).
 * No call waits for ever: each gives up after MON_CALL_MS(cores)
 * (sys/limits.h; mon_bcast a second per round longer) with ERR_TIMEOUT and
 * a sentence in mon_last_error(); the monitor's own time-out answer
 * (ERR_TIMEOUT too) normally comes well before.  An answer that comes after
 * its call gave up is dropped.
 */
#ifndef LIBOS_MONCLIENT_H
#define LIBOS_MONCLIENT_H
#include <stddef.h>
#include <stdint.h>
#include <lib/err.h>
#include <monitor/proto.h>
#include <urpc/urpc.h>

/*
 * Start program on core with argv[0..argc); *domain_id receives its id.
 * Another core than ours needs DOMAIN_RIGHT_SPAWN (sys/rights.h); the child
 * has no rights.  mon_spawn_rights gives it `rights`, which we must hold
 * (ERR_PERM otherwise).
 */
err_t mon_spawn(unsigned core, const char *program, unsigned argc,
		const char *const *argv, uint32_t *domain_id);
err_t mon_spawn_rights(unsigned core, const char *program, unsigned argc,
		       const char *const *argv, uint32_t rights, uint32_t *domain_id);

/*
 * Name this domain's service; lookups from any core find it.  Waits up to
 * MON_REGISTER_MS (sys/limits.h): a round that runs into a core stopped
 * and not yet declared down waits for liveness to declare it.
 */
err_t mon_register(const char *name);
err_t mon_lookup(const char *name, uint32_t *core, uint32_t *domain_id);

/*
 * Bind to service `name`: the monitors create a channel of `pages` frames
 * on the service's core and map it into exactly the two domains.  chan is
 * ready to use (side 0); *core is the service's core.  Retries the lookup
 * for up to wait_ms while the name is not registered yet.
 */
err_t mon_bind(const char *name, uint32_t pages, uint64_t wait_ms,
	       struct urpc_chan *chan, uint32_t *core);

/*
 * Service side: wait up to `ticks` timer ticks (0: for ever) for a client;
 * chan is attached (side 1), *info says who it is.
 */
err_t mon_accept(struct urpc_chan *chan, struct mon_new_channel *info, uint64_t ticks);

/* Events dropped because the heap could not queue them (0 unless memory ran out). */
unsigned mon_events_dropped(void);

/*
 * Accept one client and receive one message of `type` and exactly `len`
 * bytes from it (a report, a result): ERR_SYNTAX if it sends anything else.
 * Waits up to `ticks` for the client and again up to `ticks` for its
 * message (a client that bound and then failed sends none): ERR_TIMEOUT.
 * The channel is dropped afterwards (mon_chan_drop), so a caller that takes
 * one report per client for as long as it runs holds none of them: their
 * areas go back to this core's pool once each client has ended too.
 */
err_t mon_accept_msg(uint16_t type, void *buf, size_t len, uint64_t ticks);

/*
 * Frames of the monitors' memory, owned by this domain (map with sys_map),
 * from this core's NUMA node (or the nearest with frames left); cleared.
 * ERR_NOMEM if no monitor has npages (1..MON_MEM_PAGES) frames.
 */
err_t mon_mem_alloc(uint32_t npages, uint64_t *pa);
/* The same, near core `core` (e.g. memory for a channel to it, on the receiver's node). */
err_t mon_mem_alloc_near(unsigned core, uint32_t npages, uint64_t *pa);
/*
 * Give owned, unmapped frames back, all or none: a frame this domain does
 * not own (or no more), or has mapped, is refused (ERR_PERM, ERR_BUSY) and
 * none is taken.  The frames are handed out again.
 */
err_t mon_mem_free(uint32_t npages, const uint64_t *pa);

/* Give owned, unmapped frames to a domain on a core (zero copy). */
err_t mon_mem_send(unsigned core, uint32_t domain_id, uint32_t npages, const uint64_t *pa);

/* Wait for frames given to us; *m lists them and the sender. */
err_t mon_mem_wait(struct mon_mem *m, uint64_t ticks);

/*
 * Add this domain to `core` (libos/span.h uses it): the monitors build an
 * instance there that shares this domain's mappings and starts with `arg`
 * in its start info; *instance is its id there.  ERR_INVAL (own core),
 * ERR_DEAD (core down), ERR_EXIST (already there), ERR_RANGE (no such core).
 */
err_t mon_span(unsigned core, uint64_t arg, uint32_t *instance);

/*
 * Map (op SPAN_VM_MAP, pa_flags = owned frame | SYS_MAP_*, pages 1), unmap
 * (SPAN_VM_UNMAP) or protect (SPAN_VM_PROTECT, pa_flags = SYS_MAP_* rights)
 * `pages` pages from va in this spanning domain on every core it spans,
 * the other cores reached by mode (MON_VM_LAZY, MON_VM_TREE, MON_VM_UNICAST,
 * MON_VM_SEQUENTIAL); returns when every core did (libos/span.h wraps it).
 */
err_t mon_vm(uint32_t op, uint64_t va, uint64_t pa_flags, uint32_t pages, uint32_t mode);

/*
 * A question about core `core` (monitor/proto.h, MON_Q_*): index is the
 * first entry wanted, arg the domain for MON_Q_KILL.  *r is the answer.
 */
err_t mon_query(unsigned core, uint32_t kind, uint32_t index, uint32_t arg,
		struct mon_query_reply *r);

/*
 * Whether the other party of channel c (made by mon_bind or mon_accept)
 * is still there: ERR_OK, or ERR_DEAD once it ended, its core stopped, or
 * its core was restarted since (a restarted service is a new instance:
 * bind again by name).  Wakes the other party as a side effect.
 */
err_t mon_chan_peer(const struct urpc_chan *c);
/*
 * Unmap channel c (made by mon_bind or mon_accept) from this domain for
 * good; c is cleared.  For a channel whose peer is gone (mon_chan_peer
 * said ERR_DEAD): the memory behind it, which belonged to the peer's core,
 * can be reused once nobody maps it (docs/08-monitors.md, "Memory").  No
 * thread may use c any more.  ERR_OK, or SYS_CHAN_DROP's error.
 */
err_t mon_chan_drop(struct urpc_chan *c);

/* Test command: stop that core's CPU driver. */
err_t mon_stop_core(unsigned core);
/* Test command (stop right): this core's monitor ignores every message for
 * ms after answering, while the core runs on (monitor/mute.c). */
err_t mon_mute_monitor(unsigned ms);

/*
 * Restart a stopped core (needs the stop right): ERR_OK once it runs a
 * fresh CPU driver and the monitors take it as up; its manifest services
 * marked `restart` start there again.  Refusals (mon_last_error() says
 * why): ERR_PERM no stop right, ERR_BUSY not down (yet), ERR_NOENT it
 * never came up, ERR_RANGE no such core, ERR_NOMEM no spare pool,
 * ERR_TIMEOUT it did not answer.
 */
err_t mon_restart_core(unsigned core);
/*
 * Test command: the same request with a test hook (MON_RESTART_HOOK_*):
 * the requester's own core stops in the middle of the old pool's release
 * agreement, so this call does not return when the hook is honoured.
 */
err_t mon_restart_core_hook(unsigned core, unsigned hook);

/* Broadcast benchmark (core 0): mean cycles per round, tree and sequential. */
err_t mon_bcast(uint32_t rounds, uint64_t *tree, uint64_t *sequential, uint32_t *reached);

/* Raw access for tests of the monitor's checks (apps/badmsg). */
err_t mon_send_raw(uint16_t type, const void *msg, size_t len);
err_t mon_recv_raw(uint16_t *type, void *buf, size_t cap, size_t *len, uint64_t ticks);

/* The sentence of the last MON_ERROR answer. */
const char *mon_last_error(void);

/* This domain's monitor channel (NULL without one), e.g. for a waitset. */
struct urpc_chan *mon_channel(void);

#endif
