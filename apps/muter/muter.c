/*
 * muter: a live core whose monitor falls silent (liveness test command).
 *
 *   muter <ms>
 *   muter attack
 *
 * Asks its own monitor to ignore every message for <ms> while this core
 * runs on (mon_mute_monitor; the stop right), then keeps running itself:
 * it sleeps in slices of 50 ms until <ms> have passed.  The watchers of
 * this core must either withdraw their suspicion, and then this program
 * says so when the mute ended, or declare the core down, fence it (stop
 * its CPU driver) and restart it, and then this program prints nothing
 * more: it was stopped with its core.
 *
 * `muter attack` (run without the stop right) is the hostile side: the
 * fence and pulse system calls are the monitors' (ERR_PERM for any other
 * domain), and a mute without the stop right is refused (ERR_PERM).
 *
 * Output (after "core N: muter: "):
 *   muting this core's monitor for MS ms
 *   mute accepted
 *   running after the mute: T ms since it began
 *   attack: <what> refused: <error>        (one per attack), then
 *   attack: every attempt refused
 * or "muter WRONG: ..." and exit 1.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <lib/parse.h>
#include <lib/string.h>
#include <sys/monitor.h>

static int refused(const char *what, int64_t r, err_t want)
{
	if (r != want) {
		printf("muter WRONG: attack: %s gave %ld, not %s\n", what, (long)r, err_str(want));
		return 1;
	}
	printf("attack: %s refused: %s\n", what, err_str((err_t)r));
	return 0;
}

static int attack(void)
{
	unsigned other = libos_ncores() > 1 ? (libos_core_id() + 1) % libos_ncores() : 0;
	int bad = refused("SYS_CORE_FENCE of another core", sys_raw(SYS_CORE_FENCE, other, 0, 0, 0, 0, 0),
			  ERR_PERM);
	bad |= refused("SYS_CORE_FENCE of its own core",
		       sys_raw(SYS_CORE_FENCE, libos_core_id(), 0, 0, 0, 0, 0), ERR_PERM);
	bad |= refused("SYS_CORE_PULSE", sys_raw(SYS_CORE_PULSE, other, 0, 0, 0, 0, 0), ERR_PERM);
	bad |= refused("a mute without the stop right", mon_mute_monitor(1000), ERR_PERM);
	if (!bad)
		printf("attack: every attempt refused\n");
	return bad;
}

int main(int argc, char **argv)
{
	uint64_t ms = 0;
	if (argc >= 2 && strcmp(argv[1], "attack") == 0)
		return attack();
	if (argc < 2 || parse_u64(argv[1], &ms) || !ms) {
		printf("muter WRONG: usage: muter <ms> | muter attack\n");
		return 1;
	}
	uint64_t per_ms = libos_tsc_hz() / 1000, t0 = libos_tsc();
	printf("muting this core's monitor for %lu ms\n", (unsigned long)ms);
	err_t e = mon_mute_monitor((unsigned)ms);
	if (e) {
		printf("muter WRONG: mute refused: %s\n", err_str(e));
		return 1;
	}
	printf("mute accepted\n");
	while ((libos_tsc() - t0) / per_ms < ms)
		sys_wait(TICK_HZ / 20);
	printf("running after the mute: %lu ms since it began\n",
	       (unsigned long)((libos_tsc() - t0) / per_ms));
	return 0;
}
