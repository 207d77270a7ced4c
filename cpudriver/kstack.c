/* kstack.c: kernel stacks with guard pages (see kernel/kstack.h). */
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/domain.h>
#include <kernel/kstack.h>
#include <kernel/memlayout.h>
#include <kernel/panic.h>
#include <kernel/pmm.h>
#include <arch/gdt.h>
#include <arch/paging.h>

_Static_assert(KSTACK_SLOTS * KSTACK_SLOT_SIZE <= (2ull << 20),
	       "the region is one page table: made once, shared by every address space");
_Static_assert(KSTACK_SLOTS <= 64, "slot bitmap is one word");
_Static_assert(KSTACK_SLOTS >= SCHED_MAX_DOMAINS + 3, "every domain, the scheduler, #DF, NMI");
_Static_assert(DOMAIN_KSTACK_SIZE < KSTACK_SLOT_SIZE && KSTACK_SIZE < KSTACK_SLOT_SIZE &&
	       IST_STACK_SIZE < KSTACK_SLOT_SIZE, "a guard page below every stack");

static uint64_t slot_base(unsigned i)
{
	return KSTACK_REGION + i * KSTACK_SLOT_SIZE;
}

err_t kstack_init(struct cpu *c)
{
	/* Map and unmap one page: the walk leaves the region's tables behind. */
	err_t e = vm_map(c->pml4_phys, slot_base(0), c->pml4_phys, PTE_W | PTE_NX, c->pool);
	if (e)
		return e;
	vm_unmap(c->pml4_phys, slot_base(0), 0);
	uint64_t df_top, nmi_top;
	e = kstack_alloc(IST_STACK_SIZE / PAGE_SIZE, &df_top);
	if (!e)
		e = kstack_alloc(IST_STACK_SIZE / PAGE_SIZE, &nmi_top);
	if (e)
		return e;
	tss_set_ist(&c->tables, IST_DOUBLE_FAULT, df_top);
	tss_set_ist(&c->tables, IST_NMI, nmi_top);
	return ERR_OK;
}

/* Unmaps and frees the pages mapped below top, down to the first hole. */
static void unmap_stack(struct cpu *c, uint64_t top, uint64_t bottom)
{
	for (uint64_t va = top - PAGE_SIZE; va >= bottom; va -= PAGE_SIZE) {
		uint64_t pa;
		if (vm_unmap(c->pml4_phys, va, &pa))
			break; /* the guard: the stack ends here */
		pmm_free(c->pool, pa, 1);
	}
}

static err_t map_stack(struct cpu *c, uint64_t top, unsigned pages)
{
	for (unsigned i = 0; i < pages; i++) {
		uint64_t pa, va = top - (uint64_t)(i + 1) * PAGE_SIZE;
		err_t e = pmm_alloc(c->pool, &pa);
		if (!e && (e = vm_map(c->pml4_phys, va, pa, PTE_W | PTE_NX, c->pool)))
			pmm_free(c->pool, pa, 1);
		if (e) {
			unmap_stack(c, top, top - KSTACK_SLOT_SIZE);
			return ERR_NOMEM;
		}
	}
	return ERR_OK;
}

err_t kstack_alloc(unsigned pages, uint64_t *top)
{
	struct cpu *c = cpu_self();
	assert(pages >= 1 && pages < KSTACK_SLOT_SIZE / PAGE_SIZE);
	for (unsigned i = 0; i < KSTACK_SLOTS; i++) {
		if (c->kstack_slots & (1ull << i))
			continue;
		uint64_t t = slot_base(i) + KSTACK_SLOT_SIZE;
		err_t e = map_stack(c, t, pages);
		if (e)
			return e;
		c->kstack_slots |= 1ull << i;
		*top = t;
		return ERR_OK;
	}
	return ERR_NOMEM;
}

void kstack_free(uint64_t top)
{
	struct cpu *c = cpu_self();
	uint64_t i = (top - KSTACK_REGION) / KSTACK_SLOT_SIZE - 1;
	assert(top > KSTACK_REGION && (top - KSTACK_REGION) % KSTACK_SLOT_SIZE == 0);
	assert(i < KSTACK_SLOTS && (c->kstack_slots & (1ull << i)));
	unmap_stack(c, top, slot_base((unsigned)i));
	c->kstack_slots &= ~(1ull << i);
}

void kstack_run(void (*fn)(void))
{
	uint64_t top;
	if (kstack_alloc(KSTACK_SIZE / PAGE_SIZE, &top))
		panic("no memory for this core's guarded kernel stack");
	cpu_self()->kstack = (uint8_t *)(top - KSTACK_SIZE);
	kstack_call_on(top, fn);
}
