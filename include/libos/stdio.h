/*
 * libos/stdio.h: formatted output for domains.
 *
 * Formatting is lib/fmt.h's engine (the same as the kernel's printk).
 * printf formats the whole call into one buffer and hands it to the kernel
 * with one SYS_PRINT, so two domains' printf lines never interleave.  The
 * kernel prints whole lines with a "core N: <program>: " prefix; end each
 * call with '\n' and print one line per call.  Output longer than
 * SYS_PRINT_MAX bytes is split into several SYS_PRINT calls, at a newline
 * where possible.
 */
#ifndef LIBOS_STDIO_H
#define LIBOS_STDIO_H

#include <stdarg.h>
#include <stddef.h>

/* Returns the number of characters printed, or a negative err_t. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
/* Print s and a newline. */
int puts(const char *s);

/* C99 snprintf (lib/fmt.h): returns the length the output would have. */
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
