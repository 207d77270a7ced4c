/*
 * paging.c: building and editing four-level page tables (arch/paging.h).
 */
#include <arch/paging.h>
#include <arch/x86.h>
#include <kernel/memlayout.h>
#include <kernel/pmm.h>
#include <sys/domain.h>

uint64_t vm_phys_top;

extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern char _data_start[], _kernel_end[];

#define MMIO_HOLE_START 0xC0000000ull
#define MMIO_HOLE_END   0x100000000ull
#define LARGE_PAGE      (2ull << 20)

static uint64_t *table_at(uint64_t pa)
{
	return phys_to_virt(pa & PTE_ADDR);
}

static err_t new_table(struct pmm_pool *pool, uint64_t *pa)
{
	err_t e = pmm_alloc(pool, pa);
	if (!e)
		__builtin_memset(phys_to_virt(*pa), 0, PAGE_SIZE);
	return e;
}

/*
 * Entry for `va` at depth `levels` below the PML4 (1: PDPT entry, 2: PD, 3: PT),
 * creating intermediate tables from pool if it is not NULL.
 */
static err_t walk(uint64_t pml4, uint64_t va, int levels, struct pmm_pool *pool,
		  uint64_t user_bit, uint64_t **entry)
{
	static const int shifts[4] = { 39, 30, 21, 12 };
	uint64_t *table = table_at(pml4);
	for (int lvl = 0; lvl < levels; lvl++) {
		uint64_t *e = &table[(va >> shifts[lvl]) & 511];
		if (!(*e & PTE_P)) {
			uint64_t pa;
			if (!pool)
				return ERR_NOENT;
			err_t err = new_table(pool, &pa);
			if (err)
				return err;
			*e = pa | PTE_P | PTE_W | user_bit;
		} else if (*e & PTE_PS) {
			return ERR_EXIST; /* a large page is in the way */
		}
		table = table_at(*e);
	}
	*entry = &table[(va >> shifts[levels]) & 511];
	return ERR_OK;
}

err_t vm_map(uint64_t pml4, uint64_t va, uint64_t pa, uint64_t flags, struct pmm_pool *pool)
{
	uint64_t *pte;
	if ((flags & PTE_U) && (va < DOMAIN_VA_MIN || va >= USER_TOP))
		return ERR_RANGE; /* nothing of a domain in its first 64 KiB, ever */
	err_t e = walk(pml4, va, 3, pool, flags & PTE_U, &pte);
	if (e)
		return e;
	if (*pte & PTE_P)
		return ERR_EXIST;
	*pte = (pa & PTE_ADDR) | flags | PTE_P;
	return ERR_OK;
}

/* The present last-level entry of va: ERR_INVAL under a large page,
 * ERR_NOENT where nothing is mapped. */
static err_t present_pte(uint64_t pml4, uint64_t va, uint64_t **pte)
{
	err_t e = walk(pml4, va, 3, 0, 0, pte);
	if (e)
		return e == ERR_EXIST ? ERR_INVAL : e;
	return (**pte & PTE_P) ? ERR_OK : ERR_NOENT;
}

err_t vm_unmap(uint64_t pml4, uint64_t va, uint64_t *pa_out)
{
	uint64_t *pte;
	err_t e = present_pte(pml4, va, &pte);
	if (e)
		return e;
	if (pa_out)
		*pa_out = *pte & PTE_ADDR;
	*pte = 0;
	invlpg(va);
	return ERR_OK;
}

err_t vm_protect(uint64_t pml4, uint64_t va, uint64_t flags)
{
	uint64_t *pte;
	err_t e = present_pte(pml4, va, &pte);
	if (e)
		return e;
	*pte = (*pte & ~(PTE_W | PTE_NX)) | (flags & (PTE_W | PTE_NX));
	invlpg(va);
	return ERR_OK;
}

uint64_t vm_lookup(uint64_t pml4, uint64_t va)
{
	static const int shifts[4] = { 39, 30, 21, 12 };
	uint64_t *table = table_at(pml4);
	for (int lvl = 0; lvl < 4; lvl++) {
		uint64_t e = table[(va >> shifts[lvl]) & 511];
		if (!(e & PTE_P))
			return 0;
		if (lvl == 3 || (lvl > 0 && (e & PTE_PS)))
			return e;
		table = table_at(e);
	}
	return 0;
}

/* One level of vm_walk_user: the entries of table under va_base at `level` (3: PDPT). */
static uint64_t walk_level(const uint64_t *table, int level, uint64_t va_base, vm_walk_fn fn,
			   void *arg)
{
	uint64_t n = 0;
	for (uint64_t i = 0; i < 512; i++) {
		uint64_t e = table[i], va = va_base | i << (12 + 9 * (level - 1));
		if (!(e & PTE_P))
			continue;
		if (level == 1)
			n += fn(arg, va, e);
		else if (!(e & PTE_PS))
			n += walk_level(table_at(e), level - 1, va, fn, arg);
	}
	return n;
}

uint64_t vm_walk_user(uint64_t pml4, vm_walk_fn fn, void *arg)
{
	const uint64_t *l4 = table_at(pml4);
	uint64_t n = 0;
	for (uint64_t a = 0; a < 256; a++) /* the lower half: user space */
		if (l4[a] & PTE_P)
			n += walk_level(table_at(l4[a]), 3, a << 39, fn, arg);
	return n;
}

static err_t map_direct(uint64_t pml4, uint64_t phys_top, struct pmm_pool *pool)
{
	for (uint64_t pa = 0; pa < phys_top; pa += LARGE_PAGE) {
		uint64_t *pde;
		err_t e = walk(pml4, PHYS_MAP_BASE + pa, 2, pool, 0, &pde);
		if (e)
			return e;
		uint64_t flags = PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
		if (pa >= MMIO_HOLE_START && pa < MMIO_HOLE_END)
			flags |= PTE_PCD | PTE_PWT;
		*pde = pa | flags;
	}
	return ERR_OK;
}

static err_t map_image_range(uint64_t pml4, char *start, char *end, uint64_t flags,
			     struct pmm_pool *pool)
{
	for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += PAGE_SIZE) {
		err_t e = vm_map(pml4, va, va - KERNEL_VBASE, flags | PTE_G, pool);
		if (e)
			return e;
	}
	return ERR_OK;
}

err_t vm_build_kernel_space(struct pmm_pool *pool, uint64_t phys_top, uint64_t *pml4_out)
{
	uint64_t pml4;
	err_t e = new_table(pool, &pml4);
	if (e)
		return e;
	if (phys_top > PHYS_MAP_SIZE)
		phys_top = PHYS_MAP_SIZE;
	e = map_direct(pml4, phys_top, pool);
	if (!e)
		e = map_image_range(pml4, _text_start, _text_end, 0, pool);
	if (!e)
		e = map_image_range(pml4, _rodata_start, _rodata_end, PTE_NX, pool);
	if (!e)
		e = map_image_range(pml4, _data_start, _kernel_end, PTE_W | PTE_NX, pool);
	if (e)
		return e; /* the frames stay allocated; the caller panics anyway */
	*pml4_out = pml4;
	return ERR_OK;
}
