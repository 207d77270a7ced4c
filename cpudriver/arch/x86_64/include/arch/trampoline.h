/*
 * arch/trampoline.h: the real-mode trampoline that brings APs to long mode.
 *
 * Three pages at TRAMP_BASE (below 1 MiB, page aligned: the SIPI vector is
 * TRAMP_BASE >> 12), written by the boot core only while no AP runs the
 * trampoline for the entries it changes:
 *
 *   TRAMP_BASE + 0        the code (trampoline.asm), one page
 *   TRAMP_BASE + 0x1000   struct tramp_shared: page tables, EFER bits, entry
 *   TRAMP_BASE + 0x1100   started[256]: byte a written 1 by the AP of APIC id
 *                         a once it has read its entry (the boot core clears
 *                         it before the SIPI)
 *   TRAMP_BASE + 0x2000   struct tramp_ap[256], indexed by initial APIC id:
 *                         that AP's stack and struct cpu *
 *
 * Nothing is written to the code page while APs run it: under an emulator
 * (QEMU's TCG) a store to a page holding translated code throws away the
 * translations of every core running it.
 *
 * So any number of APs may run the trampoline at once, each on its own
 * stack.  An AP enters `entry(cpu)` on `stack_top` with the page tables in
 * `cr3`, which must map the three pages identity (its own tables do not).  APIC
 * ids above 255 have no entry (CPUID leaf 1 gives 8 bits).
 * Offsets are shared with trampoline.asm (TP_*, TA_* there), checked in
 * apstart.c.
 */
#ifndef ARCH_TRAMPOLINE_H
#define ARCH_TRAMPOLINE_H

#define TRAMP_BASE        0x8000
#define TRAMP_PAGES       3
#define TRAMP_SHARED_OFF  0x1000
#define TRAMP_STARTED_OFF 0x1100
#define TRAMP_TABLE_OFF   0x2000
#define TRAMP_APIC_MAX    256
#define TP_CR3     0
#define TP_EFER    4
#define TP_ENTRY   8
#define TA_STACK   0
#define TA_CPU     8
#define TA_SIZE    16

#ifndef __ASSEMBLER__
#include <stdint.h>

struct tramp_shared {
	uint32_t cr3;          /* physical, below 4 GiB */
	uint32_t efer;         /* EFER bits to set (LME, NXE) */
	uint64_t entry;        /* void entry(struct cpu *) */
};

struct tramp_ap {
	uint64_t stack_top;
	uint64_t cpu;          /* struct cpu * of the AP */
};

extern char trampoline_start[], trampoline_end[];
#endif

#endif
