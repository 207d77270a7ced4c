/* main.c: soak's roles and helpers (see soak.h). */
#include <libos/libos.h>
#include "soak.h"

uint64_t soak_now(void)
{
	return libos_tsc();
}

uint64_t soak_arg(int argc, char **argv, const char *key, uint64_t def)
{
	uint64_t v;
	if (parse_u64(parse_kv_find(argc, argv, 2, key), &v) == ERR_OK)
		return v;
	return def;
}

unsigned soak_nodes(int argc, char **argv)
{
	uint64_t n = soak_arg(argc, argv, "nodes", SOAK_MAX_CORES);
	if (n > SOAK_MAX_CORES)
		n = SOAK_MAX_CORES;
	if (n > libos_ncores())
		n = libos_ncores();
	return n ? (unsigned)n : 1;
}

uint64_t soak_patience_ms(uint64_t base_ms)
{
	uint64_t call = MON_CALL_MS(libos_ncores());
	return base_ms > call ? base_ms : call;
}

/* Faults at a random moment within about a second: a domain killed at random. */
int soak_victim(void)
{
	uint64_t end = soak_now() + (soak_now() % 1000) * (libos_tsc_hz() / 1000);
	while (soak_now() < end)
		sys_yield();
	printf("victim: faulting now\n");
	*(volatile int *)(uintptr_t)(soak_now() & 0xff0) = 1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	if (strcmp(role, "coord") == 0)
		return soak_coord(argc, argv);
	if (strcmp(role, "node") == 0)
		return soak_node(argc, argv);
	if (strcmp(role, "victim") == 0)
		return soak_victim();
	printf("usage: soak coord|node|victim [key=value ...]\n");
	return 2;
}
