/* bootopts.c: the kernel command-line options (see kernel/boot.h). */
#include <kernel/boot.h>
#include <kernel/bootgate.h>
#include <kernel/cmdline.h>

struct boot_info boot_info;
struct boot_options boot_options;

void boot_options_parse(const char *cmdline, struct boot_options *o)
{
	char v[16];
	__builtin_memset(o, 0, sizeof *o);
	cmdline_get(cmdline, "test", o->test, sizeof o->test);
	o->panic_exit = cmdline_get(cmdline, "panic", v, sizeof v) &&
			__builtin_strcmp(v, "exit") == 0;
	if (!cmdline_get_u64(cmdline, "cores", &o->max_cores))
		o->max_cores = 0;
	if (!cmdline_get_u64(cmdline, "apic_init_us", &o->apic_init_us) ||
	    o->apic_init_us > 1000000)
		o->apic_init_us = 10000;
	if (!cmdline_get_u64(cmdline, "idle_ms", &o->idle_ms))
		o->idle_ms = 0;
	if (!cmdline_get_u64(cmdline, "deaf_core", &o->deaf_core))
		o->deaf_core = 0;
	if (!cmdline_get_u64(cmdline, "deaf_restart", &o->deaf_restart))
		o->deaf_restart = 0;
	if (!cmdline_get_u64(cmdline, "hang_core", &o->hang_core))
		o->hang_core = 0;
	if (!cmdline_get_u64(cmdline, "hang_ms", &o->hang_ms))
		o->hang_ms = 3000;
	if (!cmdline_get_u64(cmdline, "monmem", &o->monmem_pages))
		o->monmem_pages = 0;
	if (!cmdline_get_u64(cmdline, "gate_ms", &o->gate_ms) || o->gate_ms > BOOTGATE_MONITORS_MS)
		o->gate_ms = BOOTGATE_MONITORS_MS;
	if (!cmdline_get_u64(cmdline, "stuck_monitor", &o->stuck_monitor))
		o->stuck_monitor = 0;
	cmdline_get(cmdline, "topo", o->topo_print, sizeof o->topo_print);
	o->names_central = cmdline_get(cmdline, "names", v, sizeof v) &&
			   __builtin_strcmp(v, "central") == 0;
}
