/* Host tests for cpudriver/bootopts.c: defaults, ranges, and what is said of bad words. */
#define TEST_PROGRAM "bootopts"
#include "test.h"
#include <kernel/boot.h>
#include <kernel/bootgate.h>

static char said[8][160];
static unsigned nsaid;

static void say(const char *why)
{
	if (nsaid < 8)
		snprintf(said[nsaid], sizeof said[0], "%s", why);
	nsaid++;
}

static unsigned check(const char *cmdline)
{
	nsaid = 0;
	return boot_options_check(cmdline, say);
}

static void t_good_line_says_nothing(void)
{
	const char *c = "/boot/kernel.bin test=memory panic=exit cores=4 gate_ms=3000 "
			"topo=compact names=central trace=on monmem=0x40";
	CHECK_EQ(check(c), 0);
	CHECK_EQ(nsaid, 0);
	struct boot_options o;
	boot_options_parse(c, &o);
	CHECK_STR(o.test, "memory");
	CHECK(o.panic_exit && o.names_central);
	CHECK_EQ(o.max_cores, 4);
	CHECK_EQ(o.gate_ms, 3000);
	CHECK_EQ(o.monmem_pages, 0x40);
	CHECK_STR(o.topo_print, "compact");
	CHECK_EQ(check(""), 0);
	CHECK_EQ(check("/only/the/path"), 0);
}

static void t_defaults(void)
{
	struct boot_options o;
	boot_options_parse("", &o);
	CHECK_EQ(o.apic_init_us, 10000);
	CHECK_EQ(o.hang_ms, 3000);
	CHECK_EQ(o.gate_ms, BOOTGATE_MONITORS_MS);
	CHECK(!o.panic_exit && !o.names_central && o.test[0] == '\0' && o.topo_print[0] == '\0');
}

static void t_bad_numbers_take_defaults_and_are_said(void)
{
	const char *c = "k gate_ms=-1 apic_init_us=2000000 cores=12x hang_ms=99999999999999999999";
	CHECK_EQ(check(c), 4);
	CHECK(strstr(said[0], "'gate_ms=-1': not a number; using gate_ms=300000") != NULL);
	CHECK(strstr(said[1], "'apic_init_us=2000000': more than 1000000; using apic_init_us=10000")
	      != NULL);
	CHECK(strstr(said[2], "'cores=12x': not a number") != NULL);
	CHECK(strstr(said[3], "'hang_ms=99999999999999999999': not a number") != NULL);
	struct boot_options o;
	boot_options_parse(c, &o);
	CHECK_EQ(o.gate_ms, BOOTGATE_MONITORS_MS);
	CHECK_EQ(o.apic_init_us, 10000);
	CHECK_EQ(o.max_cores, 0);
	CHECK_EQ(o.hang_ms, 3000);
	boot_options_parse("deaf_core=256 hang_core=255", &o); /* a core number out of range */
	CHECK_EQ(o.deaf_core, 0);
	CHECK_EQ(o.hang_core, 255);
}

static void t_bad_words_are_said(void)
{
	CHECK_EQ(check("frobnicate=1 panic=maybe topo=bogus names trace=1 bare"), 6);
	CHECK(strstr(said[0], "'frobnicate=1': unknown, ignored") != NULL);
	CHECK(strstr(said[1], "'panic=maybe': want panic=exit; ignored") != NULL);
	CHECK(strstr(said[2], "'topo=bogus': want topo=full|compact; ignored") != NULL);
	CHECK(strstr(said[3], "'names': want names=central") != NULL);
	CHECK(strstr(said[4], "'trace=1': want trace=on|off") != NULL);
	CHECK(strstr(said[5], "'bare': unknown") != NULL);
	struct boot_options o;
	boot_options_parse("panic=maybe topo=bogus names=centralx", &o);
	CHECK(!o.panic_exit && !o.names_central && o.topo_print[0] == '\0');
}

static void t_long_values(void)
{
	char c[200];
	snprintf(c, sizeof c, "test=%040d", 7);
	CHECK_EQ(check(c), 1);
	CHECK(strstr(said[0], "value longer than 31; ignored") != NULL);
	struct boot_options o;
	boot_options_parse(c, &o);
	CHECK_STR(o.test, "");
	/* a word longer than the report: cut, never overflowing */
	memset(c, 'q', sizeof c - 1);
	c[0] = 'k';
	c[1] = ' ';
	c[sizeof c - 1] = '\0';
	CHECK_EQ(check(c), 1);
	CHECK(strlen(said[0]) < 160 && strstr(said[0], "boot option 'qqq") == said[0]);
}

int main(void)
{
	RUN(t_good_line_says_nothing);
	RUN(t_defaults);
	RUN(t_bad_numbers_take_defaults_and_are_said);
	RUN(t_bad_words_are_said);
	RUN(t_long_values);
	return test_summary();
}
