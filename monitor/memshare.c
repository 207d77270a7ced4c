/* memshare.c: the split of the monitors' memory among them (include/monitor/memshare.h). */
#include <monitor/memshare.h>

#define PAGE 4096ull

unsigned memshare_dist(const struct monitor_info *info, unsigned a, unsigned b)
{
	if (a == b)
		return 10;
	if (a >= MONITOR_MAX_NODES || b >= MONITOR_MAX_NODES || !info->node_dist[a][b])
		return 255;
	return info->node_dist[a][b];
}

static unsigned cores_on(const struct monitor_info *info, unsigned node)
{
	unsigned n = 0;
	for (unsigned c = 0; c < info->ncores && c < CORES_MAX; c++)
		n += info->core_node[c] == node;
	return n;
}

/* The node whose cores own node's memory: node itself, or the nearest one with cores. */
static int owner_node(const struct monitor_info *info, unsigned node)
{
	if (cores_on(info, node))
		return (int)node;
	int best = -1;
	for (unsigned c = 0; c < info->ncores && c < CORES_MAX; c++) {
		unsigned n = info->core_node[c];
		if (best < 0 || memshare_dist(info, node, n) < memshare_dist(info, node, (unsigned)best) ||
		    (memshare_dist(info, node, n) == memshare_dist(info, node, (unsigned)best) &&
		     n < (unsigned)best))
			best = (int)n;
	}
	return best;
}

/* The k-th core (in id order) of node. */
static unsigned kth_core(const struct monitor_info *info, unsigned node, unsigned k)
{
	for (unsigned c = 0; c < info->ncores && c < CORES_MAX; c++)
		if (info->core_node[c] == node && k-- == 0)
			return c;
	return 0;
}

/* The whole frames of range r: *base the first. */
static uint64_t range_pages(const struct monitor_mem *r, uint64_t *base)
{
	*base = (r->base + PAGE - 1) & ~(PAGE - 1);
	uint64_t end = (r->base + r->len) & ~(PAGE - 1);
	return end > *base ? (end - *base) / PAGE : 0;
}

static uint64_t node_pages(const struct monitor_info *info, unsigned node)
{
	uint64_t n = 0, base;
	for (unsigned i = 0; i < info->nmem && i < MONITOR_MAX_MEM; i++)
		if (info->mem[i].node == node)
			n += range_pages(&info->mem[i], &base);
	return n;
}

/* Cuts node's run of frames [0, total) into k shares, share j = [j*total/k, (j+1)*total/k). */
static err_t split_node(struct memshare_map *m, const struct monitor_info *info, unsigned node)
{
	int on = owner_node(info, node);
	unsigned k = on < 0 ? 0 : cores_on(info, (unsigned)on);
	uint64_t total = node_pages(info, node), at = 0; /* frame index in the node's run */
	if (!k || !total)
		return ERR_OK;
	for (unsigned i = 0; i < info->nmem && i < MONITOR_MAX_MEM; i++) {
		const struct monitor_mem *r = &info->mem[i];
		uint64_t base, pages = range_pages(r, &base);
		if (r->node != node)
			continue;
		for (uint64_t done = 0; done < pages;) {
			unsigned j = (unsigned)((at + done) * k / total); /* the share frame at+done is in */
			uint64_t share_end = ((uint64_t)j + 1) * total / k;
			while (share_end <= at + done) /* rounding: the share's first frame */
				share_end = ((uint64_t)++j + 1) * total / k;
			uint64_t n = share_end - (at + done);
			if (n > pages - done)
				n = pages - done;
			if (m->npieces >= MEMSHARE_PIECES)
				return ERR_FULL;
			m->piece[m->npieces++] = (struct memshare_piece){
				base + done * PAGE, n, (uint16_t)kth_core(info, (unsigned)on, j),
				(uint16_t)node, 0 };
			done += n;
		}
		at += pages;
	}
	return ERR_OK;
}

err_t memshare_build(struct memshare_map *m, const struct monitor_info *info)
{
	m->npieces = 0;
	for (unsigned i = 0; i < info->nmem && i < MONITOR_MAX_MEM; i++) {
		bool first = true; /* each node once, at its first range */
		for (unsigned j = 0; j < i; j++)
			first &= info->mem[j].node != info->mem[i].node;
		err_t e = first ? split_node(m, info, info->mem[i].node) : ERR_OK;
		if (e)
			return e;
	}
	return ERR_OK;
}

int memshare_owner(const struct memshare_map *m, uint64_t pa)
{
	for (unsigned i = 0; i < m->npieces; i++)
		if (pa >= m->piece[i].base && (pa - m->piece[i].base) / PAGE < m->piece[i].pages)
			return m->piece[i].core;
	return -1;
}

static bool listed(const uint8_t *out, unsigned n, unsigned core)
{
	for (unsigned i = 0; i < n; i++)
		if (out[i] == core)
			return true;
	return false;
}

/* Appends the owners of node's memory, starting at self or self modulo their number. */
static unsigned add_owners(const struct memshare_map *m, unsigned node, unsigned self,
			   uint8_t *out, unsigned n, unsigned max)
{
	uint8_t own[CORES_MAX];
	unsigned k = 0, start = 0;
	for (unsigned i = 0; i < m->npieces; i++)
		if (m->piece[i].node == node && !listed(own, k, m->piece[i].core))
			own[k++] = (uint8_t)m->piece[i].core;
	for (unsigned i = 0; i < k; i++) /* id order: pieces of a node come in share order */
		if (own[i] == self)
			start = i;
	if (k && !listed(own, k, self))
		start = self % k;
	for (unsigned i = 0; i < k && n < max; i++)
		if (!listed(out, n, own[(start + i) % k]))
			out[n++] = own[(start + i) % k];
	return n;
}

unsigned memshare_candidates(const struct memshare_map *m, const struct monitor_info *info,
			     unsigned node, unsigned self, uint8_t *out, unsigned max)
{
	uint8_t done[MONITOR_MAX_MEM];
	unsigned ndone = 0, n = 0;
	for (;;) { /* the nearest node with memory not yet taken */
		int best = -1;
		for (unsigned i = 0; i < m->npieces; i++) {
			unsigned nd = m->piece[i].node;
			if (listed(done, ndone, nd))
				continue;
			if (best < 0 || memshare_dist(info, node, nd) < memshare_dist(info, node, (unsigned)best) ||
			    (memshare_dist(info, node, nd) == memshare_dist(info, node, (unsigned)best) &&
			     nd < (unsigned)best))
				best = (int)nd;
		}
		if (best < 0 || ndone >= MONITOR_MAX_MEM)
			return n;
		done[ndone++] = (uint8_t)best;
		n = add_owners(m, (unsigned)best, self, out, n, max);
	}
}
