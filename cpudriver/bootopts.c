/* bootopts.c: the kernel command-line options (see kernel/boot.h). */
#include <kernel/boot.h>
#include <kernel/bootgate.h>
#include <kernel/cmdline.h>
#include <lib/fmt.h>
#include <lib/parse.h>
#include <sys/limits.h>

struct boot_info boot_info;
struct boot_options boot_options;

#define MS_PER_DAY 86400000ull

/*
 * Every option the kernel knows.  A number option takes 0..max (absent,
 * malformed or too large: `def`); a word option takes one of `choices`
 * ("a|b"), or with no choices any word shorter than `len`.
 */
struct boot_opt {
	const char *key;
	bool number;
	uint64_t max, def;
	const char *choices;
	size_t len;
};

static const struct boot_opt opts[] = {
	{ "test",          false, 0, 0, NULL, sizeof boot_options.test },
	{ "panic",         false, 0, 0, "exit", 0 },
	{ "cores",         true,  CORES_MAX, 0, NULL, 0 },
	{ "apic_init_us",  true,  1000000, 10000, NULL, 0 },
	{ "idle_ms",       true,  MS_PER_DAY, 0, NULL, 0 },
	{ "deaf_core",     true,  CORES_MAX - 1, 0, NULL, 0 },
	{ "deaf_restart",  true,  CORES_MAX - 1, 0, NULL, 0 },
	{ "hang_core",     true,  CORES_MAX - 1, 0, NULL, 0 },
	{ "hang_ms",       true,  MS_PER_DAY, 3000, NULL, 0 },
	{ "monmem",        true,  UINT64_MAX, 0, NULL, 0 },
	{ "gate_ms",       true,  BOOTGATE_MONITORS_MS, BOOTGATE_MONITORS_MS, NULL, 0 },
	{ "stuck_monitor", true,  CORES_MAX - 1, 0, NULL, 0 },
	{ "topo",          false, 0, 0, "full|compact", 0 },
	{ "names",         false, 0, 0, "central", 0 },
	{ "trace",         false, 0, 0, "on|off", 0 },
};

static const struct boot_opt *find_opt(const char *key, size_t len)
{
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		if (__builtin_strlen(opts[i].key) == len &&
		    __builtin_memcmp(opts[i].key, key, len) == 0)
			return &opts[i];
	return NULL;
}

static const struct boot_opt *opt(const char *key)
{
	return find_opt(key, __builtin_strlen(key));
}

/* Number option `key`: its value if given and within 0..max, else its default. */
static uint64_t number(const char *cmdline, const char *key)
{
	const struct boot_opt *o = opt(key);
	uint64_t v;
	if (!cmdline_get_u64(cmdline, key, &v) || v > o->max)
		return o->def;
	return v;
}

/* Is v[0, n) one of the '|'-separated choices? */
static bool is_choice(const char *choices, const char *v, size_t n)
{
	const char *c = choices;
	while (*c) {
		size_t k = 0;
		while (c[k] && c[k] != '|')
			k++;
		if (k == n && __builtin_memcmp(c, v, n) == 0)
			return true;
		c += k + (c[k] == '|');
	}
	return false;
}

/* Word option `key` with choices: is it given as `choice`? */
static bool chosen(const char *cmdline, const char *key, const char *choice)
{
	char v[16];
	return cmdline_get(cmdline, key, v, sizeof v) && __builtin_strcmp(v, choice) == 0;
}

void boot_options_parse(const char *cmdline, struct boot_options *o)
{
	__builtin_memset(o, 0, sizeof *o);
	cmdline_get(cmdline, "test", o->test, sizeof o->test);
	o->panic_exit = chosen(cmdline, "panic", "exit");
	o->max_cores = number(cmdline, "cores");
	o->apic_init_us = number(cmdline, "apic_init_us");
	o->idle_ms = number(cmdline, "idle_ms");
	o->deaf_core = number(cmdline, "deaf_core");
	o->deaf_restart = number(cmdline, "deaf_restart");
	o->hang_core = number(cmdline, "hang_core");
	o->hang_ms = number(cmdline, "hang_ms");
	o->monmem_pages = number(cmdline, "monmem");
	o->gate_ms = number(cmdline, "gate_ms");
	o->stuck_monitor = number(cmdline, "stuck_monitor");
	if (chosen(cmdline, "topo", "full") || chosen(cmdline, "topo", "compact"))
		cmdline_get(cmdline, "topo", o->topo_print, sizeof o->topo_print);
	o->names_central = chosen(cmdline, "names", "central");
}

/* What is wrong with word w[0, len) = key[=value], or "" if nothing. */
static void check_word(const char *w, size_t len, char *why, size_t cap)
{
	size_t k = 0;
	while (k < len && w[k] != '=')
		k++;
	const char *v = w + k + (k < len);
	size_t n = len - k - (k < len);
	int wl = (int)len, kl = (int)k;
	why[0] = '\0';
	const struct boot_opt *o = find_opt(w, k);
	if (!o) {
		fmt_snprintf(why, cap, "boot option '%.*s': unknown, ignored", wl, w);
		return;
	}
	char num[24];
	uint64_t x;
	if (o->number) {
		bool fits = n < sizeof num;
		if (fits) {
			__builtin_memcpy(num, v, n);
			num[n] = '\0';
		}
		if (!fits || parse_u64(num, &x) != ERR_OK)
			fmt_snprintf(why, cap, "boot option '%.*s': not a number; using %s=%lu",
				     wl, w, o->key, o->def);
		else if (x > o->max)
			fmt_snprintf(why, cap, "boot option '%.*s': more than %lu; using %s=%lu",
				     wl, w, o->max, o->key, o->def);
	} else if (o->choices && !is_choice(o->choices, v, n)) {
		fmt_snprintf(why, cap, "boot option '%.*s': want %.*s=%s; ignored",
			     wl, w, kl, w, o->choices);
	} else if (!o->choices && n + 1 > o->len) {
		fmt_snprintf(why, cap, "boot option '%.*s': value longer than %zu; ignored",
			     wl, w, o->len - 1);
	}
}

static bool has_equals(const char *w, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (w[i] == '=')
			return true;
	return false;
}

unsigned boot_options_check(const char *cmdline, void (*say)(const char *why))
{
	const char *p = cmdline, *w;
	size_t len;
	unsigned bad = 0;
	char why[160];
	for (bool first = true; cmdline_next_word(&p, &w, &len); first = false) {
		if (first && !has_equals(w, len))
			continue; /* the loader's path of the kernel image */
		check_word(w, len, why, sizeof why);
		if (why[0]) {
			say(why);
			bad++;
		}
	}
	return bad;
}
