/* fence.c: stopping a core the monitors declared down (see kernel/fence.h). */
#include <kernel/fence.h>
#include <kernel/corestatus.h>
#include <kernel/machine.h>
#include <kernel/smp.h>
#include <topology/topo.h>
#include <arch/lapic.h>
#include <arch/trap.h>

#define FENCE_RESTART (1ull << 63)   /* its fencer will restart it */
#define FENCE_BY(f) ((unsigned)((f) >> 32) & 0xffff)

static uint64_t core_fence[CORES_MAX];

static uint32_t generation(unsigned core)
{
	return __atomic_load_n(&core_status[core].generation, __ATOMIC_ACQUIRE);
}

static uint64_t fence_word(unsigned core, unsigned by, uint32_t gen)
{
	return (uint64_t)(gen + 1) | (uint64_t)by << 32 |
	       (core != 0 && core != by ? FENCE_RESTART : 0);
}

int64_t fence_core(unsigned core, unsigned by, uint32_t gen)
{
	if (core >= smp_cores_planned())
		return ERR_RANGE;
	if (generation(core) != gen)
		return 0; /* restarted since: incarnation gen stopped; the new one is not meant */
	enum core_state s = core_status_get(core);
	if (s == CORE_STOPPED || (s == CORE_FAILED && core_status[core].up_tsc))
		return 0;
	if (s != CORE_UP)
		return ERR_NOENT;
	if (generation(core) != gen)
		return 0; /* restarted between the two reads: the new one is up */
	uint64_t want = fence_word(core, by, gen), old = __atomic_load_n(&core_fence[core], __ATOMIC_ACQUIRE);
	if ((uint32_t)old == (uint32_t)want)
		return 0; /* this instance is fenced already */
	if (!__atomic_compare_exchange_n(&core_fence[core], &old, want, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return 0;
	uint32_t apic = machine_topo()->cores[core].apic_id;
	if (!lapic_send_ipi(apic, VEC_STOP)) {
		__atomic_store_n(&core_fence[core], old, __ATOMIC_RELEASE);
		return ERR_BUSY;
	}
	return 1;
}

int fence_fenced_by(unsigned self)
{
	if (self >= CORES_MAX)
		return -1;
	uint64_t f = __atomic_load_n(&core_fence[self], __ATOMIC_ACQUIRE);
	uint32_t gen = __atomic_load_n(&core_status[self].generation, __ATOMIC_ACQUIRE);
	return f && (uint32_t)f == gen + 1 ? (int)FENCE_BY(f) : -1;
}

bool fence_restart_pending(unsigned core)
{
	if (core >= CORES_MAX)
		return false;
	uint64_t f = __atomic_load_n(&core_fence[core], __ATOMIC_ACQUIRE);
	return (f & FENCE_RESTART) && (uint32_t)f == generation(core) + 1;
}

void fence_restart_failed(unsigned core)
{
	if (core < CORES_MAX)
		__atomic_and_fetch(&core_fence[core], ~FENCE_RESTART, __ATOMIC_ACQ_REL);
}

int64_t fence_generation(uint64_t core)
{
	if (core >= smp_cores_planned())
		return ERR_RANGE;
	return generation((unsigned)core);
}

int64_t fence_pulse(unsigned core)
{
	if (core >= smp_cores_planned())
		return ERR_NOENT;
	enum core_state s = core_status_get(core);
	if (s == CORE_UP)
		return (int64_t)(core_heartbeat(core) & (~0ull >> 1));
	if (s == CORE_STOPPED || (s == CORE_FAILED && core_status[core].up_tsc))
		return ERR_DEAD;
	return ERR_NOENT;
}
