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
 *
 * The compact form (topo_print_compact) replaces each run of three or more
 * consecutive cpus whose eight fields all advance evenly by one line,
 *
 *   topo: cpus I-J apic=A+S pkg=P core=C+S thread=T node=N l1=X+S l2=Y+S l3=Z
 *
 * where `F=V` means every cpu of the run has V and `F=V+S` means cpu I has V
 * and each next cpu S more (S >= 1).  Shorter runs keep their `cpu` lines,
 * so a machine without such runs prints the same block both ways.  Runs are
 * taken greedily from the lowest cpu; tools/topo.py does the same.
 */
#include <stdbool.h>

#include <lib/fmt.h>
#include <topology/topo.h>

static void topo_print_cpu(const struct topo *t, uint32_t i, topo_line_fn line, void *ctx)
{
	char buf[TOPO_LINE_MAX];
	const struct topo_core *c = &t->cores[i];

	fmt_snprintf(buf, sizeof buf,
		     "topo: cpu %u apic=%u pkg=%u core=%u thread=%u node=%u l1=%u l2=%u l3=%u",
		     i, c->apic_id, c->package, c->core, c->thread,
		     c->node, c->cache[0], c->cache[1], c->cache[2]);
	line(ctx, buf);
}

static void topo_print_cores(const struct topo *t, topo_line_fn line, void *ctx)
{
	for (uint32_t i = 0; i < t->ncores; i++)
		topo_print_cpu(t, i, line, ctx);
}

/* The eight printed fields of a core, in printed order. */
#define TOPO_FIELDS 8
static const char *const field_name[TOPO_FIELDS] = {
	"apic", "pkg", "core", "thread", "node", "l1", "l2", "l3"
};

static void core_fields(const struct topo_core *c, uint32_t v[TOPO_FIELDS])
{
	v[0] = c->apic_id;
	v[1] = c->package;
	v[2] = c->core;
	v[3] = c->thread;
	v[4] = c->node;
	v[5] = c->cache[0];
	v[6] = c->cache[1];
	v[7] = c->cache[2];
}

/*
 * Length of the run starting at cpu i: cpus i..i+len-1 whose every field
 * grows by the same step (>= 0) from one cpu to the next; steps in step[].
 */
static uint32_t run_length(const struct topo *t, uint32_t i, uint32_t step[TOPO_FIELDS])
{
	uint32_t a[TOPO_FIELDS], b[TOPO_FIELDS], len;

	if (i + 1 >= t->ncores)
		return 1;
	core_fields(&t->cores[i], a);
	core_fields(&t->cores[i + 1], b);
	for (int f = 0; f < TOPO_FIELDS; f++) {
		if (b[f] < a[f])
			return 1;
		step[f] = b[f] - a[f];
	}
	for (len = 2; i + len < t->ncores; len++) {
		core_fields(&t->cores[i + len - 1], a);
		core_fields(&t->cores[i + len], b);
		for (int f = 0; f < TOPO_FIELDS; f++)
			if (b[f] < a[f] || b[f] - a[f] != step[f])
				return len;
	}
	return len;
}

static void print_run(const struct topo *t, uint32_t i, uint32_t len,
		      const uint32_t step[TOPO_FIELDS], topo_line_fn line, void *ctx)
{
	char buf[TOPO_LINE_MAX];
	uint32_t v[TOPO_FIELDS];
	int at = fmt_snprintf(buf, sizeof buf, "topo: cpus %u-%u", i, i + len - 1);

	core_fields(&t->cores[i], v);
	for (int f = 0; f < TOPO_FIELDS && at < (int)sizeof buf; f++) {
		at += fmt_snprintf(buf + at, sizeof buf - (size_t)at, " %s=%u", field_name[f], v[f]);
		if (step[f] && at < (int)sizeof buf)
			at += fmt_snprintf(buf + at, sizeof buf - (size_t)at, "+%u", step[f]);
	}
	line(ctx, buf);
}

static void topo_print_cores_compact(const struct topo *t, topo_line_fn line, void *ctx)
{
	for (uint32_t i = 0; i < t->ncores;) {
		uint32_t step[TOPO_FIELDS] = { 0 };
		uint32_t len = run_length(t, i, step);

		if (len >= 3) {
			print_run(t, i, len, step, line, ctx);
			i += len;
			continue;
		}
		topo_print_cpu(t, i, line, ctx);
		i++;
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

static void topo_print_block(const struct topo *t, bool compact, topo_line_fn line, void *ctx)
{
	char buf[TOPO_LINE_MAX];

	fmt_snprintf(buf, sizeof buf, "topo: cores=%u packages=%u nodes=%u",
		     t->ncores, t->npackages, t->nnodes);
	line(ctx, buf);
	if (compact)
		topo_print_cores_compact(t, line, ctx);
	else
		topo_print_cores(t, line, ctx);
	topo_print_nodes(t, line, ctx);
	topo_print_dist(t, line, ctx);
	line(ctx, "topo: end");
}

void topo_print(const struct topo *t, topo_line_fn line, void *ctx)
{
	topo_print_block(t, false, line, ctx);
}

void topo_print_compact(const struct topo *t, topo_line_fn line, void *ctx)
{
	topo_print_block(t, true, line, ctx);
}
