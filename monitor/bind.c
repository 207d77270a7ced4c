/*
 * bind.c: a channel between a client domain and a named service.
 *
 * Two steps, each a request of the client's monitor:
 *   BIND_LOOKUP   MON_LOOKUP_REQ to the registry (core 0): where is `name`?
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
	if (e)
		uncharge(b->p.domain_id, QUOTA_BINDS, 1);
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
	pending_send(&b->p, MON_LOOKUP_REQ, m, sizeof *m, 0, MON_LOOKUP_REPLY);
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
		if (!local_send(m->service_domain, MON_NEW_CHANNEL, &n, sizeof n))
			e = ERR_DEAD;
	}
	if (e)
		mon_log("bind '%s' for core %u domain %u: %s", m->name, m->client_core,
			m->client_domain, err_str(e));
	else
		mon_log("bind '%s': channel 0x%lx (%u pages) between domain %u and core %u "
			"domain %u", m->name, (unsigned long)ch.pa, m->pages, m->service_domain,
			m->client_core, m->client_domain);
	r.pa = ch.pa;
	reply_monitor(MON_BIND_FWD_REPLY, &r, sizeof r, &m->h, e);
}
