/*
 * restart.c: bringing a stopped core back, and its monitor rejoining.
 *
 * Request.  A local domain holding the stop right (monitor/rights.c) sends
 * MON_RESTART_CORE_REQ(core) to its monitor R.  R refuses, with MON_ERROR
 * and a sentence, a core that is not down in its own view (its watchers
 * have not agreed it stopped, liveness.c) and R's own core; then it
 * asks its CPU driver (SYS_CORE_RESTART), which refuses a core that never
 * came up (ERR_NOENT) or still runs (ERR_BUSY), and otherwise builds a fresh
 * CPU driver in a fresh pool (from R's share of the monitors' memory when
 * R's node is the core's and its share has one, memory_take_pool; else from
 * the kernel's restart reserve), gives every link of that core a fresh area
 * and starts the core with INIT-SIPI-SIPI.  R then takes the core as up
 * again and tells every other live monitor (MON_CORE_UP); each of them,
 * and R, moves its direct link to the core onto the new area
 * (SYS_MONLINK_RESET; what was queued for the old instance is dropped) and
 * watches it from a fresh start (liveness_core_up: dead_ms, without the
 * boot grace: its monitor starts within milliseconds).  The old link areas
 * are never written again by anyone.  R sends the restarted monitor every
 * name of its replica of the registry (names_rejoin, MON_NAME_STATE; rounds
 * started from now on count the core as a party).  R answers the request then.
 * A MON_CORE_UP about a core whose link did not move (it was not restarted)
 * is refused and logged; one about the receiver itself too.  Core 0 is
 * restarted like any core (its kernel uses the BIOS warm-reset vector); a
 * restarted core 0's monitor does not run the boot-only duties again.
 * MON_CORE_UP carries the new incarnation (the kernel's restart count,
 * SYS_CORE_GENERATION; incarnation.c): one about an incarnation this
 * monitor already knows (a duplicate, or a life declared down before the
 * MON_CORE_UP arrived) is refused; one that finds the core still up here
 * (its declaration has not come) takes the old life down first.
 *
 * Order.  The restarted monitor may write to a new link before the peer
 * has moved to it: the message waits in the new area, which the peer reads
 * once it moved.  Messages a peer sent to the old instance are lost with
 * it; requests that waited on it failed when it was declared down.
 *
 * Rejoin.  A monitor whose monitor_info.generation is not 0 runs on a
 * restarted core.  It takes every core its CPU driver did not see up as
 * down, and starts the manifest's services of its core that carry the
 * `restart` flag (lib/manifest.h) again, as children of itself.  Their
 * old instances' names were dropped when the core went down; the new ones
 * register again and clients bind again by name.  A client still holding a
 * channel to an old instance gets ERR_DEAD from SYS_NOTIFY on it.
 */
#include <libos/libos.h>
#include <libos/malloc.h>
#include <lib/manifest.h>
#include <lib/string.h>
#include "monitor.h"
#include "monsys.h"

#define REJOIN_MAX_SERVICES 64

static void refuse(uint32_t dom, struct mon_core *m, err_t e, const char *why)
{
	mon_log("refused a message from domain %u: MON_RESTART_CORE_REQ: %s", dom, why);
	reply_error(dom, &m->h, MON_RESTART_CORE_REQ, e, why);
}

/* The kernel's refusal as a sentence naming the core. */
static const char *kernel_refusal(err_t e)
{
	switch (e) {
	case ERR_NOENT:   return "it is not one of the machine's planned cores";
	case ERR_BUSY:    return "it is still running or starting, or another restart is under way";
	case ERR_NOMEM:   return "no spare memory pool is left for it";
	case ERR_TIMEOUT: return "it did not answer INIT-SIPI-SIPI";
	case ERR_RANGE:   return "it cannot be restarted";
	default:          return err_str(e);
	}
}

static void announce_up(unsigned core)
{
	for (unsigned c = 0; c < mon_ncores; c++) {
		if (c == mon_core || c == core || !core_is_up(c))
			continue;
		liveness_send_core_msg(MON_CORE_UP, c, core);
	}
}

/*
 * Incarnation `gen` of core `core` is up for this monitor, unless its link
 * did not move.  If this monitor never heard that the earlier one went
 * down (the declaration is late), that one is taken down here first: its
 * requests fail and its names go, as a declaration would have done.
 */
static void take_up(unsigned core, unsigned by, uint32_t gen)
{
	if (core_is_up(core)) {
		mon_log("core %u: incarnation %u ended, no declaration of it came here first", core,
			incarnation_of(core));
		liveness_core_down(core);
	}
	err_t e = route_core_up(core);
	if (e) {
		mon_log("refused MON_CORE_UP about core %u from core %u: its link did not move (%s)",
			core, by, err_str(e));
		return;
	}
	incarnation_set(core, gen);
	liveness_core_up(core);
	namerepl_core_up(core); /* name rounds' decisions it missed */
	mon_log("core %u restarted by core %u; watching it again", core, by);
	mon_event("core.back", "peer=%u by=%u us=%lu", core, by, (unsigned long)mon_us());
}

void restart_started(unsigned core)
{
	int64_t gen = sys_core_generation(core);
	uint32_t now = gen < 0 ? incarnation_of(core) + 1 : (uint32_t)gen;
	take_up(core, mon_core, now);
	announce_up(core);
	if (names_replicated())
		names_rejoin(core); /* the new monitor's replica starts empty */
	poolreuse_hook_point(core);
	if (now > 0)
		poolreuse_start(core, now - 1); /* the ended life's pool, once nobody maps it */
}

/*
 * Whether the kernel ended incarnation `before` of core in the restart that
 * just failed (it retired that life's pool, then the start timed out: the
 * generation moved), and if so the release of that pool, which nothing
 * else would start (restart_started runs only after a success).  The
 * other monitors still map their old links to the core until its next
 * successful restart moves them (restart_core_up): the release waits
 * for that like for any late mapper.
 */
static bool failed_after_retire(unsigned core, int64_t before, err_t e)
{
	int64_t now = sys_core_generation(core);
	if (before < 0 || now <= before)
		return false;
	mon_log("restart of core %u failed after its incarnation %ld ended (%s): that life's pool "
		"is released once nobody maps it", core, (long)before, err_str(e));
	mon_event("core.restart_failed", "peer=%u generation=%ld err=%d", core, (long)before,
		  (int)e);
	poolreuse_start(core, (uint32_t)before);
	return true;
}

/* A free restart pool of the kernel's first; else one from our share of the core's node. */
err_t restart_kernel(unsigned core)
{
	int64_t before = sys_core_generation(core);
	err_t e = (err_t)sys_core_restart(core, 0, 0);
	if (e == ERR_NOMEM) {
		uint64_t pool_pages = 0;
		uint64_t pool = memory_take_pool(memory_node_of(core), &pool_pages);
		if (!pool)
			return e;
		e = (err_t)sys_core_restart(core, pool, pool_pages);
		memory_pool_used(pool, pool_pages, core, e, !e || failed_after_retire(core, before, e));
		return e;
	}
	if (e)
		failed_after_retire(core, before, e);
	return e;
}

void restart_request(uint32_t dom, struct mon_core *m)
{
	char why[MON_WHY_MAX];
	unsigned core = m->core;
	if (m->generation > MON_RESTART_HOOK_HALF) {
		snprintf(why, sizeof why, "unknown test hook %u (0 for none, 1-%d)", m->generation,
			 MON_RESTART_HOOK_HALF);
		refuse(dom, m, ERR_RANGE, why);
		return;
	}
	if (core == mon_core) {
		snprintf(why, sizeof why, "core %u is this monitor's own core, which runs", core);
		refuse(dom, m, ERR_BUSY, why);
		return;
	}
	if (core_is_up(core)) {
		snprintf(why, sizeof why, "core %u is not down (stop it, then wait until its watchers agree)",
			 core);
		refuse(dom, m, ERR_BUSY, why);
		return;
	}
	uint64_t t0 = mon_now();
	err_t e = restart_kernel(core);
	if (e) {
		snprintf(why, sizeof why, "core %u: %s", core, kernel_refusal(e));
		refuse(dom, m, e, why);
		return;
	}
	mon_log("domain %u asked to restart core %u: started in %lu us", dom, core,
		(unsigned long)((mon_now() - t0) / (mon_ms(1) / 1000 ? mon_ms(1) / 1000 : 1)));
	mon_event("core.restart", "peer=%u for_domain=%u", core, dom);
	poolreuse_hook(m->generation); /* a test hook, or 0 */
	restart_started(core);
	poolreuse_hook(0);
	reply_domain(dom, m->h.req_id, MON_RESTART_CORE_REPLY, m, sizeof *m, ERR_OK);
}

void restart_core_up(const struct mon_core *m)
{
	if (m->core == mon_core) {
		mon_log("refused MON_CORE_UP about core %u from core %u: that is this core", m->core,
			m->h.src_core);
		return;
	}
	if (incarnation_compare(m->core, m->generation) != INC_NEWER) {
		/* a duplicate, or a life that was declared down before this came */
		mon_log("refused MON_CORE_UP about core %u from core %u: incarnation %u, this monitor "
			"knows %u (%s)", m->core, m->h.src_core, m->generation,
			incarnation_of(m->core), core_is_down(m->core) ? "down" : "up");
		return;
	}
	take_up(m->core, m->h.src_core, m->generation);
}

static uint32_t args_bytes(const struct manifest_entry *e)
{
	if (!e->argc)
		return 0;
	const char *last = e->args + e->argoff[e->argc - 1];
	return (uint32_t)(last - e->args + strlen(last) + 1);
}

/* The manifest's services of this core marked `restart`, started again; how many. */
static unsigned respawn(void)
{
	struct manifest man = { 0 };
	unsigned started = 0;
	man.entries = malloc(REJOIN_MAX_SERVICES * sizeof *man.entries);
	man.max_entries = man.entries ? REJOIN_MAX_SERVICES : 0;
	if (!mon_info->manifest_len || !man.entries) {
		free(man.entries);
		return 0;
	}
	struct manifest_config cfg = { .ncores = mon_ncores };
	manifest_parse((const char *)MONITOR_MANIFEST_VA, mon_info->manifest_len, &cfg, &man);
	for (unsigned i = 0; i < man.nentries; i++) {
		const struct manifest_entry *e = &man.entries[i];
		if (!e->restart || !manifest_cores_has(&e->cores, mon_core) ||
		    strcmp(e->program, "monitor") == 0)
			continue;
		uint32_t id, span[sizeof e->span / sizeof(uint32_t)];
		memcpy(span, &e->span, sizeof span); /* as boot.c: bit c is bit c either way */
		err_t err = local_spawn(e->program, e->argc, e->args, args_bytes(e), e->rights,
					mon_core, 0, 0, span, &id);
		if (err) {
			mon_log("manifest line %u: cannot start '%s' again: %s", e->line, e->program,
				err_str(err));
			continue;
		}
		started++;
		mon_log("manifest line %u: '%s' runs again as domain %u", e->line, e->program, id);
		mon_event("spawn", "id=%u program=%s for_core=%u for_domain=0", id, e->program,
			  mon_core);
	}
	free(man.entries);
	return started;
}

void restart_rejoin(void)
{
	if (!mon_info->generation)
		return;
	for (unsigned c = 0; c < mon_ncores; c++) {
		int64_t gen = sys_core_generation(c);
		incarnation_set(c, gen < 0 ? 0 : (uint32_t)gen);
		if (c != mon_core && !(mon_info->cores_up[c / 64] >> (c % 64) & 1))
			core_mark_down(c);
	}
	incarnation_set(mon_core, mon_info->generation);
	unsigned n = respawn();
	sys_manifest_done(); /* the run may end once these have ended too */
	mon_log("rejoined after restart %u: %u manifest services started again",
		mon_info->generation, n);
	mon_event("core.rejoin", "generation=%u respawned=%u", mon_info->generation, n);
}
