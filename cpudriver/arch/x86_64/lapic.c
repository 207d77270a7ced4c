/*
 * lapic.c: the calling core's local APIC (arch/lapic.h) and TSC timing.
 *
 * The TSC rate is measured once, by the boot core, against the PIT (QEMU's
 * TCG has no CPUID leaf 0x15 and no invariant-TSC flag); the result is a
 * boot-time fact every core reads.  Each core measures its own LAPIC timer
 * against that TSC.
 */
#include <arch/lapic.h>
#include <arch/x86.h>
#include <kernel/memlayout.h>

#define LAPIC_PHYS_DEFAULT 0xfee00000ull
#define PIT_CH2_DATA 0x42
#define PIT_COMMAND  0x43
#define PIT_GATE     0x61
#define PIT_HZ       1193182ull

static uint64_t tsc_hz; /* written once by the boot core before APs start */

/*
 * The LAPIC's registers in the direct map.  Every core's LAPIC sits at the
 * same physical address; the boot core reads it from MSR_APIC_BASE in its
 * first lapic_enable(), before any AP starts, so it is a boot-time fact and
 * the interrupt path (EOI) does not pay an rdmsr on every access.
 */
static uint8_t *lapic_mmio;

static volatile uint32_t *lapic_reg(uint32_t reg)
{
	return (volatile uint32_t *)(lapic_mmio + reg);
}

static uint32_t lapic_read(uint32_t reg)
{
	return *lapic_reg(reg);
}

static void lapic_write(uint32_t reg, uint32_t v)
{
	*lapic_reg(reg) = v;
	(void)lapic_read(LAPIC_ID); /* make sure the write has landed */
}

void lapic_enable(void)
{
	if (!lapic_mmio) { /* the boot core, before any AP runs */
		uint64_t base = rdmsr(MSR_APIC_BASE) & 0xfffff000ull;
		lapic_mmio = phys_to_virt(base ? base : LAPIC_PHYS_DEFAULT);
	}
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1u << 11));
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | 0xff);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	lapic_eoi();
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
	*lapic_reg(LAPIC_EOI) = 0;
}

bool lapic_send_ipi(uint32_t apic_id, uint32_t icr_low)
{
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, icr_low);
	for (int i = 0; i < 1000000; i++) {
		if (!(lapic_read(LAPIC_ICR_LO) & ICR_PENDING))
			return true;
		cpu_relax();
	}
	return false;
}

void tsc_set_hz(uint64_t hz)
{
	tsc_hz = hz;
}

uint64_t tsc_hz_get(void)
{
	return tsc_hz;
}

void udelay(uint64_t us)
{
	uint64_t end = rdtsc() + us * (tsc_hz / 1000000);
	while (rdtsc() < end)
		cpu_relax();
}

/* Count PIT ticks with channel 2 (gate on port 0x61, no interrupt needed). */
uint64_t tsc_calibrate_pit(void)
{
	const uint64_t pit_ticks = PIT_HZ / 50; /* 20 ms */
	uint8_t gate = inb(PIT_GATE);
	outb(PIT_GATE, (uint8_t)((gate & ~0x02) | 0x01)); /* gate on, speaker off */
	outb(PIT_COMMAND, 0xb0);                          /* ch2, lo/hi, mode 0 */
	outb(PIT_CH2_DATA, pit_ticks & 0xff);
	outb(PIT_CH2_DATA, (uint8_t)(pit_ticks >> 8));
	gate = inb(PIT_GATE);
	outb(PIT_GATE, gate & ~0x01);                     /* restart the count */
	outb(PIT_GATE, gate | 0x01);
	uint64_t start = rdtsc();
	for (uint64_t i = 0; i < 100000000ull && !(inb(PIT_GATE) & 0x20); i++)
		;
	uint64_t elapsed = rdtsc() - start;
	return elapsed * 50;
}

uint64_t lapic_timer_hz(uint64_t hz_tsc)
{
	lapic_write(LAPIC_TIMER_DIV, LAPIC_TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffffu);
	uint64_t start = rdtsc(), span = hz_tsc / 100; /* 10 ms */
	while (rdtsc() - start < span)
		cpu_relax();
	uint32_t left = lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	return (uint64_t)(0xffffffffu - left) * 100;
}

void lapic_timer_oneshot(uint64_t timer_hz, unsigned hz, uint64_t periods, unsigned vector)
{
	uint64_t count = timer_hz / hz * periods;
	if (count == 0)
		count = 1;
	if (count > 0xffffffffu)
		count = 0xffffffffu;
	lapic_write(LAPIC_TIMER_DIV, LAPIC_TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, vector);
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)count);
}

void lapic_timer_start(uint64_t timer_hz, unsigned hz, unsigned vector)
{
	uint64_t count = timer_hz / hz;
	if (count == 0)
		count = 1;
	if (count > 0xffffffffu)
		count = 0xffffffffu;
	lapic_write(LAPIC_TIMER_DIV, LAPIC_TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_PERIODIC | vector);
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)count);
}
