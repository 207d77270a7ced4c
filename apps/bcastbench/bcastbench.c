/*
 * bcastbench: broadcast latency through the monitors' tree against a
 * sequential loop of unicasts (monitor/bcast.c), from core 0.
 *
 *   bcastbench [rounds]        default 200
 *
 * Output (after "core 0: bcastbench: "):
 *   bcast: C cores reached R, N rounds: tree T cycles (X ns), sequential S cycles (Y ns)
 * or "bcast failed: <error> (<monitor's sentence>)" and exit 1 (a core
 * went down during the run: ERR_DEAD).  A benchmark: tools/bench-bcast.py
 * reads the line; nothing here asserts on time.
 */
#include <libos/libos.h>
#include <libos/monclient.h>

int main(int argc, char **argv)
{
	uint64_t rounds = 200;
	if (argc > 2 || (argc == 2 && parse_u64(argv[1], &rounds))) {
		printf("bcastbench WRONG: usage: bcastbench [rounds]\n");
		return 1;
	}
	uint64_t tree, seq;
	uint32_t reached;
	err_t e = mon_bcast((uint32_t)rounds, &tree, &seq, &reached);
	if (e) {
		printf("bcast failed: %s (%s)\n", err_str(e), mon_last_error());
		return 1;
	}
	uint64_t hz = libos_tsc_hz();
	printf("bcast: %u cores reached %u, %lu rounds: tree %lu cycles (%lu ns), "
	       "sequential %lu cycles (%lu ns)\n", libos_ncores(), reached,
	       (unsigned long)rounds, (unsigned long)tree,
	       (unsigned long)(tree * 1000000000ull / hz), (unsigned long)seq,
	       (unsigned long)(seq * 1000000000ull / hz));
	return reached == libos_ncores() ? 0 : 1;
}
