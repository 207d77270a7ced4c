/* domain.c: creating and ending ring-3 domains (see kernel/domain.h). */
#include <kernel/chanwake.h>
#include <kernel/coninput.h>
#include <kernel/entry.h>
#include <kernel/event.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/domain.h>
#include <kernel/frames.h>
#include <kernel/fpu.h>
#include <kernel/kstack.h>
#include <kernel/memlayout.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/trace.h>
#include <arch/gdt.h>
#include <arch/paging.h>
#include <lib/elf.h>
#include <lib/fmt.h>
#include <lib/parse.h>
#include <lib/string.h>
#include <stdarg.h>
#include <sys/monitor.h>
#include <sys/rights.h>


#define DOMAIN_FRAMES ((sizeof(struct domain) + PAGE_SIZE - 1) / PAGE_SIZE)
#define RFLAGS_IF 0x200ull

static struct pmm_pool *pool(void)
{
	return cpu_self()->pool;
}

/* A fresh owned, zeroed frame mapped at va with PTE flags. */
static err_t map_new_page(struct domain *d, uint64_t va, uint64_t flags, void **kva)
{
	uint64_t pa;
	err_t e = pmm_alloc(pool(), &pa);
	if (e)
		return e;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	e = frames_own(d, pa, FRAME_PINNED, "loading the program");
	if (e) {
		pmm_free(pool(), pa, 1);
		return e;
	}
	e = frames_map_other(d, va, pa, flags);
	if (e)
		return e; /* the frame is owned: freed with the domain */
	if (kva)
		*kva = phys_to_virt(pa);
	return ERR_OK;
}

static uint64_t segment_pte_flags(uint32_t pf)
{
	uint64_t f = 0;
	if (pf & ELF_PF_W)
		f |= PTE_W;
	if (!(pf & ELF_PF_X))
		f |= PTE_NX;
	return f;
}

/* Copies the part of [off, off+filesz) that falls into page `va`. */
static void fill_page(uint8_t *kva, uint64_t va, const uint8_t *image,
		      const struct elf_segment *s)
{
	uint64_t lo = va > s->vaddr ? va : s->vaddr;
	uint64_t file_end = s->vaddr + s->filesz;
	uint64_t hi = va + PAGE_SIZE < file_end ? va + PAGE_SIZE : file_end;
	if (lo < hi)
		memcpy(kva + (lo - va), image + s->offset + (lo - s->vaddr), hi - lo);
}

/*
 * The boot module's own frame for page `va` of a read-only segment, or 0 if
 * the page must be copied: only a segment without W and without a zero-filled
 * tail (memsz == filesz), whose page lies wholly inside the image (len bytes)
 * at a page-aligned address.  Boot modules are reserved for good and
 * read-only for everyone (kernel/services.h), so every domain of a program,
 * on every core, maps the same frames of its code and constants and owns
 * none of them (not freed with it, refused to SYS_UNMAP).  Under TCG that is
 * what makes the code translated once for the whole machine: each new code
 * frame costs QEMU a walk of every vCPU's TLB (tlb_reset_dirty), which at
 * 255 vCPUs took 92 % of QEMU's time while 254 private monitor copies started.
 */
static uint64_t shared_image_page(uint64_t va, const void *image, uint64_t len,
				  const struct elf_segment *s)
{
	if ((s->flags & ELF_PF_W) || s->memsz != s->filesz)
		return 0;
	uint64_t off = s->offset + va - s->vaddr; /* va <= vaddr on the first page: exact mod 2^64 */
	const uint8_t *at = (const uint8_t *)image + off;
	if (((uint64_t)at & (PAGE_SIZE - 1)) || off > len || len - off < PAGE_SIZE)
		return 0;
	return virt_to_phys(at);
}

static err_t load_segments(struct domain *d, const void *image, uint64_t len,
			   const struct elf_plan *p)
{
	for (unsigned i = 0; i < p->nseg; i++) {
		const struct elf_segment *s = &p->seg[i];
		uint64_t start = s->vaddr & ~(PAGE_SIZE - 1);
		for (uint64_t va = start; va < s->vaddr + s->memsz; va += PAGE_SIZE) {
			uint64_t shared = shared_image_page(va, image, len, s);
			if (shared) {
				err_t e = frames_map_other(d, va, shared, segment_pte_flags(s->flags));
				if (e)
					return e;
				continue;
			}
			void *kva;
			err_t e = map_new_page(d, va, segment_pte_flags(s->flags), &kva);
			if (e)
				return e;
			fill_page(kva, va, image, s);
		}
	}
	return ERR_OK;
}

static err_t build_stack(struct domain *d)
{
	uint64_t lo = DOMAIN_STACK_TOP - DOMAIN_STACK_SIZE;
	for (uint64_t va = lo; va < DOMAIN_STACK_TOP; va += PAGE_SIZE) {
		err_t e = map_new_page(d, va, PTE_W | PTE_NX, 0);
		if (e)
			return e;
	}
	return ERR_OK; /* the page below lo stays unmapped: the guard */
}

/* The start-info page: struct domain_start, then the argument strings. */
static err_t build_start_info(struct domain *d, const struct domain_args *a)
{
	struct domain_start *st;
	err_t e = map_new_page(d, DOMAIN_START_INFO, PTE_NX, (void **)&st);
	if (e)
		return e;
	st->core = cpu_self()->id;
	st->ncores = smp_cores_planned();
	st->domain_id = d->id;
	st->tsc_hz = cpu_self()->tsc_hz;
	st->fpu_xsave = fpu_uses_xsave();
	st->fpu_size = fpu_area_size();
	st->span_home_core = d->span.home_core;
	st->span_home_domain = d->span.home_domain;
	st->span_arg = d->span.arg;
	fmt_snprintf(st->program, sizeof st->program, "%s", d->program);
	char *strings = (char *)(st + 1);
	uint64_t used = 0, room = PAGE_SIZE - sizeof *st;
	for (unsigned i = 0; i < a->argc && i < PROGRAM_ARGC_MAX; i++) {
		uint64_t n = strlen(a->argv[i]) + 1;
		if (n > room - used)
			return ERR_TOOBIG;
		memcpy(strings + used, a->argv[i], n);
		st->argv[i] = (const char *)(DOMAIN_START_INFO + sizeof *st + used);
		used += n;
		st->argc = i + 1;
	}
	return ERR_OK;
}

static void init_user_frame(struct domain *d, uint64_t entry)
{
	uint8_t *top = d->kstack + DOMAIN_KSTACK_SIZE;
	struct trap_frame *tf = (struct trap_frame *)top - 1;
	memset(tf, 0, sizeof *tf);
	tf->rip = entry;
	tf->cs = USER_CS;
	tf->ss = USER_DS;
	tf->rflags = RFLAGS_IF;
	tf->rsp = DOMAIN_STACK_TOP;
	tf->rdi = DOMAIN_START_INFO;
	d->tf = tf;
	/* What context_switch pops: six callee-saved registers, then `ret`. */
	uint64_t *sp = (uint64_t *)tf;
	*--sp = (uint64_t)domain_enter;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	d->kernel_rsp = (uint64_t)sp;
}

static err_t new_address_space(struct domain *d)
{
	uint64_t pa;
	err_t e = pmm_alloc(pool(), &pa);
	if (e)
		return e;
	uint64_t *pml4 = phys_to_virt(pa);
	const uint64_t *kernel = phys_to_virt(cpu_self()->pml4_phys);
	memset(pml4, 0, PAGE_SIZE / 2);
	memcpy(pml4 + 256, kernel + 256, PAGE_SIZE / 2); /* the kernel half */
	d->pml4 = pa;
	d->table_frames = 1;
	return ERR_OK;
}

static err_t alloc_domain(struct domain **out)
{
	uint64_t pa, ktop;
	err_t e = pmm_alloc_contig(pool(), DOMAIN_FRAMES, 1, &pa);
	if (e)
		return e;
	e = kstack_alloc(DOMAIN_KSTACK_SIZE / PAGE_SIZE, &ktop);
	if (e) {
		pmm_free(pool(), pa, DOMAIN_FRAMES);
		return e;
	}
	struct domain *d = phys_to_virt(pa);
	memset(d, 0, offsetof(struct domain, frames));
	d->kstack = (uint8_t *)(ktop - DOMAIN_KSTACK_SIZE);
	*out = d;
	return ERR_OK;
}

/*
 * The common part of every domain: its own FPU area, address space, stack,
 * start info and dispatcher page, then `fill` (the ELF loader, or a span
 * instance's replica of its home's mappings), then the scheduler.
 */
static err_t domain_build(const struct domain_args *args, uint64_t entry,
			  err_t (*fill)(struct domain *d, const void *ctx), const void *ctx,
			  struct domain **out)
{
	struct domain *d;
	err_t e = alloc_domain(&d);
	if (e)
		return e;
	parse_program_name(args->program, d->program, sizeof d->program);
	d->frame_quota = args->privileged ? MONITOR_FRAME_QUOTA : DOMAIN_FRAME_QUOTA;
	d->id = ++cpu_self()->sched.next_id;
	e = fpu_area_alloc(&d->fpu);
	if (!e)
		e = new_address_space(d);
	if (!e)
		e = fill(d, ctx);
	if (!e)
		e = build_stack(d);
	if (!e)
		e = build_start_info(d, args);
	if (!e) /* the dispatcher page, zero: no upcalls until libos asks */
		e = map_new_page(d, DOMAIN_DISPATCHER_VA, PTE_W | PTE_NX, 0);
	if (!e)
		e = trace_domain_setup(d);
	if (!e) {
		init_user_frame(d, entry);
		d->entry = entry;
		d->next_chan_va = DOMAIN_CHAN_VA;
		d->privileged = args->privileged;
		d->state = DOM_RUNNABLE;
		e = sched_add(d);
	}
	if (e) {
		domain_destroy(d);
	} else {
		*out = d;
		ktrace(TR_DOMAIN_START, d->id, 0, 0);
		kevent("domain.start", "id=%u program=%s", d->id, d->program);
	}
	return e;
}

struct elf_fill {
	const void *image;
	uint64_t len;
	const struct elf_plan *plan;
};

static err_t fill_from_elf(struct domain *d, const void *ctx)
{
	const struct elf_fill *f = ctx;
	return load_segments(d, f->image, f->len, f->plan);
}

err_t domain_create(const void *image, uint64_t len, const struct domain_args *args,
		    struct domain **out, char *why, unsigned long whylen)
{
	static const struct elf_limits lim = { DOMAIN_IMAGE_LO, DOMAIN_IMAGE_HI,
					       DOMAIN_IMAGE_MAX };
	struct elf_plan plan;
	err_t e = elf_plan(image, len, &lim, &plan, why, whylen);
	if (e)
		return e;
	struct elf_fill f = { image, len, &plan };
	e = domain_build(args, plan.entry, fill_from_elf, &f, out);
	if (e)
		fmt_snprintf(why, whylen, "%s while setting up the domain", err_str(e));
	return e;
}

err_t domain_create_with(const struct domain_args *args, uint64_t entry,
			 err_t (*fill)(struct domain *d, const void *ctx), const void *ctx,
			 struct domain **out)
{
	return domain_build(args, entry, fill, ctx, out);
}

/* Frees the user half's page tables (not the leaves: those are owned frames). */
static void free_tables(uint64_t table_pa, int level)
{
	uint64_t *t = phys_to_virt(table_pa);
	unsigned n = level == 0 ? 256 : 512;
	for (unsigned i = 0; level < 3 && i < n; i++)
		if (t[i] & PTE_P)
			free_tables(t[i] & PTE_ADDR, level + 1);
	pmm_free(pool(), table_pa, 1);
}

err_t domain_map_foreign(struct domain *d, uint64_t va, uint64_t pa, uint64_t pte_flags)
{
	return frames_map_other(d, va, pa, pte_flags);
}

void domain_allow_notify(struct domain *d, unsigned core)
{
	if (core < CORES_MAX)
		d->notify_mask[core / 64] |= 1ull << (core % 64);
}

bool domain_may_notify(const struct domain *d, unsigned core)
{
	if (core < CORES_MAX && (d->rights & DOMAIN_RIGHT_NOTIFY))
		return true;
	return core < CORES_MAX && (d->notify_mask[core / 64] >> (core % 64) & 1);
}

void domain_refused(struct domain *d, const char *request, err_t e, const char *fmt, ...)
{
	char why[200];
	va_list ap;
	d->refusals++;
	if (d->refusals > DOMAIN_REFUSALS_LOGGED && d->refusals % 1024)
		return; /* a flood of refusals: every 1024th from here on */
	va_start(ap, fmt);
	fmt_vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	klog("domain %u (%s): %s refused (%s): %s [refusal %lu]\n", d->id, d->program, request,
	     err_str(e), why, d->refusals);
}

void domain_destroy(struct domain *d)
{
	chanwake_remove_domain(d);
	trace_domain_end(d);
	coninput_domain_end(d);
	if (d->pml4)
		free_tables(d->pml4, 0);
	fpu_area_free(d->fpu);
	frames_release_all(d);
	kstack_free((uint64_t)d->kstack + DOMAIN_KSTACK_SIZE);
	pmm_free(pool(), virt_to_phys(d), DOMAIN_FRAMES);
}

void domain_exit(int code)
{
	struct domain *d = cpu_self()->sched.current;
	d->exit_code = code;
	ktrace(TR_DOMAIN_EXIT, d->id, (uint64_t)(int64_t)code, 0);
	klog("domain %u (%s) exited with code %d\n", d->id, d->program, code);
	kevent("domain.exit", "id=%u program=%s code=%d", d->id, d->program, code);
	sched_exit_current();
}
