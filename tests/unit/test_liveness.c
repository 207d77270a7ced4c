/*
 * Host tests for monitor/liveness.c, one monitor in a scripted world: the
 * clock, the messages that arrive and the down set are the test's; what
 * the monitor sends (route_send) and logs (mon_log) is recorded and checked.
 *
 *   two_stopped     cores 2 and 3 of 8 stop (this is core 1): 2 is found by
 *                   escalation; then 3 becomes a neighbour and 4 asks us
 *                   about it: with no message from 3 yet we probe (a ping)
 *                   instead of refuting on a fresh clock, and agree when 3
 *                   stays silent (the bug: 3 was never declared down)
 *   refute_alive    a neighbour we heard from recently is defended
 *   core0_watched   core 0 is watched like any core: silent, suspected,
 *                   its other watcher (n-1) asked
 *   hostile         SUSPECT from a non-watcher, about ourselves, from a
 *                   dead core; REFUTE not asked for; CORE_DOWN about us:
 *                   each refused with a log line and nothing else changes
 *                   (the last also fences this core: its declarer missed)
 *   own_stall       this monitor does not run for 5 dead_ms: nobody is
 *                   suspected for that time
 *   pulse_busy      a neighbour's monitor is silent but its kernel's pulse
 *                   moves: no suspicion, and we refute another's; silent
 *                   for HUNG_PATIENCES patiences, it is suspected all the same
 *   starved         silent monitor and pulse, but its kernel says it runs:
 *                   12 patiences before suspicion, and we refute before that
 *   early_stop      a core stopped before it was ever heard from gets no
 *                   boot grace when its kernel says it stopped
 *   fence_first     a declared core is fenced before anyone is told
 *   probe_pulse     asked without an opinion, we probe; a core whose kernel
 *                   says it runs is refuted (pulse moving or not)
 *   stale_down      messages name the incarnation (restarts) of their core:
 *                   a declaration of a life older than ours is ignored, one
 *                   of a newer life is applied and recorded
 */
#define TEST_PROGRAM "liveness"
#include "test.h"
#include <stdarg.h>
#include "../../monitor/monitor.h"

/* ---- the world ---- */
const struct monitor_info *mon_info;
unsigned mon_core, mon_ncores;
static uint64_t now_ms;
static uint64_t down_set[CORES_MAX / 64];

#define MAX_SENT 256
static struct sent { uint16_t type, dst; uint32_t about, gen; } sent[MAX_SENT];
static unsigned nsent;
static char logbuf[64][200];
static unsigned nlog;
static int64_t pulse[CORES_MAX];          /* the kernels' heartbeats */
static bool ticking[CORES_MAX];           /* kernels that run without their monitor */
static bool stopped[CORES_MAX];           /* kernels that say their CPU driver stopped */
static unsigned fenced[8], nfenced, sent_at_fence;

uint64_t mon_now(void) { return now_ms * 1000; }
uint64_t mon_ms(uint64_t ms) { return ms * 1000; }
uint64_t mon_us(void) { return now_ms * 1000; }
uint64_t mon_loop_ms(void) { return 50; } /* main.c: 50 ms up to 40 cores */

void mon_log(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (nlog < 64)
		vsnprintf(logbuf[nlog++], sizeof logbuf[0], fmt, ap);
	va_end(ap);
}

void mon_event(const char *name, const char *fmt, ...) { (void)name; (void)fmt; }
const char *mon_type_name(uint16_t type) { (void)type; return "MON_?"; }
bool core_is_down(unsigned c) { return c < CORES_MAX && (down_set[c / 64] >> (c % 64) & 1); }
void core_mark_down(unsigned c) { down_set[c / 64] |= 1ull << (c % 64); }
bool core_is_up(unsigned c) { return c < mon_ncores && !core_is_down(c); }
unsigned handlers_core_down(unsigned core) { (void)core; return 0; }
void bcast_core_down(unsigned core) { (void)core; }
void bcast_message(uint16_t type, const struct mon_ping *m) { (void)type; (void)m; }

int64_t corefence_pulse(unsigned core)
{
	return core_is_down(core) || stopped[core] ? ERR_DEAD : pulse[core];
}
void corefence_tick(uint64_t now) { (void)now; }
void corefence_self(void) { fenced[nfenced++ % 8] = mon_core; }
int corefence_declared(unsigned core)
{
	fenced[nfenced++ % 8] = core;
	sent_at_fence = nsent;
	return ticking[core] ? 1 : 0;
}

err_t route_send(uint16_t type, void *msg, size_t len)
{
	const struct mon_hdr *h = msg;
	(void)len;
	if (nsent < MAX_SENT) {
		sent[nsent].type = type;
		sent[nsent].dst = h->dst_core;
		sent[nsent].about = type == MON_PING || type == MON_PONG ? 0 :
			((const struct mon_core *)msg)->core;
		sent[nsent].gen = type == MON_PING || type == MON_PONG ? 0 :
			((const struct mon_core *)msg)->generation;
		nsent++;
	}
	return ERR_OK;
}

err_t route_send_core(uint16_t type, unsigned dst, unsigned about, uint32_t generation)
{
	if (nsent < MAX_SENT)
		sent[nsent++] = (struct sent){ type, (uint16_t)dst, about, generation };
	return ERR_OK;
}

/* ---- helpers ---- */
static unsigned count_sent(uint16_t type, unsigned dst, unsigned about)
{
	unsigned n = 0;
	for (unsigned i = 0; i < nsent; i++)
		n += sent[i].type == type && sent[i].dst == dst &&
		     (type == MON_PING || sent[i].about == about);
	return n;
}

static bool logged(const char *part)
{
	for (unsigned i = 0; i < nlog; i++)
		if (strstr(logbuf[i], part))
			return true;
	return false;
}

/* A liveness message about incarnation gen of core `about`. */
static void msg_core_gen(uint16_t type, unsigned from, unsigned about, uint32_t gen)
{
	struct mon_core m;
	memset(&m, 0, sizeof m);
	m.h.src_core = (uint16_t)from;
	m.h.dst_core = (uint16_t)mon_core;
	m.core = about;
	m.generation = gen;
	if (type == MON_SUSPECT)
		liveness_suspect(&m);
	else if (type == MON_REFUTE)
		liveness_refute(&m);
	else
		liveness_down_message(&m);
}

static void msg_core(uint16_t type, unsigned from, unsigned about)
{
	msg_core_gen(type, from, about, 0);
}

/* Runs the clock to `until` in 50 ms loop periods; cores in `alive` answer
 * every ping; their kernels and those `ticking` advance their pulse. */
static void run_until(uint64_t until, const unsigned *alive, unsigned nalive)
{
	while (now_ms < until) {
		now_ms += 50;
		for (unsigned i = 0; i < nalive; i++) {
			liveness_heard(alive[i]);
			pulse[alive[i]] += 5;
		}
		for (unsigned c = 0; c < CORES_MAX; c++)
			pulse[c] += ticking[c] ? 5 : 0;
		liveness_tick(mon_now());
	}
}

static void world(unsigned me, unsigned n)
{
	static struct monitor_info info;
	memset(&info, 0, sizeof info);
	info.core = me;
	info.ncores = n;
	mon_info = &info;
	mon_core = me;
	mon_ncores = n;
	memset(down_set, 0, sizeof down_set);
	memset(pulse, 0, sizeof pulse);
	memset(ticking, 0, sizeof ticking);
	memset(stopped, 0, sizeof stopped);
	nsent = nlog = nfenced = sent_at_fence = 0;
	for (unsigned c = 0; c < CORES_MAX; c++)
		incarnation_set(c, 0);
	now_ms = 1000;
	liveness_init();
}

/* ping 100 + 10 n ms, dead_ms 10 pings: 1800 ms at 8 cores. */
#define DEAD8 1800

static void t_two_stopped(void)
{
	world(1, 8);
	const unsigned all[] = { 0, 2 }, only0[] = { 0 };
	run_until(1000 + 4 * DEAD8, all, 2);          /* past the boot grace */
	uint64_t stop = now_ms;
	stopped[2] = stopped[3] = true;
	run_until(stop + DEAD8 + 200, only0, 1);       /* 2 silent: asks 3 */
	CHECK_EQ(count_sent(MON_SUSPECT, 3, 2), 1);
	run_until(stop + 4 * DEAD8 + 400, only0, 1);   /* 3 does not answer: asks 4 */
	CHECK_EQ(count_sent(MON_SUSPECT, 4, 2), 1);
	CHECK(logged("core 3 did not answer about core 2"));
	msg_core(MON_CORE_DOWN, 4, 2);                 /* 4 probed 2 and agreed */
	CHECK(core_is_down(2));
	run_until(now_ms + 100, only0, 1);             /* ring closes: 3 is our neighbour */
	unsigned pings_before = count_sent(MON_PING, 3, 0);
	msg_core(MON_SUSPECT, 4, 3);                   /* 4 suspects 3, asks us */
	CHECK_EQ(count_sent(MON_REFUTE, 4, 3), 0);     /* a fresh clock is no evidence */
	CHECK(count_sent(MON_PING, 3, 0) > pings_before);
	run_until(now_ms + DEAD8 + 200, only0, 1);     /* 3 stays silent: we agree */
	CHECK(core_is_down(3));
	CHECK(logged("core 3 stopped responding"));
	CHECK(logged("(core 4 agrees)"));
	for (unsigned c = 0; c < 8; c++)
		if (c != 1 && c != 2 && c != 3)
			CHECK_EQ(count_sent(MON_CORE_DOWN, c, 3), 1);
	CHECK_EQ(liveness_counts()->declared, 1);
}

static void t_refute_alive(void)
{
	world(1, 8);
	const unsigned all[] = { 0, 2 };
	run_until(1000 + 4 * DEAD8, all, 2);
	msg_core(MON_SUSPECT, 3, 2);                   /* 3 suspects 2, which we hear */
	CHECK_EQ(count_sent(MON_REFUTE, 3, 2), 1);
	CHECK(!core_is_down(2));
	CHECK_EQ(liveness_counts()->refuted, 1);
	/* Our own suspicion refuted by the other watcher: withdrawn, counted. */
	const unsigned only2[] = { 2 };
	ticking[0] = true;                             /* 0's kernel runs, its monitor is silent for us */
	run_until(now_ms + 4 * DEAD8 + 200, only2, 1); /* 4 patiences: ask 7 */
	CHECK_EQ(count_sent(MON_SUSPECT, 7, 0), 1);
	msg_core(MON_REFUTE, 7, 0);
	CHECK(logged("suspicion of core 0 withdrawn: core 7 heard from it"));
	CHECK_EQ(liveness_counts()->withdrawn, 1);
	CHECK(!core_is_down(0));
}

static void t_core0_watched(void)
{
	world(7, 8);
	const unsigned all[] = { 0, 6 }, only6[] = { 6 };
	run_until(1000 + 4 * DEAD8, all, 2);
	uint64_t stop = now_ms;
	stopped[0] = true;
	run_until(stop + DEAD8 + 200, only6, 1);
	CHECK_EQ(count_sent(MON_SUSPECT, 1, 0), 1);    /* 0's other watcher is 1 */
	msg_core(MON_SUSPECT, 1, 0);                   /* 1 suspects too: we agree at once */
	CHECK(core_is_down(0));
	CHECK(logged("core 0 stopped responding"));
}

static void t_hostile(void)
{
	world(1, 8);
	const unsigned all[] = { 0, 2 };
	run_until(1000 + 4 * DEAD8, all, 2);
	unsigned before = nsent;
	msg_core(MON_SUSPECT, 5, 2);                   /* 5 does not watch 2 */
	CHECK(logged("refused MON_SUSPECT about core 2 from core 5: not a watcher of it"));
	msg_core(MON_REFUTE, 6, 2);                    /* nobody asked 6 */
	CHECK(logged("refused MON_REFUTE about core 2 from core 6: it was not asked"));
	CHECK_EQ(nsent, before);                       /* nothing sent for either */
	msg_core(MON_SUSPECT, 0, 1);                   /* about ourselves: refuted */
	CHECK(logged("refused MON_SUSPECT about core 1 from core 0: that is this core"));
	CHECK_EQ(count_sent(MON_REFUTE, 0, 1), 1);
	msg_core(MON_CORE_DOWN, 3, 1);                 /* declared down while alive */
	CHECK(logged("declared down by core 3 while alive"));
	CHECK(!core_is_down(1));
	CHECK_EQ(liveness_counts()->false_down, 1);
	CHECK_EQ(nfenced, 1);                          /* it fences itself */
	CHECK_EQ(fenced[0], 1);
	core_mark_down(6);
	msg_core(MON_SUSPECT, 6, 7);                   /* from a core that is down */
	CHECK(logged("refused MON_SUSPECT about core 7 from core 6: not a party"));
	CHECK(!core_is_down(2) && !core_is_down(7));
}

static void t_own_stall(void)
{
	world(1, 8);
	const unsigned all[] = { 0, 2 };
	run_until(1000 + 4 * DEAD8, all, 2);
	unsigned before = nsent;
	now_ms += 5 * DEAD8;                           /* this monitor did not run */
	liveness_heard(0);                             /* what waited in its links */
	liveness_tick(mon_now());
	run_until(now_ms + 200, all, 2);
	CHECK_EQ(count_sent(MON_SUSPECT, 3, 2) + count_sent(MON_SUSPECT, 7, 0), 0);
	CHECK_EQ(liveness_counts()->raised, 0);
	CHECK(nsent > before);                         /* it pinged meanwhile */
	/* A neighbour that really stops is still found (within the widened patience). */
	const unsigned only0[] = { 0 };
	stopped[2] = true;
	run_until(now_ms + 20 * DEAD8, only0, 1);
	CHECK_EQ(count_sent(MON_SUSPECT, 3, 2), 1);
}

static void t_pulse_busy(void)
{
	world(1, 8);
	const unsigned all[] = { 0, 2 }, only0[] = { 0 };
	run_until(1000 + 4 * DEAD8, all, 2);
	ticking[2] = true;                             /* 2's CPU runs, its monitor is silent */
	run_until(now_ms + 2 * DEAD8, only0, 1);
	CHECK_EQ(count_sent(MON_SUSPECT, 3, 2), 0);
	msg_core(MON_SUSPECT, 3, 2);                   /* 3 suspects 2: its pulse moves */
	CHECK_EQ(count_sent(MON_REFUTE, 3, 2), 1);
	CHECK(!core_is_down(2));
	run_until(now_ms + 3 * DEAD8, only0, 1);       /* hung: 4+ patiences */
	CHECK_EQ(count_sent(MON_SUSPECT, 3, 2), 1);
	msg_core(MON_SUSPECT, 3, 2);                   /* 3 agrees: down, fenced */
	CHECK(core_is_down(2));
	CHECK_EQ(nfenced, 1);
	CHECK_EQ(fenced[0], 2);
	CHECK_EQ(liveness_counts()->fenced, 1);
}

static void t_starved(void)
{
	world(1, 8);
	const unsigned all[] = { 0, 2 }, only0[] = { 0 };
	run_until(1000 + 4 * DEAD8, all, 2);
	uint64_t t0 = now_ms;                          /* 2's vCPU does not run: no message, */
	run_until(t0 + 3 * DEAD8, only0, 1);           /* no pulse, but its kernel says up */
	CHECK_EQ(count_sent(MON_SUSPECT, 3, 2), 0);
	msg_core(MON_SUSPECT, 3, 2);                   /* 3 suspects 2 too early: we refute */
	CHECK_EQ(count_sent(MON_REFUTE, 3, 2), 1);
	run_until(t0 + 6 * DEAD8, only0, 1);           /* beyond the hung limit: not yet */
	CHECK_EQ(count_sent(MON_SUSPECT, 3, 2), 0);
	run_until(t0 + 12 * DEAD8 + 200, only0, 1);    /* 12 patiences: suspected */
	CHECK_EQ(count_sent(MON_SUSPECT, 3, 2), 1);
	CHECK(!core_is_down(2));
}

static void t_early_stop(void)
{
	world(1, 8);
	const unsigned only0[] = { 0 };
	stopped[2] = true;                             /* stopped before we ever heard from it */
	run_until(1000 + 2 * DEAD8 + 200, only0, 1);   /* its kernel says so: no boot grace */
	CHECK_EQ(count_sent(MON_SUSPECT, 3, 2), 1);
	world(1, 8);
	run_until(1000 + 2 * DEAD8 + 200, only0, 1);   /* never heard, kernel up: grace */
	CHECK_EQ(count_sent(MON_SUSPECT, 3, 2), 0);
}

static void t_fence_first(void)
{
	world(7, 8);
	const unsigned all[] = { 0, 6 }, only6[] = { 6 };
	run_until(1000 + 4 * DEAD8, all, 2);
	stopped[0] = true;
	run_until(now_ms + DEAD8 + 200, only6, 1);     /* 0 silent; we ask 1 */
	msg_core(MON_SUSPECT, 1, 0);
	CHECK(core_is_down(0));
	CHECK_EQ(nfenced, 1);
	CHECK_EQ(fenced[0], 0);
	unsigned downs = 0;
	for (unsigned i = 0; i < sent_at_fence; i++)
		downs += sent[i].type == MON_CORE_DOWN;
	CHECK_EQ(downs, 0);                            /* nobody told before the fence */
	CHECK(count_sent(MON_CORE_DOWN, 3, 0) == 1);
	CHECK_EQ(liveness_counts()->fenced, 0);        /* it had stopped by itself */
}

static void t_probe_pulse(void)
{
	world(1, 8);
	const unsigned all[] = { 0, 2 };
	run_until(1000 + 4 * DEAD8, all, 2);
	core_mark_down(2);                             /* ring closes: 3 is a new neighbour */
	run_until(now_ms + 100, all, 1);
	unsigned pings = count_sent(MON_PING, 3, 0);
	msg_core(MON_SUSPECT, 4, 3);                   /* no opinion of 3 yet: probe */
	CHECK(count_sent(MON_PING, 3, 0) > pings);
	ticking[3] = true;                             /* its CPU runs, its monitor stays silent */
	run_until(now_ms + DEAD8 + 200, all, 1);
	CHECK_EQ(count_sent(MON_REFUTE, 4, 3), 1);
	CHECK(!core_is_down(3));
	ticking[3] = false;                            /* a starved vCPU: no pulse, kernel up */
	msg_core(MON_SUSPECT, 4, 3);
	run_until(now_ms + DEAD8 + 200, all, 1);
	CHECK_EQ(count_sent(MON_REFUTE, 4, 3), 2);
	CHECK(!core_is_down(3));
}

/*
 * Core 2 was restarted (we took its incarnation 1 up); core 3's declaration
 * of incarnation 0, sent before 3 heard of the restart, arrives now: it is
 * stale and changes nothing (the bug: 2 stayed down here for good and this
 * monitor voted busy on its name rounds), nor does a suspicion of the old
 * life.  A declaration of incarnation 1 is applied; one of a newer life than
 * we know (5's incarnation 2) takes it down and records it, so that life's
 * late MON_CORE_UP is refused (restart.c).  What we send names ours.
 */
static void t_stale_down(void)
{
	world(1, 8);
	const unsigned all[] = { 0, 2 };
	run_until(1000 + 4 * DEAD8, all, 2);
	incarnation_set(2, 1);
	msg_core_gen(MON_CORE_DOWN, 3, 2, 0);
	CHECK(!core_is_down(2));
	CHECK(logged("MON_CORE_DOWN about core 2 from core 3 ignored: it is about incarnation 0"));
	CHECK_EQ(liveness_counts()->stale, 1);
	unsigned before = nsent;
	msg_core_gen(MON_SUSPECT, 3, 2, 0);
	CHECK(logged("refused MON_SUSPECT about core 2 from core 3: about its incarnation 0"));
	CHECK_EQ(nsent, before);
	msg_core_gen(MON_SUSPECT, 3, 2, 1);            /* the present life, heard from: refuted */
	CHECK_EQ(count_sent(MON_REFUTE, 3, 2), 1);
	CHECK_EQ(sent[nsent - 1].gen, 1);
	CHECK_EQ(nfenced, 0);
	msg_core_gen(MON_CORE_DOWN, 3, 2, 1);
	CHECK(core_is_down(2));
	CHECK_EQ(liveness_counts()->stale, 1);
	msg_core_gen(MON_CORE_DOWN, 4, 5, 2);          /* a life of 5 we never heard of */
	CHECK(core_is_down(5));
	CHECK_EQ(incarnation_of(5), 2);
	CHECK_EQ(incarnation_compare(5, 2), INC_SAME); /* its late CORE_UP is no news */
	incarnation_set(1, 3);                         /* we are incarnation 3 */
	msg_core_gen(MON_CORE_DOWN, 4, 1, 2);          /* about our former life */
	CHECK_EQ(nfenced, 0);
	CHECK_EQ(liveness_counts()->false_down, 0);
	msg_core_gen(MON_CORE_DOWN, 4, 1, 3);          /* about this life: fence ourselves */
	CHECK_EQ(nfenced, 1);
	CHECK_EQ(liveness_counts()->false_down, 1);
}

int main(void)
{
	RUN(t_two_stopped);
	RUN(t_refute_alive);
	RUN(t_core0_watched);
	RUN(t_hostile);
	RUN(t_own_stall);
	RUN(t_pulse_busy);
	RUN(t_starved);
	RUN(t_early_stop);
	RUN(t_fence_first);
	RUN(t_probe_pulse);
	RUN(t_stale_down);
	return test_summary();
}
