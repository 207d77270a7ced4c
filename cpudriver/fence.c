/* fence.c: stopping a core the monitors declared down (see kernel/fence.h). */
#include <kernel/fence.h>
#include <kernel/corestatus.h>
#include <kernel/machine.h>
#include <kernel/smp.h>
#include <topology/topo.h>
#include <arch/lapic.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <kernel/console.h>
#include <kernel/cpu.h>

#define FENCE_RESTART (1ull << 63)   /* its fencer will restart it */
#define FENCE_BY(f) ((unsigned)((f) >> 32) & 0xffff)
#define FENCE_NMI_MS 200             /* then a fenced core still up gets an NMI */

static uint64_t core_fence[CORES_MAX];
static uint64_t fence_tsc[CORES_MAX];   /* when the present word was claimed */
static uint32_t stopping[CORES_MAX];    /* generation + 1 of a core in its stop handler */

static uint32_t generation(unsigned core)
{
	return __atomic_load_n(&core_status[core].generation, __ATOMIC_ACQUIRE);
}

static uint64_t fence_word(unsigned core, unsigned by, uint32_t gen)
{
	return (uint64_t)(gen + 1) | (uint64_t)by << 32 |
	       (core != by ? FENCE_RESTART : 0);
}

/*
 * The second step: a core fenced FENCE_NMI_MS ago that is still up has not
 * taken the stop IPI (its CPU driver runs with interrupts off, hung): an NMI
 * reaches it anyway (fence_nmi).  Halting a CPU driver anywhere is safe for
 * the others: they share only core_status, these words and the console,
 * whose lock nobody waits on for ever (kernel/console.h).
 */
static void nmi_if_deaf(unsigned core, uint32_t apic)
{
	uint64_t since = rdtsc() - __atomic_load_n(&fence_tsc[core], __ATOMIC_ACQUIRE);
	if (since < cpu_self()->tsc_hz / 1000 * FENCE_NMI_MS)
		return;
	klog("core %u did not take the stop IPI for %lu ms (interrupts off?): sending an NMI\n",
	     core, since / (cpu_self()->tsc_hz / 1000));
	lapic_send_ipi(apic, ICR_DELIVERY_NMI);
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
	uint32_t apic = machine_topo()->cores[core].apic_id;
	if ((uint32_t)old == (uint32_t)want) {
		nmi_if_deaf(core, apic);
		return 0; /* this instance is fenced already */
	}
	__atomic_store_n(&fence_tsc[core], rdtsc(), __ATOMIC_RELEASE); /* before the word: a
								  racing second fencer sees it */
	if (!__atomic_compare_exchange_n(&core_fence[core], &old, want, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return 0;
	if (!lapic_send_ipi(apic, VEC_STOP)) {
		__atomic_store_n(&core_fence[core], old, __ATOMIC_RELEASE);
		return ERR_BUSY;
	}
	return 1;
}

void fence_stop_begins(void)
{
	unsigned self = cpu_self()->id;
	__atomic_store_n(&stopping[self], generation(self) + 1, __ATOMIC_RELEASE);
}

bool fence_nmi(void)
{
	unsigned self = cpu_self()->id;
	int by = fence_fenced_by(self);
	if (by < 0)
		return false;
	if (__atomic_load_n(&stopping[self], __ATOMIC_ACQUIRE) == generation(self) + 1)
		return true; /* the stop IPI's handler runs: it reports and halts */
	if (core_status_get(self) == CORE_UP) {
		/* urgent: the NMI may have stopped this core in the middle of a klog */
		kprintf_urgent("core %u: fenced by core %d (NMI: the stop IPI was not taken in time): "
			       "declared down by the monitors while running; halting this core\n",
			       self, by);
		kprintf_urgent("EV core=%u core.fenced by=%d nmi=1\n", self, by);
		core_status_set(self, CORE_STOPPED);
	}
	halt_forever();
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

int64_t fence_pulse(uint64_t core)
{
	if (core >= smp_cores_planned())
		return ERR_NOENT; /* the whole 64-bit value: 2^32 + 2 is not core 2 */
	enum core_state s = core_status_get((unsigned)core);
	if (s == CORE_UP)
		return (int64_t)(core_heartbeat((unsigned)core) & (~0ull >> 1));
	if (s == CORE_STOPPED || (s == CORE_FAILED && core_status[core].up_tsc))
		return ERR_DEAD;
	return ERR_NOENT;
}
