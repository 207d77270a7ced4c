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

#define QUOTA_PENDING_MAX   16
#define QUOTA_SPAWNS_MAX    4
#define QUOTA_CHILDREN_MAX  8
#define QUOTA_CHILDREN_SPAWN_MAX 512  /* with DOMAIN_RIGHT_SPAWN: coordinators */
#define QUOTA_BINDS_MAX     32
#define QUOTA_CHANNELS_MAX  64
#define QUOTA_NAMES_MAX     4
#define QUOTA_MEM_MAX       64

struct quota {
	uint32_t used[QUOTA_KINDS];
	uint32_t limit[QUOTA_KINDS];
};

/* Sets every limit to its default; children to QUOTA_CHILDREN_SPAWN_MAX if spawner. */
void quota_init(struct quota *q, int spawner);

/* Charges n of kind k: ERR_OK, or ERR_QUOTA (nothing charged) past the limit. */
err_t quota_take(struct quota *q, enum quota_kind k, uint32_t n);

/* Gives n of kind k back (never below zero). */
void quota_give(struct quota *q, enum quota_kind k, uint32_t n);

/* "pending requests", "spawns in flight", ... for log lines. */
const char *quota_name(enum quota_kind k);

#endif
