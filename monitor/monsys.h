/*
 * monitor/monsys.h: wrappers of the privileged system calls (sys/monitor.h),
 * for the monitor only.
 */
#ifndef MONITOR_MONSYS_H
#define MONITOR_MONSYS_H
#include <libos/sys.h>
#include <sys/monitor.h>

static inline int64_t sys_spawn(const char *name, const struct spawn_args *a,
				struct spawn_result *r)
{
	return sys_raw(SYS_SPAWN, (uint64_t)name, (uint64_t)a, (uint64_t)r, 0, 0, 0);
}

static inline int64_t sys_domain_state(uint32_t id)
{
	return sys_raw(SYS_DOMAIN_STATE, id, 0, 0, 0, 0, 0);
}

static inline int64_t sys_chan_create(uint32_t id, uint32_t pages, uint32_t peer,
				      struct chan_result *r)
{
	return sys_raw(SYS_CHAN_CREATE, id, pages, peer, (uint64_t)r, 0, 0);
}

static inline int64_t sys_chan_map(uint32_t id, uint64_t pa, uint32_t pages, uint32_t peer,
				   struct chan_result *r)
{
	return sys_raw(SYS_CHAN_MAP, id, pa, pages, peer, (uint64_t)r, 0);
}

static inline int64_t sys_frame_grant(uint32_t id, uint64_t pa)
{
	return sys_raw(SYS_FRAME_GRANT, id, pa, 0, 0, 0, 0);
}

static inline int64_t sys_frame_revoke(uint32_t id, uint64_t pa)
{
	return sys_raw(SYS_FRAME_REVOKE, id, pa, 0, 0, 0, 0);
}

static inline int64_t sys_manifest_done(void)
{
	return sys_raw(SYS_MANIFEST_DONE, 0, 0, 0, 0, 0, 0);
}

static inline int64_t sys_domain_rights(uint32_t id, uint32_t mask)
{
	return sys_raw(SYS_DOMAIN_RIGHTS, id, mask, 0, 0, 0, 0);
}

static inline int64_t sys_core_stop(uint32_t core)
{
	return sys_raw(SYS_CORE_STOP, core, 0, 0, 0, 0, 0);
}

static inline int64_t sys_core_restart(uint32_t core, uint64_t pool_pa, uint64_t pool_pages)
{
	return sys_raw(SYS_CORE_RESTART, core, pool_pa, pool_pages, 0, 0, 0);
}

static inline int64_t sys_core_pulse(uint32_t core)
{
	return sys_raw(SYS_CORE_PULSE, core, 0, 0, 0, 0, 0);
}

static inline int64_t sys_core_fence(uint32_t core, uint32_t generation)
{
	return sys_raw(SYS_CORE_FENCE, core, generation, 0, 0, 0, 0);
}

static inline int64_t sys_core_generation(uint32_t core)
{
	return sys_raw(SYS_CORE_GENERATION, core, 0, 0, 0, 0, 0);
}

static inline int64_t sys_pool_mapped(uint32_t core, uint32_t generation)
{
	return sys_raw(SYS_POOL_MAPPED, core, generation, 0, 0, 0, 0);
}

static inline int64_t sys_pool_release(uint32_t core, uint32_t generation)
{
	return sys_raw(SYS_POOL_RELEASE, core, generation, 0, 0, 0, 0);
}

static inline int64_t sys_chan_mapped(uint32_t id, uint64_t pa, uint32_t pages)
{
	return sys_raw(SYS_CHAN_MAPPED, id, pa, pages, 0, 0, 0);
}

static inline int64_t sys_pool_adopt(void)
{
	return sys_raw(SYS_POOL_ADOPT, 0, 0, 0, 0, 0, 0);
}

static inline int64_t sys_pool_monmem(uint32_t core, uint32_t generation, uint64_t from,
				      uint64_t *out, uint64_t max)
{
	return sys_raw(SYS_POOL_MONMEM, core, generation, from, (uint64_t)out, max, 0);
}

static inline int64_t sys_monlink_reset(uint32_t peer)
{
	return sys_raw(SYS_MONLINK_RESET, peer, 0, 0, 0, 0, 0);
}

static inline int64_t sys_span_export(uint32_t id, uint32_t core)
{
	return sys_raw(SYS_SPAN_EXPORT, id, core, 0, 0, 0, 0);
}

static inline int64_t sys_span_create(uint64_t list_pa, uint32_t home_core, uint32_t home_id,
				      uint64_t arg)
{
	return sys_raw(SYS_SPAN_CREATE, list_pa, home_core, home_id, arg, 0, 0);
}

static inline int64_t sys_span_end(uint32_t home_core, uint32_t home_id, uint32_t why)
{
	return sys_raw(SYS_SPAN_END, home_core, home_id, why, 0, 0, 0);
}

static inline int64_t sys_span_release(uint32_t id, uint32_t core)
{
	return sys_raw(SYS_SPAN_RELEASE, id, core, 0, 0, 0, 0);
}

static inline int64_t sys_span_kill(uint32_t id)
{
	return sys_raw(SYS_SPAN_KILL, id, 0, 0, 0, 0, 0);
}

static inline int64_t sys_span_vm(uint32_t id, uint32_t op, uint64_t va, uint64_t arg,
				  uint32_t pages)
{
	return sys_raw(SYS_SPAN_VM, id, op, va, arg, pages, 0);
}

/* SPAN_VM_QUEUE_*: cores (bitmap of CORES_MAX / 64 words) that must be told. */
static inline int64_t sys_span_queue(uint32_t id, uint32_t op, uint64_t va, uint64_t arg,
				     uint32_t pages, uint64_t *need)
{
	return sys_raw(SYS_SPAN_VM, id, op, va, arg, pages, (uint64_t)need);
}

static inline int64_t sys_span_replica(uint32_t home_core, uint32_t home_id, uint32_t op,
				       uint64_t va, uint64_t arg, uint32_t pages)
{
	return sys_raw(SYS_SPAN_REPLICA, home_core, home_id, op, va, arg, pages);
}

static inline int64_t sys_domain_info(uint32_t index, struct sys_domain_info *out)
{
	return sys_raw(SYS_DOMAIN_INFO, index, (uint64_t)out, 0, 0, 0, 0);
}

static inline int64_t sys_core_info(struct sys_core_info *out)
{
	return sys_raw(SYS_CORE_INFO, (uint64_t)out, 0, 0, 0, 0, 0);
}

static inline int64_t sys_domain_kill(uint32_t id, uint32_t rights)
{
	return sys_raw(SYS_DOMAIN_KILL, id, rights, 0, 0, 0, 0);
}

#endif
