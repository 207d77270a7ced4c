/* bootgate.c: the APs start their monitors once every core is up (kernel/bootgate.h). */
#include <kernel/boot.h>
#include <kernel/bootgate.h>
#include <kernel/console.h>
#include <kernel/corestatus.h>
#include <kernel/cpu.h>
#include <kernel/machine.h>
#include <kernel/sched.h>
#include <kernel/services.h>
#include <kernel/smp.h>
#include <kernel/tick.h>
#include <arch/lapic.h>
#include <arch/trap.h>
#include <arch/x86.h>

static uint32_t gate_open;

void bootgate_open(void)
{
	unsigned me = cpu_self()->id;
	__atomic_store_n(&gate_open, 1, __ATOMIC_SEQ_CST);
	for (unsigned i = 0; i < smp_cores_planned(); i++)
		if (i != me && core_status_get(i) == CORE_UP)
			lapic_send_ipi(machine_topo()->cores[i].apic_id, VEC_NOTIFY);
}

void bootgate_wait(void)
{
	irq_disable(); /* an IPI between the check and the halt stays pending: sti; hlt takes it */
	while (!__atomic_load_n(&gate_open, __ATOMIC_SEQ_CST))
		tick_idle(TICK_IDLE_MAX, 0); /* the opening IPI ends it early */
}

/* APs up whose monitor is not ready yet; the first of them in *first. */
static unsigned monitors_not_ready(unsigned *first)
{
	unsigned n = 0, me = cpu_self()->id;
	for (unsigned i = 0; i < smp_cores_planned(); i++)
		if (i != me && core_status_get(i) == CORE_UP &&
		    !__atomic_load_n(&core_status[i].monitor_ready, __ATOMIC_ACQUIRE) && !n++)
			*first = i;
	return n;
}

void bootgate_wait_monitors(void)
{
	if (!services_find_module("monitor"))
		return;
	uint64_t t0 = rdtsc(), per_ms = cpu_self()->tsc_hz / 1000, ms = 0;
	unsigned first = 0, late;
	irq_disable();
	uint64_t bound = boot_options.gate_ms;
	while ((late = monitors_not_ready(&first)) && ms < bound) {
		tick_idle(1, 0); /* one core looking every tick: cheap, and no 200 ms lost */
		ms = per_ms ? (rdtsc() - t0) / per_ms : bound;
	}
	ms = per_ms ? (rdtsc() - t0) / per_ms : 0;
	if (late)
		klog("%u monitors not ready after %lu ms (core %u the first); starting anyway\n",
		     late, ms, first);
	else
		klog("every monitor ready %lu ms after the last core came up\n", ms);
}
