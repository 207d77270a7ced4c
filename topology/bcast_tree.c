/*
 * bcast_tree.c: building the two-level broadcast tree described in
 * include/topology/bcast_tree.h.
 *
 * Steps: group cores (node, else package), pick leaders, order the leaders
 * by distance from the root's node, then lay a k-ary tree over the leaders
 * and one over each group's members.  Parents are decided first; the
 * children lists are filled afterwards in send order (leader edges before
 * group edges), so every list is built from the parent array alone.
 */
#include <lib/fmt.h>
#include <topology/bcast_tree.h>

static void bcast_groups(struct bcast_tree *b, const struct topo *t)
{
	uint32_t first[CORES_MAX];
	bool by_node = t->nnodes > 1;

	b->ngroups = by_node ? t->nnodes : t->npackages;
	for (uint32_t g = 0; g < b->ngroups; g++)
		first[g] = BCAST_NONE;
	for (uint32_t i = 0; i < t->ncores; i++) {
		uint32_t g = by_node ? t->cores[i].node : t->cores[i].package;

		b->group[i] = g;
		if (first[g] == BCAST_NONE)
			first[g] = i;
	}
	first[b->group[b->root]] = b->root;
	for (uint32_t i = 0; i < t->ncores; i++)
		b->leader[i] = first[b->group[i]];
}

/*
 * Leaders in broadcast order: the root first, then the other leaders by
 * distance from the root's node, ties by group number.  Returns their count
 * (>= 1: the root always leads its group).
 */
static uint32_t bcast_leader_order(const struct bcast_tree *b,
				   const struct topo *t, uint32_t *order)
{
	uint32_t rnode = t->cores[b->root].node, n = 0;

	order[n++] = b->root;
	for (uint32_t i = 0; i < t->ncores; i++)
		if (b->leader[i] == i && i != b->root)
			order[n++] = i;
	for (uint32_t i = 2; i < n; i++) {		/* insertion sort of [1, n) */
		uint32_t x = order[i], j = i;
		uint32_t dx = t->dist[rnode][t->cores[x].node];

		for (; j > 1; j--) {
			uint32_t y = order[j - 1];
			uint32_t dy = t->dist[rnode][t->cores[y].node];

			if (dy < dx || (dy == dx && b->group[y] < b->group[x]))
				break;
			order[j] = y;
		}
		order[j] = x;
	}
	return n;
}

/* k-ary tree over list[0..n): parent of list[j] is list[(j - 1) / k]. */
static void bcast_kary(struct bcast_tree *b, const uint32_t *list, uint32_t n)
{
	for (uint32_t j = 1; j < n; j++)
		b->parent[list[j]] = list[(j - 1) / b->fanout];
}

static void bcast_add_child(struct bcast_tree *b, uint32_t *fill, uint32_t c)
{
	uint32_t p = b->parent[c];

	b->child[b->first[p] + fill[p]++] = c;
}

/* Children lists from parents: leader edges first, then group edges. */
static void bcast_children_lists(struct bcast_tree *b, const uint32_t *lorder,
				 uint32_t nl)
{
	uint32_t fill[CORES_MAX] = { 0 };
	uint32_t pos = 0;

	for (uint32_t i = 0; i < b->ncores; i++)
		if (b->parent[i] != BCAST_NONE)
			b->nchildren[b->parent[i]]++;
	for (uint32_t i = 0; i < b->ncores; i++) {
		b->first[i] = pos;
		pos += b->nchildren[i];
	}
	for (uint32_t j = 1; j < nl; j++)
		bcast_add_child(b, fill, lorder[j]);
	for (uint32_t i = 0; i < b->ncores; i++)
		if (b->parent[i] != BCAST_NONE && b->leader[i] != i)
			bcast_add_child(b, fill, i);
}

static void bcast_levels(struct bcast_tree *b)
{
	b->depth = 0;
	for (uint32_t i = 0; i < b->ncores; i++) {
		uint32_t d = 0;

		for (uint32_t p = i; b->parent[p] != BCAST_NONE && d <= b->ncores;
		     p = b->parent[p])
			d++;
		b->level[i] = d;
		if (d > b->depth)
			b->depth = d;
	}
}

err_t bcast_build(struct bcast_tree *b, const struct topo *t, uint32_t root,
		  uint32_t fanout)
{
	uint32_t lorder[CORES_MAX], members[CORES_MAX];
	uint32_t nl;

	if (t->ncores == 0)
		return ERR_EMPTY;
	if (root >= t->ncores || fanout == 0 || fanout > BCAST_MAX_FANOUT)
		return ERR_RANGE;
	for (uint32_t i = 0; i < t->ncores; i++)
		if (t->cores[i].node >= t->nnodes ||
		    t->cores[i].package >= t->npackages ||
		    t->npackages > CORES_MAX || t->nnodes > TOPO_MAX_NODES)
			return ERR_INVAL;	/* not a finished model */
	__builtin_memset(b, 0, sizeof *b);
	b->root = root;
	b->ncores = t->ncores;
	b->fanout = fanout;
	for (uint32_t i = 0; i < t->ncores; i++)
		b->parent[i] = BCAST_NONE;
	bcast_groups(b, t);
	nl = bcast_leader_order(b, t, lorder);
	bcast_kary(b, lorder, nl);
	for (uint32_t j = 0; j < nl; j++) {
		uint32_t lead = lorder[j], m = 0;

		members[m++] = lead;
		for (uint32_t i = 0; i < t->ncores; i++)
			if (b->leader[i] == lead && i != lead)
				members[m++] = i;
		bcast_kary(b, members, m);
	}
	bcast_children_lists(b, lorder, nl);
	bcast_levels(b);
	return ERR_OK;
}

const uint32_t *bcast_children(const struct bcast_tree *b, uint32_t cpu,
			       uint32_t *n)
{
	if (cpu >= b->ncores) {
		*n = 0;
		return b->child;
	}
	*n = b->nchildren[cpu];
	return &b->child[b->first[cpu]];
}

static void bcast_print_head(const struct bcast_tree *b, topo_line_fn line, void *ctx)
{
	char buf[TOPO_LINE_MAX];

	fmt_snprintf(buf, sizeof buf,
		     "bcast: root=%u cores=%u groups=%u fanout=%u depth=%u",
		     b->root, b->ncores, b->ngroups, b->fanout, b->depth);
	line(ctx, buf);
}

void bcast_print_summary(const struct bcast_tree *b, topo_line_fn line, void *ctx)
{
	char buf[TOPO_LINE_MAX];
	uint32_t parents = 0;

	for (uint32_t i = 0; i < b->ncores; i++)
		parents += b->nchildren[i] != 0;
	bcast_print_head(b, line, ctx);
	fmt_snprintf(buf, sizeof buf, "bcast: %u parents, %u edges not listed", parents,
		     b->ncores ? b->ncores - 1 : 0);
	line(ctx, buf);
	line(ctx, "bcast: end");
}

void bcast_print(const struct bcast_tree *b, topo_line_fn line, void *ctx)
{
	char buf[TOPO_LINE_MAX];

	bcast_print_head(b, line, ctx);
	for (uint32_t i = 0; i < b->ncores; i++) {
		int len;

		if (!b->nchildren[i])
			continue;
		len = fmt_snprintf(buf, sizeof buf, "bcast: %u ->", i);
		for (uint32_t j = 0; j < b->nchildren[i] && len < (int)sizeof buf; j++)
			len += fmt_snprintf(buf + len, sizeof buf - (size_t)len,
					    " %u", b->child[b->first[i] + j]);
		line(ctx, buf);
	}
	line(ctx, "bcast: end");
}
