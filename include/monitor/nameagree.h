/*
 * monitor/nameagree.h: the state machine of the replicated name registry's
 * two-phase commit (the messages are driven by monitor/namerepl.c).
 *
 * Every monitor holds a replica of the registry (monitor/names.h).  A name
 * is registered by a round of two-phase commit whose coordinator is the
 * registering domain's monitor; the parties are every core that is up,
 * the coordinator included.  Round id: (coord, seq).
 *
 * Participant (struct nag_part, one per monitor):
 *   PREPARE  nag_prepare(): ERR_EXIST if the replica holds the name,
 *            ERR_OK after reserving it for the round (the YES vote), or,
 *            when another round holds a reservation of the name here:
 *            wait-die by coordinator core: a round of a lower core than
 *            the holder's waits (NAG_WAIT: the vote is deferred until the
 *            holder's round ends), one of an equal or higher core dies
 *            (ERR_BUSY).  A waits-for edge always points to a higher core,
 *            so waits never form a cycle, and of two concurrent rounds for
 *            one name the one of the lower core is never refused by the
 *            other: at most one is granted, and a lone round always is.
 *   COMMIT   nag_commit(): the reservation becomes a name in the replica.
 *   ABORT    nag_abort(): the reservation is dropped.
 *   Then nag_ready() hands out waiting prepares whose name is free again
 *   (lowest core first), or now held by a round of a core no higher than
 *   the waiter's, for the caller to prepare (and vote) once more: the
 *   first reserves, the others wait or die by the same rule.
 *   A core declared down: nag_core_down() drops its names, the
 *   reservations and waits of its rounds (their coordinator is gone; the
 *   service core of a round is its coordinator, so a name it might have
 *   committed is dropped everywhere anyway: no replica keeps half a round).
 *
 * The rounds themselves (who is asked, how votes are combined, what a
 * core's stop does to a round) run along the monitors' tree:
 * monitor/nametree.h.
 *
 * Pure and freestanding, no allocation; unit-tested on the host
 * (tests/unit/test_nameagree.c).  One thread: no locking.
 */
#ifndef MONITOR_NAMEAGREE_H
#define MONITOR_NAMEAGREE_H

#include <lib/err.h>
#include <monitor/names.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/limits.h>

/*
 * A round has at most one reservation or one wait in a replica, and each
 * coordinator has at most one round in flight (monitor/namerepl.c), so a
 * replica holds at most one of either per core: with CORES_MAX of each a
 * prepare is never refused for room (ERR_FULL) whatever the machine
 * registers at once.  (With 32, a 255-core soak's 64 nodes registering at
 * once were refused ERR_FULL by some replica round after round.)
 */
#define NAG_RES_MAX  CORES_MAX   /* reservations a replica holds at once */
#define NAG_WAIT_MAX CORES_MAX   /* prepares waiting for a reservation */

struct nag_id {
	uint32_t coord;              /* the coordinator's core */
	uint32_t seq;                /* its round number */
};

/* One registration: a reservation, a waiting prepare or a round's subject. */
struct nag_entry {
	bool used;
	struct nag_id id;
	char name[PROGRAM_NAME_MAX];
	uint32_t core, domain_id;    /* the service */
	uint32_t aux;                /* carried for the caller (test hooks) */
};

struct nag_part {
	struct mon_names *reg;                /* this monitor's replica */
	struct nag_entry res[NAG_RES_MAX];    /* reservations (voted yes) */
	struct nag_entry wait[NAG_WAIT_MAX];  /* prepares waiting (no vote yet) */
};

#define NAG_WAIT ((err_t)0x7fff)  /* nag_prepare: the vote is deferred */

void nag_part_init(struct nag_part *p, struct mon_names *reg);
/*
 * A PREPARE for e (e->core must equal e->id.coord, checked by the caller).
 * Returns the vote: ERR_OK reserved, ERR_EXIST, ERR_BUSY (dies), ERR_FULL
 * (no room for the reservation or the wait, or the registry's free slots
 * are all reserved: a COMMIT after a yes always finds a slot), ERR_INVAL
 * (bad name), or
 * NAG_WAIT (kept: nag_ready() gives it back later).  A second PREPARE of
 * a round that holds a reservation here votes ERR_OK again, changing nothing.
 */
err_t nag_prepare(struct nag_part *p, const struct nag_entry *e);
/*
 * COMMIT of round id for e's name: the reservation (or, if there is none,
 * e itself) becomes a name of the replica.  ERR_OK, ERR_EXIST if the
 * replica holds the name already (for another service: refused), ERR_FULL.
 */
err_t nag_commit(struct nag_part *p, struct nag_id id, const struct nag_entry *e);
/* ABORT of round id: drops its reservation and its wait; whether there was one. */
bool nag_abort(struct nag_part *p, struct nag_id id);
/* A waiting prepare to prepare again (removed from the waits); false: none. */
bool nag_ready(struct nag_part *p, struct nag_entry *out);
/*
 * Core `core` is down: its names, its rounds' reservations and waits go.
 * Returns the names dropped; *reservations (if not NULL) the reservations.
 */
unsigned nag_core_down(struct nag_part *p, uint32_t core, unsigned *reservations);
/* The reservation of e's name, or NULL. */
const struct nag_entry *nag_reserved(const struct nag_part *p, const char *name);

#endif
