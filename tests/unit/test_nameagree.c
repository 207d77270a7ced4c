/*
 * Host tests for monitor/nameagree.c: a participant's prepare, commit and
 * abort; wait-die between rounds of one name; a core declared down; the
 * coordinator's vote counting (parties only, once each); and a simulation
 * of whole rounds between replicas over FIFO links delivered in random
 * order, with concurrent registrations of one name and cores that stop at
 * random points: at most one registration is granted, exactly one when no
 * core stops, and every live replica ends with the same registry.
 */
#define TEST_PROGRAM "nameagree"
#include "test.h"
#include <stdlib.h>
#include <monitor/nameagree.h>

#define CAP 40              /* more than NAG_RES_MAX */

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

static void t_round_votes(void)
{
	uint64_t parties[NAG_SET_WORDS] = { 0 };
	struct nag_round r;
	struct nag_entry e = entry("v", 1, 1, 1);
	parties[0] = 1u << 0 | 1u << 1 | 1u << 2;
	parties[3] = 1ull << 63;                         /* core 255 */
	nag_round_start(&r, &e, parties);
	CHECK_EQ(r.nwaiting, 4);
	CHECK_EQ(nag_round_vote(&r, 3, ERR_OK), NAG_REFUSED);     /* not a party */
	CHECK_EQ(nag_round_vote(&r, 300, ERR_OK), NAG_REFUSED);   /* no such core */
	CHECK_EQ(nag_round_vote(&r, 1, ERR_OK), NAG_PENDING);
	CHECK_EQ(nag_round_vote(&r, 1, ERR_OK), NAG_REFUSED);     /* twice */
	CHECK_EQ(nag_round_vote(&r, 2, ERR_BUSY), NAG_PENDING);
	CHECK_EQ(nag_round_vote(&r, 255, ERR_EXIST), NAG_PENDING);
	CHECK_EQ(r.verdict, ERR_EXIST);
	CHECK_EQ(nag_round_core_down(&r, 2), NAG_PENDING);        /* voted already */
	CHECK_EQ(nag_round_core_down(&r, 0), NAG_DECIDED);
	CHECK(nag_round_is_party(&r, 255) && !nag_round_is_party(&r, 3));

	nag_round_start(&r, &e, parties);
	CHECK_EQ(nag_round_vote(&r, 0, ERR_OK), NAG_PENDING);
	CHECK_EQ(nag_round_vote(&r, 1, ERR_FULL), NAG_PENDING);
	CHECK_EQ(nag_round_vote(&r, 2, ERR_BUSY), NAG_PENDING);
	CHECK_EQ(nag_round_core_down(&r, 255), NAG_DECIDED);      /* the last one */
	CHECK_EQ(r.verdict, ERR_BUSY);
}

/* ---- simulation: whole rounds between N replicas ---- */

#define SIM_N 6
#define SIM_Q 512

enum { M_PREPARE, M_VOTE, M_COMMIT, M_ABORT };
struct sim_msg { int type; struct nag_entry e; err_t vote; unsigned from; };
struct sim_q { struct sim_msg m[SIM_Q]; unsigned head, tail; };

static struct sim_node {
	bool down;
	struct mon_name_entry slots[CAP];
	struct mon_names reg;
	struct nag_part part;
	bool coordinating;
	struct nag_round r;
	err_t result;                 /* 1: none yet */
} node[SIM_N];
static struct sim_q q[SIM_N][SIM_N];  /* q[src][dst], FIFO */
static int stop_core, stop_after;     /* core `stop_core` stops after stop_after deliveries */

static void sim_send(unsigned src, unsigned dst, int type, const struct nag_entry *e, err_t v)
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

static void sim_decide(unsigned c)
{
	struct sim_node *n = &node[c];
	int type = n->r.verdict ? M_ABORT : M_COMMIT;
	for (unsigned d = 0; d < SIM_N; d++)
		if (nag_round_is_party(&n->r, d) && !node[d].down)
			sim_send(c, d, type, &n->r.e, 0);
	n->coordinating = false;
	n->result = n->r.verdict;
}

static void sim_vote_ready(unsigned c)
{
	struct nag_entry w;
	while (nag_ready(&node[c].part, &w)) {
		err_t v = nag_prepare(&node[c].part, &w);
		if (v != NAG_WAIT)
			sim_send(c, w.id.coord, M_VOTE, &w, v);
	}
}

static void sim_deliver(unsigned c, const struct sim_msg *m)
{
	struct sim_node *n = &node[c];
	err_t v;
	switch (m->type) {
	case M_PREPARE:
		v = nag_prepare(&n->part, &m->e);
		if (v != NAG_WAIT)
			sim_send(c, m->e.id.coord, M_VOTE, &m->e, v);
		break;
	case M_VOTE:
		if (n->coordinating && n->r.e.id.seq == m->e.id.seq &&
		    nag_round_vote(&n->r, m->from, m->vote) == NAG_DECIDED)
			sim_decide(c);
		break;
	case M_COMMIT:
		nag_commit(&n->part, m->e.id, &m->e);
		sim_vote_ready(c);
		break;
	case M_ABORT:
		nag_abort(&n->part, m->e.id);
		sim_vote_ready(c);
		break;
	}
}

static void sim_core_down(unsigned dead)
{
	node[dead].down = true;
	for (unsigned c = 0; c < SIM_N; c++) {
		q[dead][c].head = q[dead][c].tail;   /* its unsent messages are gone */
		q[c][dead].head = q[c][dead].tail;
	}
	for (unsigned c = 0; c < SIM_N; c++) {
		if (node[c].down)
			continue;
		nag_core_down(&node[c].part, dead, 0);
		if (node[c].coordinating && nag_round_core_down(&node[c].r, dead) == NAG_DECIDED)
			sim_decide(c);
		sim_vote_ready(c);
	}
}

/* Runs until no message is left; false if a round never ended. */
static bool sim_run(unsigned *seed)
{
	unsigned steps = 0;
	for (;;) {
		unsigned pending[SIM_N * SIM_N], np = 0;
		for (unsigned s = 0; s < SIM_N; s++)
			for (unsigned d = 0; d < SIM_N; d++)
				if (q[s][d].head != q[s][d].tail)
					pending[np++] = s * SIM_N + d;
		if (!np)
			break;
		unsigned k = pending[rand_r(seed) % np], s = k / SIM_N, d = k % SIM_N;
		struct sim_msg m = q[s][d].m[q[s][d].head++ % SIM_Q];
		sim_deliver(d, &m);
		if (++steps == (unsigned)stop_after && stop_core >= 0)
			sim_core_down((unsigned)stop_core);
	}
	for (unsigned c = 0; c < SIM_N; c++)
		if (!node[c].down && node[c].coordinating)
			return false;
	return true;
}

static void sim_start(unsigned c, uint32_t seq)
{
	uint64_t parties[NAG_SET_WORDS] = { 0 };
	struct nag_entry e = entry("race", c, seq, 10 + c);
	for (unsigned d = 0; d < SIM_N; d++)
		if (!node[d].down)
			parties[0] |= 1ull << d;
	nag_round_start(&node[c].r, &e, parties);
	node[c].coordinating = true;
	for (unsigned d = 0; d < SIM_N; d++)
		if (!node[d].down)
			sim_send(c, d, M_PREPARE, &e, 0);
}

static void sim_reset(void)
{
	memset(q, 0, sizeof q);
	for (unsigned c = 0; c < SIM_N; c++) {
		memset(&node[c], 0, sizeof node[c]);
		mon_names_init(&node[c].reg, node[c].slots, CAP);
		nag_part_init(&node[c].part, &node[c].reg);
		node[c].result = (err_t)1;
	}
}

/* Every live replica holds the same "race" entry (or none); returns its core or -1. */
static int sim_agreed(bool *same)
{
	int first = -2;
	*same = true;
	for (unsigned c = 0; c < SIM_N; c++) {
		uint32_t core;
		if (node[c].down)
			continue;
		int have = mon_names_lookup(&node[c].reg, "race", &core, 0) == ERR_OK ? (int)core : -1;
		if (nag_reserved(&node[c].part, "race"))
			*same = false;                   /* nothing half-done */
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
	for (unsigned rep = 0; rep < 3000 && !test_case_failed; rep++) {
		unsigned a = (unsigned)rand_r(&seed) % SIM_N, b = (unsigned)rand_r(&seed) % SIM_N;
		unsigned c3 = (unsigned)rand_r(&seed) % SIM_N;
		bool three = rep % 3 == 0;
		sim_reset();
		stop_core = -1;
		sim_start(a, 1);
		if (b != a)
			sim_start(b, 1);
		if (three && c3 != a && c3 != b)
			sim_start(c3, 1);
		CHECK(sim_run(&seed));
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

static void t_sim_core_stops(void)
{
	unsigned seed = 777;
	unsigned completed = 0, aborted = 0;
	for (unsigned rep = 0; rep < 3000 && !test_case_failed; rep++) {
		unsigned a = (unsigned)rand_r(&seed) % SIM_N, b = (unsigned)rand_r(&seed) % SIM_N;
		sim_reset();
		stop_core = rand_r(&seed) % 2 ? (int)a : (int)((unsigned)rand_r(&seed) % SIM_N);
		stop_after = 1 + rand_r(&seed) % 30;
		sim_start(a, 1);
		if (b != a)
			sim_start(b, 1);
		CHECK(sim_run(&seed));
		unsigned granted = 0;
		for (unsigned c = 0; c < SIM_N; c++)
			granted += !node[c].down && node[c].result == ERR_OK;
		CHECK(granted <= 1);
		bool same;
		int holder = sim_agreed(&same);
		CHECK(same);
		/* a name held by the live replicas belongs to a live core that was told yes */
		if (holder >= 0)
			CHECK(!node[holder].down && node[holder].result == ERR_OK);
		completed += holder >= 0;
		aborted += holder < 0;
	}
	CHECK(completed > 100 && aborted > 100);     /* both outcomes were exercised */
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
	RUN(t_round_votes);
	RUN(t_sim_concurrent);
	RUN(t_sim_core_stops);
	return test_summary();
}
