/*
 * Host tests for monitor/poolreuse.c (a restarted core's old pool given
 * back by agreement), one monitor in a scripted world: the restarter R is
 * this monitor (core 0); the test delivers the other monitors' answers and
 * records what R sends (route_send_core), logs and releases (SYS_POOL_RELEASE).
 *
 *   agreement       every live monitor answers MON_POOL_CLEAR: one release,
 *                   once, after the last answer; a party's second answer is
 *                   no news
 *   not_a_party     a core that was down when the agreement started (so it
 *                   was never asked) answers: refused and logged, it counts
 *                   for nothing (the release waits for the real parties)
 *   no_round        an answer about a pool no agreement is in flight for
 *                   (a forgery, or a late copy): refused and logged, nothing
 *                   released
 *   party_down      a party declared down counts as answered (it runs
 *                   nothing any more)
 *   query_answered  a question about a pool nobody maps here is answered at
 *                   once; asked while mapped, the answer waits for the count
 *                   to reach 0 (asked again every CHECK_MS)
 *   monmem          monitor-memory frames the ended life's domains held
 *                   (SYS_POOL_MONMEM, read in batches of 64) go back to their
 *                   owners exactly once, after a release that succeeded; a
 *                   refused release gives nothing back
 */
#define TEST_PROGRAM "poolreuse"
#include "test.h"
#include <stdarg.h>
#include "../../monitor/monitor.h"

/* ---- the world ---- */
const struct monitor_info *mon_info;
unsigned mon_core, mon_ncores;
static uint64_t now_ms;
static bool down[CORES_MAX];

#define MAX_SENT 64
static struct sent { uint16_t type; unsigned dst, about; uint32_t gen; } sent[MAX_SENT];
static unsigned nsent;
static char logbuf[32][200];
static unsigned nlog;
static unsigned releases;                 /* SYS_POOL_RELEASE calls */
static uint32_t released_core, released_gen;
static int64_t mapped_here;               /* SYS_POOL_MAPPED's answer */
static int64_t release_answer;            /* SYS_POOL_RELEASE's answer */
#define MONMEM_FRAMES 70                  /* more than one batch of 64 */
static unsigned monmem_held;              /* frames SYS_POOL_MONMEM lists */
static unsigned give_backs, given_back;   /* memory_give_back calls, frames */
static bool given_in_order;

uint64_t mon_now(void) { return now_ms * 1000; }
uint64_t mon_ms(uint64_t ms) { return ms * 1000; }

void mon_log(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (nlog < 32)
		vsnprintf(logbuf[nlog++], sizeof logbuf[0], fmt, ap);
	va_end(ap);
}

void mon_event(const char *name, const char *fmt, ...) { (void)name; (void)fmt; }
bool core_is_up(unsigned c) { return c < mon_ncores && !down[c]; }

err_t route_send_core(uint16_t type, unsigned dst, unsigned about, uint32_t generation)
{
	if (nsent < MAX_SENT)
		sent[nsent++] = (struct sent){ type, dst, about, generation };
	return ERR_OK;
}

int64_t sys_raw(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if (nr == SYS_POOL_RELEASE) {
		releases++;
		released_core = (uint32_t)a0;
		released_gen = (uint32_t)a1;
		return release_answer;
	}
	if (nr == SYS_POOL_MAPPED)
		return mapped_here;
	if (nr == SYS_POOL_MONMEM) {
		uint64_t *out = (uint64_t *)(uintptr_t)a3;
		for (uint64_t i = 0; i < a4 && a2 + i < monmem_held; i++)
			out[i] = (a2 + i + 1) << 12;   /* frame k at (k+1) * 4 KiB */
		return monmem_held;
	}
	return ERR_NOSYS;
}

/* Not reached by these cases (the test hooks stop the core). */
void route_flush(void) {}
err_t sys_yield(void) { return ERR_OK; }

void memory_give_back(const uint64_t *pa, uint32_t n)
{
	give_backs++;
	given_back += n;
	given_in_order = true;
	for (uint32_t i = 0; i < n; i++)
		given_in_order &= pa[i] == (uint64_t)(i + 1) << 12;
}

/* ---- helpers ---- */
static void world(unsigned n)
{
	static struct monitor_info info;
	memset(&info, 0, sizeof info);
	info.ncores = n;
	mon_info = &info;
	mon_core = 0;
	mon_ncores = n;
	memset(down, 0, sizeof down);
	nsent = nlog = releases = 0;
	mapped_here = 0;
	release_answer = ERR_OK;
	monmem_held = 0;
	give_backs = given_back = 0;
	now_ms += 10000; /* past every earlier case's resend */
}

static unsigned count_sent(uint16_t type, unsigned dst)
{
	unsigned k = 0;
	for (unsigned i = 0; i < nsent; i++)
		k += sent[i].type == type && sent[i].dst == dst;
	return k;
}

static bool logged(const char *part)
{
	for (unsigned i = 0; i < nlog; i++)
		if (strstr(logbuf[i], part))
			return true;
	return false;
}

static void msg(uint16_t type, unsigned from, unsigned about, uint32_t gen)
{
	struct mon_core m;
	memset(&m, 0, sizeof m);
	m.h.src_core = (uint16_t)from;
	m.h.dst_core = (uint16_t)mon_core;
	m.core = about;
	m.generation = gen;
	poolreuse_message(type, &m);
}

static void clear_from(unsigned from, unsigned about, uint32_t gen)
{
	msg(MON_POOL_CLEAR, from, about, gen);
}

/* ---- cases ---- */
static void t_agreement(void)
{
	world(4);
	poolreuse_start(2, 1);
	for (unsigned c = 0; c < 4; c++)
		CHECK_EQ(count_sent(MON_POOL_QUERY, c), 1);
	clear_from(1, 2, 1);
	clear_from(1, 2, 1);                     /* twice: no news */
	clear_from(2, 2, 1);
	clear_from(3, 2, 1);
	CHECK_EQ(releases, 0);                   /* R's own answer is missing */
	clear_from(0, 2, 1);
	CHECK_EQ(releases, 1);
	CHECK_EQ(released_core, 2);
	CHECK_EQ(released_gen, 1);
	CHECK(logged("released after"));
	CHECK(!logged("refused"));
	clear_from(3, 2, 1);                     /* a late copy: refused, no second release */
	CHECK_EQ(releases, 1);
}

static void t_not_a_party(void)
{
	world(8);
	down[5] = true;                          /* down when the agreement starts */
	poolreuse_start(2, 2);
	CHECK_EQ(count_sent(MON_POOL_QUERY, 5), 0);
	down[5] = false;                         /* back (restarted), answers all the same */
	for (unsigned c = 0; c < 8; c++)
		if (c != 5 && c != 7)
			clear_from(c, 2, 2);
	clear_from(5, 2, 2);
	CHECK(logged("refused MON_POOL_CLEAR from core 5 about core 2's pool of incarnation 2: "
		     "core 5 is not a party of that agreement"));
	CHECK_EQ(releases, 0);                   /* core 7, a party, has not answered */
	clear_from(7, 2, 2);
	CHECK_EQ(releases, 1);
}

static void t_no_round(void)
{
	world(4);
	clear_from(1, 3, 7);
	CHECK(logged("refused MON_POOL_CLEAR from core 1 about core 3's pool of incarnation 7: "
		     "no agreement about it in flight here"));
	CHECK_EQ(releases, 0);
}

static void t_party_down(void)
{
	world(4);
	poolreuse_start(1, 3);
	clear_from(0, 1, 3);
	clear_from(1, 1, 3);
	clear_from(2, 1, 3);
	CHECK_EQ(releases, 0);
	down[3] = true;
	poolreuse_core_down(3);
	CHECK_EQ(releases, 1);
	CHECK_EQ(released_core, 1);
}

static void t_query_answered(void)
{
	world(4);
	msg(MON_POOL_QUERY, 2, 3, 4);            /* core 2 asks about core 3's pool */
	CHECK_EQ(count_sent(MON_POOL_CLEAR, 2), 1);
	mapped_here = 1 | 9ll << 32;             /* domain 9 maps a page of it */
	msg(MON_POOL_QUERY, 2, 3, 5);
	CHECK_EQ(count_sent(MON_POOL_CLEAR, 2), 1);
	CHECK(logged("still mapped here (1 mappings, domain 9 first)"));
	now_ms += 1000;
	poolreuse_tick(mon_now());
	CHECK_EQ(count_sent(MON_POOL_CLEAR, 2), 1);
	mapped_here = 0;                         /* dropped */
	now_ms += 1000;
	poolreuse_tick(mon_now());
	CHECK_EQ(count_sent(MON_POOL_CLEAR, 2), 2);
}

static void agree_all(unsigned n, unsigned core, uint32_t gen)
{
	for (unsigned c = 0; c < n; c++)
		clear_from(c, core, gen);
}

static void t_monmem(void)
{
	world(4);
	monmem_held = MONMEM_FRAMES;
	poolreuse_start(2, 1);
	agree_all(4, 2, 1);
	CHECK_EQ(releases, 1);
	CHECK_EQ(give_backs, 1);
	CHECK_EQ(given_back, MONMEM_FRAMES);
	CHECK(given_in_order);
	clear_from(3, 2, 1);                     /* a late copy gives nothing back again */
	CHECK_EQ(give_backs, 1);

	world(4);                                /* the kernel refuses the release */
	monmem_held = 5;
	release_answer = ERR_BUSY;
	poolreuse_start(3, 2);
	agree_all(4, 3, 2);
	CHECK_EQ(releases, 1);
	CHECK_EQ(give_backs, 0);
	CHECK(logged("not released"));
}

int main(void)
{
	RUN(t_agreement);
	RUN(t_not_a_party);
	RUN(t_no_round);
	RUN(t_party_down);
	RUN(t_query_answered);
	RUN(t_monmem);
	return test_summary();
}
