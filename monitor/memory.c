/*
 * memory.c: this monitor's share of the monitors' memory.
 *
 * The CPU drivers give every core a pool at boot; the RAM left over is
 * listed in every monitor_info.mem, each range with its NUMA node.  Every
 * monitor cuts it the same way (memshare.h): each node's memory into equal
 * shares, one per core of that node.  So each monitor allocates from frames
 * only it hands out, without asking anyone, and every monitor knows which
 * monitor owns any frame (memshare_owner): a freed frame goes back to it.
 *
 * Why a share per core rather than one allocator per node (its lowest live
 * core): a node allocator's free map would die with its core, and a
 * successor would need it replicated before it could hand out a frame; a
 * share per core needs no agreement at all, a request is answered by the
 * requester's own monitor while its share lasts, and a dead core takes
 * only its own share out of use (until it is restarted, below).  A share
 * that runs out, or a request for another node, goes to the other owners
 * of that node's memory and then to the nearest nodes (memops.c).
 *
 * The free map (frameset.h, one bit per frame) lives in the first frames of
 * the share itself, mapped at MONITOR_FRAMES_VA: in the node's own memory,
 * and kept across a restart of the core.  A restarted monitor
 * (monitor_info.generation > 0) takes it over as its predecessor left it:
 * frames its predecessor's domains held stay marked used (they died with
 * the core; a bounded loss, at most what those domains held), the rest are
 * handed out again.
 *
 * Frames that come back (memory_give_back): ours are marked free; another
 * owner's go to it in MON_MEM_RETURN; those of an owner that is down are
 * adopted: this monitor hands them out first (memory_alloc) and, once freed
 * again, sends them to their owner if it is back.  A frame has one owner
 * at every step: the domain that holds it (the kernels enforce it), or
 * exactly one monitor's free map or adopted list.
 */
#include <libos/libos.h>
#include <libos/malloc.h>
#include <libos/sys.h>
#include <lib/string.h>
#include <monitor/frameset.h>
#include <monitor/memshare.h>
#include "monitor.h"
#include "monsys.h"

/* Where a frame is mapped while it is cleared (past any free map). */
#define SCRUB_VA (MONITOR_FRAMES_VA + 0x40000000ull)

static struct memshare_map map;
static void adopt(uint64_t pa, int owner);
static void free_own(uint64_t pa, unsigned from);
static struct frameset share;
static uint64_t *adopted;            /* frames of owners that were down */
static uint32_t nadopted, adopted_cap;

/* Frame index i of the share (the bitmap's frames are the first ones). */
static uint64_t share_frame(uint64_t i)
{
	for (unsigned k = 0; k < share.next; k++)
		if (i < share.ext[k].first + share.ext[k].pages)
			return share.ext[k].base + (i - share.ext[k].first) * FRAMESET_PAGE;
	return 0;
}

/* Maps the share's first frames at MONITOR_FRAMES_VA for its bitmap; how many, 0 on failure. */
static uint64_t map_bitmap(void)
{
	uint64_t pages = (frameset_words(share.npages) * 8 + FRAMESET_PAGE - 1) / FRAMESET_PAGE;
	uint32_t self = (uint32_t)sys_domain_id();
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t pa = share_frame(i);
		err_t e = (err_t)sys_frame_grant(self, pa);
		if (!e)
			e = sys_map(MONITOR_FRAMES_VA + i * FRAMESET_PAGE, pa, SYS_MAP_WRITE);
		if (e) {
			mon_log("memory: cannot map frame %#lx of its free map: %s; no share",
				(unsigned long)pa, err_str(e));
			return 0;
		}
	}
	return pages;
}

void memory_init(void)
{
	err_t e = memshare_build(&map, mon_info);
	frameset_init(&share);
	for (unsigned i = 0; !e && i < map.npieces; i++)
		if (map.piece[i].core == mon_core)
			e = frameset_add(&share, map.piece[i].base, map.piece[i].pages);
	if (e) {
		mon_log("memory: cannot take this core's share: %s", err_str(e));
		frameset_init(&share);
		return;
	}
	uint64_t bp = share.npages ? map_bitmap() : 0;
	if (!bp) {
		frameset_init(&share);
		mon_event("mem.share", "pages=0 free=0 node=%u", mon_info->core_node[mon_core]);
		return;
	}
	bool fresh = mon_info->generation == 0;
	frameset_attach(&share, (uint64_t *)MONITOR_FRAMES_VA, fresh);
	for (uint64_t i = 0; fresh && i < bp; i++)
		frameset_reserve(&share, share_frame(i));
	mon_log("memory: share of %lu frames in %u pieces on node %u, %lu free%s",
		(unsigned long)share.npages, share.next, mon_info->core_node[mon_core],
		(unsigned long)share.nfree, fresh ? "" : " (kept from before the restart)");
	mon_event("mem.share", "pages=%lu free=%lu node=%u", (unsigned long)share.npages,
		  (unsigned long)share.nfree, mon_info->core_node[mon_core]);
}

#define POOL_MAX_PAGES 2048u    /* the kernel's RESTART_POOL_MAX */
#define POOL_MIN_PAGES 256u     /* its RESTART_POOL_MIN */
#define POOL_ALIGN_PAGES 512u   /* 2 MiB */

/* The node of the piece of our share holding pa; -1 if none. */
static int node_at(uint64_t pa)
{
	for (unsigned i = 0; i < map.npieces; i++) {
		const struct memshare_piece *p = &map.piece[i];
		if (p->core == mon_core && pa >= p->base && (pa - p->base) / FRAMESET_PAGE < p->pages)
			return p->node;
	}
	return -1;
}

uint64_t memory_take_pool(unsigned node, uint64_t *pages)
{
	struct sys_core_info ci;
	uint64_t n = POOL_MAX_PAGES, pa;
	if (sys_core_info(&ci) == ERR_OK && ci.pool_total < n)
		n = ci.pool_total;
	if (n >= POOL_ALIGN_PAGES)
		n -= n % POOL_ALIGN_PAGES;
	uint64_t align = (n >= POOL_ALIGN_PAGES ? POOL_ALIGN_PAGES : 1) * FRAMESET_PAGE;
	if (n < POOL_MIN_PAGES || frameset_alloc_aligned(&share, n, align, &pa))
		return 0;
	if (node_at(pa) != (int)node) {
		for (uint64_t i = 0; i < n; i++)
			frameset_free(&share, pa + i * FRAMESET_PAGE);
		return 0;
	}
	*pages = n;
	return pa;
}

void memory_pool_used(uint64_t pa, uint64_t pages, unsigned core, err_t e, bool used)
{
	if (e && !used) { /* refused before the pool was used */
		for (uint64_t i = 0; i < pages; i++)
			frameset_free(&share, pa + i * FRAMESET_PAGE);
		return;
	}
	mon_log("memory: %lu frames of our share (%#lx) are core %u's new pool%s",
		(unsigned long)pages, (unsigned long)pa, core,
		e ? " (its start timed out: they stay its)" : "");
	mon_event("mem.pool", "peer=%u pa=%#lx pages=%lu", core, (unsigned long)pa,
		  (unsigned long)pages);
}

unsigned memory_node_of(unsigned core)
{
	return core < CORES_MAX ? mon_info->core_node[core] : 0;
}

unsigned memory_candidates(unsigned node, uint8_t *out, unsigned max)
{
	return memshare_candidates(&map, mon_info, node, mon_core, out, max);
}

uint64_t memory_free_frames(void)
{
	return share.nfree + nadopted;
}

/*
 * Clears a frame before it is handed out: it may hold what the domain that
 * freed it wrote.  The frame is ours (no domain holds it) for the while.
 */
static err_t scrub(uint64_t pa)
{
	uint32_t self = (uint32_t)sys_domain_id();
	err_t e = (err_t)sys_frame_grant(self, pa);
	if (e)
		return e;
	e = sys_map(SCRUB_VA, pa, SYS_MAP_WRITE);
	if (!e) {
		memset((void *)SCRUB_VA, 0, FRAMESET_PAGE);
		sys_unmap(SCRUB_VA);
	}
	err_t r = (err_t)sys_frame_revoke(self, pa);
	return e ? e : r;
}

static void put_back(uint64_t pa)
{
	if (frameset_contains(&share, pa))
		free_own(pa, mon_core);
	else
		adopt(pa, memshare_owner(&map, pa));
}

err_t memory_alloc(uint32_t npages, uint64_t *pa)
{
	err_t e = ERR_OK;
	uint32_t i = 0;
	if (npages > memory_free_frames())
		return ERR_NOMEM;
	for (; i < npages && !e; i++) {
		if (nadopted)
			pa[i] = adopted[--nadopted];
		else if (frameset_alloc(&share, 1, &pa[i]))
			return ERR_NOMEM; /* cannot happen: counted above */
		e = scrub(pa[i]);
		if (e)
			mon_log("memory: cannot clear frame %#lx: %s", (unsigned long)pa[i], err_str(e));
	}
	while (e && i--) /* all or nothing */
		put_back(pa[i]);
	return e;
}

static void adopt(uint64_t pa, int owner)
{
	if (nadopted == adopted_cap) {
		uint32_t cap = adopted_cap ? 2 * adopted_cap : 64;
		uint64_t *a = realloc(adopted, cap * sizeof *a);
		if (!a) {
			mon_log("memory: no room to keep frame %#lx of core %d: lost",
				(unsigned long)pa, owner);
			return;
		}
		adopted = a;
		adopted_cap = cap;
	}
	adopted[nadopted++] = pa;
}

/* One frame back into our share; a refusal is logged and changes nothing. */
static void free_own(uint64_t pa, unsigned from)
{
	err_t e = frameset_free(&share, pa);
	if (e)
		mon_log("memory: frame %#lx back from core %u refused: %s", (unsigned long)pa, from,
			err_str(e));
}

/* Sends frames pa[0..n) (all of owner's) back to owner; false if it could not. */
static bool send_back(unsigned owner, const uint64_t *pa, uint32_t n)
{
	struct mon_mem m;
	memset(&m, 0, sizeof m);
	m.h.src_core = (uint16_t)mon_core;
	m.h.dst_core = (uint16_t)owner;
	m.npages = n;
	memcpy(m.pa, pa, n * sizeof *pa);
	return core_is_up(owner) && route_send(MON_MEM_RETURN, &m, sizeof m) == ERR_OK;
}

void memory_give_back(const uint64_t *pa, uint32_t n)
{
	uint64_t batch[MON_MEM_PAGES];
	bool done[MON_MEM_PAGES] = { false };
	for (uint32_t i = 0; i < n && i < MON_MEM_PAGES; i++) {
		int owner = memshare_owner(&map, pa[i]);
		uint32_t k = 0;
		if (done[i])
			continue;
		if (owner < 0) {
			mon_log("memory: frame %#lx is no monitors' memory: not taken back",
				(unsigned long)pa[i]);
			continue;
		}
		if ((unsigned)owner == mon_core) {
			free_own(pa[i], mon_core);
			continue;
		}
		for (uint32_t j = i; j < n && j < MON_MEM_PAGES; j++)
			if (!done[j] && memshare_owner(&map, pa[j]) == owner) {
				batch[k++] = pa[j];
				done[j] = true;
			}
		if (send_back((unsigned)owner, batch, k))
			continue;
		mon_log("memory: %u frames of core %d's share kept here: core %d is down", k, owner,
			owner);
		for (uint32_t j = 0; j < k; j++)
			adopt(batch[j], owner);
	}
}

void memory_return_serve(struct mon_mem *m)
{
	for (uint32_t i = 0; i < m->npages; i++) {
		if (memshare_owner(&map, m->pa[i]) != (int)mon_core)
			mon_log("memory: frame %#lx back from core %u refused: %s",
				(unsigned long)m->pa[i], m->h.src_core, err_str(ERR_FOREIGN));
		else
			free_own(m->pa[i], m->h.src_core);
	}
}
