/*
 * spawn.c: starting a domain on any core.
 *
 * Requester side: a local domain's MON_SPAWN_REQ goes to the monitor of the
 * core it names (possibly this one); when MON_SPAWN_REPLY (or a failure)
 * comes back, the domain gets MON_SPAWN_REPLY with the core and the new
 * domain's id, or the error.  The requester's quota (quota.h) counts the
 * spawn while it is in flight and the child while it lives (its monitor
 * sends MON_DOMAIN_END when it ends).  Server side: the monitor of the target core
 * starts the program (local.c) and answers.  Boot's manifest spawns
 * (boot.c) use the same server with their own state and callback.
 */
#include <libos/libos.h>
#include <libos/malloc.h>
#include <lib/string.h>
#include <monitor/rights.h>
#include "monitor.h"

struct spawn_op {
	struct pending p;            /* first: see pending.c */
};

static void spawn_done(struct pending *p, err_t e, const void *reply)
{
	const struct mon_spawn_reply *a = reply;
	struct mon_spawn_reply r;
	memset(&r, 0, sizeof r);
	r.core = p->target_core;
	r.domain_id = e ? 0 : a->domain_id;
	uncharge(p->domain_id, QUOTA_SPAWNS, 1);
	if (e)
		uncharge(p->domain_id, QUOTA_CHILDREN, 1); /* else until MON_DOMAIN_END */
	reply_domain(p->domain_id, p->domain_req, MON_SPAWN_REPLY, &r, sizeof r, e);
	free(p);
}

/* Charged per domain: a spawn in flight, and a child until it ends. */
void spawn_request(uint32_t dom, struct mon_spawn_req *m)
{
	m->depth = local_depth(dom) + 1;
	local_span_set(dom, m->span);    /* a child may span what its parent may */
	if (m->depth > QUOTA_DEPTH_MAX) {
		char why[MON_WHY_MAX];
		snprintf(why, sizeof why, "MON_SPAWN_REQ: domain %u is %u spawns below the manifest "
			 "(quota: %u)", dom, m->depth - 1, (unsigned)QUOTA_DEPTH_MAX);
		mon_log("refused a message from domain %u: %s", dom, why);
		reply_error(dom, &m->h, MON_SPAWN_REQ, ERR_QUOTA, why);
		return;
	}
	if (charge(dom, QUOTA_SPAWNS, 1, &m->h, MON_SPAWN_REQ))
		return;
	if (charge(dom, QUOTA_CHILDREN, 1, &m->h, MON_SPAWN_REQ)) {
		uncharge(dom, QUOTA_SPAWNS, 1);
		return;
	}
	struct spawn_op *s = malloc(sizeof *s);
	err_t e = s ? pending_add(&s->p, MON_SPAWN_REQ, dom, m->h.req_id, spawn_done) : ERR_NOMEM;
	if (e) {
		free(s);
		uncharge(dom, QUOTA_SPAWNS, 1);
		uncharge(dom, QUOTA_CHILDREN, 1);
		refuse_op(dom, &m->h, MON_SPAWN_REQ, e);
		return;
	}
	pending_send(&s->p, MON_SPAWN_REQ, m, sizeof *m, m->core, MON_SPAWN_REPLY);
}

void spawn_serve(struct mon_spawn_req *m)
{
	struct mon_spawn_reply r;
	memset(&r, 0, sizeof r);
	r.core = mon_core;
	err_t e = local_spawn(m->program, m->argc, m->args, m->args_len, m->rights,
			      m->h.src_core, m->h.src_domain, m->depth, m->span, &r.domain_id);
	if (e) {
		mon_log("spawn %s for core %u domain %u: %s", m->program, m->h.src_core,
			m->h.src_domain, err_str(e));
	} else {
		mon_log("started domain %u (%s) for core %u domain %u", r.domain_id, m->program,
			m->h.src_core, m->h.src_domain);
		mon_event("spawn", "id=%u program=%s for_core=%u for_domain=%u", r.domain_id,
			  m->program, m->h.src_core, m->h.src_domain);
	}
	if (!e && m->rights) {
		char names[64];
		mon_log("domain %u holds the rights %s", r.domain_id,
			rights_format(m->rights, names, sizeof names));
	}
	reply_monitor(MON_SPAWN_REPLY, &r, sizeof r, &m->h, e);
}
