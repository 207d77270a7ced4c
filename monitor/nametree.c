/*
 * nametree.c: two-phase commit along the monitors' tree (monitor/nametree.h;
 * the step labels T1-T3 and F1-F4 are that header's).
 */
#include <monitor/nametree.h>

static bool same_id(struct nag_id a, struct nag_id b)
{
	return a.coord == b.coord && a.seq == b.seq;
}

static void zero(void *p, unsigned len)
{
	unsigned char *b = p;
	for (unsigned i = 0; i < len; i++)
		b[i] = 0;
}

static bool down(const struct ntr_node *n, unsigned c)
{
	return n->env.is_down(n->env.ctx, c);
}

/* ---- the tree, oriented towards the coordinator ---- */

static unsigned tparent(const struct ntr_node *n, unsigned c)
{
	unsigned p = n->env.parent[c];
	return p < n->env.ncores ? p : NTR_NONE;
}

/* x's neighbour towards coord (NTR_NONE for x == coord or a broken tree). */
static unsigned toward(const struct ntr_node *n, unsigned x, unsigned coord)
{
	if (x == coord)
		return NTR_NONE;
	if (!vmtree_below(n->env.parent, n->env.ncores, coord, x))
		return tparent(n, x);
	for (unsigned c = 0; c < n->env.ncores; c++)
		if (tparent(n, c) == x && vmtree_below(n->env.parent, n->env.ncores, coord, c))
			return c;
	return NTR_NONE;
}

/* Is f on the tree path from x (excluded) to coord (included)? */
static bool on_path(const struct ntr_node *n, unsigned x, unsigned coord, unsigned f)
{
	for (unsigned steps = 0; x != coord && steps < n->env.ncores; steps++) {
		x = toward(n, x, coord);
		if (x == NTR_NONE)
			return false;
		if (x == f)
			return true;
	}
	return false;
}

static unsigned kids_rec(const struct ntr_node *n, uint32_t coord, unsigned x, uint32_t *out,
			 unsigned k, unsigned max, uint64_t *passed, unsigned depth)
{
	unsigned up = toward(n, x, coord), p = tparent(n, x);
	if (depth > n->env.ncores)
		return k;
	for (unsigned c = 0; c < n->env.ncores && k < max; c++) {
		bool nb = c == p || (tparent(n, c) == x && c != x);
		if (!nb || c == up)
			continue;
		if (!down(n, c)) {
			out[k++] = c;
			continue;
		}
		if (passed)
			vmtree_add(passed, c);
		k = kids_rec(n, coord, c, out, k, max, passed, depth + 1);
	}
	return k;
}

unsigned ntr_live_kids(const struct ntr_node *n, uint32_t coord, unsigned core, uint32_t *out,
		       unsigned max, uint64_t *passed)
{
	if (coord >= n->env.ncores || core >= n->env.ncores)
		return 0;
	return kids_rec(n, coord, core, out, 0, max, passed, 0);
}

/* ---- records ---- */

static struct ntr_round *find(struct ntr_node *n, struct nag_id id)
{
	for (unsigned i = 0; i < NTR_ROUNDS; i++)
		if (n->r[i].phase != NTR_FREE && same_id(n->r[i].e.id, id))
			return &n->r[i];
	return 0;
}

/* A free record, else the oldest DONE one; NULL when every record is in flight. */
static struct ntr_round *take(struct ntr_node *n, const struct nag_entry *e)
{
	struct ntr_round *best = 0;
	for (unsigned i = 0; i < NTR_ROUNDS && !(best && best->phase == NTR_FREE); i++) {
		struct ntr_round *r = &n->r[i];
		if (r->phase == NTR_FREE || (r->phase == NTR_DONE && (!best || r->age < best->age)))
			best = r;
	}
	if (!best)
		return 0;
	if (best->phase == NTR_DONE)
		n->evicted++;
	zero(best, sizeof *best);
	best->e = *e;
	best->e.used = true;
	best->e.name[PROGRAM_NAME_MAX - 1] = 0;
	best->age = ++n->clock;
	best->born = n->now;
	best->verdict = ERR_OK;
	return best;
}

static int strength(err_t e)
{
	return e == ERR_EXIST ? 3 : e == ERR_BUSY ? 2 : e != ERR_OK ? 1 : 0;
}

static void combine(struct ntr_round *r, err_t v)
{
	if (strength(v) > strength(r->verdict))
		r->verdict = v;
}

static bool none_waiting(const struct ntr_round *r)
{
	return vmtree_count(r->waiting) == 0;
}

/* T2: the subtree's vote is complete: answer every asker (or, at C, the verdict). */
static void maybe_answer(struct ntr_node *n, struct ntr_round *r)
{
	if (r->phase != NTR_COLLECT || r->own_pending || !none_waiting(r))
		return;
	r->phase = NTR_ANSWERED;
	if (r->up == NTR_NONE) {
		struct nag_entry e = r->e;
		n->env.decided(n->env.ctx, &e, r->verdict);
		return;
	}
	for (unsigned c = 0; c < n->env.ncores; c++)
		if (vmtree_has(r->askers, c))
			n->env.send(n->env.ctx, c, NTR_VOTE, &r->e, r->verdict);
}

/* PREPARE to the live kids of x (x itself or an adopted core), waiting for each. */
static void fan_prepare(struct ntr_node *n, struct ntr_round *r, unsigned x)
{
	uint32_t kids[CORES_MAX];
	unsigned k = ntr_live_kids(n, r->e.id.coord, x, kids, CORES_MAX, 0);
	for (unsigned i = 0; i < k; i++)
		vmtree_add(r->waiting, kids[i]);
	for (unsigned i = 0; i < k; i++)
		n->env.send(n->env.ctx, kids[i], NTR_PREPARE, &r->e, ERR_OK);
}

static void own_prepare(struct ntr_node *n, struct ntr_round *r)
{
	err_t v = nag_prepare(n->env.part, &r->e);
	if (v == NAG_WAIT)
		r->own_pending = true;
	else
		combine(r, v);
}

/* Deferred prepares whose name is free again: prepared (and counted) now. */
static void ready(struct ntr_node *n)
{
	struct nag_entry w;
	while (nag_ready(n->env.part, &w)) {
		err_t v = nag_prepare(n->env.part, &w);
		if (v == NAG_WAIT)
			continue;
		struct ntr_round *r = find(n, w.id);
		if (!r || r->phase != NTR_COLLECT || !r->own_pending) {
			if (!v)
				nag_abort(n->env.part, w.id); /* no round here to vote in */
			continue;
		}
		r->own_pending = false;
		combine(r, v);
		maybe_answer(n, r);
	}
}

/* T1 */
static void begin(struct ntr_node *n, struct ntr_round *r, uint32_t up)
{
	r->phase = NTR_COLLECT;
	r->up = up;
	if (up != NTR_NONE)
		vmtree_add(r->askers, up);
	fan_prepare(n, r, n->env.self);
	own_prepare(n, r);
	maybe_answer(n, r);
}

err_t ntr_start(struct ntr_node *n, const struct nag_entry *e)
{
	if (e->id.coord != n->env.self)
		return ERR_INVAL;
	if (find(n, e->id))
		return ERR_EXIST;
	struct ntr_round *r = take(n, e);
	if (!r)
		return ERR_FULL;
	begin(n, r, NTR_NONE);
	return ERR_OK;
}

static const char *gate(const struct ntr_node *n, unsigned from, const struct nag_entry *e)
{
	if (e->id.coord >= n->env.ncores || from >= n->env.ncores)
		return "no such core";
	if (down(n, e->id.coord))
		return "the round's coordinator is down";
	if (!on_path(n, n->env.self, e->id.coord, from))
		return "sent by a core that is not on the tree path to the round's coordinator";
	return 0;
}

/* F6: keep a PREPARE until its coordinator is back here; false if no slot is free. */
static bool hold(struct ntr_node *n, unsigned from, const struct nag_entry *e)
{
	struct ntr_held *free_slot = 0;
	for (unsigned i = 0; i < NTR_HELD; i++) {
		struct ntr_held *h = &n->held[i];
		if (h->used && h->from == from && same_id(h->e.id, e->id))
			return true;                  /* a copy: held already */
		if (!h->used && !free_slot)
			free_slot = h;
	}
	if (!free_slot)
		return false;
	*free_slot = (struct ntr_held){ true, from, *e, n->now };
	n->held_total++;
	return true;
}

/* Drops held PREPAREs of coordinator `coord`, or from core `from`, or of round id. */
static void unhold(struct ntr_node *n, unsigned coord, unsigned from, const struct nag_id *id)
{
	for (unsigned i = 0; i < NTR_HELD; i++) {
		struct ntr_held *h = &n->held[i];
		if (h->used && (h->e.id.coord == coord || h->from == from ||
				(id && same_id(h->e.id, *id))))
			h->used = false;
	}
}

const char *ntr_prepare(struct ntr_node *n, unsigned from, const struct nag_entry *e)
{
	const char *why = gate(n, from, e);
	if (why && e->id.coord < n->env.ncores && from < n->env.ncores && down(n, e->id.coord) &&
	    on_path(n, n->env.self, e->id.coord, from)) {
		/* F6: a restarted coordinator this core does not know is back yet */
		if (!hold(n, from, e)) {
			n->held_refused++;
			n->env.send(n->env.ctx, from, NTR_VOTE, e, ERR_BUSY);
		}
		return 0;
	}
	if (why)
		return why;
	struct ntr_round *r = find(n, e->id);
	if (r) {
		/* F1: adopted by another core on the path (or a restarted one): answer it too */
		if (r->phase == NTR_DONE || r->up == NTR_NONE || vmtree_has(r->askers, from))
			return 0;
		vmtree_add(r->askers, from);
		r->up = from;
		if (r->phase == NTR_ANSWERED)
			n->env.send(n->env.ctx, from, NTR_VOTE, &r->e, r->verdict);
		return 0;
	}
	r = take(n, e);
	if (!r) {
		n->env.send(n->env.ctx, from, NTR_VOTE, e, ERR_FULL);
		return 0;
	}
	begin(n, r, from);
	return 0;
}

const char *ntr_vote(struct ntr_node *n, unsigned from, struct nag_id id, err_t vote)
{
	struct ntr_round *r = find(n, id);
	if (!r)
		return "no such round here";
	if (from >= n->env.ncores || !on_path(n, from, id.coord, n->env.self))
		return "sent by a core that is not below this one in the round's tree";
	if (r->phase != NTR_COLLECT || !vmtree_has(r->waiting, from))
		return 0;   /* a second answer (a core asked by two adopters): no news */
	vmtree_del(r->waiting, from);
	combine(r, vote);
	maybe_answer(n, r);
	return 0;
}

/* The replica takes the decision (a copy of an applied one changes nothing). */
static void apply(struct ntr_node *n, const struct nag_entry *e, bool commit)
{
	if (commit) {
		uint32_t core, dom;
		if ((mon_names_lookup(n->env.part->reg, e->name, &core, &dom) != ERR_OK ||
		     core != e->core || dom != e->domain_id) &&
		    nag_commit(n->env.part, e->id, e) != ERR_OK)
			n->commit_refused++;
	}
	nag_abort(n->env.part, e->id);   /* the reservation or a deferred prepare */
}

/* T3 */
static void pass_on(struct ntr_node *n, struct ntr_round *r, const struct nag_entry *e,
		    bool commit, unsigned x)
{
	uint32_t kids[CORES_MAX];
	uint64_t passed[VMTREE_WORDS];
	zero(passed, sizeof passed);
	unsigned k = ntr_live_kids(n, e->id.coord, x, kids, CORES_MAX, passed);
	for (unsigned i = 0; i < k; i++) {
		if (r)
			vmtree_add(r->sent, kids[i]);
		n->env.send(n->env.ctx, kids[i], commit ? NTR_COMMIT : NTR_ABORT, e, ERR_OK);
	}
	if (r)
		for (unsigned w = 0; w < VMTREE_WORDS; w++)
			r->skipped[w] |= passed[w];
}

static void settle(struct ntr_node *n, struct ntr_round *r, const struct nag_entry *e, bool commit)
{
	struct nag_entry copy = *e;
	apply(n, &copy, commit);
	if (r) {
		r->phase = NTR_DONE;
		r->commit = commit;
		r->age = ++n->clock;
		zero(r->waiting, sizeof r->waiting);
		zero(r->sent, sizeof r->sent);
		zero(r->skipped, sizeof r->skipped);
	}
	pass_on(n, r, &copy, commit, n->env.self);
	ready(n);
}

const char *ntr_decision(struct ntr_node *n, unsigned from, const struct nag_entry *e, bool commit)
{
	unhold(n, NTR_NONE, NTR_NONE, &e->id);   /* F6: its round is decided: no vote is wanted */
	const char *why = gate(n, from, e);
	if (why)
		return why;
	struct ntr_round *r = find(n, e->id);
	if (r && r->phase == NTR_DONE)
		return 0;                          /* F2: a second copy */
	if (!r)
		r = take(n, e);                    /* NULL: passed on without a record */
	settle(n, r, e, commit);
	return 0;
}

err_t ntr_decide(struct ntr_node *n, struct nag_id id, bool commit)
{
	struct ntr_round *r = find(n, id);
	if (!r || r->up != NTR_NONE || r->phase == NTR_DONE)
		return ERR_NOENT;
	struct nag_entry e = r->e;
	settle(n, r, &e, commit);
	return ERR_OK;
}

void ntr_core_down(struct ntr_node *n, unsigned core)
{
	unhold(n, core, core, 0);                 /* F6: F3 drops its rounds; F1 re-sends */
	for (unsigned i = 0; i < NTR_ROUNDS; i++) {
		struct ntr_round *r = &n->r[i];
		if (r->phase == NTR_FREE)
			continue;
		if (r->e.id.coord == core) {          /* F3 */
			zero(r, sizeof *r);
			continue;
		}
		vmtree_del(r->askers, core);          /* a later life did not ask */
		if (r->phase == NTR_COLLECT && vmtree_has(r->waiting, core)) {   /* F1 */
			vmtree_del(r->waiting, core);
			fan_prepare(n, r, core);
			maybe_answer(n, r);
		} else if (r->phase == NTR_DONE && vmtree_has(r->sent, core)) {  /* F2 */
			vmtree_del(r->sent, core);
			vmtree_add(r->skipped, core);
			struct nag_entry e = r->e;
			pass_on(n, r, &e, r->commit, core);
		}
	}
	ready(n);
}

void ntr_core_up(struct ntr_node *n, unsigned core)
{
	for (unsigned i = 0; i < NTR_ROUNDS; i++) {
		struct ntr_round *r = &n->r[i];
		if (r->phase != NTR_DONE || !vmtree_has(r->skipped, core))
			continue;
		vmtree_del(r->skipped, core);       /* F4 */
		vmtree_add(r->sent, core);
		n->env.send(n->env.ctx, core, r->commit ? NTR_COMMIT : NTR_ABORT, &r->e, ERR_OK);
	}
	for (unsigned i = 0; i < NTR_HELD; i++) {  /* F6: as if they came now */
		struct ntr_held h = n->held[i];
		if (!h.used || h.e.id.coord != core)
			continue;
		n->held[i].used = false;
		n->held_released++;
		(void)ntr_prepare(n, h.from, &h.e);
	}
}

unsigned ntr_held_expire(struct ntr_node *n, uint64_t before)
{
	unsigned k = 0;
	for (unsigned i = 0; i < NTR_HELD; i++) {
		struct ntr_held *h = &n->held[i];
		if (!h->used || h->born >= before)
			continue;
		h->used = false;
		n->held_refused++;
		n->env.send(n->env.ctx, h->from, NTR_VOTE, &h->e, ERR_BUSY);
		k++;
	}
	return k;
}

bool ntr_waits_on(const struct ntr_node *n, struct nag_id id, unsigned core)
{
	const struct ntr_round *r = 0;
	for (unsigned i = 0; i < NTR_ROUNDS && !r; i++)
		if (n->r[i].phase == NTR_COLLECT && same_id(n->r[i].e.id, id))
			r = &n->r[i];
	if (!r || core >= n->env.ncores || id.coord >= n->env.ncores)
		return false;
	for (unsigned k = 0; k < n->env.ncores; k++)
		if (vmtree_has(r->waiting, k) && (k == core || on_path(n, core, id.coord, k)))
			return true;
	return false;
}

unsigned ntr_held(const struct ntr_node *n)
{
	unsigned k = 0;
	for (unsigned i = 0; i < NTR_HELD; i++)
		k += n->held[i].used;
	return k;
}

unsigned ntr_expire(struct ntr_node *n, uint64_t before, struct nag_id *out, unsigned max)
{
	unsigned k = 0;
	for (unsigned i = 0; i < NTR_ROUNDS; i++) {
		struct ntr_round *r = &n->r[i];
		if ((r->phase != NTR_COLLECT && r->phase != NTR_ANSWERED) || r->up == NTR_NONE ||
		    r->born >= before)
			continue;
		nag_abort(n->env.part, r->e.id);
		if (k < max)
			out[k] = r->e.id;
		k++;
		zero(r, sizeof *r);
	}
	if (k)
		ready(n);
	return k;
}

unsigned ntr_busy(const struct ntr_node *n)
{
	unsigned k = 0;
	for (unsigned i = 0; i < NTR_ROUNDS; i++)
		k += n->r[i].phase == NTR_COLLECT || n->r[i].phase == NTR_ANSWERED;
	return k;
}

void ntr_init(struct ntr_node *n, const struct ntr_env *env)
{
	zero(n, sizeof *n);
	n->env = *env;
}
