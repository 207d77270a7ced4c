/*
 * A hostile peer rewrites the shared area header while the victim attaches
 * its side: urpc_chan_init must work from one reading of the header, so
 * whatever it accepts describes rings that fit the area it was given.
 *
 * The area is formatted for 16 slots per direction; a peer thread flips
 * nslots between 16 and 1024 (both valid powers of two, the second far too
 * large for the area) and first_seq between two values, as fast as it can.
 * The victim attaches side 0 and side 1 over and over; every attach must
 * either fail with ERR_RANGE (it read 1024) or give a channel whose both
 * rings have 16 slots and lie inside the area, with one consistent start
 * sequence.  The test runs until URPC_HDRFLIP_ACCEPTED (default 1000000)
 * attaches were accepted and a tenth as many refused.  With the header read twice (check, then use)
 * it failed in 3 of 4 runs on a two-core host (a race: it can miss).
 */
#define TEST_PROGRAM "urpc_hdrflip"
#include "test.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <urpc/urpc.h>

#define ACCEPTED_DEFAULT 1000000u  /* accepted attaches to see */
#define ROUNDS_MAX 100000000u
#define SMALL 16u
#define HUGE 1024u

static atomic_int stop, started;
static struct urpc_area_hdr *shared;

static void *flipper(void *arg)
{
	(void)arg;
	volatile uint32_t *nslots = &shared->nslots, *first = &shared->first_seq;
	atomic_store(&started, 1);
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		*nslots = HUGE;
		*first = 5;
		*nslots = SMALL;
		*first = 0;
	}
	return NULL;
}

static int inside(const void *p, size_t len, const char *area, size_t size)
{
	const char *c = p;
	return c >= area && c + len <= area + size;
}

static void t_header_flip_during_attach(void)
{
	size_t size = urpc_area_size(SMALL);
	char *area = aligned_alloc(URPC_LINE, size);
	CHECK(area != NULL);
	CHECK_EQ(urpc_area_init(area, size, SMALL, 0), ERR_OK);
	shared = (struct urpc_area_hdr *)area;
	const char *env = getenv("URPC_HDRFLIP_ACCEPTED");
	unsigned want = env ? (unsigned)strtoul(env, NULL, 10) : ACCEPTED_DEFAULT;
	pthread_t t;
	CHECK_EQ(pthread_create(&t, NULL, flipper, NULL), 0);
	while (!atomic_load(&started))
		sched_yield();
	unsigned ok = 0, refused = 0, bad = 0;
	for (unsigned i = 0; i < ROUNDS_MAX && (ok < want || refused < want / 10) && !bad; i++) {
		struct urpc_chan c;
		err_t e = urpc_chan_init(&c, area, size, i & 1, NULL);
		if (e == ERR_RANGE) {
			refused++;
			continue;
		}
		if (e != ERR_OK) {
			bad++;
			break;
		}
		ok++;
		size_t ring = (size_t)(c.tx.mask + 1) * sizeof(struct urpc_slot);
		if (c.tx.mask != SMALL - 1 || c.rx.mask != SMALL - 1 ||
		    !inside(c.tx.slots, ring, area, size) || !inside(c.rx.slots, ring, area, size) ||
		    c.tx.head != c.rx.tail || (c.tx.head != 0 && c.tx.head != 5))
			bad++;
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	printf("hdrflip: %u attaches accepted, %u refused, %u inconsistent\n", ok, refused, bad);
	CHECK_EQ(bad, 0u);
	CHECK(ok >= want && refused >= want / 10); /* the race was exercised both ways */
	free(area);
}

int main(void)
{
	RUN(t_header_flip_during_attach);
	return test_summary();
}
