/*
 * vmops.c: map, unmap and protect in a domain that spans cores (the CPU
 * drivers' half and the invariant are in cpudriver/include/kernel/span.h).
 *
 * Home side: a spanning domain's MON_VM_REQ.  Unmap and protect: the
 * home's CPU driver first checks that the domain may change every page of
 * the range (SPAN_VM_CHECK_*; a refusal changes nothing anywhere); then
 * MON_VM_FWD reaches every other core the domain spans, by the request's
 * mode:
 *   VM_TREE        to the home's neighbours in the monitors' tree whose
 *                  side holds a core of the span; each monitor passes it on
 *                  the same way (lib/vmtree.h), applies it if its core is in
 *                  the span, and answers the monitor it came from once its
 *                  own part and all it passed on are done (a reduction);
 *   VM_UNICAST     to every core of the span at once, answers in any order;
 *   VM_SEQUENTIAL  to one core after the other, each answer awaited;
 *   VM_LAZY        (unmap, protect; map goes as VM_TREE) the home's CPU
 *                  driver queues the change for every instance, which
 *                  applies it before it next runs (kernel/span.h), and
 *                  names the cores where the domain may be running right
 *                  now: only those get MON_VM_FWD, along the tree (their
 *                  SYS_SPAN_REPLICA applies the queue first).  A full queue
 *                  queues nothing: the change goes to every core as VM_TREE.
 * When every core answered, the home changes its own tables last and the
 * domain gets its answer: the domain learns "done" only when no core maps
 * the page (or the old rights) any more, so the frame can be freed only
 * then (the home's mapping is what keeps SYS_FRAME_FREE away from it).
 * Map: the home maps first (the ownership and W^X checks), then every
 * other core; a core that cannot follow leaves the replicas out of step,
 * so the domain is ended (SYS_SPAN_KILL) rather than left inconsistent.
 *
 * Dead cores: a core that is down runs nothing, so it counts as done and
 * is named (the home's log line lists every core found down, wherever in
 * the tree it was found).  A tree neighbour that is down, or goes down
 * while the change is in flight (its pending request fails with ERR_DEAD),
 * takes its side of the tree with it: the monitor that sent to it sends
 * the change straight to every other core of that side instead.  A live
 * core that does not answer in time fails the request with ERR_TIMEOUT
 * and the home keeps its mapping (the frame stays unfreeable; a retry is
 * harmless: every step is idempotent).
 *
 * One change at a time per domain: the home's CPU driver refuses to begin
 * a change (SPAN_VM_CHECK_*, QUEUE_*, MAP; SYS_SPAN_LAZY) while another is
 * in flight, until the home applies it or we say SPAN_VM_DONE (kernel/
 * span.h), and we refuse a change while a span of the domain is being
 * created; so every core applies the domain's changes in one order, the
 * home's, whatever path each took, even when a hostile domain sends them
 * without waiting.
 *
 * Every monitor on the way keeps one struct vm_op per change in flight;
 * it ends in vm_finish: an answer upwards (relay) or to the domain (home).
 */
#include <libos/libos.h>
#include <libos/malloc.h>
#include <lib/string.h>
#include <lib/vmtree.h>
#include "monitor.h"
#include "monsys.h"

#define VM_MAX_CORES CORES_MAX

struct vm_op {
	struct mon_vm_fwd m;          /* the change; m.set: the span, home excluded */
	uint32_t dom, req;            /* home: the requesting domain and its req_id */
	bool relay;                   /* not the home: answer `up` when done */
	struct mon_hdr up;            /* relay: the request to answer */
	uint32_t mode;                /* home: VM_TREE, VM_UNICAST, VM_SEQUENTIAL */
	uint32_t seq_next;            /* VM_SEQUENTIAL: next core to try */
	unsigned left;                /* answers still due (+1 while sending) */
	uint32_t done;                /* cores of the span that applied it */
	uint64_t dead[VMTREE_WORDS];  /* cores of the span found down */
	err_t err;                    /* first failure other than a dead core */
};

struct vm_part {
	struct pending p;             /* first: see pending.c */
	struct vm_op *op;
	uint32_t to;                  /* the core the part went to */
	bool forward;                 /* sent along the tree (its side is owed) */
};

static const char *op_name(uint32_t op)
{
	return op == SPAN_VM_MAP ? "map" : op == SPAN_VM_UNMAP ? "unmap" : "protect";
}

static void send_part(struct vm_op *o, uint32_t to, bool forward);

static void log_dead(const struct vm_op *o)
{
	for (unsigned c = 0; c < CORES_MAX; c++)
		if (vmtree_has(o->dead, c))
			mon_log("vm: core %u is down; domain %u's %s of %#llx completes without it",
				c, o->dom, op_name(o->m.op), (unsigned long long)o->m.va);
}

/* Home: every other core is done; change the home's tables and answer. */
static void finish_home(struct vm_op *o)
{
	struct mon_vm r;
	err_t e = o->err;
	if (o->m.op != SPAN_VM_MAP && !e)
		e = (err_t)sys_span_vm(o->dom, o->m.op, o->m.va, o->m.pa_flags, o->m.pages);
	if (o->m.op == SPAN_VM_MAP && e) {
		mon_log("vm: domain %u's map of %#llx could not follow on every core (%s); "
			"ending the domain", o->dom, (unsigned long long)o->m.va, err_str(e));
		sys_span_kill(o->dom);
	}
	sys_span_vm(o->dom, SPAN_VM_DONE, 0, 0, 0);   /* the next change may begin */
	log_dead(o);
	memset(&r, 0, sizeof r);
	r.op = o->m.op;
	r.va = o->m.va;
	r.pages = o->m.pages;
	r.mode = o->mode;
	reply_domain(o->dom, o->req, MON_VM_REPLY, &r, sizeof r, e);
}

/* Relay: its part of the tree is done; answer the monitor it came from. */
static void finish_relay(struct vm_op *o)
{
	struct mon_vm_fwd a = o->m;
	a.done = o->done;
	memcpy(a.set, o->dead, sizeof a.set);
	reply_monitor(MON_VM_FWD_REPLY, &a, sizeof a, &o->up, o->err);
}

static void vm_finish(struct vm_op *o)
{
	if (o->relay)
		finish_relay(o);
	else
		finish_home(o);
	free(o);
}

/* Drop one owed answer; the last one finishes the operation. */
static void settle(struct vm_op *o)
{
	if (--o->left == 0)
		vm_finish(o);
}

/* VM_SEQUENTIAL: send to the next core of the span; false when none is left. */
static bool seq_next(struct vm_op *o)
{
	for (; o->seq_next < CORES_MAX; o->seq_next++) {
		unsigned c = o->seq_next;
		if (!vmtree_has(o->m.set, c))
			continue;
		if (core_is_down(c)) {
			vmtree_add(o->dead, c);
			continue;
		}
		o->seq_next++;
		o->left++;
		send_part(o, c, false);
		return true;
	}
	return false;
}

/*
 * Tree neighbour w is down: the cores of the span on its side are reached
 * one by one, straight from here.
 */
static void cover_side(struct vm_op *o, uint32_t w)
{
	uint64_t side[VMTREE_WORDS];
	vmtree_side(mon_info->tree_parents, mon_ncores, mon_core, w, o->m.set, side);
	for (unsigned c = 0; c < CORES_MAX; c++) {
		if (!vmtree_has(side, c))
			continue;
		if (c == w || core_is_down(c)) {
			vmtree_add(o->dead, c);
			continue;
		}
		o->left++;
		send_part(o, c, false);
	}
	if (vmtree_has(o->m.set, w))
		vmtree_add(o->dead, w);
}

static void vm_part_done(struct pending *p, err_t e, const void *reply)
{
	struct vm_part *part = (struct vm_part *)p;
	struct vm_op *o = part->op;
	const struct mon_vm_fwd *r = reply;
	if (e == ERR_DEAD) {
		if (part->forward)
			cover_side(o, part->to);       /* owes the answers of the side */
		else
			vmtree_add(o->dead, part->to);
	} else if (e && e != ERR_NOENT && !o->err) {
		o->err = e;       /* ERR_NOENT: that instance is gone, it maps nothing */
	}
	if (r && (!e || e == ERR_NOENT)) {
		o->done += r->done;
		for (unsigned i = 0; i < VMTREE_WORDS; i++)
			o->dead[i] |= r->set[i];
	}
	free(part);
	if (!o->relay && o->mode == MON_VM_SEQUENTIAL && !o->err)
		seq_next(o);
	settle(o);
}

/* One message of the change to core `to`; owes one answer (o->left counted by the caller). */
static void send_part(struct vm_op *o, uint32_t to, bool forward)
{
	struct vm_part *part = malloc(sizeof *part);
	if (!part || pending_add(&part->p, MON_VM_FWD, 0, 0, vm_part_done)) {
		free(part);
		if (!o->err)
			o->err = ERR_FULL;
		o->left--;       /* never below 1: the sender holds one */
		return;
	}
	part->op = o;
	part->to = to;
	part->forward = forward;
	struct mon_vm_fwd f = o->m;
	f.forward = forward;
	f.done = 0;
	pending_send(&part->p, MON_VM_FWD, &f, sizeof f, to, MON_VM_FWD_REPLY);
}

/* Pass the change on along the tree (from: where it came from, VMTREE_NONE at the home). */
static void fan_out(struct vm_op *o, uint32_t from)
{
	uint32_t next[MONITOR_MAX_LINKS];
	unsigned k = vmtree_next(mon_info->tree_parents, mon_ncores, mon_core, from, o->m.set,
				 next, MONITOR_MAX_LINKS);
	for (unsigned i = 0; i < k; i++) {
		if (core_is_down(next[i])) {
			cover_side(o, next[i]);
			continue;
		}
		o->left++;
		send_part(o, next[i], true);
	}
}

static void vm_refuse(uint32_t dom, struct mon_vm *m, err_t e, const char *why)
{
	char line[MON_WHY_MAX];
	snprintf(line, sizeof line, "MON_VM_REQ: %s of %#llx (%u pages): %s", op_name(m->op),
		 (unsigned long long)m->va, m->pages, why);
	mon_log("refused a message from domain %u: %s", dom, line);
	reply_error(dom, &m->h, MON_VM_REQ, e, line);
}

/*
 * VM_LAZY: the home's CPU driver checks the range and queues the change for
 * every instance; need: the cores where the domain may be running, the only
 * ones told.  ERR_FULL (some queue is full, nothing queued): the change
 * goes by message to every core instead (the eager path).
 */
static err_t home_queue(uint32_t dom, struct mon_vm *m, uint64_t *need, bool *lazy)
{
	uint32_t op = m->op == SPAN_VM_UNMAP ? SPAN_VM_QUEUE_UNMAP : SPAN_VM_QUEUE_PROTECT;
	err_t e = (err_t)sys_span_queue(dom, op, m->va, m->pa_flags, m->pages, need);
	*lazy = e != ERR_FULL;
	if (e != ERR_FULL)
		return e;
	mon_log("vm: a core's queue is full: domain %u's %s of %#llx goes to every core by message",
		dom, op_name(m->op), (unsigned long long)m->va);
	uint32_t check = m->op == SPAN_VM_UNMAP ? SPAN_VM_CHECK_UNMAP : SPAN_VM_CHECK_PROTECT;
	return (err_t)sys_span_vm(dom, check, m->va, m->pa_flags, m->pages);
}

/* The home's checks; on a map the home maps first.  ERR_OK: go ahead. */
static err_t home_first(uint32_t dom, struct mon_vm *m)
{
	if (m->op == SPAN_VM_MAP)
		return m->pages != 1 ? ERR_RANGE :
			(err_t)sys_span_vm(dom, SPAN_VM_MAP, m->va, m->pa_flags, 1);
	uint32_t check = m->op == SPAN_VM_UNMAP ? SPAN_VM_CHECK_UNMAP : SPAN_VM_CHECK_PROTECT;
	return (err_t)sys_span_vm(dom, check, m->va, m->pa_flags, m->pages);
}

void vm_request(uint32_t dom, struct mon_vm *m)
{
	uint32_t cores[VM_MAX_CORES];
	unsigned n = span_cores(dom, cores, VM_MAX_CORES);
	if (n == 0) {
		vm_refuse(dom, m, ERR_PERM, "the domain does not span cores (SYS_MAP/SYS_UNMAP)");
		return;
	}
	if (span_creating(dom)) {      /* its list was copied before this change */
		vm_refuse(dom, m, ERR_BUSY, "a span of the domain is being created (one change "
			  "at a time)");
		return;
	}
	uint64_t need[VMTREE_WORDS];
	bool lazy = false;
	err_t e = m->mode == MON_VM_LAZY && m->op != SPAN_VM_MAP ?
		home_queue(dom, m, need, &lazy) : home_first(dom, m);
	if (e) {
		vm_refuse(dom, m, e, e == ERR_BUSY ? "another change of the domain's mappings is "
			  "in flight (one at a time)" : err_str(e));
		return;
	}
	struct vm_op *o = malloc(sizeof *o);
	if (!o) {
		if (m->op == SPAN_VM_MAP)
			sys_span_vm(dom, SPAN_VM_UNMAP, m->va, 0, 1);
		sys_span_vm(dom, SPAN_VM_DONE, 0, 0, 0);
		vm_refuse(dom, m, ERR_NOMEM, "no memory");
		return;
	}
	memset(o, 0, sizeof *o);
	o->m.op = m->op;
	o->m.home_domain = dom;
	o->m.home_core = mon_core;
	o->m.va = m->va;
	o->m.pa_flags = m->pa_flags;
	o->m.pages = m->pages;
	for (unsigned i = 0; i < n; i++)
		if (cores[i] != mon_core && (!lazy || vmtree_has(need, cores[i])))
			vmtree_add(o->m.set, cores[i]);
	o->dom = dom;
	o->req = m->h.req_id;
	o->mode = m->mode;
	o->left = 1;
	if (o->mode == MON_VM_TREE || o->mode == MON_VM_LAZY) {
		fan_out(o, VMTREE_NONE);
	} else if (o->mode == MON_VM_SEQUENTIAL) {
		seq_next(o);
	} else {
		for (unsigned c = 0; c < CORES_MAX; c++) {
			if (!vmtree_has(o->m.set, c))
				continue;
			if (core_is_down(c)) {
				vmtree_add(o->dead, c);
				continue;
			}
			o->left++;
			send_part(o, c, false);
		}
	}
	settle(o);
}

/* A change from another monitor: apply it here (if this core is in the set), pass it on. */
void vm_serve(struct mon_vm_fwd *m)
{
	bool mine = vmtree_has(m->set, mon_core);
	if (!m->forward) {
		err_t e = mine ? (err_t)sys_span_replica(m->home_core, m->home_domain, m->op, m->va,
							 m->pa_flags, m->pages) : ERR_OK;
		struct mon_vm_fwd a = *m;
		a.done = mine && !e;
		memset(a.set, 0, sizeof a.set);
		reply_monitor(MON_VM_FWD_REPLY, &a, sizeof a, &m->h, e);
		return;
	}
	struct vm_op *o = malloc(sizeof *o);
	if (!o) {
		struct mon_vm_fwd a = *m;
		reply_monitor(MON_VM_FWD_REPLY, &a, sizeof a, &m->h, ERR_NOMEM);
		return;
	}
	memset(o, 0, sizeof *o);
	o->m = *m;
	o->relay = true;
	o->up = m->h;
	o->dom = m->home_domain;
	o->left = 1;
	fan_out(o, m->h.src_core);          /* children first: they work meanwhile */
	if (mine) {
		err_t e = (err_t)sys_span_replica(m->home_core, m->home_domain, m->op, m->va,
						  m->pa_flags, m->pages);
		if (!e)
			o->done++;
		else if (e != ERR_NOENT && !o->err)
			o->err = e;
	}
	settle(o);
}
