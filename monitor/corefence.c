/*
 * corefence.c: the kernel's side of liveness (monitor/liveness.c).
 *
 * Pulse.  SYS_CORE_PULSE reads another core's timer heartbeat, which only
 * that core's CPU writes: it moves while the core executes, whatever its
 * monitor does.  liveness.c suspects a core only when its monitor and its
 * pulse are both silent (or its monitor alone for far longer: hung).
 *
 * Fence.  A core declared down must be down: before the declaring monitor
 * tells anyone, it stops the core's CPU driver for good (SYS_CORE_FENCE,
 * the stop IPI; kernel/fence.h), the incarnation its view means
 * (incarnation.c): a declarer that has not heard of a restart yet leaves
 * the new CPU driver alone.  A core that had stopped by itself is
 * left as it is.  A core that was still running, declared down by mistake
 * (its monitor starved or hung), is now stopped too, so it never runs on
 * beside a system that routes around it; and since it was healthy, the
 * monitor that fenced it (of two declarers, the kernel lets one win)
 * restarts it as soon as its CPU driver has stopped (restart_kernel,
 * restart.c: fresh CPU driver, its `restart` services again, MON_CORE_UP
 * to everyone); core 0 too (the BIOS warm-reset vector, kernel/smp.h).  A
 * core told it was declared down (MON_CORE_DOWN about itself) that is
 * still running fences itself: the declarer's fence missed it.  A core
 * whose CPU driver hangs with interrupts off never takes the stop IPI: the
 * fencer, waiting for it to stop, fences it again every dead_ms / 4, and
 * the kernel then sends an NMI (kernel/fence.h), which halts it.  Its
 * watchers find such a core by its monitor's silence and its pulse's
 * (its timer no longer ticks): PULSELESS_PATIENCES patiences (liveness.c).
 */
#include <libos/libos.h>
#include "monitor.h"
#include "monsys.h"

#define RESTART_WAIT_DEAD 10   /* dead_ms periods to wait for a fenced core to stop */

static uint64_t restart_by[CORES_MAX]; /* fenced by us, not yet restarted: until when to try */
static uint64_t again_at[CORES_MAX];   /* ... and when to fence it again if it still runs */

int64_t corefence_pulse(unsigned core)
{
	return sys_core_pulse(core);
}

int corefence_declared(unsigned core)
{
	int64_t r = sys_core_fence(core, incarnation_of(core));
	if (r < 0) {
		mon_log("fencing core %u failed: %s", core, err_str((err_t)r));
		return (int)r;
	}
	if (r == 0)
		return 0;
	mon_log("core %u fenced: declared down while its CPU ran; restarting it once it stopped",
		core);
	mon_event("liveness.fence", "peer=%u", core);
	if (core < CORES_MAX) {
		restart_by[core] = mon_now() + RESTART_WAIT_DEAD * liveness_dead_ticks();
		again_at[core] = mon_now() + liveness_dead_ticks() / 4;
	}
	return 1;
}

void corefence_self(void)
{
	int64_t r = sys_core_fence(mon_core, incarnation_of(mon_core));
	if (r < 0)
		mon_log("fencing this core failed: %s", err_str((err_t)r));
}

static void restart_fenced(unsigned core, uint64_t now)
{
	if (sys_core_pulse(core) >= 0 && now < restart_by[core]) {
		/* not stopped yet: its vCPU has not run since the fence, or it
		 * runs with interrupts off; fencing it again sends an NMI once
		 * the stop IPI has waited long enough (kernel/fence.h) */
		if (now >= again_at[core]) {
			again_at[core] = now + liveness_dead_ticks() / 4;
			sys_core_fence(core, incarnation_of(core));
		}
		return;
	}
	err_t e = restart_kernel(core);
	if (e == ERR_BUSY && now < restart_by[core])
		return;
	restart_by[core] = 0;
	if (e) {
		mon_log("fenced core %u not restarted: %s", core, err_str(e));
		mon_event("liveness.fence_norestart", "peer=%u err=%d", core, (int)e);
		return;
	}
	mon_log("fenced core %u restarted", core);
	mon_event("core.restart", "peer=%u for_domain=0 fenced=1", core);
	restart_started(core);
}

void corefence_tick(uint64_t now)
{
	for (unsigned c = 0; c < mon_ncores; c++)
		if (restart_by[c])
			restart_fenced(c, now);
}
