/*
 * parmul: one domain spanning cores multiplies matrices of double.
 *
 *   parmul sweep [S]   C = A x B for S x S matrices (default 96): once on
 *                      one core (the reference), then with the domain
 *                      spread over 1, 2, 4 and 8 cores (as many as the
 *                      machine has), one worker thread per core computing
 *                      a band of rows; each result must equal the
 *                      reference exactly (same operations in the same
 *                      order per element).  Also checks that every core
 *                      sees the home's writes and the home sees every
 *                      core's (a flag written by each worker from its own
 *                      core), and that a thread moves between cores.
 *   parmul bad         the refusals: span to its own core, to a core that
 *                      does not exist, twice to one core, to a stopped
 *                      core; map a page once spanning (ERR_SPANNED)
 *   parmul fault       a thread on another core writes through a null
 *                      pointer: the domain must end on every core
 *
 * Lines: "cores N: result ok, T cycles, speed-up X.YY" per step, "sweep ok"
 * or "... WRONG ..." (exit 1); "bad: <check> ok|WRONG ..." then "bad ok".
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <libos/span.h>
#include <libos/thread.h>

#define MAX_CORES 8u

static unsigned n;
static double *a, *b, *ref, *c;
static volatile uint32_t seen_core[MAX_CORES];
static volatile uint64_t home_word;
static volatile uint64_t seen_home[MAX_CORES];

struct band {
	unsigned idx, lo, hi, core;
	struct thread *t;
};

static void multiply(double *out, unsigned lo, unsigned hi)
{
	for (unsigned i = lo; i < hi; i++)
		for (unsigned j = 0; j < n; j++) {
			double s = 0;
			for (unsigned k = 0; k < n; k++)
				s += a[i * n + k] * b[k * n + j];
			out[i * n + j] = s;
		}
}

static int worker(void *arg)
{
	struct band *w = arg;
	seen_core[w->idx] = thread_core() + 1;          /* written on its core */
	seen_home[w->idx] = home_word;                  /* read what the home wrote */
	multiply(c, w->lo, w->hi);
	return (int)thread_core();
}

/* One run over the first `cores` cores of the span; cycles, or 0 if wrong. */
static uint64_t run(unsigned cores, uint64_t stamp)
{
	static struct band w[MAX_CORES];
	memset(c, 0, (size_t)n * n * sizeof *c);
	home_word = stamp;
	uint64_t t0 = libos_tsc_serialized();
	for (unsigned i = 0; i < cores; i++) {
		w[i] = (struct band){ i, n * i / cores, n * (i + 1) / cores,
				      libos_span_core(i), 0 };
		seen_core[i] = 0;
		if (thread_create_on(w[i].core, &w[i].t, worker, &w[i]) != ERR_OK) {
			printf("cores %u: WRONG: thread_create_on core %u failed\n", cores, w[i].core);
			return 0;
		}
	}
	bool ok = true;
	for (unsigned i = 0; i < cores; i++) {
		int where = -1;
		thread_join(w[i].t, &where);
		if ((unsigned)where != w[i].core || seen_core[i] != w[i].core + 1 ||
		    seen_home[i] != stamp) {
			printf("cores %u: WRONG: worker %u ran on core %d (want %u), wrote %u, "
			       "read %#llx (want %#llx)\n", cores, i, where, w[i].core,
			       seen_core[i], (unsigned long long)seen_home[i],
			       (unsigned long long)stamp);
			ok = false;
		}
	}
	uint64_t t = libos_tsc_serialized() - t0;
	for (unsigned k = 0; k < n * n && ok; k++)
		if (c[k] != ref[k]) {
			printf("cores %u: WRONG: element %u differs from the sequential result\n",
			       cores, k);
			ok = false;
		}
	return ok ? t : 0;
}

static void fill(void)
{
	for (unsigned i = 0; i < n * n; i++) {
		a[i] = (double)((i * 7) % 13) / 3.0 - 1.5;
		b[i] = (double)((i * 11) % 17) / 7.0 + 0.25;
	}
}

static int mover(void *arg)
{
	unsigned to = *(unsigned *)arg, before = thread_core();
	if (thread_move(to) != ERR_OK)
		return -1;
	return thread_core() == to && before != to ? 0 : -1;
}

static bool check_move(void)
{
	unsigned to = libos_span_core(libos_span_ncores() - 1);
	struct thread *t;
	int r = -1;
	if (thread_create(&t, mover, &to) == ERR_OK)
		thread_join(t, &r);
	printf("move %s: a thread moved from core %u to core %u\n", r == 0 ? "ok" : "WRONG",
	       libos_core_id(), to);
	return r == 0;
}

static int sweep(unsigned size)
{
	n = size;
	size_t bytes = (size_t)n * n * sizeof(double);
	a = malloc(bytes);
	b = malloc(bytes);
	ref = malloc(bytes);
	c = malloc(bytes);
	if (!a || !b || !ref || !c) {
		printf("sweep WRONG: no memory for %u x %u\n", n, n);
		return 1;
	}
	fill();
	uint64_t t0 = libos_tsc_serialized();
	multiply(ref, 0, n);
	uint64_t seq = libos_tsc_serialized() - t0;
	printf("sequential: %u x %u in %llu cycles\n", n, n, (unsigned long long)seq);
	unsigned ncores = libos_ncores() < MAX_CORES ? libos_ncores() : MAX_CORES;
	unsigned home = libos_core_id();
	bool ok = true;
	for (unsigned cores = 1; cores <= ncores; cores *= 2) {
		while (libos_span_ncores() < cores) {
			unsigned next = (home + libos_span_ncores()) % libos_ncores();
			err_t e = libos_span_add(next);
			if (e) {
				printf("cores %u: WRONG: span to core %u: %s\n", cores, next,
				       err_str(e));
				return 1;
			}
		}
		uint64_t t = run(cores, 0x5eed0000ull + cores);
		if (!t) {
			ok = false;
			break;
		}
		printf("cores %u: result ok, %llu cycles, speed-up %llu.%02llu\n", cores,
		       (unsigned long long)t, (unsigned long long)(seq / t),
		       (unsigned long long)(seq * 100 / t % 100));
	}
	if (ok && libos_span_ncores() > 1)
		ok = check_move();
	if (ok)
		printf("sweep ok\n");
	return ok ? 0 : 1;
}

static bool expect(const char *what, err_t got, err_t want)
{
	bool ok = got == want;
	printf("bad: %s %s (got %s, want %s)\n", what, ok ? "ok" : "WRONG", err_str(got),
	       err_str(want));
	return ok;
}

static int bad(void)
{
	unsigned home = libos_core_id(), ncores = libos_ncores();
	if (ncores < 3) {
		printf("bad: WRONG: needs 3 cores\n");
		return 1;
	}
	unsigned other = (home + 1) % ncores, victim = (home + 2) % ncores;
	bool ok = expect("span to its own core", libos_span_add(home), ERR_INVAL);
	ok &= expect("span to a core that does not exist", libos_span_add(ncores + 5), ERR_RANGE);
	ok &= expect("span to another core", libos_span_add(other), ERR_OK);
	ok &= expect("span twice to one core", libos_span_add(other), ERR_EXIST);
	/* the same refusals from the monitors, past libos's own checks */
	ok &= expect("monitor: span to its own core", mon_span(home, 1, 0), ERR_INVAL);
	ok &= expect("monitor: span twice to one core", mon_span(other, 1, 0), ERR_EXIST);
	ok &= expect("monitor: span to a core that does not exist", mon_span(ncores, 1, 0),
		     ERR_SYNTAX);
	if (ncores >= 4) {      /* the manifest gives span=0-2 */
		unsigned barred = (home + 3) % ncores;
		ok &= expect("span to a core without the right", libos_span_add(barred), ERR_PERM);
		ok &= expect("monitor: span to a core without the right", mon_span(barred, 1, 0),
			     ERR_PERM);
	}
	struct thread *none;
	ok &= expect("thread on a core not spanned",
		     thread_create_on(victim, &none, worker, 0), ERR_NOENT);
	int64_t pa = sys_frame_alloc();
	ok &= expect("map once spanning", pa < 0 ? (err_t)pa :
		     sys_map(0x5000000000ull, (uint64_t)pa, SYS_MAP_WRITE), ERR_SPANNED);
	if (victim != 0) {
		ok &= expect("stop a core", mon_stop_core(victim), ERR_OK);
		err_t e;
		for (unsigned i = 0; i < 400 && (e = libos_span_add(victim)) != ERR_DEAD; i++)
			thread_sleep_us(10000);   /* until the monitors noticed */
		ok &= expect("span to a stopped core", e, ERR_DEAD);
	}
	printf("%s\n", ok ? "bad ok" : "bad WRONG");
	return ok ? 0 : 1;
}

static volatile int *volatile null_pointer;

static int faulter(void *arg)
{
	(void)arg;
	printf("fault: thread on core %u writes through a null pointer\n", thread_core());
	*null_pointer = 1;
	return 0;
}

static int fault(void)
{
	unsigned other = (libos_core_id() + 1) % libos_ncores();
	struct thread *t;
	err_t e = libos_span_add(other);
	if (!e)
		e = thread_create_on(other, &t, faulter, 0);
	if (e) {
		printf("fault WRONG: %s\n", err_str(e));
		return 1;
	}
	for (;;)
		thread_sleep_us(100000);  /* the home keeps running until it is ended */
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "sweep";
	if (strcmp(mode, "sweep") == 0) {
		uint64_t s = 96;
		if (argc > 2 && (parse_u64(argv[2], &s) != ERR_OK || s < 8 || s > 512)) {
			printf("bad size '%s' (8..512)\n", argv[2]);
			return 2;
		}
		return sweep((unsigned)s);
	}
	if (strcmp(mode, "bad") == 0)
		return bad();
	if (strcmp(mode, "fault") == 0)
		return fault();
	printf("unknown mode '%s' (sweep [S], bad, fault)\n", mode);
	return 2;
}
