/* corestatus.c: per-core life-cycle words (see kernel/corestatus.h). */
#include <kernel/corestatus.h>
#include <arch/x86.h>

_Static_assert(sizeof(struct core_status) == 64, "one cache line per core");

struct core_status core_status[CORES_MAX];

void core_status_set(unsigned id, enum core_state s)
{
	if (id >= CORES_MAX)
		return;
	if (s == CORE_UP)
		core_status[id].up_tsc = rdtsc();
	__atomic_store_n(&core_status[id].state, (uint32_t)s, __ATOMIC_RELEASE);
}

bool core_status_move(unsigned id, enum core_state from, enum core_state to)
{
	if (id >= CORES_MAX)
		return false;
	uint32_t want = (uint32_t)from;
	if (to == CORE_UP)
		core_status[id].up_tsc = rdtsc();
	bool ok = __atomic_compare_exchange_n(&core_status[id].state, &want, (uint32_t)to, false,
					      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	if (!ok && to == CORE_UP)
		core_status[id].up_tsc = 0;
	return ok;
}

enum core_state core_status_get(unsigned id)
{
	if (id >= CORES_MAX)
		return CORE_ABSENT;
	return (enum core_state)__atomic_load_n(&core_status[id].state, __ATOMIC_ACQUIRE);
}

uint64_t core_heartbeat(unsigned id)
{
	return id < CORES_MAX ? __atomic_load_n(&core_status[id].heartbeat, __ATOMIC_RELAXED) : 0;
}

const char *core_state_name(enum core_state s)
{
	switch (s) {
	case CORE_ABSENT: return "absent";
	case CORE_STARTING: return "starting";
	case CORE_UP: return "up";
	case CORE_STOPPED: return "stopped";
	case CORE_FAILED: return "failed";
	case CORE_ENTERED: return "entered";
	}
	return "?";
}
