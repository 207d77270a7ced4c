/*
 * systest.c: the kernel's checks on the monitors' own system calls, tried
 * from a monitor (kernel option test=monsys; MONITOR_FLAG_SYSTEST).
 *
 * Apps get ERR_PERM for every monitor call (apps/muter, test_liveness);
 * this is the other side: a monitor that is wrong (a stale core number, a
 * generation read from a corrupted message) must not reach a core it did
 * not name.  Core 1's monitor makes each call below once at start, with
 * arguments out of range or of another incarnation, and logs one line per
 * call ("systest: SYS_CORE_FENCE(0x100000002, 0, 0): range error, want
 * range error: ok"), then "systest: N calls, K wrong".  A value above 32 bits
 * must never be cut down to a core that exists (0x100000002 is not core
 * 2), and no call here may stop, restart or fence anything: the test
 * (tests/integration/test_liveness.py, monsys) checks that no core was
 * fenced or declared down and the run ends normally.
 */
#include <libos/libos.h>
#include <libos/stdio.h>
#include "monitor.h"
#include "monsys.h"

#define HIGH (1ull << 32)       /* a bit above 32: must not be dropped */

struct systest_call {
	const char *name;
	uint64_t nr, a0, a1, a2;
	int64_t want;            /* 0: exactly 0; < 0: that error */
};

static unsigned tried, wrong;

/* An answer for the log line: the error's message, or the value. */
static const char *answer(int64_t v, char *buf, size_t cap)
{
	if (v < 0)
		return err_str((err_t)v);
	snprintf(buf, cap, "%ld", (long)v);
	return buf;
}

static void try_call(const struct systest_call *c)
{
	char got_s[24], want_s[24];
	int64_t got = sys_raw(c->nr, c->a0, c->a1, c->a2, 0, 0, 0);
	bool ok = got == c->want;
	tried++;
	wrong += !ok;
	mon_log("systest: %s(%#lx, %#lx, %#lx): %s, want %s: %s", c->name, (unsigned long)c->a0,
		(unsigned long)c->a1, (unsigned long)c->a2, answer(got, got_s, sizeof got_s),
		answer(c->want, want_s, sizeof want_s), ok ? "ok" : "WRONG");
}

void systest_run(void)
{
	uint64_t n = mon_ncores, gen2 = (uint64_t)sys_core_generation(2);
	const struct systest_call calls[] = {
		{ "SYS_CORE_FENCE", SYS_CORE_FENCE, n, 0, 0, ERR_RANGE },
		{ "SYS_CORE_FENCE", SYS_CORE_FENCE, CORES_MAX, 0, 0, ERR_RANGE },
		{ "SYS_CORE_FENCE", SYS_CORE_FENCE, HIGH | 2, gen2, 0, ERR_RANGE },
		{ "SYS_CORE_FENCE", SYS_CORE_FENCE, ~0ull, 0, 0, ERR_RANGE },
		{ "SYS_CORE_FENCE", SYS_CORE_FENCE, 2, HIGH | gen2, 0, ERR_RANGE },
		{ "SYS_CORE_FENCE", SYS_CORE_FENCE, 2, gen2 + 1, 0, 0 },   /* another life: nothing */
		{ "SYS_CORE_PULSE", SYS_CORE_PULSE, n, 0, 0, ERR_NOENT },
		{ "SYS_CORE_PULSE", SYS_CORE_PULSE, HIGH | 2, 0, 0, ERR_NOENT },
		{ "SYS_CORE_GENERATION", SYS_CORE_GENERATION, n, 0, 0, ERR_RANGE },
		{ "SYS_CORE_GENERATION", SYS_CORE_GENERATION, HIGH | 2, 0, 0, ERR_RANGE },
		{ "SYS_CORE_STOP", SYS_CORE_STOP, n, 0, 0, ERR_RANGE },
		{ "SYS_CORE_STOP", SYS_CORE_STOP, HIGH | 2, 0, 0, ERR_RANGE },
		{ "SYS_CORE_RESTART", SYS_CORE_RESTART, n, 0, 0, ERR_RANGE },
		{ "SYS_CORE_RESTART", SYS_CORE_RESTART, HIGH | 2, 0, 0, ERR_RANGE },
		{ "SYS_CORE_RESTART", SYS_CORE_RESTART, 2, 0, 0, ERR_BUSY }, /* up: not restarted */
		{ "SYS_POOL_MAPPED", SYS_POOL_MAPPED, CORES_MAX, 0, 0, ERR_RANGE },
		{ "SYS_POOL_MAPPED", SYS_POOL_MAPPED, 2, HIGH, 0, ERR_RANGE },
		{ "SYS_POOL_MAPPED", SYS_POOL_MAPPED, 2, gen2, 0, ERR_NOENT }, /* never retired */
		{ "SYS_POOL_RELEASE", SYS_POOL_RELEASE, HIGH | 2, 0, 0, ERR_RANGE },
		{ "SYS_POOL_RELEASE", SYS_POOL_RELEASE, 2, HIGH, 0, ERR_RANGE },
		{ "SYS_POOL_RELEASE", SYS_POOL_RELEASE, 2, gen2, 0, ERR_NOENT },
		{ "SYS_MONLINK_RESET", SYS_MONLINK_RESET, HIGH | 2, 0, 0, ERR_NOENT },
		{ "SYS_CHAN_MAPPED", SYS_CHAN_MAPPED, 0x7fffffff, 0x1000, 1, ERR_NOENT },
		{ "SYS_CHAN_MAPPED", SYS_CHAN_MAPPED, 1, 0x1000, 0, ERR_RANGE },  /* 0 pages */
		{ "SYS_CHAN_MAPPED", SYS_CHAN_MAPPED, 1, 0x1008, 1, ERR_RANGE },  /* unaligned */
		{ "SYS_CHAN_MAPPED", SYS_CHAN_MAPPED, 1, ~0xfffull, 1, ERR_RANGE }, /* past RAM */
		{ "SYS_CHAN_MAPPED", SYS_CHAN_MAPPED, 1, 0x1000, HIGH | 1, ERR_RANGE },
	};
	for (unsigned i = 0; i < sizeof calls / sizeof calls[0]; i++)
		try_call(&calls[i]);
	mon_log("systest: %u calls, %u wrong", tried, wrong);
}
