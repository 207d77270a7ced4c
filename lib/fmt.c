/*
 * fmt.c: the one printf engine of the project (see include/lib/fmt.h).
 *
 * Output goes through a small cursor that counts every character it was
 * asked to emit but stores only those that fit, which gives snprintf's
 * "return the would-be length" contract for free.
 */
#include <lib/fmt.h>
#include <stdbool.h>
#include <stdint.h>

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;
};

struct fmt_spec {
	bool left, zero, plus, space, alt;
	int width;
	int precision; /* -1: none */
	int length;    /* 0 int, 1 long, 2 long long, -1 short, -2 char */
	char conv;
};

static void out_char(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_repeat(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static size_t bounded_strlen(const char *s, int max)
{
	size_t n = 0;
	while ((max < 0 || n < (size_t)max) && s[n])
		n++;
	return n;
}

static void out_string(struct fmt_out *o, const struct fmt_spec *sp, const char *s)
{
	if (!s)
		s = "(null)";
	size_t n = bounded_strlen(s, sp->precision);
	int pad = sp->width > (int)n ? sp->width - (int)n : 0;
	if (!sp->left)
		out_repeat(o, ' ', pad);
	/* n <= strlen(s): the analyzer loses that bound for %c's 2-byte buffer. */
	for (size_t i = 0; i < n; i++)
		out_char(o, s[i]); // NOLINT(clang-analyzer-core.CallAndMessage)
	if (sp->left)
		out_repeat(o, ' ', pad);
}

/* Emit one integer: sign/prefix, precision zeros, digits, padding. */
static void out_number(struct fmt_out *o, const struct fmt_spec *sp,
		       uint64_t mag, bool negative, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int nd = 0;

	/* base is 8, 10 or 16 (format_one); cppcheck guesses 0. */
	while (mag) {
		// cppcheck-suppress zerodivcond
		tmp[nd++] = digits[mag % base];
		mag /= base;
	}
	if (nd == 0 && sp->precision != 0)
		tmp[nd++] = '0';

	const char *prefix = "";
	if (negative)
		prefix = "-";
	else if (sp->plus)
		prefix = "+";
	else if (sp->space)
		prefix = " ";
	if (sp->alt && base == 16 && !(nd == 1 && tmp[0] == '0'))
		prefix = upper ? "0X" : "0x";
	if (sp->alt && base == 8 && tmp[nd - 1] != '0')
		prefix = "0";

	int plen = (int)bounded_strlen(prefix, -1);
	int zeros = sp->precision > nd ? sp->precision - nd : 0;
	int total = plen + zeros + nd;
	int pad = sp->width > total ? sp->width - total : 0;

	if (sp->zero && !sp->left && sp->precision < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!sp->left)
		out_repeat(o, ' ', pad);
	for (int i = 0; i < plen; i++)
		out_char(o, prefix[i]);
	out_repeat(o, '0', zeros);
	while (nd)
		out_char(o, tmp[--nd]);
	if (sp->left)
		out_repeat(o, ' ', pad);
}

static const char *parse_flags(const char *f, struct fmt_spec *sp)
{
	for (;; f++) {
		switch (*f) {
		case '-': sp->left = true; break;
		case '0': sp->zero = true; break;
		case '+': sp->plus = true; break;
		case ' ': sp->space = true; break;
		case '#': sp->alt = true; break;
		default: return f;
		}
	}
}

static const char *parse_int(const char *f, int *value, va_list *ap)
{
	if (*f == '*') {
		*value = va_arg(*ap, int);
		return f + 1;
	}
	int v = 0;
	while (*f >= '0' && *f <= '9' && v < 100000)
		v = v * 10 + (*f++ - '0');
	*value = v;
	return f;
}

static const char *parse_length(const char *f, struct fmt_spec *sp)
{
	switch (*f) {
	case 'h':
		sp->length = (f[1] == 'h') ? -2 : -1;
		return f + (f[1] == 'h' ? 2 : 1);
	case 'l':
		sp->length = (f[1] == 'l') ? 2 : 1;
		return f + (f[1] == 'l' ? 2 : 1);
	case 'z': case 'j': case 't':
		sp->length = 2;
		return f + 1;
	default:
		return f;
	}
}

static int64_t fetch_signed(const struct fmt_spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 2: return va_arg(*ap, long long);
	case 1: return va_arg(*ap, long);
	case -1: return (short)va_arg(*ap, int);
	case -2: return (signed char)va_arg(*ap, int);
	default: return va_arg(*ap, int);
	}
}

static uint64_t fetch_unsigned(const struct fmt_spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 2: return va_arg(*ap, unsigned long long);
	case 1: return va_arg(*ap, unsigned long);
	case -1: return (unsigned short)va_arg(*ap, unsigned int);
	case -2: return (unsigned char)va_arg(*ap, unsigned int);
	default: return va_arg(*ap, unsigned int);
	}
}

static void format_one(struct fmt_out *o, struct fmt_spec *sp, va_list *ap)
{
	switch (sp->conv) {
	case 'd': case 'i': {
		int64_t v = fetch_signed(sp, ap);
		uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
		out_number(o, sp, mag, v < 0, 10, false);
		break;
	}
	case 'u': out_number(o, sp, fetch_unsigned(sp, ap), false, 10, false); break;
	case 'x': out_number(o, sp, fetch_unsigned(sp, ap), false, 16, false); break;
	case 'X': out_number(o, sp, fetch_unsigned(sp, ap), false, 16, true); break;
	case 'o': out_number(o, sp, fetch_unsigned(sp, ap), false, 8, false); break;
	case 'p':
		sp->alt = true;
		out_number(o, sp, (uintptr_t)va_arg(*ap, void *), false, 16, false);
		break;
	case 'c': {
		char c[2] = { (char)va_arg(*ap, int), 0 };
		sp->precision = 1;
		out_string(o, sp, c);
		break;
	}
	case 's': out_string(o, sp, va_arg(*ap, const char *)); break;
	case '%': out_char(o, '%'); break;
	default:
		out_char(o, '%');
		if (sp->conv)
			out_char(o, sp->conv);
		break;
	}
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct fmt_out o = { buf, size, 0 };
	va_list ap;
	va_copy(ap, ap_in);

	while (*fmt) {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		struct fmt_spec sp = { .precision = -1 };
		fmt = parse_flags(fmt + 1, &sp);
		fmt = parse_int(fmt, &sp.width, &ap);
		if (sp.width < 0) {
			sp.left = true;
			sp.width = -sp.width;
		}
		if (*fmt == '.')
			fmt = parse_int(fmt + 1, &sp.precision, &ap);
		fmt = parse_length(fmt, &sp);
		sp.conv = *fmt;
		if (*fmt)
			fmt++;
		format_one(&o, &sp, &ap);
	}
	va_end(ap);
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
