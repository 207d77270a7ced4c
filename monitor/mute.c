/*
 * mute.c: test command MON_MUTE_CORE_REQ (stop right): this core's monitor
 * answers, then ignores every message for `ms` while its core runs on (its
 * kernel ticks, its other domains run): what a monitor starved or hung
 * looks like to its watchers.  liveness.c must then either withdraw its
 * suspicion (the monitor speaks again in time) or declare the core down,
 * and corefence.c then stops and restarts it: never a core that runs on
 * while the others route around it.  Only the monitor's own core may be
 * named: the request is a local one.
 */
#include <libos/libos.h>
#include <libos/sys.h>
#include "monitor.h"

void mute_request(uint32_t dom, struct mon_mute *m)
{
	if (m->core != mon_core) {
		char why[MON_WHY_MAX];
		snprintf(why, sizeof why, "core %u is not this monitor's core %u", m->core, mon_core);
		mon_log("refused a message from domain %u: MON_MUTE_CORE_REQ: %s", dom, why);
		reply_error(dom, &m->h, MON_MUTE_CORE_REQ, ERR_RANGE, why);
		return;
	}
	mon_log("domain %u muted this monitor for %u ms (test command)", dom, m->ms);
	mon_event("liveness.mute", "ms=%u", m->ms);
	reply_domain(dom, m->h.req_id, MON_MUTE_CORE_REPLY, m, sizeof *m, ERR_OK);
	route_flush();
	uint64_t until = mon_now() + mon_ms(m->ms);
	while (mon_now() < until)
		sys_wait(TICK_HZ / 20);
	mon_log("muted for %u ms: serving again", m->ms);
}
