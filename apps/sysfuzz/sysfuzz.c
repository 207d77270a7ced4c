/*
 * sysfuzz: a ring-3 system-call fuzzer.  For a given time it issues system
 * calls with random numbers and random arguments, each with random
 * arithmetic/DF/AC/NT/ID flags set through popfq and random (valid for
 * ring 3) data-segment selectors loaded into DS and ES, and checks only
 * what must hold whatever the arguments: every call returns, with either a
 * value or one of the documented errors.  The kernel and every other domain
 * must survive; this domain may die (then the kernel reports why).
 *
 *   sysfuzz <seconds> [seed]
 *
 * The argument generator favours values that reach the checks: small
 * integers, core numbers, page-aligned user addresses in a scratch region,
 * the domain's own image, stack and dispatcher page, kernel-half and
 * non-canonical addresses, frames it owns and frames it does not.  Calls
 * that would end or freeze the fuzzer itself are tamed: no SYS_EXIT, waits
 * of at most a few ticks, no unmapping of its own heap.  Frames it
 * allocates are given back now and then, so it never holds more than
 * FRAMES_MAX.
 *
 * Output (after "core N: sysfuzz: "): "start: <s> s, seed <seed>", at the
 * end "done: <calls> calls in <s> s, <errors> refused, <wrong> wrong",
 * then exit 0 (1 if a call returned something no system call may return).
 * The same seed on the same core repeats the same sequence of calls.
 */
#include <libos/libos.h>
#include <lib/parse.h>
#include <sys/domain.h>
#include <sys/monitor.h>

#define SCRATCH_VA    0x0000002000000000ull  /* maps and unmaps land here */
#define SCRATCH_PAGES 64
#define FRAMES_MAX    32
#define ERR_LOWEST    (-64)                  /* any err_t is above this */
#define FLAGS_FUZZ    0x254cd5ull            /* CF PF AF ZF SF DF OF NT RF AC ID */

static uint64_t rng_state;
static int64_t frames[FRAMES_MAX];
static unsigned nframes;

static uint64_t rnd(void)
{
	uint64_t x = rng_state; /* xorshift64* */
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

static uint64_t pick(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* An argument worth trying: a mix of interesting and plain random values. */
static uint64_t arg(void)
{
	static const uint64_t special[] = {
		0, 1, 2, 3, 4, 7, 8, 0xff, 0x1000, 0xffff, 0x10000, 0x7fffffff,
		0xffffffff, 0x100000000ull, (uint64_t)-1, (uint64_t)-2,
		0x0000800000000000ull, 0x00007ffffffff000ull, 0xffff800000000000ull,
		0xffffffff80000000ull, 0xfffffe8000000000ull, 0x8000000000000000ull,
		DOMAIN_IMAGE_LO, DOMAIN_IMAGE_LO + 0x1000, DOMAIN_DISPATCHER_VA,
		DOMAIN_START_INFO, DOMAIN_STACK_TOP - 0x1000, DOMAIN_STACK_TOP,
		DOMAIN_MONCHAN_VA, DOMAIN_HEAP_BASE, 0x100000, 0xb8000,
	};
	switch (pick(6)) {
	case 0: return special[pick(sizeof special / sizeof special[0])];
	case 1: return pick(300);
	case 2: return SCRATCH_VA + pick(SCRATCH_PAGES) * 4096;
	case 3: return nframes ? (uint64_t)frames[pick(nframes)] : pick(1ull << 30) & ~0xfffull;
	case 4: return rnd() & ~0xfffull;
	default: return rnd();
	}
}

/* A syscall with flags set by popfq and DS/ES loaded just before it. */
static int64_t fuzz_call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
			 uint64_t a4, uint64_t flags, uint16_t seg)
{
	int64_t ret;
	register uint64_t r10 __asm__("r10") = a3;
	register uint64_t r8 __asm__("r8") = a4;
	__asm__ volatile("movw %w[seg], %%ds\n\t"
			 "movw %w[seg], %%es\n\t"
			 "pushfq\n\t"
			 "orq %[flags], (%%rsp)\n\t"
			 "popfq\n\t"
			 "syscall\n\t"
			 "cld\n\t"
			 "pushfq\n\t"
			 "andq $~0x254cd5, (%%rsp)\n\t"
			 "popfq\n\t"
			 "movw %w[udata], %%cx\n\t"
			 "movw %%cx, %%ds\n\t"
			 "movw %%cx, %%es"
			 : "=a"(ret), "+r"(r10), "+r"(r8)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), [flags] "r"(flags), [seg] "r"(seg),
			   [udata] "i"(0x1b)
			 : "rcx", "r11", "memory", "cc");
	return ret;
}

static uint64_t choose_number(void)
{
	switch (pick(8)) {
	case 0: return pick(64);                       /* anything, monitor range too */
	case 1: return rnd();                          /* huge numbers */
	default: {
		uint64_t nr = 1 + pick(SYS_COUNT - 1);  /* a real call */
		if ((nr == SYS_WAIT || nr == SYS_IPC_RECV) && pick(8))
			nr = SYS_YIELD;                 /* waits are slow: fewer */
		return nr;
	}
	}
}

/* The calls and their taming: what a call may not do to the fuzzer itself. */
static void tame(uint64_t nr, uint64_t *a)
{
	switch (nr) {
	case SYS_EXIT:
		a[0] = 0;                /* replaced below: never called */
		break;
	case SYS_PRINT:
		if (pick(64))
			a[1] = pick(2) ? 0 : a[1] | (1ull << 40); /* nothing, or refused */
		else
			a[1] = pick(48);                 /* now and then a short line */
		break;
	case SYS_MAP:
		if (a[0] >= DOMAIN_VA_MIN && a[0] < 0x0000800000000000ull && pick(16))
			a[0] = SCRATCH_VA + pick(SCRATCH_PAGES) * 4096; /* no leaks elsewhere */
		break;
	case SYS_WAIT:
	case SYS_IPC_RECV:
		a[nr == SYS_WAIT ? 0 : 1] = 1 + pick(2); /* never block for ever */
		break;
	case SYS_UNMAP:
		if (a[0] >= DOMAIN_HEAP_BASE && a[0] < SCRATCH_VA)
			a[0] = SCRATCH_VA + pick(SCRATCH_PAGES) * 4096; /* keep our heap */
		break;
	case SYS_FRAME_FREE:
		if (pick(2) && nframes)
			a[0] = (uint64_t)frames[pick(nframes)];
		break;
	default:
		break;
	}
}

/* Own frames: remember what SYS_FRAME_ALLOC gave, give back past the cap. */
static void track(uint64_t nr, const uint64_t *a, int64_t ret)
{
	if (nr == SYS_FRAME_ALLOC && ret > 0 && nframes < FRAMES_MAX)
		frames[nframes++] = ret;
	else if (nr == SYS_FRAME_ALLOC && ret > 0)
		sys_frame_free((uint64_t)ret);
	if (nr == SYS_FRAME_FREE && ret == 0)
		for (unsigned i = 0; i < nframes; i++)
			if ((uint64_t)frames[i] == a[0])
				frames[i] = frames[--nframes];
	if (nframes == FRAMES_MAX) { /* unmap the scratch region, free what we hold */
		for (unsigned p = 0; p < SCRATCH_PAGES; p++)
			sys_unmap(SCRATCH_VA + p * 4096ull);
		while (nframes)
			sys_frame_free((uint64_t)frames[--nframes]);
	}
}

int main(int argc, char **argv)
{
	uint64_t seconds, seed = 0;
	if (argc < 2 || parse_u64(argv[1], &seconds) ||
	    (argc > 2 && parse_u64(argv[2], &seed))) {
		printf("sysfuzz WRONG: usage: sysfuzz <seconds> [seed]\n");
		return 2;
	}
	rng_state = (seed ? seed : libos_tsc()) * 2654435761u + libos_core_id() + 1;
	printf("start: %lu s, seed %lu\n", (unsigned long)seconds,
	       (unsigned long)rng_state);
	static const uint16_t segs[] = { 0, 3, 0x1b, 0x23 }; /* null, user data, user code */
	uint64_t end = libos_tsc() + seconds * libos_tsc_hz();
	uint64_t calls = 0, refused = 0, wrong = 0;
	while (libos_tsc() < end) {
		uint64_t nr = choose_number(), a[5] = { arg(), arg(), arg(), arg(), arg() };
		if (nr == SYS_EXIT)
			nr = SYS_YIELD;
		tame(nr, a);
		uint64_t flags = rnd() & FLAGS_FUZZ;
		int64_t ret = fuzz_call(nr, a[0], a[1], a[2], a[3], a[4], flags, segs[pick(4)]);
		calls++;
		if (ret < 0)
			refused++;
		if (ret < 0 && ret <= ERR_LOWEST) {
			wrong++;
			printf("sysfuzz WRONG: syscall %lu returned %ld\n", (unsigned long)nr, (long)ret);
		}
		track(nr, a, ret);
	}
	printf("done: %lu calls in %lu s, %lu refused, %lu wrong\n", (unsigned long)calls,
	       (unsigned long)seconds, (unsigned long)refused, (unsigned long)wrong);
	return wrong ? 1 : 0;
}
