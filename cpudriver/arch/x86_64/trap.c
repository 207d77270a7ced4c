/*
 * trap.c: what a core does with a trap.
 *
 * Exceptions in ring 0 are kernel bugs: the report names the core, the
 * vector, error code, RIP, CR2 and RSP, then the core stops (panic.h).
 * Two exceptions to that rule belong to the running domain although they
 * arrive from ring 0: a fault of the iretq that returns to ring 3
 * (trap_iret: the frame it was given is the domain's), and a return frame
 * the exit path refuses before trying it (trap_bad_return: a RIP or RSP
 * outside user space).  Both end the domain, never the core.
 * Exceptions in ring 3 belong to the running domain and go to the scheduler,
 * which terminates that domain and keeps the core running.
 * An NMI is reported and the core goes on; a double fault (on its own IST
 * stack, so a kernel stack overflow into a guard page still gets here) and
 * a machine check are reported and stop the core.
 * Vectors >= 32 go to the per-core handler table.
 */
#include <arch/trap.h>
#include <arch/x86.h>
#include <kernel/entry.h>
#include <kernel/event.h>
#include <kernel/fence.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/domain.h>
#include <kernel/fpu.h>
#include <kernel/sched.h>
#include <kernel/panic.h>
#include <kernel/trace.h>

extern const char trap_iret[];

static const char *const exception_names[32] = {
	[TRAP_DE] = "#DE divide error",      [TRAP_DB] = "#DB debug",
	[TRAP_NMI] = "NMI",                  [TRAP_BP] = "#BP breakpoint",
	[TRAP_OF] = "#OF overflow",          [TRAP_BR] = "#BR bound range",
	[TRAP_UD] = "#UD invalid opcode",    [TRAP_NM] = "#NM device not available",
	[TRAP_DF] = "#DF double fault",      [TRAP_TS] = "#TS invalid TSS",
	[TRAP_NP] = "#NP segment not present", [TRAP_SS] = "#SS stack fault",
	[TRAP_GP] = "#GP general protection", [TRAP_PF] = "#PF page fault",
	[TRAP_MF] = "#MF x87 error",         [TRAP_AC] = "#AC alignment check",
	[TRAP_MC] = "#MC machine check",     [TRAP_XM] = "#XM SIMD error",
	[TRAP_VE] = "#VE virtualization",    [TRAP_CP] = "#CP control protection",
};

const char *trap_name(uint64_t vector)
{
	if (vector < 32)
		return exception_names[vector] ? exception_names[vector] : "reserved";
	return "interrupt";
}

void trap_set_irq_handler(unsigned vector, irq_handler_t h)
{
	if (vector >= TRAP_IRQ_BASE && vector < 256)
		cpu_self()->irq_handlers[vector - TRAP_IRQ_BASE] = h;
}

static void report_kernel_exception(const struct trap_frame *f)
{
	kprintf_urgent("PANIC core %u: exception %s (vector %lu) err=0x%lx rip=0x%lx "
		"cr2=0x%lx rsp=0x%lx\n",
		cpu_id(), trap_name(f->vector), f->vector, f->error, f->rip,
		read_cr2(), f->rsp);
	core_stop();
}

/* #XM, #MF: which floating-point exception it was is in MXCSR / the x87 status. */
static void report_fp_state(const struct domain *d, uint64_t vector)
{
	if (vector != TRAP_XM && vector != TRAP_MF)
		return;
	fpu_save(d->fpu);
	klog("domain %u (%s): floating-point state at the fault: mxcsr=%#x fsw=%#x\n",
	     d->id, d->program, fpu_area_mxcsr(d->fpu), fpu_area_fsw(d->fpu));
}

/* A domain faulted: report it, end it; its core goes on with the others. */
static void kill_faulting_domain(const struct trap_frame *f)
{
	struct domain *d = cpu_self()->sched.current;
	report_fp_state(d, f->vector);
	klog("domain %u (%s) killed: exception %s (vector %lu) err=0x%lx rip=0x%lx "
	     "cr2=0x%lx rsp=0x%lx\n", d->id, d->program, trap_name(f->vector),
	     f->vector, f->error, f->rip, read_cr2(), f->rsp);
	kevent("domain.kill", "id=%u program=%s vector=%lu", d->id, d->program, f->vector);
	domain_exit(DOMAIN_KILLED_BASE - (int)f->vector);
}

/* The iretq to ring 3 faulted: the frame it popped is still at f->rsp. */
static void kill_bad_iret(const struct trap_frame *f)
{
	struct domain *d = cpu_self()->sched.current;
	const uint64_t *iret = (const uint64_t *)f->rsp; /* rip, cs, rflags, rsp, ss */
	klog("domain %u (%s) killed: return to ring 3 refused by the CPU: exception %s "
	     "(vector %lu) err=0x%lx rip=0x%lx rflags=0x%lx rsp=0x%lx\n", d->id, d->program,
	     trap_name(f->vector), f->vector, f->error, iret[0], iret[2], iret[3]);
	kevent("domain.kill", "id=%u program=%s vector=%lu", d->id, d->program, f->vector);
	domain_exit(DOMAIN_KILLED_BASE - (int)f->vector);
}

void trap_bad_return(struct trap_frame *f)
{
	struct domain *d = cpu_self()->sched.current;
	klog("domain %u (%s) killed: return to a non-user address rip=0x%lx rsp=0x%lx\n",
	     d->id, d->program, f->rip, f->rsp);
	kevent("domain.kill", "id=%u program=%s vector=%u", d->id, d->program, TRAP_GP);
	domain_exit(DOMAIN_KILLED_BASE - TRAP_GP);
}

static void report_nmi(const struct trap_frame *f)
{
	/* urgent: the NMI may have stopped this core in the middle of a klog */
	kprintf_urgent("core %u: NMI received (rip=0x%lx cs=0x%lx); ignored\n", cpu_id(),
		       f->rip, f->cs);
}

void trap_dispatch(struct trap_frame *f)
{
	bool from_user = (f->cs & 3) == 3;
	if (f->vector < TRAP_IRQ_BASE) {
		struct domain *cur = cpu_self()->sched.current;
		if (f->vector == TRAP_NMI) {
			if (!fence_nmi()) /* false: not a fence; a fenced core halts */
				report_nmi(f);
			return;
		}
		if (f->vector == TRAP_DF || f->vector == TRAP_MC)
			report_kernel_exception(f);
		if (from_user && cur)
			kill_faulting_domain(f);
		if (f->rip == (uint64_t)trap_iret && cur)
			kill_bad_iret(f);
		report_kernel_exception(f);
		return;
	}
	ktrace(TR_IRQ, (uint32_t)f->vector, f->rip, 0);
	irq_handler_t h = cpu_self()->irq_handlers[f->vector - TRAP_IRQ_BASE];
	if (h)
		h(f);
	else if (f->vector != VEC_SPURIOUS)
		klog("unexpected interrupt vector %lu\n", f->vector);
	if (from_user && cpu_self()->sched.need_resched) {
		sched_yield();
		upcall_after_preemption(f);
	}
}
