/* panic.c: report and stop the calling core (see kernel/panic.h). */
#include <kernel/panic.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/boot.h>
#include <kernel/corestatus.h>
#include <kernel/platform.h>
#include <arch/x86.h>
#include <lib/fmt.h>
#include <stdarg.h>

void core_stop(void)
{
	irq_disable();
	core_status_set(cpu_id(), CORE_STOPPED);
	if (boot_options.panic_exit)
		platform_exit(EXIT_PANIC);
	halt_forever();
}

void panic(const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	irq_disable();
	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	kprintf_urgent("EV core=%u panic\n", cpu_id());
	kprintf_urgent("PANIC core %u: %s\n", cpu_id(), msg);
	core_stop();
}
