/*
 * pingpong.c: the Linux side of the cross-core ping-pong benchmark.
 *
 * A static user program that runs inside the busybox initramfs that
 * build-initramfs.py makes, under Debian's kernel, in the same QEMU
 * configuration as the multikernel.  It measures what apps/pingpong measures
 * there, with Linux's primitives:
 *
 *   pingpong shm A B ITERS    two threads pinned (sched_setaffinity) to CPUs A
 *                             and B bounce one 64-byte-aligned cache line: A
 *                             writes an odd sequence number, B answers with
 *                             the next even one; a raw cache-line ping-pong.
 *   pingpong pipe A B ITERS   two processes pinned to A and B pass one byte
 *                             there and back through two pipes (the kernel's
 *                             wake-up path: the reader sleeps in read()).
 *   pingpong futex A B ITERS  two threads pinned to A and B wake each other
 *                             with FUTEX_WAKE / FUTEX_WAIT on a word per
 *                             direction (the kernel's bare wake-up).
 *   pingpong eventfd A B ITERS the same with an eventfd per direction.
 *   pingpong tsc              the TSC frequency, calibrated against
 *                             CLOCK_MONOTONIC over 200 ms.
 *
 * Timing: side A reads the TSC (lfence; rdtsc, as apps/pingpong does) before
 * and after every round trip; ITERS/10+1 untimed warm-up trips come first.
 * Output, one machine-readable line per run (run.py parses it):
 *   LINUXBENCH shm a=A b=B iters=N median=M p99=P min=L mean=X max=Y cycles
 *   LINUXBENCH tsc hz=H
 *   LINUXBENCH error <what>: <why>      (and exit status 1)
 * Statistics are as apps/pingpong's: the sorted samples' [n/2], [n*99/100], [0].
 *
 * The spinning sides of the shm test execute `pause` in their loops, as a
 * Linux spin loop does (cpu_relax); `shmnp` is the same test without it.
 * Under QEMU's TCG `pause` ends the vCPU's run of translated code and takes
 * QEMU's global lock, which costs more than the load and compare it follows
 * (docs/03-urpc.md, fifth round): shmnp is the loop our OS's URPC poll and
 * raw word use.
 *
 * Build: gcc -O2 -static -pthread -o pingpong pingpong.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <sys/eventfd.h>
#include <asm/unistd.h>          /* __NR_futex (the OS has its own sys/syscall.h) */
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CACHE_LINE 64

/* The one shared cache line: A writes odd values, B writes even ones. */
struct pp_line {
	volatile uint64_t seq;
	char pad[CACHE_LINE - sizeof(uint64_t)];
} __attribute__((aligned(CACHE_LINE)));
_Static_assert(sizeof(struct pp_line) == CACHE_LINE, "one cache line");

static struct pp_line pp_line;
/* The start flag lives on its own line, so it does not disturb the timed one. */
static struct pp_line pp_start;

struct pp_stats {
	uint64_t median, p99, min, max, mean;
};

static inline uint64_t pp_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static int pp_hint = 1; /* 0: shmnp, spin without `pause` */

static inline void pp_pause(void)
{
	if (pp_hint)
		__asm__ volatile("pause" : : : "memory");
	else
		__asm__ volatile("" : : : "memory");
}

static void pp_fail(const char *what, const char *why)
{
	printf("LINUXBENCH error %s: %s\n", what, why);
	fflush(stdout);
	exit(1);
}

/* Pin the calling thread to one CPU. Returns 0 or an errno value. */
static int pp_pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof set, &set) ? errno : 0;
}

static int pp_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static struct pp_stats pp_stats(uint64_t *t, uint64_t n)
{
	struct pp_stats s = { 0, 0, 0, 0, 0 };
	uint64_t sum = 0;
	if (!n)
		return s;
	qsort(t, n, sizeof *t, pp_cmp);
	for (uint64_t i = 0; i < n; i++)
		sum += t[i];
	s.min = t[0];
	s.max = t[n - 1];
	s.median = t[n / 2];
	s.p99 = t[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
	s.mean = sum / n;
	return s;
}

static void pp_report(const char *kind, int a, int b, uint64_t *t, uint64_t n)
{
	struct pp_stats s = pp_stats(t, n);
	printf("LINUXBENCH %s a=%d b=%d iters=%llu median=%llu p99=%llu min=%llu mean=%llu "
	       "max=%llu cycles\n", kind, a, b, (unsigned long long)n,
	       (unsigned long long)s.median, (unsigned long long)s.p99,
	       (unsigned long long)s.min, (unsigned long long)s.mean,
	       (unsigned long long)s.max);
	fflush(stdout);
}

/* ---- shared memory: one cache line ------------------------------------- */

struct shm_arg {
	int cpu;
	uint64_t trips; /* warm-up plus timed */
	int err;
};

/* Side B: wait for each odd value, answer with the next even one. */
static void *shm_pong(void *p)
{
	struct shm_arg *arg = p;
	arg->err = pp_pin(arg->cpu);
	pp_start.seq = 1; /* pinned (or failed): A may start */
	if (arg->err)
		return NULL;
	for (uint64_t i = 0; i < arg->trips; i++) {
		uint64_t want = 2 * i + 1;
		while (pp_line.seq != want)
			pp_pause();
		pp_line.seq = want + 1;
	}
	return NULL;
}

static void run_shm(const char *kind, int a, int b, uint64_t iters)
{
	uint64_t warm = iters / 10 + 1;
	uint64_t *t = calloc(iters, sizeof *t);
	struct shm_arg arg = { b, warm + iters, 0 };
	pthread_t th;
	int e;
	if (!t)
		pp_fail("shm", "out of memory");
	if ((e = pp_pin(a)))
		pp_fail("shm pin a", strerror(e));
	pp_line.seq = 0;
	pp_start.seq = 0;
	if ((e = pthread_create(&th, NULL, shm_pong, &arg)))
		pp_fail("shm pthread_create", strerror(e));
	while (!pp_start.seq)
		pp_pause();
	if (arg.err)
		pp_fail("shm pin b", strerror(arg.err));
	for (uint64_t i = 0; i < warm + iters; i++) {
		uint64_t want = 2 * i + 2;
		uint64_t t0 = pp_rdtsc();
		pp_line.seq = want - 1;
		while (pp_line.seq != want)
			pp_pause();
		if (i >= warm)
			t[i - warm] = pp_rdtsc() - t0;
	}
	pthread_join(th, NULL);
	pp_report(kind, a, b, t, iters);
	free(t);
}

/* ---- pipes: one byte there and back ------------------------------------ */

static void pp_write1(int fd, const char *what)
{
	char c = 'x';
	ssize_t r;
	while ((r = write(fd, &c, 1)) < 0 && errno == EINTR)
		;
	if (r != 1)
		pp_fail(what, r < 0 ? strerror(errno) : "short write");
}

static void pp_read1(int fd, const char *what)
{
	char c;
	ssize_t r;
	while ((r = read(fd, &c, 1)) < 0 && errno == EINTR)
		;
	if (r != 1)
		pp_fail(what, r < 0 ? strerror(errno) : "end of file");
}

static void run_pipe(int a, int b, uint64_t iters)
{
	uint64_t warm = iters / 10 + 1;
	uint64_t *t = calloc(iters, sizeof *t);
	int there[2], back[2], e, status;
	pid_t pid;
	if (!t)
		pp_fail("pipe", "out of memory");
	if (pipe(there) || pipe(back))
		pp_fail("pipe", strerror(errno));
	pid = fork();
	if (pid < 0)
		pp_fail("pipe fork", strerror(errno));
	if (pid == 0) { /* side B: echo every byte */
		close(there[1]);
		close(back[0]);
		if ((e = pp_pin(b)))
			pp_fail("pipe pin b", strerror(e));
		pp_write1(back[1], "pipe b ready");
		for (uint64_t i = 0; i < warm + iters; i++) {
			pp_read1(there[0], "pipe b read");
			pp_write1(back[1], "pipe b write");
		}
		_exit(0);
	}
	close(there[0]);
	close(back[1]);
	if ((e = pp_pin(a)))
		pp_fail("pipe pin a", strerror(e));
	pp_read1(back[0], "pipe a ready");
	for (uint64_t i = 0; i < warm + iters; i++) {
		uint64_t t0 = pp_rdtsc();
		pp_write1(there[1], "pipe a write");
		pp_read1(back[0], "pipe a read");
		if (i >= warm)
			t[i - warm] = pp_rdtsc() - t0;
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		pp_fail("pipe", "side b failed");
	pp_report("pipe", a, b, t, iters);
	free(t);
}

/* ---- futex and eventfd: the kernel's wake-up, two pinned threads ------- */

/*
 * Both run as two threads of one process, like shm: side A posts, side B
 * is blocked in the kernel and woken, answers the same way.  futex: a word
 * per direction holding the last value posted, FUTEX_WAKE after the store,
 * FUTEX_WAIT while the word is not yet the wanted value.  eventfd: one per
 * direction, write 1, blocking read.
 */
static _Atomic uint32_t fx_word[2][16] __attribute__((aligned(64)));
static int efd[2];

static long pp_futex(_Atomic uint32_t *w, int op, uint32_t val)
{
	return syscall(__NR_futex, (uint32_t *)w, op, val, NULL, NULL, 0);
}

static void fx_post(int d, uint32_t v)
{
	atomic_store(&fx_word[d][0], v);
	pp_futex(&fx_word[d][0], FUTEX_WAKE_PRIVATE, 1);
}

static void fx_wait(int d, uint32_t want)
{
	uint32_t v;
	while ((v = atomic_load(&fx_word[d][0])) != want)
		pp_futex(&fx_word[d][0], FUTEX_WAIT_PRIVATE, v);
}

static void efd_post(int d)
{
	uint64_t one = 1;
	ssize_t r;
	while ((r = write(efd[d], &one, 8)) < 0 && errno == EINTR)
		;
	if (r != 8)
		pp_fail("eventfd write", r < 0 ? strerror(errno) : "short write");
}

static void efd_wait(int d)
{
	uint64_t v;
	ssize_t r;
	while ((r = read(efd[d], &v, 8)) < 0 && errno == EINTR)
		;
	if (r != 8)
		pp_fail("eventfd read", r < 0 ? strerror(errno) : "short read");
}

struct wake_arg {
	int cpu, use_efd;
	uint64_t trips;
	int err;
};

static void *wake_pong(void *p)
{
	struct wake_arg *arg = p;
	arg->err = pp_pin(arg->cpu);
	pp_start.seq = 1;
	if (arg->err)
		return NULL;
	for (uint64_t i = 0; i < arg->trips; i++) {
		if (arg->use_efd) {
			efd_wait(0);
			efd_post(1);
		} else {
			fx_wait(0, (uint32_t)(i + 1));
			fx_post(1, (uint32_t)(i + 1));
		}
	}
	return NULL;
}

static void run_wake(const char *kind, int a, int b, uint64_t iters)
{
	int use_efd = strcmp(kind, "eventfd") == 0;
	uint64_t warm = iters / 10 + 1;
	uint64_t *t = calloc(iters, sizeof *t);
	struct wake_arg arg = { b, use_efd, warm + iters, 0 };
	pthread_t th;
	int e;
	if (!t)
		pp_fail(kind, "out of memory");
	if ((e = pp_pin(a)))
		pp_fail(kind, strerror(e));
	atomic_store(&fx_word[0][0], 0);
	atomic_store(&fx_word[1][0], 0);
	if (use_efd && ((efd[0] = eventfd(0, 0)) < 0 || (efd[1] = eventfd(0, 0)) < 0))
		pp_fail("eventfd", strerror(errno));
	pp_start.seq = 0;
	if ((e = pthread_create(&th, NULL, wake_pong, &arg)))
		pp_fail(kind, strerror(e));
	while (!pp_start.seq)
		pp_pause();
	if (arg.err)
		pp_fail(kind, strerror(arg.err));
	for (uint64_t i = 0; i < warm + iters; i++) {
		uint64_t t0 = pp_rdtsc();
		if (use_efd) {
			efd_post(0);
			efd_wait(1);
		} else {
			fx_post(0, (uint32_t)(i + 1));
			fx_wait(1, (uint32_t)(i + 1));
		}
		if (i >= warm)
			t[i - warm] = pp_rdtsc() - t0;
	}
	pthread_join(th, NULL);
	if (use_efd) {
		close(efd[0]);
		close(efd[1]);
	}
	pp_report(kind, a, b, t, iters);
	free(t);
}

/* ---- TSC frequency ------------------------------------------------------ */

static double pp_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void run_tsc(void)
{
	double s0 = pp_now();
	uint64_t c0 = pp_rdtsc();
	struct timespec nap = { 0, 200 * 1000 * 1000 };
	while (nanosleep(&nap, &nap) && errno == EINTR)
		;
	double s1 = pp_now();
	uint64_t c1 = pp_rdtsc();
	printf("LINUXBENCH tsc hz=%llu\n", (unsigned long long)((c1 - c0) / (s1 - s0)));
	fflush(stdout);
}

/* ---- command line -------------------------------------------------------- */

static long pp_num(const char *s, const char *what, long lo, long hi)
{
	char *end;
	long v;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		pp_fail(what, "not a number in range");
	return v;
}

int main(int argc, char **argv)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int a, b;
	uint64_t iters;
	if (argc == 2 && strcmp(argv[1], "tsc") == 0) {
		run_tsc();
		return 0;
	}
	if (argc != 5 || (strcmp(argv[1], "shm") && strcmp(argv[1], "shmnp") &&
			  strcmp(argv[1], "pipe") && strcmp(argv[1], "futex") &&
			  strcmp(argv[1], "eventfd"))) {
		fprintf(stderr, "usage: pingpong shm|shmnp|pipe|futex|eventfd A B ITERS | "
			"pingpong tsc\n");
		return 2;
	}
	a = (int)pp_num(argv[2], "cpu a", 0, ncpu - 1);
	b = (int)pp_num(argv[3], "cpu b", 0, ncpu - 1);
	iters = (uint64_t)pp_num(argv[4], "iters", 1, 100000000);
	if (strcmp(argv[1], "shm") == 0 || strcmp(argv[1], "shmnp") == 0) {
		if (a == b)
			pp_fail(argv[1], "a and b must differ (two spinners on one CPU never meet)");
		pp_hint = strcmp(argv[1], "shm") == 0;
		run_shm(argv[1], a, b, iters);
	} else if (strcmp(argv[1], "pipe") == 0) {
		run_pipe(a, b, iters);
	} else {
		run_wake(argv[1], a, b, iters);
	}
	return 0;
}
