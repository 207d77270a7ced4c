/*
 * coord.c: the soak's coordinator (core 0): starts a node on every core,
 * injects the faults it was asked for, collects every surviving node's
 * report and prints the totals.
 *
 * Size: nodes=K runs nodes on the first K cores (default and at most
 * SOAK_MAX_CORES, at most the cores there are): K(K-1) channels.
 *
 * Faults (each optional):
 *   stop=K      after the nodes have started, stop core K's CPU driver (any
 *               core but the coordinator's, core 0 included); K's node
 *               holds its last message to every peer, so the stop always
 *               comes in the middle of its traffic
 *   stop_ms=T   the stop comes T ms after the nodes were started (default 500)
 *   victims=V   spawn V domains on random cores that fault at random times
 *   hostile=1   spawn apps/badmsg (garbage to the monitor) during the traffic
 *
 * Output (after "core 0: soak: "):
 *   injected: ...                         what was done, when
 *   report node I: ...                    one per surviving node
 *   totals: sent=S received=R lost=L corrupted=C abandoned=A nodes=K/N
 *   liveness: raised=R withdrawn=W refuted=F declared=D false_down=X escalated=E cores=K
 *                                         the monitors' liveness counts summed
 *                                         over the K live cores (MON_Q_LIVENESS):
 *                                         suspicions raised, withdrawn, others'
 *                                         refuted; cores declared down; of those,
 *                                         declared while alive (the declarer found
 *                                         the core running and fenced it, or the
 *                                         core was told); confirmers that did not
 *                                         answer
 *   result: PASS | FAIL (why)
 * Lost counts sequence gaps and messages sent to a surviving peer that never
 * arrived; a message to or from a stopped core is abandoned, not lost.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include "soak.h"

#define REPORT_TICKS (600 * TICK_HZ)
#define NO_STOP 0xffffffffu

static uint64_t ms_since(uint64_t t0)
{
	return (soak_now() - t0) / (libos_tsc_hz() / 1000);
}

/* The node on the core that will be stopped holds its last messages (node.c),
 * so the stop always falls in the middle of its traffic. */
static unsigned start_nodes(unsigned n, uint64_t msgs, uint64_t stop)
{
	char idx[16], m[32], nodes[24];
	unsigned started = 0;
	snprintf(m, sizeof m, "msgs=%lu", (unsigned long)msgs);
	snprintf(nodes, sizeof nodes, "nodes=%u", n);
	for (unsigned i = 0; i < n; i++) {
		snprintf(idx, sizeof idx, "idx=%u", i);
		const char *args[] = { "node", idx, m, nodes, "hold=1" };
		err_t e = mon_spawn(i, "soak", i == stop ? 5 : 4, args, 0);
		if (e)
			printf("node %u not started: %s\n", i, err_str(e));
		started += e == ERR_OK;
	}
	return started;
}

static void inject(unsigned n, uint64_t stop, uint64_t stop_ms, uint64_t victims, bool hostile,
		   uint64_t t0)
{
	for (uint64_t v = 0; v < victims; v++) {
		unsigned core = (unsigned)((soak_now() >> 4) % n);
		if (core == stop && n > 1) /* a victim must be able to run to be killed */
			core = (core + 1) % n;
		const char *args[] = { "victim" };
		err_t e = mon_spawn(core, "soak", 1, args, 0);
		printf("injected: victim %lu on core %u at %lu ms: %s\n", (unsigned long)v, core,
		       (unsigned long)ms_since(t0), e ? err_str(e) : "spawned");
	}
	if (hostile) {
		err_t e = mon_spawn(n > 1 ? 1 : 0, "badmsg", 0, 0, 0);
		printf("injected: hostile badmsg at %lu ms: %s\n", (unsigned long)ms_since(t0),
		       e ? err_str(e) : "spawned");
	}
	if (stop < n) {
		sys_wait(stop_ms * TICK_HZ / 1000); /* let the traffic get going */
		err_t e = mon_stop_core((unsigned)stop);
		printf("injected: stop core %lu at %lu ms: %s\n", (unsigned long)stop,
		       (unsigned long)ms_since(t0), e ? err_str(e) : "stopped");
	}
}


/* Every live monitor's liveness counts, summed: suspicions raised and withdrawn, downs. */
static void liveness_report(uint64_t stop)
{
	uint64_t sum[6] = { 0 };
	unsigned cores = 0;
	for (unsigned c = 0; c < libos_ncores(); c++) {
		struct mon_query_reply r;
		if (c == stop || mon_query(c, MON_Q_LIVENESS, 0, 0, &r) || r.n != 1)
			continue;
		const struct mon_qentry *e = &mon_qentries(&r)[0];
		for (unsigned k = 0; k < 6; k++)
			sum[k] += e->v[k];
		cores++;
	}
	printf("liveness: raised=%lu withdrawn=%lu refuted=%lu declared=%lu false_down=%lu "
	       "escalated=%lu cores=%u\n", (unsigned long)sum[0], (unsigned long)sum[1],
	       (unsigned long)sum[2], (unsigned long)sum[3], (unsigned long)sum[4],
	       (unsigned long)sum[5], cores);
}

int soak_coord(int argc, char **argv)
{
	unsigned n = soak_nodes(argc, argv);
	uint64_t msgs = soak_arg(argc, argv, "msgs", 1000);
	uint64_t stop = soak_arg(argc, argv, "stop", NO_STOP);
	if (stop == libos_core_id()) {
		printf("cannot stop the coordinator's own core %lu\n", (unsigned long)stop);
		return 1;
	}
	uint64_t victims = soak_arg(argc, argv, "victims", 0);
	bool hostile = soak_arg(argc, argv, "hostile", 0) != 0;
	uint64_t t0 = soak_now();
	if (mon_register("soakcoord")) {
		printf("cannot register soakcoord\n");
		return 1;
	}
	printf("start cores=%u msgs=%lu per channel, %u channels\n", n, (unsigned long)msgs,
	       n * (n - 1));
	unsigned started = start_nodes(n, msgs, stop);
	inject(n, stop, soak_arg(argc, argv, "stop_ms", 500), victims, hostile, t0);
	unsigned expect = started - (stop < n ? 1 : 0), got = 0;
	struct soak_report sum;
	memset(&sum, 0, sizeof sum);
	for (unsigned k = 0; k < expect; k++) {
		struct soak_report r;
		err_t e = mon_accept_msg(SOAK_REPORT, &r, sizeof r, REPORT_TICKS);
		if (e) {
			printf("report %u of %u missing: %s\n", k + 1, expect, err_str(e));
			break;
		}
		got++;
		printf("report node %u: sent=%lu received=%lu lost=%lu corrupted=%lu abandoned=%lu "
		       "peers_abandoned=%u sleeps=%lu\n", r.idx, (unsigned long)r.sent,
		       (unsigned long)r.received, (unsigned long)r.lost, (unsigned long)r.corrupted,
		       (unsigned long)r.abandoned, r.peers_abandoned, (unsigned long)r.sleeps);
		sum.sent += r.sent - r.sent_dead;
		sum.received += r.received - r.recv_dead;
		sum.lost += r.lost;
		sum.corrupted += r.corrupted;
		sum.abandoned += r.abandoned;
	}
	uint64_t missing = sum.sent > sum.received + sum.lost ? sum.sent - sum.received - sum.lost : 0;
	sum.lost += missing;
	printf("totals: sent=%lu received=%lu lost=%lu corrupted=%lu abandoned=%lu nodes=%u/%u "
	       "time=%lu ms\n", (unsigned long)sum.sent, (unsigned long)sum.received,
	       (unsigned long)sum.lost, (unsigned long)sum.corrupted, (unsigned long)sum.abandoned,
	       got, expect, (unsigned long)ms_since(t0));
	liveness_report(stop);
	bool ok = got == expect && !sum.lost && !sum.corrupted && sum.sent == sum.received;
	printf("result: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
