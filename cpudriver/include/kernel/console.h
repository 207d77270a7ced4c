/*
 * console.h: line-oriented kernel output on the serial console.
 *
 * Every call formats one whole text on the caller's stack first, then
 * appends it to the calling core's console ring; whichever core holds the
 * console lock writes every core's pending lines to the UART.  No core
 * spins for that lock to print: lines from different cores never interleave
 * inside a line, and a core that prints a lot delays only itself
 * (console.c has the design).
 * Output lines are a protocol for the tests: `core N: ...`, `PANIC core N: ...`,
 * `TEST name PASS|FAIL`.  Never build one line from several kprintf calls.
 *
 * klog() prefixes "core N: " with the calling core's number.
 * Callable on any core with interrupts off (the kernel's normal state), from
 * trap handlers too; panics and exception reports use kprintf_urgent.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#define CONSOLE_RING_SIZE 4096

/* One core's pending output: head written by the core, tail by the drainer. */
struct console_ring {
	uint32_t head, tail;
	char buf[CONSOLE_RING_SIZE];
};

struct cpu;

void console_init(void);
/* Give core c its ring (called by cpu_install on every core). */
void console_attach(struct cpu *c);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
void klog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For panics and exception reports: gets through even if the lock is stuck. */
void kprintf_urgent(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Write raw text (whole lines, no formatting). */
void console_write(const char *s, unsigned long len);
void console_write_urgent(const char *s, unsigned long len);
/*
 * A domain's whole lines (SYS_PRINT): waits, yielding the core, while this
 * core's ring is full.  False if len is larger than a ring.  Only from a
 * system call of the current domain.
 */
bool console_put_user(const char *s, unsigned long len);
/* Drain pending lines if the lock is free (timer tick, idle). */
void console_poll(void);
/* Drain every core's pending lines, waiting (bounded) for the lock: before exit. */
void console_flush(void);

#endif
