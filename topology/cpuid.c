/*
 * cpuid.c: decoding of the CPUID topology and cache leaves.
 *
 * See include/topology/cpuid.h for the APIC-id model.  Every sub-leaf walk
 * is bounded (CPUID_SUBLEAF_MAX), so a CPU (or a test callback) that never
 * reports the terminating level type cannot make the decoder loop.
 */
#include <topology/cpuid.h>

#define CPUID_SUBLEAF_MAX   16u
#define LEAF_VENDOR         0x0u
#define LEAF_FEATURES       0x1u
#define LEAF_CACHE_INTEL    0x4u
#define LEAF_EXT_TOPO       0xBu
#define LEAF_EXT_TOPO_V2    0x1Fu
#define LEAF_EXT_MAX        0x80000000u
#define LEAF_EXT_FEATURES   0x80000001u
#define LEAF_AMD_SIZES      0x80000008u
#define LEAF_CACHE_AMD      0x8000001Du

#define F1_EDX_HTT          (1u << 28)
#define F81_ECX_TOPOEXT     (1u << 22)
#define TOPO_LEVEL_SMT      1u

enum { EAX, EBX, ECX, EDX };

static void cpuid_q(const struct cpuid_src *s, uint32_t leaf, uint32_t sub,
		    uint32_t r[4])
{
	r[0] = r[1] = r[2] = r[3] = 0;
	s->cpuid(s->ctx, leaf, sub, r);
}

uint8_t cpuid_bits_for(uint32_t n)
{
	uint8_t b = 0;

	while (b < 32 && (1ull << b) < n)
		b++;
	return b;
}

static enum cpuid_vendor cpuid_vendor_of(const uint32_t r[4])
{
	if (r[EBX] == 0x756e6547 && r[EDX] == 0x49656e69 && r[ECX] == 0x6c65746e)
		return CPUID_VENDOR_INTEL;	/* "GenuineIntel" */
	if (r[EBX] == 0x68747541 && r[EDX] == 0x69746e65 && r[ECX] == 0x444d4163)
		return CPUID_VENDOR_AMD;	/* "AuthenticAMD" */
	return CPUID_VENDOR_OTHER;
}

/* Decodes one leaf-4-format cache descriptor. */
static void cpuid_cache_from(const uint32_t r[4], struct cpuid_cache *c)
{
	uint64_t ways = (r[EBX] >> 22) + 1;
	uint64_t parts = ((r[EBX] >> 12) & 0x3ff) + 1;
	uint64_t line = (r[EBX] & 0xfff) + 1;
	uint64_t sets = (uint64_t)r[ECX] + 1;
	uint64_t size = ways * parts * line * sets;

	c->type = r[EAX] & 0x1f;
	c->level = (r[EAX] >> 5) & 0x7;
	c->sharing = ((r[EAX] >> 14) & 0xfff) + 1;
	c->share_shift = cpuid_bits_for(c->sharing);
	c->line = (uint32_t)line;
	c->size = size > 0xffffffffu ? 0xffffffffu : (uint32_t)size;
}

static void cpuid_caches(const struct cpuid_src *s, uint32_t leaf,
			 struct cpuid_topo *t)
{
	uint32_t r[4];

	for (uint32_t sub = 0; sub < CPUID_SUBLEAF_MAX; sub++) {
		cpuid_q(s, leaf, sub, r);
		if ((r[EAX] & 0x1f) == 0 || t->ncaches >= CPUID_MAX_CACHES)
			return;
		cpuid_cache_from(r, &t->caches[t->ncaches++]);
	}
}

static uint32_t cpuid_cache_leaf(const struct cpuid_src *s,
				 const struct cpuid_topo *t)
{
	uint32_t r[4];

	if (t->vendor == CPUID_VENDOR_AMD && t->max_ext_leaf >= LEAF_CACHE_AMD) {
		cpuid_q(s, LEAF_EXT_FEATURES, 0, r);
		if (r[ECX] & F81_ECX_TOPOEXT)
			return LEAF_CACHE_AMD;
	}
	return t->max_leaf >= LEAF_CACHE_INTEL ? LEAF_CACHE_INTEL : 0;
}

/*
 * Walks leaf 0xB or 0x1F.  Returns ERR_NOENT if the leaf is not
 * implemented, ERR_RANGE if its shifts are inconsistent.
 */
static err_t cpuid_ext_topo(const struct cpuid_src *s, uint32_t leaf,
			    struct cpuid_topo *t)
{
	uint32_t smt = 0, last = 0, r[4];
	uint32_t sub;

	for (sub = 0; sub < CPUID_SUBLEAF_MAX; sub++) {
		uint32_t type, shift;

		cpuid_q(s, leaf, sub, r);
		type = (r[ECX] >> 8) & 0xff;
		shift = r[EAX] & 0x1f;
		if (type == 0)
			break;
		if (sub == 0 && (r[EBX] & 0xffff) == 0)
			return ERR_NOENT;
		if (shift < last)
			return ERR_RANGE;
		if (type == TOPO_LEVEL_SMT)
			smt = shift;
		last = shift;
		t->apic_id = r[EDX];
	}
	if (sub == 0)
		return ERR_NOENT;
	t->smt_shift = (uint8_t)smt;
	t->pkg_shift = (uint8_t)last;
	t->source = leaf;
	return ERR_OK;
}

/* Cores per package from leaf 4 (Intel) or 0x80000008 (AMD); 0 if unknown. */
static uint32_t cpuid_cores_per_pkg(const struct cpuid_src *s,
				    struct cpuid_topo *t)
{
	uint32_t r[4];

	if (t->vendor == CPUID_VENDOR_AMD && t->max_ext_leaf >= LEAF_AMD_SIZES) {
		uint32_t idsize;

		cpuid_q(s, LEAF_AMD_SIZES, 0, r);
		idsize = (r[ECX] >> 12) & 0xf;
		t->source = LEAF_AMD_SIZES;
		return idsize ? 1u << idsize : (r[ECX] & 0xff) + 1;
	}
	if (t->max_leaf >= LEAF_CACHE_INTEL) {
		cpuid_q(s, LEAF_CACHE_INTEL, 0, r);
		if (r[EAX] & 0x1f) {
			t->source = LEAF_CACHE_INTEL;
			return (r[EAX] >> 26) + 1;
		}
	}
	return 0;
}

/* Leaf 1 (+ 4 / 0x80000008) when no extended topology leaf exists. */
static void cpuid_legacy_topo(const struct cpuid_src *s, const uint32_t f1[4],
			      struct cpuid_topo *t)
{
	uint32_t logical, cores, threads;
	uint8_t pkg;

	if (!(f1[EDX] & F1_EDX_HTT))
		return;				/* defaults: 1 thread, 1 core */
	logical = (f1[EBX] >> 16) & 0xff;
	t->source = LEAF_FEATURES;
	cores = cpuid_cores_per_pkg(s, t);
	if (cores == 0 || cores > logical)
		cores = 1;
	threads = logical / cores ? logical / cores : 1;
	t->smt_shift = cpuid_bits_for(threads);
	pkg = (uint8_t)(t->smt_shift + cpuid_bits_for(cores));
	t->pkg_shift = pkg > cpuid_bits_for(logical) ? pkg : cpuid_bits_for(logical);
}

err_t cpuid_decode(const struct cpuid_src *src, struct cpuid_topo *t)
{
	uint32_t r[4], f1[4];
	err_t e = ERR_NOENT;
	uint32_t leaf;

	__builtin_memset(t, 0, sizeof *t);
	cpuid_q(src, LEAF_VENDOR, 0, r);
	t->max_leaf = r[EAX];
	t->vendor = cpuid_vendor_of(r);
	if (t->max_leaf == 0)
		return ERR_UNSUPPORTED;
	cpuid_q(src, LEAF_EXT_MAX, 0, r);
	t->max_ext_leaf = r[EAX] >= LEAF_EXT_MAX ? r[EAX] : 0;
	cpuid_q(src, LEAF_FEATURES, 0, f1);
	t->apic_id = f1[EBX] >> 24;

	leaf = cpuid_cache_leaf(src, t);
	if (leaf)
		cpuid_caches(src, leaf, t);
	if (t->max_leaf >= LEAF_EXT_TOPO_V2)
		e = cpuid_ext_topo(src, LEAF_EXT_TOPO_V2, t);
	if (e == ERR_NOENT && t->max_leaf >= LEAF_EXT_TOPO)
		e = cpuid_ext_topo(src, LEAF_EXT_TOPO, t);
	if (e == ERR_RANGE) {
		t->smt_shift = t->pkg_shift = 0;
		t->source = 0;
		return e;
	}
	if (e == ERR_NOENT)
		cpuid_legacy_topo(src, f1, t);
	return ERR_OK;
}

void cpuid_split_apic(const struct cpuid_topo *t, uint32_t apic_id,
		      uint32_t *pkg, uint32_t *core, uint32_t *thread)
{
	uint32_t smt = t->smt_shift, ps = t->pkg_shift;
	uint64_t a = apic_id;

	*thread = (uint32_t)(a & ((1ull << smt) - 1));
	*core = (uint32_t)((a >> smt) & ((1ull << (ps - smt)) - 1));
	*pkg = (uint32_t)(a >> ps);
}

int cpuid_cache_shift(const struct cpuid_topo *t, unsigned level)
{
	for (uint32_t i = 0; i < t->ncaches; i++) {
		const struct cpuid_cache *c = &t->caches[i];

		if (c->level == level && (c->type == CPUID_CACHE_DATA ||
					  c->type == CPUID_CACHE_UNIFIED))
			return c->share_shift;
	}
	return -1;
}
