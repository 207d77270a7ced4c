/*
 * chantable.h: one core's table of channel parties, the pure part of
 * chanwake.h (no CPU, no interrupts: tested on the host, test_chantable).
 *
 * An entry says "local domain `domain_id` is a party of the channel area at
 * `pa`; the other party is on core `peer`".  Only the owner core adds and
 * removes entries; any core reads them and may move `state` (chanwake.h)
 * and set the SEEN mark.
 *
 * Whether the other party lives.  A channel has two parties, mapped one
 * after the other, possibly seconds apart (the service's side when its
 * monitor makes the area, the client's when the answer reaches the
 * client's monitor: at 255 vCPUs on two host CPUs that can take many
 * seconds).  So "the other party has no entry" means one of two things,
 * and the table tells them apart:
 *
 *   not yet   the other party never had an entry: its side is on its way;
 *   gone      it had one (SEEN) and has removed it: it ended, or its link
 *             moved.
 *
 * SEEN is set when the parties meet: each adder, after publishing its own
 * entry, looks for the other's (a full fence between the two: Dekker's
 * pattern), and whoever finds the other marks both.  Two parties adding at
 * the same moment cannot both miss each other, so once both have added,
 * both entries are SEEN; one that never adds leaves the other unSEEN.
 * chantable_peer() then answers HERE, NOT_YET (unSEEN, younger than the
 * bound) or GONE (SEEN and absent, or unSEEN past the bound: a party that
 * has not mapped by then never will, its bind gave up).
 *
 * The mark is a bit of the `pa` word, set by compare-and-swap against the
 * exact area address, so a core that raced with the reuse of an entry for
 * another area cannot mark the new one.  (The same area reused for a new
 * channel in that instant could be marked early: its "not yet" would read
 * as "gone", an ERR_DEAD the client's bind retry recovers from.)
 */
#ifndef KERNEL_CHANTABLE_H
#define KERNEL_CHANTABLE_H
#include <stdbool.h>
#include <stdint.h>
#include <lib/err.h>

#define CHANTABLE_SEEN 1ull        /* in `pa`: the other party had an entry */

struct chanwake_entry {
	uint32_t valid;         /* owner: release-stored after the fields */
	uint32_t state;         /* WAKE_* of chanwake.c: any core (compare-and-swap) */
	uint32_t domain_id;     /* owner */
	uint32_t peer;          /* owner */
	uint64_t pa;            /* owner; CHANTABLE_SEEN: any core (compare-and-swap) */
	uint64_t since;         /* owner: the clock when added (chantable_peer's unit) */
};

struct chanwake_table {
	uint32_t broadcast;     /* a core notification is pending: wake all */
	uint32_t nentries;      /* owner, before the table is published */
	uint32_t pad[6];
	struct chanwake_entry e[];
};
_Static_assert(sizeof(struct chanwake_table) == 32 && sizeof(struct chanwake_entry) == 32,
	       "one entry per half cache line");

enum chan_peer { CHAN_PEER_HERE, CHAN_PEER_NOT_YET, CHAN_PEER_GONE };

/* An empty table of n entries. */
void chantable_init(struct chanwake_table *t, uint32_t n);
/* Add (owner): a free entry for (pa, domain, peer) at clock `now`; 0 if full. */
struct chanwake_entry *chantable_add(struct chanwake_table *t, uint64_t pa, uint32_t domain,
				     uint32_t peer, uint64_t now);
/*
 * After chantable_add, with the peer core's table (0 if it has none): look
 * for the other party (same area; on the same core, another domain) and
 * mark both SEEN if it is there.
 */
void chantable_meet(struct chanwake_entry *mine, struct chanwake_table *peer_table,
		    bool same_core);
/* The entry's area address, without the mark. */
uint64_t chantable_pa(const struct chanwake_entry *e);
/* Whether the entry's other party ever had an entry. */
bool chantable_seen(const struct chanwake_entry *e);
/*
 * The valid entry of t for area pa: domain `id`'s if id != 0, otherwise
 * any domain's but `not_id`'s.  0 if none.
 */
struct chanwake_entry *chantable_find(struct chanwake_table *t, uint64_t pa, uint32_t id,
				      uint32_t not_id);
/*
 * The other party of `mine`, found (`other`, 0 if absent) at clock `now`:
 * HERE, NOT_YET (never had an entry, and `mine` is younger than `bound`),
 * or GONE.
 */
enum chan_peer chantable_peer(const struct chanwake_entry *mine,
			      const struct chanwake_entry *other, uint64_t now, uint64_t bound);

#endif
