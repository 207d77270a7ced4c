/*
 * pending.c: requests this monitor sent to another monitor and whose answer
 * has not come yet.
 *
 * Every distributed operation (spawn.c, bind.c, nameops.c, memops.c,
 * boot.c) keeps its own state struct whose first member is a struct
 * pending; this file only knows that common part.  A request gets a req_id
 * of our own (pending_add); the message carries it (pending_send) and the
 * answer carries it back.  An answer is accepted only if its type is the
 * one the operation said it expects (p->expects) or MON_ERROR; anything else
 * is logged and dropped.  The entry is unregistered before its completion
 * callback runs, exactly once: with the answer, or with ERR_DEAD when the
 * target core stops, ERR_TIMEOUT after MON_PENDING_MS plus
 * MON_PENDING_MS_PER_CORE per core (sys/limits.h: 5.4 s at 4 cores, 30.5 s
 * at 255), or the
 * error of a send that failed.  The callback owns the state again: it frees
 * it, or registers it again for the operation's next step.  Each entry of a
 * local domain counts against its quota of pending requests (quota.h).
 */
#include <lib/string.h>
#include "monitor.h"


static struct pending *table[MON_MAX_PENDING];
static uint32_t next_id = 1;

err_t pending_add(struct pending *p, uint16_t op, uint32_t domain_id, uint32_t domain_req,
		  pending_done_fn done)
{
	struct quota *q = domain_id ? local_quota(domain_id) : 0;
	if (q && quota_take(q, QUOTA_PENDING, 1))
		return ERR_QUOTA;
	for (unsigned i = 0; i < MON_MAX_PENDING; i++) {
		if (table[i])
			continue;
		table[i] = p;
		p->id = next_id++;
		if (!p->id)
			p->id = next_id++;
		p->op = op;
		p->expects = 0;
		p->target_core = 0;
		p->domain_id = domain_id;
		p->domain_req = domain_req;
		p->done = done;
		p->deadline = mon_now() + mon_ms(MON_PENDING_MS +
						 MON_PENDING_MS_PER_CORE * (uint64_t)mon_ncores);
		return ERR_OK;
	}
	if (q)
		quota_give(q, QUOTA_PENDING, 1);
	return ERR_FULL;
}

struct pending *pending_find(uint32_t id)
{
	for (unsigned i = 0; i < MON_MAX_PENDING; i++)
		if (table[i] && table[i]->id == id)
			return table[i];
	return 0;
}

static void unregister(struct pending *p)
{
	for (unsigned i = 0; i < MON_MAX_PENDING; i++)
		if (table[i] == p)
			table[i] = 0;
	if (p->domain_id)
		uncharge(p->domain_id, QUOTA_PENDING, 1);
}

/*
 * Logs a failed request, but the same failure again and again (a client
 * retrying a bind every few ms until the name is registered) only once:
 * the repeats are counted and said when a different failure comes.
 */
static void log_failure(const struct pending *p, err_t e)
{
	static struct { uint16_t op; uint32_t domain, core; err_t e; } last;
	static uint64_t repeats;
	if (last.op == p->op && last.domain == p->domain_id && last.core == p->target_core &&
	    last.e == e) {
		repeats++;
		return;
	}
	if (repeats)
		mon_log("(the failure before repeated %lu more times)", (unsigned long)repeats);
	repeats = 0;
	last.op = p->op;
	last.domain = p->domain_id;
	last.core = p->target_core;
	last.e = e;
	mon_log("%s for domain %u to core %u failed: %s", mon_type_name(p->op), p->domain_id,
		p->target_core, err_str(e));
}

void pending_complete(struct pending *p, err_t e, const void *reply)
{
	unregister(p);
	if (e)
		log_failure(p, e);
	p->done(p, e, reply);
}

err_t pending_send(struct pending *p, uint16_t type, void *msg, size_t len, uint32_t dst,
		   uint16_t expects)
{
	uint32_t id = p->id;
	struct mon_hdr *h = msg;
	p->target_core = dst;
	p->expects = expects;
	h->src_core = (uint16_t)mon_core;
	h->dst_core = (uint16_t)dst;
	h->req_id = id;
	h->src_domain = p->domain_id;
	/* A request to this very core is answered (and p completed) inside route_send. */
	err_t e = core_is_up(dst) ? route_send(type, msg, len) : ERR_DEAD;
	struct pending *still = e ? pending_find(id) : 0;
	if (still)
		pending_complete(still, e, 0);
	return e;
}

void pending_answer(uint16_t type, const void *msg)
{
	const struct mon_hdr *h = msg;
	struct pending *p = pending_find(h->req_id);
	if (!p || (type != p->expects && type != MON_ERROR)) {
		mon_log("%s from core %u answers no request of ours", mon_type_name(type),
			h->src_core);
		return;
	}
	if (type == MON_ERROR) {
		const struct mon_error *m = msg;
		mon_log("core %u refused our %s: %s", h->src_core,
			mon_type_name((uint16_t)m->bad_type), m->why);
		pending_complete(p, h->err ? h->err : ERR_SYNTAX, 0);
		return;
	}
	pending_complete(p, h->err, msg);
}

void pending_expire(uint64_t now)
{
	for (unsigned i = 0; i < MON_MAX_PENDING; i++)
		if (table[i] && now > table[i]->deadline)
			pending_complete(table[i], ERR_TIMEOUT, 0);
}

void pending_fail_core(unsigned core)
{
	for (unsigned i = 0; i < MON_MAX_PENDING; i++)
		if (table[i] && table[i]->target_core == core)
			pending_complete(table[i], ERR_DEAD, 0);
}

unsigned pending_count_domain(uint32_t domain_id)
{
	unsigned n = 0;
	for (unsigned i = 0; i < MON_MAX_PENDING; i++)
		n += table[i] && table[i]->domain_id == domain_id;
	return n;
}
