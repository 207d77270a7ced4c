/*
 * libFuzzer target for mon_msg_check(), generated from if/monitor.if.
 *
 * Input: bytes 0-1 the message type (little-endian, any 16-bit value),
 * byte 2 ncores (0..255), the rest the message, passed unaligned and with
 * its exact length.  Besides the sanitizers, each verdict is compared with
 * an independent oracle in this file, written from include/monitor/proto.h
 * and the rules of if/monitor.if as a table of fields per
 * type:
 *  - accepted exactly when the oracle finds no broken rule; so an accepted
 *    message has the type's exact size, routes < ncores, a known err, every
 *    string terminated and printable (names non-empty), spawn arguments
 *    exactly argc strings in args_len, counts in range, used page addresses
 *    aligned and nonzero, core fields < ncores;
 *  - the result is ERR_OK or ERR_SYNTAX, the sentence empty on ERR_OK and
 *    otherwise "<type name>: <field> ..." naming one of the fields the
 *    oracle found broken, NUL-terminated within MON_WHY_MAX;
 *  - a smaller sentence buffer gets a prefix of the same sentence, and none
 *    at all the same verdict;
 *  - more cores never turn an accepted message into a refused one;
 *  - the message bytes are not written.
 */
#include <monitor/proto.h>
#include <sys/monitor.h>
#include <sys/rights.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARGC_MAX 16
#define PAGE 4096u

static void fail(const char *what, uint16_t type)
{
	fprintf(stderr, "fuzz_monproto: %s (type %u)\n", what, type);
	abort();
}

enum kind {
	F_END,
	F_CORE,         /* uint32 < ncores */
	F_NAME,         /* string, non-empty */
	F_TEXT,         /* string, may be empty */
	F_CHAN_PAGES,   /* uint32 in 1..CHAN_MAX_PAGES */
	F_SIDE,         /* uint32 0 or 1 */
	F_PAGE,         /* uint64 nonzero, page-aligned */
	F_PAGE_IF_OK,   /* F_PAGE when h.err == ERR_OK */
	F_MEM,          /* npages (here) in 1..MON_MEM_PAGES, then pa[] */
	F_SPAWN,        /* argc, args_len, then program and args */
	F_CORE_COUNT,   /* uint32 <= ncores */
	F_PAGE_OR_ZERO, /* uint64 zero or page-aligned */
	F_VM_OP,        /* uint32 SPAN_VM_MAP, SPAN_VM_UNMAP or SPAN_VM_PROTECT */
	F_VM_PAGES,     /* uint32 in 1..SPAN_VM_MAX_PAGES */
	F_VM_MODE,      /* uint32 <= MON_VM_LAZY */
	F_BIT,          /* uint32 0 or 1 */
	F_PA_FLAGS,     /* uint64 whose low 12 bits are at most 3 */
	F_QKIND,        /* uint32 in MON_Q_PS..MON_Q_KIND_END-1 */
	F_QN,           /* uint32 n <= MON_QUERY_ENTRIES */
	F_MUTE_MS,      /* uint32 in 1..MON_MUTE_MS_MAX */
};

struct field {
	enum kind kind;
	size_t off;
	size_t size;            /* of a string field */
	const char *name;
};

#define END { F_END, 0, 0, NULL }
#define CORE(st, f) { F_CORE, offsetof(struct st, f), 0, #f }
#define NAME(st, f) { F_NAME, offsetof(struct st, f), sizeof(((struct st *)0)->f), #f }

static const struct field name_req_f[] = { CORE(mon_name_req, core), NAME(mon_name_req, name), END };
static const struct field bind_req_f[] = { CORE(mon_name_req, core),
	{ F_CHAN_PAGES, offsetof(struct mon_name_req, pages), 0, "pages" },
	NAME(mon_name_req, name), END };
static const struct field name_reply_f[] = { CORE(mon_name_reply, core), END };
static const struct field bind_reply_f[] = { CORE(mon_name_reply, core),
	{ F_PAGE_IF_OK, offsetof(struct mon_name_reply, va), 0, "va" },
	{ F_SIDE, offsetof(struct mon_name_reply, side), 0, "side" }, END };
static const struct field bind_fwd_f[] = { CORE(mon_bind_fwd, client_core),
	{ F_CHAN_PAGES, offsetof(struct mon_bind_fwd, pages), 0, "pages" },
	NAME(mon_bind_fwd, name), END };
static const struct field bind_fwd_reply_f[] = { CORE(mon_bind_fwd, client_core),
	{ F_CHAN_PAGES, offsetof(struct mon_bind_fwd, pages), 0, "pages" },
	{ F_PAGE_IF_OK, offsetof(struct mon_bind_fwd, pa), 0, "pa" },
	NAME(mon_bind_fwd, name), END };
static const struct field new_channel_f[] = {
	{ F_PAGE, offsetof(struct mon_new_channel, va), 0, "va" },
	{ F_SIDE, offsetof(struct mon_new_channel, side), 0, "side" },
	CORE(mon_new_channel, peer_core),
	{ F_CHAN_PAGES, offsetof(struct mon_new_channel, pages), 0, "pages" },
	NAME(mon_new_channel, name), END };
static const struct field mem_f[] = { CORE(mon_mem, core),
	{ F_MEM, offsetof(struct mon_mem, npages), 0, "npages" }, END };
static const struct field spawn_f[] = { CORE(mon_spawn_req, core),
	{ F_SPAWN, 0, 0, "argc" }, END };
static const struct field spawn_reply_f[] = { CORE(mon_spawn_reply, core), END };
static const struct field ping_f[] = { END };
static const struct field chan_close_f[] = {
	{ F_PAGE, offsetof(struct mon_chan_close, pa), 0, "pa" }, END };
static const struct field ack_f[] = {
	{ F_CORE_COUNT, offsetof(struct mon_ping, count), 0, "count" }, END };
static const struct field core_f[] = { CORE(mon_core, core), END };
static const struct field span_f[] = { CORE(mon_span, core),
	{ F_PAGE_OR_ZERO, offsetof(struct mon_span, list_pa), 0, "list_pa" }, END };
static const struct field vm_f[] = {
	{ F_VM_OP, offsetof(struct mon_vm, op), 0, "op" },
	{ F_PAGE, offsetof(struct mon_vm, va), 0, "va" },
	{ F_PA_FLAGS, offsetof(struct mon_vm, pa_flags), 0, "pa_flags" },
	{ F_VM_PAGES, offsetof(struct mon_vm, pages), 0, "pages" },
	{ F_VM_MODE, offsetof(struct mon_vm, mode), 0, "mode" }, END };
static const struct field vm_fwd_f[] = {
	{ F_VM_OP, offsetof(struct mon_vm_fwd, op), 0, "op" },
	{ F_PAGE, offsetof(struct mon_vm_fwd, va), 0, "va" },
	{ F_PA_FLAGS, offsetof(struct mon_vm_fwd, pa_flags), 0, "pa_flags" },
	{ F_VM_PAGES, offsetof(struct mon_vm_fwd, pages), 0, "pages" },
	CORE(mon_vm_fwd, home_core),
	{ F_BIT, offsetof(struct mon_vm_fwd, forward), 0, "forward" }, END };
static const struct field query_f[] = {
	{ F_QKIND, offsetof(struct mon_query_req, kind), 0, "kind" },
	CORE(mon_query_req, core), END };
static const struct field query_reply_f[] = {
	{ F_QKIND, offsetof(struct mon_query_reply, kind), 0, "kind" },
	CORE(mon_query_reply, core),
	{ F_QN, offsetof(struct mon_query_reply, n), 0, "n" }, END };
static const struct field name_round_f[] = { CORE(mon_name_round, coord),
	CORE(mon_name_round, core), NAME(mon_name_round, name), END };
static const struct field mute_f[] = { CORE(mon_mute, core),
	{ F_MUTE_MS, offsetof(struct mon_mute, ms), 0, "ms" }, END };
static const struct field error_f[] = {
	{ F_TEXT, offsetof(struct mon_error, why), MON_WHY_MAX, "why" }, END };

static const struct {
	size_t size;
	const struct field *fields;
	const char *name;
} types[] = {
	[MON_SPAWN_REQ]       = { 356, spawn_f, "MON_SPAWN_REQ" },
	[MON_SPAWN_REPLY]     = { 24, spawn_reply_f, "MON_SPAWN_REPLY" },
	[MON_REGISTER_REQ]    = { 64, name_req_f, "MON_REGISTER_REQ" },
	[MON_REGISTER_REPLY]  = { 40, name_reply_f, "MON_REGISTER_REPLY" },
	[MON_LOOKUP_REQ]      = { 64, name_req_f, "MON_LOOKUP_REQ" },
	[MON_LOOKUP_REPLY]    = { 40, name_reply_f, "MON_LOOKUP_REPLY" },
	[MON_BIND_REQ]        = { 64, bind_req_f, "MON_BIND_REQ" },
	[MON_BIND_REPLY]      = { 40, bind_reply_f, "MON_BIND_REPLY" },
	[MON_BIND_FWD]        = { 72, bind_fwd_f, "MON_BIND_FWD" },
	[MON_BIND_FWD_REPLY]  = { 72, bind_fwd_reply_f, "MON_BIND_FWD_REPLY" },
	[MON_NEW_CHANNEL]     = { 72, new_channel_f, "MON_NEW_CHANNEL" },
	[MON_MEM_ALLOC_REQ]   = { 160, mem_f, "MON_MEM_ALLOC_REQ" },
	[MON_MEM_ALLOC_REPLY] = { 160, mem_f, "MON_MEM_ALLOC_REPLY" },
	[MON_MEM_SEND_REQ]    = { 160, mem_f, "MON_MEM_SEND_REQ" },
	[MON_MEM_SEND_REPLY]  = { 160, mem_f, "MON_MEM_SEND_REPLY" },
	[MON_MEM_FWD]         = { 160, mem_f, "MON_MEM_FWD" },
	[MON_MEM_RECV]        = { 160, mem_f, "MON_MEM_RECV" },
	[MON_PING]            = { 40, ping_f, "MON_PING" },
	[MON_PONG]            = { 40, ping_f, "MON_PONG" },
	[MON_BCAST]           = { 40, ping_f, "MON_BCAST" },
	[MON_BCAST_ACK]       = { 40, ack_f, "MON_BCAST_ACK" },
	[MON_CORE_DOWN]       = { 24, core_f, "MON_CORE_DOWN" },
	[MON_STOP_CORE_REQ]   = { 24, core_f, "MON_STOP_CORE_REQ" },
	[MON_STOP_CORE_REPLY] = { 24, core_f, "MON_STOP_CORE_REPLY" },
	[MON_ERROR]           = { 144, error_f, "MON_ERROR" },
	[MON_SPAN_REQ]        = { 48, span_f, "MON_SPAN_REQ" },
	[MON_SPAN_REPLY]      = { 48, span_f, "MON_SPAN_REPLY" },
	[MON_SPAN_END]        = { 48, span_f, "MON_SPAN_END" },
	[MON_SPAN_END_REPLY]  = { 48, span_f, "MON_SPAN_END_REPLY" },
	[MON_SPAN_DIED]       = { 48, span_f, "MON_SPAN_DIED" },
	[MON_VM_REQ]          = { 48, vm_f, "MON_VM_REQ" },
	[MON_VM_REPLY]        = { 48, vm_f, "MON_VM_REPLY" },
	[MON_VM_FWD]          = { 88, vm_fwd_f, "MON_VM_FWD" },
	[MON_VM_FWD_REPLY]    = { 88, vm_fwd_f, "MON_VM_FWD_REPLY" },
	[MON_DOMAIN_END]      = { 24, ping_f, "MON_DOMAIN_END" },
	[MON_CHAN_CLOSE]      = { 24, chan_close_f, "MON_CHAN_CLOSE" },
	[MON_SUSPECT]         = { 24, core_f, "MON_SUSPECT" },
	[MON_REFUTE]          = { 24, core_f, "MON_REFUTE" },
	[MON_QUERY_REQ]       = { 40, query_f, "MON_QUERY_REQ" },
	[MON_QUERY_REPLY]     = { 480, query_reply_f, "MON_QUERY_REPLY" },
	[MON_RESTART_CORE_REQ]   = { 24, core_f, "MON_RESTART_CORE_REQ" },
	[MON_RESTART_CORE_REPLY] = { 24, core_f, "MON_RESTART_CORE_REPLY" },
	[MON_CORE_UP]            = { 24, core_f, "MON_CORE_UP" },
	[MON_NAME_PREPARE]    = { 72, name_round_f, "MON_NAME_PREPARE" },
	[MON_NAME_VOTE]       = { 72, name_round_f, "MON_NAME_VOTE" },
	[MON_NAME_COMMIT]     = { 72, name_round_f, "MON_NAME_COMMIT" },
	[MON_NAME_ABORT]      = { 72, name_round_f, "MON_NAME_ABORT" },
	[MON_NAME_STATE]      = { 72, name_round_f, "MON_NAME_STATE" },
	[MON_MEM_FREE_REQ]    = { 160, mem_f, "MON_MEM_FREE_REQ" },
	[MON_MEM_FREE_REPLY]  = { 160, mem_f, "MON_MEM_FREE_REPLY" },
	[MON_MEM_RETURN]      = { 160, mem_f, "MON_MEM_RETURN" },
	[MON_MUTE_CORE_REQ]   = { 24, mute_f, "MON_MUTE_CORE_REQ" },
	[MON_MUTE_CORE_REPLY] = { 24, mute_f, "MON_MUTE_CORE_REPLY" },
	[MON_POOL_QUERY]      = { 24, core_f, "MON_POOL_QUERY" },
	[MON_POOL_CLEAR]      = { 24, core_f, "MON_POOL_CLEAR" },
};
#define NTYPES (sizeof types / sizeof types[0])
_Static_assert(NTYPES == MON_TYPE_COUNT, "oracle knows every type");

/* The broken fields the oracle found. */
static const char *broken[16];
static unsigned nbroken;

static void mark(const char *field)
{
	if (nbroken < 16)
		broken[nbroken++] = field;
}

static uint32_t u32(const uint8_t *m, size_t off)
{
	uint32_t v;

	memcpy(&v, m + off, 4);
	return v;
}

static uint64_t u64(const uint8_t *m, size_t off)
{
	uint64_t v;

	memcpy(&v, m + off, 8);
	return v;
}

static bool good_string(const uint8_t *s, size_t size, bool nonempty)
{
	const uint8_t *nul = memchr(s, 0, size);

	if (!nul || (nonempty && nul == s))
		return false;
	for (const uint8_t *p = s; p < nul; p++)
		if (*p < ' ' || *p > '~')
			return false;
	return true;
}

static bool good_page(uint64_t a)
{
	return a != 0 && (a & (PAGE - 1)) == 0;
}

static bool is_reply(uint16_t type)
{
	return type == MON_MEM_ALLOC_REPLY || type == MON_MEM_SEND_REPLY ||
	       type == MON_MEM_FREE_REPLY;
}

static void oracle_spawn(const uint8_t *m)
{
	uint32_t argc = u32(m, offsetof(struct mon_spawn_req, argc));
	uint32_t len = u32(m, offsetof(struct mon_spawn_req, args_len));
	const uint8_t *args = m + offsetof(struct mon_spawn_req, args);
	uint32_t nuls = 0;
	bool ok = true;

	if (argc > ARGC_MAX)
		mark("argc");
	if (len > PROGRAM_ARGS_MAX)
		mark("args_len");
	if (!good_string(m + offsetof(struct mon_spawn_req, program), PROGRAM_NAME_MAX, true))
		mark("program");
	if (u32(m, offsetof(struct mon_spawn_req, rights)) & ~DOMAIN_RIGHT_ALL)
		mark("rights");
	if (argc > ARGC_MAX || len > PROGRAM_ARGS_MAX)
		return;
	/* The used bytes are argc printable runs each closed by a NUL: every
	 * byte printable or NUL, argc NULs, and the last byte one of them. */
	for (uint32_t i = 0; i < len; i++) {
		if (args[i] == 0)
			nuls++;
		else if (args[i] < ' ' || args[i] > '~')
			ok = false;
	}
	if (nuls != argc || (len > 0 && args[len - 1] != 0))
		ok = false;
	if (!ok) {
		mark("args");
		mark("args_len");
	}
}

/* True if the message passes every rule; broken fields in broken[]. */
static bool oracle(uint16_t type, const uint8_t *m, size_t len, unsigned ncores)
{
	int32_t err;

	nbroken = 0;
	if (type == 0 || type >= NTYPES) {
		mark("type");
		return false;
	}
	if (len != types[type].size) {
		mark("length");
		return false;
	}
	if (u32(m, 0) % 65536 >= ncores)
		mark("h.src_core");
	if (u32(m, 0) / 65536 >= ncores)
		mark("h.dst_core");
	memcpy(&err, m + 12, 4);
	if (err > 0 || err < ERR_FOREIGN)
		mark("h.err");
	for (const struct field *f = types[type].fields; f->kind != F_END; f++) {
		switch (f->kind) {
		case F_CORE:
			if (u32(m, f->off) >= ncores)
				mark(f->name);
			break;
		case F_NAME:
		case F_TEXT:
			if (!good_string(m + f->off, f->size, f->kind == F_NAME))
				mark(f->name);
			break;
		case F_CHAN_PAGES:
			if (u32(m, f->off) < 1 || u32(m, f->off) > CHAN_MAX_PAGES)
				mark(f->name);
			break;
		case F_SIDE:
			if (u32(m, f->off) > 1)
				mark(f->name);
			break;
		case F_PAGE:
			if (!good_page(u64(m, f->off)))
				mark(f->name);
			break;
		case F_VM_OP:
			if (u32(m, f->off) != SPAN_VM_MAP && u32(m, f->off) != SPAN_VM_UNMAP &&
			    u32(m, f->off) != SPAN_VM_PROTECT)
				mark(f->name);
			break;
		case F_VM_PAGES:
			if (u32(m, f->off) < 1 || u32(m, f->off) > SPAN_VM_MAX_PAGES)
				mark(f->name);
			break;
		case F_MUTE_MS:
			if (u32(m, f->off) < 1 || u32(m, f->off) > MON_MUTE_MS_MAX)
				mark(f->name);
			break;
		case F_VM_MODE:
			if (u32(m, f->off) > MON_VM_LAZY)
				mark(f->name);
			break;
		case F_BIT:
			if (u32(m, f->off) > 1)
				mark(f->name);
			break;
		case F_PA_FLAGS:
			if ((u64(m, f->off) & 0xfff) > 3)
				mark(f->name);
			break;
		case F_PAGE_OR_ZERO:
			if (u64(m, f->off) && !good_page(u64(m, f->off)))
				mark(f->name);
			break;
		case F_PAGE_IF_OK:
			if (err == ERR_OK && !good_page(u64(m, f->off)))
				mark(f->name);
			break;
		case F_MEM: {
			uint32_t n = u32(m, f->off);

			if (n < 1 || n > MON_MEM_PAGES) {
				mark(f->name);
				break;
			}
			if (type == MON_MEM_ALLOC_REQ || (is_reply(type) && err != ERR_OK))
				break;
			for (uint32_t i = 0; i < n; i++)
				if (!good_page(u64(m, offsetof(struct mon_mem, pa) + 8 * i)))
					mark("pa");
			break;
		}
		case F_SPAWN:
			oracle_spawn(m);
			break;
		case F_CORE_COUNT:
			if (u32(m, f->off) > ncores)
				mark(f->name);
			break;
		case F_QKIND:
			if (u32(m, f->off) < MON_Q_PS || u32(m, f->off) >= MON_Q_KIND_END)
				mark(f->name);
			break;
		case F_QN:
			if (u32(m, f->off) > MON_QUERY_ENTRIES)
				mark(f->name);
			break;
		case F_END:
			break;
		}
	}
	return nbroken == 0;
}

/* why must be "<type>: <field>..." for a field in broken[]. */
static void check_sentence(uint16_t type, const char *why)
{
	const char *tn = type > 0 && type < NTYPES ? types[type].name : "unknown";
	size_t tl = strlen(tn), fl;

	if (strcmp(mon_type_name(type), tn) != 0)
		fail("mon_type_name", type);
	if (strncmp(why, tn, tl) != 0 || strncmp(why + tl, ": ", 2) != 0)
		fail("sentence does not start with the type's name", type);
	why += tl + 2;
	fl = strcspn(why, " [");
	if (why[fl] == 0)
		fail("sentence names a field and says what is wrong", type);
	if (fl == 2 && strncmp(why, "no", 2) == 0)
		fail("NULL message reported for a real one", type);
	for (unsigned i = 0; i < nbroken; i++)
		if (strlen(broken[i]) == fl && strncmp(why, broken[i], fl) == 0)
			return;
	fprintf(stderr, "fuzz_monproto: sentence \"%s\" names no broken field:", why);
	for (unsigned i = 0; i < nbroken; i++)
		fprintf(stderr, " %s", broken[i]);
	fprintf(stderr, "\n");
	fail("sentence names the wrong field", type);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t before[1 << 16];
	char why[MON_WHY_MAX + 8], small[MON_WHY_MAX];
	const uint8_t *msg = data + 3;
	size_t len;
	uint16_t type;
	unsigned ncores;
	bool want;
	err_t e, e2;

	if (size < 3 || size - 3 > sizeof before)
		return 0;
	type = (uint16_t)(data[0] | data[1] << 8);
	ncores = data[2];
	len = size - 3;
	memcpy(before, msg, len);
	memset(why, 0x77, sizeof why);
	e = mon_msg_check(type, msg, len, ncores, why, MON_WHY_MAX);
	if (memcmp(before, msg, len) != 0)
		fail("message written", type);
	if (why[MON_WHY_MAX] != 0x77 || !memchr(why, 0, MON_WHY_MAX))
		fail("sentence overran or is not terminated", type);
	if (e != ERR_OK && e != ERR_SYNTAX)
		fail("result neither ERR_OK nor ERR_SYNTAX", type);
	if (e == ERR_OK && mon_msg_size(type) != len)
		fail("accepted with the wrong length", type);
	if (mon_msg_size(type) != (type > 0 && type < NTYPES ? types[type].size : 0))
		fail("mon_msg_size", type);
	want = oracle(type, msg, len, ncores);
	if (want != (e == ERR_OK)) {
		fprintf(stderr, "fuzz_monproto: checker %s (\"%s\"), oracle %s:",
			e == ERR_OK ? "accepts" : "refuses", why,
			want ? "accepts" : "refuses");
		for (unsigned i = 0; i < nbroken; i++)
			fprintf(stderr, " %s", broken[i]);
		fprintf(stderr, "\n");
		fail("checker and oracle disagree", type);
	}
	if (e == ERR_OK) {
		if (why[0] != 0)
			fail("sentence on success", type);
		if (mon_msg_check(type, msg, len, 65535, NULL, 0) != ERR_OK)
			fail("more cores refused an accepted message", type);
		return 0;
	}
	check_sentence(type, why);
	/* A shorter buffer: a prefix of the same sentence; none: same verdict. */
	{
		size_t cut = (size_t)(data[2] % MON_WHY_MAX) + 1;

		memset(small, 0x55, sizeof small);
		if (mon_msg_check(type, msg, len, ncores, small, cut) != ERR_SYNTAX)
			fail("verdict depends on the sentence buffer", type);
		if (strlen(small) != (strlen(why) < cut ? strlen(why) : cut - 1) ||
		    strncmp(small, why, strlen(small)) != 0)
			fail("short sentence is not a prefix", type);
		if (cut < sizeof small && small[cut] != 0x55)
			fail("short sentence buffer overrun", type);
		e2 = mon_msg_check(type, msg, len, ncores, NULL, 0);
		if (e2 != ERR_SYNTAX)
			fail("verdict depends on the sentence buffer", type);
	}
	return 0;
}
