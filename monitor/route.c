/*
 * route.c: the links to other monitors and how a message reaches a core.
 *
 * Route: a direct link if there is one (core 0 has one to every core; tree
 * edges give more), otherwise through core 0.  A link whose peer is down is
 * never used.  Sending never blocks for long: a full link is retried with
 * yields for a bounded time, then the message is dropped with a log line
 * (the request it belonged to then fails by time-out).
 */
#include <libos/libos.h>
#include <libos/sys.h>
#include <libos/waitset.h>
#include <libos/waitset_urpc.h>
#include <lib/string.h>
#include "monitor.h"

#define SEND_RETRIES 20000

struct link {
	unsigned peer;
	struct urpc_chan chan;
	struct waitset_urpc src;
};

static struct link links[MONITOR_MAX_LINKS];
static unsigned nlinks;
static int link_to[CORES_MAX];          /* index of the direct link, -1 */
static uint64_t down[CORES_MAX / 64];
static struct waitset *route_ws;

bool core_is_down(unsigned core)
{
	return core < CORES_MAX && (down[core / 64] >> (core % 64) & 1);
}

void core_mark_down(unsigned core)
{
	if (core < CORES_MAX)
		down[core / 64] |= 1ull << (core % 64);
}

/*
 * monitor_info.cores_up is the kernel's view when this monitor started.  On
 * core 0 that is after every AP came up (or gave up), so it is complete; an
 * AP's monitor starts while later APs are still starting, so there a core
 * missing from it may well be up.  Other monitors therefore take every core
 * as up until monitor 0 says otherwise (MON_CORE_DOWN, liveness.c), which
 * it does at start for the cores that never came up.
 */
bool core_is_up(unsigned core)
{
	if (core >= mon_ncores || core_is_down(core))
		return false;
	return mon_core != 0 || (mon_info->cores_up[core / 64] >> (core % 64) & 1);
}

static void on_link_message(struct waitset_urpc *w)
{
	struct link *l = w->arg;
	uint8_t buf[MON_MSG_MAX] __attribute__((aligned(8)));
	uint16_t type;
	size_t len;
	err_t e = urpc_try_recv(&l->chan, &type, buf, sizeof buf, &len);
	if (e == ERR_EMPTY)
		return;
	if (e) {
		mon_log("link to core %u broken (%s); no longer served", l->peer, err_str(e));
		waitset_remove(route_ws, &l->src.src);
		return;
	}
	route_deliver(type, buf, len);
}

void route_init(void)
{
	for (unsigned c = 0; c < CORES_MAX; c++)
		link_to[c] = -1;
	for (unsigned i = 0; i < mon_info->nlinks && i < MONITOR_MAX_LINKS; i++) {
		struct link *l = &links[nlinks];
		struct urpc_hooks hooks;
		l->peer = mon_info->links[i].peer;
		void *area = (void *)(MONITOR_LINKS_VA + i * MONITOR_LINK_SIZE);
		libos_urpc_hooks_chan(&hooks, area); /* wakes the peer monitor only */
		err_t e = urpc_chan_init(&l->chan, area, MONITOR_LINK_SIZE,
					 mon_info->links[i].side, &hooks);
		if (e) {
			mon_log("link %u to core %u: %s", i, l->peer, err_str(e));
			continue;
		}
		waitset_urpc_init(&l->src, &l->chan, on_link_message, l);
		if (l->peer < CORES_MAX)
			link_to[l->peer] = (int)nlinks;
		nlinks++;
	}
}

void route_add_sources(struct waitset *ws)
{
	route_ws = ws;
	for (unsigned i = 0; i < nlinks; i++)
		waitset_add(ws, &links[i].src.src);
}

static struct link *next_hop(unsigned dst)
{
	if (dst < CORES_MAX && link_to[dst] >= 0)
		return &links[link_to[dst]];
	if (mon_core != 0 && link_to[0] >= 0)
		return &links[link_to[0]];
	return 0;
}

err_t route_send(uint16_t type, void *msg, size_t len)
{
	struct mon_hdr *h = msg;
	if (h->dst_core == mon_core) {
		route_deliver(type, msg, len);
		return ERR_OK;
	}
	if (core_is_down(h->dst_core))
		return ERR_DEAD;
	struct link *l = next_hop(h->dst_core);
	if (!l)
		return ERR_RANGE;
	for (unsigned i = 0; i < SEND_RETRIES; i++) {
		err_t e = urpc_send(&l->chan, type, msg, len);
		if (e != ERR_FULL)
			return e;
		if (core_is_down(l->peer))
			return ERR_DEAD;
		sys_yield();
	}
	mon_log("link to core %u full; %s to core %u dropped", l->peer, mon_type_name(type),
		h->dst_core);
	return ERR_FULL;
}

void route_deliver(uint16_t type, void *msg, size_t len)
{
	char why[MON_WHY_MAX];
	if (mon_msg_check(type, msg, len, mon_ncores, why, sizeof why)) {
		mon_log("refused a message on a link: %s", why);
		return;
	}
	struct mon_hdr *h = msg;
	if (h->dst_core != mon_core) {
		err_t e = route_send(type, msg, len);
		if (e)
			mon_log("cannot forward %s to core %u: %s", mon_type_name(type),
				h->dst_core, err_str(e));
		return;
	}
	handle_monitor_message(type, msg, len);
}
