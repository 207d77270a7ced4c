/*
 * threads: user-level threads of one domain (libos/thread.h), checked.
 *
 *   threads [N]     N threads (default 64, at most 128) in each part:
 *
 *   buffer   N/2 producers put ITEMS distinct numbers each into a bounded
 *            buffer of 8 (a mutex, "not full" and "not empty" conditions);
 *            N/2 consumers take them; every number must arrive exactly once
 *   mutex    N threads each add 1 to a shared counter ROUNDS times with a
 *            read, a yield or some busy work, and a write inside the lock:
 *            a lost update would show in the total
 *   join     every thread's return value comes back through thread_join
 *   sleep    a thread sleeps SLEEP_US and must not wake earlier
 *   channel  a thread blocks in urpc_recv on a URPC channel while a worker
 *            thread keeps counting: the wait blocks only that thread; then
 *            the main thread sends and the receiver gets the message
 *
 * One line per part, "<part> ok ..." or "<part> WRONG ...", then
 * "all ok with N threads" (exit 0) or exit 1.
 *
 *   threads fault   four threads run; one writes through a null pointer:
 *                   the whole domain must end with #PF (not just the
 *                   thread, and nothing else on the core)
 *   threads overflow  a thread recurses past the end of its stack: it must
 *                   fault in its guard pages (#PF there), not run on into
 *                   other memory
 */
#include <libos/libos.h>
#include <libos/thread.h>
#include <libos/waitset_urpc.h>
#include <urpc/urpc.h>

#define MAX_THREADS 128u
#define ITEMS 200u
#define BUF 8u
#define ROUNDS 300u
#define SLEEP_US 30000u
#define BUSY 3000u       /* long enough for the timer to preempt inside the lock */

static struct thread *tids[MAX_THREADS];

/* ---- buffer ------------------------------------------------------------- */
static struct thread_mutex bm = THREAD_MUTEX_INIT;
static struct thread_cond not_full = THREAD_COND_INIT, not_empty = THREAD_COND_INIT;
static uint32_t ring[BUF];
static unsigned rhead, rcount, remaining;
static uint8_t *seen;
static unsigned duplicates;

static int producer(void *arg)
{
	unsigned p = (unsigned)(uintptr_t)arg;
	for (unsigned i = 0; i < ITEMS; i++) {
		thread_mutex_lock(&bm);
		while (rcount == BUF)
			thread_cond_wait(&not_full, &bm);
		ring[(rhead + rcount++) % BUF] = p * ITEMS + i;
		thread_cond_signal(&not_empty);
		thread_mutex_unlock(&bm);
	}
	return (int)p;
}

static int consumer(void *arg)
{
	unsigned got = 0;
	(void)arg;
	for (;;) {
		thread_mutex_lock(&bm);
		while (rcount == 0 && remaining > 0)
			thread_cond_wait(&not_empty, &bm);
		if (remaining == 0) {
			thread_mutex_unlock(&bm);
			return (int)got;
		}
		uint32_t v = ring[rhead];
		rhead = (rhead + 1) % BUF;
		rcount--;
		if (seen[v]++)
			duplicates++;
		got++;
		if (--remaining == 0)
			thread_cond_broadcast(&not_empty);
		thread_cond_signal(&not_full);
		thread_mutex_unlock(&bm);
	}
}

static bool part_buffer(unsigned n)
{
	unsigned np = n / 2, nc = n - np, total = np * ITEMS;
	seen = calloc(total, 1);
	remaining = total;
	for (unsigned i = 0; i < n; i++)
		if (thread_create(&tids[i], i < np ? producer : consumer,
				  (void *)(uintptr_t)i) != ERR_OK) {
			printf("buffer WRONG: thread_create %u failed\n", i);
			return false;
		}
	unsigned consumed = 0, psum = 0;
	for (unsigned i = 0; i < n; i++) {
		int r = -1;
		thread_join(tids[i], &r);
		if (i < np)
			psum += (unsigned)r;
		else
			consumed += (unsigned)r;
	}
	unsigned missing = 0;
	for (unsigned v = 0; v < total; v++)
		missing += seen[v] == 0;
	free(seen);
	bool ok = consumed == total && missing == 0 && duplicates == 0 &&
		  psum == np * (np - 1) / 2;
	printf("buffer %s: %u producers, %u consumers, %u items, %u missing, "
	       "%u duplicates, joins %s\n", ok ? "ok" : "WRONG", np, nc, consumed, missing,
	       duplicates, psum == np * (np - 1) / 2 ? "ok" : "WRONG");
	return ok;
}

/* ---- mutex -------------------------------------------------------------- */
static struct thread_mutex cm = THREAD_MUTEX_INIT;
static volatile uint64_t counter;

static int adder(void *arg)
{
	unsigned k = (unsigned)(uintptr_t)arg;
	for (unsigned i = 0; i < ROUNDS; i++) {
		thread_mutex_lock(&cm);
		uint64_t v = counter;
		if ((i + k) % 7 == 0)
			thread_yield();                 /* inside the lock, on purpose */
		else
			for (volatile unsigned s = 0; s < BUSY; s++)
				;
		counter = v + 1;
		thread_mutex_unlock(&cm);
	}
	return 0;
}

static bool part_mutex(unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (thread_create(&tids[i], adder, (void *)(uintptr_t)i) != ERR_OK)
			return false;
	for (unsigned i = 0; i < n; i++)
		thread_join(tids[i], 0);
	bool unlock_foreign = thread_mutex_unlock(&cm) == ERR_PERM;
	bool ok = counter == (uint64_t)n * ROUNDS && unlock_foreign;
	printf("mutex %s: counter %llu of %u, %llu thread switches, %llu upcalls, "
	       "unlocking a free mutex %s\n", ok ? "ok" : "WRONG",
	       (unsigned long long)counter, n * ROUNDS,
	       (unsigned long long)thread_switches(),
	       (unsigned long long)libos_upcalls(),
	       unlock_foreign ? "refused" : "ACCEPTED");
	return ok;
}

/* ---- sleep -------------------------------------------------------------- */
static int sleeper(void *arg)
{
	uint64_t *slept = arg;
	uint64_t t0 = libos_tsc();
	thread_sleep_us(SLEEP_US);
	*slept = libos_tsc() - t0;
	return 0;
}

static bool part_sleep(void)
{
	uint64_t slept = 0;
	struct thread *t;
	if (thread_create(&t, sleeper, &slept) != ERR_OK)
		return false;
	thread_join(t, 0);
	uint64_t min = SLEEP_US * (libos_tsc_hz() / 1000000);
	bool ok = slept >= min;
	printf("sleep %s: asked %u us, slept %llu us\n", ok ? "ok" : "WRONG",
	       SLEEP_US, (unsigned long long)(slept / (libos_tsc_hz() / 1000000)));
	return ok;
}

/* ---- channel ------------------------------------------------------------ */
static struct urpc_chan tx, rx;
static volatile uint64_t worker_rounds;
static volatile bool worker_stop, receiver_got;
static uint64_t rounds_while_blocked;

static int receiver(void *arg)
{
	uint64_t v = 0;
	uint16_t type;
	size_t len;
	(void)arg;
	uint64_t before = worker_rounds;
	err_t e = urpc_recv(&rx, &type, &v, sizeof v, &len, 16);
	rounds_while_blocked = worker_rounds - before;
	receiver_got = true;
	return e == ERR_OK && type == 7 && v == 0xfeedull ? 0 : 1;
}

static int worker(void *arg)
{
	(void)arg;
	while (!worker_stop) {
		worker_rounds++;
		for (volatile unsigned s = 0; s < 1000; s++)
			;
	}
	return 0;
}

static bool part_channel(void)
{
	size_t size = urpc_area_size(16);
	void *mem = malloc(size + 64);
	if (!mem) {
		printf("channel WRONG: no memory\n");
		return false;
	}
	void *area = (void *)(((uintptr_t)mem + 63) & ~(uintptr_t)63);
	struct urpc_hooks h;
	libos_urpc_hooks(&h, libos_core_id());
	if (urpc_area_init(area, size, 16, 0) || urpc_chan_init(&tx, area, size, 0, &h) ||
	    urpc_chan_init(&rx, area, size, 1, &h)) {
		printf("channel WRONG: set-up failed\n");
		free(mem);
		return false;
	}
	struct thread *r, *w;
	thread_create(&w, worker, 0);
	thread_create(&r, receiver, 0);
	thread_sleep_us(50000);                 /* the receiver blocks meanwhile */
	bool early = receiver_got;
	uint64_t v = 0xfeed;
	err_t se = urpc_send(&tx, 7, &v, sizeof v);
	int rr = -1;
	thread_join(r, &rr);
	worker_stop = true;
	thread_join(w, 0);
	free(mem);
	bool ok = !early && se == ERR_OK && rr == 0 && rounds_while_blocked > 0;
	printf("channel %s: receiver blocked, %llu worker rounds meanwhile, "
	       "message %s\n", ok ? "ok" : "WRONG", (unsigned long long)rounds_while_blocked,
	       rr == 0 ? "received" : "LOST");
	return ok;
}

static volatile int *volatile null_pointer; /* the compiler cannot see it is 0 */

static int faulter(void *arg)
{
	thread_sleep_us(10000);
	if (arg)
		*null_pointer = 1;
	for (;;)
		thread_yield();
	return 0;
}

static unsigned recurse(unsigned depth)
{
	volatile uint8_t frame[512];
	frame[0] = (uint8_t)depth;
	frame[511] = (uint8_t)(depth >> 8);
	return depth > 1000000 ? frame[0] : recurse(depth + 1) + frame[511];
}

static int overflower(void *arg)
{
	(void)arg;
	return (int)recurse(0);
}

static int part_overflow(void)
{
	struct thread *t;
	thread_create(&t, overflower, 0);
	printf("overflow: thread %u recurses; its guard is below %#llx\n", thread_id(t),
	       (unsigned long long)THREAD_STACKS_VA);
	thread_join(t, 0);
	printf("overflow WRONG: the domain survived a stack overrun\n");
	return 1;
}

static int part_fault(void)
{
	struct thread *t[4];
	for (unsigned i = 0; i < 4; i++)
		thread_create(&t[i], faulter, (void *)(uintptr_t)(i == 2));
	printf("fault: 4 threads started, thread %u will fault\n", thread_id(t[2]));
	thread_join(t[0], 0);
	printf("fault WRONG: the domain survived a faulting thread\n");
	return 1;
}

int main(int argc, char **argv)
{
	uint64_t n = 64;
	if (argc > 1 && strcmp(argv[1], "fault") == 0)
		return part_fault();
	if (argc > 1 && strcmp(argv[1], "overflow") == 0)
		return part_overflow();
	if (argc > 1 && (parse_u64(argv[1], &n) != ERR_OK || n < 2 || n > MAX_THREADS)) {
		printf("bad thread count '%s' (2..%u)\n", argv[1], MAX_THREADS);
		return 2;
	}
	bool ok = part_buffer((unsigned)n);
	ok &= part_mutex((unsigned)n);
	ok &= part_sleep();
	ok &= part_channel();
	bool join_self = thread_join(thread_self(), 0) == ERR_INVAL;
	struct thread *none;
	bool no_fn = thread_create(&none, 0, 0) == ERR_INVAL;
	ok &= join_self && no_fn;
	printf("refusals %s: join of itself %s, create without a function %s\n",
	       join_self && no_fn ? "ok" : "WRONG", join_self ? "refused" : "ACCEPTED",
	       no_fn ? "refused" : "ACCEPTED");
	if (thread_count() != 1) {
		printf("WRONG: %u threads left\n", thread_count());
		ok = false;
	}
	if (ok)
		printf("all ok with %u threads\n", (unsigned)n);
	return ok ? 0 : 1;
}
