/* main.c: pingpong's role dispatch and argument helpers (see pingpong.h). */
#include <libos/libos.h>
#include "pingpong.h"
#include "wait.h"

unsigned pp_spins = PP_SPINS;

const char *pp_arg_str(int argc, char **argv, const char *key, const char *def)
{
	const char *v = parse_kv_find(argc, argv, 1, key);
	return v ? v : def;
}

uint64_t pp_arg(int argc, char **argv, const char *key, uint64_t def)
{
	const char *s = pp_arg_str(argc, argv, key, 0);
	uint64_t v;
	if (!s)
		return def;
	if (parse_u64(s, &v)) {
		printf("bad number in %s=%s; using %lu\n", key, s, (unsigned long)def);
		return def;
	}
	return v;
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	pp_spins = (unsigned)pp_arg(argc, argv, "spins", PP_SPINS);
	pp_stall_ms = pp_arg(argc, argv, "stall_ms", PP_STALL_MS);
	if (strcmp(role, "coord") == 0)
		return pp_coord(argc, argv);
	if (strcmp(role, "serve") == 0)
		return pp_serve(argc, argv);
	if (strcmp(role, "client") == 0)
		return pp_client(argc, argv);
	printf("usage: pingpong coord|serve|client [key=value ...]\n");
	return 2;
}
