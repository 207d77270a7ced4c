/*
 * test.h: the tiny harness shared by every host unit test.
 *
 * A test program is a list of named cases.  Each case prints exactly one
 * line, `TEST <program>.<case> PASS` or `TEST <program>.<case> FAIL: why`,
 * which tools/run-tests.py counts.  The program exits 0 only if every case
 * passed.  Host tests are built with -fsanitize=address,undefined, so a
 * memory error aborts the program and the runner counts it as a failure.
 *
 *   static void t_wraps(void) { CHECK(ring_next(7, 8) == 0); }
 *   int main(void) { RUN(t_wraps); return test_summary(); }
 */
#ifndef TESTS_UNIT_TEST_H
#define TESTS_UNIT_TEST_H

#include <stdio.h>
#include <string.h>
#include <stdbool.h>
#include <stdint.h>

static int test_failures_total;
static int test_case_failed;
static char test_case_reason[256];

#define CHECK(cond) do {                                                   \
	if (!(cond) && !test_case_failed) {                                \
		test_case_failed = 1;                                      \
		snprintf(test_case_reason, sizeof test_case_reason,        \
			 "%s:%d: %s", __FILE__, __LINE__, #cond);          \
	}                                                                  \
} while (0)

#define CHECK_EQ(a, b) do {                                                \
	long long _a = (long long)(a), _b = (long long)(b);                \
	if (_a != _b && !test_case_failed) {                               \
		test_case_failed = 1;                                      \
		snprintf(test_case_reason, sizeof test_case_reason,        \
			 "%s:%d: %s == %s (%lld != %lld)", __FILE__,       \
			 __LINE__, #a, #b, _a, _b);                        \
	}                                                                  \
} while (0)

#define CHECK_STR(a, b) do {                                               \
	const char *_a = (a), *_b = (b);                                   \
	if (strcmp(_a, _b) != 0 && !test_case_failed) {                    \
		test_case_failed = 1;                                      \
		snprintf(test_case_reason, sizeof test_case_reason,        \
			 "%s:%d: \"%s\" != \"%s\"", __FILE__, __LINE__,   \
			 _a, _b);                                          \
	}                                                                  \
} while (0)

#ifndef TEST_PROGRAM
#define TEST_PROGRAM "unit"
#endif

#define RUN(fn) do {                                                       \
	test_case_failed = 0;                                              \
	test_case_reason[0] = 0;                                           \
	fn();                                                              \
	if (test_case_failed) {                                            \
		test_failures_total++;                                     \
		printf("TEST %s.%s FAIL: %s\n", TEST_PROGRAM, #fn,         \
		       test_case_reason);                                  \
	} else {                                                           \
		printf("TEST %s.%s PASS\n", TEST_PROGRAM, #fn);            \
	}                                                                  \
	fflush(stdout);                                                    \
} while (0)

static inline int test_summary(void)
{
	return test_failures_total ? 1 : 0;
}

#endif
