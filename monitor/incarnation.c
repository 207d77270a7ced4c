/*
 * incarnation.c: which life of every core this monitor's view is about.
 *
 * A core restarted (restart.c) is a new incarnation of it: its kernel
 * counts its restarts (SYS_CORE_GENERATION; 0 at boot).  Every monitor
 * keeps, beside "up" or "down" (route.c), the incarnation its view of
 * each core refers to, and the messages about a core's life carry the
 * incarnation their sender meant (struct mon_core.generation: MON_CORE_DOWN,
 * MON_CORE_UP, MON_SUSPECT, MON_REFUTE; liveness_send_core_msg fills it
 * from this table).  A receiver compares it with its own:
 *
 *   older  the sender had not heard of a restart this monitor has seen: a
 *          declaration that raced the restart (a second watcher's
 *          MON_CORE_DOWN about the old life, arriving after the restarter's
 *          MON_CORE_UP) would otherwise take the new life down here for
 *          good, and this monitor would vote ERR_BUSY on every name round
 *          of the restarted core (restart.many).  Ignored and logged.
 *   same   about the life this monitor knows: applied as before.
 *   newer  the sender knows of a restart this monitor has not heard of
 *          yet.  MON_CORE_DOWN: the core is down here too (what this
 *          monitor held of its older life is dropped), and the newer
 *          incarnation is recorded, so its MON_CORE_UP, when it comes late,
 *          is refused: that life is over.  MON_CORE_UP: its older life is
 *          over (taken down here first if this monitor never heard it
 *          was), then the new one is taken up.  MON_SUSPECT, MON_REFUTE:
 *          ignored (the asker escalates; the views converge by CORE_UP).
 *
 * The fence (corefence.c, SYS_CORE_FENCE(core, generation)) is also for
 * one incarnation: a late declaration never stops the new CPU driver.
 * A monitor's own entry is its monitor_info.generation.  A restarted
 * monitor reads every core's count from its kernel at start
 * (restart_rejoin); a boot monitor starts with 0 for all.
 *
 * Name rounds carry their coordinator's incarnation in the round id's high
 * bits (namerepl.c), so a later life never reuses a round of an earlier
 * one.
 */
#include "monitor.h"

static uint32_t gen[CORES_MAX];

uint32_t incarnation_of(unsigned core)
{
	return core < CORES_MAX ? gen[core] : 0;
}

void incarnation_set(unsigned core, uint32_t generation)
{
	if (core < CORES_MAX)
		gen[core] = generation;
}

enum incarnation_cmp incarnation_compare(unsigned core, uint32_t generation)
{
	uint32_t known = incarnation_of(core);
	return generation < known ? INC_OLDER : generation == known ? INC_SAME : INC_NEWER;
}
