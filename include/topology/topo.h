/*
 * topo: the one model of the machine's shape.
 *
 * A struct topo lists the usable cores (sorted by APIC id; a core's index in
 * that order is its "cpu" number everywhere in the OS), the NUMA nodes with
 * their memory ranges, and the node distance matrix.  Each core carries its
 * APIC id, its package (numbered 0.. densely in cpu order), its core id
 * inside the package and thread id inside the core (the APIC-id bit fields,
 * see cpuid.h), its node, and one cache domain number per level (L1 data,
 * L2, L3), numbered 0.. densely in cpu order: two cores share a cache iff
 * they have the same domain number at that level.
 *
 * Invariants after topo_finish() returned ERR_OK:
 *  - 1 <= ncores <= CORES_MAX, APIC ids strictly increasing;
 *  - 1 <= nnodes <= TOPO_MAX_NODES; every core's node < nnodes; every node
 *    has at least one core or one memory range;
 *  - dist[i][i] == 10 and dist[i][j] >= 10 for i, j < nnodes;
 *  - packages and cache domains are dense: 0..npackages-1 etc.;
 *  - mem[] sorted by base, ranges do not overlap.
 *
 * Filling: topo_from_acpi() in the kernel (ACPI + CPUID, with the fallback
 * rules of acpi.h), or by hand with topo_init/topo_add_core/topo_add_mem/
 * topo_set_dist/topo_finish (host tests, the hwloc bridge).  Cache default
 * rule, when CPUID did not describe a level: L1 and L2 are private to a core
 * (shared by its SMT threads), L3 is shared by a package.  That is what
 * QEMU's Intel CPU models report.
 *
 * topo_print() renders the model as the block documented in
 * docs/02-topology.md; tools/topo.py prints the same block from hwloc, so
 * the two can be compared as text.
 *
 * Storage is the caller's (the struct is ~10 KiB); no allocation, no global
 * state.  The boot core fills it once before starting APs; afterwards it is
 * read-only and each core may keep its own copy.
 */
#ifndef TOPOLOGY_TOPO_H
#define TOPOLOGY_TOPO_H

#include <stdint.h>

#include <lib/err.h>
#include <sys/limits.h>
#include <topology/acpi.h>
#include <topology/cpuid.h>

#define TOPO_MAX_NODES   64
#define TOPO_MAX_MEM     64
#define TOPO_LEVELS      3	/* cache[0] = L1d, [1] = L2, [2] = L3 */
#define TOPO_DIST_LOCAL  10
#define TOPO_DIST_REMOTE 20	/* default when there is no valid SLIT */
#define TOPO_LINE_MAX    320
#define TOPO_PRINT_FULL_MAX 16	/* the kernel prints the full block up to this */

struct topo_core {
	uint32_t apic_id;
	uint32_t package;
	uint32_t core;
	uint32_t thread;
	uint32_t node;
	uint32_t cache[TOPO_LEVELS];
};

struct topo_mem {
	uint64_t base;
	uint64_t len;
	uint32_t node;
};

struct topo {
	uint32_t ncores;
	uint32_t npackages;
	uint32_t nnodes;
	uint32_t nmem;
	uint32_t ncache[TOPO_LEVELS];	/* domains per level */
	struct topo_core cores[CORES_MAX];
	struct topo_mem mem[TOPO_MAX_MEM];
	uint8_t dist[TOPO_MAX_NODES][TOPO_MAX_NODES];
};

/* Receives one line of output (no newline) at a time. */
typedef void (*topo_line_fn)(void *ctx, const char *line);

/* Empty model: no cores, one node, default distances. */
void topo_init(struct topo *t);

/*
 * Adds a core; package/core/thread/cache keys are raw values (APIC-id
 * fields), renumbered by topo_finish().  ERR_FULL past CORES_MAX,
 * ERR_EXIST for a repeated APIC id, ERR_RANGE for node >= TOPO_MAX_NODES.
 */
err_t topo_add_core(struct topo *t, const struct topo_core *c);

/* Adds a memory range of node; ERR_FULL, ERR_RANGE (node, empty, wraps). */
err_t topo_add_mem(struct topo *t, uint32_t node, uint64_t base, uint64_t len);

/* Sets the distance from node a to node b (SLIT-style, 10 = local). */
err_t topo_set_dist(struct topo *t, uint32_t a, uint32_t b, uint8_t d);

/*
 * Sorts, renumbers and checks the invariants above.  nnodes becomes one
 * more than the highest node used.  ERR_EMPTY without cores, ERR_EXIST for
 * overlapping memory ranges.
 */
err_t topo_finish(struct topo *t);

/*
 * Fills raw package/core/thread ids and cache keys of every core from its
 * APIC id using the decoded CPUID shifts.  cpuid may be NULL: every core is
 * then core <APIC id> of package 0 with one thread.  Cache levels CPUID did
 * not describe follow the default rule.
 */
void topo_apply_cpuid(struct topo *t, const struct cpuid_topo *cpuid);

/*
 * Builds the model from ACPI and CPUID results, applying the fallback rules
 * of acpi.h: no usable MADT -> only boot_apic; no usable SRAT -> one node;
 * no usable SLIT -> 10/20.  SRAT proximity domains become nodes 0.. in
 * increasing domain order; a core the SRAT does not mention goes to node 0.
 * cpuid may be NULL.  Returns topo_finish()'s result.
 */
err_t topo_from_acpi(struct topo *t, const struct acpi_info *acpi,
		     const struct cpuid_topo *cpuid, uint32_t boot_apic);

/* Index of the core with this APIC id, or -1. */
int topo_cpu_of_apic(const struct topo *t, uint32_t apic_id);

/* Prints the documented block (docs/02-topology.md), one line per call. */
void topo_print(const struct topo *t, topo_line_fn line, void *ctx);

/*
 * The same block with every run of three or more consecutive cpus whose
 * fields advance evenly as one `topo: cpus I-J ...` line (docs/02-topology.md):
 * a few lines for QEMU's flat -smp N instead of N.  The kernel prints this
 * form above TOPO_PRINT_FULL_MAX cores (each serial byte costs the boot).
 */
void topo_print_compact(const struct topo *t, topo_line_fn line, void *ctx);

#endif
