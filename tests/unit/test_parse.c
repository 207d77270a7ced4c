/* Host tests for lib/parse.c: numbers, key=value words, program names. */
#define TEST_PROGRAM "parse"
#include "test.h"
#include <lib/parse.h>

static void t_numbers(void)
{
	uint64_t v = 7;
	CHECK_EQ(parse_u64("0", &v), ERR_OK);
	CHECK_EQ(v, 0);
	CHECK_EQ(parse_u64("18446744073709551615", &v), ERR_OK);
	CHECK(v == UINT64_MAX);
	CHECK_EQ(parse_u64("0x1F", &v), ERR_OK);
	CHECK_EQ(v, 31);
	CHECK_EQ(parse_u64("0Xff", &v), ERR_OK);
	CHECK_EQ(v, 255);
}

static void t_bad_numbers(void)
{
	uint64_t v = 7;
	CHECK_EQ(parse_u64(0, &v), ERR_SYNTAX);
	CHECK_EQ(parse_u64("", &v), ERR_SYNTAX);
	CHECK_EQ(parse_u64("0x", &v), ERR_SYNTAX);
	CHECK_EQ(parse_u64("12k", &v), ERR_SYNTAX);
	CHECK_EQ(parse_u64("-1", &v), ERR_SYNTAX);
	CHECK_EQ(parse_u64(" 3", &v), ERR_SYNTAX);
	CHECK_EQ(parse_u64("1f", &v), ERR_SYNTAX);       /* hex digit without 0x */
	CHECK_EQ(parse_u64("18446744073709551616", &v), ERR_RANGE);
	CHECK_EQ(parse_u64("0x10000000000000000", &v), ERR_RANGE);
	CHECK_EQ(v, 7);                                   /* untouched on failure */
}

static void t_kv_match(void)
{
	size_t at = 99;
	CHECK(parse_kv_match("iters=300", 9, "iters", &at));
	CHECK_EQ(at, 6);
	CHECK(parse_kv_match("quiet", 5, "quiet", &at));
	CHECK_EQ(at, 5);
	CHECK(!parse_kv_match("iters=300", 9, "iter", &at));
	CHECK(!parse_kv_match("iter", 4, "iters", &at));
	CHECK(!parse_kv_match("x=1", 3, "", &at));
	CHECK(parse_kv_match("a=1 b", 3, "a", &at));      /* only len counts */
	CHECK(!parse_kv_match("ab=1", 1, "ab", &at));
}

static void t_kv_find(void)
{
	char *argv[] = { "prog", "coord", "iters=300", "quiet", "iters=5", "x" };
	CHECK_STR(parse_kv_find(6, argv, 1, "iters"), "5");  /* last wins */
	CHECK_STR(parse_kv_find(6, argv, 1, "quiet"), "");
	CHECK(parse_kv_find(6, argv, 1, "coord=") == NULL);
	CHECK(parse_kv_find(6, argv, 1, "missing") == NULL);
	CHECK(parse_kv_find(3, argv, 3, "iters") == NULL);    /* outside range */
	CHECK(parse_kv_find(0, NULL, 0, "iters") == NULL);
}

static void t_program_name(void)
{
	char out[8];
	CHECK_EQ(parse_program_name("/boot/hello arg=1", out, sizeof out), 5);
	CHECK_STR(out, "hello");
	CHECK_EQ(parse_program_name("monitor", out, sizeof out), 7);
	CHECK_STR(out, "monitor");
	CHECK_EQ(parse_program_name("a/b/verylongname", out, sizeof out), 12);
	CHECK_STR(out, "verylon");                            /* truncated */
	CHECK_EQ(parse_program_name("dir/", out, sizeof out), 0);
	CHECK_STR(out, "");
	CHECK_EQ(parse_program_name("x y/z", out, 1), 1);
	CHECK_STR(out, "");
}

static void t_ends_with(void)
{
	CHECK(parse_ends_with("default.manifest", ".manifest"));
	CHECK(parse_ends_with(".manifest", ".manifest"));
	CHECK(!parse_ends_with("manifest", ".manifest"));
	CHECK(!parse_ends_with("a.manifest.x", ".manifest"));
	CHECK(parse_ends_with("abc", ""));
}

int main(void)
{
	RUN(t_numbers);
	RUN(t_bad_numbers);
	RUN(t_kv_match);
	RUN(t_kv_find);
	RUN(t_program_name);
	RUN(t_ends_with);
	return test_summary();
}
