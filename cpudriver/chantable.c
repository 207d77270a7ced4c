/* chantable.c: a core's table of channel parties (see kernel/chantable.h). */
#include <kernel/chantable.h>

void chantable_init(struct chanwake_table *t, uint32_t n)
{
	t->broadcast = 0;
	t->nentries = n;
	for (uint32_t i = 0; i < n; i++)
		t->e[i] = (struct chanwake_entry){ 0 };
}

uint64_t chantable_pa(const struct chanwake_entry *e)
{
	return __atomic_load_n(&e->pa, __ATOMIC_RELAXED) & ~CHANTABLE_SEEN;
}

bool chantable_seen(const struct chanwake_entry *e)
{
	return __atomic_load_n(&e->pa, __ATOMIC_ACQUIRE) & CHANTABLE_SEEN;
}

struct chanwake_entry *chantable_add(struct chanwake_table *t, uint64_t pa, uint32_t domain,
				     uint32_t peer, uint64_t now)
{
	for (uint32_t i = 0; i < t->nentries; i++) {
		struct chanwake_entry *e = &t->e[i];
		if (e->valid)
			continue;
		__atomic_store_n(&e->pa, pa & ~CHANTABLE_SEEN, __ATOMIC_RELAXED);
		e->domain_id = domain;
		e->peer = peer;
		e->since = now;
		__atomic_store_n(&e->state, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&e->valid, 1, __ATOMIC_RELEASE);
		return e;
	}
	return 0;
}

struct chanwake_entry *chantable_find(struct chanwake_table *t, uint64_t pa, uint32_t id,
				      uint32_t not_id)
{
	for (uint32_t i = 0; t && i < t->nentries; i++) {
		struct chanwake_entry *e = &t->e[i];
		if (!__atomic_load_n(&e->valid, __ATOMIC_ACQUIRE) || chantable_pa(e) != pa)
			continue;
		if ((id && e->domain_id == id) || (!id && e->domain_id != not_id))
			return e;
	}
	return 0;
}

/* Set e's mark if it still holds area pa (not a reuse for another area). */
static void mark_seen(struct chanwake_entry *e, uint64_t pa)
{
	uint64_t expect = pa;
	__atomic_compare_exchange_n(&e->pa, &expect, pa | CHANTABLE_SEEN, false, __ATOMIC_ACQ_REL,
				    __ATOMIC_RELAXED);
}

void chantable_meet(struct chanwake_entry *mine, struct chanwake_table *peer_table,
		    bool same_core)
{
	uint64_t pa = chantable_pa(mine);
	/* our entry is published (release) before we look: Dekker's full fence */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	struct chanwake_entry *other = chantable_find(peer_table, pa, 0,
						      same_core ? mine->domain_id : 0);
	if (!other)
		return; /* not yet: the other party's own meet will find us */
	mark_seen(other, pa);
	mark_seen(mine, pa);
}

enum chan_peer chantable_peer(const struct chanwake_entry *mine,
			      const struct chanwake_entry *other, uint64_t now, uint64_t bound)
{
	if (other)
		return CHAN_PEER_HERE;
	if (chantable_seen(mine))
		return CHAN_PEER_GONE;
	return now - mine->since < bound ? CHAN_PEER_NOT_YET : CHAN_PEER_GONE;
}
