/*
 * tick.h: the calling core's local-APIC timer and idle loop.
 *
 * tick_start() measures this core's own LAPIC timer against the TSC and
 * starts it at TICK_HZ; every tick advances the core's heartbeat
 * (kernel/corestatus.h) and calls the tick hook (the scheduler, once it
 * exists).  core_idle() halts with interrupts on: an idle core must never
 * spin, or QEMU burns a host CPU for it (../shared/QEMU-NOTES.md).
 */
#ifndef KERNEL_TICK_H
#define KERNEL_TICK_H
#include <arch/trap.h>

#define TICK_HZ 100

void tick_start(void);

/* Called on every tick of the calling core, with the interrupted frame. */
void tick_set_hook(void (*hook)(struct trap_frame *f));

void core_idle(void) __attribute__((noreturn));

#endif
