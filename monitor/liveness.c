/*
 * liveness.c: heartbeats between monitors.
 *
 * Core 0's monitor pings every other monitor every ping_ms over its direct
 * link; a monitor answers from its loop.  A core that has not answered for
 * dead_ms is declared stopped: core 0 logs it, fails every request waiting
 * on it, drops its names and tells every other monitor (MON_CORE_DOWN),
 * which do the same for their own requests.  The bound on noticing is
 * dead_ms + ping_ms plus one loop period.  At most MAX_UNANSWERED pings are
 * outstanding per core, so a silent core's link never fills with them.
 *
 * Both periods grow with the core count: core 0 sends one ping per core per
 * period, and on a crowded host (255 vCPUs on 2 host CPUs under TCG) a pong
 * can take seconds; a fixed 1 s limit declared live cores dead there.
 * 4 cores: ping 116 ms, dead after 1.2 s; 255 cores: 1.1 s and 11 s.
 */
#include <libos/libos.h>
#include <lib/string.h>
#include "monitor.h"

#define PING_MS_BASE 100
#define PING_MS_PER_CORE 4
#define DEAD_PINGS 10          /* dead_ms = DEAD_PINGS * ping_ms */
#define MAX_UNANSWERED 3
#define BENCH_SEQ (1ull << 63)  /* bcast.c's pings carry this bit */

static uint64_t ping_ms(void)
{
	return PING_MS_BASE + PING_MS_PER_CORE * (uint64_t)mon_ncores;
}

static uint64_t last_pong[CORES_MAX];
static uint8_t unanswered[CORES_MAX];  /* pings since the last pong */
static uint64_t next_ping;
static uint64_t seq;

static void ping_all(uint64_t now)
{
	for (unsigned c = 1; c < mon_ncores; c++) {
		if (!core_is_up(c))
			continue;
		if (!last_pong[c])
			last_pong[c] = now;
		if (unanswered[c] >= MAX_UNANSWERED)
			continue; /* it is silent: do not fill its link */
		unanswered[c]++;
		struct mon_ping m;
		memset(&m, 0, sizeof m);
		m.h.src_core = (uint16_t)mon_core;
		m.h.dst_core = (uint16_t)c;
		m.seq = ++seq;
		m.tsc = now;
		route_send(MON_PING, &m, sizeof m);
	}
}

static void declare_down(unsigned core, uint64_t now)
{
	mon_log("core %u stopped responding: no heartbeat for %lu ms", core,
		(unsigned long)((now - last_pong[core]) / mon_ms(1)));
	liveness_core_down(core);
	for (unsigned c = 1; c < mon_ncores; c++) {
		if (c == core || !core_is_up(c))
			continue;
		struct mon_core m;
		memset(&m, 0, sizeof m);
		m.h.src_core = (uint16_t)mon_core;
		m.h.dst_core = (uint16_t)c;
		m.core = core;
		route_send(MON_CORE_DOWN, &m, sizeof m);
	}
}

/* Cores that never came up: down for every monitor (route.c, core_is_up). */
static void announce_absent(void)
{
	for (unsigned a = 1; a < mon_ncores; a++) {
		if (core_is_up(a))
			continue;
		mon_log("core %u never came up", a);
		for (unsigned c = 1; c < mon_ncores; c++) {
			if (!core_is_up(c))
				continue;
			struct mon_core m;
			memset(&m, 0, sizeof m);
			m.h.src_core = (uint16_t)mon_core;
			m.h.dst_core = (uint16_t)c;
			m.core = a;
			route_send(MON_CORE_DOWN, &m, sizeof m);
		}
	}
}

void liveness_tick(uint64_t now)
{
	static bool started;
	if (mon_core != 0)
		return;
	if (!started) {
		started = true;
		announce_absent();
	}
	for (unsigned c = 1; c < mon_ncores; c++)
		if (core_is_up(c) && last_pong[c] && now - last_pong[c] > mon_ms(DEAD_PINGS * ping_ms()))
			declare_down(c, now);
	if (now >= next_ping) {
		ping_all(now);
		next_ping = now + mon_ms(ping_ms());
	}
}

void liveness_pong(const struct mon_ping *m)
{
	if (m->seq & BENCH_SEQ) {
		bcast_message(MON_PONG, m);
		return;
	}
	if (m->h.src_core < CORES_MAX) {
		last_pong[m->h.src_core] = mon_now();
		unanswered[m->h.src_core] = 0;
	}
}

void liveness_core_down(unsigned core)
{
	if (core_is_down(core))
		return;
	core_mark_down(core);
	unsigned dropped = handlers_core_down(core);
	bcast_core_down(core);
	mon_log("core %u is down: its requests failed, %u names dropped; serving the rest",
		core, dropped);
	mon_event("core.down", "peer=%u", core);
}
