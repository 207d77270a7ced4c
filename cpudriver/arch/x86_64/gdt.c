/*
 * gdt.c: the GDT, TSS and IDT of one core.  Each core builds its own in its
 * struct cpu; nothing here is shared.
 */
#include <arch/gdt.h>
#include <arch/x86.h>
#include <arch/trap.h>

#define SEG_KCODE 0x00209a0000000000ull /* L, P, DPL0, code */
#define SEG_KDATA 0x0000920000000000ull /* P, DPL0, data */
#define SEG_UDATA 0x0000f20000000000ull /* P, DPL3, data */
#define SEG_UCODE 0x0020fa0000000000ull /* L, P, DPL3, code */
#define GATE_INTR 0x8e                  /* P, DPL0, 64-bit interrupt gate */

static void tss_descriptor(uint64_t *slot, const struct tss *tss)
{
	uint64_t base = (uint64_t)tss;
	uint64_t limit = sizeof(*tss) - 1;
	slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		  (0x89ull << 40) /* P, available 64-bit TSS */ |
		  (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	slot[1] = base >> 32;
}

void gdt_load(struct cpu_tables *t, uint64_t kstack_top, uint64_t ist_top)
{
	t->gdt[0] = 0;
	t->gdt[1] = SEG_KCODE;
	t->gdt[2] = SEG_KDATA;
	t->gdt[3] = SEG_UDATA;
	t->gdt[4] = SEG_UCODE;
	__builtin_memset(&t->tss, 0, sizeof t->tss);
	t->tss.rsp[0] = kstack_top;
	t->tss.ist[IST_DOUBLE_FAULT - 1] = ist_top;
	t->tss.ist[IST_NMI - 1] = ist_top - 2048;
	t->tss.iomap_base = sizeof t->tss; /* no I/O bitmap: ring 3 gets no ports */
	tss_descriptor(&t->gdt[5], &t->tss);

	struct desc_ptr p = { sizeof t->gdt - 1, (uint64_t)t->gdt };
	lgdt(&p);
	__asm__ volatile(
		"pushq %[cs]\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %[ds], %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		: : [cs] "i"(KERNEL_CS), [ds] "i"(KERNEL_DS) : "rax", "memory");
	ltr(TSS_SEL);
}

void tss_set_kernel_stack(struct cpu_tables *t, uint64_t rsp0)
{
	t->tss.rsp[0] = rsp0;
}

void tss_set_ist(struct cpu_tables *t, unsigned ist, uint64_t top)
{
	t->tss.ist[ist - 1] = top;
}

static void set_gate(struct idt_gate *g, uint64_t handler, uint8_t ist, uint8_t dpl)
{
	g->offset_lo = handler & 0xffff;
	g->selector = KERNEL_CS;
	g->ist = ist;
	g->type_attr = GATE_INTR | (uint8_t)(dpl << 5);
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_hi = (uint32_t)(handler >> 32);
	g->zero = 0;
}

void idt_load(struct cpu_tables *t)
{
	for (int v = 0; v < 256; v++) {
		uint8_t ist = 0;
		if (v == TRAP_DF)
			ist = IST_DOUBLE_FAULT;
		else if (v == TRAP_NMI)
			ist = IST_NMI;
		set_gate(&t->idt[v], trap_stub_table[v], ist, 0);
	}
	struct desc_ptr p = { sizeof t->idt - 1, (uint64_t)t->idt };
	lidt(&p);
}
