/* bootgate.c: the APs start their monitors once every core is up (kernel/bootgate.h). */
#include <kernel/bootgate.h>
#include <kernel/corestatus.h>
#include <kernel/cpu.h>
#include <kernel/machine.h>
#include <kernel/sched.h>
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
