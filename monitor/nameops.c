/*
 * nameops.c: registering and looking up service names.
 *
 * Two modes.  Replicated (the default): every monitor holds the registry
 * (include/monitor/names.h); a lookup is answered from this monitor's
 * replica without a message, a registration is agreed by two-phase commit
 * among every live monitor (namerepl.c).  Central (boot option
 * names=central, kept to measure against): the registry is core 0's only.
 * Requester side: a local domain's MON_REGISTER_REQ (registering itself:
 * the core and domain fields are filled here, never taken from the domain)
 * or MON_LOOKUP_REQ goes to core 0; its answer goes back to the domain as
 * MON_REGISTER_REPLY / MON_LOOKUP_REPLY.  Server side (core 0): the
 * registry answers.  In both modes a domain holds at most QUOTA_NAMES_MAX
 * names (ERR_QUOTA), and when a domain ends (MON_DOMAIN_END) or its core
 * stops, its names are dropped from every registry.
 */
#include <libos/libos.h>
#include <libos/malloc.h>
#include <lib/string.h>
#include <monitor/names.h>
#include "monitor.h"

#define MAX_NAMES 1024 /* four services on each of 255 cores; 40 KiB */

static struct mon_name_entry name_slots[MAX_NAMES];
static struct mon_names names;
static bool names_ready;

bool names_replicated(void)
{
	return !(mon_info->flags & MONITOR_FLAG_NAMES_CENTRAL);
}

struct mon_names *names_registry(void)
{
	if (!names_ready) {
		mon_names_init(&names, name_slots, MAX_NAMES);
		names_ready = true;
	}
	return &names;
}

struct name_op {
	struct pending p;            /* first: see pending.c */
	uint16_t reply;              /* MON_REGISTER_REPLY or MON_LOOKUP_REPLY */
};

static void name_done(struct pending *p, err_t e, const void *reply)
{
	struct name_op *n = (struct name_op *)p;
	struct mon_name_reply r;
	if (reply)
		r = *(const struct mon_name_reply *)reply;
	else
		memset(&r, 0, sizeof r);
	reply_domain(p->domain_id, p->domain_req, n->reply, &r, sizeof r, e);
	free(n);
}

/* Replicated: a lookup from this monitor's replica, no message. */
static void lookup_local(uint32_t dom, struct mon_name_req *m)
{
	struct mon_name_reply r;
	memset(&r, 0, sizeof r);
	err_t e = mon_names_lookup(names_registry(), m->name, &r.core, &r.domain_id);
	reply_domain(dom, m->h.req_id, MON_LOOKUP_REPLY, &r, sizeof r, e);
}

void names_request(uint32_t dom, uint16_t type, struct mon_name_req *m)
{
	if (names_replicated()) {
		if (type == MON_LOOKUP_REQ)
			lookup_local(dom, m);
		else
			namerepl_register(dom, m);
		return;
	}
	uint16_t reply = type == MON_REGISTER_REQ ? MON_REGISTER_REPLY : MON_LOOKUP_REPLY;
	struct name_op *n = malloc(sizeof *n);
	err_t e = n ? pending_add(&n->p, type, dom, m->h.req_id, name_done) : ERR_NOMEM;
	if (e) {
		free(n);
		refuse_op(dom, &m->h, type, e);
		return;
	}
	n->reply = reply;
	if (type == MON_REGISTER_REQ) {
		m->core = mon_core;
		m->domain_id = dom;
		local_named(dom);
	}
	pending_send(&n->p, type, m, sizeof *m, 0, reply);
}

void names_serve(uint16_t type, struct mon_name_req *m)
{
	struct mon_name_reply r;
	err_t e;
	if (mon_core != 0 || names_replicated()) {
		mon_log("refused %s from core %u: the name registry is %s", mon_type_name(type),
			m->h.src_core, names_replicated() ? "replicated" : "on core 0");
		return;
	}
	memset(&r, 0, sizeof r);
	if (type == MON_REGISTER_REQ) {
		if (mon_names_count_domain(names_registry(), m->core, m->domain_id) >= QUOTA_NAMES_MAX) {
			e = ERR_QUOTA;
			mon_log("register '%s': domain %u of core %u reached its quota of %u %s",
				m->name, m->domain_id, m->core, QUOTA_NAMES_MAX,
				quota_name(QUOTA_NAMES));
		} else {
			e = mon_names_register(names_registry(), m->name, m->core, m->domain_id);
		}
		r.core = m->core;
		r.domain_id = m->domain_id;
		mon_log("register '%s' -> core %u domain %u: %s", m->name, m->core, m->domain_id,
			e ? err_str(e) : "ok");
		if (!e) {
			char w[PROGRAM_NAME_MAX];
			mon_event("name.register", "name=%s service_core=%u service_domain=%u",
				  mon_event_word(m->name, w, sizeof w), m->core, m->domain_id);
		}
		reply_monitor(MON_REGISTER_REPLY, &r, sizeof r, &m->h, e);
	} else {
		e = mon_names_lookup(names_registry(), m->name, &r.core, &r.domain_id);
		reply_monitor(MON_LOOKUP_REPLY, &r, sizeof r, &m->h, e);
	}
}

unsigned names_domain_end(uint32_t core, uint32_t domain)
{
	if (names_replicated())
		return namerepl_domain_end(core, domain);
	return mon_core == 0 ? mon_names_remove_domain(names_registry(), core, domain) : 0;
}

const struct mon_names *names_table(void)
{
	return mon_core == 0 || names_replicated() ? names_registry() : 0;
}

unsigned names_core_down(unsigned core)
{
	if (names_replicated())
		return namerepl_core_down(core);
	return mon_core == 0 ? mon_names_remove_core(names_registry(), core) : 0;
}
