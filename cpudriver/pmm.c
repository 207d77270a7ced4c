/*
 * pmm.c: bitmap frame allocator of one core's pool (see kernel/pmm.h).
 * A first-fit search from a moving hint; frees check for double frees before
 * changing anything.
 */
#include <kernel/pmm.h>

static bool bit_get(const struct pmm_pool *p, uint64_t i)
{
	return (p->bitmap[i / 64] >> (i % 64)) & 1;
}

static void bit_set(struct pmm_pool *p, uint64_t i, bool v)
{
	if (v)
		p->bitmap[i / 64] |= 1ull << (i % 64);
	else
		p->bitmap[i / 64] &= ~(1ull << (i % 64));
}

err_t pmm_pool_init(struct pmm_pool *p, uint64_t base, uint64_t size, void *mem)
{
	if ((base | size) & (PAGE_SIZE - 1))
		return ERR_INVAL;
	uint64_t nframes = size / PAGE_SIZE;
	uint64_t bitmap_bytes = (nframes + 63) / 64 * 8;
	uint64_t bitmap_frames = (bitmap_bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	if (nframes <= bitmap_frames)
		return ERR_INVAL;
	p->base = base;
	p->nframes = nframes;
	p->bitmap = mem;
	p->hint = bitmap_frames;
	p->reserved = bitmap_frames;
	__builtin_memset(p->bitmap, 0, bitmap_bytes);
	for (uint64_t i = 0; i < bitmap_frames; i++)
		bit_set(p, i, true);
	p->free = nframes - bitmap_frames;
	return ERR_OK;
}

bool pmm_owns(const struct pmm_pool *p, uint64_t pa)
{
	return pa >= p->base && (pa - p->base) / PAGE_SIZE < p->nframes;
}

static bool run_is_free(const struct pmm_pool *p, uint64_t first, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (bit_get(p, first + i))
			return false;
	return true;
}

static bool search(const struct pmm_pool *p, uint64_t from, uint64_t to,
		   uint64_t n, uint64_t align, uint64_t *found)
{
	uint64_t i = (from + align - 1) / align * align;
	for (; i + n <= to; i += align) {
		if (run_is_free(p, i, n)) {
			*found = i;
			return true;
		}
	}
	return false;
}

err_t pmm_alloc_contig(struct pmm_pool *p, uint64_t n, uint64_t align_frames, uint64_t *pa)
{
	if (n == 0 || align_frames == 0)
		return ERR_INVAL;
	if (n > p->free)
		return ERR_NOMEM;
	uint64_t i;
	if (!search(p, p->hint, p->nframes, n, align_frames, &i) &&
	    !search(p, 0, p->nframes, n, align_frames, &i))
		return ERR_NOMEM;
	for (uint64_t k = 0; k < n; k++)
		bit_set(p, i + k, true);
	p->free -= n;
	p->hint = (i + n) % p->nframes;
	*pa = p->base + i * PAGE_SIZE;
	return ERR_OK;
}

err_t pmm_alloc(struct pmm_pool *p, uint64_t *pa)
{
	return pmm_alloc_contig(p, 1, 1, pa);
}

err_t pmm_free(struct pmm_pool *p, uint64_t pa, uint64_t n)
{
	if (n == 0 || (pa & (PAGE_SIZE - 1)) || !pmm_owns(p, pa))
		return ERR_RANGE;
	uint64_t first = (pa - p->base) / PAGE_SIZE;
	if (first < p->reserved || n > p->nframes - first)
		return ERR_RANGE;
	for (uint64_t k = 0; k < n; k++)
		if (!bit_get(p, first + k))
			return ERR_INVAL;
	for (uint64_t k = 0; k < n; k++)
		bit_set(p, first + k, false);
	p->free += n;
	return ERR_OK;
}
