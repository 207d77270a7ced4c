/*
 * acpi_madt.c: the Multiple APIC Description Table ("APIC").
 *
 * Layout: the 36-byte header, the local APIC address (u32), flags (u32),
 * then variable-length entries [type u8][length u8][...].  We record:
 *   type 0  processor local APIC (8 bytes): uid u8, APIC id u8, flags u32
 *   type 1  IO APIC (12 bytes): id u8, reserved, address u32, GSI base u32
 *   type 5  local APIC address override (12 bytes): address u64
 *   type 9  processor local x2APIC (16 bytes): reserved u16, x2APIC id u32,
 *           flags u32, uid u32
 * and skip every other type after checking its framing.  Processor flags:
 * bit 0 enabled, bit 1 online capable; an entry with neither describes a
 * processor that can never run and is recorded without either (type 9
 * entries keep ACPI_CPU_X2APIC whatever their state).  Two usable
 * (enabled or online-capable) entries with the same APIC id make the table
 * invalid: the rest of the system relies on APIC ids being unique.
 */
#include "acpi_internal.h"

#define MADT_FIXED_LEN   44u
#define MADT_LAPIC       0
#define MADT_IOAPIC      1
#define MADT_LAPIC_ADDR  5
#define MADT_X2APIC      9
#define MADT_CPU_USABLE  (ACPI_CPU_ENABLED | ACPI_CPU_ONLINE_CAPABLE)

static uint8_t madt_min_len(uint8_t type)
{
	switch (type) {
	case MADT_LAPIC:      return 8;
	case MADT_IOAPIC:     return 12;    // NOLINT(bugprone-branch-clone): a table
	case MADT_LAPIC_ADDR: return 12;
	case MADT_X2APIC:     return 16;
	default:              return 2;
	}
}

static err_t madt_add_cpu(struct acpi_ctx *c, struct acpi_info *info,
			  uint32_t off, uint32_t apic_id, uint32_t uid,
			  uint32_t flags)
{
	flags &= MADT_CPU_USABLE | ACPI_CPU_X2APIC;
	if (info->ncpus >= ACPI_MAX_CPUS) {
		acpi_note(c, "MADT: entry at offset 0x%x exceeds the limit of %u processors",
			  off, ACPI_MAX_CPUS);
		return ERR_TOOBIG;
	}
	for (uint32_t i = 0; (flags & MADT_CPU_USABLE) && i < info->ncpus; i++) {
		if (info->cpus[i].apic_id == apic_id &&
		    (info->cpus[i].flags & MADT_CPU_USABLE)) {
			acpi_note(c, "MADT: entry at offset 0x%x repeats APIC id %u",
				  off, apic_id);
			return ERR_EXIST;
		}
	}
	info->cpus[info->ncpus].apic_id = apic_id;
	info->cpus[info->ncpus].uid = uid;
	info->cpus[info->ncpus].flags = flags;
	info->ncpus++;
	return ERR_OK;
}

static err_t madt_add_ioapic(struct acpi_ctx *c, struct acpi_info *info,
			     uint32_t off, const uint8_t *e)
{
	if (info->nioapics >= ACPI_MAX_IOAPICS) {
		acpi_note(c, "MADT: entry at offset 0x%x exceeds the limit of %u IO APICs",
			  off, ACPI_MAX_IOAPICS);
		return ERR_TOOBIG;
	}
	info->ioapics[info->nioapics].id = e[2];
	info->ioapics[info->nioapics].addr = acpi_le32(e + 4);
	info->ioapics[info->nioapics].gsi_base = acpi_le32(e + 8);
	info->nioapics++;
	return ERR_OK;
}

/* Records one entry whose framing and minimum length were checked. */
static err_t madt_entry(struct acpi_ctx *c, struct acpi_info *info,
			uint32_t off, uint8_t type, const uint8_t *e)
{
	switch (type) {
	case MADT_LAPIC:
		return madt_add_cpu(c, info, off, e[3], e[2], acpi_le32(e + 4));
	case MADT_X2APIC:
		return madt_add_cpu(c, info, off, acpi_le32(e + 4),
				    acpi_le32(e + 12),
				    acpi_le32(e + 8) | ACPI_CPU_X2APIC);
	case MADT_IOAPIC:
		return madt_add_ioapic(c, info, off, e);
	case MADT_LAPIC_ADDR:
		info->lapic_addr = acpi_le64(e + 4);
		return ERR_OK;
	default:
		return ERR_OK;
	}
}

static const struct acpi_entry_kind madt_kind = {
	"MADT", MADT_FIXED_LEN, madt_min_len, madt_entry
};

err_t acpi_parse_madt(struct acpi_ctx *c, uint64_t addr, struct acpi_info *info)
{
	uint8_t fixed[8];
	struct acpi_hdr hdr;
	err_t e;

	e = acpi_table_check(c, "MADT", "APIC", addr, MADT_FIXED_LEN, &hdr);
	if (e == ERR_OK)
		e = acpi_read(c, addr + ACPI_HDR_LEN, fixed, sizeof fixed);
	if (e == ERR_OK) {
		info->lapic_addr = acpi_le32(fixed);
		info->madt_flags = acpi_le32(fixed + 4);
		e = acpi_walk_entries(c, &madt_kind, addr, hdr.len, info);
	}
	if (e != ERR_OK) {
		info->lapic_addr = 0;
		info->madt_flags = 0;
		info->ncpus = 0;
		info->nioapics = 0;
		return e;
	}
	info->have |= ACPI_HAVE_MADT;
	return ERR_OK;
}
