/*
 * span.c: domains that span cores (cpudriver/include/kernel/span.h for the
 * CPU drivers' half and the frame-lifetime invariant).
 *
 * Home side (the core the domain was started on): a local domain's
 * MON_SPAN_REQ names a core.  We have our CPU driver export the domain's
 * mappings (SYS_SPAN_EXPORT, one reference on its frames) and send the
 * list's address to that core's monitor, which asks its CPU driver for an
 * instance (SYS_SPAN_CREATE) and answers with its id.  One record per
 * (domain, core) lives here until the reference is dropped again:
 *
 *   CREATING --reply ok--> LIVE --home ended--> ENDING --END answered--> free
 *       |                                          ^  (or the core is dead)
 *       +--refused, or core dead: release, free    |
 *       +--no answer in time: the instance may exist: ENDING
 *
 * An ENDING whose MON_SPAN_END is not answered in time goes back to LIVE
 * and is tried again at the next poll: the reference (and so the frames)
 * is dropped only when the instance surely cannot run any more.
 *
 * Instance side: we keep (instance, home) for each instance on this core;
 * one that ends without being told to (a fault, or exit() in one of its
 * threads) is reported to the home's monitor with MON_SPAN_DIED, which
 * ends the home (SYS_SPAN_KILL) and thereby, through the home side, every
 * other instance.  When the home's core is declared down (liveness.c,
 * on every monitor), span_core_down ends every instance of a home there:
 * nobody is left to end it, and an instance must not keep mapping the
 * frames of a core that is gone (nor writing its queue words into them).
 */
#include <libos/libos.h>
#include <libos/malloc.h>
#include <lib/string.h>
#include "monitor.h"
#include "monsys.h"

#define SPAN_RECS 128u
#define SPAN_INSTANCES 64

enum span_state { SP_FREE, SP_CREATING, SP_LIVE, SP_ENDING };

struct span_rec {                 /* home side */
	enum span_state st;
	uint32_t dom;                 /* the home domain, on this core */
	uint32_t core;                /* the instance's core */
	uint32_t instance;            /* its id there (0 until known) */
};

struct span_inst {                /* instance side */
	bool used;
	uint32_t id;
	uint32_t home_core, home_dom;
};

struct span_op {
	struct pending p;             /* first: see pending.c */
	struct span_rec *rec;
};

static struct span_rec recs[SPAN_RECS];
static struct span_inst insts[SPAN_INSTANCES];

static struct span_rec *rec_find(uint32_t dom, uint32_t core)
{
	for (unsigned i = 0; i < SPAN_RECS; i++)
		if (recs[i].st != SP_FREE && recs[i].dom == dom && recs[i].core == core)
			return &recs[i];
	return 0;
}

static struct span_rec *rec_new(uint32_t dom, uint32_t core)
{
	for (unsigned i = 0; i < SPAN_RECS; i++)
		if (recs[i].st == SP_FREE) {
			recs[i] = (struct span_rec){ SP_CREATING, dom, core, 0 };
			return &recs[i];
		}
	return 0;
}

static void rec_release(struct span_rec *r)
{
	err_t e = (err_t)sys_span_release(r->dom, r->core);
	if (e)
		mon_log("span: releasing domain %u's frames: %s", r->dom, err_str(e));
	r->st = SP_FREE;
}

static void span_ended(struct pending *p, err_t e, const void *reply)
{
	struct span_rec *r = ((struct span_op *)p)->rec;
	if (e == ERR_OK || (reply && e == ERR_NOENT) || e == ERR_DEAD) {
		mon_log("span: domain %u's instance on core %u %s", r->dom, r->core,
			e == ERR_DEAD ? "is gone with its core" : "ended");
		rec_release(r);
	} else {
		mon_log("span: core %u did not confirm the end of domain %u's instance (%s); "
			"its frames stay held, trying again", r->core, r->dom, err_str(e));
		r->st = SP_LIVE;
	}
	free(p);
}

static void start_end(struct span_rec *r)
{
	struct span_op *op = malloc(sizeof *op);
	struct mon_span m;
	if (!op || pending_add(&op->p, MON_SPAN_END, 0, 0, span_ended)) {
		free(op);
		return; /* still LIVE: the next poll tries again */
	}
	r->st = SP_ENDING;
	op->rec = r;
	memset(&m, 0, sizeof m);
	m.core = r->core;
	m.home_domain = r->dom;
	pending_send(&op->p, MON_SPAN_END, &m, sizeof m, r->core, MON_SPAN_END_REPLY);
}

static void span_created(struct pending *p, err_t e, const void *reply)
{
	struct span_op *op = (struct span_op *)p;
	struct span_rec *r = op->rec;
	struct mon_span a;
	memset(&a, 0, sizeof a);
	a.core = r->core;
	if (e == ERR_OK) {
		r->st = SP_LIVE;
		r->instance = ((const struct mon_span *)reply)->instance;
		a.instance = r->instance;
	} else if (reply || e == ERR_DEAD) {
		rec_release(r);         /* refused, or the core is gone: nothing runs */
	} else {
		start_end(r);           /* no answer: an instance may exist; end it */
	}
	reply_domain(p->domain_id, p->domain_req, MON_SPAN_REPLY, &a, sizeof a, e);
	free(op);
}

void span_request(uint32_t dom, struct mon_span *m)
{
	char why[MON_WHY_MAX];
	err_t e = ERR_OK;
	if (m->core == mon_core) {
		e = ERR_INVAL;
		snprintf(why, sizeof why, "MON_SPAN_REQ: the domain already runs on core %u",
			 m->core);
	} else if (!local_may_span(dom, m->core)) {
		e = ERR_PERM;
		snprintf(why, sizeof why, "MON_SPAN_REQ: domain %u may not span core %u "
			 "(not in its span= cores)", dom, m->core);
	} else if (!core_is_up(m->core)) {
		e = ERR_DEAD;
		snprintf(why, sizeof why, "MON_SPAN_REQ: core %u is down", m->core);
	} else if (rec_find(dom, m->core)) {
		e = ERR_EXIST;
		snprintf(why, sizeof why, "MON_SPAN_REQ: the domain already spans core %u",
			 m->core);
	}
	struct span_rec *r = e ? 0 : rec_new(dom, m->core);
	if (!e && !r) {
		e = ERR_FULL;
		snprintf(why, sizeof why, "MON_SPAN_REQ: %u spans in use on this core", (unsigned)SPAN_RECS);
	}
	int64_t pa = e ? 0 : sys_span_export(dom, m->core);
	if (!e && pa < 0) {
		e = (err_t)pa;
		snprintf(why, sizeof why, "MON_SPAN_REQ: exporting the address space: %s",
			 e == ERR_BUSY ? "a change of its mappings is in flight (one at a time)" :
			 err_str(e));
		r->st = SP_FREE;
	}
	struct span_op *op = e ? 0 : malloc(sizeof *op);
	if (!e && (!op || pending_add(&op->p, MON_SPAN_REQ, dom, m->h.req_id, span_created))) {
		free(op);
		rec_release(r);
		e = ERR_FULL;
		snprintf(why, sizeof why, "MON_SPAN_REQ: too many requests in flight");
	}
	if (e) {
		mon_log("refused a message from domain %u: %s", dom, why);
		reply_error(dom, &m->h, MON_SPAN_REQ, e, why);
		return;
	}
	op->rec = r;
	m->home_domain = dom;
	m->list_pa = (uint64_t)pa & ~0xfffull;  /* the page count travels in code */
	m->code = (int32_t)(pa & 0xfff);
	pending_send(&op->p, MON_SPAN_REQ, m, sizeof *m, m->core, MON_SPAN_REPLY);
}

void span_serve(struct mon_span *m)
{
	struct mon_span a;
	unsigned slot = SPAN_INSTANCES;
	for (unsigned i = 0; i < SPAN_INSTANCES && slot == SPAN_INSTANCES; i++)
		if (!insts[i].used)
			slot = i;
	int64_t id = slot == SPAN_INSTANCES ? ERR_FULL :
		     core_is_down(m->h.src_core) ? ERR_DEAD :     /* nobody would end it */
		     sys_span_create(m->list_pa | ((uint64_t)m->code & 0xfff), m->h.src_core,
				     m->home_domain, m->arg);
	memset(&a, 0, sizeof a);
	a.core = mon_core;
	a.home_domain = m->home_domain;
	if (id > 0) {
		insts[slot] = (struct span_inst){ true, (uint32_t)id, m->h.src_core,
						  m->home_domain };
		a.instance = (uint32_t)id;
		mon_log("started domain %u as an instance of core %u's domain %u", a.instance,
			m->h.src_core, m->home_domain);
	} else {
		mon_log("span of core %u's domain %u refused: %s", m->h.src_core, m->home_domain,
			err_str((err_t)id));
	}
	reply_monitor(MON_SPAN_REPLY, &a, sizeof a, &m->h, id > 0 ? ERR_OK : (err_t)id);
}

void span_end_serve(struct mon_span *m)
{
	err_t e = (err_t)sys_span_end(m->h.src_core, m->home_domain, SPAN_END_HOME_ENDED);
	for (unsigned i = 0; i < SPAN_INSTANCES; i++)
		if (insts[i].used && insts[i].home_core == m->h.src_core &&
		    insts[i].home_dom == m->home_domain)
			insts[i].used = false;
	struct mon_span a = *m;
	a.core = mon_core;
	reply_monitor(MON_SPAN_END_REPLY, &a, sizeof a, &m->h, e);
}

void span_core_down(unsigned core)
{
	for (unsigned i = 0; i < SPAN_INSTANCES; i++) {
		struct span_inst *s = &insts[i];
		if (!s->used || s->home_core != core)
			continue;
		err_t e = (err_t)sys_span_end(core, s->home_dom, SPAN_END_HOME_DOWN);
		s->used = false;        /* nobody to tell: no MON_SPAN_DIED */
		mon_log("span: core %u is down: ended domain %u, the instance of its domain %u (%s)",
			core, s->id, s->home_dom, err_str(e));
	}
}

void span_died(struct mon_span *m)
{
	err_t e = (err_t)sys_span_kill(m->home_domain);
	mon_log("domain %u's instance %u on core %u ended on its own; ending the domain "
		"everywhere: %s", m->home_domain, m->instance, m->h.src_core, err_str(e));
}

void span_poll(void)
{
	for (unsigned i = 0; i < SPAN_RECS; i++)
		if (recs[i].st == SP_LIVE && sys_domain_state(recs[i].dom) != 1)
			start_end(&recs[i]);
	for (unsigned i = 0; i < SPAN_INSTANCES; i++) {
		struct span_inst *s = &insts[i];
		if (!s->used || sys_domain_state(s->id) == 1)
			continue;
		struct mon_span m;
		memset(&m, 0, sizeof m);
		m.h.src_core = (uint16_t)mon_core;
		m.h.dst_core = (uint16_t)s->home_core;
		m.core = mon_core;
		m.home_domain = s->home_dom;
		m.instance = s->id;
		s->used = false;
		if (route_send(MON_SPAN_DIED, &m, sizeof m))
			mon_log("span: could not tell core %u that domain %u's instance died",
				s->home_core, s->home_dom);
	}
}

unsigned span_cores(uint32_t dom, uint32_t *cores, unsigned max)
{
	unsigned n = 0;   /* ENDING: the instance may still run until its END is answered */
	for (unsigned i = 0; i < SPAN_RECS && n < max; i++)
		if ((recs[i].st == SP_LIVE || recs[i].st == SP_ENDING) && recs[i].dom == dom)
			cores[n++] = recs[i].core;
	return n;
}

bool span_creating(uint32_t dom)
{
	for (unsigned i = 0; i < SPAN_RECS; i++)
		if (recs[i].st == SP_CREATING && recs[i].dom == dom)
			return true;
	return false;
}
