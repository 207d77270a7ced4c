/* Host tests for cpudriver/cmdline.c. */
#define TEST_PROGRAM "cmdline"
#include "test.h"
#include <kernel/cmdline.h>

static void t_lookup(void)
{
	char v[32];
	const char *c = "/boot/kernel.bin test=pagefault  panic=exit quiet cores=0x10";
	CHECK(cmdline_get(c, "test", v, sizeof v));
	CHECK_STR(v, "pagefault");
	CHECK(cmdline_get(c, "quiet", v, sizeof v));
	CHECK_STR(v, "");
	CHECK(!cmdline_get(c, "tes", v, sizeof v));   /* prefix of a key */
	CHECK(!cmdline_get(c, "testx", v, sizeof v)); /* longer than a key */
	CHECK(!cmdline_get(c, "missing", v, sizeof v));
	CHECK(!cmdline_get(c, "", v, sizeof v));
	CHECK(!cmdline_get(0, "test", v, sizeof v));
}

static void t_last_wins_and_overflow(void)
{
	char v[4];
	CHECK(cmdline_get("a=1 a=22", "a", v, sizeof v));
	CHECK_STR(v, "22");
	CHECK(!cmdline_get("a=toolong", "a", v, sizeof v));
	CHECK_STR(v, "");
}

static void t_numbers(void)
{
	uint64_t n = 0;
	CHECK(cmdline_get_u64("cores=12", "cores", &n) && n == 12);
	CHECK(cmdline_get_u64("cores=0xff", "cores", &n) && n == 255);
	CHECK(!cmdline_get_u64("cores=12x", "cores", &n));
	CHECK(!cmdline_get_u64("cores=0x", "cores", &n));
	CHECK(!cmdline_get_u64("cores=", "cores", &n));
	CHECK(!cmdline_get_u64("cores=99999999999999999999", "cores", &n));
	CHECK(cmdline_get_u64("cores=18446744073709551615", "cores", &n) && n == UINT64_MAX);
}

static void t_words(void)
{
	const char *p = "  a=1\tb  c=\n", *w;
	size_t len;
	CHECK(cmdline_next_word(&p, &w, &len) && len == 3 && strncmp(w, "a=1", 3) == 0);
	CHECK(cmdline_next_word(&p, &w, &len) && len == 1 && w[0] == 'b');
	CHECK(cmdline_next_word(&p, &w, &len) && len == 2 && strncmp(w, "c=", 2) == 0);
	CHECK(!cmdline_next_word(&p, &w, &len));
	CHECK(!cmdline_next_word(&p, &w, &len)); /* stays at the end */
	p = "";
	CHECK(!cmdline_next_word(&p, &w, &len));
}

int main(void)
{
	RUN(t_lookup);
	RUN(t_last_wins_and_overflow);
	RUN(t_numbers);
	RUN(t_words);
	return test_summary();
}
