/*
 * namerepl.c: the replicated name registry's messages: two-phase commit
 * along the monitors' tree (the tree protocol and its failure cases are in
 * include/monitor/nametree.h, a replica's prepare/commit/wait-die in
 * include/monitor/nameagree.h).
 *
 * Coordinator (the registering domain's monitor):
 *   C1  quota: the domain's names in the replica plus its rounds in flight
 *       stay within QUOTA_NAMES_MAX; a round slot must be free.
 *   C2  one round at a time per coordinator: a registration that comes
 *       while another round of this core is in flight waits its turn
 *       (oldest first), so every replica holds at most one reservation,
 *       wait and round record per core and never refuses one for room
 *       (nameagree.h, nametree.h); one that waited longer than a round's
 *       deadline gets ERR_TIMEOUT.
 *       A round (id: this core, a seq whose high bits are this core's
 *       restart generation) starts along the tree (ntr_start): MON_NAME_PREPARE
 *       to this core's tree neighbours, each of which passes it on and
 *       answers with one MON_NAME_VOTE for its whole subtree.
 *   C3  when every live core's vote is in (nametree's `decided`): COMMIT if
 *       all said yes and the domain still lives, else ABORT, down the tree.
 *       A round refused only for ERR_BUSY/ERR_FULL starts again (a new seq)
 *       after RETRY_MS * attempt, at most RETRIES times (2.2 s in all); then
 *       the domain gets MON_REGISTER_REPLY with the verdict.  (A restarted
 *       coordinator's PREPARE reaching a monitor that has not yet taken it up
 *       is held there until it has, at most hold_span(): F6.)
 *   C4  a round without a verdict by its deadline aborts (ERR_TIMEOUT),
 *       unless it still waits for a party whose kernel says it stopped and
 *       which this monitor does not take as down yet (the round waits on
 *       that core or on a kid whose subtree holds it: ntr_waits_on).  Such
 *       a party never votes, and liveness is bound to declare it down
 *       (liveness.c: a stopped kernel's silence suffices), whereupon its
 *       kids are adopted (nametree F1) and the round completes among the
 *       live cores or aborts.  So it waits for liveness, up to the
 *       registration's give-up time: register_span() after the request,
 *       MON_NAME_LIVENESS_DEADS dead_ms past a round's span (sys/limits.h;
 *       the domain's call waits longer, MON_REGISTER_MS).  No round starts
 *       again after that time either: the domain always hears by then.
 * Every monitor: the round messages go to nametree (PREPARE, VOTE, COMMIT,
 * ABORT), which refuses (and this file logs) a message from a core that is
 * not where the round's tree says it can come from; a PREPARE, COMMIT or
 * ABORT whose service core is not its coordinator is refused here.  A round
 * a core takes part in that has had no decision long after any deadline
 * (a round's span past the latest a coordinator may answer, expire_span())
 * is dropped with its reservation and logged.
 * Views: a core down (nag_core_down, then ntr_core_down: adoption of its
 * kids, decisions passed on below it), a core back (ntr_core_up: the
 * decisions it missed while passed over; its replica gets the state from
 * the monitor that restarted it, names_rejoin).
 * Test hooks (MON_NAME_HOOK_*, carried in a REGISTER_REQ's pad by a domain
 * with the stop right) stop the coordinator or a party at a chosen phase,
 * or hold a decision until a core is back.
 */
#include <libos/libos.h>
#include <libos/stdio.h>
#include <libos/sys.h>
#include <lib/string.h>
#include <monitor/nameagree.h>
#include <monitor/nametree.h>
#include "monitor.h"
#include "monsys.h"

#define REPL_ROUNDS 16
#define RETRIES 8
#define RETRY_MS 80
#define ROUND_TIMEOUT_MS 5000
#define ROUND_MS_PER_CORE 100
#define SEQ_GEN_SHIFT 20             /* seq = generation << 20 | counter */

struct repl_round {
	bool used;
	bool retry;                  /* waiting to start (again) at retry_at */
	bool held;                   /* decided, held by the test hook until a core is back */
	bool release;                /* that core is back: decide on the next tick */
	err_t held_verdict;
	unsigned attempt;
	uint32_t domain_id, domain_req;  /* the registering domain, its req_id */
	uint64_t deadline, retry_at;
	uint64_t order;              /* registration order: the oldest waiting starts first */
	uint64_t wait_until;         /* one not started by then gets ERR_TIMEOUT (retries do not) */
	uint64_t give_up;            /* C4: the domain hears by then whatever happens */
	struct nag_entry e;          /* the round's subject (id: the attempt in flight) */
};

static struct repl_round rounds[REPL_ROUNDS];

static uint64_t round_span(void)
{
	return mon_ms(ROUND_TIMEOUT_MS + ROUND_MS_PER_CORE * (uint64_t)mon_ncores);
}

/* C4: from a registration to its answer at most (a round, then liveness's declaration). */
static uint64_t register_span(void)
{
	return round_span() + MON_NAME_LIVENESS_DEADS * liveness_dead_ticks();
}

/* A participant's round without a decision this long is stale (F5). */
static uint64_t expire_span(void)
{
	return register_span() + round_span();
}

/* F6: a PREPARE of a coordinator not yet back here waits at most this (half a round). */
static uint64_t hold_span(void)
{
	return round_span() / 2;
}
static struct nag_part part;
static struct ntr_node tree;
static bool ready_;
static uint32_t next_seq;
static uint64_t next_order;
static unsigned commit_hook_left;    /* MON_NAME_HOOK_COMMIT: COMMITs until the stop */

static void tree_send(void *ctx, unsigned dst, enum ntr_msg type, const struct nag_entry *e,
		      err_t vote);
static void tree_decided(void *ctx, const struct nag_entry *e, err_t verdict);

static bool tree_down(void *ctx, unsigned core)
{
	(void)ctx;
	return !core_is_up(core);
}

static struct ntr_node *node(void)
{
	if (!ready_) {
		struct ntr_env env = {
			.parent = mon_info->tree_parents, .ncores = mon_ncores, .self = mon_core,
			.part = &part, .is_down = tree_down, .send = tree_send,
			.decided = tree_decided, .ctx = 0,
		};
		nag_part_init(&part, names_registry());
		ntr_init(&tree, &env);
		next_seq = (mon_info->generation << SEQ_GEN_SHIFT) | 1;
		ready_ = true;
	}
	tree.now = mon_now();
	return &tree;
}

static void to_msg(struct mon_name_round *m, const struct nag_entry *e, unsigned dst)
{
	memset(m, 0, sizeof *m);
	m->h.src_core = (uint16_t)mon_core;
	m->h.dst_core = (uint16_t)dst;
	m->coord = e->id.coord;
	m->seq = e->id.seq;
	m->core = e->core;
	m->domain_id = e->domain_id;
	m->aux = e->aux;
	mon_copy(m->name, e->name, sizeof m->name);
}

static void from_msg(struct nag_entry *e, const struct mon_name_round *m)
{
	memset(e, 0, sizeof *e);
	e->used = true;
	e->id.coord = m->coord;
	e->id.seq = m->seq;
	e->core = m->core;
	e->domain_id = m->domain_id;
	e->aux = m->aux;
	mon_copy(e->name, m->name, sizeof e->name);
}

static err_t send_round(uint16_t type, const struct nag_entry *e, unsigned dst, err_t err)
{
	struct mon_name_round m;
	to_msg(&m, e, dst);
	m.h.err = err;
	return route_send(type, &m, sizeof m);
}

static void hook_stop(const struct nag_entry *e, const char *when)
{
	mon_log("name round %u.%u '%s': test hook: core %u stops %s", e->id.coord, e->id.seq,
		e->name, mon_core, when);
	sys_core_stop(mon_core);
	for (;;)
		sys_yield();
}

static unsigned hook_kind(const struct nag_entry *e)
{
	return e->aux & 0xff;
}

static unsigned hook_core(const struct nag_entry *e)
{
	return e->aux >> 8;
}

static const uint16_t msg_type[] = {
	[NTR_PREPARE] = MON_NAME_PREPARE, [NTR_VOTE] = MON_NAME_VOTE,
	[NTR_COMMIT] = MON_NAME_COMMIT, [NTR_ABORT] = MON_NAME_ABORT,
};

static void tree_send(void *ctx, unsigned dst, enum ntr_msg type, const struct nag_entry *e,
		      err_t vote)
{
	(void)ctx;
	err_t s = send_round(msg_type[type], e, dst, vote);
	if (s)
		mon_log("name round %u.%u: %s to core %u lost: %s", e->id.coord, e->id.seq,
			mon_type_name(msg_type[type]), dst, err_str(s));
	if (type == NTR_COMMIT && e->id.coord == mon_core && hook_kind(e) == MON_NAME_HOOK_COMMIT &&
	    commit_hook_left && --commit_hook_left == 0)
		hook_stop(e, "after COMMIT to half the parties");
}

/*
 * The attack (MON_NAME_HOOK_FORGE): round messages core `t` must refuse, as
 * a monitor that lies would send them: a COMMIT and an ABORT of a round
 * whose coordinator is `t` itself (no core sends t that), a PREPARE whose
 * service core is not its coordinator, a VOTE for a round `t` does not
 * run, and a PREPARE with an empty name.
 */
static void hook_forge(const struct nag_entry *e)
{
	unsigned t = hook_core(e);
	struct nag_entry f = *e;
	f.aux = 0;
	f.id.coord = f.core = t;
	mon_copy(f.name, "forged-commit", sizeof f.name);
	send_round(MON_NAME_COMMIT, &f, t, ERR_OK);
	send_round(MON_NAME_ABORT, &f, t, ERR_OK);
	f.id.coord = mon_core;
	f.core = (mon_core + 1) % mon_ncores;
	mon_copy(f.name, "forged-prepare", sizeof f.name);
	send_round(MON_NAME_PREPARE, &f, t, ERR_OK);
	f.id.coord = f.core = t;
	f.id.seq = 0x7fffffff;
	send_round(MON_NAME_VOTE, &f, t, ERR_OK);
	f.id.coord = f.core = mon_core;
	f.name[0] = 0;
	send_round(MON_NAME_PREPARE, &f, t, ERR_OK);
	mon_log("name round %u.%u: test hook: forged round messages sent to core %u", e->id.coord,
		e->id.seq, t);
}

/* ---- coordinator ---- */

static struct repl_round *round_find(uint32_t seq)
{
	for (unsigned i = 0; i < REPL_ROUNDS; i++)
		if (rounds[i].used && !rounds[i].retry && rounds[i].e.id.seq == seq)
			return &rounds[i];
	return 0;
}

static unsigned rounds_of(uint32_t dom)
{
	unsigned n = 0;
	for (unsigned i = 0; i < REPL_ROUNDS; i++)
		n += rounds[i].used && rounds[i].domain_id == dom;
	return n;
}

static void round_finish(struct repl_round *rr, err_t e)
{
	struct mon_name_reply r;
	const struct nag_entry *en = &rr->e;
	memset(&r, 0, sizeof r);
	r.core = en->core;
	r.domain_id = en->domain_id;
	mon_log("register '%s' -> core %u domain %u: %s (round %u.%u, attempt %u)", en->name,
		en->core, en->domain_id, e ? err_str(e) : "ok", en->id.coord, en->id.seq,
		rr->attempt + 1);
	if (!e) {
		char w[PROGRAM_NAME_MAX];
		mon_event("name.register", "name=%s service_core=%u service_domain=%u",
			  mon_event_word(en->name, w, sizeof w), en->core, en->domain_id);
	}
	rr->used = false;
	reply_domain(rr->domain_id, rr->domain_req, MON_REGISTER_REPLY, &r, sizeof r, e);
}

/* A round refused only for ERR_BUSY/ERR_FULL starts again later; else the domain hears. */
static void round_outcome(struct repl_round *rr, err_t v)
{
	uint64_t at = mon_now() + mon_ms(RETRY_MS * (uint64_t)(rr->attempt + 1));
	bool again = (v == ERR_BUSY || v == ERR_FULL) && rr->attempt + 1 < RETRIES &&
		at < rr->give_up;
	if (again) {
		rr->retry = true;
		rr->attempt++;
		rr->retry_at = at;
	} else {
		round_finish(rr, v);
	}
}

/* C3: COMMIT or ABORT down the tree, then retry or answer the domain. */
static void round_decide(struct repl_round *rr, err_t v)
{
	struct nag_entry e = rr->e;
	rr->held = rr->release = false;
	if (!v && !local_alive(rr->domain_id))
		v = ERR_DEAD;
	if (!v && hook_kind(&e) == MON_NAME_HOOK_COMMIT) {
		uint32_t kids[CORES_MAX];
		unsigned k = ntr_live_kids(node(), mon_core, mon_core, kids, CORES_MAX, 0);
		commit_hook_left = (k + 1) / 2;
	}
	err_t d = ntr_decide(node(), e.id, v == ERR_OK);
	if (d)
		mon_log("name round %u.%u: no record to decide: %s", e.id.coord, e.id.seq,
			err_str(d));
	round_outcome(rr, v);
}

/* nametree: every live core's vote is in. */
static void tree_decided(void *ctx, const struct nag_entry *e, err_t verdict)
{
	(void)ctx;
	struct repl_round *rr = round_find(e->id.seq);
	if (!rr) {
		mon_log("name round %u.%u: decided, but no such round here", e->id.coord, e->id.seq);
		return;
	}
	if (hook_kind(e) == MON_NAME_HOOK_HOLD && !core_is_up(hook_core(e))) {
		mon_log("name round %u.%u '%s': test hook: decision held until core %u is back",
			e->id.coord, e->id.seq, e->name, hook_core(e));
		rr->held = true;
		rr->held_verdict = verdict;
		return;
	}
	round_decide(rr, verdict);
}


/* C2: a round (a new seq) for the entry in rr. */
static void round_start(struct repl_round *rr)
{
	struct ntr_node *n = node();         /* first: it sets next_seq */
	struct nag_entry e = rr->e;
	e.id.coord = mon_core;
	e.id.seq = next_seq++;
	rr->e = e;
	rr->retry = false;
	rr->held = false;
	rr->deadline = mon_now() + round_span();
	if (rr->deadline > rr->give_up)
		rr->deadline = rr->give_up;
	if (hook_kind(&e) == MON_NAME_HOOK_FORGE)
		hook_forge(&e);
	err_t s = ntr_start(n, &e);
	if (s) {
		mon_log("name round %u.%u: not started: %s", e.id.coord, e.id.seq, err_str(s));
		round_outcome(rr, ERR_FULL);
		return;
	}
	if (hook_kind(&e) == MON_NAME_HOOK_PREPARED && round_find(e.id.seq))
		hook_stop(&e, "after sending every PREPARE");
}

static bool round_in_flight(void)
{
	for (unsigned i = 0; i < REPL_ROUNDS; i++)
		if (rounds[i].used && !rounds[i].retry)
			return true;
	return false;
}

/* The oldest registration whose (re)start time has come, or NULL. */
static struct repl_round *next_waiting(uint64_t now)
{
	struct repl_round *best = 0;
	for (unsigned i = 0; i < REPL_ROUNDS; i++) {
		struct repl_round *rr = &rounds[i];
		if (rr->used && rr->retry && now >= rr->retry_at && (!best || rr->order < best->order))
			best = rr;
	}
	return best;
}

/* C2: starts the next waiting registration unless a round of this core is in flight. */
static void start_next(uint64_t now)
{
	struct repl_round *rr;
	for (unsigned k = 0; k < REPL_ROUNDS && !round_in_flight() && (rr = next_waiting(now)); k++) {
		if (!local_alive(rr->domain_id))
			round_finish(rr, ERR_DEAD);
		else if ((!rr->attempt && now > rr->wait_until) || now > rr->give_up)
			round_finish(rr, ERR_TIMEOUT);   /* waited too long to start (again) */
		else
			round_start(rr);
	}
}

static bool hook_allowed(uint32_t dom, uint32_t hook)
{
	unsigned kind = hook & 0xff, core = hook >> 8;
	if (!hook)
		return true;
	return (local_rights(dom) & DOMAIN_RIGHT_STOP) && kind >= MON_NAME_HOOK_VOTE &&
		kind <= MON_NAME_HOOK_HOLD && core < mon_ncores;
}

void namerepl_register(uint32_t dom, struct mon_name_req *m)
{
	char why[MON_WHY_MAX];
	struct repl_round *rr = 0;
	unsigned held = mon_names_count_domain(names_registry(), mon_core, dom) + rounds_of(dom);
	for (unsigned i = 0; i < REPL_ROUNDS && !rr; i++)
		if (!rounds[i].used)
			rr = &rounds[i];
	if (held >= QUOTA_NAMES_MAX) {
		snprintf(why, sizeof why, "register '%s': domain %u of core %u reached its quota of %u %s",
			 m->name, dom, mon_core, QUOTA_NAMES_MAX, quota_name(QUOTA_NAMES));
		mon_log("%s", why);
		reply_error(dom, &m->h, MON_REGISTER_REQ, ERR_QUOTA, why);
		return;
	}
	if (!hook_allowed(dom, m->pad)) {
		snprintf(why, sizeof why, "MON_REGISTER_REQ: test hook %#x needs the right stop "
			 "and a known hook", m->pad);
		mon_log("refused a message from domain %u: %s", dom, why);
		reply_error(dom, &m->h, MON_REGISTER_REQ, ERR_PERM, why);
		return;
	}
	if (!rr) {
		refuse_op(dom, &m->h, MON_REGISTER_REQ, ERR_FULL);
		return;
	}
	memset(rr, 0, sizeof *rr);
	rr->used = true;
	rr->domain_id = dom;
	rr->domain_req = m->h.req_id;
	rr->e.used = true;
	rr->e.core = mon_core;
	rr->e.domain_id = dom;
	rr->e.aux = m->pad;
	mon_copy(rr->e.name, m->name, sizeof rr->e.name);
	rr->retry = true;                    /* waits its turn (C2), here at once if none is in flight */
	rr->retry_at = mon_now();
	rr->order = ++next_order;
	rr->wait_until = mon_now() + round_span();
	rr->give_up = mon_now() + register_span();
	local_named(dom);
	start_next(mon_now());
}

/* ---- every monitor ---- */

static void on_state(const struct mon_name_round *m)
{
	if (!core_is_up(m->core)) {      /* sent before its sender knew the core went down */
		mon_log("MON_NAME_STATE from core %u: '%s' not kept: core %u is down", m->h.src_core,
			m->name, m->core);
		return;
	}
	err_t e = mon_names_register(names_registry(), m->name, m->core, m->domain_id);
	if (e && e != ERR_EXIST)
		mon_log("MON_NAME_STATE from core %u: '%s' not kept: %s", m->h.src_core, m->name,
			err_str(e));
}

static const char *on_round(uint16_t type, unsigned from, const struct nag_entry *e, err_t v)
{
	struct ntr_node *n = node();
	unsigned refused = n->commit_refused;
	const char *why = 0;
	unsigned held = n->held_total, held_refused = n->held_refused;
	switch (type) {
	case MON_NAME_PREPARE:
		if (hook_kind(e) == MON_NAME_HOOK_VOTE && hook_core(e) == mon_core)
			hook_stop(e, "before voting");
		why = ntr_prepare(n, from, e);
		if (n->held_total != held) {
			mon_log("name round %u.%u '%s': PREPARE from core %u held until core %u is "
				"back here (at most %u ms)", e->id.coord, e->id.seq, e->name, from,
				e->id.coord, (unsigned)(hold_span() / mon_ms(1)));
			mon_event("name.held", "coord=%u seq=%u from=%u", e->id.coord, e->id.seq, from);
		} else if (n->held_refused != held_refused) {
			mon_log("name round %u.%u '%s': PREPARE from core %u answered busy: %u "
				"PREPAREs are held here already until their coordinators are back",
				e->id.coord, e->id.seq, e->name, from, NTR_HELD);
			mon_event("name.held_full", "coord=%u seq=%u from=%u", e->id.coord, e->id.seq,
				  from);
		}
		break;
	case MON_NAME_VOTE:
		why = ntr_vote(n, from, e->id, v);
		break;
	default:
		why = ntr_decision(n, from, e, type == MON_NAME_COMMIT);
		break;
	}
	if (n->commit_refused != refused)
		mon_log("name round %u.%u: commit of '%s' refused here: the replica holds it "
			"for another service, or is full", e->id.coord, e->id.seq, e->name);
	return why;
}

void namerepl_message(uint16_t type, struct mon_name_round *m)
{
	struct nag_entry e;
	const char *why = 0;
	if (!names_replicated())
		why = "the name registry is on core 0 (names=central)";
	else if (type == MON_NAME_STATE && m->h.src_core != m->coord)
		why = "a state transfer names another sender";
	else if (type != MON_NAME_VOTE && type != MON_NAME_STATE && m->core != m->coord)
		why = "the service core is not the coordinator";
	else if (type != MON_NAME_STATE && m->coord < CORES_MAX &&
		 m->seq >> SEQ_GEN_SHIFT < incarnation_of(m->coord))
		why = "a round of an earlier life of its coordinator (restarted since)";
	if (!why && type == MON_NAME_STATE) {
		on_state(m);
		return;
	}
	if (!why) {
		from_msg(&e, m);
		why = on_round(type, m->h.src_core, &e, m->h.err);
		start_next(mon_now());   /* a round of ours may have been decided */
	}
	if (why)
		mon_log("refused %s from core %u for round %u.%u: %s", mon_type_name(type),
			m->h.src_core, m->coord, m->seq, why);
}

/* ---- ends, views, time-outs, state transfer ---- */

unsigned namerepl_domain_end(uint32_t core, uint32_t domain)
{
	return mon_names_remove_domain(names_registry(), core, domain);
}

unsigned namerepl_core_down(unsigned core)
{
	struct ntr_node *n = node();
	unsigned res, names = nag_core_down(&part, core, &res);
	if (res)
		mon_log("core %u is down: %u reservations of its name rounds dropped", core, res);
	ntr_core_down(n, core);
	return names;
}

void namerepl_core_up(unsigned core)
{
	if (!names_replicated())
		return;
	unsigned released = node()->held_released;
	ntr_core_up(node(), core);
	if (node()->held_released != released)
		mon_log("core %u is back: %u held PREPAREs of its rounds handled now", core,
			node()->held_released - released);
	for (unsigned i = 0; i < REPL_ROUNDS; i++)
		if (rounds[i].used && rounds[i].held && hook_core(&rounds[i].e) == core) {
			mon_log("name round %u.%u '%s': test hook: core %u is back, deciding after "
				"its rejoin", rounds[i].e.id.coord, rounds[i].e.id.seq,
				rounds[i].e.name, core);
			rounds[i].release = true;   /* after the state transfer (restart.c) */
		}
}

/*
 * C4: a party the round waits for whose kernel stopped; false: none.  Not
 * only cores up in this view: a monitor that rejoined after a restart marks
 * a core stopped at that moment down at once (restart_rejoin), while the
 * monitors between it and that core still wait for it until liveness
 * declares it (the round then waits on it through them).
 */
static bool waits_on_stopped(const struct repl_round *rr, unsigned *core)
{
	for (unsigned c = 0; c < mon_ncores; c++)
		if (c != mon_core && ntr_waits_on(node(), rr->e.id, c) &&
		    corefence_pulse(c) < 0) {
			*core = c;
			return true;
		}
	return false;
}

/* C4: the round's deadline has passed: wait for liveness, or abort. */
static void round_deadline(struct repl_round *rr, uint64_t now)
{
	unsigned c;
	if (now < rr->give_up && waits_on_stopped(rr, &c)) {
		mon_log("name round %u.%u '%s': past its deadline, waiting for core %u (its kernel "
			"stopped, not declared down everywhere yet): liveness decides, at most %u ms more",
			rr->e.id.coord, rr->e.id.seq, rr->e.name, c,
			(unsigned)((rr->give_up - now) / mon_ms(1)));
		mon_event("name.liveness_wait", "coord=%u seq=%u peer=%u", rr->e.id.coord,
			  rr->e.id.seq, c);
		rr->deadline = rr->give_up;
		return;
	}
	round_decide(rr, ERR_TIMEOUT);
}

void namerepl_tick(uint64_t now)
{
	struct nag_id old[8];
	uint64_t span = expire_span();
	for (unsigned i = 0; i < REPL_ROUNDS; i++) {
		struct repl_round *rr = &rounds[i];
		if (!rr->used)
			continue;
		if (rr->held && rr->release) {
			rr->release = false;
			round_decide(rr, rr->held_verdict);
		} else if (!rr->retry && now > rr->deadline) {
			round_deadline(rr, now);
		}
	}
	start_next(now);
	if (ready_ && now > hold_span()) {
		unsigned k = ntr_held_expire(node(), now - hold_span());
		if (k)
			mon_log("%u held PREPAREs answered busy: their coordinator is not back here "
				"after %u ms", k, (unsigned)(hold_span() / mon_ms(1)));
	}
	if (!ready_ || now < span)
		return;
	unsigned k = ntr_expire(node(), now - span, old, 8);
	for (unsigned i = 0; i < k && i < 8; i++)
		mon_log("name round %u.%u: no decision long after its deadline: dropped here",
			old[i].coord, old[i].seq);
}

unsigned names_rejoin(unsigned core)
{
	const struct mon_names *t = names_registry();
	unsigned n = 0;
	for (unsigned i = 0; i < t->cap; i++) {
		const struct mon_name_entry *s = &t->slots[i];
		struct nag_entry e;
		if (!s->name[0])
			continue;
		memset(&e, 0, sizeof e);
		e.id.coord = mon_core;
		e.core = s->core;
		e.domain_id = s->domain_id;
		e.aux = t->count;
		mon_copy(e.name, s->name, sizeof e.name);
		n += send_round(MON_NAME_STATE, &e, core, ERR_OK) == ERR_OK;
	}
	mon_log("state transfer to core %u: %u of %u names sent", core, n, t->count);
	return n;
}
