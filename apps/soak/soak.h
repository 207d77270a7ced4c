/*
 * soak.h: traffic between every pair of cores at once, every message
 * checked end to end, with faults injected on the way.
 *
 *   soak coord msgs=M [stop=K] [victims=V] [hostile=1]     (core 0)
 *   soak node idx=I msgs=M                                  (every core)
 *   soak victim                                             (faults at a random time)
 *
 * Every node registers "soak<I>", binds a channel to every other node (it
 * sends on those) and accepts one from every other node (it receives on
 * those): n*(n-1) channels in all, each carrying M messages of mixed sizes
 * (8 to 200 bytes: one to four slots), sent in batches of up to 8, each
 * with the sender, a per-channel sequence number and a checksum of its
 * bytes.  A receiver checks every message: a sequence gap is a loss, a bad
 * checksum a corruption.  A node with nothing to do sleeps (SYS_WAIT) and
 * is woken by its senders' notifications.
 *
 * A peer whose core stopped (its name is gone from the monitors' registry)
 * is abandoned: what it did not send or receive counts as abandoned, never
 * as lost.  Each node reports its totals to the coordinator ("soakcoord"),
 * which prints the totals and what was injected and observed.
 */
#ifndef APPS_SOAK_H
#define APPS_SOAK_H
#include <stdint.h>
#include <if/soak.h>            /* the messages: if/soak.if */

#define SOAK_MAX_CORES 64
#define SOAK_BATCH 8
#define SOAK_HDR_LEN ((uint32_t)offsetof(struct soak_data, payload))

int soak_coord(int argc, char **argv);
int soak_node(int argc, char **argv);
int soak_victim(void);

uint64_t soak_arg(int argc, char **argv, const char *key, uint64_t def);
/* The nodes of this run: nodes=K, at most SOAK_MAX_CORES and the cores there are. */
unsigned soak_nodes(int argc, char **argv);
/*
 * How long a node waits for its peers' names and channels: base_ms, or a
 * monitor call's time-out (sys/limits.h) when that is longer: at 255 cores
 * the nodes' registrations, each a round through every monitor, come tens
 * of seconds apart under load.
 */
uint64_t soak_patience_ms(uint64_t base_ms);
uint64_t soak_now(void);

#endif
