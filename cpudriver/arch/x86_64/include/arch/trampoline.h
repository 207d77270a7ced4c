/*
 * arch/trampoline.h: the real-mode trampoline that brings an AP to long mode.
 *
 * The boot core copies the trampoline code to TRAMP_BASE (below 1 MiB, page
 * aligned: the SIPI vector is TRAMP_BASE >> 12), fills the parameter block
 * for one AP, sends INIT-SIPI-SIPI and waits until the AP sets `started`
 * (after which the block may be reused for the next AP).  The AP enters
 * `entry(cpu)` on `stack_top` with the page tables in `cr3`, which must map
 * TRAMP_BASE identity (the AP removes that mapping itself).
 * Offsets are shared with trampoline.asm (TP_* below) and checked in smp.c.
 */
#ifndef ARCH_TRAMPOLINE_H
#define ARCH_TRAMPOLINE_H

#define TRAMP_BASE        0x8000
#define TRAMP_PARAMS_OFF  0xf00
#define TP_CR3     0
#define TP_EFER    4
#define TP_STACK   8
#define TP_CPU     16
#define TP_ENTRY   24
#define TP_STARTED 32

#ifndef __ASSEMBLER__
#include <stdint.h>

struct tramp_params {
	uint32_t cr3;          /* boot core writes; physical, below 4 GiB */
	uint32_t efer;         /* boot core writes: EFER bits to set (LME, NXE) */
	uint64_t stack_top;    /* boot core writes */
	uint64_t cpu;          /* boot core writes: struct cpu * of the AP */
	uint64_t entry;        /* boot core writes: void entry(struct cpu *) */
	volatile uint32_t started; /* AP writes 1 once it has read the block */
};

extern char trampoline_start[], trampoline_end[];
#endif

#endif
