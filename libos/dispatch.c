/*
 * dispatch.c: the domain's dispatcher (include/sys/domain.h).
 *
 * libos_dispatch_init() registers the upcall entry, an upcall stack of its
 * own and the critical range of the resume code in the dispatcher page.
 * From then on the CPU driver upcalls libos_dispatch() whenever it runs the
 * domain again after a preemption.  Today a domain has one thread, so the
 * dispatcher resumes it; this is the place where user-level threads pick
 * the next thread to run.
 */
#include <libos/libos.h>
#include <sys/domain.h>
#include <stddef.h>

_Static_assert(offsetof(struct dispatcher_shared, enabled_save) == DISP_SAVE, "dispatch.asm");
_Static_assert(offsetof(struct user_regs, rflags) == UREGS_RFLAGS, "dispatch.asm");
_Static_assert(DOMAIN_DISPATCHER_VA == 0x300000, "libos/arch/x86_64/sys_domain.inc has this value");

void libos_upcall_entry(void);
void libos_disp_resume(void) __attribute__((noreturn));
extern char libos_disp_resume_end[];
void libos_dispatch(struct dispatcher_shared *d) __attribute__((noreturn));
void libos_dispatch_init(void);

#define UPCALL_STACK (16 * 1024)
static uint8_t upcall_stack[UPCALL_STACK] __attribute__((aligned(16)));

void libos_dispatch(struct dispatcher_shared *d)
{
	(void)d; /* one thread: resume it where it was preempted */
	libos_disp_resume();
}

void libos_dispatch_init(void)
{
	struct dispatcher_shared *d = (struct dispatcher_shared *)DOMAIN_DISPATCHER_VA;
	d->upcall_stack = (uint64_t)(upcall_stack + UPCALL_STACK);
	d->crit_lo = (uint64_t)libos_disp_resume;
	d->crit_hi = (uint64_t)libos_disp_resume_end;
	__atomic_store_n(&d->run_entry, (uint64_t)libos_upcall_entry, __ATOMIC_RELEASE);
}

uint64_t libos_upcalls(void)
{
	return __atomic_load_n(&((struct dispatcher_shared *)DOMAIN_DISPATCHER_VA)->upcalls,
			       __ATOMIC_RELAXED);
}
