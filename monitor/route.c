/*
 * route.c: the links to other monitors and how a message reaches a core.
 *
 * Route: a shortest path over the live cores in the link plan, which every
 * monitor knows whole (monitor_info.graph: core 0 to every core, the tree
 * edges, the ring c to c+1, and 1 to n-1).  Each monitor computes, by a
 * breadth-first search from itself that skips cores it knows are down, the
 * first hop towards every core, and recomputes it when a core goes down;
 * a monitor that is not a message's destination forwards it the same way.
 * Neighbours are visited in core order, so while core 0 lives a core
 * without a direct link goes through core 0 (two hops, as before); once it
 * is down, paths run along the tree and the ring, which stays connected
 * without core 0 and any run of neighbouring cores (the ring of 1..n-1).
 * No central role: any core may stop, core 0 included.  Views of who is
 * down converge by MON_CORE_DOWN; until then a message may be sent
 * towards a core that has just died and is lost (its request times out).
 * A core that no path reaches is refused with ERR_NOROUTE.  The paths
 * themselves and the hop limit are pure code (include/monitor/routepath.h):
 * every message on a link carries the links it has crossed, and one that
 * would need more than n - 1 (a loop between monitors whose views of who is
 * down differ) is dropped with a log line naming its source, destination
 * and hops.
 *
 * Sending never blocks: each link has an outgoing queue (monitor/outq.h).
 * A message goes straight into the URPC ring when the queue is empty and
 * the ring has room; otherwise it joins the queue (FIFO per link, so order
 * is kept), and the loop pushes queued messages whenever the peer has freed
 * slots (route_flush, called after every dispatch; the loop wakes every
 * tick while anything is queued).  A full link therefore delays only that
 * link.  Back pressure: a queue holds at most LINK_QUEUE_MAX messages; past
 * that route_send answers ERR_FULL and the caller fails its request at
 * once.  The queue of a link whose peer goes down is dropped.
 */
#include <libos/libos.h>
#include <libos/malloc.h>
#include <libos/waitset.h>
#include <libos/waitset_urpc.h>
#include <lib/string.h>
#include "monitor.h"
#include "monsys.h"
#include "outq.h"
#include <monitor/routepath.h>

_Static_assert(MON_TYPE_COUNT <= (1u << RP_TYPE_BITS), "monitor types fit the link word");

#define LINK_QUEUE_MAX 256

struct link {
	unsigned peer;
	struct urpc_chan chan;
	struct waitset_urpc src;
	struct outq out;               /* waiting for room in the ring; types are link words */
};

static struct link links[MONITOR_MAX_LINKS];
static unsigned nlinks;
static int link_to[CORES_MAX];          /* index of the direct link, -1 */
static uint64_t down[CORES_MAX / 64];
static struct waitset *route_ws;

/* The link plan and the first hop towards every core (monitor/routepath.h). */
static struct rp_graph graph;
static uint16_t first_hop[CORES_MAX];
static bool hops_valid;

bool core_is_down(unsigned core)
{
	return core < CORES_MAX && (down[core / 64] >> (core % 64) & 1);
}

void core_mark_down(unsigned core)
{
	if (core < CORES_MAX)
		down[core / 64] |= 1ull << (core % 64);
	hops_valid = false;
}

/* Breadth-first from this core over cores not known down: first_hop[]. */
static void hops_compute(void)
{
	uint64_t nolink[CORES_MAX / 64];
	memset(nolink, 0, sizeof nolink);
	for (unsigned c = 0; c < CORES_MAX; c++)
		if (link_to[c] < 0)
			nolink[c / 64] |= 1ull << (c % 64); /* our link to it failed at start */
	rp_first_hops(&graph, mon_core, down, nolink, first_hop);
	hops_valid = true;
}

static void core_mark_up(unsigned core)
{
	if (core < CORES_MAX)
		down[core / 64] &= ~(1ull << (core % 64));
	hops_valid = false; /* paths through it are back */
}

/*
 * monitor_info.cores_up is the kernel's view when this monitor started.  On
 * core 0 that is after every AP came up (or gave up), so it is complete and
 * route_init takes the cores missing from it as down; an AP's monitor
 * starts while later APs are still starting, so there a core missing from
 * it may well be up.  Other monitors therefore take every core as up until
 * monitor 0 says otherwise (MON_CORE_DOWN, liveness.c), which it does at
 * start for the cores that never came up.  Such a core may join later by a
 * restart request (restart.c): then it is up like any restarted core.
 */
bool core_is_up(unsigned core)
{
	return core < mon_ncores && !core_is_down(core);
}

static void deliver_hops(unsigned via, uint16_t type, void *msg, size_t len, unsigned hops);

static void on_link_message(struct waitset_urpc *w)
{
	struct link *l = w->arg;
	uint8_t buf[MON_MSG_MAX] __attribute__((aligned(8)));
	uint16_t word;
	size_t len;
	err_t e = urpc_try_recv(&l->chan, &word, buf, sizeof buf, &len);
	if (e == ERR_EMPTY)
		return;
	if (e) {
		mon_log("link to core %u broken (%s); no longer served", l->peer, err_str(e));
		waitset_remove(route_ws, &l->src.src);
		return;
	}
	deliver_hops(l->peer, rp_link_msg_type(word), buf, len, rp_link_hops(word));
}

/* A queued link word's monitor type, for outq's log lines. */
static const char *link_word_name(uint16_t word)
{
	return mon_type_name(rp_link_msg_type(word));
}

/* Link i (monitor_info order) of l: the URPC channel on its area, as a waitset source. */
static err_t link_attach(struct link *l, unsigned i)
{
	struct urpc_hooks hooks;
	void *area = (void *)(MONITOR_LINKS_VA + i * MONITOR_LINK_SIZE);
	libos_urpc_hooks_chan(&hooks, area); /* wakes the peer monitor only */
	err_t e = urpc_chan_init(&l->chan, area, MONITOR_LINK_SIZE, mon_info->links[i].side,
				 &hooks);
	if (!e)
		waitset_urpc_init(&l->src, &l->chan, on_link_message, l);
	return e;
}

void route_init(void)
{
	for (unsigned c = 0; c < CORES_MAX; c++)
		link_to[c] = -1;
	for (unsigned c = 1; c < mon_ncores && mon_core == 0 && !mon_info->generation; c++)
		if (!(mon_info->cores_up[c / 64] >> (c % 64) & 1))
			core_mark_down(c);    /* never came up (see core_is_up) */
	for (unsigned i = 0; i < mon_info->nlinks && i < MONITOR_MAX_LINKS; i++) {
		struct link *l = &links[nlinks];
		l->peer = mon_info->links[i].peer;
		err_t e = link_attach(l, i);
		if (e) {
			mon_log("link %u to core %u: %s", i, l->peer, err_str(e));
			continue;
		}
		if (l->peer < CORES_MAX)
			link_to[l->peer] = (int)nlinks;
		char who[24];
		snprintf(who, sizeof who, "link to core %u", l->peer);
		outq_init(&l->out, LINK_QUEUE_MAX, who, link_word_name);
		nlinks++;
	}
	rp_graph_build(&graph, mon_info->graph, mon_info->ngraph, mon_ncores);
}

err_t route_core_up(unsigned core)
{
	if (core >= CORES_MAX || core == mon_core)
		return ERR_RANGE;
	int k = link_to[core];
	if (k < 0) {
		core_mark_up(core);
		return ERR_OK; /* no direct link: messages go through another core */
	}
	struct link *l = &links[k];
	unsigned i = 0;
	while (i < mon_info->nlinks && mon_info->links[i].peer != core)
		i++;
	err_t e = (err_t)sys_monlink_reset(core);
	if (e)
		return e; /* ERR_EXIST: its link did not move, so it was not restarted */
	core_mark_up(core);
	if (route_ws)
		waitset_remove(route_ws, &l->src.src);
	outq_drop(&l->out); /* meant for the old instance */
	e = link_attach(l, i);
	if (e)
		return e;
	if (route_ws)
		waitset_add(route_ws, &l->src.src);
	return ERR_OK;
}

void route_add_sources(struct waitset *ws)
{
	route_ws = ws;
	for (unsigned i = 0; i < nlinks; i++)
		waitset_add(ws, &links[i].src.src);
}

static struct link *next_hop(unsigned dst)
{
	if (dst >= CORES_MAX)
		return 0;
	if (!hops_valid)
		hops_compute();
	unsigned h = first_hop[dst];
	if (h == RP_NO_HOP || h == mon_core || link_to[h] < 0)
		return 0;
	return &links[link_to[h]];
}

int route_next_hop(unsigned dst)
{
	struct link *l = next_hop(dst);
	return l ? (int)l->peer : -1;
}

void route_flush(void)
{
	for (unsigned i = 0; i < nlinks; i++) {
		struct link *l = &links[i];
		if (core_is_down(l->peer))
			outq_drop(&l->out);
		else
			outq_flush(&l->out, &l->chan);
	}
}

bool route_backlog(void)
{
	for (unsigned i = 0; i < nlinks; i++)
		if (outq_waiting(&links[i].out))
			return true;
	return false;
}

err_t route_send_core(uint16_t type, unsigned dst, unsigned about, uint32_t generation)
{
	struct mon_core m;
	memset(&m, 0, sizeof m);
	m.h.src_core = (uint16_t)mon_core;
	m.h.dst_core = (uint16_t)dst;
	m.core = about;
	m.generation = generation;
	err_t e = route_send(type, &m, sizeof m);
	if (e)
		mon_log("%s about core %u to core %u not sent: %s", mon_type_name(type), about,
			dst, err_str(e));
	return e;
}

/* Sends msg, which has crossed `hops` links so far, one link further. */
static err_t send_hops(uint16_t type, void *msg, size_t len, unsigned hops)
{
	struct mon_hdr *h = msg;
	if (h->dst_core == mon_core) {
		route_deliver(mon_core, type, msg, len);
		return ERR_OK;
	}
	if (core_is_down(h->dst_core))
		return ERR_DEAD;
	if (len > MON_MSG_MAX)
		return ERR_TOOBIG;
	struct link *l = next_hop(h->dst_core);
	if (!l)
		return h->dst_core < mon_ncores ? ERR_NOROUTE : ERR_RANGE;
	if (core_is_down(l->peer))
		return ERR_DEAD;
	return outq_send(&l->out, &l->chan, rp_link_type(type, hops + 1), msg, len);
}

err_t route_send(uint16_t type, void *msg, size_t len)
{
	return send_hops(type, msg, len, 0);
}

/*
 * The route a message claims, against where it came from: on a link it
 * cannot come from this core (a forged or looping src_core), nor from a
 * core this monitor knows is down (its state is gone; a forwarder that
 * still sends its messages is wrong), nor over the link of a core that is
 * down.  Returns the reason for a refusal, 0 if it may be used.
 */
static const char *route_implausible(unsigned via, const struct mon_hdr *h)
{
	if (via == mon_core)
		return 0;
	if (h->src_core == mon_core)
		return "it claims to come from this core";
	if (core_is_down(h->src_core))
		return "its source core is down";
	if (core_is_down(via))
		return "that core is down";
	return 0;
}

void route_deliver(unsigned via, uint16_t type, void *msg, size_t len)
{
	deliver_hops(via, type, msg, len, 0);
}

/* A message that crossed `hops` links, the last one from `via`. */
static void deliver_hops(unsigned via, uint16_t type, void *msg, size_t len, unsigned hops)
{
	char why[MON_WHY_MAX];
	if (mon_msg_check(type, msg, len, mon_ncores, why, sizeof why)) {
		mon_log("refused a message on a link: %s", why);
		return;
	}
	struct mon_hdr *h = msg;
	const char *no = route_implausible(via, h);
	if (no) {
		mon_log("refused %s from core %u on the link from core %u: %s", mon_type_name(type),
			h->src_core, via, no);
		return;
	}
	liveness_heard(h->src_core);
	if (h->dst_core != mon_core) {
		if (!rp_may_forward(hops, mon_ncores)) {
			mon_log("dropped %s from core %u to core %u after %u hops: a path needs at most "
				"%u (a loop)", mon_type_name(type), h->src_core, h->dst_core, hops,
				mon_ncores - 1);
			return;
		}
		err_t e = send_hops(type, msg, len, hops);
		if (e)
			mon_log("cannot forward %s to core %u: %s", mon_type_name(type),
				h->dst_core, err_str(e));
		return;
	}
	handle_monitor_message(type, msg, len);
}
