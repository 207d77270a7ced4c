/*
 * echo: a service that answers every message with the same message.
 *
 *   echo <name> <clients>
 *
 * Registers <name> with the monitors, accepts <clients> bindings (each a
 * channel the monitors created on this core, side 1 here), and echoes
 * every ECHO_MSG back on the channel it came on until each client has sent
 * ECHO_BYE.  Then it exits 0, so a run ends once its clients are served.
 *
 * Output (after "core N: echo: "):
 *   registered '<name>'
 *   client I: core C domain D (P pages)     one per accepted client
 *   served K clients, M messages
 * or "echo WRONG: ..." and exit 1.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <libos/waitset_urpc.h>
#include "../echoproto.h"

#define MAX_CLIENTS 32
#define ACCEPT_TICKS (60 * TICK_HZ)         /* 60 s: a client that never comes */

static struct urpc_chan chans[MAX_CLIENTS];
static struct urpc_chan *set_storage[MAX_CLIENTS];

int main(int argc, char **argv)
{
	uint64_t nclients;
	if (argc != 3 || parse_u64(argv[2], &nclients) || nclients < 1 ||
	    nclients > MAX_CLIENTS) {
		printf("echo WRONG: usage: echo <name> <clients 1..%u>\n", (unsigned)MAX_CLIENTS);
		return 1;
	}
	err_t e = mon_register(argv[1]);
	if (e) {
		printf("echo WRONG: register '%s': %s\n", argv[1], err_str(e));
		return 1;
	}
	printf("registered '%s'\n", argv[1]);

	struct urpc_waitset ws;
	struct urpc_hooks hooks;
	libos_urpc_hooks(&hooks, libos_core_id());
	urpc_waitset_init(&ws, set_storage, MAX_CLIENTS, &hooks);
	for (unsigned i = 0; i < nclients; i++) {
		struct mon_new_channel info;
		e = mon_accept(&chans[i], &info, ACCEPT_TICKS);
		if (e) {
			printf("echo WRONG: accept client %u of %lu: %s\n", i + 1,
			       (unsigned long)nclients, err_str(e));
			return 1;
		}
		printf("client %u: core %u domain %u (%u pages)\n", i + 1, info.peer_core,
		       info.peer_domain, info.pages);
		urpc_waitset_add(&ws, &chans[i]);
	}

	unsigned done = 0;
	uint64_t msgs = 0;
	while (done < nclients) {
		struct urpc_chan *c = urpc_waitset_wait(&ws, 2000);
		union {
			struct echo_msg m;
			uint8_t raw[64];        /* room to refuse an oversized one */
		} u;
		struct echo_msg *m = &u.m;
		char why[96];
		uint16_t type;
		size_t len;
		e = urpc_try_recv(c, &type, &u, sizeof u, &len);
		if (e == ERR_EMPTY)
			continue;
		if (e) {
			printf("echo WRONG: receive: %s\n", err_str(e));
			return 1;
		}
		if (echo_msg_check(type, &u, len, 0, why, sizeof why)) {
			printf("refused: %s\n", why);
			continue;
		}
		if (type == ECHO_BYE) {
			urpc_waitset_remove(&ws, c);
			done++;
			continue;
		}
		msgs++;
		while ((e = echo_send_msg(c, m)) == ERR_FULL)
			sys_yield();
		if (e) {
			printf("echo WRONG: send: %s\n", err_str(e));
			return 1;
		}
	}
	printf("served %lu clients, %lu messages\n", (unsigned long)nclients,
	       (unsigned long)msgs);
	return 0;
}
