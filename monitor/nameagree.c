/*
 * nameagree.c: the two-phase commit's state machine (monitor/nameagree.h).
 *
 * Reservations and waits are small arrays scanned linearly; an entry is in
 * use exactly when `used` is set.  Names are compared through the
 * registry's own validation (mon_names_lookup), so an entry here always
 * holds a name the registry would accept.
 */
#include <monitor/nameagree.h>

static bool nag_same_id(struct nag_id a, struct nag_id b)
{
	return a.coord == b.coord && a.seq == b.seq;
}

static bool nag_same_name(const char *a, const char *b)
{
	for (unsigned i = 0; i < PROGRAM_NAME_MAX; i++) {
		if (a[i] != b[i])
			return false;
		if (!a[i])
			return true;
	}
	return true;
}

static void nag_copy(struct nag_entry *dst, const struct nag_entry *src)
{
	*dst = *src;
	dst->used = true;
	dst->name[PROGRAM_NAME_MAX - 1] = 0;
}

static void nag_clear(struct nag_entry *e)
{
	unsigned char *b = (unsigned char *)e;
	for (unsigned i = 0; i < sizeof *e; i++)
		b[i] = 0;
}

static bool nag_valid_name(const struct mon_names *reg, const char *name)
{
	/* ERR_INVAL only for a malformed name (an empty table answers ERR_NOENT) */
	return mon_names_lookup(reg, name, 0, 0) != ERR_INVAL;
}

void nag_part_init(struct nag_part *p, struct mon_names *reg)
{
	p->reg = reg;
	for (unsigned i = 0; i < NAG_RES_MAX; i++)
		nag_clear(&p->res[i]);
	for (unsigned i = 0; i < NAG_WAIT_MAX; i++)
		nag_clear(&p->wait[i]);
}

const struct nag_entry *nag_reserved(const struct nag_part *p, const char *name)
{
	for (unsigned i = 0; i < NAG_RES_MAX; i++)
		if (p->res[i].used && nag_same_name(p->res[i].name, name))
			return &p->res[i];
	return 0;
}

static struct nag_entry *nag_free_slot(struct nag_entry *a, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (!a[i].used)
			return &a[i];
	return 0;
}

static unsigned nag_reservations(const struct nag_part *p)
{
	unsigned n = 0;
	for (unsigned i = 0; i < NAG_RES_MAX; i++)
		n += p->res[i].used;
	return n;
}

err_t nag_prepare(struct nag_part *p, const struct nag_entry *e)
{
	if (!nag_valid_name(p->reg, e->name))
		return ERR_INVAL;
	if (mon_names_lookup(p->reg, e->name, 0, 0) == ERR_OK)
		return ERR_EXIST;
	const struct nag_entry *held = nag_reserved(p, e->name);
	if (held && nag_same_id(held->id, e->id))
		return ERR_OK;
	if (held && e->id.coord >= held->id.coord)
		return ERR_BUSY;             /* dies: the holder's core is lower */
	if (!held && p->reg->count + nag_reservations(p) >= p->reg->cap)
		return ERR_FULL;             /* a commit must always find a slot */
	struct nag_entry *slot = held ? nag_free_slot(p->wait, NAG_WAIT_MAX) :
		nag_free_slot(p->res, NAG_RES_MAX);
	if (!slot)
		return ERR_FULL;
	nag_copy(slot, e);
	return held ? NAG_WAIT : ERR_OK;
}

static struct nag_entry *nag_find(struct nag_entry *a, unsigned n, struct nag_id id)
{
	for (unsigned i = 0; i < n; i++)
		if (a[i].used && nag_same_id(a[i].id, id))
			return &a[i];
	return 0;
}

err_t nag_commit(struct nag_part *p, struct nag_id id, const struct nag_entry *e)
{
	struct nag_entry *r = nag_find(p->res, NAG_RES_MAX, id);
	const struct nag_entry *src = r ? r : e;
	err_t err = mon_names_register(p->reg, src->name, src->core, src->domain_id);
	if (r)
		nag_clear(r);
	return err;
}

bool nag_abort(struct nag_part *p, struct nag_id id)
{
	bool had = false;
	struct nag_entry *r;
	while ((r = nag_find(p->res, NAG_RES_MAX, id)) != 0) {
		nag_clear(r);
		had = true;
	}
	while ((r = nag_find(p->wait, NAG_WAIT_MAX, id)) != 0) {
		nag_clear(r);
		had = true;
	}
	return had;
}

/*
 * A wait may end when its name is free, or held by a round of a core no
 * higher than its own (it must die then: waits only point to higher
 * cores).  The lowest core's wait goes first.
 */
bool nag_ready(struct nag_part *p, struct nag_entry *out)
{
	struct nag_entry *best = 0;
	for (unsigned i = 0; i < NAG_WAIT_MAX; i++) {
		struct nag_entry *w = &p->wait[i];
		const struct nag_entry *held = w->used ? nag_reserved(p, w->name) : 0;
		if (!w->used || (held && held->id.coord > w->id.coord))
			continue;
		if (!best || w->id.coord < best->id.coord)
			best = w;
	}
	if (!best)
		return false;
	*out = *best;
	nag_clear(best);
	return true;
}

unsigned nag_core_down(struct nag_part *p, uint32_t core, unsigned *reservations)
{
	unsigned n = mon_names_remove_core(p->reg, core), r = 0;
	for (unsigned i = 0; i < NAG_RES_MAX; i++)
		if (p->res[i].used && p->res[i].id.coord == core) {
			nag_clear(&p->res[i]);
			r++;
		}
	if (reservations)
		*reservations = r;
	for (unsigned i = 0; i < NAG_WAIT_MAX; i++)
		if (p->wait[i].used && p->wait[i].id.coord == core)
			nag_clear(&p->wait[i]);
	return n;
}
