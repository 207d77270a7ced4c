/*
 * bootgate.h: the APs start their monitors once every core is up.
 *
 * An AP that came up waits (halted, waking at most every TICK_IDLE_MAX)
 * until the boot core has brought up every core or given up on it, then
 * starts its services.  Before, each AP started its monitor as soon as it
 * was up, and at 255 vCPUs on a 2-CPU host the monitors already running
 * (their start, their serial lines, their timer wake-ups: every one a trip
 * through QEMU's global lock) held back the APs still starting: "all 255
 * cores up" took 18.9-150 s of kernel time with the monitors against
 * 1.9-2.2 s for the kernel alone at the same load (docs/06-smp.md).
 *
 * A restarted core does not wait (the gate was opened long before).  A
 * waiting AP still takes its interrupts: the stop IPI (a fence), and the
 * notification IPI with which the boot core opens the gate.
 *
 * Then the boot core waits for the APs' monitors to be ready (each has
 * first waited for work: core_status.monitor_ready, set by sched_wait)
 * before it starts its own, which starts the manifest's services: 254
 * monitors starting at once take minutes of a loaded 2-CPU host (each
 * instance's code is translated afresh by TCG), and a spawn sent to one
 * not yet running timed out after its 30.5 s ("cannot start 'hello' on
 * core 1: timed out") though the service started later.  Bounded by
 * BOOTGATE_MONITORS_MS (gate_ms=N on the command line makes it shorter,
 * for tests: stuck_monitor=N makes core N's first monitor never ready);
 * the line says how long it took, or how many were late and the first of
 * them ("1 monitors not ready after 3001 ms (core 2 the first); starting
 * anyway"): the machine goes on without them.
 */
#define BOOTGATE_MONITORS_MS 300000
#ifndef KERNEL_BOOTGATE_H
#define KERNEL_BOOTGATE_H

/* Boot core, after smp_boot: open the gate and wake every AP that is up. */
void bootgate_open(void);
/* An AP, after sched_init: return once the gate is open. */
void bootgate_wait(void);
/* Boot core, before its own services: wait for the APs' monitors (bounded). */
void bootgate_wait_monitors(void);

#endif
