/*
 * test_acpi: the ACPI parser on tables captured from QEMU 7.2 (see
 * tests/fixtures/acpi/, made by tools/acpi-dump.py) and on broken variants
 * built from them.  Expected values come from the QEMU command line of each
 * fixture (-smp, sockets/cores/threads, -numa), not from parser output.
 */
#define TEST_PROGRAM "acpi"
#include "test.h"
#include "test_acpi_fixture.h"

#include <topology/acpi.h>

static struct acpi_info info;
static char msg[512];

/* APIC id QEMU gives to (pkg, core, thread): fields of ceil(log2(n)) bits. */
static uint32_t bits(uint32_t n)
{
	uint32_t b = 0;

	while ((1u << b) < n)
		b++;
	return b;
}

static uint32_t qemu_apic(uint32_t pkg, uint32_t core, uint32_t thr,
			  uint32_t cores, uint32_t threads)
{
	return pkg << (bits(cores) + bits(threads)) | core << bits(threads) | thr;
}

/* Loads a fixture and runs acpi_discover on it. */
static err_t rediscover(struct fixture *fx)
{
	return fx_discover(fx, &info, msg, sizeof msg);
}

static err_t discover(struct fixture *fx, const char *name)
{
	if (fx_load(fx, name) != 0) {
		CHECK(!"fixture missing (run from the repository root)");
		return ERR_NOENT;
	}
	return rediscover(fx);
}

/* Checks that the enabled cpus are exactly those of a QEMU -smp config. */
static void check_smp(uint32_t pkgs, uint32_t cores, uint32_t threads)
{
	uint32_t i = 0;

	CHECK(info.have & ACPI_HAVE_MADT);
	CHECK_EQ(info.ncpus, pkgs * cores * threads);
	CHECK_EQ(acpi_enabled_cpus(&info), pkgs * cores * threads);
	for (uint32_t p = 0; p < pkgs; p++)
		for (uint32_t c = 0; c < cores; c++)
			for (uint32_t t = 0; t < threads; t++, i++)
				if (i < info.ncpus)
					CHECK_EQ(info.cpus[i].apic_id,
						 qemu_apic(p, c, t, cores, threads));
	CHECK_EQ(info.lapic_addr, 0xfee00000u);
	CHECK(info.nioapics >= 1);
	CHECK_EQ(info.ioapics[0].addr, 0xfec00000u);
}

static void check_clean(err_t e)
{
	CHECK_EQ(e, ERR_OK);
	CHECK_STR(msg, "");
	CHECK(info.have & ACPI_HAVE_ROOT);
	CHECK(!info.root_is_xsdt);
}

static void t_smp1(void)
{
	struct fixture fx;

	check_clean(discover(&fx, "smp1"));
	check_smp(1, 1, 1);
	CHECK_EQ(info.srat_err, ERR_NOENT);
	CHECK_EQ(info.slit_err, ERR_NOENT);
	CHECK_EQ(info.slit_n, 0);
	fx_free(&fx);
}

static void t_smp4(void)
{
	struct fixture fx;

	check_clean(discover(&fx, "smp4"));
	check_smp(1, 4, 1);
	CHECK_EQ(info.rsdp_addr, fx_table(&fx, "RSD ")->addr);
	fx_free(&fx);
}

static void t_smp16(void)
{
	struct fixture fx;

	check_clean(discover(&fx, "smp16"));
	check_smp(1, 16, 1);
	fx_free(&fx);
}

static void t_s2c2t2(void)
{
	struct fixture fx;

	check_clean(discover(&fx, "smp8-s2c2t2"));
	check_smp(2, 2, 2);
	fx_free(&fx);
}

static void t_c3t2(void)
{
	struct fixture fx;

	check_clean(discover(&fx, "smp6-c3t2"));
	check_smp(1, 3, 2);
	fx_free(&fx);
}

static void t_s2c3t2_gaps(void)
{
	struct fixture fx;

	check_clean(discover(&fx, "smp12-s2c3t2"));
	check_smp(2, 3, 2);		/* APIC ids 0-5 and 8-13 */
	fx_free(&fx);
}

static void t_pc_machine(void)
{
	struct fixture fx;

	check_clean(discover(&fx, "pc-smp2"));
	check_smp(1, 2, 1);
	fx_free(&fx);
}

/* -smp 4,sockets=2,cores=2 -m 1G, nodes 0 (cpus 0-1, 512M) and 1, dist 21 */
static void t_numa2(void)
{
	uint64_t total[2] = { 0, 0 };
	struct fixture fx;

	check_clean(discover(&fx, "numa2"));
	check_smp(2, 2, 1);
	CHECK(info.have & ACPI_HAVE_SRAT);
	CHECK_EQ(info.ncpu_aff, 4);
	for (uint32_t i = 0; i < info.ncpu_aff; i++)
		CHECK_EQ(info.cpu_aff[i].domain, info.cpu_aff[i].apic_id / 2);
	CHECK(info.nmem >= 2);
	for (uint32_t i = 0; i < info.nmem; i++) {
		const struct acpi_mem_aff *m = &info.mem[i];

		CHECK(m->domain < 2);
		if (m->domain > 1)
			break;
		total[m->domain] += m->len;
		CHECK(m->base + m->len <= (m->domain + 1) * 0x20000000ull);
		CHECK(m->base >= m->domain * 0x20000000ull);
	}
	/* node 0 loses the 640K-1M hole */
	CHECK_EQ(total[0], 0x20000000ull - 0x60000);
	CHECK_EQ(total[1], 0x20000000ull);
	CHECK(info.have & ACPI_HAVE_SLIT);
	CHECK_EQ(info.slit_n, 2);
	CHECK_EQ(info.slit[0][0], 10);
	CHECK_EQ(info.slit[0][1], 21);
	CHECK_EQ(info.slit[1][0], 21);
	CHECK_EQ(info.slit[1][1], 10);
	fx_free(&fx);
}

/* ---- broken variants ---- */

static void t_bad_rsdp_checksum(void)
{
	struct fixture fx;

	discover(&fx, "smp4");
	fx_table(&fx, "RSD ")->data[10] ^= 0x40;	/* OEM id */
	CHECK_EQ(rediscover(&fx), ERR_NOENT);
	CHECK(strstr(msg, "RSDP: no valid") != NULL);
	CHECK(strstr(msg, "1 candidates rejected") != NULL);
	CHECK_EQ(info.have, 0);
	fx_free(&fx);
}

static void t_bad_rsdp_parse(void)
{
	struct fixture fx;
	struct acpi_mem m;

	discover(&fx, "smp4");
	m = fx_mem(&fx);
	CHECK_EQ(acpi_parse(&m, 0xe0000, &info, msg, sizeof msg), ERR_BADMAGIC);
	CHECK(strstr(msg, "RSDP: structure at 0xe0000 is invalid") != NULL);
	CHECK_EQ(acpi_parse(&m, 0xfffffffffffffff0ull, &info, msg, sizeof msg),
		 ERR_FAULT);
	CHECK_EQ(info.have, 0);
	fx_free(&fx);
}

static err_t fail_all(void *ctx, uint64_t phys, void *dst, size_t len)
{
	(void)ctx; (void)phys; (void)dst; (void)len;
	return ERR_FAULT;
}

static void t_no_memory(void)
{
	struct acpi_mem m = { fail_all, NULL };

	CHECK_EQ(acpi_discover(&m, &info, msg, sizeof msg), ERR_NOENT);
	CHECK(strstr(msg, "512 blocks unreadable") != NULL);
	CHECK_EQ(info.have, 0);
	CHECK_EQ(info.madt_err, ERR_NOENT);
}

static void t_rsdt_bad_checksum(void)
{
	struct fixture fx;

	discover(&fx, "smp4");
	fx_table(&fx, "RSDT")->data[20]++;
	CHECK_EQ(rediscover(&fx), ERR_CHECKSUM);
	CHECK(strstr(msg, "RSDT: checksum mismatch") != NULL);
	CHECK_EQ(info.have, 0);
	CHECK_EQ(info.ncpus, 0);
	fx_free(&fx);
}

/* RSDT entry i points to addr. */
static void set_rsdt_entry(struct fixture *fx, uint32_t i, uint32_t addr)
{
	struct fx_chunk *r = fx_table(fx, "RSDT");

	fx_put32(r->data + 36 + 4 * i, addr);
	fx_fix_checksum(r);
}

/* Index of the RSDT entry pointing at table sig. */
static uint32_t rsdt_index(struct fixture *fx, const char *sig)
{
	struct fx_chunk *r = fx_table(fx, "RSDT");
	struct fx_chunk *t = fx_table(fx, sig);

	for (uint32_t i = 0; t && 36 + 4 * i < r->len; i++)
		if (fx_le32(r->data + 36 + 4 * i) == t->addr)
			return i;
	CHECK(!"table not in RSDT");
	return 0;
}

static void t_rsdt_wild_pointer(void)
{
	struct fixture fx;

	discover(&fx, "smp4");
	set_rsdt_entry(&fx, rsdt_index(&fx, "HPET"), 0xdead0000);
	CHECK_EQ(rediscover(&fx), ERR_FAULT);
	CHECK(strstr(msg, "RSDT: entry points to unreadable address 0xdead0000"));
	check_smp(1, 4, 1);			/* the MADT still counts */
	fx_free(&fx);
}

static void t_rsdt_partial_entry(void)
{
	struct fixture fx;
	struct fx_chunk *r;

	discover(&fx, "smp4");
	r = fx_table(&fx, "RSDT");
	fx_put32(r->data + 4, r->len - 2);
	fx_fix_checksum(r);
	CHECK_EQ(rediscover(&fx), ERR_TRUNC);
	CHECK(strstr(msg, "RSDT: length 54 leaves a partial 4-byte entry"));
	fx_free(&fx);
}

static void expect_madt(err_t want, const char *text)
{
	CHECK_EQ(info.madt_err, want);
	CHECK(strstr(msg, text) != NULL);
	CHECK(!(info.have & ACPI_HAVE_MADT));
	CHECK_EQ(info.ncpus, 0);
	CHECK_EQ(info.nioapics, 0);
	CHECK(info.have & ACPI_HAVE_ROOT);
}

static void t_madt_bad_checksum(void)
{
	struct fixture fx;

	discover(&fx, "smp4");
	fx_table(&fx, "APIC")->data[50] ^= 1;
	CHECK_EQ(rediscover(&fx), ERR_CHECKSUM);
	expect_madt(ERR_CHECKSUM, "MADT: checksum mismatch");
	fx_free(&fx);
}

static void t_madt_zero_length_entry(void)
{
	struct fixture fx;
	struct fx_chunk *t;

	discover(&fx, "smp4");
	t = fx_table(&fx, "APIC");
	t->data[44 + 8 + 1] = 0;		/* second entry */
	fx_fix_checksum(t);
	CHECK_EQ(rediscover(&fx), ERR_INVAL);
	expect_madt(ERR_INVAL, "MADT: entry at offset 0x34 has length 0");
	fx_free(&fx);
}

static void t_madt_short_entry(void)
{
	struct fixture fx;
	struct fx_chunk *t;

	discover(&fx, "smp4");
	t = fx_table(&fx, "APIC");
	t->data[44 + 1] = 4;			/* a local APIC entry needs 8 */
	fx_fix_checksum(t);
	CHECK_EQ(rediscover(&fx), ERR_TRUNC);
	expect_madt(ERR_TRUNC, "MADT: entry at offset 0x2c (type 0) has length 4, needs 8");
	fx_free(&fx);
}

static void t_madt_entry_past_end(void)
{
	struct fixture fx;
	struct fx_chunk *t;

	discover(&fx, "smp4");
	t = fx_table(&fx, "APIC");
	fx_put32(t->data + 4, t->len - 3);	/* last entry now crosses the end */
	fx_fix_checksum(t);
	CHECK_EQ(rediscover(&fx), ERR_TRUNC);
	expect_madt(ERR_TRUNC, "past the table end");
	fx_free(&fx);
}

static void t_madt_truncated(void)
{
	struct fixture fx;
	struct fx_chunk *t;

	discover(&fx, "smp4");
	t = fx_table(&fx, "APIC");
	fx_resize(t, 100);			/* header still says 144 */
	CHECK_EQ(rediscover(&fx), ERR_TRUNC);
	expect_madt(ERR_TRUNC, "MADT: length 144 runs past readable memory at offset 0x40");
	fx_free(&fx);
}

static void t_madt_length_too_small(void)
{
	struct fixture fx;
	struct fx_chunk *t;

	discover(&fx, "smp4");
	t = fx_table(&fx, "APIC");
	fx_put32(t->data + 4, 40);
	fx_fix_checksum(t);
	CHECK_EQ(rediscover(&fx), ERR_TRUNC);
	expect_madt(ERR_TRUNC, "MADT: length 40 is less than the minimum 44");
	fx_free(&fx);
}

static void t_madt_length_huge(void)
{
	struct fixture fx;
	struct fx_chunk *t;

	discover(&fx, "smp4");
	t = fx_table(&fx, "APIC");
	fx_put32(t->data + 4, 0xffffffffu);
	CHECK_EQ(rediscover(&fx), ERR_TOOBIG);
	expect_madt(ERR_TOOBIG, "MADT: length 4294967295 exceeds the limit");
	fx_free(&fx);
}

static void t_madt_duplicate_apic(void)
{
	struct fixture fx;
	struct fx_chunk *t;

	discover(&fx, "smp4");
	t = fx_table(&fx, "APIC");
	CHECK_EQ(t->data[44 + 8], 0);		/* second entry: local APIC */
	t->data[44 + 8 + 3] = 0;		/* APIC id 1 -> 0 */
	fx_fix_checksum(t);
	CHECK_EQ(rediscover(&fx), ERR_EXIST);
	expect_madt(ERR_EXIST, "MADT: entry at offset 0x34 repeats APIC id 0");
	fx_free(&fx);
}

/* Builds a MADT at addr with n entries made by fill() and links it. */
static void build_madt(struct fixture *fx, uint64_t addr, uint32_t n,
		       uint32_t elen, void (*fill)(uint8_t *e, uint32_t i))
{
	struct fx_chunk *c = &fx->c[fx->n++];
	uint32_t len = 44 + n * elen;

	c->addr = addr;
	c->len = len;
	c->data = calloc(1, len);
	memcpy(c->data, "APIC", 4);
	fx_put32(c->data + 4, len);
	c->data[8] = 3;
	fx_put32(c->data + 36, 0xfee00000u);
	for (uint32_t i = 0; i < n; i++)
		fill(c->data + 44 + i * elen, i);
	fx_fix_checksum(c);
	set_rsdt_entry(fx, rsdt_index(fx, "APIC"), (uint32_t)addr);
	fx_table(fx, "APIC")->data[0] = 'X';	/* retire the original */
}

static void fill_lapic(uint8_t *e, uint32_t i)
{
	e[0] = 0;
	e[1] = 8;
	e[2] = (uint8_t)i;
	e[3] = (uint8_t)i;
	e[4] = 1;
}

static void t_madt_too_many_cpus(void)
{
	struct fixture fx;

	discover(&fx, "smp4");
	build_madt(&fx, 0x7000000, 300, 8, fill_lapic);
	CHECK_EQ(rediscover(&fx), ERR_TOOBIG);
	expect_madt(ERR_TOOBIG, "MADT: entry at offset 0x82c exceeds the limit of 256 processors");
	fx_free(&fx);
}

static void t_madt_255_cpus(void)
{
	struct fixture fx;

	discover(&fx, "smp4");
	build_madt(&fx, 0x7000000, 255, 8, fill_lapic);
	CHECK_EQ(rediscover(&fx), ERR_OK);
	CHECK_EQ(info.ncpus, 255);
	CHECK_EQ(acpi_enabled_cpus(&info), 255);
	CHECK_EQ(info.cpus[254].apic_id, 254);
	fx_free(&fx);
}

/* x2APIC entries: ids above 255, enabled / online-capable / neither. */
static void fill_x2apic(uint8_t *e, uint32_t i)
{
	e[0] = 9;
	e[1] = 16;
	fx_put32(e + 4, 300 + i);
	fx_put32(e + 8, i == 0 ? 1 : i == 1 ? 2 : 0);
	fx_put32(e + 12, 1000 + i);
}

static void t_madt_x2apic(void)
{
	struct fixture fx;

	discover(&fx, "smp4");
	build_madt(&fx, 0x7000000, 3, 16, fill_x2apic);
	CHECK_EQ(rediscover(&fx), ERR_OK);
	CHECK_EQ(info.ncpus, 3);
	CHECK_EQ(info.cpus[0].apic_id, 300);
	CHECK_EQ(info.cpus[0].uid, 1000);
	CHECK_EQ(info.cpus[0].flags, ACPI_CPU_ENABLED | ACPI_CPU_X2APIC);
	CHECK_EQ(info.cpus[1].flags, ACPI_CPU_ONLINE_CAPABLE | ACPI_CPU_X2APIC);
	CHECK_EQ(info.cpus[2].flags, ACPI_CPU_X2APIC);
	CHECK_EQ(acpi_enabled_cpus(&info), 1);
	fx_free(&fx);
}

static void expect_srat(err_t want, const char *text)
{
	CHECK_EQ(info.srat_err, want);
	CHECK(strstr(msg, text) != NULL);
	CHECK(!(info.have & ACPI_HAVE_SRAT));
	CHECK_EQ(info.ncpu_aff, 0);
	CHECK_EQ(info.nmem, 0);
	check_smp(2, 2, 1);			/* MADT unaffected */
	CHECK(info.have & ACPI_HAVE_SLIT);	/* and so is the SLIT */
}

static void t_srat_bad_domain(void)
{
	struct fixture fx;
	struct fx_chunk *t;

	discover(&fx, "numa2");
	t = fx_table(&fx, "SRAT");
	CHECK_EQ(t->data[48], 0);		/* processor affinity */
	t->data[48 + 11] = 1;			/* domain bits 24-31 */
	fx_fix_checksum(t);
	CHECK_EQ(rediscover(&fx), ERR_RANGE);
	expect_srat(ERR_RANGE, "SRAT: entry at offset 0x30 has proximity domain 16777216");
	fx_free(&fx);
}

static void t_srat_zero_length_entry(void)
{
	struct fixture fx;
	struct fx_chunk *t;

	discover(&fx, "numa2");
	t = fx_table(&fx, "SRAT");
	t->data[48 + 16 + 1] = 0;
	fx_fix_checksum(t);
	CHECK_EQ(rediscover(&fx), ERR_INVAL);
	expect_srat(ERR_INVAL, "SRAT: entry at offset 0x40 has length 0");
	fx_free(&fx);
}

/* The first memory affinity entry of the numa2 SRAT. */
static uint8_t *srat_first_mem(struct fx_chunk *t)
{
	for (uint32_t off = 48; off + 2 <= t->len && t->data[off + 1];
	     off += t->data[off + 1])
		if (t->data[off] == 1)
			return t->data + off;
	CHECK(!"no memory affinity entry");
	return t->data;
}

static void t_srat_memory_wraps(void)
{
	struct fixture fx;
	struct fx_chunk *t;
	uint8_t *m;

	discover(&fx, "numa2");
	t = fx_table(&fx, "SRAT");
	m = srat_first_mem(t);
	fx_put32(m + 12, 0xffffffffu);		/* base high */
	fx_put32(m + 16, 0x10000000u);
	fx_put32(m + 20, 0xffffffffu);		/* length high */
	fx_fix_checksum(t);
	CHECK_EQ(rediscover(&fx), ERR_RANGE);
	expect_srat(ERR_RANGE, "wraps around");
	fx_free(&fx);
}

/* The first memory range grown over the others: refused, both ranges named. */
static void t_srat_memory_overlaps(void)
{
	struct fixture fx;
	struct fx_chunk *t;
	uint8_t *m;

	discover(&fx, "numa2");
	CHECK(info.nmem >= 2);
	t = fx_table(&fx, "SRAT");
	m = srat_first_mem(t);
	fx_put32(m + 16, 0);			/* length 4 GiB */
	fx_put32(m + 20, 1);
	fx_fix_checksum(t);
	CHECK_EQ(rediscover(&fx), ERR_EXIST);
	expect_srat(ERR_EXIST, "SRAT: memory ranges 0x0-0xffffffff (domain 0) and 0x");
	CHECK(strstr(msg, "overlap") != NULL);
	fx_free(&fx);
}

static void t_srat_disabled_memory_skipped(void)
{
	struct fixture fx;
	struct fx_chunk *t;
	uint32_t before;

	discover(&fx, "numa2");
	before = info.nmem;
	t = fx_table(&fx, "SRAT");
	srat_first_mem(t)[28] &= (uint8_t)~1;	/* clear enabled */
	fx_fix_checksum(t);
	CHECK_EQ(rediscover(&fx), ERR_OK);
	CHECK_EQ(info.nmem, before - 1);
	fx_free(&fx);
}

static void expect_slit(err_t want, const char *text)
{
	CHECK_EQ(info.slit_err, want);
	CHECK(strstr(msg, text) != NULL);
	CHECK(!(info.have & ACPI_HAVE_SLIT));
	CHECK_EQ(info.slit_n, 0);
	CHECK(info.have & ACPI_HAVE_SRAT);
	CHECK_EQ(info.ncpu_aff, 4);
}

static void t_slit_bad_diagonal(void)
{
	struct fixture fx;
	struct fx_chunk *t;

	discover(&fx, "numa2");
	t = fx_table(&fx, "SLIT");
	t->data[44 + 3] = 20;			/* [1][1] */
	fx_fix_checksum(t);
	CHECK_EQ(rediscover(&fx), ERR_RANGE);
	expect_slit(ERR_RANGE, "SLIT: entry [1][1] = 20, must be 10");
	fx_free(&fx);
}

static void t_slit_below_ten(void)
{
	struct fixture fx;
	struct fx_chunk *t;

	discover(&fx, "numa2");
	t = fx_table(&fx, "SLIT");
	t->data[44 + 1] = 3;
	fx_fix_checksum(t);
	CHECK_EQ(rediscover(&fx), ERR_RANGE);
	expect_slit(ERR_RANGE, "SLIT: entry [0][1] = 3 is below 10");
	fx_free(&fx);
}

static void t_slit_huge_count(void)
{
	struct fixture fx;
	struct fx_chunk *t;

	discover(&fx, "numa2");
	t = fx_table(&fx, "SLIT");
	fx_put32(t->data + 36, 1000);
	fx_fix_checksum(t);
	CHECK_EQ(rediscover(&fx), ERR_TOOBIG);
	expect_slit(ERR_TOOBIG, "SLIT: locality count 1000 is not in 1..64");
	t->data[36] = 0; t->data[37] = 0; t->data[40] = 1;	/* 2^32 */
	fx_fix_checksum(t);
	CHECK_EQ(rediscover(&fx), ERR_TOOBIG);
	expect_slit(ERR_TOOBIG, "SLIT: locality count 4294967296");
	fx_free(&fx);
}

static void t_slit_short_for_count(void)
{
	struct fixture fx;
	struct fx_chunk *t;

	discover(&fx, "numa2");
	t = fx_table(&fx, "SLIT");
	t->data[36] = 3;			/* needs 44 + 9 bytes, has 48 */
	fx_fix_checksum(t);
	CHECK_EQ(rediscover(&fx), ERR_TRUNC);
	expect_slit(ERR_TRUNC, "SLIT: length 48 is too short for 3 localities (needs 53)");
	fx_free(&fx);
}

static void t_several_problems_reported(void)
{
	struct fixture fx;
	struct fx_chunk *t;

	discover(&fx, "numa2");
	fx_table(&fx, "APIC")->data[60] ^= 1;
	t = fx_table(&fx, "SLIT");
	t->data[44] = 11;
	fx_fix_checksum(t);
	CHECK_EQ(rediscover(&fx), ERR_CHECKSUM);	/* the first */
	CHECK(strstr(msg, "MADT: checksum mismatch") != NULL);
	CHECK(strstr(msg, "; SLIT: entry [0][0] = 11, must be 10") != NULL);
	CHECK(info.have & ACPI_HAVE_SRAT);
	fx_free(&fx);
}

static void t_small_message_buffer(void)
{
	struct fixture fx;
	struct acpi_mem m;
	char small[8];

	discover(&fx, "smp4");
	fx_table(&fx, "APIC")->data[50] ^= 1;
	m = fx_mem(&fx);
	memset(small, 'x', sizeof small);
	CHECK_EQ(acpi_discover(&m, &info, small, sizeof small), ERR_CHECKSUM);
	CHECK_EQ(small[sizeof small - 1], 0);
	CHECK_EQ(acpi_discover(&m, &info, NULL, 0), ERR_CHECKSUM);
	fx_free(&fx);
}

/* Turns the fixture's RSDP into revision 2 with an XSDT listing the tables. */
static void make_xsdt(struct fixture *fx, uint64_t xaddr)
{
	struct fx_chunk *rsdp = fx_table(fx, "RSD ");
	struct fx_chunk *rsdt = fx_table(fx, "RSDT");
	struct fx_chunk *x = &fx->c[fx->n++];
	uint32_t n = (rsdt->len - 36) / 4;
	uint8_t s = 0;

	x->addr = xaddr;
	x->len = 36 + 8 * n;
	x->data = calloc(1, x->len);
	memcpy(x->data, rsdt->data, 36);
	memcpy(x->data, "XSDT", 4);
	fx_put32(x->data + 4, x->len);
	for (uint32_t i = 0; i < n; i++)
		fx_put32(x->data + 36 + 8 * i, fx_le32(rsdt->data + 36 + 4 * i));
	fx_fix_checksum(x);
	fx_resize(rsdp, 36);
	rsdp->data[15] = 2;
	fx_put32(rsdp->data + 20, 36);
	fx_put32(rsdp->data + 24, (uint32_t)xaddr);
	fx_put32(rsdp->data + 28, (uint32_t)(xaddr >> 32));
	fx_fix_checksum(rsdp);
	rsdp->data[32] = 0;
	for (int i = 0; i < 36; i++)
		s = (uint8_t)(s + rsdp->data[i]);
	rsdp->data[32] = (uint8_t)-s;
}

static void t_xsdt(void)
{
	struct fixture fx;

	discover(&fx, "numa2");
	make_xsdt(&fx, 0x123400000ull);
	CHECK_EQ(rediscover(&fx), ERR_OK);
	CHECK_EQ(info.revision, 2);
	CHECK(info.root_is_xsdt);
	CHECK_EQ(info.root_addr, 0x123400000ull);
	check_smp(2, 2, 1);
	CHECK_EQ(info.slit_n, 2);
	fx_free(&fx);
}

static void t_xsdt_broken_falls_back_to_rsdt(void)
{
	struct fixture fx;

	discover(&fx, "smp4");
	make_xsdt(&fx, 0x123400000ull);
	fx_table(&fx, "XSDT")->data[40] ^= 0xff;
	CHECK_EQ(rediscover(&fx), ERR_CHECKSUM);
	CHECK(strstr(msg, "XSDT: checksum mismatch (bytes sum to 0x"));
	CHECK(strstr(msg, "; XSDT rejected, trying the RSDT"));
	CHECK(!info.root_is_xsdt);
	check_smp(1, 4, 1);
	fx_free(&fx);
}

static void t_rsdp_v2_bad_extended_checksum(void)
{
	struct fixture fx;

	discover(&fx, "smp4");
	make_xsdt(&fx, 0x123400000ull);
	fx_table(&fx, "RSD ")->data[33] ^= 1;	/* reserved, ext. checksum only */
	CHECK_EQ(rediscover(&fx), ERR_NOENT);
	CHECK(strstr(msg, "RSDP: no valid") != NULL);
	fx_free(&fx);
}

int main(void)
{
	RUN(t_smp1);
	RUN(t_smp4);
	RUN(t_smp16);
	RUN(t_s2c2t2);
	RUN(t_c3t2);
	RUN(t_s2c3t2_gaps);
	RUN(t_pc_machine);
	RUN(t_numa2);
	RUN(t_bad_rsdp_checksum);
	RUN(t_bad_rsdp_parse);
	RUN(t_no_memory);
	RUN(t_rsdt_bad_checksum);
	RUN(t_rsdt_wild_pointer);
	RUN(t_rsdt_partial_entry);
	RUN(t_madt_bad_checksum);
	RUN(t_madt_zero_length_entry);
	RUN(t_madt_short_entry);
	RUN(t_madt_entry_past_end);
	RUN(t_madt_truncated);
	RUN(t_madt_length_too_small);
	RUN(t_madt_length_huge);
	RUN(t_madt_duplicate_apic);
	RUN(t_madt_too_many_cpus);
	RUN(t_madt_255_cpus);
	RUN(t_madt_x2apic);
	RUN(t_srat_bad_domain);
	RUN(t_srat_zero_length_entry);
	RUN(t_srat_memory_wraps);
	RUN(t_srat_memory_overlaps);
	RUN(t_srat_disabled_memory_skipped);
	RUN(t_slit_bad_diagonal);
	RUN(t_slit_below_ten);
	RUN(t_slit_huge_count);
	RUN(t_slit_short_for_count);
	RUN(t_several_problems_reported);
	RUN(t_small_message_buffer);
	RUN(t_xsdt);
	RUN(t_xsdt_broken_falls_back_to_rsdt);
	RUN(t_rsdp_v2_bad_extended_checksum);
	return test_summary();
}
