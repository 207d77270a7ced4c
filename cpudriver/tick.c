/* tick.c: per-core timer tick and idle loop (see kernel/tick.h). */
#include <kernel/boot.h>
#include <kernel/console.h>
#include <kernel/event.h>
#include <kernel/corestatus.h>
#include <kernel/cpu.h>
#include <kernel/tick.h>
#include <arch/lapic.h>
#include <arch/x86.h>

/*
 * hang_core=N (a test option, kernel/boot.h): core N's first life hangs in
 * its timer interrupt with interrupts off, as a CPU driver spinning in
 * `cli; jmp $` would: no tick, no pulse, no stop IPI taken; only an NMI
 * reaches it (the fence's second step, kernel/fence.h).
 */
static void maybe_hang(unsigned id, uint64_t beats)
{
	if (!boot_options.hang_core || id != boot_options.hang_core ||
	    __atomic_load_n(&core_status[id].generation, __ATOMIC_ACQUIRE) ||
	    beats < boot_options.hang_ms * TICK_HZ / 1000)
		return;
	klog("hanging with interrupts off (test option hang_core)\n");
	kevent("core.hang", "%s", "");
	for (;;)
		__asm__ volatile("cli; pause" ::: "memory");
}

static void on_tick(struct trap_frame *f)
{
	struct cpu *c = cpu_self();
	struct core_status *s = &core_status[c->id];
	__atomic_store_n(&s->heartbeat, s->heartbeat + 1, __ATOMIC_RELAXED);
	maybe_hang(c->id, s->heartbeat);
	lapic_eoi();
	console_poll();
	if (c->tick_hook)
		c->tick_hook(f);
}

void tick_set_hook(void (*hook)(struct trap_frame *f))
{
	cpu_self()->tick_hook = hook;
}

/*
 * The median of three measurements: under TCG a vCPU can be descheduled in
 * the middle of one, which makes that one read high.
 */
static uint64_t measure_timer_hz(uint64_t tsc_hz)
{
	uint64_t m[3];
	for (int i = 0; i < 3; i++)
		m[i] = lapic_timer_hz(tsc_hz);
	uint64_t lo = m[0] < m[1] ? m[0] : m[1], hi = m[0] < m[1] ? m[1] : m[0];
	return m[2] < lo ? lo : m[2] > hi ? hi : m[2];
}

void tick_start(void)
{
	struct cpu *c = cpu_self();
	if (!c->lapic_timer_hz)	/* APs take the boot core's figure (kernel/tick.h) */
		c->lapic_timer_hz = measure_timer_hz(c->tsc_hz);
	trap_set_irq_handler(VEC_TIMER, on_tick);
	lapic_timer_start(c->lapic_timer_hz, TICK_HZ, VEC_TIMER);
}

void tick_idle(uint64_t max_ticks, void (*advance)(uint64_t ticks))
{
	struct cpu *c = cpu_self();
	if (max_ticks > TICK_IDLE_MAX)
		max_ticks = TICK_IDLE_MAX;
	if (max_ticks <= 1 || !c->lapic_timer_hz) {
		irq_enable_and_halt();
		irq_disable();
		return;
	}
	struct core_status *s = &core_status[c->id];
	uint64_t t0 = rdtsc(), beats = s->heartbeat, per_tick = c->tsc_hz / TICK_HZ;
	lapic_timer_oneshot(c->lapic_timer_hz, TICK_HZ, max_ticks, VEC_TIMER);
	irq_enable_and_halt();
	irq_disable();
	lapic_timer_start(c->lapic_timer_hz, TICK_HZ, VEC_TIMER);
	uint64_t elapsed = per_tick ? (rdtsc() - t0) / per_tick : 0;
	uint64_t counted = s->heartbeat - beats;
	if (elapsed > counted) {
		__atomic_store_n(&s->heartbeat, s->heartbeat + (elapsed - counted), __ATOMIC_RELAXED);
		if (advance)
			advance(elapsed - counted);
	}
}

void core_idle(void)
{
	for (;;)
		irq_enable_and_halt();
}
