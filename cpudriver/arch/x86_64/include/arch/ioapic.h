/*
 * arch/ioapic.h: the I/O APIC, which turns device interrupt lines (global
 * system interrupts, GSIs) into messages to one core's local APIC.
 *
 * The boot core finds the I/O APICs in the MADT (topology/acpi.h) and calls
 * ioapic_init once before any AP starts: it masks the legacy 8259 PICs and
 * every redirection entry.  Afterwards one core at a time routes a line
 * (the console input's owner, kernel/coninput.h); the registers are reached
 * through the index/window pair of the I/O APIC that serves the GSI, so
 * callers must not route the same line from two cores at once.
 */
#ifndef ARCH_IOAPIC_H
#define ARCH_IOAPIC_H
#include <stdbool.h>
#include <stdint.h>

#define IOAPIC_REGSEL   0x00
#define IOAPIC_WINDOW   0x10
#define IOAPIC_REG_VER  0x01
#define IOAPIC_REG_RED  0x10          /* redirection entry n: 0x10 + 2n (low), +1 (high) */
#define IOAPIC_RED_MASKED (1u << 16)
#define IOAPIC_RED_LEVEL  (1u << 15)
#define IOAPIC_RED_LOW    (1u << 13)  /* active low */
#define PIC1_DATA       0x21
#define PIC2_DATA       0xa1
#define ISA_IRQ_COM1    4             /* GSI 4 on PC machines: QEMU has no override for it */

struct acpi_info;

/* Mask the 8259s and every line of every I/O APIC; returns the lines found. */
unsigned ioapic_init(const struct acpi_info *acpi);
/* Edge-triggered, active-high delivery of gsi to vector on the core with apic_id. */
bool ioapic_route(uint32_t gsi, uint8_t vector, uint32_t apic_id);
bool ioapic_mask(uint32_t gsi);

#endif
