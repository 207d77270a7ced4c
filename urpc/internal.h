/*
 * internal.h: helpers shared by the urpc/ sources, not part of the API.
 *
 * Counters (head, tail, consumed) are free-running uint32_t slot numbers;
 * differences are taken mod 2^32, so they stay right across wrap-around as
 * long as fewer than 2^31 slots are outstanding (at most URPC_MAX_SLOTS).
 */
#ifndef URPC_INTERNAL_H
#define URPC_INTERNAL_H

#include <urpc/urpc.h>

/*
 * The inline paths and their helpers (urpc_seq_of, urpc_copy,
 * urpc_copy_small, urpc_trace, urpc_tx_kick) are in <urpc/fastpath.h>,
 * which urpc.h includes.
 */

static inline void urpc_pause(const struct urpc_hooks *h)
{
	if (h->pause)
		h->pause();
}

#endif
