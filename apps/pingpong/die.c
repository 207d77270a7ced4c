/* die.c: a side that stops mid-phase, for the tests (see die.h). */
#include <libos/libos.h>
#include <libos/thread.h>
#include "die.h"
#include "pingpong.h"

static const char *const where_name[] = { "none", "raw", "ring", "full" };

err_t pp_death_parse(int argc, char **argv, struct pp_death *d)
{
	const char *w = pp_arg_str(argc, argv, "die", "none");
	const char *h = pp_arg_str(argc, argv, "how", "exit");
	d->where = PP_DIE_NONE;
	for (unsigned i = 0; i < sizeof where_name / sizeof where_name[0]; i++)
		if (strcmp(w, where_name[i]) == 0)
			d->where = (enum pp_die)i;
	if (d->where == PP_DIE_NONE && strcmp(w, "none") != 0) {
		printf("die=%s: want raw, ring, full or none\n", w);
		return ERR_INVAL;
	}
	d->hang = strcmp(h, "hang") == 0;
	if (!d->hang && strcmp(h, "exit") != 0) {
		printf("how=%s: want exit or hang\n", h);
		return ERR_INVAL;
	}
	return ERR_OK;
}

void pp_die(const struct pp_death *d, const char *self, const char *phase, uint64_t trips)
{
	printf("%s: test: stops during %s after %lu trips (die=%s how=%s)\n", self, phase,
	       (unsigned long)trips, where_name[d->where], d->hang ? "hang" : "exit");
	if (!d->hang)
		exit(3);
	for (;;)
		thread_wait_notify(0);  /* the other side's peer checks wake it: sleep again */
}
