/* memrange.c: sorted, disjoint, merged range sets (see kernel/memrange.h). */
#include <kernel/memrange.h>

void memrange_init(struct mem_ranges *m)
{
	m->count = 0;
}

static void remove_at(struct mem_ranges *m, unsigned i)
{
	for (unsigned j = i; j + 1 < m->count; j++)
		m->r[j] = m->r[j + 1];
	m->count--;
}

static err_t insert_at(struct mem_ranges *m, unsigned i, uint64_t base, uint64_t end)
{
	if (m->count == MEMRANGE_MAX)
		return ERR_FULL;
	for (unsigned j = m->count; j > i; j--)
		m->r[j] = m->r[j - 1];
	m->r[i].base = base;
	m->r[i].end = end;
	m->count++;
	return ERR_OK;
}

err_t memrange_add(struct mem_ranges *m, uint64_t base, uint64_t end)
{
	if (end <= base)
		return base == end ? ERR_OK : ERR_INVAL;
	unsigned i = 0;
	while (i < m->count && m->r[i].end < base)
		i++;
	/* r[i] is the first range that touches or follows [base, end). */
	if (i == m->count || m->r[i].base > end)
		return insert_at(m, i, base, end);
	if (base < m->r[i].base)
		m->r[i].base = base;
	if (end > m->r[i].end)
		m->r[i].end = end;
	while (i + 1 < m->count && m->r[i + 1].base <= m->r[i].end) {
		if (m->r[i + 1].end > m->r[i].end)
			m->r[i].end = m->r[i + 1].end;
		remove_at(m, i + 1);
	}
	return ERR_OK;
}

err_t memrange_remove(struct mem_ranges *m, uint64_t base, uint64_t end)
{
	if (end <= base)
		return base == end ? ERR_OK : ERR_INVAL;
	for (unsigned i = 0; i < m->count;) {
		struct mem_range *r = &m->r[i];
		if (r->end <= base || r->base >= end) {
			i++;
			continue;
		}
		if (r->base < base && r->end > end) {
			/* Split in two: needs one more slot. */
			err_t e = insert_at(m, i + 1, end, r->end);
			if (e)
				return e;
			m->r[i].end = base;
			return ERR_OK;
		}
		if (r->base < base) {
			r->end = base;
			i++;
		} else if (r->end > end) {
			r->base = end;
			i++;
		} else {
			remove_at(m, i);
		}
	}
	return ERR_OK;
}

uint64_t memrange_total(const struct mem_ranges *m)
{
	return memrange_total_within(m, 0, UINT64_MAX);
}

uint64_t memrange_total_within(const struct mem_ranges *m, uint64_t lo, uint64_t hi)
{
	uint64_t sum = 0;
	for (unsigned i = 0; i < m->count; i++) {
		uint64_t b = m->r[i].base > lo ? m->r[i].base : lo;
		uint64_t e = m->r[i].end < hi ? m->r[i].end : hi;
		if (e > b)
			sum += e - b;
	}
	return sum;
}

err_t memrange_take(struct mem_ranges *m, uint64_t size, uint64_t align,
		    uint64_t lo, uint64_t hi, uint64_t *base_out)
{
	if (size == 0 || align == 0 || (align & (align - 1)))
		return ERR_INVAL;
	for (unsigned i = 0; i < m->count; i++) {
		uint64_t b = m->r[i].base > lo ? m->r[i].base : lo;
		uint64_t e = m->r[i].end < hi ? m->r[i].end : hi;
		if (b > UINT64_MAX - (align - 1))
			continue;
		b = (b + align - 1) & ~(align - 1);
		if (b >= e || e - b < size)
			continue;
		err_t err = memrange_remove(m, b, b + size);
		if (err)
			return err;
		*base_out = b;
		return ERR_OK;
	}
	return ERR_NOMEM;
}
