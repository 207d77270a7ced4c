/*
 * Host tests for the monitor protocol's gate, mon_msg_check(), generated
 * from if/monitor.if: a well-formed message of every type is accepted
 * (also from an unaligned buffer and with one core), each rule refuses with its exact sentence naming the field, lengths
 * one off either way and unknown types are refused, and random bytes never
 * crash the checker nor get a sentence without the type's name.
 */
#define TEST_PROGRAM "proto"
#include "test.h"
#include <monitor/proto.h>
#include <sys/rights.h>
#include <sys/monitor.h>
#include <stdlib.h>

#define NCORES 4

union msg {
	struct mon_hdr h;
	struct mon_spawn_req spawn;
	struct mon_chan_close chan_close;
	struct mon_spawn_reply spawn_reply;
	struct mon_name_req name_req;
	struct mon_name_reply name_reply;
	struct mon_bind_fwd bind_fwd;
	struct mon_new_channel new_channel;
	struct mon_mem mem;
	struct mon_ping ping;
	struct mon_core core;
	struct mon_error error;
	struct mon_span span;
	struct mon_vm vm;
	struct mon_vm_fwd vm_fwd;
	struct mon_query_req query;
	struct mon_query_reply query_reply;
	struct mon_name_round name_round;
	struct mon_mute mute;
	unsigned char bytes[512];
};

static union msg m;
static char why[MON_WHY_MAX];

/* A well-formed message of `type` in m, with stray bytes in every field the
 * check ignores; returns its size. */
static size_t build(uint16_t type)
{
	memset(&m, 0x5a, sizeof m);
	m.h.src_core = 1;
	m.h.dst_core = NCORES - 1;
	m.h.req_id = 77;
	m.h.src_domain = 3;
	m.h.err = ERR_OK;
	switch (type) {
	case MON_SPAWN_REQ:
		m.spawn.core = 2;
		m.spawn.argc = 3;
		memcpy(m.spawn.args, "-n\0" "5\0" "\0", 6);
		m.spawn.args_len = 6;
		m.spawn.rights = 0;
		strcpy(m.spawn.program, "hello");
		break;
	case MON_SPAWN_REPLY:
		m.spawn_reply.core = 2;
		break;
	case MON_REGISTER_REQ: case MON_LOOKUP_REQ: case MON_BIND_REQ:
		m.name_req.core = 3;
		m.name_req.pages = 1;
		memset(m.name_req.name, 0, sizeof m.name_req.name);
		strcpy(m.name_req.name, "pingpong");
		break;
	case MON_REGISTER_REPLY: case MON_LOOKUP_REPLY: case MON_BIND_REPLY:
		m.name_reply.core = 0;
		m.name_reply.va = 0x2000001000ull;
		m.name_reply.side = 0;
		break;
	case MON_BIND_FWD: case MON_BIND_FWD_REPLY:
		m.bind_fwd.client_core = 1;
		m.bind_fwd.pages = CHAN_MAX_PAGES;
		m.bind_fwd.pa = 0x1234000;
		strcpy(m.bind_fwd.name, "svc");
		break;
	case MON_NEW_CHANNEL:
		m.new_channel.va = 0x2000000000ull;
		m.new_channel.side = 1;
		m.new_channel.peer_core = 3;
		m.new_channel.pages = 2;
		strcpy(m.new_channel.name, "svc.x-1 y");
		break;
	case MON_MEM_ALLOC_REQ: case MON_MEM_ALLOC_REPLY: case MON_MEM_SEND_REQ:
	case MON_MEM_SEND_REPLY: case MON_MEM_FWD: case MON_MEM_RECV:
	case MON_MEM_FREE_REQ: case MON_MEM_FREE_REPLY: case MON_MEM_RETURN:
		m.mem.core = 2;
		m.mem.npages = 3;
		for (unsigned i = 0; i < 3; i++)
			m.mem.pa[i] = 0x100000ull * (i + 1);
		break;
	case MON_BCAST_ACK:
		m.ping.count = NCORES;
		break;
	case MON_PING: case MON_PONG: case MON_BCAST:
		break;
	case MON_CORE_DOWN: case MON_STOP_CORE_REQ: case MON_STOP_CORE_REPLY:
	case MON_SUSPECT: case MON_REFUTE:
	case MON_RESTART_CORE_REQ: case MON_RESTART_CORE_REPLY: case MON_CORE_UP:
	case MON_POOL_QUERY: case MON_POOL_CLEAR:
		m.core.core = 3;
		break;
	case MON_MUTE_CORE_REQ: case MON_MUTE_CORE_REPLY:
		m.mute.core = 3;
		m.mute.ms = MON_MUTE_MS_MAX;
		break;
	case MON_QUERY_REQ:
		m.query.core = 3;
		m.query.kind = MON_Q_PS;
		break;
	case MON_QUERY_REPLY:
		memset(m.query_reply.e, 0, sizeof m.query_reply.e);
		m.query_reply.core = 2;
		m.query_reply.kind = MON_Q_NAMES;
		m.query_reply.total = 4;
		m.query_reply.n = 2;
		strcpy(mon_qentries(&m.query_reply)[0].name, "pp0");
		strcpy(mon_qentries(&m.query_reply)[1].name, "echo");
		break;
	case MON_ERROR:
		m.error.bad_type = 999;
		strcpy(m.error.why, "MON_PING: length 3 != 40");
		break;
	case MON_SPAN_REQ: case MON_SPAN_REPLY: case MON_SPAN_END: case MON_SPAN_END_REPLY:
	case MON_SPAN_DIED:
		m.span.core = 2;
		m.span.home_domain = 3;
		m.span.list_pa = 0x2345000;
		break;
	case MON_CHAN_CLOSE:
		m.chan_close.pa = 0x2345000;
		break;
	case MON_NAME_PREPARE: case MON_NAME_VOTE: case MON_NAME_COMMIT: case MON_NAME_ABORT:
	case MON_NAME_STATE:
		m.name_round.coord = 1;
		m.name_round.core = 1;
		memset(m.name_round.name, 0, sizeof m.name_round.name);
		strcpy(m.name_round.name, "echo");
		break;
	case MON_VM_REQ: case MON_VM_REPLY:
		m.vm.op = SPAN_VM_UNMAP;
		m.vm.home_domain = 2;
		m.vm.va = 0x5000000000ull;
		m.vm.pa_flags = 0x2345000 | 1;
		m.vm.pages = 1;
		m.vm.mode = MON_VM_SEQUENTIAL;
		break;
	case MON_VM_FWD: case MON_VM_FWD_REPLY:
		m.vm_fwd.op = SPAN_VM_PROTECT;
		m.vm_fwd.home_domain = 2;
		m.vm_fwd.va = 0x5000000000ull;
		m.vm_fwd.pa_flags = 1;
		m.vm_fwd.pages = SPAN_VM_MAX_PAGES;
		m.vm_fwd.home_core = 3;
		m.vm_fwd.forward = 1;
		m.vm_fwd.set[3] = ~0ull;
		break;
	}
	return mon_msg_size(type);
}

static err_t check(uint16_t type)
{
	memset(why, 0x77, sizeof why);
	return mon_msg_check(type, &m, mon_msg_size(type), NCORES, why, sizeof why);
}

/* The message in m (of its type's size) is refused with sentence s. */
#define BAD(type, s) do {                                                  \
	CHECK_EQ(check(type), ERR_SYNTAX);                                 \
	CHECK_STR(why, s);                                                 \
} while (0)

#define GOOD(type) do {                                                    \
	CHECK_EQ(check(type), ERR_OK);                                     \
	CHECK_STR(why, "");                                                \
} while (0)

static void t_span(void)
{
	build(MON_SPAN_REQ);
	GOOD(MON_SPAN_REQ);
	m.span.core = NCORES;
	BAD(MON_SPAN_REQ, "MON_SPAN_REQ: core 4 >= ncores 4");
	build(MON_SPAN_REQ);
	m.span.list_pa = 0x2345001;
	CHECK_EQ(check(MON_SPAN_REQ), ERR_SYNTAX);
	build(MON_VM_REQ);
	GOOD(MON_VM_REQ);
	m.vm.op = 9;
	BAD(MON_VM_REQ, "MON_VM_REQ: op 9 not one of SPAN_VM_MAP (3), SPAN_VM_UNMAP (2), "
	    "SPAN_VM_PROTECT (4)");
	build(MON_VM_REQ);
	m.vm.pages = 0;
	BAD(MON_VM_REQ, "MON_VM_REQ: pages 0 not in 1..512");
	build(MON_VM_REQ);
	m.vm.pages = SPAN_VM_MAX_PAGES + 1;
	CHECK_EQ(check(MON_VM_REQ), ERR_SYNTAX);
	build(MON_VM_REQ);
	m.vm.mode = MON_VM_LAZY;
	CHECK_EQ(check(MON_VM_REQ), ERR_OK);
	m.vm.mode = MON_VM_LAZY + 1;
	CHECK_EQ(check(MON_VM_REQ), ERR_SYNTAX);
	build(MON_VM_FWD);
	GOOD(MON_VM_FWD);
	m.vm_fwd.va = 0x5000000010ull;
	CHECK_EQ(check(MON_VM_FWD), ERR_SYNTAX);
	build(MON_VM_FWD);
	m.vm_fwd.home_core = 4;
	CHECK_EQ(check(MON_VM_FWD), ERR_SYNTAX);
	build(MON_VM_FWD);
	m.vm_fwd.forward = 2;
	CHECK_EQ(check(MON_VM_FWD), ERR_SYNTAX);
	build(MON_VM_FWD_REPLY);
	m.vm_fwd.pages = 0;
	CHECK_EQ(check(MON_VM_FWD_REPLY), ERR_SYNTAX);
	build(MON_VM_REQ);
	m.vm.pa_flags = 0x2345000 | 4;
	CHECK_EQ(check(MON_VM_REQ), ERR_SYNTAX);
}

static void t_sizes(void)
{
	CHECK_EQ(mon_msg_size(MON_SPAWN_REQ), sizeof(struct mon_spawn_req));
	CHECK_EQ(mon_msg_size(MON_SPAWN_REPLY), sizeof(struct mon_spawn_reply));
	CHECK_EQ(mon_msg_size(MON_BIND_REQ), sizeof(struct mon_name_req));
	CHECK_EQ(mon_msg_size(MON_BIND_REPLY), sizeof(struct mon_name_reply));
	CHECK_EQ(mon_msg_size(MON_BIND_FWD_REPLY), sizeof(struct mon_bind_fwd));
	CHECK_EQ(mon_msg_size(MON_NEW_CHANNEL), sizeof(struct mon_new_channel));
	CHECK_EQ(mon_msg_size(MON_MEM_RECV), sizeof(struct mon_mem));
	CHECK_EQ(mon_msg_size(MON_BCAST_ACK), sizeof(struct mon_ping));
	CHECK_EQ(mon_msg_size(MON_STOP_CORE_REPLY), sizeof(struct mon_core));
	CHECK_EQ(mon_msg_size(MON_ERROR), sizeof(struct mon_error));
	CHECK_EQ(mon_msg_size(0), 0);
	CHECK_EQ(mon_msg_size(MON_TYPE_COUNT), 0);
	CHECK_EQ(mon_msg_size(0xffff), 0);
	for (unsigned t = 1; t < MON_TYPE_COUNT; t++)
		CHECK(mon_msg_size(t) >= sizeof(struct mon_hdr) &&
		      mon_msg_size(t) <= 512);
	CHECK_EQ(mon_msg_size(MON_SPAN_DIED), sizeof(struct mon_span));
}

static void t_type_names(void)
{
	CHECK_STR(mon_type_name(MON_SPAWN_REQ), "MON_SPAWN_REQ");
	CHECK_STR(mon_type_name(MON_NEW_CHANNEL), "MON_NEW_CHANNEL");
	CHECK_STR(mon_type_name(MON_ERROR), "MON_ERROR");
	CHECK_STR(mon_type_name(0), "unknown");
	CHECK_STR(mon_type_name(MON_TYPE_COUNT), "unknown");
	CHECK_STR(mon_type_name(0xffff), "unknown");
	for (unsigned t = 1; t < MON_TYPE_COUNT; t++)
		CHECK(strncmp(mon_type_name(t), "MON_", 4) == 0);
}

static void t_every_type_accepted(void)
{
	static unsigned char buf[sizeof m + 8];

	for (unsigned t = 1; t < MON_TYPE_COUNT; t++) {
		size_t n = build(t);

		if (check(t) != ERR_OK && !test_case_failed) {
			test_case_failed = 1;
			snprintf(test_case_reason, sizeof test_case_reason,
				 "type %s refused: %s", mon_type_name(t), why);
		}
		CHECK_STR(why, "");
		/* From an odd address, and with a NULL sentence buffer. */
		memcpy(buf + 3, &m, n);
		CHECK_EQ(mon_msg_check(t, buf + 3, n, NCORES, why, sizeof why), ERR_OK);
		CHECK_EQ(mon_msg_check(t, buf + 3, n, NCORES, NULL, 0), ERR_OK);
		CHECK_EQ(mon_msg_check(t, &m, n, 65535, why, sizeof why), ERR_OK);
	}
}

/* With one core every core field must be 0. */
/* Queries: kind and entry count are checked; the entries are bytes to the
 * gate (the reader, mon_query, terminates every name). */
static void t_query(void)
{
	build(MON_QUERY_REQ);
	m.query.kind = 0;
	BAD(MON_QUERY_REQ, "MON_QUERY_REQ: kind 0 not in 1..6");
	build(MON_QUERY_REQ);
	m.query.kind = MON_Q_KIND_END;
	CHECK_EQ(check(MON_QUERY_REQ), ERR_SYNTAX);
	build(MON_QUERY_REPLY);
	m.query_reply.n = MON_QUERY_ENTRIES + 1;
	m.query_reply.total = 100;
	BAD(MON_QUERY_REPLY, "MON_QUERY_REPLY: n 9 > 8");
	build(MON_QUERY_REPLY);
	m.query_reply.n = 0;
	m.query_reply.total = 0;
	GOOD(MON_QUERY_REPLY);
}

/* The replicated registry's round messages: cores in range, a name. */
static void t_name_round(void)
{
	build(MON_NAME_COMMIT);
	m.name_round.coord = NCORES;
	BAD(MON_NAME_COMMIT, "MON_NAME_COMMIT: coord 4 >= ncores 4");
	build(MON_NAME_VOTE);
	m.name_round.core = 200;
	BAD(MON_NAME_VOTE, "MON_NAME_VOTE: core 200 >= ncores 4");
	build(MON_NAME_PREPARE);
	m.name_round.name[0] = 0;
	BAD(MON_NAME_PREPARE, "MON_NAME_PREPARE: name empty");
	build(MON_NAME_STATE);
	m.name_round.seq = 0xffffffffu;
	m.name_round.aux = 0xffffffffu;
	GOOD(MON_NAME_STATE);
}

static void t_one_core(void)
{
	build(MON_SPAWN_REQ);
	m.h.src_core = m.h.dst_core = 0;
	m.spawn.core = 0;
	CHECK_EQ(mon_msg_check(MON_SPAWN_REQ, &m, sizeof m.spawn, 1, why, sizeof why), ERR_OK);
	m.spawn.core = 1;
	CHECK_EQ(mon_msg_check(MON_SPAWN_REQ, &m, sizeof m.spawn, 1, why, sizeof why),
		 ERR_SYNTAX);
	CHECK_STR(why, "MON_SPAWN_REQ: core 1 >= ncores 1");
	build(MON_PING);
	m.h.src_core = m.h.dst_core = 0;
	CHECK_EQ(mon_msg_check(MON_PING, &m, sizeof m.ping, 0, why, sizeof why), ERR_SYNTAX);
	CHECK_STR(why, "MON_PING: h.src_core 0 >= ncores 0");
}

static void t_unknown_type(void)
{
	build(MON_PING);
	CHECK_EQ(mon_msg_check(0, &m, 40, NCORES, why, sizeof why), ERR_SYNTAX);
	CHECK_STR(why, "unknown: type 0 not a monitor message");
	CHECK_EQ(mon_msg_check(MON_TYPE_COUNT, &m, 40, NCORES, why, sizeof why), ERR_SYNTAX);
	CHECK(strstr(why, "not a monitor message") != NULL);
	CHECK_EQ(mon_msg_check(0xffff, &m, 40, NCORES, why, sizeof why), ERR_SYNTAX);
	CHECK_STR(why, "unknown: type 65535 not a monitor message");
}

static void t_lengths(void)
{
	for (unsigned t = 1; t < MON_TYPE_COUNT; t++) {
		size_t n = build(t);
		char want[MON_WHY_MAX];

		CHECK_EQ(mon_msg_check(t, &m, n - 1, NCORES, why, sizeof why), ERR_SYNTAX);
		snprintf(want, sizeof want, "%s: length %zu != %zu", mon_type_name(t), n - 1, n);
		CHECK_STR(why, want);
		CHECK_EQ(mon_msg_check(t, &m, n + 1, NCORES, why, sizeof why), ERR_SYNTAX);
		snprintf(want, sizeof want, "%s: length %zu != %zu", mon_type_name(t), n + 1, n);
		CHECK_STR(why, want);
		CHECK_EQ(mon_msg_check(t, &m, 0, NCORES, why, sizeof why), ERR_SYNTAX);
		CHECK_EQ(mon_msg_check(t, &m, sizeof(struct mon_hdr), NCORES, why, sizeof why),
			 ERR_SYNTAX);
		CHECK_EQ(mon_msg_check(t, NULL, n, NCORES, why, sizeof why), ERR_SYNTAX);
		snprintf(want, sizeof want, "%s: no message", mon_type_name(t));
		CHECK_STR(why, want);
	}
}

static void t_header(void)
{
	build(MON_PING);
	m.h.src_core = NCORES;
	BAD(MON_PING, "MON_PING: h.src_core 4 >= ncores 4");
	build(MON_PONG);
	m.h.dst_core = 0xffff;
	BAD(MON_PONG, "MON_PONG: h.dst_core 65535 >= ncores 4");
	build(MON_SPAWN_REPLY);
	m.h.err = -100;
	BAD(MON_SPAWN_REPLY, "MON_SPAWN_REPLY: h.err -100 not an err_t code");
	m.h.err = 1;
	BAD(MON_SPAWN_REPLY, "MON_SPAWN_REPLY: h.err 1 not an err_t code");
	m.h.err = INT32_MIN;
	BAD(MON_SPAWN_REPLY, "MON_SPAWN_REPLY: h.err -2147483648 not an err_t code");
	m.h.err = ERR_TOOBIG;
	GOOD(MON_SPAWN_REPLY);
	m.h.err = ERR_DEAD;
	GOOD(MON_SPAWN_REPLY);
	/* Fields nobody checks. */
	build(MON_PING);
	m.h.req_id = 0xffffffffu;
	m.h.src_domain = 0xffffffffu;
	m.ping.seq = ~0ull;
	GOOD(MON_PING);
}

static void t_chan_close(void)
{
	build(MON_CHAN_CLOSE);
	GOOD(MON_CHAN_CLOSE);
	m.chan_close.pa = 0;
	BAD(MON_CHAN_CLOSE, "MON_CHAN_CLOSE: pa is 0");
	m.chan_close.pa = 0x2345001;
	BAD(MON_CHAN_CLOSE, "MON_CHAN_CLOSE: pa 0x2345001 not page-aligned");
}

static void t_spawn(void)
{
	build(MON_SPAWN_REQ);
	m.spawn.rights = DOMAIN_RIGHT_ALL;
	GOOD(MON_SPAWN_REQ);
	m.spawn.rights = DOMAIN_RIGHT_ALL + 1;
	BAD(MON_SPAWN_REQ, "MON_SPAWN_REQ: rights 0x200 has bits 0x200 set");
	build(MON_SPAWN_REQ);
	m.spawn.args_len = 300;
	BAD(MON_SPAWN_REQ, "MON_SPAWN_REQ: args_len 300 > 256");
	build(MON_SPAWN_REQ);
	m.spawn.argc = 17;
	BAD(MON_SPAWN_REQ, "MON_SPAWN_REQ: argc 17 > 16");
	build(MON_SPAWN_REQ);
	m.spawn.core = NCORES;
	BAD(MON_SPAWN_REQ, "MON_SPAWN_REQ: core 4 >= ncores 4");
	build(MON_SPAWN_REQ);
	memset(m.spawn.program, 'a', sizeof m.spawn.program);
	BAD(MON_SPAWN_REQ, "MON_SPAWN_REQ: program not NUL-terminated");
	m.spawn.program[PROGRAM_NAME_MAX - 1] = 0;          /* 31 characters fit */
	GOOD(MON_SPAWN_REQ);
	m.spawn.program[0] = 0;
	BAD(MON_SPAWN_REQ, "MON_SPAWN_REQ: program empty");
	strcpy(m.spawn.program, "he\tllo");
	BAD(MON_SPAWN_REQ, "MON_SPAWN_REQ: program byte 2 not printable (0x09)");
	strcpy(m.spawn.program, "h\x80");
	BAD(MON_SPAWN_REQ, "MON_SPAWN_REQ: program byte 1 not printable (0x80)");
	/* args: "-n" "5" "" in 6 bytes. */
	build(MON_SPAWN_REQ);
	m.spawn.args_len = 5;
	BAD(MON_SPAWN_REQ, "MON_SPAWN_REQ: args string 2 not NUL-terminated within args_len 5");
	m.spawn.args_len = 7;
	BAD(MON_SPAWN_REQ, "MON_SPAWN_REQ: args_len 7 but the 3 strings of argc end at 6");
	m.spawn.args_len = 6;
	m.spawn.argc = 4;
	BAD(MON_SPAWN_REQ, "MON_SPAWN_REQ: args string 3 not NUL-terminated within args_len 6");
	m.spawn.argc = 2;
	BAD(MON_SPAWN_REQ, "MON_SPAWN_REQ: args_len 6 but the 2 strings of argc end at 5");
	m.spawn.argc = 3;
	m.spawn.args[3] = '\n';
	BAD(MON_SPAWN_REQ, "MON_SPAWN_REQ: args string 1 byte 0 not printable (0x0a)");
	m.spawn.args[3] = '5';
	GOOD(MON_SPAWN_REQ);
	/* No arguments at all; bytes past args_len are ignored. */
	m.spawn.argc = 0;
	m.spawn.args_len = 0;
	GOOD(MON_SPAWN_REQ);
	m.spawn.args_len = 1;
	BAD(MON_SPAWN_REQ, "MON_SPAWN_REQ: args_len 1 but the 0 strings of argc end at 0");
	/* The full buffer: 16 strings ending exactly at byte 256. */
	build(MON_SPAWN_REQ);
	memset(m.spawn.args, 'x', sizeof m.spawn.args);
	for (unsigned i = 0; i < 16; i++)
		m.spawn.args[16 * i + 15] = 0;
	m.spawn.argc = 16;
	m.spawn.args_len = PROGRAM_ARGS_MAX;
	GOOD(MON_SPAWN_REQ);
	m.spawn.args[PROGRAM_ARGS_MAX - 1] = 'x';
	BAD(MON_SPAWN_REQ,
	    "MON_SPAWN_REQ: args string 15 not NUL-terminated within args_len 256");
	build(MON_SPAWN_REQ);
	m.spawn.argc = 0xffffffffu;
	m.spawn.args_len = 0xffffffffu;
	BAD(MON_SPAWN_REQ, "MON_SPAWN_REQ: argc 4294967295 > 16");
	build(MON_SPAWN_REPLY);
	m.spawn_reply.core = 9;
	BAD(MON_SPAWN_REPLY, "MON_SPAWN_REPLY: core 9 >= ncores 4");
}

static void t_name_requests(void)
{
	static const uint16_t types[] = { MON_REGISTER_REQ, MON_LOOKUP_REQ, MON_BIND_REQ };
	char want[MON_WHY_MAX];

	for (unsigned i = 0; i < 3; i++) {
		uint16_t t = types[i];
		const char *tn = mon_type_name(t);

		build(t);
		m.name_req.name[0] = 0;
		snprintf(want, sizeof want, "%s: name empty", tn);
		BAD(t, want);
		memset(m.name_req.name, 'n', PROGRAM_NAME_MAX);
		snprintf(want, sizeof want, "%s: name not NUL-terminated", tn);
		BAD(t, want);
		build(t);
		m.name_req.name[4] = 0x7f;
		snprintf(want, sizeof want, "%s: name byte 4 not printable (0x7f)", tn);
		BAD(t, want);
		build(t);
		m.name_req.core = NCORES;
		snprintf(want, sizeof want, "%s: core 4 >= ncores 4", tn);
		BAD(t, want);
		build(t);
		m.name_req.pages = 0;
		if (t == MON_BIND_REQ) {
			BAD(t, "MON_BIND_REQ: pages 0 not in 1..16");
			m.name_req.pages = CHAN_MAX_PAGES + 1;
			BAD(t, "MON_BIND_REQ: pages 17 not in 1..16");
			m.name_req.pages = CHAN_MAX_PAGES;
		}
		GOOD(t);
		/* Bytes after the NUL do not matter. */
		m.name_req.name[PROGRAM_NAME_MAX - 1] = 1;
		GOOD(t);
	}
}

static void t_name_replies(void)
{
	build(MON_LOOKUP_REPLY);
	m.name_reply.core = NCORES;
	BAD(MON_LOOKUP_REPLY, "MON_LOOKUP_REPLY: core 4 >= ncores 4");
	build(MON_LOOKUP_REPLY);
	m.name_reply.va = 3;            /* va and side mean nothing in a lookup */
	m.name_reply.side = 7;
	GOOD(MON_LOOKUP_REPLY);
	build(MON_BIND_REPLY);
	m.name_reply.va = 0x2000000010ull;
	BAD(MON_BIND_REPLY, "MON_BIND_REPLY: va 0x2000000010 not page-aligned");
	m.name_reply.va = 0;
	BAD(MON_BIND_REPLY, "MON_BIND_REPLY: va is 0");
	m.h.err = ERR_NOENT;            /* a refusal carries no channel */
	GOOD(MON_BIND_REPLY);
	build(MON_BIND_REPLY);
	m.name_reply.side = 1;
	GOOD(MON_BIND_REPLY);
	m.name_reply.side = 2;
	BAD(MON_BIND_REPLY, "MON_BIND_REPLY: side 2 not 0 or 1");
}

static void t_bind_fwd(void)
{
	build(MON_BIND_FWD);
	m.bind_fwd.pa = 0;              /* the forward carries no area yet */
	GOOD(MON_BIND_FWD);
	m.bind_fwd.client_core = 5;
	BAD(MON_BIND_FWD, "MON_BIND_FWD: client_core 5 >= ncores 4");
	build(MON_BIND_FWD);
	m.bind_fwd.pages = 0;
	BAD(MON_BIND_FWD, "MON_BIND_FWD: pages 0 not in 1..16");
	build(MON_BIND_FWD);
	m.bind_fwd.name[0] = 0;
	BAD(MON_BIND_FWD, "MON_BIND_FWD: name empty");
	build(MON_BIND_FWD_REPLY);
	m.bind_fwd.pa = 0x1234001;
	BAD(MON_BIND_FWD_REPLY, "MON_BIND_FWD_REPLY: pa 0x1234001 not page-aligned");
	m.bind_fwd.pa = 0;
	BAD(MON_BIND_FWD_REPLY, "MON_BIND_FWD_REPLY: pa is 0");
	m.h.err = ERR_NOMEM;
	GOOD(MON_BIND_FWD_REPLY);
	m.bind_fwd.pages = 17;
	BAD(MON_BIND_FWD_REPLY, "MON_BIND_FWD_REPLY: pages 17 not in 1..16");
	build(MON_BIND_FWD_REPLY);
	memset(m.bind_fwd.name, '!', sizeof m.bind_fwd.name);
	BAD(MON_BIND_FWD_REPLY, "MON_BIND_FWD_REPLY: name not NUL-terminated");
}

static void t_new_channel(void)
{
	build(MON_NEW_CHANNEL);
	m.new_channel.va = 0;
	BAD(MON_NEW_CHANNEL, "MON_NEW_CHANNEL: va is 0");
	m.new_channel.va = 0x800;
	BAD(MON_NEW_CHANNEL, "MON_NEW_CHANNEL: va 0x800 not page-aligned");
	build(MON_NEW_CHANNEL);
	m.new_channel.side = 2;
	BAD(MON_NEW_CHANNEL, "MON_NEW_CHANNEL: side 2 not 0 or 1");
	build(MON_NEW_CHANNEL);
	m.new_channel.peer_core = NCORES;
	BAD(MON_NEW_CHANNEL, "MON_NEW_CHANNEL: peer_core 4 >= ncores 4");
	build(MON_NEW_CHANNEL);
	m.new_channel.pages = 0;
	BAD(MON_NEW_CHANNEL, "MON_NEW_CHANNEL: pages 0 not in 1..16");
	build(MON_NEW_CHANNEL);
	m.new_channel.name[0] = 0;
	BAD(MON_NEW_CHANNEL, "MON_NEW_CHANNEL: name empty");
}

static void t_mem(void)
{
	static const uint16_t types[] = { MON_MEM_ALLOC_REQ, MON_MEM_ALLOC_REPLY,
		MON_MEM_SEND_REQ, MON_MEM_SEND_REPLY, MON_MEM_FWD, MON_MEM_RECV,
		MON_MEM_FREE_REQ, MON_MEM_FREE_REPLY, MON_MEM_RETURN };
	char want[MON_WHY_MAX];

	for (unsigned i = 0; i < sizeof types / sizeof types[0]; i++) {
		uint16_t t = types[i];
		const char *tn = mon_type_name(t);
		bool pa_used = t != MON_MEM_ALLOC_REQ;

		build(t);
		m.mem.npages = 0;
		snprintf(want, sizeof want, "%s: npages 0 not in 1..16", tn);
		BAD(t, want);
		m.mem.npages = MON_MEM_PAGES + 1;
		snprintf(want, sizeof want, "%s: npages 17 not in 1..16", tn);
		BAD(t, want);
		build(t);
		m.mem.core = NCORES;
		snprintf(want, sizeof want, "%s: core 4 >= ncores 4", tn);
		BAD(t, want);
		build(t);
		m.mem.pa[2] = 0x300008;
		if (pa_used) {
			snprintf(want, sizeof want, "%s: pa[2] 0x300008 not page-aligned", tn);
			BAD(t, want);
			m.mem.pa[2] = 0;
			snprintf(want, sizeof want, "%s: pa[2] is 0", tn);
			BAD(t, want);
			m.mem.npages = 2;       /* pa[2] no longer used */
		}
		GOOD(t);
		/* All 16 pages used. */
		build(t);
		m.mem.npages = MON_MEM_PAGES;
		for (unsigned j = 0; j < MON_MEM_PAGES; j++)
			m.mem.pa[j] = 0xfffff000ull << 12 | (uint64_t)j << 12;
		GOOD(t);
		m.mem.pa[MON_MEM_PAGES - 1] |= 1;
		if (pa_used) {
			snprintf(want, sizeof want, "%s: pa[15] 0xfffff00f001 not page-aligned", tn);
			BAD(t, want);
		} else {
			GOOD(t);
		}
	}
	/* A refused allocation or send returns no frames. */
	build(MON_MEM_ALLOC_REPLY);
	m.mem.pa[0] = 1;
	m.h.err = ERR_NOMEM;
	GOOD(MON_MEM_ALLOC_REPLY);
	build(MON_MEM_SEND_REPLY);
	m.mem.pa[0] = 0;
	m.h.err = ERR_PERM;
	GOOD(MON_MEM_SEND_REPLY);
	build(MON_MEM_FREE_REPLY);
	m.mem.pa[0] = 0;
	m.h.err = ERR_PERM;
	GOOD(MON_MEM_FREE_REPLY);
	build(MON_MEM_FREE_REQ);
	m.mem.pa[0] = 0;
	m.h.err = ERR_PERM;
	BAD(MON_MEM_FREE_REQ, "MON_MEM_FREE_REQ: pa[0] is 0");
	/* ...but a request's err is not an excuse. */
	build(MON_MEM_SEND_REQ);
	m.mem.pa[0] = 0;
	m.h.err = ERR_PERM;
	BAD(MON_MEM_SEND_REQ, "MON_MEM_SEND_REQ: pa[0] is 0");
}

static void t_ping_core_error(void)
{
	build(MON_BCAST_ACK);
	m.ping.count = NCORES + 1;
	BAD(MON_BCAST_ACK, "MON_BCAST_ACK: count 5 > ncores 4");
	m.ping.count = 0;
	GOOD(MON_BCAST_ACK);
	build(MON_BCAST);
	m.ping.count = 0xffffffffu;     /* meaningful only in the ack */
	GOOD(MON_BCAST);
	static const uint16_t cores[] = { MON_CORE_DOWN, MON_STOP_CORE_REQ,
					  MON_STOP_CORE_REPLY, MON_SUSPECT, MON_REFUTE };
	for (unsigned i = 0; i < sizeof cores / sizeof cores[0]; i++) {
		char want[MON_WHY_MAX];

		build(cores[i]);
		m.core.core = NCORES;
		snprintf(want, sizeof want, "%s: core 4 >= ncores 4", mon_type_name(cores[i]));
		BAD(cores[i], want);
	}
	build(MON_ERROR);
	m.error.why[0] = 0;             /* an empty reason is allowed */
	GOOD(MON_ERROR);
	memset(m.error.why, 'w', sizeof m.error.why);
	BAD(MON_ERROR, "MON_ERROR: why not NUL-terminated");
	m.error.why[MON_WHY_MAX - 1] = 0;
	GOOD(MON_ERROR);
	m.error.why[7] = '\r';
	BAD(MON_ERROR, "MON_ERROR: why byte 7 not printable (0x0d)");
}

/* The sentence is cut, never overrun; no buffer at all is fine too. */
static void t_why_buffer(void)
{
	char small[20];

	build(MON_SPAWN_REQ);
	m.spawn.args_len = 300;
	memset(small, 'z', sizeof small);
	CHECK_EQ(mon_msg_check(MON_SPAWN_REQ, &m, sizeof m.spawn, NCORES, small, 8),
		 ERR_SYNTAX);
	CHECK_STR(small, "MON_SPA");
	CHECK_EQ(small[8], 'z');
	CHECK_EQ(mon_msg_check(MON_SPAWN_REQ, &m, sizeof m.spawn, NCORES, small, 16),
		 ERR_SYNTAX);
	CHECK_STR(small, "MON_SPAWN_REQ: ");
	CHECK_EQ(mon_msg_check(MON_SPAWN_REQ, &m, sizeof m.spawn, NCORES, small, 0),
		 ERR_SYNTAX);
	CHECK_EQ(mon_msg_check(MON_SPAWN_REQ, &m, sizeof m.spawn, NCORES, NULL, 0),
		 ERR_SYNTAX);
	CHECK_EQ(mon_msg_check(MON_SPAWN_REQ, &m, sizeof m.spawn, NCORES, NULL, 99),
		 ERR_SYNTAX);
	/* The longest sentence fits MON_WHY_MAX. */
	build(MON_MEM_RECV);
	m.mem.npages = MON_MEM_PAGES;
	m.mem.pa[0] = ~0ull;
	BAD(MON_MEM_RECV, "MON_MEM_RECV: pa[0] 0xffffffffffffffff not page-aligned");
	build(MON_SPAWN_REQ);
	m.spawn.argc = 16;
	m.spawn.args_len = 256;
	memset(m.spawn.args, 0, sizeof m.spawn.args);
	m.spawn.args_len = 255;
	m.h.dst_core = 0;
	CHECK_EQ(mon_msg_check(MON_SPAWN_REQ, &m, sizeof m.spawn, 4000000000u, why, sizeof why),
		 ERR_SYNTAX);
	CHECK_STR(why, "MON_SPAWN_REQ: args_len 255 but the 16 strings of argc end at 16");
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 33);
}

/* Random bytes, and valid messages with a few random bytes changed. */
static void t_garbage(void)
{
	static unsigned char buf[sizeof m];
	unsigned accepted = 0, refused = 0;

	for (unsigned iter = 0; iter < 200000; iter++) {
		uint16_t t = (uint16_t)(rng() % (MON_TYPE_COUNT + 2));
		size_t n = mon_msg_size(t);
		unsigned ncores = rng() % 8;
		err_t e;

		if (iter % 2 && n) {
			build(t);
			memcpy(buf, &m, n);
			for (unsigned k = rng() % 4; k > 0; k--)
				buf[rng() % n] = (unsigned char)rng();
		} else {
			for (size_t i = 0; i < sizeof buf; i++)
				buf[i] = (unsigned char)rng();
			if (rng() % 2)
				memset(buf, 0, 4);          /* cores 0: get past the route */
		}
		if (rng() % 16 == 0)
			n = rng() % sizeof buf;
		memset(why, 0x77, sizeof why);
		e = mon_msg_check(t, buf, n, ncores, why, sizeof why);
		CHECK(e == ERR_OK || e == ERR_SYNTAX);
		CHECK(memchr(why, 0, sizeof why) != NULL);
		if (e == ERR_OK) {
			accepted++;
			CHECK_STR(why, "");
			CHECK(n == mon_msg_size(t));
		} else {
			refused++;
			CHECK(strncmp(why, mon_type_name(t), strlen(mon_type_name(t))) == 0);
			CHECK(strlen(why) > strlen(mon_type_name(t)) + 2);
		}
	}
	CHECK(accepted > 1000);
	CHECK(refused > 1000);
}

int main(void)
{
	RUN(t_sizes);
	RUN(t_span);
	RUN(t_type_names);
	RUN(t_every_type_accepted);
	RUN(t_one_core);
	RUN(t_unknown_type);
	RUN(t_lengths);
	RUN(t_header);
	RUN(t_spawn);
	RUN(t_chan_close);
	RUN(t_name_requests);
	RUN(t_name_replies);
	RUN(t_bind_fwd);
	RUN(t_new_channel);
	RUN(t_mem);
	RUN(t_ping_core_error);
	RUN(t_query);
	RUN(t_name_round);
	RUN(t_why_buffer);
	RUN(t_garbage);
	return test_summary();
}
