/* monlinks.c: boot-time monitor links and monitor memory (see kernel/monlinks.h). */
#include <kernel/boot.h>
#include <kernel/console.h>
#include <kernel/corepool.h>
#include <kernel/machine.h>
#include <kernel/memlayout.h>
#include <kernel/monlinks.h>
#include <kernel/pmm.h>
#include <kernel/poolreuse.h>
#include <lib/string.h>
#include <topology/bcast_tree.h>
#include <urpc/urpc.h>

/*
 * Links of all monitors: core 0 to each core, the tree's edges, the ring's
 * (c to c+1, and n-1 to 1, so that cores 1..n-1 form a ring of their own
 * and stay connected without core 0 and any run of neighbours).
 */
#define MONLINKS_TOTAL MONITOR_GRAPH_MAX
#define BCAST_FANOUT 4

struct link {
	uint16_t near, far;     /* near: core 0 or the tree parent */
	uint8_t tree;
	uint64_t pa;
};

static struct link links[MONLINKS_TOTAL];
static unsigned nlinks;
static struct topo started;     /* the model cut to the started cores */
static struct bcast_tree tree;
static struct monitor_mem mem[MONITOR_MAX_MEM];
static unsigned nmem;

static int find_link(unsigned a, unsigned b)
{
	for (unsigned i = 0; i < nlinks; i++)
		if ((links[i].near == a && links[i].far == b) ||
		    (links[i].near == b && links[i].far == a))
			return (int)i;
	return -1;
}

static void add_link(struct mem_ranges *free_ram, unsigned near, unsigned far, int is_tree)
{
	int i = find_link(near, far);
	if (i >= 0) {
		links[i].tree |= (uint8_t)is_tree;
		return;
	}
	if (nlinks >= MONLINKS_TOTAL)
		return;
	uint64_t pa;
	if (corepool_take(free_ram, &started, started.cores[far].node, PAGE_SIZE, PAGE_SIZE, &pa) &&
	    memrange_take(free_ram, PAGE_SIZE, PAGE_SIZE, 0, UINT64_MAX, &pa)) {
		klog("monitor link %u-%u: no memory\n", near, far);
		return;
	}
	err_t e = urpc_area_init(phys_to_virt(pa), PAGE_SIZE, LINK_SLOTS, 0);
	if (e) {
		klog("monitor link %u-%u: %s\n", near, far, err_str(e));
		return;
	}
	links[nlinks++] = (struct link){ (uint16_t)near, (uint16_t)far, (uint8_t)is_tree, pa };
}

static void cut_model(unsigned ncores)
{
	const struct topo *t = machine_topo();
	topo_init(&started);
	for (unsigned i = 0; i < ncores && i < t->ncores; i++)
		topo_add_core(&started, &t->cores[i]);
	for (uint32_t i = 0; i < t->nmem; i++)
		topo_add_mem(&started, t->mem[i].node, t->mem[i].base, t->mem[i].len);
	for (uint32_t a = 0; a < t->nnodes; a++)
		for (uint32_t b = 0; b < t->nnodes; b++)
			topo_set_dist(&started, a, b, t->dist[a][b]);
	topo_finish(&started);
}

static void print_line(void *ctx, const char *line)
{
	(void)ctx;
	klog("%s\n", line);
}

/* The spare RAM for the monitors; monmem=N keeps only the first N frames (a test of scarcity). */
static void record_monitor_mem(const struct mem_ranges *free_ram)
{
	uint64_t left = boot_options.monmem_pages ? boot_options.monmem_pages : UINT64_MAX;
	for (unsigned i = 0; i < free_ram->count && nmem < MONITOR_MAX_MEM && left; i++) {
		const struct mem_range *r = &free_ram->r[i];
		uint64_t base = (r->base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		uint64_t end = r->end & ~(PAGE_SIZE - 1);
		if (end <= base)
			continue;
		if ((end - base) / PAGE_SIZE > left)
			end = base + left * PAGE_SIZE;
		left -= (end - base) / PAGE_SIZE;
		uint32_t node = 0;
		for (uint32_t m = 0; m < started.nmem; m++)
			if (base >= started.mem[m].base && base < started.mem[m].base + started.mem[m].len)
				node = started.mem[m].node;
		mem[nmem++] = (struct monitor_mem){ base, end - base, node, 0 };
	}
}

void monlinks_plan(struct mem_ranges *free_ram, unsigned ncores)
{
	cut_model(ncores);
	if (bcast_build(&tree, &started, 0, BCAST_FANOUT) == ERR_OK) {
		if (machine_print_compact())
			bcast_print_summary(&tree, print_line, 0);
		else
			bcast_print(&tree, print_line, 0);
		for (unsigned c = 1; c < started.ncores; c++)
			add_link(free_ram, tree.parent[c], c, 1);
	}
	for (unsigned c = 1; c < started.ncores; c++)
		add_link(free_ram, 0, c, 0);
	for (unsigned c = 1; c + 1 < started.ncores; c++)
		add_link(free_ram, c, c + 1, 0);        /* the liveness ring (0-1, n-1-0 exist) */
	if (started.ncores > 3)
		add_link(free_ram, 1, started.ncores - 1, 0); /* the ring of 1..n-1 */
	record_monitor_mem(free_ram);
	klog("monitor links: %u, monitor memory: %u ranges\n", nlinks, nmem);
}

unsigned monlinks_of(unsigned core, struct monitor_link *out, uint64_t *pa, unsigned max)
{
	unsigned n = 0;
	for (unsigned i = 0; i < nlinks && n < max; i++) {
		const struct link *l = &links[i];
		if (l->near != core && l->far != core)
			continue;
		out[n] = (struct monitor_link){ l->near == core ? l->far : l->near,
						l->near == core ? 0 : 1, l->tree };
		pa[n++] = l->pa;
	}
	return n;
}

unsigned monlinks_count(unsigned core)
{
	unsigned n = 0;
	for (unsigned i = 0; i < nlinks; i++)
		n += links[i].near == core || links[i].far == core;
	return n;
}

/* A page for a renewed link: a released one (kernel/poolreuse.h), else from pool. */
static err_t link_page(struct pmm_pool *pool, uint64_t *pa, bool *released)
{
	*released = poolreuse_take_link(pa);
	return *released ? ERR_OK : pmm_alloc_contig(pool, 1, 1, pa);
}

err_t monlinks_renew(unsigned core, struct pmm_pool *pool, uint64_t *old, unsigned *nold)
{
	uint64_t fresh[MONITOR_MAX_LINKS];
	bool released[MONITOR_MAX_LINKS];
	unsigned n = 0;
	err_t e = ERR_OK;
	for (unsigned i = 0; i < nlinks && !e; i++) {
		if (links[i].near != core && links[i].far != core)
			continue;
		if (n >= MONITOR_MAX_LINKS)
			e = ERR_FULL;
		else if (!(e = link_page(pool, &fresh[n], &released[n])))
			e = urpc_area_init(phys_to_virt(fresh[n++]), PAGE_SIZE, LINK_SLOTS, 0);
	}
	if (e) { /* the pool is the restarting core's own; released pages go back */
		while (n--)
			if (released[n])
				poolreuse_give_link(fresh[n]);
		return e;
	}
	n = 0;
	for (unsigned i = 0; i < nlinks; i++)
		if (links[i].near == core || links[i].far == core) {
			old[n] = links[i].pa;
			__atomic_store_n(&links[i].pa, fresh[n++], __ATOMIC_RELEASE);
		}
	*nold = n;
	return ERR_OK;
}

unsigned monlinks_graph(struct monitor_edge *out, unsigned max)
{
	unsigned n = nlinks < max ? nlinks : max;
	for (unsigned i = 0; i < n; i++)
		out[i] = (struct monitor_edge){ (uint8_t)links[i].near, (uint8_t)links[i].far };
	return n;
}

uint32_t monlinks_parent(unsigned core)
{
	if (core == 0 || core >= tree.ncores)
		return MONITOR_NO_PARENT;
	return tree.parent[core];
}

unsigned monlinks_mem(struct monitor_mem *out, unsigned max)
{
	unsigned n = nmem < max ? nmem : max;
	memcpy(out, mem, n * sizeof *out);
	return n;
}

void monlinks_numa(struct monitor_info *info)
{
	info->nnodes = started.nnodes;
	for (unsigned c = 0; c < CORES_MAX; c++)
		info->core_node[c] = c < started.ncores ? (uint8_t)started.cores[c].node : 0;
	for (unsigned a = 0; a < MONITOR_MAX_NODES && a < started.nnodes; a++)
		for (unsigned b = 0; b < MONITOR_MAX_NODES && b < started.nnodes; b++)
			info->node_dist[a][b] = started.dist[a][b];
}

int monlinks_mem_node(uint64_t pa, uint64_t bytes)
{
	for (unsigned i = 0; i < nmem; i++)
		if (pa >= mem[i].base && pa - mem[i].base < mem[i].len &&
		    bytes <= mem[i].len - (pa - mem[i].base))
			return (int)mem[i].node;
	return -1;
}

int monlinks_is_monitor_mem(uint64_t pa)
{
	for (unsigned i = 0; i < nmem; i++)
		if (pa >= mem[i].base && pa - mem[i].base < mem[i].len)
			return 1;
	return 0;
}
