/*
 * query.c: what the shell asks about the system (MON_QUERY_REQ, kinds in
 * monitor/proto.h): the domains of a core, a core's pool and load, the
 * name registry, the channels of a core's domains, ending a domain, and a
 * monitor's liveness counts (the soak's report).
 *
 * Requester side: a local domain's request goes to the monitor of the core
 * it names, with the requester's rights filled in here from the kernel (a
 * domain cannot claim rights it does not hold); the answer goes back to the
 * domain as MON_QUERY_REPLY.  Server side: the monitor of that core reads
 * its own kernel (SYS_DOMAIN_INFO, SYS_CORE_INFO) or registry, or asks its
 * kernel to end a domain (SYS_DOMAIN_KILL decides who may).
 */
#include <libos/libos.h>
#include <libos/malloc.h>
#include <lib/string.h>
#include <monitor/names.h>
#include <sys/rights.h>
#include "monitor.h"
#include "monsys.h"

struct query_op {
	struct pending p;            /* first: see pending.c */
	uint32_t kind;
};

static void query_done(struct pending *p, err_t e, const void *reply)
{
	struct query_op *q = (struct query_op *)p;
	struct mon_query_reply r;
	if (reply && !e) {
		memcpy(&r, reply, sizeof r);
	} else {
		memset(&r, 0, sizeof r);
		r.core = p->target_core;
		r.kind = q->kind;
	}
	reply_domain(p->domain_id, p->domain_req, MON_QUERY_REPLY, &r, sizeof r, e);
	free(q);
}

/* The rights of local domain dom, from the kernel (0 if it is gone). */
static uint32_t rights_of(uint32_t dom)
{
	struct sys_domain_info info;
	for (uint32_t i = 0; sys_domain_info(i, &info) == ERR_OK; i++)
		if (info.id == dom)
			return info.rights;
	return 0;
}

void query_request(uint32_t dom, struct mon_query_req *m)
{
	struct query_op *q = malloc(sizeof *q);
	err_t e = q ? pending_add(&q->p, MON_QUERY_REQ, dom, m->h.req_id, query_done) : ERR_NOMEM;
	if (e) {
		free(q);
		reply_error(dom, &m->h, MON_QUERY_REQ, e, "too many requests in flight");
		return;
	}
	q->kind = m->kind;
	m->rights = rights_of(dom);
	pending_send(&q->p, MON_QUERY_REQ, m, sizeof *m, m->core, MON_QUERY_REPLY);
}

/* Appends one entry if there is room (the rest are counted in total only). */
static void put(struct mon_query_reply *r, const uint32_t v[6], const char *name)
{
	if (r->n >= MON_QUERY_ENTRIES)
		return;
	struct mon_qentry *e = &mon_qentries(r)[r->n];
	memcpy(e->v, v, sizeof e->v);
	mon_copy(e->name, name, sizeof e->name);
	r->n++;
}

static void serve_domains(struct mon_query_reply *r, uint32_t first, bool chans)
{
	struct sys_domain_info d;
	for (uint32_t i = 0; sys_domain_info(i, &d) == ERR_OK; i++) {
		uint32_t v[6] = { d.id, d.state, d.rights, d.privileged, d.nframes, d.nchans };
		if (chans) {
			v[1] = d.nchans;
			v[2] = v[3] = 0;
			for (unsigned k = 0; k < 8 && k < d.nchans; k++)
				v[2 + k / 4] |= (uint32_t)(d.chan_peer[k] & 0xff) << (8 * (k % 4));
			v[4] = v[5] = 0;
		}
		if (i >= first)
			put(r, v, d.program);
		r->total = i + 1;
	}
}

static void serve_core(struct mon_query_reply *r)
{
	struct sys_core_info c;
	if (sys_core_info(&c) != ERR_OK)
		return;
	/* idle share in per mille since the last question (the first: since boot) */
	static uint64_t last_idle, last_now;
	uint64_t di = c.idle_tsc - last_idle, dt = c.now_tsc - last_now;
	last_idle = c.idle_tsc;
	last_now = c.now_tsc;
	uint32_t idle = dt ? (uint32_t)(di * 1000 / dt) : 1000;
	uint32_t v[6] = { (uint32_t)c.pool_free, (uint32_t)c.pool_total, c.ndomains,
			  idle > 1000 ? 0 : 1000 - idle, c.node,
			  (c.package & 0xffff) << 16 | (c.core & 0xff) << 8 | (c.thread & 0xff) };
	put(r, v, "up");
	r->total = 1;
}

static err_t serve_names(struct mon_query_reply *r, uint32_t first)
{
	const struct mon_names *t = names_table();
	if (!t)
		return ERR_RANGE; /* only core 0 keeps the registry */
	for (unsigned i = 0; i < t->cap; i++) {
		const struct mon_name_entry *n = &t->slots[i];
		if (!n->name[0])
			continue;
		uint32_t v[6] = { n->core, n->domain_id, 0, 0, 0, 0 };
		if (r->total >= first)
			put(r, v, n->name);
		r->total++;
	}
	return ERR_OK;
}

static void serve_liveness(struct mon_query_reply *r)
{
	const struct liveness_counts *c = liveness_counts();
	/* false downs: cores this monitor declared down and found running (it
	 * fenced them), and times this core was told it was down while alive */
	uint32_t v[6] = { c->raised, c->withdrawn, c->refuted, c->declared,
			  c->fenced + c->false_down, c->escalated };
	put(r, v, "liveness");
	r->total = 1;
}

static err_t serve_kill(const struct mon_query_req *m)
{
	err_t e = (err_t)sys_domain_kill(m->arg, m->rights);
	mon_log("core %u domain %u asked to end domain %u: %s", m->h.src_core, m->h.src_domain,
		m->arg, err_str(e));
	return e;
}

void query_serve(struct mon_query_req *m)
{
	struct mon_query_reply r;
	err_t e = ERR_OK;
	memset(&r, 0, sizeof r);
	r.core = mon_core;
	r.kind = m->kind;
	switch (m->kind) {
	case MON_Q_PS:    serve_domains(&r, m->index, false); break;
	case MON_Q_CHANS: serve_domains(&r, m->index, true); break;
	case MON_Q_CORE:  serve_core(&r); break;
	case MON_Q_NAMES: e = serve_names(&r, m->index); break;
	case MON_Q_KILL:  e = serve_kill(m); break;
	case MON_Q_LIVENESS: serve_liveness(&r); break;
	default:          e = ERR_INVAL; break;
	}
	if (r.n > r.total)
		r.total = r.n;
	reply_monitor(MON_QUERY_REPLY, &r, sizeof r, &m->h, e);
}
