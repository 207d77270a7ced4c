/*
 * Host tests for monitor/nameagree.c: a participant's prepare, commit and
 * abort; wait-die between rounds of one name; a core declared down; the
 * coordinator's vote counting (parties only, once each); and a simulation
 * of whole rounds between replicas over FIFO links delivered in random
 * order, with concurrent registrations of one name and cores that stop at
 * random points: at most one registration is granted, exactly one when no
 * core stops, and every live replica ends with the same registry.  At
 * 255 cores, every core registering a name of its own at once (one round
 * per coordinator, as monitor/namerepl.c runs them): no round is refused
 * for room, every name is committed on its first attempt everywhere.
 */
#define TEST_PROGRAM "nameagree"
#include "test.h"
#include <stdlib.h>
#include <monitor/nameagree.h>
#include <monitor/nametree.h>

#define CAP (NAG_RES_MAX + 8) /* more than NAG_RES_MAX */

static struct nag_entry entry(const char *name, uint32_t coord, uint32_t seq, uint32_t dom)
{
	struct nag_entry e;
	memset(&e, 0, sizeof e);
	e.used = true;
	e.id.coord = coord;
	e.id.seq = seq;
	e.core = coord;
	e.domain_id = dom;
	snprintf(e.name, sizeof e.name, "%s", name);
	return e;
}

static struct mon_name_entry slots[CAP];
static struct mon_names reg;
static struct nag_part part;

static void fresh(void)
{
	mon_names_init(&reg, slots, CAP);
	nag_part_init(&part, &reg);
}

static void t_lone_round(void)
{
	uint32_t core = 0, dom = 0;
	struct nag_entry e = entry("echo", 2, 1, 7);
	fresh();
	CHECK_EQ(nag_prepare(&part, &e), ERR_OK);
	CHECK_EQ(nag_prepare(&part, &e), ERR_OK);        /* a repeated PREPARE */
	CHECK(nag_reserved(&part, "echo") != 0);
	CHECK_EQ(mon_names_lookup(&reg, "echo", 0, 0), ERR_NOENT);  /* not before COMMIT */
	CHECK_EQ(nag_commit(&part, e.id, &e), ERR_OK);
	CHECK(nag_reserved(&part, "echo") == 0);
	CHECK_EQ(mon_names_lookup(&reg, "echo", &core, &dom), ERR_OK);
	CHECK_EQ(core, 2);
	CHECK_EQ(dom, 7);
	struct nag_entry again = entry("echo", 1, 1, 3);
	CHECK_EQ(nag_prepare(&part, &again), ERR_EXIST);
}

static void t_bad_name(void)
{
	struct nag_entry e = entry("", 1, 1, 1);
	fresh();
	CHECK_EQ(nag_prepare(&part, &e), ERR_INVAL);
	e.name[0] = 0x7f;
	CHECK_EQ(nag_prepare(&part, &e), ERR_INVAL);
	CHECK(nag_reserved(&part, "") == 0);
}

static void t_wait_die(void)
{
	struct nag_entry holder = entry("x", 3, 1, 1), low = entry("x", 1, 4, 2),
			 high = entry("x", 5, 1, 3), same = entry("x", 3, 2, 4), out;
	fresh();
	CHECK_EQ(nag_prepare(&part, &holder), ERR_OK);
	CHECK_EQ(nag_prepare(&part, &low), NAG_WAIT);    /* lower core waits */
	CHECK_EQ(nag_prepare(&part, &high), ERR_BUSY);   /* higher core dies */
	CHECK_EQ(nag_prepare(&part, &same), ERR_BUSY);   /* same core, other round */
	CHECK(!nag_ready(&part, &out));                  /* still held */
	CHECK(nag_abort(&part, holder.id));
	CHECK(nag_ready(&part, &out));
	CHECK_EQ(out.id.coord, 1);
	CHECK_EQ(out.id.seq, 4);
	CHECK(!nag_ready(&part, &out));
	CHECK_EQ(nag_prepare(&part, &out), ERR_OK);
	CHECK_EQ(nag_reserved(&part, "x")->id.coord, 1);
}

static void t_commit_then_waiter_exists(void)
{
	struct nag_entry holder = entry("x", 3, 1, 1), low = entry("x", 1, 1, 2), out;
	fresh();
	CHECK_EQ(nag_prepare(&part, &holder), ERR_OK);
	CHECK_EQ(nag_prepare(&part, &low), NAG_WAIT);
	CHECK_EQ(nag_commit(&part, holder.id, &holder), ERR_OK);
	CHECK(nag_ready(&part, &out));
	CHECK_EQ(nag_prepare(&part, &out), ERR_EXIST);
	CHECK(!nag_abort(&part, low.id));                /* nothing left of it */
}

static void t_commit_without_reservation(void)
{
	struct nag_entry e = entry("late", 2, 9, 1), other = entry("late", 4, 1, 1);
	fresh();
	CHECK_EQ(nag_commit(&part, e.id, &e), ERR_OK);   /* a party that missed PREPARE */
	CHECK_EQ(nag_commit(&part, other.id, &other), ERR_EXIST);
}

static void t_core_down(void)
{
	struct nag_entry a = entry("a", 2, 1, 1), b = entry("b", 3, 1, 1), w = entry("b", 1, 1, 1),
			 w2 = entry("a", 1, 2, 1), out;
	fresh();
	CHECK_EQ(nag_prepare(&part, &a), ERR_OK);
	CHECK_EQ(nag_commit(&part, a.id, &a), ERR_OK);
	CHECK_EQ(nag_prepare(&part, &b), ERR_OK);
	CHECK_EQ(nag_prepare(&part, &w), NAG_WAIT);
	unsigned res = 9;
	CHECK_EQ(nag_core_down(&part, 3, &res), 0);      /* b's reservation */
	CHECK_EQ(res, 1);
	CHECK(nag_ready(&part, &out));                   /* w may go now */
	CHECK_EQ(nag_prepare(&part, &out), ERR_OK);
	CHECK_EQ(nag_core_down(&part, 2, &res), 1);      /* name a */
	CHECK_EQ(res, 0);
	CHECK_EQ(mon_names_lookup(&reg, "a", 0, 0), ERR_NOENT);
	CHECK_EQ(nag_prepare(&part, &w2), ERR_OK);
	CHECK_EQ(nag_core_down(&part, 1, &res), 0);
	CHECK_EQ(res, 2);                                /* both reservations of core 1 */
	CHECK(nag_reserved(&part, "a") == 0 && nag_reserved(&part, "b") == 0);
}

static void t_full(void)
{
	fresh();
	for (unsigned i = 0; i < NAG_RES_MAX; i++) {
		char n[16];
		snprintf(n, sizeof n, "n%u", i);
		struct nag_entry e = entry(n, 9, i + 1, 1);
		CHECK_EQ(nag_prepare(&part, &e), ERR_OK);
	}
	struct nag_entry e = entry("more", 9, 999, 1);
	CHECK_EQ(nag_prepare(&part, &e), ERR_FULL);
	for (unsigned i = 0; i < NAG_WAIT_MAX; i++) {
		struct nag_entry w = entry("n0", 1, 100 + i, 1);
		CHECK_EQ(nag_prepare(&part, &w), NAG_WAIT);
	}
	struct nag_entry w = entry("n0", 1, 999, 1);
	CHECK_EQ(nag_prepare(&part, &w), ERR_FULL);
}

/* A yes vote keeps a registry slot: the commit after it never finds the table full. */
static void t_registry_full(void)
{
	fresh();
	for (unsigned i = 0; i < CAP - 2; i++) {
		char n[16];
		snprintf(n, sizeof n, "f%u", i);
		struct nag_entry e = entry(n, 1, i + 1, 1);
		CHECK_EQ(nag_prepare(&part, &e), ERR_OK);
		CHECK_EQ(nag_commit(&part, e.id, &e), ERR_OK);
	}
	struct nag_entry a = entry("a", 2, 1, 1), b = entry("b", 3, 1, 1), c = entry("c", 4, 1, 1);
	CHECK_EQ(nag_prepare(&part, &a), ERR_OK);
	CHECK_EQ(nag_prepare(&part, &b), ERR_OK);
	CHECK_EQ(nag_prepare(&part, &c), ERR_FULL);      /* both free slots are promised */
	CHECK_EQ(nag_commit(&part, b.id, &b), ERR_OK);
	CHECK_EQ(nag_commit(&part, a.id, &a), ERR_OK);
	CHECK_EQ(reg.count, CAP);
	CHECK(nag_abort(&part, c.id) == false);
}

/* ---- simulation: whole rounds along the tree between N replicas ---- */

/*
 * SIM_N monitors, tree parent (c - 1) / 3 (core 0 the root, depth 2), a
 * FIFO link between every pair, messages delivered in random order.  Each
 * monitor has its own view of who is down: a core that stops is learnt by
 * each live monitor at its own random later step (a message from a core a
 * monitor knows is down is dropped, as route.c does; a send towards a core
 * it thinks down is lost, as route_send's ERR_DEAD).  A stopped core may
 * be restarted: fresh replica, the state transfer (MON_NAME_STATE) from the
 * monitor that restarted it, and every other monitor learns it is back at
 * its own random step; what the new instance sends a monitor that does
 * not know yet waits in the new link until it does (restart.c's order).
 */
#define SIM_N 10
#define SIM_Q 512

enum { M_STATE = 100 };
struct sim_msg { int type; struct nag_entry e; err_t vote; unsigned from; };
struct sim_q { struct sim_msg m[SIM_Q]; unsigned head, tail; };

static uint16_t sim_parent[SIM_N];
static struct sim_node {
	bool live;
	bool stopped;                 /* stopped once in this run (restarted or not) */
	bool view_down[SIM_N];        /* this monitor's view */
	bool learn_down[SIM_N];       /* it has yet to learn core d is down */
	bool learn_up[SIM_N];         /* it has yet to learn core d is back */
	unsigned life_known[SIM_N];   /* the incarnation of each core it knows */
	struct mon_name_entry slots[CAP];
	struct mon_names reg;
	struct nag_part part;
	struct ntr_node ntr;
	bool coordinating;
	err_t result;                 /* 1: none yet */
} node[SIM_N];
static struct sim_q q[SIM_N][SIM_N];  /* q[src][dst], FIFO */
static unsigned sim_adopted, sim_expired, sim_timeouts, sim_held, sim_held_released;
static unsigned sim_life[SIM_N];      /* each core's incarnation (restarts so far) */
static unsigned sim_stale_rounds;     /* round messages of an earlier life, refused */
#define SIM_GEN_SHIFT 20              /* a round's seq carries its coordinator's life */

static unsigned idx(const void *ctx)
{
	return (unsigned)((const struct sim_node *)ctx - node);
}

static bool sim_is_down(void *ctx, unsigned core)
{
	return core >= SIM_N || node[idx(ctx)].view_down[core];
}

static void sim_push(unsigned src, unsigned dst, int type, const struct nag_entry *e, err_t v)
{
	struct sim_q *s = &q[src][dst];
	if (s->tail - s->head >= SIM_Q)
		abort();
	struct sim_msg *m = &s->m[s->tail++ % SIM_Q];
	m->type = type;
	m->e = *e;
	m->vote = v;
	m->from = src;
}

static void sim_send(void *ctx, unsigned dst, enum ntr_msg type, const struct nag_entry *e,
		     err_t vote)
{
	unsigned src = idx(ctx);
	if (dst >= SIM_N || node[src].view_down[dst])
		return;                          /* route_send: ERR_DEAD, lost */
	if (type == NTR_PREPARE && src != e->id.coord && dst != SIM_N &&
	    (sim_parent[dst] != src && sim_parent[src] != dst))
		sim_adopted++;                   /* a PREPARE past a dead core */
	sim_push(src, dst, (int)type, e, vote);
}

static void sim_decided(void *ctx, const struct nag_entry *e, err_t verdict)
{
	struct sim_node *n = &node[idx(ctx)];
	n->coordinating = false;
	n->result = verdict;
	CHECK_EQ(ntr_decide(&n->ntr, e->id, verdict == ERR_OK), ERR_OK);
}

static void sim_node_init(unsigned c)
{
	struct sim_node *n = &node[c];
	struct ntr_env env = {
		.parent = sim_parent, .ncores = SIM_N, .self = c, .part = &n->part,
		.is_down = sim_is_down, .send = sim_send, .decided = sim_decided, .ctx = n,
	};
	memset(n, 0, sizeof *n);
	n->live = true;
	mon_names_init(&n->reg, n->slots, CAP);
	nag_part_init(&n->part, &n->reg);
	ntr_init(&n->ntr, &env);
	n->result = (err_t)1;
}

static int sim_trace;
static void sim_deliver(unsigned c, const struct sim_msg *m)
{
	struct sim_node *n = &node[c];
	if (sim_trace)
		fprintf(stderr, "  %u -> %u type %d round %u.%u vote %d%s\n", m->from, c, m->type,
			m->e.id.coord, m->e.id.seq, m->vote,
			(!n->live || n->view_down[m->from]) ? " DROPPED" : "");
	const char *why = 0;
	if (!n->live || n->view_down[m->from])
		return;                          /* lost with the core, or refused by route.c */
	if (m->type != M_STATE && m->e.id.seq >> SIM_GEN_SHIFT < n->life_known[m->e.id.coord]) {
		sim_stale_rounds++;              /* namerepl.c: a round of an earlier life */
		return;
	}
	switch (m->type) {
	case NTR_PREPARE: why = ntr_prepare(&n->ntr, m->from, &m->e); break;
	case NTR_VOTE:    why = ntr_vote(&n->ntr, m->from, m->e.id, m->vote); break;
	case NTR_COMMIT:
	case NTR_ABORT:   why = ntr_decision(&n->ntr, m->from, &m->e, m->type == NTR_COMMIT); break;
	case M_STATE:   /* as namerepl.c's on_state: not a name of a core known down */
		if (m->e.used && !n->view_down[m->e.core])
			(void)mon_names_register(&n->reg, m->e.name, m->e.core, m->e.domain_id);
		break;
	}
	/*
	 * Honest monitors only: a refusal means the protocol is wrong, unless
	 * the round's coordinator stopped (its messages still in flight are
	 * refused by those who know, F3).
	 */
	if (why && !node[m->e.id.coord].stopped && !test_case_failed) {
		CHECK(why == 0);
		fprintf(stderr, "core %u refused type %d from %u round %u.%u: %s\n", c, m->type,
			m->from, m->e.id.coord, m->e.id.seq, why);
	}
}

static void sim_learn_down(unsigned c, unsigned d)
{
	if (sim_trace)
		fprintf(stderr, "  %u learns %u down\n", c, d);
	struct sim_node *n = &node[c];
	n->learn_down[d] = false;
	n->view_down[d] = true;
	nag_core_down(&n->part, d, 0);
	ntr_core_down(&n->ntr, d);
}

static void sim_learn_up(unsigned c, unsigned u)
{
	if (sim_trace)
		fprintf(stderr, "  %u learns %u up\n", c, u);
	node[c].learn_up[u] = false;
	node[c].view_down[u] = false;
	node[c].life_known[u] = sim_life[u];
	ntr_core_up(&node[c].ntr, u);
}

static void sim_stop(unsigned d)
{
	if (sim_trace)
		fprintf(stderr, "  STOP %u\n", d);
	node[d].live = false;
	node[d].stopped = true;
	for (unsigned c = 0; c < SIM_N; c++) {
		q[c][d].head = q[c][d].tail;         /* what it had not read is gone */
		if (node[c].live)
			node[c].learn_down[d] = true;
		node[c].learn_up[d] = false;
	}
}

static bool sim_learning(unsigned d)
{
	for (unsigned c = 0; c < SIM_N; c++)
		if (node[c].live && (node[c].learn_down[d] || node[c].learn_up[d]))
			return true;
	return false;
}

/* Core u is restarted by live core r: fresh, state from r, the others learn later. */
static void sim_restart(unsigned u, unsigned r)
{
	for (unsigned c = 0; c < SIM_N; c++) {
		q[u][c].head = q[u][c].tail;         /* the old links' areas are never read again */
		q[c][u].head = q[c][u].tail;
	}
	sim_node_init(u);
	node[u].stopped = true;
	sim_life[u]++;
	for (unsigned c = 0; c < SIM_N; c++) {
		node[u].view_down[c] = !node[c].live;
		node[u].life_known[c] = sim_life[c];
	}
	sim_learn_up(r, u);
	struct nag_entry st;
	memset(&st, 0, sizeof st);
	uint32_t core, dom;
	if (mon_names_lookup(&node[r].reg, "race", &core, &dom) == ERR_OK) {
		st = entry("race", r, 0, dom);
		st.core = core;
	}
	sim_push(r, u, M_STATE, &st, ERR_OK);
	for (unsigned c = 0; c < SIM_N; c++)
		if (c != r && c != u && node[c].live)
			node[c].learn_up[u] = true;
}

struct sim_script {
	int stop[2];                  /* cores to stop, -1 none */
	unsigned stop_after[2];       /* after this many steps */
	bool restart;                 /* restart the first stopped core later */
	unsigned restart_after;
};

static bool sim_in_flight(void)
{
	for (unsigned c = 0; c < SIM_N; c++)
		if (node[c].live && ntr_busy(&node[c].ntr))
			return true;
	return false;
}

/*
 * Nothing moves: time passes (F5), and rounds without a decision expire.
 * Only a stale copy of a stopped coordinator's round may ever need it.
 */
static bool sim_stale_somewhere(void)
{
	for (unsigned c = 0; c < SIM_N; c++)
		for (unsigned i = 0; i < NTR_ROUNDS && node[c].live; i++) {
			const struct ntr_round *r = &node[c].ntr.r[i];
			if ((r->phase == NTR_COLLECT || r->phase == NTR_ANSWERED) &&
			    node[r->e.id.coord].stopped)
				return true;
		}
	return false;
}

static unsigned sim_expire(void)
{
	unsigned n = 0;
	/* F6: a PREPARE held for a coordinator not yet back is answered busy at its bound,
	 * well before the coordinator's deadline */
	for (unsigned c = 0; c < SIM_N; c++)
		n += node[c].live ? ntr_held_expire(&node[c].ntr, ~0ull) : 0;
	if (n)
		return n;
	/* first the coordinators' deadlines (C5): abort, which needs a stale round to explain it */
	for (unsigned c = 0; c < SIM_N; c++) {
		if (!node[c].live || !node[c].coordinating)
			continue;
		CHECK(sim_stale_somewhere());
		for (unsigned i = 0; i < NTR_ROUNDS; i++) {
			struct ntr_round *r = &node[c].ntr.r[i];
			if (r->phase != NTR_FREE && r->up == NTR_NONE && r->phase != NTR_DONE) {
				node[c].coordinating = false;
				node[c].result = ERR_TIMEOUT;
				CHECK_EQ(ntr_decide(&node[c].ntr, r->e.id, false), ERR_OK);
				sim_timeouts++;
				return 1;
			}
		}
	}
	for (unsigned c = 0; c < SIM_N; c++) {
		struct nag_id old[NTR_ROUNDS];
		unsigned k = node[c].live ? ntr_expire(&node[c].ntr, ~0ull, old, NTR_ROUNDS) : 0;
		for (unsigned i = 0; i < k; i++)
			CHECK(old[i].coord < SIM_N && node[old[i].coord].stopped);
		n += k;
	}
	sim_expired += n;
	return n;
}

/* Runs until nothing is left to deliver or learn; false if a live round never ended. */
static bool sim_run(unsigned *seed, const struct sim_script *sc, unsigned *rejoin_in_flight)
{
	unsigned steps = 0;
	bool restarted = false;
	for (;;) {
		unsigned pending[SIM_N * SIM_N * 3], np = 0;
		for (unsigned s = 0; s < SIM_N; s++)
			for (unsigned d = 0; d < SIM_N; d++) {
				/* a restarted core's new link is read once the peer knows it is back */
				if (q[s][d].head != q[s][d].tail && !(node[s].live && node[d].view_down[s]))
					pending[np++] = s * SIM_N + d;
				if (node[s].live && node[s].learn_down[d])
					pending[np++] = SIM_N * SIM_N + s * SIM_N + d;
				if (node[s].live && node[s].learn_up[d])
					pending[np++] = 2 * SIM_N * SIM_N + s * SIM_N + d;
			}
		int r0 = sc->stop[0];
		bool can_restart = sc->restart && !restarted && r0 >= 0 && !node[r0].live &&
			steps >= sc->restart_after && !sim_learning((unsigned)r0);
		if (!np && !can_restart && !sim_expire())
			break;
		if (!np && !can_restart)
			continue;            /* F5 freed a round: it may move again */
		if (can_restart && (!np || rand_r(seed) % 4 == 0)) {
			unsigned r;
			do
				r = (unsigned)rand_r(seed) % SIM_N;
			while (!node[r].live);
			*rejoin_in_flight += sim_in_flight();
			if (sim_trace)
				fprintf(stderr, "  RESTART %d by %u\n", r0, r);
			sim_restart((unsigned)r0, r);
			restarted = true;
			continue;
		}
		unsigned k = pending[rand_r(seed) % np], kind = k / (SIM_N * SIM_N);
		unsigned s = k % (SIM_N * SIM_N) / SIM_N, d = k % SIM_N;
		if (kind == 0) {
			struct sim_msg m = q[s][d].m[q[s][d].head++ % SIM_Q];
			sim_deliver(d, &m);
		} else if (kind == 1) {
			sim_learn_down(s, d);
		} else {
			sim_learn_up(s, d);
		}
		steps++;
		for (unsigned i = 0; i < 2; i++)
			if (sc->stop[i] >= 0 && steps == sc->stop_after[i] && node[sc->stop[i]].live)
				sim_stop((unsigned)sc->stop[i]);
	}
	bool ok = true;
	for (unsigned c = 0; c < SIM_N; c++) {
		sim_held += node[c].ntr.held_total;
		sim_held_released += node[c].ntr.held_released;
		node[c].ntr.held_total = node[c].ntr.held_released = 0;
	}
	for (unsigned c = 0; c < SIM_N; c++)
		if (node[c].live && (node[c].coordinating || ntr_busy(&node[c].ntr) ||
				     ntr_held(&node[c].ntr))) {
			for (unsigned i = 0; i < NTR_ROUNDS; i++) {
				const struct ntr_round *r = &node[c].ntr.r[i];
				if (r->phase == NTR_COLLECT || r->phase == NTR_ANSWERED)
					fprintf(stderr, "core %u: round %u.%u phase %d up %u own %d "
						"waiting %#llx\n", c, r->e.id.coord, r->e.id.seq,
						r->phase, r->up, r->own_pending,
						(unsigned long long)r->waiting[0]);
			}
			ok = false;
		}
	return ok;
}

static void sim_start(unsigned c, uint32_t seq)
{
	struct nag_entry e = entry("race", c, sim_life[c] << SIM_GEN_SHIFT | seq, 10 + c);
	node[c].coordinating = true;
	CHECK_EQ(ntr_start(&node[c].ntr, &e), ERR_OK);
}

static void sim_reset(void)
{
	memset(q, 0, sizeof q);
	memset(sim_life, 0, sizeof sim_life);
	for (unsigned c = 0; c < SIM_N; c++) {
		sim_parent[c] = c ? (uint16_t)((c - 1) / 3) : VMTREE_ROOT;
		sim_node_init(c);
	}
}

/* Every live replica holds the same "race" entry (or none); returns its core or -1. */
static int sim_agreed(bool *same)
{
	int first = -2;
	*same = true;
	for (unsigned c = 0; c < SIM_N; c++) {
		uint32_t core;
		if (!node[c].live)
			continue;
		int have = mon_names_lookup(&node[c].reg, "race", &core, 0) == ERR_OK ? (int)core : -1;
		if (sim_trace)
			fprintf(stderr, "  end: core %u has %d reserved %d refused %u\n", c, have,
				nag_reserved(&node[c].part, "race") != 0, node[c].ntr.commit_refused);
		if (nag_reserved(&node[c].part, "race") || node[c].ntr.commit_refused)
			*same = false;                   /* nothing half-done, nothing refused */
		if (first == -2)
			first = have;
		else if (have != first)
			*same = false;
	}
	return first;
}

static void t_sim_concurrent(void)
{
	unsigned seed = 12345;
	struct sim_script none = { { -1, -1 }, { 0, 0 }, false, 0 };
	for (unsigned rep = 0; rep < 3000 && !test_case_failed; rep++) {
		unsigned a = (unsigned)rand_r(&seed) % SIM_N, b = (unsigned)rand_r(&seed) % SIM_N;
		unsigned c3 = (unsigned)rand_r(&seed) % SIM_N, rj = 0;
		bool three = rep % 3 == 0;
		sim_reset();
		sim_start(a, 1);
		if (b != a)
			sim_start(b, 1);
		if (three && c3 != a && c3 != b)
			sim_start(c3, 1);
		CHECK(sim_run(&seed, &none, &rj));
		unsigned granted = 0;
		for (unsigned c = 0; c < SIM_N; c++)
			granted += node[c].result == ERR_OK;
		CHECK_EQ(granted, 1);
		bool same;
		int holder = sim_agreed(&same);
		CHECK(same);
		CHECK(holder >= 0 && node[holder].result == ERR_OK);
	}
}

/*
 * One or two cores stop at random steps (a party before or after voting,
 * an inner node of the tree with a vote or a decision still to pass on, a
 * coordinator after its PREPAREs or half its COMMITs), half the time the
 * first is restarted later, often while a round is still in flight.
 */
static void t_sim_core_stops(void)
{
	unsigned seed = 777;
	unsigned completed = 0, aborted = 0, rejoined = 0, rejoin_in_flight = 0;
	const char *trace = getenv("SIM_TRACE");      /* SIM_TRACE=rep: that run's events */
	for (unsigned rep = 0; rep < 3000 && !test_case_failed; rep++) {
		unsigned a = (unsigned)rand_r(&seed) % SIM_N, b = (unsigned)rand_r(&seed) % SIM_N;
		struct sim_script sc;
		sim_reset();
		sim_trace = trace && (unsigned)atoi(trace) == rep;
		sc.stop[0] = rand_r(&seed) % 2 ? (int)a : (int)((unsigned)rand_r(&seed) % SIM_N);
		sc.stop_after[0] = 1 + (unsigned)rand_r(&seed) % 40;
		sc.stop[1] = rep % 4 == 0 ? (int)((unsigned)rand_r(&seed) % SIM_N) : -1;
		sc.stop_after[1] = 1 + (unsigned)rand_r(&seed) % 60;
		sc.restart = rep % 2 == 0;
		sc.restart_after = sc.stop_after[0] + (unsigned)rand_r(&seed) % 40;
		sim_start(a, 1);
		if (b != a)
			sim_start(b, 1);
		unsigned before = rejoin_in_flight;
		CHECK(sim_run(&seed, &sc, &rejoin_in_flight));
		rejoined += sc.restart && node[sc.stop[0]].live;
		unsigned granted = 0;
		for (unsigned c = 0; c < SIM_N; c++)
			granted += node[c].live && node[c].result == ERR_OK;
		CHECK(granted <= 1);
		bool same;
		int holder = sim_agreed(&same);
		CHECK(same);
		/* a name held by the live replicas belongs to a live core that was told yes */
		if (holder >= 0)
			CHECK(node[holder].live && node[holder].result == ERR_OK);
		completed += holder >= 0;
		aborted += holder < 0;
		if (test_case_failed)
			fprintf(stderr, "rep %u: a=%u b=%u stop %d@%u %d@%u restart %d@%u (in flight %u)\n",
				rep, a, b, sc.stop[0], sc.stop_after[0], sc.stop[1], sc.stop_after[1],
				sc.restart, sc.restart_after, rejoin_in_flight - before);
	}
	/* every path was exercised */
	CHECK(completed > 100 && aborted > 100);
	CHECK(rejoined > 500 && rejoin_in_flight > 100);
	CHECK(sim_adopted > 100);
	CHECK(sim_held > 0 && sim_held_released > 0);
	printf("sim: %u completed, %u aborted, %u rejoins (%u with a round in flight), "
	       "%u adopted PREPAREs, %u stale rounds expired, %u timed out, %u PREPAREs held "
	       "(F6), %u of them handled once their coordinator was back, %u round messages of "
	       "an earlier life refused\n", completed, aborted,
	       rejoined, rejoin_in_flight, sim_adopted, sim_expired, sim_timeouts, sim_held,
	       sim_held_released, sim_stale_rounds);
}

/* Delivers every queued message, oldest link first, until none is left. */
static void sim_drain(void)
{
	for (bool moved = true; moved;) {
		moved = false;
		for (unsigned s = 0; s < SIM_N; s++)
			for (unsigned d = 0; d < SIM_N; d++)
				while (q[s][d].head != q[s][d].tail) {
					struct sim_msg m = q[s][d].m[q[s][d].head++ % SIM_Q];
					sim_deliver(d, &m);
					moved = true;
				}
	}
}

/*
 * F6, directed: core 4 (tree 0 -> 1 -> 4, 1 -> 5) was restarted and
 * coordinates a round; core 5 has not taken it up yet when core 1 passes
 * the PREPARE on.  Core 5 holds it (no vote), the round waits; once core 5
 * takes core 4 up the PREPARE is handled and the round commits at its first
 * attempt.  Without the take-up, the bound answers busy and the round
 * aborts (its coordinator would try again).
 */
static void t_held_prepare(void)
{
	for (int up = 1; up >= 0; up--) {
		sim_reset();
		node[4].stopped = true;                  /* restarted: its refused ABORT is no fault */
		node[5].view_down[4] = true;
		sim_start(4, 1);
		sim_drain();
		CHECK_EQ(ntr_held(&node[5].ntr), 1);
		CHECK(node[4].coordinating);             /* waits for core 5's subtree */
		CHECK_EQ(ntr_held_expire(&node[5].ntr, 0), 0);  /* born at 0: not before 0 */
		if (up)
			sim_learn_up(5, 4);
		else
			CHECK_EQ(ntr_held_expire(&node[5].ntr, 1), 1);
		sim_drain();
		CHECK_EQ(ntr_held(&node[5].ntr), 0);
		CHECK(!node[4].coordinating);
		CHECK_EQ(node[4].result, up ? ERR_OK : ERR_BUSY);
		bool same;
		int holder = sim_agreed(&same);
		CHECK(same);
		CHECK_EQ(holder, up ? 4 : -1);
	}
	/* a decision of a held round, and the coordinator going down, drop it */
	sim_reset();
	node[5].view_down[4] = true;
	sim_start(4, 1);
	sim_drain();
	CHECK_EQ(ntr_held(&node[5].ntr), 1);
	sim_learn_down(5, 4);
	CHECK_EQ(ntr_held(&node[5].ntr), 0);
}

/*
 * C4 (namerepl.c): which cores a round may still be waiting for.  Tree
 * 0 -> {1,2,3}, 1 -> {4,5,6}, 2 -> {7,8,9}; core 4 coordinates while cores
 * 1 and 7 are stopped and nobody has declared them down yet: the round
 * waits on core 1 (its kid) and on everything beyond it, core 7 included.
 * Once core 1 is down its kids are adopted (F1): the round waits on 7
 * through core 0 and no longer on 1; once 7 is down too it completes
 * among the live cores, and waits on nobody.
 */
static void t_waits_on(void)
{
	sim_reset();
	sim_stop(1);
	sim_stop(7);
	sim_start(4, 1);
	sim_drain();
	struct nag_id id = { 4, 1 };
	CHECK(node[4].coordinating);
	CHECK(ntr_waits_on(&node[4].ntr, id, 1));
	CHECK(ntr_waits_on(&node[4].ntr, id, 7));
	CHECK(!ntr_waits_on(&node[4].ntr, id, 4));       /* the coordinator itself */
	CHECK(!ntr_waits_on(&node[4].ntr, id, SIM_N));   /* no such core */
	CHECK(!ntr_waits_on(&node[4].ntr, (struct nag_id){ 4, 2 }, 1));  /* no such round */
	for (unsigned c = 0; c < SIM_N; c++)
		if (node[c].live)
			sim_learn_down(c, 1);
	sim_drain();
	CHECK(node[4].coordinating);
	CHECK(!ntr_waits_on(&node[4].ntr, id, 1));
	CHECK(ntr_waits_on(&node[4].ntr, id, 7));
	CHECK(ntr_waits_on(&node[0].ntr, id, 7));        /* core 0 waits on 2's subtree */
	for (unsigned c = 0; c < SIM_N; c++)
		if (node[c].live)
			sim_learn_down(c, 7);
	sim_drain();
	CHECK(!node[4].coordinating);
	CHECK_EQ(node[4].result, ERR_OK);
	CHECK(!ntr_waits_on(&node[4].ntr, id, 7));
	bool same;
	CHECK_EQ(sim_agreed(&same), 4);
	CHECK(same);
}

/*
 * F6 past its bound: more PREPAREs of coordinators core 5 takes as down
 * than it can hold (NTR_HELD) — a restarted coordinator's retries, each a
 * new round, several restarted coordinators, or a monitor that floods.
 * Core 1 (on the path 4 -> 1 -> 5) passes on NTR_HELD + 4 rounds of core
 * 4: the first NTR_HELD are held, the rest are answered ERR_BUSY at once
 * (counted) and leave nothing behind; when core 5 takes core 4 up, every
 * held one is handled and voted on, the table is empty again, and a later
 * PREPARE can be held again.  A copy of a held PREPARE takes no second slot.
 */
static unsigned votes_to(unsigned src, unsigned dst, err_t vote)
{
	unsigned k = 0;
	for (unsigned i = q[src][dst].head; i != q[src][dst].tail; i++)
		k += q[src][dst].m[i % SIM_Q].type == NTR_VOTE && q[src][dst].m[i % SIM_Q].vote == vote;
	return k;
}

static void t_held_overflow(void)
{
	enum { EXTRA = 4 };
	char name[16];
	sim_reset();
	node[5].view_down[4] = true;
	for (uint32_t i = 0; i < NTR_HELD + EXTRA; i++) {
		snprintf(name, sizeof name, "h%u", i);
		struct nag_entry e = entry(name, 4, 100 + i, 40 + i);
		CHECK(ntr_prepare(&node[5].ntr, 1, &e) == 0);
		if (i == 0)
			CHECK(ntr_prepare(&node[5].ntr, 1, &e) == 0); /* a copy */
	}
	CHECK_EQ(ntr_held(&node[5].ntr), NTR_HELD);
	CHECK_EQ(node[5].ntr.held_total, NTR_HELD);
	CHECK_EQ(node[5].ntr.held_refused, EXTRA);
	CHECK_EQ(votes_to(5, 1, ERR_BUSY), EXTRA);
	CHECK_EQ(ntr_busy(&node[5].ntr), 0);                 /* no round record yet */
	for (uint32_t i = NTR_HELD; i < NTR_HELD + EXTRA; i++) {
		snprintf(name, sizeof name, "h%u", i);
		CHECK(!nag_reserved(&node[5].part, name));       /* the refused left nothing */
	}
	sim_learn_up(5, 4);
	CHECK_EQ(ntr_held(&node[5].ntr), 0);
	CHECK_EQ(node[5].ntr.held_released, NTR_HELD);
	CHECK_EQ(votes_to(5, 1, ERR_OK), NTR_HELD);          /* a leaf: it votes at once */
	node[5].view_down[4] = true;                         /* down again: room again */
	struct nag_entry e = entry("again", 4, 999, 99);
	CHECK(ntr_prepare(&node[5].ntr, 1, &e) == 0);
	CHECK_EQ(ntr_held(&node[5].ntr), 1);
}

/*
 * ---- many coordinators at once, 255 cores ----
 *
 * Every core of a 255-core tree (parent (c - 1) / 4, as wide as the
 * monitors' tree) registers a name of its own at the same moment, one
 * round per coordinator as monitor/namerepl.c runs them; messages go over
 * per-link FIFOs delivered in random order.  With room for one round per
 * core in every replica (NAG_RES_MAX, NTR_ROUNDS) no PREPARE is refused
 * ERR_FULL, so every round commits at its first attempt and every replica
 * ends with all 255 names.  (With the former 32 reservations and 48 round
 * records, most rounds were refused somewhere: the 255-core soak's
 * registrations failed after their retries.)
 */
#define MANY_N 255

struct many_msg { int type; struct nag_entry e; err_t vote; };
struct many_link { struct many_msg *m; unsigned head, tail, cap; bool listed; };

static struct many_node {
	struct mon_name_entry slots[CAP];
	struct mon_names reg;
	struct nag_part part;
	struct ntr_node ntr;
	err_t result;                     /* 1: none yet */
} *many;
static uint16_t many_parent[MANY_N];
static struct many_link *many_links;   /* [src * MANY_N + dst] */
static unsigned *many_busy, many_nbusy; /* links with messages */

static bool many_is_down(void *ctx, unsigned core)
{
	(void)ctx;
	return core >= MANY_N;
}

static void many_send(void *ctx, unsigned dst, enum ntr_msg type, const struct nag_entry *e,
		      err_t vote)
{
	unsigned src = (unsigned)((struct many_node *)ctx - many), id = src * MANY_N + dst;
	struct many_link *l = &many_links[id];
	if (l->tail - l->head == l->cap) {
		unsigned cap = l->cap ? 2 * l->cap : 16;
		struct many_msg *m = calloc(cap, sizeof *m);
		for (unsigned i = 0; i < l->tail - l->head; i++)
			m[i] = l->m[(l->head + i) % (l->cap ? l->cap : 1)];
		free(l->m);
		l->tail -= l->head;
		l->head = 0;
		l->m = m;
		l->cap = cap;
	}
	l->m[l->tail++ % l->cap] = (struct many_msg){ (int)type, *e, vote };
	if (!l->listed) {
		l->listed = true;
		many_busy[many_nbusy++] = id;
	}
}

static void many_decided(void *ctx, const struct nag_entry *e, err_t verdict)
{
	struct many_node *n = ctx;
	n->result = verdict;
	CHECK_EQ(ntr_decide(&n->ntr, e->id, verdict == ERR_OK), ERR_OK);
}

static void t_sim_many_coordinators(void)
{
	unsigned seed = 4242, refused = 0, delivered = 0;
	many = calloc(MANY_N, sizeof *many);
	many_links = calloc(MANY_N * MANY_N, sizeof *many_links);
	many_busy = calloc(MANY_N * MANY_N, sizeof *many_busy);
	for (unsigned c = 0; c < MANY_N; c++) {
		many_parent[c] = c ? (uint16_t)((c - 1) / 4) : VMTREE_ROOT;
		struct ntr_env env = {
			.parent = many_parent, .ncores = MANY_N, .self = c, .part = &many[c].part,
			.is_down = many_is_down, .send = many_send, .decided = many_decided,
			.ctx = &many[c],
		};
		mon_names_init(&many[c].reg, many[c].slots, CAP);
		nag_part_init(&many[c].part, &many[c].reg);
		ntr_init(&many[c].ntr, &env);
		many[c].result = (err_t)1;
	}
	for (unsigned c = 0; c < MANY_N; c++) {
		char name[16];
		snprintf(name, sizeof name, "svc%u", c);
		struct nag_entry e = entry(name, c, 1, 10 + c);
		CHECK_EQ(ntr_start(&many[c].ntr, &e), ERR_OK);
	}
	while (many_nbusy) {
		unsigned k = (unsigned)rand_r(&seed) % many_nbusy, id = many_busy[k];
		struct many_link *l = &many_links[id];
		struct many_msg m = l->m[l->head++ % l->cap];
		if (l->head == l->tail) {
			l->listed = false;
			many_busy[k] = many_busy[--many_nbusy];
		}
		unsigned src = id / MANY_N, dst = id % MANY_N;
		struct ntr_node *n = &many[dst].ntr;
		const char *why = 0;
		if (m.type == NTR_VOTE && m.vote == ERR_FULL)
			refused++;
		switch (m.type) {
		case NTR_PREPARE: why = ntr_prepare(n, src, &m.e); break;
		case NTR_VOTE:    why = ntr_vote(n, src, m.e.id, m.vote); break;
		default:          why = ntr_decision(n, src, &m.e, m.type == NTR_COMMIT); break;
		}
		CHECK(why == 0);
		delivered++;
	}
	unsigned committed = 0, complete = 0;
	for (unsigned c = 0; c < MANY_N; c++) {
		committed += many[c].result == ERR_OK;
		complete += many[c].reg.count == MANY_N && !ntr_busy(&many[c].ntr);
	}
	CHECK_EQ(refused, 0);
	CHECK_EQ(committed, MANY_N);
	CHECK_EQ(complete, MANY_N);
	unsigned cores = MANY_N;
	printf("many: %u rounds at once on %u cores, %u messages, %u refused for room, "
	       "%u committed, %u replicas complete\n", cores, cores, delivered, refused, committed,
	       complete);
	for (unsigned i = 0; i < MANY_N * MANY_N; i++)
		free(many_links[i].m);
	free(many_links);
	free(many_busy);
	free(many);
}

int main(void)
{
	RUN(t_lone_round);
	RUN(t_bad_name);
	RUN(t_wait_die);
	RUN(t_commit_then_waiter_exists);
	RUN(t_commit_without_reservation);
	RUN(t_core_down);
	RUN(t_full);
	RUN(t_registry_full);
	RUN(t_sim_concurrent);
	RUN(t_sim_core_stops);
	RUN(t_held_prepare);
	RUN(t_waits_on);
	RUN(t_held_overflow);
	RUN(t_sim_many_coordinators);
	return test_summary();
}
