/*
 * ap.c: an application processor's CPU driver, from the trampoline's jump to
 * the idle loop.  The order matters:
 *
 *   1. install this core's GDT/TSS/IDT (faults are reported from here on)
 *   2. build this core's own page tables from its own pool and switch to
 *      them (it ran on the boot core's tables until now; the trampoline's
 *      identity mapping is not in the new ones), and its guarded #DF and
 *      NMI stacks
 *   3. its local APIC and timer (at the boot core's measured rate: every
 *      local APIC timer runs from the same bus clock); its FPU/SSE/AVX set-up
 *   4. announce itself (and run a selected SMP self-test)
 *   5. start its services from the boot manifest, then schedule them on a
 *      guarded stack
 */
#include <kernel/entry.h>
#include <kernel/console.h>
#include <kernel/corestatus.h>
#include <kernel/cpu.h>
#include <kernel/fpu.h>
#include <kernel/kstack.h>
#include <kernel/panic.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <kernel/bootgate.h>
#include <kernel/services.h>
#include <kernel/smp.h>
#include <kernel/smptest.h>
#include <kernel/tick.h>
#include <kernel/trace.h>
#include <arch/lapic.h>
#include <arch/paging.h>
#include <arch/x86.h>

void ap_entry(struct cpu *c)
{
	cpu_install(c);
	if (!core_status_move(c->id, CORE_STARTING, CORE_ENTERED)) {
		klog("came up after the boot core gave up on it; halting\n");
		halt_forever();
	}
	err_t e = vm_build_kernel_space(c->pool, vm_phys_top, &c->pml4_phys);
	if (e)
		panic("building this core's page tables: %s", err_str(e));
	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(c->pml4_phys);
	if ((e = kstack_init(c)))
		panic("guarded kernel stacks: %s", err_str(e));
	lapic_enable();
	tick_start();
	fpu_init_core();
	trace_core_init();
	smp_announce(c);
	smptest_on_ap(c->id);
	sched_init();
	bootgate_wait();
	services_start();
	sched_set_idle_hook(services_check_finished);
	kstack_run(sched_run);
}
