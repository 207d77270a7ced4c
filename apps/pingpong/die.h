/*
 * die.h: a side of a pair that stops in the middle of a phase, for the
 * tests of the bounded waits (wait.h; tests/integration/test_ppstall.py).
 *
 *   die=raw   the client: PP_DIE_TRIPS raw word trips, then it stops before
 *             the block's end; the server: it stops at PP_RAW_START, its
 *             client waiting for the first answer
 *   die=ring  the client: PP_DIE_TRIPS raw ring trips of a block of twice
 *             as many; the server: half of the block's trips
 *   die=full  the client: starts the URPC round trips, sends without
 *             receiving until the server's echo is refused (the ring back
 *             full, the server in its ERR_FULL retry), then stops
 *   how=exit  (default) stopping is exit(3); how=hang: it sleeps for ever
 *             instead (the test kills it, stops its core, or lets the
 *             other side's stall_ms run out)
 * Before it stops it prints "<self>: test: stops during <phase> after N
 * trips (die=W how=H)".  Never set by the benchmark itself.
 */
#ifndef APPS_PINGPONG_DIE_H
#define APPS_PINGPONG_DIE_H
#include <stdbool.h>
#include <stdint.h>
#include <lib/err.h>

#define PP_DIE_TRIPS 100

enum pp_die { PP_DIE_NONE, PP_DIE_RAW, PP_DIE_RING, PP_DIE_FULL };

struct pp_death {
	enum pp_die where;
	bool hang;
};

/* die= and how= from the arguments; ERR_INVAL (and a line naming the value) if bad. */
err_t pp_death_parse(int argc, char **argv, struct pp_death *d);

/* Stop as d says, after the line above. */
__attribute__((noreturn)) void pp_die(const struct pp_death *d, const char *self,
				      const char *phase, uint64_t trips);

#endif
