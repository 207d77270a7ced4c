/*
 * memops.c: frames of the monitors' memory (memory.c), allocated and sent.
 *
 * Allocate: a local domain's MON_MEM_ALLOC_REQ goes to core 0, whose
 * monitor takes the frames from its memory and answers with their
 * addresses; the requester's monitor grants them to the domain and answers
 * it with MON_MEM_ALLOC_REPLY.
 * Send: the sender's monitor revokes the frames from the sender (all or
 * none: they must be its own and unmapped), then MON_MEM_FWD takes them to
 * the receiver's monitor, which grants them to the receiver, tells it
 * (MON_MEM_RECV) and answers (MON_MEM_SEND_REPLY); the sender gets that
 * answer.  Every frame has exactly one owner at every step.  A send that
 * fails gives the frames back to the sender (send_failed).  Quota
 * (quota.h): the frames a domain was given, alloc and receive charge it,
 * a completed send gives back; held until it ends.
 */
#include <libos/libos.h>
#include <libos/malloc.h>
#include <libos/sys.h>
#include <lib/string.h>
#include "monitor.h"
#include "monsys.h"

struct mem_op {
	struct pending p;            /* first: see pending.c */
	uint16_t reply;              /* MON_MEM_ALLOC_REPLY or MON_MEM_SEND_REPLY */
	uint32_t npages;             /* asked for, or sent */
	uint64_t pa[MON_MEM_PAGES];  /* SEND: the frames, to give back on failure */
};

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

/*
 * A send that failed: the frames that never left this core (no answer
 * because the target core is down or the link refused it, or the peer
 * refused the message) or that the receiver's monitor handed back go to
 * the sender again.  After a time-out nobody knows whether they arrived:
 * they stay with this monitor, so no frame ever has two owners.
 */
static void send_failed(struct mem_op *o, err_t e, const struct mon_mem *r)
{
	err_t g = ERR_OK;
	uint32_t n = 0;
	if (r && r->npages <= MON_MEM_PAGES)
		n = grant_all(o->p.domain_id, r->pa, r->npages, &g);
	else if (!r && e != ERR_TIMEOUT)
		n = grant_all(o->p.domain_id, o->pa, o->npages, &g);
	if (n)
		mon_log("MON_MEM_SEND_REQ of domain %u failed (%s): %u frames given back",
			o->p.domain_id, err_str(e), n);
}

static void mem_done(struct pending *p, err_t e, const void *reply)
{
	struct mem_op *o = (struct mem_op *)p;
	struct mon_mem r;
	if (reply)
		r = *(const struct mon_mem *)reply;
	else
		memset(&r, 0, sizeof r);
	if (o->reply == MON_MEM_ALLOC_REPLY) {
		if (!e)
			r.npages = grant_all(p->domain_id, r.pa, r.npages, &e);
		uncharge(p->domain_id, QUOTA_MEM, o->npages - (e ? 0 : r.npages));
	} else if (e) {
		send_failed(o, e, reply);
	} else {
		uncharge(p->domain_id, QUOTA_MEM, o->npages);
	}
	reply_domain(p->domain_id, p->domain_req, o->reply, &r, sizeof r, e);
	free(o);
}

static struct mem_op *mem_op_new(uint32_t dom, uint16_t type, struct mon_mem *m)
{
	struct mem_op *o = malloc(sizeof *o);
	err_t e = o ? pending_add(&o->p, type, dom, m->h.req_id, mem_done) : ERR_NOMEM;
	if (e) {
		free(o);
		refuse_op(dom, &m->h, type, e);
		return 0;
	}
	o->reply = type == MON_MEM_ALLOC_REQ ? MON_MEM_ALLOC_REPLY : MON_MEM_SEND_REPLY;
	o->npages = m->npages;
	memcpy(o->pa, m->pa, sizeof o->pa);
	return o;
}

void memops_alloc_request(uint32_t dom, struct mon_mem *m)
{
	if (charge(dom, QUOTA_MEM, m->npages, &m->h, MON_MEM_ALLOC_REQ))
		return;
	struct mem_op *o = mem_op_new(dom, MON_MEM_ALLOC_REQ, m);
	if (!o)
		uncharge(dom, QUOTA_MEM, m->npages);
	else
		pending_send(&o->p, MON_MEM_ALLOC_REQ, m, sizeof *m, 0, MON_MEM_ALLOC_REPLY);
}

void memops_alloc_serve(struct mon_mem *m)
{
	struct mon_mem r = *m;
	err_t e = ERR_OK;
	if (mon_core != 0)
		return;
	uint32_t i = 0;
	for (; i < m->npages && !e; i++)
		e = memory_alloc(1, &r.pa[i]);
	if (e) /* all or nothing: the frames taken before go back */
		for (uint32_t j = 0; j + 1 < i; j++)
			memory_free(r.pa[j]);
	reply_monitor(MON_MEM_ALLOC_REPLY, &r, sizeof r, &m->h, e);
}

void memops_send_request(uint32_t dom, struct mon_mem *m)
{
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
	struct mem_op *o = mem_op_new(dom, MON_MEM_SEND_REQ, m);
	if (o) {
		pending_send(&o->p, MON_MEM_FWD, m, sizeof *m, m->core, MON_MEM_SEND_REPLY);
		return;
	}
	for (uint32_t i = 0; i < m->npages; i++)
		sys_frame_grant(dom, m->pa[i]); /* refused: nothing moves */
}

/* Grants to `to` in order while that works; returns how many. */
static uint32_t grant_some(uint32_t to, const uint64_t *pa, uint32_t n, err_t *e)
{
	uint32_t granted = 0;
	while (!*e && granted < n) {
		*e = (err_t)sys_frame_grant(to, pa[granted]);
		granted += !*e;
	}
	return granted;
}

/*
 * The receiver's side: frames it cannot take (it is gone, over its quota,
 * its kernel refuses) go back in the answer, which then lists exactly
 * them, for the sender's monitor to give back.
 */
void memops_send_serve(struct mon_mem *m)
{
	struct mon_mem r = *m;
	uint32_t to = m->domain_id;
	struct quota *q = local_alive(to) ? local_quota(to) : 0;
	err_t e = q ? quota_take(q, QUOTA_MEM, m->npages) : ERR_DEAD;
	if (e == ERR_QUOTA)
		mon_log("MON_MEM_FWD: domain %u reached its quota of %u %s", to,
			q->limit[QUOTA_MEM], quota_name(QUOTA_MEM));
	uint32_t granted = grant_some(to, m->pa, m->npages, &e);
	if (q && !e && granted < m->npages)
		quota_give(q, QUOTA_MEM, m->npages - granted);
	if (e) {
		r.npages = m->npages - granted;
		memmove(r.pa, m->pa + granted, r.npages * sizeof r.pa[0]);
	}
	if (granted) {
		struct mon_mem ev = *m;
		ev.core = m->h.src_core;
		ev.domain_id = m->h.src_domain;
		ev.npages = granted;
		local_send(to, MON_MEM_RECV, &ev, sizeof ev);
	}
	reply_monitor(MON_MEM_SEND_REPLY, &r, sizeof r, &m->h, e);
}
