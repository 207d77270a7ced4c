/* monclient.c: a domain's requests to the monitors (see libos/monclient.h). */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <libos/sys.h>
#include <libos/waitset_urpc.h>
#include <lib/string.h>
#include <sys/domain.h>
#include <sys/monitor.h>

#define RECV_SPINS 2000

/*
 * Events that came while a call waited for its answer, oldest first, each
 * in its own heap block: the queue grows with the events (a service that
 * 63 clients bind to while it registers gets 63 MON_NEW_CHANNELs), so none
 * is dropped while the heap lasts.  One the heap cannot hold is dropped
 * loudly and counted (mon_events_dropped).
 */
struct event {
	struct event *next;
	uint16_t type;
	uint16_t len;
	uint8_t body[] __attribute__((aligned(8)));
};

static struct urpc_chan chan;
static bool attached, tried;
static uint32_t next_req = 1;
static struct event *events_head, **events_tail = &events_head;
static unsigned nevents, events_dropped;
static char last_error[MON_WHY_MAX];

struct urpc_chan *mon_channel(void)
{
	if (!tried) {
		tried = true;
		const struct domain_start *st = (const struct domain_start *)DOMAIN_START_INFO;
		struct urpc_hooks h;
		libos_urpc_hooks_chan(&h, (const void *)st->monitor_chan);
		attached = st->monitor_chan &&
			   urpc_chan_init(&chan, (void *)st->monitor_chan, 4096, 1, &h) == ERR_OK;
	}
	return attached ? &chan : 0;
}

const char *mon_last_error(void)
{
	return last_error;
}

static void copy_name(char *dst, const char *src, size_t n)
{
	size_t i = 0;
	for (; i + 1 < n && src[i]; i++)
		dst[i] = src[i];
	dst[i] = 0;
}

static uint64_t call_ticks(void);

err_t mon_send_raw(uint16_t type, const void *msg, size_t len)
{
	if (!mon_channel())
		return ERR_NOSYS;
	uint64_t per_tick = libos_tsc_hz() / TICK_HZ;
	uint64_t deadline = libos_tsc() + call_ticks() * per_tick;
	for (;;) {
		err_t e = urpc_send(&chan, type, msg, len);
		if (e != ERR_FULL)
			return e;
		if (libos_tsc() > deadline) { /* the monitor no longer reads its channel */
			snprintf(last_error, sizeof last_error,
				 "%s: the monitor's channel stayed full", mon_type_name(type));
			return ERR_TIMEOUT;
		}
		sys_yield();
	}
}

/* Sleeping on one channel for urpc_sleep, at most `ticks` (0: no limit). */
struct chan_wait {
	struct urpc_chan *c;
	uint64_t ticks;
};

static void wait_announce(void *ctx, size_t i)
{
	(void)i;
	urpc_rx_sleep_begin(((struct chan_wait *)ctx)->c);
}

static bool wait_recheck(void *ctx)
{
	return urpc_pending(((struct chan_wait *)ctx)->c);
}

static void wait_block(void *ctx)
{
	sys_wait(((struct chan_wait *)ctx)->ticks);
}

static void wait_withdraw(void *ctx, size_t i)
{
	(void)i;
	urpc_rx_sleep_end(((struct chan_wait *)ctx)->c);
}

/*
 * One message from c without waiting.  When the receive gives room back
 * (publishes credit) while the sender may have found the ring full, the
 * sender is woken: a monitor holding messages for us (monitor/outq.h)
 * learns of room only this way or by looking.
 */
static err_t try_recv_waking(struct urpc_chan *c, uint16_t *type, void *buf, size_t cap,
			     size_t *len)
{
	bool sender_may_wait = urpc_rx_sender_may_wait(c);
	uint32_t published = c->rx.published;
	err_t e = urpc_try_recv(c, type, buf, cap, len);
	if (sender_may_wait && c->rx.published != published && c->hooks.notify)
		c->hooks.notify(c->hooks.notify_arg);
	return e;
}

/*
 * One message from c, waiting at most `ticks` (0: for ever): ERR_TIMEOUT
 * if none came.  The limit is a deadline: wake-ups by other notifications
 * of this core do not restart it.
 */
static err_t recv_within(struct urpc_chan *c, uint16_t *type, void *buf, size_t cap,
			 size_t *len, uint64_t ticks)
{
	static const struct urpc_sleep_ops ops = {
		wait_announce, wait_recheck, wait_block, wait_withdraw,
	};
	for (unsigned i = 0; i < RECV_SPINS; i++) {
		err_t e = try_recv_waking(c, type, buf, cap, len);
		if (e != ERR_EMPTY)
			return e;
	}
	uint64_t per_tick = libos_tsc_hz() / TICK_HZ, deadline = libos_tsc() + ticks * per_tick;
	for (;;) {
		struct chan_wait w = { c, 0 };
		uint64_t now = libos_tsc();
		if (ticks) {
			if (now >= deadline) {
				err_t e = try_recv_waking(c, type, buf, cap, len);
				return e == ERR_EMPTY ? ERR_TIMEOUT : e;
			}
			w.ticks = (deadline - now) / per_tick + 1;
		}
		urpc_sleep(&ops, &w, 1);
		err_t e = try_recv_waking(c, type, buf, cap, len);
		if (e != ERR_EMPTY)
			return e;
	}
}

err_t mon_recv_raw(uint16_t *type, void *buf, size_t cap, size_t *len, uint64_t ticks)
{
	if (!mon_channel())
		return ERR_NOSYS;
	return recv_within(&chan, type, buf, cap, len, ticks);
}

/*
 * Calls that timed out: their answer, if it still comes, is dropped (not
 * queued as an event).  A small ring: the oldest is forgotten first.
 */
#define ABANDONED 8
static struct {
	uint32_t req_id;
	uint16_t want;
} abandoned[ABANDONED];
static unsigned abandoned_next;

static void abandon(uint32_t req_id, uint16_t want)
{
	abandoned[abandoned_next].req_id = req_id;
	abandoned[abandoned_next].want = want;
	abandoned_next = (abandoned_next + 1) % ABANDONED;
}

static bool late_answer(uint16_t type, const void *msg, size_t len)
{
	const struct mon_hdr *h = msg;
	for (unsigned i = 0; len >= sizeof *h && i < ABANDONED; i++) {
		if (!abandoned[i].req_id || abandoned[i].req_id != h->req_id ||
		    (type != abandoned[i].want && type != MON_ERROR))
			continue;
		abandoned[i].req_id = 0;
		return true;
	}
	return false;
}

/* How long a call waits for its answer (sys/limits.h), in ticks. */
static uint64_t call_ticks(void)
{
	return MON_CALL_MS(libos_ncores()) * TICK_HZ / 1000;
}

static void queue_event(uint16_t type, const void *msg, size_t len)
{
	if (late_answer(type, msg, len))
		return;
	struct event *ev = len <= MON_MSG_MAX ? malloc(sizeof *ev + len) : 0;
	if (!ev) {
		events_dropped++;
		printf("monclient: no memory to queue %s (%u queued): dropped, %u so far\n",
		       mon_type_name(type), nevents, events_dropped);
		return;
	}
	ev->next = 0;
	ev->type = type;
	ev->len = (uint16_t)len;
	memcpy(ev->body, msg, len);
	*events_tail = ev;
	events_tail = &ev->next;
	nevents++;
}

unsigned mon_events_dropped(void)
{
	return events_dropped;
}

/* Takes the oldest queued event of `type` and `len` into out; false if none. */
static bool take_event(uint16_t type, void *out, size_t len)
{
	for (struct event **p = &events_head; *p; p = &(*p)->next) {
		struct event *ev = *p;
		if (ev->type != type || ev->len != len)
			continue;
		memcpy(out, ev->body, len);
		*p = ev->next;
		if (events_tail == &ev->next)
			events_tail = p;
		nevents--;
		free(ev);
		return true;
	}
	return false;
}

/*
 * Sends a request and waits for the message answering it, at most `ticks`:
 * ERR_TIMEOUT (mon_last_error() says which request) if none came.
 */
static err_t call_within(uint16_t type, void *req, size_t len, uint16_t want, void *reply,
			 size_t reply_len, uint64_t ticks)
{
	struct mon_hdr *h = req;
	h->req_id = next_req++;
	if (!h->req_id)
		h->req_id = next_req++;
	err_t e = mon_send_raw(type, req, len);
	if (e)
		return e;
	uint8_t buf[MON_MSG_MAX] __attribute__((aligned(8)));
	uint64_t per_tick = libos_tsc_hz() / TICK_HZ, deadline = libos_tsc() + ticks * per_tick;
	for (;;) {
		uint16_t t;
		size_t n;
		uint64_t now = libos_tsc();
		e = mon_recv_raw(&t, buf, sizeof buf, &n,
				 now < deadline ? (deadline - now) / per_tick + 1 : 1);
		if (e == ERR_TIMEOUT) {
			abandon(h->req_id, want);
			snprintf(last_error, sizeof last_error,
				 "%s: no answer from the monitor within %lu ms", mon_type_name(type),
				 (unsigned long)(ticks * 1000 / TICK_HZ));
			return e;
		}
		if (e)
			return e;
		const struct mon_hdr *r = (const struct mon_hdr *)buf;
		if (n < sizeof *r || r->req_id != h->req_id ||
		    (t != want && t != MON_ERROR)) {
			queue_event(t, buf, n);
			continue;
		}
		if (t == MON_ERROR) {
			const struct mon_error *m = (const struct mon_error *)buf;
			copy_name(last_error, m->why, sizeof last_error);
			return r->err ? r->err : ERR_SYNTAX;
		}
		if (n != reply_len)
			return ERR_SYNTAX;
		memcpy(reply, buf, n);
		return r->err;
	}
}

static err_t call(uint16_t type, void *req, size_t len, uint16_t want, void *reply,
		  size_t reply_len)
{
	return call_within(type, req, len, want, reply, reply_len, call_ticks());
}

err_t mon_spawn(unsigned core, const char *program, unsigned argc,
		const char *const *argv, uint32_t *domain_id)
{
	return mon_spawn_rights(core, program, argc, argv, 0, domain_id);
}

err_t mon_spawn_rights(unsigned core, const char *program, unsigned argc,
		       const char *const *argv, uint32_t rights, uint32_t *domain_id)
{
	struct mon_spawn_req m;
	struct mon_spawn_reply r;
	memset(&m, 0, sizeof m);
	m.core = core;
	m.rights = rights;
	copy_name(m.program, program, sizeof m.program);
	for (unsigned i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		if (m.args_len + n > sizeof m.args)
			return ERR_TOOBIG;
		memcpy(m.args + m.args_len, argv[i], n);
		m.args_len += (uint32_t)n;
	}
	m.argc = argc;
	err_t e = call(MON_SPAWN_REQ, &m, sizeof m, MON_SPAWN_REPLY, &r, sizeof r);
	if (!e && domain_id)
		*domain_id = r.domain_id;
	return e;
}

err_t mon_span(unsigned core, uint64_t arg, uint32_t *instance)
{
	struct mon_span m, r;
	memset(&m, 0, sizeof m);
	m.core = core;
	m.arg = arg;
	err_t e = call(MON_SPAN_REQ, &m, sizeof m, MON_SPAN_REPLY, &r, sizeof r);
	if (!e && instance)
		*instance = r.instance;
	return e;
}

err_t mon_vm(uint32_t op, uint64_t va, uint64_t pa_flags, uint32_t pages, uint32_t mode)
{
	struct mon_vm m, r;
	memset(&m, 0, sizeof m);
	m.op = op;
	m.va = va;
	m.pa_flags = pa_flags;
	m.pages = pages;
	m.mode = mode;
	return call(MON_VM_REQ, &m, sizeof m, MON_VM_REPLY, &r, sizeof r);
}

static err_t name_call(uint16_t type, const char *name, uint32_t pages, struct mon_name_reply *r)
{
	uint16_t reply = type == MON_REGISTER_REQ ? MON_REGISTER_REPLY :
			 type == MON_LOOKUP_REQ ? MON_LOOKUP_REPLY : MON_BIND_REPLY;
	struct mon_name_req m;
	memset(&m, 0, sizeof m);
	copy_name(m.name, name, sizeof m.name);
	m.pages = pages;
	if (type == MON_REGISTER_REQ)   /* its round may wait for liveness (sys/limits.h) */
		return call_within(type, &m, sizeof m, reply, r, sizeof *r,
				   MON_REGISTER_MS(libos_ncores()) * TICK_HZ / 1000);
	return call(type, &m, sizeof m, reply, r, sizeof *r);
}

err_t mon_register(const char *name)
{
	struct mon_name_reply r;
	return name_call(MON_REGISTER_REQ, name, 0, &r);
}

err_t mon_lookup(const char *name, uint32_t *core, uint32_t *domain_id)
{
	struct mon_name_reply r;
	err_t e = name_call(MON_LOOKUP_REQ, name, 0, &r);
	if (!e) {
		*core = r.core;
		*domain_id = r.domain_id;
	}
	return e;
}

err_t mon_bind(const char *name, uint32_t pages, uint64_t wait_ms, struct urpc_chan *c,
	       uint32_t *core)
{
	struct mon_name_reply r;
	uint64_t hz = libos_tsc_hz(), start = libos_tsc();
	for (;;) {
		err_t e = name_call(MON_BIND_REQ, name, pages, &r);
		if (e == ERR_NOENT && (libos_tsc() - start) < wait_ms * (hz / 1000)) {
			sys_wait(2); /* not registered yet: try again shortly */
			continue;
		}
		if (e)
			return e;
		break;
	}
	struct urpc_hooks h;
	libos_urpc_hooks_chan(&h, (const void *)r.va);
	*core = r.core;
	return urpc_chan_init(c, (void *)r.va, pages * 4096ull, r.side, &h);
}

/* Takes the first queued event of `type`, or waits for one. */
static err_t next_event(uint16_t type, void *out, size_t len, uint64_t ticks)
{
	if (take_event(type, out, len))
		return ERR_OK;
	uint8_t buf[MON_MSG_MAX] __attribute__((aligned(8)));
	for (;;) {
		uint16_t t;
		size_t n;
		err_t e = mon_recv_raw(&t, buf, sizeof buf, &n, ticks);
		if (e)
			return e;
		if (t == type && n == len) {
			memcpy(out, buf, len);
			return ERR_OK;
		}
		queue_event(t, buf, n);
	}
}

err_t mon_accept(struct urpc_chan *c, struct mon_new_channel *info, uint64_t ticks)
{
	err_t e = next_event(MON_NEW_CHANNEL, info, sizeof *info, ticks);
	if (e)
		return e;
	struct urpc_hooks h;
	libos_urpc_hooks_chan(&h, (const void *)info->va);
	return urpc_chan_init(c, (void *)info->va, info->pages * 4096ull, info->side, &h);
}

err_t mon_accept_msg(uint16_t type, void *buf, size_t len, uint64_t ticks)
{
	struct urpc_chan c;
	struct mon_new_channel info;
	uint16_t t;
	size_t n;
	err_t e = mon_accept(&c, &info, ticks);
	if (e)
		return e;
	e = recv_within(&c, &t, buf, len, &n, ticks); /* a client that failed sends nothing */
	if (!e && (t != type || n != len))
		e = ERR_SYNTAX;
	err_t d = mon_chan_drop(&c);
	if (d)
		printf("monclient: report channel from core %u domain %u not dropped: %s\n",
		       info.peer_core, info.peer_domain, err_str(d));
	return e;
}

err_t mon_mem_alloc(uint32_t npages, uint64_t *pa)
{
	return mon_mem_alloc_near(libos_core_id(), npages, pa);
}

err_t mon_mem_alloc_near(unsigned core, uint32_t npages, uint64_t *pa)
{
	struct mon_mem m, r;
	if (npages < 1 || npages > MON_MEM_PAGES)
		return ERR_RANGE;
	memset(&m, 0, sizeof m);
	m.core = core;
	m.npages = npages;
	for (uint32_t i = 0; i < npages; i++)
		m.pa[i] = 4096; /* placeholders: the decoder wants page addresses */
	err_t e = call(MON_MEM_ALLOC_REQ, &m, sizeof m, MON_MEM_ALLOC_REPLY, &r, sizeof r);
	if (!e && r.npages != npages)
		e = ERR_NOMEM;
	for (uint32_t i = 0; !e && i < npages; i++)
		pa[i] = r.pa[i];
	return e;
}

err_t mon_mem_send(unsigned core, uint32_t domain_id, uint32_t npages, const uint64_t *pa)
{
	struct mon_mem m, r;
	if (npages < 1 || npages > MON_MEM_PAGES)
		return ERR_RANGE;
	memset(&m, 0, sizeof m);
	m.core = core;
	m.domain_id = domain_id;
	m.npages = npages;
	memcpy(m.pa, pa, npages * sizeof *pa);
	return call(MON_MEM_SEND_REQ, &m, sizeof m, MON_MEM_SEND_REPLY, &r, sizeof r);
}

err_t mon_mem_free(uint32_t npages, const uint64_t *pa)
{
	struct mon_mem m, r;
	if (npages < 1 || npages > MON_MEM_PAGES)
		return ERR_RANGE;
	memset(&m, 0, sizeof m);
	m.npages = npages;
	memcpy(m.pa, pa, npages * sizeof *pa);
	return call(MON_MEM_FREE_REQ, &m, sizeof m, MON_MEM_FREE_REPLY, &r, sizeof r);
}

err_t mon_mem_wait(struct mon_mem *m, uint64_t ticks)
{
	return next_event(MON_MEM_RECV, m, sizeof *m, ticks);
}

err_t mon_query(unsigned core, uint32_t kind, uint32_t index, uint32_t arg,
		struct mon_query_reply *r)
{
	struct mon_query_req m;
	memset(&m, 0, sizeof m);
	m.core = core;
	m.kind = kind;
	m.index = index;
	m.arg = arg;
	err_t e = call(MON_QUERY_REQ, &m, sizeof m, MON_QUERY_REPLY, r, sizeof *r);
	/* The gate bounds n; the entries are bytes to it: terminate every name. */
	struct mon_qentry *q = mon_qentries(r);
	for (unsigned i = 0; i < MON_QUERY_ENTRIES; i++)
		q[i].name[sizeof q[i].name - 1] = 0;
	return e;
}

err_t mon_stop_core(unsigned core)
{
	struct mon_core m, r;
	memset(&m, 0, sizeof m);
	m.core = core;
	return call(MON_STOP_CORE_REQ, &m, sizeof m, MON_STOP_CORE_REPLY, &r, sizeof r);
}

err_t mon_mute_monitor(unsigned ms)
{
	struct mon_mute m, r;
	memset(&m, 0, sizeof m);
	m.core = libos_core_id();
	m.ms = ms;
	return call(MON_MUTE_CORE_REQ, &m, sizeof m, MON_MUTE_CORE_REPLY, &r, sizeof r);
}

err_t mon_chan_peer(const struct urpc_chan *c)
{
	return sys_notify((uint64_t)(uintptr_t)c->hooks.notify_arg);
}

err_t mon_chan_drop(struct urpc_chan *c)
{
	int64_t n = sys_chan_drop((uint64_t)(uintptr_t)c->hooks.notify_arg);
	if (n < 0)
		return (err_t)n;
	memset(c, 0, sizeof *c);
	return ERR_OK;
}

err_t mon_restart_core_hook(unsigned core, unsigned hook)
{
	struct mon_core m, r;
	memset(&m, 0, sizeof m);
	m.core = core;
	m.generation = hook;
	return call(MON_RESTART_CORE_REQ, &m, sizeof m, MON_RESTART_CORE_REPLY, &r, sizeof r);
}

err_t mon_restart_core(unsigned core)
{
	return mon_restart_core_hook(core, 0);
}

err_t mon_bcast(uint32_t rounds, uint64_t *tree, uint64_t *sequential, uint32_t *reached)
{
	struct mon_ping m, r;
	memset(&m, 0, sizeof m);
	m.seq = rounds;
	/* the monitor answers after all rounds: a second per round on top */
	err_t e = call_within(MON_BCAST, &m, sizeof m, MON_BCAST_ACK, &r, sizeof r,
			      call_ticks() + (uint64_t)rounds * TICK_HZ);
	if (!e) {
		*tree = r.tsc;
		*sequential = r.seq;
		*reached = r.count;
	}
	return e;
}
