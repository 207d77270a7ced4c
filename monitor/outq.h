/*
 * monitor/outq.h: an outgoing queue in front of one URPC channel the
 * monitor sends on (monitor/outq.c).
 *
 * The monitor never blocks on a full channel: a message goes straight into
 * the ring when nothing waits and the ring has room, and otherwise joins
 * the queue, oldest first, so the order on the channel is the order of
 * sending.  outq_flush pushes what waits while the ring has room (the
 * monitor calls it after every dispatch).  Back pressure: past `max`
 * waiting messages outq_send refuses with ERR_FULL, and logs that once per
 * episode (until the queue has drained); the caller fails its request.
 * Used for the links to other monitors (route.c, 256 per link) and the
 * channels to this core's domains (local.c, 256 per domain).
 *
 * How the sender learns of room: a URPC receiver publishes its credit
 * with a plain store and notifies no one, so the monitor sees room only
 * when it looks.  A domain wakes its monitor itself when a receive gives
 * room back while the ring was nearly full (libos/monclient.c,
 * urpc_rx_sender_may_wait), so the monitor pushes a domain's queue as the
 * domain reads; links are looked at every tick while anything waits
 * (main.c).
 *
 * The queue owns its messages (heap blocks, malloc); outq_drop frees them.
 * One thread: the monitor's loop.
 */
#ifndef MONITOR_OUTQ_H
#define MONITOR_OUTQ_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lib/err.h>
#include <urpc/urpc.h>

struct outq_msg;

struct outq {
	struct outq_msg *head, *tail;   /* waiting for room, oldest first */
	unsigned len, max;
	bool full_logged;               /* the refusal of this episode was logged */
	char who[24];                   /* for log lines: "link to core 3", "domain 7" */
	/* Name of a queued type word for log lines (the link word carries hops). */
	const char *(*type_name)(uint16_t type);
};

/* An empty queue of at most max messages; who names the channel in log lines. */
void outq_init(struct outq *q, unsigned max, const char *who,
	       const char *(*type_name)(uint16_t type));
/*
 * Sends msg on c, or queues it behind what waits.  ERR_OK: sent or queued;
 * ERR_FULL: max messages wait (logged once per episode); ERR_NOMEM: no heap
 * for it; another error of urpc_send (ERR_TOOBIG, ...): not sent.
 */
err_t outq_send(struct outq *q, struct urpc_chan *c, uint16_t type, const void *msg,
		size_t len);
/* Pushes waiting messages into c while it has room; one urpc_send refuses for
 * another reason than room is logged and dropped. */
void outq_flush(struct outq *q, struct urpc_chan *c);
/* Frees everything waiting (the channel's peer is gone or was replaced). */
void outq_drop(struct outq *q);
static inline bool outq_waiting(const struct outq *q)
{
	return q->head != 0;
}

#endif
