/*
 * acpi.c: RSDP discovery, table header validation and the RSDT/XSDT walk.
 *
 * The per-table parsers live in acpi_madt.c, acpi_srat.c and acpi_slit.c;
 * this file owns everything they share: reading through the caller's
 * reader, the checksum, entry framing and the message buffer.  See
 * include/topology/acpi.h for the contract and the fallback rules.
 */
#include <stdarg.h>

#include <lib/fmt.h>
#include "acpi_internal.h"

#define RSDP_V1_LEN    20u
#define RSDP_V2_LEN    36u
#define RSDP_MAX_LEN   4096u
#define EBDA_SEG_ADDR  0x40Eu
#define EBDA_SCAN_LEN  1024u
#define BIOS_LO        0xE0000u
#define BIOS_HI        0x100000u
#define SCAN_BLOCK     256u
#define SUM_CHUNK      64u

void acpi_note(struct acpi_ctx *c, const char *fmt, ...)
{
	size_t used = 0;
	va_list ap;

	if (!c->msg || c->msglen == 0)
		return;
	while (used < c->msglen && c->msg[used])
		used++;
	if (used + 3 >= c->msglen)
		return;
	if (used) {
		c->msg[used++] = ';';
		c->msg[used++] = ' ';
		c->msg[used] = 0;
	}
	va_start(ap, fmt);
	fmt_vsnprintf(c->msg + used, c->msglen - used, fmt, ap);
	va_end(ap);
}

err_t acpi_read(const struct acpi_ctx *c, uint64_t phys, void *dst, size_t len)
{
	if (len == 0)
		return ERR_OK;
	if (phys + len < phys)
		return ERR_FAULT;
	return c->mem->read(c->mem->ctx, phys, dst, len);
}

/* Sums len bytes at addr into *sum; returns the offset of a failed read in
 * *bad_off and the reader's error. */
static err_t acpi_sum(const struct acpi_ctx *c, uint64_t addr, uint32_t len,
		      uint8_t *sum, uint32_t *bad_off)
{
	uint8_t buf[SUM_CHUNK];
	uint8_t s = 0;

	for (uint32_t off = 0; off < len; off += SUM_CHUNK) {
		uint32_t n = len - off < SUM_CHUNK ? len - off : SUM_CHUNK;
		err_t e = acpi_read(c, addr + off, buf, n);

		if (e != ERR_OK) {
			*bad_off = off;
			return e;
		}
		for (uint32_t i = 0; i < n; i++)
			s = (uint8_t)(s + buf[i]);
	}
	*sum = s;
	return ERR_OK;
}

err_t acpi_table_check(struct acpi_ctx *c, const char *name, const char *sig,
		       uint64_t addr, uint32_t min_len, struct acpi_hdr *hdr)
{
	uint8_t raw[ACPI_HDR_LEN];
	uint32_t bad_off = 0;
	uint8_t sum = 0;
	err_t e;

	e = acpi_read(c, addr, raw, sizeof raw);
	if (e != ERR_OK) {
		acpi_note(c, "%s: header at 0x%llx is not readable", name,
			  (unsigned long long)addr);
		return e;
	}
	for (int i = 0; i < 4; i++)
		hdr->sig[i] = (char)raw[i];
	hdr->sig[4] = 0;
	hdr->len = acpi_le32(raw + 4);
	hdr->rev = raw[8];
	if (__builtin_memcmp(raw, sig, 4) != 0) {
		acpi_note(c, "%s: signature at 0x%llx is not \"%.4s\"", name,
			  (unsigned long long)addr, sig);
		return ERR_BADMAGIC;
	}
	if (hdr->len < min_len) {
		acpi_note(c, "%s: length %u is less than the minimum %u", name,
			  hdr->len, min_len);
		return ERR_TRUNC;
	}
	if (hdr->len > ACPI_MAX_TABLE_LEN) {
		acpi_note(c, "%s: length %u exceeds the limit %u", name,
			  hdr->len, ACPI_MAX_TABLE_LEN);
		return ERR_TOOBIG;
	}
	e = acpi_sum(c, addr, hdr->len, &sum, &bad_off);
	if (e != ERR_OK) {
		acpi_note(c, "%s: length %u runs past readable memory at offset 0x%x",
			  name, hdr->len, bad_off);
		return ERR_TRUNC;
	}
	if (sum != 0) {
		acpi_note(c, "%s: checksum mismatch (bytes sum to 0x%02x)", name, sum);
		return ERR_CHECKSUM;
	}
	return ERR_OK;
}

err_t acpi_entry(struct acpi_ctx *c, const char *name, uint64_t addr,
		 uint32_t tlen, uint32_t *off, uint8_t *buf, size_t bufsize,
		 uint8_t *type, uint8_t *len)
{
	uint8_t th[2];
	err_t e;

	if (tlen - *off < 2) {
		acpi_note(c, "%s: entry at offset 0x%x is cut off by the table end",
			  name, *off);
		return ERR_TRUNC;
	}
	e = acpi_read(c, addr + *off, th, 2);
	if (e != ERR_OK) {
		acpi_note(c, "%s: entry at offset 0x%x is not readable", name, *off);
		return e;
	}
	if (th[1] < 2) {
		acpi_note(c, "%s: entry at offset 0x%x has length %u", name, *off,
			  th[1]);
		return ERR_INVAL;
	}
	if (th[1] > tlen - *off) {
		acpi_note(c, "%s: entry at offset 0x%x has length %u, past the table end 0x%x",
			  name, *off, th[1], tlen);
		return ERR_TRUNC;
	}
	__builtin_memset(buf, 0, bufsize);
	e = acpi_read(c, addr + *off, buf, th[1] < bufsize ? th[1] : bufsize);
	if (e != ERR_OK) {
		acpi_note(c, "%s: entry at offset 0x%x is not readable", name, *off);
		return e;
	}
	*type = th[0];
	*len = th[1];
	*off += th[1];
	return ERR_OK;
}

/* Checks the RSDP candidate at addr; ERR_OK if valid. */
static err_t acpi_rsdp_valid(const struct acpi_ctx *c, uint64_t addr)
{
	uint8_t raw[RSDP_V2_LEN];
	uint32_t len, bad;
	uint8_t sum = 0;

	if (acpi_read(c, addr, raw, RSDP_V1_LEN) != ERR_OK)
		return ERR_FAULT;
	if (__builtin_memcmp(raw, "RSD PTR ", 8) != 0)
		return ERR_BADMAGIC;
	if (acpi_sum(c, addr, RSDP_V1_LEN, &sum, &bad) != ERR_OK || sum)
		return ERR_CHECKSUM;
	if (raw[15] < 2)
		return ERR_OK;
	if (acpi_read(c, addr, raw, RSDP_V2_LEN) != ERR_OK)
		return ERR_TRUNC;
	len = acpi_le32(raw + 20);
	if (len < RSDP_V2_LEN || len > RSDP_MAX_LEN)
		return ERR_TRUNC;
	if (acpi_sum(c, addr, len, &sum, &bad) != ERR_OK)
		return ERR_TRUNC;
	return sum ? ERR_CHECKSUM : ERR_OK;
}

/* Scans [lo, hi) on 16-byte boundaries; counts rejected candidates. */
static err_t acpi_scan(const struct acpi_ctx *c, uint64_t lo, uint64_t hi,
		       uint64_t *found, uint32_t *rejected, uint32_t *unreadable)
{
	uint8_t buf[SCAN_BLOCK];

	for (uint64_t blk = lo; blk < hi; blk += SCAN_BLOCK) {
		uint32_t n = hi - blk < SCAN_BLOCK ? (uint32_t)(hi - blk) : SCAN_BLOCK;

		if (acpi_read(c, blk, buf, n) != ERR_OK) {
			(*unreadable)++;
			continue;
		}
		for (uint32_t off = 0; off + 8 <= n; off += 16) {
			if (__builtin_memcmp(buf + off, "RSD PTR ", 8) != 0)
				continue;
			if (acpi_rsdp_valid(c, blk + off) == ERR_OK) {
				*found = blk + off;
				return ERR_OK;
			}
			(*rejected)++;
		}
	}
	return ERR_NOENT;
}

err_t acpi_find_rsdp(const struct acpi_mem *mem, uint64_t *rsdp,
		     char *msg, size_t msglen)
{
	struct acpi_ctx c = { mem, msg, msglen };
	uint32_t rejected = 0, unreadable = 0;
	uint8_t seg[2];

	if (msg && msglen)
		msg[0] = 0;
	if (acpi_read(&c, EBDA_SEG_ADDR, seg, 2) == ERR_OK) {
		uint64_t ebda = (uint64_t)acpi_le16(seg) << 4;

		if (ebda >= 0x80000 && ebda < 0xA0000 &&
		    acpi_scan(&c, ebda, ebda + EBDA_SCAN_LEN, rsdp, &rejected,
			      &unreadable) == ERR_OK)
			return ERR_OK;
	}
	if (acpi_scan(&c, BIOS_LO, BIOS_HI, rsdp, &rejected, &unreadable) == ERR_OK)
		return ERR_OK;
	acpi_note(&c, "RSDP: no valid \"RSD PTR \" in the EBDA or 0xe0000-0xfffff (%u candidates rejected, %u blocks unreadable)",
		  rejected, unreadable);
	return ERR_NOENT;
}

/* Parses the table at addr if it is one we know and have not seen yet. */
static err_t acpi_dispatch(struct acpi_ctx *c, uint64_t addr,
			   struct acpi_info *info)
{
	char sig[4];

	if (acpi_read(c, addr, sig, 4) != ERR_OK) {
		acpi_note(c, "%s: entry points to unreadable address 0x%llx",
			  info->root_is_xsdt ? "XSDT" : "RSDT",
			  (unsigned long long)addr);
		return ERR_FAULT;
	}
	if (!__builtin_memcmp(sig, "APIC", 4) && info->madt_err == ERR_NOENT) {
		info->madt_err = acpi_parse_madt(c, addr, info);
		return info->madt_err;
	}
	if (!__builtin_memcmp(sig, "SRAT", 4) && info->srat_err == ERR_NOENT) {
		info->srat_err = acpi_parse_srat(c, addr, info);
		return info->srat_err;
	}
	if (!__builtin_memcmp(sig, "SLIT", 4) && info->slit_err == ERR_NOENT) {
		info->slit_err = acpi_parse_slit(c, addr, info);
		return info->slit_err;
	}
	return ERR_OK;
}

/* Validates the root table, then parses every table it lists. */
static err_t acpi_walk_root(struct acpi_ctx *c, uint64_t addr, bool xsdt,
			    struct acpi_info *info)
{
	const char *name = xsdt ? "XSDT" : "RSDT";
	uint32_t width = xsdt ? 8 : 4;
	struct acpi_hdr hdr;
	err_t first = ERR_OK;
	uint32_t n;
	err_t e;

	e = acpi_table_check(c, name, name, addr, ACPI_HDR_LEN, &hdr);
	if (e != ERR_OK)
		return e;
	if ((hdr.len - ACPI_HDR_LEN) % width) {
		acpi_note(c, "%s: length %u leaves a partial %u-byte entry", name,
			  hdr.len, width);
		return ERR_TRUNC;
	}
	n = (hdr.len - ACPI_HDR_LEN) / width;
	if (n > ACPI_MAX_ROOT_ENTRIES) {
		acpi_note(c, "%s: %u entries, at most %u", name, n,
			  ACPI_MAX_ROOT_ENTRIES);
		return ERR_TOOBIG;
	}
	info->root_addr = addr;
	info->root_is_xsdt = xsdt;
	info->have |= ACPI_HAVE_ROOT;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t p[8] = { 0 };

		e = acpi_read(c, addr + ACPI_HDR_LEN + i * width, p, width);
		if (e == ERR_OK)
			e = acpi_dispatch(c, acpi_le64(p), info);
		if (e != ERR_OK && first == ERR_OK)
			first = e;
	}
	return first;
}

err_t acpi_parse(const struct acpi_mem *mem, uint64_t rsdp,
		 struct acpi_info *info, char *msg, size_t msglen)
{
	struct acpi_ctx c = { mem, msg, msglen };
	uint8_t raw[RSDP_V2_LEN] = { 0 };
	uint64_t xsdt = 0;
	err_t e, r;

	if (msg && msglen)
		msg[0] = 0;
	__builtin_memset(info, 0, sizeof *info);
	info->madt_err = info->srat_err = info->slit_err = ERR_NOENT;
	e = acpi_rsdp_valid(&c, rsdp);
	if (e != ERR_OK) {
		acpi_note(&c, "RSDP: structure at 0x%llx is invalid (%s)",
			  (unsigned long long)rsdp, err_str(e));
		return e;
	}
	acpi_read(&c, rsdp, raw, RSDP_V1_LEN);
	if (raw[15] >= 2)
		acpi_read(&c, rsdp, raw, RSDP_V2_LEN);
	info->rsdp_addr = rsdp;
	info->revision = raw[15];
	if (raw[15] >= 2)
		xsdt = acpi_le64(raw + 24);
	if (xsdt) {
		e = acpi_walk_root(&c, xsdt, true, info);
		if (info->have & ACPI_HAVE_ROOT)
			return e;
		acpi_note(&c, "XSDT rejected, trying the RSDT");
	}
	if (acpi_le32(raw + 16) == 0) {
		acpi_note(&c, "RSDP: no usable RSDT address");
		return e != ERR_OK ? e : ERR_NOENT;
	}
	r = acpi_walk_root(&c, acpi_le32(raw + 16), false, info);
	return e != ERR_OK ? e : r;
}

err_t acpi_discover(const struct acpi_mem *mem, struct acpi_info *info,
		    char *msg, size_t msglen)
{
	uint64_t rsdp = 0;
	err_t e;

	__builtin_memset(info, 0, sizeof *info);
	info->madt_err = info->srat_err = info->slit_err = ERR_NOENT;
	e = acpi_find_rsdp(mem, &rsdp, msg, msglen);
	if (e != ERR_OK)
		return e;
	return acpi_parse(mem, rsdp, info, msg, msglen);
}

uint32_t acpi_enabled_cpus(const struct acpi_info *info)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < info->ncpus; i++)
		if (info->cpus[i].flags & ACPI_CPU_ENABLED)
			n++;
	return n;
}

err_t acpi_walk_entries(struct acpi_ctx *c, const struct acpi_entry_kind *k,
			uint64_t addr, uint32_t tlen, struct acpi_info *info)
{
	uint8_t e[ACPI_ENTRY_BUF];
	uint32_t off = k->first;

	while (off < tlen) {
		uint32_t at = off;
		uint8_t type, len;
		err_t r;

		r = acpi_entry(c, k->name, addr, tlen, &off, e, sizeof e, &type, &len);
		if (r != ERR_OK)
			return r;
		if (len < k->min_len(type)) {
			acpi_note(c, "%s: entry at offset 0x%x (type %u) has length %u, needs %u",
				  k->name, at, type, len, k->min_len(type));
			return ERR_TRUNC;
		}
		r = k->entry(c, info, at, type, e);
		if (r != ERR_OK)
			return r;
	}
	return ERR_OK;
}
