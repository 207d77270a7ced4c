/*
 * fpstress: x87/SSE/AVX state survives preemption, between domains and
 * between the threads of one domain; unmasked SIMD and x87 exceptions end
 * only the faulting domain.
 *
 *   fpstress regs [N]        N rounds (default 40): load xmm0-15 (and the
 *                            upper halves of ymm0-15 if AVX is on) with a
 *                            pattern unique to this domain and round, set
 *                            MXCSR's rounding mode and the x87 control
 *                            word to domain-specific values, spin for
 *                            about a millisecond without touching them
 *                            (the timer preempts the domain meanwhile),
 *                            then read every register back and compare
 *   fpstress threads T [N]   the same in T threads of this domain at once
 *                            (each with its own pattern and rounding mode),
 *                            plus a double-precision sum computed by each
 *                            thread and checked against the main thread's
 *   fpstress xm              unmask divide-by-zero in MXCSR, divide by zero
 *                            (must end this domain with #XM; QEMU's TCG
 *                            raises no SIMD exceptions, which the app
 *                            reports as such, with MXCSR's flag as proof
 *                            the division happened)
 *   fpstress mf              the same with the x87 (must end it with #MF)
 *
 * Output: "regs: intact, R rounds, U upcalls, avx 0|1" or
 * "threads: intact, T threads, R rounds, S switches, sum ok", and
 * "... WRONG ..." naming the register on any mismatch (exit 1).
 */
#include <libos/libos.h>
#include <libos/thread.h>

#define NREG 16
#define SPIN_ITERS 200000u

struct fp_image {
	uint64_t lo[NREG][2];           /* xmm */
	uint64_t hi[NREG][2];           /* upper ymm halves */
	uint32_t mxcsr;
	uint16_t fcw;
} __attribute__((aligned(32)));

static bool avx_on(void)
{
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!(c & (1u << 27)) || !(c & (1u << 28)))     /* OSXSAVE, AVX */
		return false;
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (lo & 6) == 6;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

static void make_pattern(struct fp_image *p, uint64_t seed)
{
	for (unsigned r = 0; r < NREG; r++)
		for (unsigned k = 0; k < 2; k++) {
			p->lo[r][k] = mix(seed * 64 + r * 4 + k);
			p->hi[r][k] = mix(seed * 64 + r * 4 + k + 2);
		}
	p->mxcsr = 0x1f80 | (uint32_t)(seed % 4) << 13;        /* rounding control */
	p->fcw = (uint16_t)(0x37f & ~0x300) | (uint16_t)(seed % 3) << 8; /* precision */
}

#define LOADX(n) "movdqu " #n "*16(%0), %%xmm" #n "\n\t"
#define STOREX(n) "movdqu %%xmm" #n ", " #n "*16(%1)\n\t"
#define XALL(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) \
	M(8) M(9) M(10) M(11) M(12) M(13) M(14) M(15)
#define CLOBBER_X "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", \
	"xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"

static const uint32_t default_mxcsr = 0x1f80;
static const uint16_t default_fcw = 0x37f;

/*
 * Load, spin with integers only, store: the state must come back
 * unchanged.  Then MXCSR and the x87 control word go back to their
 * defaults for the C code around.
 */
static void hold_sse(const struct fp_image *in, struct fp_image *out)
{
	__asm__ volatile(
		"ldmxcsr %c3(%0)\n\t"
		"fldcw %c4(%0)\n\t"
		XALL(LOADX)
		"mov %2, %%ecx\n"
		"1: pause\n\t"
		"dec %%ecx\n\t"
		"jnz 1b\n\t"
		XALL(STOREX)
		"stmxcsr %c3(%1)\n\t"
		"fnstcw %c4(%1)\n\t"
		"ldmxcsr %5\n\t"
		"fldcw %6\n\t"
		:
		: "r"(in), "r"(out), "i"(SPIN_ITERS),
		  "i"(__builtin_offsetof(struct fp_image, mxcsr)),
		  "i"(__builtin_offsetof(struct fp_image, fcw)),
		  "m"(default_mxcsr), "m"(default_fcw)
		: "rcx", "memory", CLOBBER_X);
}

#define LOADY(n) "vmovdqu " #n "*16(%0), %%xmm" #n "\n\t" \
	"vinserti128 $1, " #n "*16+256(%0), %%ymm" #n ", %%ymm" #n "\n\t"
#define STOREY(n) "vmovdqu %%xmm" #n ", " #n "*16(%1)\n\t" \
	"vextracti128 $1, %%ymm" #n ", " #n "*16+256(%1)\n\t"

/* The same with all 256 bits of ymm0-15 (AVX/AVX2 on, through XSAVE). */
static void hold_avx(const struct fp_image *in, struct fp_image *out)
{
	__asm__ volatile(
		"ldmxcsr %c3(%0)\n\t"
		"fldcw %c4(%0)\n\t"
		XALL(LOADY)
		"mov %2, %%ecx\n"
		"1: pause\n\t"
		"dec %%ecx\n\t"
		"jnz 1b\n\t"
		XALL(STOREY)
		"vzeroupper\n\t"
		"stmxcsr %c3(%1)\n\t"
		"fnstcw %c4(%1)\n\t"
		"ldmxcsr %5\n\t"
		"fldcw %6\n\t"
		:
		: "r"(in), "r"(out), "i"(SPIN_ITERS),
		  "i"(__builtin_offsetof(struct fp_image, mxcsr)),
		  "i"(__builtin_offsetof(struct fp_image, fcw)),
		  "m"(default_mxcsr), "m"(default_fcw)
		: "rcx", "memory", CLOBBER_X);
}

static bool avx2_on(void)
{
	uint32_t a, b, c, d;
	if (!avx_on())
		return false;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	return (b & (1u << 5)) != 0;    /* vinserti128 / vextracti128 */
}

/* One round; on a mismatch, a line naming what differs; true if intact. */
static bool round_ok(const char *who, uint64_t seed, bool avx)
{
	struct fp_image in, out;
	make_pattern(&in, seed);
	memset(&out, 0, sizeof out);
	if (avx)
		hold_avx(&in, &out);
	else
		hold_sse(&in, &out);
	for (unsigned r = 0; r < NREG; r++) {
		bool lo = in.lo[r][0] != out.lo[r][0] || in.lo[r][1] != out.lo[r][1];
		bool hi = avx && (in.hi[r][0] != out.hi[r][0] || in.hi[r][1] != out.hi[r][1]);
		if (lo || hi) {
			printf("%s: WRONG: %s%u changed (seed %llu): %#llx -> %#llx\n", who,
			       hi ? "ymm-high" : "xmm", r, (unsigned long long)seed,
			       (unsigned long long)(hi ? in.hi[r][0] : in.lo[r][0]),
			       (unsigned long long)(hi ? out.hi[r][0] : out.lo[r][0]));
			return false;
		}
	}
	if (in.mxcsr != out.mxcsr || in.fcw != out.fcw) {
		printf("%s: WRONG: mxcsr %#x -> %#x, fcw %#x -> %#x\n", who, in.mxcsr,
		       out.mxcsr, in.fcw, out.fcw);
		return false;
	}
	return true;
}

/* Sum of 1/k^2 for k = 1..n in double: C code the compiler keeps in xmm. */
static double basel(unsigned n)
{
	double s = 0;
	for (unsigned k = 1; k <= n; k++)
		s += 1.0 / ((double)k * (double)k);
	return s;
}

#define BASEL_N 300000u

struct worker {
	unsigned idx, rounds;
	bool avx;
	double sum;
	struct thread *t;
};

static int worker_main(void *arg)
{
	struct worker *w = arg;
	char who[32];
	snprintf(who, sizeof who, "thread %u", w->idx);
	for (unsigned i = 0; i < w->rounds; i++) {
		uint64_t seed = (uint64_t)libos_domain_id() << 32 | w->idx << 16 | i;
		if (!round_ok(who, seed, w->avx))
			return 1;
		if (i == w->rounds / 2)
			w->sum = basel(BASEL_N);
	}
	return 0;
}

static int run_threads(unsigned nthreads, unsigned rounds, bool avx)
{
	static struct worker w[16];
	if (nthreads == 0 || nthreads > 16) {
		printf("bad thread count %u (1..16)\n", nthreads);
		return 2;
	}
	for (unsigned i = 0; i < nthreads; i++) {
		w[i] = (struct worker){ .idx = i + 1, .rounds = rounds, .avx = avx };
		if (thread_create(&w[i].t, worker_main, &w[i]) != ERR_OK) {
			printf("threads: WRONG: thread_create failed\n");
			return 1;
		}
	}
	double want = basel(BASEL_N);
	int bad = 0;
	for (unsigned i = 0; i < nthreads; i++) {
		int ret = -1;
		thread_join(w[i].t, &ret);
		bad |= ret;
		if (w[i].sum != want) {
			printf("threads: WRONG: thread %u's sum differs\n", i + 1);
			bad = 1;
		}
	}
	if (bad)
		return 1;
	printf("threads: intact, %u threads, %u rounds, %llu switches, sum ok, avx %d\n",
	       nthreads, rounds, (unsigned long long)thread_switches(), avx);
	return 0;
}

static int run_regs(unsigned rounds, bool avx)
{
	for (unsigned i = 0; i < rounds; i++)
		if (!round_ok("regs", (uint64_t)libos_domain_id() << 32 | i, avx))
			return 1;
	printf("regs: intact, %u rounds, %llu upcalls, avx %d\n", rounds,
	       (unsigned long long)libos_upcalls(), avx);
	return 0;
}

static double zero(void)
{
	static volatile double z;
	return z;
}

static int fault_xm(void)
{
	uint32_t m = 0x1f80 & ~(1u << 9);       /* unmask divide-by-zero */
	__asm__ volatile("ldmxcsr %0" : : "m"(m));
	volatile double r = 1.0 / zero();
	uint32_t after;
	__asm__ volatile("stmxcsr %0" : "=m"(after));
	/* An emulator that does not raise #XM still sets the sticky flag. */
	if (after & (1u << 2))
		printf("xm: this CPU raised no #XM for an unmasked divide by zero "
		       "(mxcsr=%#x, ZE set, result %d)\n", after, (int)(r > 0));
	else
		printf("xm: WRONG: no exception and no ZE flag (mxcsr=%#x)\n", after);
	return 1;
}

static int fault_mf(void)
{
	uint16_t cw = 0x37f & ~(1u << 2);       /* unmask x87 divide-by-zero */
	double one = 1.0, z = zero(), r;
	__asm__ volatile("fldcw %3\n\t"
			 "fldl %1\n\t"
			 "fdivl %2\n\t"
			 "fwait\n\t"
			 "fstpl %0\n\t"
			 "fwait"
			 : "=m"(r) : "m"(one), "m"(z), "m"(cw));
	printf("mf: WRONG: no exception (%d)\n", (int)(r > 0));
	return 1;
}

static unsigned arg_or(const char *s, unsigned dflt)
{
	uint64_t v;
	if (!s)
		return dflt;
	if (parse_u64(s, &v) != ERR_OK || v == 0 || v > 100000)
		return 0;
	return (unsigned)v;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "regs";
	bool avx = avx2_on();
	if (strcmp(mode, "regs") == 0) {
		unsigned n = arg_or(argv[2 < argc ? 2 : argc], 40);
		return n ? run_regs(n, avx) : 2;
	}
	if (strcmp(mode, "threads") == 0 && argc > 2) {
		unsigned t = arg_or(argv[2], 4), n = arg_or(argv[3 < argc ? 3 : argc], 20);
		return t && n ? run_threads(t, n, avx) : 2;
	}
	if (strcmp(mode, "xm") == 0)
		return fault_xm();
	if (strcmp(mode, "mf") == 0)
		return fault_mf();
	printf("unknown mode '%s' (regs [N], threads T [N], xm, mf)\n", mode);
	return 2;
}
