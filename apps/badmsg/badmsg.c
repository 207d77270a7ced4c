/*
 * badmsg: a hostile domain that sends garbage to its monitor.
 *
 *   badmsg              every check below, then the two channel breakers
 *   badmsg toobig       (spawned by badmsg) one message larger than any
 *                       monitor message, then exit
 *   badmsg corrupt      (spawned by badmsg) a malformed URPC slot on its
 *                       monitor channel, then exit
 *
 * Each check sends one malformed or unauthorised request with
 * mon_send_raw and waits (bounded) for the answer: every one must come
 * back as an error with the expected code (MON_ERROR, or the request's
 * reply type with err set), and the monitor logs each refusal.  Then the
 * map probe: a domain cannot map memory it was not given, here the frames
 * around a channel the monitors just created on this core for a binding
 * of ours (the test compares the probed range with the monitor's log of
 * the channel's address).  Last, it spawns the two channel breakers on
 * its own core and checks its monitor still answers.
 *
 * Output (after "core N: badmsg: "):
 *   <check> ok (<error>: <monitor's sentence>)    one per check
 *   <check> WRONG (...)                           instead, on failure
 *   probe: P frames 0x..-0x.. not ours, every map refused
 *   monitor still answers after the channel breakers
 *   all N checks passed | K of N checks failed
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <sys/domain.h>
#include <sys/monitor.h>
#include <sys/rights.h>
#include <urpc/urpc.h>
#include "../echoproto.h"

#define ANSWER_TICKS (10 * TICK_HZ)  /* 10 s: the monitor answers long before */
#define PROBE_VA (DOMAIN_HEAP_BASE + (2ull << 30))
#define PROBE_PAGES 64               /* each side of the probed range */

static unsigned checks, failed;
static int64_t own = -1;             /* a frame of our own, from the core pool */
static uint32_t next_req = 0x10000;  /* apart from monclient's own ids */

static union {
	struct mon_hdr h;
	struct mon_spawn_req spawn;
	struct mon_name_req name;
	struct mon_bind_fwd fwd;
	struct mon_new_channel nc;
	struct mon_mem mem;
	struct mon_ping ping;
	struct mon_core core;
	struct mon_error error;
	uint8_t raw[1024];
} msg;

static void result(const char *name, bool ok, const char *detail)
{
	checks++;
	if (ok) {
		printf("%s ok (%s)\n", name, detail);
	} else {
		failed++;
		printf("%s WRONG (%s)\n", name, detail);
	}
}

static void *fresh(void)
{
	memset(&msg, 0, sizeof msg);
	msg.h.req_id = next_req++;
	return &msg;
}

/*
 * Sends msg as `type` with `len` bytes and waits for the answer that
 * carries its req_id (req_id 0 when the message was shorter than a
 * header); it must be an error equal to `want`.
 */
static void expect(const char *name, uint16_t type, size_t len, err_t want)
{
	uint32_t id = len >= sizeof(struct mon_hdr) ? msg.h.req_id : 0;
	char detail[200];
	err_t e = mon_send_raw(type, &msg, len);
	if (e) {
		snprintf(detail, sizeof detail, "send: %s", err_str(e));
		result(name, false, detail);
		return;
	}
	static uint8_t buf[1024] __attribute__((aligned(8)));
	for (;;) {
		uint16_t t;
		size_t n;
		e = mon_recv_raw(&t, buf, sizeof buf, &n, ANSWER_TICKS);
		if (e) {
			snprintf(detail, sizeof detail, "no answer: %s", err_str(e));
			result(name, false, detail);
			return;
		}
		const struct mon_hdr *h = (const void *)buf;
		if (n < sizeof *h || h->req_id != id)
			continue; /* a stray event; not ours */
		const char *why = t == MON_ERROR ? ((const struct mon_error *)buf)->why : "";
		snprintf(detail, sizeof detail, "%s %s: %s", mon_type_name(t), err_str(h->err),
			 why);
		result(name, h->err == want && (t == MON_ERROR || want != ERR_OK), detail);
		return;
	}
}

static void garbage(void)
{
	struct mon_spawn_req *s;
	struct mon_name_req *nm;
	struct mon_mem *m;

	fresh();
	expect("unknown-type", 99, sizeof(struct mon_hdr), ERR_SYNTAX);
	fresh();
	expect("type-zero", 0, sizeof(struct mon_hdr), ERR_SYNTAX);
	fresh();
	expect("short-header", MON_LOOKUP_REQ, 6, ERR_SYNTAX);
	fresh();
	expect("short-spawn", MON_SPAWN_REQ, 40, ERR_SYNTAX);
	nm = fresh();
	mon_copy_name(nm->name, "x");
	expect("long-lookup", MON_LOOKUP_REQ, sizeof *nm + 8, ERR_SYNTAX);

	s = fresh();
	memset(s->program, 'A', sizeof s->program);
	expect("program-unterminated", MON_SPAWN_REQ, sizeof *s, ERR_SYNTAX);
	s = fresh();
	memcpy(s->program, "he\001lo", 6);
	expect("program-unprintable", MON_SPAWN_REQ, sizeof *s, ERR_SYNTAX);
	s = fresh();
	memcpy(s->program, "hello", 6);
	s->argc = 2;
	s->args_len = 2;
	memcpy(s->args, "a", 2);
	expect("args-mismatch", MON_SPAWN_REQ, sizeof *s, ERR_SYNTAX);
	s = fresh();
	memcpy(s->program, "hello", 6);
	s->argc = 40;
	expect("args-argc", MON_SPAWN_REQ, sizeof *s, ERR_SYNTAX);
	s = fresh();
	memcpy(s->program, "hello", 6);
	s->core = 200;
	expect("spawn-core-range", MON_SPAWN_REQ, sizeof *s, ERR_SYNTAX);
	nm = fresh();
	mon_copy_name(nm->name, "x");
	nm->h.dst_core = 999;
	expect("route-core-range", MON_LOOKUP_REQ, sizeof *nm, ERR_SYNTAX);
	nm = fresh();
	mon_copy_name(nm->name, "x");
	nm->h.err = 12345;
	expect("bad-err-field", MON_LOOKUP_REQ, sizeof *nm, ERR_SYNTAX);
	fresh();
	expect("name-empty", MON_REGISTER_REQ, sizeof *nm, ERR_SYNTAX);
	nm = fresh();
	mon_copy_name(nm->name, "echo");
	expect("bind-pages-0", MON_BIND_REQ, sizeof *nm, ERR_SYNTAX);
	nm = fresh();
	mon_copy_name(nm->name, "echo");
	nm->pages = CHAN_MAX_PAGES + 1;
	expect("bind-pages-17", MON_BIND_REQ, sizeof *nm, ERR_SYNTAX);
	fresh();
	expect("mem-send-npages-0", MON_MEM_SEND_REQ, sizeof *m, ERR_SYNTAX);
	m = fresh();
	m->npages = 1;
	m->pa[0] = 0x12345;
	expect("mem-send-unaligned", MON_MEM_SEND_REQ, sizeof *m, ERR_SYNTAX);
	m = fresh();
	m->npages = MON_MEM_PAGES + 1;
	expect("mem-alloc-17", MON_MEM_ALLOC_REQ, sizeof *m, ERR_SYNTAX);
	fresh();
	msg.core.core = 200;
	expect("stop-core-range", MON_STOP_CORE_REQ, sizeof msg.core, ERR_SYNTAX);
	fresh();
	msg.core.core = 200;
	expect("restart-core-range", MON_RESTART_CORE_REQ, sizeof msg.core, ERR_SYNTAX);
	fresh();
	msg.core.core = 2;      /* running, but first: badmsg holds no stop right */
	expect("restart-no-right", MON_RESTART_CORE_REQ, sizeof msg.core, ERR_PERM);
}

/* Well-formed messages only monitors may send. */
static void impostor(void)
{
	fresh();
	expect("monitor-only-ping", MON_PING, sizeof msg.ping, ERR_PERM);
	fresh();
	expect("monitor-only-pong", MON_PONG, sizeof msg.ping, ERR_PERM);
	fresh();
	msg.core.core = 1;
	expect("monitor-only-core-down", MON_CORE_DOWN, sizeof msg.core, ERR_PERM);
	fresh();
	msg.core.core = 2;
	expect("monitor-only-core-up", MON_CORE_UP, sizeof msg.core, ERR_PERM);
	fresh();
	msg.core.core = 2; /* a forged "nothing maps it here" would free a pool in use */
	expect("monitor-only-pool-clear", MON_POOL_CLEAR, sizeof msg.core, ERR_PERM);
	fresh();
	msg.fwd.pages = 1;
	mon_copy_name(msg.fwd.name, "echo");
	expect("monitor-only-bind-fwd", MON_BIND_FWD, sizeof msg.fwd, ERR_PERM);
	fresh();
	msg.mem.npages = 1;
	msg.mem.pa[0] = 0x100000;
	expect("monitor-only-mem-fwd", MON_MEM_FWD, sizeof msg.mem, ERR_PERM);
	fresh();
	expect("monitor-only-spawn-reply", MON_SPAWN_REPLY, sizeof(struct mon_spawn_reply),
	       ERR_PERM);
	fresh();
	msg.nc.va = 0x2000000000ull;
	msg.nc.pages = 1;
	mon_copy_name(msg.nc.name, "echo");
	expect("monitor-only-new-channel", MON_NEW_CHANNEL, sizeof msg.nc, ERR_PERM);
	fresh();
	expect("monitor-only-error", MON_ERROR, sizeof msg.error, ERR_PERM);
	fresh();
	expect("monitor-only-bcast-ack", MON_BCAST_ACK, sizeof msg.ping, ERR_PERM);
	fresh();
	msg.mem.npages = 1;
	msg.mem.pa[0] = 0x100000;
	expect("monitor-only-mem-recv", MON_MEM_RECV, sizeof msg.mem, ERR_PERM);
}

/* Well-formed requests the monitors must refuse. */
static void unauthorised(void)
{
	struct mon_mem *m = fresh();
	m->npages = 1;
	m->pa[0] = 0x1000;
	expect("mem-send-not-owned", MON_MEM_SEND_REQ, sizeof *m, ERR_PERM);

	own = sys_frame_alloc();
	m = fresh();
	m->npages = 1;
	m->pa[0] = (uint64_t)own;
	expect("mem-send-pool-frame", MON_MEM_SEND_REQ, sizeof *m, ERR_PERM);

	uint64_t pa[2];
	err_t e = mon_mem_alloc(2, pa);
	if (e) {
		result("mem-alloc", false, err_str(e));
	} else {
		sys_map(PROBE_VA, pa[0], SYS_MAP_WRITE);
		m = fresh();
		m->npages = 2;
		m->pa[0] = pa[1];
		m->pa[1] = pa[0];
		expect("mem-send-mapped", MON_MEM_SEND_REQ, sizeof *m, ERR_BUSY);
		/* nothing moved: pa[1] is still ours */
		e = sys_map(PROBE_VA + 4096, pa[1], SYS_MAP_WRITE);
		result("mem-send-mapped-undone", e == ERR_OK, err_str(e));
		sys_unmap(PROBE_VA);
		sys_unmap(PROBE_VA + 4096);
		m = fresh();
		m->npages = 1;
		m->pa[0] = pa[0];
		m->core = 0;
		m->domain_id = 999;
		expect("mem-send-nobody", MON_MEM_SEND_REQ, sizeof *m, ERR_DEAD);
	}
	/* Rights: this domain holds none (sys/rights.h). */
	fresh();
	msg.core.core = 0;
	expect("stop-core-0", MON_STOP_CORE_REQ, sizeof msg.core, ERR_PERM);
	fresh();
	msg.core.core = libos_ncores() - 1;
	expect("stop-core-without-right", MON_STOP_CORE_REQ, sizeof msg.core, ERR_PERM);
	fresh();
	msg.ping.seq = 10;
	expect("bcast-without-right", MON_BCAST, sizeof msg.ping, ERR_PERM);
	struct mon_spawn_req *s = fresh();
	s->core = (libos_core_id() + 1) % libos_ncores();
	mon_copy_name(s->program, "hello");
	if (s->core != libos_core_id())
		expect("spawn-elsewhere-without-right", MON_SPAWN_REQ, sizeof *s, ERR_PERM);
	s = fresh();
	s->core = libos_core_id();
	s->rights = DOMAIN_RIGHT_STOP;
	mon_copy_name(s->program, "hello");
	expect("spawn-child-with-rights-not-held", MON_SPAWN_REQ, sizeof *s, ERR_PERM);
	s = fresh();
	s->core = libos_core_id();
	mon_copy_name(s->program, "nosuchprogram");
	expect("spawn-unknown-program", MON_SPAWN_REQ, sizeof *s, ERR_NOENT);
	struct mon_name_req *nm = fresh();
	mon_copy_name(nm->name, "no-such-service");
	expect("lookup-unknown", MON_LOOKUP_REQ, sizeof *nm, ERR_NOENT);
	e = mon_register("badmsg-name");
	result("register", e == ERR_OK, err_str(e));
	nm = fresh();
	mon_copy_name(nm->name, "badmsg-name");
	expect("register-twice", MON_REGISTER_REQ, sizeof *nm, ERR_EXIST);
}

/*
 * Map probe: own frames A and B bracket a channel the monitors create on
 * this core (a binding to an echo service we spawn here); no frame in
 * [min - PROBE_PAGES, max + PROBE_PAGES] but A and B may be mapped.
 */
static void probe(void)
{
	int64_t a = sys_frame_alloc();
	uint32_t dom, core;
	char detail[160];
	const char *argv[] = { "badmsg-echo", "1" };
	err_t e = mon_spawn(libos_core_id(), "echo", 2, argv, &dom);
	struct urpc_chan c;
	if (!e)
		e = mon_bind("badmsg-echo", 1, 20000, &c, &core);
	int64_t b = sys_frame_alloc();
	if (e || a < 0 || b < 0) {
		snprintf(detail, sizeof detail, "setup: %s", err_str(e ? e : ERR_NOMEM));
		result("probe", false, detail);
		return;
	}
	while (echo_send_bye(&c) == ERR_FULL)
		sys_yield();
	uint64_t lo = (uint64_t)(a < b ? a : b), hi = (uint64_t)(a < b ? b : a);
	lo = lo > PROBE_PAGES * 4096ull ? lo - PROBE_PAGES * 4096ull : 4096;
	hi += PROBE_PAGES * 4096ull;
	unsigned n = 0, allowed = 0;
	for (uint64_t pa = lo; pa <= hi; pa += 4096) {
		if (pa == (uint64_t)a || pa == (uint64_t)b || pa == (uint64_t)own)
			continue;
		n++;
		e = sys_map(PROBE_VA, pa, 0);
		if (e == ERR_OK) {
			allowed++;
			sys_unmap(PROBE_VA);
			printf("probe: frame %#lx could be mapped\n", (unsigned long)pa);
		}
	}
	printf("probe: %u frames %#lx-%#lx not ours, %s\n", n, (unsigned long)lo,
	       (unsigned long)hi, allowed ? "SOME MAPPED" : "every map refused");
	snprintf(detail, sizeof detail, "%u of %u foreign frames mapped", allowed, n);
	result("map-foreign-frames", allowed == 0, detail);
}

static int breaker(const char *how)
{
	struct urpc_chan *c = mon_channel();
	if (!c)
		return 1;
	if (strcmp(how, "toobig") == 0) {
		static uint8_t big[1024];
		size_t len = urpc_max_msg(c) < sizeof big ? urpc_max_msg(c) : sizeof big;
		err_t e = urpc_send(c, MON_SPAWN_REQ, big, len);
		printf("sent a %zu-byte message: %s\n", len, err_str(e));
		return e ? 1 : 0;
	}
	/* A first slot marked as a continuation: the format is broken. */
	uint32_t n = c->tx.head;
	atomic_store_explicit(&c->tx.slots[n & c->tx.mask].ctrl,
			      URPC_CTRL(n + 1, 8, MON_LOOKUP_REQ, 1), memory_order_release);
	sys_notify(DOMAIN_MONCHAN_VA); /* wake the monitor: the channel's other party */
	printf("wrote a malformed slot on the monitor channel\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2)
		return breaker(argv[1]);
	garbage();
	impostor();
	unauthorised();
	probe();
	uint32_t dom;
	const char *big[] = { "toobig" }, *bad[] = { "corrupt" };
	err_t e = mon_spawn(libos_core_id(), "badmsg", 1, big, &dom);
	if (!e)
		e = mon_spawn(libos_core_id(), "badmsg", 1, bad, &dom);
	result("spawn-breakers", e == ERR_OK, err_str(e));
	sys_wait(20); /* let the monitor meet them */
	uint32_t core, d;
	e = mon_lookup("badmsg-name", &core, &d);
	printf("monitor still answers after the channel breakers: %s\n", err_str(e));
	result("monitor-alive", e == ERR_OK && d == libos_domain_id(), err_str(e));
	if (failed)
		printf("%u of %u checks failed\n", failed, checks);
	else
		printf("all %u checks passed\n", checks);
	return failed ? 1 : 0;
}
