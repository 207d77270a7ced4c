/* corepool.c: per-core physical memory pools (see kernel/corepool.h). */
#include <kernel/corepool.h>

#define LARGE (2ull << 20)
#define SMALL 4096ull

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

unsigned corepool_plan(struct mem_ranges *free_ram, const struct topo *t,
		       unsigned first, unsigned ncores, struct corepool *out)
{
	uint64_t size[TOPO_MAX_NODES];
	unsigned given = 0;

	for (uint32_t n = 0; n < t->nnodes && n < TOPO_MAX_NODES; n++) {
		unsigned cores = 0;
		for (unsigned i = first; i < ncores; i++)
			cores += t->cores[i].node == n;
		size[n] = cores ? share_size(node_free(free_ram, t, n), cores) : 0;
	}
	for (unsigned i = first; i < ncores; i++) {
		uint32_t n = t->cores[i].node;
		out[i].base = out[i].size = 0;
		out[i].err = ERR_NOMEM;
		if (n >= TOPO_MAX_NODES || size[n] == 0)
			continue;
		out[i].err = corepool_take(free_ram, t, n, size[n],
					   size[n] >= LARGE ? LARGE : SMALL, &out[i].base);
		if (out[i].err)
			continue;
		out[i].size = size[n];
		given++;
	}
	return given;
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
