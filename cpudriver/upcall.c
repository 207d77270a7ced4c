/*
 * upcall.c: dispatching a preempted domain through its dispatcher
 * (include/sys/domain.h).  Everything read from or written to the
 * dispatcher page goes through kernel/uaccess.h: a domain that unmapped or
 * scribbled over it gets no upcall (or faults in its own upcall), never a
 * kernel fault.
 */
#include <kernel/entry.h>
#include <kernel/cpu.h>
#include <kernel/domain.h>
#include <kernel/trace.h>
#include <kernel/uaccess.h>
#include <arch/gdt.h>
#include <stddef.h>


_Static_assert(offsetof(struct user_regs, rdi) == UREGS_RDI, "dispatch.asm");
_Static_assert(offsetof(struct user_regs, rip) == UREGS_RIP, "dispatch.asm");
_Static_assert(offsetof(struct user_regs, rsp) == UREGS_RSP, "dispatch.asm");
_Static_assert(offsetof(struct user_regs, rflags) == UREGS_RFLAGS, "dispatch.asm");
_Static_assert(offsetof(struct dispatcher_shared, enabled_save) == DISP_SAVE, "dispatch.asm");

#define RFLAGS_USER 0x202ull /* IF */

static void save_regs(const struct trap_frame *f, struct user_regs *r)
{
	*r = (struct user_regs){ f->rax, f->rbx, f->rcx, f->rdx, f->rsi, f->rdi, f->rbp,
				 f->r8, f->r9, f->r10, f->r11, f->r12, f->r13, f->r14,
				 f->r15, f->rip, f->rsp, f->rflags };
}

/*
 * Called when the current domain runs again after a preemption, with the
 * frame trap_return will restore.  Either leaves it alone (resume in place)
 * or turns it into an upcall.
 */
void upcall_after_preemption(struct trap_frame *f)
{
	struct dispatcher_shared d;
	struct user_regs r;
	const uint64_t base = DOMAIN_DISPATCHER_VA;
	if (copy_from_user(&d, base, offsetof(struct dispatcher_shared, enabled_save)))
		return;
	if (!d.run_entry || d.disabled || (f->rip >= d.crit_lo && f->rip < d.crit_hi))
		return;
	save_regs(f, &r);
	uint32_t one = 1;
	uint64_t upcalls = d.upcalls + 1;
	if (copy_to_user(base + DISP_SAVE, &r, sizeof r) ||
	    copy_to_user(base + offsetof(struct dispatcher_shared, disabled), &one, sizeof one) ||
	    copy_to_user(base + offsetof(struct dispatcher_shared, upcalls), &upcalls,
			 sizeof upcalls))
		return;
	ktrace(TR_UPCALL, cpu_self()->sched.current->id, upcalls, f->rip);
	f->rip = d.run_entry;
	f->rsp = d.upcall_stack;
	f->rdi = base;
	f->rflags = RFLAGS_USER;
	f->cs = USER_CS;
	f->ss = USER_DS;
}
