/*
 * liveness.c: which cores are alive, agreed by two watchers.
 *
 * Watching.  The live cores form a ring in core-number order; every
 * monitor pings its two ring neighbours every ping_ms (the kernel gives
 * each monitor a direct link to them, see cpudriver/monlinks.c), so every
 * core X has two watchers, pred(X) and succ(X), and no core watches more
 * than two.  Any message that arrives from X counts as a sign of life, a
 * pong as well as a request.  At most MAX_UNANSWERED pings are outstanding
 * per neighbour, so a silent core's link never fills with them.
 *
 * Suspicion.  A watcher W that has heard nothing from X for its patience
 * (dead_ms, or three times the longest gap X or W itself has shown:
 * patience() below), if X's kernel says X stopped, or for HUNG_PATIENCES
 * or PULSELESS_PATIENCES patiences if X's kernel says it runs (silent_for
 * below), *suspects* X (`core X silent for N ms; asking core C to confirm`) and
 * sends MON_SUSPECT(X) to a confirmer C: X's other watcher.
 *   - C, if it is a watcher of X and heard from X within 4/5 of its own
 *     patience (a stopped X went silent for both watchers at the same
 *     moment, give or take a ping_ms = dead_ms / 10), answers
 *     MON_REFUTE(X): W withdraws its suspicion (`suspicion of core X
 *     withdrawn`), counts it, and starts X's clock again.  Only a message
 *     from X counts: a watcher that became X's neighbour when the ring
 *     closed over a dead core has started X's clock afresh, and until X
 *     answers it has no opinion (opinion_of below; it probes).
 *   - C, if it is a watcher of X and has not heard from X for that long
 *     either, agrees: X is declared down by C (`core X stopped responding: no
 *     heartbeat for N ms (core W agrees)`), which tells every live monitor
 *     (MON_CORE_DOWN).
 *   - C, if it is not a watcher of X (W escalated, below) or has not
 *     heard from X since it became one, has no opinion of its own: it
 *     pings X and waits dead_ms; a pong refutes, silence agrees.
 * If C does not answer within 2 * dead_ms (C may be down too: two neighbours
 * stopped at once), W asks the next live core beyond C, and so on round the
 * ring.  Only with no other live core at all does W decide alone.
 * So a core is declared down only when two monitors saw it silent for
 * dead_ms each, and a suspicion raised by a monitor that was itself slow
 * (descheduled, a crowded host) is withdrawn instead of acted on.
 *
 * Evidence beyond messages.  A watcher reads its neighbours' kernel state
 * and pulse every tick (corefence_pulse): the timer heartbeat, which only
 * X's CPU writes and which moves while X executes whatever its monitor
 * does, or an error once X's CPU driver stopped.  A core whose kernel runs
 * gets HUNG_PATIENCES times the patience if its pulse moves, and
 * PULSELESS_PATIENCES times if not; a pulse that moved is evidence of life
 * for a confirmer, and a probe agrees only if the kernel says X stopped.  A monitor's
 * own stalls (STALL_MS more than the loop's period between two ticks: it was not
 * running) are nobody's silence: it judges nobody on the tick after one,
 * so what waited in its links is served first (own_gap below), and its
 * own longest gap widens its patience.
 *
 * Fencing.  Before a declaration is announced the declarer stops X through
 * its kernel (corefence_declared): a core declared down is down, and one
 * that was still running is restarted by its fencer (corefence.c).
 *
 * Refused (logged, nothing changes): MON_SUSPECT from a core that is not a
 * watcher of X, or about this core itself; MON_REFUTE from a core that was
 * not asked; MON_CORE_DOWN about this core (`declared down by core S while
 * alive`: counted, the declaration stands for the others).  Every one of
 * these messages names the incarnation of X it is about (incarnation.c): a
 * MON_CORE_DOWN about an older one than this monitor knows (sent before its
 * declarer heard of X's restart) is stale and ignored (`liveness.stale`),
 * so is a MON_SUSPECT or MON_REFUTE about another one.
 *
 * Both periods grow with the core count: on a crowded host (255 vCPUs on 2
 * host CPUs under TCG, other jobs on the host) a vCPU can go unscheduled
 * for 10-20 s.  4 cores: ping 140 ms, dead after 1.4 s; 255 cores: 2.65 s
 * and 26.5 s.
 *
 * A monitor starts suspecting dead_ms after its own start: monitors of
 * later cores start later (each AP's monitor starts as soon as its core is
 * up, core 0's once all are).  During its first BOOT_GRACE dead_ms a core
 * never heard from at all gets BOOT_GRACE dead_ms of patience; after that
 * the ordinary patience (a core stopped next to a stopped core is found
 * as fast as the first).
 *
 * Events for the tests and the soak's report (one line each): 
 * liveness.suspect (raised), liveness.escalate (asked the next core),
 * liveness.withdraw (refuted, withdrawn), liveness.refute (this monitor
 * refuted another's suspicion), liveness.stall (this monitor did not run
 * for over 2.5 s), liveness.false_down (told it is down while alive),
 * liveness.stale (a declaration about an earlier incarnation, ignored),
 * core.down; corefence.c adds liveness.fence and core.restart.
 *
 * Cores that never came up are known to core 0 only (its monitor starts
 * after every AP came up or gave up); it announces them at its start,
 * before any domain runs (so before anyone can stop core 0).  Should that
 * message be lost, the absent core's ring neighbours find it silent like
 * any other and agree on it: core 0 is not needed for this either.
 */
#include <libos/libos.h>
#include <lib/string.h>
#include "monitor.h"

#define MAX_UNANSWERED 3
#define BENCH_SEQ (1ull << 63)  /* bcast.c's pings carry this bit */
#define NONE 0xffffffffu
#define BOOT_GRACE 3           /* dead_ms periods for a core never heard from at all */
#define HUNG_PATIENCES 4       /* silent this many patiences on a core whose pulse moves: hung */
#define PULSELESS_PATIENCES 12 /* ... on a core whose kernel neither stopped nor ticks */
#define STALL_MS 250           /* a longer gap between ticks (+ the loop period over 50 ms): not running */
#define OWN_GAP_DECAY 256      /* own longest gap: 1/256 forgotten per tick */

struct watch {
	uint64_t last_heard;     /* TSC of the last message from this core */
	uint64_t max_gap;        /* longest silence seen between two of its messages (decays) */
	bool heard;              /* heard from at least once since it became a neighbour:
	                            until then its clock is no evidence that it lives */
	bool ever_heard;         /* heard from at least once: its monitor runs */
	uint8_t unanswered;      /* pings since the last pong */
	bool watching;           /* a ring neighbour of this core */
	uint32_t confirmer;      /* suspected: whom we asked; NONE otherwise */
	uint64_t confirm_by;     /* ... and until when it may answer */
	uint32_t probe_for;      /* asked to confirm without an opinion: asker */
	uint64_t probe_by;
	int64_t probe_pulse;     /* ... and its kernel's pulse when the probe began */
	int64_t pulse;           /* its kernel's heartbeat as last read (corefence_pulse) */
	uint64_t pulse_at;       /* when that changed (or watching began) */
	bool pulse_seen;         /* changed at least once since it became a neighbour */
	bool kernel_stopped;     /* its kernel says its CPU driver is not running */
	int dir;                 /* suspected: ring direction from it to the confirmers */
};

static struct watch w[CORES_MAX];
static uint64_t next_ping;
static uint64_t seq;
static struct liveness_counts counts;
static uint64_t watch_from;     /* no suspicion before: neighbours' monitors are still starting */
static uint64_t boot_until;     /* until then a core never heard from gets BOOT_GRACE */
static uint64_t last_tick;      /* this monitor's previous tick */
static uint64_t own_max_gap;    /* longest gap between its own ticks (decays) */

static uint64_t ping_ms(void)
{
	return MON_PING_MS(mon_ncores);      /* sys/limits.h */
}

static uint64_t dead_ticks(void)
{
	return mon_ms(MON_DEAD_MS(mon_ncores));
}

uint64_t liveness_dead_ticks(void)
{
	return dead_ticks();
}

/*
 * How long core x may stay silent before we suspect it: dead_ms, or three
 * times the longest gap it has shown between messages if that is more (an
 * accrual detector in its simplest form: on a crowded host the gaps grow
 * and so does the patience; a stopped core is still found within 3 gaps).
 * A core we have never heard from at all gets BOOT_GRACE dead_ms: its
 * monitor may start long after ours when many cores boot on few host CPUs.
 */
static uint64_t patience(unsigned x)
{
	uint64_t d = dead_ticks(), g = w[x].max_gap > own_max_gap ? w[x].max_gap : own_max_gap;
	if (!w[x].ever_heard && mon_now() < boot_until && !w[x].kernel_stopped)
		return BOOT_GRACE * d; /* its monitor may still be starting, not if its kernel stopped */
	return 3 * g > d ? 3 * g : d;
}

/*
 * Whether x has been silent for `window`.  If its kernel says its CPU
 * driver stopped (the stop command, a panic: corefence_pulse < 0), its
 * monitor's silence for the window suffices.  If its kernel says it runs
 * and its pulse moved within the window, its monitor is starved or hung:
 * HUNG_PATIENCES windows.  If its kernel neither stopped nor ticks (a vCPU
 * the host does not run, seen for minutes at 255 vCPUs; or a kernel hung
 * with interrupts off): PULSELESS_PATIENCES windows.  A core declared so
 * is fenced (corefence.c).
 */
static bool silent_for(unsigned x, uint64_t now, uint64_t window)
{
	uint64_t mon = now - w[x].last_heard;
	if (mon <= window)
		return false;
	if (w[x].kernel_stopped)
		return true;
	if (now - w[x].pulse_at <= window)
		return mon > HUNG_PATIENCES * window;
	return mon > PULSELESS_PATIENCES * window;
}

/* Reads x's kernel pulse; notes when it moved. */
static void read_pulse(unsigned x, uint64_t now)
{
	int64_t p = corefence_pulse(x);
	w[x].kernel_stopped = p < 0;
	if (p < 0 || p == w[x].pulse)
		return;
	if (w[x].pulse >= 0) {
		w[x].pulse_at = now;
		w[x].pulse_seen = true;
	}
	w[x].pulse = p;
}

static unsigned ms_of(uint64_t ticks)
{
	return (unsigned)(ticks / mon_ms(1));
}

/* The next live core after x in direction dir (+1 or -1), skipping `skip`; x if none. */
static unsigned ring_next(unsigned x, int dir, unsigned skip)
{
	unsigned n = mon_ncores;
	for (unsigned k = 1; k < n; k++) {
		unsigned c = dir > 0 ? (x + k) % n : (x + n - k) % n;
		if (c != skip && core_is_up(c))
			return c;
	}
	return x;
}

static bool is_watcher(unsigned who, unsigned x)
{
	return who != x && (who == ring_next(x, -1, NONE) || who == ring_next(x, 1, NONE));
}

/*
 * What this monitor, asked to confirm a suspicion of x, can say from what
 * it saw itself.  ALIVE needs a message from x since x became our
 * neighbour: a watcher whose ring just closed over a dead core starts x's
 * clock afresh, and that fresh clock is no evidence (it made the watcher of
 * the second of two stopped neighbours refute for ever).  SILENT needs that
 * long a silence while we watched x and pinged it.  Otherwise UNSURE: the
 * caller probes x.
 */
enum opinion { ALIVE, SILENT, UNSURE };

static enum opinion opinion_of(unsigned x, uint64_t now)
{
	uint64_t window = patience(x) / 5 * 4;
	if (!w[x].watching || !is_watcher(mon_core, x))
		return UNSURE;
	if (silent_for(x, now, window))
		return SILENT;
	return w[x].heard || w[x].pulse_seen ? ALIVE : UNSURE;
}

void liveness_send_core_msg(uint16_t type, unsigned dst, unsigned about)
{
	route_send_core(type, dst, about, incarnation_of(about));
}

static void send_ping(unsigned c, uint64_t now)
{
	struct mon_ping m;
	memset(&m, 0, sizeof m);
	m.h.src_core = (uint16_t)mon_core;
	m.h.dst_core = (uint16_t)c;
	m.seq = ++seq;
	m.tsc = now;
	w[c].unanswered++;
	route_send(MON_PING, &m, sizeof m);
}

/* X is down by agreement (or no one else is left to ask): fence it, then tell everyone. */
static void declare_down(unsigned x, unsigned agrees, uint64_t silent)
{
	if (core_is_down(x))
		return;
	counts.declared++;
	if (corefence_declared(x) == 1)
		counts.fenced++;
	if (agrees == NONE)
		mon_log("core %u stopped responding: no heartbeat for %u ms (no other live core to ask)",
			x, ms_of(silent));
	else
		mon_log("core %u stopped responding: no heartbeat for %u ms (core %u agrees)", x,
			ms_of(silent), agrees);
	liveness_core_down(x);
	for (unsigned c = 0; c < mon_ncores; c++)
		if (c != mon_core && core_is_up(c))
			liveness_send_core_msg(MON_CORE_DOWN, c, x);
}

static void ask(unsigned x, unsigned c, uint64_t now, bool escalated)
{
	w[x].confirmer = c;
	w[x].confirm_by = now + 2 * dead_ticks(); /* a confirmer without an opinion probes for dead_ms */
	mon_log("core %u silent for %u ms; asking core %u to confirm", x,
		ms_of(now - w[x].last_heard), c);
	mon_event(escalated ? "liveness.escalate" : "liveness.suspect",
		  "peer=%u confirmer=%u silent_ms=%u pulse_ms=%u own_gap_ms=%u", x, c,
		  ms_of(now - w[x].last_heard), ms_of(now - w[x].pulse_at), ms_of(own_max_gap));
	liveness_send_core_msg(MON_SUSPECT, c, x);
}

static void suspect(unsigned x, uint64_t now)
{
	counts.raised++;
	/* The other watcher first: the ring neighbour of x that is not us. */
	unsigned succ = ring_next(x, 1, NONE), pred = ring_next(x, -1, NONE);
	unsigned other = succ == mon_core ? pred : succ;
	if (other == mon_core || other == x) {
		declare_down(x, NONE, now - w[x].last_heard);
		return;
	}
	w[x].dir = other == succ ? 1 : -1;
	ask(x, other, now, false);
}

/* The confirmer did not answer: the next live core beyond it, up to ourselves. */
static void escalate(unsigned x, uint64_t now)
{
	unsigned prev = w[x].confirmer, c = ring_next(prev, w[x].dir, x);
	counts.escalated++;
	mon_log("core %u did not answer about core %u within %u ms", prev, x,
		ms_of(2 * dead_ticks()));
	if (c == mon_core || c == prev || c == x) {
		w[x].confirmer = NONE;
		declare_down(x, NONE, now - w[x].last_heard);
		return;
	}
	ask(x, c, now, true);
}

/* Keeps w[].watching equal to {pred, succ}; a new neighbour starts with a fresh clock. */
static void update_neighbours(uint64_t now)
{
	unsigned p = ring_next(mon_core, -1, NONE), s = ring_next(mon_core, 1, NONE);
	for (unsigned c = 0; c < mon_ncores; c++) {
		bool nb = c != mon_core && (c == p || c == s) && core_is_up(c);
		if (nb && !w[c].watching) {
			w[c].last_heard = w[c].pulse_at = now;
			w[c].unanswered = 0;
			w[c].max_gap = 0;
			w[c].heard = w[c].pulse_seen = w[c].kernel_stopped = false;
			w[c].pulse = -1;
		}
		w[c].watching = nb;
	}
}

/*
 * Cores that never came up: down for every monitor (route.c, core_is_up).
 * Above QUIET_ABOVE_CORES this is the only line about them (the kernel's
 * "left out" lines aside): one, with the list; the others take them down
 * without a word (liveness_core_down).
 */
static void announce_absent(void)
{
	char list[160];
	unsigned n = 0, at = 0;
	bool quiet = mon_ncores > QUIET_ABOVE_CORES;
	for (unsigned a = 1; a < mon_ncores; a++) {
		if (core_is_up(a))
			continue;
		if (!quiet)
			mon_log("core %u never came up", a);
		else if (at < sizeof list - 12)
			at += (unsigned)snprintf(list + at, sizeof list - at, " %u", a);
		else if (at < sizeof list - 1)
			at += (unsigned)snprintf(list + at, sizeof list - at, " ...");
		n++;
		for (unsigned c = 1; c < mon_ncores; c++)
			if (core_is_up(c))
				liveness_send_core_msg(MON_CORE_DOWN, c, a);
	}
	if (quiet && n)
		mon_log("%u cores never came up:%s; told every monitor", n, list);
}

/* Whether `core` never came up (left out at boot), by its kernel's word. */
static bool never_came_up(unsigned core)
{
	return corefence_pulse(core) == ERR_NOENT;
}

static void check_one(unsigned c, uint64_t now)
{
	struct watch *x = &w[c];
	if (core_is_down(c))
		return;
	if (x->watching || x->probe_for != NONE || x->confirmer != NONE)
		read_pulse(c, now);
	if (x->probe_for != NONE && now > x->probe_by) {
		unsigned asker = x->probe_for;
		x->probe_for = NONE;
		if (!x->kernel_stopped) {
			/* its monitor did not answer, but its kernel says it runs: a
			 * prober without a clock of its own does not judge how long
			 * is too long (the watchers do, silent_for) */
			counts.refuted++;
			mon_event("liveness.refute", "peer=%u asker=%u pulse=%d", c, asker,
				  x->pulse != x->probe_pulse);
			liveness_send_core_msg(MON_REFUTE, asker, c);
			return;
		}
		declare_down(c, asker, dead_ticks());
		return;
	}
	if (x->confirmer != NONE && now > x->confirm_by) {
		escalate(c, now);
		return;
	}
	if (x->watching && x->confirmer == NONE && now > watch_from &&
	    silent_for(c, now, patience(c)))
		suspect(c, now);
}

void liveness_init(void)
{
	memset(w, 0, sizeof w);
	memset(&counts, 0, sizeof counts);
	next_ping = seq = 0;
	for (unsigned c = 0; c < CORES_MAX; c++) {
		w[c].confirmer = w[c].probe_for = NONE;
		w[c].pulse = -1;
	}
	last_tick = mon_now();
	own_max_gap = 0;
	watch_from = mon_now() + dead_ticks();
	boot_until = mon_now() + BOOT_GRACE * dead_ticks();
	if (mon_core == 0 && !mon_info->generation)
		announce_absent(); /* before any domain runs: core 0 may be stopped later */
}

/*
 * A gap of more than STALL_MS beyond the loop's 50 ms (mon_loop_ms: more at
 * over 40 cores) since the previous tick: this monitor did not
 * run (its vCPU or its core was taken from it).  What its neighbours sent
 * meanwhile may still wait in its links: it judges nobody on this tick, and
 * its loop serves the links before the next one (a neighbour that ran
 * during the stall has answered, or its pulse moved).  Its own longest gap
 * also widens its patience: the host that starved it for T may starve
 * anyone for T.
 */
static bool own_gap(uint64_t now)
{
	uint64_t gap = now - last_tick;
	last_tick = now;
	own_max_gap -= own_max_gap / OWN_GAP_DECAY;
	if (gap > own_max_gap && now > watch_from) /* not the start's gaps */
		own_max_gap = gap;
	if (gap <= mon_ms(STALL_MS + mon_loop_ms() - 50)) /* 250 ms up to 40 cores */
		return false;
	counts.stalls++;
	if (gap > mon_ms(10 * STALL_MS))
		mon_event("liveness.stall", "ms=%u", ms_of(gap));
	return true;
}

void liveness_tick(uint64_t now)
{
	bool stalled = own_gap(now);
	corefence_tick(now);
	update_neighbours(now);
	for (unsigned c = 0; c < mon_ncores && !stalled; c++)
		if (c != mon_core)
			check_one(c, now);
	if (now < next_ping)
		return;
	next_ping = now + mon_ms(ping_ms());
	for (unsigned c = 0; c < mon_ncores; c++)
		if (w[c].watching && !core_is_down(c) && w[c].unanswered < MAX_UNANSWERED)
			send_ping(c, now);
}

void liveness_heard(unsigned core)
{
	if (core >= CORES_MAX || core == mon_core)
		return;
	uint64_t now = mon_now(), gap = now - w[core].last_heard;
	struct watch *x = &w[core];
	if (x->watching && x->heard) {
		x->max_gap -= x->max_gap / 64;  /* old slowness is forgotten slowly */
		if (gap > x->max_gap)
			x->max_gap = gap;
	}
	x->heard = x->watching;
	x->ever_heard = true;
	x->last_heard = now;
	x->unanswered = 0;
	if (w[core].probe_for != NONE) {
		unsigned asker = w[core].probe_for;
		w[core].probe_for = NONE;
		liveness_send_core_msg(MON_REFUTE, asker, core);
	}
}

void liveness_pong(const struct mon_ping *m)
{
	if (m->seq & BENCH_SEQ) {
		bcast_message(MON_PONG, m);
		return;
	}
	liveness_heard(m->h.src_core);
}

void liveness_suspect(const struct mon_core *m)
{
	unsigned x = m->core, from = m->h.src_core;
	uint64_t now = mon_now();
	if (x < CORES_MAX && incarnation_compare(x, m->generation) != INC_SAME) {
		mon_log("refused MON_SUSPECT about core %u from core %u: about its incarnation %u, "
			"this monitor knows %u", x, from, m->generation, incarnation_of(x));
		return;
	}
	if (x == mon_core || x == from || core_is_down(from)) {
		mon_log("refused MON_SUSPECT about core %u from core %u: %s", x, from,
			x == mon_core ? "that is this core, which is alive" : "not a party");
		if (x == mon_core)
			liveness_send_core_msg(MON_REFUTE, from, x);
		return;
	}
	if (core_is_down(x))
		return; /* already agreed */
	if (!is_watcher(from, x)) {
		mon_log("refused MON_SUSPECT about core %u from core %u: not a watcher of it", x,
			from);
		return;
	}
	enum opinion o = opinion_of(x, now);
	if (o == ALIVE) {
		counts.refuted++;
		mon_event("liveness.refute", "peer=%u asker=%u", x, from);
		liveness_send_core_msg(MON_REFUTE, from, x);
		return;
	}
	if (o == SILENT) {
		declare_down(x, from, now - w[x].last_heard);
		return;
	}
	/* No opinion of our own: probe x; any message from it, or its CPU
	 * running meanwhile (its kernel's pulse moves), refutes; silence agrees. */
	w[x].probe_for = from;
	w[x].probe_by = now + dead_ticks();
	read_pulse(x, now);
	w[x].probe_pulse = w[x].pulse;
	send_ping(x, now);
}

void liveness_refute(const struct mon_core *m)
{
	unsigned x = m->core, from = m->h.src_core;
	if (x >= CORES_MAX || w[x].confirmer != from ||
	    incarnation_compare(x, m->generation) != INC_SAME) {
		mon_log("refused MON_REFUTE about core %u from core %u: it was not asked", x, from);
		return;
	}
	counts.withdrawn++;
	w[x].confirmer = NONE;
	w[x].last_heard = mon_now();
	w[x].unanswered = 0;
	mon_log("suspicion of core %u withdrawn: core %u heard from it", x, from);
	mon_event("liveness.withdraw", "peer=%u by=%u", x, from);
}

/* A MON_CORE_DOWN about an earlier life of m->core than this monitor knows. */
static bool stale_down(const struct mon_core *m)
{
	if (incarnation_compare(m->core, m->generation) != INC_OLDER)
		return false;
	counts.stale++;
	mon_log("MON_CORE_DOWN about core %u from core %u ignored: it is about incarnation %u, "
		"restarted since (incarnation %u is %s here)", m->core, m->h.src_core,
		m->generation, incarnation_of(m->core), core_is_down(m->core) ? "down" : "up");
	mon_event("liveness.stale", "peer=%u by=%u generation=%u known=%u", m->core,
		  m->h.src_core, m->generation, incarnation_of(m->core));
	return true;
}

void liveness_down_message(const struct mon_core *m)
{
	if (m->core >= CORES_MAX || stale_down(m))
		return;
	if (m->core == mon_core) {
		/* Its declarer fenced this core first: it gets here only if that failed. */
		counts.false_down++;
		mon_log("declared down by core %u while alive: fencing this core", m->h.src_core);
		mon_event("liveness.false_down", "by=%u", m->h.src_core);
		corefence_self();
		return;
	}
	/* A newer life than we know was declared down: its MON_CORE_UP, if late, is refused. */
	incarnation_set(m->core, m->generation);
	liveness_core_down(m->core);
}

void liveness_core_down(unsigned core)
{
	if (core_is_down(core))
		return;
	core_mark_down(core);
	if (core < CORES_MAX) {
		w[core].confirmer = w[core].probe_for = NONE;
		w[core].watching = false;
	}
	unsigned dropped = handlers_core_down(core);
	bcast_core_down(core);
	if (mon_ncores > QUIET_ABOVE_CORES && mon_core != 0 && never_came_up(core))
		return; /* core 0 named it, with the others, in one line (announce_absent) */
	mon_log("core %u is down: its requests failed, %u names dropped; serving the rest",
		core, dropped);
	mon_event("core.down", "peer=%u us=%lu", core, (unsigned long)mon_us());
}

void liveness_core_up(unsigned core)
{
	if (core >= CORES_MAX || core == mon_core)
		return;
	/* Its monitor starts within ms of the restart: no boot grace (a core
	 * stopped again before its watchers heard from it would get 3 dead_ms). */
	w[core] = (struct watch){ .confirmer = NONE, .probe_for = NONE, .ever_heard = true,
				  .pulse = -1 };
}

const struct liveness_counts *liveness_counts(void)
{
	return &counts;
}
