/*
 * fmt: printf-style formatting into a caller-supplied buffer.
 *
 * Pure, freestanding code shared by the CPU driver, libos and host tests.
 * No allocation, no global state, safe to call on any core at any time.
 *
 * Supported conversions: %d %i %u %x %X %o %c %s %p %%, length modifiers
 * hh h l ll z j t, flags '-' '0' ' ' '+' '#', field width and precision
 * (both may be '*').  Unknown conversions are copied literally so that a
 * bad format string is visible in the output instead of crashing.
 *
 * fmt_vsnprintf/fmt_snprintf follow C99 snprintf: they never write more
 * than `size` bytes including the terminating NUL, always NUL-terminate
 * when size > 0, and return the length the full output would have had.
 */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
