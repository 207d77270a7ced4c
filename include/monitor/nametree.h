/*
 * monitor/nametree.h: the name registry's two-phase commit run along the
 * monitors' tree (the messages are sent and received by monitor/namerepl.c;
 * a replica's prepare, commit and wait-die are monitor/nameagree.h).
 *
 * The tree.  The monitors' broadcast tree (monitor_info.tree_parents,
 * rooted at core 0; its edges are direct links) is walked as an undirected
 * graph rooted at the round's coordinator C: a core's "up" is its
 * neighbour towards C, its "kids" its other neighbours.  Every monitor
 * computes the same orientation from (tree, C), so no tree is carried in
 * the messages.  A kid that is down (in this monitor's view) is passed
 * over: its own kids are adopted, recursively (live kids).
 *
 * Phase 1.  C and every core that gets a PREPARE: T1 keeps a record of the
 * round, sends the PREPARE to its live kids, and prepares its own replica
 * (nag_prepare; a deferred vote, NAG_WAIT, comes later from nag_ready);
 * T2 once its own vote and an answer from each kid it waits for are in, it
 * answers its up with ONE vote for its whole subtree: ERR_OK when all said
 * yes, else the strongest no (ERR_EXIST over ERR_BUSY over any other).  So
 * the coordinator handles as many votes as it has kids, not one per core.
 * At C the combined vote is the round's verdict (ntr_env.decided).
 * Phase 2.  T3 COMMIT or ABORT is applied to the replica and sent on to the
 * live kids, computed afresh at that moment; the record is kept (DONE) with
 * the cores the decision went to and the ones passed over as down.
 *
 * Failures (each step driven by the monitor's view of who is down):
 *  F1 a kid K that has not answered goes down: its live kids are adopted
 *     (sent the PREPARE, waited for).  A core answers every core on its
 *     path to C that sent it the PREPARE (its first parent, an adopter, a
 *     restarted core between them), at once if it has answered already;
 *     a second answer to a core that no longer waits is no news.  So the
 *     round completes among the live.
 *  F2 a core K the decision was sent to goes down: the decision is sent on
 *     to K's live kids (it may have died before passing it on); a second
 *     copy of a decision is ignored.
 *  F3 the coordinator goes down: every record of its rounds is dropped, and
 *     (nag_core_down) every reservation and every name of its core, so the
 *     round is aborted everywhere, committed somewhere or not; a round
 *     message about a coordinator known down is refused.
 *  F4 a core R comes back (restart): decisions sent while R was passed over
 *     are sent to R now (ntr_core_up); a decision taken after it is back
 *     reaches it as a kid.  So a round in flight during a rejoin completes
 *     or aborts on R too (R's state transfer covers what was committed).
 * Gate: a PREPARE, COMMIT or ABORT is used only if it comes from a core on
 * the tree path from this core to C, a VOTE only from a core whose path to
 * C runs through this one (counted if the round waits for it); otherwise
 * the function returns why, and nothing changes.
 *
 *  F5 a participant's round without a decision long after the coordinator's
 *     deadline is dropped (ntr_expire).
 *  F6 a PREPARE about a coordinator this core takes as down, from a core
 *     on its path (which knows it is back: a restarted core's round, passed
 *     on before this core has taken MON_CORE_UP) is held (NTR_HELD of them)
 *     until this core takes the coordinator up (ntr_core_up: then it is
 *     handled as if it came then), and answered ERR_BUSY if that has not
 *     happened by a bound (ntr_held_expire, well inside the round's
 *     deadline) or no slot is free; ERR_BUSY aborts the round and its
 *     coordinator tries again shortly.  A held PREPARE is dropped when its
 *     coordinator or its sender goes down here (F3, F1: an adopter sends
 *     it again) or a decision of its round comes.  So a COMMIT never needs
 *     to pass a core that takes its coordinator as down, unless it is.  A
 *     coordinator's round ids carry
 *     its core's restart generation, so a later life never reuses one.
 * Limits: NTR_ROUNDS records: one per core for the rounds in flight (a
 * coordinator runs one round at a time, monitor/namerepl.c) and
 * NTR_DONE_SPARE more for decided ones; a PREPARE finding none free is
 * answered ERR_FULL at once (the coordinator retries); the oldest DONE
 * record is reused first (F2 and F4 need it only until the views have
 * converged).
 *
 * Pure and freestanding, no allocation; one thread.  Host-tested with
 * whole rounds over random message orders, stops, lagging views of who is
 * down and restarts (tests/unit/test_nameagree.c).
 */
#ifndef MONITOR_NAMETREE_H
#define MONITOR_NAMETREE_H

#include <lib/err.h>
#include <lib/vmtree.h>
#include <monitor/nameagree.h>
#include <stdbool.h>
#include <stdint.h>

#define NTR_DONE_SPARE 32
#define NTR_ROUNDS (CORES_MAX + NTR_DONE_SPARE)
#define NTR_HELD   16         /* F6: PREPAREs held until their coordinator is back */
#define NTR_NONE   0xffffffffu

enum ntr_msg { NTR_PREPARE, NTR_VOTE, NTR_COMMIT, NTR_ABORT };

struct ntr_env {
	const uint16_t *parent;      /* the tree: parent[c], VMTREE_ROOT at its root */
	unsigned ncores;
	unsigned self;
	struct nag_part *part;       /* this monitor's replica */
	bool (*is_down)(void *ctx, unsigned core);
	/* A message to core dst about round e (vote: VOTE's value). */
	void (*send)(void *ctx, unsigned dst, enum ntr_msg type, const struct nag_entry *e,
		     err_t vote);
	/* At the coordinator: every live core's vote is in (verdict: the combined vote). */
	void (*decided)(void *ctx, const struct nag_entry *e, err_t verdict);
	void *ctx;
};

enum ntr_phase { NTR_FREE, NTR_COLLECT, NTR_ANSWERED, NTR_DONE };

struct ntr_round {
	enum ntr_phase phase;
	struct nag_entry e;
	uint32_t up;                          /* the last asker; NTR_NONE at C */
	uint64_t askers[VMTREE_WORDS];        /* cores that sent the PREPARE: each is answered */
	bool own_pending;                     /* this replica's vote deferred */
	err_t verdict;                        /* the subtree's vote so far */
	uint64_t waiting[VMTREE_WORDS];       /* COLLECT: kids not answered yet */
	uint64_t sent[VMTREE_WORDS];          /* DONE: cores the decision went to */
	uint64_t skipped[VMTREE_WORDS];       /* DONE: cores passed over as down */
	bool commit;                          /* DONE: the decision */
	uint64_t age;
	uint64_t born;                        /* ntr_node.now when the record was made */
};

struct ntr_held {                     /* F6 */
	bool used;
	unsigned from;
	struct nag_entry e;
	uint64_t born;                        /* ntr_node.now when it came */
};

struct ntr_node {
	struct ntr_env env;
	struct ntr_round r[NTR_ROUNDS];
	struct ntr_held held[NTR_HELD];
	unsigned held_total, held_released, held_refused; /* F6: held, handled later, refused */
	uint64_t clock;
	uint64_t now;                         /* set by the caller: a time for `born` */
	unsigned evicted;                     /* DONE records reused before their time */
	unsigned commit_refused;              /* COMMITs the replica refused (name held by
	                                         another service, or full): never, if the
	                                         protocol is right */
};

void ntr_init(struct ntr_node *n, const struct ntr_env *env);
/*
 * Starts round e (e->id.coord == self) at its coordinator.  ERR_FULL: no
 * record free (nothing sent); ERR_EXIST: a round of that id is known here.
 * env.decided may be called before it returns (a lone core).
 */
err_t ntr_start(struct ntr_node *n, const struct nag_entry *e);
/* Round messages from core `from`; NULL when used, else why refused (nothing changed). */
const char *ntr_prepare(struct ntr_node *n, unsigned from, const struct nag_entry *e);
const char *ntr_vote(struct ntr_node *n, unsigned from, struct nag_id id, err_t vote);
const char *ntr_decision(struct ntr_node *n, unsigned from, const struct nag_entry *e,
			 bool commit);
/* At the coordinator, after env.decided: apply and send the decision.  ERR_NOENT: no such round. */
err_t ntr_decide(struct ntr_node *n, struct nag_id id, bool commit);
/* The live kids of `core` (this round's orientation), into out; their number. */
unsigned ntr_live_kids(const struct ntr_node *n, uint32_t coord, unsigned core, uint32_t *out,
		       unsigned max, uint64_t *passed);
/* Views: core went down (after nag_core_down), core came back. */
void ntr_core_down(struct ntr_node *n, unsigned core);
void ntr_core_up(struct ntr_node *n, unsigned core);
/*
 * F5: a round this core takes part in (not its coordinator) that has had
 * no decision since before `before` is dropped with its reservation: its
 * coordinator has decided or died long ago (ABORT at its deadline), so
 * the decision was lost, or the round is a stale copy from a coordinator's
 * earlier life (a message forwarded just before that core stopped and
 * delivered after it was restarted).  Ids into out (at most max); returns
 * how many were dropped.
 */
unsigned ntr_expire(struct ntr_node *n, uint64_t before, struct nag_id *out, unsigned max);
/*
 * F6: PREPAREs held since before `before` are answered ERR_BUSY (their
 * coordinator is still down here); returns how many.
 */
unsigned ntr_held_expire(struct ntr_node *n, uint64_t before);
/*
 * Whether round id, collecting votes here, still waits for an answer from
 * `core` or from a kid whose subtree (this round's orientation) holds it:
 * whether `core` may be what the round waits for.  False for a round not
 * known here or not collecting.
 */
bool ntr_waits_on(const struct ntr_node *n, struct nag_id id, unsigned core);
/* PREPAREs held now. */
unsigned ntr_held(const struct ntr_node *n);
/* Rounds in flight here (not DONE). */
unsigned ntr_busy(const struct ntr_node *n);

#endif
