/*
 * test_chantable: whether a channel's other party lives
 * (cpudriver/include/kernel/chantable.h).
 *
 * The attack this answers: a receiver asks the kernel whether its peer
 * lives while the peer's side of the bind is still on its way (seconds at
 * 255 vCPUs).  The answer used to be "dead" for a party that had simply not
 * mapped yet, and a live client's server exited.  Now:
 *   - a peer that maps late is NOT_YET until it maps, then HERE;
 *   - a peer that mapped and left is GONE at once;
 *   - a peer that never maps is NOT_YET until the bound, then GONE;
 *   - on one core, the other domain of the area is the peer, never the
 *     asker itself;
 *   - a mark meant for an entry since reused for another area is not set;
 *   - two threads adding the two sides at the same moment (Dekker) always
 *     leave both marked.  (A mutant chantable_meet without its fence did
 *     not fail it on this 2-CPU host: the window is a store buffer's
 *     drain, seldom hit here; the fence is argued in chantable.h.)
 */
#define TEST_PROGRAM "chantable"
#include "test.h"

#include <pthread.h>
#include <stdlib.h>

#include <kernel/chantable.h>

#define N 8
#define PA 0x123000ull
#define BOUND 1000u

static struct chanwake_table *table(void)
{
	struct chanwake_table *t = calloc(1, sizeof *t + N * sizeof t->e[0]);
	chantable_init(t, N);
	return t;
}

static void drop(struct chanwake_entry *e)
{
	__atomic_store_n(&e->valid, 0, __ATOMIC_RELEASE);
}

static void t_late_peer_is_not_dead(void)
{
	struct chanwake_table *a = table(), *b = table();
	struct chanwake_entry *mine = chantable_add(a, PA, 7, 1, 100);
	chantable_meet(mine, b, false);
	CHECK(!chantable_seen(mine));
	struct chanwake_entry *other = chantable_find(b, PA, 0, 0);
	CHECK(other == 0);
	CHECK_EQ(chantable_peer(mine, other, 100 + BOUND - 1, BOUND), CHAN_PEER_NOT_YET);
	struct chanwake_entry *late = chantable_add(b, PA, 9, 0, 500);
	chantable_meet(late, a, false);
	CHECK(chantable_seen(mine) && chantable_seen(late));
	other = chantable_find(b, PA, 0, 0);
	CHECK(other == late);
	CHECK_EQ(chantable_peer(mine, other, 100 + 50 * BOUND, BOUND), CHAN_PEER_HERE);
	CHECK_EQ(chantable_pa(mine), PA);
	free(a);
	free(b);
}

static void t_mapped_then_gone_is_dead_at_once(void)
{
	struct chanwake_table *a = table(), *b = table();
	struct chanwake_entry *mine = chantable_add(a, PA, 7, 1, 100);
	chantable_meet(mine, b, false);
	struct chanwake_entry *peer = chantable_add(b, PA, 9, 0, 101);
	chantable_meet(peer, a, false);
	drop(peer);
	CHECK(chantable_find(b, PA, 0, 0) == 0);
	CHECK_EQ(chantable_peer(mine, 0, 102, BOUND), CHAN_PEER_GONE);
	free(a);
	free(b);
}

static void t_never_mapped_is_dead_after_bound(void)
{
	struct chanwake_table *a = table(), *b = table();
	struct chanwake_entry *mine = chantable_add(a, PA, 7, 1, 100);
	chantable_meet(mine, b, false);
	CHECK_EQ(chantable_peer(mine, 0, 100, BOUND), CHAN_PEER_NOT_YET);
	CHECK_EQ(chantable_peer(mine, 0, 100 + BOUND - 1, BOUND), CHAN_PEER_NOT_YET);
	CHECK_EQ(chantable_peer(mine, 0, 100 + BOUND, BOUND), CHAN_PEER_GONE);
	chantable_meet(mine, 0, false);          /* a peer core with no table yet */
	CHECK(!chantable_seen(mine));
	free(a);
	free(b);
}

static void t_same_core_peer_is_the_other_domain(void)
{
	struct chanwake_table *a = table();
	struct chanwake_entry *mon = chantable_add(a, PA, 1, 0, 0);
	chantable_meet(mon, a, true);
	CHECK(!chantable_seen(mon));             /* itself is no peer */
	struct chanwake_entry *child = chantable_add(a, PA, 5, 0, 0);
	chantable_meet(child, a, true);
	CHECK(chantable_seen(mon) && chantable_seen(child));
	CHECK(chantable_find(a, PA, 0, 1) == child);
	CHECK(chantable_find(a, PA, 0, 5) == mon);
	CHECK(chantable_find(a, PA, 5, 0) == child);
	drop(child);
	CHECK_EQ(chantable_peer(mon, chantable_find(a, PA, 0, 1), 1, BOUND), CHAN_PEER_GONE);
	free(a);
}

static void t_full_table(void)
{
	struct chanwake_table *a = table();
	for (unsigned i = 0; i < N; i++)
		CHECK(chantable_add(a, PA + i * 0x1000, 3, 0, 0) != 0);
	CHECK(chantable_add(a, PA + N * 0x1000, 3, 0, 0) == 0);
	drop(&a->e[2]);
	CHECK(chantable_add(a, 0x999000, 3, 0, 0) == &a->e[2]);
	free(a);
}

/* An entry reused for another area between a finder's look and its mark keeps no mark. */
static void t_reused_entry_not_marked(void)
{
	struct chanwake_table *a = table(), *b = table();
	struct chanwake_entry *old = chantable_add(b, PA, 9, 0, 0);
	drop(old);
	struct chanwake_entry *reused = chantable_add(b, 0x777000, 9, 0, 0);
	CHECK(reused == old);
	struct chanwake_entry *mine = chantable_add(a, PA, 7, 1, 0);
	chantable_meet(mine, b, false);          /* finds no entry for PA */
	CHECK(!chantable_seen(mine) && !chantable_seen(reused));
	CHECK_EQ(chantable_pa(reused), 0x777000);
	free(a);
	free(b);
}

/* Two sides added at the same moment by two threads, many times. */
#define ROUNDS 20000u
static struct chanwake_table *ta, *tb;
static pthread_barrier_t bar;

static void *side(void *arg)
{
	bool first = arg != 0;
	for (unsigned r = 0; r < ROUNDS; r++) {
		pthread_barrier_wait(&bar);
		struct chanwake_table *own = first ? ta : tb, *peer = first ? tb : ta;
		struct chanwake_entry *e = chantable_add(own, PA + r * 0x1000ull, first ? 7 : 9,
							 first ? 1 : 0, r);
		chantable_meet(e, peer, false);
		pthread_barrier_wait(&bar);      /* the main thread checks */
		pthread_barrier_wait(&bar);      /* and clears */
	}
	return 0;
}

static void t_concurrent_adds_always_meet(void)
{
	ta = table();
	tb = table();
	pthread_barrier_init(&bar, 0, 3);
	pthread_t x, y;
	pthread_create(&x, 0, side, (void *)1);
	pthread_create(&y, 0, side, (void *)0);
	unsigned missed = 0;
	for (unsigned r = 0; r < ROUNDS; r++) {
		pthread_barrier_wait(&bar);
		pthread_barrier_wait(&bar);
		if (!chantable_seen(&ta->e[0]) || !chantable_seen(&tb->e[0]))
			missed++;
		drop(&ta->e[0]);
		drop(&tb->e[0]);
		pthread_barrier_wait(&bar);
	}
	pthread_join(x, 0);
	pthread_join(y, 0);
	pthread_barrier_destroy(&bar);
	CHECK_EQ(missed, 0);
	free(ta);
	free(tb);
}

int main(void)
{
	RUN(t_late_peer_is_not_dead);
	RUN(t_mapped_then_gone_is_dead_at_once);
	RUN(t_never_mapped_is_dead_after_bound);
	RUN(t_same_core_peer_is_the_other_domain);
	RUN(t_full_table);
	RUN(t_reused_entry_not_marked);
	RUN(t_concurrent_adds_always_meet);
	return test_summary();
}
