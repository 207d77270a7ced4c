/*
 * arch/gdt.h: descriptor tables of one core (GDT with TSS, and IDT).
 *
 * Selector layout is fixed by syscall/sysret: STAR[47:32] = KERNEL_CS,
 * STAR[63:48] = USER_DS - 8 | 3, so sysret loads CS = USER_CS, SS = USER_DS.
 */
#ifndef ARCH_GDT_H
#define ARCH_GDT_H

#include <stdint.h>

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_DS   0x1b /* 0x18 | RPL 3 */
#define USER_CS   0x23 /* 0x20 | RPL 3 */
#define TSS_SEL   0x28

#define IST_DOUBLE_FAULT 1
#define IST_NMI          2

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS is 104 bytes");

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t zero;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate is 16 bytes");

struct cpu_tables {
	uint64_t gdt[7]; /* null, kcode, kdata, udata, ucode, tss(2) */
	struct tss tss;
	struct idt_gate idt[256] __attribute__((aligned(16)));
};

/* Build and load this core's GDT, TSS (with IST stack tops) and IDT. */
void gdt_load(struct cpu_tables *t, uint64_t kstack_top, uint64_t ist_top);
void idt_load(struct cpu_tables *t);
/* Stack used when a trap arrives from ring 3. */
void tss_set_kernel_stack(struct cpu_tables *t, uint64_t rsp0);
/* Stack top for IST entry ist (IST_DOUBLE_FAULT, IST_NMI). */
void tss_set_ist(struct cpu_tables *t, unsigned ist, uint64_t top);

#endif
