/*
 * acpi_slit.c: the System Locality Information Table ("SLIT").
 *
 * Layout: the 36-byte header, the number of localities N (u64), then an
 * N x N byte matrix, row i giving the relative distance from locality i to
 * every locality.  Valid tables have N <= ACPI_MAX_DOMAINS, 10 on the
 * diagonal and values >= 10 elsewhere (255 means unreachable).
 */
#include "acpi_internal.h"

#define SLIT_FIXED_LEN  44u
#define SLIT_LOCAL      10u

static err_t slit_row(struct acpi_ctx *c, uint64_t addr, uint32_t n,
		      uint32_t i, uint8_t *row)
{
	err_t e = acpi_read(c, addr + SLIT_FIXED_LEN + (uint64_t)i * n, row, n);

	if (e != ERR_OK) {
		acpi_note(c, "SLIT: row %u is not readable", i);
		return e;
	}
	for (uint32_t j = 0; j < n; j++) {
		if (i == j && row[j] != SLIT_LOCAL) {
			acpi_note(c, "SLIT: entry [%u][%u] = %u, must be 10", i, j,
				  row[j]);
			return ERR_RANGE;
		}
		if (row[j] < SLIT_LOCAL) {
			acpi_note(c, "SLIT: entry [%u][%u] = %u is below 10", i, j,
				  row[j]);
			return ERR_RANGE;
		}
	}
	return ERR_OK;
}

static err_t slit_matrix(struct acpi_ctx *c, uint64_t addr, uint32_t tlen,
			 struct acpi_info *info)
{
	uint8_t cnt[8];
	uint64_t n;
	err_t e;

	e = acpi_read(c, addr + ACPI_HDR_LEN, cnt, sizeof cnt);
	if (e != ERR_OK)
		return e;
	n = acpi_le64(cnt);
	if (n == 0 || n > ACPI_MAX_DOMAINS) {
		acpi_note(c, "SLIT: locality count %llu is not in 1..%u",
			  (unsigned long long)n, ACPI_MAX_DOMAINS);
		return n ? ERR_TOOBIG : ERR_INVAL;
	}
	if (tlen < SLIT_FIXED_LEN + n * n) {
		acpi_note(c, "SLIT: length %u is too short for %llu localities (needs %llu)",
			  tlen, (unsigned long long)n,
			  (unsigned long long)(SLIT_FIXED_LEN + n * n));
		return ERR_TRUNC;
	}
	for (uint32_t i = 0; i < n; i++) {
		e = slit_row(c, addr, (uint32_t)n, i, info->slit[i]);
		if (e != ERR_OK)
			return e;
	}
	info->slit_n = (uint32_t)n;
	return ERR_OK;
}

err_t acpi_parse_slit(struct acpi_ctx *c, uint64_t addr, struct acpi_info *info)
{
	struct acpi_hdr hdr;
	err_t e;

	e = acpi_table_check(c, "SLIT", "SLIT", addr, SLIT_FIXED_LEN, &hdr);
	if (e == ERR_OK)
		e = slit_matrix(c, addr, hdr.len, info);
	if (e != ERR_OK) {
		info->slit_n = 0;
		__builtin_memset(info->slit, 0, sizeof info->slit);
		return e;
	}
	info->have |= ACPI_HAVE_SLIT;
	return ERR_OK;
}
