/*
 * monitor/monitor.h: the monitor domain's internal interfaces.
 *
 * One monitor runs on every core (sys/monitor.h).  It owns no state of any
 * other core: what it knows about the rest of the system it learns from
 * messages on its links (monitor/proto.h).  Single-threaded: one waitset
 * loop (main.c) serves its links and its domains' channels; periodic work
 * (liveness, noticing ended domains, request time-outs) runs between.
 *
 *   route.c     links to other monitors; sending a message towards a core
 *   local.c     this core's domains: spawn, their channels, their ends
 *   handlers.c  the gate for domains' messages; which message goes where
 *   outq.c      the outgoing queue in front of a link or a domain's channel
 *   pending.c   requests waiting for another monitor's answer (the common
 *               part of every operation's state)
 * One file per distributed operation, each with its own state struct and
 * completion callback:
 *   spawn.c     start a domain on any core
 *   bind.c      name lookup, then a channel made by the service's monitor
 *   nameops.c   register and look up names (replicated, or on core 0)
 *   namerepl.c  the replicated registry: two-phase commit of a name
 *   memops.c    frames of the monitors' memory: allocate, send, free
 *   bcast.c     broadcast along the tree versus sequential unicasts
 *   liveness.c  heartbeats (core 0 pings, the others answer), core-down
 *   span.c      a domain adds itself to another core (instances), and the
 *               end of a spanning domain on every core it spans
 *   vmops.c     map / unmap in a spanning domain: every core, then answer
 *   boot.c      core 0: starting the boot manifest's services (spawns)
 *   query.c     the shell's questions: domains, cores, names, channels, kill
 *   memory.c    this monitor's share of the monitors' memory (memshare.c
 *               splits it by node and core, frameset.c is its free map)
 *   restart.c   restarting a stopped core; the restarted monitor rejoining
 *   poolreuse.c a restarted core's old pool given back once nobody maps it
 */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H
#include <stdbool.h>
#include <stdint.h>
#include <lib/err.h>
#include <monitor/proto.h>
#include <monitor/quota.h>
#include <sys/limits.h>
#include <sys/monitor.h>
#include <urpc/urpc.h>

struct waitset;

#define MON_MAX_DOMAINS  64
#define MON_MAX_PENDING  128

extern const struct monitor_info *mon_info;
extern unsigned mon_core, mon_ncores;

/*
 * Above this many cores a fact every monitor learns (an ended domain's
 * names dropped, a core that never came up) is logged by one monitor only,
 * not by every replica: at 255 cores each such fact made 254 lines, and
 * every byte of the serial port is a trip through QEMU's global lock that
 * the other vCPUs wait for.
 */
#define QUIET_ABOVE_CORES 16

/* A message being handled: which channel it came from. */
struct mon_origin {
	bool from_link;              /* false: from a local domain */
	uint32_t domain_id;          /* local domain it came from */
};

/* route.c */
void route_init(void);
void route_add_sources(struct waitset *ws);
bool core_is_up(unsigned core);
void core_mark_down(unsigned core);
bool core_is_down(unsigned core);
/*
 * Send msg (a struct with a mon_hdr, h.dst_core set) towards h.dst_core.
 * Never blocks: a full link queues the message (ERR_OK); ERR_FULL when that
 * link's queue is full too, ERR_DEAD towards a core that is down.
 */
err_t route_send(uint16_t type, void *msg, size_t len);
/*
 * route_send of a struct mon_core of `type` from this core to dst, about
 * incarnation `generation` of core `about`; a failure is logged (naming
 * the type, the cores and the error) and returned.
 */
err_t route_send_core(uint16_t type, unsigned dst, unsigned about, uint32_t generation);
/*
 * Core `core` was restarted (restart.c): it is up again; our direct link to
 * it, if any, moves to its new area (SYS_MONLINK_RESET) and what was queued
 * for the old instance is dropped.  ERR_EXIST (nothing changes) if the link
 * did not move: the core was not restarted.
 */
err_t route_core_up(unsigned core);
/* Push queued messages into links that have room again; whether any wait. */
void route_flush(void);
bool route_backlog(void);
/*
 * Handle or forward a message that came in on the link from core `via`
 * (mon_core: sent to ourselves); refused and logged if malformed or if its
 * src_core is implausible for that link.
 */
void route_deliver(unsigned via, uint16_t type, void *msg, size_t len);
/* The core a message to dst goes to first (a shortest path over live cores); -1: no route. */
int route_next_hop(unsigned dst);

/* local.c */
void local_init(struct waitset *ws);
err_t local_spawn(const char *program, uint32_t argc, const char *args,
		  uint32_t args_len, uint32_t rights, uint32_t parent_core,
		  uint32_t parent_domain, uint32_t depth, const uint32_t *span,
		  uint32_t *domain_id);
/* May local domain id span `core` (the manifest's span=, its parent's for a child)? */
bool local_may_span(uint32_t domain_id, unsigned core);
/* Its span set (8 words, bit c of word c / 32) into out; zeros if it is not ours. */
void local_span_set(uint32_t domain_id, uint32_t *out);
/* Generation of a local domain (manifest services 0). */
uint32_t local_depth(uint32_t domain_id);
/* What a local domain holds of ours (monitor/quota.h); 0 if it is not ours. */
struct quota *local_quota(uint32_t domain_id);
/* It asked core 0 for a name: core 0 hears of its end. */
void local_named(uint32_t domain_id);
/* The rights (sys/rights.h) of a local domain; 0 if it is not ours. */
uint32_t local_rights(uint32_t domain_id);
bool local_alive(uint32_t domain_id);
/* To a domain of this core; what its full channel cannot take waits in order (local.c). */
bool local_send(uint32_t domain_id, uint16_t type, const void *msg, size_t len);
/*
 * Pushes what waits for domains' channels (monitor/outq.h); the domains
 * wake the monitor as they read, so it need not wake for them.
 */
void local_flush(void);
void local_reap(void);
uint32_t local_domain_count(void);

/* pending.c: the common part of every request waiting for another monitor. */
struct pending;
/*
 * Completion of a request: e is ERR_OK and reply the answer (of the type
 * the operation expects), or e says why not (reply is the answer when the
 * peer answered with an error, else 0).  The entry is no longer registered.
 */
typedef void (*pending_done_fn)(struct pending *p, err_t e, const void *reply);
struct pending {
	uint32_t id;                 /* our req_id on the links */
	uint16_t op;                 /* the operation, for logs (a MON_*_REQ) */
	uint16_t expects;            /* the answer's type */
	uint32_t target_core;        /* where the request went */
	uint32_t domain_id;          /* local requester, 0 for the monitor itself */
	uint32_t domain_req;         /* its req_id */
	uint64_t deadline;           /* TSC */
	pending_done_fn done;
};
/* Registers p (the first member of an operation's state); ERR_FULL if the table is. */
err_t pending_add(struct pending *p, uint16_t op, uint32_t domain_id, uint32_t domain_req,
		  pending_done_fn done);
/*
 * Sends a registered request to dst's monitor, expecting an answer of type
 * `expects`.  On a send error p is completed with it (and may be freed)
 * before this returns the error.  p may also be complete on ERR_OK (dst
 * is this core): the caller must not touch p after calling.
 */
err_t pending_send(struct pending *p, uint16_t type, void *msg, size_t len, uint32_t dst,
		   uint16_t expects);
struct pending *pending_find(uint32_t id);
/* Unregisters p, logs a failure, calls p->done. */
void pending_complete(struct pending *p, err_t e, const void *reply);
/* An answer (or MON_ERROR) from another monitor. */
void pending_answer(uint16_t type, const void *msg);
void pending_expire(uint64_t now);
void pending_fail_core(unsigned core);
unsigned pending_count_domain(uint32_t domain_id);

/* handlers.c: the gate for domains' messages, dispatch, replies */
void handle_domain_message(uint32_t domain_id, uint16_t type, void *msg, size_t len);
void handle_monitor_message(uint16_t type, void *msg, size_t len);
/* A core stopped: fail what waits on it, drop its names; returns names dropped. */
unsigned handlers_core_down(unsigned core);
void reply_error(uint32_t domain_id, const struct mon_hdr *h, uint16_t bad_type,
		 err_t e, const char *why);
/*
 * Charges n of kind k to local domain dom; past its limit logs the domain
 * and the limit, answers MON_ERROR (ERR_QUOTA) to the request h of `type`
 * and returns ERR_QUOTA.  uncharge gives back.
 */
err_t charge(uint32_t dom, enum quota_kind k, uint32_t n, const struct mon_hdr *h,
	     uint16_t type);
void uncharge(uint32_t dom, enum quota_kind k, uint32_t n);
/* A request that could not become pending (pending_add's error e): log and answer. */
void refuse_op(uint32_t dom, const struct mon_hdr *h, uint16_t type, err_t e);
/* Reply to a local domain: the body with the domain's req_id and err. */
void reply_domain(uint32_t domain_id, uint32_t req, uint16_t type, void *msg, size_t len,
		  err_t e);
/* Answer a request that came over a link, back to its origin. */
void reply_monitor(uint16_t type, void *msg, size_t len, const struct mon_hdr *req, err_t e);

/* spawn.c: start a domain on a core */
void spawn_request(uint32_t domain_id, struct mon_spawn_req *m);
void spawn_serve(struct mon_spawn_req *m);

/* bind.c: a channel between a client and a named service */
void bind_request(uint32_t domain_id, struct mon_name_req *m);
void bind_serve(struct mon_bind_fwd *m);
/* A local domain ended / a client's MON_CHAN_CLOSE / a core stopped. */
void bind_domain_end(uint32_t domain_id);
void bind_close_serve(const struct mon_chan_close *m);
void bind_core_down(unsigned core);
/* Periodic: areas whose client is gone and whose running service dropped them are freed. */
void bind_tick(uint64_t now);

/* nameops.c: the name registry (replicated, or kept by core 0) */
void names_request(uint32_t domain_id, uint16_t type, struct mon_name_req *m);
void names_serve(uint16_t type, struct mon_name_req *m);
/* Domain `domain` of `core` ended; returns names dropped from this registry. */
unsigned names_domain_end(uint32_t core, uint32_t domain);
unsigned names_core_down(unsigned core);
/* The registry (every core when replicated, else core 0; NULL elsewhere): for MON_Q_NAMES. */
struct mon_names;
const struct mon_names *names_table(void);
/* Whether every monitor holds the registry (no names=central boot option). */
bool names_replicated(void);
/* This monitor's registry (its replica when replicated). */
struct mon_names *names_registry(void);

/* namerepl.c: the replicated registry's two-phase commit (include/monitor/nameagree.h) */
void namerepl_register(uint32_t domain_id, struct mon_name_req *m);
void namerepl_message(uint16_t type, struct mon_name_round *m);
unsigned namerepl_domain_end(uint32_t core, uint32_t domain);
unsigned namerepl_core_down(unsigned core);
void namerepl_core_up(unsigned core);
void namerepl_tick(uint64_t now);
/*
 * State transfer: sends every name of this replica to `core` (MON_NAME_STATE),
 * for a monitor that rejoins after its core was restarted; how many sent.
 */
unsigned names_rejoin(unsigned core);

/* query.c: what the shell asks (MON_QUERY_REQ) */
void query_request(uint32_t domain_id, struct mon_query_req *m);
void query_serve(struct mon_query_req *m);

/* memops.c: frames of the monitors' memory, allocated, sent and freed */
void memops_alloc_request(uint32_t domain_id, struct mon_mem *m);
void memops_alloc_serve(struct mon_mem *m);
void memops_send_request(uint32_t domain_id, struct mon_mem *m);
void memops_send_serve(struct mon_mem *m);
void memops_free_request(uint32_t domain_id, struct mon_mem *m);
/* A local domain ended: the frames it held come to us and go back to their owners. */
void memops_domain_end(uint32_t domain_id);
/* Periodic: frames of ended domains that reached us go back. */
void memops_tick(void);

/* span.c: domains that span cores */
void span_request(uint32_t domain_id, struct mon_span *m);
void span_serve(struct mon_span *m);
void span_end_serve(struct mon_span *m);
void span_died(struct mon_span *m);
/* Core `core` is down: end every instance on this core whose home was there. */
void span_core_down(unsigned core);
void span_poll(void);
/* The cores where domain dom (of this core) has an instance (live, or being ended). */
unsigned span_cores(uint32_t dom, uint32_t *cores, unsigned max);
/* Is a span of local domain dom waiting for its instance's core to answer? */
bool span_creating(uint32_t dom);

/* vmops.c: map and unmap in a spanning domain, on every core it spans */
void vm_request(uint32_t domain_id, struct mon_vm *m);
void vm_serve(struct mon_vm_fwd *m);

/* liveness.c */
/* liveness.c: ring watchers, suspicions confirmed by a second monitor */
struct liveness_counts {
	uint32_t raised;             /* suspicions this monitor raised */
	uint32_t withdrawn;          /* ... and withdrew when refuted */
	uint32_t refuted;            /* others' suspicions this monitor refuted */
	uint32_t declared;           /* cores this monitor declared down */
	uint32_t false_down;         /* times this core was declared down while alive */
	uint32_t escalated;          /* confirmers that did not answer: the next core asked */
	uint32_t fenced;             /* cores this monitor stopped because it declared them down */
	uint32_t stalls;             /* ticks after which this monitor found it had not run */
	uint32_t stale;              /* MON_CORE_DOWNs about an earlier life of their core, ignored */
};
void liveness_init(void);
void liveness_tick(uint64_t now);
/*
 * incarnation.c: the incarnation (restarts so far) of every core that this
 * monitor's view means; messages about a core's life carry the sender's,
 * and one about an older incarnation is stale (see incarnation.c).
 */
enum incarnation_cmp { INC_OLDER, INC_SAME, INC_NEWER };
uint32_t incarnation_of(unsigned core);
void incarnation_set(unsigned core, uint32_t generation);
/* A message's incarnation of core against this monitor's. */
enum incarnation_cmp incarnation_compare(unsigned core, uint32_t generation);

/* A message from core arrived: it is alive. */
void liveness_heard(unsigned core);
void liveness_pong(const struct mon_ping *m);
void liveness_suspect(const struct mon_core *m);
void liveness_refute(const struct mon_core *m);
void liveness_down_message(const struct mon_core *m);
void liveness_core_down(unsigned core);
/* Core `core` was restarted: watched again from a fresh start (dead_ms, no boot grace). */
void liveness_core_up(unsigned core);
/* Sends a struct mon_core message of `type` about core `about` to core dst
 * (MON_SUSPECT, MON_REFUTE, MON_CORE_DOWN, MON_CORE_UP); a failure is logged. */
void liveness_send_core_msg(uint16_t type, unsigned dst, unsigned about);
const struct liveness_counts *liveness_counts(void);
/* dead_ms in TSC ticks: the shortest patience. */
uint64_t liveness_dead_ticks(void);

/*
 * corefence.c: the kernel's side of liveness.  corefence_pulse: core's
 * kernel heartbeat (SYS_CORE_PULSE), negative once stopped (ERR_NOENT: it
 * never came up).
 * corefence_declared: core was just declared down by this monitor: stop it
 * for good (SYS_CORE_FENCE) before anyone is told; 1 if it was still
 * running (then it is restarted once stopped, by corefence_tick), 0 if it
 * had stopped, negative if the fence failed.  corefence_self: this core was
 * declared down while alive and the fence missed it: stop it now.
 */
int64_t corefence_pulse(unsigned core);
int corefence_declared(unsigned core);
void corefence_self(void);
void corefence_tick(uint64_t now);

/* memory.c: this monitor's share of the monitors' memory (every core) */
void memory_init(void);
/* npages frames (not contiguous) from our share, cleared, all or none: ERR_NOMEM. */
err_t memory_alloc(uint32_t npages, uint64_t *pa);
/* Frames no domain holds any more go back to the monitors owning them (n <= MON_MEM_PAGES). */
void memory_give_back(const uint64_t *pa, uint32_t n);
/* MON_MEM_RETURN: frames of our share come back; foreign or free ones refused and logged. */
void memory_return_serve(struct mon_mem *m);
/* Frames this monitor can hand out now (its share's free ones and adopted ones). */
uint64_t memory_free_frames(void);
/*
 * A pool for restarting a core of `node`: a run of our share on that node
 * the size of our own core's pool (at most 8 MiB, 2 MiB-aligned); its
 * address and *pages, or 0 if we have none there.  memory_pool_used says
 * how the restart went: the frames are the new CPU driver's for good (used:
 * the kernel built it there, whether or not its start then timed out), or
 * (it refused before using them) free again.
 */
uint64_t memory_take_pool(unsigned node, uint64_t *pages);
void memory_pool_used(uint64_t pa, uint64_t pages, unsigned core, err_t e, bool used);
/* The NUMA node of a core. */
unsigned memory_node_of(unsigned core);
/* Whom to ask for memory near node (memshare_candidates, from this core). */
unsigned memory_candidates(unsigned node, uint8_t *out, unsigned max);

/* boot.c (core 0) */
void boot_start_manifest(void);

/* bcast.c */
void bcast_request(uint32_t domain_id, const struct mon_ping *req);
void bcast_message(uint16_t type, const struct mon_ping *m);
void bcast_start_round(void);
void bcast_core_down(unsigned core);

/* restart.c: a stopped core restarted, and its monitor rejoining */
void restart_request(uint32_t domain_id, struct mon_core *m);
/* mute.c: test command: this monitor ignores everything for a while */
void mute_request(uint32_t domain_id, struct mon_mute *m);
/* The kernel restarted core (SYS_CORE_RESTART): take it up, tell everyone, send it the names. */
void restart_started(unsigned core);
/*
 * SYS_CORE_RESTART of core with a pool from this monitor's share of its
 * node (memory.c).  A restart that failed after the kernel ended the old
 * life (its start timed out: the generation moved) starts the release of
 * that life's pool here (poolreuse_start), as a successful one does.
 */
err_t restart_kernel(unsigned core);
void restart_core_up(const struct mon_core *m);
/* On a restarted core's monitor (monitor_info.generation > 0), at start. */
void restart_rejoin(void);
/* Test (test=monsys, MONITOR_FLAG_SYSTEST): the kernel's range checks on the
 * monitors' calls, each logged (monitor/systest.c). */
void systest_run(void);

/*
 * poolreuse.c: the pool of incarnation `generation` of a core this monitor
 * restarted is released once every live monitor confirmed it maps nothing
 * in it (MON_POOL_QUERY / MON_POOL_CLEAR); a pool whose coordinator died
 * is adopted (SYS_POOL_ADOPT) and its agreement run again.
 * poolreuse_hook: the test hook (MON_RESTART_HOOK_*) of the restart under
 * way; poolreuse_hook_point: the restart reached the point before the
 * first question (stops this core for MON_RESTART_HOOK_UNASKED).
 */
void poolreuse_start(unsigned core, uint32_t generation);
void poolreuse_hook(unsigned hook);
void poolreuse_hook_point(unsigned core);
void poolreuse_message(uint16_t type, const struct mon_core *m);
void poolreuse_core_down(unsigned core);
void poolreuse_tick(uint64_t now);

/* Copies a NUL-terminated string into a field of size n, always terminated. */
static inline void mon_copy(char *dst, const char *src, unsigned long n)
{
	unsigned long i = 0;
	for (; i + 1 < n && src[i]; i++)
		dst[i] = src[i];
	if (n)
		dst[i] = 0;
}

/* main.c */
uint64_t mon_now(void);
uint64_t mon_ms(uint64_t ms);
/* The TSC in microseconds: the same clock on every core (events' us=). */
uint64_t mon_us(void);
/*
 * The period of the monitor's periodic work (reaping, expiry, liveness):
 * 10 ms + 1 ms per core (a tenth of the liveness ping period), at least
 * 50 ms (up to 40 cores) and at most 200 ms (from 190 cores; the kernel's
 * longest tickless sleep, so an idle core wakes once a period, not twice).
 * Messages wake the monitor at once whatever the period.
 */
uint64_t mon_loop_ms(void);
void mon_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * One tagged event line, "EV core=<this core> <name> key=value ..." (the
 * kernel adds the core; kernel/event.h).  Values hold no blanks: pass
 * names through mon_event_word; never use the keys core or event.  The
 * monitor's events:
 *   monitor.up     links=
 *   spawn          id= program= for_core= for_domain=   (a domain started here on request)
 *   name.register  name= service_core= service_domain=  (the registry that granted it:
 *                                                       core 0's, or the coordinator's round)
 *   bind           name= client_core= client_domain= service_domain= pages=
 *   core.down      peer= us=                            (this monitor saw core `peer` stop)
 *   core.restart   peer= for_domain=                    (this monitor restarted core `peer`)
 *   core.back      peer= by= us=                        (this monitor takes restarted `peer` up)
 *   core.rejoin    generation= respawned=               (a restarted core's monitor started)
 */
void mon_event(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s with blanks replaced, in buf (size bytes); returns buf. */
const char *mon_event_word(const char *s, char *buf, size_t size);

#endif
