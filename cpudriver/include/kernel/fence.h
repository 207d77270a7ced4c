/*
 * fence.h: stopping a core the monitors declared down, and its pulse.
 *
 * A monitor that declares core X down (monitor/liveness.c) first fences X:
 * it stops X's CPU driver for good with the stop IPI, so that a core
 * declared down by mistake (its monitor starved, not stopped) is really
 * down and can never go on running beside a system that routes around it.
 * Once the IPI is accepted X executes no more user code: the interrupt is
 * taken at the first instruction that runs with interrupts enabled, and
 * every user instruction does.  X's handler (sched.c) logs the fence and
 * its fencer when it finds its own generation fenced.
 *
 * core_fence[X] holds (generation of X that was fenced + 1) | fencer << 32
 * | a restart-pending bit, 0 if none; any core writes it (X itself too, when its monitor learns it
 * was declared down and the fence missed it), with compare-and-swap, so of two monitors
 * fencing the same instance one wins (and restarts it, liveness.c) and the
 * other is told it was fenced already.  A restarted X has a new generation
 * and is not fenced.  A CPU driver hung with interrupts off never takes the
 * stop IPI: a fence call for an incarnation fenced over FENCE_NMI_MS ago
 * that is still up sends an NMI, which it takes whatever it does
 * (fence_nmi; the fencing monitor asks again while it waits for the core
 * to stop, monitor/corefence.c).
 *
 * The pulse is X's timer heartbeat (kernel/corestatus.h), written only by
 * X's CPU: it advances while X executes, whatever its monitor does, and
 * stops with X.
 */
#ifndef KERNEL_FENCE_H
#define KERNEL_FENCE_H
#include <stdbool.h>
#include <stdint.h>
#include <lib/err.h>

/*
 * Fence incarnation `gen` (restarts so far) of core `core` for core `by`:
 * 1 if it was running and this call sent the stop (this caller won), 0 if
 * it was stopped or fenced already, or the core is no longer incarnation
 * gen (it was restarted since, so that incarnation stopped: a declaration
 * that reached a monitor late never stops the new one), ERR_RANGE for no
 * such core, ERR_NOENT if it never came up, ERR_BUSY if the IPI was not
 * accepted (nothing changed).
 */
int64_t fence_core(unsigned core, unsigned by, uint32_t gen);
/* Core `core`'s restarts so far (kernel/corestatus.h generation); ERR_RANGE if no such core. */
int64_t fence_generation(uint64_t core);
/*
 * An NMI on the calling core: if its present generation was fenced (the
 * fencer's second step for a core that did not take the stop IPI: its CPU
 * driver runs with interrupts off), it halts for good, CORE_STOPPED, and
 * this does not return; true if the stop IPI's handler is running (it
 * reports and halts; fence_stop_begins, so the fence is reported once),
 * false otherwise (the NMI is someone else's).
 */
bool fence_nmi(void);
void fence_stop_begins(void);
/* The core that fenced the calling core's present generation, or -1. */
int fence_fenced_by(unsigned self);
/*
 * Whether core `core` was fenced by another core and will be restarted
 * (its present generation): the run is not over while it is
 * (services.c).  fence_restart_failed: its restart was refused for good.
 */
bool fence_restart_pending(unsigned core);
void fence_restart_failed(unsigned core);
/* Core `core`'s heartbeat while it is up; ERR_DEAD once stopped, ERR_NOENT if never up. */
int64_t fence_pulse(uint64_t core);

#endif
