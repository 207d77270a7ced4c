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

/*
 * No other core runs (none started yet, or every other one stopped or
 * failed): nobody is left to report this core's stop or to restart it.
 */
static bool no_other_core_running(void)
{
	for (unsigned id = 0; id < CORES_MAX; id++) {
		if (id == cpu_id())
			continue;
		enum core_state s = core_status_get(id);
		if (s != CORE_ABSENT && s != CORE_STOPPED && s != CORE_FAILED)
			return false;
	}
	return true;
}

/*
 * Halt the calling core for good.  The run ends as well (panic=exit, or
 * when this was the last running core, e.g. the boot core finding too
 * little RAM before it started any other): a machine with no running core
 * can do nothing more, so the user gets the exit status at once rather
 * than a watchdog's.
 */
void core_stop(void)
{
	irq_disable();
	core_status_set(cpu_id(), CORE_STOPPED);
	if (boot_options.panic_exit || no_other_core_running())
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
