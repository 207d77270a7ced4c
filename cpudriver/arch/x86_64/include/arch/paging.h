/*
 * arch/paging.h: x86-64 four-level page tables.
 *
 * A core's kernel address space (memlayout.h) is built by
 * vm_build_kernel_space from that core's own pool; domain address spaces
 * copy its upper half.  Page-table frames are always reached through the
 * direct map.  Only the core that owns a set of tables edits them (the boot
 * core builds an AP's before starting it, then never touches them again).
 */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <stdint.h>
#include <stdbool.h>
#include <lib/err.h>

struct pmm_pool;

#define PTE_P    (1ull << 0)
#define PTE_W    (1ull << 1)
#define PTE_U    (1ull << 2)
#define PTE_PWT  (1ull << 3)
#define PTE_PCD  (1ull << 4)
#define PTE_PS   (1ull << 7)
#define PTE_G    (1ull << 8)
#define PTE_NX   (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

#define PML4_INDEX(va) (((va) >> 39) & 511)
#define PDPT_INDEX(va) (((va) >> 30) & 511)
#define PD_INDEX(va)   (((va) >> 21) & 511)
#define PT_INDEX(va)   (((va) >> 12) & 511)

/* Highest physical address the direct map covers on this machine. */
extern uint64_t vm_phys_top;

/*
 * Build a kernel address space: direct map of [0, phys_top) in 2 MiB pages
 * (RW, NX; the 3-4 GiB MMIO hole uncached) and the kernel image in 4 KiB
 * pages (text RX, rodata R, data RW).  Frames come from `pool`.
 */
err_t vm_build_kernel_space(struct pmm_pool *pool, uint64_t phys_top, uint64_t *pml4_out);
/*
 * Map one 4 KiB page; ERR_EXIST if va is already mapped; ERR_RANGE for a
 * user mapping (PTE_U) below DOMAIN_VA_MIN or above user space.
 */
err_t vm_map(uint64_t pml4, uint64_t va, uint64_t pa, uint64_t flags, struct pmm_pool *pool);
/* Unmap one 4 KiB page and return its frame; ERR_NOENT if not mapped. */
err_t vm_unmap(uint64_t pml4, uint64_t va, uint64_t *pa_out);
/*
 * Set the W and NX bits of va's 4 KiB entry to those of `flags` (the rest
 * unchanged) and drop the translation; ERR_NOENT if not mapped.
 */
err_t vm_protect(uint64_t pml4, uint64_t va, uint64_t flags);
/* The leaf entry for va (4 KiB or large), or 0 if unmapped. */
uint64_t vm_lookup(uint64_t pml4, uint64_t va);
/*
 * Calls fn(arg, va, pte) for every present 4 KiB entry of the lower
 * (user) half of pml4's tables, in address order; large pages are
 * skipped (user space has none).  Returns the sum of fn's results.  fn
 * must not edit the tables it is walking.  Only the owning core may walk.
 */
typedef uint64_t (*vm_walk_fn)(void *arg, uint64_t va, uint64_t pte);
uint64_t vm_walk_user(uint64_t pml4, vm_walk_fn fn, void *arg);

#endif
