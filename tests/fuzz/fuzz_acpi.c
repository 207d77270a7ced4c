/*
 * libFuzzer target for the ACPI parser and the machine model built from it
 * (topology/acpi*.c, topo.c, topo_print.c, bcast_tree.c).
 *
 * Input: the binary chunk format of tools/acpi-dump.py --to-bin, repeated
 * records of [u64 LE physical address][u16 LE length][length bytes]; a
 * record cut short by the end of the input is kept with the bytes present.
 * The chunks are served exactly as the host tests serve fixtures
 * (tests/unit/test_acpi_fixture.h): reads below 1 MiB see zeros where no
 * chunk lies, every other read must fall inside one chunk or fails.
 *
 * Whatever the bytes, the target checks the contracts of acpi.h and topo.h:
 * counts within their arrays, rejected tables leave nothing behind, a
 * message that is NUL-terminated, a model that keeps every invariant
 * topo_finish() promises, printed lines shorter than TOPO_LINE_MAX, and a
 * broadcast tree that reaches every core once.  A violation aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/test_acpi_fixture.h"
#include <topology/acpi.h>
#include <topology/bcast_tree.h>
#include <topology/topo.h>

static struct acpi_info info;
static struct topo model;
static struct bcast_tree tree;

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_acpi: %s\n", what);
	abort();
}

/* Splits the input into fixture chunks that point into it (read-only). */
static void load(struct fixture *fx, const uint8_t *data, size_t size)
{
	size_t off = 0;

	memset(fx, 0, sizeof *fx);
	while (size - off >= 10 && fx->n < FX_MAX_CHUNKS) {
		struct fx_chunk *c = &fx->c[fx->n++];
		uint32_t len = (uint32_t)data[off + 8] | (uint32_t)data[off + 9] << 8;

		c->addr = 0;
		for (int i = 7; i >= 0; i--)
			c->addr = c->addr << 8 | data[off + i];
		off += 10;
		if (len > size - off)
			len = (uint32_t)(size - off);
		c->len = len;
		c->data = (uint8_t *)(uintptr_t)(data + off);
		off += len;
	}
}

static void check_acpi(err_t e, const char *msg, size_t msglen)
{
	if (memchr(msg, 0, msglen) == NULL)
		fail("message not NUL-terminated");
	if (e == ERR_OK && msg[0])
		fail("success with a problem reported");
	if (e != ERR_OK && !msg[0])
		fail("error without a message");
	if (info.ncpus > ACPI_MAX_CPUS || info.nioapics > ACPI_MAX_IOAPICS ||
	    info.ncpu_aff > ACPI_MAX_CPUS || info.nmem > ACPI_MAX_MEM ||
	    info.slit_n > ACPI_MAX_DOMAINS)
		fail("count past its array");
	if (!(info.have & ACPI_HAVE_MADT) && (info.ncpus || info.nioapics))
		fail("rejected MADT left processors behind");
	if (!(info.have & ACPI_HAVE_SRAT) && (info.ncpu_aff || info.nmem))
		fail("rejected SRAT left entries behind");
	if (!(info.have & ACPI_HAVE_SLIT) && info.slit_n)
		fail("rejected SLIT left a matrix behind");
	for (uint32_t i = 0; i < info.ncpu_aff; i++)
		if (info.cpu_aff[i].domain >= ACPI_MAX_DOMAINS)
			fail("cpu affinity domain out of range");
	for (uint32_t i = 0; i < info.nmem; i++)
		if (info.mem[i].domain >= ACPI_MAX_DOMAINS || !info.mem[i].len ||
		    info.mem[i].base + info.mem[i].len < info.mem[i].base)
			fail("bad memory affinity range");
	for (uint32_t i = 0; i < info.slit_n; i++)
		for (uint32_t j = 0; j < info.slit_n; j++)
			if (info.slit[i][j] < 10 || (i == j && info.slit[i][j] != 10))
				fail("bad SLIT entry kept");
	for (uint32_t i = 0; i < info.ncpus; i++)
		for (uint32_t j = 0; j < i; j++)
			if (info.cpus[i].apic_id == info.cpus[j].apic_id &&
			    (info.cpus[i].flags & info.cpus[j].flags & ACPI_CPU_ENABLED))
				fail("two enabled processors share an APIC id");
}

static void check_model(void)
{
	if (model.ncores < 1 || model.ncores > CORES_MAX)
		fail("core count");
	if (model.nnodes < 1 || model.nnodes > TOPO_MAX_NODES)
		fail("node count");
	for (uint32_t i = 0; i < model.ncores; i++) {
		const struct topo_core *c = &model.cores[i];

		if (i && model.cores[i - 1].apic_id >= c->apic_id)
			fail("APIC ids not increasing");
		if (c->node >= model.nnodes || c->package >= model.npackages)
			fail("core outside the model");
		for (int l = 0; l < TOPO_LEVELS; l++)
			if (c->cache[l] >= model.ncache[l])
				fail("cache domain outside the model");
	}
	for (uint32_t i = 0; i < model.nnodes; i++)
		for (uint32_t j = 0; j < model.nnodes; j++)
			if (model.dist[i][j] < 10 || (i == j && model.dist[i][j] != 10))
				fail("bad distance");
	for (uint32_t i = 1; i < model.nmem; i++)
		if (model.mem[i - 1].base + model.mem[i - 1].len > model.mem[i].base)
			fail("memory ranges overlap or unsorted");
}

static void sink(void *ctx, const char *line)
{
	size_t n = strnlen(line, TOPO_LINE_MAX);

	(*(unsigned *)ctx)++;
	if (n >= TOPO_LINE_MAX)
		fail("line not terminated within TOPO_LINE_MAX");
	if (strncmp(line, "topo: ", 6) && strncmp(line, "bcast: ", 7))
		fail("line without its prefix");
}

static void check_tree(uint32_t root, uint32_t k)
{
	static uint32_t queue[CORES_MAX];
	uint8_t seen[CORES_MAX] = { 0 };
	uint32_t head = 0, tail = 0;

	if (bcast_build(&tree, &model, root, k) != ERR_OK)
		fail("bcast_build refused a finished model");
	queue[tail++] = root;
	seen[root] = 1;
	while (head < tail) {
		uint32_t n, p = queue[head++];
		const uint32_t *ch = bcast_children(&tree, p, &n);

		for (uint32_t j = 0; j < n; j++) {
			if (ch[j] >= model.ncores || seen[ch[j]]++)
				fail("tree reaches a core twice or out of range");
			queue[tail++] = ch[j];
		}
	}
	if (tail != model.ncores)
		fail("tree misses a core");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpuid_topo cpuid;
	struct fixture fx;
	struct acpi_mem mem;
	unsigned lines = 0;
	char msg[256];
	err_t e;

	load(&fx, data, size);
	mem = fx_mem(&fx);
	e = acpi_discover(&mem, &info, msg, sizeof msg);
	check_acpi(e, msg, sizeof msg);

	memset(&cpuid, 0, sizeof cpuid);		/* QEMU -smp s2c2t2 shifts */
	cpuid.smt_shift = 1;
	cpuid.pkg_shift = 2;
	for (int pass = 0; pass < 2; pass++) {
		uint32_t boot = size ? data[size - 1] : 0;

		e = topo_from_acpi(&model, &info, pass ? NULL : &cpuid, boot);
		if (e != ERR_OK)
			continue;	/* e.g. more than CORES_MAX */
		check_model();
		if (topo_cpu_of_apic(&model, boot) < 0)
			fail("boot core missing from the model");
		topo_print(&model, sink, &lines);
		topo_print_compact(&model, sink, &lines);
		check_tree(0, 2);
		check_tree(model.ncores - 1, 1 + boot % BCAST_MAX_FANOUT);
		bcast_print(&tree, sink, &lines);
		bcast_print_summary(&tree, sink, &lines);
	}
	return 0;
}
