/*
 * Host tests for monitor/rights.c: the right each request needs (stop,
 * broadcast, spawn elsewhere, rights asked for a child), none for the
 * rest, and the names the logs print.
 */
#define TEST_PROGRAM "monrights"
#include "test.h"
#include <monitor/proto.h>
#include <monitor/rights.h>

static void t_needed(void)
{
	struct mon_spawn_req s;
	struct mon_core c;

	memset(&s, 0, sizeof s);
	memset(&c, 0, sizeof c);
	CHECK_EQ(rights_needed(MON_STOP_CORE_REQ, &c, 0), DOMAIN_RIGHT_STOP);
	CHECK_EQ(rights_needed(MON_RESTART_CORE_REQ, &c, 0), DOMAIN_RIGHT_STOP);
	CHECK_EQ(rights_needed(MON_MUTE_CORE_REQ, &c, 0), DOMAIN_RIGHT_STOP);
	CHECK_EQ(rights_needed(MON_BCAST, &c, 0), DOMAIN_RIGHT_BCAST);
	s.core = 2;
	CHECK_EQ(rights_needed(MON_SPAWN_REQ, &s, 2), 0);
	CHECK_EQ(rights_needed(MON_SPAWN_REQ, &s, 1), DOMAIN_RIGHT_SPAWN);
	s.rights = DOMAIN_RIGHT_STOP | DOMAIN_RIGHT_KIPC;
	CHECK_EQ(rights_needed(MON_SPAWN_REQ, &s, 2), DOMAIN_RIGHT_STOP | DOMAIN_RIGHT_KIPC);
	CHECK_EQ(rights_needed(MON_SPAWN_REQ, &s, 0),
		 DOMAIN_RIGHT_STOP | DOMAIN_RIGHT_KIPC | DOMAIN_RIGHT_SPAWN);
	for (unsigned t = 0; t < MON_TYPE_COUNT + 2; t++) {
		if (t == MON_STOP_CORE_REQ || t == MON_RESTART_CORE_REQ || t == MON_BCAST ||
		    t == MON_SPAWN_REQ || t == MON_MUTE_CORE_REQ)
			continue;
		CHECK_EQ(rights_needed((uint16_t)t, &s, 0), 0);
	}
}

static void t_format(void)
{
	char buf[64], tiny[5];

	CHECK_STR(rights_format(0, buf, sizeof buf), "none");
	CHECK_STR(rights_format(DOMAIN_RIGHT_STOP, buf, sizeof buf), "stop");
	CHECK_STR(rights_format(DOMAIN_RIGHT_STOP | DOMAIN_RIGHT_SPAWN, buf, sizeof buf),
		  "stop,spawn");
	CHECK_STR(rights_format(DOMAIN_RIGHT_ALL, buf, sizeof buf),
		  "console,trace,stop,spawn,bcast,kipc,notify,devmem,kill");
	CHECK_STR(rights_format(0x200 | DOMAIN_RIGHT_CONSOLE, buf, sizeof buf), "console,0x200");
	CHECK_STR(rights_format(DOMAIN_RIGHT_ALL, tiny, sizeof tiny), "cons");
	CHECK_STR(rights_format(DOMAIN_RIGHT_ALL, tiny, 1), "");
}

int main(void)
{
	RUN(t_needed);
	RUN(t_format);
	return test_summary();
}
