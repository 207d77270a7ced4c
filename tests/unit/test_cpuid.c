/*
 * test_cpuid: the CPUID topology decoder on register values recorded from
 * QEMU 7.2 (q35, TCG) and on synthetic variants of them.
 *
 * The recorded tables were captured by booting a 30-line Multiboot stub
 * that executes CPUID on the boot core and prints every (leaf, subleaf)
 * below as C initialisers over COM1, e.g.
 *   qemu-system-x86_64 -machine q35 -accel tcg \
 *       -smp 8,sockets=2,cores=2,threads=2 [-cpu Skylake-Client] -kernel stub
 * The default CPU (qemu64) presents "AuthenticAMD", leaf 0xB and zeros in
 * leaf 4 (x-vendor-cpuid-only); Skylake-Client presents leaf 4 caches.  Note
 * QEMU 7.2's leaf 4 says L1 is shared by ONE logical processor even with two
 * threads per core (fixed in later QEMU); the decoder reports what it reads.
 * Expected values come from the -smp line, not from decoder output.
 */
#define TEST_PROGRAM "cpuid"
#include "test.h"

#include <topology/cpuid.h>

struct rec {
	uint32_t leaf, sub;
	uint32_t r[4];
};

/* -smp 8,sockets=2,cores=2,threads=2 (default CPU, qemu64) */
static const struct rec qemu64_s2c2t2[] = {
	{ 0x00000000, 0x00000000, { 0x0000000d, 0x68747541, 0x444d4163, 0x69746e65 } },
	{ 0x00000001, 0x00000000, { 0x00060fb1, 0x00040800, 0x80002001, 0x178bfbfd } },
	{ 0x00000004, 0x00000000, { 0x00000000, 0x00000000, 0x00000000, 0x00000000 } },
	{ 0x0000000b, 0x00000000, { 0x00000001, 0x00000002, 0x00000100, 0x00000000 } },
	{ 0x0000000b, 0x00000001, { 0x00000002, 0x00000004, 0x00000201, 0x00000000 } },
	{ 0x0000000b, 0x00000002, { 0x00000000, 0x00000000, 0x00000002, 0x00000000 } },
	{ 0x80000000, 0x00000000, { 0x8000000a, 0x68747541, 0x444d4163, 0x69746e65 } },
	{ 0x80000001, 0x00000000, { 0x00060fb1, 0x00000000, 0x00000007, 0x2193fbfd } },
	{ 0x80000008, 0x00000000, { 0x00003028, 0x00000000, 0x00002003, 0x00000000 } },
};

/* -smp 8,sockets=2,cores=2,threads=2 -cpu max */
static const struct rec max_s2c2t2[] = {
	{ 0x00000000, 0x00000000, { 0x0000000d, 0x68747541, 0x444d4163, 0x69746e65 } },
	{ 0x00000001, 0x00000000, { 0x00060fb1, 0x00040800, 0xf6d8320b, 0x1fcbfbfd } },
	{ 0x00000004, 0x00000000, { 0x00000000, 0x00000000, 0x00000000, 0x00000000 } },
	{ 0x0000000b, 0x00000000, { 0x00000001, 0x00000002, 0x00000100, 0x00000000 } },
	{ 0x0000000b, 0x00000001, { 0x00000002, 0x00000004, 0x00000201, 0x00000000 } },
	{ 0x0000000b, 0x00000002, { 0x00000000, 0x00000000, 0x00000002, 0x00000000 } },
	{ 0x80000000, 0x00000000, { 0x8000000a, 0x68747541, 0x444d4163, 0x69746e65 } },
	{ 0x80000001, 0x00000000, { 0x00060fb1, 0x00000000, 0x00000077, 0xedd3fbfd } },
	{ 0x80000008, 0x00000000, { 0x00003928, 0x00000000, 0x00002003, 0x00000000 } },
};

/* -smp 8,sockets=2,cores=2,threads=2 -cpu Skylake-Client */
static const struct rec sky_s2c2t2[] = {
	{ 0x00000000, 0x00000000, { 0x0000000d, 0x756e6547, 0x6c65746e, 0x49656e69 } },
	{ 0x00000001, 0x00000000, { 0x000506e3, 0x00040800, 0xf6d83203, 0x178bfbfd } },
	{ 0x00000004, 0x00000000, { 0x04000121, 0x01c0003f, 0x0000003f, 0x00000001 } },
	{ 0x00000004, 0x00000001, { 0x04000122, 0x01c0003f, 0x0000003f, 0x00000001 } },
	{ 0x00000004, 0x00000002, { 0x04004143, 0x03c0003f, 0x00000fff, 0x00000001 } },
	{ 0x00000004, 0x00000003, { 0x0400c163, 0x03c0003f, 0x00003fff, 0x00000006 } },
	{ 0x00000004, 0x00000004, { 0x00000000, 0x00000000, 0x00000000, 0x00000000 } },
	{ 0x0000000b, 0x00000000, { 0x00000001, 0x00000002, 0x00000100, 0x00000000 } },
	{ 0x0000000b, 0x00000001, { 0x00000002, 0x00000004, 0x00000201, 0x00000000 } },
	{ 0x0000000b, 0x00000002, { 0x00000000, 0x00000000, 0x00000002, 0x00000000 } },
	{ 0x80000000, 0x00000000, { 0x80000008, 0x756e6547, 0x6c65746e, 0x49656e69 } },
	{ 0x80000001, 0x00000000, { 0x000506e3, 0x00000000, 0x00000021, 0x28100800 } },
	{ 0x80000008, 0x00000000, { 0x00003028, 0x00000000, 0x00002003, 0x00000000 } },
};

/* -smp 12,sockets=2,cores=3,threads=2 (qemu64): APIC ids 0-5, 8-13 */
static const struct rec qemu64_s2c3t2[] = {
	{ 0x00000000, 0x00000000, { 0x0000000d, 0x68747541, 0x444d4163, 0x69746e65 } },
	{ 0x00000001, 0x00000000, { 0x00060fb1, 0x00060800, 0x80002001, 0x178bfbfd } },
	{ 0x00000004, 0x00000000, { 0x00000000, 0x00000000, 0x00000000, 0x00000000 } },
	{ 0x0000000b, 0x00000000, { 0x00000001, 0x00000002, 0x00000100, 0x00000000 } },
	{ 0x0000000b, 0x00000001, { 0x00000003, 0x00000006, 0x00000201, 0x00000000 } },
	{ 0x0000000b, 0x00000002, { 0x00000000, 0x00000000, 0x00000002, 0x00000000 } },
	{ 0x80000000, 0x00000000, { 0x8000000a, 0x68747541, 0x444d4163, 0x69746e65 } },
	{ 0x80000001, 0x00000000, { 0x00060fb1, 0x00000000, 0x00000007, 0x2193fbfd } },
	{ 0x80000008, 0x00000000, { 0x00003028, 0x00000000, 0x00003005, 0x00000000 } },
};

/* -smp 12,sockets=2,cores=3,threads=2 -cpu Skylake-Client */
static const struct rec sky_s2c3t2[] = {
	{ 0x00000000, 0x00000000, { 0x0000000d, 0x756e6547, 0x6c65746e, 0x49656e69 } },
	{ 0x00000001, 0x00000000, { 0x000506e3, 0x00060800, 0xf6d83203, 0x178bfbfd } },
	{ 0x00000004, 0x00000000, { 0x08000121, 0x01c0003f, 0x0000003f, 0x00000001 } },
	{ 0x00000004, 0x00000001, { 0x08000122, 0x01c0003f, 0x0000003f, 0x00000001 } },
	{ 0x00000004, 0x00000002, { 0x08004143, 0x03c0003f, 0x00000fff, 0x00000001 } },
	{ 0x00000004, 0x00000003, { 0x0801c163, 0x03c0003f, 0x00003fff, 0x00000006 } },
	{ 0x00000004, 0x00000004, { 0x00000000, 0x00000000, 0x00000000, 0x00000000 } },
	{ 0x0000000b, 0x00000000, { 0x00000001, 0x00000002, 0x00000100, 0x00000000 } },
	{ 0x0000000b, 0x00000001, { 0x00000003, 0x00000006, 0x00000201, 0x00000000 } },
	{ 0x0000000b, 0x00000002, { 0x00000000, 0x00000000, 0x00000002, 0x00000000 } },
	{ 0x80000000, 0x00000000, { 0x80000008, 0x756e6547, 0x6c65746e, 0x49656e69 } },
	{ 0x80000001, 0x00000000, { 0x000506e3, 0x00000000, 0x00000021, 0x28100800 } },
	{ 0x80000008, 0x00000000, { 0x00003028, 0x00000000, 0x00003005, 0x00000000 } },
};

/* -smp 1 (qemu64): no HTT flag, leaf 0xB with zero shifts */
static const struct rec qemu64_smp1[] = {
	{ 0x00000000, 0x00000000, { 0x0000000d, 0x68747541, 0x444d4163, 0x69746e65 } },
	{ 0x00000001, 0x00000000, { 0x00060fb1, 0x00000800, 0x80002001, 0x078bfbfd } },
	{ 0x0000000b, 0x00000000, { 0x00000000, 0x00000001, 0x00000100, 0x00000000 } },
	{ 0x0000000b, 0x00000001, { 0x00000000, 0x00000001, 0x00000201, 0x00000000 } },
	{ 0x0000000b, 0x00000002, { 0x00000000, 0x00000000, 0x00000002, 0x00000000 } },
	{ 0x80000000, 0x00000000, { 0x8000000a, 0x68747541, 0x444d4163, 0x69746e65 } },
	{ 0x80000001, 0x00000000, { 0x00060fb1, 0x00000000, 0x00000005, 0x2193fbfd } },
	{ 0x80000008, 0x00000000, { 0x00003028, 0x00000000, 0x00000000, 0x00000000 } },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A simulated CPU: a recorded table, optionally with leaf 0 EAX (max leaf)
 * and one (leaf, subleaf) replaced, and an APIC id for leaf 1 / 0xB.
 */
struct sim {
	const struct rec *tab;
	size_t n;
	uint32_t max_leaf;		/* 0: as recorded */
	uint32_t apic_id;
	const struct rec *extra;	/* overrides, searched first */
	size_t nextra;
	unsigned calls;
};

static const struct rec *sim_find(const struct rec *t, size_t n, uint32_t leaf,
				  uint32_t sub)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].leaf == leaf && t[i].sub == sub)
			return &t[i];
	return NULL;
}

static void sim_cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t regs[4])
{
	struct sim *s = ctx;
	const struct rec *r = sim_find(s->extra, s->nextra, leaf, sub);

	s->calls++;
	if (!r)
		r = sim_find(s->tab, s->n, leaf, sub);
	if (r)
		memcpy(regs, r->r, sizeof r->r);
	else
		memset(regs, 0, 4 * sizeof regs[0]);
	if (leaf == 0 && s->max_leaf)
		regs[0] = s->max_leaf;
	if (leaf == 1)
		regs[1] = (regs[1] & 0x00ffffffu) | s->apic_id << 24;
	if (leaf == 0xb || leaf == 0x1f)
		regs[3] = s->apic_id;
}

static err_t decode(struct sim *s, struct cpuid_topo *t)
{
	struct cpuid_src src = { sim_cpuid, s };

	return cpuid_decode(&src, t);
}

#define SIM(tab) { tab, N(tab), 0, 0, NULL, 0, 0 }

/* Every APIC id of a (pkgs, cores, threads) QEMU machine splits back. */
static void check_split(const struct cpuid_topo *t, uint32_t pkgs,
			uint32_t cores, uint32_t threads)
{
	for (uint32_t p = 0; p < pkgs; p++)
		for (uint32_t c = 0; c < cores; c++)
			for (uint32_t h = 0; h < threads; h++) {
				uint32_t a = p << t->pkg_shift | c << t->smt_shift | h;
				uint32_t gp, gc, gh;

				cpuid_split_apic(t, a, &gp, &gc, &gh);
				CHECK_EQ(gp, p);
				CHECK_EQ(gc, c);
				CHECK_EQ(gh, h);
			}
}

static void t_bits_for(void)
{
	CHECK_EQ(cpuid_bits_for(0), 0);
	CHECK_EQ(cpuid_bits_for(1), 0);
	CHECK_EQ(cpuid_bits_for(2), 1);
	CHECK_EQ(cpuid_bits_for(3), 2);
	CHECK_EQ(cpuid_bits_for(4), 2);
	CHECK_EQ(cpuid_bits_for(5), 3);
	CHECK_EQ(cpuid_bits_for(6), 3);
	CHECK_EQ(cpuid_bits_for(255), 8);
	CHECK_EQ(cpuid_bits_for(256), 8);
	CHECK_EQ(cpuid_bits_for(0x80000000u), 31);
	CHECK_EQ(cpuid_bits_for(0x80000001u), 32);
	CHECK_EQ(cpuid_bits_for(0xffffffffu), 32);
}

static void t_qemu64_s2c2t2(void)
{
	struct sim s = SIM(qemu64_s2c2t2);
	struct cpuid_topo t;

	CHECK_EQ(decode(&s, &t), ERR_OK);
	CHECK_EQ(t.vendor, CPUID_VENDOR_AMD);
	CHECK_EQ(t.max_leaf, 0xd);
	CHECK_EQ(t.max_ext_leaf, 0x8000000a);
	CHECK_EQ(t.source, 0xb);
	CHECK_EQ(t.smt_shift, 1);		/* threads=2 */
	CHECK_EQ(t.pkg_shift, 2);		/* cores=2 */
	CHECK_EQ(t.apic_id, 0);
	CHECK_EQ(t.ncaches, 0);			/* leaf 4 is all zeros */
	CHECK_EQ(cpuid_cache_shift(&t, 1), -1);
	CHECK_EQ(cpuid_cache_shift(&t, 2), -1);
	CHECK_EQ(cpuid_cache_shift(&t, 3), -1);
	check_split(&t, 2, 2, 2);
}

static void t_apic_id_of_decoding_core(void)
{
	struct sim s = SIM(qemu64_s2c2t2);
	struct cpuid_topo t;
	uint32_t p, c, h;

	s.apic_id = 7;				/* pkg 1, core 1, thread 1 */
	CHECK_EQ(decode(&s, &t), ERR_OK);
	CHECK_EQ(t.apic_id, 7);
	cpuid_split_apic(&t, t.apic_id, &p, &c, &h);
	CHECK_EQ(p, 1);
	CHECK_EQ(c, 1);
	CHECK_EQ(h, 1);
}

static void t_max_s2c2t2(void)
{
	struct sim s = SIM(max_s2c2t2);
	struct cpuid_topo t;

	CHECK_EQ(decode(&s, &t), ERR_OK);
	CHECK_EQ(t.vendor, CPUID_VENDOR_AMD);
	CHECK_EQ(t.source, 0xb);
	CHECK_EQ(t.smt_shift, 1);
	CHECK_EQ(t.pkg_shift, 2);
	CHECK_EQ(t.ncaches, 0);			/* no TOPOEXT, leaf 4 zero */
	check_split(&t, 2, 2, 2);
}

static void t_skylake_s2c2t2(void)
{
	struct sim s = SIM(sky_s2c2t2);
	struct cpuid_topo t;

	CHECK_EQ(decode(&s, &t), ERR_OK);
	CHECK_EQ(t.vendor, CPUID_VENDOR_INTEL);
	CHECK_EQ(t.source, 0xb);
	CHECK_EQ(t.smt_shift, 1);
	CHECK_EQ(t.pkg_shift, 2);
	CHECK_EQ(t.ncaches, 4);
	CHECK_EQ(t.caches[0].level, 1);
	CHECK_EQ(t.caches[0].type, CPUID_CACHE_DATA);
	CHECK_EQ(t.caches[0].size, 32 * 1024);
	CHECK_EQ(t.caches[0].line, 64);
	CHECK_EQ(t.caches[0].sharing, 1);	/* QEMU 7.2: per thread */
	CHECK_EQ(t.caches[1].level, 1);
	CHECK_EQ(t.caches[1].type, CPUID_CACHE_INSTR);
	CHECK_EQ(t.caches[2].level, 2);
	CHECK_EQ(t.caches[2].type, CPUID_CACHE_UNIFIED);
	CHECK_EQ(t.caches[2].sharing, 2);	/* the core's threads */
	CHECK_EQ(t.caches[2].size, 4u << 20);
	CHECK_EQ(t.caches[3].level, 3);
	CHECK_EQ(t.caches[3].sharing, 4);	/* the package */
	CHECK_EQ(t.caches[3].size, 16u << 20);
	CHECK_EQ(cpuid_cache_shift(&t, 1), 0);
	CHECK_EQ(cpuid_cache_shift(&t, 2), 1);
	CHECK_EQ(cpuid_cache_shift(&t, 3), 2);
	CHECK_EQ(cpuid_cache_shift(&t, 4), -1);
	check_split(&t, 2, 2, 2);
}

static void t_qemu64_s2c3t2(void)
{
	struct sim s = SIM(qemu64_s2c3t2);
	struct cpuid_topo t;
	uint32_t p, c, h;

	s.apic_id = 13;
	CHECK_EQ(decode(&s, &t), ERR_OK);
	CHECK_EQ(t.smt_shift, 1);
	CHECK_EQ(t.pkg_shift, 3);		/* 3 cores need 2 bits */
	CHECK_EQ(t.apic_id, 13);
	cpuid_split_apic(&t, 13, &p, &c, &h);
	CHECK_EQ(p, 1);
	CHECK_EQ(c, 2);
	CHECK_EQ(h, 1);
	check_split(&t, 2, 3, 2);
}

static void t_skylake_s2c3t2(void)
{
	struct sim s = SIM(sky_s2c3t2);
	struct cpuid_topo t;

	CHECK_EQ(decode(&s, &t), ERR_OK);
	CHECK_EQ(t.smt_shift, 1);
	CHECK_EQ(t.pkg_shift, 3);
	CHECK_EQ(t.ncaches, 4);
	CHECK_EQ(t.caches[3].sharing, 8);	/* 1 << package offset */
	CHECK_EQ(cpuid_cache_shift(&t, 2), 1);
	CHECK_EQ(cpuid_cache_shift(&t, 3), 3);
	check_split(&t, 2, 3, 2);
}

static void t_qemu64_smp1(void)
{
	struct sim s = SIM(qemu64_smp1);
	struct cpuid_topo t;

	CHECK_EQ(decode(&s, &t), ERR_OK);
	CHECK_EQ(t.source, 0xb);
	CHECK_EQ(t.smt_shift, 0);
	CHECK_EQ(t.pkg_shift, 0);
	check_split(&t, 1, 1, 1);
}

/* Without leaf 0xB, Intel: leaf 1 logical count and leaf 4 cores. */
static void t_legacy_intel(void)
{
	struct sim s = SIM(sky_s2c2t2);
	struct cpuid_topo t;

	s.max_leaf = 4;
	CHECK_EQ(decode(&s, &t), ERR_OK);
	CHECK_EQ(t.source, 4);
	CHECK_EQ(t.smt_shift, 1);	/* 4 logical / 2 cores */
	CHECK_EQ(t.pkg_shift, 2);
	CHECK_EQ(t.ncaches, 4);
	check_split(&t, 2, 2, 2);
}

/*
 * Without leaf 0xB, AMD without TOPOEXT: 0x80000008 ECX gives the APIC id
 * size of a package but cannot tell threads from cores, so the package
 * boundary is right and the threads count as cores.
 */
static void t_legacy_amd(void)
{
	struct sim s = SIM(qemu64_s2c2t2);
	struct cpuid_topo t;
	uint32_t p, c, h;

	s.max_leaf = 1;
	s.apic_id = 6;
	CHECK_EQ(decode(&s, &t), ERR_OK);
	CHECK_EQ(t.source, 0x80000008u);
	CHECK_EQ(t.apic_id, 6);
	CHECK_EQ(t.smt_shift, 0);
	CHECK_EQ(t.pkg_shift, 2);
	cpuid_split_apic(&t, 6, &p, &c, &h);
	CHECK_EQ(p, 1);
	CHECK_EQ(c, 2);
	CHECK_EQ(h, 0);
}

/* Legacy path, 6 logical per package: ApicIdSize 3 still bounds it. */
static void t_legacy_amd_non_power_of_two(void)
{
	struct sim s = SIM(qemu64_s2c3t2);
	struct cpuid_topo t;

	s.max_leaf = 1;
	CHECK_EQ(decode(&s, &t), ERR_OK);
	CHECK_EQ(t.pkg_shift, 3);
	CHECK(t.smt_shift <= t.pkg_shift);
}

/* No HTT flag in leaf 1 and no leaf 0xB: one thread, one core. */
static void t_legacy_no_htt(void)
{
	struct sim s = SIM(qemu64_smp1);
	struct cpuid_topo t;

	s.max_leaf = 1;
	CHECK_EQ(decode(&s, &t), ERR_OK);
	CHECK_EQ(t.source, 0);
	CHECK_EQ(t.smt_shift, 0);
	CHECK_EQ(t.pkg_shift, 0);
}

static void t_no_leaf1(void)
{
	static const struct rec r[] = {
		{ 0, 0, { 0, 0x756e6547, 0x6c65746e, 0x49656e69 } },
	};
	struct sim s = SIM(r);
	struct cpuid_topo t;

	CHECK_EQ(decode(&s, &t), ERR_UNSUPPORTED);
	CHECK_EQ(t.smt_shift, 0);
	CHECK_EQ(t.pkg_shift, 0);
	CHECK_EQ(t.ncaches, 0);
}

/* Leaf 0xB whose core level shift is below the SMT shift. */
static void t_ext_topo_inconsistent(void)
{
	static const struct rec bad[] = {
		{ 0xb, 0, { 2, 4, 0x100, 0 } },
		{ 0xb, 1, { 1, 8, 0x201, 0 } },
		{ 0xb, 2, { 0, 0, 0x002, 0 } },
	};
	struct sim s = SIM(qemu64_s2c2t2);
	struct cpuid_topo t;

	s.extra = bad;
	s.nextra = N(bad);
	CHECK_EQ(decode(&s, &t), ERR_RANGE);
	CHECK_EQ(t.smt_shift, 0);
	CHECK_EQ(t.pkg_shift, 0);
	CHECK_EQ(t.source, 0);
}

/* A leaf 0xB that never reports level type 0 is walked a bounded time. */
static void t_ext_topo_unterminated(void)
{
	static struct rec loop[64];
	struct sim s = SIM(qemu64_s2c2t2);
	struct cpuid_topo t;

	for (uint32_t i = 0; i < N(loop); i++) {
		loop[i].leaf = 0xb;
		loop[i].sub = i;
		loop[i].r[0] = 1;
		loop[i].r[1] = 2;
		loop[i].r[2] = 0x100 | i;
	}
	s.extra = loop;
	s.nextra = N(loop);
	CHECK_EQ(decode(&s, &t), ERR_OK);
	CHECK(s.calls < 64);
	CHECK_EQ(t.smt_shift, 1);
	CHECK_EQ(t.pkg_shift, 1);
}

/* Leaf 0x1F (with a die level) is preferred to leaf 0xB. */
static void t_leaf_1f(void)
{
	static const struct rec v2[] = {
		{ 0x0, 0, { 0x1f, 0x756e6547, 0x6c65746e, 0x49656e69 } },
		{ 0x1f, 0, { 1, 2, 0x100, 0 } },	/* SMT: 1 bit */
		{ 0x1f, 1, { 3, 8, 0x201, 0 } },	/* core: 2 bits */
		{ 0x1f, 2, { 4, 16, 0x502, 0 } },	/* die: 1 bit */
		{ 0x1f, 3, { 0, 0, 0x003, 0 } },
	};
	struct sim s = SIM(sky_s2c2t2);
	struct cpuid_topo t;

	s.extra = v2;
	s.nextra = N(v2);
	s.apic_id = 0x1d;
	CHECK_EQ(decode(&s, &t), ERR_OK);
	CHECK_EQ(t.source, 0x1f);
	CHECK_EQ(t.smt_shift, 1);
	CHECK_EQ(t.pkg_shift, 4);		/* dies fold into "core" */
	CHECK_EQ(t.apic_id, 0x1d);
}

/* Leaf 0x1F present but empty (EBX 0): fall back to leaf 0xB. */
static void t_leaf_1f_empty(void)
{
	static const struct rec v2[] = {
		{ 0x0, 0, { 0x1f, 0x756e6547, 0x6c65746e, 0x49656e69 } },
		{ 0x1f, 0, { 0, 0, 0x100, 0 } },
	};
	struct sim s = SIM(sky_s2c2t2);
	struct cpuid_topo t;

	s.extra = v2;
	s.nextra = N(v2);
	CHECK_EQ(decode(&s, &t), ERR_OK);
	CHECK_EQ(t.source, 0xb);
	CHECK_EQ(t.smt_shift, 1);
	CHECK_EQ(t.pkg_shift, 2);
}

/* AMD with TOPOEXT: caches come from 0x8000001D, same layout as leaf 4. */
static void t_amd_topoext_caches(void)
{
	static const struct rec ext[] = {
		{ 0x80000000, 0, { 0x8000001f, 0x68747541, 0x444d4163, 0x69746e65 } },
		{ 0x80000001, 0, { 0x00060fb1, 0, 0x00400007, 0x2193fbfd } },
		{ 0x8000001d, 0, { 0x00004121, 0x01c0003f, 0x3f, 0 } },
		{ 0x8000001d, 1, { 0x00004143, 0x01c0003f, 0x3ff, 0 } },
		{ 0x8000001d, 2, { 0x0001c163, 0x03c0003f, 0x3fff, 0 } },
		{ 0x8000001d, 3, { 0, 0, 0, 0 } },
	};
	struct sim s = SIM(qemu64_s2c2t2);
	struct cpuid_topo t;

	s.extra = ext;
	s.nextra = N(ext);
	CHECK_EQ(decode(&s, &t), ERR_OK);
	CHECK_EQ(t.ncaches, 3);
	CHECK_EQ(cpuid_cache_shift(&t, 1), 1);
	CHECK_EQ(cpuid_cache_shift(&t, 2), 1);
	CHECK_EQ(cpuid_cache_shift(&t, 3), 3);
	CHECK_EQ(t.caches[1].size, 512 * 1024);
}

/* More cache sub-leaves than CPUID_MAX_CACHES: the rest are dropped. */
static void t_many_caches(void)
{
	static struct rec many[20];
	struct sim s = SIM(sky_s2c2t2);
	struct cpuid_topo t;

	for (uint32_t i = 0; i < N(many); i++) {
		many[i].leaf = 4;
		many[i].sub = i;
		many[i].r[0] = 0x04000121;
		many[i].r[1] = 0x01c0003f;
		many[i].r[2] = 0x3f;
	}
	s.extra = many;
	s.nextra = N(many);
	CHECK_EQ(decode(&s, &t), ERR_OK);
	CHECK_EQ(t.ncaches, CPUID_MAX_CACHES);
}

int main(void)
{
	RUN(t_bits_for);
	RUN(t_qemu64_s2c2t2);
	RUN(t_apic_id_of_decoding_core);
	RUN(t_max_s2c2t2);
	RUN(t_skylake_s2c2t2);
	RUN(t_qemu64_s2c3t2);
	RUN(t_skylake_s2c3t2);
	RUN(t_qemu64_smp1);
	RUN(t_legacy_intel);
	RUN(t_legacy_amd);
	RUN(t_legacy_amd_non_power_of_two);
	RUN(t_legacy_no_htt);
	RUN(t_no_leaf1);
	RUN(t_ext_topo_inconsistent);
	RUN(t_ext_topo_unterminated);
	RUN(t_leaf_1f);
	RUN(t_leaf_1f_empty);
	RUN(t_amd_topoext_caches);
	RUN(t_many_caches);
	return test_summary();
}
