/*
 * monitor/rights.h: which rights (sys/rights.h) a domain's request to its
 * monitor needs.
 *
 * The monitor asks rights_needed() for every request that passed
 * mon_msg_check() and refuses it with ERR_PERM unless the sender holds
 * every bit: MON_STOP_CORE_REQ needs DOMAIN_RIGHT_STOP; MON_SPAWN_REQ needs
 * DOMAIN_RIGHT_SPAWN when it names another core, and every right it asks
 * for the child (a child never gets more than its parent); MON_BCAST needs
 * DOMAIN_RIGHT_BCAST.  Everything else needs none.
 *
 * Pure and freestanding; host-tested (tests/unit/test_monrights.c).
 */
#ifndef MONITOR_RIGHTS_H
#define MONITOR_RIGHTS_H
#include <stddef.h>
#include <stdint.h>
#include <sys/rights.h>

/* The rights `msg` (of `type`, already checked) needs when sent on core `here`. */
uint32_t rights_needed(uint16_t type, const void *msg, unsigned here);

/*
 * Writes the names of the rights in mask as "stop,spawn" ("none" for 0;
 * unknown bits as "0x100"), snprintf rules; returns buf.
 */
const char *rights_format(uint32_t mask, char *buf, size_t size);

#endif
