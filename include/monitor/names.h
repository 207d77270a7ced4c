/*
 * monitor/names.h: the name registry, kept by monitor 0.
 *
 * Services register a name (MON_REGISTER_REQ) that clients look up
 * (MON_LOOKUP_REQ) or bind to (MON_BIND_REQ); monitor 0 answers from this
 * table, which maps a name to the (core, domain) that serves it.  A name is
 * 1..PROGRAM_NAME_MAX-1 printable ASCII characters, compared byte for byte.
 *
 * The table is fixed-capacity storage the caller owns (no allocation, no
 * global state); free slots have an empty name.  A domain may hold several
 * names; a name has at most one holder.  When a domain ends, its monitor
 * tells monitor 0, which calls mon_names_remove_domain(); when a core stops
 * (MON_CORE_DOWN), mon_names_remove_core() drops every name served there,
 * so a lookup never answers with a dead service.
 *
 * Only monitor 0 touches the table, from its one thread: no locking.  Pure
 * and freestanding; unit-tested on the host.  Every operation is a linear
 * scan of the slots (capacity is small: a few hundred at most).
 */
#ifndef MONITOR_NAMES_H
#define MONITOR_NAMES_H

#include <lib/err.h>
#include <monitor/proto.h>
#include <stdint.h>

struct mon_name_entry {
	char name[PROGRAM_NAME_MAX];  /* NUL-terminated; "" marks a free slot */
	uint32_t core;            /* the service's core */
	uint32_t domain_id;       /* the service's domain on that core */
};

struct mon_names {
	struct mon_name_entry *slots;   /* caller's storage, cap entries */
	unsigned cap;
	unsigned count;                 /* slots in use */
};

/* Makes t an empty table over slots[0..cap) (cap may be 0, slots then NULL). */
void mon_names_init(struct mon_names *t, struct mon_name_entry *slots, unsigned cap);

/*
 * Adds name -> (core, domain_id).  ERR_INVAL: name NULL, empty, longer than
 * PROGRAM_NAME_MAX-1 or not printable ASCII; ERR_EXIST: name already registered
 * (whoever holds it, even with a full table); ERR_FULL: no free slot.  The
 * table is unchanged on error.
 */
err_t mon_names_register(struct mon_names *t, const char *name, uint32_t core,
			 uint32_t domain_id);

/*
 * Finds name; on ERR_OK writes its holder to *core and *domain_id (either
 * may be NULL).  ERR_NOENT: not registered; ERR_INVAL: name NULL, empty or
 * too long (as for register).  Never changes the table.
 */
err_t mon_names_lookup(const struct mon_names *t, const char *name, uint32_t *core,
		       uint32_t *domain_id);

/* Removes one name; ERR_NOENT if it was not registered (ERR_INVAL as above). */
err_t mon_names_remove(struct mon_names *t, const char *name);

/* How many names domain_id on core holds. */
unsigned mon_names_count_domain(const struct mon_names *t, uint32_t core, uint32_t domain_id);

/* Removes every name of domain_id on core (the domain ended); returns how many. */
unsigned mon_names_remove_domain(struct mon_names *t, uint32_t core, uint32_t domain_id);

/* Removes every name served on core (the core stopped); returns how many. */
unsigned mon_names_remove_core(struct mon_names *t, uint32_t core);

#endif
