/* smp.c: one CPU driver per core (see kernel/smp.h). */
#include <kernel/entry.h>
#include <kernel/event.h>
#include <kernel/boot.h>
#include <kernel/console.h>
#include <kernel/corepool.h>
#include <kernel/corestatus.h>
#include <kernel/machine.h>
#include <kernel/memlayout.h>
#include <kernel/monlinks.h>
#include <kernel/panic.h>
#include <kernel/pmm.h>
#include <kernel/poolreuse.h>
#include <kernel/smp.h>
#include <arch/apstart.h>
#include <arch/lapic.h>
#include <arch/x86.h>
#include <lib/fmt.h>
#include <lib/string.h>

#define UP_TIMEOUT_MS_BASE 5000
#define UP_TIMEOUT_MS_PER_CORE 200
#define RESTART_START_MS 2000u


/* What lives at the start of an AP's own memory: its state and its pool. */
struct ap_block {
	struct cpu cpu;
	struct pmm_pool pool;
};

uint64_t boot_entry_tsc;
static struct corepool pools[CORES_MAX];
static unsigned planned;
static unsigned parked;  /* cores given up on before they read their entry */

/*
 * Fresh memory for restarted cores: RESTART_SPARES_PER_NODE pools per node
 * (each the size of that node's core pools, at most RESTART_POOL_MAX),
 * taken at boot from what would otherwise be the monitors' memory, kept in
 * the table of restart pools (kernel/poolreuse.h).  A restart takes a free
 * pool of that table, else the one the requesting monitor gives from its
 * share (SYS_CORE_RESTART's pool_pa).  A stopped core's old pool is retired,
 * not reused at once: other cores may still map channel areas from it (a
 * bound client of its services) or hold pointers to its kernel tables; it
 * becomes a free pool of the table when the monitors agreed nobody does.
 */
#define RESTART_SPARES_PER_NODE 6
#define RESTART_POOL_MAX (8ull << 20)
#define RESTART_POOL_MIN COREPOOL_MIN
static uint32_t restart_busy;     /* one restart at a time (shared trampoline fields) */

unsigned smp_cores_planned(void)
{
	return planned;
}

/*
 * The core counts as up before it says so: its line goes through the console
 * (whose holder may drain other cores' lines first, at ~8 us a byte with 255
 * vCPUs under QEMU), which is no part of starting a core, so it follows.
 */
void smp_announce(struct cpu *c)
{
	const struct topo_core *t = &machine_topo()->cores[c->id];
	uint64_t base = c->pool->base, size = c->pool->nframes * PAGE_SIZE;
	if (c->id == 0 && !core_status[0].generation) { /* the boot core's first life */
		core_status_set(0, CORE_UP);
	} else if (!core_status_move(c->id, CORE_ENTERED, CORE_UP)) {
		klog("came up after the boot core gave up on it; halting\n");
		halt_forever();
	}
	poolreuse_life_started(c);
	int pool_node = corepool_node_of(machine_topo(), base, size);
	char where[24];
	if (pool_node >= 0)
		fmt_snprintf(where, sizeof where, "node %d", pool_node);
	else
		fmt_snprintf(where, sizeof where, "several nodes");
	klog("up apic=%u pkg=%u core=%u thread=%u node=%u pool=%#lx-%#lx (%lu MiB, %s) timer=%lu Hz\n",
	     c->apic_id, t->package, t->core, t->thread, t->node, base, base + size - 1,
	     size >> 20, where, c->lapic_timer_hz);
	kevent("core.up", "apic=%u node=%u", c->apic_id, t->node);
}

static err_t alloc_bytes(struct pmm_pool *p, uint64_t bytes, void **out)
{
	uint64_t pa;
	err_t e = pmm_alloc_contig(p, (bytes + PAGE_SIZE - 1) / PAGE_SIZE, 1, &pa);
	if (!e)
		*out = phys_to_virt(pa);
	return e;
}

/*
 * Where the boot core's time goes, for the "boot phases" line: the TSC at
 * the end of each phase (discovery ends when smp_boot begins).
 */
enum phase { PHASE_DISCOVERY, PHASE_PLAN, PHASE_PREPARE, PHASE_IPIS, PHASE_ENTERED,
	     PHASE_UP, PHASES };
static uint64_t phase_end[PHASES];

static void phase_mark(enum phase p)
{
	phase_end[p] = rdtsc();
}

static void phase_report(void)
{
	static const char *const name[PHASES] = { "discovery", "plan", "prepare", "ipis",
						  "entered", "up" };
	char line[192];
	int at = 0;
	uint64_t from = boot_entry_tsc, per_ms = tsc_hz_get() / 1000;
	for (unsigned p = 0; p < PHASES && at < (int)sizeof line; p++) {
		uint64_t to = phase_end[p] ? phase_end[p] : from;
		at += fmt_snprintf(line + at, sizeof line - (unsigned)at, " %s=%lu", name[p],
				   (to - from) / per_ms);
		from = to;
	}
	klog("boot phases (ms):%s\n", line);
}

/* Builds core id's struct cpu, stacks and pool inside its own memory. */
static err_t ap_prepare(unsigned id, const struct corepool *cp, struct cpu **out)
{
	struct pmm_pool pool;
	err_t e = pmm_pool_init(&pool, cp->base, cp->size, phys_to_virt(cp->base));
	struct ap_block *b;
	void *kstack, *ist;
	if (!e)
		e = alloc_bytes(&pool, sizeof *b, (void **)&b);
	if (!e)
		e = alloc_bytes(&pool, KSTACK_SIZE, &kstack);
	if (!e)
		e = alloc_bytes(&pool, IST_STACK_SIZE, &ist);
	if (e)
		return e;
	memset(&b->cpu, 0, sizeof b->cpu);
	b->pool = pool; /* from here on the pool lives in the AP's memory */
	b->cpu.id = id;
	b->cpu.apic_id = machine_topo()->cores[id].apic_id;
	b->cpu.kstack = kstack;
	b->cpu.ist_stack = ist;
	b->cpu.pool = &b->pool;
	b->cpu.tsc_hz = tsc_hz_get();
	*out = &b->cpu;
	return ERR_OK;
}

/* Every AP must read its trampoline entry within this (all start at once, so it grows). */
#define START_TIMEOUT_MS_BASE 5000
#define START_TIMEOUT_MS_PER_CORE 200
/*
 * Until then a core that has not read it gets another start-up IPI this
 * often.  A core not waiting for one ignores it (the architecture's rule,
 * QEMU's too), so it is harmless; under TCG on a crowded host a vCPU that
 * sat 56-74 s in wait-for-SIPI after both start-up IPIs came up at once
 * when the boot core sent it an INIT (a wake-up lost in the emulator).
 */
#define SIPI_REPEAT_MS 500

/* Reports why core id was not started and marks it failed. */
static void not_started(unsigned id, const char *why, err_t e)
{
	klog("core %u (apic %u): %s (%s); not started\n", id,
	     machine_topo()->cores[id].apic_id, why, err_str(e));
	core_status_set(id, CORE_FAILED);
}

/* Says where a core's pool lies when that is not its own node. */
static void report_borrowed(unsigned id)
{
	const struct topo *t = machine_topo();
	uint32_t own = t->cores[id].node, from = pools[id].node;
	klog("core %u: node %u has %s; its pool comes from node %u (distance %u)\n", id, own,
	     corepool_node_has_memory(t, own) ? "too little free memory" : "no memory",
	     from, t->dist[own][from]);
}

/* Builds core id's memory and trampoline entry; false if it cannot start. */
static bool ap_ready(unsigned id)
{
	uint32_t apic = machine_topo()->cores[id].apic_id;
	struct cpu *c;
	err_t e = pools[id].err;
	if (e) {
		not_started(id, "no memory pool on any node", e);
		return false;
	}
	if (pools[id].borrowed)
		report_borrowed(id);
	e = ap_prepare(id, &pools[id], &c);
	if (e) {
		not_started(id, "cannot build its CPU driver in its pool", e);
		return false;
	}
	c->lapic_timer_hz = cpu_self()->lapic_timer_hz;
	e = ap_slot_set(apic, c, (uint64_t)c->kstack + KSTACK_SIZE);
	if (e) {
		not_started(id, "APIC id beyond the trampoline's table", e);
		return false;
	}
	core_status_set(id, CORE_STARTING);
	return true;
}

/* Halts until the next timer tick: a waiting boot core leaves the host CPU to the APs. */
static void wait_a_tick(void)
{
	irq_enable_and_halt();
	irq_disable();
}

static uint64_t ms_since(uint64_t tsc)
{
	return (rdtsc() - tsc) / (tsc_hz_get() / 1000);
}

/* One IPI to every starting core in [1, n); a core whose LAPIC never sent it fails. */
static void send_to_starting(unsigned n, bool init)
{
	const struct topo *t = machine_topo();
	for (unsigned i = 1; i < n; i++) {
		uint32_t apic = t->cores[i].apic_id;
		if (core_status_get(i) != CORE_STARTING || ap_started(apic))
			continue;
		if (!init && i == boot_options.deaf_core)
			continue; /* test: a core that never answers */
		if (!(init ? ap_send_init(apic) : ap_send_sipi(apic))) {
			klog("core %u (apic %u): the %s IPI was never delivered; left out\n", i,
			     apic, init ? "INIT" : "start-up");
			core_status_set(i, CORE_FAILED);
		}
	}
}

static unsigned count_unstarted(unsigned n)
{
	unsigned left = 0;
	for (unsigned i = 1; i < n; i++)
		left += core_status_get(i) == CORE_STARTING &&
			!ap_started(machine_topo()->cores[i].apic_id);
	return left;
}

/*
 * The MP start-up sequence for all ready cores at once: INIT to each, one
 * INIT delay, SIPI to each, the SIPI delay, a second SIPI to those that have
 * not read their trampoline entry; then a bounded wait.  A core that never
 * read it is sent INIT again (parked in wait-for-SIPI, so it cannot run the
 * trampoline after it is gone) and left out.
 */
static void start_all(unsigned n)
{
	send_to_starting(n, true);
	udelay(boot_options.apic_init_us);
	send_to_starting(n, false);
	udelay(AP_SIPI_DELAY_US);
	send_to_starting(n, false);
	phase_mark(PHASE_IPIS);
	uint64_t start = rdtsc(), limit = START_TIMEOUT_MS_BASE + START_TIMEOUT_MS_PER_CORE * (uint64_t)n;
	uint64_t next_sipi = SIPI_REPEAT_MS;
	unsigned repeats = 0, late = 0;
	for (unsigned left; (left = count_unstarted(n)) && ms_since(start) < limit;) {
		if (ms_since(start) >= next_sipi) {
			send_to_starting(n, false);
			next_sipi += SIPI_REPEAT_MS;
			repeats++;
			late = left;
		}
		wait_a_tick();
	}
	if (repeats)
		klog("start-up IPI repeated %u times every %u ms (%u cores had not answered at the last)\n",
		     repeats, SIPI_REPEAT_MS, late);
	phase_mark(PHASE_ENTERED);
	const struct topo *t = machine_topo();
	for (unsigned i = 1; i < n; i++) {
		uint32_t apic = t->cores[i].apic_id;
		if (ap_started(apic) || !core_status_move(i, CORE_STARTING, CORE_FAILED))
			continue;
		ap_send_init(apic);
		parked++;
		klog("core %u (apic %u): did not answer INIT-SIPI-SIPI within %lu ms; parked and left out\n",
		     i, apic, limit);
	}
}

/* Waits until no core is still starting or the deadline passed. */
static unsigned wait_up(unsigned n)
{
	uint64_t start = rdtsc();
	uint64_t limit = UP_TIMEOUT_MS_BASE + (uint64_t)n * UP_TIMEOUT_MS_PER_CORE;
	unsigned up;
	for (;;) {
		unsigned starting = 0;
		up = 0;
		for (unsigned i = 0; i < n; i++) {
			enum core_state s = core_status_get(i);
			starting += s == CORE_STARTING || s == CORE_ENTERED;
			up += core_status[i].up_tsc != 0; /* came up (may have stopped since) */
		}
		if (!starting || ms_since(start) > limit)
			break;
		wait_a_tick();
	}
	for (unsigned i = 0; i < n; i++)
		if (core_status_move(i, CORE_STARTING, CORE_FAILED) ||
		    core_status_move(i, CORE_ENTERED, CORE_FAILED))
			klog("core %u: started but never came up within %lu ms; left out\n", i, limit);
	return up;
}

static void check_own_pool_node(void)
{
	const struct topo *t = machine_topo();
	struct cpu *c = cpu_self();
	uint64_t size = c->pool->nframes * PAGE_SIZE;
	if (!corepool_in_node(t, t->cores[c->id].node, c->pool->base, size))
		klog("warning: the boot pool lies outside node %u\n", t->cores[c->id].node);
}

/*
 * The boot core's pool is pools[0]: retired like any core's when core 0 is
 * restarted, and released by the monitors' agreement.  Nothing every core
 * uses for the whole run lies in it (the trace control frame comes from
 * free RAM; the topology model, the trampoline and the AP start table do
 * not live in pools); what other cores map of it (channel areas, spanning
 * homes, link pages) is what the agreement waits for, as for an AP's.
 */
static void record_boot_pool(void)
{
	const struct pmm_pool *p = cpu_self()->pool;
	pools[0] = (struct corepool){ .base = p->base, .size = p->nframes * PAGE_SIZE,
				      .node = machine_topo()->cores[0].node };
}

/* Per node with cores: RESTART_SPARES_PER_NODE pools the size of its first core's. */
static void plan_spares(struct mem_ranges *free_ram, unsigned n)
{
	const struct topo *t = machine_topo();
	uint64_t first_size = 0;
	uint32_t first_node = 0;
	for (uint32_t node = 0; node < t->nnodes && node < TOPO_MAX_NODES; node++) {
		uint64_t size = 0;
		for (unsigned i = 1; i < n && !size; i++)
			if (!pools[i].err && pools[i].node == node)
				size = pools[i].size;
		if (size > RESTART_POOL_MAX)
			size = RESTART_POOL_MAX;
		for (unsigned k = 0; size && k < RESTART_SPARES_PER_NODE; k++) {
			uint64_t base;
			if (corepool_take(free_ram, t, node, size, size >= (2ull << 20) ? 2ull << 20 : PAGE_SIZE, &base))
				break;
			poolreuse_add_spare(base, size, node);
			if (!first_size)
				first_size = size, first_node = node;
		}
	}
	if (poolreuse_spares())
		klog("restart reserve: %u pools (%lu MiB each on node %u first)\n", poolreuse_spares(),
		     first_size >> 20, first_node);
}

unsigned smp_boot(struct mem_ranges *free_ram)
{
	const struct topo *t = machine_topo();
	unsigned n = t->ncores;
	if (boot_options.max_cores && boot_options.max_cores < n)
		n = (unsigned)boot_options.max_cores;
	if (n > CORES_MAX)
		n = CORES_MAX;
	if (topo_cpu_of_apic(t, lapic_id()) != 0) {
		klog("boot core's APIC id %u is not the lowest; running on it alone\n", lapic_id());
		n = 1;
	}
	planned = n;
	phase_mark(PHASE_DISCOVERY);
	check_own_pool_node();
	record_boot_pool();
	corepool_plan(free_ram, t, 1, n, pools);
	plan_spares(free_ram, n);
	monlinks_plan(free_ram, n);
	phase_mark(PHASE_PLAN);
	if (n > 1) {
		err_t e = ap_trampoline_install(cpu_self()->pml4_phys, cpu_self()->pool, ap_entry);
		if (e)
			panic("installing the AP trampoline: %s", err_str(e));
		for (unsigned i = 1; i < n; i++)
			ap_ready(i);
		phase_mark(PHASE_PREPARE);
		start_all(n);
	}
	unsigned up = wait_up(n);
	phase_mark(PHASE_UP);
	if (n > 1 && !parked)
		ap_trampoline_remove(cpu_self()->pml4_phys);
	else if (parked)
		klog("trampoline kept mapped: %u parked cores may still wake from a pending start-up IPI and halt\n",
		     parked);
	uint64_t ms = ms_since(boot_entry_tsc);
	if (up == n)
		klog("all %u cores up in %lu ms\n", n, ms);
	else
		klog("%u of %u cores up in %lu ms\n", up, n, ms);
	phase_report();
	return up;
}

/*
 * Whether core id may be (re)started: ERR_OK, or why not.  A core left out
 * at boot (it did not answer INIT-SIPI-SIPI in time, its start-up IPI was
 * not delivered, or it had no pool) may join later this way: it was parked
 * with an INIT, so it waits for a start-up IPI, and it starts as the first
 * restart of that core.  Core 0, the boot processor, restarts through the
 * BIOS warm-reset vector (start_one).
 */
static err_t restart_check(uint64_t id)
{
	if (id >= planned)
		return ERR_RANGE;
	enum core_state s = core_status_get((unsigned)id);
	if (s == CORE_STOPPED || s == CORE_FAILED)
		return ERR_OK;
	if (s == CORE_ABSENT)
		return ERR_NOENT; /* not in the machine's plan */
	return ERR_BUSY;          /* up, or starting */
}

/* Forget what the old CPU driver published; its new one publishes afresh. */
static void reset_status(unsigned id)
{
	struct core_status *cs = &core_status[id];
	__atomic_store_n(&cs->ipc_inbox, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&cs->chan_areas, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&cs->wake_table, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&cs->domains_live, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&cs->services_started, 0, __ATOMIC_RELEASE);
	cs->generation++;
}

/*
 * INIT-SIPI-SIPI to one core, then a bounded wait until it read its entry.
 * Core 0 is the boot processor (smp_boot runs on it alone otherwise): after
 * the INIT it runs the BIOS, not wait-for-SIPI, and the BIOS's warm-reset
 * vector sends it to the trampoline (arch/apstart.h).  It ignores the
 * start-up IPIs (it does not wait for one), but under QEMU they are what
 * wakes a halted one: a pending INIT alone is no "work" for a halted vCPU
 * (x86_cpu_has_work asks x86_cpu_pending_interrupt, which knows SIPI, NMI
 * and interrupts, not INIT); woken, it takes the INIT first.
 */
static err_t start_one(unsigned id)
{
	uint32_t apic = machine_topo()->cores[id].apic_id;
	bool bsp = id == 0;
	if (bsp)
		ap_warm_reset_arm();
	if (!ap_send_init(apic))
		return ERR_BUSY;
	udelay(boot_options.apic_init_us);
	static bool deaf_done;   /* under restart_busy: one restart at a time */
	bool deaf = id && id == boot_options.deaf_restart && !deaf_done;
	if (deaf) {
		deaf_done = true;
		klog("restart core %u: test option deaf_restart: no start-up IPI this time\n", id);
	}
	for (unsigned k = 0; k < 2 && !deaf && !ap_started(apic); k++) {
		if (!ap_send_sipi(apic))
			return ERR_BUSY;
		udelay(AP_SIPI_DELAY_US);
	}
	uint64_t start = rdtsc();
	while (!ap_started(apic) && ms_since(start) < RESTART_START_MS)
		cpu_relax();
	return ap_started(apic) ? ERR_OK : ERR_TIMEOUT;
}

/*
 * A pool the calling monitor gives from the monitors' memory: RESTART_POOL_MIN
 * to RESTART_POOL_MAX bytes inside one range of it, aligned as boot pools are
 * (2 MiB from 2 MiB on).  Its monitor took it out of its free map for good.
 */
static err_t given_pool(uint64_t pa, uint64_t pages, struct corepool *cp)
{
	uint64_t size = pages * PAGE_SIZE, align = size >= (2ull << 20) ? 2ull << 20 : PAGE_SIZE;
	if (pages < RESTART_POOL_MIN / PAGE_SIZE || pages > RESTART_POOL_MAX / PAGE_SIZE ||
	    (pa & (align - 1)))
		return ERR_INVAL;
	int node = monlinks_mem_node(pa, size);
	if (node < 0)
		return ERR_INVAL;
	*cp = (struct corepool){ .base = pa, .size = size, .node = (uint32_t)node };
	return ERR_OK;
}

static err_t restart_locked(unsigned id, uint64_t pool_pa, uint64_t pool_pages)
{
	const struct topo *t = machine_topo();
	struct corepool cp;
	bool spare = false;
	if (pool_pa) {
		err_t e = given_pool(pool_pa, pool_pages, &cp);
		if (e) {
			klog("restart core %u: %#lx (%lu frames) is no pool of the monitors' memory\n",
			     id, pool_pa, pool_pages);
			return e;
		}
	} else if (poolreuse_take(t->cores[id].node, t->dist[t->cores[id].node], &cp) == ERR_OK) {
		spare = true;
	} else {
		klog("restart core %u: no free restart pool (%u were reserved at boot; the others "
		     "wait until nobody maps them)\n", id, poolreuse_spares());
		return ERR_NOMEM;
	}
	struct cpu *c = NULL;
	uint64_t old_links[MONITOR_MAX_LINKS];
	unsigned nold = 0;
	/* Everything that can fail before the links move into the new pool. */
	err_t e = ap_trampoline_reuse(cpu_self()->pml4_phys, cpu_self()->pool, ap_entry);
	if (!e)
		e = ap_prepare(id, &cp, &c);
	if (!e) /* the core is halted: nothing reads its entry before the SIPI */
		e = ap_slot_set(c->apic_id, c, (uint64_t)c->kstack + KSTACK_SIZE);
	if (!e)
		e = monlinks_renew(id, c->pool, old_links, &nold);
	if (e) {
		klog("restart core %u: cannot build its CPU driver: %s\n", id, err_str(e));
		if (spare) /* nothing refers to it: it may serve another time */
			poolreuse_unuse(cp.base);
		return e;
	}
	c->lapic_timer_hz = cpu_self()->lapic_timer_hz;
	uint32_t ended = __atomic_load_n(&core_status[id].generation, __ATOMIC_ACQUIRE);
	if (!pools[id].err && pools[id].size) /* a core left out at boot may have had none */
		poolreuse_retire(id, ended, &pools[id], old_links, nold);
	reset_status(id);
	pools[id] = cp;
	core_status_set(id, CORE_STARTING);
	e = start_one(id);
	if (e) {
		if (id == 0)   /* an INIT would now run the BIOS's reboot: it stays as it is */
			ap_warm_reset_disarm();
		if (core_status_move(id, CORE_STARTING, CORE_FAILED) && id != 0)
			ap_send_init(c->apic_id); /* parked: it cannot run the trampoline later */
		klog("restart core %u: did not answer INIT-SIPI-SIPI within %u ms (%s); left out\n",
		     id, RESTART_START_MS, err_str(e));
		return e;
	}
	klog("restarting core %u: fresh CPU driver, pool %#lx-%#lx (%lu MiB, node %u, %s)\n", id,
	     cp.base, cp.base + cp.size - 1, cp.size >> 20, cp.node,
	     spare ? "a free restart pool" : "from the monitors' memory");
	return ERR_OK;
}

err_t smp_restart(uint64_t id, uint64_t pool_pa, uint64_t pool_pages)
{
	err_t e = restart_check(id);
	if (e)
		return e;
	uint32_t idle = 0;
	if (!__atomic_compare_exchange_n(&restart_busy, &idle, 1, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return ERR_BUSY;
	e = restart_check(id); /* another core may have restarted it meanwhile */
	if (!e)
		e = restart_locked((unsigned)id, pool_pa, pool_pages);
	__atomic_store_n(&restart_busy, 0, __ATOMIC_RELEASE);
	return e;
}
