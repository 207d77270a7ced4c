/*
 * cpuid: decode the processor's topology leaves into APIC-id bit fields and
 * cache sharing.
 *
 * An x86 APIC id is a bit field [package | core | thread] (Intel SDM vol. 3
 * 9.9, AMD APM vol. 2 "Processor topology"): the low smt_shift bits number
 * the threads of a core, the bits from smt_shift up to pkg_shift number the
 * cores of a package (dies and modules are folded into "core"), and the bits
 * above pkg_shift number packages.  A cache whose CPUID entry says it is
 * shared by at most S logical processors is shared by exactly the APIC ids
 * that agree above bit share_shift = ceil(log2(S)).
 *
 * Sources, most precise first:
 *   leaf 0x1F (V2 extended topology), leaf 0xB (extended topology): the
 *     shifts directly, walking sub-leaves until level type 0;
 *   leaf 0x1 EBX[23:16] (logical processors per package) with leaf 0x4
 *     EAX[31:26] (Intel) or leaf 0x80000008 ECX (AMD) for cores per package;
 *   nothing (no HTT flag): one thread, one core per package.
 * Caches: leaf 0x4 (Intel) or leaf 0x8000001D (AMD, when TOPOEXT is set);
 * both have the same layout.  QEMU 7.2 presents AMD vendor strings for its
 * default qemu64 and for -cpu max under TCG, with leaf 0xB and zeros in leaf
 * 0x4 (x-vendor-cpuid-only) and no TOPOEXT: so under QEMU caches are usually
 * unknown, and topo.h's default rule (L1/L2 per core, L3 per package, which
 * is what QEMU's Intel models report) applies.
 *
 * The caller supplies the CPUID instruction as a callback, so the decoder is
 * pure and is tested on the host with captured register values.  Decode on
 * each core to learn that core's APIC id; the shifts are the same on all
 * cores of a machine.
 */
#ifndef TOPOLOGY_CPUID_H
#define TOPOLOGY_CPUID_H

#include <stdint.h>

#include <lib/err.h>

#define CPUID_MAX_CACHES 8

/* Executes CPUID(leaf, subleaf); regs receives EAX, EBX, ECX, EDX. */
struct cpuid_src {
	void (*cpuid)(void *ctx, uint32_t leaf, uint32_t subleaf,
		      uint32_t regs[4]);
	void *ctx;
};

enum cpuid_vendor { CPUID_VENDOR_OTHER, CPUID_VENDOR_INTEL, CPUID_VENDOR_AMD };

/* struct cpuid_cache.type, as encoded by leaves 0x4 / 0x8000001D */
#define CPUID_CACHE_DATA    1
#define CPUID_CACHE_INSTR   2
#define CPUID_CACHE_UNIFIED 3

struct cpuid_cache {
	uint8_t level;		/* 1, 2, 3 ... */
	uint8_t type;		/* CPUID_CACHE_* */
	uint8_t share_shift;	/* APIC ids >> share_shift equal: same cache */
	uint32_t sharing;	/* max logical processors sharing it */
	uint32_t size;		/* bytes */
	uint32_t line;		/* bytes */
};

struct cpuid_topo {
	enum cpuid_vendor vendor;
	uint32_t max_leaf;
	uint32_t max_ext_leaf;
	uint32_t source;	/* leaf the shifts came from: 0x1F, 0xB, 0x4,
				   0x80000008, 0x1, or 0 (defaults) */
	uint32_t apic_id;	/* of the core that ran the decode */
	uint8_t smt_shift;	/* thread bits */
	uint8_t pkg_shift;	/* thread + core bits; >= smt_shift */
	uint32_t ncaches;
	struct cpuid_cache caches[CPUID_MAX_CACHES];
};

/*
 * Decodes the topology leaves through src into *t.  Returns ERR_UNSUPPORTED
 * if leaf 0 reports max leaf 0 (no leaf 1), ERR_RANGE if a leaf gives
 * inconsistent shifts (pkg below smt, shift above 32); *t then holds the
 * safe defaults (one thread, one core per package, no caches).
 */
err_t cpuid_decode(const struct cpuid_src *src, struct cpuid_topo *t);

/* Splits an APIC id into package, core-in-package and thread-in-core. */
void cpuid_split_apic(const struct cpuid_topo *t, uint32_t apic_id,
		      uint32_t *pkg, uint32_t *core, uint32_t *thread);

/*
 * Share shift of the data or unified cache at `level` (1..3), or -1 if the
 * CPU did not describe one.
 */
int cpuid_cache_shift(const struct cpuid_topo *t, unsigned level);

/* ceil(log2(n)) for n >= 1; 0 for n <= 1. */
uint8_t cpuid_bits_for(uint32_t n);

#endif
