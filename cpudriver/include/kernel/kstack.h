/*
 * kstack.h: kernel stacks with guard pages.
 *
 * Every kernel stack a core uses once it runs on its own page tables (its
 * scheduler stack, the #DF and NMI stacks of its TSS, each domain's kernel
 * stack) lives in one slot of a per-core region of the kernel half,
 * KSTACK_REGION, mapped with 4 KiB pages at the top of its slot; the rest of
 * the slot stays unmapped.  A stack that overflows therefore runs into an
 * unmapped page and page-faults instead of corrupting the frames below it;
 * the CPU then cannot push the #PF frame either and raises #DF, which runs
 * on its own IST stack and prints a report (arch/trap.h).
 *
 * The region's page tables are made when the core starts using its own page
 * tables, before any domain exists, so every domain address space (which
 * copies the kernel half's PML4 entries) sees every stack mapped later.
 * Only the owning core calls these; no locks.
 */
#ifndef KERNEL_KSTACK_H
#define KERNEL_KSTACK_H
#include <stdint.h>
#include <lib/err.h>

#define KSTACK_REGION     0xfffffe8000000000ull /* PML4 slot 509 */
#define KSTACK_SLOT_SIZE  (32ull << 10)        /* at most 28 KiB of stack + guard */
#define KSTACK_SLOTS      64                   /* one 2 MiB page table */

struct cpu;

/*
 * Make the calling core's region (its page tables must be c->pml4_phys),
 * move its #DF and NMI stacks into it.  ERR_NOMEM if the pool is empty.
 */
err_t kstack_init(struct cpu *c);

/* A stack of `pages` 4 KiB pages with a guard below; *top is its top. */
err_t kstack_alloc(unsigned pages, uint64_t *top);

/* Unmap and free a stack kstack_alloc returned. */
void kstack_free(uint64_t top);

/*
 * Switch to a fresh guarded stack of KSTACK_SIZE (it becomes the core's
 * kstack) and call fn there; never returns.
 */
void kstack_run(void (*fn)(void)) __attribute__((noreturn));
/* Continue on the stack ending at top by calling fn; never returns. */
void kstack_call_on(uint64_t top, void (*fn)(void)) __attribute__((noreturn));

#endif
