/*
 * coord.c: the benchmark's coordinator (core 0).
 *
 * Pairs: every ordered pair of distinct cores ("all", the default up to 8
 * cores) or, above 8 cores or with pairs=sample, a documented sample: 16
 * cores spread evenly (every n/16th), each to and from core 0 and to its
 * next core (i -> i+1 mod n): about 3 x 16 pairs whatever the core count.
 * Plus one same-core pair (on core 1; on core 0 on a single core and with
 * the sample) for the kernel's same-core IPC path.  Pairs run one after the other, so they do
 * not disturb each other.
 *
 * Output (after "core 0: pingpong: "), one line per pair and a summary:
 *   progress K/N pair S->D
 *   result pair=K src=S dst=D urpc_med=.. urpc_p99=.. urpc_min=..
 *          stream_msgs=.. stream_cycles=.. kipc_med=.. kipc_p99=.. kipc_min=..
 *          raw_med=.. err=E stream_waits=W bare_med=.. bare_p99=.. bare_min=..
 *          bare_waits=.. urpc_waits=.. rounds=R raw_p99=.. raw_min=..
 *          sblk_med=.. sblk_p99=.. sblk_min=.. sblk_msgs=..
 *          ring_med=.. ring_p99=.. ring_min=..
 *     (urpc: the IDL layer's round trip; bare: URPC's own; raw: the word;
 *      ring: the raw ring, URPC's memory pattern without its protocol;
 *      sblk: cycles of one stream block of sblk_msgs messages; stream_*:
 *      the R blocks together; measured interleaved, R blocks of each: client.c)
 *   matrix ... (URPC median round trip, cycles; rows = source core)
 *   done pairs=N failed=F tsc_hz=H
 *
 * kipc=N (default: iters) kernel-IPC round trips per pair; kipc=0 skips
 * them (tools/tcg-budget.py profiles the channels' round trips alone).
 *
 * Nothing waits for ever: a pair whose spawn or bind fails, or whose
 * client sends no result within result_ms (default 2 minutes, to bind,
 * then again to send), gets its error in its result line (err=E), and the
 * coordinator ends both its domains (with the kill right) so the run still
 * ends.  silent=K (a test) makes pair K's client bind to the coordinator
 * and exit without measuring or reporting: its server waits for a client
 * that never comes, the coordinator for a result that never comes.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <sys/rights.h>
#include "pingpong.h"

#define MAX_PAIRS 600
#define SAMPLE_CORES 16
#define RESULT_MS 120000   /* 2 minutes per pair under TCG (result_ms=) */
#define NO_PAIR UINT64_MAX

static uint32_t pair_src[MAX_PAIRS], pair_dst[MAX_PAIRS];

/* Sample: up to SAMPLE_CORES cores spread evenly; each to and from core 0, and to its next core. */
static bool sampled(unsigned c, unsigned n)
{
	unsigned stride = n > SAMPLE_CORES ? n / SAMPLE_CORES : 1;
	return c % stride == 0;
}

/*
 * The core of the same-core pair (the kernel's same-core path): core 1, off
 * the coordinator's core; but on a sampled machine core 0.  Its two domains
 * need about 140 frames of one core's pool (server 40 + 12 page tables,
 * client 56 + 14, their kernel stacks and channels), and at 255 cores in
 * 512 MiB an AP's 1.5 MiB pool has 157 free beside its monitor, whose heap
 * grows as it serves them: the pair's binds failed "out of memory" there.
 * The boot core's pool is the large one (up to 64 MiB, kernel/corepool.h).
 */
static unsigned same_core_pair_core(unsigned n, bool sample)
{
	return n > 1 && !sample ? 1 : 0;
}

static unsigned make_pairs(unsigned n, bool sample)
{
	unsigned k = 0;
	for (unsigned s = 0; s < n; s++)
		for (unsigned d = 0; d < n && k < MAX_PAIRS - 1; d++) {
			bool take = s != d && (!sample || (sampled(s, n) &&
				(d == 0 || d == (s + 1) % n)) || (s == 0 && sampled(d, n)));
			if (take) {
				pair_src[k] = s;
				pair_dst[k++] = d;
			}
		}
	pair_src[k] = pair_dst[k] = same_core_pair_core(n, sample);
	return k + 1;
}

static err_t spawn_pair(unsigned k, uint64_t iters, uint64_t stream, uint64_t kipc,
		       bool silent, uint32_t dom[2])
{
	char name[16], pair[16], dst[16], it[32], st[32], same[16], sp[32], si[16], ki[32];
	snprintf(name, sizeof name, "name=pp%u", k);
	snprintf(pair, sizeof pair, "pair=%u", k);
	snprintf(dst, sizeof dst, "dst=%u", pair_dst[k]);
	snprintf(it, sizeof it, "iters=%lu", (unsigned long)iters);
	snprintf(st, sizeof st, "stream=%lu", (unsigned long)stream);
	snprintf(same, sizeof same, "samecore=%u", pair_src[k] == pair_dst[k]);
	snprintf(sp, sizeof sp, "spins=%u", pp_spins);
	const char *serve[] = { "serve", name, sp };
	snprintf(si, sizeof si, "silent=%u", silent);
	snprintf(ki, sizeof ki, "kipc=%lu", (unsigned long)kipc);
	const char *client[] = { "client", name, pair, dst, it, st, same, sp, si, ki };
	/* both measure kernel IPC too: the kipc right (the manifest gives it us) */
	err_t e = mon_spawn_rights(pair_dst[k], "pingpong", 3, serve, DOMAIN_RIGHT_KIPC, &dom[0]);
	if (!e)
		e = mon_spawn_rights(pair_src[k], "pingpong", 10, client, DOMAIN_RIGHT_KIPC, &dom[1]);
	return e;
}

/*
 * A pair that failed may leave a side waiting for the other for ever (a
 * server whose client never came, a client whose server died): end both,
 * so that the run still ends.  Needs the kill right; without it say so.
 */
static void end_pair(unsigned k, const uint32_t dom[2])
{
	static const char *const side[2] = { "server", "client" };
	const uint32_t core[2] = { pair_dst[k], pair_src[k] };
	for (unsigned i = 0; i < 2; i++) {
		struct mon_query_reply r;
		err_t e = dom[i] ? mon_query(core[i], MON_Q_KILL, 0, dom[i], &r) : ERR_OK;
		if (e && e != ERR_NOENT) /* NOENT: it ended by itself */
			printf("pair %u: cannot end its %s %u:%u: %s\n", k, side[i], core[i], dom[i],
			       err_str(e));
	}
}


static void print_result(unsigned k, const struct pp_result *r)
{
	printf("result pair=%u src=%u dst=%u urpc_med=%lu urpc_p99=%lu urpc_min=%lu "
	       "stream_msgs=%lu stream_cycles=%lu kipc_med=%lu kipc_p99=%lu kipc_min=%lu "
	       "raw_med=%lu err=%d stream_waits=%lu bare_med=%lu bare_p99=%lu bare_min=%lu "
	       "bare_waits=%lu urpc_waits=%lu rounds=%lu raw_p99=%lu raw_min=%lu "
	       "sblk_med=%lu sblk_p99=%lu sblk_min=%lu sblk_msgs=%lu "
	       "ring_med=%lu ring_p99=%lu ring_min=%lu\n",
	       k, r->src, r->dst, (unsigned long)r->urpc.median, (unsigned long)r->urpc.p99,
	       (unsigned long)r->urpc.min, (unsigned long)r->stream_msgs,
	       (unsigned long)r->stream_cycles, (unsigned long)r->kipc.median,
	       (unsigned long)r->kipc.p99, (unsigned long)r->kipc.min,
	       (unsigned long)r->raw.median, r->err, (unsigned long)r->stream_waits,
	       (unsigned long)r->bare.median, (unsigned long)r->bare.p99,
	       (unsigned long)r->bare.min, (unsigned long)r->bare_waits,
	       (unsigned long)r->urpc_waits, (unsigned long)r->rounds,
	       (unsigned long)r->raw.p99, (unsigned long)r->raw.min,
	       (unsigned long)r->stream_block.median, (unsigned long)r->stream_block.p99,
	       (unsigned long)r->stream_block.min, (unsigned long)r->stream_block_msgs,
	       (unsigned long)r->ring.median, (unsigned long)r->ring.p99,
	       (unsigned long)r->ring.min);
}

static void print_matrix(unsigned n, unsigned npairs, const struct pp_result *res)
{
	char line[1024];
	int at = snprintf(line, sizeof line, "matrix urpc_med src\\dst");
	for (unsigned d = 0; d < n && at < 900; d++)
		at += snprintf(line + at, sizeof line - at, " %8u", d);
	printf("%s\n", line);
	for (unsigned s = 0; s < n; s++) {
		at = snprintf(line, sizeof line, "matrix %6u         ", s);
		for (unsigned d = 0; d < n && at < 1000; d++) {
			uint64_t v = 0;
			for (unsigned k = 0; k < npairs; k++)
				if (res[k].src == s && res[k].dst == d && s != d && !res[k].err)
					v = res[k].urpc.median;
			at += v ? snprintf(line + at, sizeof line - at, " %8lu", (unsigned long)v)
				: snprintf(line + at, sizeof line - at, " %8s", "-");
		}
		printf("%s\n", line);
	}
}

int pp_coord(int argc, char **argv)
{
	unsigned n = libos_ncores();
	uint64_t iters = pp_arg(argc, argv, "iters", 1000);
	uint64_t stream = pp_arg(argc, argv, "stream", 10000);
	uint64_t kipc = pp_arg(argc, argv, "kipc", iters); /* kernel IPC trips (0: none) */
	const char *mode = pp_arg_str(argc, argv, "pairs", n > 8 ? "sample" : "all");
	uint64_t result_ticks = pp_arg(argc, argv, "result_ms", RESULT_MS) * TICK_HZ / 1000;
	uint64_t silent = pp_arg(argc, argv, "silent", NO_PAIR); /* a test: that client fails */
	unsigned npairs = make_pairs(n, strcmp(mode, "sample") == 0);
	struct pp_result *res = calloc(npairs, sizeof *res);
	err_t e = res ? mon_register("ppcoord") : ERR_NOMEM;
	if (e) {
		printf("coordinator: %s\n", err_str(e));
		free(res);
		return 1;
	}
	printf("start cores=%u pairs=%u (%s) iters=%lu stream=%lu spins=%u\n", n, npairs, mode,
	       (unsigned long)iters, (unsigned long)stream, pp_spins);
	unsigned failed = 0;
	for (unsigned k = 0; k < npairs; k++) {
		printf("progress %u/%u pair %u->%u\n", k + 1, npairs, pair_src[k], pair_dst[k]);
		uint32_t dom[2] = { 0, 0 };
		e = spawn_pair(k, iters, stream, kipc, k == silent, dom);
		if (!e)
			e = mon_accept_msg(PP_RESULT, &res[k], sizeof res[k], result_ticks ? result_ticks : 1);
		if (!e)
			e = pp_msg_check(PP_RESULT, &res[k], sizeof res[k], 0, NULL, 0);
		if (e) {
			res[k].err = e;
			res[k].src = pair_src[k];
			res[k].dst = pair_dst[k];
			end_pair(k, dom);
		}
		failed += res[k].err != 0;
		print_result(k, &res[k]);
	}
	print_matrix(n, npairs, res);
	printf("done pairs=%u failed=%u tsc_hz=%lu\n", npairs, failed,
	       (unsigned long)libos_tsc_hz());
	free(res);
	return failed ? 1 : 0;
}
