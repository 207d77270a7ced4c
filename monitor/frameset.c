/* frameset.c: a monitor's share of the monitors' memory (include/monitor/frameset.h). */
#include <monitor/frameset.h>

void frameset_init(struct frameset *s)
{
	s->next = 0;
	s->npages = 0;
	s->nfree = 0;
	s->cursor = 0;
	s->bits = 0;
}

uint64_t frameset_words(uint64_t npages)
{
	return FRAMESET_WORDS(npages);
}

static bool overlaps(const struct frameset *s, uint64_t base, uint64_t end)
{
	for (unsigned i = 0; i < s->next; i++) {
		uint64_t b = s->ext[i].base, e = b + s->ext[i].pages * FRAMESET_PAGE;
		if (base < e && b < end)
			return true;
	}
	return false;
}

err_t frameset_add(struct frameset *s, uint64_t base, uint64_t pages)
{
	if (s->bits)
		return ERR_BUSY;
	if ((base & (FRAMESET_PAGE - 1)) || !pages || pages > (UINT64_MAX - base) / FRAMESET_PAGE)
		return ERR_INVAL;
	if (overlaps(s, base, base + pages * FRAMESET_PAGE))
		return ERR_INVAL;
	if (s->next >= FRAMESET_EXTENTS)
		return ERR_FULL;
	s->ext[s->next++] = (struct frameset_extent){ base, pages, s->npages };
	s->npages += pages;
	return ERR_OK;
}

static bool bit(const struct frameset *s, uint64_t i)
{
	return (s->bits[i / 64] >> (i % 64)) & 1;
}

static void set_bit(struct frameset *s, uint64_t i, bool v)
{
	if (v)
		s->bits[i / 64] |= 1ull << (i % 64);
	else
		s->bits[i / 64] &= ~(1ull << (i % 64));
}

void frameset_attach(struct frameset *s, uint64_t *bits, bool fresh)
{
	uint64_t words = frameset_words(s->npages);
	s->bits = bits;
	s->cursor = 0;
	s->nfree = 0;
	for (uint64_t w = 0; w < words; w++) {
		if (fresh)
			bits[w] = 0;
		if (w == words - 1 && s->npages % 64)
			bits[w] &= (1ull << (s->npages % 64)) - 1; /* no frames past the end */
		s->nfree += 64 - (uint64_t)__builtin_popcountll(bits[w]);
	}
	s->nfree -= words * 64 - s->npages;
}

int64_t frameset_index(const struct frameset *s, uint64_t pa)
{
	if (pa & (FRAMESET_PAGE - 1))
		return -1;
	for (unsigned i = 0; i < s->next; i++) {
		const struct frameset_extent *x = &s->ext[i];
		if (pa >= x->base && (pa - x->base) / FRAMESET_PAGE < x->pages)
			return (int64_t)(x->first + (pa - x->base) / FRAMESET_PAGE);
	}
	return -1;
}

bool frameset_contains(const struct frameset *s, uint64_t pa)
{
	return frameset_index(s, pa) >= 0;
}

bool frameset_used(const struct frameset *s, uint64_t pa)
{
	int64_t i = frameset_index(s, pa);
	return i >= 0 && s->bits && bit(s, (uint64_t)i);
}

/*
 * First run of n clear bits in extent x at or after frame index from whose
 * first frame's address is a multiple of align; -1 if none.
 */
static int64_t find_run(const struct frameset *s, const struct frameset_extent *x, uint64_t from,
			uint64_t n, uint64_t align)
{
	uint64_t end = x->first + x->pages, run = 0;
	for (uint64_t i = from < x->first ? x->first : from; i < end; i++) {
		if (!run && i % 64 == 0 && i + 64 <= end && s->bits[i / 64] == ~0ull) {
			i += 63; /* a full word: skip it */
			continue;
		}
		if (!run && ((x->base + (i - x->first) * FRAMESET_PAGE) & (align - 1)))
			continue; /* a run may not start here */
		run = bit(s, i) ? 0 : run + 1;
		if (run == n)
			return (int64_t)(i + 1 - n);
	}
	return -1;
}

/* Extent holding frame index i (i < npages). */
static const struct frameset_extent *extent_of(const struct frameset *s, uint64_t i)
{
	for (unsigned k = 0; k < s->next; k++)
		if (i >= s->ext[k].first && i - s->ext[k].first < s->ext[k].pages)
			return &s->ext[k];
	return 0;
}

static uint64_t pa_of(const struct frameset *s, uint64_t i)
{
	const struct frameset_extent *x = extent_of(s, i);
	return x->base + (i - x->first) * FRAMESET_PAGE;
}

err_t frameset_alloc(struct frameset *s, uint64_t npages, uint64_t *pa)
{
	return frameset_alloc_aligned(s, npages, FRAMESET_PAGE, pa);
}

err_t frameset_alloc_aligned(struct frameset *s, uint64_t npages, uint64_t align, uint64_t *pa)
{
	if (!s->bits || !npages || npages > s->nfree || !align || (align & (align - 1)))
		return ERR_NOMEM;
	/* first fit: the lowest run, searched from the hint (no free frame below it) */
	for (unsigned k = 0; k < s->next; k++) {
		const struct frameset_extent *x = &s->ext[k];
		if (s->cursor >= x->first + x->pages)
			continue;
		int64_t at = find_run(s, x, s->cursor, npages, align);
		if (at < 0)
			continue;
		for (uint64_t i = 0; i < npages; i++)
			set_bit(s, (uint64_t)at + i, true);
		s->nfree -= npages;
		if ((uint64_t)at == s->cursor)
			s->cursor = (uint64_t)at + npages;
		*pa = pa_of(s, (uint64_t)at);
		return ERR_OK;
	}
	return ERR_NOMEM;
}

err_t frameset_reserve(struct frameset *s, uint64_t pa)
{
	int64_t i = s->bits ? frameset_index(s, pa) : -1;
	if (i < 0)
		return ERR_FOREIGN;
	if (bit(s, (uint64_t)i))
		return ERR_EXIST;
	set_bit(s, (uint64_t)i, true);
	s->nfree--;
	return ERR_OK;
}

err_t frameset_free(struct frameset *s, uint64_t pa)
{
	int64_t i = s->bits ? frameset_index(s, pa) : -1;
	if (i < 0)
		return ERR_FOREIGN;
	if (!bit(s, (uint64_t)i))
		return ERR_FREED;
	set_bit(s, (uint64_t)i, false);
	s->nfree++;
	if ((uint64_t)i < s->cursor)
		s->cursor = (uint64_t)i;
	return ERR_OK;
}
