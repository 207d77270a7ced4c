/*
 * topo_print.c: the model as a stable block of text lines.
 *
 * The format is a protocol (docs/02-topology.md): integration tests compare
 * it with the block tools/topo.py derives from hwloc.  Change both together.
 *
 *   topo: cores=N packages=P nodes=M
 *   topo: cpu I apic=A pkg=P core=C thread=T node=N l1=X l2=Y l3=Z
 *   topo: node N cores=K
 *   topo: mem node=N 0xBASE-0xLAST
 *   topo: dist N: D0 D1 ...
 *   topo: end
 */
#include <lib/fmt.h>
#include <topology/topo.h>

static void topo_print_cores(const struct topo *t, topo_line_fn line, void *ctx)
{
	char buf[TOPO_LINE_MAX];

	for (uint32_t i = 0; i < t->ncores; i++) {
		const struct topo_core *c = &t->cores[i];

		fmt_snprintf(buf, sizeof buf,
			     "topo: cpu %u apic=%u pkg=%u core=%u thread=%u node=%u l1=%u l2=%u l3=%u",
			     i, c->apic_id, c->package, c->core, c->thread,
			     c->node, c->cache[0], c->cache[1], c->cache[2]);
		line(ctx, buf);
	}
}

static void topo_print_nodes(const struct topo *t, topo_line_fn line, void *ctx)
{
	char buf[TOPO_LINE_MAX];

	for (uint32_t n = 0; n < t->nnodes; n++) {
		uint32_t k = 0;

		for (uint32_t i = 0; i < t->ncores; i++)
			k += t->cores[i].node == n;
		fmt_snprintf(buf, sizeof buf, "topo: node %u cores=%u", n, k);
		line(ctx, buf);
	}
	for (uint32_t i = 0; i < t->nmem; i++) {
		fmt_snprintf(buf, sizeof buf, "topo: mem node=%u 0x%llx-0x%llx",
			     t->mem[i].node, (unsigned long long)t->mem[i].base,
			     (unsigned long long)(t->mem[i].base + t->mem[i].len - 1));
		line(ctx, buf);
	}
}

static void topo_print_dist(const struct topo *t, topo_line_fn line, void *ctx)
{
	char buf[TOPO_LINE_MAX];

	for (uint32_t i = 0; i < t->nnodes; i++) {
		int len = fmt_snprintf(buf, sizeof buf, "topo: dist %u:", i);

		for (uint32_t j = 0; j < t->nnodes && len < (int)sizeof buf; j++)
			len += fmt_snprintf(buf + len, sizeof buf - (size_t)len,
					    " %u", t->dist[i][j]);
		line(ctx, buf);
	}
}

void topo_print(const struct topo *t, topo_line_fn line, void *ctx)
{
	char buf[TOPO_LINE_MAX];

	fmt_snprintf(buf, sizeof buf, "topo: cores=%u packages=%u nodes=%u",
		     t->ncores, t->npackages, t->nnodes);
	line(ctx, buf);
	topo_print_cores(t, line, ctx);
	topo_print_nodes(t, line, ctx);
	topo_print_dist(t, line, ctx);
	line(ctx, "topo: end");
}
