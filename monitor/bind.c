/*
 * bind.c: a channel between a client domain and a named service.
 *
 * Two steps, each a request of the client's monitor:
 *   BIND_LOOKUP   where is `name`?  This monitor's replica of the registry
 *                 answers at once (names=central: MON_LOOKUP_REQ to core 0);
 *   BIND_CHANNEL  MON_BIND_FWD to the service's monitor, which creates the
 *                 channel area from its core's pool, maps side 1 into the
 *                 service, tells it (MON_NEW_CHANNEL) and answers with the
 *                 area's address (MON_BIND_FWD_REPLY);
 * then the client's monitor maps side 0 into the client and answers it
 * with MON_BIND_REPLY.  A failure at any step answers the client with the
 * error.  Quotas (quota.h): the client's binds, the service's channels;
 * both are held until the domain ends.
 */
#include <libos/libos.h>
#include <libos/malloc.h>
#include <lib/string.h>
#include <monitor/names.h>
#include "monitor.h"
#include "monsys.h"

enum bind_stage { BIND_LOOKUP, BIND_CHANNEL };

struct bind_op {
	struct pending p;            /* first: see pending.c */
	enum bind_stage stage;
	uint32_t pages;              /* channel size asked for */
	uint32_t service_core, service_domain;  /* BIND_CHANNEL: the lookup's answer */
	char name[PROGRAM_NAME_MAX];
};

/*
 * Reclamation.  The service's monitor records each area it made (`made`);
 * the client's monitor each area it mapped (`bound`).  When a client ends
 * its monitor sends MON_CHAN_CLOSE to the service's; the area's frames go
 * back to the service core's pool once the client is gone (a stopped
 * client core counts as gone) and the service is gone too or maps none of
 * it any more (it dropped the channel, mon_chan_drop: a service that keeps
 * running, such as a coordinator that reads one report per client, would
 * otherwise hold every area it ever accepted until it ends).  Whether the
 * service still maps it, its kernel tells exactly (SYS_CHAN_MAPPED: a walk
 * of its tables); asked when the client goes, then every CHECK_MS while
 * the service maps it (CHECKS_PER_TICK records per CHECK_MS at most, in
 * turn).  Once the area's first frame is freed nobody can map it again
 * (the kernel's channel registry forgets it).
 */
#define BIND_RECORDS 512
#define CHECK_MS 1000
#define CHECKS_PER_TICK 16

struct made_rec {
	bool used, client_gone, service_gone;
	uint32_t pages;
	uint64_t pa;
	uint32_t service_domain, client_core, client_domain;
};

struct bound_rec {
	bool used;
	uint32_t client_domain, service_core;
	uint64_t pa;
};

static struct made_rec made[BIND_RECORDS];
static struct bound_rec bound[BIND_RECORDS];
static uint64_t next_check;

static void made_release(struct made_rec *r, const char *why)
{
	mon_event("chan.freed", "pa=%#lx pages=%u service=%u client_core=%u client=%u why=%s",
		  (unsigned long)r->pa, r->pages, r->service_domain, r->client_core,
		  r->client_domain, why);
	for (uint32_t i = 0; i < r->pages; i++) {
		err_t e = (err_t)sys_frame_free(r->pa + i * 4096ull);
		if (e)
			mon_log("channel 0x%lx: frame %u not freed (%s)", (unsigned long)r->pa, i,
				err_str(e));
	}
	r->used = false;
}

static struct made_rec *made_add(const struct mon_bind_fwd *m, uint64_t pa)
{
	for (unsigned i = 0; i < BIND_RECORDS; i++) {
		struct made_rec *r = &made[i];
		if (r->used)
			continue;
		*r = (struct made_rec){ true, false, false, m->pages, pa, m->service_domain,
					m->client_core, m->client_domain };
		return r;
	}
	mon_log("channel 0x%lx: no record left; it is never freed", (unsigned long)pa);
	return 0;
}

static void send_close(uint32_t client, uint32_t core, uint64_t pa)
{
	struct mon_chan_close m;
	memset(&m, 0, sizeof m);
	m.h.src_core = (uint16_t)mon_core;
	m.h.dst_core = (uint16_t)core;
	m.h.src_domain = client;
	m.pa = pa;
	if (core_is_up(core))
		route_send(MON_CHAN_CLOSE, &m, sizeof m);
}

static void bound_add(uint32_t client, uint32_t core, uint64_t pa)
{
	for (unsigned i = 0; i < BIND_RECORDS; i++) {
		if (bound[i].used)
			continue;
		bound[i] = (struct bound_rec){ true, client, core, pa };
		return;
	}
	mon_log("channel 0x%lx: no record left; its service core never hears of its end",
		(unsigned long)pa);
}

/* Whether the running service of r maps none of r's area any more (it dropped it). */
static bool service_dropped(const struct made_rec *r)
{
	return sys_chan_mapped(r->service_domain, r->pa, r->pages) == 0;
}

static void client_gone(struct made_rec *r)
{
	r->client_gone = true;
	if (r->service_gone)
		made_release(r, "both_ended");
	else {
		uncharge(r->service_domain, QUOTA_CHANNELS, 1);
		if (service_dropped(r))
			made_release(r, "service_dropped");
	}
}

void bind_tick(uint64_t now)
{
	if (now < next_check)
		return;
	next_check = now + mon_ms(CHECK_MS);
	static unsigned cursor;    /* each check walks a service's tables: CHECKS_PER_TICK at most */
	for (unsigned k = 0, asked = 0; k < BIND_RECORDS && asked < CHECKS_PER_TICK; k++) {
		struct made_rec *r = &made[cursor];
		cursor = (cursor + 1) % BIND_RECORDS;
		if (!r->used || !r->client_gone || r->service_gone)
			continue;
		asked++;
		if (service_dropped(r))
			made_release(r, "service_dropped");
	}
}

void bind_domain_end(uint32_t dom)
{
	for (unsigned i = 0; i < BIND_RECORDS; i++) {
		struct bound_rec *b = &bound[i];
		if (b->used && b->client_domain == dom) {
			send_close(dom, b->service_core, b->pa);
			b->used = false;
		}
		struct made_rec *r = &made[i];
		if (r->used && r->service_domain == dom) {
			r->service_gone = true;
			if (r->client_gone)
				made_release(r, "both_ended");
		}
	}
}

void bind_close_serve(const struct mon_chan_close *m)
{
	for (unsigned i = 0; i < BIND_RECORDS; i++) {
		struct made_rec *r = &made[i];
		if (r->used && !r->client_gone && r->pa == m->pa &&
		    r->client_core == m->h.src_core && r->client_domain == m->h.src_domain) {
			client_gone(r);
			return;
		}
	}
	mon_log("MON_CHAN_CLOSE from core %u: no channel 0x%lx of domain %u here",
		m->h.src_core, (unsigned long)m->pa, m->h.src_domain);
}

void bind_core_down(unsigned core)
{
	for (unsigned i = 0; i < BIND_RECORDS; i++) {
		if (bound[i].used && bound[i].service_core == core)
			bound[i].used = false;
		if (made[i].used && !made[i].client_gone && made[i].client_core == core)
			client_gone(&made[i]);
	}
}

static void bind_fail(struct bind_op *b, err_t e)
{
	struct mon_name_reply r;
	memset(&r, 0, sizeof r);
	uncharge(b->p.domain_id, QUOTA_BINDS, 1);
	reply_domain(b->p.domain_id, b->p.domain_req, MON_BIND_REPLY, &r, sizeof r, e);
	free(b);
}

static void bind_channel_done(struct bind_op *b, const struct mon_bind_fwd *a)
{
	struct mon_name_reply r;
	struct chan_result ch = { 0, 0 };
	memset(&r, 0, sizeof r);
	err_t e = (err_t)sys_chan_map(b->p.domain_id, a->pa, b->pages, b->service_core, &ch);
	if (e) {
		uncharge(b->p.domain_id, QUOTA_BINDS, 1);
		send_close(b->p.domain_id, b->service_core, a->pa); /* it never had it */
	} else {
		bound_add(b->p.domain_id, b->service_core, a->pa);
	}
	r.core = b->service_core;
	r.domain_id = b->service_domain;
	r.va = ch.va;
	r.side = 0;
	reply_domain(b->p.domain_id, b->p.domain_req, MON_BIND_REPLY, &r, sizeof r, e);
	free(b);
}

static void bind_done(struct pending *p, err_t e, const void *reply);

static void bind_lookup_done(struct bind_op *b, const struct mon_name_reply *a)
{
	err_t e = pending_add(&b->p, MON_BIND_REQ, b->p.domain_id, b->p.domain_req, bind_done);
	if (e) {
		bind_fail(b, e);
		return;
	}
	struct mon_bind_fwd f;
	memset(&f, 0, sizeof f);
	f.client_core = mon_core;
	f.client_domain = b->p.domain_id;
	f.service_domain = a->domain_id;
	f.pages = b->pages;
	memcpy(f.name, b->name, sizeof f.name);
	b->stage = BIND_CHANNEL;
	b->service_core = a->core;
	b->service_domain = a->domain_id;
	pending_send(&b->p, MON_BIND_FWD, &f, sizeof f, a->core, MON_BIND_FWD_REPLY);
}

static void bind_done(struct pending *p, err_t e, const void *reply)
{
	struct bind_op *b = (struct bind_op *)p;
	if (e)
		bind_fail(b, e);
	else if (b->stage == BIND_LOOKUP)
		bind_lookup_done(b, reply);
	else
		bind_channel_done(b, reply);
}

void bind_request(uint32_t dom, struct mon_name_req *m)
{
	if (charge(dom, QUOTA_BINDS, 1, &m->h, MON_BIND_REQ))
		return;
	struct bind_op *b = malloc(sizeof *b);
	err_t e = b ? pending_add(&b->p, MON_BIND_REQ, dom, m->h.req_id, bind_done) : ERR_NOMEM;
	if (e) {
		free(b);
		uncharge(dom, QUOTA_BINDS, 1);
		refuse_op(dom, &m->h, MON_BIND_REQ, e);
		return;
	}
	b->stage = BIND_LOOKUP;
	b->pages = m->pages;
	mon_copy(b->name, m->name, sizeof b->name);
	if (!names_replicated()) {
		pending_send(&b->p, MON_LOOKUP_REQ, m, sizeof *m, 0, MON_LOOKUP_REPLY);
		return;
	}
	struct mon_name_reply a;
	memset(&a, 0, sizeof a);
	e = mon_names_lookup(names_registry(), b->name, &a.core, &a.domain_id);
	pending_complete(&b->p, e, e ? 0 : &a);
}

void bind_serve(struct mon_bind_fwd *m)
{
	struct mon_bind_fwd r = *m;
	struct chan_result ch = { 0, 0 };
	err_t e = ERR_DEAD;
	struct quota *q = local_alive(m->service_domain) ? local_quota(m->service_domain) : 0;
	if (q && (e = quota_take(q, QUOTA_CHANNELS, 1)))
		mon_log("bind '%s': domain %u reached its quota of %u %s", m->name,
			m->service_domain, q->limit[QUOTA_CHANNELS], quota_name(QUOTA_CHANNELS));
	else if (q && (e = (err_t)sys_chan_create(m->service_domain, m->pages, m->client_core,
						  &ch)))
		quota_give(q, QUOTA_CHANNELS, 1);
	if (!e) {
		struct mon_new_channel n;
		memset(&n, 0, sizeof n);
		n.va = ch.va;
		n.side = 1;
		n.peer_core = m->client_core;
		n.peer_domain = m->client_domain;
		n.pages = m->pages;
		memcpy(n.name, m->name, sizeof n.name);
		struct made_rec *rec = made_add(m, ch.pa);
		if (!local_send(m->service_domain, MON_NEW_CHANNEL, &n, sizeof n)) {
			e = ERR_DEAD;
			if (rec)
				client_gone(rec); /* no client will ever close it */
		}
	}
	if (e)
		mon_log("bind '%s' for core %u domain %u: %s", m->name, m->client_core,
			m->client_domain, err_str(e));
	else
		mon_log("bind '%s': channel 0x%lx (%u pages) between domain %u and core %u "
			"domain %u", m->name, (unsigned long)ch.pa, m->pages, m->service_domain,
			m->client_core, m->client_domain);
	if (!e) {
		char w[PROGRAM_NAME_MAX];
		mon_event("bind", "name=%s client_core=%u client_domain=%u service_domain=%u pages=%u",
			  mon_event_word(m->name, w, sizeof w), m->client_core, m->client_domain,
			  m->service_domain, m->pages);
	}
	r.pa = ch.pa;
	reply_monitor(MON_BIND_FWD_REPLY, &r, sizeof r, &m->h, e);
}
