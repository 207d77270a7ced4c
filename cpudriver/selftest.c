/*
 * selftest.c: kernel self-tests selected from the command line.
 *
 * pagefault / divide / invalid-opcode: provoke that exception in ring 0 at a
 * global label, printing the label's address first, so the test can check
 * the report's vector and RIP against both this line and the symbol table.
 * kstack-overflow: recurse without end on a guarded kernel stack; the
 * guard page turns the overflow into a #DF report (kernel/kstack.h).
 * pmm / paging: exercise the boot core's pool and page tables in place.
 */
#include <kernel/selftest.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/kstack.h>
#include <kernel/memlayout.h>
#include <kernel/platform.h>
#include <kernel/pmm.h>
#include <kernel/boot.h>
#include <arch/paging.h>
#include <arch/x86.h>
#include <lib/string.h>

extern char selftest_pf_rip[], selftest_de_rip[], selftest_ud_rip[];

static void provoke_pagefault(void)
{
	klog("selftest: page fault at rip=%#lx address=0xdead0000\n",
	     (unsigned long)selftest_pf_rip);
	__asm__ volatile(
		".globl selftest_pf_rip\n"
		"movabs $0xdead0000, %%rax\n"
		"selftest_pf_rip: movq (%%rax), %%rax\n" ::: "rax", "memory");
}

static void provoke_divide(void)
{
	klog("selftest: divide error at rip=%#lx\n", (unsigned long)selftest_de_rip);
	__asm__ volatile(
		".globl selftest_de_rip\n"
		"xorl %%ecx, %%ecx\n"
		"movl $1, %%eax\n"
		"xorl %%edx, %%edx\n"
		"selftest_de_rip: divl %%ecx\n" ::: "rax", "rcx", "rdx");
}

static void provoke_invalid_opcode(void)
{
	klog("selftest: invalid opcode at rip=%#lx\n", (unsigned long)selftest_ud_rip);
	__asm__ volatile(".globl selftest_ud_rip\nselftest_ud_rip: ud2\n");
}

/* Far deeper than any stack; the bound only keeps the compiler quiet. */
static volatile unsigned recursion_limit = 1u << 30;

static unsigned recurse(unsigned depth)
{
	volatile char pad[256];
	pad[0] = (char)depth;
	if (depth >= recursion_limit)
		return 0;
	return recurse(depth + 1) + (unsigned)pad[0]; /* not a tail call */
}

static void recurse_on_stack(void)
{
	recurse(0);
}

static void provoke_kstack_overflow(void)
{
	uint64_t top;
	klog("selftest: kernel stack overflow into its guard page\n");
	if (kstack_alloc(1, &top) == ERR_OK)
		kstack_call_on(top, recurse_on_stack);
	klog("selftest: no guarded stack\n");
}

static void check(const char *name, bool ok)
{
	kprintf("TEST kernel.%s %s\n", name, ok ? "PASS" : "FAIL");
}

/* Allocate every frame of the pool, check they are distinct and writable, free them all. */
static bool pmm_exhaust(struct pmm_pool *p)
{
	uint64_t before = p->free, n = 0, pa, prev = 0, xor_all = 0;
	bool ok = true;
	while (pmm_alloc(p, &pa) == ERR_OK) {
		uint64_t *v = phys_to_virt(pa);
		v[0] = pa;                 /* the frame holds its own address */
		v[PAGE_SIZE / 8 - 1] = prev;  /* and links to the previous one */
		prev = pa;
		xor_all ^= pa;
		n++;
	}
	ok &= (n == before) && p->free == 0;
	while (prev) {
		uint64_t *v = phys_to_virt(prev);
		ok &= v[0] == prev && pmm_owns(p, prev);
		xor_all ^= prev;
		uint64_t next = v[PAGE_SIZE / 8 - 1];
		ok &= pmm_free(p, prev, 1) == ERR_OK;
		prev = next;
	}
	ok &= xor_all == 0 && p->free == before;
	return ok;
}

static void test_pmm(void)
{
	struct pmm_pool *p = cpu_self()->pool;
	uint64_t pa, free_before = p->free;
	check("pmm_alloc_free", pmm_alloc(p, &pa) == ERR_OK && pmm_free(p, pa, 1) == ERR_OK &&
	      p->free == free_before);
	check("pmm_double_free_refused", pmm_alloc(p, &pa) == ERR_OK &&
	      pmm_free(p, pa, 1) == ERR_OK && pmm_free(p, pa, 1) == ERR_INVAL);
	check("pmm_foreign_frame_refused", pmm_free(p, p->base - PAGE_SIZE, 1) == ERR_RANGE);
	check("pmm_exhaust_and_return", pmm_exhaust(p));
}

static void test_paging(void)
{
	struct cpu *c = cpu_self();
	uint64_t pa, va = 0x40000000ull; /* user half, unused by the kernel */
	bool ok = pmm_alloc(c->pool, &pa) == ERR_OK;
	ok = ok && vm_map(c->pml4_phys, va, pa, PTE_W | PTE_NX, c->pool) == ERR_OK;
	volatile uint64_t *through_va = (uint64_t *)va;
	*through_va = 0x1234567890abcdefull;
	ok = ok && *(uint64_t *)phys_to_virt(pa) == 0x1234567890abcdefull;
	check("paging_map_write_read", ok);
	check("paging_double_map_refused",
	      vm_map(c->pml4_phys, va, pa, PTE_W, c->pool) == ERR_EXIST);
	uint64_t got = 0;
	check("paging_unmap", vm_unmap(c->pml4_phys, va, &got) == ERR_OK && got == pa &&
	      vm_lookup(c->pml4_phys, va) == 0);
	check("paging_text_not_writable",
	      !(vm_lookup(c->pml4_phys, (uint64_t)&test_paging) & PTE_W));
	check("paging_data_not_executable",
	      (vm_lookup(c->pml4_phys, (uint64_t)&boot_options) & PTE_NX) != 0);
	pmm_free(c->pool, pa, 1);
}

bool selftest_run(const char *name)
{
	if (strcmp(name, "pagefault") == 0)
		provoke_pagefault();
	else if (strcmp(name, "divide") == 0)
		provoke_divide();
	else if (strcmp(name, "invalid-opcode") == 0)
		provoke_invalid_opcode();
	else if (strcmp(name, "kstack-overflow") == 0)
		provoke_kstack_overflow();
	else if (strcmp(name, "memory") == 0) {
		test_pmm();
		test_paging();
	} else
		return false;
	return true;
}
