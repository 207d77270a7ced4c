/*
 * memlayout.h: the CPU driver's virtual address space, identical on every
 * core (each core has its own page tables built to this plan).
 *
 *   0x0000000000000000 - 0x00007fffffffffff  user space of the running domain
 *   0xffff800000000000 - +PHYS_MAP_SIZE      direct map of physical memory (RW, NX)
 *   0xffffffff80000000 - +1 GiB              kernel image (linked at +1 MiB)
 *
 * Kernel code converts between physical and direct-map addresses only with
 * phys_to_virt()/virt_to_phys(); the kernel image's own symbols convert with
 * kimg_to_phys().  Used from assembly too, so only plain #defines here.
 */
#ifndef KERNEL_MEMLAYOUT_H
#define KERNEL_MEMLAYOUT_H

#define KERNEL_VBASE   0xffffffff80000000
#define PHYS_MAP_BASE  0xffff800000000000
#define PHYS_MAP_SIZE  0x0000004000000000 /* 256 GiB */
#define USER_TOP       0x0000800000000000
#define KERNEL_PHYS_LOAD 0x100000

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(pa + PHYS_MAP_BASE);
}

static inline uint64_t virt_to_phys(const void *va)
{
	return (uint64_t)va - PHYS_MAP_BASE;
}

static inline uint64_t kimg_to_phys(const void *va)
{
	return (uint64_t)va - KERNEL_VBASE;
}
#endif

#endif
