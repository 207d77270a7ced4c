/*
 * libFuzzer target for lib/elf.c.
 *
 * Every input is planned against generous limits, tight limits, and limits
 * taken from header bytes the validator promises never to read (e_ident
 * padding, e_shoff, e_shentsize/e_shnum/e_shstrndx), so that the fuzzer
 * also explores the limits, up to the top of the 64-bit range.
 * A refusal must come with an empty plan and a sentence starting "ELF: ".
 * An accepted plan must hold everything a loader relies on without
 * checking again (segments inside the file and the user range, W^X, no
 * shared page, the span and page count exact, the entry in an executable
 * segment and equal to e_entry); the target also reads every file byte the
 * plan points at, so that a plan reaching past the image trips
 * AddressSanitizer.  Across calls: the tight limits lie inside the
 * generous ones, so a plan accepted under tight limits must be accepted
 * unchanged under generous ones; a misaligned copy of the image, a NULL
 * or short `why` must not change the verdict; and bad limits give
 * ERR_INVAL.
 */
#include <lib/elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_BYTE 0x5a    /* poison for a plan the validator must overwrite */

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_elf: %s\n", what);
	abort();
}

static uint64_t page_down(uint64_t a) { return a & ~(uint64_t)(ELF_PAGE_SIZE - 1); }
static uint64_t page_up(uint64_t a) { return page_down(a + ELF_PAGE_SIZE - 1); }

static uint64_t rd(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = bytes; i-- > 0;)
		v = (v << 8) | p[i];
	return v;
}

static uint64_t span_lo(const struct elf_plan *p)
{
	uint64_t lo = UINT64_MAX;
	for (unsigned i = 0; i < p->nseg; i++)
		if (page_down(p->seg[i].vaddr) < lo)
			lo = page_down(p->seg[i].vaddr);
	return lo;
}

static uint64_t span_hi(const struct elf_plan *p)
{
	uint64_t hi = 0;
	for (unsigned i = 0; i < p->nseg; i++)
		if (page_up(p->seg[i].vaddr + p->seg[i].memsz) > hi)
			hi = page_up(p->seg[i].vaddr + p->seg[i].memsz);
	return hi;
}

static void check_segment(const struct elf_plan *p, unsigned i, const uint8_t *data,
			  size_t size, const struct elf_limits *lim)
{
	const struct elf_segment *s = &p->seg[i];
	volatile uint8_t sink = 0;

	if (s->memsz == 0 || s->filesz > s->memsz)
		fail("segment sizes");
	if (s->offset > size || s->filesz > size - s->offset)
		fail("segment outside the image");
	if (s->vaddr < lim->user_lo || s->vaddr > lim->user_hi ||
	    s->memsz > lim->user_hi - s->vaddr)
		fail("segment outside the user range");
	if (s->flags & ~(uint32_t)(ELF_PF_R | ELF_PF_W | ELF_PF_X) ||
	    ((s->flags & ELF_PF_W) && (s->flags & ELF_PF_X)))
		fail("segment flags");
	if (page_down(s->vaddr) < p->lo || page_up(s->vaddr + s->memsz) > p->hi)
		fail("segment outside the plan's span");
	for (unsigned k = 0; k < i; k++) {
		const struct elf_segment *t = &p->seg[k];
		if (page_down(s->vaddr) < page_up(t->vaddr + t->memsz) &&
		    page_down(t->vaddr) < page_up(s->vaddr + s->memsz))
			fail("segments share a page");
	}
	for (uint64_t b = 0; b < s->filesz; b++)
		sink ^= data[s->offset + b];
	(void)sink;
}

static void check_plan(const struct elf_plan *p, const uint8_t *data, size_t size,
		       const struct elf_limits *lim)
{
	uint64_t pages = 0;
	int entry_ok = 0;

	if (p->nseg == 0 || p->nseg > ELF_MAX_SEGMENTS)
		fail("segment count");
	for (unsigned i = 0; i < p->nseg; i++) {
		const struct elf_segment *s = &p->seg[i];

		check_segment(p, i, data, size, lim);
		pages += (page_up(s->vaddr + s->memsz) - page_down(s->vaddr)) / ELF_PAGE_SIZE;
		if ((s->flags & ELF_PF_X) && p->entry >= s->vaddr &&
		    p->entry - s->vaddr < s->filesz)
			entry_ok = 1;
	}
	if (!entry_ok)
		fail("entry not in an executable segment");
	if (pages != p->pages || pages * ELF_PAGE_SIZE > lim->max_bytes)
		fail("page count");
	if (p->entry != rd(data + ELF_E_ENTRY, 8))
		fail("entry is not e_entry");
	if (span_lo(p) != p->lo || span_hi(p) != p->hi)
		fail("span is not the segments' page-rounded hull");
}

static int same_plan(const struct elf_plan *a, const struct elf_plan *b)
{
	if (a->entry != b->entry || a->lo != b->lo || a->hi != b->hi ||
	    a->pages != b->pages || a->nseg != b->nseg)
		return 0;
	for (unsigned i = 0; i < a->nseg; i++)
		if (a->seg[i].vaddr != b->seg[i].vaddr || a->seg[i].memsz != b->seg[i].memsz ||
		    a->seg[i].offset != b->seg[i].offset ||
		    a->seg[i].filesz != b->seg[i].filesz || a->seg[i].flags != b->seg[i].flags)
			return 0;
	return 1;
}

static err_t plan_once(const uint8_t *data, size_t size, const struct elf_limits *lim,
		       struct elf_plan *plan)
{
	char why[128];
	err_t e;

	memset(plan, NO_BYTE, sizeof *plan);
	memset(why, NO_BYTE, sizeof why);
	e = elf_plan(data, size, lim, plan, why, sizeof why);
	if (memchr(why, 0, sizeof why) == NULL)
		fail("why not terminated");
	if (e == ERR_OK) {
		if (why[0] != 0)
			fail("sentence on success");
		check_plan(plan, data, size, lim);
		return e;
	}
	if (e > 0 || e < ERR_TOOBIG || plan->nseg != 0 || strncmp(why, "ELF: ", 5) != 0 ||
	    strlen(why) < 10)
		fail("refusal without a proper error and sentence");
	return e;
}

/* The same verdict and plan with a NULL why, a short why, and a copy of
 * the image at an odd address. */
static void plan_variants(const uint8_t *data, size_t size, const struct elf_limits *lim,
			  err_t e, const struct elf_plan *plan)
{
	struct elf_plan other;
	size_t whylen = size % 24;
	char *why = malloc(whylen ? whylen : 1);
	uint8_t *odd = malloc(size + 1);

	if (!why || !odd)
		fail("out of memory");
	memcpy(odd + 1, data, size);
	if (elf_plan(data, size, lim, &other, NULL, 0) != e || !same_plan(plan, &other))
		fail("verdict depends on a NULL why");
	if (elf_plan(data, size, lim, &other, why, whylen) != e || !same_plan(plan, &other))
		fail("verdict depends on the why buffer");
	if (whylen > 0 && (memchr(why, 0, whylen) == NULL ||
			   (e != ERR_OK && strncmp(why, "ELF: ", whylen - 1 < 5 ? whylen - 1 : 5))))
		fail("short why not terminated or wrong");
	if (elf_plan(odd + 1, size, lim, &other, NULL, 0) != e || !same_plan(plan, &other))
		fail("verdict depends on the image's alignment");
	free(odd);
	free(why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct elf_limits wide = { 0x400000, 0x800000000000, 1ull << 40 };
	static const struct elf_limits tight = { 0x400000, 0x500000, 0x8000 };
	struct elf_plan pw, pt, pf;
	err_t ew, et, ef;

	ew = plan_once(data, size, &wide, &pw);
	et = plan_once(data, size, &tight, &pt);
	if (et == ERR_OK && (ew != ERR_OK || !same_plan(&pt, &pw)))
		fail("accepted under tight limits but not the same under wide ones");
	plan_variants(data, size, &wide, ew, &pw);

	if (size >= ELF_EHDR_SIZE) {
		/* EI_PAD (bytes 9-15), e_shoff (40-47), e_shentsize..e_shstrndx
		 * (58-63): never read by the validator. */
		struct elf_limits f = {
			page_down(rd(data + 40, 8)),
			rd(data + 9, 7) << 12,
			rd(data + 58, 6) << 12,
		};
		int inside = f.user_lo >= wide.user_lo && f.user_hi <= wide.user_hi &&
			     f.max_bytes <= wide.max_bytes;
		int around = f.user_lo <= wide.user_lo && f.user_hi >= wide.user_hi &&
			     f.max_bytes >= wide.max_bytes;

		ef = plan_once(data, size, &f, &pf);
		if ((ef == ERR_INVAL) != (f.user_lo >= f.user_hi))
			fail("ERR_INVAL and the limits disagree");
		if (ef == ERR_OK && inside && (ew != ERR_OK || !same_plan(&pf, &pw)))
			fail("accepted under narrower limits but not the same under the wide ones");
		if (ew == ERR_OK && around && (ef != ERR_OK || !same_plan(&pf, &pw)))
			fail("accepted under the wide limits but not the same under wider ones");
	}
	if (elf_plan(data, size, NULL, &pf, NULL, 0) != ERR_INVAL || pf.nseg != 0 ||
	    elf_plan(NULL, size, &wide, &pf, NULL, 0) != ERR_INVAL ||
	    elf_plan(data, size, &wide, NULL, NULL, 0) != ERR_INVAL)
		fail("bad arguments accepted");
	return 0;
}
