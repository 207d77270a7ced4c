/*
 * console.h: line-oriented kernel output on the serial console.
 *
 * Every call to kprintf formats into a buffer on the caller's stack first and
 * then writes the whole text to the UART under the console lock, so lines from
 * different cores never interleave inside a line.  That lock is the only
 * mutable state the CPU drivers share (docs/01-boot.md explains why).
 * Output lines are a protocol for the tests: `core N: ...`, `PANIC core N: ...`,
 * `TEST name PASS|FAIL`.  Never build one line from several kprintf calls.
 *
 * klog() prefixes "core N: " with the calling core's number.
 * Callable on any core, with interrupts on or off, from trap handlers too.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdarg.h>

void console_init(void);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
void klog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Write raw text (no formatting) under the console lock. */
void console_write(const char *s, unsigned long len);

#endif
