/*
 * corestatus.h: each core's life-cycle word and heartbeat.
 *
 * core_status[i] is written ONLY by core i (and by the boot core before core
 * i is started, or by the core that restarts it while it is stopped, see
 * kernel/smp.h); everyone else only reads it.  It is one of the two pieces of
 * memory the CPU drivers share, with the console lock (docs/01-boot.md): the
 * boot core needs it to learn that an AP came up, and the tests need to see
 * that a stopped core stays stopped while the others keep ticking.  Each
 * entry has a cache line of its own, so no line has two writers.  Everything
 * else between cores goes through URPC channels set up by the monitors.
 */
#ifndef KERNEL_CORESTATUS_H
#define KERNEL_CORESTATUS_H
#include <stdbool.h>
#include <stdint.h>
#include <kernel/cpu.h>

enum core_state {
	CORE_ABSENT = 0, /* not started (yet) */
	CORE_STARTING,   /* boot core sent INIT-SIPI-SIPI */
	CORE_UP,         /* CPU driver running, timer ticking */
	CORE_STOPPED,    /* faulted or panicked; it halts for good */
	CORE_FAILED,     /* never answered, or no memory for it */
	CORE_ENTERED,    /* the AP reached its C entry (claimed from STARTING) */
};

struct core_status {
	uint32_t state;      /* enum core_state */
	uint32_t monitor_ready; /* 1 once its monitor first waited for work (bootgate.h) */
	uint64_t heartbeat;  /* timer ticks so far */
	uint64_t up_tsc;     /* TSC when the core reached CORE_UP */
	uint32_t domains_live;  /* domains not yet ended on this core */
	uint32_t services_started; /* 1 once its manifest services are started */
	void *ipc_inbox;     /* kernel IPC inbox (kernel/kipc.h), set at start */
	void *chan_areas;    /* channel registry (kernel/chanreg.h), set at start */
	void *wake_table;    /* channel notifications (kernel/chanwake.h), set at start */
	uint32_t generation; /* restarts so far (written by the restarting core) */
	uint8_t pad[4];
} __attribute__((aligned(64)));

extern struct core_status core_status[CORES_MAX];

/* Publish the calling core's (or, before it starts, core id's) state. */
void core_status_set(unsigned id, enum core_state s);
enum core_state core_status_get(unsigned id);
/*
 * Atomically from -> to; false if the state was not `from`.  The boot core
 * and a late AP race for a STARTING core: whoever moves it first decides
 * (the AP to ENTERED and UP, the boot core to FAILED).
 */
bool core_status_move(unsigned id, enum core_state from, enum core_state to);
uint64_t core_heartbeat(unsigned id);
const char *core_state_name(enum core_state s);

#endif
