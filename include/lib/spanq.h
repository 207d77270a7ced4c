/*
 * spanq.h: the queue of page-table changes from a spanning domain's home
 * CPU driver to one instance's CPU driver (the lazy path of unmap and
 * protect; the protocol and why it is safe: cpudriver/include/kernel/span.h).
 *
 * One page shared by exactly two cores, every word with one writer:
 *   home (producer):  entries e[], head
 *   instance:         tail, running
 * Producer:  spanq_room, spanq_push (per change), spanq_fence once, then
 *            spanq_running: 1 means the instance may be running and must
 *            be told by a message; 0 means its next spanq_enter sees the
 *            change before the instance runs.
 * Consumer:  spanq_enter (running = 1, full fence), spanq_drain (apply
 *            tail..head in order), spanq_leave (running = 0, only once no
 *            translation of the instance can be in use any more).
 * Pure and freestanding (no allocation): the host test runs both sides.
 */
#ifndef LIB_SPANQ_H
#define LIB_SPANQ_H
#include <stdbool.h>
#include <stdint.h>
#include <lib/err.h>

#define SPANQ_LEN 64u              /* changes queued for one instance */

struct span_change {               /* an unmap or protect of a range */
	uint32_t op;               /* SPAN_VM_UNMAP or SPAN_VM_PROTECT (sys/monitor.h) */
	uint32_t pages;
	uint64_t va;
	uint64_t flags;            /* PROTECT: SYS_MAP_WRITE / SYS_MAP_EXEC */
	uint64_t seq;              /* the producer's count, for checking */
};

struct span_queue {
	uint64_t head;             /* written by the producer only */
	uint8_t pad0[56];
	uint64_t tail;             /* written by the consumer only */
	uint32_t running;          /* ditto */
	uint8_t pad1[52];
	struct span_change e[SPANQ_LEN];   /* the producer's */
};

/* Producer: free entries (the consumer's tail read with acquire). */
unsigned spanq_room(const struct span_queue *q);
/* Producer: append c (the caller checked the room); published with release. */
void spanq_push(struct span_queue *q, const struct span_change *c);
/* Either side: a full fence (store-load order), between the push and the read of running. */
void spanq_fence(void);
/* Producer: may the consumer run the instance (read after spanq_fence)? */
bool spanq_running(const struct span_queue *q);

/* Consumer: running = 1 and a full fence; call spanq_drain next. */
void spanq_enter(struct span_queue *q);
/* Consumer: running = 0 (release). */
void spanq_leave(struct span_queue *q);
/*
 * Consumer: apply every published change in order, then advance tail past
 * them.  A head more than SPANQ_LEN ahead of tail is corrupt: ERR_INVAL,
 * nothing applied.  The first change apply refuses stops the drain (tail
 * stays at it) and its error is returned.  *applied counts the changes.
 */
err_t spanq_drain(struct span_queue *q, err_t (*apply)(void *ctx, const struct span_change *c),
		  void *ctx, uint64_t *applied);
#endif
