/*
 * test_acpi_fixture.h: load an ACPI fixture (tools/acpi-dump.py format) and
 * serve it as a struct acpi_mem, for the host tests.
 *
 * Memory model: the captured chunks hold their bytes; any read entirely
 * below 1 MiB that no chunk covers reads as zeros (the legacy area, which a
 * real reader serves too); every other read must lie inside one chunk or it
 * fails with ERR_FAULT, exactly as the kernel's reader fails outside RAM.
 * Chunks are writable so tests can build broken variants.
 */
#ifndef TESTS_UNIT_TEST_ACPI_FIXTURE_H
#define TESTS_UNIT_TEST_ACPI_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <topology/acpi.h>

#define FX_MAX_CHUNKS 32
#define FX_UNUSED __attribute__((unused))	/* not every test uses every helper */
#define FX_LOW_LIMIT  0x100000ull

struct fx_chunk {
	uint64_t addr;
	uint32_t len;
	uint8_t *data;
};

struct fixture {
	int n;
	struct fx_chunk c[FX_MAX_CHUNKS];
	int reads;		/* reader calls, to see the parser's work */
};

static FX_UNUSED int fx_hexval(int ch)
{
	if (ch >= '0' && ch <= '9') return ch - '0';
	if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
	return -1;
}

/* Loads tests/fixtures/acpi/<name>.txt; returns 0 on success. */
static FX_UNUSED int fx_load(struct fixture *fx, const char *name)
{
	char path[256], line[512];
	struct fx_chunk *cur = NULL;
	uint32_t fill = 0;
	FILE *f;

	memset(fx, 0, sizeof *fx);
	snprintf(path, sizeof path, "tests/fixtures/acpi/%s.txt", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		unsigned long long a;
		unsigned l;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "chunk %llx %u", &a, &l) == 2) {
			if (fx->n >= FX_MAX_CHUNKS)
				break;
			cur = &fx->c[fx->n++];
			cur->addr = a;
			cur->len = l;
			cur->data = calloc(1, l ? l : 1);
			fill = 0;
			continue;
		}
		for (char *p = line; cur && p[0] && p[1] && fill < cur->len; p += 2) {
			int hi = fx_hexval(p[0]), lo = fx_hexval(p[1]);

			if (hi < 0 || lo < 0)
				break;
			cur->data[fill++] = (uint8_t)(hi << 4 | lo);
		}
	}
	fclose(f);
	return fx->n ? 0 : -1;
}

static FX_UNUSED void fx_free(struct fixture *fx)
{
	for (int i = 0; i < fx->n; i++)
		free(fx->c[i].data);
	fx->n = 0;
}

static FX_UNUSED err_t fx_read(void *ctx, uint64_t phys, void *dst, size_t len)
{
	struct fixture *fx = ctx;

	fx->reads++;
	if (phys + len <= FX_LOW_LIMIT && phys + len >= phys) {
		memset(dst, 0, len);
		for (int i = 0; i < fx->n; i++) {
			struct fx_chunk *c = &fx->c[i];
			uint64_t lo = phys > c->addr ? phys : c->addr;
			uint64_t hi = phys + len < c->addr + c->len ?
				      phys + len : c->addr + c->len;

			if (lo < hi)
				memcpy((uint8_t *)dst + (lo - phys),
				       c->data + (lo - c->addr), hi - lo);
		}
		return ERR_OK;
	}
	for (int i = 0; i < fx->n; i++) {
		struct fx_chunk *c = &fx->c[i];

		if (phys >= c->addr && len <= c->len &&
		    phys - c->addr <= c->len - len) {
			memcpy(dst, c->data + (phys - c->addr), len);
			return ERR_OK;
		}
	}
	return ERR_FAULT;
}

static FX_UNUSED struct acpi_mem fx_mem(struct fixture *fx)
{
	struct acpi_mem m = { fx_read, fx };

	return m;
}

/* Runs acpi_discover on the fixture as it is now (loaded, maybe edited). */
static FX_UNUSED err_t fx_discover(struct fixture *fx, struct acpi_info *info,
				   char *msg, size_t msglen)
{
	struct acpi_mem m = fx_mem(fx);

	return acpi_discover(&m, info, msg, msglen);
}

/* The chunk holding table `sig` (or "RSD " for the RSDP), or NULL. */
static FX_UNUSED struct fx_chunk *fx_table(struct fixture *fx, const char *sig)
{
	for (int i = 0; i < fx->n; i++)
		if (fx->c[i].len >= 8 && memcmp(fx->c[i].data, sig, 4) == 0)
			return &fx->c[i];
	return NULL;
}

/*
 * Recomputes the checksum byte of a table (offset 9) or RSDP (offset 8).
 * A table's checksum covers the length its header declares (capped at the
 * chunk), as the parser's does, so tests that shorten a table's length
 * field get a table whose only fault is the one they made.
 */
static FX_UNUSED void fx_fix_checksum(struct fx_chunk *c)
{
	int rsdp = memcmp(c->data, "RSD PTR ", 8) == 0;
	uint32_t hlen = c->len >= 8 ? (uint32_t)c->data[4] |
			(uint32_t)c->data[5] << 8 | (uint32_t)c->data[6] << 16 |
			(uint32_t)c->data[7] << 24 : c->len;
	uint32_t len = rsdp ? 20 : hlen < c->len ? hlen : c->len;
	uint8_t *sum = &c->data[rsdp ? 8 : 9];
	uint8_t s = 0;

	*sum = 0;
	for (uint32_t i = 0; i < len; i++)
		s = (uint8_t)(s + c->data[i]);
	*sum = (uint8_t)-s;
}

/* Replaces a chunk's bytes with a copy of len bytes (grown or shrunk). */
static FX_UNUSED void fx_resize(struct fx_chunk *c, uint32_t len)
{
	uint8_t *d = calloc(1, len ? len : 1);

	memcpy(d, c->data, len < c->len ? len : c->len);
	free(c->data);
	c->data = d;
	c->len = len;
}

static FX_UNUSED uint32_t fx_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static FX_UNUSED void fx_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

#endif
