/*
 * vmops.c: map and unmap in a domain that spans cores (the CPU drivers'
 * half and the invariant are in cpudriver/include/kernel/span.h).
 *
 * Home side: a spanning domain's MON_VM_REQ.  Unmap: the home's CPU driver
 * first checks that the domain may unmap va and names the frame
 * (SPAN_VM_CHECK_UNMAP; a refusal changes nothing anywhere); MON_VM_FWD
 * goes to every core the domain spans, all at once (unicast to each, the
 * answers collected in any order); when every core answered, the home
 * unmaps too and the domain gets its answer.  So the domain learns "done"
 * only when no core maps the page any more, and only then can it free the
 * frame (the home's mapping is what keeps SYS_FRAME_FREE away from it).  A
 * core that is down counts as done (it runs nothing) and is named in the
 * log; a core that does not answer in time fails the request with
 * ERR_TIMEOUT and the home keeps its mapping (the frame stays unfreeable).
 * Map: the home maps first (the ownership and W^X checks), then every
 * other core; a core that cannot follow leaves the replicas out of step,
 * so the domain is ended (SYS_SPAN_KILL) rather than left inconsistent.
 *
 * Instance side: MON_VM_FWD becomes SYS_SPAN_REPLICA on this core.
 */
#include <libos/libos.h>
#include <libos/malloc.h>
#include <lib/string.h>
#include "monitor.h"
#include "monsys.h"

#define VM_MAX_CORES 64

struct vm_op {
	uint32_t dom, req, op;
	uint64_t va, pa_flags;
	unsigned left;                /* answers still due (+1 while sending) */
	err_t err;                    /* first failure other than a dead core */
};

struct vm_part {
	struct pending p;             /* first: see pending.c */
	struct vm_op *op;
};

static void vm_finish(struct vm_op *o)
{
	struct mon_vm r;
	err_t e = o->err;
	if (o->op == SPAN_VM_UNMAP && !e)
		e = (err_t)sys_span_vm(o->dom, SPAN_VM_UNMAP, o->va, 0);
	if (o->op == SPAN_VM_MAP && e) {
		mon_log("vm: domain %u's map of %#llx could not follow on every core (%s); "
			"ending the domain", o->dom, (unsigned long long)o->va, err_str(e));
		sys_span_kill(o->dom);
	}
	memset(&r, 0, sizeof r);
	r.op = o->op;
	r.va = o->va;
	reply_domain(o->dom, o->req, MON_VM_REPLY, &r, sizeof r, e);
	free(o);
}

static void vm_part_done(struct pending *p, err_t e, const void *reply)
{
	struct vm_op *o = ((struct vm_part *)p)->op;
	(void)reply;
	if (e == ERR_DEAD)
		mon_log("vm: core %u is down; domain %u's %s of %#llx completes without it",
			p->target_core, o->dom, o->op == SPAN_VM_MAP ? "map" : "unmap",
			(unsigned long long)o->va);
	else if (e && e != ERR_NOENT && !o->err)
		o->err = e;       /* ERR_NOENT: that instance is gone, it maps nothing */
	free(p);
	if (--o->left == 0)
		vm_finish(o);
}

static void vm_refuse(uint32_t dom, struct mon_vm *m, err_t e, const char *why)
{
	char line[MON_WHY_MAX];
	snprintf(line, sizeof line, "MON_VM_REQ: %s of %#llx: %s", m->op == SPAN_VM_MAP ?
		 "map" : "unmap", (unsigned long long)m->va, why);
	mon_log("refused a message from domain %u: %s", dom, line);
	reply_error(dom, &m->h, MON_VM_REQ, e, line);
}

void vm_request(uint32_t dom, struct mon_vm *m)
{
	uint32_t cores[VM_MAX_CORES];
	unsigned n = span_cores(dom, cores, VM_MAX_CORES);
	if (n == 0) {
		vm_refuse(dom, m, ERR_PERM, "the domain does not span cores (SYS_MAP/SYS_UNMAP)");
		return;
	}
	uint64_t frame;
	if (m->op == SPAN_VM_UNMAP) {
		int64_t pa = sys_span_vm(dom, SPAN_VM_CHECK_UNMAP, m->va, 0);
		if (pa < 0) {
			vm_refuse(dom, m, (err_t)pa, err_str((err_t)pa));
			return;
		}
		frame = (uint64_t)pa;
	} else {
		err_t e = (err_t)sys_span_vm(dom, SPAN_VM_MAP, m->va, m->pa_flags);
		if (e) {
			vm_refuse(dom, m, e, err_str(e));
			return;
		}
		frame = m->pa_flags;
	}
	struct vm_op *o = malloc(sizeof *o);
	if (!o) {
		if (m->op == SPAN_VM_MAP)
			sys_span_vm(dom, SPAN_VM_UNMAP, m->va, 0);
		vm_refuse(dom, m, ERR_NOMEM, "no memory");
		return;
	}
	*o = (struct vm_op){ dom, m->h.req_id, m->op, m->va, m->pa_flags, n + 1, ERR_OK };
	for (unsigned i = 0; i < n; i++) {
		struct vm_part *part = malloc(sizeof *part);
		if (!part || pending_add(&part->p, MON_VM_FWD, 0, 0, vm_part_done)) {
			free(part);
			o->err = ERR_FULL;
			o->left--;
			continue;
		}
		part->op = o;
		struct mon_vm f;
		memset(&f, 0, sizeof f);
		f.op = m->op;
		f.home_domain = dom;
		f.va = m->va;
		f.pa_flags = frame;
		pending_send(&part->p, MON_VM_FWD, &f, sizeof f, cores[i], MON_VM_FWD_REPLY);
	}
	if (--o->left == 0)
		vm_finish(o);
}

void vm_serve(struct mon_vm *m)
{
	err_t e = (err_t)sys_span_replica(m->h.src_core, m->home_domain, m->op, m->va,
					  m->pa_flags);
	struct mon_vm a = *m;
	reply_monitor(MON_VM_FWD_REPLY, &a, sizeof a, &m->h, e);
}
