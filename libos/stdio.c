/*
 * stdio.c: printf and friends (include/libos/stdio.h).
 *
 * One call formats into one stack buffer and leaves in as few SYS_PRINTs
 * as possible: one whenever the text fits SYS_PRINT_MAX.  Longer text is
 * formatted into a heap buffer (or truncated if there is no heap memory)
 * and cut after the last newline of each SYS_PRINT_MAX window.
 */
#include <lib/fmt.h>
#include <libos/libos.h>

/* Hand len bytes to the kernel, in whole lines where possible. */
static int64_t stdio_write(const char *s, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t n = len - done;

		if (n > SYS_PRINT_MAX) {
			n = SYS_PRINT_MAX;
			while (n > 0 && s[done + n - 1] != '\n')
				n--;
			if (n == 0)
				n = SYS_PRINT_MAX;
		}
		int64_t r = sys_print(s + done, n);
		if (r < 0)
			return r;
		done += n;
	}
	return (int64_t)done;
}

int vprintf(const char *fmt, va_list ap)
{
	char buf[SYS_PRINT_MAX + 1];
	va_list ap2;
	int n;
	int64_t r;

	va_copy(ap2, ap);
	n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
	if (n < 0) {
		va_end(ap2);
		return ERR_INVAL;
	}
	if ((size_t)n < sizeof buf) {
		r = stdio_write(buf, (size_t)n);
	} else {
		char *big = malloc((size_t)n + 1);

		if (big) {
			fmt_vsnprintf(big, (size_t)n + 1, fmt, ap2);
			r = stdio_write(big, (size_t)n);
			free(big);
		} else {
			r = stdio_write(buf, sizeof buf - 1);
		}
	}
	va_end(ap2);
	return r < 0 ? (int)r : n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	return printf("%s\n", s);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return fmt_vsnprintf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
