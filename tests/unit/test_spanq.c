/*
 * test_spanq: the home-to-instance change queue of the lazy unmap
 * (include/lib/spanq.h).
 *
 * Single-threaded: changes come out in order; the queue holds SPANQ_LEN
 * and no more (room 0 when full, room back after a drain); a head more
 * than SPANQ_LEN ahead is refused as corrupt and nothing is applied; a
 * change the consumer refuses stops the drain there.
 *
 * Two threads (the Dekker property the safety argument rests on): a
 * producer pushes changes, fences, reads `running`, and when it read 0
 * publishes "change k went lazily"; a consumer loops enter, drain, a
 * "user step", leave.  In every user step each change published as lazy
 * must already have been applied: a core the home did not message can
 * never run with a change it has not taken.  A mutant spanq_enter without
 * its fence fails this check on a host with two CPUs or more (store
 * buffering lets both sides miss each other: hundreds of violations per
 * run); on one CPU the threads interleave and cannot show it.
 */
#define TEST_PROGRAM "spanq"
#include "test.h"

#include <pthread.h>

#include <lib/spanq.h>

static struct span_queue q;
static uint64_t seen[4 * SPANQ_LEN];
static unsigned nseen;

static err_t record(void *ctx, const struct span_change *c)
{
	(void)ctx;
	if (c->op == 99)
		return ERR_PERM;
	seen[nseen++] = c->seq;
	return ERR_OK;
}

static void push_seq(uint64_t s, uint32_t op)
{
	struct span_change c = { .op = op, .pages = 1, .va = 0x1000 * s, .seq = s };
	spanq_push(&q, &c);
}

static void t_order_and_full(void)
{
	memset(&q, 0, sizeof q);
	nseen = 0;
	CHECK_EQ(spanq_room(&q), SPANQ_LEN);
	for (uint64_t s = 1; s <= SPANQ_LEN; s++)
		push_seq(s, 2);
	CHECK_EQ(spanq_room(&q), 0);
	uint64_t n = 0;
	CHECK_EQ(spanq_drain(&q, record, 0, &n), ERR_OK);
	CHECK_EQ(n, SPANQ_LEN);
	for (unsigned i = 0; i < nseen; i++)
		CHECK_EQ(seen[i], i + 1);
	CHECK_EQ(spanq_room(&q), SPANQ_LEN);
	for (uint64_t s = 1; s <= 10; s++)           /* wraps around the ring */
		push_seq(100 + s, 2);
	nseen = 0;
	CHECK_EQ(spanq_drain(&q, record, 0, &n), ERR_OK);
	CHECK_EQ(nseen, 10);
	CHECK_EQ(seen[9], 110);
	CHECK_EQ(spanq_drain(&q, record, 0, &n), ERR_OK);   /* nothing left */
	CHECK_EQ(nseen, 10);
}

static void t_corrupt_head(void)
{
	memset(&q, 0, sizeof q);
	nseen = 0;
	q.head = SPANQ_LEN + 1;
	CHECK_EQ(spanq_drain(&q, record, 0, 0), ERR_INVAL);
	CHECK_EQ(nseen, 0);
	CHECK_EQ(q.tail, 0);
	q.tail = 5;
	q.head = 2;                                  /* behind the tail */
	CHECK_EQ(spanq_drain(&q, record, 0, 0), ERR_INVAL);
	CHECK_EQ(nseen, 0);
}

static void t_refused_stops(void)
{
	memset(&q, 0, sizeof q);
	nseen = 0;
	push_seq(1, 2);
	push_seq(2, 99);
	push_seq(3, 2);
	CHECK_EQ(spanq_drain(&q, record, 0, 0), ERR_PERM);
	CHECK_EQ(nseen, 1);
	CHECK_EQ(q.tail, 1);                         /* stopped at the refused one */
}

static void t_running_flag(void)
{
	memset(&q, 0, sizeof q);
	CHECK(!spanq_running(&q));
	spanq_enter(&q);
	CHECK(spanq_running(&q));
	spanq_leave(&q);
	CHECK(!spanq_running(&q));
}

/* The two-thread Dekker check. */
#define CHANGES 200000u
static uint64_t applied_upto;      /* consumer's: last seq applied */
static uint64_t lazy_upto;         /* producer's: last seq it did not message */
static uint64_t violations, lazy_count, steps;
static int done;

static err_t apply_seq(void *ctx, const struct span_change *c)
{
	(void)ctx;
	__atomic_store_n(&applied_upto, c->seq, __ATOMIC_RELAXED);
	return ERR_OK;
}

static void *consumer(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE)) {
		spanq_enter(&q);
		spanq_drain(&q, apply_seq, 0, 0);
		uint64_t lazy = __atomic_load_n(&lazy_upto, __ATOMIC_ACQUIRE);
		if (lazy > __atomic_load_n(&applied_upto, __ATOMIC_RELAXED))
			violations++;                /* would run with a stale replica */
		steps++;
		spanq_leave(&q);
	}
	return 0;
}

static void *producer(void *arg)
{
	(void)arg;
	for (uint64_t s = 1; s <= CHANGES; s++) {
		while (spanq_room(&q) == 0)
			;                            /* the real home falls back to messages */
		push_seq(s, 2);
		spanq_fence();
		if (!spanq_running(&q)) {
			__atomic_store_n(&lazy_upto, s, __ATOMIC_RELEASE);
			lazy_count++;
		}
	}
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	return 0;
}

static void t_dekker_two_threads(void)
{
	memset(&q, 0, sizeof q);
	pthread_t a, b;
	CHECK(pthread_create(&a, 0, consumer, 0) == 0);
	CHECK(pthread_create(&b, 0, producer, 0) == 0);
	pthread_join(b, 0);
	pthread_join(a, 0);
	CHECK_EQ(violations, 0);
	CHECK(steps > 0);
	printf("spanq: %llu changes, %llu went lazily, %llu consumer steps\n",
	       (unsigned long long)CHANGES, (unsigned long long)lazy_count,
	       (unsigned long long)steps);
}

int main(void)
{
	RUN(t_order_and_full);
	RUN(t_corrupt_head);
	RUN(t_refused_stops);
	RUN(t_running_flag);
	RUN(t_dekker_two_threads);
	return test_summary();
}
