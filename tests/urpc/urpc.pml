/*
 * urpc.pml: the urpc ring and its sleep/wake protocol (urpc/send.c,
 * urpc/recv.c, urpc/notify.c), for the spin model checker.
 *
 * One sender, one receiver, one ring of NSLOTS slots, NMSG messages.  The
 * memory model is x86-TSO, the one the OS runs on: every process has a FIFO
 * store buffer (a channel) that a separate process drains into memory one
 * store at a time, at any moment; a fence (mfence, or any locked
 * instruction) waits until its process's buffer is empty.  Loads read
 * memory.  Store-to-load forwarding is not modelled because no process
 * ever loads a word it stores (single writer per line, and each side keeps
 * its own counters in private variables), exactly as in the C code.
 *
 *   memory word          written by   C field
 *   ctrl[i]  (mem[i])    sender       urpc_slot.ctrl, sequence part
 *   pay[i]               sender       urpc_slot.payload
 *   CREDIT               receiver     urpc_credit_line.consumed
 *   GEN                  receiver     urpc_sleep_line.gen
 *   token                both, xchg   the platform's wake token / IPI bit
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
 */

#ifndef NSLOTS
#define NSLOTS 2
#endif
#ifndef NMSG
#define NMSG 4
#endif
#ifndef BATCH
#define BATCH 1                         /* credit published every BATCH */
#endif
#define SBUF 3                          /* store buffer entries */

#define CREDIT   NSLOTS
#define GEN      (NSLOTS + 1)
#define PAY(i)   (NSLOTS + 2 + (i))
byte mem[2 * NSLOTS + 2];               /* initially 0: slot i holds seq 0 */
bit token;

chan sbuf = [SBUF] of { byte, byte };   /* sender's store buffer */
chan rbuf = [SBUF] of { byte, byte };   /* receiver's store buffer */

/* ghost state for the properties */
byte sent;                              /* messages published (S1 issued) */
byte rtail;                             /* messages received */
bool blocked;                           /* receiver blocked in wait */

#define STORE(b, a, v)  b!a,v
#define FENCE(b)        (len(b) == 0)
#define SEQ(n)          ((n) + 1)       /* urpc_seq_of */

/* Drains one store buffer into memory, oldest store first. */
proctype drain(chan b)
{
	byte a, v;
end:	do
	:: atomic { b?a,v -> mem[a] = v }
	od
}

/*
 * Sender: urpc_send / urpc_send_batch.  A send that finds the ring full
 * (ERR_FULL) is retried by the caller; that spinning is modelled as
 * blocking until the credit shows room.
 */
active proctype sender()
{
	byte head = 0, seen = 0, notified = 0, g;

	do
	:: head == NMSG -> break
	:: else ->
#ifdef TX_CHECK_FIRST
		g = mem[GEN];
#endif
publish:
		if
		:: head - seen < NSLOTS -> skip
		:: else -> atomic { head - mem[CREDIT] < NSLOTS -> seen = mem[CREDIT] }
		fi;
		STORE(sbuf, PAY(head % NSLOTS), head);          /* payload */
		atomic { STORE(sbuf, head % NSLOTS, SEQ(head)); sent++ }  /* S1 */
		head++;
		/* urpc_send_batch: more messages before the one kick */
		if
		:: head < NMSG && head - seen < NSLOTS -> goto publish
		:: true -> skip
		fi;
#ifndef NO_TX_FENCE
		FENCE(sbuf);                                    /* S2 */
#endif
#ifndef NO_TX_CHECK
#ifndef TX_CHECK_FIRST
		g = mem[GEN];                                   /* S3 */
#endif
		if                                              /* S4 */
		:: g % 2 == 1 && g != notified ->
			notified = g;
			atomic { FENCE(sbuf) -> token = 1 }     /* xchg */
		:: else -> skip
		fi
#endif
	od
}

/* Receiver: urpc_recv (polls, then sleeps through the wait hook). */
active proctype receiver()
{
	byte tail = 0, published = 0, gen = 0, v;

	do
	:: tail == NMSG -> break
	:: else ->
		if
		:: mem[tail % NSLOTS] == SEQ(tail) ->           /* acquire */
#ifdef EARLY_CREDIT
			STORE(rbuf, CREDIT, tail + 1);
			published = tail + 1;
#endif
			v = mem[PAY(tail % NSLOTS)];
			assert(v == tail);
			atomic { tail++; rtail = tail };
			if
			:: tail - published >= BATCH ->
				published = tail;
				STORE(rbuf, CREDIT, tail)
			:: else -> skip
			fi
		:: else ->                                      /* sleep */
#ifdef RX_CHECK_FIRST
			if
			:: mem[tail % NSLOTS] == SEQ(tail) -> goto awake
			:: else -> skip
			fi;
#endif
			if                                      /* R1 */
			:: published != tail ->
				published = tail;
				STORE(rbuf, CREDIT, tail)
			:: else -> skip
			fi;
			gen++;
			STORE(rbuf, GEN, gen);
#ifndef NO_RX_FENCE
			FENCE(rbuf);                            /* R2 */
#endif
#if !defined(NO_RECHECK) && !defined(RX_CHECK_FIRST)
			if                                      /* R3 */
			:: mem[tail % NSLOTS] == SEQ(tail) -> goto awake
			:: else -> skip
			fi;
#endif
			blocked = true;                         /* R4 */
			atomic { FENCE(rbuf) && token == 1 -> token = 0 };  /* xchg */
			blocked = false;
awake:
			gen++;                                  /* R5 */
			STORE(rbuf, GEN, gen)
		fi
	od;
	assert(rtail == NMSG)
}

init
{
	run drain(sbuf);
	run drain(rbuf)
}

#define pending (sent > rtail)
ltl no_lost_wakeup { [] ((blocked && pending) -> <> !blocked) }
ltl all_delivered { <> (rtail == NMSG) }
