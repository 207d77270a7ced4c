/*
 * stopper: the stopped-core scenario.
 *
 *   stopper <victim core> <service on the victim> <service elsewhere>
 *
 * Waits until <service on the victim> is registered, stops the victim's CPU
 * driver (mon_stop_core, a test command), then at once sends two requests
 * that involve the victim: a spawn there and a bind to its service.  Both
 * must fail with ERR_DEAD or ERR_TIMEOUT once the monitors notice the core
 * is gone (heartbeats, monitor/liveness.c); the time each took is printed.
 * Then everything else must still work: a spawn on another core and a bind
 * plus round trip to <service elsewhere>; a new spawn on the victim fails
 * at once.
 *
 * A service named "-" is skipped: stopper 0 - <svc2|-> stops core 0 without
 * a service on it (after <svc2> registered, if named), and then spawns on
 * every other core but its own (each request routed without core 0).
 *
 * Output (after "core N: stopper: "):
 *   stopped core V (us T)             T: the TSC in µs right after the stop
 *   spawn on core V failed after T ms: <error>
 *   bind to '<svc>' failed after T ms: <error>
 *   spawn on core V again: <error>
 *   spawn on core C after the stop: domain D
 *   bind to '<svc2>' on core S after the stop: echo ok
 *   registered 'stopperN' after the stop
 *   memory after the stop: 4 frames allocated and freed   (victim 0)
 *   stop scenario ok
 * or "stopper WRONG: ..." and exit 1.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include "../echoproto.h"

#define LOOKUP_WAIT_MS 20000
#define ANSWER_TICKS (30 * TICK_HZ)          /* 30 s: far beyond the monitors' bound */

static uint64_t now_ms(void)
{
	return libos_tsc() / (libos_tsc_hz() / 1000);
}

static bool failed_as_expected(err_t e)
{
	return e == ERR_DEAD || e == ERR_TIMEOUT;
}

static int bind_and_echo(const char *name);

/* Monitors' memory after the stop: allocated (no core 0 involved) and freed. */
static int memory_after(void)
{
	uint64_t pa[4];
	err_t e = mon_mem_alloc(4, pa);
	if (!e)
		e = mon_mem_free(4, pa);
	if (e) {
		printf("stopper WRONG: monitors' memory after the stop: %s\n", err_str(e));
		return 1;
	}
	printf("memory after the stop: 4 frames allocated and freed\n");
	return 0;
}

/* Registers "stopper<core>" after the stop: the name service still takes names. */
static int register_after(void)
{
	char name[24];
	snprintf(name, sizeof name, "stopper%u", libos_core_id());
	err_t e = mon_register(name);
	if (e) {
		printf("stopper WRONG: register '%s' after the stop: %s\n", name, err_str(e));
		return 1;
	}
	printf("registered '%s' after the stop\n", name);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t victim;
	if (argc != 4 || parse_u64(argv[1], &victim) || victim >= libos_ncores() ||
	    victim == libos_core_id()) {
		printf("stopper WRONG: usage: stopper <victim core, not this one> <svc|-> <svc2|->\n");
		return 1;
	}
	bool svc = strcmp(argv[2], "-") != 0, svc2 = strcmp(argv[3], "-") != 0;
	uint32_t core = (uint32_t)victim, dom;
	err_t e = ERR_OK;
	uint64_t t = now_ms();
	while (svc && (e = mon_lookup(argv[2], &core, &dom)) == ERR_NOENT &&
	       now_ms() - t < LOOKUP_WAIT_MS)
		sys_wait(2);
	uint32_t c2;
	while (!svc && svc2 && mon_lookup(argv[3], &c2, &dom) == ERR_NOENT &&
	       now_ms() - t < LOOKUP_WAIT_MS)
		sys_wait(2); /* stop after the other service registered: its name must outlive the stop */
	if (e || core != victim) {
		printf("stopper WRONG: lookup '%s': %s (core %u)\n", argv[2], err_str(e), core);
		return 1;
	}
	if ((e = mon_stop_core((unsigned)victim))) {
		printf("stopper WRONG: stop core %lu: %s\n", (unsigned long)victim, err_str(e));
		return 1;
	}
	uint64_t t0 = now_ms();
	uint64_t per_us = libos_tsc_hz() / 1000000;
	printf("stopped core %lu (us %llu)\n", (unsigned long)victim,
	       (unsigned long long)(libos_tsc() / (per_us ? per_us : 1)));
	sys_wait(5); /* let the stop land before anything reaches the victim */

	/* Two requests in flight at once, so both wait on the victim. */
	struct mon_spawn_req s;
	struct mon_name_req b;
	memset(&s, 0, sizeof s);
	memset(&b, 0, sizeof b);
	s.h.req_id = 0x5001;
	s.core = (uint32_t)victim;
	mon_copy_name(s.program, "hello");
	b.h.req_id = 0x5002;
	b.pages = 1;
	mon_copy_name(b.name, argv[2]);
	if ((e = mon_send_raw(MON_SPAWN_REQ, &s, sizeof s)) ||
	    (svc && (e = mon_send_raw(MON_BIND_REQ, &b, sizeof b)))) {
		printf("stopper WRONG: send: %s\n", err_str(e));
		return 1;
	}
	int bad = 0;
	for (unsigned got = 0; got < (svc ? 2u : 1u);) {
		static uint8_t buf[1024] __attribute__((aligned(8)));
		uint16_t type;
		size_t n;
		if ((e = mon_recv_raw(&type, buf, sizeof buf, &n, ANSWER_TICKS))) {
			printf("stopper WRONG: no answer for %lu ms: %s\n",
			       (unsigned long)(now_ms() - t0), err_str(e));
			return 1;
		}
		const struct mon_hdr *h = (const void *)buf;
		if (n < sizeof *h || (h->req_id != 0x5001 && h->req_id != 0x5002))
			continue;
		got++;
		bool ok = failed_as_expected(h->err);
		if (h->req_id == 0x5001)
			printf("spawn on core %lu %s after %lu ms: %s\n", (unsigned long)victim,
			       ok ? "failed" : "WRONGLY ended", (unsigned long)(now_ms() - t0),
			       err_str(h->err));
		else
			printf("bind to '%s' %s after %lu ms: %s\n", argv[2],
			       ok ? "failed" : "WRONGLY ended", (unsigned long)(now_ms() - t0),
			       err_str(h->err));
		bad += !ok;
	}

	const char *args[] = { "after-stop" };
	e = mon_spawn((unsigned)victim, "hello", 1, args, &dom);
	printf("spawn on core %lu again: %s\n", (unsigned long)victim, err_str(e));
	bad += !failed_as_expected(e);
	unsigned other = victim == 1 ? 2 : 1;
	for (unsigned k = victim ? other : 1; k < libos_ncores(); k++) {
		if (k == libos_core_id() && victim == 0)
			continue;
		e = mon_spawn(k, "hello", 1, args, &dom);
		if (e) {
			printf("stopper WRONG: spawn on core %u after the stop: %s\n", k, err_str(e));
			return 1;
		}
		printf("spawn on core %u after the stop: domain %u\n", k, dom);
		if (victim)
			break;
	}
	if (svc2 && (bind_and_echo(argv[3]) || register_after()))
		return 1;
	if (victim == 0 && memory_after())
		return 1;
	if (bad) {
		printf("stopper WRONG: %d requests did not fail as they should\n", bad);
		return 1;
	}
	printf("stop scenario ok\n");
	return 0;
}

/* Binds to service `name`, one checked round trip; 0 if all went well. */
static int bind_and_echo(const char *name)
{
	uint32_t core;
	err_t e;
	struct urpc_chan c;
	if ((e = mon_bind(name, 1, LOOKUP_WAIT_MS, &c, &core))) {
		printf("stopper WRONG: bind '%s' after the stop: %s\n", name, err_str(e));
		return 1;
	}
	struct echo_msg m = { libos_core_id(), libos_domain_id(), 7, 0 }, r;
	m.check = echo_check(&m);
	uint16_t type;
	size_t n = 0;
	e = echo_send_msg(&c, &m);
	if (!e)
		e = urpc_recv(&c, &type, &r, sizeof r, &n, 2000);
	if (e || n != sizeof r || memcmp(&r, &m, sizeof m)) {
		printf("stopper WRONG: echo from '%s' after the stop: %s\n", name, err_str(e));
		return 1;
	}
	while (echo_send_bye(&c) == ERR_FULL)
		sys_yield();
	printf("bind to '%s' on core %u after the stop: echo ok\n", name, core);
	return 0;
}
