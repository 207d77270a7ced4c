/*
 * bench_host: URPC on Linux against the hardware limit and the usual
 * alternatives, between two threads pinned (with hwloc) to chosen cores.
 *
 *   bench_host [-a CPU] [-b CPU] [-n ROUND_TRIPS] [-m STREAM_MSGS]
 *              [-s SLOTS] [-r REPS] [-o JSON] [-t]
 *
 * -a/-b are OS CPU numbers (hwloc PU os_index; default: the first PU of
 * the first two cores).  Every mechanism carries the same 8-byte message
 * (a sequence number the receiver checks) and, where it is a ring, has
 * the same number of slots (-s, default 64).
 *
 * Round trip: thread A sends i, thread B waits for it and sends i back, A
 * waits for the reply; every round trip is timed with the TSC (calibrated
 * against CLOCK_MONOTONIC) after a warm-up; median and 99th percentile
 * (-t prints the percentiles of every run: the shape of the tail).
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
 *   urpc       urpc_send / urpc_try_recv, polling (no sleep); the
 *              receivers in fence-free mode (membarrier as the barrier,
 *              urpc_rx_set_barrier), so sends do not fence; so are
 *              urpc-inplace and urpc-b16
 *   urpc-fence the same with the senders' fence (no barrier declared)
 *   urpc-b16   streaming with urpc_send_batch, 16 messages per batch
 *   urpc-async streaming with urpc_send_async, one urpc_tx_kick per 16
 *              messages, received in place (urpc_peek/urpc_release)
 *   urpc-burst streaming in bursts of 16 (urpc_burst_*), received in
 *              place with drains (urpc_drain_*)
 *   urpc-sleep urpc_recv with spins = 0 and futex hooks: every message
 *              sleeps and is woken (the notify path)
 *   urpc-sleep-nf the same in fence-free mode: each sleep also runs one
 *              membarrier
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
static unsigned psize = 8;              /* message bytes, -p */
#define MAX_PSIZE 1024
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
	bool (*size_ok)(void);          /* can it carry psize bytes? */
};

struct raw_line {
	_Atomic uint64_t v;
	char pad[LINE - 8];
} __attribute__((aligned(LINE)));

/*
 * Messages: `psize` bytes (-p, 8..URPC's maximum), the sequence number in
 * the first 8 bytes and its complement in the last 8 (when psize >= 16),
 * so a receiver that checks both knows the whole message moved.
 */
static void msg_fill(uint8_t *m, uint64_t v)
{
	uint64_t nv = ~v;

	memcpy(m, &v, 8);
	if (psize >= 16)
		memcpy(m + psize - 8, &nv, 8);
}

static uint64_t msg_check(const uint8_t *m, uint64_t want)
{
	uint64_t v, nv;

	memcpy(&v, m, 8);
	check(v, want);
	if (psize >= 16) {
		memcpy(&nv, m + psize - 8, 8);
		check(nv, ~want);
	}
	return v;
}

/*
 * raw: a block of whole lines per message, the payload and then the
 * sequence word in the block's last word, stored last (release).  For
 * payloads up to 56 bytes the block is one line: the hardware's round
 * trip with the same bytes moved.
 */
static size_t raw_bsize;                /* bytes per block */
static uint8_t *raw_l;                  /* two blocks, one per direction */
static uint8_t *raw_ring;               /* nslots blocks */
static struct raw_line raw_credit;
static uint64_t raw_seen;

static _Atomic uint64_t *raw_word(uint8_t *block)
{
	return (_Atomic uint64_t *)(void *)(block + raw_bsize - 8);
}

static void raw_setup(void)
{
	raw_bsize = (psize + 8 + LINE - 1) / LINE * LINE;
	raw_l = aligned_alloc(LINE, 2 * raw_bsize);
	raw_ring = aligned_alloc(LINE, nslots * raw_bsize);
	if (!raw_l || !raw_ring)
		exit(2);
	memset(raw_l, 0, 2 * raw_bsize);
	memset(raw_ring, 0, nslots * raw_bsize);
	atomic_store(&raw_credit.v, 0);
	raw_seen = 0;
}

static void raw_teardown(void)
{
	free(raw_l);
	free(raw_ring);
}

static void raw_put(uint8_t *block, uint64_t i)
{
	msg_fill(block, i);
	atomic_store_explicit(raw_word(block), i + 1, memory_order_release);
}

static void raw_get(uint8_t *block, uint64_t i)
{
	uint8_t m[MAX_PSIZE];

	while (atomic_load_explicit(raw_word(block), memory_order_acquire) !=
	       i + 1)
		_mm_pause();
	memcpy(m, block, psize);
	msg_check(m, i);
}

static void raw_ping(uint64_t i)
{
	raw_put(raw_l, i);
	raw_get(raw_l + raw_bsize, i);
}

static void raw_pong(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		raw_get(raw_l, i);
		raw_put(raw_l + raw_bsize, i);
	}
}

static void raw_send(uint64_t i)
{
	while (i - raw_seen >= nslots)
		raw_seen = atomic_load_explicit(&raw_credit.v,
						memory_order_acquire);
	raw_put(raw_ring + (i & (nslots - 1)) * raw_bsize, i);
}

static void raw_recv(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		raw_get(raw_ring + (i & (nslots - 1)) * raw_bsize, i);
		if ((i + 1) % (nslots / 4) == 0)
			atomic_store_explicit(&raw_credit.v, i + 1,
					      memory_order_release);
	}
}

/* urpc, polling */
static void *u_area;
/*
 * Each side's struct urpc_chan is private to its thread, as in the OS
 * (each party's in its own memory): on lines of its own, so one thread's
 * head and tail writes do not share a line with the other's reads (two
 * adjacent 168-byte structs did: side 1's tx.head shared a line with side
 * 0's hooks, read in every poll, which cost the copy-out round trip about
 * 1.2x the raw line; urpc-inplace polled without reading them).
 */
static struct own_line_chan {
	struct urpc_chan c;
} __attribute__((aligned(LINE))) u_own[2];
static struct urpc_chan *const u_side[2] = { &u_own[0].c, &u_own[1].c };
static struct urpc_linux_waiter u_w[2];
static unsigned u_spins = 1u << 30;

/*
 * fence_free: both receivers take membarrier as their asymmetric barrier
 * (urpc_rx_set_barrier), so the sends skip their fence; a library without
 * that mode (an A/B base) keeps the fence.
 */
static void urpc_setup_hooks(bool sleep, bool fence_free)
{
	size_t size;

	u_area = urpc_linux_area(nslots, 0, &size);
	memset(u_w, 0, sizeof u_w);
	for (unsigned i = 0; i < 2; i++) {
		struct urpc_hooks h = urpc_linux_hooks(&u_w[i], &u_w[1 - i]);

		if (!sleep)
			h.wait = NULL;
		if (urpc_chan_init(u_side[i], u_area, size, i, &h) != ERR_OK)
			exit(2);
#ifdef URPC_SLEEP_BARRIER
		if (fence_free && (urpc_linux_barrier_init() ||
				   urpc_rx_set_barrier(u_side[i],
						       urpc_linux_barrier,
						       NULL) != ERR_OK))
			exit(2);
#else
		(void)fence_free;
#endif
	}
	u_spins = sleep ? 0 : 1u << 30;
}

static void urpc_setup(void)
{
	urpc_setup_hooks(false, true);
}

static void urpc_fence_setup(void)
{
	urpc_setup_hooks(false, false);
}

static void urpc_sleep_setup(void)
{
	urpc_setup_hooks(true, false);
}

static void urpc_sleep_nf_setup(void)
{
	urpc_setup_hooks(true, true);
}

static void urpc_teardown(void)
{
	free(u_area);
}

static uint64_t urpc_get(struct urpc_chan *c, uint64_t want)
{
	uint8_t m[MAX_PSIZE];
	size_t len;

	if (urpc_recv(c, NULL, m, sizeof m, &len, u_spins) != ERR_OK ||
	    len != psize)
		exit(3);
	return msg_check(m, want);
}

static void urpc_put(struct urpc_chan *c, uint64_t v)
{
	uint8_t m[MAX_PSIZE];

	msg_fill(m, v);
	while (urpc_send(c, 1, m, psize) == ERR_FULL)
		_mm_pause();
}

static void urpc_ping(uint64_t i)
{
	urpc_put(u_side[0], i);
	urpc_get(u_side[0], i);
}

static void urpc_pong(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		urpc_put(u_side[1], urpc_get(u_side[1], i));
}

static void urpc_send1(uint64_t i)
{
	urpc_put(u_side[0], i);
}

static void urpc_recvn(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		urpc_get(u_side[1], i);
}

#ifdef URPC_HAS_PEEK
/*
 * urpc, received in place: urpc_peek gives a pointer into the slot and
 * urpc_release gives the slot back (no copy out); the check reads the
 * bytes where they lie.
 */
static void urpc_inplace_get(struct urpc_chan *c, uint64_t want)
{
	const void *p;
	uint16_t type;
	size_t len;
	err_t e;

	while ((e = urpc_peek(c, &type, &p, &len)) == ERR_EMPTY)
		_mm_pause();
	if (e != ERR_OK || len != psize)
		exit(3);
	msg_check(p, want);
	urpc_release(c);
}

static void urpc_inplace_ping(uint64_t i)
{
	urpc_put(u_side[0], i);
	urpc_inplace_get(u_side[0], i);
}

static void urpc_inplace_pong(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		urpc_inplace_get(u_side[1], i);
		urpc_put(u_side[1], i);
	}
}

static void urpc_inplace_recvn(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		urpc_inplace_get(u_side[1], i);
}
#endif

/* urpc, batched send: queue 16, send them with one urpc_send_batch */
#define UB 16
static uint8_t ub_val[UB][MAX_PSIZE];
static struct urpc_msg ub_msg[UB];
static size_t ub_n;

static void urpc_batch_flush(void)
{
	size_t off = 0, sent;

	while (off < ub_n) {
		urpc_send_batch(u_side[0], ub_msg + off, ub_n - off, &sent);
		off += sent;
		if (off < ub_n)
			_mm_pause();
	}
	ub_n = 0;
}

static void urpc_batch_send(uint64_t i)
{
	msg_fill(ub_val[ub_n], i);
	ub_msg[ub_n] = (struct urpc_msg){ 1, (uint16_t)psize, ub_val[ub_n] };
	if (++ub_n == UB)
		urpc_batch_flush();
}

/* urpc, asynchronous stream: urpc_send_async, one kick per UB messages */
static void urpc_async_send(uint64_t i)
{
	uint8_t m[MAX_PSIZE];

	msg_fill(m, i);
	while (urpc_send_async(u_side[0], 1, m, psize) == ERR_FULL)
		_mm_pause();
	if (i % UB == UB - 1)
		urpc_tx_kick(u_side[0]);
}

static void urpc_async_flush(void)
{
	urpc_tx_kick(u_side[0]);
}

#ifdef URPC_HAS_DRAIN
/*
 * urpc, streaming in bursts and drains (urpc_burst_*, urpc_drain_*): a
 * burst of UB messages, then its sleep check; the receiver takes them in
 * place with a drain, its state in registers (one poll of 1 << 20 loads,
 * then a new drain).  The burst lives across calls of the send hook here,
 * in memory, so the sender saves less than a loop of its own would.
 */
static struct urpc_burst u_burst;

static void urpc_burst_sendi(uint64_t i)
{
	uint8_t m[MAX_PSIZE];

	if (i % UB == 0)
		urpc_burst_begin(u_side[0], &u_burst);
	msg_fill(m, i);
	while (urpc_burst_send(&u_burst, 1, m, psize) == ERR_FULL)
		_mm_pause();
	if (i % UB == UB - 1)
		urpc_burst_end(&u_burst);
}

static void urpc_burst_flush(void)
{
	if (u_burst.c && u_burst.c->tx.head != u_burst.head)
		urpc_burst_end(&u_burst);
	urpc_tx_kick(u_side[0]);
}

static void urpc_drain_recvn(uint64_t n)
{
	uint64_t i = 0;

	while (i < n) {
		struct urpc_drain d;
		const void *p;
		uint16_t type;
		size_t len;
		err_t e = ERR_OK;

		urpc_drain_begin(u_side[1], &d);
		while (i < n && (e = urpc_drain_peek(&d, &type, &p, &len,
						     1u << 20)) == ERR_OK) {
			if (len != psize)
				exit(3);
			msg_check(p, i++);
			urpc_drain_release(&d);
		}
		urpc_drain_end(&d);
		if (e != ERR_OK && e != ERR_EMPTY)
			exit(3);
	}
}
#endif

/*
 * ck_ring (Concurrency Kit SPSC), typed so that every entry carries the
 * same bytes as a URPC message: rings of 8-, 56- and 200-byte structs
 * (CK_RING_PROTOTYPE copies the entry in and out).  Other sizes: skipped.
 */
struct ck8 { uint8_t b[8]; };
struct ck56 { uint8_t b[56]; };
struct ck200 { uint8_t b[200]; };
// cppcheck-suppress unknownMacro
CK_RING_PROTOTYPE(ck8, ck8)
CK_RING_PROTOTYPE(ck56, ck56)
CK_RING_PROTOTYPE(ck200, ck200)

static ck_ring_t ck_r[2] __attribute__((aligned(LINE)));
static void *ck_buf[2];

static bool ck_size_ok(void)
{
	return psize == 8 || psize == 56 || psize == 200;
}

static void ck_setup(void)
{
	for (unsigned i = 0; i < 2; i++) {
		ck_buf[i] = aligned_alloc(LINE, nslots * 256);
		if (!ck_buf[i])
			exit(2);
		memset(ck_buf[i], 0, nslots * 256);
		ck_ring_init(&ck_r[i], nslots);
	}
}

static void ck_teardown(void)
{
	free(ck_buf[0]);
	free(ck_buf[1]);
}

static bool ck_try_put(unsigned d, const uint8_t *m)
{
	switch (psize) {
	case 8:
		return ck_ring_enqueue_spsc_ck8(&ck_r[d], ck_buf[d],
						(struct ck8 *)(uintptr_t)m);
	case 56:
		return ck_ring_enqueue_spsc_ck56(&ck_r[d], ck_buf[d],
						 (struct ck56 *)(uintptr_t)m);
	default:
		return ck_ring_enqueue_spsc_ck200(&ck_r[d], ck_buf[d],
						  (struct ck200 *)(uintptr_t)m);
	}
}

static bool ck_try_get(unsigned d, uint8_t *m)
{
	switch (psize) {
	case 8:
		return ck_ring_dequeue_spsc_ck8(&ck_r[d], ck_buf[d],
						(struct ck8 *)(void *)m);
	case 56:
		return ck_ring_dequeue_spsc_ck56(&ck_r[d], ck_buf[d],
						 (struct ck56 *)(void *)m);
	default:
		return ck_ring_dequeue_spsc_ck200(&ck_r[d], ck_buf[d],
						  (struct ck200 *)(void *)m);
	}
}

static void ck_put(unsigned d, uint64_t v)
{
	uint8_t m[MAX_PSIZE] __attribute__((aligned(8)));

	msg_fill(m, v);
	while (!ck_try_put(d, m))
		_mm_pause();
}

static uint64_t ck_get(unsigned d, uint64_t want)
{
	uint8_t m[MAX_PSIZE] __attribute__((aligned(8)));

	while (!ck_try_get(d, m))
		_mm_pause();
	return msg_check(m, want);
}

static void ck_ping(uint64_t i)
{
	ck_put(0, i);
	ck_get(1, i);
}

static void ck_pong(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		ck_put(1, ck_get(0, i));
}

static void ck_send(uint64_t i)
{
	ck_put(0, i);
}

static void ck_recv(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		ck_get(0, i);
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

/* A pipe carries the whole message: psize bytes written, psize read. */
static void pipe_put(int fd, uint64_t v)
{
	uint8_t m[MAX_PSIZE];

	msg_fill(m, v);
	if (write(fd, m, psize) != (ssize_t)psize)
		exit(3);
}

static uint64_t pipe_get(int fd, uint64_t want)
{
	uint8_t m[MAX_PSIZE];
	size_t have = 0;

	while (have < psize) {
		ssize_t r = read(fd, m + have, psize - have);

		if (r <= 0)
			exit(3);
		have += (size_t)r;
	}
	return msg_check(m, want);
}

static void pipe_ping(uint64_t i)
{
	pipe_put(pfd[0][1], i);
	pipe_get(pfd[1][0], i);
}

static void pipe_pong(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		pipe_put(pfd[1][1], pipe_get(pfd[0][0], i));
}

static void pipe_send(uint64_t i)
{
	pipe_put(pfd[0][1], i);
}

static void pipe_recv(uint64_t n)
{
	static uint8_t buf[8192];
	uint64_t i = 0;
	size_t have = 0;                /* bytes in buf */

	while (i < n) {
		ssize_t r = read(pfd[0][0], buf + have, sizeof buf - have);
		size_t k;

		if (r <= 0)
			exit(3);
		have += (size_t)r;
		for (k = 0; k + psize <= have; k += psize)
			msg_check(buf + k, i++);
		memmove(buf, buf + k, have - k);
		have -= k;
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

static bool any_size(void)
{
	return true;
}

/* A receive in place (urpc_peek, a drain) lends one slot's message only. */
static bool one_slot(void)
{
	return psize <= URPC_SLOT_PAYLOAD;
}

static bool counter_only(void)
{
	return psize == 8;
}

/* The comparison anchors (raw, ck_ring) are looked up by name. */
static const struct mech mechs[] = {
	{ "raw", raw_setup, raw_teardown, raw_ping, raw_pong, raw_send,
	  raw_recv, NULL, any_size },
	{ "urpc", urpc_setup, urpc_teardown, urpc_ping, urpc_pong, urpc_send1,
	  urpc_recvn, NULL, any_size },
#ifdef URPC_HAS_PEEK
	{ "urpc-inplace", urpc_setup, urpc_teardown, urpc_inplace_ping,
	  urpc_inplace_pong, urpc_send1, urpc_inplace_recvn, NULL, one_slot },
#endif
	{ "urpc-b16", urpc_setup, urpc_teardown, NULL, NULL, urpc_batch_send,
	  urpc_recvn, urpc_batch_flush, any_size },
#ifdef URPC_HAS_PEEK
	{ "urpc-async", urpc_setup, urpc_teardown, NULL, NULL, urpc_async_send,
	  urpc_inplace_recvn, urpc_async_flush, one_slot },
#endif
#ifdef URPC_HAS_DRAIN
	{ "urpc-burst", urpc_setup, urpc_teardown, NULL, NULL,
	  urpc_burst_sendi, urpc_drain_recvn, urpc_burst_flush, one_slot },
#endif
	{ "urpc-fence", urpc_fence_setup, urpc_teardown, urpc_ping, urpc_pong,
	  urpc_send1, urpc_recvn, NULL, any_size },
	{ "urpc-sleep", urpc_sleep_setup, urpc_teardown, urpc_ping, urpc_pong,
	  urpc_send1, urpc_recvn, NULL, any_size },
	{ "urpc-sleep-nf", urpc_sleep_nf_setup, urpc_teardown, urpc_ping,
	  urpc_pong, urpc_send1, urpc_recvn, NULL, any_size },
	{ "ck_ring", ck_setup, ck_teardown, ck_ping, ck_pong, ck_send, ck_recv,
	  NULL, ck_size_ok },
	{ "pipe", pipe_setup, pipe_teardown, pipe_ping, pipe_pong, pipe_send,
	  pipe_recv, NULL, any_size },
	{ "eventfd", efd_setup, efd_teardown, efd_ping, efd_pong, efd_send,
	  efd_recv, NULL, counter_only },
	{ "futex", fx_setup, nothing, fx_ping, fx_pong, NULL, NULL, NULL,
	  counter_only },
};
#define NMECH (sizeof mechs / sizeof mechs[0])
static bool selected[NMECH];

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
		    !strcmp(m->name, "futex") || !strcmp(m->name, "urpc-sleep") ||
		    !strcmp(m->name, "urpc-sleep-nf");

	return slow ? (n / 10 > 1000 ? n / 10 : 1000) : n;
}

/*
 * One TSC reading per round trip, back to back: on a VM the TSC may move
 * in steps (26 cycles here), so the median comes from groups of RTT_GROUP
 * consecutive trips (error one step per group), the 99th percentile from
 * single trips (it is far above the step).
 */
#define RTT_GROUP 8

/*
 * -t: percentiles of the single trips (sorted s[0..n)) of every round trip
 * measured, to see the shape of the tail beside the raw line's.
 */
static bool show_tail;

static void print_tail(const char *name, const uint64_t *s, uint64_t n)
{
	static const unsigned pm[] = { 500, 900, 950, 980, 990, 999 };

	printf("%-13s single trips, ns:", name);
	for (size_t i = 0; i < sizeof pm / sizeof pm[0]; i++) {
		uint64_t at = n * pm[i] / 1000;    /* an index: integer */

		printf(" p%.1f %.0f", pm[i] / 10.0, (double)s[at] / tsc_per_ns);
	}
	printf("\n");
}

/*
 * -t also sorts each round trip by what URPC's protocol does on it: a dry
 * run of the same ping-pong on a private channel pair of the same size,
 * in one thread, records per trip whether A's send read its credit line
 * (the cached end changed), B's receive published credit, B's send read
 * its credit line, A's receive published credit; a ping-pong is in lock
 * step, so the threaded run does the same on the same trips.  Each side
 * starts its receive on an empty ring, as in the threaded run (B before
 * A's send, A after it), so a library that does something when a receive
 * starts is tagged on the right trip.  The timed
 * trips of every mechanism (the raw line's too: the control) are then
 * grouped by these tags, and each group's percentiles and its share of
 * the trips above the 99th percentile are printed.  Costs the timed run
 * nothing: the tags come from the dry run.
 */
enum {
	TAG_A_READ = 1,         /* A's send read the credit line (ring 0) */
	TAG_B_PUB = 2,          /* B's receive published credit (ring 0) */
	TAG_B_READ = 4,         /* B's send read the credit line (ring 1) */
	TAG_A_PUB = 8,          /* A's receive published credit (ring 1) */
	TAG_A_PUB_PREV = 16,    /* the trip before ended with TAG_A_PUB */
	TAG_COUNT = 32
};

static uint8_t *trip_tags(uint64_t first, uint64_t n)
{
	struct urpc_chan a, b;
	uint8_t *tag = calloc(n, 1), m[8] = { 0 }, prev = 0;
	size_t size;
	void *area = urpc_linux_area(nslots, 0, &size);

	if (!tag || !area || urpc_chan_init(&a, area, size, 0, NULL) ||
	    urpc_chan_init(&b, area, size, 1, NULL))
		exit(2);
	for (uint64_t k = 0; k < first + n; k++) {
		uint32_t ae = a.tx.end, bp = b.rx.published, be = b.tx.end,
			 ap = a.rx.published;
		uint8_t x = prev ? TAG_A_PUB_PREV : 0;

		/*
		 * In the order of the threaded run: B starts its receive
		 * (polls an empty ring) before A sends, A after it sent.
		 */
		if (urpc_try_recv(&b, NULL, m, 8, NULL) != ERR_EMPTY ||
		    urpc_send(&a, 1, m, 8) ||
		    urpc_try_recv(&a, NULL, m, 8, NULL) != ERR_EMPTY ||
		    urpc_try_recv(&b, NULL, m, 8, NULL) ||
		    urpc_send(&b, 1, m, 8) || urpc_try_recv(&a, NULL, m, 8, NULL))
			exit(3);
		x |= (a.tx.end != ae ? TAG_A_READ : 0) |
		     (b.rx.published != bp ? TAG_B_PUB : 0) |
		     (b.tx.end != be ? TAG_B_READ : 0) |
		     (a.rx.published != ap ? TAG_A_PUB : 0);
		prev = x & TAG_A_PUB;
		if (k >= first)
			tag[k - first] = x;
	}
	free(area);
	return tag;
}

static void tag_name(char *buf, size_t len, unsigned x)
{
	snprintf(buf, len, "%s%s%s%s%s%s", x ? "" : "none",
		 x & TAG_A_READ ? "A-read " : "", x & TAG_B_PUB ? "B-pub " : "",
		 x & TAG_B_READ ? "B-read " : "", x & TAG_A_PUB ? "A-pub " : "",
		 x & TAG_A_PUB_PREV ? "after-A-pub" : "");
}

/* Percentile p (per mille) of the n sorted values v. */
static double tag_pct(const uint64_t *v, uint64_t n, unsigned p)
{
	uint64_t at = n * p / 1000;     /* an index: integer */

	return (double)v[at] / tsc_per_ns;
}

/*
 * The trips by their position in the ring (trip number mod nslots): the
 * positions where more than three times the run's 1% of trips lie above
 * its p99.  Noise spreads evenly over the positions (the raw line's stay
 * near 1%); a cost of the protocol, or of the harness, sits at fixed ones.
 */
static void print_positions(const uint64_t *d, uint64_t n, uint64_t first,
			    uint64_t p99)
{
	uint64_t *cnt = calloc(nslots, sizeof *cnt);
	uint64_t *over = calloc(nslots, sizeof *over);
	unsigned shown = 0;

	if (!cnt || !over)
		exit(2);
	for (uint64_t i = 0; i < n; i++) {
		cnt[(first + i) % nslots]++;
		over[(first + i) % nslots] += d[i] > p99;
	}
	printf("  positions (trip mod %u) with over 3%% of their trips above "
	       "the run's p99:", nslots);
	for (uint32_t q = 0; q < nslots; q++)
		if (cnt[q] && 100 * over[q] > 3 * cnt[q]) {
			printf(" %u (%.1f%%)", q,
			       100.0 * (double)over[q] / (double)cnt[q]);
			shown++;
		}
	printf("%s\n", shown ? "" : " none");
	free(cnt);
	free(over);
}

/* The single trips d[0..n) grouped by tag; p99 is the whole run's. */
static void print_tags(const uint64_t *d, uint64_t n, uint64_t first,
		       uint64_t p99)
{
	uint8_t *tag = trip_tags(first, n);
	uint64_t *v = malloc(n * sizeof *v), over_all = 0;

	if (!v)
		exit(2);
	for (uint64_t i = 0; i < n; i++)
		over_all += d[i] > p99;
	for (unsigned x = 0; x < TAG_COUNT; x++) {
		uint64_t k = 0, over = 0;
		char name[64];

		for (uint64_t i = 0; i < n; i++)
			if (tag[i] == x) {
				v[k++] = d[i];
				over += d[i] > p99;
			}
		if (!k)
			continue;
		qsort(v, k, sizeof *v, cmp_u64);
		tag_name(name, sizeof name, x);
		printf("  %-28s trips %6.2f%%  p50 %5.0f p90 %5.0f p99 %6.0f ns"
		       "  above the run's p99: %5.1f%% of them, %5.1f%% of all"
		       " such\n", name, 100.0 * (double)k / (double)n,
		       tag_pct(v, k, 500), tag_pct(v, k, 900),
		       tag_pct(v, k, 990), 100.0 * (double)over / (double)k,
		       over_all ? 100.0 * (double)over / (double)over_all : 0);
	}
	print_positions(d, n, first, p99);
	free(v);
	free(tag);
}

/*
 * The trips are timed in blocks of RTT_BLOCK: each block's TSC readings go
 * to a buffer on the stack, which stays in the L1 cache, and are copied out
 * between blocks, outside any timed trip, with a fence after the copy so
 * that its stores do not wait in the store buffer ahead of the next ping.
 * Storing every reading straight into the n-sample array put a store to a
 * line not in L1 into every eighth trip and a slower one into every 64th,
 * the same for every mechanism: -t's positions showed them as the raw
 * line's slow trips (its p99/median fell from 1.38-1.49 to 1.18-1.32).
 * The block is not a power of two, so that the first trip of a block does
 * not fall on one position of the ring.
 */
#define RTT_BLOCK 56

_Static_assert(RTT_BLOCK % RTT_GROUP == 0, "a group within one block");

/* Times trips first..first+n-1 of m into d[0..n), in TSC ticks. */
static void time_trips(const struct mech *m, uint64_t first, uint64_t n,
		       uint64_t *d)
{
	uint64_t blk[RTT_BLOCK + 1];

	for (uint64_t i = 0; i < n; i += RTT_BLOCK) {
		uint64_t k = n - i < RTT_BLOCK ? n - i : RTT_BLOCK;

		blk[0] = tsc();
		for (uint64_t j = 0; j < k; j++) {
			m->ping(first + i + j);
			blk[j + 1] = tsc();
		}
		for (uint64_t j = 0; j < k; j++)
			d[i + j] = blk[j + 1] - blk[j];
		/* the copy's stores drained, not ahead of the next ping's */
		atomic_thread_fence(memory_order_seq_cst);
	}
}

static void run_rtt(const struct mech *m, struct result *r)
{
	uint64_t n = scaled(m, n_rtt), warm = n / 10, ng = n / RTT_GROUP;
	uint64_t *t = calloc(n, sizeof *t), *s = calloc(n, sizeof *s);
	struct b_job j = { .m = m, .n = warm + n };
	pthread_t th;

	if (!t || !s)
		exit(2);
	/*
	 * Touch every page of the samples now: the first store to a page of
	 * a fresh allocation is a page fault, which inside a timed trip
	 * made one trip in 512 several microseconds long.
	 */
	memset(t, 0xff, n * sizeof *t);
	m->setup();
	start_b(&th, &j);
	for (uint64_t i = 0; i < warm; i++)
		m->ping(i);
	time_trips(m, warm, n, t);
	pthread_join(th, NULL);
	m->teardown();
	for (uint64_t g = 0; g < ng; g++) {
		s[g] = 0;
		for (uint64_t i = 0; i < RTT_GROUP; i++)
			s[g] += t[g * RTT_GROUP + i];
	}
	qsort(s, ng, sizeof *s, cmp_u64);
	/* Integer division on purpose: an index. */
	r->rtt_med = (double)s[ng / 2] / RTT_GROUP / tsc_per_ns; // NOLINT(bugprone-integer-division)
	memcpy(s, t, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_u64);
	/* Integer division on purpose: an index. */
	r->rtt_p99 = (double)s[n * 99 / 100] / tsc_per_ns; // NOLINT(bugprone-integer-division)
	if (show_tail) {
		uint64_t at99 = n * 99 / 100;   /* an index: integer */

		print_tail(m->name, s, n);
		print_tags(t, n, warm, s[at99]);
	}
	free(t);
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

/* Minimum, median and maximum of one figure over the repetitions. */
struct spread {
	double min, med, max;           /* < 0: not measured */
};

static struct spread over_reps(const struct result *r, size_t off)
{
	double v[MAX_REPS];
	struct spread s;

	/* off is offsetof() a double field; v[0..reps) is written here. */
	for (unsigned k = 0; k < reps; k++)
		// cppcheck-suppress invalidPointerCast
		v[k] = *(const double *)((const char *)&r[k] + off);
	/* reps is 1..MAX_REPS (checked in main), so v is written. */
	// cppcheck-suppress uninitvar
	qsort(v, reps, sizeof v[0], cmp_double);
	s.min = v[0];
	s.med = v[reps / 2];
	s.max = v[reps - 1];
	return s;
}

struct summary {
	struct spread rtt, p99, mps;
};

static void usage(void)
{
	fprintf(stderr, "usage: bench_host [-a CPU] [-b CPU] [-n ROUND_TRIPS] "
		"[-m STREAM_MSGS] [-s SLOTS] [-r REPS] [-p BYTES] "
		"[-k MECH,MECH...] [-o JSON] [-t]\n");
	exit(2);
}

static int mech_index(const char *name)
{
	for (size_t i = 0; i < NMECH; i++)
		if (!strcmp(mechs[i].name, name))
			return (int)i;
	return -1;
}

/* -k: a comma-separated list of mechanism names; none given: all. */
static void select_mechs(char *list)
{
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		int i = mech_index(tok);

		if (i < 0) {
			fprintf(stderr, "bench_host: unknown mechanism '%s'\n",
				tok);
			exit(2);
		}
		selected[i] = true;
	}
}

static double ratio_of(const struct summary *sm, int a, int b, bool rtt)
{
	double x, y;

	if (a < 0 || b < 0 || !selected[a] || !selected[b])
		return -1;
	x = rtt ? sm[a].rtt.med : sm[a].mps.med;
	y = rtt ? sm[b].rtt.med : sm[b].mps.med;
	return x > 0 && y > 0 ? x / y : -1;
}

static void fmt_spread(char *buf, size_t n, struct spread s, double scale,
		       const char *fmt3)
{
	if (s.med < 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, fmt3, s.min * scale, s.med * scale,
			 s.max * scale);
}

static void print_table(const struct summary *sm)
{
	int raw = mech_index("raw");

	printf("%-13s %-22s %8s %7s %7s %-22s %7s\n", "mechanism",
	       "rtt ns min/med/max", "p99 ns", "p99/med", "rtt/raw",
	       "stream Mmsg/s min/med/max", "str/raw");
	for (size_t i = 0; i < NMECH; i++) {
		const struct summary *s = &sm[i];
		char rtt[40], mps[40], p99[16] = "-", pr[16] = "-", rr[16] = "-",
		     sr[16] = "-";
		double x;

		if (!selected[i])
			continue;
		fmt_spread(rtt, sizeof rtt, s->rtt, 1, "%.0f/%.0f/%.0f");
		fmt_spread(mps, sizeof mps, s->mps, 1e-6, "%.2f/%.2f/%.2f");
		if (s->rtt.med > 0) {
			snprintf(p99, sizeof p99, "%.0f", s->p99.med);
			snprintf(pr, sizeof pr, "%.2f", s->p99.med / s->rtt.med);
		}
		if ((x = ratio_of(sm, (int)i, raw, true)) > 0)
			snprintf(rr, sizeof rr, "%.2fx", x);
		if ((x = ratio_of(sm, (int)i, raw, false)) > 0)
			snprintf(sr, sizeof sr, "%.2fx", x);
		printf("%-13s %-22s %8s %7s %7s %-22s %7s\n", mechs[i].name,
		       rtt, p99, pr, rr, mps, sr);
	}
}

static void json_spread(FILE *f, const char *key, struct spread s)
{
	if (s.med >= 0)
		fprintf(f, ", \"%s\": {\"min\": %.1f, \"median\": %.1f, "
			"\"max\": %.1f}", key, s.min, s.med, s.max);
}

static void write_json(const struct summary *sm, const char *json)
{
	int u = mech_index("urpc"), raw = mech_index("raw"),
	    ck = mech_index("ck_ring"), b16 = mech_index("urpc-b16");
	FILE *f = fopen(json, "w");

	if (!f) {
		perror(json);
		exit(2);
	}
	fprintf(f, "{\n  \"cpus\": [%d, %d],\n  \"round_trips\": %llu,\n"
		"  \"stream_messages\": %llu,\n  \"slots\": %u,\n"
		"  \"message_bytes\": %u,\n  \"tsc_ghz\": %.4f,\n"
		"  \"repetitions\": %u,\n  \"figures\": \"min, median and "
		"max over the repetitions; ratios are of medians\",\n"
		"  \"errors\": %llu,\n  \"results\": [", cpu_a, cpu_b,
		(unsigned long long)n_rtt, (unsigned long long)n_stream,
		nslots, psize, tsc_per_ns, reps, (unsigned long long)errors);
	for (size_t i = 0, first = 1; i < NMECH; i++) {
		if (!selected[i])
			continue;
		fprintf(f, "%s\n    {\"name\": \"%s\"", first ? "" : ",",
			mechs[i].name);
		first = 0;
		json_spread(f, "rtt_median_ns", sm[i].rtt);
		json_spread(f, "rtt_p99_ns", sm[i].p99);
		json_spread(f, "stream_msgs_per_s", sm[i].mps);
		fprintf(f, "}");
	}
	fprintf(f, "\n  ],\n  \"targets\": {\"urpc_rtt_vs_raw\": %.3f, "
		"\"urpc_p99_vs_median\": %.3f, "
		"\"urpc_stream_vs_ck_ring\": %.3f, "
		"\"urpc_batch_stream_vs_ck_ring\": %.3f}\n}\n",
		ratio_of(sm, u, raw, true),
		u >= 0 && sm[u].rtt.med > 0 ? sm[u].p99.med / sm[u].rtt.med : -1,
		ratio_of(sm, u, ck, false), ratio_of(sm, b16, ck, false));
	fclose(f);
	printf("wrote %s\n", json);
}

static void report(const struct summary *sm, const char *json)
{
	int u = mech_index("urpc"), raw = mech_index("raw"),
	    ck = mech_index("ck_ring"), b16 = mech_index("urpc-b16"),
	    pipe = mech_index("pipe");

	printf("\nURPC host benchmark: CPUs %d and %d, %u-byte messages, "
	       "%llu round trips, %llu streamed messages (x0.1 for syscall "
	       "mechanisms), %u slots, TSC %.3f GHz, %u repetitions "
	       "(min/median/max; ratios of medians)\n\n", cpu_a, cpu_b, psize,
	       (unsigned long long)n_rtt, (unsigned long long)n_stream,
	       nslots, tsc_per_ns, reps);
	print_table(sm);
	printf("\ntargets: urpc rtt <= 1.1x raw: %.2fx; urpc p99 <= 1.5x "
	       "median: %.2fx; urpc stream >= ck_ring: %.2fx (batched %.2fx); "
	       "pipe rtt / urpc rtt: %.1fx\n",
	       ratio_of(sm, u, raw, true),
	       u >= 0 && sm[u].rtt.med > 0 ? sm[u].p99.med / sm[u].rtt.med : -1,
	       ratio_of(sm, u, ck, false), ratio_of(sm, b16, ck, false),
	       ratio_of(sm, pipe, u, true));
	if (errors)
		printf("ERROR: %llu messages arrived wrong\n",
		       (unsigned long long)errors);
	write_json(sm, json);
}

int main(int argc, char **argv)
{
	static struct summary sm[NMECH];
	static struct result runs[NMECH][MAX_REPS];
	const char *json = "build/bench/host.json";
	char *list = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "a:b:n:m:s:r:o:p:k:t")) != -1) {
		switch (opt) {
		case 'a': cpu_a = atoi(optarg); break;
		case 'b': cpu_b = atoi(optarg); break;
		case 'n': n_rtt = strtoull(optarg, NULL, 0); break;
		case 'm': n_stream = strtoull(optarg, NULL, 0); break;
		case 's': nslots = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'r': reps = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'p': psize = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'k': list = optarg; break;
		case 'o': json = optarg; break;
		case 't': show_tail = true; break;
		default: usage();
		}
	}
	if (n_rtt < 100 || n_stream < 100 || nslots < 4 || reps < 1 ||
	    reps > MAX_REPS || (nslots & (nslots - 1)) || psize < 8 ||
	    psize > MAX_PSIZE)
		usage();
	if (list)
		select_mechs(list);
	for (size_t i = 0; i < NMECH; i++) {
		bool want = !list || selected[i];

		selected[i] = want && mechs[i].size_ok();
		if (want && list && !selected[i])
			fprintf(stderr, "bench_host: %s cannot carry %u-byte "
				"messages: skipped\n", mechs[i].name, psize);
	}
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
			if (!selected[i])
				continue;
			if (mechs[i].ping)
				run_rtt(&mechs[i], r);
			if (mechs[i].send)
				run_stream(&mechs[i], r);
		}
		fprintf(stderr, "  repetition %u of %u done\n", k + 1, reps);
	}
	for (size_t i = 0; i < NMECH; i++) {
		sm[i].rtt = over_reps(runs[i], offsetof(struct result, rtt_med));
		sm[i].p99 = over_reps(runs[i], offsetof(struct result, rtt_p99));
		sm[i].mps = over_reps(runs[i], offsetof(struct result, mps));
	}
	report(sm, json);
	hwloc_topology_destroy(topo);
	return errors ? 1 : 0;
}
