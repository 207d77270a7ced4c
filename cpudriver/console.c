/*
 * console.c: whole-line output to the shared UART.
 *
 * The lock is a test-and-test-and-set spin lock in this file's data (not a
 * ticket lock: with more vCPUs than host CPUs a fair lock waits for the one
 * descheduled vCPU whose turn it is, and 255 APs announcing themselves at
 * once queued for seconds): the one piece of mutable
 * memory written by every CPU driver (see docs/01-boot.md).  The alternative,
 * a console core that others message, would need URPC before anything can be
 * printed, including panics during bring-up.  A core holding the lock never
 * takes a fault while holding it (it only copies its own stack buffer out),
 * so a faulting core cannot wedge the others.
 */
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <arch/uart.h>
#include <arch/x86.h>
#include <lib/fmt.h>
#include <stdint.h>

#define CONSOLE_LINE_MAX 512

static volatile uint32_t console_lock;

void console_init(void)
{
	uart_init();
}

static void lock_acquire(void)
{
	for (;;) {
		while (__atomic_load_n(&console_lock, __ATOMIC_RELAXED))
			cpu_relax();
		if (!__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE))
			return;
	}
}

static void lock_release(void)
{
	__atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
}

void console_write(const char *s, unsigned long len)
{
	uint64_t flags = read_rflags();
	irq_disable();
	lock_acquire();
	for (unsigned long i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
	lock_release();
	if (flags & (1u << 9))
		irq_enable();
}

void kvprintf(const char *fmt, va_list ap)
{
	char buf[CONSOLE_LINE_MAX];
	int n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
	if (n >= (int)sizeof buf) {
		n = sizeof buf - 1;
		buf[n - 1] = '\n'; /* keep the line a line even if cut */
	}
	console_write(buf, (unsigned long)n);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

void klog(const char *fmt, ...)
{
	char buf[CONSOLE_LINE_MAX];
	int n = fmt_snprintf(buf, sizeof buf, "core %u: ", cpu_id());
	va_list ap;
	va_start(ap, fmt);
	if (n < (int)sizeof buf)
		n += fmt_vsnprintf(buf + n, sizeof buf - (unsigned)n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof buf) {
		n = sizeof buf - 1;
		buf[n - 1] = '\n';
	}
	console_write(buf, (unsigned long)n);
}
