/*
 * boot.h: what the boot core learned before the other cores start.
 *
 * boot_info and boot_options are written only by the boot core, before any AP
 * is started, and are read-only afterwards: they are the boot-time facts every
 * CPU driver may read (command line, memory map, modules), not shared state.
 */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/memrange.h>

#define BOOT_CMDLINE_MAX 512
#define BOOT_CMDLINE_SCAN 65536 /* a longer command line counts as unterminated */
#define BOOT_MMAP_MAX 64
#define BOOT_MODULES_MAX 32
#define BOOT_MODNAME_MAX 64

struct boot_mmap_entry {
	uint64_t base, len;
	uint32_t type;
};

struct boot_module {
	uint64_t start, end; /* physical, end exclusive */
	char name[BOOT_MODNAME_MAX];
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	uint64_t cmdline_cut_from;     /* the loader's length if cmdline was cut (too long), else 0 */
	unsigned mmap_count;
	struct boot_mmap_entry mmap[BOOT_MMAP_MAX];
	unsigned module_count;
	struct boot_module modules[BOOT_MODULES_MAX];
	struct mem_ranges usable;      /* available RAM per the firmware */
	struct mem_ranges loader_data; /* info block, strings, modules */
	uint64_t mem_lower_kb, mem_upper_kb;
};

struct boot_options {
	char test[32];       /* test=NAME: run a kernel self-test */
	bool panic_exit;     /* panic=exit: a panic ends the QEMU run */
	uint64_t max_cores;  /* cores=N: start at most N cores (0: all) */
	uint64_t apic_init_us; /* apic_init_us=N: INIT-to-SIPI delay (10000) */
	uint64_t idle_ms;    /* idle_ms=N: all cores idle N ms before the end */
	uint64_t deaf_core;  /* deaf_core=N: no SIPI to core N (a core that never answers; 0: none) */
	uint64_t deaf_restart; /* deaf_restart=N: core N's first restart sends no SIPI (it times
	                        out and is left out; later restarts are normal; 0: none) */
	uint64_t hang_core;  /* hang_core=N: core N's CPU driver hangs with interrupts off
	                        hang_ms (3000) after it came up, once (a restart runs; 0: none) */
	uint64_t hang_ms;
	bool names_central; /* names=central: monitor 0 keeps the only name registry */
	uint64_t monmem_pages; /* monmem=N: at most N frames of monitors' memory (0: all spare RAM) */
	uint64_t gate_ms;    /* gate_ms=N: the boot core waits at most N ms for the APs'
	                        monitors (bootgate.h; BOOTGATE_MONITORS_MS) */
	uint64_t stuck_monitor; /* stuck_monitor=N: core N's first monitor never waits for
	                           work, so it never becomes ready (0: none) */
	char topo_print[12]; /* topo=full|compact: the topology block and broadcast tree
	                        one line per cpu / parent, or compact (machine.h); "": by size */
};

extern struct boot_info boot_info;
extern struct boot_options boot_options;

/*
 * Options absent, malformed or out of range take their defaults; so does
 * an option whose value is not one of its choices (the table in bootopts.c).
 */
void boot_options_parse(const char *cmdline, struct boot_options *o);
/*
 * Say (one line each, no newline) what is wrong with the command line's
 * words: unknown options, values that are not numbers, too large, not one
 * of the choices, too long.  The first word is skipped if it has no '='
 * (the loader's path of the image).  Returns how many words were wrong.
 */
unsigned boot_options_check(const char *cmdline, void (*say)(const char *why));

#endif
