/*
 * spin: interleaving on one core, by yielding or by preemption.
 *
 *   spin [N]        N rounds (default 1000), SYS_YIELD after each
 *   spin busy [N]   N rounds of busy work, never yielding: only the
 *                   timer can let another domain on this core run
 *
 * Progress every N/4 rounds: "spin yield|busy: i/N (domain D)", then
 * "spin yield|busy: done (domain D)".  Two instances on one core must show
 * interleaved progress lines; with `busy` that proves timer preemption.
 * Exit 0, or 2 on a bad argument.
 */
#include <libos/libos.h>

/* About a microsecond of work per round that the compiler cannot drop. */
static void busy_round(void)
{
	static volatile uint64_t sink;

	for (unsigned i = 0; i < 1000; i++)
		sink = sink * 6364136223846793005ull + 1442695040888963407ull;
}

int main(int argc, char **argv)
{
	bool busy = argc > 1 && strcmp(argv[1], "busy") == 0;
	const char *narg = argv[busy ? 2 : 1];
	const char *mode = busy ? "busy" : "yield";
	uint64_t n = 1000, step;

	if (narg && (libos_parse_u64(narg, &n) != ERR_OK || n == 0)) {
		printf("spin: bad count '%s' (usage: spin [busy] [N])\n", narg);
		return 2;
	}
	step = n >= 4 ? n / 4 : 1;
	for (uint64_t i = 1; i <= n; i++) {
		if (busy)
			busy_round();
		else
			sys_yield();
		if (i % step == 0)
			printf("spin %s: %llu/%llu (domain %u)\n", mode,
			       (unsigned long long)i, (unsigned long long)n,
			       libos_domain_id());
	}
	printf("spin %s: done (domain %u)\n", mode, libos_domain_id());
	return 0;
}
