/* apstart.c: INIT-SIPI-SIPI and the trampoline (see arch/apstart.h). */
#include <arch/apstart.h>
#include <arch/lapic.h>
#include <arch/paging.h>
#include <arch/trampoline.h>
#include <arch/x86.h>
#include <kernel/memlayout.h>
#include <kernel/pmm.h>
#include <lib/string.h>
#include <stddef.h>

_Static_assert(offsetof(struct tramp_shared, cr3) == TP_CR3, "trampoline.asm");
_Static_assert(offsetof(struct tramp_shared, efer) == TP_EFER, "trampoline.asm");
_Static_assert(offsetof(struct tramp_shared, entry) == TP_ENTRY, "trampoline.asm");
_Static_assert(offsetof(struct tramp_ap, stack_top) == TA_STACK, "trampoline.asm");
_Static_assert(offsetof(struct tramp_ap, cpu) == TA_CPU, "trampoline.asm");
_Static_assert(sizeof(struct tramp_ap) == TA_SIZE, "trampoline.asm");
_Static_assert(TRAMP_SHARED_OFF + sizeof(struct tramp_shared) <= TRAMP_STARTED_OFF,
	       "shared block overlaps the started flags");
_Static_assert(TRAMP_STARTED_OFF + TRAMP_APIC_MAX <= TRAMP_TABLE_OFF,
	       "started flags overlap the table");
_Static_assert(TRAMP_TABLE_OFF + TRAMP_APIC_MAX * TA_SIZE <= TRAMP_PAGES * PAGE_SIZE,
	       "the table does not fit the trampoline pages");

static struct tramp_shared *shared(void)
{
	return phys_to_virt(TRAMP_BASE + TRAMP_SHARED_OFF);
}

static volatile uint8_t *started(void)
{
	return phys_to_virt(TRAMP_BASE + TRAMP_STARTED_OFF);
}

static struct tramp_ap *table(void)
{
	return phys_to_virt(TRAMP_BASE + TRAMP_TABLE_OFF);
}

err_t ap_trampoline_install(uint64_t transition_pml4, struct pmm_pool *pool,
			    ap_entry_fn entry)
{
	/* Two linker symbols bracketing one section (trampoline.asm). */
	// cppcheck-suppress comparePointers
	size_t len = (size_t)(trampoline_end - trampoline_start);
	if (len > TRAMP_SHARED_OFF || transition_pml4 >= (1ull << 32))
		return ERR_TOOBIG;
	memset(phys_to_virt(TRAMP_BASE), 0, TRAMP_PAGES * PAGE_SIZE);
	memcpy(phys_to_virt(TRAMP_BASE), trampoline_start, len);
	shared()->cr3 = (uint32_t)transition_pml4;
	shared()->efer = EFER_LME | EFER_NXE;
	shared()->entry = (uint64_t)entry;
	for (uint64_t i = 0; i < TRAMP_PAGES; i++) {
		uint64_t va = TRAMP_BASE + i * PAGE_SIZE;
		err_t e = vm_map(transition_pml4, va, va, PTE_P | PTE_W, pool);
		if (e)
			return e;
	}
	return ERR_OK;
}

err_t ap_trampoline_reuse(uint64_t transition_pml4, struct pmm_pool *pool,
			  ap_entry_fn entry)
{
	if (transition_pml4 >= (1ull << 32))
		return ERR_TOOBIG;
	for (uint64_t i = 0; i < TRAMP_PAGES; i++) {
		uint64_t va = TRAMP_BASE + i * PAGE_SIZE;
		if (vm_lookup(transition_pml4, va) & PTE_P)
			continue;
		err_t e = vm_map(transition_pml4, va, va, PTE_P | PTE_W, pool);
		if (e)
			return e;
	}
	shared()->cr3 = (uint32_t)transition_pml4;
	shared()->entry = (uint64_t)entry;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	return ERR_OK;
}

void ap_trampoline_remove(uint64_t transition_pml4)
{
	for (uint64_t i = 0; i < TRAMP_PAGES; i++) {
		uint64_t pa, va = TRAMP_BASE + i * PAGE_SIZE;
		if (vm_unmap(transition_pml4, va, &pa) == ERR_OK)
			invlpg(va);
	}
}

err_t ap_slot_set(uint32_t apic_id, struct cpu *c, uint64_t stack_top)
{
	if (apic_id >= TRAMP_APIC_MAX)
		return ERR_RANGE;
	table()[apic_id].stack_top = stack_top;
	table()[apic_id].cpu = (uint64_t)c;
	__atomic_store_n(&started()[apic_id], 0, __ATOMIC_RELEASE);
	return ERR_OK;
}

bool ap_send_init(uint32_t apic_id)
{
	return lapic_send_ipi(apic_id, ICR_DELIVERY_INIT | ICR_LEVEL_ASSERT);
}

bool ap_send_sipi(uint32_t apic_id)
{
	return lapic_send_ipi(apic_id, ICR_DELIVERY_STARTUP | (TRAMP_BASE >> 12));
}

bool ap_started(uint32_t apic_id)
{
	return apic_id < TRAMP_APIC_MAX &&
	       __atomic_load_n(&started()[apic_id], __ATOMIC_ACQUIRE) != 0;
}

/* The BIOS warm-reset vector (arch/apstart.h). */
#define CMOS_INDEX           0x70
#define CMOS_DATA            0x71
#define CMOS_SHUTDOWN_STATUS 0x0f   /* bit 7 of the index clear: NMIs stay enabled */
#define SHUTDOWN_JUMP_467    0x0a   /* "jump via 40:67", no EOI, no stack */
#define BDA_RESET_VECTOR     0x467  /* offset, then segment */

static void cmos_write(uint8_t index, uint8_t v)
{
	outb(CMOS_INDEX, index);
	outb(CMOS_DATA, v);
}

void ap_warm_reset_arm(void)
{
	volatile uint16_t *vec = phys_to_virt(BDA_RESET_VECTOR);
	vec[0] = 0;                          /* TRAMP_BASE:0 as segment:offset */
	vec[1] = (uint16_t)(TRAMP_BASE >> 4);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	cmos_write(CMOS_SHUTDOWN_STATUS, SHUTDOWN_JUMP_467);
}

void ap_warm_reset_disarm(void)
{
	cmos_write(CMOS_SHUTDOWN_STATUS, 0);
}
