/*
 * spin: interleaving on one core, by yielding or by preemption.
 *
 *   spin [N]        N rounds (default 1000), SYS_YIELD after each
 *   spin busy [N]   N rounds of busy work, never yielding: only the
 *                   timer can let another domain on this core run
 *   spin busy for=MS  busy rounds until MS milliseconds have passed since
 *                   it started (wall-clock: how long the run lasts does not
 *                   depend on the host's speed); progress lines every MS/4
 *
 * Progress every N/4 rounds: "spin yield|busy: i/N (domain D)", then
 * "spin yield|busy: done (domain D)".  Two instances on one core must show
 * interleaved progress lines; with `busy` that proves timer preemption.
 * Exit 0, or 2 on a bad argument.
 */
#include <libos/libos.h>

#define LCG_A 6364136223846793005ull
#define LCG_B 1442695040888963407ull
#define ROUND 1000

/* About a microsecond of work per round, the state kept in a register. */
static uint64_t busy_round(uint64_t x)
{
	for (unsigned i = 0; i < ROUND; i++) {
		x = x * LCG_A + LCG_B;
		__asm__ volatile("" : "+r"(x)); /* keep it a loop in a register */
	}
	return x;
}

/*
 * x after n steps, by composing the affine map x -> A x + B with itself
 * (square and multiply): microseconds, so no preemption falls inside it.
 * Equal to the busy loop's result only if every preemption (and every
 * dispatcher upcall) gave back every register intact.
 */
static uint64_t lcg_jump(uint64_t x, uint64_t n)
{
	uint64_t a = 1, b = 0, pa = LCG_A, pb = LCG_B;
	for (; n; n >>= 1) {
		if (n & 1) {
			b = pa * b + pb;
			a = pa * a;
		}
		pb = pa * pb + pb;
		pa = pa * pa;
	}
	return a * x + b;
}

/* spin busy for=MS: rounds until the time is up; returns 0, or 1 if the state broke. */
static int busy_for(uint64_t ms)
{
	uint64_t per_ms = libos_tsc_hz() / 1000, t0 = libos_tsc(), x = 42, n = 0;
	unsigned quarter = 0;
	for (;;) {
		uint64_t el = (libos_tsc() - t0) / per_ms;
		if (el >= ms)
			break;
		x = busy_round(x);
		n++;
		if (el * 4 / ms > quarter) {
			quarter = (unsigned)(el * 4 / ms);
			printf("spin busy: %u/4 of %llu ms (domain %u)\n", quarter,
			       (unsigned long long)ms, libos_domain_id());
		}
	}
	if (x != lcg_jump(42, n * ROUND)) {
		printf("spin busy: WRONG: state %#llx after %llu upcalls\n",
		       (unsigned long long)x, (unsigned long long)libos_upcalls());
		return 1;
	}
	printf("spin busy: %llu rounds in %llu ms, state intact across %llu dispatcher upcalls\n",
	       (unsigned long long)n, (unsigned long long)ms,
	       (unsigned long long)libos_upcalls());
	printf("spin busy: done (domain %u)\n", libos_domain_id());
	return 0;
}

int main(int argc, char **argv)
{
	bool busy = argc > 1 && strcmp(argv[1], "busy") == 0;
	const char *narg = argv[busy ? 2 : 1];
	const char *ms = busy && argc == 3 ? parse_kv_find(argc, argv, 2, "for") : 0;
	uint64_t msv;
	if (ms) {
		if (parse_u64(ms, &msv) != ERR_OK || msv == 0) {
			printf("spin: bad time '%s' (usage: spin busy for=MS)\n", ms);
			return 2;
		}
		return busy_for(msv);
	}
	const char *mode = busy ? "busy" : "yield";
	uint64_t n = 1000, step;

	if (narg && (parse_u64(narg, &n) != ERR_OK || n == 0)) {
		printf("spin: bad count '%s' (usage: spin [busy] [N])\n", narg);
		return 2;
	}
	step = n >= 4 ? n / 4 : 1;
	uint64_t x = 42;
	for (uint64_t i = 1; i <= n; i++) {
		if (busy)
			x = busy_round(x);
		else
			sys_yield();
		if (i % step == 0)
			printf("spin %s: %llu/%llu (domain %u)\n", mode,
			       (unsigned long long)i, (unsigned long long)n,
			       libos_domain_id());
	}
	if (busy && x != lcg_jump(42, n * ROUND)) {
		printf("spin busy: WRONG: state %#llx after %llu upcalls\n",
		       (unsigned long long)x, (unsigned long long)libos_upcalls());
		return 1;
	}
	if (busy)
		printf("spin busy: state intact across %llu dispatcher upcalls\n",
		       (unsigned long long)libos_upcalls());
	printf("spin %s: done (domain %u)\n", mode, libos_domain_id());
	return 0;
}
