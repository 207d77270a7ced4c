/*
 * Sleep and wake-up on Linux: receivers that really block in a futex and
 * senders that must wake them through the notify hook.
 *
 *   test_urpc_sleep [rounds]
 *
 * Every wait has a timeout (urpc_linux_waiter.timeout_ms); a correct
 * protocol never runs into it, so a timeout is reported as a lost wake-up
 * instead of hanging the test.  The cases aim at the race window: a sender
 * that publishes just as the receiver declares itself asleep.
 *  - t_sleep_wake_cycles: the sender pauses a varying time (0..200 us)
 *    before each message, so the receiver is sometimes still polling,
 *    sometimes going to sleep, sometimes fully asleep in the futex.
 *  - t_ping_pong_asleep: both sides receive with spins = 0, so each waits
 *    for every message: thousands of sleep/wake hand-overs each way.
 *  - t_waitset_wakes: one thread sleeps on a waitset of four channels fed
 *    by four sender threads at random moments; every message arrives, in
 *    order per channel.
 * Each case runs twice: with the senders' fence, and fence-free (every
 * receiving side sets membarrier as its barrier, urpc_rx_set_barrier); the
 * second set is named *_fence_free.
 */
#define TEST_PROGRAM "urpc_sleep"
#include "test.h"
#include "urpc_linux.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS 5000
#define NCHANS 4

static unsigned rounds = 2000;
static bool fence_free;         /* receivers use urpc_rx_set_barrier */

/* Fence-free mode for a receiving side, when this pass uses it. */
static void rx_mode(struct urpc_chan *c)
{
	if (fence_free)
		CHECK_EQ(urpc_rx_set_barrier(c, urpc_linux_barrier, NULL),
			 ERR_OK);
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

/* Busy-wait or sleep for `us` microseconds. */
static void delay_us(unsigned us)
{
	struct timespec ts = { 0, (long)us * 1000 };

	if (us)
		nanosleep(&ts, NULL);
}

/* A channel and the waiters of its two sides. */
struct link {
	void *area;
	size_t size;
	struct urpc_chan side[2];
	struct urpc_linux_waiter w[2];
};

static void link_open(struct link *l, uint32_t nslots)
{
	__builtin_memset(l, 0, sizeof *l);
	l->area = urpc_linux_area(nslots, 0, &l->size);
	for (unsigned i = 0; i < 2; i++) {
		struct urpc_hooks h = urpc_linux_hooks(&l->w[i], &l->w[1 - i]);

		l->w[i].timeout_ms = TIMEOUT_MS;
		CHECK_EQ(urpc_chan_init(&l->side[i], l->area, l->size, i, &h),
			 ERR_OK);
		rx_mode(&l->side[i]);
	}
}

/* ---- t_sleep_wake_cycles ------------------------------------------------ */

static void *cycles_sender(void *arg)
{
	struct link *l = arg;

	urpc_linux_pin(0);
	for (uint32_t i = 0; i < rounds; i++) {
		delay_us((unsigned)(mix(i) % 4 == 0 ? 0 : mix(i) % 200));
		while (urpc_send(&l->side[0], 1, &i, sizeof i) == ERR_FULL)
			urpc_linux_pause();
	}
	return NULL;
}

static void t_sleep_wake_cycles(void)
{
	static struct link l;
	pthread_t th;
	uint32_t got;
	uint16_t type;
	size_t len;

	link_open(&l, 16);
	CHECK_EQ(pthread_create(&th, NULL, cycles_sender, &l), 0);
	urpc_linux_pin(1);
	for (uint32_t i = 0; i < rounds && !test_case_failed; i++) {
		/* vary the spin budget so the sleep starts at varying times */
		unsigned spins = (unsigned)(mix(i + 7) % 3 == 0 ? 0 :
					    mix(i + 7) % 500);

		CHECK_EQ(urpc_recv(&l.side[1], &type, &got, sizeof got, &len,
				   spins), ERR_OK);
		CHECK_EQ(len, sizeof got);
		CHECK_EQ(got, i);
	}
	pthread_join(th, NULL);
	CHECK_EQ(atomic_load(&l.w[1].timeouts), 0);
	CHECK(atomic_load(&l.w[1].blocks) > 0);         /* it really slept */
	printf("sleep_wake_cycles: %u messages, %llu waits, %llu futex "
	       "sleeps, %llu notifies\n", rounds,
	       (unsigned long long)atomic_load(&l.w[1].waits),
	       (unsigned long long)atomic_load(&l.w[1].blocks),
	       (unsigned long long)atomic_load(&l.w[1].notifies));
	free(l.area);
}

/* ---- t_ping_pong_asleep ------------------------------------------------- */

static void *pong(void *arg)
{
	struct link *l = arg;
	uint32_t v;
	uint16_t type;
	size_t len;

	urpc_linux_pin(0);
	for (uint32_t i = 0; i < rounds; i++) {
		if (urpc_recv(&l->side[1], &type, &v, sizeof v, &len, 0) !=
		    ERR_OK || v != i)
			return (void *)1;
		v = i + 1000000;
		if (urpc_send(&l->side[1], 2, &v, sizeof v) != ERR_OK)
			return (void *)2;
	}
	return NULL;
}

static void t_ping_pong_asleep(void)
{
	static struct link l;
	pthread_t th;
	void *ret;
	uint32_t v;
	uint16_t type;
	size_t len;

	link_open(&l, 8);
	CHECK_EQ(pthread_create(&th, NULL, pong, &l), 0);
	urpc_linux_pin(1);
	for (uint32_t i = 0; i < rounds && !test_case_failed; i++) {
		CHECK_EQ(urpc_send(&l.side[0], 1, &i, sizeof i), ERR_OK);
		CHECK_EQ(urpc_recv(&l.side[0], &type, &v, sizeof v, &len, 0),
			 ERR_OK);
		CHECK_EQ(v, i + 1000000);
		CHECK_EQ(type, 2);
	}
	pthread_join(th, &ret);
	CHECK(ret == NULL);
	CHECK_EQ(atomic_load(&l.w[0].timeouts), 0);
	CHECK_EQ(atomic_load(&l.w[1].timeouts), 0);
	CHECK(atomic_load(&l.w[0].blocks) + atomic_load(&l.w[1].blocks) > 0);
	printf("ping_pong_asleep: %u round trips, waits %llu + %llu, futex "
	       "sleeps %llu + %llu\n", rounds,
	       (unsigned long long)atomic_load(&l.w[0].waits),
	       (unsigned long long)atomic_load(&l.w[1].waits),
	       (unsigned long long)atomic_load(&l.w[0].blocks),
	       (unsigned long long)atomic_load(&l.w[1].blocks));
	free(l.area);
}

/* ---- t_waitset_wakes ---------------------------------------------------- */

/*
 * Every channel's notify hook must set the waitset's one token, so the
 * channels are built by hand here: receiver sides notify/wait on `rx_w`,
 * sender sides never sleep.
 */
static struct urpc_linux_waiter rx_w, tx_w[NCHANS];
static struct urpc_chan ws_tx[NCHANS], ws_rx[NCHANS];

static void *ws_sender(void *arg)
{
	unsigned k = (unsigned)(uintptr_t)arg;

	urpc_linux_pin(k);
	for (uint32_t i = 0; i < rounds; i++) {
		uint32_t msg[2] = { k, i };

		delay_us((unsigned)(mix(i * NCHANS + k) % 300));
		while (urpc_send(&ws_tx[k], (uint16_t)k, msg, sizeof msg) ==
		       ERR_FULL)
			urpc_linux_pause();
	}
	return NULL;
}

static void t_waitset_wakes(void)
{
	struct urpc_chan *storage[NCHANS];
	struct urpc_waitset ws;
	struct urpc_hooks rxh = urpc_linux_hooks(&rx_w, NULL);
	void *areas[NCHANS];
	uint32_t next[NCHANS] = { 0 };
	pthread_t th[NCHANS];

	__builtin_memset(&rx_w, 0, sizeof rx_w);
	rx_w.timeout_ms = TIMEOUT_MS;
	urpc_waitset_init(&ws, storage, NCHANS, &rxh);
	for (unsigned k = 0; k < NCHANS; k++) {
		struct urpc_hooks txh = urpc_linux_hooks(&tx_w[k], &rx_w);
		size_t size;

		areas[k] = urpc_linux_area(8, 0, &size);
		CHECK_EQ(urpc_chan_init(&ws_tx[k], areas[k], size, 0, &txh),
			 ERR_OK);
		CHECK_EQ(urpc_chan_init(&ws_rx[k], areas[k], size, 1, &rxh),
			 ERR_OK);
		rx_mode(&ws_rx[k]);
		CHECK_EQ(urpc_waitset_add(&ws, &ws_rx[k]), ERR_OK);
	}
	for (unsigned k = 0; k < NCHANS; k++)
		CHECK_EQ(pthread_create(&th[k], NULL, ws_sender,
					(void *)(uintptr_t)k), 0);
	for (uint32_t n = 0; n < NCHANS * rounds && !test_case_failed; n++) {
		struct urpc_chan *c = urpc_waitset_wait(&ws, 100);
		uint32_t msg[2];
		uint16_t type;
		size_t len;

		CHECK(c != NULL);
		if (!c)
			break;
		CHECK_EQ(urpc_try_recv(c, &type, msg, sizeof msg, &len),
			 ERR_OK);
		CHECK_EQ(len, sizeof msg);
		CHECK(msg[0] < NCHANS && c == &ws_rx[msg[0] % NCHANS]);
		CHECK_EQ(type, msg[0]);
		CHECK_EQ(msg[1], next[msg[0] % NCHANS]);
		next[msg[0] % NCHANS]++;
	}
	for (unsigned k = 0; k < NCHANS; k++)
		pthread_join(th[k], NULL);
	for (unsigned k = 0; k < NCHANS; k++) {
		CHECK_EQ(next[k], rounds);
		CHECK(!urpc_pending(&ws_rx[k]));
		free(areas[k]);
	}
	CHECK_EQ(atomic_load(&rx_w.timeouts), 0);
	CHECK(atomic_load(&rx_w.blocks) > 0);
	printf("waitset_wakes: %u messages on %d channels, %llu waits, %llu "
	       "futex sleeps, %llu notifies\n", NCHANS * rounds, NCHANS,
	       (unsigned long long)atomic_load(&rx_w.waits),
	       (unsigned long long)atomic_load(&rx_w.blocks),
	       (unsigned long long)atomic_load(&rx_w.notifies));
}

static void t_sleep_wake_cycles_fence_free(void)
{
	t_sleep_wake_cycles();
}

static void t_ping_pong_asleep_fence_free(void)
{
	t_ping_pong_asleep();
}

static void t_waitset_wakes_fence_free(void)
{
	t_waitset_wakes();
}

int main(int argc, char **argv)
{
	if (argc > 1)
		rounds = (unsigned)strtoul(argv[1], NULL, 0);
	RUN(t_sleep_wake_cycles);
	RUN(t_ping_pong_asleep);
	RUN(t_waitset_wakes);
	if (urpc_linux_barrier_init()) {
		printf("no membarrier here: fence-free cases not run\n");
		return test_summary();
	}
	fence_free = true;
	RUN(t_sleep_wake_cycles_fence_free);
	RUN(t_ping_pong_asleep_fence_free);
	RUN(t_waitset_wakes_fence_free);
	printf("fence-free: %llu barriers\n",
	       (unsigned long long)atomic_load(&urpc_linux_barriers));
	return test_summary();
}
