/* event.c: tagged event lines (see kernel/event.h). */
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/event.h>
#include <lib/fmt.h>
#include <stdarg.h>

void kevent(const char *name, const char *fmt, ...)
{
	char args[200];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	kprintf("EV core=%u %s%s%s\n", cpu_id(), name, args[0] ? " " : "", args);
}
