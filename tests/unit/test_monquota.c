/*
 * Host tests for monitor/quota.c: every kind up to its limit and refused
 * one past it with nothing charged, given back and taken again, no
 * underflow, large counts that would overflow, the spawner's children
 * limit, names for the logs.
 */
#define TEST_PROGRAM "monquota"
#include "test.h"
#include <monitor/quota.h>

static void t_limits(void)
{
	static const uint32_t max[QUOTA_KINDS] = {
		QUOTA_PENDING_MAX, QUOTA_SPAWNS_MAX, QUOTA_CHILDREN_MAX, QUOTA_BINDS_MAX,
		QUOTA_CHANNELS_MAX, QUOTA_NAMES_MAX, QUOTA_MEM_MAX,
	};
	struct quota q;

	quota_init(&q, 0, 0);
	for (unsigned k = 0; k < QUOTA_KINDS; k++) {
		for (uint32_t i = 0; i < max[k]; i++)
			CHECK_EQ(quota_take(&q, (enum quota_kind)k, 1), ERR_OK);
		CHECK_EQ(quota_take(&q, (enum quota_kind)k, 1), ERR_QUOTA);
		CHECK_EQ(q.used[k], max[k]);
		quota_give(&q, (enum quota_kind)k, 1);
		CHECK_EQ(quota_take(&q, (enum quota_kind)k, 1), ERR_OK);
		CHECK_EQ(quota_take(&q, (enum quota_kind)k, 1), ERR_QUOTA);
	}
	/* Kinds are independent: all full now, and one given back frees only it. */
	quota_give(&q, QUOTA_NAMES, 1);
	CHECK_EQ(quota_take(&q, QUOTA_MEM, 1), ERR_QUOTA);
	CHECK_EQ(quota_take(&q, QUOTA_NAMES, 1), ERR_OK);
}

static void t_counts(void)
{
	struct quota q;

	quota_init(&q, 0, 0);
	CHECK_EQ(quota_take(&q, QUOTA_MEM, QUOTA_MEM_MAX + 1), ERR_QUOTA);
	CHECK_EQ(q.used[QUOTA_MEM], 0);
	CHECK_EQ(quota_take(&q, QUOTA_MEM, 60), ERR_OK);
	CHECK_EQ(quota_take(&q, QUOTA_MEM, 5), ERR_QUOTA);
	CHECK_EQ(quota_take(&q, QUOTA_MEM, 0xffffffffu), ERR_QUOTA);
	CHECK_EQ(q.used[QUOTA_MEM], 60);
	CHECK_EQ(quota_take(&q, QUOTA_MEM, 4), ERR_OK);
	quota_give(&q, QUOTA_MEM, 100);
	CHECK_EQ(q.used[QUOTA_MEM], 0);
	quota_give(&q, QUOTA_MEM, 1);
	CHECK_EQ(q.used[QUOTA_MEM], 0);
	CHECK_EQ(quota_take(&q, QUOTA_KINDS, 1), ERR_QUOTA);
	quota_give(&q, QUOTA_KINDS, 1);
}

static void t_spawner(void)
{
	struct quota q;

	quota_init(&q, 1, 0);
	for (uint32_t i = 0; i < QUOTA_CHILDREN_SPAWN_MAX; i++)
		CHECK_EQ(quota_take(&q, QUOTA_CHILDREN, 1), ERR_OK);
	CHECK_EQ(quota_take(&q, QUOTA_CHILDREN, 1), ERR_QUOTA);
	quota_init(&q, 0, 0);
	CHECK_EQ(q.used[QUOTA_CHILDREN], 0);
	CHECK_EQ(q.limit[QUOTA_CHILDREN], QUOTA_CHILDREN_MAX);
	quota_init(&q, 0, 255);
	CHECK_EQ(q.limit[QUOTA_BINDS], QUOTA_BINDS_MAX + 255);
	CHECK_EQ(q.limit[QUOTA_CHANNELS], QUOTA_CHANNELS_MAX + 510);
	CHECK_EQ(q.limit[QUOTA_NAMES], QUOTA_NAMES_MAX);
}

static void t_names(void)
{
	CHECK_STR(quota_name(QUOTA_PENDING), "pending requests");
	CHECK_STR(quota_name(QUOTA_CHILDREN), "children");
	CHECK_STR(quota_name(QUOTA_MEM), "frames of monitor memory");
	CHECK_STR(quota_name(QUOTA_KINDS), "unknown");
}

int main(void)
{
	RUN(t_limits);
	RUN(t_counts);
	RUN(t_spawner);
	RUN(t_names);
	return test_summary();
}
