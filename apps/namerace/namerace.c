/*
 * namerace: the replicated name registry under contention and under cores
 * that stop in the middle of an agreement round.
 *
 *   namerace race reps=R        (core 0, rights=spawn) R repetitions: rep r
 *                               spawns `reg race<r> AT` on two cores (the
 *                               ordered pairs in turn), which register the
 *                               same name at the same TSC time AT; then
 *                               waits for every core's `looked<c>` name,
 *                               registers race-end and exits once every
 *                               race<r>, lost-race<r> and looked<c> name is
 *                               gone (their domains saw race-end and ended)
 *   namerace reg NAME AT        register NAME once the TSC reaches AT, print
 *                               the answer (refused: register lost-NAME),
 *                               stay until race-end is registered
 *   namerace look reps=R        (every core) look every race<r> up until it
 *                               is found, print who holds it, register
 *                               looked<core>, stay until race-end
 *   namerace hook KIND CORE NAME  (rights=stop) register NAME with a test
 *                               hook: KIND vote (CORE stops instead of
 *                               voting), prepared / commit (this core, the
 *                               coordinator, stops after its PREPAREs /
 *                               after COMMIT to half the parties); forge
 *                               (the coordinator also sends CORE forged
 *                               round messages, which it must refuse)
 *   namerace rejoin CORE NAME   (rights=stop) stop CORE, wait until this
 *                               monitor knows it is down, then send at once
 *                               a registration of NAME whose decision the
 *                               coordinator holds until CORE is back
 *                               (MON_NAME_HOOK_HOLD) and the request to
 *                               restart CORE: the round is in flight while
 *                               CORE's monitor rejoins
 *   namerace after NAME CORE    once this monitor knows core CORE is down
 *                               (a query to it fails with ERR_DEAD),
 *                               register NAME until it is granted (ERR_BUSY
 *                               and ERR_TIMEOUT while a replica still holds
 *                               the stopped core's round; ERR_EXIST is final)
 *   namerace stopreg C1 C2 NAME (rights=stop) stop cores C1 and C2 (ring
 *                               neighbours: liveness needs its escalation,
 *                               four dead_ms, to declare them) and register
 *                               NAME at once: the round runs into two parties
 *                               stopped and not yet declared down
 *   namerace find NAME CORE     look NAME up until core CORE holds it, then
 *                               register found<this core> and stay until
 *                               NAME is gone
 *   hook, after, rejoin and stopreg take a last argument stay=C,C,...: once done they stay
 *   until found<C> is registered for every listed core (so their name
 *   outlives every find of it)
 *   namerace domainforge NAME   send this monitor a MON_NAME_COMMIT of NAME
 *                               (a message only monitors may send) and
 *                               print the answer (permission denied)
 *
 * Output (after "core N: namerace: "):
 *   reg race<r>: granted (domain D)      or  reg race<r>: refused: <error>
 *   look race<r>: core C domain D
 *   hook <kind> '<name>': <error or ok>
 *   after '<name>': granted after T tries
 *   find '<name>': core C domain D
 *   domainforge '<name>': <error>
 *   rejoin '<name>': restart <error or ok>, register <error or ok>
 *   stopreg '<name>': <error or ok> after T ms
 * or "namerace WRONG: ..." and exit 1.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include "../echoproto.h"

#define WAIT_MS 120000               /* a bound far beyond any round */

static uint64_t now_ms(void)
{
	return libos_tsc() / (libos_tsc_hz() / 1000);
}

static const char *arg_value(const char *key)
{
	size_t n = strlen(key);
	for (unsigned i = 0; i < libos_argc(); i++)
		if (!strncmp(libos_arg(i), key, n) && libos_arg(i)[n] == '=')
			return libos_arg(i) + n + 1;
	return 0;
}

static uint64_t arg_u64(const char *key, uint64_t dflt)
{
	uint64_t v;
	const char *s = arg_value(key);
	return s && !parse_u64(s, &v) ? v : dflt;
}

/* Looks name up until it is found (on `core` unless that is -1); ERR_TIMEOUT after WAIT_MS. */
static err_t find(const char *name, int core, uint32_t *c, uint32_t *d)
{
	uint64_t t = now_ms();
	err_t e;
	while (((e = mon_lookup(name, c, d)) == ERR_NOENT || (!e && core >= 0 && *c != (unsigned)core))
	       && now_ms() - t < WAIT_MS)
		sys_wait(1);
	return e == ERR_NOENT || (!e && core >= 0 && *c != (unsigned)core) ? ERR_TIMEOUT : e;
}

static void stay_until_end(void)
{
	uint32_t c, d;
	if (find("race-end", -1, &c, &d))
		printf("namerace WRONG: race-end never came\n");
}

static int reg(const char *name, const char *at_s)
{
	uint64_t at;
	if (parse_u64(at_s, &at))
		return printf("namerace WRONG: reg: bad time '%s'\n", at_s), 1;
	while (libos_tsc() + libos_tsc_hz() / 500 < at)
		sys_wait(1);
	while (libos_tsc() < at)
		;
	err_t e = mon_register(name);
	if (e)
		printf("reg %s: refused: %s\n", name, err_str(e));
	else
		printf("reg %s: granted (domain %u)\n", name, libos_domain_id());
	if (e) { /* the loser says so by a name of its own: the coordinator waits for its end */
		char lost[32];
		snprintf(lost, sizeof lost, "lost-%s", name);
		if ((e = mon_register(lost)))
			return printf("namerace WRONG: register %s: %s\n", lost, err_str(e)), 1;
	}
	stay_until_end();
	return 0;
}

/* Rep r's ordered pair of distinct cores. */
static void pair(unsigned r, unsigned n, unsigned *a, unsigned *b)
{
	unsigned idx = r % (n * (n - 1));
	*a = idx / (n - 1);
	*b = idx % (n - 1);
	if (*b >= *a)
		(*b)++;
}

static int race(void)
{
	unsigned n = libos_ncores(), reps = (unsigned)arg_u64("reps", 12);
	uint32_t c, d;
	err_t e;
	if (n < 2)
		return printf("namerace WRONG: race needs two cores\n"), 1;
	for (unsigned r = 0; r < reps; r++) {
		char name[24], at[24];
		unsigned a, b;
		pair(r, n, &a, &b);
		snprintf(name, sizeof name, "race%u", r);
		snprintf(at, sizeof at, "%lu", (unsigned long)(libos_tsc() + libos_tsc_hz() / 4));
		const char *argv[] = { "reg", name, at };
		if ((e = mon_spawn(a, "namerace", 3, argv, 0)) || (e = mon_spawn(b, "namerace", 3, argv, 0)))
			return printf("namerace WRONG: spawn for %s: %s\n", name, err_str(e)), 1;
		if ((e = find(name, -1, &c, &d)))
			return printf("namerace WRONG: %s never granted: %s\n", name, err_str(e)), 1;
		char lost[32];
		snprintf(lost, sizeof lost, "lost-%s", name);
		if ((e = find(lost, -1, &c, &d)))
			return printf("namerace WRONG: %s never registered: %s\n", lost, err_str(e)), 1;
		printf("race %s: cores %u and %u, held by core %u\n", name, a, b, c);
	}
	for (unsigned k = 0; k < n; k++) {
		char name[24];
		snprintf(name, sizeof name, "looked%u", k);
		if ((e = find(name, (int)k, &c, &d)))
			return printf("namerace WRONG: %s: %s\n", name, err_str(e)), 1;
	}
	if ((e = mon_register("race-end")))
		return printf("namerace WRONG: register race-end: %s\n", err_str(e)), 1;
	printf("race done: %u reps\n", reps);
	for (unsigned k = 0; k < 2 * reps + n; k++) {
		char name[32];
		uint64_t t = now_ms();
		if (k < reps)
			snprintf(name, sizeof name, "race%u", k);
		else if (k < 2 * reps)
			snprintf(name, sizeof name, "lost-race%u", k - reps);
		else
			snprintf(name, sizeof name, "looked%u", k - 2 * reps);
		while (mon_lookup(name, &c, &d) == ERR_OK && now_ms() - t < WAIT_MS)
			sys_wait(2);
	}
	return 0;
}

static int look(void)
{
	unsigned reps = (unsigned)arg_u64("reps", 12);
	uint32_t c, d;
	err_t e;
	for (unsigned r = 0; r < reps; r++) {
		char name[24];
		snprintf(name, sizeof name, "race%u", r);
		if ((e = find(name, -1, &c, &d)))
			return printf("namerace WRONG: look %s: %s\n", name, err_str(e)), 1;
		printf("look %s: core %u domain %u\n", name, c, d);
	}
	char mine[24];
	snprintf(mine, sizeof mine, "looked%u", libos_core_id());
	if ((e = mon_register(mine)))
		return printf("namerace WRONG: register %s: %s\n", mine, err_str(e)), 1;
	stay_until_end();
	return 0;
}

/* Sends a raw request and waits for its answer (of type want, or MON_ERROR). */
static err_t raw_call(uint16_t type, void *m, size_t len, uint16_t want)
{
	uint8_t buf[MON_MSG_MAX] __attribute__((aligned(8)));
	uint16_t got = 0;
	size_t n;
	uint64_t t = now_ms();
	err_t e = mon_send_raw(type, m, len);
	while (!e && now_ms() - t < WAIT_MS) {
		e = mon_recv_raw(&got, buf, sizeof buf, &n, TICK_HZ);
		if (e == ERR_TIMEOUT || e == ERR_EMPTY) {
			e = ERR_OK;
			continue;
		}
		if (!e && (got == want || got == MON_ERROR))
			return ((struct mon_hdr *)buf)->err;
	}
	return e ? e : ERR_TIMEOUT;
}

static int domainforge(const char *name)
{
	struct mon_name_round m;
	memset(&m, 0, sizeof m);
	m.h.req_id = 0x4e42;
	m.coord = m.core = libos_core_id();
	m.domain_id = libos_domain_id();
	mon_copy_name(m.name, name);
	err_t e = raw_call(MON_NAME_COMMIT, &m, sizeof m, MON_NAME_COMMIT);
	printf("domainforge '%s': %s\n", name, e ? err_str(e) : "ok");
	return 0;
}

/*
 * stay=C,C,...: wait until every listed core's find has registered
 * found<C>, so the name outlives every lookup of it (a find sees it
 * whatever the order in which its monitor learns of the name and of its
 * end).
 */
static int stay_for_finds(const char *list)
{
	uint32_t c, d;
	if (!list)
		return 0;
	while (*list) {
		char name[24];
		uint64_t core = 0;
		const char *p = list;
		for (; *p >= '0' && *p <= '9'; p++)
			core = core * 10 + (uint64_t)(*p - '0');
		if (p == list || (*p && *p != ','))
			return printf("namerace WRONG: bad stay= list\n"), 1;
		snprintf(name, sizeof name, "found%lu", (unsigned long)core);
		if (find(name, (int)core, &c, &d))
			return printf("namerace WRONG: %s never registered\n", name), 1;
		list = *p ? p + 1 : p;
	}
	return 0;
}

static int hook(const char *kind, const char *core_s, const char *name)
{
	uint64_t core;
	uint32_t k = !strcmp(kind, "vote") ? MON_NAME_HOOK_VOTE :
		!strcmp(kind, "prepared") ? MON_NAME_HOOK_PREPARED :
		!strcmp(kind, "commit") ? MON_NAME_HOOK_COMMIT :
		!strcmp(kind, "forge") ? MON_NAME_HOOK_FORGE : 0;
	if (!k || parse_u64(core_s, &core))
		return printf("namerace WRONG: hook: bad kind or core\n"), 1;
	struct mon_name_req m;
	memset(&m, 0, sizeof m);
	m.h.req_id = 0x4e41;
	m.pad = k | (uint32_t)core << 8;
	mon_copy_name(m.name, name);
	err_t e = raw_call(MON_REGISTER_REQ, &m, sizeof m, MON_REGISTER_REPLY);
	printf("hook %s '%s': %s\n", kind, name, e ? err_str(e) : "ok");
	return stay_for_finds(arg_value("stay"));
}

/* Waits until this monitor knows core is down (a query to it fails with ERR_DEAD). */
static err_t wait_down(uint64_t core)
{
	uint64_t t = now_ms();
	struct mon_query_reply q;
	err_t e;
	while ((e = mon_query((unsigned)core, MON_Q_CORE, 0, 0, &q)) != ERR_DEAD &&
	       now_ms() - t < WAIT_MS)
		sys_wait(5);
	return e == ERR_DEAD ? ERR_OK : e;
}

static int rejoin(const char *core_s, const char *name)
{
	uint8_t buf[MON_MSG_MAX] __attribute__((aligned(8)));
	uint64_t core, t;
	struct mon_name_req m;
	struct mon_core r;
	err_t e, reg = (err_t)1, rst = (err_t)1;
	if (parse_u64(core_s, &core) || core == 0 || core >= libos_ncores() ||
	    core == libos_core_id())
		return printf("namerace WRONG: rejoin: bad core\n"), 1;
	if ((e = mon_stop_core((unsigned)core)) || (e = wait_down(core)))
		return printf("namerace WRONG: rejoin: core %lu not stopped: %s\n",
			      (unsigned long)core, err_str(e)), 1;
	memset(&m, 0, sizeof m);
	m.h.req_id = 0x524a;
	m.pad = MON_NAME_HOOK_HOLD | (uint32_t)core << 8;
	mon_copy_name(m.name, name);
	memset(&r, 0, sizeof r);
	r.h.req_id = 0x524b;
	r.core = (uint32_t)core;
	e = mon_send_raw(MON_REGISTER_REQ, &m, sizeof m);
	if (!e)
		e = mon_send_raw(MON_RESTART_CORE_REQ, &r, sizeof r);
	for (t = now_ms(); !e && (reg == 1 || rst == 1) && now_ms() - t < WAIT_MS;) {
		uint16_t got;
		size_t n;
		err_t g = mon_recv_raw(&got, buf, sizeof buf, &n, TICK_HZ);
		const struct mon_hdr *h = (const struct mon_hdr *)buf;
		if (g)
			continue;
		if (h->req_id == 0x524a && (got == MON_REGISTER_REPLY || got == MON_ERROR))
			reg = h->err;
		else if (h->req_id == 0x524b && (got == MON_RESTART_CORE_REPLY || got == MON_ERROR))
			rst = h->err;
	}
	if (e || reg == 1 || rst == 1)
		return printf("namerace WRONG: rejoin '%s': no answer: %s\n", name,
			      err_str(e ? e : ERR_TIMEOUT)), 1;
	printf("rejoin '%s': restart %s, register %s\n", name, rst ? err_str(rst) : "ok",
	       reg ? err_str(reg) : "ok");
	return stay_for_finds(arg_value("stay"));
}

static int stopreg(const char *a_s, const char *b_s, const char *name)
{
	uint64_t a, b, t;
	err_t e;
	if (parse_u64(a_s, &a) || parse_u64(b_s, &b) || a >= libos_ncores() ||
	    b >= libos_ncores() || a == libos_core_id() || b == libos_core_id() || a == b)
		return printf("namerace WRONG: stopreg: bad cores\n"), 1;
	if ((e = mon_stop_core((unsigned)a)) || (e = mon_stop_core((unsigned)b)))
		return printf("namerace WRONG: stopreg: cores %lu, %lu not stopped: %s\n",
			      (unsigned long)a, (unsigned long)b, err_str(e)), 1;
	t = now_ms();
	e = mon_register(name);
	printf("stopreg '%s': %s after %lu ms\n", name, e ? err_str(e) : "ok",
	       (unsigned long)(now_ms() - t));
	return stay_for_finds(arg_value("stay"));
}

static int after(const char *name, const char *core_s)
{
	uint64_t t = now_ms(), core;
	unsigned tries = 0;
	struct mon_query_reply q;
	err_t e;
	if (parse_u64(core_s, &core) || core >= libos_ncores())
		return printf("namerace WRONG: after: bad core\n"), 1;
	while ((e = mon_query((unsigned)core, MON_Q_CORE, 0, 0, &q)) != ERR_DEAD &&
	       now_ms() - t < WAIT_MS)
		sys_wait(5);
	if (e != ERR_DEAD)
		return printf("namerace WRONG: after: core %lu never down: %s\n",
			      (unsigned long)core, err_str(e)), 1;
	do {
		tries++;
		e = mon_register(name);
		if (e == ERR_BUSY || e == ERR_TIMEOUT)
			sys_wait(10);
	} while ((e == ERR_BUSY || e == ERR_TIMEOUT) && now_ms() - t < WAIT_MS);
	if (e)
		return printf("namerace WRONG: after '%s': %s after %u tries\n", name, err_str(e),
			      tries), 1;
	printf("after '%s': granted after %u tries\n", name, tries);
	return stay_for_finds(arg_value("stay"));
}

static int find_cmd(const char *name, const char *core_s)
{
	uint64_t core;
	uint32_t c, d;
	if (parse_u64(core_s, &core))
		return printf("namerace WRONG: find: bad core\n"), 1;
	err_t e = find(name, (int)core, &c, &d);
	if (e)
		return printf("namerace WRONG: find '%s' on core %lu: %s\n", name,
			      (unsigned long)core, err_str(e)), 1;
	printf("find '%s': core %u domain %u\n", name, c, d);
	char mine[24];
	snprintf(mine, sizeof mine, "found%u", libos_core_id());
	if ((e = mon_register(mine)))
		return printf("namerace WRONG: register %s: %s\n", mine, err_str(e)), 1;
	uint64_t t = now_ms();
	while (mon_lookup(name, &c, &d) == ERR_OK && now_ms() - t < WAIT_MS)
		sys_wait(2);              /* until its service ended */
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	if (!strcmp(cmd, "race"))
		return race();
	if (!strcmp(cmd, "reg") && argc == 4)
		return reg(argv[2], argv[3]);
	if (!strcmp(cmd, "look"))
		return look();
	if (!strcmp(cmd, "hook") && (argc == 5 || argc == 6))
		return hook(argv[2], argv[3], argv[4]);
	if (!strcmp(cmd, "after") && (argc == 4 || argc == 5))
		return after(argv[2], argv[3]);
	if (!strcmp(cmd, "rejoin") && (argc == 4 || argc == 5))
		return rejoin(argv[2], argv[3]);
	if (!strcmp(cmd, "stopreg") && (argc == 5 || argc == 6))
		return stopreg(argv[2], argv[3], argv[4]);
	if (!strcmp(cmd, "domainforge") && argc == 3)
		return domainforge(argv[2]);
	if (!strcmp(cmd, "find") && argc == 4)
		return find_cmd(argv[2], argv[3]);
	printf("namerace WRONG: usage: namerace race|reg|look|hook|after|rejoin|stopreg|find ...\n");
	return 1;
}
