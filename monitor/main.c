/*
 * main.c: the monitor's start and its loop.
 *
 * Start: read monitor_info (sys/monitor.h), attach the links, and on core 0
 * take the monitors' memory and start the boot manifest's services.  Loop:
 * serve whichever channel has a message (waitset: polls, then sleeps in
 * SYS_WAIT until a peer notifies), and every mon_loop_ms() do the periodic work:
 * notice ended domains, expire requests, heartbeats.
 */
#include <libos/libos.h>
#include <libos/stdio.h>
#include <libos/sys.h>
#include <libos/waitset.h>
#include <lib/fmt.h>
#include <stdarg.h>
#include "monitor.h"

#define LOOP_MS_MIN 50
#define LOOP_MS_MAX 200 /* the kernel's longest tickless sleep (TICK_IDLE_MAX): one wake-up */
#define MAX_SOURCES (MONITOR_MAX_LINKS + MON_MAX_DOMAINS)

const struct monitor_info *mon_info;
unsigned mon_core, mon_ncores;
static uint64_t tsc_per_ms;

uint64_t mon_now(void)
{
	return libos_tsc();
}

uint64_t mon_ms(uint64_t ms)
{
	return ms * tsc_per_ms;
}

/*
 * 50 ms up to 40 cores, then 10 + 1 ms per core up to 200 ms.  At 255 vCPUs
 * on 2 host CPUs each idle monitor's wake-up is a trip through QEMU's
 * global lock and a host context switch or more (docs/11-reliability.md).
 */
uint64_t mon_loop_ms(void)
{
	uint64_t ms = 10 + (uint64_t)mon_ncores;
	return ms < LOOP_MS_MIN ? LOOP_MS_MIN : ms > LOOP_MS_MAX ? LOOP_MS_MAX : ms;
}

uint64_t mon_us(void)
{
	uint64_t per_us = libos_tsc_hz() / 1000000;
	return libos_tsc() / (per_us ? per_us : 1);
}

void mon_event(const char *name, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n = fmt_snprintf(line, sizeof line, "EV %s ", name);
	va_start(ap, fmt);
	int m = fmt_vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n > sizeof line - 1)
		n = sizeof line - 1;
	sys_print(line, (size_t)n);
}

const char *mon_event_word(const char *s, char *buf, size_t size)
{
	size_t i = 0;
	for (; s[i] && i + 1 < size; i++) {
		buf[i] = s[i];
		if (buf[i] == ' ')
			buf[i] = '_';
	}
	buf[i] = 0;
	return buf;
}

void mon_log(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof line - 2)
		n = sizeof line - 2;
	line[n] = '\n';
	sys_print(line, (size_t)n + 1);
}

static void periodic(void)
{
	uint64_t now = mon_now();
	local_reap();
	span_poll();
	pending_expire(now);
	if (names_replicated())
		namerepl_tick(now);
	liveness_tick(now);
	memops_tick();
	bind_tick(now);
	poolreuse_tick(now);
}

/*
 * Test (stuck_monitor=N): a monitor that never becomes ready.  It runs but
 * never waits for work, so its kernel never marks it ready (bootgate.h);
 * it answers nothing, and the other monitors find it silent while its
 * kernel runs: declared down, fenced and restarted (liveness.c), and its
 * next life starts normally.
 */
static _Noreturn void stuck(void)
{
	mon_log("test: stuck_monitor: this monitor never waits for work");
	for (;;)
		sys_yield();
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	static struct waitset_source *storage[MAX_SOURCES];
	static struct waitset ws;
	mon_info = (const struct monitor_info *)MONITOR_INFO_VA;
	mon_core = mon_info->core;
	mon_ncores = mon_info->ncores;
	tsc_per_ms = libos_tsc_hz() / 1000;
	if (mon_info->flags & MONITOR_FLAG_STUCK)
		stuck();
	waitset_init_sys(&ws, storage, MAX_SOURCES);
	route_init();
	liveness_init();
	route_add_sources(&ws);
	local_init(&ws);
	memory_init();
	restart_rejoin();
	if (mon_info->flags & MONITOR_FLAG_SYSTEST)
		systest_run();
	unsigned parent = mon_info->tree_parents[mon_core];
	mon_log("up on core %u: %u links, tree parent %d", mon_core, mon_info->nlinks,
		parent == MONITOR_TREE_ROOT ? -1 : (int)parent);
	mon_event("monitor.up", "links=%u", mon_info->nlinks);
	if (mon_core == 0 && !mon_info->generation) /* a restarted core 0 respawned its own */
		boot_start_manifest();
	uint64_t loop_ms = mon_loop_ms(), loop_ticks = loop_ms * TICK_HZ / 1000;
	uint64_t next = mon_now() + mon_ms(loop_ms);
	for (;;) {
		waitset_dispatch(&ws, route_backlog() ? 1 : loop_ticks);
		route_flush();
		local_flush();
		if (mon_now() >= next) {
			periodic();
			next = mon_now() + mon_ms(loop_ms);
		}
	}
}
