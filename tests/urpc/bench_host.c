/*
 * bench_host: URPC on Linux against the hardware limit and the usual
 * alternatives, between two threads pinned (with hwloc) to chosen cores.
 *
 *   bench_host [-a CPU] [-b CPU] [-n ROUND_TRIPS] [-m STREAM_MSGS]
 *              [-s SLOTS] [-r REPS] [-o JSON]
 *
 * -a/-b are OS CPU numbers (hwloc PU os_index; default: the first PU of
 * the first two cores).  Every mechanism carries the same 8-byte message
 * (a sequence number the receiver checks) and, where it is a ring, has
 * the same number of slots (-s, default 64).
 *
 * Round trip: thread A sends i, thread B waits for it and sends i back, A
 * waits for the reply; every round trip is timed with the TSC (calibrated
 * against CLOCK_MONOTONIC) after a warm-up; median and 99th percentile.
 * Streaming: A sends STREAM_MSGS messages back to back, B receives them;
 * messages per second from A's first send to B's last receive.
 * The whole set runs REPS times (default 5), mechanisms interleaved, and
 * each figure is the best of the repetitions (lowest median, highest
 * rate): on a shared or virtual machine other load only ever slows a run
 * down, so the best run is the closest to what the mechanism costs.  The
 * JSON file also has the median over the repetitions.
 *
 *   raw        one cache line per direction, a store and a spin on the
 *              other line: the hardware's round trip.  Streaming: a bare
 *              ring of lines holding only a sequence word, credit per
 *              quarter ring (what URPC does, without anything else)
 *   urpc       urpc_send / urpc_try_recv, polling (no sleep)
 *   urpc-b16   streaming with urpc_send_batch, 16 messages per batch
 *   urpc-sleep urpc_recv with spins = 0 and futex hooks: every message
 *              sleeps and is woken (the notify path)
 *   ck_ring    Concurrency Kit SPSC ring, one per direction, polling
 *   pipe       one pipe per direction, write/read of 8 bytes (the stream
 *              reader reads up to 4 KiB per call)
 *   eventfd    one eventfd per direction, blocking read (stream: the
 *              reader adds up the counts)
 *   futex      a word per direction, FUTEX_WAKE / FUTEX_WAIT
 *
 * Prints one table with ratios to raw and writes the JSON file (default
 * build/bench/host.json).  Nothing here asserts a speed.
 */
#define _GNU_SOURCE
#include "urpc_linux.h"

#include <asm/unistd.h>
#include <ck_ring.h>
#include <errno.h>
#include <hwloc.h>
#include <stddef.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#define LINE 64
#define MAX_REPS 64

static hwloc_topology_t topo;
static int cpu_a = -1, cpu_b = -1;
static uint64_t n_rtt = 200000, n_stream = 2000000;
static uint32_t nslots = 64;
static unsigned reps = 5;
static double tsc_per_ns;
static uint64_t errors;                 /* wrong values seen by receivers */

/* ---- pinning and time ------------------------------------------------- */

static void pin(int cpu)
{
	hwloc_obj_t pu = hwloc_get_pu_obj_by_os_index(topo, (unsigned)cpu);

	if (!pu || hwloc_set_cpubind(topo, pu->cpuset,
				     HWLOC_CPUBIND_THREAD) != 0) {
		fprintf(stderr, "bench_host: cannot bind to CPU %d\n", cpu);
		exit(2);
	}
}

/* Default CPUs: first PU of the first two cores (or of two PUs). */
static void pick_cpus(void)
{
	int ncores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
	hwloc_obj_type_t t = ncores >= 2 ? HWLOC_OBJ_CORE : HWLOC_OBJ_PU;
	int *dst[2] = { &cpu_a, &cpu_b };

	for (unsigned i = 0; i < 2; i++) {
		hwloc_obj_t o = hwloc_get_obj_by_type(topo, t, i);

		if (*dst[i] >= 0)
			continue;
		if (!o) {
			fprintf(stderr, "bench_host: need two CPUs\n");
			exit(2);
		}
		while (o->type != HWLOC_OBJ_PU)
			o = o->children[0];
		*dst[i] = (int)o->os_index;
	}
}

static uint64_t ns_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline uint64_t tsc(void)
{
	unsigned aux;

	return __rdtscp(&aux);
}

static void calibrate(void)
{
	struct timespec d = { 0, 100000000 };
	uint64_t n0 = ns_now(), t0 = tsc();

	nanosleep(&d, NULL);
	tsc_per_ns = (double)(tsc() - t0) / (double)(ns_now() - n0);
}

static long futex(_Atomic uint32_t *w, int op, uint32_t val)
{
	return syscall(__NR_futex, (uint32_t *)w, op, val, NULL, NULL, 0);
}

static void check(uint64_t got, uint64_t want)
{
	if (got != want)
		__atomic_fetch_add(&errors, 1, __ATOMIC_RELAXED);
}

/* ---- mechanisms ------------------------------------------------------- */

/*
 * Each mechanism has: setup; A's ping (send i, wait for the reply); B's
 * pong loop (n times: wait for i, send it back); A's send of message i in
 * a stream; B's receive loop of n messages.  NULL stream: not measured.
 */
struct mech {
	const char *name;
	void (*setup)(void);
	void (*teardown)(void);
	void (*ping)(uint64_t i);
	void (*pong)(uint64_t n);
	void (*send)(uint64_t i);       /* NULL: no streaming */
	void (*recv)(uint64_t n);
	void (*flush)(void);            /* after the last send, if batching */
};

/* raw */
struct raw_line {
	_Atomic uint64_t v;
	char pad[LINE - 8];
} __attribute__((aligned(LINE)));

static struct raw_line raw_l[2];
static struct raw_line *raw_ring;
static struct raw_line raw_credit;
static uint64_t raw_seen;

static void raw_setup(void)
{
	raw_ring = aligned_alloc(LINE, nslots * sizeof *raw_ring);
	memset(raw_ring, 0, nslots * sizeof *raw_ring);
	memset(raw_l, 0, sizeof raw_l);
	atomic_store(&raw_credit.v, 0);
	raw_seen = 0;
}

static void raw_teardown(void)
{
	free(raw_ring);
}

static void raw_ping(uint64_t i)
{
	atomic_store_explicit(&raw_l[0].v, i + 1, memory_order_release);
	while (atomic_load_explicit(&raw_l[1].v, memory_order_acquire) != i + 1)
		_mm_pause();
}

static void raw_pong(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		while (atomic_load_explicit(&raw_l[0].v, memory_order_acquire) !=
		       i + 1)
			_mm_pause();
		atomic_store_explicit(&raw_l[1].v, i + 1, memory_order_release);
	}
}

static void raw_send(uint64_t i)
{
	while (i - raw_seen >= nslots)
		raw_seen = atomic_load_explicit(&raw_credit.v,
						memory_order_acquire);
	atomic_store_explicit(&raw_ring[i & (nslots - 1)].v, i + 1,
			      memory_order_release);
}

static void raw_recv(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		while (atomic_load_explicit(&raw_ring[i & (nslots - 1)].v,
					    memory_order_acquire) != i + 1)
			_mm_pause();
		if ((i + 1) % (nslots / 4) == 0)
			atomic_store_explicit(&raw_credit.v, i + 1,
					      memory_order_release);
	}
}

/* urpc, polling */
static void *u_area;
static struct urpc_chan u_side[2];
static struct urpc_linux_waiter u_w[2];
static unsigned u_spins = 1u << 30;

static void urpc_setup_hooks(bool sleep)
{
	size_t size;

	u_area = urpc_linux_area(nslots, 0, &size);
	memset(u_w, 0, sizeof u_w);
	for (unsigned i = 0; i < 2; i++) {
		struct urpc_hooks h = urpc_linux_hooks(&u_w[i], &u_w[1 - i]);

		if (!sleep)
			h.wait = NULL;
		if (urpc_chan_init(&u_side[i], u_area, size, i, &h) != ERR_OK)
			exit(2);
	}
	u_spins = sleep ? 0 : 1u << 30;
}

static void urpc_setup(void)
{
	urpc_setup_hooks(false);
}

static void urpc_sleep_setup(void)
{
	urpc_setup_hooks(true);
}

static void urpc_teardown(void)
{
	free(u_area);
}

static uint64_t urpc_get(struct urpc_chan *c)
{
	uint64_t v = 0;
	size_t len;

	if (urpc_recv(c, NULL, &v, sizeof v, &len, u_spins) != ERR_OK)
		exit(3);
	return v;
}

static void urpc_put(struct urpc_chan *c, uint64_t v)
{
	while (urpc_send(c, 1, &v, sizeof v) == ERR_FULL)
		_mm_pause();
}

static void urpc_ping(uint64_t i)
{
	urpc_put(&u_side[0], i);
	check(urpc_get(&u_side[0]), i);
}

static void urpc_pong(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t v = urpc_get(&u_side[1]);

		check(v, i);
		urpc_put(&u_side[1], v);
	}
}

static void urpc_send1(uint64_t i)
{
	urpc_put(&u_side[0], i);
}

static void urpc_recvn(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		check(urpc_get(&u_side[1]), i);
}

/* urpc, batched send: queue 16, send them with one urpc_send_batch */
#define UB 16
static uint64_t ub_val[UB];
static struct urpc_msg ub_msg[UB];
static size_t ub_n;

static void urpc_batch_flush(void)
{
	size_t off = 0, sent;

	while (off < ub_n) {
		urpc_send_batch(&u_side[0], ub_msg + off, ub_n - off, &sent);
		off += sent;
		if (off < ub_n)
			_mm_pause();
	}
	ub_n = 0;
}

static void urpc_batch_send(uint64_t i)
{
	ub_val[ub_n] = i;
	ub_msg[ub_n] = (struct urpc_msg){ 1, 8, &ub_val[ub_n] };
	if (++ub_n == UB)
		urpc_batch_flush();
}

/* ck_ring */
static ck_ring_t ck_r[2] __attribute__((aligned(LINE)));
static ck_ring_buffer_t *ck_buf[2];

static void ck_setup(void)
{
	for (unsigned i = 0; i < 2; i++) {
		ck_buf[i] = aligned_alloc(LINE, nslots * sizeof *ck_buf[i]);
		memset(ck_buf[i], 0, nslots * sizeof *ck_buf[i]);
		ck_ring_init(&ck_r[i], nslots);
	}
}

static void ck_teardown(void)
{
	free(ck_buf[0]);
	free(ck_buf[1]);
}

static void ck_put(unsigned d, uint64_t v)
{
	while (!ck_ring_enqueue_spsc(&ck_r[d], ck_buf[d], (void *)(uintptr_t)v))
		_mm_pause();
}

static uint64_t ck_get(unsigned d)
{
	void *p;

	while (!ck_ring_dequeue_spsc(&ck_r[d], ck_buf[d], &p))
		_mm_pause();
	return (uint64_t)(uintptr_t)p;
}

static void ck_ping(uint64_t i)
{
	ck_put(0, i + 1);
	check(ck_get(1), i + 1);
}

static void ck_pong(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t v = ck_get(0);

		check(v, i + 1);
		ck_put(1, v);
	}
}

static void ck_send(uint64_t i)
{
	ck_put(0, i + 1);
}

static void ck_recv(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		check(ck_get(0), i + 1);
}

/* pipe */
static int pfd[2][2];

static void pipe_setup(void)
{
	if (pipe(pfd[0]) || pipe(pfd[1]))
		exit(2);
}

static void pipe_teardown(void)
{
	for (unsigned i = 0; i < 2; i++) {
		close(pfd[i][0]);
		close(pfd[i][1]);
	}
}

static void fd_put(int fd, uint64_t v)
{
	if (write(fd, &v, 8) != 8)
		exit(3);
}

static uint64_t fd_get(int fd)
{
	uint64_t v;

	if (read(fd, &v, 8) != 8)
		exit(3);
	return v;
}

static void pipe_ping(uint64_t i)
{
	fd_put(pfd[0][1], i);
	check(fd_get(pfd[1][0]), i);
}

static void pipe_pong(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t v = fd_get(pfd[0][0]);

		check(v, i);
		fd_put(pfd[1][1], v);
	}
}

static void pipe_send(uint64_t i)
{
	fd_put(pfd[0][1], i);
}

static void pipe_recv(uint64_t n)
{
	static uint64_t buf[512];
	uint64_t i = 0;
	size_t have = 0;                /* bytes in buf */

	while (i < n) {
		ssize_t r = read(pfd[0][0], (char *)buf + have,
				 sizeof buf - have);

		if (r <= 0)
			exit(3);
		have += (size_t)r;
		for (size_t k = 0; k < have / 8; k++)
			check(buf[k], i++);
		memmove(buf, (char *)buf + have / 8 * 8, have % 8);
		have %= 8;
	}
}

/* eventfd */
static int efd[2];

static void efd_setup(void)
{
	efd[0] = eventfd(0, 0);
	efd[1] = eventfd(0, 0);
	if (efd[0] < 0 || efd[1] < 0)
		exit(2);
}

static void efd_teardown(void)
{
	close(efd[0]);
	close(efd[1]);
}

static void efd_ping(uint64_t i)
{
	(void)i;
	fd_put(efd[0], 1);
	check(fd_get(efd[1]), 1);
}

static void efd_pong(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		check(fd_get(efd[0]), 1);
		fd_put(efd[1], 1);
	}
}

static void efd_send(uint64_t i)
{
	(void)i;
	fd_put(efd[0], 1);
}

static void efd_recv(uint64_t n)
{
	for (uint64_t got = 0; got < n;)
		got += fd_get(efd[0]);
}

/* futex: word d counts messages sent in direction d */
static struct raw_line fx[2];

static void fx_setup(void)
{
	memset(fx, 0, sizeof fx);
}

static void fx_wait_for(unsigned d, uint64_t want)
{
	_Atomic uint32_t *w = (_Atomic uint32_t *)&fx[d].v;
	uint32_t v;

	while ((v = atomic_load(w)) != (uint32_t)want)
		futex(w, FUTEX_WAIT_PRIVATE, v);
}

static void fx_post(unsigned d, uint64_t v)
{
	_Atomic uint32_t *w = (_Atomic uint32_t *)&fx[d].v;

	atomic_store(w, (uint32_t)v);
	futex(w, FUTEX_WAKE_PRIVATE, 1);
}

static void fx_ping(uint64_t i)
{
	fx_post(0, i + 1);
	fx_wait_for(1, i + 1);
}

static void fx_pong(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		fx_wait_for(0, i + 1);
		fx_post(1, i + 1);
	}
}

static void nothing(void)
{
}

static const struct mech mechs[] = {
	{ "raw", raw_setup, raw_teardown, raw_ping, raw_pong, raw_send,
	  raw_recv, NULL },
	{ "urpc", urpc_setup, urpc_teardown, urpc_ping, urpc_pong, urpc_send1,
	  urpc_recvn, NULL },
	{ "urpc-b16", urpc_setup, urpc_teardown, NULL, NULL, urpc_batch_send,
	  urpc_recvn, urpc_batch_flush },
	{ "urpc-sleep", urpc_sleep_setup, urpc_teardown, urpc_ping, urpc_pong,
	  urpc_send1, urpc_recvn, NULL },
	{ "ck_ring", ck_setup, ck_teardown, ck_ping, ck_pong, ck_send, ck_recv,
	  NULL },
	{ "pipe", pipe_setup, pipe_teardown, pipe_ping, pipe_pong, pipe_send,
	  pipe_recv, NULL },
	{ "eventfd", efd_setup, efd_teardown, efd_ping, efd_pong, efd_send,
	  efd_recv, NULL },
	{ "futex", fx_setup, nothing, fx_ping, fx_pong, NULL, NULL, NULL },
};
#define NMECH (sizeof mechs / sizeof mechs[0])

/* ---- driver ------------------------------------------------------------ */

struct result {
	double rtt_med, rtt_p99;        /* ns; < 0: not measured */
	double mps;                     /* messages per second; < 0: none */
};

struct b_job {
	const struct mech *m;
	uint64_t n;
	bool stream;
	_Atomic int ready;
	uint64_t end_tsc;
};

static void *b_thread(void *arg)
{
	struct b_job *j = arg;

	pin(cpu_b);
	atomic_store(&j->ready, 1);
	if (j->stream)
		j->m->recv(j->n);
	else
		j->m->pong(j->n);
	j->end_tsc = tsc();
	return NULL;
}

static void start_b(pthread_t *th, struct b_job *j)
{
	if (pthread_create(th, NULL, b_thread, j) != 0)
		exit(2);
	while (!atomic_load(&j->ready))
		_mm_pause();
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Slow mechanisms get fewer iterations, so the run stays short. */
static uint64_t scaled(const struct mech *m, uint64_t n)
{
	bool slow = !strcmp(m->name, "pipe") || !strcmp(m->name, "eventfd") ||
		    !strcmp(m->name, "futex") || !strcmp(m->name, "urpc-sleep");

	return slow ? (n / 10 > 1000 ? n / 10 : 1000) : n;
}

static void run_rtt(const struct mech *m, struct result *r)
{
	uint64_t n = scaled(m, n_rtt), warm = n / 10;
	uint64_t *s = malloc(n * sizeof *s);
	struct b_job j = { .m = m, .n = warm + n };
	pthread_t th;

	m->setup();
	start_b(&th, &j);
	for (uint64_t i = 0; i < warm; i++)
		m->ping(i);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t t0 = tsc();

		m->ping(warm + i);
		s[i] = tsc() - t0;
	}
	pthread_join(th, NULL);
	m->teardown();
	qsort(s, n, sizeof *s, cmp_u64);
	/* Integer division on purpose: these are indices (median, p99). */
	r->rtt_med = (double)s[n / 2] / tsc_per_ns; // NOLINT(bugprone-integer-division)
	r->rtt_p99 = (double)s[n * 99 / 100] / tsc_per_ns; // NOLINT(bugprone-integer-division)
	free(s);
}

static void run_stream(const struct mech *m, struct result *r)
{
	uint64_t n = scaled(m, n_stream);
	struct b_job j = { .m = m, .n = n, .stream = true };
	pthread_t th;
	uint64_t t0;

	m->setup();
	start_b(&th, &j);
	t0 = tsc();
	for (uint64_t i = 0; i < n; i++)
		m->send(i);
	if (m->flush)
		m->flush();
	pthread_join(th, NULL);
	m->teardown();
	r->mps = (double)n / ((double)(j.end_tsc - t0) / tsc_per_ns) * 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of field `off` over the repetitions; also its best (min or max). */
static double over_reps(const struct result *r, size_t off, bool want_max,
			double *best)
{
	double v[MAX_REPS];

	/* off is offsetof() a double field; v[0..reps) is written here. */
	for (unsigned k = 0; k < reps; k++)
		// cppcheck-suppress invalidPointerCast
		v[k] = *(const double *)((const char *)&r[k] + off);
	/* reps is 1..MAX_REPS (checked in main), so v is written. */
	// cppcheck-suppress uninitvar
	qsort(v, reps, sizeof v[0], cmp_double);
	*best = want_max ? v[reps - 1] : v[0];
	return v[reps / 2];
}

/* Best and median over the repetitions of one mechanism. */
static void combine(const struct result *runs, struct result *best,
		    struct result *med)
{
	med->rtt_med = over_reps(runs, offsetof(struct result, rtt_med), false,
				 &best->rtt_med);
	med->rtt_p99 = over_reps(runs, offsetof(struct result, rtt_p99), false,
				 &best->rtt_p99);
	med->mps = over_reps(runs, offsetof(struct result, mps), true,
			     &best->mps);
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_host [-a CPU] [-b CPU] [-n ROUND_TRIPS] "
		"[-m STREAM_MSGS] [-s SLOTS] [-r REPS] [-o JSON]\n");
	exit(2);
}

static const char *ratio(char *buf, double x, double raw)
{
	if (x <= 0 || raw <= 0)
		return "-";
	snprintf(buf, 16, "%.2fx", x / raw);
	return buf;
}

static void report(const struct result *res, const struct result *med,
		   const char *json)
{
	const struct result *raw = &res[0];
	FILE *f;
	char b1[16], b2[16];

	printf("\nURPC host benchmark: CPUs %d and %d, %llu round trips, "
	       "%llu streamed messages (x0.1 for syscall mechanisms), "
	       "%u slots, TSC %.3f GHz, best of %u runs\n\n", cpu_a, cpu_b,
	       (unsigned long long)n_rtt, (unsigned long long)n_stream,
	       nslots, tsc_per_ns, reps);
	printf("%-11s %10s %10s %8s %12s %8s\n", "mechanism", "rtt med ns",
	       "rtt p99 ns", "rtt/raw", "stream Mmsg/s", "str/raw");
	for (size_t i = 0; i < NMECH; i++) {
		const struct result *r = &res[i];
		char med[16] = "-", p99[16] = "-", mps[16] = "-";

		if (r->rtt_med >= 0) {
			snprintf(med, sizeof med, "%.0f", r->rtt_med);
			snprintf(p99, sizeof p99, "%.0f", r->rtt_p99);
		}
		if (r->mps >= 0)
			snprintf(mps, sizeof mps, "%.2f", r->mps / 1e6);
		printf("%-11s %10s %10s %8s %12s %8s\n", mechs[i].name, med,
		       p99, ratio(b1, r->rtt_med, raw->rtt_med), mps,
		       ratio(b2, r->mps, raw->mps));
	}
	printf("\ntargets: urpc rtt <= 1.25x raw: %.2fx; urpc stream >= "
	       "ck_ring: %.2fx (batched %.2fx); rtt vs pipe: %.1fx faster\n",
	       res[1].rtt_med / raw->rtt_med, res[1].mps / res[4].mps,
	       res[2].mps / res[4].mps, res[5].rtt_med / res[1].rtt_med);
	if (errors)
		printf("ERROR: %llu messages arrived wrong\n",
		       (unsigned long long)errors);

	f = fopen(json, "w");
	if (!f) {
		perror(json);
		exit(2);
	}
	fprintf(f, "{\n  \"cpus\": [%d, %d],\n  \"round_trips\": %llu,\n"
		"  \"stream_messages\": %llu,\n  \"slots\": %u,\n"
		"  \"message_bytes\": 8,\n  \"tsc_ghz\": %.4f,\n"
		"  \"repetitions\": %u,\n  \"figures\": \"best of the "
		"repetitions\",\n"
		"  \"errors\": %llu,\n  \"results\": [\n", cpu_a, cpu_b,
		(unsigned long long)n_rtt, (unsigned long long)n_stream,
		nslots, tsc_per_ns, reps, (unsigned long long)errors);
	for (size_t i = 0; i < NMECH; i++) {
		const struct result *r = &res[i];

		const struct result *m = &med[i];

		fprintf(f, "    {\"name\": \"%s\"", mechs[i].name);
		if (r->rtt_med >= 0)
			fprintf(f, ", \"rtt_median_ns\": %.1f, \"rtt_p99_ns\": "
				"%.1f, \"rtt_vs_raw\": %.3f, "
				"\"rtt_median_ns_median_of_runs\": %.1f",
				r->rtt_med, r->rtt_p99, r->rtt_med / raw->rtt_med,
				m->rtt_med);
		if (r->mps >= 0)
			fprintf(f, ", \"stream_msgs_per_s\": %.0f, "
				"\"stream_vs_raw\": %.3f, "
				"\"stream_msgs_per_s_median_of_runs\": %.0f",
				r->mps, r->mps / raw->mps, m->mps);
		fprintf(f, "}%s\n", i + 1 < NMECH ? "," : "");
	}
	fprintf(f, "  ],\n  \"targets\": {\"urpc_rtt_vs_raw\": %.3f, "
		"\"urpc_stream_vs_ck_ring\": %.3f, "
		"\"urpc_batch_stream_vs_ck_ring\": %.3f, "
		"\"pipe_rtt_vs_urpc\": %.2f}\n}\n",
		res[1].rtt_med / raw->rtt_med, res[1].mps / res[4].mps,
		res[2].mps / res[4].mps, res[5].rtt_med / res[1].rtt_med);
	fclose(f);
	printf("wrote %s\n", json);
}

int main(int argc, char **argv)
{
	static struct result res[NMECH], med[NMECH], runs[NMECH][MAX_REPS];
	const char *json = "build/bench/host.json";
	int opt;

	while ((opt = getopt(argc, argv, "a:b:n:m:s:r:o:")) != -1) {
		switch (opt) {
		case 'a': cpu_a = atoi(optarg); break;
		case 'b': cpu_b = atoi(optarg); break;
		case 'n': n_rtt = strtoull(optarg, NULL, 0); break;
		case 'm': n_stream = strtoull(optarg, NULL, 0); break;
		case 's': nslots = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'r': reps = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'o': json = optarg; break;
		default: usage();
		}
	}
	if (n_rtt < 100 || n_stream < 100 || nslots < 4 || reps < 1 ||
	    reps > MAX_REPS ||
	    (nslots & (nslots - 1)))
		usage();
	hwloc_topology_init(&topo);
	hwloc_topology_load(topo);
	pick_cpus();
	if (cpu_a == cpu_b)
		fprintf(stderr, "bench_host: warning: both threads on CPU %d\n",
			cpu_a);
	pin(cpu_a);
	calibrate();
	for (unsigned k = 0; k < reps; k++) {
		for (size_t i = 0; i < NMECH; i++) {
			struct result *r = &runs[i][k];

			r->rtt_med = r->rtt_p99 = r->mps = -1;
			if (mechs[i].ping)
				run_rtt(&mechs[i], r);
			if (mechs[i].send)
				run_stream(&mechs[i], r);
		}
		fprintf(stderr, "  repetition %u of %u done\n", k + 1, reps);
	}
	for (size_t i = 0; i < NMECH; i++) {
		combine(runs[i], &res[i], &med[i]);
	}
	report(res, med, json);
	hwloc_topology_destroy(topo);
	return errors ? 1 : 0;
}
