/*
 * dispatch.c: the domain's dispatcher (include/sys/domain.h).
 *
 * libos_dispatch_init() registers the upcall entry, an upcall stack of its
 * own and the critical range of the resume code in the dispatcher page.
 * From then on the CPU driver upcalls libos_dispatch() whenever it runs the
 * domain again after a preemption; the upcall entry has already saved the
 * preempted thread's x87/SSE/AVX registers (dispatch.asm), and the thread
 * scheduler (libos/thread.c) saves its general registers and picks the
 * thread to resume.
 *
 * The critical section: `disabled` in the dispatcher page.  While it is
 * set the CPU driver resumes a preempted domain in place, so whatever the
 * domain was doing finishes before any other thread runs.
 */
#include <libos/libos.h>
#include <libos/thread.h>
#include <sys/domain.h>
#include <stddef.h>
#include "thread_impl.h"
#include "dispatch.h"

_Static_assert(offsetof(struct dispatcher_shared, enabled_save) == DISP_SAVE, "dispatch.asm");
_Static_assert(offsetof(struct dispatcher_shared, disabled) == DISP_DISABLED, "dispatch.asm");
_Static_assert(offsetof(struct user_regs, rflags) == UREGS_RFLAGS, "dispatch.asm");
_Static_assert(offsetof(struct user_regs, rip) == UREGS_RIP, "dispatch.asm");
_Static_assert(offsetof(struct user_regs, rsp) == UREGS_RSP, "dispatch.asm");
_Static_assert(offsetof(struct user_regs, rbx) == 8 && offsetof(struct user_regs, rbp) == 48 &&
	       offsetof(struct user_regs, r12) == 88 && offsetof(struct user_regs, r15) == 112,
	       "libos_thread_switch's offsets");
_Static_assert(DOMAIN_DISPATCHER_VA == 0x300000, "libos/arch/x86_64/sys_domain.inc has this value");

void libos_upcall_entry(void);
void libos_disp_resume(void) __attribute__((noreturn));
extern char libos_disp_resume_end[];
void libos_dispatch(struct dispatcher_shared *d) __attribute__((noreturn));

_Static_assert(sizeof(struct dispatcher_shared) <= DISP_LOCAL_OFF, "disp_local after it");
_Static_assert(offsetof(struct disp_local, fp_cur) == 8 &&
	       offsetof(struct disp_local, stack_top) == 16, "dispatch.asm's LOCAL_*");

#define UPCALL_STACK (16 * 1024)
static uint8_t upcall_stack[UPCALL_STACK] __attribute__((aligned(16)));

static struct dispatcher_shared *disp(void)
{
	return (struct dispatcher_shared *)DOMAIN_DISPATCHER_VA;
}

void libos_dispatch(struct dispatcher_shared *d)
{
	thread_preempted(&d->enabled_save);
}

bool libos_disp_disable(void)
{
	bool was = __atomic_load_n(&disp()->disabled, __ATOMIC_RELAXED) != 0;
	__atomic_store_n(&disp()->disabled, 1, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	return was;
}

void libos_disp_restore(bool was_disabled)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (!was_disabled)
		__atomic_store_n(&disp()->disabled, 0, __ATOMIC_RELAXED);
}

/* This core's dispatcher: its scheduler stack, its slot, the upcall entry. */
void libos_disp_setup(uint64_t stack_top, uint32_t slot)
{
	struct dispatcher_shared *d = disp();
	struct disp_local *l = disp_local();
	l->stack_top = stack_top;
	l->slot = slot;
	l->core = libos_core_id();
	d->upcall_stack = stack_top;
	d->crit_lo = (uint64_t)libos_disp_resume;
	d->crit_hi = (uint64_t)libos_disp_resume_end;
	__atomic_store_n(&d->run_entry, (uint64_t)libos_upcall_entry, __ATOMIC_RELEASE);
}

void libos_dispatch_init(const struct domain_start *info)
{
	libos_fp_xsave = info->fpu_xsave;
	libos_fp_size = info->fpu_size;
	thread_init();
	libos_disp_setup((uint64_t)(upcall_stack + UPCALL_STACK), 0);
}

uint64_t libos_upcalls(void)
{
	return __atomic_load_n(&disp()->upcalls, __ATOMIC_RELAXED);
}
