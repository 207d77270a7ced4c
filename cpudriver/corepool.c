/* corepool.c: per-core physical memory pools (see kernel/corepool.h). */
#include <kernel/corepool.h>

#define LARGE (2ull << 20)
#define SMALL 4096ull
#define NO_NODE UINT32_MAX

/* Free RAM of `node`: all of it when the model has no memory ranges. */
static uint64_t node_free(const struct mem_ranges *free_ram, const struct topo *t,
			  uint32_t node)
{
	if (t->nmem == 0)
		return node == 0 ? memrange_total(free_ram) : 0;
	uint64_t sum = 0;
	for (uint32_t i = 0; i < t->nmem; i++)
		if (t->mem[i].node == node)
			sum += memrange_total_within(free_ram, t->mem[i].base,
						     t->mem[i].base + t->mem[i].len);
	return sum;
}

static uint64_t share_size(uint64_t free, unsigned cores)
{
	uint64_t size = free / (2ull * cores);
	if (size < COREPOOL_LEAN) { /* pools first: 7/8 of the node, up to the lean size */
		size = free / 8 * 7 / cores;
		if (size > COREPOOL_LEAN)
			size = COREPOOL_LEAN;
	}
	if (size > COREPOOL_MAX)
		size = COREPOOL_MAX;
	if (size < COREPOOL_MIN)
		return COREPOOL_MIN; /* as many cores as fit get the minimum */
	return size >= LARGE ? size & ~(LARGE - 1) : size & ~(SMALL - 1);
}

err_t corepool_take(struct mem_ranges *free_ram, const struct topo *t, uint32_t node,
		    uint64_t size, uint64_t align, uint64_t *base)
{
	if (t->nmem == 0)
		return memrange_take(free_ram, size, align, 0, UINT64_MAX, base);
	for (uint32_t i = 0; i < t->nmem; i++) {
		if (t->mem[i].node != node)
			continue;
		if (!memrange_take(free_ram, size, align, t->mem[i].base,
				   t->mem[i].base + t->mem[i].len, base))
			return ERR_OK;
	}
	return ERR_NOMEM;
}

/* Whether node a is nearer to `own` than node b: own first, then SLIT, then number. */
static int nearer(const struct topo *t, uint32_t own, uint32_t a, uint32_t b)
{
	if (b == NO_NODE || a == own)
		return 1;
	if (b == own)
		return 0;
	return t->dist[own][a] < t->dist[own][b] ||
	       (t->dist[own][a] == t->dist[own][b] && a < b);
}

/* The nearest node to `from` with room[] left; NO_NODE if none. */
static uint32_t nearest_with_room(const struct topo *t, uint32_t from, const uint64_t *room)
{
	uint32_t best = NO_NODE;
	for (uint32_t n = 0; n < t->nnodes && n < TOPO_MAX_NODES; n++)
		if (room[n] && nearer(t, from, n, best))
			best = n;
	return best;
}

/* Each core's node to take from: its own while room lasts, else the nearest. */
static void choose_nodes(const struct mem_ranges *free_ram, const struct topo *t,
			 unsigned first, unsigned ncores, uint32_t *from, unsigned *count)
{
	uint64_t room[TOPO_MAX_NODES];
	for (uint32_t n = 0; n < TOPO_MAX_NODES; n++) {
		room[n] = n < t->nnodes ? node_free(free_ram, t, n) / COREPOOL_MIN : 0;
		count[n] = 0;
	}
	for (unsigned i = first; i < ncores; i++) {
		uint32_t own = t->cores[i].node;
		uint32_t n = own < t->nnodes ? nearest_with_room(t, own, room) : NO_NODE;
		from[i] = n;
		if (n == NO_NODE)
			continue;
		room[n]--;
		count[n]++;
	}
}

/* A minimum pool from the nearest node that still has one; ERR_NOMEM if none. */
static err_t take_nearest_min(struct mem_ranges *free_ram, const struct topo *t,
			      uint32_t own, struct corepool *out)
{
	uint64_t untried[TOPO_MAX_NODES];
	for (uint32_t n = 0; n < TOPO_MAX_NODES; n++)
		untried[n] = 1;
	for (uint32_t n; (n = nearest_with_room(t, own, untried)) != NO_NODE;) {
		untried[n] = 0;
		if (!corepool_take(free_ram, t, n, COREPOOL_MIN, SMALL, &out->base)) {
			out->size = COREPOOL_MIN;
			out->node = n;
			return ERR_OK;
		}
	}
	return ERR_NOMEM;
}

unsigned corepool_plan(struct mem_ranges *free_ram, const struct topo *t,
		       unsigned first, unsigned ncores, struct corepool *out)
{
	uint32_t from[CORES_MAX];
	unsigned count[TOPO_MAX_NODES];
	uint64_t size[TOPO_MAX_NODES];
	unsigned given = 0;

	if (ncores > CORES_MAX)
		ncores = CORES_MAX;
	choose_nodes(free_ram, t, first, ncores, from, count);
	for (uint32_t n = 0; n < TOPO_MAX_NODES; n++)
		size[n] = count[n] ? share_size(node_free(free_ram, t, n), count[n]) : 0;
	for (unsigned i = first; i < ncores; i++) {
		uint32_t own = t->cores[i].node, n = from[i];
		out[i] = (struct corepool){ .err = ERR_NOMEM, .node = own };
		if (own >= t->nnodes || own >= TOPO_MAX_NODES)
			continue;
		if (n != NO_NODE && !corepool_take(free_ram, t, n, size[n],
						   size[n] >= LARGE ? LARGE : SMALL, &out[i].base)) {
			out[i].size = size[n];
			out[i].node = n;
		} else if (take_nearest_min(free_ram, t, own, &out[i])) {
			continue;
		}
		out[i].err = ERR_OK;
		out[i].borrowed = out[i].node != own;
		given++;
	}
	return given;
}

int corepool_node_of(const struct topo *t, uint64_t base, uint64_t size)
{
	if (t->nmem == 0)
		return 0;
	for (uint32_t i = 0; i < t->nmem; i++)
		if (corepool_in_node(t, t->mem[i].node, base, size))
			return (int)t->mem[i].node;
	return -1;
}

int corepool_node_has_memory(const struct topo *t, uint32_t node)
{
	if (t->nmem == 0)
		return node == 0;
	for (uint32_t i = 0; i < t->nmem; i++)
		if (t->mem[i].node == node)
			return 1;
	return 0;
}

int corepool_in_node(const struct topo *t, uint32_t node, uint64_t base, uint64_t size)
{
	if (t->nmem == 0)
		return node == 0;
	for (uint32_t i = 0; i < t->nmem; i++) {
		const struct topo_mem *m = &t->mem[i];
		if (m->node == node && base >= m->base && size <= m->len &&
		    base - m->base <= m->len - size)
			return 1;
	}
	return 0;
}
