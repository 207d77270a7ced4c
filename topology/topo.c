/*
 * topo.c: building and checking the topology model.
 *
 * Filling is two-phase: cores, memory and distances are added with raw ids
 * (APIC-id fields, SRAT order), then topo_finish() sorts the cores by APIC
 * id, renumbers packages and cache domains densely in that order and checks
 * the invariants listed in include/topology/topo.h.  topo_from_acpi()
 * applies the fallback rules of acpi.h.  Printing lives in topo_print.c.
 */
#include <topology/topo.h>

void topo_init(struct topo *t)
{
	__builtin_memset(t, 0, sizeof *t);
	t->nnodes = 1;
	for (uint32_t i = 0; i < TOPO_MAX_NODES; i++)
		for (uint32_t j = 0; j < TOPO_MAX_NODES; j++)
			t->dist[i][j] = i == j ? TOPO_DIST_LOCAL : TOPO_DIST_REMOTE;
}

int topo_cpu_of_apic(const struct topo *t, uint32_t apic_id)
{
	for (uint32_t i = 0; i < t->ncores; i++)
		if (t->cores[i].apic_id == apic_id)
			return (int)i;
	return -1;
}

err_t topo_add_core(struct topo *t, const struct topo_core *c)
{
	if (t->ncores >= CORES_MAX)
		return ERR_FULL;
	if (c->node >= TOPO_MAX_NODES)
		return ERR_RANGE;
	if (topo_cpu_of_apic(t, c->apic_id) >= 0)
		return ERR_EXIST;
	t->cores[t->ncores++] = *c;
	return ERR_OK;
}

err_t topo_add_mem(struct topo *t, uint32_t node, uint64_t base, uint64_t len)
{
	if (t->nmem >= TOPO_MAX_MEM)
		return ERR_FULL;
	if (node >= TOPO_MAX_NODES || len == 0 || base + len < base)
		return ERR_RANGE;
	t->mem[t->nmem].base = base;
	t->mem[t->nmem].len = len;
	t->mem[t->nmem].node = node;
	t->nmem++;
	return ERR_OK;
}

err_t topo_set_dist(struct topo *t, uint32_t a, uint32_t b, uint8_t d)
{
	if (a >= TOPO_MAX_NODES || b >= TOPO_MAX_NODES || d < TOPO_DIST_LOCAL)
		return ERR_RANGE;
	if (a == b && d != TOPO_DIST_LOCAL)
		return ERR_RANGE;
	t->dist[a][b] = d;
	return ERR_OK;
}

static void topo_sort_cores(struct topo *t)
{
	for (uint32_t i = 1; i < t->ncores; i++) {
		struct topo_core c = t->cores[i];
		uint32_t j = i;

		for (; j > 0 && t->cores[j - 1].apic_id > c.apic_id; j--)
			t->cores[j] = t->cores[j - 1];
		t->cores[j] = c;
	}
}

static void topo_sort_mem(struct topo *t)
{
	for (uint32_t i = 1; i < t->nmem; i++) {
		struct topo_mem m = t->mem[i];
		uint32_t j = i;

		for (; j > 0 && t->mem[j - 1].base > m.base; j--)
			t->mem[j] = t->mem[j - 1];
		t->mem[j] = m;
	}
}

/*
 * Replaces the raw value at stride offset `field` of every core by its rank
 * of first appearance; returns the number of distinct values.
 */
static uint32_t topo_densify(struct topo *t, uint32_t *(*field)(struct topo_core *, unsigned),
			     unsigned arg)
{
	uint32_t raw[CORES_MAX];
	uint32_t n = 0;

	for (uint32_t i = 0; i < t->ncores; i++) {
		uint32_t *f = field(&t->cores[i], arg);
		uint32_t k = 0;

		while (k < n && raw[k] != *f)
			k++;
		if (k == n)
			raw[n++] = *f;
		*f = k;
	}
	return n;
}

static uint32_t *topo_pkg_field(struct topo_core *c, unsigned arg)
{
	(void)arg;
	return &c->package;
}

static uint32_t *topo_cache_field(struct topo_core *c, unsigned level)
{
	return &c->cache[level];
}

static err_t topo_check_nodes(struct topo *t)
{
	uint32_t used[TOPO_MAX_NODES] = { 0 };
	uint32_t n = 0;

	for (uint32_t i = 0; i < t->ncores; i++) {
		used[t->cores[i].node]++;
		if (t->cores[i].node + 1 > n)
			n = t->cores[i].node + 1;
	}
	for (uint32_t i = 0; i < t->nmem; i++) {
		used[t->mem[i].node]++;
		if (t->mem[i].node + 1 > n)
			n = t->mem[i].node + 1;
	}
	for (uint32_t i = 0; i < n; i++)
		if (!used[i])
			return ERR_NOENT;
	t->nnodes = n;
	for (uint32_t i = 0; i < n; i++)
		if (t->dist[i][i] != TOPO_DIST_LOCAL)
			return ERR_RANGE;
	return ERR_OK;
}

err_t topo_finish(struct topo *t)
{
	if (t->ncores == 0)
		return ERR_EMPTY;
	topo_sort_cores(t);
	topo_sort_mem(t);
	for (uint32_t i = 1; i < t->nmem; i++)
		if (t->mem[i - 1].base + t->mem[i - 1].len > t->mem[i].base)
			return ERR_EXIST;
	t->npackages = topo_densify(t, topo_pkg_field, 0);
	for (unsigned l = 0; l < TOPO_LEVELS; l++)
		t->ncache[l] = topo_densify(t, topo_cache_field, l);
	return topo_check_nodes(t);
}

void topo_apply_cpuid(struct topo *t, const struct cpuid_topo *cpuid)
{
	for (uint32_t i = 0; i < t->ncores; i++) {
		struct topo_core *c = &t->cores[i];
		uint32_t a = c->apic_id;

		if (!cpuid) {
			c->package = 0;
			c->core = a;
			c->thread = 0;
			for (unsigned l = 0; l < TOPO_LEVELS; l++)
				c->cache[l] = l < 2 ? a : 0;
			continue;
		}
		cpuid_split_apic(cpuid, a, &c->package, &c->core, &c->thread);
		for (unsigned l = 0; l < TOPO_LEVELS; l++) {
			int s = cpuid_cache_shift(cpuid, l + 1);

			if (s < 0)
				s = l < 2 ? cpuid->smt_shift : cpuid->pkg_shift;
			c->cache[l] = (uint32_t)((uint64_t)a >> s);
		}
	}
}

/* Maps SRAT proximity domains to dense node numbers; 0 domains if none. */
static uint32_t topo_domains(const struct acpi_info *a, uint8_t map[ACPI_MAX_DOMAINS])
{
	bool used[ACPI_MAX_DOMAINS] = { false };
	uint32_t n = 0;

	for (uint32_t i = 0; i < a->ncpu_aff; i++)
		used[a->cpu_aff[i].domain] = true;
	for (uint32_t i = 0; i < a->nmem; i++)
		used[a->mem[i].domain] = true;
	for (uint32_t d = 0; d < ACPI_MAX_DOMAINS; d++)
		map[d] = used[d] ? (uint8_t)n++ : 0xff;
	return n;
}

static uint32_t topo_node_of(const struct acpi_info *a, const uint8_t *map,
			     uint32_t apic)
{
	for (uint32_t i = 0; i < a->ncpu_aff; i++)
		if (a->cpu_aff[i].apic_id == apic)
			return map[a->cpu_aff[i].domain];
	return 0;
}

static void topo_acpi_dist(struct topo *t, const struct acpi_info *a,
			   const uint8_t *map)
{
	for (uint32_t i = 0; i < ACPI_MAX_DOMAINS; i++)
		if (map[i] != 0xff && i >= a->slit_n)
			return;		/* SLIT does not cover a used domain */
	for (uint32_t i = 0; i < a->slit_n; i++)
		for (uint32_t j = 0; j < a->slit_n; j++)
			if (map[i] != 0xff && map[j] != 0xff)
				t->dist[map[i]][map[j]] = a->slit[i][j];
}

static err_t topo_acpi_try(struct topo *t, const struct acpi_info *a,
			   const struct cpuid_topo *cpuid, uint32_t boot_apic,
			   bool use_srat)
{
	uint8_t map[ACPI_MAX_DOMAINS];
	struct topo_core c = { 0 };
	err_t e = ERR_OK;

	topo_init(t);
	use_srat = use_srat && (a->have & ACPI_HAVE_SRAT) && topo_domains(a, map);
	for (uint32_t i = 0; i < a->ncpus && e == ERR_OK; i++) {
		if (!(a->cpus[i].flags & ACPI_CPU_ENABLED))
			continue;
		c.apic_id = a->cpus[i].apic_id;
		c.node = use_srat ? topo_node_of(a, map, c.apic_id) : 0;
		e = topo_add_core(t, &c);
	}
	if (e == ERR_OK && topo_cpu_of_apic(t, boot_apic) < 0) {
		c.apic_id = boot_apic;
		c.node = use_srat ? topo_node_of(a, map, boot_apic) : 0;
		e = topo_add_core(t, &c);
	}
	for (uint32_t i = 0; use_srat && i < a->nmem && e == ERR_OK; i++)
		e = topo_add_mem(t, map[a->mem[i].domain], a->mem[i].base,
				 a->mem[i].len);
	if (e != ERR_OK)
		return e;
	if (use_srat && (a->have & ACPI_HAVE_SLIT))
		topo_acpi_dist(t, a, map);
	topo_apply_cpuid(t, cpuid);
	return topo_finish(t);
}

err_t topo_from_acpi(struct topo *t, const struct acpi_info *acpi,
		     const struct cpuid_topo *cpuid, uint32_t boot_apic)
{
	err_t e = topo_acpi_try(t, acpi, cpuid, boot_apic, true);

	if (e != ERR_OK)	/* e.g. overlapping SRAT ranges: one node */
		e = topo_acpi_try(t, acpi, cpuid, boot_apic, false);
	return e;
}
