/*
 * memops.c: frames of the monitors' memory (memory.c), allocated, sent and
 * freed.
 *
 * Allocate: a local domain's MON_MEM_ALLOC_REQ asks for frames near a core
 * (m->core; mon_mem_alloc: its own).  The requester's monitor asks the
 * owners of that core's node's memory in turn (memshare_candidates: itself
 * first when it is one, so a request usually needs no message), then those
 * of the nearest nodes; each answers from its own share, all or nothing.
 * Owners that are down are skipped and one that has too few frames (or
 * stops) is followed by the next, with a log line each time the request
 * leaves its node.  The requester's monitor grants the frames to the
 * domain and answers it with MON_MEM_ALLOC_REPLY.
 * Send: the sender's monitor revokes the frames from the sender (all or
 * none: they must be its own and unmapped), then MON_MEM_FWD takes them to
 * the receiver's monitor, which grants them to the receiver, tells it
 * (MON_MEM_RECV) and answers (MON_MEM_SEND_REPLY); the sender gets that
 * answer.  A send that fails gives the frames back to the sender
 * (send_failed).
 * Free: MON_MEM_FREE_REQ revokes the frames from the domain (all or none,
 * as a send: a frame it does not hold, holds no more or has mapped is
 * refused by its kernel, logged and nothing moves) and gives them back to
 * the monitors that own them (memory_give_back).  The frames a domain held
 * when it ended come to this monitor (its kernel gives them to us) and go
 * back the same way (memops_domain_end, memops_tick).
 * Every frame has exactly one owner at every step.  This monitor knows which
 * frames each local domain holds (held[]), so none is forgotten at its end.
 * Quota (quota.h): the frames a domain holds; alloc and receive charge it,
 * a completed send and a free give back.
 */
#include <libos/libos.h>
#include <libos/malloc.h>
#include <libos/sys.h>
#include <lib/string.h>
#include <monitor/memshare.h>
#include "monitor.h"
#include "monsys.h"

struct mem_op {
	struct pending p;            /* first: see pending.c */
	uint16_t reply;              /* MON_MEM_ALLOC_REPLY or MON_MEM_SEND_REPLY */
	uint32_t npages;             /* asked for, or sent */
	uint64_t pa[MON_MEM_PAGES];  /* SEND: the frames, to give back on failure */
	struct mon_mem req;          /* ALLOC: the request, sent to each owner in turn */
	uint16_t ncand, at;          /* ALLOC: owners to ask, the next one */
	uint32_t node;               /* ALLOC: the node asked for */
	uint32_t asked;              /* ALLOC: owners asked so far (ourselves included) */
	uint8_t cand[CORES_MAX];
};

/* ---- which local domain holds which frame ---- */

struct held {
	uint32_t domain_id;          /* 0: the domain ended, the frame comes to us */
	uint32_t tries;              /* ended: times it did not come yet */
	uint64_t pa;
};

static struct held *held;
static uint32_t nheld, held_cap;

#define RECLAIM_TRIES 600        /* periodic ticks (30 s, 150 s at 240+ cores) for an ended domain's frame */

static void held_add(uint32_t dom, uint64_t pa)
{
	if (nheld == held_cap) {
		uint32_t cap = held_cap ? 2 * held_cap : 64;
		struct held *h = realloc(held, cap * sizeof *h);
		if (!h) {
			mon_log("memory: no room to remember frame %#lx of domain %u: not taken "
				"back at its end", (unsigned long)pa, dom);
			return;
		}
		held = h;
		held_cap = cap;
	}
	held[nheld++] = (struct held){ dom, 0, pa };
}

static void held_del(uint32_t dom, uint64_t pa)
{
	for (uint32_t i = 0; i < nheld; i++)
		if (held[i].domain_id == dom && held[i].pa == pa) {
			held[i] = held[--nheld];
			return;
		}
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
		if (!*e)
			held_add(to, pa[granted]);
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

/* Grants to `to` in order while that works (each remembered in held[]); returns how many. */
static uint32_t grant_some(uint32_t to, const uint64_t *pa, uint32_t n, err_t *e)
{
	uint32_t granted = 0;
	while (!*e && granted < n) {
		*e = (err_t)sys_frame_grant(to, pa[granted]);
		if (!*e)
			held_add(to, pa[granted]);
		granted += !*e;
	}
	return granted;
}

/*
 * The end of an allocation: the frames r lists go to the domain, all or
 * none (those it did not get go back to their owners), and it is answered.
 */
static void alloc_finish(struct mem_op *o, err_t e, const struct mon_mem *reply)
{
	struct mon_mem r;
	uint32_t got = 0, dom = o->p.domain_id;
	if (reply)
		r = *reply;
	else
		memset(&r, 0, sizeof r);
	if (!e && (!reply || r.npages != o->npages))
		e = ERR_SYNTAX;
	if (!e) {
		got = grant_some(dom, r.pa, r.npages, &e);
		for (uint32_t i = 0; e && i < got; i++) { /* all or none */
			sys_frame_revoke(dom, r.pa[i]);
			held_del(dom, r.pa[i]);
		}
		if (e)
			memory_give_back(r.pa, r.npages);
		got = e ? 0 : got;
	}
	uncharge(dom, QUOTA_MEM, o->npages - got);
	r.npages = got ? got : o->npages;
	reply_domain(dom, o->p.domain_req, MON_MEM_ALLOC_REPLY, &r, sizeof r, e);
	free(o);
}

static void alloc_done(struct pending *p, err_t e, const void *reply);

/*
 * Asks the next owner on o's list that is up (this monitor answers at once
 * from its own share).  Returns false, o untouched, when none is left.
 */
static bool alloc_next(struct mem_op *o)
{
	while (o->at < o->ncand) {
		unsigned c = o->cand[o->at++], node = memory_node_of(c);
		if (c != mon_core && !core_is_up(c)) {
			mon_log("memory: core %u is down: its share of node %u is not asked", c, node);
			continue;
		}
		if (o->asked++ || node != o->node) /* a fallback: say so */
			mon_log("memory: %u frames near node %u for domain %u: asking core %u of node %u "
				"(distance %u)", o->npages, o->node, o->p.domain_id, c, node,
				memshare_dist(mon_info, o->node, node));
		if (c == mon_core) {
			struct mon_mem r = o->req;
			if (memory_alloc(o->npages, r.pa))
				continue;
			alloc_finish(o, ERR_OK, &r);
			return true;
		}
		struct mon_mem m = o->req;
		err_t e = pending_add(&o->p, MON_MEM_ALLOC_REQ, o->p.domain_id, o->p.domain_req,
				      alloc_done);
		if (e)
			alloc_finish(o, e, 0);
		else /* on a send error alloc_done runs at once: the next owner */
			pending_send(&o->p, MON_MEM_ALLOC_REQ, &m, sizeof m, c, MON_MEM_ALLOC_REPLY);
		return true;
	}
	return false;
}

static void alloc_done(struct pending *p, err_t e, const void *reply)
{
	struct mem_op *o = (struct mem_op *)p;
	if ((e == ERR_NOMEM || e == ERR_DEAD) && alloc_next(o))
		return;
	alloc_finish(o, e, reply);
}

static void mem_done(struct pending *p, err_t e, const void *reply)
{
	struct mem_op *o = (struct mem_op *)p;
	struct mon_mem r;
	if (reply)
		r = *(const struct mon_mem *)reply;
	else
		memset(&r, 0, sizeof r);
	if (e)
		send_failed(o, e, reply);
	else
		uncharge(p->domain_id, QUOTA_MEM, o->npages);
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
	o->reply = MON_MEM_SEND_REPLY;
	o->npages = m->npages;
	memcpy(o->pa, m->pa, sizeof o->pa);
	return o;
}

void memops_alloc_request(uint32_t dom, struct mon_mem *m)
{
	if (charge(dom, QUOTA_MEM, m->npages, &m->h, MON_MEM_ALLOC_REQ))
		return;
	struct mem_op *o = malloc(sizeof *o);
	if (!o) {
		uncharge(dom, QUOTA_MEM, m->npages);
		refuse_op(dom, &m->h, MON_MEM_ALLOC_REQ, ERR_NOMEM);
		return;
	}
	memset(o, 0, sizeof *o);
	o->p.domain_id = dom;
	o->p.domain_req = m->h.req_id;
	o->reply = MON_MEM_ALLOC_REPLY;
	o->npages = m->npages;
	o->req = *m;
	o->node = memory_node_of(m->core);
	o->ncand = (uint16_t)memory_candidates(o->node, o->cand, CORES_MAX);
	if (!alloc_next(o)) {
		mon_log("memory: no monitor has %u frames near node %u for domain %u", m->npages,
			o->node, dom);
		alloc_finish(o, ERR_NOMEM, 0);
	}
}

void memops_alloc_serve(struct mon_mem *m)
{
	struct mon_mem r = *m;
	err_t e = memory_alloc(m->npages, r.pa);
	if (!e)
		mon_log("memory: %u frames for core %u from our share (node %u)", m->npages,
			m->h.src_core, memory_node_of(mon_core));
	reply_monitor(MON_MEM_ALLOC_REPLY, &r, sizeof r, &m->h, e);
}

/*
 * Takes frames m->pa from domain dom, all or none: each must be its own, of
 * the monitors' memory and unmapped (its kernel checks).  A refusal names
 * the frame and the reason in the log and the answer; nothing moves.
 */
static bool revoke_all(uint32_t dom, struct mon_mem *m, uint16_t type)
{
	for (uint32_t i = 0; i < m->npages; i++) {
		err_t e = (err_t)sys_frame_revoke(dom, m->pa[i]);
		if (e) {
			char why[MON_WHY_MAX];
			snprintf(why, sizeof why, "%s: frame %#lx: %s", mon_type_name(type),
				 (unsigned long)m->pa[i], err_str(e));
			mon_log("refused a message from domain %u: %s", dom, why);
			while (i--)
				sys_frame_grant(dom, m->pa[i]); /* undo: nothing moves */
			reply_error(dom, &m->h, type, e, why);
			return false;
		}
	}
	return true;
}

void memops_send_request(uint32_t dom, struct mon_mem *m)
{
	if (!revoke_all(dom, m, MON_MEM_SEND_REQ))
		return;
	struct mem_op *o = mem_op_new(dom, MON_MEM_SEND_REQ, m);
	if (o) {
		for (uint32_t i = 0; i < m->npages; i++)
			held_del(dom, m->pa[i]);
		pending_send(&o->p, MON_MEM_FWD, m, sizeof *m, m->core, MON_MEM_SEND_REPLY);
		return;
	}
	for (uint32_t i = 0; i < m->npages; i++)
		sys_frame_grant(dom, m->pa[i]); /* refused: nothing moves */
}

void memops_free_request(uint32_t dom, struct mon_mem *m)
{
	if (!revoke_all(dom, m, MON_MEM_FREE_REQ))
		return;
	for (uint32_t i = 0; i < m->npages; i++)
		held_del(dom, m->pa[i]);
	uncharge(dom, QUOTA_MEM, m->npages);
	memory_give_back(m->pa, m->npages);
	struct mon_mem r = *m;
	reply_domain(dom, m->h.req_id, MON_MEM_FREE_REPLY, &r, sizeof r, ERR_OK);
}

void memops_domain_end(uint32_t dom)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < nheld; i++)
		if (held[i].domain_id == dom) {
			held[i].domain_id = 0; /* its kernel gives it to us */
			n++;
		}
	if (n)
		mon_log("memory: domain %u ended holding %u frames: they go back", dom, n);
	memops_tick();
}

/*
 * Frames of ended domains that reached this monitor go back to their
 * owners, up to MON_MEM_PAGES at a time; one that does not come (a span of
 * the domain still maps it, or its kernel could not give it to us) is tried
 * again for RECLAIM_TRIES ticks and then given up with a log line.
 */
void memops_tick(void)
{
	uint64_t batch[MON_MEM_PAGES];
	uint32_t self = (uint32_t)sys_domain_id(), k = 0;
	for (uint32_t i = 0; i < nheld;) {
		struct held *h = &held[i];
		if (h->domain_id) {
			i++;
			continue;
		}
		err_t e = (err_t)sys_frame_revoke(self, h->pa);
		if (e && ++h->tries < RECLAIM_TRIES) {
			i++;
			continue;
		}
		if (e)
			mon_log("memory: frame %#lx of an ended domain never came back: %s",
				(unsigned long)h->pa, err_str(e));
		else
			batch[k++] = h->pa;
		*h = held[--nheld];
		if (k == MON_MEM_PAGES) {
			memory_give_back(batch, k);
			k = 0;
		}
	}
	if (k)
		memory_give_back(batch, k);
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
