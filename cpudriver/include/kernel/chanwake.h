/*
 * chanwake.h: notifications per channel (SYS_NOTIFY with a channel address).
 *
 * Every core keeps a table of the channel areas mapped into its domains: one
 * entry per (area, local domain), with the core of the other party.  The
 * kernel adds entries when it maps an area (a monitor's channel to its
 * child, SYS_CHAN_CREATE, SYS_CHAN_MAP) and removes a domain's entries when
 * it ends.  SYS_NOTIFY(channel va) finds the caller's own entry (so only a
 * party of the channel can notify through it), then the other party's entry
 * in the peer core's table, and moves that entry's state:
 *
 *   IDLE -> POSTED     by the sender (compare-and-swap), which then sends
 *                      the notification IPI; if the entry is not IDLE the
 *                      notification coalesces with the one already on its
 *                      way or delivered: no IPI
 *   POSTED -> DELIVERED  by the owner core's IPI handler, which wakes that
 *                      one domain (or leaves it a pending notification)
 *   DELIVERED -> IDLE  when that domain consumes its notification: a
 *                      SYS_WAIT returns (at once for a pending one, or
 *                      after being woken), sched_consume_notification
 *
 * So a flood of notifications costs the target core at most one IPI and
 * one wake-up per SYS_WAIT of the target domain, wakes no other domain, and
 * loses no wake-up: a notification that coalesces (finds POSTED or
 * DELIVERED) is one the domain has not consumed yet, so its next wait
 * returns at once and it re-checks its channels; one posted after the
 * consumption finds IDLE and sends its own IPI.  (Re-arming when a wait
 * *starts* instead would lose one: woken from a wait, the domain would
 * leave DELIVERED behind, a sender would coalesce into it, and the next
 * wait would re-arm and sleep with nothing pending.)
 *
 * The table itself, and how it tells a party that has not mapped its side
 * yet from one that has left, is kernel/chantable.h.
 *
 * Each table lives in its owner's memory (published through core_status);
 * only the owner writes `valid` and the fixed fields (release after the
 * fields), any core may move `state`.  A sender racing with the reuse of an
 * entry can at worst wake the wrong domain once: spurious wake-ups are
 * allowed by every waiter (they re-check their channels), missed ones never.
 */
#ifndef KERNEL_CHANWAKE_H
#define KERNEL_CHANWAKE_H
#include <stdint.h>
#include <lib/err.h>

/*
 * A core's table has one entry per monitor link of the core (its monitor is
 * a party of each: core 0 has one to every core) and this many for the
 * channels of its domains (two per child of the monitor, one per end of
 * every SYS_CHAN_CREATE/SYS_CHAN_MAP).
 */
#define CHANWAKE_DOMAIN_ENTRIES 254

struct domain;

/* Allocate and publish the calling core's table (sched_init). */
void chanwake_init(void);
/* d (a local domain) is a party of the area at pa; the other is on peer. */
err_t chanwake_add(uint64_t pa, const struct domain *d, unsigned peer);
/* d is no longer a party of the area at pa (a monitor link moved). */
void chanwake_remove(uint64_t pa, const struct domain *d);
/* d ended: forget its entries. */
void chanwake_remove_domain(const struct domain *d);
/* This core's entries for areas starting in [base, end) (kernel/poolreuse.h). */
unsigned chanwake_count_in(uint64_t base, uint64_t end);
/*
 * SYS_NOTIFY(va) from d: ERR_PERM if d is no party of a channel at va;
 * ERR_DEAD if the other party is gone: it mapped the area and ended (or its
 * link moved), its core stopped, its core was restarted since (a new CPU
 * driver knows no old area), or it has not mapped its side within
 * MON_CALL_MS (its bind gave up).  A party that has not mapped its side
 * *yet* is not dead: ERR_OK, nothing to wake (kernel/chantable.h).
 */
err_t chanwake_notify(struct domain *d, uint64_t va);
/*
 * The old, coarse form, for domains with the right to notify cores (the
 * monitors): wake every domain of `core`.
 */
err_t chanwake_notify_core(unsigned core);
/*
 * SYS_NOTIFY(core) from d, a participant of the span with this key
 * (kernel/span.h): wake only the participant on `core`.  ERR_PERM if d
 * has no entry under key, ERR_NOENT if `core` has none (no participant
 * there).
 */
err_t chanwake_notify_key(struct domain *d, uint64_t key, unsigned core);
/* IPI handler part: deliver every POSTED entry of this core. */
void chanwake_deliver(void);
/* d consumed its notifications: its DELIVERED entries become IDLE again. */
void chanwake_rearm(const struct domain *d);

#endif
