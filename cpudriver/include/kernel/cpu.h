/*
 * cpu.h: the per-core state of one CPU driver.
 *
 * Each core owns exactly one struct cpu, allocated from its own memory pool
 * (the boot core's is static) and reachable only through that core's GS base.
 * No core ever reads or writes another core's struct cpu after boot; the boot
 * core fills in an AP's before starting it, then lets go.
 *
 * The first fields are read by assembly (syscall entry) at fixed offsets,
 * checked with _Static_assert in cpu.c.
 */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <stdint.h>
#include <stdbool.h>
#include <arch/gdt.h>
#include <arch/trap.h>
#include <kernel/console.h>
#include <kernel/sched.h>
#include <sys/limits.h>

#define KSTACK_SIZE (16 * 1024)
#define IST_STACK_SIZE (8 * 1024)

struct pmm_pool;
struct trace_core;

struct cpu {
	struct cpu *self;          /* %gs:0  */
	uint64_t syscall_rsp;      /* %gs:8  top of this core's kernel stack */
	uint64_t user_rsp;         /* %gs:16 scratch for syscall entry */
	unsigned id;               /* logical core number, 0 = boot core */
	uint32_t apic_id;
	struct cpu_tables tables;  /* GDT, TSS, IDT of this core */
	uint8_t *kstack;           /* KSTACK_SIZE bytes, guarded once kstack_run ran */
	uint64_t kstack_slots;     /* kernel/kstack.h: slots in use */
	uint8_t *ist_stack;        /* for double fault and NMI */
	struct pmm_pool *pool;     /* this core's frames */
	uint64_t pml4_phys;        /* this core's kernel page tables */
	uint64_t tsc_hz;
	uint64_t lapic_timer_hz;    /* this core's LAPIC timer, ticks/s */
	bool panicking;
	void (*tick_hook)(struct trap_frame *f);
	irq_handler_t irq_handlers[256 - TRAP_IRQ_BASE];
	struct sched sched;        /* this core's domains */
	struct console_ring console; /* this core's pending output (console.h) */
	struct trace_core *trace;  /* this core's tracing state, or NULL */
};

/* The calling core's state (valid after cpu_install on this core). */
static inline struct cpu *cpu_self(void)
{
	struct cpu *c;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(c));
	return c;
}

/* Logical number of the calling core. */
unsigned cpu_id(void);
/* Whether the calling core has its struct cpu (false only early on core 0). */
bool cpu_id_ready(void);

/*
 * Make `c` the calling core's state: GS base, GDT, TSS, IDT, the syscall
 * MSRs, and SMEP/SMAP/UMIP where the CPU offers them.
 */
void cpu_install(struct cpu *c);
/* "SMEP on, SMAP on, UMIP off": what this core enforces. */
void cpu_protection_describe(char *buf, unsigned long len);

#endif
