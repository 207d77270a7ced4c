/*
 * muter: a live core whose monitor falls silent (liveness test command).
 *
 *   muter <ms>
 *
 * Asks its own monitor to ignore every message for <ms> while this core
 * runs on (mon_mute_monitor; the stop right), then keeps running itself:
 * it sleeps in slices of 50 ms until <ms> have passed.  The watchers of
 * this core must either withdraw their suspicion, and then this program
 * says so when the mute ended, or declare the core down, fence it (stop
 * its CPU driver) and restart it, and then this program prints nothing
 * more: it was stopped with its core.
 *
 * Output (after "core N: muter: "):
 *   muting this core's monitor for MS ms
 *   mute accepted
 *   running after the mute: T ms since it began
 * or "muter WRONG: ..." and exit 1.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <lib/parse.h>

int main(int argc, char **argv)
{
	uint64_t ms = 0;
	if (argc < 2 || parse_u64(argv[1], &ms) || !ms) {
		printf("muter WRONG: usage: muter <ms>\n");
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
