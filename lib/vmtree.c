/* vmtree.c: paths of an address-space change through the tree (lib/vmtree.h). */
#include <lib/vmtree.h>

unsigned vmtree_count(const uint64_t *set)
{
	unsigned n = 0;
	for (unsigned i = 0; i < VMTREE_WORDS; i++)
		for (uint64_t w = set[i]; w; w &= w - 1)
			n++;
	return n;
}

bool vmtree_below(const uint16_t *parent, unsigned n, unsigned x, unsigned w)
{
	for (unsigned steps = 0; x < n && steps <= n; steps++) {
		if (x == w)
			return true;
		x = parent[x];
	}
	return false;
}

void vmtree_side(const uint16_t *parent, unsigned n, unsigned self, unsigned w,
		 const uint64_t *set, uint64_t *out)
{
	bool up = self < n && parent[self] == w;   /* w is self's parent */
	for (unsigned i = 0; i < VMTREE_WORDS; i++)
		out[i] = 0;
	for (unsigned c = 0; c < n && c < CORES_MAX; c++) {
		if (!vmtree_has(set, c))
			continue;
		if (up ? !vmtree_below(parent, n, c, self) : vmtree_below(parent, n, c, w))
			vmtree_add(out, c);
	}
}

static bool side_nonempty(const uint16_t *parent, unsigned n, unsigned self, unsigned w,
			  const uint64_t *set)
{
	uint64_t side[VMTREE_WORDS];
	vmtree_side(parent, n, self, w, set, side);
	return vmtree_count(side) != 0;
}

unsigned vmtree_next(const uint16_t *parent, unsigned n, unsigned self, unsigned from,
		     const uint64_t *set, uint32_t *out, unsigned max)
{
	unsigned k = 0;
	if (self >= n)
		return 0;
	unsigned p = parent[self];
	if (p < n && p != from && side_nonempty(parent, n, self, p, set) && k < max)
		out[k++] = p;
	for (unsigned c = 0; c < n && k < max; c++)
		if (c != self && parent[c] == self && c != from &&
		    side_nonempty(parent, n, self, c, set))
			out[k++] = c;
	return k;
}
