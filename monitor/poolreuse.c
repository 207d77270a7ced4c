/*
 * poolreuse.c: giving a restarted core's old pool back, by agreement.
 *
 * When core S is restarted, the pool its ended incarnation g ran in (its
 * kernel tables, its domains' frames, the channel areas its services made,
 * its spanning homes' frames) and its old link pages are retired by the
 * kernel (kernel/poolreuse.h): no restart may use them while a domain of
 * another core may still map a part of them.  Nobody knows another core's
 * mappings, so the monitor R that restarted S asks every live monitor:
 *
 *   R -> every live monitor M (R and S too): MON_POOL_QUERY(core S, gen g)
 *   M: asks its own CPU driver (SYS_POOL_MAPPED(S, g)), which counts its
 *      domains' mappings into those ranges; 0: M answers at once, else it
 *      keeps the question and asks its kernel again every CHECK_MS until
 *      the count is 0 (the mapping domain dropped the channel,
 *      SYS_CHAN_DROP, or ended), then answers
 *   M -> R: MON_POOL_CLEAR(S, g)
 *   R: once every monitor that was live when it asked has answered (or has
 *      been declared down since: a stopped core runs nothing), it calls
 *      SYS_POOL_RELEASE(S, g) and the pool is free for the next restart;
 *      the frames of the monitors' memory that S's ended life's domains
 *      held (SYS_POOL_MONMEM, read just before; counted in SYS_POOL_MAPPED
 *      too) go back to their owners (memory_give_back) if R's release was
 *      the one that succeeded.
 *
 * The answer is exact, not a guess: only M's core edits its domains'
 * tables, and SYS_POOL_MAPPED runs between two of its own system calls, so
 * no call of that core that read an address of S's ended life before the
 * restart is still running.  A late mapper (a client still holding a
 * channel to the old instance) delays the release for as long as it maps
 * it; nothing of the pool is reused meanwhile, so it is never corrupted.
 * A question is repeated every RESEND_MS to the monitors that have not
 * answered (a message lost on a full link); answers are idempotent.
 *
 * The coordinator may die in the middle (stopped, fenced).  Nothing of
 * its round is then left half done: each monitor that held a question of
 * R's drops it when it learns R is down (R's round is aborted there; an
 * answer already sent to R is lost with R, and nothing but R acted on
 * answers), and the pool itself is not lost: the kernel's record names
 * the incarnation that coordinates its release, and once that one has
 * ended any monitor's SYS_POOL_ADOPT hands the pool to that monitor
 * (exclusively: one coordinator at a time), which runs the agreement again
 * from the start with the monitors live then.  Every monitor tries to adopt
 * when it learns a core is down and every ADOPT_MS (the dead core's kernel
 * may not have stopped yet when the news comes).  This holds however far
 * R had got: before any question (nobody but the kernel knew of the round),
 * with some questions out, or with every answer in but not yet released.
 * Tests: MON_RESTART_HOOK_UNASKED / _HALF (test_restart.py pool_*).
 */
#include <libos/malloc.h>
#include <lib/string.h>
#include "monitor.h"
#include "monsys.h"

#define RELEASES_MAX 16     /* agreements this monitor coordinates at once */
#define CHECKS_MAX   32     /* questions this monitor keeps until its count is 0 */
#define CHECK_MS     200
#define RESEND_MS    3000
#define ADOPT_MS     1000
#define CORE_WORDS   (CORES_MAX / 64)

struct release {            /* on R */
	bool used;
	uint32_t core, generation;
	uint64_t asked_at, resend_at;
	uint64_t waiting[CORE_WORDS];   /* monitors that have not answered */
	uint64_t party[CORE_WORDS];     /* monitors asked (live when it started) */
	unsigned parties;
};

struct check {              /* on every M */
	bool used, logged;
	uint32_t core, generation, asker;
};

static struct release releases[RELEASES_MAX];
static struct check checks[CHECKS_MAX];
static uint64_t next_check, next_adopt;
static unsigned hook;          /* MON_RESTART_HOOK_* of the restart under way, or 0 */

static bool waits_for(const struct release *r, unsigned c)
{
	return r->waiting[c / 64] >> (c % 64) & 1;
}

static bool is_party(const struct release *r, unsigned c)
{
	return r->party[c / 64] >> (c % 64) & 1;
}

static void answered(struct release *r, unsigned c)
{
	r->waiting[c / 64] &= ~(1ull << (c % 64));
}

static bool nobody_left(const struct release *r)
{
	for (unsigned i = 0; i < CORE_WORDS; i++)
		if (r->waiting[i])
			return false;
	return true;
}

#define MONMEM_BATCH 64

/*
 * The frames of the monitors' memory that the ended life's domains held
 * (kernel/poolreuse.h), read while the pool is still retired; *n how many
 * (0 and no list if none or no memory for the list).
 */
static uint64_t *old_monmem(const struct release *r, uint32_t *n)
{
	*n = 0;
	int64_t total = sys_pool_monmem(r->core, r->generation, 0, 0, 0);
	if (total <= 0 || total > UINT32_MAX)
		return 0;
	uint64_t *pa = malloc((size_t)total * sizeof *pa);
	if (!pa) {
		mon_log("memory: no room to list the %ld frames core %u's incarnation %u held; they "
			"stay out of use", (long)total, r->core, r->generation);
		return 0;
	}
	for (uint64_t from = 0; from < (uint64_t)total; from += MONMEM_BATCH) {
		uint64_t want = (uint64_t)total - from < MONMEM_BATCH ? (uint64_t)total - from
								      : MONMEM_BATCH;
		if (sys_pool_monmem(r->core, r->generation, from, pa + from, want) != total) {
			free(pa);
			return 0;
		}
	}
	*n = (uint32_t)total;
	return pa;
}

static void finish(struct release *r)
{
	uint32_t nmon;
	uint64_t *monmem = old_monmem(r, &nmon);
	err_t e = (err_t)sys_pool_release(r->core, r->generation);
	if (!e && nmon) { /* released by this call alone: given back exactly once */
		memory_give_back(monmem, nmon);
		mon_log("memory: %u frames of the monitors' memory held by core %u's incarnation %u's "
			"domains given back to their owners", nmon, r->core, r->generation);
		mon_event("mem.monmem_reclaimed", "peer=%u generation=%u frames=%u", r->core,
			  r->generation, nmon);
	}
	free(monmem);
	unsigned ms = (unsigned)((mon_now() - r->asked_at) / mon_ms(1));
	if (e)
		mon_log("memory: core %u's pool of incarnation %u not released: %s", r->core,
			r->generation, err_str(e));
	else
		mon_log("memory: core %u's pool of incarnation %u released after %u ms: the %u live "
			"monitors asked map nothing in it", r->core, r->generation, ms, r->parties);
	mon_event("mem.pool_released", "peer=%u generation=%u ms=%u parties=%u err=%d", r->core,
		  r->generation, ms, r->parties, (int)e);
	r->used = false;
}

static void ask_waiting(struct release *r)
{
	for (unsigned c = 0; c < mon_ncores; c++)
		if (waits_for(r, c))
			route_send_core(MON_POOL_QUERY, c, r->core, r->generation);
	r->resend_at = mon_now() + mon_ms(RESEND_MS);
}

void poolreuse_hook(unsigned h)
{
	hook = h;
}

static void hook_stop(unsigned core, const char *when)
{
	mon_log("memory: test hook: core %u stops %s of core %u's old pool", mon_core, when, core);
	mon_event("mem.pool_hook", "peer=%u hook=%u", core, hook);
	route_flush(); /* what was sent before (MON_CORE_UP, the names, the questions) leaves */
	sys_core_stop(mon_core);
	for (;;)
		sys_yield();
}

void poolreuse_hook_point(unsigned core)
{
	if (hook == MON_RESTART_HOOK_UNASKED)
		hook_stop(core, "before asking anyone about the release");
}

/* MON_RESTART_HOOK_HALF: the question to half of the other parties, then the stop. */
static void ask_half(struct release *r)
{
	unsigned others = r->parties - 1, sent = 0;
	for (unsigned c = 0; c < mon_ncores && sent < (others + 1) / 2; c++)
		if (c != mon_core && waits_for(r, c)) {
			route_send_core(MON_POOL_QUERY, c, r->core, r->generation);
			sent++;
		}
	hook_stop(r->core, "after asking half of the other monitors about the release");
}

void poolreuse_start(unsigned core, uint32_t generation)
{
	struct release *r = 0;
	for (unsigned i = 0; i < RELEASES_MAX && !r; i++)
		if (!releases[i].used)
			r = &releases[i];
	if (!r) {
		mon_log("memory: %u pool agreements in flight: core %u's pool of incarnation %u "
			"stays retired", RELEASES_MAX, core, generation);
		return;
	}
	memset(r, 0, sizeof *r);
	r->used = true;
	r->core = core;
	r->generation = generation;
	r->asked_at = mon_now();
	for (unsigned c = 0; c < mon_ncores; c++)
		if (c == mon_core || core_is_up(c)) {
			r->waiting[c / 64] |= 1ull << (c % 64);
			r->party[c / 64] |= 1ull << (c % 64);
			r->parties++;
		}
	if (hook == MON_RESTART_HOOK_HALF)
		ask_half(r);
	ask_waiting(r);
}

/* Pools whose coordinator has ended, taken over: their agreement runs again from here. */
static void adopt_orphans(void)
{
	int64_t v;
	while ((v = sys_pool_adopt()) >= 0) {
		unsigned core = (unsigned)(v & 0xffffffffu);
		uint32_t generation = (uint32_t)((uint64_t)v >> 32);
		mon_log("memory: core %u's pool of incarnation %u: its coordinator has ended; this "
			"monitor asks everyone again", core, generation);
		mon_event("mem.pool_adopt", "peer=%u generation=%u", core, generation);
		poolreuse_start(core, generation);
	}
}

/* This core's mappings into the pool; logs the first time it is not 0. */
static bool clear_here(struct check *k)
{
	int64_t v = sys_pool_mapped(k->core, k->generation);
	if (v == ERR_NOENT)
		return true;           /* released already: nothing to wait for */
	if (v < 0) {
		mon_log("memory: SYS_POOL_MAPPED(%u, %u): %s", k->core, k->generation,
			err_str((err_t)v));
		return false;
	}
	uint32_t n = (uint32_t)v, dom = (uint32_t)((uint64_t)v >> 32);
	if (n && !k->logged) {
		k->logged = true;
		mon_log("memory: core %u's old pool (incarnation %u) is still mapped here (%u "
			"mappings, domain %u first): core %u's release of it waits", k->core,
			k->generation, n, dom, k->asker);
		mon_event("mem.pool_mapped", "peer=%u generation=%u mappings=%u domain=%u", k->core,
			  k->generation, n, dom);
	}
	return n == 0;
}

static void clear_message(unsigned from, uint32_t core, uint32_t generation);

static void answer(struct check *k)
{
	if (k->asker == mon_core)
		clear_message(mon_core, k->core, k->generation);
	else
		route_send_core(MON_POOL_CLEAR, k->asker, k->core, k->generation);
	k->used = false;
}

static void query_message(unsigned asker, uint32_t core, uint32_t generation)
{
	struct check *k = 0;
	for (unsigned i = 0; i < CHECKS_MAX; i++) {
		struct check *c = &checks[i];
		if (c->used && c->core == core && c->generation == generation && c->asker == asker)
			return;        /* asked again: the answer comes when the count is 0 */
		if (!c->used && !k)
			k = c;
	}
	if (!k) {
		mon_log("memory: no room for core %u's question about core %u's pool; it asks again",
			asker, core);
		return;
	}
	*k = (struct check){ true, false, core, generation, asker };
	if (clear_here(k))
		answer(k);
}

/*
 * An answer.  Refused (logged, nothing changes) when no agreement about that
 * pool is in flight here (a late copy of an answer after the release, or a
 * forgery) or when `from` is not one of its parties (a core that was not
 * live when it started: its answer would stand for nobody's mappings).  A
 * party's second answer is no news.
 */
static void clear_message(unsigned from, uint32_t core, uint32_t generation)
{
	for (unsigned i = 0; i < RELEASES_MAX; i++) {
		struct release *r = &releases[i];
		if (!r->used || r->core != core || r->generation != generation)
			continue;
		if (!is_party(r, from)) {
			mon_log("memory: refused MON_POOL_CLEAR from core %u about core %u's pool of "
				"incarnation %u: core %u is not a party of that agreement", from,
				core, generation, from);
			mon_event("mem.pool_clear_refused", "from=%u peer=%u generation=%u why=party",
				  from, core, generation);
			return;
		}
		answered(r, from);
		if (nobody_left(r))
			finish(r);
		return;
	}
	mon_log("memory: refused MON_POOL_CLEAR from core %u about core %u's pool of incarnation "
		"%u: no agreement about it in flight here", from, core, generation);
	mon_event("mem.pool_clear_refused", "from=%u peer=%u generation=%u why=round", from, core,
		  generation);
}

void poolreuse_message(uint16_t type, const struct mon_core *m)
{
	if (type == MON_POOL_QUERY)
		query_message(m->h.src_core, m->core, m->generation);
	else
		clear_message(m->h.src_core, m->core, m->generation);
}

void poolreuse_core_down(unsigned core)
{
	for (unsigned i = 0; i < RELEASES_MAX; i++) {
		struct release *r = &releases[i];
		if (r->used && waits_for(r, core)) {
			answered(r, core);  /* it runs nothing any more */
			if (nobody_left(r))
				finish(r);
		}
	}
	for (unsigned i = 0; i < CHECKS_MAX; i++)
		if (checks[i].used && checks[i].asker == core) {
			mon_log("memory: core %u asked about core %u's pool of incarnation %u and is down: "
				"its question is dropped here (whoever adopts the pool asks again)",
				core, checks[i].core, checks[i].generation);
			mon_event("mem.pool_abort", "peer=%u generation=%u asker=%u", checks[i].core,
				  checks[i].generation, core);
			checks[i].used = false;
		}
	adopt_orphans();
}

void poolreuse_tick(uint64_t now)
{
	for (unsigned i = 0; i < RELEASES_MAX; i++)
		if (releases[i].used && now >= releases[i].resend_at)
			ask_waiting(&releases[i]);
	if (now >= next_adopt) {
		next_adopt = now + mon_ms(ADOPT_MS);
		adopt_orphans();
	}
	if (now < next_check)
		return;
	next_check = now + mon_ms(CHECK_MS);
	for (unsigned i = 0; i < CHECKS_MAX; i++)
		if (checks[i].used && clear_here(&checks[i]))
			answer(&checks[i]);
}
