/*
 * tick.h: the calling core's local-APIC timer and idle loop.
 *
 * tick_start() starts this core's LAPIC timer at TICK_HZ.  The boot core
 * measures its timer against the TSC (median of three 10 ms windows); an AP
 * arrives with the boot core's figure in its struct cpu and uses it, as
 * Linux does: every local APIC timer runs from the same bus clock, and 30 ms
 * of spinning per AP would make a 255-core boot cost seconds of host CPU; every tick advances the core's heartbeat
 * (kernel/corestatus.h) and calls the tick hook (the scheduler, once it
 * exists).  core_idle() halts with interrupts on: an idle core must never
 * spin, or QEMU burns a host CPU for it (QEMU's TCG gives each vCPU a host thread).
 */
#ifndef KERNEL_TICK_H
#define KERNEL_TICK_H
#include <arch/trap.h>
#include <sys/limits.h>

void tick_start(void);

/* Called on every tick of the calling core, with the interrupted frame. */
void tick_set_hook(void (*hook)(struct trap_frame *f));

void core_idle(void) __attribute__((noreturn));

/*
 * Tickless idle: halts with the timer set to fire once after max_ticks
 * (at most TICK_IDLE_MAX, so the heartbeat never stalls for long), or at
 * the first other interrupt; then the periodic tick resumes, the heartbeat
 * is advanced by the ticks that passed unseen, and advance(n) is told them
 * (the scheduler counts its SYS_WAIT time-outs down).  Interrupts off on
 * entry and return.  Under an emulator each tick of an idle core wakes a
 * host thread: at 255 idle cores 100 Hz ticks alone fill two host CPUs.
 */
#define TICK_IDLE_MAX (TICK_HZ / 5)
void tick_idle(uint64_t max_ticks, void (*advance)(uint64_t ticks));

#endif
