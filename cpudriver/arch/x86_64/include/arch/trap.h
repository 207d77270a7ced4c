/*
 * arch/trap.h: the trap frame and vector numbers.
 *
 * traps.asm pushes a struct trap_frame for every vector and calls
 * trap_dispatch(frame) on the core that took the trap; handlers run with
 * interrupts off and may change the frame (to switch domains).
 */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <stdint.h>

#define TRAP_DE   0   /* divide error */
#define TRAP_DB   1
#define TRAP_NMI  2
#define TRAP_BP   3
#define TRAP_OF   4
#define TRAP_BR   5
#define TRAP_UD   6   /* invalid opcode */
#define TRAP_NM   7
#define TRAP_DF   8   /* double fault */
#define TRAP_TS   10
#define TRAP_NP   11
#define TRAP_SS   12
#define TRAP_GP   13  /* general protection */
#define TRAP_PF   14  /* page fault */
#define TRAP_MF   16
#define TRAP_AC   17
#define TRAP_MC   18
#define TRAP_XM   19
#define TRAP_VE   20
#define TRAP_CP   21

#define TRAP_IRQ_BASE    32
#define VEC_TIMER        32
#define VEC_NOTIFY       33  /* URPC notification IPI */
#define VEC_STOP         34  /* "stop this core" IPI (tests, liveness) */
#define VEC_IPC          35  /* kernel IPC: look at your inbox */
#define VEC_TRACE        36  /* print your trace rings */
#define VEC_UART         37  /* console input (I/O APIC, to the input's owner) */
#define VEC_SPURIOUS     255

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap frame layout");

extern const uint64_t trap_stub_table[256];

void trap_dispatch(struct trap_frame *f);
const char *trap_name(uint64_t vector);

typedef void (*irq_handler_t)(struct trap_frame *f);
/* Install a handler for vector >= 32 on the calling core. */
void trap_set_irq_handler(unsigned vector, irq_handler_t h);

#endif
