/*
 * urpc: cache-line message channels between two parties on different cores.
 *
 * A channel lives in one shared memory area supplied by the caller (the OS
 * maps the same frames into both domains; on Linux it is aligned_alloc'd
 * memory shared by two threads).  The area holds a read-only header line
 * and two unidirectional rings, one per direction.  Ring d is sent by side d
 * and received by side 1-d.  Each ring is:
 *
 *   credit line   written only by the receiver: slots consumed so far
 *   sleep line    written only by the receiver: odd generation = asleep
 *   N slots       written only by the sender: 56 payload bytes, then an
 *                 8-byte control word (sequence, type, length, flags)
 *
 * Invariants, which together give one cache-line transfer per message:
 *  - Single writer per line.  Slots are written only by the sender, the
 *    credit and sleep lines only by the receiver, the header only by
 *    whoever calls urpc_area_init before the area is shared.
 *  - A slot is published by one release store of its control word, after
 *    its payload.  The word carries the slot's absolute sequence number
 *    (mod 2^32), so the receiver knows a slot is new by comparing it with
 *    the number it expects next; the previous lap's value never matches.
 *  - A message of more than 56 bytes spans consecutive slots; the sender
 *    publishes its first slot last, so a receiver sees a whole message or
 *    nothing of it.
 *  - Credits are batched: the receiver publishes its progress only every
 *    quarter ring, so the sender's view of free space lags by less than a
 *    quarter ring and the sender reads the credit line only when its cached
 *    view says the ring is full.  A message may therefore use at most three
 *    quarters of the ring (urpc_max_msg()); any such message always fits
 *    once the receiver has drained the ring.
 *  - Sending never blocks: urpc_send returns ERR_FULL and sends nothing of
 *    the message when there is no room (back-pressure, nothing lost).
 *  - Receiving may block: urpc_recv polls a bounded number of times, then
 *    sleeps with the Dekker-style protocol of urpc/notify.c, which loses no
 *    wake-up (argument in that file, spin model in tests/urpc/urpc.pml).
 *
 * Who may call what: each side of a channel is used by one thread at a
 * time (the channel has no locks).  The library is freestanding: it makes
 * no OS calls; the platform supplies notify/wait/pause hooks.  Like any
 * freestanding GCC code it may emit calls to memcpy and memset.
 */
#ifndef URPC_URPC_H
#define URPC_URPC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lib/err.h>

#define URPC_LINE            64
#define URPC_SLOT_PAYLOAD    56
#define URPC_MAGIC           0x43505255u     /* "URPC" little-endian */
#define URPC_VERSION         1u
#define URPC_MIN_SLOTS       4u
#define URPC_MAX_SLOTS       65536u
#define URPC_TYPE_MAX        0x7fffu          /* message types are 15 bits */
#define URPC_LEN_MAX         0xffffu          /* lengths are 16 bits */

/* ---- Shared layout (both sides map this; checked below) ---------------- */

/* One slot: written only by the ring's sender. */
struct urpc_slot {
	uint8_t payload[URPC_SLOT_PAYLOAD];
	_Atomic uint64_t ctrl;          /* last word: published last, release */
};

/* Receiver's progress: written only by the ring's receiver. */
struct urpc_credit_line {
	_Atomic uint32_t consumed;      /* slots consumed, published per batch */
	uint8_t pad[URPC_LINE - 4];
} __attribute__((aligned(URPC_LINE)));

/*
 * Receiver's sleep state: written only by the ring's receiver.  Bit 0 of
 * gen: asleep or about to sleep; URPC_SLEEP_BARRIER: the receiver's sleep
 * runs an asymmetric barrier on the sender (urpc_rx_set_barrier), so a
 * sender needs no fence of its own (set once, never cleared).
 */
#define URPC_SLEEP_BARRIER   (1ull << 63)
struct urpc_sleep_line {
	_Atomic uint64_t gen;           /* odd: receiver is (going) asleep */
	uint8_t pad[URPC_LINE - 8];
} __attribute__((aligned(URPC_LINE)));

/* Head of one direction; N slots follow it. */
struct urpc_ring_hdr {
	struct urpc_credit_line credit;
	struct urpc_sleep_line sleep;
};

/* First line of the area: written once by urpc_area_init, then read-only. */
struct urpc_area_hdr {
	uint32_t magic;
	uint32_t version;
	uint32_t nslots;                /* per direction, a power of two */
	uint32_t first_seq;             /* counters' start value, normally 0 */
	uint8_t pad[URPC_LINE - 16];
} __attribute__((aligned(URPC_LINE)));

_Static_assert(sizeof(struct urpc_slot) == URPC_LINE, "slot is one line");
_Static_assert(offsetof(struct urpc_slot, ctrl) == URPC_LINE - 8,
	       "control word is the last word of the slot");
_Static_assert(sizeof(struct urpc_credit_line) == URPC_LINE, "credit line");
_Static_assert(_Alignof(struct urpc_credit_line) == URPC_LINE, "credit align");
_Static_assert(sizeof(struct urpc_sleep_line) == URPC_LINE, "sleep line");
_Static_assert(_Alignof(struct urpc_sleep_line) == URPC_LINE, "sleep align");
_Static_assert(offsetof(struct urpc_ring_hdr, sleep) == URPC_LINE,
	       "credit and sleep state on separate lines");
_Static_assert(sizeof(struct urpc_ring_hdr) == 2 * URPC_LINE, "ring header");
_Static_assert(sizeof(struct urpc_area_hdr) == URPC_LINE, "area header");
_Static_assert(offsetof(struct urpc_area_hdr, first_seq) == 12, "hdr ABI");

/*
 * Control word of a slot (little-endian fields of one uint64_t):
 *   bits  0..31  sequence: absolute slot number + 1, mod 2^32
 *   bits 32..47  total message length in bytes (same in every slot)
 *   bits 48..62  message type (same in every slot)
 *   bit  63      continuation: not the first slot of its message
 */
#define URPC_CTRL_SEQ(w)     ((uint32_t)(w))
#define URPC_CTRL_LEN(w)     ((uint32_t)((w) >> 32) & 0xffffu)
#define URPC_CTRL_TYPE(w)    ((uint32_t)((w) >> 48) & 0x7fffu)
#define URPC_CTRL_CONT       (1ull << 63)
#define URPC_CTRL(seq, len, type, cont)                                  \
	((uint64_t)(uint32_t)(seq) | (uint64_t)(len) << 32 |             \
	 (uint64_t)(type) << 48 | ((cont) ? URPC_CTRL_CONT : 0))

/* ---- Platform hooks ---------------------------------------------------- */

/*
 * notify(notify_arg): wake the peer, which may be blocked in wait (in the
 *   OS: a syscall that sends an IPI).  Sets a pending token the peer's
 *   wait consumes, so a notify that comes before the wait is not lost.
 *   May be NULL only if the peer never sleeps.
 * wait(wait_arg): block until this side's token is set, then clear it.
 *   May return early (spuriously); the library re-checks.  NULL: never
 *   sleep, urpc_recv keeps polling.
 * pause(): spin-loop hint (x86 `pause`) between a waitset's polling
 *   rounds; NULL for none.  urpc_recv and urpc_peek_wait poll inline
 *   and, when this hook is set, execute the CPU's own hint
 *   (urpc_cpu_pause) instead of calling it; when it is NULL they spin
 *   without a hint, as the OS wants under TCG (fastpath.h).
 * peer(notify_arg): is the other side still there?  ERR_OK, or the error
 *   urpc_recv returns instead of waiting on (ERR_DEAD: its core stopped).
 *   Asked only after a wait that brought nothing, so a wait hook that
 *   returns now and then (a bounded sleep) lets a blocked receiver notice
 *   a dead peer.  NULL: never asked.
 */
struct urpc_hooks {
	void (*notify)(void *arg);
	void *notify_arg;
	void (*wait)(void *arg);
	void *wait_arg;
	void (*pause)(void);
	err_t (*peer)(void *arg);
};

/* ---- Private per-side state (not shared) ------------------------------- */

/* Sending half of one side. */
struct urpc_tx {
	struct urpc_slot *slots;
	const struct urpc_ring_hdr *peer;   /* receiver's lines, read only */
	uint32_t mask;
	uint32_t head;                      /* next slot number to write */
	uint32_t consumed_seen;             /* receiver's credit, cached */
	uint32_t end;                       /* consumed_seen + slots: full */
	uint64_t notified_gen;              /* last sleep gen we notified */
};

/* Receiving half of one side. */
struct urpc_rx {
	const struct urpc_slot *slots;
	struct urpc_ring_hdr *own;          /* our credit and sleep lines */
	uint32_t mask;
	uint32_t tail;                      /* next slot number to read */
	uint32_t published;                 /* credit last published */
	uint32_t credit_mask;               /* publish at multiples of this+1 */
	uint64_t gen;                       /* our sleep generation */
	void (*barrier)(void *arg);         /* asymmetric barrier, or NULL */
	void *barrier_arg;
	bool held;                          /* urpc_peek lent slot `tail` */
	uint32_t waits;                     /* sleeps of urpc_recv and
					       urpc_peek_wait that blocked */
	uint32_t spin_shift;                /* they poll spins << this */
	err_t broken;                       /* latched error, ERR_OK if fine */
};

struct urpc_chan {
	struct urpc_tx tx;
	struct urpc_rx rx;
	struct urpc_hooks hooks;
	uint32_t max_msg;                   /* largest message, bytes */
};

/* One message of a batch. */
struct urpc_msg {
	uint16_t type;
	uint16_t len;
	const void *data;
};

/* ---- Area and channel setup (urpc/area.c) ------------------------------ */

/* Bytes of shared memory a channel with `nslots` slots per direction needs. */
size_t urpc_area_size(uint32_t nslots);

/*
 * Format a shared area: zero it and write its header.  Call once, before
 * the peer can see the area.  `area` must be 64-byte aligned, `nslots` a
 * power of two in [URPC_MIN_SLOTS, URPC_MAX_SLOTS] and `size` at least
 * urpc_area_size(nslots).  `first_seq` is the counters' start value: 0
 * normally; tests pass values near 2^32 to exercise counter wrap-around.
 */
err_t urpc_area_init(void *area, size_t size, uint32_t nslots,
		     uint32_t first_seq);

/*
 * Attach side 0 or 1 of a formatted area.  Validates the header (magic,
 * version, size) before touching anything; ERR_BADMAGIC, ERR_INVAL or
 * ERR_RANGE if it is wrong.  The hooks are copied.
 */
err_t urpc_chan_init(struct urpc_chan *c, void *area, size_t size,
		     unsigned side, const struct urpc_hooks *hooks);

/* Largest message length this channel carries, in bytes. */
static inline uint32_t urpc_max_msg(const struct urpc_chan *c)
{
	return c->max_msg;
}

/* ---- Sending (urpc/send.c) --------------------------------------------- */

/*
 * Send one message without blocking.  ERR_OK: queued, and the peer
 * notified if it sleeps.  ERR_FULL: no room now, nothing was written.
 * ERR_TOOBIG: len > urpc_max_msg().  ERR_INVAL: type > URPC_TYPE_MAX.
 */
static inline err_t urpc_send(struct urpc_chan *c, uint16_t type,
			      const void *data, size_t len);

/*
 * Asynchronous send, for streams: queue one message like urpc_send but
 * without the sleep check (no fence, no notification).  A polling receiver
 * sees it at once; a sleeping one only after the sender's next urpc_tx_kick
 * (or urpc_send), so call urpc_tx_kick after each burst and before waiting
 * for anything.  On ERR_FULL it has run urpc_tx_kick itself, so a caller
 * that retries on ERR_FULL never waits for a receiver it did not wake.
 * Errors as urpc_send.
 */
static inline err_t urpc_send_async(struct urpc_chan *c, uint16_t type,
				    const void *data, size_t len);

/*
 * Send msgs[0..n) in order without blocking, stopping at the first that
 * does not fit; *sent is the number queued.  One fence and at most one
 * notification for the whole batch.  ERR_OK if all were sent, ERR_FULL if
 * some were not, or the error of the first invalid message.
 */
err_t urpc_send_batch(struct urpc_chan *c, const struct urpc_msg *msgs,
		      size_t n, size_t *sent);

/*
 * A burst of asynchronous sends with the sender's state in the caller's
 * registers, for streams: urpc_burst_begin reads the channel's send state
 * into *b, urpc_burst_send queues one message exactly like urpc_send_async
 * (same answers; on ERR_FULL it has kicked the receiver itself), and
 * urpc_burst_end writes the state back and runs urpc_tx_kick (the sleep
 * check, S2..S4 of urpc/notify.c), which every burst must end with before
 * the caller waits for anything.  Between begin and end the channel's own
 * send state is stale: no other send on the channel (its receives are
 * unaffected).  What it saves: urpc_send_async loads the head, the cached
 * credit, the ring's base and mask and the tracing switch for every
 * message, because the slot's release store lets the compiler assume they
 * changed; here they stay in registers (b must be a local whose address
 * goes nowhere else), and a message of one slot costs the room compare,
 * the copy and the release store of its control word.  The slots are
 * written in the same order and published by the same release stores as
 * by urpc_send_async, so the protocol is unchanged (the model's batched
 * sends: several publishes, one kick).  While tracing is on every message
 * goes out of line, where urpc_send_slow traces it.
 */
struct urpc_burst {
	struct urpc_chan *c;
	struct urpc_slot *slots;
	uint32_t mask;
	uint32_t head;                      /* next slot number to write */
	uint32_t end;                       /* head reaches it: out of line */
};
static inline void urpc_burst_begin(struct urpc_chan *c, struct urpc_burst *b);
static inline err_t urpc_burst_send(struct urpc_burst *b, uint16_t type,
				    const void *data, size_t len);
static inline void urpc_burst_end(struct urpc_burst *b);

/* Free slots as the sender currently knows them (refreshes the credit). */
uint32_t urpc_tx_space(struct urpc_chan *c);

/* Slots a message of `len` bytes occupies. */
static inline uint32_t urpc_slots_for(size_t len)
{
	return len == 0 ? 1 : (uint32_t)((len + URPC_SLOT_PAYLOAD - 1) /
					 URPC_SLOT_PAYLOAD);
}

/* ---- Receiving (urpc/recv.c) ------------------------------------------- */

/*
 * True if urpc_try_recv would not return ERR_EMPTY: a message is waiting
 * (it is not consumed) or the channel is broken.  While a sleep is
 * announced on a channel with a barrier (urpc_rx_set_barrier), it runs the
 * barrier first: that is step R3 of urpc_sleep's recheck.
 */
bool urpc_pending(const struct urpc_chan *c);

/*
 * Receiver's side: may the sender have found the ring full, by the credit
 * this side published last?  True when the ring holds a slot within the
 * largest message (urpc_max_msg) of the end of that credit's room: a
 * sender refused for room then (urpc_send's ERR_FULL) is certainly seen,
 * and a ring three quarters full may be taken for one.  Receive and, if
 * the receive published credit (rx.published moved), notify the sender:
 * it learns of room only when it looks (the monitor's queues,
 * monitor/outq.h).  One load; no effect on the channel.
 */
bool urpc_rx_sender_may_wait(const struct urpc_chan *c);

/*
 * Receiver's side: is the ring full by the credit this side published last,
 * so that the sender's next send, of any size, is refused for room?  Exact,
 * unlike urpc_rx_sender_may_wait.  One acquire load (a true answer makes
 * the sender's writes before its last slot visible); no effect on the
 * channel.
 */
bool urpc_rx_ring_full(const struct urpc_chan *c);

/*
 * Receive one message without blocking into buf[0..cap).  ERR_OK: *type
 * and *len set.  ERR_EMPTY: nothing there.  ERR_TOOBIG: the next message
 * has *len > cap bytes; it stays queued (retry with a larger buffer).
 * ERR_SYNTAX: the peer wrote a malformed message; the channel is broken
 * and every later call returns ERR_SYNTAX.  After any other answer *type
 * and *len are unspecified (unchanged or 0).
 */
static inline err_t urpc_try_recv(struct urpc_chan *c, uint16_t *type,
				  void *buf, size_t cap, size_t *len);

/*
 * Receive in place, for messages of one slot (up to URPC_SLOT_PAYLOAD
 * bytes): *data points at the payload inside the ring and stays valid
 * until urpc_release, which gives the slot back to the sender; nothing is
 * copied.  ERR_OK: *type, *data, *len set.  ERR_EMPTY: nothing there.
 * ERR_TOOBIG: the next message spans several slots (*len is its length);
 * it stays queued, receive it with urpc_try_recv.  ERR_SYNTAX: as
 * urpc_try_recv.  Call urpc_release exactly once after each ERR_OK and
 * before any other receive on the channel.  A hostile peer can rewrite the
 * bytes while you read them (it owns the slot's line): copy a field before
 * validating it if the peer is not trusted.  After any answer but ERR_OK
 * *data is unspecified (unchanged or NULL), as *type and *len are after
 * any answer but ERR_OK and ERR_TOOBIG.
 */
#define URPC_HAS_PEEK 1
static inline err_t urpc_peek(struct urpc_chan *c, uint16_t *type,
			      const void **data, size_t *len);
static inline void urpc_release(struct urpc_chan *c);

/*
 * Receive a stream in place with the receiver's state in the caller's
 * registers: urpc_drain_begin reads the channel's receive state into *d
 * (nothing may be lent by urpc_peek then), urpc_drain_peek lends the next
 * message as urpc_peek does, after polling its control word up to `spins`
 * times (no sleep: ERR_EMPTY when the poll runs out), urpc_drain_release
 * gives its slot back (exactly once after each ERR_OK, before the next
 * peek), and urpc_drain_end writes the state back; in between, no other
 * receive on the channel (its sends are unaffected).  A message peeked and
 * not released stays queued for the next receive after the end.  Answers
 * as urpc_peek: ERR_TOOBIG for a message of several slots, the latched
 * error of a broken channel.  What it saves: urpc_peek_wait and
 * urpc_release load the tail, the ring's base and mask, the credit batch,
 * the tracing switch, the poll's settings and the lent flag for every
 * message; here a message costs the acquire load of its control word, the
 * folded length check and, once a quarter ring, the credit, published out
 * of line after the caller is done with the payload, as urpc_release
 * does.  The same memory operations in the same order as urpc_peek and
 * urpc_release, so the protocol is unchanged.  Block with urpc_peek_wait
 * (or urpc_recv) when it answers ERR_EMPTY.
 */
#define URPC_HAS_DRAIN 1
struct urpc_drain {
	struct urpc_chan *c;
	const struct urpc_slot *slots;
	uint64_t w;                         /* word of the message lent last */
	uint32_t mask;
	uint32_t tail;                      /* next slot number to read */
	uint32_t cmask;                     /* credit batch mask, 0: tracing */
	bool hint;                          /* pause in the poll (a pause hook) */
};
static inline void urpc_drain_begin(struct urpc_chan *c, struct urpc_drain *d);
static inline err_t urpc_drain_peek(struct urpc_drain *d, uint16_t *type,
				    const void **data, size_t *len,
				    unsigned spins);
static inline void urpc_drain_release(struct urpc_drain *d);
static inline void urpc_drain_end(struct urpc_drain *d);

/* ---- Blocking receive and wake-up (urpc/notify.c) ---------------------- */

/*
 * Receive one message, polling up to `spins` times and then sleeping
 * through the wait hook until one arrives.  Errors as urpc_try_recv, never
 * ERR_EMPTY; or the peer hook's error (ERR_DEAD) when a wait brought
 * nothing and the peer is gone (a message it sent before is still taken).
 *
 * The poll adapts to streams: a receiver that wakes to find a quarter ring
 * or more already queued slept while its sender was streaming (and the
 * sender was held up by a full ring), so it polls twice as long from then
 * on, up to URPC_SPIN_SHIFT_MAX doublings; a wake to less halves the poll
 * again.  rx.waits counts the sleeps that blocked.
 */
#define URPC_SPIN_SHIFT_MAX 4
static inline err_t urpc_recv(struct urpc_chan *c, uint16_t *type, void *buf,
			      size_t cap, size_t *len, unsigned spins);

/*
 * Receive in place, blocking: urpc_peek after polling and sleeping as
 * urpc_recv does.  Errors as urpc_peek, never ERR_EMPTY, or the peer
 * hook's; after ERR_OK call urpc_release.
 */
static inline err_t urpc_peek_wait(struct urpc_chan *c, uint16_t *type,
				   const void **data, size_t *len,
				   unsigned spins);

/*
 * Sender's half of the sleep protocol, run after publishing: full fence
 * (none if the receiver declared URPC_SLEEP_BARRIER), read the receiver's
 * sleep generation, notify it if asleep and not yet notified for that
 * sleep.  urpc_send and urpc_send_batch call it; after urpc_send_async
 * the caller does.
 */
static inline void urpc_tx_kick(struct urpc_chan *c);

/*
 * Fence-free sending.  barrier(arg) must make the sending thread of this
 * channel's incoming ring execute a full memory barrier before it returns
 * (Linux: membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED); in an OS, an IPI to
 * the sender's core whose handler fences, acknowledged).  After this call
 * the receiver runs it in every sleep, between announcing the sleep and
 * re-checking the ring (urpc_pending does it while the sleep is announced),
 * and says so in its sleep line: the peer's sends then skip their fence.
 * Call from the receiving side, once, before sleeping on the channel; the
 * mode is never left.  ERR_INVAL if barrier is NULL.
 */
err_t urpc_rx_set_barrier(struct urpc_chan *c, void (*barrier)(void *arg),
			  void *arg);

/*
 * Receiver's half for one channel, as steps for urpc_sleep: declare this
 * side asleep (R1, no fence), and declare it awake again (R5).
 */
void urpc_rx_sleep_begin(struct urpc_chan *c);
void urpc_rx_sleep_end(struct urpc_chan *c);

/*
 * The receiver's sleep, over one or many event sources (URPC channels or
 * anything else whose waker follows the sender's half above): the one
 * implementation of steps R1..R5 that every blocking receive in the
 * system uses (urpc_recv, both waitsets, the monitor client, the soak):
 *
 *   R1 announce(ctx, i) for every source i < n   "notify me from now on"
 *   R2 full fence
 *   R3 recheck(ctx): is any source ready?         yes: skip R4
 *   R4 wait(ctx): block until the token is set (may return early)
 *   R5 withdraw(ctx, i) for every source i < n
 *
 * announce and withdraw may be NULL (a source with nothing to announce).
 * recheck may remember which source it found; it must not consume.
 * Returns true if it waited (R4 ran), false if R3 found work.  The
 * argument that no wake-up is lost is in urpc/notify.c; the spin model
 * tests/urpc/urpc.pml follows these steps.
 */
struct urpc_sleep_ops {
	void (*announce)(void *ctx, size_t i);
	bool (*recheck)(void *ctx);
	void (*wait)(void *ctx);
	void (*withdraw)(void *ctx, size_t i);
};
bool urpc_sleep(const struct urpc_sleep_ops *ops, void *ctx, size_t n);

/* ---- Waitset: one thread polling many channels (urpc/waitset.c) -------- */

/*
 * A waitset polls its channels round robin: each call starts after the
 * channel it returned last, so a busy channel cannot starve the others.
 * Every channel in a set must deliver its notifications to the set's
 * wait hook (they share one token).  The caller owns the array.
 */
struct urpc_waitset {
	struct urpc_chan **chans;
	size_t n, cap;
	size_t next;                        /* where the next poll starts */
	struct urpc_hooks hooks;            /* wait and pause used by wait */
};

void urpc_waitset_init(struct urpc_waitset *ws, struct urpc_chan **storage,
		       size_t cap, const struct urpc_hooks *hooks);
/* ERR_FULL if the storage is full, ERR_EXIST if already a member. */
err_t urpc_waitset_add(struct urpc_waitset *ws, struct urpc_chan *c);
err_t urpc_waitset_remove(struct urpc_waitset *ws, struct urpc_chan *c);

/* Next channel with a pending message, round robin; NULL if none. */
struct urpc_chan *urpc_waitset_poll(struct urpc_waitset *ws);

/*
 * Next channel with a pending message, polling `spins` rounds and then
 * sleeping until one of the channels is notified.  NULL only if the set
 * is empty.
 */
struct urpc_chan *urpc_waitset_wait(struct urpc_waitset *ws, unsigned spins);

/* ---- Tracing hook (urpc/trace.c) ---------------------------------------- */

/*
 * One tracer per program (the OS's libos installs it).  When *on is non-zero
 * fn is called on send (n = first slot number, w = its control word),
 * receive (n, w of the message), notify, and sleep begin/end (w = sleep
 * generation).  With *on zero each hook is a load and a branch predicted
 * not taken (a one-slot receive reads *on before it polls, and a traced
 * receive goes out of line: fastpath.h; reading the switch a little
 * earlier is the same as it being flipped a little later); built with
 * -DURPC_NO_TRACE the hooks are compiled out.
 */
enum { URPC_TR_SEND, URPC_TR_RECV, URPC_TR_NOTIFY, URPC_TR_SLEEP, URPC_TR_WAKE };

struct urpc_tracer {
	const volatile uint32_t *on;        /* never NULL */
	void (*fn)(unsigned ev, const struct urpc_chan *c, uint32_t n,
		   uint64_t w);
};
extern struct urpc_tracer urpc_tracer;

#include <urpc/fastpath.h>          /* the inline one-slot paths */

#endif
