/*
 * ioapic.c: the I/O APICs (arch/ioapic.h).  Up to ACPI_MAX_IOAPICS of them,
 * reached through the kernel's direct map of physical memory.
 */
#include <arch/ioapic.h>
#include <arch/x86.h>
#include <kernel/memlayout.h>
#include <topology/acpi.h>

static struct {
	volatile uint32_t *mmio;
	uint32_t gsi_base, lines;
} ioapics[ACPI_MAX_IOAPICS];
static unsigned nioapics;

static uint32_t reg_read(volatile uint32_t *m, uint32_t reg)
{
	m[IOAPIC_REGSEL / 4] = reg;
	return m[IOAPIC_WINDOW / 4];
}

static void reg_write(volatile uint32_t *m, uint32_t reg, uint32_t v)
{
	m[IOAPIC_REGSEL / 4] = reg;
	m[IOAPIC_WINDOW / 4] = v;
}

unsigned ioapic_init(const struct acpi_info *acpi)
{
	unsigned total = 0;
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	for (unsigned i = 0; i < acpi->nioapics && i < ACPI_MAX_IOAPICS; i++) {
		volatile uint32_t *m = phys_to_virt(acpi->ioapics[i].addr);
		uint32_t lines = ((reg_read(m, IOAPIC_REG_VER) >> 16) & 0xff) + 1;
		ioapics[nioapics].mmio = m;
		ioapics[nioapics].gsi_base = acpi->ioapics[i].gsi_base;
		ioapics[nioapics].lines = lines;
		nioapics++;
		for (uint32_t l = 0; l < lines; l++) {
			reg_write(m, IOAPIC_REG_RED + 2 * l, IOAPIC_RED_MASKED);
			reg_write(m, IOAPIC_REG_RED + 2 * l + 1, 0);
		}
		total += lines;
	}
	return total;
}

/* The I/O APIC serving gsi and the line's index on it, or NULL. */
static volatile uint32_t *find(uint32_t gsi, uint32_t *line)
{
	for (unsigned i = 0; i < nioapics; i++) {
		if (gsi >= ioapics[i].gsi_base && gsi - ioapics[i].gsi_base < ioapics[i].lines) {
			*line = gsi - ioapics[i].gsi_base;
			return ioapics[i].mmio;
		}
	}
	return 0;
}

bool ioapic_route(uint32_t gsi, uint8_t vector, uint32_t apic_id)
{
	uint32_t line;
	volatile uint32_t *m = find(gsi, &line);
	if (!m || apic_id > 0xff)
		return false;
	reg_write(m, IOAPIC_REG_RED + 2 * line, IOAPIC_RED_MASKED);
	reg_write(m, IOAPIC_REG_RED + 2 * line + 1, apic_id << 24);
	reg_write(m, IOAPIC_REG_RED + 2 * line, vector); /* fixed, physical, edge, high */
	return true;
}

bool ioapic_mask(uint32_t gsi)
{
	uint32_t line;
	volatile uint32_t *m = find(gsi, &line);
	if (!m)
		return false;
	reg_write(m, IOAPIC_REG_RED + 2 * line, IOAPIC_RED_MASKED);
	return true;
}
