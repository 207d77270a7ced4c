/*
 * client: binds to a service through the monitors and checks its echoes.
 *
 *   client <name> <messages>
 *
 * mon_bind(<name>) (which waits while the name is not registered yet),
 * then <messages> round trips of a struct echo_msg, each answer compared
 * with what was sent, then ECHO_BYE.
 *
 * Output (after "core N: client: "):
 *   bound to '<name>' on core S
 *   echo ok: M round trips with core S
 * or "client WRONG: ..." and exit 1.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include "../echoproto.h"

#define BIND_WAIT_MS 20000

int main(int argc, char **argv)
{
	uint64_t n;
	if (argc != 3 || parse_u64(argv[2], &n)) {
		printf("client WRONG: usage: client <name> <messages>\n");
		return 1;
	}
	struct urpc_chan c;
	uint32_t core;
	err_t e = mon_bind(argv[1], 1, BIND_WAIT_MS, &c, &core);
	if (e) {
		printf("client WRONG: bind '%s': %s\n", argv[1], err_str(e));
		return 1;
	}
	printf("bound to '%s' on core %u\n", argv[1], core);
	for (uint64_t i = 0; i < n; i++) {
		struct echo_msg m = { libos_core_id(), libos_domain_id(), i, 0 }, r;
		m.check = echo_check(&m);
		uint16_t type;
		size_t len;
		while ((e = echo_send_msg(&c, &m)) == ERR_FULL)
			sys_yield();
		if (!e)
			e = urpc_recv(&c, &type, &r, sizeof r, &len, 2000);
		if (e) {
			printf("client WRONG: round trip %lu: %s\n", (unsigned long)i, err_str(e));
			return 1;
		}
		if (type != ECHO_MSG || echo_msg_check(type, &r, len, 0, NULL, 0) ||
		    memcmp(&r, &m, sizeof m)) {
			printf("client WRONG: round trip %lu: answer differs (type %u, %zu bytes)\n",
			       (unsigned long)i, type, len);
			return 1;
		}
	}
	while (echo_send_bye(&c) == ERR_FULL)
		sys_yield();
	printf("echo ok: %lu round trips with core %u\n", (unsigned long)n, core);
	return 0;
}
