/*
 * syscall_asm.h: the x86-64 `syscall` instruction, for libos/syscall.c only.
 *
 * ABI (include/sys/syscall.h): rax = number, arguments in rdi, rsi, rdx,
 * r10, r8, r9, result in rax; the CPU overwrites rcx (return rip) and r11
 * (rflags), the kernel preserves every other register.  "memory" is
 * clobbered because the kernel may read buffers we wrote and (later) write
 * memory we read.
 */
#ifndef LIBOS_ARCH_SYSCALL_ASM_H
#define LIBOS_ARCH_SYSCALL_ASM_H

#include <stdint.h>

static inline int64_t arch_syscall6(uint64_t nr, uint64_t a0, uint64_t a1,
				    uint64_t a2, uint64_t a3, uint64_t a4,
				    uint64_t a5)
{
	register uint64_t r10 __asm__("r10") = a3;
	register uint64_t r8 __asm__("r8") = a4;
	register uint64_t r9 __asm__("r9") = a5;
	uint64_t ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10),
			   "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return (int64_t)ret;
}

/* Spin-loop hint. */
static inline void arch_pause(void)
{
	__asm__ volatile("pause" ::: "memory");
}

#endif
