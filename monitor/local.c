/*
 * local.c: this core's domains as the monitor sees them.
 *
 * Each spawned domain has a channel to the monitor (side 0 here, side 1 in
 * the domain; sys/monitor.h).  Everything a domain sends arrives through
 * handle_domain_message(); a channel the domain corrupted is dropped (the
 * domain keeps running, the monitor stops listening to it).  Ended domains
 * are noticed by polling SYS_DOMAIN_STATE (local_reap), and their channel
 * page is unmapped and freed.
 *
 * Sending to a domain never drops a message because its channel is full
 * (a page: about 40 MON_NEW_CHANNELs, and 63 clients of a soak node at 255
 * cores bind while its vCPU is not running): what does not fit waits in
 * the domain's queue, in order, and local_flush() (after every dispatch)
 * pushes it as the domain frees room.  Back pressure: past
 * DOMAIN_QUEUE_MAX queued messages local_send refuses (logged once per
 * episode), and the caller fails its request as before.  The queue of an
 * ended domain is dropped.
 */
#include <libos/libos.h>
#include <libos/sys.h>
#include <libos/waitset.h>
#include <libos/waitset_urpc.h>
#include <lib/string.h>
#include <sys/rights.h>
#include "monitor.h"
#include "monsys.h"
#include "outq.h"
#include <sys/domain.h>

#define DOMAIN_QUEUE_MAX 256  /* a client per core binding at once; at most 170 KiB */

struct local_domain {
	bool used;
	bool listening;
	uint32_t id;
	uint32_t rights;             /* DOMAIN_RIGHT_* it holds */
	uint32_t parent_core, parent_domain;  /* who asked for it (domain 0: a monitor) */
	uint32_t depth;              /* generation: manifest services 0 */
	uint32_t span[CORES_MAX / 32];  /* cores it may span (bit c of span[c / 32]) */
	bool named;                  /* it asked core 0 for a name */
	struct quota quota;          /* what it holds of ours (monitor/quota.h) */
	uint64_t chan_va, chan_pa;
	struct urpc_chan chan;
	struct waitset_urpc src;
	struct outq out;             /* what waits for room in chan */
};

static struct local_domain doms[MON_MAX_DOMAINS];
static struct waitset *local_ws;

static struct local_domain *find(uint32_t id)
{
	for (unsigned i = 0; i < MON_MAX_DOMAINS; i++)
		if (doms[i].used && doms[i].id == id)
			return &doms[i];
	return 0;
}

static void stop_listening(struct local_domain *d)
{
	if (d->listening)
		waitset_remove(local_ws, &d->src.src);
	d->listening = false;
}

static void on_domain_message(struct waitset_urpc *w)
{
	struct local_domain *d = w->arg;
	uint8_t buf[MON_MSG_MAX] __attribute__((aligned(8)));
	uint16_t type;
	size_t len;
	err_t e = urpc_try_recv(&d->chan, &type, buf, sizeof buf, &len);
	if (e == ERR_EMPTY)
		return;
	if (e == ERR_TOOBIG) {
		mon_log("domain %u sent a message larger than %u bytes; channel dropped",
			d->id, MON_MSG_MAX);
		stop_listening(d);
		return;
	}
	if (e) {
		mon_log("domain %u corrupted its channel (%s); no longer served", d->id, err_str(e));
		stop_listening(d);
		return;
	}
	handle_domain_message(d->id, type, buf, len);
}

void local_init(struct waitset *ws)
{
	local_ws = ws;
}

static err_t pack_args(struct spawn_args *a, uint32_t argc, const char *args, uint32_t len,
		       uint32_t rights)
{
	if (len > sizeof a->buf)
		return ERR_TOOBIG;
	memset(a, 0, sizeof *a);
	a->rights = rights;
	a->argc = argc;
	a->len = len;
	memcpy(a->buf, args, len);
	return ERR_OK;
}

err_t local_spawn(const char *program, uint32_t argc, const char *args, uint32_t args_len,
		  uint32_t rights, uint32_t parent_core, uint32_t parent_domain, uint32_t depth,
		  const uint32_t *span, uint32_t *domain_id)
{
	struct local_domain *d = 0;
	for (unsigned i = 0; !d && i < MON_MAX_DOMAINS; i++)
		if (!doms[i].used)
			d = &doms[i];
	if (!d)
		return ERR_FULL;
	char name[PROGRAM_NAME_MAX];
	struct spawn_args a;
	struct spawn_result r;
	memset(name, 0, sizeof name);
	mon_copy(name, program, sizeof name);
	err_t e = pack_args(&a, argc, args, args_len, rights);
	int64_t id = e ? e : sys_spawn(name, &a, &r);
	if (id < 0)
		return (err_t)id;
	struct urpc_hooks hooks;
	libos_urpc_hooks_chan(&hooks, (const void *)r.chan_va);
	e = urpc_chan_init(&d->chan, (void *)r.chan_va, 4096, 0, &hooks);
	if (e) {
		mon_log("domain %u: its channel is unusable (%s)", r.domain_id, err_str(e));
		return e;
	}
	d->used = true;
	d->id = r.domain_id;
	d->rights = rights;
	d->parent_core = parent_core;
	d->parent_domain = parent_domain;
	d->named = false;
	d->depth = depth;
	memcpy(d->span, span, sizeof d->span);
	quota_init(&d->quota, (rights & DOMAIN_RIGHT_SPAWN) != 0, mon_ncores);
	d->chan_va = r.chan_va;
	d->chan_pa = r.chan_pa;
	char who[24];
	snprintf(who, sizeof who, "domain %u", r.domain_id);
	outq_init(&d->out, DOMAIN_QUEUE_MAX, who, mon_type_name);
	waitset_urpc_init(&d->src, &d->chan, on_domain_message, d);
	d->listening = waitset_add(local_ws, &d->src.src) == ERR_OK;
	*domain_id = r.domain_id;
	return ERR_OK;
}

uint32_t local_depth(uint32_t domain_id)
{
	struct local_domain *d = find(domain_id);
	return d ? d->depth : 0;
}

struct quota *local_quota(uint32_t domain_id)
{
	struct local_domain *d = find(domain_id);
	return d ? &d->quota : 0;
}

void local_named(uint32_t domain_id)
{
	struct local_domain *d = find(domain_id);
	if (d)
		d->named = true;
}

bool local_may_span(uint32_t domain_id, unsigned core)
{
	struct local_domain *d = find(domain_id);
	return d && core < CORES_MAX && (d->span[core / 32] >> (core % 32) & 1);
}

void local_span_set(uint32_t domain_id, uint32_t *out)
{
	struct local_domain *d = find(domain_id);
	for (unsigned i = 0; i < CORES_MAX / 32; i++)
		out[i] = d ? d->span[i] : 0;
}

uint32_t local_rights(uint32_t domain_id)
{
	struct local_domain *d = find(domain_id);
	return d ? d->rights : 0;
}

bool local_alive(uint32_t domain_id)
{
	return find(domain_id) != 0 && sys_domain_state(domain_id) == 1;
}

bool local_send(uint32_t domain_id, uint16_t type, const void *msg, size_t len)
{
	struct local_domain *d = find(domain_id);
	if (!d)
		return false;
	err_t e = outq_send(&d->out, &d->chan, type, msg, len);
	if (e && e != ERR_FULL) /* ERR_FULL: outq logged the episode */
		mon_log("domain %u: %s not delivered (%s)", domain_id, mon_type_name(type),
			err_str(e));
	return e == ERR_OK; /* queued ones are delivered in order once it reads */
}

void local_flush(void)
{
	for (unsigned i = 0; i < MON_MAX_DOMAINS; i++)
		if (doms[i].used)
			outq_flush(&doms[i].out, &doms[i].chan);
}

static void send_end(const struct local_domain *d, uint32_t core, uint32_t parent)
{
	struct mon_domain_end m;
	memset(&m, 0, sizeof m);
	m.h.src_core = (uint16_t)mon_core;
	m.h.dst_core = (uint16_t)core;
	m.h.src_domain = d->id;
	m.parent_domain = parent;
	if (core_is_up(core))
		route_send(MON_DOMAIN_END, &m, sizeof m);
}

/*
 * A named domain ended and every monitor holds the registry: every live
 * core but its parent's (told already) drops its names, this one too.
 */
static void end_everywhere(const struct local_domain *d)
{
	for (unsigned c = 0; c < mon_ncores; c++)
		if (c != mon_core && !(d->parent_domain && c == d->parent_core))
			send_end(d, c, 0);
	unsigned n = names_domain_end(mon_core, d->id);
	if (n)
		mon_log("domain %u of core %u ended: %u names dropped", d->id, mon_core, n);
}

/*
 * An ended domain: what it left in its channel is still served (a last
 * message must not be lost to the race with its end), its parent gets its
 * child back and every registry drops its names (MON_DOMAIN_END), and the monitor's
 * side of its channel is freed.  Requests still pending for it complete
 * into the void when their answer or time-out comes.
 */
static void forget(struct local_domain *d)
{
	for (unsigned i = 0; d->listening && i < MONCHAN_SLOTS; i++)
		on_domain_message(&d->src);
	bind_domain_end(d->id);
	memops_domain_end(d->id);
	if (d->parent_domain)
		send_end(d, d->parent_core, d->parent_domain);
	if (d->named && names_replicated())
		end_everywhere(d);
	else if (d->named && (d->parent_core != 0 || !d->parent_domain))
		send_end(d, 0, 0);
	stop_listening(d);
	outq_drop(&d->out);
	if (sys_unmap(d->chan_va) == ERR_OK)
		sys_frame_free(d->chan_pa);
	d->used = false;
}

void local_reap(void)
{
	for (unsigned i = 0; i < MON_MAX_DOMAINS; i++) {
		/* Its pending requests time out; their answers find no one to go to. */
		if (doms[i].used && sys_domain_state(doms[i].id) != 1)
			forget(&doms[i]);
	}
}

uint32_t local_domain_count(void)
{
	uint32_t n = 0;
	for (unsigned i = 0; i < MON_MAX_DOMAINS; i++)
		n += doms[i].used;
	return n;
}
