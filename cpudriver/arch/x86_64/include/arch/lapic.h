/*
 * arch/lapic.h: the local APIC of the calling core (xAPIC, MMIO).
 *
 * Every function acts on the calling core's own LAPIC: the registers sit at
 * the same physical address on every core but each core reaches only its own.
 * QEMU's TCG has no x2APIC, so this is the xAPIC; APIC ids are still carried
 * as 32-bit values everywhere else so x2APIC can be added here alone.
 */
#ifndef ARCH_LAPIC_H
#define ARCH_LAPIC_H

#include <stdint.h>
#include <stdbool.h>

#define LAPIC_ID        0x020
#define LAPIC_VERSION   0x030
#define LAPIC_TPR       0x080
#define LAPIC_EOI       0x0b0
#define LAPIC_SVR       0x0f0
#define LAPIC_ESR       0x280
#define LAPIC_ICR_LO    0x300
#define LAPIC_ICR_HI    0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR  0x390
#define LAPIC_TIMER_DIV  0x3e0

#define LAPIC_SVR_ENABLE     (1u << 8)
#define LAPIC_LVT_MASKED     (1u << 16)
#define LAPIC_TIMER_PERIODIC (1u << 17)
#define LAPIC_TIMER_DIV_16   0x3
#define ICR_DELIVERY_FIXED   (0u << 8)
#define ICR_DELIVERY_NMI     (4u << 8)
#define ICR_DELIVERY_INIT    (5u << 8)
#define ICR_DELIVERY_STARTUP (6u << 8)
#define ICR_PENDING          (1u << 12)
#define ICR_LEVEL_ASSERT     (1u << 14)
#define ICR_TRIGGER_LEVEL    (1u << 15)

/* Enable this core's LAPIC (spurious vector, no LINT, errors masked). */
void lapic_enable(void);
uint32_t lapic_id(void);
void lapic_eoi(void);
/* Send an IPI; false if the LAPIC never accepted it (delivery stuck pending). */
bool lapic_send_ipi(uint32_t apic_id, uint32_t icr_low);
/* Measure this LAPIC's timer ticks per second against the TSC (tsc_hz known). */
uint64_t lapic_timer_hz(uint64_t tsc_hz);
/* Periodic timer interrupts at `hz` on `vector`. */
void lapic_timer_start(uint64_t timer_hz, unsigned hz, unsigned vector);
/* One interrupt after `periods` periods of 1/hz s, then none (tickless idle). */
void lapic_timer_oneshot(uint64_t timer_hz, unsigned hz, uint64_t periods, unsigned vector);

/* Busy-wait helpers on the calibrated TSC. */
void tsc_set_hz(uint64_t hz);
uint64_t tsc_hz_get(void);
void udelay(uint64_t us);
/* Calibrate the TSC against the PIT (about 20 ms); returns ticks per second. */
uint64_t tsc_calibrate_pit(void);

#endif
