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

#define SIPI_DELAY_US 200
#define START_TIMEOUT_US 2000000ull

_Static_assert(offsetof(struct tramp_params, cr3) == TP_CR3, "trampoline.asm");
_Static_assert(offsetof(struct tramp_params, efer) == TP_EFER, "trampoline.asm");
_Static_assert(offsetof(struct tramp_params, stack_top) == TP_STACK, "trampoline.asm");
_Static_assert(offsetof(struct tramp_params, cpu) == TP_CPU, "trampoline.asm");
_Static_assert(offsetof(struct tramp_params, entry) == TP_ENTRY, "trampoline.asm");
_Static_assert(offsetof(struct tramp_params, started) == TP_STARTED, "trampoline.asm");

static struct tramp_params *params(void)
{
	return phys_to_virt(TRAMP_BASE + TRAMP_PARAMS_OFF);
}

err_t ap_trampoline_install(uint64_t transition_pml4, struct pmm_pool *pool)
{
	/* Two linker symbols bracketing one section (trampoline.asm). */
	// cppcheck-suppress comparePointers
	size_t len = (size_t)(trampoline_end - trampoline_start);
	if (len > TRAMP_PARAMS_OFF || transition_pml4 >= (1ull << 32))
		return ERR_TOOBIG;
	memcpy(phys_to_virt(TRAMP_BASE), trampoline_start, len);
	return vm_map(transition_pml4, TRAMP_BASE, TRAMP_BASE, PTE_P | PTE_W, pool);
}

void ap_trampoline_remove(uint64_t transition_pml4)
{
	uint64_t pa;
	if (vm_unmap(transition_pml4, TRAMP_BASE, &pa) == ERR_OK)
		invlpg(TRAMP_BASE);
}

static bool wait_started(volatile uint32_t *started, uint64_t us)
{
	uint64_t hz = tsc_hz_get();
	uint64_t end = rdtsc() + us * (hz / 1000000);
	while (!__atomic_load_n(started, __ATOMIC_ACQUIRE)) {
		if (rdtsc() > end)
			return false;
		cpu_relax();
	}
	return true;
}

bool ap_start(uint32_t apic_id, struct cpu *c, uint64_t stack_top,
	      ap_entry_fn entry, uint64_t init_delay_us)
{
	struct tramp_params *p = params();
	p->cr3 = (uint32_t)read_cr3();
	p->efer = EFER_LME | EFER_NXE;
	p->stack_top = stack_top;
	p->cpu = (uint64_t)c;
	p->entry = (uint64_t)entry;
	__atomic_store_n(&p->started, 0, __ATOMIC_RELEASE);

	uint32_t vector = TRAMP_BASE >> 12;
	if (!lapic_send_ipi(apic_id, ICR_DELIVERY_INIT | ICR_LEVEL_ASSERT))
		return false;
	udelay(init_delay_us);
	for (int i = 0; i < 2; i++) {
		if (!lapic_send_ipi(apic_id, ICR_DELIVERY_STARTUP | vector))
			return false;
		if (wait_started(&p->started, SIPI_DELAY_US))
			return true;
	}
	return wait_started(&p->started, START_TIMEOUT_US);
}
