/*
 * acpi_internal: helpers shared by the ACPI parser's files (acpi.c,
 * acpi_madt.c, acpi_srat.c, acpi_slit.c).  Not part of the public API.
 *
 * Every table is fetched through acpi_read(), which refuses address
 * overflow before calling the caller's reader.  acpi_table_check() is the
 * one place that validates a table's header (signature, length bounds,
 * checksum); acpi_entry() the one place that validates a sub-table entry's
 * framing (length non-zero, at least its minimum size, inside the table).
 */
#ifndef TOPOLOGY_ACPI_INTERNAL_H
#define TOPOLOGY_ACPI_INTERNAL_H

#include <topology/acpi.h>

#define ACPI_HDR_LEN 36u

struct acpi_ctx {
	const struct acpi_mem *mem;
	char *msg;
	size_t msglen;
};

/* The standard 36-byte System Description Table header, decoded. */
struct acpi_hdr {
	char sig[5];
	uint32_t len;
	uint8_t rev;
};

static inline uint16_t acpi_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static inline uint32_t acpi_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t acpi_le64(const uint8_t *p)
{
	return (uint64_t)acpi_le32(p) | (uint64_t)acpi_le32(p + 4) << 32;
}

/* Appends one sentence to the caller's message buffer ("; " between). */
void acpi_note(struct acpi_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reads len bytes at phys; ERR_FAULT if phys + len overflows. */
err_t acpi_read(const struct acpi_ctx *c, uint64_t phys, void *dst, size_t len);

/*
 * Reads and validates the table at addr (called `name` in messages):
 * readable, signature equal to sig, min_len <= length <= ACPI_MAX_TABLE_LEN, every
 * byte readable and the checksum zero.  Notes the problem and returns an
 * error otherwise.
 */
err_t acpi_table_check(struct acpi_ctx *c, const char *name, const char *sig,
		       uint64_t addr, uint32_t min_len, struct acpi_hdr *hdr);

/*
 * Reads the entry at offset *off of a table of tlen bytes at addr: its type
 * and length, and up to bufsize of its bytes into buf (zero-filled beyond the
 * entry).  Checks length >= 2 and off + length <= tlen, then advances *off.
 * min_len(type) is checked by the caller, which knows the types.
 */
err_t acpi_entry(struct acpi_ctx *c, const char *name, uint64_t addr,
		 uint32_t tlen, uint32_t *off, uint8_t *buf, size_t bufsize,
		 uint8_t *type, uint8_t *len);

/* How to walk the entries of one table kind (MADT, SRAT). */
#define ACPI_ENTRY_BUF 40u	/* bytes of an entry handed to `entry`: the largest known */
struct acpi_entry_kind {
	const char *name;	/* "MADT" */
	uint32_t first;		/* offset of the first entry */
	uint8_t (*min_len)(uint8_t type);
	/* Records one entry whose framing and minimum length were checked. */
	err_t (*entry)(struct acpi_ctx *c, struct acpi_info *info, uint32_t off,
		       uint8_t type, const uint8_t *e);
};

/*
 * Walks every entry of the table of tlen bytes at addr: acpi_entry() for the
 * framing, min_len(type) (a sentence naming the table, offset, type and
 * lengths when short), then entry().  Stops at the first error.
 */
err_t acpi_walk_entries(struct acpi_ctx *c, const struct acpi_entry_kind *k,
			uint64_t addr, uint32_t tlen, struct acpi_info *info);

err_t acpi_parse_madt(struct acpi_ctx *c, uint64_t addr, struct acpi_info *info);
err_t acpi_parse_srat(struct acpi_ctx *c, uint64_t addr, struct acpi_info *info);
err_t acpi_parse_slit(struct acpi_ctx *c, uint64_t addr, struct acpi_info *info);

#endif
