/*
 * Host tests for monitor/names.c: register, look up and remove names;
 * ERR_EXIST before ERR_FULL, bad names refused without touching the table,
 * removal of a domain's and of a core's names leaving the others, reuse of
 * freed slots, a zero-capacity table, and a random workload against a
 * simple model.
 */
#define TEST_PROGRAM "names"
#include "test.h"
#include <monitor/names.h>

#define CAP 8

static struct mon_name_entry slots[CAP + 1];    /* one guard slot after */
static struct mon_names t;

static void fresh(void)
{
	memset(slots, 0x5a, sizeof slots);
	mon_names_init(&t, slots, CAP);
}

static bool guard_intact(void)
{
	const unsigned char *g = (const unsigned char *)&slots[CAP];

	for (size_t i = 0; i < sizeof slots[CAP]; i++)
		if (g[i] != 0x5a)
			return false;
	return true;
}

static void t_register_lookup(void)
{
	uint32_t core = 99, dom = 99;

	fresh();
	CHECK_EQ(t.count, 0);
	CHECK_EQ(mon_names_lookup(&t, "echo", &core, &dom), ERR_NOENT);
	CHECK_EQ(core, 99);
	CHECK_EQ(mon_names_register(&t, "echo", 2, 5), ERR_OK);
	CHECK_EQ(mon_names_register(&t, "echo2", 3, 1), ERR_OK);
	CHECK_EQ(t.count, 2);
	CHECK_EQ(mon_names_lookup(&t, "echo", &core, &dom), ERR_OK);
	CHECK_EQ(core, 2);
	CHECK_EQ(dom, 5);
	CHECK_EQ(mon_names_lookup(&t, "echo2", &core, &dom), ERR_OK);
	CHECK_EQ(core, 3);
	CHECK_EQ(dom, 1);
	CHECK_EQ(mon_names_lookup(&t, "echo2", NULL, NULL), ERR_OK);
	/* Exact match only: no prefixes, case matters. */
	CHECK_EQ(mon_names_lookup(&t, "ech", NULL, NULL), ERR_NOENT);
	CHECK_EQ(mon_names_lookup(&t, "echo22", NULL, NULL), ERR_NOENT);
	CHECK_EQ(mon_names_lookup(&t, "ECHO", NULL, NULL), ERR_NOENT);
	CHECK(guard_intact());
}

static void t_exist(void)
{
	uint32_t core, dom;

	fresh();
	CHECK_EQ(mon_names_register(&t, "svc", 1, 1), ERR_OK);
	CHECK_EQ(mon_names_register(&t, "svc", 1, 1), ERR_EXIST);
	CHECK_EQ(mon_names_register(&t, "svc", 2, 7), ERR_EXIST);
	CHECK_EQ(t.count, 1);
	CHECK_EQ(mon_names_lookup(&t, "svc", &core, &dom), ERR_OK);
	CHECK_EQ(core, 1);
	CHECK_EQ(dom, 1);
}

static void t_full(void)
{
	char name[8];

	fresh();
	for (unsigned i = 0; i < CAP; i++) {
		snprintf(name, sizeof name, "s%u", i);
		CHECK_EQ(mon_names_register(&t, name, i % 3, i), ERR_OK);
	}
	CHECK_EQ(t.count, CAP);
	CHECK_EQ(mon_names_register(&t, "more", 0, 0), ERR_FULL);
	/* A taken name is ERR_EXIST even when the table is full. */
	CHECK_EQ(mon_names_register(&t, "s3", 0, 0), ERR_EXIST);
	CHECK_EQ(mon_names_remove(&t, "s3"), ERR_OK);
	CHECK_EQ(mon_names_register(&t, "more", 0, 42), ERR_OK);
	CHECK_EQ(mon_names_register(&t, "s3", 0, 0), ERR_FULL);
	CHECK_EQ(t.count, CAP);
	for (unsigned i = 0; i < CAP; i++) {
		uint32_t dom;

		snprintf(name, sizeof name, "s%u", i);
		CHECK_EQ(mon_names_lookup(&t, name, NULL, &dom), i == 3 ? ERR_NOENT : ERR_OK);
		if (i != 3)
			CHECK_EQ(dom, i);
	}
	CHECK(guard_intact());
}

static void t_bad_names(void)
{
	char longest[PROGRAM_NAME_MAX], too_long[PROGRAM_NAME_MAX + 1];
	uint32_t core = 5;

	memset(longest, 'a', sizeof longest);
	longest[PROGRAM_NAME_MAX - 1] = 0;
	memset(too_long, 'b', sizeof too_long);
	too_long[PROGRAM_NAME_MAX] = 0;
	fresh();
	CHECK_EQ(mon_names_register(&t, NULL, 0, 0), ERR_INVAL);
	CHECK_EQ(mon_names_register(&t, "", 0, 0), ERR_INVAL);
	CHECK_EQ(mon_names_register(&t, too_long, 0, 0), ERR_INVAL);
	CHECK_EQ(mon_names_register(&t, "tab\there", 0, 0), ERR_INVAL);
	CHECK_EQ(mon_names_register(&t, "hi\x80", 0, 0), ERR_INVAL);
	CHECK_EQ(t.count, 0);
	CHECK_EQ(mon_names_register(&t, longest, 1, 2), ERR_OK);
	CHECK_EQ(mon_names_lookup(&t, longest, &core, NULL), ERR_OK);
	CHECK_EQ(core, 1);
	CHECK_EQ(slots[0].name[PROGRAM_NAME_MAX - 1], 0);
	CHECK_EQ(mon_names_lookup(&t, too_long, NULL, NULL), ERR_INVAL);
	CHECK_EQ(mon_names_lookup(&t, "", NULL, NULL), ERR_INVAL);
	CHECK_EQ(mon_names_lookup(&t, NULL, NULL, NULL), ERR_INVAL);
	CHECK_EQ(mon_names_remove(&t, NULL), ERR_INVAL);
	CHECK_EQ(mon_names_remove(&t, "nope"), ERR_NOENT);
	CHECK_EQ(t.count, 1);
	/* A name with blanks and punctuation is fine (printable ASCII). */
	CHECK_EQ(mon_names_register(&t, "a b/c~!", 0, 0), ERR_OK);
	CHECK_EQ(mon_names_lookup(&t, "a b/c~!", NULL, NULL), ERR_OK);
}

static void t_remove_domain(void)
{
	fresh();
	CHECK_EQ(mon_names_register(&t, "a", 1, 4), ERR_OK);
	CHECK_EQ(mon_names_register(&t, "b", 1, 5), ERR_OK);
	CHECK_EQ(mon_names_register(&t, "c", 1, 4), ERR_OK);
	CHECK_EQ(mon_names_register(&t, "d", 2, 4), ERR_OK);
	CHECK_EQ(mon_names_remove_domain(&t, 1, 4), 2);
	CHECK_EQ(t.count, 2);
	CHECK_EQ(mon_names_lookup(&t, "a", NULL, NULL), ERR_NOENT);
	CHECK_EQ(mon_names_lookup(&t, "c", NULL, NULL), ERR_NOENT);
	CHECK_EQ(mon_names_lookup(&t, "b", NULL, NULL), ERR_OK);
	CHECK_EQ(mon_names_lookup(&t, "d", NULL, NULL), ERR_OK);
	CHECK_EQ(mon_names_remove_domain(&t, 1, 4), 0);
	CHECK_EQ(mon_names_remove_domain(&t, 3, 5), 0);
	/* The freed names can be taken again, by anyone. */
	CHECK_EQ(mon_names_register(&t, "a", 3, 9), ERR_OK);
	CHECK_EQ(t.count, 3);
}

static void t_remove_core(void)
{
	fresh();
	CHECK_EQ(mon_names_register(&t, "x0", 0, 1), ERR_OK);
	CHECK_EQ(mon_names_register(&t, "x1", 1, 1), ERR_OK);
	CHECK_EQ(mon_names_register(&t, "y1", 1, 2), ERR_OK);
	CHECK_EQ(mon_names_register(&t, "z1", 1, 3), ERR_OK);
	CHECK_EQ(mon_names_register(&t, "x2", 2, 1), ERR_OK);
	CHECK_EQ(mon_names_remove_core(&t, 1), 3);
	CHECK_EQ(t.count, 2);
	CHECK_EQ(mon_names_lookup(&t, "x1", NULL, NULL), ERR_NOENT);
	CHECK_EQ(mon_names_lookup(&t, "y1", NULL, NULL), ERR_NOENT);
	CHECK_EQ(mon_names_lookup(&t, "x0", NULL, NULL), ERR_OK);
	CHECK_EQ(mon_names_lookup(&t, "x2", NULL, NULL), ERR_OK);
	CHECK_EQ(mon_names_remove_core(&t, 1), 0);
	CHECK_EQ(mon_names_remove_core(&t, 7), 0);
	/* A freed slot holds no stale bytes of its old name. */
	for (unsigned i = 0; i < CAP; i++)
		if (slots[i].name[0] == 0)
			for (unsigned j = 0; j < PROGRAM_NAME_MAX; j++)
				CHECK_EQ(slots[i].name[j], 0);
	CHECK(guard_intact());
}

static void t_zero_capacity(void)
{
	struct mon_names z;

	mon_names_init(&z, NULL, 0);
	CHECK_EQ(mon_names_register(&z, "a", 0, 0), ERR_FULL);
	CHECK_EQ(mon_names_lookup(&z, "a", NULL, NULL), ERR_NOENT);
	CHECK_EQ(mon_names_remove_core(&z, 0), 0);
	CHECK_EQ(mon_names_remove_domain(&z, 0, 0), 0);
	CHECK_EQ(z.count, 0);
}

/* Random operations against a model indexed by name number. */
static void t_random_model(void)
{
	struct { bool used; uint32_t core, dom; } model[20];
	uint64_t s = 12345;
	unsigned used = 0;

	fresh();
	memset(model, 0, sizeof model);
	for (unsigned iter = 0; iter < 20000; iter++) {
		char name[8];
		unsigned k, op;
		uint32_t core, dom;

		s = s * 6364136223846793005ull + 1442695040888963407ull;
		k = (unsigned)(s >> 33) % 20;
		op = (unsigned)(s >> 40) % 8;
		core = (uint32_t)(s >> 50) % 3;
		dom = (uint32_t)(s >> 55) % 3;
		snprintf(name, sizeof name, "n%u", k);
		if (op < 4) {
			err_t want = model[k].used ? ERR_EXIST : used == CAP ? ERR_FULL : ERR_OK;

			CHECK_EQ(mon_names_register(&t, name, core, dom), want);
			if (want == ERR_OK) {
				model[k].used = true;
				model[k].core = core;
				model[k].dom = dom;
				used++;
			}
		} else if (op == 4) {
			CHECK_EQ(mon_names_remove(&t, name), model[k].used ? ERR_OK : ERR_NOENT);
			used -= model[k].used;
			model[k].used = false;
		} else if (op == 5) {
			unsigned n = 0;

			for (unsigned i = 0; i < 20; i++)
				if (model[i].used && model[i].core == core && model[i].dom == dom) {
					model[i].used = false;
					n++;
				}
			CHECK_EQ(mon_names_remove_domain(&t, core, dom), n);
			used -= n;
		} else if (op == 6 && iter % 5 == 0) {
			unsigned n = 0;

			for (unsigned i = 0; i < 20; i++)
				if (model[i].used && model[i].core == core) {
					model[i].used = false;
					n++;
				}
			CHECK_EQ(mon_names_remove_core(&t, core), n);
			used -= n;
		} else {
			uint32_t c, d;
			err_t e = mon_names_lookup(&t, name, &c, &d);

			CHECK_EQ(e, model[k].used ? ERR_OK : ERR_NOENT);
			if (e == ERR_OK) {
				CHECK_EQ(c, model[k].core);
				CHECK_EQ(d, model[k].dom);
			}
		}
		CHECK_EQ(t.count, used);
		if (test_case_failed)
			break;
	}
	CHECK(guard_intact());
}

static void t_count_domain(void)
{
	fresh();
	CHECK_EQ(mon_names_count_domain(&t, 1, 5), 0);
	CHECK_EQ(mon_names_register(&t, "a", 1, 5), ERR_OK);
	CHECK_EQ(mon_names_register(&t, "b", 1, 5), ERR_OK);
	CHECK_EQ(mon_names_register(&t, "c", 2, 5), ERR_OK);
	CHECK_EQ(mon_names_register(&t, "d", 1, 6), ERR_OK);
	CHECK_EQ(mon_names_count_domain(&t, 1, 5), 2);
	CHECK_EQ(mon_names_count_domain(&t, 2, 5), 1);
	CHECK_EQ(mon_names_remove_domain(&t, 1, 5), 2);
	CHECK_EQ(mon_names_count_domain(&t, 1, 5), 0);
	CHECK_EQ(mon_names_count_domain(&t, 1, 6), 1);
	CHECK(guard_intact());
}

int main(void)
{
	RUN(t_count_domain);
	RUN(t_register_lookup);
	RUN(t_exist);
	RUN(t_full);
	RUN(t_bad_names);
	RUN(t_remove_domain);
	RUN(t_remove_core);
	RUN(t_zero_capacity);
	RUN(t_random_model);
	return test_summary();
}
