/*
 * acpi_srat.c: the System Resource Affinity Table ("SRAT").
 *
 * Layout: the 36-byte header, 12 reserved bytes, then entries:
 *   type 0  processor local APIC affinity (16 bytes): domain bits 0-7 u8,
 *           APIC id u8, flags u32, SAPIC EID u8, domain bits 8-31 u8[3]
 *   type 1  memory affinity (40 bytes): domain u32, reserved u16,
 *           base u64 (as two u32), length u64, reserved u32, flags u32
 *   type 2  processor local x2APIC affinity (24 bytes): reserved u16,
 *           domain u32, x2APIC id u32, flags u32
 * Flag bit 0 means enabled; disabled entries are checked and skipped.
 * Proximity domains must be below ACPI_MAX_DOMAINS (they index the SLIT and
 * become node numbers); memory ranges must be non-empty, not wrap, and not
 * overlap each other (the table is then refused with a sentence naming both).
 */
#include "acpi_internal.h"

#define SRAT_FIXED_LEN   48u
#define SRAT_CPU         0
#define SRAT_MEM         1
#define SRAT_X2APIC      2
#define SRAT_ENABLED     0x1u

static uint8_t srat_min_len(uint8_t type)
{
	switch (type) {
	case SRAT_CPU:    return 16;
	case SRAT_MEM:    return 40;
	case SRAT_X2APIC: return 24;
	default:          return 2;
	}
}

static err_t srat_domain_ok(struct acpi_ctx *c, uint32_t off, uint32_t dom)
{
	if (dom < ACPI_MAX_DOMAINS)
		return ERR_OK;
	acpi_note(c, "SRAT: entry at offset 0x%x has proximity domain %u, at most %u",
		  off, dom, ACPI_MAX_DOMAINS - 1);
	return ERR_RANGE;
}

static err_t srat_add_cpu(struct acpi_ctx *c, struct acpi_info *info,
			  uint32_t off, uint32_t apic_id, uint32_t dom,
			  uint32_t flags)
{
	err_t e;

	if (!(flags & SRAT_ENABLED))
		return ERR_OK;
	e = srat_domain_ok(c, off, dom);
	if (e != ERR_OK)
		return e;
	if (info->ncpu_aff >= ACPI_MAX_CPUS) {
		acpi_note(c, "SRAT: entry at offset 0x%x exceeds the limit of %u processors",
			  off, ACPI_MAX_CPUS);
		return ERR_TOOBIG;
	}
	info->cpu_aff[info->ncpu_aff].apic_id = apic_id;
	info->cpu_aff[info->ncpu_aff].domain = dom;
	info->ncpu_aff++;
	return ERR_OK;
}

static err_t srat_add_mem(struct acpi_ctx *c, struct acpi_info *info,
			  uint32_t off, const uint8_t *e)
{
	uint32_t dom = acpi_le32(e + 2);
	uint64_t base = acpi_le64(e + 8);
	uint64_t len = acpi_le64(e + 16);
	uint32_t flags = acpi_le32(e + 28);
	err_t r;

	if (!(flags & SRAT_ENABLED) || len == 0)
		return ERR_OK;
	r = srat_domain_ok(c, off, dom);
	if (r != ERR_OK)
		return r;
	if (base + len < base) {
		acpi_note(c, "SRAT: entry at offset 0x%x: range 0x%llx+0x%llx wraps around",
			  off, (unsigned long long)base, (unsigned long long)len);
		return ERR_RANGE;
	}
	if (info->nmem >= ACPI_MAX_MEM) {
		acpi_note(c, "SRAT: entry at offset 0x%x exceeds the limit of %u memory ranges",
			  off, ACPI_MAX_MEM);
		return ERR_TOOBIG;
	}
	info->mem[info->nmem].base = base;
	info->mem[info->nmem].len = len;
	info->mem[info->nmem].domain = dom;
	info->mem[info->nmem].flags = flags;
	info->nmem++;
	return ERR_OK;
}

static err_t srat_entry(struct acpi_ctx *c, struct acpi_info *info,
			uint32_t off, uint8_t type, const uint8_t *e)
{
	switch (type) {
	case SRAT_CPU:
		return srat_add_cpu(c, info, off, e[3],
				    e[2] | (uint32_t)e[9] << 8 |
				    (uint32_t)e[10] << 16 | (uint32_t)e[11] << 24,
				    acpi_le32(e + 4));
	case SRAT_X2APIC:
		return srat_add_cpu(c, info, off, acpi_le32(e + 8),
				    acpi_le32(e + 4), acpi_le32(e + 12));
	case SRAT_MEM:
		return srat_add_mem(c, info, off, e);
	default:
		return ERR_OK;
	}
}

static const struct acpi_entry_kind srat_kind = {
	"SRAT", SRAT_FIXED_LEN, srat_min_len, srat_entry
};

/* Two enabled memory ranges may not overlap: a byte has one home node. */
static err_t srat_check_overlap(struct acpi_ctx *c, const struct acpi_info *info)
{
	for (uint32_t i = 0; i < info->nmem; i++)
		for (uint32_t j = i + 1; j < info->nmem; j++) {
			const struct acpi_mem_aff *a = &info->mem[i], *b = &info->mem[j];
			if (a->base >= b->base + b->len || b->base >= a->base + a->len)
				continue;
			acpi_note(c, "SRAT: memory ranges 0x%llx-0x%llx (domain %u) and 0x%llx-0x%llx (domain %u) overlap",
				  (unsigned long long)a->base,
				  (unsigned long long)(a->base + a->len - 1), a->domain,
				  (unsigned long long)b->base,
				  (unsigned long long)(b->base + b->len - 1), b->domain);
			return ERR_EXIST;
		}
	return ERR_OK;
}

err_t acpi_parse_srat(struct acpi_ctx *c, uint64_t addr, struct acpi_info *info)
{
	struct acpi_hdr hdr;
	err_t e;

	e = acpi_table_check(c, "SRAT", "SRAT", addr, SRAT_FIXED_LEN, &hdr);
	if (e == ERR_OK)
		e = acpi_walk_entries(c, &srat_kind, addr, hdr.len, info);
	if (e == ERR_OK)
		e = srat_check_overlap(c, info);
	if (e != ERR_OK) {
		info->ncpu_aff = 0;
		info->nmem = 0;
		return e;
	}
	info->have |= ACPI_HAVE_SRAT;
	return ERR_OK;
}
