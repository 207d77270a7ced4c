/*
 * bcastbench: broadcast latency through the monitors' tree against a
 * sequential loop of unicasts (monitor/bcast.c), from core 0.
 *
 *   bcastbench [rounds]        default 200
 *   bcastbench rounds live=N   a core is being stopped: run until a run
 *                              reaches exactly N cores (each failed or
 *                              short run printed), for at most 60 s
 *
 * Output (after "core 0: bcastbench: "):
 *   bcast: C cores reached R, N rounds: tree T cycles (X ns), sequential S cycles (Y ns)
 * or "bcast failed: <error> (<monitor's sentence>)" and exit 1 (a core
 * went down during the run: ERR_DEAD).  A benchmark: tools/bench-bcast.py
 * reads the line; nothing here asserts on time.
 */
#include <libos/libos.h>
#include <libos/monclient.h>

#define LIVE_WAIT_MS 60000

int main(int argc, char **argv)
{
	uint64_t rounds = 200, live = 0;
	const char *l = argc == 3 ? parse_kv_find(argc, argv, 2, "live") : 0;
	if (argc > 3 || (argc >= 2 && parse_u64(argv[1], &rounds)) ||
	    (argc == 3 && (!l || parse_u64(l, &live) || live == 0 || live > libos_ncores()))) {
		printf("bcastbench WRONG: usage: bcastbench [rounds] [live=N]\n");
		return 1;
	}
	uint64_t tree, seq, t0 = libos_tsc(), hz = libos_tsc_hz();
	uint32_t reached;
	err_t e;
	for (;;) {
		e = mon_bcast((uint32_t)rounds, &tree, &seq, &reached);
		if (!live || (!e && reached == live) ||
		    (libos_tsc() - t0) / (hz / 1000) > LIVE_WAIT_MS)
			break;
		if (e)
			printf("waiting for %lu live cores: bcast failed: %s\n", (unsigned long)live,
			       err_str(e));
		else
			printf("waiting for %lu live cores: reached %u\n", (unsigned long)live, reached);
		sys_wait(20);
	}
	if (e) {
		printf("bcast failed: %s (%s)\n", err_str(e), mon_last_error());
		return 1;
	}
	printf("bcast: %u cores reached %u, %lu rounds: tree %lu cycles (%lu ns), "
	       "sequential %lu cycles (%lu ns)\n", libos_ncores(), reached,
	       (unsigned long)rounds, (unsigned long)tree,
	       (unsigned long)(tree * 1000000000ull / hz), (unsigned long)seq,
	       (unsigned long)(seq * 1000000000ull / hz));
	return reached == (live ? live : libos_ncores()) ? 0 : 1;
}
