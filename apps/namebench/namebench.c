/*
 * namebench: name register and lookup latency (tools/bench-names.py).
 *
 *   namebench [lookups=L]       one instance on every core
 *
 * The instances take turns by core, so no two registrations compete: the
 * one on core c waits until core c-1's last name nb<c-1>-3 is found, then
 * times 4 registrations (nb<c>-0 .. nb<c>-3, a domain's quota of names)
 * and L lookups of them, one request at a time.  The replicated registry
 * answers a lookup from this core's monitor and agrees a registration
 * with every live monitor; names=central sends both to core 0.
 * Afterwards each instance waits for the last core's last name and ends;
 * the last core's instance ends once every other instance's names are gone.
 *
 * Output (after "core N: namebench: "):
 *   register ns R0 R1 R2 R3 lookup median ns M min ns m (L lookups)
 * or "namebench WRONG: ..." and exit 1.
 */
#include <libos/libos.h>
#include <libos/monclient.h>

#define WAIT_MS 600000
#define POLL_TICKS 10
#define LOOKUPS_MAX 4096

static uint64_t look[LOOKUPS_MAX];

static uint64_t ns(uint64_t cycles)
{
	return cycles * 1000000000ull / libos_tsc_hz();
}

static uint64_t now_ms(void)
{
	return libos_tsc() / (libos_tsc_hz() / 1000);
}

/* Waits until name is registered (present) or gone (!present); false on time-out. */
static bool await(const char *name, bool present)
{
	uint32_t c, d;
	uint64_t t = now_ms();
	while ((mon_lookup(name, &c, &d) == ERR_OK) != present) {
		if (now_ms() - t > WAIT_MS)
			return false;
		sys_wait(POLL_TICKS);
	}
	return true;
}

static void sort_u64(uint64_t *a, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		uint64_t x = a[i];
		unsigned j = i;
		for (; j > 0 && a[j - 1] > x; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	unsigned me = libos_core_id(), n = libos_ncores(), lookups = 200;
	const char *a = libos_arg(0);
	uint64_t v, reg[4];
	char name[24];
	if (a && !strncmp(a, "lookups=", 8) && !parse_u64(a + 8, &v) && v > 0 && v <= LOOKUPS_MAX)
		lookups = (unsigned)v;
	snprintf(name, sizeof name, "nb%u-3", me - 1);
	if (me > 0 && !await(name, true))
		return printf("namebench WRONG: core %u never finished\n", me - 1), 1;
	for (unsigned k = 0; k < 4; k++) {
		snprintf(name, sizeof name, "nb%u-%u", me, k);
		uint64_t t0 = libos_tsc();
		err_t e = mon_register(name);
		reg[k] = libos_tsc() - t0;
		if (e)
			return printf("namebench WRONG: register %s: %s\n", name, err_str(e)), 1;
	}
	for (unsigned i = 0; i < lookups; i++) {
		uint32_t c, d;
		snprintf(name, sizeof name, "nb%u-%u", me, i % 4);
		uint64_t t0 = libos_tsc();
		err_t e = mon_lookup(name, &c, &d);
		look[i] = libos_tsc() - t0;
		if (e || c != me)
			return printf("namebench WRONG: lookup %s: %s (core %u)\n", name, err_str(e), c), 1;
	}
	sort_u64(look, lookups);
	printf("register ns %lu %lu %lu %lu lookup median ns %lu min ns %lu (%u lookups)\n",
	       (unsigned long)ns(reg[0]), (unsigned long)ns(reg[1]), (unsigned long)ns(reg[2]),
	       (unsigned long)ns(reg[3]), (unsigned long)ns(look[lookups / 2]),
	       (unsigned long)ns(look[0]), lookups);
	if (me + 1 < n) {
		snprintf(name, sizeof name, "nb%u-3", n - 1);
		return await(name, true) ? 0 : (printf("namebench WRONG: the last core never finished\n"), 1);
	}
	for (unsigned c = 0; c + 1 < n; c++) {
		snprintf(name, sizeof name, "nb%u-0", c);
		if (!await(name, false))
			return printf("namebench WRONG: core %u never ended\n", c), 1;
	}
	return 0;
}
