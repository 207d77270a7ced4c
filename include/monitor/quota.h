/*
 * monitor/quota.h: what one domain may hold of its monitors' resources.
 *
 * Each monitor keeps a struct quota per local domain (local.c) and charges
 * it before it acts on the domain's behalf; a charge past the limit is
 * refused with ERR_QUOTA, and the caller logs the domain and the limit
 * (quota_name, quota_limit).  Everything charged is given back when the
 * resource is (the request answered, the child ended, the channel closed)
 * and, with the record, when the domain ends.  The registry on core 0
 * counts names per domain with the same limit (QUOTA_NAMES).
 *
 *   QUOTA_PENDING   requests waiting for another monitor
 *   QUOTA_SPAWNS    spawn requests in flight
 *   QUOTA_CHILDREN  children alive (started by it, on any core)
 *   QUOTA_BINDS     channels it bound to as a client
 *   QUOTA_CHANNELS  channels made to it as a service
 *   QUOTA_NAMES     names registered
 *   QUOTA_MEM       frames of the monitors' memory it was given
 *
 * Beside the counters, a generation limit: a domain QUOTA_DEPTH_MAX spawns
 * below a manifest service starts nothing (ERR_QUOTA), so a self-spawning
 * program stops at QUOTA_CHILDREN_MAX + QUOTA_CHILDREN_MAX^2 descendants.
 *
 * Pure and freestanding; host-tested (tests/unit/test_monquota.c).
 */
#ifndef MONITOR_QUOTA_H
#define MONITOR_QUOTA_H
#include <stdint.h>
#include <lib/err.h>

enum quota_kind {
	QUOTA_PENDING,
	QUOTA_SPAWNS,
	QUOTA_CHILDREN,
	QUOTA_BINDS,
	QUOTA_CHANNELS,
	QUOTA_NAMES,
	QUOTA_MEM,
	QUOTA_KINDS
};

#define QUOTA_PENDING_MAX   16u
#define QUOTA_SPAWNS_MAX    4u
#define QUOTA_CHILDREN_MAX  4u
#define QUOTA_CHILDREN_SPAWN_MAX 512u  /* with DOMAIN_RIGHT_SPAWN: coordinators */
#define QUOTA_BINDS_MAX     32u        /* plus one per core (quota_init) */
#define QUOTA_CHANNELS_MAX  64u        /* plus two per core */
#define QUOTA_DEPTH_MAX     2u         /* a domain this many spawns below the
					 manifest starts no more */
#define QUOTA_NAMES_MAX     4u
#define QUOTA_MEM_MAX       64u

struct quota {
	uint32_t used[QUOTA_KINDS];
	uint32_t limit[QUOTA_KINDS];
};

/*
 * Sets every limit to its default for a machine of ncores cores: children
 * QUOTA_CHILDREN_SPAWN_MAX if spawner (DOMAIN_RIGHT_SPAWN), binds and
 * channels grow with ncores (a node of an all-pairs soak binds to every
 * core).
 */
void quota_init(struct quota *q, int spawner, unsigned ncores);

/* Charges n of kind k: ERR_OK, or ERR_QUOTA (nothing charged) past the limit. */
err_t quota_take(struct quota *q, enum quota_kind k, uint32_t n);

/* Gives n of kind k back (never below zero). */
void quota_give(struct quota *q, enum quota_kind k, uint32_t n);

/* "pending requests", "spawns in flight", ... for log lines. */
const char *quota_name(enum quota_kind k);

#endif
