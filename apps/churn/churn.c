/*
 * churn: spawn, bind and exit over and over, so that a leak of anything a
 * domain or a channel takes shows up (test_isolation compares every
 * core's "EV pool.free" lines, which each kernel prints when its last
 * domain but the monitor ends).
 *
 *   churn N W    (needs the spawn right) N cycles; after W of them (the
 *                monitors' heaps have grown to their working size) it
 *                says so
 *
 * A cycle on a machine of n cores, i = 0, 1, ...: an echo service named
 * c<i> on core 1 + i % (n - 1), a client of it (one round trip) on core
 * 1 + (i + 1) % (n - 1); the cycle ends when the service has ended and
 * core 0 dropped its name.  So every core but this one (core 0) is left
 * with nothing but its monitor between cycles.  Before the warm-up line
 * and before the last line it waits SETTLE_TICKS, so that the last
 * "EV pool.free" of each core before them is its settled value.
 *
 * Output (after "core N: churn: "): "warm-up done after W cycles",
 * "N cycles done", or "churn WRONG: ..." and exit 1.
 */
#include <libos/libos.h>
#include <libos/monclient.h>

#define WAIT_TICKS 30000  /* 300 s for one cycle: only a hang takes that */
#define SETTLE_TICKS 200  /* every core idle, every monitor done reaping */

/* Polls the registry until `name` is (want_ok) or is not registered. */
static err_t await_name(const char *name, bool want_ok)
{
	uint32_t core, dom;
	for (unsigned t = 0; t < WAIT_TICKS; t += 2) {
		err_t e = mon_lookup(name, &core, &dom);
		if (want_ok ? e == ERR_OK : e == ERR_NOENT)
			return ERR_OK;
		if (e && e != ERR_NOENT)
			return e;
		sys_wait(2);
	}
	return ERR_TIMEOUT;
}

static err_t cycle(uint64_t i, unsigned n)
{
	char name[16];
	snprintf(name, sizeof name, "c%llu", (unsigned long long)i);
	const char *sargs[] = { name, "1" }, *cargs[] = { name, "1" };
	unsigned s = 1 + (unsigned)(i % (n - 1)), c = 1 + (unsigned)((i + 1) % (n - 1));
	err_t e = mon_spawn(s, "echo", 2, sargs, 0);
	if (!e)
		e = await_name(name, true);
	if (!e)
		e = mon_spawn(c, "client", 2, cargs, 0);
	if (!e)
		e = await_name(name, false);
	if (e)
		printf("churn WRONG: cycle %llu (echo on core %u, client on core %u): %s (%s)\n",
		       (unsigned long long)i, s, c, err_str(e), mon_last_error());
	return e;
}

int main(int argc, char **argv)
{
	uint64_t n, warm;
	unsigned cores = libos_ncores();
	if (argc != 3 || parse_u64(argv[1], &n) || parse_u64(argv[2], &warm) || cores < 2) {
		printf("churn WRONG: usage: churn <cycles> <warm-up cycles> (2 cores or more)\n");
		return 1;
	}
	for (uint64_t i = 0; i < n; i++) {
		if (i == warm) {
			sys_wait(SETTLE_TICKS);
			printf("warm-up done after %llu cycles\n", (unsigned long long)warm);
		}
		if (cycle(i, cores))
			return 1;
	}
	sys_wait(SETTLE_TICKS);
	printf("%llu cycles done\n", (unsigned long long)n);
	return 0;
}
