/*
 * handlers.c: the gate for local domains' messages and which message goes
 * to which operation (monitor/proto.h).
 *
 * From a local domain: the message is checked (mon_msg_check), its type
 * must be one a domain may send, and its routing fields are overwritten
 * with the truth (this core, that domain) before anything else looks at
 * them.  A refused message gets MON_ERROR back and a log line.
 * From another monitor (already checked by route.c): requests go to the
 * operation that serves them, answers to the request waiting for them
 * (pending.c), events to liveness.c and bcast.c.
 */
#include <libos/libos.h>
#include <libos/sys.h>
#include <libos/trace.h>
#include <lib/string.h>
#include <monitor/rights.h>
#include "monitor.h"
#include "monsys.h"

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

void reply_domain(uint32_t domain_id, uint32_t req, uint16_t type, void *msg, size_t len,
		  err_t e)
{
	struct mon_hdr *h = msg;
	h->req_id = req;
	h->err = e;
	h->src_core = h->dst_core = (uint16_t)mon_core;
	h->src_domain = 0;
	local_send(domain_id, type, msg, len);
}

void reply_monitor(uint16_t type, void *msg, size_t len, const struct mon_hdr *req, err_t e)
{
	struct mon_hdr *h = msg;
	uint16_t to = req->src_core;
	h->src_core = (uint16_t)mon_core;
	h->dst_core = to;
	h->req_id = req->req_id;
	h->src_domain = 0;
	h->err = e;
	if (route_send(type, msg, len))
		mon_log("answer %s to core %u lost", mon_type_name(type), to);
}

err_t charge(uint32_t dom, enum quota_kind k, uint32_t n, const struct mon_hdr *h,
	     uint16_t type)
{
	struct quota *q = local_quota(dom);
	if (!q || quota_take(q, k, n) == ERR_OK)
		return ERR_OK;
	char why[MON_WHY_MAX];
	snprintf(why, sizeof why, "%s: domain %u reached its quota of %u %s", mon_type_name(type),
		 dom, q->limit[k], quota_name(k));
	mon_log("refused a message from domain %u: %s", dom, why);
	reply_error(dom, h, type, ERR_QUOTA, why);
	return ERR_QUOTA;
}

void uncharge(uint32_t dom, enum quota_kind k, uint32_t n)
{
	struct quota *q = local_quota(dom);
	if (q)
		quota_give(q, k, n);
}

void refuse_op(uint32_t dom, const struct mon_hdr *h, uint16_t type, err_t e)
{
	char why[MON_WHY_MAX];
	if (e == ERR_QUOTA)
		snprintf(why, sizeof why, "%s: domain %u reached its quota of %u %s",
			 mon_type_name(type), dom, (unsigned)QUOTA_PENDING_MAX, quota_name(QUOTA_PENDING));
	else
		snprintf(why, sizeof why, "%s: %s", mon_type_name(type),
			 e == ERR_FULL ? "too many requests in flight" : err_str(e));
	mon_log("refused a message from domain %u: %s", dom, why);
	reply_error(dom, h, type, e, why);
}

/*
 * Every replica drops an ended domain's names; each says so on machines of
 * up to QUIET_ABOVE_CORES cores.  Above, only the domain's own core does
 * (local.c): at 255 cores each named domain's end made 254 lines, 16 000
 * for a soak's 64 nodes.
 */

static void domain_end(const struct mon_domain_end *m)
{
	if (m->parent_domain)
		uncharge(m->parent_domain, QUOTA_CHILDREN, 1);
	unsigned n = names_domain_end(m->h.src_core, m->h.src_domain);
	if (n && mon_ncores <= QUIET_ABOVE_CORES)
		mon_log("domain %u of core %u ended: %u names dropped", m->h.src_domain,
			m->h.src_core, n);
}

unsigned handlers_core_down(unsigned core)
{
	pending_fail_core(core);
	bind_core_down(core);
	span_core_down(core);
	poolreuse_core_down(core);
	return names_core_down(core);
}

/* Any core may be stopped, core 0 included: no monitor has a central role after boot. */
static void stop_core(uint32_t dom, struct mon_core *m)
{
	err_t e = (err_t)sys_core_stop(m->core);
	mon_log("domain %u asked to stop core %u: %s", dom, m->core, err_str(e));
	reply_domain(dom, m->h.req_id, MON_STOP_CORE_REPLY, m, sizeof *m, e);
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
	if (!mon_may_send(MON_SIDE_DOMAIN, type)) {
		snprintf(why, sizeof why, "%s may only come from a monitor", mon_type_name(type));
		mon_log("refused a message from domain %u: %s", dom, why);
		reply_error(dom, h, type, ERR_PERM, why);
		return;
	}
	uint32_t lacks = rights_needed(type, msg, mon_core) & ~local_rights(dom);
	if (lacks) {
		char names[64];
		snprintf(why, sizeof why, "%s needs the right %s, which domain %u lacks",
			 mon_type_name(type), rights_format(lacks, names, sizeof names), dom);
		mon_log("refused a message from domain %u: %s", dom, why);
		reply_error(dom, h, type, ERR_PERM, why);
		return;
	}
	libos_trace(TR_MON_OP, type, mon_core, h->req_id);
	h->src_core = (uint16_t)mon_core;
	h->src_domain = dom;
	switch (type) {
	case MON_SPAWN_REQ:      spawn_request(dom, msg); break;
	case MON_REGISTER_REQ:
	case MON_LOOKUP_REQ:     names_request(dom, type, msg); break;
	case MON_BIND_REQ:       bind_request(dom, msg); break;
	case MON_MEM_ALLOC_REQ:  memops_alloc_request(dom, msg); break;
	case MON_MEM_SEND_REQ:   memops_send_request(dom, msg); break;
	case MON_MEM_FREE_REQ:   memops_free_request(dom, msg); break;
	case MON_STOP_CORE_REQ:  stop_core(dom, msg); break;
	case MON_BCAST:          bcast_request(dom, msg); break;
	case MON_SPAN_REQ:       span_request(dom, msg); break;
	case MON_VM_REQ:         vm_request(dom, msg); break;
	case MON_QUERY_REQ:      query_request(dom, msg); break;
	case MON_RESTART_CORE_REQ: restart_request(dom, msg); break;
	case MON_MUTE_CORE_REQ:  mute_request(dom, msg); break;
	}
}

void handle_monitor_message(uint16_t type, void *msg, size_t len)
{
	struct mon_hdr *h = msg;
	(void)len;
	libos_trace(TR_MON_OP, type, h->src_core, h->req_id);
	switch (type) {
	case MON_SPAWN_REQ:      spawn_serve(msg); break;
	case MON_REGISTER_REQ:
	case MON_LOOKUP_REQ:     names_serve(type, msg); break;
	case MON_BIND_FWD:       bind_serve(msg); break;
	case MON_MEM_ALLOC_REQ:  memops_alloc_serve(msg); break;
	case MON_MEM_FWD:        memops_send_serve(msg); break;
	case MON_MEM_RETURN:     memory_return_serve(msg); break;
	case MON_PING: {
		struct mon_ping r = *(struct mon_ping *)msg;
		reply_monitor(MON_PONG, &r, sizeof r, h, ERR_OK);
		break;
	}
	case MON_PONG:           liveness_pong(msg); break;
	case MON_DOMAIN_END:     domain_end(msg); break;
	case MON_CHAN_CLOSE:     bind_close_serve(msg); break;
	case MON_SPAN_REQ:       span_serve(msg); break;
	case MON_QUERY_REQ:      query_serve(msg); break;
	case MON_SPAN_END:       span_end_serve(msg); break;
	case MON_SPAN_DIED:      span_died(msg); break;
	case MON_VM_FWD:         vm_serve(msg); break;
	case MON_CORE_DOWN:      liveness_down_message(msg); break;
	case MON_SUSPECT:        liveness_suspect(msg); break;
	case MON_REFUTE:         liveness_refute(msg); break;
	case MON_CORE_UP:        restart_core_up(msg); break;
	case MON_POOL_QUERY:
	case MON_POOL_CLEAR:     poolreuse_message(type, msg); break;
	case MON_BCAST:
	case MON_BCAST_ACK:      bcast_message(type, msg); break;
	case MON_NAME_PREPARE: case MON_NAME_VOTE: case MON_NAME_COMMIT:
	case MON_NAME_ABORT: case MON_NAME_STATE:
		namerepl_message(type, msg);
		break;
	case MON_SPAWN_REPLY: case MON_REGISTER_REPLY: case MON_LOOKUP_REPLY:
	case MON_BIND_FWD_REPLY: case MON_MEM_ALLOC_REPLY: case MON_MEM_SEND_REPLY:
	case MON_SPAN_REPLY: case MON_SPAN_END_REPLY: case MON_VM_FWD_REPLY:
	case MON_ERROR: case MON_QUERY_REPLY:
		pending_answer(type, msg);
		break;
	default:
		mon_log("%s from core %u is not a monitor-to-monitor message", mon_type_name(type),
			h->src_core);
	}
}
