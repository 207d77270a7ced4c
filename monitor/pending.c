/*
 * pending.c: requests this monitor sent to another monitor and whose answer
 * has not come yet.  Each gets a req_id of our own; the answer carries it
 * back.  A request fails with ERR_DEAD when its target core stops and with
 * ERR_TIMEOUT after PENDING_TIMEOUT_MS plus PENDING_MS_PER_CORE per core
 * (5.4 s at 4 cores, 30.5 s at 255).
 */
#include <lib/string.h>
#include "monitor.h"

#define PENDING_TIMEOUT_MS 5000
#define PENDING_MS_PER_CORE 100 /* 255 vCPUs on 2 host CPUs answer slowly */

static struct pending table[MON_MAX_PENDING];
static uint32_t next_id = 1;

struct pending *pending_new(uint16_t type, uint32_t target_core, uint32_t domain_id,
			    uint32_t domain_req)
{
	for (unsigned i = 0; i < MON_MAX_PENDING; i++) {
		struct pending *p = &table[i];
		if (p->used)
			continue;
		memset(p, 0, sizeof *p);
		p->used = true;
		p->id = next_id++;
		p->type = type;
		p->target_core = target_core;
		p->domain_id = domain_id;
		p->domain_req = domain_req;
		p->deadline = mon_now() + mon_ms(PENDING_TIMEOUT_MS +
						 PENDING_MS_PER_CORE * (uint64_t)mon_ncores);
		return p;
	}
	return 0;
}

struct pending *pending_find(uint32_t id)
{
	for (unsigned i = 0; i < MON_MAX_PENDING; i++)
		if (table[i].used && table[i].id == id)
			return &table[i];
	return 0;
}

void pending_free(struct pending *p)
{
	p->used = false;
}

void pending_expire(uint64_t now, void (*fail)(struct pending *p, err_t e))
{
	for (unsigned i = 0; i < MON_MAX_PENDING; i++)
		if (table[i].used && now > table[i].deadline)
			fail(&table[i], ERR_TIMEOUT);
}

void pending_fail_core(unsigned core, void (*fail)(struct pending *p, err_t e))
{
	for (unsigned i = 0; i < MON_MAX_PENDING; i++)
		if (table[i].used && table[i].target_core == core)
			fail(&table[i], ERR_DEAD);
}
