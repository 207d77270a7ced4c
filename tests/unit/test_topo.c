/*
 * test_topo: the machine model built from QEMU's real ACPI tables
 * (tests/fixtures/acpi/) with the CPUID shifts of the same -smp line, and
 * the fallback rules of include/topology/acpi.h on broken variants.
 *
 * Expected numbers come from each fixture's QEMU command line: QEMU numbers
 * APIC ids [package | core | thread] with ceil(log2(n))-bit fields, and
 * under the default rule (QEMU's default CPU describes no caches) L1 and L2
 * are per core, L3 per package.
 */
#define TEST_PROGRAM "topo"
#include "test.h"
#include "test_acpi_fixture.h"

#include <topology/topo.h>

static struct acpi_info info;
static struct topo model;
static char msg[512];

static uint8_t bits(uint32_t n)
{
	return cpuid_bits_for(n);
}

/* The CPUID view of a QEMU -smp line with `cores` cores of `threads`. */
static struct cpuid_topo qemu_cpuid(uint32_t cores, uint32_t threads)
{
	struct cpuid_topo c;

	memset(&c, 0, sizeof c);
	c.vendor = CPUID_VENDOR_AMD;
	c.source = 0xb;
	c.smt_shift = bits(threads);
	c.pkg_shift = (uint8_t)(bits(threads) + bits(cores));
	return c;
}

static err_t reload(struct fixture *fx)
{
	return fx_discover(fx, &info, msg, sizeof msg);
}

static err_t load(struct fixture *fx, const char *name)
{
	if (fx_load(fx, name) != 0) {
		CHECK(!"fixture missing (run from the repository root)");
		return ERR_NOENT;
	}
	return reload(fx);
}

/*
 * Checks the model of a QEMU machine with pkgs x cores x threads and no
 * NUMA: every field of every cpu, in APIC-id order.
 */
static void check_machine(uint32_t pkgs, uint32_t cores, uint32_t threads)
{
	uint32_t i = 0;

	CHECK_EQ(model.ncores, pkgs * cores * threads);
	CHECK_EQ(model.npackages, pkgs);
	CHECK_EQ(model.nnodes, 1);
	CHECK_EQ(model.ncache[0], pkgs * cores);
	CHECK_EQ(model.ncache[1], pkgs * cores);
	CHECK_EQ(model.ncache[2], pkgs);
	for (uint32_t p = 0; p < pkgs; p++)
		for (uint32_t c = 0; c < cores; c++)
			for (uint32_t h = 0; h < threads; h++, i++) {
				const struct topo_core *k = &model.cores[i];
				uint32_t apic = p << (bits(cores) + bits(threads)) |
						c << bits(threads) | h;

				if (i >= model.ncores)
					return;
				CHECK_EQ(k->apic_id, apic);
				CHECK_EQ(k->package, p);
				CHECK_EQ(k->core, c);
				CHECK_EQ(k->thread, h);
				CHECK_EQ(k->node, 0);
				CHECK_EQ(k->cache[0], p * cores + c);
				CHECK_EQ(k->cache[1], p * cores + c);
				CHECK_EQ(k->cache[2], p);
				CHECK_EQ(topo_cpu_of_apic(&model, apic), (int)i);
			}
}

static void fixture_machine(const char *name, uint32_t pkgs, uint32_t cores,
			    uint32_t threads)
{
	struct cpuid_topo c = qemu_cpuid(cores, threads);
	struct fixture fx;

	CHECK_EQ(load(&fx, name), ERR_OK);
	CHECK_EQ(topo_from_acpi(&model, &info, &c, 0), ERR_OK);
	check_machine(pkgs, cores, threads);
	CHECK_EQ(model.nmem, 0);		/* no SRAT */
	CHECK_EQ(model.dist[0][0], 10);
	fx_free(&fx);
}

static void t_smp1(void) { fixture_machine("smp1", 1, 1, 1); }
static void t_smp4(void) { fixture_machine("smp4", 1, 4, 1); }
static void t_smp16(void) { fixture_machine("smp16", 1, 16, 1); }
static void t_c3t2(void) { fixture_machine("smp6-c3t2", 1, 3, 2); }
static void t_s2c2t2(void) { fixture_machine("smp8-s2c2t2", 2, 2, 2); }
static void t_s2c3t2(void) { fixture_machine("smp12-s2c3t2", 2, 3, 2); }
static void t_pc_machine(void) { fixture_machine("pc-smp2", 1, 2, 1); }

/* The boot core need not be APIC 0: cpu numbers still follow APIC ids. */
static void t_boot_core_not_first(void)
{
	struct cpuid_topo c = qemu_cpuid(3, 2);
	struct fixture fx;

	CHECK_EQ(load(&fx, "smp12-s2c3t2"), ERR_OK);
	CHECK_EQ(topo_from_acpi(&model, &info, &c, 13), ERR_OK);
	check_machine(2, 3, 2);
	CHECK_EQ(topo_cpu_of_apic(&model, 13), 11);
	CHECK_EQ(topo_cpu_of_apic(&model, 6), -1);	/* the gap */
	fx_free(&fx);
}

struct lines {
	int n;
	char l[64][TOPO_LINE_MAX];
};

static void collect(void *ctx, const char *line)
{
	struct lines *s = ctx;

	if (s->n < 64)
		snprintf(s->l[s->n++], TOPO_LINE_MAX, "%s", line);
}

static const char *const numa2_block[] = {
	"topo: cores=4 packages=2 nodes=2",
	"topo: cpu 0 apic=0 pkg=0 core=0 thread=0 node=0 l1=0 l2=0 l3=0",
	"topo: cpu 1 apic=1 pkg=0 core=1 thread=0 node=0 l1=1 l2=1 l3=0",
	"topo: cpu 2 apic=2 pkg=1 core=0 thread=0 node=1 l1=2 l2=2 l3=1",
	"topo: cpu 3 apic=3 pkg=1 core=1 thread=0 node=1 l1=3 l2=3 l3=1",
	"topo: node 0 cores=2",
	"topo: node 1 cores=2",
	"topo: mem node=0 0x0-0x9ffff",
	"topo: mem node=0 0x100000-0x1fffffff",
	"topo: mem node=1 0x20000000-0x3fffffff",
	"topo: dist 0: 10 21",
	"topo: dist 1: 21 10",
	"topo: end",
};

/* -smp 4,sockets=2,cores=2 -m 1G, nodes 0 (cpus 0-1) and 1, distance 21 */
static void t_numa2(void)
{
	struct cpuid_topo c = qemu_cpuid(2, 1);
	struct lines out = { 0 };
	struct fixture fx;

	CHECK_EQ(load(&fx, "numa2"), ERR_OK);
	CHECK_EQ(topo_from_acpi(&model, &info, &c, 0), ERR_OK);
	CHECK_EQ(model.nnodes, 2);
	CHECK_EQ(model.nmem, 3);
	topo_print(&model, collect, &out);
	CHECK_EQ(out.n, (int)(sizeof numa2_block / sizeof numa2_block[0]));
	for (int i = 0; i < out.n && i < 13; i++)
		CHECK_STR(out.l[i], numa2_block[i]);
	fx_free(&fx);
}

static void t_print_s2c2t2(void)
{
	struct cpuid_topo c = qemu_cpuid(2, 2);
	struct lines out = { 0 };
	struct fixture fx;

	CHECK_EQ(load(&fx, "smp8-s2c2t2"), ERR_OK);
	CHECK_EQ(topo_from_acpi(&model, &info, &c, 0), ERR_OK);
	topo_print(&model, collect, &out);
	CHECK_EQ(out.n, 12);
	CHECK_STR(out.l[0], "topo: cores=8 packages=2 nodes=1");
	CHECK_STR(out.l[1], "topo: cpu 0 apic=0 pkg=0 core=0 thread=0 node=0 l1=0 l2=0 l3=0");
	CHECK_STR(out.l[6], "topo: cpu 5 apic=5 pkg=1 core=0 thread=1 node=0 l1=2 l2=2 l3=1");
	CHECK_STR(out.l[8], "topo: cpu 7 apic=7 pkg=1 core=1 thread=1 node=0 l1=3 l2=3 l3=1");
	CHECK_STR(out.l[9], "topo: node 0 cores=8");
	CHECK_STR(out.l[10], "topo: dist 0: 10");
	CHECK_STR(out.l[11], "topo: end");
	fx_free(&fx);
}

/* A flat machine (QEMU's -smp 255): the compact block is one run line. */
static void t_print_compact_flat(void)
{
	struct topo_core k = { 0 };
	struct lines out = { 0 };

	topo_init(&model);
	for (uint32_t i = 0; i < 255; i++) {
		k.apic_id = k.core = k.cache[0] = k.cache[1] = i;
		CHECK_EQ(topo_add_core(&model, &k), ERR_OK);
	}
	CHECK_EQ(topo_finish(&model), ERR_OK);
	topo_print_compact(&model, collect, &out);
	CHECK_EQ(out.n, 5);
	CHECK_STR(out.l[0], "topo: cores=255 packages=1 nodes=1");
	CHECK_STR(out.l[1], "topo: cpus 0-254 apic=0+1 pkg=0 core=0+1 thread=0 node=0 l1=0+1 l2=0+1 l3=0");
	CHECK_STR(out.l[2], "topo: node 0 cores=255");
	CHECK_STR(out.l[3], "topo: dist 0: 10");
	CHECK_STR(out.l[4], "topo: end");
}

/* Runs break where a step changes or a field falls; runs of 1-2 cpus stay cpu lines. */
static void t_print_compact_runs(void)
{
	static const uint32_t apics[] = { 0, 1, 2, 4, 5, 8, 10, 12, 14 };
	struct topo_core k = { 0 };
	struct lines out = { 0 };

	topo_init(&model);
	for (int i = 0; i < 9; i++) {
		k.apic_id = k.core = k.cache[0] = k.cache[1] = apics[i];
		CHECK_EQ(topo_add_core(&model, &k), ERR_OK);
	}
	CHECK_EQ(topo_finish(&model), ERR_OK);
	topo_print_compact(&model, collect, &out);
	CHECK_EQ(out.n, 8);
	CHECK_STR(out.l[1], "topo: cpus 0-2 apic=0+1 pkg=0 core=0+1 thread=0 node=0 l1=0+1 l2=0+1 l3=0");
	CHECK_STR(out.l[2], "topo: cpu 3 apic=4 pkg=0 core=4 thread=0 node=0 l1=3 l2=3 l3=0");
	CHECK_STR(out.l[3], "topo: cpu 4 apic=5 pkg=0 core=5 thread=0 node=0 l1=4 l2=4 l3=0");
	CHECK_STR(out.l[4], "topo: cpus 5-8 apic=8+2 pkg=0 core=8+2 thread=0 node=0 l1=5+1 l2=5+1 l3=0");
	CHECK_STR(out.l[7], "topo: end");
}

/* SMT threads (0, 1, 0, 1) make no run: the compact block is the full one. */
static void t_print_compact_smt_is_full(void)
{
	struct cpuid_topo c = qemu_cpuid(2, 2);
	struct lines full = { 0 }, compact = { 0 };
	struct fixture fx;

	CHECK_EQ(load(&fx, "smp8-s2c2t2"), ERR_OK);
	CHECK_EQ(topo_from_acpi(&model, &info, &c, 0), ERR_OK);
	topo_print(&model, collect, &full);
	topo_print_compact(&model, collect, &compact);
	CHECK_EQ(compact.n, full.n);
	for (int i = 0; i < full.n && i < compact.n; i++)
		CHECK_STR(compact.l[i], full.l[i]);
	fx_free(&fx);
}

/* Caches CPUID did describe override the default rule (QEMU 7.2's
 * Skylake-Client: L1 per thread, L2 per core, L3 per package). */
static void t_cpuid_caches(void)
{
	struct cpuid_topo c = qemu_cpuid(2, 2);
	struct fixture fx;

	c.ncaches = 3;
	c.caches[0] = (struct cpuid_cache){ 1, CPUID_CACHE_DATA, 0, 1, 32768, 64 };
	c.caches[1] = (struct cpuid_cache){ 2, CPUID_CACHE_UNIFIED, 1, 2, 4 << 20, 64 };
	c.caches[2] = (struct cpuid_cache){ 3, CPUID_CACHE_UNIFIED, 2, 4, 16 << 20, 64 };
	CHECK_EQ(load(&fx, "smp8-s2c2t2"), ERR_OK);
	CHECK_EQ(topo_from_acpi(&model, &info, &c, 0), ERR_OK);
	CHECK_EQ(model.ncache[0], 8);
	CHECK_EQ(model.ncache[1], 4);
	CHECK_EQ(model.ncache[2], 2);
	for (uint32_t i = 0; i < 8; i++) {
		CHECK_EQ(model.cores[i].cache[0], i);
		CHECK_EQ(model.cores[i].cache[1], i / 2);
		CHECK_EQ(model.cores[i].cache[2], i / 4);
	}
	fx_free(&fx);
}

/* No CPUID: every core is its own core of package 0, one thread. */
static void t_no_cpuid(void)
{
	struct fixture fx;

	CHECK_EQ(load(&fx, "smp8-s2c2t2"), ERR_OK);
	CHECK_EQ(topo_from_acpi(&model, &info, NULL, 0), ERR_OK);
	CHECK_EQ(model.ncores, 8);
	CHECK_EQ(model.npackages, 1);
	CHECK_EQ(model.ncache[0], 8);
	CHECK_EQ(model.ncache[2], 1);
	for (uint32_t i = 0; i < 8; i++) {
		CHECK_EQ(model.cores[i].package, 0);
		CHECK_EQ(model.cores[i].core, i);
		CHECK_EQ(model.cores[i].thread, 0);
	}
	fx_free(&fx);
}

/* ---- fallback rules (acpi.h) ---- */

/* Nothing known (no RSDP): the boot core only, one node. */
static void t_fallback_nothing(void)
{
	struct cpuid_topo c = qemu_cpuid(4, 1);
	struct fixture fx;

	memset(&fx, 0, sizeof fx);
	{
		struct acpi_mem m = fx_mem(&fx);

		CHECK_EQ(acpi_discover(&m, &info, msg, sizeof msg), ERR_NOENT);
	}
	CHECK_EQ(info.have, 0);
	CHECK_EQ(topo_from_acpi(&model, &info, &c, 3), ERR_OK);
	CHECK_EQ(model.ncores, 1);
	CHECK_EQ(model.cores[0].apic_id, 3);
	CHECK_EQ(model.cores[0].core, 3);
	CHECK_EQ(model.nnodes, 1);
	CHECK_EQ(model.npackages, 1);
	CHECK_EQ(model.nmem, 0);
}

/* Broken MADT: boot core only; a valid SRAT still places it and the memory. */
static void t_fallback_bad_madt(void)
{
	struct cpuid_topo c = qemu_cpuid(2, 1);
	struct fixture fx;

	CHECK_EQ(load(&fx, "numa2"), ERR_OK);
	fx_table(&fx, "APIC")->data[40] ^= 1;
	CHECK_EQ(reload(&fx), ERR_CHECKSUM);
	CHECK_EQ(info.ncpus, 0);
	CHECK_EQ(topo_from_acpi(&model, &info, &c, 2), ERR_OK);
	CHECK_EQ(model.ncores, 1);
	CHECK_EQ(model.cores[0].apic_id, 2);
	CHECK_EQ(model.cores[0].package, 0);	/* dense: the only package */
	CHECK_EQ(model.cores[0].node, 1);
	CHECK_EQ(model.nnodes, 2);		/* node 0 has memory only */
	CHECK_EQ(model.nmem, 3);
	CHECK_EQ(model.dist[0][1], 21);
	fx_free(&fx);
}

/* Broken SRAT: one node with every core; the SLIT is then unused. */
static void t_fallback_bad_srat(void)
{
	struct cpuid_topo c = qemu_cpuid(2, 1);
	struct fixture fx;

	CHECK_EQ(load(&fx, "numa2"), ERR_OK);
	fx_table(&fx, "SRAT")->data[60] ^= 1;
	CHECK_EQ(reload(&fx), ERR_CHECKSUM);
	CHECK(info.have & ACPI_HAVE_SLIT);
	CHECK_EQ(topo_from_acpi(&model, &info, &c, 0), ERR_OK);
	CHECK_EQ(model.ncores, 4);
	CHECK_EQ(model.npackages, 2);
	CHECK_EQ(model.nnodes, 1);
	CHECK_EQ(model.nmem, 0);
	for (uint32_t i = 0; i < 4; i++)
		CHECK_EQ(model.cores[i].node, 0);
	fx_free(&fx);
}

/* Broken SLIT: two nodes, default distances 10/20. */
static void t_fallback_bad_slit(void)
{
	struct cpuid_topo c = qemu_cpuid(2, 1);
	struct fixture fx;

	CHECK_EQ(load(&fx, "numa2"), ERR_OK);
	fx_table(&fx, "SLIT")->data[45] = 9;	/* [0][1] below 10 */
	fx_fix_checksum(fx_table(&fx, "SLIT"));
	CHECK_EQ(reload(&fx), ERR_RANGE);
	CHECK_EQ(topo_from_acpi(&model, &info, &c, 0), ERR_OK);
	CHECK_EQ(model.nnodes, 2);
	CHECK_EQ(model.dist[0][0], 10);
	CHECK_EQ(model.dist[0][1], 20);
	CHECK_EQ(model.dist[1][0], 20);
	CHECK_EQ(model.dist[1][1], 10);
	CHECK_EQ(model.cores[3].node, 1);
	fx_free(&fx);
}

/* A SLIT smaller than the domains in use is ignored as a whole. */
static void t_slit_does_not_cover(void)
{
	struct cpuid_topo c = qemu_cpuid(2, 1);
	struct fixture fx;

	CHECK_EQ(load(&fx, "numa2"), ERR_OK);
	info.slit_n = 1;
	CHECK_EQ(topo_from_acpi(&model, &info, &c, 0), ERR_OK);
	CHECK_EQ(model.dist[0][1], 20);
	fx_free(&fx);
}

/* Overlapping SRAT memory ranges: the model falls back to one node. */
static void t_srat_overlap_one_node(void)
{
	struct cpuid_topo c = qemu_cpuid(2, 1);
	struct fixture fx;

	CHECK_EQ(load(&fx, "numa2"), ERR_OK);
	CHECK(info.nmem >= 3);
	info.mem[2].base = 0x1ff00000;		/* node 1 overlaps node 0 */
	CHECK_EQ(topo_from_acpi(&model, &info, &c, 0), ERR_OK);
	CHECK_EQ(model.nnodes, 1);
	CHECK_EQ(model.nmem, 0);
	CHECK_EQ(model.ncores, 4);
	fx_free(&fx);
}

/* Sparse proximity domains (3 and 7) become nodes 0 and 1; a core the
 * SRAT does not mention goes to node 0. */
static void t_sparse_domains(void)
{
	struct cpuid_topo c = qemu_cpuid(2, 1);
	struct fixture fx;

	CHECK_EQ(load(&fx, "numa2"), ERR_OK);
	for (uint32_t i = 0; i < info.ncpu_aff; i++)
		info.cpu_aff[i].domain = info.cpu_aff[i].domain ? 7 : 3;
	for (uint32_t i = 0; i < info.nmem; i++)
		info.mem[i].domain = info.mem[i].domain ? 7 : 3;
	info.ncpu_aff = 3;			/* forget apic 3 */
	info.slit_n = 8;
	memset(info.slit, 20, sizeof info.slit);
	for (int i = 0; i < 8; i++)
		info.slit[i][i] = 10;
	info.slit[3][7] = info.slit[7][3] = 31;
	CHECK_EQ(topo_from_acpi(&model, &info, &c, 0), ERR_OK);
	CHECK_EQ(model.nnodes, 2);
	CHECK_EQ(model.cores[2].node, 1);
	CHECK_EQ(model.cores[3].node, 0);
	CHECK_EQ(model.dist[0][1], 31);
	fx_free(&fx);
}

/* Disabled MADT processors are not cores; the boot core is added if the
 * MADT forgot it. */
static void t_disabled_and_missing_boot(void)
{
	struct cpuid_topo c = qemu_cpuid(4, 1);
	struct fixture fx;

	CHECK_EQ(load(&fx, "smp4"), ERR_OK);
	info.cpus[1].flags = ACPI_CPU_ONLINE_CAPABLE;
	CHECK_EQ(topo_from_acpi(&model, &info, &c, 9), ERR_OK);
	CHECK_EQ(model.ncores, 4);
	CHECK_EQ(model.cores[0].apic_id, 0);
	CHECK_EQ(model.cores[1].apic_id, 2);
	CHECK_EQ(model.cores[3].apic_id, 9);
	CHECK_EQ(model.npackages, 2);		/* raw 0, and 9 >> 2 = 2 */
	CHECK_EQ(model.cores[3].package, 1);
	fx_free(&fx);
}

/* ---- building by hand ---- */

static void t_add_errors(void)
{
	struct topo_core k = { 0 };

	topo_init(&model);
	CHECK_EQ(topo_finish(&model), ERR_EMPTY);
	CHECK_EQ(topo_add_core(&model, &k), ERR_OK);
	CHECK_EQ(topo_add_core(&model, &k), ERR_EXIST);
	k.apic_id = 1;
	k.node = TOPO_MAX_NODES;
	CHECK_EQ(topo_add_core(&model, &k), ERR_RANGE);
	CHECK_EQ(topo_add_mem(&model, 0, 0x1000, 0), ERR_RANGE);
	CHECK_EQ(topo_add_mem(&model, 0, ~0ull - 5, 10), ERR_RANGE);
	CHECK_EQ(topo_add_mem(&model, TOPO_MAX_NODES, 0, 10), ERR_RANGE);
	CHECK_EQ(topo_set_dist(&model, 0, 0, 11), ERR_RANGE);
	CHECK_EQ(topo_set_dist(&model, 0, 1, 9), ERR_RANGE);
	CHECK_EQ(topo_set_dist(&model, 0, TOPO_MAX_NODES, 20), ERR_RANGE);
	CHECK_EQ(topo_set_dist(&model, 0, 1, 30), ERR_OK);
	for (uint32_t i = 1; i < CORES_MAX; i++) {
		k.apic_id = i;
		k.node = 0;
		CHECK_EQ(topo_add_core(&model, &k), ERR_OK);
	}
	k.apic_id = 1000;
	CHECK_EQ(topo_add_core(&model, &k), ERR_FULL);
	for (uint32_t i = 0; i < TOPO_MAX_MEM; i++)
		CHECK_EQ(topo_add_mem(&model, 0, i * 0x1000ull, 0x1000), ERR_OK);
	CHECK_EQ(topo_add_mem(&model, 0, 1ull << 40, 1), ERR_FULL);
	CHECK_EQ(topo_finish(&model), ERR_OK);
	CHECK_EQ(model.ncores, CORES_MAX);
}

static void t_finish_overlap(void)
{
	struct topo_core k = { 0 };

	topo_init(&model);
	CHECK_EQ(topo_add_core(&model, &k), ERR_OK);
	CHECK_EQ(topo_add_mem(&model, 0, 0x2000, 0x2000), ERR_OK);
	CHECK_EQ(topo_add_mem(&model, 0, 0x1000, 0x1001), ERR_OK);
	CHECK_EQ(topo_finish(&model), ERR_EXIST);
}

/* A node number nothing uses below a used one breaks "every node has a
 * core or memory". */
static void t_finish_empty_node(void)
{
	struct topo_core k = { 0 };

	topo_init(&model);
	k.node = 1;
	CHECK_EQ(topo_add_core(&model, &k), ERR_OK);
	CHECK_EQ(topo_finish(&model), ERR_NOENT);
}

/* Cores added out of APIC order are sorted; raw keys become dense. */
static void t_sort_and_densify(void)
{
	static const uint32_t apics[] = { 0x31, 0x10, 0x30, 0x11 };
	struct topo_core k = { 0 };

	topo_init(&model);
	for (int i = 0; i < 4; i++) {
		k.apic_id = apics[i];
		k.package = apics[i] >> 4;	/* raw 1 and 3 */
		k.node = apics[i] >> 5;
		CHECK_EQ(topo_add_core(&model, &k), ERR_OK);
	}
	CHECK_EQ(topo_add_mem(&model, 1, 0x100000, 0x100000), ERR_OK);
	CHECK_EQ(topo_add_mem(&model, 0, 0, 0x100000), ERR_OK);
	CHECK_EQ(topo_finish(&model), ERR_OK);
	CHECK_EQ(model.cores[0].apic_id, 0x10);
	CHECK_EQ(model.cores[3].apic_id, 0x31);
	CHECK_EQ(model.cores[0].package, 0);
	CHECK_EQ(model.cores[2].package, 1);
	CHECK_EQ(model.npackages, 2);
	CHECK_EQ(model.nnodes, 2);
	CHECK_EQ(model.mem[0].node, 0);
	CHECK_EQ(model.mem[1].base, 0x100000);
}

int main(void)
{
	RUN(t_smp1);
	RUN(t_smp4);
	RUN(t_smp16);
	RUN(t_c3t2);
	RUN(t_s2c2t2);
	RUN(t_s2c3t2);
	RUN(t_pc_machine);
	RUN(t_boot_core_not_first);
	RUN(t_numa2);
	RUN(t_print_s2c2t2);
	RUN(t_print_compact_flat);
	RUN(t_print_compact_runs);
	RUN(t_print_compact_smt_is_full);
	RUN(t_cpuid_caches);
	RUN(t_no_cpuid);
	RUN(t_fallback_nothing);
	RUN(t_fallback_bad_madt);
	RUN(t_fallback_bad_srat);
	RUN(t_fallback_bad_slit);
	RUN(t_slit_does_not_cover);
	RUN(t_srat_overlap_one_node);
	RUN(t_sparse_domains);
	RUN(t_disabled_and_missing_boot);
	RUN(t_add_errors);
	RUN(t_finish_overlap);
	RUN(t_finish_empty_node);
	RUN(t_sort_and_densify);
	return test_summary();
}
