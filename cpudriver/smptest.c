/* smptest.c: multi-core self-tests (see kernel/smptest.h). */
#include <kernel/boot.h>
#include <kernel/console.h>
#include <kernel/corestatus.h>
#include <kernel/panic.h>
#include <kernel/platform.h>
#include <kernel/smptest.h>
#include <arch/lapic.h>
#include <arch/x86.h>
#include <lib/string.h>

#define STOP_WAIT_MS 3000
/* Every live core must tick within this bound (an idle core's tick may be
 * far apart, and a crowded host deschedules vCPUs): a bound, not a speed. */
#define TICK_WATCH_MS 20000
#define SILENT_WATCH_MS 300

/* Below the first user page and mapped by nobody. */
static volatile uint64_t unmapped_addr = 0x10;

static bool selected(const char *name)
{
	return strcmp(boot_options.test, name) == 0;
}

void smptest_on_ap(unsigned id)
{
	if (!selected("smp-fault"))
		return;
	if (id == 1) {
		klog("smp-fault: touching an unmapped address\n");
		*(volatile uint64_t *)unmapped_addr = 1;
	} else if (id == 2) {
		panic("smp-fault: deliberate panic");
	}
}

static bool wait_state(unsigned id, enum core_state want, uint64_t ms)
{
	uint64_t end = rdtsc() + ms * (tsc_hz_get() / 1000);
	while (core_status_get(id) != want)
		if (rdtsc() > end)
			return false;
	return true;
}

static bool check(const char *name, bool ok)
{
	kprintf("TEST %s %s\n", name, ok ? "PASS" : "FAIL");
	return ok;
}

/* True once every core but the victims (1..victims) ticked since before[];
 * false, naming the laggards, if one has not within TICK_WATCH_MS. */
static bool wait_others_ticked(unsigned n, unsigned victims, const uint64_t *before)
{
	uint64_t end = rdtsc() + TICK_WATCH_MS * (tsc_hz_get() / 1000);
	for (;;) {
		bool all = true;
		for (unsigned i = 0; i < n; i++)
			if ((i == 0 || i > victims) &&
			    (core_heartbeat(i) == before[i] || core_status_get(i) != CORE_UP))
				all = false;
		if (all)
			return true;
		if (rdtsc() > end)
			break;
		udelay(1000);
	}
	for (unsigned i = 0; i < n; i++)
		if ((i == 0 || i > victims) &&
		    (core_heartbeat(i) == before[i] || core_status_get(i) != CORE_UP))
			klog("core %u did not tick (state %s)\n", i,
			     core_state_name(core_status_get(i)));
	return false;
}

static bool smp_fault(unsigned n)
{
	unsigned victims = n > 2 ? 2 : n - 1;
	bool ok = check("smp.fault.enough_cores", n >= 2);
	for (unsigned v = 1; v <= victims; v++)
		ok &= check(v == 1 ? "smp.fault.core1_stopped" : "smp.fault.core2_stopped",
			    wait_state(v, CORE_STOPPED, STOP_WAIT_MS));
	uint64_t before[CORES_MAX];
	for (unsigned i = 0; i < n; i++)
		before[i] = core_heartbeat(i);
	irq_enable();
	udelay(SILENT_WATCH_MS * 1000); /* the stopped cores stay silent at least this long */
	bool others = wait_others_ticked(n, victims, before);
	bool victims_still = true;
	for (unsigned i = 1; i <= victims; i++)
		victims_still &= core_heartbeat(i) == before[i];
	ok &= check("smp.fault.stopped_cores_silent", victims_still);
	ok &= check("smp.fault.other_cores_tick", others);
	return ok;
}

bool smptest_run(const char *name, unsigned ncores)
{
	if (strcmp(name, "smp-fault") != 0)
		return false;
	platform_exit(smp_fault(ncores) ? EXIT_SUCCESS_CODE : EXIT_TEST_FAILED);
}
