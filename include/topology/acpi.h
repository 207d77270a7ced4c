/*
 * acpi: find and parse the ACPI tables that describe the machine's shape.
 *
 * The boot core calls acpi_discover() once, before any AP is started.  The
 * parser finds the RSDP (first KiB of the EBDA, then 0xE0000-0xFFFFF on
 * 16-byte boundaries), walks the XSDT (revision >= 2, falling back to the
 * RSDT if the XSDT is bad) or the RSDT, and parses three tables:
 *   MADT  processors (type 0 local APIC, type 9 x2APIC, with the enabled and
 *         online-capable flags), IO APICs (type 1), the LAPIC address;
 *   SRAT  processor affinity (type 0, type 2 x2APIC) and memory affinity
 *         (type 1, only entries with the enabled flag);
 *   SLIT  the node distance matrix.
 *
 * Invariants the parser keeps:
 *  - Every byte is fetched through the caller's struct acpi_mem reader, which
 *    returns an error for any address it cannot serve; the parser never
 *    dereferences a physical address itself, so there is no wild read.
 *  - Every loop is bounded: table lengths are capped (ACPI_MAX_TABLE_LEN),
 *    entry lengths must be at least their struct's size (so never 0), and
 *    every count is checked against the fixed array capacity before storing.
 *  - Validate, then act: a table's checksum and every entry are checked
 *    before any of its results are stored, so a table is taken whole or not
 *    at all.  Each table is independent: a broken SRAT does not discard the
 *    MADT.
 *
 * Errors: acpi_discover()/acpi_parse() return the first error met (ERR_OK if
 * everything that was present was valid) and append one sentence per problem
 * to the caller's message buffer, naming the table and field, e.g.
 * "MADT: entry at offset 0x3c has length 0".  What the caller falls back to:
 *  - no RSDP, or the RSDT/XSDT broken: nothing is known (info->have == 0):
 *    run on the boot core only, as a single node;
 *  - MADT missing or broken (madt_err != ERR_OK, ncpus == 0): boot core only;
 *  - SRAT missing or broken (ncpu_aff == nmem == 0): one node holding every
 *    core and all memory;
 *  - SLIT missing or broken (slit_n == 0): distance 10 to self, 20 to every
 *    other node.
 * topo_from_acpi() (topo.h) applies exactly these rules.
 *
 * Pure code: no allocation, no global state; callable on any core, though
 * only the boot core has reason to.  struct acpi_info is ~11 KiB: make it
 * static or part of a boot-time structure, not a stack local.
 */
#ifndef TOPOLOGY_ACPI_H
#define TOPOLOGY_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lib/err.h>
#include <sys/limits.h>

#define ACPI_MAX_CPUS       256	/* MADT processor entries (any state) */
_Static_assert(ACPI_MAX_CPUS >= CORES_MAX, "every usable core needs its MADT entry");
#define ACPI_MAX_IOAPICS    16
#define ACPI_MAX_MEM        64	/* enabled SRAT memory ranges */
#define ACPI_MAX_DOMAINS    64	/* proximity domains / SLIT localities */
#define ACPI_MAX_TABLE_LEN  (1u << 20)
#define ACPI_MAX_ROOT_ENTRIES 256

/* Reads len bytes of physical memory at phys into dst; returns ERR_FAULT (or
 * any error) for an address range it cannot serve entirely. */
struct acpi_mem {
	err_t (*read)(void *ctx, uint64_t phys, void *dst, size_t len);
	void *ctx;
};

/* struct acpi_cpu.flags */
#define ACPI_CPU_ENABLED        0x1u	/* usable now */
#define ACPI_CPU_ONLINE_CAPABLE 0x2u	/* may be hot-added later */
#define ACPI_CPU_X2APIC         0x80u	/* came from a type 9 entry */

struct acpi_cpu {
	uint32_t apic_id;
	uint32_t uid;		/* ACPI processor UID */
	uint32_t flags;		/* ACPI_CPU_* */
};

struct acpi_ioapic {
	uint32_t id;
	uint32_t addr;
	uint32_t gsi_base;
};

struct acpi_cpu_aff {
	uint32_t apic_id;
	uint32_t domain;	/* < ACPI_MAX_DOMAINS */
};

struct acpi_mem_aff {
	uint64_t base;
	uint64_t len;		/* > 0, base + len does not overflow */
	uint32_t domain;	/* < ACPI_MAX_DOMAINS */
	uint32_t flags;		/* SRAT flags: 1 enabled, 2 hot-pluggable, 4 NV */
};

/* struct acpi_info.have */
#define ACPI_HAVE_ROOT 0x1u
#define ACPI_HAVE_MADT 0x2u
#define ACPI_HAVE_SRAT 0x4u
#define ACPI_HAVE_SLIT 0x8u

struct acpi_info {
	uint32_t have;		/* ACPI_HAVE_*: tables found AND valid */
	uint64_t rsdp_addr;
	uint32_t revision;	/* RSDP revision */
	uint64_t root_addr;	/* the RSDT or XSDT that was used */
	bool root_is_xsdt;

	/* MADT; all zero unless ACPI_HAVE_MADT */
	err_t madt_err;		/* ERR_NOENT if absent */
	uint64_t lapic_addr;
	uint32_t madt_flags;	/* bit 0: PC-AT dual 8259 present */
	uint32_t ncpus;		/* in table order */
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	uint32_t nioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];

	/* SRAT; all zero unless ACPI_HAVE_SRAT */
	err_t srat_err;		/* ERR_NOENT if absent */
	uint32_t ncpu_aff;	/* enabled processor affinity entries */
	struct acpi_cpu_aff cpu_aff[ACPI_MAX_CPUS];
	uint32_t nmem;		/* enabled memory affinity entries */
	struct acpi_mem_aff mem[ACPI_MAX_MEM];

	/* SLIT; slit_n == 0 unless ACPI_HAVE_SLIT */
	err_t slit_err;		/* ERR_NOENT if absent */
	uint32_t slit_n;	/* localities, <= ACPI_MAX_DOMAINS */
	uint8_t slit[ACPI_MAX_DOMAINS][ACPI_MAX_DOMAINS];
};

/*
 * Finds a valid RSDP: the first KiB of the EBDA (segment at 0x40E), then
 * 0xE0000-0xFFFFF.  A candidate needs the "RSD PTR " signature, a valid
 * 20-byte checksum and, for revision >= 2, a sane length and a valid
 * extended checksum.  Returns ERR_NOENT (and a message) if none is found,
 * or the reader's error if the BIOS area cannot be read.
 */
err_t acpi_find_rsdp(const struct acpi_mem *mem, uint64_t *rsdp,
		     char *msg, size_t msglen);

/*
 * Parses the RSDP at rsdp and the tables it leads to into *info (which is
 * cleared first).  Returns the first error met; see the file comment for
 * what stays usable.  msg receives one "; "-separated sentence per problem
 * (always NUL-terminated if msglen > 0; "" if all went well).
 */
err_t acpi_parse(const struct acpi_mem *mem, uint64_t rsdp,
		 struct acpi_info *info, char *msg, size_t msglen);

/* acpi_find_rsdp() then acpi_parse(). */
err_t acpi_discover(const struct acpi_mem *mem, struct acpi_info *info,
		    char *msg, size_t msglen);

/* Number of usable (ACPI_CPU_ENABLED) processors in info. */
uint32_t acpi_enabled_cpus(const struct acpi_info *info);

#endif
