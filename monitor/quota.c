/*
 * quota.c: per-domain limits of the monitors' resources
 * (include/monitor/quota.h).
 */
#include <monitor/quota.h>

static const uint32_t defaults[QUOTA_KINDS] = {
	[QUOTA_PENDING] = QUOTA_PENDING_MAX,   [QUOTA_SPAWNS] = QUOTA_SPAWNS_MAX,
	[QUOTA_CHILDREN] = QUOTA_CHILDREN_MAX, [QUOTA_BINDS] = QUOTA_BINDS_MAX,
	[QUOTA_CHANNELS] = QUOTA_CHANNELS_MAX, [QUOTA_NAMES] = QUOTA_NAMES_MAX,
	[QUOTA_MEM] = QUOTA_MEM_MAX,
};

static const char *const names[QUOTA_KINDS] = {
	[QUOTA_PENDING] = "pending requests", [QUOTA_SPAWNS] = "spawns in flight",
	[QUOTA_CHILDREN] = "children",        [QUOTA_BINDS] = "binds",
	[QUOTA_CHANNELS] = "channels",        [QUOTA_NAMES] = "names",
	[QUOTA_MEM] = "frames of monitor memory",
};

void quota_init(struct quota *q, int spawner, unsigned ncores)
{
	for (unsigned k = 0; k < QUOTA_KINDS; k++) {
		q->used[k] = 0;
		q->limit[k] = defaults[k];
	}
	if (spawner)
		q->limit[QUOTA_CHILDREN] = QUOTA_CHILDREN_SPAWN_MAX;
	q->limit[QUOTA_BINDS] += ncores;
	q->limit[QUOTA_CHANNELS] += 2 * ncores;
}

err_t quota_take(struct quota *q, enum quota_kind k, uint32_t n)
{
	if ((unsigned)k >= QUOTA_KINDS || n > q->limit[k] || q->used[k] > q->limit[k] - n)
		return ERR_QUOTA;
	q->used[k] += n;
	return ERR_OK;
}

void quota_give(struct quota *q, enum quota_kind k, uint32_t n)
{
	if ((unsigned)k >= QUOTA_KINDS)
		return;
	q->used[k] = n > q->used[k] ? 0 : q->used[k] - n;
}

const char *quota_name(enum quota_kind k)
{
	return (unsigned)k < QUOTA_KINDS ? names[k] : "unknown";
}
