/*
 * bcast.c: a broadcast to every core along the tree, against the same
 * reach by a sequential loop of unicasts (the broadcast benchmark, tools/bench-bcast.py).
 *
 * A domain on core 0 sends MON_BCAST with seq = rounds.  For each round
 * monitor 0 (1) sends MON_BCAST to its tree children; every monitor
 * forwards it to its own children, and answers its parent with MON_BCAST_ACK
 * once all its children have, carrying the number of cores reached below it
 * (a reduction); (2) then pings every other core one after the other,
 * waiting for each pong.  The reply (MON_BCAST_ACK to the domain) carries
 * the mean TSC cycles per round: tsc = tree, seq = sequential, and count =
 * cores the tree reached.  One run at a time; others get ERR_BUSY.
 *
 * A core that is down is skipped, not waited for: its live children are
 * adopted by its nearest live ancestor (monitor_info.tree_parents gives every
 * core's tree parent), which sends to them and hears their acks over
 * whatever route reaches them (route.c), so a broadcast still reaches every
 * live core when an inner node of the tree has stopped.
 */
#include <libos/libos.h>
#include <libos/stdio.h>
#include <lib/string.h>
#include "monitor.h"

#define BENCH_SEQ (1ull << 63)

/* Tree role of this monitor for the broadcast in flight. */
static uint32_t waiting_acks, reached, bcast_seq;

/* Core 0's run. */
static struct {
	bool active;
	uint32_t domain_id, req;
	uint32_t rounds, round;
	uint32_t next_core;          /* sequential phase: next core to ping */
	uint64_t start, tree_cycles, seq_cycles;
	uint32_t count;
} run;

/* Live cores whose nearest live tree ancestor is p (a dead child's children, adopted). */
static unsigned live_children(unsigned p, uint32_t *out, unsigned n, unsigned max)
{
	for (unsigned c = 0; c < mon_ncores && n < max; c++) {
		if (mon_info->tree_parents[c] != p)
			continue;
		if (core_is_up(c))
			out[n++] = c;
		else
			n = live_children(c, out, n, max);
	}
	return n;
}

static unsigned children(uint32_t *out)
{
	return live_children(mon_core, out, 0, CORES_MAX);
}

/* The nearest live ancestor in the tree: where this core's acknowledgement goes. */
static unsigned live_parent(void)
{
	unsigned p = mon_info->tree_parents[mon_core];
	while (p < mon_ncores && !core_is_up(p))
		p = mon_info->tree_parents[p];
	return p;
}

static void send_ping(uint16_t type, uint32_t dst, uint64_t seq, uint32_t count)
{
	struct mon_ping m;
	memset(&m, 0, sizeof m);
	m.h.src_core = (uint16_t)mon_core;
	m.h.dst_core = (uint16_t)dst;
	m.seq = seq;
	m.count = count;
	route_send(type, &m, sizeof m);
}

static void finish_run(void)
{
	struct mon_ping r;
	memset(&r, 0, sizeof r);
	r.h.req_id = run.req;
	r.h.src_core = r.h.dst_core = (uint16_t)mon_core;
	r.tsc = run.tree_cycles / run.rounds;
	r.seq = run.seq_cycles / run.rounds;
	r.count = run.count;
	run.active = false;
	local_send(run.domain_id, MON_BCAST_ACK, &r, sizeof r);
}

static void next_unicast(void)
{
	while (run.next_core < mon_ncores && !core_is_up(run.next_core))
		run.next_core++;
	if (run.next_core < mon_ncores) {
		send_ping(MON_PING, run.next_core++, BENCH_SEQ | run.round, 0);
		return;
	}
	run.seq_cycles += mon_now() - run.start;
	if (++run.round < run.rounds)
		bcast_start_round();
	else
		finish_run();
}

/* This node's subtree is done: ack upwards, or (root) go sequential. */
static void subtree_done(void)
{
	if (mon_core != 0) {
		send_ping(MON_BCAST_ACK, live_parent(), bcast_seq, reached + 1);
		return;
	}
	run.tree_cycles += mon_now() - run.start;
	run.count = reached + 1;
	run.start = mon_now();
	run.next_core = 1;
	next_unicast();
}

static void fan_out(uint64_t seq)
{
	uint32_t kids[CORES_MAX];
	unsigned n = children(kids);
	bcast_seq = (uint32_t)seq;
	waiting_acks = n;
	reached = 0;
	for (unsigned i = 0; i < n; i++)
		send_ping(MON_BCAST, kids[i], seq, 0);
	if (!n)
		subtree_done();
}

void bcast_start_round(void)
{
	run.start = mon_now();
	fan_out(run.round + 1);
}

void bcast_request(uint32_t domain_id, const struct mon_ping *req)
{
	if (mon_core != 0 || run.active || req->seq == 0 || req->seq > 100000) {
		const char *why = run.active ? "MON_BCAST: a broadcast is running" :
			"MON_BCAST: runs on core 0 only, 1..100000 rounds";
		mon_log("refused a message from domain %u: %s", domain_id, why);
		reply_error(domain_id, &req->h, MON_BCAST, run.active ? ERR_BUSY : ERR_RANGE, why);
		return;
	}
	memset(&run, 0, sizeof run);
	run.active = true;
	run.domain_id = domain_id;
	run.req = req->h.req_id;
	run.rounds = (uint32_t)req->seq;
	bcast_start_round();
}

void bcast_message(uint16_t type, const struct mon_ping *m)
{
	if (type == MON_BCAST) {
		fan_out(m->seq);
	} else if (type == MON_BCAST_ACK) {
		reached += m->count;
		if (waiting_acks && --waiting_acks == 0)
			subtree_done();
	} else if (type == MON_PONG && run.active) {
		next_unicast();
	}
}

/*
 * A core went down (liveness.c).  At the root a run in flight can no longer
 * complete (an acknowledgement or a pong will never come): it ends with
 * ERR_DEAD.  Elsewhere nothing is kept between runs; the next run resets
 * this monitor's tree state.
 */
void bcast_core_down(unsigned core)
{
	if (mon_core != 0 || !run.active)
		return;
	struct mon_hdr h;
	char why[MON_WHY_MAX];
	memset(&h, 0, sizeof h);
	h.req_id = run.req;
	snprintf(why, sizeof why, "MON_BCAST: core %u went down during the run", core);
	mon_log("broadcast run for domain %u ended: %s", run.domain_id, why);
	run.active = false;
	reply_error(run.domain_id, &h, MON_BCAST, ERR_DEAD, why);
}
