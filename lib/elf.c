/*
 * elf.c: ELF64 validation and load planning (see include/lib/elf.h).
 *
 * The image is untrusted, so nothing here indexes it without a bound check
 * first, all sums of untrusted 64-bit values are checked for overflow
 * before they are formed, and fields are assembled byte by byte so that an
 * odd alignment cannot fault.  Checks run in file order: the identification
 * bytes, the rest of the ELF header, each program header, and last the
 * entry point against the segments collected on the way.  The first
 * failure stops everything and names itself in the caller's `why` buffer.
 */
#include <lib/elf.h>
#include <lib/fmt.h>
#include <stdarg.h>

/* Everything one elf_plan() call needs, passed to each check. */
struct elf_ctx {
	const uint8_t *img;
	size_t len;
	const struct elf_limits *lim;
	struct elf_plan *out;
	char *why;
	size_t whylen;
};

/* A program header, decoded. */
struct elf_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

static uint64_t elf_rd(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = bytes; i-- > 0;)
		v = (v << 8) | p[i];
	return v;
}

static uint64_t elf_page_down(uint64_t a)
{
	return a & ~(uint64_t)(ELF_PAGE_SIZE - 1);
}

/* Only for values already known to lie at or below a page-aligned bound. */
static uint64_t elf_page_up(uint64_t a)
{
	return elf_page_down(a + ELF_PAGE_SIZE - 1);
}

__attribute__((format(printf, 3, 4)))
static err_t elf_refuse(struct elf_ctx *c, err_t e, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!c->why || c->whylen == 0)
		return e;
	n = fmt_snprintf(c->why, c->whylen, "ELF: ");
	if (n < 0 || (size_t)n >= c->whylen)
		return e;
	va_start(ap, fmt);
	fmt_vsnprintf(c->why + n, c->whylen - (size_t)n, fmt, ap);
	va_end(ap);
	return e;
}

static err_t elf_check_ident(struct elf_ctx *c)
{
	const uint8_t *id = c->img;

	if (c->len < ELF_EHDR_SIZE)
		return elf_refuse(c, ERR_TRUNC, "image is %zu bytes, shorter than the %u-byte ELF header",
				  c->len, ELF_EHDR_SIZE);
	if (id[0] != ELF_MAG0 || id[1] != ELF_MAG1 || id[2] != ELF_MAG2 || id[3] != ELF_MAG3)
		return elf_refuse(c, ERR_BADMAGIC, "bad magic %02x %02x %02x %02x (want 7f 45 4c 46)",
				  id[0], id[1], id[2], id[3]);
	if (id[ELF_EI_CLASS] != ELF_CLASS64)
		return elf_refuse(c, ERR_UNSUPPORTED, "EI_CLASS %u is not ELFCLASS64",
				  id[ELF_EI_CLASS]);
	if (id[ELF_EI_DATA] != ELF_DATA2LSB)
		return elf_refuse(c, ERR_UNSUPPORTED, "EI_DATA %u is not ELFDATA2LSB (little-endian)",
				  id[ELF_EI_DATA]);
	if (id[ELF_EI_VERSION] != ELF_EV_CURRENT)
		return elf_refuse(c, ERR_UNSUPPORTED, "EI_VERSION %u is not EV_CURRENT",
				  id[ELF_EI_VERSION]);
	if (id[ELF_EI_OSABI] != ELF_OSABI_SYSV && id[ELF_EI_OSABI] != ELF_OSABI_GNU)
		return elf_refuse(c, ERR_UNSUPPORTED, "EI_OSABI %u is neither System V nor GNU",
				  id[ELF_EI_OSABI]);
	if (id[ELF_EI_ABIVERSION] != 0)
		return elf_refuse(c, ERR_UNSUPPORTED, "EI_ABIVERSION %u is not 0",
				  id[ELF_EI_ABIVERSION]);
	return ERR_OK;
}

static err_t elf_check_type(struct elf_ctx *c)
{
	uint64_t type = elf_rd(c->img + ELF_E_TYPE, 2);
	uint64_t machine = elf_rd(c->img + ELF_E_MACHINE, 2);

	if (type == ELF_ET_DYN)
		return elf_refuse(c, ERR_UNSUPPORTED,
				  "e_type ET_DYN (PIE or shared object): link with -static -no-pie");
	if (type != ELF_ET_EXEC)
		return elf_refuse(c, ERR_UNSUPPORTED, "e_type %llu is not ET_EXEC",
				  (unsigned long long)type);
	if (machine != ELF_EM_X86_64)
		return elf_refuse(c, ERR_UNSUPPORTED, "e_machine %llu is not EM_X86_64",
				  (unsigned long long)machine);
	return ERR_OK;
}

/* The header fields after e_ident, except e_entry (checked last). */
static err_t elf_check_header(struct elf_ctx *c, uint64_t *phoff, unsigned *phnum)
{
	uint64_t version = elf_rd(c->img + ELF_E_VERSION, 4);
	uint64_t flags = elf_rd(c->img + ELF_E_FLAGS, 4);
	uint64_t ehsize = elf_rd(c->img + ELF_E_EHSIZE, 2);
	uint64_t phentsize = elf_rd(c->img + ELF_E_PHENTSIZE, 2);
	uint64_t n = elf_rd(c->img + ELF_E_PHNUM, 2);
	uint64_t off = elf_rd(c->img + ELF_E_PHOFF, 8);
	err_t e = elf_check_type(c);

	if (e != ERR_OK)
		return e;
	if (version != ELF_EV_CURRENT)
		return elf_refuse(c, ERR_UNSUPPORTED, "e_version %llu is not EV_CURRENT",
				  (unsigned long long)version);
	if (flags != 0)
		return elf_refuse(c, ERR_UNSUPPORTED, "e_flags 0x%llx is not 0",
				  (unsigned long long)flags);
	if (ehsize != ELF_EHDR_SIZE)
		return elf_refuse(c, ERR_RANGE, "e_ehsize %llu is not %u",
				  (unsigned long long)ehsize, ELF_EHDR_SIZE);
	if (phentsize != ELF_PHDR_SIZE)
		return elf_refuse(c, ERR_RANGE, "e_phentsize %llu is not %u",
				  (unsigned long long)phentsize, ELF_PHDR_SIZE);
	if (n == 0)
		return elf_refuse(c, ERR_RANGE, "e_phnum is 0: no program headers");
	if (n > ELF_MAX_PHDRS)
		return elf_refuse(c, ERR_TOOBIG, "e_phnum %llu > limit %u",
				  (unsigned long long)n, ELF_MAX_PHDRS);
	/* n * 56 <= 3584, so only off itself can push the sum over len. */
	if (off > c->len || n * ELF_PHDR_SIZE > c->len - off)
		return elf_refuse(c, ERR_TRUNC,
				  "program header table at e_phoff 0x%llx (%llu x %u bytes) runs past the end of the %zu-byte image",
				  (unsigned long long)off, (unsigned long long)n,
				  ELF_PHDR_SIZE, c->len);
	*phoff = off;
	*phnum = (unsigned)n;
	return ERR_OK;
}

static void elf_read_phdr(const struct elf_ctx *c, uint64_t phoff, unsigned i,
			  struct elf_phdr *ph)
{
	const uint8_t *p = c->img + phoff + (uint64_t)i * ELF_PHDR_SIZE;

	ph->type = (uint32_t)elf_rd(p + ELF_P_TYPE, 4);
	ph->flags = (uint32_t)elf_rd(p + ELF_P_FLAGS, 4);
	ph->offset = elf_rd(p + ELF_P_OFFSET, 8);
	ph->vaddr = elf_rd(p + ELF_P_VADDR, 8);
	ph->filesz = elf_rd(p + ELF_P_FILESZ, 8);
	ph->memsz = elf_rd(p + ELF_P_MEMSZ, 8);
	ph->align = elf_rd(p + ELF_P_ALIGN, 8);
}

/* Sizes and placement of one PT_LOAD, each on its own. */
static err_t elf_check_bounds(struct elf_ctx *c, unsigned i, const struct elf_phdr *ph)
{
	const struct elf_limits *lim = c->lim;

	if (ph->offset > c->len || ph->filesz > c->len - ph->offset)
		return elf_refuse(c, ERR_TRUNC,
				  "program header %u: p_offset 0x%llx + p_filesz 0x%llx runs past the end of the %zu-byte image",
				  i, (unsigned long long)ph->offset,
				  (unsigned long long)ph->filesz, c->len);
	if (ph->filesz > ph->memsz)
		return elf_refuse(c, ERR_RANGE, "program header %u: p_filesz 0x%llx > p_memsz 0x%llx",
				  i, (unsigned long long)ph->filesz,
				  (unsigned long long)ph->memsz);
	if (ph->vaddr < lim->user_lo || ph->vaddr > lim->user_hi ||
	    ph->memsz > lim->user_hi - ph->vaddr)
		return elf_refuse(c, ERR_RANGE,
				  "program header %u: p_vaddr 0x%llx + p_memsz 0x%llx is outside the user range [0x%llx, 0x%llx)",
				  i, (unsigned long long)ph->vaddr,
				  (unsigned long long)ph->memsz,
				  (unsigned long long)lim->user_lo,
				  (unsigned long long)lim->user_hi);
	if (ph->align > 1 && (ph->align & (ph->align - 1)) != 0)
		return elf_refuse(c, ERR_RANGE, "program header %u: p_align 0x%llx is not a power of two",
				  i, (unsigned long long)ph->align);
	if (ph->align > 1 && (ph->vaddr & (ph->align - 1)) != (ph->offset & (ph->align - 1)))
		return elf_refuse(c, ERR_RANGE,
				  "program header %u: p_vaddr 0x%llx and p_offset 0x%llx differ modulo p_align 0x%llx",
				  i, (unsigned long long)ph->vaddr,
				  (unsigned long long)ph->offset,
				  (unsigned long long)ph->align);
	return ERR_OK;
}

static err_t elf_check_flags(struct elf_ctx *c, unsigned i, const struct elf_phdr *ph)
{
	const uint32_t rwx = ELF_PF_R | ELF_PF_W | ELF_PF_X;

	if (ph->flags & ~rwx)
		return elf_refuse(c, ERR_RANGE, "program header %u: p_flags 0x%x has bits other than R, W, X",
				  i, ph->flags);
	if ((ph->flags & ELF_PF_W) && (ph->flags & ELF_PF_X))
		return elf_refuse(c, ERR_PERM,
				  "program header %u: p_flags 0x%x is writable and executable (W^X)",
				  i, ph->flags);
	return ERR_OK;
}

/* The new segment against those already in the plan: no shared page, and
 * the running total within lim->max_bytes. */
static err_t elf_check_placement(struct elf_ctx *c, unsigned i, const struct elf_phdr *ph)
{
	struct elf_plan *out = c->out;
	uint64_t lo = elf_page_down(ph->vaddr);
	uint64_t hi = elf_page_up(ph->vaddr + ph->memsz);
	uint64_t bytes = hi - lo;

	for (unsigned k = 0; k < out->nseg; k++) {
		const struct elf_segment *s = &out->seg[k];
		uint64_t slo = elf_page_down(s->vaddr);
		uint64_t shi = elf_page_up(s->vaddr + s->memsz);

		if (lo < shi && slo < hi)
			return elf_refuse(c, ERR_RANGE,
					  "program header %u: [0x%llx, 0x%llx) shares a page with the segment at [0x%llx, 0x%llx)",
					  i, (unsigned long long)ph->vaddr,
					  (unsigned long long)ph->vaddr + ph->memsz,
					  (unsigned long long)s->vaddr,
					  (unsigned long long)s->vaddr + s->memsz);
	}
	if (out->nseg == ELF_MAX_SEGMENTS)
		return elf_refuse(c, ERR_TOOBIG, "program header %u: more than %u PT_LOAD segments",
				  i, ELF_MAX_SEGMENTS);
	if (bytes > c->lim->max_bytes - out->pages * ELF_PAGE_SIZE)
		return elf_refuse(c, ERR_TOOBIG,
				  "program header %u: segments need more than the limit of 0x%llx bytes",
				  i, (unsigned long long)c->lim->max_bytes);
	return ERR_OK;
}

static void elf_add_segment(struct elf_plan *out, const struct elf_phdr *ph)
{
	struct elf_segment *s = &out->seg[out->nseg++];
	uint64_t lo = elf_page_down(ph->vaddr);
	uint64_t hi = elf_page_up(ph->vaddr + ph->memsz);

	s->vaddr = ph->vaddr;
	s->memsz = ph->memsz;
	s->offset = ph->offset;
	s->filesz = ph->filesz;
	s->flags = ph->flags;
	out->pages += (hi - lo) / ELF_PAGE_SIZE;
	if (out->nseg == 1 || lo < out->lo)
		out->lo = lo;
	if (out->nseg == 1 || hi > out->hi)
		out->hi = hi;
}

static err_t elf_check_phdr(struct elf_ctx *c, unsigned i, const struct elf_phdr *ph)
{
	err_t e;

	if (ph->type == ELF_PT_INTERP || ph->type == ELF_PT_DYNAMIC)
		return elf_refuse(c, ERR_UNSUPPORTED,
				  "program header %u: p_type %u asks for dynamic linking",
				  i, ph->type);
	if (ph->type != ELF_PT_LOAD)
		return ERR_OK;
	e = elf_check_bounds(c, i, ph);
	if (e == ERR_OK)
		e = elf_check_flags(c, i, ph);
	if (e == ERR_OK && ph->memsz > 0)
		e = elf_check_placement(c, i, ph);
	if (e == ERR_OK && ph->memsz > 0)
		elf_add_segment(c->out, ph);
	return e;
}

static err_t elf_check_entry(struct elf_ctx *c)
{
	const struct elf_plan *out = c->out;
	uint64_t entry = elf_rd(c->img + ELF_E_ENTRY, 8);

	if (out->nseg == 0)
		return elf_refuse(c, ERR_RANGE, "no PT_LOAD segment with p_memsz > 0");
	for (unsigned k = 0; k < out->nseg; k++) {
		const struct elf_segment *s = &out->seg[k];

		if ((s->flags & ELF_PF_X) && entry >= s->vaddr &&
		    entry - s->vaddr < s->filesz)
			return ERR_OK;
	}
	return elf_refuse(c, ERR_RANGE,
			  "e_entry 0x%llx is not inside the file contents of an executable PT_LOAD",
			  (unsigned long long)entry);
}

static err_t elf_check_all(struct elf_ctx *c)
{
	uint64_t phoff = 0;
	unsigned phnum = 0;
	err_t e = elf_check_ident(c);

	if (e == ERR_OK)
		e = elf_check_header(c, &phoff, &phnum);
	for (unsigned i = 0; e == ERR_OK && i < phnum; i++) {
		struct elf_phdr ph;

		elf_read_phdr(c, phoff, i, &ph);
		e = elf_check_phdr(c, i, &ph);
	}
	if (e == ERR_OK)
		e = elf_check_entry(c);
	if (e == ERR_OK)
		c->out->entry = elf_rd(c->img + ELF_E_ENTRY, 8);
	return e;
}

err_t elf_plan(const void *image, size_t len, const struct elf_limits *lim,
	       struct elf_plan *out, char *why, size_t whylen)
{
	struct elf_ctx c = { image, len, lim, out, why, whylen };
	const uint64_t page_mask = ELF_PAGE_SIZE - 1;
	err_t e;

	if (why && whylen > 0)
		why[0] = 0;
	if (!out)
		return elf_refuse(&c, ERR_INVAL, "no plan to fill");
	__builtin_memset(out, 0, sizeof *out);
	if (!image || !lim)
		return elf_refuse(&c, ERR_INVAL, "no image or no limits");
	if ((lim->user_lo & page_mask) || (lim->user_hi & page_mask) ||
	    lim->user_lo >= lim->user_hi)
		return elf_refuse(&c, ERR_INVAL, "user range [0x%llx, 0x%llx) is empty or not page-aligned",
				  (unsigned long long)lim->user_lo,
				  (unsigned long long)lim->user_hi);
	e = elf_check_all(&c);
	if (e != ERR_OK)
		__builtin_memset(out, 0, sizeof *out);
	return e;
}
