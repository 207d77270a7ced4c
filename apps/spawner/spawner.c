/*
 * spawner: starts a program on every core through the monitors.
 *
 *   spawner <program> [args...]
 *
 * For every core c of the system, mon_spawn(c, <program>, args + "from=N")
 * where N is the spawner's own core, so the children can say who started
 * them.  The request goes to this core's monitor, which routes it to core
 * c's monitor; that one starts the domain.
 *
 * Output (after "core N: spawner: "):
 *   spawned <program> on core C as domain D      one per core
 *   spawn on core C failed: <error>              instead, on failure
 *   spawned on K of M cores
 * Exit 0 if every core got one, else 1.
 */
#include <libos/libos.h>
#include <libos/monclient.h>

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 14) {
		printf("spawner WRONG: usage: spawner <program> [args...]\n");
		return 1;
	}
	const char *args[16];
	char from[16];
	unsigned n = 0;
	for (int i = 2; i < argc; i++)
		args[n++] = argv[i];
	snprintf(from, sizeof from, "from=%u", libos_core_id());
	args[n++] = from;
	unsigned ok = 0, ncores = libos_ncores();
	for (unsigned c = 0; c < ncores; c++) {
		uint32_t dom;
		err_t e = mon_spawn(c, argv[1], n, args, &dom);
		if (e) {
			printf("spawn on core %u failed: %s\n", c, err_str(e));
			continue;
		}
		printf("spawned %s on core %u as domain %u\n", argv[1], c, dom);
		ok++;
	}
	printf("spawned on %u of %u cores\n", ok, ncores);
	return ok == ncores ? 0 : 1;
}
