/* Host tests for lib/fmt.c, compared against the host's own snprintf. */
#define TEST_PROGRAM "fmt"
#include "test.h"
#include <lib/fmt.h>
#include <stdint.h>

static char got[256], want[256];

#define SAME(...) do {                                                     \
	int n1 = fmt_snprintf(got, sizeof got, __VA_ARGS__);               \
	int n2 = snprintf(want, sizeof want, __VA_ARGS__);                 \
	CHECK_STR(got, want);                                              \
	CHECK_EQ(n1, n2);                                                  \
} while (0)

static void t_integers(void)
{
	SAME("%d %i %u", -42, 17, 4000000000u);
	SAME("%ld %lu %lld", -1L, 123456789012UL, (long long)INT64_MIN);
	SAME("%x %X %#x %#X %o %#o", 0xdead, 0xbeef, 0x1f, 0x1f, 8, 8);
	SAME("%zu %zx", (size_t)99, (size_t)0xffff);
	/* %hh and %h take an int (default promotion) and must truncate it. */
	// cppcheck-suppress [invalidPrintfArgType_sint, invalidPrintfArgType_uint]
	SAME("%hhd %hd %hhu", 300, 70000, 257);
	SAME("%llx", 0xffffffffffffffffULL);
}

static void t_width_and_flags(void)
{
	SAME("[%5d][%-5d][%05d][%+d][% d]", 42, 42, 42, 42, 42);
	SAME("[%016lx][%#018lx]", 0x1234UL, 0x1234UL);
	SAME("[%.3d][%8.3d][%-8.3x]", 5, 5, 5);
	SAME("[%*d][%-*d][%.*s]", 6, 1, 6, 1, 2, "abcdef");
	SAME("[%.0d][%5.0d]", 0, 0);
	SAME("[%05d][%-5d]", -3, -3);
}

static void t_strings_chars(void)
{
	SAME("[%s][%10s][%-10s][%.2s]", "abc", "abc", "abc", "abc");
	SAME("[%c%c][%3c]", 'o', 'k', 'x');
	SAME("100%%");
}

static void t_pointer(void)
{
	int x;
	SAME("%p", (void *)&x);
}

static void t_truncation(void)
{
	char small[8];
	int n = fmt_snprintf(small, sizeof small, "%s", "0123456789");
	CHECK_EQ(n, 10);
	CHECK_STR(small, "0123456");
	n = fmt_snprintf(small, 0, "abc");
	CHECK_EQ(n, 3);
	n = fmt_snprintf(small, 1, "abc");
	CHECK_EQ(n, 3);
	CHECK_EQ(small[0], 0);
}

static void t_unknown_conversion(void)
{
	/* Built at run time so the compiler's format check does not object. */
	char bad1[] = "a%qb", bad2[] = "end%";
	fmt_snprintf(got, sizeof got, bad1);
	CHECK_STR(got, "a%qb");
	fmt_snprintf(got, sizeof got, bad2);
	CHECK_STR(got, "end%");
}

int main(void)
{
	RUN(t_integers);
	RUN(t_width_and_flags);
	RUN(t_strings_chars);
	RUN(t_pointer);
	RUN(t_truncation);
	RUN(t_unknown_conversion);
	return test_summary();
}
