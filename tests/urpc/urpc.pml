/*
 * urpc.pml: the urpc ring and its sleep/wake protocol (urpc/send.c,
 * urpc/recv.c, urpc/notify.c), for the spin model checker.
 *
 * NCHAN channels (1, or 2 for a waitset), each with its own sender and a
 * ring of NSLOTS slots carrying NMSG messages, and one receiver that polls
 * them all and sleeps on all of them at once with one token: the steps of
 * urpc_sleep (R1 on every channel, R2, R3 over every channel, R4, R5 on
 * every channel), the one function every blocking receive uses.  The
 * memory model is x86-TSO, the one the OS runs on: every process has a FIFO
 * store buffer (a channel) that a separate process drains into memory one
 * store at a time, at any moment; a fence (mfence, or any locked
 * instruction) waits until its process's buffer is empty.  Loads read
 * memory.  Store-to-load forwarding is not modelled because no process
 * ever loads a word it stores (single writer per line, and each side keeps
 * its own counters in private variables), exactly as in the C code.
 *
 *   memory word of chan c  written by   C field
 *   CTRL(c, i)             sender c     urpc_slot.ctrl, sequence part
 *   PAY(c, i)              sender c     urpc_slot.payload
 *   CREDIT(c)              receiver     urpc_credit_line.consumed
 *   GEN(c)                 receiver     urpc_sleep_line.gen
 *   token                  all, xchg    the platform's wake token / IPI bit
 *
 * A message of one slot, received by copy (urpc_try_recv) or in place
 * (urpc_peek, then urpc_release), is the same sequence here: read the
 * control word, read the payload, then give the slot back.
 *
 * Checked, with ./pan on the model as is:
 *  - assertions: every message is received once, in order, with the
 *    payload that was sent with it (no loss, duplication or overwrite of
 *    an unread slot; credits and the release order of payload and control
 *    word are therefore right);
 *  - no invalid end state: the run always ends with every message received
 *    and nobody blocked (a lost wake-up leaves the receiver blocked in
 *    wait forever, which spin reports as an invalid end state);
 *  - LTL no_lost_wakeup: whenever the receiver is blocked in wait while a
 *    message has been sent and not received, it eventually wakes; and LTL
 *    all_delivered: every run eventually delivers all NMSG messages.
 *
 * Mutants, selected with -D, each of which must be caught (tests/urpc/
 * spin-check.sh runs them all and fails if one passes):
 *   NO_TX_CHECK   sender never looks at the sleep flag (never notifies)
 *   TX_CHECK_FIRST sender reads the flag before publishing the slot
 *   NO_TX_FENCE   no full fence between publishing and reading the flag
 *   NO_RECHECK    receiver does not re-check the ring after the flag
 *   RX_CHECK_FIRST receiver re-checks the ring before setting the flag
 *   NO_RX_FENCE   no full fence between setting the flag and re-checking
 *   EARLY_CREDIT  receiver returns the slot before reading its payload
 * and, with NCHAN=2 (the waitset):
 *   ANNOUNCE_ONE  R1 on the first channel only
 *   RECHECK_ONE   R3 looks at the first channel only
 *
 * With -DBARRIER the fence-free mode (urpc_rx_set_barrier): the receiver
 * first stores the flag FLAG into every channel's GEN word (racing with
 * the senders, as a receiver that sets the mode after attaching does) and
 * keeps it in every later value; a sender that reads the flag in S3 skips
 * S2 (no fence at all; without the flag it fences and reads again, as
 * urpc_tx_kick_inline does); the receiver's R3 runs the asymmetric
 * barrier B on each channel before looking at it (urpc_pending): B is
 * modelled as draining that channel's sender's store buffer into memory at
 * once, which is what a full fence forced on the sender at that instant
 * does under TSO.  Its mutants, which must be caught too:
 *   NO_RX_BARRIER the receiver declares the mode but never runs B
 *   BARRIER_FIRST B runs before R1 instead of in R3
 * and, with NCHAN=2:
 *   BARRIER_ONE   B runs on the first channel only
 */

#ifndef NCHAN
#define NCHAN 1
#endif
#ifndef NSLOTS
#define NSLOTS 2
#endif
#ifndef NMSG
#define NMSG 4
#endif
#ifndef BATCH
#define BATCH 1                         /* credit published every BATCH */
#endif
#ifndef SBUF
#define SBUF 3                          /* store buffer entries */
#endif

#define FLAG 64                         /* URPC_SLEEP_BARRIER */

#define CWORDS      (2 * NSLOTS + 2)    /* memory words per channel */
#define CTRL(c, i)  ((c) * CWORDS + (i))
#define CREDIT(c)   ((c) * CWORDS + NSLOTS)
#define GEN(c)      ((c) * CWORDS + NSLOTS + 1)
#define PAY(c, i)   ((c) * CWORDS + NSLOTS + 2 + (i))
byte mem[NCHAN * CWORDS];               /* initially 0: slot i holds seq 0 */
bit token;

chan sbuf[NCHAN] = [SBUF] of { byte, byte };    /* senders' store buffers */
chan rbuf = [SBUF] of { byte, byte };           /* receiver's store buffer */

/* ghost state for the properties */
byte sent[NCHAN];                       /* messages published (S1 issued) */
byte rtail[NCHAN];                      /* messages received */
bool blocked;                           /* receiver blocked in wait */

#define STORE(b, a, v)  b!a,v
#define FENCE(b)        (len(b) == 0)
#define SEQ(n)          ((n) + 1)       /* urpc_seq_of */
#define READY(c)        (tail[c] < NMSG && \
			 mem[CTRL(c, tail[c] % NSLOTS)] == SEQ(tail[c]))

/* B on channel c: the sender's buffered stores reach memory at once. */
#define BARRIER_ON(c)   atomic { do \
			:: nempty(sbuf[c]) -> sbuf[c]?ba,bv; mem[ba] = bv \
			:: empty(sbuf[c]) -> break \
			od }
#ifdef BARRIER
#define GENV(g)         ((g) + FLAG)    /* the flag kept in every value */
#else
#define GENV(g)         (g)
#endif

/* Drains one store buffer into memory, oldest store first. */
proctype drain(chan b)
{
	byte a, v;
end:	do
	:: atomic { b?a,v -> mem[a] = v }
	od
}

/*
 * Sender of channel c: urpc_send / urpc_send_batch.  A send that finds the
 * ring full (ERR_FULL) is retried by the caller; that spinning is
 * modelled as blocking until the credit shows room.
 */
proctype sender(byte c)
{
	byte head = 0, seen = 0, notified = 0, g;

	do
	:: head == NMSG -> break
	:: else ->
#ifdef TX_CHECK_FIRST
		g = mem[GEN(c)];
#endif
publish:
		if
		:: head - seen < NSLOTS -> skip
		:: else -> atomic { head - mem[CREDIT(c)] < NSLOTS ->
				    seen = mem[CREDIT(c)] }
		fi;
		STORE(sbuf[c], PAY(c, head % NSLOTS), head);    /* payload */
		atomic { STORE(sbuf[c], CTRL(c, head % NSLOTS), SEQ(head));
			 sent[c]++ }                            /* S1 */
		head++;
		/* urpc_send_batch: more messages before the one kick */
		if
		:: head < NMSG && head - seen < NSLOTS -> goto publish
		:: true -> skip
		fi;
#ifdef BARRIER
#ifndef TX_CHECK_FIRST
		g = mem[GEN(c)];                                /* S3 */
#endif
		if
		:: g >= FLAG -> skip                            /* no fence */
		:: else ->
#ifndef NO_TX_FENCE
			FENCE(sbuf[c]);                         /* S2 */
#endif
			g = mem[GEN(c)]                         /* S3 */
		fi;
#else
#ifndef NO_TX_FENCE
		FENCE(sbuf[c]);                                 /* S2 */
#endif
#endif
#ifndef NO_TX_CHECK
#if !defined(TX_CHECK_FIRST) && !defined(BARRIER)
		g = mem[GEN(c)];                                /* S3 */
#endif
		if                                              /* S4 */
		:: g % 2 == 1 && g != notified ->
			notified = g;
			atomic { FENCE(sbuf[c]) -> token = 1 }  /* xchg */
		:: else -> skip
		fi
#endif
	od
}

/*
 * Receiver: polls the channels (urpc_waitset_wait, or urpc_recv when
 * NCHAN is 1) and sleeps through urpc_sleep.
 */
active proctype receiver()
{
	byte tail[NCHAN], published[NCHAN], gen = 0, v, c, d, ba, bv;
	bool found;

#ifdef BARRIER
	c = 0;                                  /* urpc_rx_set_barrier */
	do
	:: c < NCHAN -> STORE(rbuf, GEN(c), FLAG); c++
	:: else -> break
	od;
#endif

	do
	:: d = 0;
	   do
	   :: d < NCHAN && tail[d] == NMSG -> d++
	   :: else -> break
	   od;
	   if
	   :: d == NCHAN -> break                       /* all received */
	   :: else -> skip
	   fi;
	   c = 0;                                       /* poll */
	   found = false;
	   do
	   :: c < NCHAN && READY(c) -> found = true; break
	   :: c < NCHAN && !READY(c) -> c++
	   :: c == NCHAN -> break
	   od;
	   if
	   :: found ->                                  /* acquire seen */
#ifdef EARLY_CREDIT
		STORE(rbuf, CREDIT(c), tail[c] + 1);
		published[c] = tail[c] + 1;
#endif
		v = mem[PAY(c, tail[c] % NSLOTS)];
		assert(v == tail[c]);
		atomic { tail[c]++; rtail[c] = tail[c] };
		if
		:: tail[c] - published[c] >= BATCH ->
			published[c] = tail[c];
			STORE(rbuf, CREDIT(c), tail[c])
		:: else -> skip
		fi
	   :: else ->                                   /* urpc_sleep */
#ifdef RX_CHECK_FIRST
		c = 0;
		do
		:: c < NCHAN && READY(c) -> goto awake
		:: c < NCHAN && !READY(c) -> c++
		:: c == NCHAN -> break
		od;
#endif
#ifdef BARRIER_FIRST
		c = 0;
		do
		:: c < NCHAN -> BARRIER_ON(c); c++
		:: else -> break
		od;
#endif
		gen++;
		assert(gen < FLAG);
		c = 0;
		do                                      /* R1, every channel */
		:: c < NCHAN ->
			if
			:: published[c] != tail[c] ->
				published[c] = tail[c];
				STORE(rbuf, CREDIT(c), tail[c])
			:: else -> skip
			fi;
#ifdef ANNOUNCE_ONE
			if
			:: c == 0 -> STORE(rbuf, GEN(c), GENV(gen))
			:: else -> skip
			fi;
#else
			STORE(rbuf, GEN(c), GENV(gen));
#endif
			c++
		:: else -> break
		od;
#ifndef NO_RX_FENCE
		FENCE(rbuf);                            /* R2 */
#endif
#if !defined(NO_RECHECK) && !defined(RX_CHECK_FIRST) && defined(BARRIER)
		c = 0;
		do                                      /* R3, every channel */
		:: c < NCHAN ->
#if !defined(NO_RX_BARRIER) && !defined(BARRIER_FIRST)
#ifdef BARRIER_ONE
			if
			:: c == 0 -> BARRIER_ON(c)
			:: else -> skip
			fi;
#else
			BARRIER_ON(c);                  /* B, in urpc_pending */
#endif
#endif
			if
			:: READY(c) -> goto awake
			:: else -> c++
			fi
		:: c == NCHAN -> break
		od;
#endif
#if !defined(NO_RECHECK) && !defined(RX_CHECK_FIRST) && !defined(BARRIER)
		c = 0;
		do                                      /* R3, every channel */
#ifdef RECHECK_ONE
		:: c == 0 && READY(c) -> goto awake
		:: c == 0 && !READY(c) -> c++
		:: c > 0 && c < NCHAN -> c++
#else
		:: c < NCHAN && READY(c) -> goto awake
		:: c < NCHAN && !READY(c) -> c++
#endif
		:: c == NCHAN -> break
		od;
#endif
		blocked = true;                         /* R4 */
		atomic { FENCE(rbuf) && token == 1 -> token = 0 };  /* xchg */
		blocked = false;
awake:
		gen++;                                  /* R5, every channel */
		c = 0;
		do
		:: c < NCHAN -> STORE(rbuf, GEN(c), GENV(gen)); c++
		:: else -> break
		od
	   fi
	od;
	d = 0;
	do
	:: d < NCHAN -> assert(rtail[d] == NMSG); d++
	:: else -> break
	od
}

init
{
	byte c;

	atomic {
		c = 0;
		do
		:: c < NCHAN -> run sender(c); run drain(sbuf[c]); c++
		:: else -> break
		od;
		run drain(rbuf)
	}
}

#if NCHAN == 1
#define pending (sent[0] > rtail[0])
#define all_in  (rtail[0] == NMSG)
#else
#define pending (sent[0] > rtail[0] || sent[1] > rtail[1])
#define all_in  (rtail[0] == NMSG && rtail[1] == NMSG)
#endif
ltl no_lost_wakeup { [] ((blocked && pending) -> <> !blocked) }
ltl all_delivered { <> all_in }
