/*
 * routepath.c: shortest live paths over the link plan (monitor/routepath.h).
 */
#include <monitor/routepath.h>

void rp_graph_build(struct rp_graph *g, const struct monitor_edge *edges, unsigned nedges,
		    unsigned ncores)
{
	uint16_t deg[CORES_MAX + 1];
	unsigned n = nedges < MONITOR_GRAPH_MAX ? nedges : MONITOR_GRAPH_MAX;
	g->ncores = ncores < CORES_MAX ? ncores : CORES_MAX;
	for (unsigned c = 0; c <= CORES_MAX; c++)
		deg[c] = 0;
	for (unsigned i = 0; i < n; i++)
		if (edges[i].a < g->ncores && edges[i].b < g->ncores && edges[i].a != edges[i].b) {
			deg[edges[i].a]++;
			deg[edges[i].b]++;
		}
	g->start[0] = 0;
	for (unsigned c = 0; c < CORES_MAX; c++)
		g->start[c + 1] = (uint16_t)(g->start[c] + deg[c]);
	for (unsigned c = 0; c <= CORES_MAX; c++)
		deg[c] = 0;
	for (unsigned i = 0; i < n; i++) {
		unsigned a = edges[i].a, b = edges[i].b;
		if (a >= g->ncores || b >= g->ncores || a == b)
			continue;
		g->adj[g->start[a] + deg[a]++] = (uint8_t)b;
		g->adj[g->start[b] + deg[b]++] = (uint8_t)a;
	}
	for (unsigned c = 0; c < g->ncores; c++) {  /* insertion sort: a few entries each */
		uint8_t *l = &g->adj[g->start[c]];
		for (unsigned i = 1; i < deg[c]; i++)
			for (unsigned j = i; j > 0 && l[j - 1] > l[j]; j--) {
				uint8_t t = l[j];
				l[j] = l[j - 1];
				l[j - 1] = t;
			}
	}
}

void rp_first_hops(const struct rp_graph *g, unsigned self, const uint64_t *down,
		   const uint64_t *nolink, uint16_t *first_hop)
{
	uint16_t queue[CORES_MAX];
	unsigned head = 0, tail = 0;
	for (unsigned c = 0; c < CORES_MAX; c++)
		first_hop[c] = RP_NO_HOP;
	if (self >= g->ncores)
		return;
	first_hop[self] = (uint16_t)self;
	queue[tail++] = (uint16_t)self;
	while (head < tail) {
		unsigned u = queue[head++];
		for (unsigned i = g->start[u]; i < g->start[u + 1]; i++) {
			unsigned v = g->adj[i];
			if (first_hop[v] != RP_NO_HOP || rp_has(down, v))
				continue;
			if (u == self && rp_has(nolink, v))
				continue;
			first_hop[v] = u == self ? (uint16_t)v : first_hop[u];
			queue[tail++] = (uint16_t)v;
		}
	}
}
