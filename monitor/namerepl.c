/*
 * namerepl.c: the replicated name registry's messages (two-phase commit;
 * the state machine and its correctness argument are in
 * include/monitor/nameagree.h).
 *
 * Coordinator (the registering domain's monitor):
 *   C1  quota: the domain's names in the replica plus its rounds in flight
 *       stay within QUOTA_NAMES_MAX; a round slot must be free.
 *   C2  MON_NAME_PREPARE to every core that is up, this one last (it is
 *       delivered at once: its vote may end the round inside the send).
 *       A PREPARE that cannot be sent counts as that party's no (ERR_FULL)
 *       or, towards a core that is down, takes it out of the round.
 *   C3  votes (MON_NAME_VOTE) are counted by nag_round_vote; a party
 *       declared down is no longer waited for.
 *   C4  decided: COMMIT when every live party voted yes and the domain is
 *       still alive, else ABORT, to every party, this one last.  A round
 *       refused only for ERR_BUSY/ERR_FULL starts again (a new seq) after
 *       RETRY_MS * attempt, at most RETRIES times; then the domain gets
 *       MON_REGISTER_REPLY with the verdict.
 *   C5  a round without a verdict by its deadline aborts (ERR_TIMEOUT).
 * Participant: P1 PREPARE -> nag_prepare -> VOTE (or deferred: P3);
 *   P2 COMMIT / ABORT -> nag_commit / nag_abort; P3 then every deferred
 *   prepare whose name is free again is prepared and voted.
 * Gate: a round message is used only if it comes from its round's
 * coordinator (PREPARE, COMMIT, ABORT: h.src_core == coord, and the
 * service core is the coordinator), a VOTE only from a party of a round
 * in flight here that has not voted; anything else is refused with a log
 * line and changes nothing.
 * A core that stops mid-round leaves no half-done state: a party's stop
 * ends the round among the live (it completes everywhere); the
 * coordinator's stop makes every replica drop its reservations and any
 * name of its core (nag_core_down): the round is aborted everywhere,
 * whether or not some replicas had committed it.  Test hooks
 * (MON_NAME_HOOK_*, carried in a REGISTER_REQ's pad by a domain with the
 * stop right) stop the coordinator or a party at a chosen phase.
 */
#include <libos/libos.h>
#include <libos/stdio.h>
#include <libos/sys.h>
#include <lib/string.h>
#include <monitor/nameagree.h>
#include "monitor.h"
#include "monsys.h"

#define REPL_ROUNDS 16
#define RETRIES 4
#define RETRY_MS 20
#define ROUND_TIMEOUT_MS 5000
#define ROUND_MS_PER_CORE 100

struct repl_round {
	bool used;
	bool retry;                  /* waiting to start again at retry_at */
	unsigned attempt;
	uint32_t domain_id, domain_req;  /* the registering domain, its req_id */
	uint64_t deadline, retry_at;
	struct nag_round r;
};

static struct repl_round rounds[REPL_ROUNDS];
static struct nag_part part;
static bool part_ready;
static uint32_t next_seq = 1;

static struct nag_part *participant(void)
{
	if (!part_ready) {
		nag_part_init(&part, names_registry());
		part_ready = true;
	}
	return &part;
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

/*
 * The attack (MON_NAME_HOOK_FORGE): round messages core `t` must refuse, as
 * a monitor that lies would send them: a COMMIT and an ABORT for a round of
 * another coordinator, a PREPARE whose service core is not its sender, a
 * VOTE for a round `t` does not run, and a PREPARE with an empty name.
 */
static void hook_forge(const struct nag_entry *e)
{
	unsigned t = e->aux >> 8, other = (mon_core + 1) % mon_ncores;
	struct nag_entry f = *e;
	f.aux = 0;
	f.id.coord = f.core = other;
	mon_copy(f.name, "forged-commit", sizeof f.name);
	send_round(MON_NAME_COMMIT, &f, t, ERR_OK);
	send_round(MON_NAME_ABORT, &f, t, ERR_OK);
	f.id.coord = mon_core;
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
		if (rounds[i].used && !rounds[i].retry && rounds[i].r.e.id.seq == seq)
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
	const struct nag_entry *en = &rr->r.e;
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

/* C4: tell every party, this core last (it may start deferred rounds). */
static void round_decide(struct repl_round *rr)
{
	struct nag_round *r = &rr->r;
	err_t v = r->verdict;
	if (!v && !local_alive(rr->domain_id))
		v = ERR_DEAD;
	uint16_t type = v ? MON_NAME_ABORT : MON_NAME_COMMIT;
	unsigned sent = 0, parties = 0;
	for (unsigned c = 0; c < mon_ncores; c++)
		parties += c != mon_core && nag_round_is_party(r, c);
	for (unsigned c = 0; c < mon_ncores; c++) {
		if (c == mon_core || !nag_round_is_party(r, c) || core_is_down(c))
			continue;
		if (!v && hook_kind(&r->e) == MON_NAME_HOOK_COMMIT && sent >= parties / 2)
			hook_stop(&r->e, "after COMMIT to half the parties");
		if (send_round(type, &r->e, c, v))
			mon_log("name round %u.%u: %s to core %u lost", r->e.id.coord,
				r->e.id.seq, mon_type_name(type), c);
		sent++;
	}
	struct nag_entry e = r->e;
	bool again = (v == ERR_BUSY || v == ERR_FULL) && rr->attempt + 1 < RETRIES;
	if (again) {
		rr->retry = true;
		rr->attempt++;
		rr->retry_at = mon_now() + mon_ms(RETRY_MS * (uint64_t)rr->attempt);
	} else {
		round_finish(rr, v);
	}
	send_round(type, &e, mon_core, v);
}

/* C2: a round (a new seq) for the entry in rr. */
static void round_start(struct repl_round *rr)
{
	uint64_t parties[NAG_SET_WORDS];
	struct nag_entry e = rr->r.e;
	memset(parties, 0, sizeof parties);
	for (unsigned c = 0; c < mon_ncores; c++)
		if (core_is_up(c))
			parties[c / 64] |= 1ull << (c % 64);
	parties[mon_core / 64] |= 1ull << (mon_core % 64);
	e.id.coord = mon_core;
	e.id.seq = next_seq++;
	rr->retry = false;
	rr->deadline = mon_now() + mon_ms(ROUND_TIMEOUT_MS + ROUND_MS_PER_CORE *
					  (uint64_t)mon_ncores);
	nag_round_start(&rr->r, &e, parties);
	if (hook_kind(&e) == MON_NAME_HOOK_FORGE)
		hook_forge(&e);
	for (unsigned c = 0; c < mon_ncores; c++) {
		if (c == mon_core || !nag_round_is_party(&rr->r, c))
			continue;
		err_t s = send_round(MON_NAME_PREPARE, &e, c, ERR_OK);
		enum nag_step st = s == ERR_DEAD ? nag_round_core_down(&rr->r, c) :
			s ? nag_round_vote(&rr->r, c, ERR_FULL) : NAG_PENDING;
		if (s)
			mon_log("name round %u.%u: PREPARE to core %u: %s", e.id.coord, e.id.seq, c,
				err_str(s));
		(void)st;            /* this core's own vote is still missing */
	}
	if (hook_kind(&e) == MON_NAME_HOOK_PREPARED)
		hook_stop(&e, "after sending every PREPARE");
	send_round(MON_NAME_PREPARE, &e, mon_core, ERR_OK);
}

static bool hook_allowed(uint32_t dom, uint32_t hook)
{
	unsigned kind = hook & 0xff, core = hook >> 8;
	if (!hook)
		return true;
	return (local_rights(dom) & DOMAIN_RIGHT_STOP) && kind >= MON_NAME_HOOK_VOTE &&
		kind <= MON_NAME_HOOK_FORGE && core < mon_ncores;
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
	rr->r.e.core = mon_core;
	rr->r.e.domain_id = dom;
	rr->r.e.aux = m->pad;
	mon_copy(rr->r.e.name, m->name, sizeof rr->r.e.name);
	local_named(dom);
	round_start(rr);
}

/* C3 */
static void on_vote(const struct mon_name_round *m)
{
	struct repl_round *rr = m->coord == mon_core ? round_find(m->seq) : 0;
	const char *why = 0;
	enum nag_step st = NAG_REFUSED;
	if (!rr)
		why = "no such round in flight here";
	else if ((st = nag_round_vote(&rr->r, m->h.src_core, m->h.err)) == NAG_REFUSED)
		why = "not a party of the round, or it voted already";
	if (why) {
		mon_log("refused MON_NAME_VOTE from core %u for round %u.%u: %s", m->h.src_core,
			m->coord, m->seq, why);
		return;
	}
	if (st == NAG_DECIDED)
		round_decide(rr);
}

/* ---- participant ---- */

static void vote(const struct nag_entry *e, err_t v)
{
	err_t s = send_round(MON_NAME_VOTE, e, e->id.coord, v);
	if (s)
		mon_log("name round %u.%u: vote to core %u lost: %s", e->id.coord, e->id.seq,
			e->id.coord, err_str(s));
}

/* P3 */
static void prepare_ready(void)
{
	struct nag_entry w;
	while (nag_ready(participant(), &w)) {
		err_t v = nag_prepare(participant(), &w);
		if (v != NAG_WAIT)
			vote(&w, v);
	}
}

/* P1 */
static void on_prepare(const struct nag_entry *e)
{
	if (hook_kind(e) == MON_NAME_HOOK_VOTE && (e->aux >> 8) == mon_core)
		hook_stop(e, "before voting");
	err_t v = nag_prepare(participant(), e);
	if (v != NAG_WAIT)
		vote(e, v);
}

/* P2 */
static void on_decision(uint16_t type, const struct nag_entry *e)
{
	if (type == MON_NAME_COMMIT) {
		err_t c = nag_commit(participant(), e->id, e);
		if (c)
			mon_log("name round %u.%u: commit of '%s' refused here: %s", e->id.coord,
				e->id.seq, e->name, err_str(c));
	} else {
		nag_abort(participant(), e->id);
	}
	prepare_ready();
}

static void on_state(const struct mon_name_round *m)
{
	err_t e = mon_names_register(names_registry(), m->name, m->core, m->domain_id);
	if (e && e != ERR_EXIST)
		mon_log("MON_NAME_STATE from core %u: '%s' not kept: %s", m->h.src_core, m->name,
			err_str(e));
}

void namerepl_message(uint16_t type, struct mon_name_round *m)
{
	struct nag_entry e;
	const char *why = 0;
	if (!names_replicated())
		why = "the name registry is on core 0 (names=central)";
	else if (type != MON_NAME_VOTE && m->h.src_core != m->coord)
		why = "sent by a core that is not the round's coordinator";
	else if (type != MON_NAME_VOTE && type != MON_NAME_STATE && m->core != m->coord)
		why = "the service core is not the coordinator";
	if (why) {
		mon_log("refused %s from core %u for round %u.%u: %s", mon_type_name(type),
			m->h.src_core, m->coord, m->seq, why);
		return;
	}
	from_msg(&e, m);
	switch (type) {
	case MON_NAME_PREPARE: on_prepare(&e); break;
	case MON_NAME_VOTE:    on_vote(m); break;
	case MON_NAME_COMMIT:
	case MON_NAME_ABORT:   on_decision(type, &e); break;
	case MON_NAME_STATE:   on_state(m); break;
	}
}

/* ---- ends, time-outs, state transfer ---- */

unsigned namerepl_domain_end(uint32_t core, uint32_t domain)
{
	return mon_names_remove_domain(names_registry(), core, domain);
}

unsigned namerepl_core_down(unsigned core)
{
	unsigned res, n = nag_core_down(participant(), core, &res);
	if (res)
		mon_log("core %u is down: %u reservations of its name rounds dropped", core, res);
	for (unsigned i = 0; i < REPL_ROUNDS; i++) {
		struct repl_round *rr = &rounds[i];
		if (rr->used && !rr->retry && nag_round_is_party(&rr->r, core) &&
		    nag_round_core_down(&rr->r, core) == NAG_DECIDED)
			round_decide(rr);
	}
	prepare_ready();
	return n;
}

void namerepl_tick(uint64_t now)
{
	for (unsigned i = 0; i < REPL_ROUNDS; i++) {
		struct repl_round *rr = &rounds[i];
		if (!rr->used)
			continue;
		if (rr->retry && now >= rr->retry_at) {
			if (local_alive(rr->domain_id))
				round_start(rr);
			else
				round_finish(rr, ERR_DEAD);
		} else if (!rr->retry && now > rr->deadline) {
			rr->r.verdict = ERR_TIMEOUT;
			round_decide(rr);
		}
	}
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
