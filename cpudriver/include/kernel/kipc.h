/*
 * kipc.h: kernel-mediated IPC, the path URPC is measured against.
 *
 * A domain hands a small message (<= KIPC_WORDS words) to its CPU driver
 * with SYS_IPC_SEND(core, domain, buf, len).  For a domain on the same core
 * the kernel puts it straight into the receiver's queue.  For another core
 * it appends it to that core's inbox — a ring in the receiving core's own
 * memory, guarded by a spinlock because every other core may write to it —
 * and sends a VEC_IPC interrupt; the receiving CPU driver drains its inbox
 * into its domains' queues.  SYS_IPC_RECV(buf, ticks) takes the next message
 * or blocks (it also consumes a pending URPC notification of the caller:
 * a domain should not mix the two kinds of waiting).  This is the classic shared-kernel design the multikernel
 * avoids: the inboxes are the one place where CPU drivers write each
 * other's memory, and they exist only to be compared with URPC (no system
 * service uses them).  A message to a domain that does not exist, or whose
 * queue is full, is dropped and counted.
 */
#ifndef KERNEL_KIPC_H
#define KERNEL_KIPC_H
#include <stdint.h>

#define KIPC_WORDS 6
#define KIPC_QUEUE 16                  /* per domain */
#define KIPC_INBOX 256                 /* per core */

struct kipc_msg {
	uint32_t src_core, src_domain;
	uint32_t dst_domain, len;      /* len in bytes, <= KIPC_WORDS * 8 */
	uint64_t words[KIPC_WORDS];
};

struct kipc_queue {
	uint32_t head, tail;
	struct kipc_msg m[KIPC_QUEUE];
};

struct trap_frame;

/* Allocate and publish this core's inbox, install the interrupt handler. */
void kipc_init(void);

int64_t sys_ipc_send(uint64_t core, uint64_t domain, uint64_t uva, uint64_t len);
int64_t sys_ipc_recv(uint64_t uva, uint64_t ticks);

#endif
