/*
 * handlers.c: what the monitor does with each message (monitor/proto.h).
 *
 * From a local domain: the message is checked (mon_msg_check), its type
 * must be one a domain may send, and its routing fields are overwritten
 * with the truth (this core, that domain) before anything else looks at
 * them.  A refused message gets MON_ERROR back and a log line.
 * From another monitor (already checked by route.c): requests are served
 * here, replies are matched with their pending request.
 */
#include <libos/libos.h>
#include <libos/sys.h>
#include <lib/string.h>
#include <monitor/names.h>
#include "monitor.h"
#include "monsys.h"

#define MAX_NAMES 128

static struct mon_name_entry name_slots[MAX_NAMES];
static struct mon_names names;
static bool names_ready;

static struct mon_names *registry(void)
{
	if (!names_ready) {
		mon_names_init(&names, name_slots, MAX_NAMES);
		names_ready = true;
	}
	return &names;
}

void reply_error(uint32_t domain_id, const struct mon_hdr *h, uint16_t bad_type, err_t e,
		 const char *why)
{
	struct mon_error r;
	memset(&r, 0, sizeof r);
	if (h)
		r.h.req_id = h->req_id;
	r.h.src_core = r.h.dst_core = (uint16_t)mon_core;
	r.h.err = e;
	r.bad_type = bad_type;
	mon_copy(r.why, why, sizeof r.why);
	local_send(domain_id, MON_ERROR, &r, sizeof r);
}

/* Reply to a local domain: the body with the domain's req_id and err. */
static void reply_domain(uint32_t domain_id, uint32_t req, uint16_t type, void *msg,
			 size_t len, err_t e)
{
	struct mon_hdr *h = msg;
	h->req_id = req;
	h->err = e;
	h->src_core = h->dst_core = (uint16_t)mon_core;
	h->src_domain = 0;
	local_send(domain_id, type, msg, len);
}

/* Answer a request that came over a link, back to its origin. */
static void reply_monitor(uint16_t type, void *msg, size_t len, const struct mon_hdr *req,
			  err_t e)
{
	struct mon_hdr *h = msg;
	h->src_core = (uint16_t)mon_core;
	h->dst_core = req->src_core;
	h->req_id = req->req_id;
	h->src_domain = 0;
	h->err = e;
	if (route_send(type, msg, len))
		mon_log("answer %s to core %u lost", mon_type_name(type), req->src_core);
}

static void fail_to_domain(struct pending *p, err_t e)
{
	static const uint16_t reply_of[MON_TYPE_COUNT] = {
		[MON_SPAWN_REQ] = MON_SPAWN_REPLY, [MON_REGISTER_REQ] = MON_REGISTER_REPLY,
		[MON_LOOKUP_REQ] = MON_LOOKUP_REPLY, [MON_BIND_REQ] = MON_BIND_REPLY,
		[MON_MEM_ALLOC_REQ] = MON_MEM_ALLOC_REPLY, [MON_MEM_SEND_REQ] = MON_MEM_SEND_REPLY,
	};
	uint8_t buf[MON_MSG_MAX] __attribute__((aligned(8)));
	uint16_t type = p->type < MON_TYPE_COUNT ? reply_of[p->type] : 0;
	if (!type || !p->domain_id)
		return;
	memset(buf, 0, sizeof buf);
	if (type == MON_SPAWN_REPLY)
		((struct mon_spawn_reply *)buf)->core = p->target_core;
	reply_domain(p->domain_id, p->domain_req, type, buf, mon_msg_size(type), e);
}

void handlers_fail_pending(struct pending *p, err_t e)
{
	mon_log("%s for domain %u to core %u failed: %s", mon_type_name(p->type), p->domain_id,
		p->target_core, err_str(e));
	if (p->type == MON_SPAWN_REQ && p->stage == 1)
		boot_spawn_done(p, e, 0);
	else
		fail_to_domain(p, e);
	pending_free(p);
}

unsigned handlers_core_down(unsigned core)
{
	pending_fail_core(core, handlers_fail_pending);
	return mon_core == 0 ? mon_names_remove_core(registry(), core) : 0;
}


/*
 * Sends a request to another monitor and remembers who asked: the pending
 * entry (its type `ptype`, and for a bind the name and size) is complete
 * before the message leaves, because a request to this very core is
 * answered before route_send returns.  The entry may be gone afterwards.
 */
static void forward(uint16_t ptype, uint16_t type, void *msg, size_t len, uint32_t dst,
		    uint32_t domain_id, uint32_t domain_req, const char *name, uint32_t pages)
{
	struct pending *p = pending_new(ptype, dst, domain_id, domain_req);
	if (!p) {
		if (domain_id)
			reply_error(domain_id, msg, type, ERR_FULL, "too many requests in flight");
		return;
	}
	if (name)
		mon_copy(p->name, name, sizeof p->name);
	p->pages = pages;
	uint32_t id = p->id;
	struct mon_hdr *h = msg;
	h->src_core = (uint16_t)mon_core;
	h->dst_core = (uint16_t)dst;
	h->req_id = id;
	h->src_domain = domain_id;
	err_t e = core_is_up(dst) ? route_send(type, msg, len) : ERR_DEAD;
	if (e && pending_find(id) == p)
		handlers_fail_pending(p, e);
}

static bool domain_may_send(uint16_t type)
{
	switch (type) {
	case MON_SPAWN_REQ: case MON_REGISTER_REQ: case MON_LOOKUP_REQ: case MON_BIND_REQ:
	case MON_MEM_ALLOC_REQ: case MON_MEM_SEND_REQ: case MON_STOP_CORE_REQ: case MON_BCAST:
		return true;
	default:
		return false;
	}
}

/* ---- requests from local domains ---------------------------------------- */

static void domain_mem_send(uint32_t dom, struct mon_mem *m)
{
	uint32_t req = m->h.req_id;
	for (uint32_t i = 0; i < m->npages; i++) {
		err_t e = (err_t)sys_frame_revoke(dom, m->pa[i]);
		if (e) {
			char why[MON_WHY_MAX];
			snprintf(why, sizeof why, "MON_MEM_SEND_REQ: frame %#lx: %s",
				 (unsigned long)m->pa[i], err_str(e));
			mon_log("refused a message from domain %u: %s", dom, why);
			while (i--)
				sys_frame_grant(dom, m->pa[i]); /* undo: nothing moves */
			reply_error(dom, &m->h, MON_MEM_SEND_REQ, e, why);
			return;
		}
	}
	forward(MON_MEM_SEND_REQ, MON_MEM_FWD, m, sizeof *m, m->core, dom, req, 0, 0);
}

void handle_domain_message(uint32_t dom, uint16_t type, void *msg, size_t len)
{
	char why[MON_WHY_MAX];
	struct mon_hdr *h = msg;
	if (mon_msg_check(type, msg, len, mon_ncores, why, sizeof why)) {
		mon_log("refused a message from domain %u: %s", dom, why);
		reply_error(dom, len >= sizeof *h ? h : 0, type, ERR_SYNTAX, why);
		return;
	}
	if (!domain_may_send(type)) {
		snprintf(why, sizeof why, "%s may only come from a monitor", mon_type_name(type));
		mon_log("refused a message from domain %u: %s", dom, why);
		reply_error(dom, h, type, ERR_PERM, why);
		return;
	}
	uint32_t req = h->req_id;
	h->src_core = (uint16_t)mon_core;
	h->src_domain = dom;
	switch (type) {
	case MON_SPAWN_REQ: {
		struct mon_spawn_req *m = msg;
		forward(type, type, m, len, m->core, dom, req, 0, 0);
		break;
	}
	case MON_REGISTER_REQ: {
		struct mon_name_req *m = msg;
		m->core = mon_core;
		m->domain_id = dom;
		forward(type, type, m, len, 0, dom, req, 0, 0);
		break;
	}
	case MON_LOOKUP_REQ:
	case MON_MEM_ALLOC_REQ:
		forward(type, type, msg, len, 0, dom, req, 0, 0);
		break;
	case MON_BIND_REQ: {
		struct mon_name_req *m = msg;
		forward(MON_BIND_REQ, MON_LOOKUP_REQ, m, len, 0, dom, req, m->name, m->pages);
		break;
	}
	case MON_MEM_SEND_REQ:
		domain_mem_send(dom, msg);
		break;
	case MON_STOP_CORE_REQ: {
		struct mon_core *m = msg;
		if (m->core == 0) {
			/* core 0 holds the registry and the heartbeats */
			const char *no = "MON_STOP_CORE_REQ: core 0 cannot be stopped";
			mon_log("refused a message from domain %u: %s", dom, no);
			reply_error(dom, h, type, ERR_PERM, no);
			break;
		}
		err_t e = (err_t)sys_core_stop(m->core);
		mon_log("domain %u asked to stop core %u: %s", dom, m->core, err_str(e));
		reply_domain(dom, req, MON_STOP_CORE_REPLY, m, sizeof *m, e);
		break;
	}
	case MON_BCAST:
		bcast_request(dom, msg);
		break;
	}
}

/* ---- requests from other monitors --------------------------------------- */

static void serve_spawn(struct mon_spawn_req *m)
{
	struct mon_spawn_reply r;
	memset(&r, 0, sizeof r);
	r.core = mon_core;
	err_t e = local_spawn(m->program, m->argc, m->args, m->args_len, &r.domain_id);
	if (e)
		mon_log("spawn %s for core %u domain %u: %s", m->program, m->h.src_core,
			m->h.src_domain, err_str(e));
	else
		mon_log("started domain %u (%s) for core %u domain %u", r.domain_id, m->program,
			m->h.src_core, m->h.src_domain);
	reply_monitor(MON_SPAWN_REPLY, &r, sizeof r, &m->h, e);
}

static void serve_names(uint16_t type, struct mon_name_req *m)
{
	struct mon_name_reply r;
	memset(&r, 0, sizeof r);
	err_t e;
	if (type == MON_REGISTER_REQ) {
		e = mon_names_register(registry(), m->name, m->core, m->domain_id);
		r.core = m->core;
		r.domain_id = m->domain_id;
		mon_log("register '%s' -> core %u domain %u: %s", m->name, m->core, m->domain_id,
			e ? err_str(e) : "ok");
	} else {
		e = mon_names_lookup(registry(), m->name, &r.core, &r.domain_id);
	}
	reply_monitor(type + 1, &r, sizeof r, &m->h, e);
}

static void serve_bind(struct mon_bind_fwd *m)
{
	struct mon_bind_fwd r = *m;
	struct chan_result ch = { 0, 0 };
	err_t e = ERR_DEAD;
	if (local_alive(m->service_domain))
		e = (err_t)sys_chan_create(m->service_domain, m->pages, m->client_core, &ch);
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

static void serve_mem_alloc(struct mon_mem *m)
{
	struct mon_mem r = *m;
	err_t e = ERR_OK;
	for (uint32_t i = 0; i < m->npages && !e; i++)
		e = memory_alloc(1, &r.pa[i]);
	reply_monitor(MON_MEM_ALLOC_REPLY, &r, sizeof r, &m->h, e);
}

/*
 * Grants frames to domain `to` in order while that works (*e stays ERR_OK
 * if it worked); the rest go to this monitor, so every frame always has
 * exactly one owner.  Returns how many `to` got.
 */
static uint32_t grant_all(uint32_t to, const uint64_t *pa, uint32_t n, err_t *e)
{
	uint32_t granted = 0;
	while (!*e && granted < n) {
		*e = (err_t)sys_frame_grant(to, pa[granted]);
		granted += !*e;
	}
	for (uint32_t j = granted; j < n; j++)
		sys_frame_grant((uint32_t)sys_domain_id(), pa[j]);
	return granted;
}

static void serve_mem_fwd(struct mon_mem *m)
{
	struct mon_mem r = *m;
	uint32_t to = m->domain_id;
	err_t e = local_alive(to) ? ERR_OK : ERR_DEAD;
	uint32_t granted = grant_all(to, m->pa, m->npages, &e);
	if (granted) {
		struct mon_mem ev = *m;
		ev.core = m->h.src_core;
		ev.domain_id = m->h.src_domain;
		ev.npages = granted;
		local_send(to, MON_MEM_RECV, &ev, sizeof ev);
	}
	reply_monitor(MON_MEM_SEND_REPLY, &r, sizeof r, &m->h, e);
}

/* ---- answers to our own requests ---------------------------------------- */

static void bind_lookup_done(struct pending *p, struct mon_name_reply *m)
{
	struct mon_bind_fwd f;
	memset(&f, 0, sizeof f);
	f.client_core = mon_core;
	f.client_domain = p->domain_id;
	f.service_domain = m->domain_id;
	f.pages = p->pages;
	memcpy(f.name, p->name, sizeof f.name);
	f.h.src_core = (uint16_t)mon_core;
	f.h.dst_core = (uint16_t)m->core;
	f.h.req_id = p->id;
	f.h.src_domain = p->domain_id;
	p->stage = 1;
	p->target_core = m->core;
	p->extra = m->domain_id;
	err_t e = core_is_up(m->core) ? route_send(MON_BIND_FWD, &f, sizeof f) : ERR_DEAD;
	if (e)
		handlers_fail_pending(p, e);
}

static void bind_fwd_done(struct pending *p, struct mon_bind_fwd *m)
{
	struct mon_name_reply r;
	struct chan_result ch;
	memset(&r, 0, sizeof r);
	err_t e = (err_t)sys_chan_map(p->domain_id, m->pa, p->pages, p->target_core, &ch);
	r.core = p->target_core;
	r.domain_id = p->extra;
	r.va = ch.va;
	r.side = 0;
	reply_domain(p->domain_id, p->domain_req, MON_BIND_REPLY, &r, sizeof r, e);
}

static void mem_alloc_done(struct pending *p, struct mon_mem *m)
{
	err_t e = ERR_OK;
	m->npages = grant_all(p->domain_id, m->pa, m->npages, &e);
	reply_domain(p->domain_id, p->domain_req, MON_MEM_ALLOC_REPLY, m, sizeof *m, e);
}

static void answer(uint16_t type, void *msg, size_t len)
{
	struct mon_hdr *h = msg;
	struct pending *p = pending_find(h->req_id);
	if (!p) {
		mon_log("%s from core %u answers no request of ours", mon_type_name(type),
			h->src_core);
		return;
	}
	err_t e = h->err;
	if (type == MON_ERROR) {
		struct mon_error *m = msg;
		mon_log("core %u refused our %s: %s", h->src_core, mon_type_name((uint16_t)m->bad_type),
			m->why);
		handlers_fail_pending(p, e ? e : ERR_SYNTAX);
		return;
	}
	if (e && !(type == MON_SPAWN_REPLY && p->stage == 1)) {
		handlers_fail_pending(p, e);
		return;
	}
	if (p->type == MON_BIND_REQ && type == MON_LOOKUP_REPLY) {
		bind_lookup_done(p, msg);
		return; /* still pending: stage 1 */
	} else if (p->type == MON_BIND_REQ && type == MON_BIND_FWD_REPLY) {
		bind_fwd_done(p, msg);
	} else if (type == MON_SPAWN_REPLY && p->stage == 1) {
		boot_spawn_done(p, e, ((struct mon_spawn_reply *)msg)->domain_id);
	} else if (type == MON_MEM_ALLOC_REPLY) {
		mem_alloc_done(p, msg);
	} else {
		reply_domain(p->domain_id, p->domain_req, type, msg, len, e);
	}
	pending_free(p);
}

void handle_monitor_message(uint16_t type, void *msg, size_t len)
{
	struct mon_hdr *h = msg;
	switch (type) {
	case MON_SPAWN_REQ:      serve_spawn(msg); break;
	case MON_REGISTER_REQ:
	case MON_LOOKUP_REQ:
		if (mon_core == 0)
			serve_names(type, msg);
		break;
	case MON_BIND_FWD:       serve_bind(msg); break;
	case MON_MEM_ALLOC_REQ:
		if (mon_core == 0)
			serve_mem_alloc(msg);
		break;
	case MON_MEM_FWD:        serve_mem_fwd(msg); break;
	case MON_PING: {
		struct mon_ping r = *(struct mon_ping *)msg;
		reply_monitor(MON_PONG, &r, sizeof r, h, ERR_OK);
		break;
	}
	case MON_PONG:           liveness_pong(msg); break;
	case MON_CORE_DOWN:      liveness_core_down(((struct mon_core *)msg)->core); break;
	case MON_BCAST:
	case MON_BCAST_ACK:      bcast_message(type, msg); break;
	case MON_SPAWN_REPLY: case MON_REGISTER_REPLY: case MON_LOOKUP_REPLY:
	case MON_BIND_FWD_REPLY: case MON_MEM_ALLOC_REPLY: case MON_MEM_SEND_REPLY:
	case MON_ERROR:
		answer(type, msg, len);
		break;
	default:
		mon_log("%s from core %u is not a monitor-to-monitor message", mon_type_name(type),
			h->src_core);
	}
}
