/*
 * entry.h: the CPU driver's entry points, where assembly and C meet or one
 * file's trap path calls another's.
 *
 * Assembly calls the C functions here (boot.asm, trampoline.asm,
 * syscall.asm, traps.asm); C calls the assembly ones.  Each runs on the
 * calling core only, in the context named beside it.
 */
#ifndef KERNEL_ENTRY_H
#define KERNEL_ENTRY_H

#include <stdint.h>
#include <arch/trap.h>
#include <kernel/cpu.h>

/* boot.asm, on the boot core with paging on: the numbered boot (main.c). */
void cpu_boot_main(uint32_t magic, uint32_t info_pa);
/* trampoline.asm, on each AP with its own stack (ap.c). */
void ap_entry(struct cpu *c);

/* syscall.asm: every SYS_* of a domain (syscall.c). */
void syscall_dispatch(struct trap_frame *f);
/* syscall.c: the privileged SYS_* that only the core's monitor may make (monsyscall.c). */
int64_t monitor_syscall(struct trap_frame *f);

/* traps.asm, before returning to a preempted domain: its upcall (upcall.c). */
void upcall_after_preemption(struct trap_frame *f);
/* traps.asm, when the return to ring 3 names a kernel address (trap.c). */
void trap_bad_return(struct trap_frame *f);

/* syscall.asm: the SYSCALL instruction's target (cpu.c programs LSTAR). */
void syscall_entry(void);
/* syscall.asm: the first entry into a new domain (domain.c). */
void domain_enter(void);
/* syscall.asm: save the callee-saved state, switch stacks (sched.c). */
void context_switch(uint64_t *save_rsp, uint64_t new_rsp);

#endif
