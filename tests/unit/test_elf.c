/*
 * Host tests for lib/elf.c.
 *
 * Two kinds of input: a small executable assembled here field by field
 * (so that each test can break exactly one field and expect the sentence
 * naming it), and a real static executable that gcc links at build time
 * (ELF_SAMPLE, see lib/lib.mk), whose header and segments are corrupted
 * one at a time and bit by bit.
 */
#define TEST_PROGRAM "elf"
#include "test.h"
#include <lib/elf.h>
#include <stdint.h>
#include <stdlib.h>

#define IMG_SIZE 0x2100
#define PH(i) (ELF_EHDR_SIZE + (i) * ELF_PHDR_SIZE)

static uint8_t img[IMG_SIZE + 64 * ELF_PHDR_SIZE];
static size_t img_len;
static struct elf_limits lim;
static struct elf_plan plan;
static char why[200];

static void put(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = bytes; i-- > 0;)
		v = (v << 8) | p[i];
	return v;
}

static void set_ph(unsigned i, size_t field, uint64_t v)
{
	unsigned bytes = field == ELF_P_TYPE || field == ELF_P_FLAGS ? 4 : 8;
	put(img + PH(i) + field, v, bytes);
}

static void set_load(unsigned i, uint32_t flags, uint64_t off, uint64_t vaddr,
		     uint64_t filesz, uint64_t memsz)
{
	set_ph(i, ELF_P_TYPE, ELF_PT_LOAD);
	set_ph(i, ELF_P_FLAGS, flags);
	set_ph(i, ELF_P_OFFSET, off);
	set_ph(i, ELF_P_VADDR, vaddr);
	set_ph(i, ELF_P_FILESZ, filesz);
	set_ph(i, ELF_P_MEMSZ, memsz);
	set_ph(i, ELF_P_ALIGN, 0x1000);
}

static void set_header(unsigned phnum, uint64_t entry)
{
	static const uint8_t ident[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0 };

	memcpy(img, ident, sizeof ident);
	put(img + ELF_E_TYPE, ELF_ET_EXEC, 2);
	put(img + ELF_E_MACHINE, ELF_EM_X86_64, 2);
	put(img + ELF_E_VERSION, 1, 4);
	put(img + ELF_E_ENTRY, entry, 8);
	put(img + ELF_E_PHOFF, ELF_EHDR_SIZE, 8);
	put(img + ELF_E_EHSIZE, ELF_EHDR_SIZE, 2);
	put(img + ELF_E_PHENTSIZE, ELF_PHDR_SIZE, 2);
	put(img + ELF_E_PHNUM, phnum, 2);
}

/*
 * The good image: text R-X at 0x401000 (file 0x1000, 0x200 bytes), data
 * RW- at 0x403000 (file 0x2000, 0x100 bytes, 0x3000 in memory), a
 * PT_GNU_STACK and a PT_NOTE; entry 0x401010.  Limits: user space from
 * 4 MiB to 128 TiB, at most 64 MiB.
 */
static void build_good(void)
{
	memset(img, 0, sizeof img);
	img_len = IMG_SIZE;
	set_header(4, 0x401010);
	set_load(0, ELF_PF_R | ELF_PF_X, 0x1000, 0x401000, 0x200, 0x200);
	set_load(1, ELF_PF_R | ELF_PF_W, 0x2000, 0x403000, 0x100, 0x3000);
	set_ph(2, ELF_P_TYPE, ELF_PT_GNU_STACK);
	set_ph(2, ELF_P_FLAGS, ELF_PF_R | ELF_PF_W);
	set_ph(3, ELF_P_TYPE, ELF_PT_NOTE);
	set_ph(3, ELF_P_OFFSET, 0xdead0000);   /* ignored: not a PT_LOAD */
	set_ph(3, ELF_P_FILESZ, 0xffffffff);
	lim.user_lo = 0x400000;
	lim.user_hi = 0x800000000000;
	lim.max_bytes = 64 << 20;
}

static err_t plan_img(void)
{
	memset(&plan, 0xa5, sizeof plan);
	return elf_plan(img, img_len, &lim, &plan, why, sizeof why);
}

/* Refused with error e and a sentence containing s; the plan is empty. */
#define REFUSED(e, s) do {                                                 \
	CHECK_EQ(plan_img(), e);                                           \
	CHECK(strncmp(why, "ELF: ", 5) == 0);                              \
	if (!strstr(why, s))                                               \
		CHECK_STR(why, s);                                         \
	CHECK_EQ(plan.nseg, 0);                                            \
} while (0)

#define ACCEPTED() do {                                                    \
	CHECK_EQ(plan_img(), ERR_OK);                                      \
	CHECK_STR(why, "");                                                \
} while (0)

static void t_good_plan(void)
{
	build_good();
	ACCEPTED();
	CHECK_EQ(plan.entry, 0x401010);
	CHECK_EQ(plan.nseg, 2);
	CHECK_EQ(plan.seg[0].vaddr, 0x401000);
	CHECK_EQ(plan.seg[0].memsz, 0x200);
	CHECK_EQ(plan.seg[0].offset, 0x1000);
	CHECK_EQ(plan.seg[0].filesz, 0x200);
	CHECK_EQ(plan.seg[0].flags, ELF_PF_R | ELF_PF_X);
	CHECK_EQ(plan.seg[1].vaddr, 0x403000);
	CHECK_EQ(plan.seg[1].memsz, 0x3000);
	CHECK_EQ(plan.seg[1].offset, 0x2000);
	CHECK_EQ(plan.seg[1].filesz, 0x100);
	CHECK_EQ(plan.seg[1].flags, ELF_PF_R | ELF_PF_W);
	CHECK_EQ(plan.lo, 0x401000);
	CHECK_EQ(plan.hi, 0x406000);
	CHECK_EQ(plan.pages, 4);
}

/* Every strict prefix of the image lacks some byte a segment needs. */
static void t_every_prefix_refused(void)
{
	build_good();
	for (size_t n = 0; n < IMG_SIZE && !test_case_failed; n++) {
		img_len = n;
		CHECK_EQ(plan_img(), ERR_TRUNC);
		CHECK_EQ(plan.nseg, 0);
	}
	img_len = 63;
	REFUSED(ERR_TRUNC, "image is 63 bytes, shorter than the 64-byte ELF header");
}

static void t_unaligned_image(void)
{
	static uint8_t shifted[sizeof img + 1];

	build_good();
	memcpy(shifted + 1, img, img_len);
	CHECK_EQ(elf_plan(shifted + 1, img_len, &lim, &plan, why, sizeof why), ERR_OK);
	CHECK_EQ(plan.nseg, 2);
	CHECK_EQ(plan.entry, 0x401010);
}

static void t_ident(void)
{
	for (unsigned i = 0; i < 4; i++) {
		build_good();
		img[i] ^= 0x20;
		REFUSED(ERR_BADMAGIC, "bad magic");
	}
	build_good();
	img[ELF_EI_CLASS] = 1;
	REFUSED(ERR_UNSUPPORTED, "EI_CLASS 1 is not ELFCLASS64");
	build_good();
	img[ELF_EI_DATA] = 2;
	REFUSED(ERR_UNSUPPORTED, "EI_DATA 2");
	build_good();
	img[ELF_EI_VERSION] = 0;
	REFUSED(ERR_UNSUPPORTED, "EI_VERSION 0");
	build_good();
	img[ELF_EI_OSABI] = 9;
	REFUSED(ERR_UNSUPPORTED, "EI_OSABI 9");
	build_good();
	img[ELF_EI_ABIVERSION] = 1;
	REFUSED(ERR_UNSUPPORTED, "EI_ABIVERSION 1");
	build_good();
	img[ELF_EI_OSABI] = ELF_OSABI_GNU;
	ACCEPTED();
}

static void t_type_machine_version(void)
{
	build_good();
	put(img + ELF_E_TYPE, ELF_ET_DYN, 2);
	REFUSED(ERR_UNSUPPORTED, "ET_DYN");
	build_good();
	put(img + ELF_E_TYPE, 1, 2);
	REFUSED(ERR_UNSUPPORTED, "e_type 1 is not ET_EXEC");
	build_good();
	put(img + ELF_E_MACHINE, 3, 2);
	REFUSED(ERR_UNSUPPORTED, "e_machine 3 is not EM_X86_64");
	build_good();
	put(img + ELF_E_VERSION, 0, 4);
	REFUSED(ERR_UNSUPPORTED, "e_version 0");
	build_good();
	put(img + ELF_E_FLAGS, 1, 4);
	REFUSED(ERR_UNSUPPORTED, "e_flags 0x1");
}

static void t_header_sizes(void)
{
	build_good();
	put(img + ELF_E_EHSIZE, 52, 2);
	REFUSED(ERR_RANGE, "e_ehsize 52 is not 64");
	build_good();
	put(img + ELF_E_PHENTSIZE, 32, 2);
	REFUSED(ERR_RANGE, "e_phentsize 32 is not 56");
	build_good();
	put(img + ELF_E_PHNUM, 0, 2);
	REFUSED(ERR_RANGE, "e_phnum is 0");
	build_good();
	put(img + ELF_E_PHNUM, ELF_MAX_PHDRS + 1, 2);
	REFUSED(ERR_TOOBIG, "e_phnum 65 > limit 64");
	build_good();
	put(img + ELF_E_PHNUM, 0xffff, 2);
	REFUSED(ERR_TOOBIG, "e_phnum 65535");
}

static void t_phdr_table_bounds(void)
{
	build_good();
	put(img + ELF_E_PHOFF, UINT64_MAX - 8, 8);
	REFUSED(ERR_TRUNC, "e_phoff 0xfffffffffffffff7");
	build_good();
	put(img + ELF_E_PHOFF, IMG_SIZE - 4 * ELF_PHDR_SIZE + 1, 8);
	REFUSED(ERR_TRUNC, "program header table");
	/* Exactly at the end is fine (the table is copied there). */
	build_good();
	memcpy(img + IMG_SIZE - 4 * ELF_PHDR_SIZE, img + PH(0), 4 * ELF_PHDR_SIZE);
	put(img + ELF_E_PHOFF, IMG_SIZE - 4 * ELF_PHDR_SIZE, 8);
	ACCEPTED();
}

/* Section headers are not trusted: garbage there changes nothing. */
static void t_section_headers_ignored(void)
{
	build_good();
	put(img + 40, UINT64_MAX, 8);          /* e_shoff */
	put(img + 58, 0x1234, 2);              /* e_shentsize */
	put(img + 60, 0xffff, 2);              /* e_shnum */
	put(img + 62, 0xfffe, 2);              /* e_shstrndx */
	ACCEPTED();
	CHECK_EQ(plan.nseg, 2);
}

static void t_segment_file_bounds(void)
{
	build_good();
	set_ph(1, ELF_P_OFFSET, 0xfffffffffffff000);
	REFUSED(ERR_TRUNC, "program header 1: p_offset 0xfffffffffffff000 + p_filesz 0x100 runs past");
	build_good();
	set_ph(1, ELF_P_FILESZ, UINT64_MAX);
	set_ph(1, ELF_P_MEMSZ, UINT64_MAX);
	REFUSED(ERR_TRUNC, "program header 1");
	build_good();
	set_ph(1, ELF_P_FILESZ, 0x101);
	REFUSED(ERR_TRUNC, "p_filesz 0x101 runs past the end of the 8448-byte image");
}

static void t_filesz_gt_memsz(void)
{
	build_good();
	set_ph(1, ELF_P_MEMSZ, 0x80);
	CHECK_EQ(plan_img(), ERR_RANGE);
	CHECK_STR(why, "ELF: program header 1: p_filesz 0x100 > p_memsz 0x80");
}

static void t_user_range(void)
{
	build_good();
	set_ph(0, ELF_P_VADDR, 0x1000);
	REFUSED(ERR_RANGE, "program header 0: p_vaddr 0x1000 + p_memsz 0x200 is outside the user range [0x400000, 0x800000000000)");
	build_good();
	set_ph(1, ELF_P_VADDR, 0xfffffffffffff000);
	REFUSED(ERR_RANGE, "outside the user range");
	build_good();
	set_ph(1, ELF_P_VADDR, 0x7ffffffff000);     /* ends 0x2000 past user_hi */
	REFUSED(ERR_RANGE, "outside the user range");
	build_good();
	set_ph(1, ELF_P_VADDR, 0x7fffffffd000);     /* ends exactly at user_hi */
	ACCEPTED();
	CHECK_EQ(plan.hi, 0x800000000000);
	/* Wrap-around: vaddr + memsz overflows to a small number. */
	build_good();
	set_ph(1, ELF_P_MEMSZ, 0xffffffffffc0e000);
	REFUSED(ERR_RANGE, "outside the user range");
}

static void t_alignment(void)
{
	build_good();
	set_ph(0, ELF_P_ALIGN, 0x1001);
	REFUSED(ERR_RANGE, "p_align 0x1001 is not a power of two");
	build_good();
	set_ph(0, ELF_P_VADDR, 0x401010);
	REFUSED(ERR_RANGE, "program header 0: p_vaddr 0x401010 and p_offset 0x1000 differ modulo p_align 0x1000");
	/* Without an alignment requirement the same layout is fine. */
	build_good();
	set_ph(0, ELF_P_VADDR, 0x401010);
	set_ph(0, ELF_P_ALIGN, 1);
	ACCEPTED();
	build_good();
	set_ph(0, ELF_P_ALIGN, 1ull << 63);
	REFUSED(ERR_RANGE, "differ modulo p_align 0x8000000000000000");
}

static void t_flags(void)
{
	build_good();
	set_ph(0, ELF_P_FLAGS, ELF_PF_R | ELF_PF_W | ELF_PF_X);
	REFUSED(ERR_PERM, "program header 0: p_flags 0x7 is writable and executable (W^X)");
	build_good();
	set_ph(1, ELF_P_FLAGS, ELF_PF_R | 0x8);
	REFUSED(ERR_RANGE, "p_flags 0xc has bits other than R, W, X");
	build_good();
	set_ph(1, ELF_P_FLAGS, 0xf0000004);
	REFUSED(ERR_RANGE, "p_flags 0xf0000004");
}

static void t_overlap(void)
{
	build_good();                                   /* same page */
	set_ph(1, ELF_P_VADDR, 0x401000);
	REFUSED(ERR_RANGE, "program header 1: [0x401000, 0x404000) shares a page with the segment at [0x401000, 0x401200)");
	build_good();                                   /* contains text */
	set_ph(1, ELF_P_VADDR, 0x400000);
	REFUSED(ERR_RANGE, "shares a page");
	build_good();                                   /* only a page shared */
	set_ph(1, ELF_P_VADDR, 0x401800);
	set_ph(1, ELF_P_ALIGN, 0);
	REFUSED(ERR_RANGE, "shares a page");
	build_good();                                   /* adjacent pages */
	set_ph(1, ELF_P_VADDR, 0x402000);
	ACCEPTED();
	CHECK_EQ(plan.hi, 0x405000);
}

static void t_entry(void)
{
	build_good();
	put(img + ELF_E_ENTRY, 0x500000, 8);
	REFUSED(ERR_RANGE, "e_entry 0x500000 is not inside the file contents of an executable PT_LOAD");
	build_good();
	put(img + ELF_E_ENTRY, 0x403000, 8);            /* data, not executable */
	REFUSED(ERR_RANGE, "e_entry 0x403000");
	build_good();
	put(img + ELF_E_ENTRY, 0x401200, 8);            /* one past the text */
	REFUSED(ERR_RANGE, "e_entry 0x401200");
	build_good();
	set_ph(0, ELF_P_MEMSZ, 0x800);
	put(img + ELF_E_ENTRY, 0x401400, 8);            /* zero-filled tail */
	REFUSED(ERR_RANGE, "e_entry 0x401400");
	build_good();
	put(img + ELF_E_ENTRY, 0x4011ff, 8);            /* last text byte */
	ACCEPTED();
	CHECK_EQ(plan.entry, 0x4011ff);
}

static void t_program_types(void)
{
	build_good();
	set_ph(3, ELF_P_TYPE, ELF_PT_INTERP);
	REFUSED(ERR_UNSUPPORTED, "program header 3: p_type 3 asks for dynamic linking");
	build_good();
	set_ph(2, ELF_P_TYPE, ELF_PT_DYNAMIC);
	REFUSED(ERR_UNSUPPORTED, "program header 2: p_type 2");
	build_good();
	set_ph(3, ELF_P_TYPE, 0x12345678);              /* unknown: ignored */
	ACCEPTED();
	build_good();
	set_ph(0, ELF_P_TYPE, ELF_PT_NOTE);
	set_ph(1, ELF_P_TYPE, ELF_PT_TLS);
	REFUSED(ERR_RANGE, "no PT_LOAD segment");
}

/* A PT_LOAD of size 0 is checked but needs no pages. */
static void t_empty_load(void)
{
	build_good();
	set_load(3, ELF_PF_R, 0x1000, 0x401000, 0, 0);
	ACCEPTED();
	CHECK_EQ(plan.nseg, 2);
	build_good();
	set_load(3, ELF_PF_R | ELF_PF_W | ELF_PF_X, 0x1000, 0x401000, 0, 0);
	REFUSED(ERR_PERM, "program header 3");
}

/* n PT_LOADs, the first the text, the others one page of bss each. */
static void build_many(unsigned n)
{
	build_good();
	set_header(n, 0x401010);
	put(img + ELF_E_PHOFF, IMG_SIZE, 8);
	img_len = IMG_SIZE + n * ELF_PHDR_SIZE;
	memset(img + PH(0), 0, 4 * ELF_PHDR_SIZE);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = img + IMG_SIZE + i * ELF_PHDR_SIZE;
		uint64_t va = 0x401000 + 0x2000ull * i;

		put(p + ELF_P_TYPE, ELF_PT_LOAD, 4);
		put(p + ELF_P_FLAGS, i ? ELF_PF_R | ELF_PF_W : ELF_PF_R | ELF_PF_X, 4);
		put(p + ELF_P_OFFSET, 0x1000, 8);
		put(p + ELF_P_VADDR, va, 8);
		put(p + ELF_P_FILESZ, i ? 0 : 0x200, 8);
		put(p + ELF_P_MEMSZ, 0x1000, 8);
		put(p + ELF_P_ALIGN, 0x1000, 8);
	}
}

static void t_segment_count(void)
{
	build_many(ELF_MAX_SEGMENTS);
	ACCEPTED();
	CHECK_EQ(plan.nseg, ELF_MAX_SEGMENTS);
	CHECK_EQ(plan.pages, ELF_MAX_SEGMENTS);
	build_many(ELF_MAX_SEGMENTS + 1);
	REFUSED(ERR_TOOBIG, "program header 16: more than 16 PT_LOAD segments");
}

static void t_byte_limit(void)
{
	build_good();
	lim.max_bytes = 0x4000;                         /* exactly enough */
	ACCEPTED();
	build_good();
	lim.max_bytes = 0x3fff;
	REFUSED(ERR_TOOBIG, "program header 1: segments need more than the limit of 0x3fff bytes");
	build_good();
	set_ph(1, ELF_P_MEMSZ, 0x7ffffffff000 - 0x403000);   /* a huge bss */
	REFUSED(ERR_TOOBIG, "program header 1");
}

static void t_bad_arguments(void)
{
	build_good();
	CHECK_EQ(elf_plan(NULL, img_len, &lim, &plan, why, sizeof why), ERR_INVAL);
	CHECK_EQ(elf_plan(img, img_len, NULL, &plan, why, sizeof why), ERR_INVAL);
	CHECK_EQ(elf_plan(img, img_len, &lim, NULL, why, sizeof why), ERR_INVAL);
	lim.user_lo = 0x400001;
	REFUSED(ERR_INVAL, "not page-aligned");
	build_good();
	lim.user_hi = lim.user_lo;
	REFUSED(ERR_INVAL, "empty");
}

static void t_why_buffer(void)
{
	char small[8];

	build_good();
	img[0] = 0;
	CHECK_EQ(elf_plan(img, img_len, &lim, &plan, NULL, 0), ERR_BADMAGIC);
	memset(small, 'x', sizeof small);
	CHECK_EQ(elf_plan(img, img_len, &lim, &plan, small, sizeof small), ERR_BADMAGIC);
	CHECK_STR(small, "ELF: ba");
	memset(small, 'x', sizeof small);
	CHECK_EQ(elf_plan(img, img_len, &lim, &plan, small, 3), ERR_BADMAGIC);
	CHECK_STR(small, "EL");
	CHECK_EQ(small[3], 'x');
	memset(small, 'x', sizeof small);
	CHECK_EQ(elf_plan(img, img_len, &lim, &plan, small, 1), ERR_BADMAGIC);
	CHECK_EQ(small[0], 0);
	CHECK_EQ(small[1], 'x');
}

/* ---- the real executable linked by gcc ---- */

static uint8_t *sample;
static size_t sample_len;

static void load_sample(void)
{
	FILE *f = fopen(ELF_SAMPLE, "rb");

	if (!f) {
		fprintf(stderr, "cannot open %s\n", ELF_SAMPLE);
		exit(1);
	}
	sample = malloc(1 << 20);
	sample_len = fread(sample, 1, 1 << 20, f);
	fclose(f);
}

static err_t plan_sample(const uint8_t *p, size_t len)
{
	lim.user_lo = 0x400000;
	lim.user_hi = 0x800000000000;
	lim.max_bytes = 64 << 20;
	return elf_plan(p, len, &lim, &plan, why, sizeof why);
}

/* What a loader relies on, checked on any accepted plan. */
static int plan_is_sound(size_t len)
{
	int entry_ok = 0;

	for (unsigned i = 0; i < plan.nseg; i++) {
		const struct elf_segment *s = &plan.seg[i];

		if (s->offset + s->filesz > len || s->offset + s->filesz < s->offset ||
		    s->filesz > s->memsz || s->memsz == 0 ||
		    s->vaddr < lim.user_lo || s->vaddr + s->memsz > lim.user_hi ||
		    (s->flags & ELF_PF_W && s->flags & ELF_PF_X))
			return 0;
		for (unsigned k = 0; k < i; k++) {
			const struct elf_segment *t = &plan.seg[k];
			uint64_t slo = s->vaddr & ~0xfffull;
			uint64_t shi = (s->vaddr + s->memsz + 0xfff) & ~0xfffull;
			uint64_t tlo = t->vaddr & ~0xfffull;
			uint64_t thi = (t->vaddr + t->memsz + 0xfff) & ~0xfffull;

			if (slo < thi && tlo < shi)
				return 0;
		}
		if (s->flags & ELF_PF_X && plan.entry >= s->vaddr &&
		    plan.entry < s->vaddr + s->filesz)
			entry_ok = 1;
	}
	return plan.nseg > 0 && entry_ok;
}

static void t_sample_accepted(void)
{
	size_t end = 0;
	unsigned loads = 0;

	CHECK_EQ(plan_sample(sample, sample_len), ERR_OK);
	CHECK(plan_is_sound(sample_len));
	CHECK_EQ(plan.entry, get(sample + ELF_E_ENTRY, 8));
	for (unsigned i = 0; i < get(sample + ELF_E_PHNUM, 2); i++) {
		const uint8_t *p = sample + get(sample + ELF_E_PHOFF, 8) + i * ELF_PHDR_SIZE;
		uint64_t e = get(p + ELF_P_OFFSET, 8) + get(p + ELF_P_FILESZ, 8);

		if (get(p + ELF_P_TYPE, 4) != ELF_PT_LOAD)
			continue;
		CHECK_EQ(plan.seg[loads].vaddr, get(p + ELF_P_VADDR, 8));
		CHECK_EQ(plan.seg[loads].filesz, get(p + ELF_P_FILESZ, 8));
		loads++;
		end = e > end ? e : end;
	}
	CHECK(loads >= 2);
	CHECK_EQ(plan.nseg, loads);
	/* The section headers after the last segment are not needed... */
	CHECK_EQ(plan_sample(sample, end), ERR_OK);
	/* ...but the last byte of the last segment is. */
	CHECK_EQ(plan_sample(sample, end - 1), ERR_TRUNC);
}

/* Break each PT_LOAD of the real executable in each way, one at a time. */
static void t_sample_segments_corrupted(void)
{
	static uint8_t copy[1 << 20];
	uint64_t phoff = get(sample + ELF_E_PHOFF, 8);
	unsigned tried = 0;

	for (unsigned i = 0; i < get(sample + ELF_E_PHNUM, 2); i++) {
		uint8_t *p = copy + phoff + i * ELF_PHDR_SIZE;

		memcpy(copy, sample, sample_len);
		if (get(p + ELF_P_TYPE, 4) != ELF_PT_LOAD)
			continue;
		put(p + ELF_P_FILESZ, get(p + ELF_P_MEMSZ, 8) + 1, 8);
		CHECK(plan_sample(copy, sample_len) != ERR_OK);
		memcpy(copy, sample, sample_len);
		put(p + ELF_P_FLAGS, ELF_PF_R | ELF_PF_W | ELF_PF_X, 4);
		CHECK_EQ(plan_sample(copy, sample_len), ERR_PERM);
		memcpy(copy, sample, sample_len);
		put(p + ELF_P_OFFSET, sample_len, 8);
		CHECK(plan_sample(copy, sample_len) != ERR_OK);
		memcpy(copy, sample, sample_len);
		put(p + ELF_P_VADDR, get(p + ELF_P_VADDR, 8) + 8, 8);
		CHECK_EQ(plan_sample(copy, sample_len), ERR_RANGE);
		memcpy(copy, sample, sample_len);
		put(p + ELF_P_VADDR, 0x200000, 8);
		CHECK_EQ(plan_sample(copy, sample_len), ERR_RANGE);
		tried++;
	}
	CHECK(tried >= 2);
}

/*
 * Flip every bit of the ELF header and the program header table, one at a
 * time: each result is either refused with a sentence or yields a plan a
 * loader can trust.  Counts both, so a validator that refused everything
 * (or nothing) would show up.
 */
static void t_sample_bit_flips(void)
{
	static uint8_t copy[1 << 20];
	size_t span = get(sample + ELF_E_PHOFF, 8) + get(sample + ELF_E_PHNUM, 2) * ELF_PHDR_SIZE;
	unsigned refused = 0, accepted = 0;

	memcpy(copy, sample, sample_len);
	for (size_t b = 0; b < span * 8 && !test_case_failed; b++) {
		copy[b / 8] ^= (uint8_t)(1u << (b % 8));
		if (plan_sample(copy, sample_len) == ERR_OK) {
			accepted++;
			CHECK(plan_is_sound(sample_len));
		} else {
			refused++;
			CHECK(strncmp(why, "ELF: ", 5) == 0 && strlen(why) > 10);
			CHECK_EQ(plan.nseg, 0);
		}
		copy[b / 8] ^= (uint8_t)(1u << (b % 8));
	}
	CHECK(refused > 100);
	CHECK(accepted > 100);
}

int main(void)
{
	load_sample();
	RUN(t_good_plan);
	RUN(t_every_prefix_refused);
	RUN(t_unaligned_image);
	RUN(t_ident);
	RUN(t_type_machine_version);
	RUN(t_header_sizes);
	RUN(t_phdr_table_bounds);
	RUN(t_section_headers_ignored);
	RUN(t_segment_file_bounds);
	RUN(t_filesz_gt_memsz);
	RUN(t_user_range);
	RUN(t_alignment);
	RUN(t_flags);
	RUN(t_overlap);
	RUN(t_entry);
	RUN(t_program_types);
	RUN(t_empty_load);
	RUN(t_segment_count);
	RUN(t_byte_limit);
	RUN(t_bad_arguments);
	RUN(t_why_buffer);
	RUN(t_sample_accepted);
	RUN(t_sample_segments_corrupted);
	RUN(t_sample_bit_flips);
	free(sample);
	return test_summary();
}
