/* exit.c: end the QEMU run through isa-debug-exit (see kernel/platform.h). */
#include <kernel/console.h>
#include <kernel/platform.h>
#include <arch/x86.h>

#define DEBUG_EXIT_PORT 0xf4

void platform_exit(unsigned code)
{
	console_flush();
	outl(DEBUG_EXIT_PORT, EXIT_BASE + code);
	halt_forever();
}
