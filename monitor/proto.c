/*
 * proto.c: the decoder's gate of the monitor protocol (see
 * include/monitor/proto.h).
 *
 * mon_msg_check() copies the message into an aligned local union (so the
 * caller's buffer may sit at any address) and checks, in this order, stopping
 * at the first problem:
 *
 *   1. the type is a MON_* value and len is exactly mon_msg_size(type);
 *   2. the header: h.src_core and h.dst_core < ncores, h.err an err_t code of
 *      lib/err.h (ERR_OK or a code of ERR_TABLE);
 *   3. the body, field by field in declaration order:
 *      - strings: a NUL inside the field, printable ASCII (0x20..0x7e) before
 *        it; names (program, name) also non-empty; MON_ERROR's why may be
 *        empty;
 *      - cores: every field naming a core is < ncores (spawn core, name
 *        reply core, register core, client_core, peer_core, mem core,
 *        core-event core); MON_BCAST_ACK's count (cores reached) <= ncores;
 *      - spawn: rights only DOMAIN_RIGHT_* bits, argc <= PROGRAM_ARGC_MAX,
 *        args_len <= PROGRAM_ARGS_MAX, and
 *        args[0..args_len) is exactly argc NUL-terminated printable strings
 *        (empty strings allowed, nothing left over);
 *      - channels: pages in 1..CHAN_MAX_PAGES for BIND_REQ, BIND_FWD,
 *        BIND_FWD_REPLY and NEW_CHANNEL; side 0 or 1; the area's address
 *        (BIND_FWD_REPLY pa, BIND_REPLY va, NEW_CHANNEL va) page-aligned and
 *        nonzero where it is used (always in NEW_CHANNEL, in the two replies
 *        only when h.err is ERR_OK);
 *      - memory: npages in 1..MON_MEM_PAGES for every MEM_* type, and
 *        pa[0..npages) page-aligned and nonzero where used: not in
 *        MEM_ALLOC_REQ (it asks for frames), not in a reply whose h.err is
 *        not ERR_OK.
 *   Fields not listed (pad, req_id, src_domain, domain ids, seq, tsc,
 *   bad_type, the bytes of args past args_len, the pa slots past npages)
 *   may hold any value.
 *
 * Pure and freestanding: no allocation, no global state; needs lib/fmt.c
 * for the sentence, which always starts with the type's name.
 */
#include <monitor/proto.h>
#include <sys/monitor.h>
#include <sys/rights.h>
#include <lib/fmt.h>
#include <stdarg.h>
#include <stdbool.h>

#define MON_PAGE_SIZE      4096u

/* Layouts are ABI between monitors and domains: pin them down. */
_Static_assert(sizeof(struct mon_hdr) == 16, "mon_hdr size");
_Static_assert(offsetof(struct mon_hdr, err) == 12, "mon_hdr err offset");
_Static_assert(sizeof(struct mon_spawn_req) == 324, "mon_spawn_req size");
_Static_assert(offsetof(struct mon_spawn_req, rights) == 316, "spawn rights offset");
_Static_assert(offsetof(struct mon_spawn_req, program) == 28, "spawn program offset");
_Static_assert(offsetof(struct mon_spawn_req, args) == 60, "spawn args offset");
_Static_assert(sizeof(struct mon_spawn_reply) == 24, "mon_spawn_reply size");
_Static_assert(sizeof(struct mon_name_req) == 64, "mon_name_req size");
_Static_assert(offsetof(struct mon_name_req, name) == 32, "name_req name offset");
_Static_assert(sizeof(struct mon_name_reply) == 40, "mon_name_reply size");
_Static_assert(offsetof(struct mon_name_reply, va) == 24, "name_reply va offset");
_Static_assert(sizeof(struct mon_bind_fwd) == 72, "mon_bind_fwd size");
_Static_assert(offsetof(struct mon_bind_fwd, pa) == 32, "bind_fwd pa offset");
_Static_assert(sizeof(struct mon_new_channel) == 72, "mon_new_channel size");
_Static_assert(offsetof(struct mon_new_channel, va) == 16, "new_channel va offset");
_Static_assert(sizeof(struct mon_mem) == 160, "mon_mem size");
_Static_assert(offsetof(struct mon_mem, pa) == 32, "mem pa offset");
_Static_assert(sizeof(struct mon_ping) == 40, "mon_ping size");
_Static_assert(sizeof(struct mon_core) == 24, "mon_core size");
_Static_assert(sizeof(struct mon_error) == 144, "mon_error size");
_Static_assert(sizeof(struct mon_span) == 48, "mon_span size");
_Static_assert(sizeof(struct mon_vm) == 40, "mon_vm size");
_Static_assert(sizeof(struct mon_domain_end) == 24, "mon_domain_end size");
_Static_assert(sizeof(struct mon_chan_close) == 24, "mon_chan_close size");
_Static_assert(sizeof(((struct spawn_args *)0)->buf) == PROGRAM_ARGS_MAX,
	       "spawn args buffer matches SYS_SPAWN's");
_Static_assert(MON_TYPE_COUNT - 1 <= 0x7fff, "types fit URPC's 15 bits");

static const struct {
	const char *name;
	size_t size;
} mon_types[MON_TYPE_COUNT] = {
#define T(type, st) [type] = { #type, sizeof(struct st) }
	T(MON_SPAWN_REQ, mon_spawn_req),
	T(MON_SPAWN_REPLY, mon_spawn_reply),
	T(MON_REGISTER_REQ, mon_name_req),
	T(MON_REGISTER_REPLY, mon_name_reply),
	T(MON_LOOKUP_REQ, mon_name_req),
	T(MON_LOOKUP_REPLY, mon_name_reply),
	T(MON_BIND_REQ, mon_name_req),
	T(MON_BIND_REPLY, mon_name_reply),
	T(MON_BIND_FWD, mon_bind_fwd),
	T(MON_BIND_FWD_REPLY, mon_bind_fwd),
	T(MON_NEW_CHANNEL, mon_new_channel),
	T(MON_MEM_ALLOC_REQ, mon_mem),
	T(MON_MEM_ALLOC_REPLY, mon_mem),
	T(MON_MEM_SEND_REQ, mon_mem),
	T(MON_MEM_SEND_REPLY, mon_mem),
	T(MON_MEM_FWD, mon_mem),
	T(MON_MEM_RECV, mon_mem),
	T(MON_PING, mon_ping),
	T(MON_PONG, mon_ping),
	T(MON_BCAST, mon_ping),
	T(MON_BCAST_ACK, mon_ping),
	T(MON_CORE_DOWN, mon_core),
	T(MON_STOP_CORE_REQ, mon_core),
	T(MON_STOP_CORE_REPLY, mon_core),
	T(MON_ERROR, mon_error),
	T(MON_SPAN_REQ, mon_span),
	T(MON_SPAN_REPLY, mon_span),
	T(MON_SPAN_END, mon_span),
	T(MON_SPAN_END_REPLY, mon_span),
	T(MON_SPAN_DIED, mon_span),
	T(MON_VM_REQ, mon_vm),
	T(MON_VM_REPLY, mon_vm),
	T(MON_VM_FWD, mon_vm),
	T(MON_VM_FWD_REPLY, mon_vm),
	T(MON_DOMAIN_END, mon_domain_end),
	T(MON_CHAN_CLOSE, mon_chan_close),
#undef T
};

union mon_any {
	struct mon_hdr h;
	struct mon_spawn_req spawn;
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
	struct mon_chan_close chan_close;
};

/* One check in progress: what the sentence needs. */
struct mon_check {
	uint16_t type;
	unsigned ncores;
	char *why;
	size_t whylen;
};

size_t mon_msg_size(uint16_t type)
{
	return type > 0 && type < MON_TYPE_COUNT ? mon_types[type].size : 0;
}

const char *mon_type_name(uint16_t type)
{
	return type > 0 && type < MON_TYPE_COUNT ? mon_types[type].name : "unknown";
}

/* Writes "<type name>: <sentence>" into why (if any); returns ERR_SYNTAX. */
__attribute__((format(printf, 2, 3)))
static err_t mon_fail(const struct mon_check *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!c->why || c->whylen == 0)
		return ERR_SYNTAX;
	n = fmt_snprintf(c->why, c->whylen, "%s: ", mon_type_name(c->type));
	if (n < 0 || (size_t)n >= c->whylen)
		return ERR_SYNTAX;
	va_start(ap, fmt);
	fmt_vsnprintf(c->why + n, c->whylen - (size_t)n, fmt, ap);
	va_end(ap);
	return ERR_SYNTAX;
}

static bool mon_err_known(int32_t e)
{
	switch (e) {
#define ERR_CASE(name, value, msg) case value: return true;
	ERR_TABLE(ERR_CASE) // NOLINT(bugprone-branch-clone): a table, every code is known
#undef ERR_CASE
	default: return false;
	}
}

static bool mon_printable(char ch)
{
	return ch >= 0x20 && ch <= 0x7e;
}

/* A string field of `size` bytes: NUL inside, printable before it. */
static err_t mon_check_str(const struct mon_check *c, const char *field,
			   const char *s, size_t size, bool nonempty)
{
	size_t i;

	for (i = 0; i < size && s[i] != 0; i++)
		if (!mon_printable(s[i]))
			return mon_fail(c, "%s byte %zu not printable (0x%02x)", field, i,
					(unsigned)(unsigned char)s[i]);
	if (i == size)
		return mon_fail(c, "%s not NUL-terminated", field);
	if (nonempty && i == 0)
		return mon_fail(c, "%s empty", field);
	return ERR_OK;
}

static err_t mon_check_core(const struct mon_check *c, const char *field, uint32_t core)
{
	if (core >= c->ncores)
		return mon_fail(c, "%s %u >= ncores %u", field, core, c->ncores);
	return ERR_OK;
}

static err_t mon_check_count(const struct mon_check *c, const char *field, uint32_t v,
			     uint32_t max)
{
	if (v < 1 || v > max)
		return mon_fail(c, "%s %u not in 1..%u", field, v, max);
	return ERR_OK;
}

/* A page address; index < 0 for a scalar field. */
static err_t mon_check_page(const struct mon_check *c, const char *field, int index,
			    uint64_t a)
{
	char name[24];

	if (index >= 0)
		fmt_snprintf(name, sizeof name, "%s[%d]", field, index);
	else
		fmt_snprintf(name, sizeof name, "%s", field);
	if (a == 0)
		return mon_fail(c, "%s is 0", name);
	if (a % MON_PAGE_SIZE)
		return mon_fail(c, "%s 0x%llx not page-aligned", name, (unsigned long long)a);
	return ERR_OK;
}

static err_t mon_check_side(const struct mon_check *c, uint32_t side)
{
	if (side > 1)
		return mon_fail(c, "side %u not 0 or 1", side);
	return ERR_OK;
}

static err_t mon_check_spawn(const struct mon_check *c, const struct mon_spawn_req *m)
{
	uint32_t off = 0, i;
	err_t e;

	if ((e = mon_check_core(c, "core", m->core)))
		return e;
	if (m->argc > PROGRAM_ARGC_MAX)
		return mon_fail(c, "argc %u > %u", m->argc, PROGRAM_ARGC_MAX);
	if (m->args_len > PROGRAM_ARGS_MAX)
		return mon_fail(c, "args_len %u > %u", m->args_len, PROGRAM_ARGS_MAX);
	if ((e = mon_check_str(c, "program", m->program, sizeof m->program, true)))
		return e;
	if (m->rights & ~DOMAIN_RIGHT_ALL)
		return mon_fail(c, "rights %#x name no right", m->rights);
	for (i = 0; i < m->argc; i++) {
		uint32_t start = off;

		while (off < m->args_len && m->args[off] != 0) {
			if (!mon_printable(m->args[off]))
				return mon_fail(c, "args string %u byte %u not printable (0x%02x)",
						i, off - start,
						(unsigned)(unsigned char)m->args[off]);
			off++;
		}
		if (off == m->args_len)
			return mon_fail(c, "args string %u not NUL-terminated within args_len %u",
					i, m->args_len);
		off++;
	}
	if (off != m->args_len)
		return mon_fail(c, "args_len %u but the %u strings of argc end at %u",
				m->args_len, m->argc, off);
	return ERR_OK;
}

static err_t mon_check_name_req(const struct mon_check *c, const struct mon_name_req *m)
{
	err_t e;

	if ((e = mon_check_core(c, "core", m->core)))
		return e;
	if (c->type == MON_BIND_REQ &&
	    (e = mon_check_count(c, "pages", m->pages, CHAN_MAX_PAGES)))
		return e;
	return mon_check_str(c, "name", m->name, sizeof m->name, true);
}

static err_t mon_check_name_reply(const struct mon_check *c, const struct mon_name_reply *m)
{
	err_t e;

	if ((e = mon_check_core(c, "core", m->core)))
		return e;
	if (c->type != MON_BIND_REPLY)
		return ERR_OK;
	if (m->h.err == ERR_OK && (e = mon_check_page(c, "va", -1, m->va)))
		return e;
	return mon_check_side(c, m->side);
}

static err_t mon_check_bind_fwd(const struct mon_check *c, const struct mon_bind_fwd *m)
{
	err_t e;

	if ((e = mon_check_core(c, "client_core", m->client_core)))
		return e;
	if ((e = mon_check_count(c, "pages", m->pages, CHAN_MAX_PAGES)))
		return e;
	if (c->type == MON_BIND_FWD_REPLY && m->h.err == ERR_OK &&
	    (e = mon_check_page(c, "pa", -1, m->pa)))
		return e;
	return mon_check_str(c, "name", m->name, sizeof m->name, true);
}

static err_t mon_check_new_channel(const struct mon_check *c, const struct mon_new_channel *m)
{
	err_t e;

	if ((e = mon_check_page(c, "va", -1, m->va)))
		return e;
	if ((e = mon_check_side(c, m->side)))
		return e;
	if ((e = mon_check_core(c, "peer_core", m->peer_core)))
		return e;
	if ((e = mon_check_count(c, "pages", m->pages, CHAN_MAX_PAGES)))
		return e;
	return mon_check_str(c, "name", m->name, sizeof m->name, true);
}

static bool mon_is_reply(uint16_t type)
{
	return type == MON_MEM_ALLOC_REPLY || type == MON_MEM_SEND_REPLY;
}

static err_t mon_check_mem(const struct mon_check *c, const struct mon_mem *m)
{
	err_t e;

	if ((e = mon_check_core(c, "core", m->core)))
		return e;
	if ((e = mon_check_count(c, "npages", m->npages, MON_MEM_PAGES)))
		return e;
	if (c->type == MON_MEM_ALLOC_REQ || (mon_is_reply(c->type) && m->h.err != ERR_OK))
		return ERR_OK;
	for (uint32_t i = 0; i < m->npages; i++)
		if ((e = mon_check_page(c, "pa", (int)i, m->pa[i])))
			return e;
	return ERR_OK;
}

static err_t mon_check_span(const struct mon_check *c, const struct mon_span *m)
{
	err_t e;

	if ((e = mon_check_core(c, "core", m->core)))
		return e;
	if (m->list_pa && (e = mon_check_page(c, "list_pa", -1, m->list_pa)))
		return e;
	return ERR_OK;
}

static err_t mon_check_vm(const struct mon_check *c, const struct mon_vm *m)
{
	err_t e;

	if (m->op != SPAN_VM_MAP && m->op != SPAN_VM_UNMAP)
		return mon_fail(c, "op %u is neither map (%u) nor unmap (%u)", m->op, SPAN_VM_MAP,
				SPAN_VM_UNMAP);
	if ((e = mon_check_page(c, "va", -1, m->va)))
		return e;
	if ((m->pa_flags & 0xfff) & ~3ull)
		return mon_fail(c, "pa_flags %#llx: flags beyond SYS_MAP_WRITE|SYS_MAP_EXEC",
				(unsigned long long)m->pa_flags);
	return ERR_OK;
}

static err_t mon_check_body(const struct mon_check *c, const union mon_any *m)
{
	switch (c->type) {
	case MON_SPAWN_REQ:
		return mon_check_spawn(c, &m->spawn);
	case MON_SPAWN_REPLY:
		return mon_check_core(c, "core", m->spawn_reply.core);
	case MON_REGISTER_REQ:
	case MON_LOOKUP_REQ:
	case MON_BIND_REQ:
		return mon_check_name_req(c, &m->name_req);
	case MON_REGISTER_REPLY:
	case MON_LOOKUP_REPLY:
	case MON_BIND_REPLY:
		return mon_check_name_reply(c, &m->name_reply);
	case MON_BIND_FWD:
	case MON_BIND_FWD_REPLY:
		return mon_check_bind_fwd(c, &m->bind_fwd);
	case MON_NEW_CHANNEL:
		return mon_check_new_channel(c, &m->new_channel);
	case MON_MEM_ALLOC_REQ:
	case MON_MEM_ALLOC_REPLY:
	case MON_MEM_SEND_REQ:
	case MON_MEM_SEND_REPLY:
	case MON_MEM_FWD:
	case MON_MEM_RECV:
		return mon_check_mem(c, &m->mem);
	case MON_PING:
	case MON_PONG:
	case MON_BCAST:
	case MON_DOMAIN_END:
		return ERR_OK;
	case MON_CHAN_CLOSE:
		return mon_check_page(c, "pa", -1, m->chan_close.pa);
	case MON_BCAST_ACK:
		if (m->ping.count > c->ncores)
			return mon_fail(c, "count %u > ncores %u", m->ping.count, c->ncores);
		return ERR_OK;
	case MON_CORE_DOWN:
	case MON_STOP_CORE_REQ:
	case MON_STOP_CORE_REPLY:
		return mon_check_core(c, "core", m->core.core);
	case MON_ERROR:
		return mon_check_str(c, "why", m->error.why, sizeof m->error.why, false);
	case MON_SPAN_REQ:
	case MON_SPAN_REPLY:
	case MON_SPAN_END:
	case MON_SPAN_END_REPLY:
	case MON_SPAN_DIED:
		return mon_check_span(c, &m->span);
	case MON_VM_REQ:
	case MON_VM_REPLY:
	case MON_VM_FWD:
	case MON_VM_FWD_REPLY:
		return mon_check_vm(c, &m->vm);
	default:
		return mon_fail(c, "no body check");     /* unreachable: size was 0 */
	}
}

err_t mon_msg_check(uint16_t type, const void *msg, size_t len, unsigned ncores,
		    char *why, size_t whylen)
{
	struct mon_check c = { type, ncores, why, whylen };
	union mon_any m;
	size_t size = mon_msg_size(type);
	err_t e;

	if (why && whylen)
		why[0] = 0;
	if (size == 0)
		return mon_fail(&c, "type %u not a monitor message", type);
	if (!msg)
		return mon_fail(&c, "no message");
	if (len != size)
		return mon_fail(&c, "length %zu != %zu", len, size);
	__builtin_memcpy(&m, msg, size);
	if ((e = mon_check_core(&c, "h.src_core", m.h.src_core)))
		return e;
	if ((e = mon_check_core(&c, "h.dst_core", m.h.dst_core)))
		return e;
	if (!mon_err_known(m.h.err))
		return mon_fail(&c, "h.err %d not an err_t code", (int)m.h.err);
	return mon_check_body(&c, &m);
}
