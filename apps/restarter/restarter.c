/*
 * restarter: stop a core and restart it, and check its service comes back.
 *
 *   restarter <core> <service> <rounds> [also=<other>|keep|<expect>]
 *
 * <service> is an echo on <core> whose manifest line carries `restart`.
 * First a restart of the running <core> must be refused (ERR_BUSY).  It
 * binds to <service> by name; then <rounds> times: one round trip; a
 * second thread blocks in urpc_recv on the channel; stop <core>
 * (mon_stop_core); the blocked receive must end with ERR_DEAD, and the
 * channel to the old instance must give ERR_DEAD (mon_chan_peer); ask for
 * the restart until the monitors have
 * agreed the core is down (ERR_BUSY until then), then bind again by name
 * and make a round trip with the new instance.  It drops the old channel
 * (mon_chan_drop: the old instance's memory may then be reused): in the
 * first round after checking it is still dead after the restart, in later
 * rounds before asking for the restart.  It prints how long that
 * took from the accepted restart request.  At the end it says goodbye to
 * the service (which then exits).  With also=<other> it first stops core
 * <other> and waits until its monitor knows it is down, so every restart
 * happens while another core is stopped; <other> is restarted last.
 * With `keep` the first round's old channel is kept mapped (a late mapper:
 * the first life's pool must not be reused while it is); at the end its
 * bytes must be those it had when its peer died, then it is dropped.
 *
 * With `after` it does not stop <core> itself: someone else does (a soak's
 * coordinator, tests/manifests/restart0-soak.manifest); each round waits
 * until the channel to the service's instance gives ERR_DEAD, then asks for
 * the restart and binds again as above (no blocked receive).
 *
 * With `hold=<ms>` someone else restarts <core>: after the stop it keeps the
 * old channel mapped for <ms> (a late mapper: the old pool's release waits
 * for it), drops it, then binds again by name once the service is back.
 *
 * With `poolhook=<h>` it asks for <core>'s restart (ERR_BUSY until the
 * core is down) with test hook <h> (MON_RESTART_HOOK_*): its own core's
 * monitor stops in the middle of the old pool's release agreement, so the
 * request never returns; if it does, that is WRONG.
 *
 * With `timeout1` the first restart request is expected to time out (the
 * kernel option deaf_restart=<core>: no start-up IPI that time): it must
 * be refused with ERR_TIMEOUT, and is then asked again, which succeeds.
 *
 * With `wait=<name>` it first waits until <name> is registered (another
 * test domain's sign that it is ready), then runs its rounds as without.
 *
 * With <expect> it makes one restart request of <core> and checks the
 * refusal instead: `perm` (no stop right: ERR_PERM), `busy` (ERR_BUSY: a
 * running core, e.g. the requester's own).  With `late`, <core> is one left out at boot (it did not
 * answer INIT-SIPI-SIPI in time): the restart request must bring it in (it
 * is asked again while another restart is under way, ERR_BUSY), and its
 * monitor must then answer a query.
 *
 * Output (after "core N: restarter: "):
 *   refused while up: <error>: <why>
 *   round R: stopped core C at us=T           (the TSC in us, as the monitors' events)
 *   round R: blocked receive: <error> after T ms
 *   round R: old channel: peer dead (<error>)
 *   round R: restart timed out: <why>; asking again                 (timeout1)
 *   round R: restart accepted A ms after the stop (requested at us=T)
 *   round R: services answer T us after the restart request
 *   kept the old channel of round 1 (checksum X)
 *   kept channel unchanged after R restarts (checksum X); dropped it at us=T
 *   restart scenario ok
 *   late core C joined: restart accepted after A ms, its monitor answers after T ms
 *   round R: held the old channel T ms after the stop, dropped it   (hold=)
 *   restart with hook H of core C: asking                           (poolhook=)
 * or "restarter WRONG: ..." and exit 1.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <libos/thread.h>
#include <lib/string.h>
#include "../echoproto.h"

#define BIND_WAIT_MS 30000
#define DEAD_WAIT_MS 10000
#define DOWN_WAIT_MS 120000      /* the watchers' patience grows on a crowded host */

static uint64_t now_us(void)
{
	return libos_tsc() / (libos_tsc_hz() / 1000000);
}

static bool round_trip(struct urpc_chan *c, uint64_t i)
{
	struct echo_msg m = { libos_core_id(), libos_domain_id(), i, 0 }, r;
	uint16_t type = 0;
	size_t len = 0;
	err_t e;
	m.check = echo_check(&m);
	while ((e = echo_send_msg(c, &m)) == ERR_FULL)
		sys_yield();
	if (!e)
		e = urpc_recv(c, &type, &r, sizeof r, &len, 5000);
	if (e || type != ECHO_MSG || memcmp(&r, &m, sizeof m)) {
		printf("restarter WRONG: round trip %lu: %s\n", (unsigned long)i,
		       e ? err_str(e) : "answer differs");
		return false;
	}
	return true;
}

static bool bind_and_echo(const char *svc, unsigned core, struct urpc_chan *c, uint64_t i)
{
	uint32_t where;
	err_t e = mon_bind(svc, 1, BIND_WAIT_MS, c, &where);
	if (e || where != core) {
		printf("restarter WRONG: bind '%s': %s (core %u)\n", svc, err_str(e), where);
		return false;
	}
	return round_trip(c, i);
}

static bool expect_refusal(unsigned core, const char *what)
{
	err_t want = strcmp(what, "perm") == 0 ? ERR_PERM :
		     strcmp(what, "busy") == 0 ? ERR_BUSY : ERR_OK;
	err_t e = mon_restart_core(core);
	printf("restart of core %u refused: %s: %s\n", core, err_str(e), mon_last_error());
	if (want == ERR_OK || e != want) {
		printf("restarter WRONG: restart of core %u: %s, expected %s\n", core, err_str(e),
		       err_str(want));
		return false;
	}
	printf("refusal ok\n");
	return true;
}

/* A core left out at boot joins by a restart request; its monitor then answers. */
static bool join_late(unsigned core)
{
	struct mon_query_reply q;
	uint64_t t = now_us();
	err_t e;
	while ((e = mon_restart_core(core)) == ERR_BUSY && now_us() - t < DOWN_WAIT_MS * 1000ull)
		sys_wait(TICK_HZ / 10);   /* another restart is under way */
	if (e) {
		printf("restarter WRONG: restart of late core %u: %s: %s\n", core, err_str(e),
		       mon_last_error());
		return false;
	}
	uint64_t accepted = now_us();
	while ((e = mon_query(core, MON_Q_CORE, 0, 0, &q)) != ERR_OK &&
	       now_us() - accepted < DOWN_WAIT_MS * 1000ull)
		sys_wait(TICK_HZ / 10);
	if (e) {
		printf("restarter WRONG: late core %u joined but its monitor does not answer: %s\n",
		       core, err_str(e));
		return false;
	}
	printf("late core %u joined: restart accepted after %lu ms, its monitor answers after "
	       "%lu ms\n", core, (unsigned long)((accepted - t) / 1000),
	       (unsigned long)((now_us() - accepted) / 1000));
	return true;
}

/* A thread blocked in a receive on the service's channel while its core stops. */
struct blocked {
	struct urpc_chan *c;
	volatile bool done;
	err_t e;
};

static int blocked_recv(void *arg)
{
	struct blocked *b = arg;
	uint8_t buf[sizeof(struct echo_msg)] __attribute__((aligned(8)));
	uint16_t type;
	size_t len;
	b->e = urpc_recv(b->c, &type, buf, sizeof buf, &len, 100);
	b->done = true;
	return 0;
}

/* Waits for the blocked receive to end; its error, or ERR_TIMEOUT if it is still blocked. */
static err_t blocked_end(struct blocked *b, struct thread *t, uint64_t since)
{
	while (!b->done && now_us() - since < DEAD_WAIT_MS * 1000ull)
		thread_sleep_us(1000);
	if (!b->done)
		return ERR_TIMEOUT;        /* the thread stays blocked; the domain's end ends it */
	thread_join(t, 0);
	return b->e;
}

/* `keep`: the first round's old channel, mapped until the end, and its bytes' checksum. */
static struct urpc_chan kept;
static uint64_t kept_sum;
static bool keeping;

static uint64_t area_sum(const struct urpc_chan *c)
{
	const uint64_t *w = (const uint64_t *)(uintptr_t)c->hooks.notify_arg;
	uint64_t s = 0;
	for (unsigned i = 0; i < 4096 / sizeof *w; i++)
		s = (s ^ w[i]) * 0x100000001b3ull;
	return s;
}

/* The old channel: kept (the first round with `keep`) or dropped. */
static bool leave_old(unsigned r, struct urpc_chan *old)
{
	if (keeping && r == 1) {
		kept = *old;
		kept_sum = area_sum(&kept);
		printf("kept the old channel of round 1 (checksum %lx)\n", (unsigned long)kept_sum);
		return true;
	}
	err_t e = mon_chan_drop(old);
	if (e) {
		printf("restarter WRONG: dropping the old channel: %s\n", err_str(e));
		return false;
	}
	e = mon_chan_drop(old);
	if (e != ERR_RANGE) { /* cleared: its address is 0 now, outside the channel region */
		printf("restarter WRONG: a second drop of the old channel: %s\n", err_str(e));
		return false;
	}
	return true;
}

static bool drop_kept(unsigned rounds)
{
	uint64_t s = area_sum(&kept);
	if (s != kept_sum) {
		printf("restarter WRONG: the kept channel changed (checksum %lx, was %lx): its memory "
		       "was reused while mapped\n", (unsigned long)s, (unsigned long)kept_sum);
		return false;
	}
	err_t e = mon_chan_drop(&kept);
	printf("kept channel unchanged after %u restarts (checksum %lx); dropped it at us=%lu\n",
	       rounds, (unsigned long)s, (unsigned long)now_us());
	if (e) {
		printf("restarter WRONG: dropping the kept channel: %s\n", err_str(e));
		return false;
	}
	return true;
}

static bool stopped_by_other; /* `after` */
static uint64_t hold_ms;        /* `hold=`: someone else restarts the core */
static bool timeout_first;      /* `timeout1`: the first restart request times out */

/* `after`: waits until someone else stopped the service's core (its channel is dead). */
static bool await_stop(unsigned r, unsigned core, struct urpc_chan *old, uint64_t *t)
{
	uint64_t t0 = now_us();
	err_t e;
	while ((e = mon_chan_peer(old)) == ERR_OK && now_us() - t0 < DOWN_WAIT_MS * 1000ull)
		sys_wait(1);
	*t = now_us();
	if (e != ERR_DEAD) {
		printf("restarter WRONG: waiting for core %u to stop: %s\n", core, err_str(e));
		return false;
	}
	printf("round %u: core %u stopped by another at us=%lu\n", r, core, (unsigned long)*t);
	printf("round %u: old channel: peer dead (%s)\n", r, err_str(e));
	return true;
}

/* Stops core `core` under a receive blocked on the old channel; both must end dead. */
static bool stop_under_receive(unsigned r, unsigned core, struct urpc_chan *old, uint64_t *t)
{
	struct blocked b = { old, false, ERR_OK };
	struct thread *th;
	err_t e = thread_create(&th, blocked_recv, &b);
	if (e) {
		printf("restarter WRONG: thread: %s\n", err_str(e));
		return false;
	}
	for (unsigned i = 0; i < 4; i++)
		thread_yield();            /* it is asleep in urpc_recv now */
	*t = now_us();
	e = mon_stop_core(core);
	if (e) {
		printf("restarter WRONG: stop core %u: %s\n", core, err_str(e));
		return false;
	}
	printf("round %u: stopped core %u at us=%lu\n", r, core, (unsigned long)*t);
	e = blocked_end(&b, th, *t);
	printf("round %u: blocked receive: %s after %lu ms\n", r, err_str(e),
	       (unsigned long)((now_us() - *t) / 1000));
	if (e != ERR_DEAD) {
		printf("restarter WRONG: a receive blocked on the stopped core's service: %s\n",
		       err_str(e));
		return false;
	}
	while ((e = mon_chan_peer(old)) == ERR_OK && now_us() - *t < DEAD_WAIT_MS * 1000ull)
		sys_wait(1);
	if (e != ERR_DEAD) {
		printf("restarter WRONG: old channel after the stop: %s\n", err_str(e));
		return false;
	}
	printf("round %u: old channel: peer dead (%s)\n", r, err_str(e));
	return true;
}

/* One stop and restart; *cur is bound to the service's instance; false after a WRONG line. */
static bool one_round(unsigned r, unsigned core, const char *svc, struct urpc_chan *cur)
{
	struct urpc_chan old = *cur;
	uint64_t t;
	err_t e;
	if (!round_trip(&old, r * 100))
		return false;
	if (!(stopped_by_other ? await_stop(r, core, &old, &t)
			       : stop_under_receive(r, core, &old, &t)))
		return false;
	if (hold_ms) {
		thread_sleep_us(hold_ms * 1000);
		printf("round %u: held the old channel %lu ms after the stop, dropped it\n", r,
		       (unsigned long)((now_us() - t) / 1000));
		return leave_old(r, &old) && bind_and_echo(svc, core, cur, r * 100 + 1);
	}
	if (r > 1 && !leave_old(r, &old)) /* the first is checked once more after the restart */
		return false;
	uint64_t req = now_us();   /* when the request that was accepted was made */
	while ((e = mon_restart_core(core)) == ERR_BUSY && now_us() - t < DOWN_WAIT_MS * 1000ull) {
		sys_wait(TICK_HZ / 10);
		req = now_us();
	}
	if (timeout_first && r == 1) {
		if (e != ERR_TIMEOUT) {
			printf("restarter WRONG: the first restart of core %u: %s, want %s\n", core,
			       err_str(e), err_str(ERR_TIMEOUT));
			return false;
		}
		printf("round %u: restart timed out: %s; asking again\n", r, mon_last_error());
		req = now_us();
		e = mon_restart_core(core);
	}
	if (e) {
		printf("restarter WRONG: restart core %u: %s: %s\n", core, err_str(e),
		       mon_last_error());
		return false;
	}
	printf("round %u: restart accepted %lu ms after the stop (requested at us=%lu)\n", r,
	       (unsigned long)((req - t) / 1000), (unsigned long)req);
	if (!bind_and_echo(svc, core, cur, r * 100 + 1))
		return false;
	uint64_t back = now_us();
	if (r == 1 && mon_chan_peer(&old) != ERR_DEAD) {
		printf("restarter WRONG: the old channel came back to life\n");
		return false;
	}
	printf("round %u: services answer %lu us after the restart request\n", r,
	       (unsigned long)(back - req));
	return r > 1 || leave_old(r, &old);
}

/* Stops core `other` and waits until this core's monitor knows it is down. */
static bool stop_other(unsigned other)
{
	struct mon_query_reply q;
	uint64_t t = now_us();
	err_t e = mon_stop_core(other);
	if (e) {
		printf("restarter WRONG: stop core %u: %s\n", other, err_str(e));
		return false;
	}
	while ((e = mon_query(other, MON_Q_CORE, 0, 0, &q)) != ERR_DEAD &&
	       now_us() - t < DOWN_WAIT_MS * 1000ull)
		sys_wait(TICK_HZ / 10);
	if (e != ERR_DEAD) {
		printf("restarter WRONG: core %u not down after the stop: %s\n", other, err_str(e));
		return false;
	}
	printf("core %u stopped and down\n", other);
	return true;
}

/* The other stopped core is restarted last: it had no services to bring back. */
static bool restart_other(unsigned other)
{
	err_t e = mon_restart_core(other);
	if (e) {
		printf("restarter WRONG: restart core %u: %s: %s\n", other, err_str(e),
		       mon_last_error());
		return false;
	}
	printf("core %u restarted too\n", other);
	return true;
}

/* `wait=`: until name is registered. */
static bool wait_name(const char *name)
{
	uint32_t core, dom;
	uint64_t t = now_us();
	err_t e;
	while ((e = mon_lookup(name, &core, &dom)) == ERR_NOENT &&
	       now_us() - t < DOWN_WAIT_MS * 1000ull)
		sys_wait(TICK_HZ / 10);
	if (e)
		printf("restarter WRONG: waiting for '%s': %s\n", name, err_str(e));
	return !e;
}

/* `poolhook=`: the restart whose coordinator (this core) stops mid-agreement. */
static int restart_hooked(unsigned core, unsigned hook)
{
	uint64_t t = now_us();
	err_t e;
	printf("restart with hook %u of core %u: asking\n", hook, core);
	while ((e = mon_restart_core_hook(core, hook)) == ERR_BUSY &&
	       now_us() - t < DOWN_WAIT_MS * 1000ull)
		sys_wait(TICK_HZ / 10);
	printf("restarter WRONG: the restart with hook %u returned: %s: %s\n", hook, err_str(e),
	       mon_last_error());
	return 1;
}

int main(int argc, char **argv)
{
	uint64_t core, rounds;
	if ((argc != 4 && argc != 5) || parse_u64(argv[1], &core) || parse_u64(argv[3], &rounds)) {
		printf("restarter WRONG: usage: restarter <core> <service> <rounds> [also=N|keep|after|timeout1|hold=MS|poolhook=H|wait=NAME|late|perm|busy]\n");
		return 1;
	}
	uint64_t other = 0;
	if (argc == 5 && strcmp(argv[4], "late") == 0) {
		return join_late((unsigned)core) ? 0 : 1;
	} else if (argc == 5 && strcmp(argv[4], "keep") == 0) {
		keeping = true;
	} else if (argc == 5 && strcmp(argv[4], "timeout1") == 0) {
		timeout_first = true;
	} else if (argc == 5 && strcmp(argv[4], "after") == 0) {
		stopped_by_other = true;
	} else if (argc == 5 && strncmp(argv[4], "wait=", 5) == 0) {
		if (!wait_name(argv[4] + 5))
			return 1;
	} else if (argc == 5 && strncmp(argv[4], "hold=", 5) == 0) {
		if (parse_u64(argv[4] + 5, &hold_ms) || !hold_ms) {
			printf("restarter WRONG: hold=%s: want milliseconds > 0\n", argv[4] + 5);
			return 1;
		}
	} else if (argc == 5 && strncmp(argv[4], "poolhook=", 9) == 0) {
		uint64_t h;
		if (parse_u64(argv[4] + 9, &h) || h < MON_RESTART_HOOK_UNASKED ||
		    h > MON_RESTART_HOOK_HALF) {
			printf("restarter WRONG: poolhook=%s: want %d or %d\n", argv[4] + 9,
			       MON_RESTART_HOOK_UNASKED, MON_RESTART_HOOK_HALF);
			return 1;
		}
		return restart_hooked((unsigned)core, (unsigned)h);
	} else if (argc == 5 && strncmp(argv[4], "also=", 5) == 0) {
		if (parse_u64(argv[4] + 5, &other) || other == core || other == 0 ||
		    !stop_other((unsigned)other))
			return 1;
	} else if (argc == 5) {
		return expect_refusal((unsigned)core, argv[4]) ? 0 : 1;
	}
	err_t e = mon_restart_core((unsigned)core);
	printf("refused while up: %s: %s\n", err_str(e), mon_last_error());
	if (e != ERR_BUSY) {
		printf("restarter WRONG: restart of a running core: %s\n", err_str(e));
		return 1;
	}
	static struct urpc_chan cur;
	if (!bind_and_echo(argv[2], (unsigned)core, &cur, 0))
		return 1;
	for (unsigned r = 1; r <= rounds; r++)
		if (!one_round(r, (unsigned)core, argv[2], &cur))
			return 1;
	while (echo_send_bye(&cur) == ERR_FULL)
		sys_yield();
	if (other && !restart_other((unsigned)other))
		return 1;
	if (keeping && rounds && !drop_kept((unsigned)rounds))
		return 1;
	printf("restart scenario ok\n");
	return 0;
}
