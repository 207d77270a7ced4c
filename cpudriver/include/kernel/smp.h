/*
 * smp.h: starting one CPU driver per core.
 *
 * smp_boot() runs on the boot core after machine_discover(): it plans every
 * core's memory pool from that core's NUMA node (kernel/corepool.h), builds
 * each AP's struct cpu, stacks and pool inside the AP's own memory, starts
 * all APs at once (one INIT delay for all, each AP finds its own trampoline
 * entry) and waits (bounded, halted between timer ticks) until each reports
 * CORE_UP.  A core whose node has no memory, or too little, takes its pool
 * from the nearest node with memory and the boot core says so.  From
 * then on the boot core never touches an AP's memory again.  A core that
 * cannot be given memory or does not answer is reported and left out; the
 * rest boot.  Prints `core 0: all N cores up in T ms` (or `K of N cores
 * up ...`), T measured from the CPU driver's entry (firmware excluded).
 *
 * Every core prints its own line from its own CPU driver:
 *   core N: up apic=A pkg=P core=C thread=T node=D pool=0xB-0xE (S MiB, node M) timer=H Hz
 * (`several nodes` instead of `node M` for a boot pool that spans nodes).
 *
 * Returns the number of cores up, the boot core included.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H
#include <stdint.h>
#include <kernel/cpu.h>
#include <kernel/memrange.h>

unsigned smp_boot(struct mem_ranges *free_ram);

/* Announce the calling core: its `up` line, then CORE_UP. */
void smp_announce(struct cpu *c);

/* Cores the topology lists that smp_boot tried (boot core included). */
unsigned smp_cores_planned(void);

/*
 * Restart core id, which stopped (or failed a restart) after it had come up,
 * or was left out at boot:
 * from the calling core, a fresh CPU driver for it in a fresh memory pool
 * (pool_pages frames of the monitors' memory at pool_pa, which the calling
 * monitor gives up for good; or, with pool_pa 0, a free pool of the
 * restart pools (kernel/poolreuse.h: the spares smp_boot reserved per node,
 * of at most 8 MiB, and pools released since); the old pool is retired
 * there), new monitor links (kernel/monlinks.h), INIT-SIPI-SIPI again, and
 * a bounded wait until it read its trampoline entry.  The identity mapping
 * of the trampoline stays in the caller's kernel tables.  Returns ERR_OK
 * (it is starting: CORE_UP follows), ERR_RANGE (no such core),
 * ERR_NOENT (not a planned core; one left out at boot starts this way
 * too), ERR_BUSY (it runs, or another restart is
 * under way), ERR_NOMEM (no spare pool left), ERR_INVAL (pool_pa, pool_pages is no
 * aligned range of the monitors' memory of RESTART_POOL_MIN..MAX bytes), ERR_TIMEOUT (it did not
 * answer; it is parked and may be restarted again).  Core 0, the boot
 * processor, is started through the BIOS warm-reset vector (arch/apstart.h):
 * an INIT sends it into the firmware, not to wait-for-SIPI.
 */
err_t smp_restart(uint64_t id, uint64_t pool_pa, uint64_t pool_pages);

/* TSC at the CPU driver's entry on the boot core. */
extern uint64_t boot_entry_tsc;

#endif
