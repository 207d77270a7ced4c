/*
 * sys/trace.h: the trace rings, shared by the CPU drivers, libos and
 * tools/trace.py (docs/12-shell-trace.md).
 *
 * Every CPU driver records into its own ring (struct cpu); every domain
 * records into its own ring, mapped by its CPU driver at DOMAIN_TRACE_VA.
 * A ring is a fixed array of TRACE_EV_SIZE-byte events with a free-running
 * `head`: the writer is the ring's only writer (a core's kernel with
 * interrupts off, or the single-threaded domain), so there are no locks;
 * when the ring is full the oldest events are overwritten.
 *
 * Rings exist only when the kernel command line has `trace=on` (record
 * from boot, dump every ring when the run ends) or `trace=off` (rings
 * present, recording starts with SYS_TRACE).  Without either there are no
 * rings and recording cannot be started.  Whether anyone records is one
 * word, struct trace_ctl.on, in a frame the boot core allocates: the CPU
 * drivers read it through a pointer, every domain reads it read-only at
 * DOMAIN_TRACE_CTL_VA.  A disabled tracer costs one load and a not-taken
 * branch per hook (measured: docs/12-shell-trace.md).
 *
 * Dump (console, binary-safe): per ring one line
 *   TRACE B <core> <domain> <program> <tsc_hz> <count> <lost>
 * then lines `TRACE D <core> <domain> <base64 of whole events>` and one
 * `TRACE E <core> <domain>`.  Domain 0 is the CPU driver.  In a dumped
 * URPC event, `b` holds the channel area's physical address (the CPU
 * driver translates the domain's virtual one), so both ends of a message
 * name the same channel.
 *
 * SYS_TRACE(op): TRACE_OP_START / _STOP change trace_ctl.on; _DUMP stops
 * recording and makes every core print its rings; _STATUS returns
 * trace_ctl.on, or ERR_UNSUPPORTED when there are no rings.  Allowed to
 * the monitors and to domains with the trace right.
 */
#ifndef SYS_TRACE_H
#define SYS_TRACE_H

#define DOMAIN_TRACE_VA     0x00007fff00100000ull /* the domain's ring */
#define DOMAIN_TRACE_CTL_VA 0x00007fff000f0000ull /* struct trace_ctl, read-only */
#define DOMAIN_TRACE_PAGES  16
#define KERNEL_TRACE_PAGES  32
#define TRACE_MAGIC         0x45435254u /* "TRCE" */
#define TRACE_EV_SIZE       32

#define TRACE_OP_START  1
#define TRACE_OP_STOP   2
#define TRACE_OP_DUMP   3
#define TRACE_OP_STATUS 4

/* Event types.  a, b, c as noted; dom is the domain that was running. */
enum trace_type {
	TR_NONE = 0,
	TR_SYSCALL_ENTER = 1,  /* a = number */
	TR_SYSCALL_EXIT,       /* a = number, b = result */
	TR_IRQ,                /* a = vector */
	TR_SWITCH,             /* a = domain now running (0: the scheduler) */
	TR_UPCALL,             /* a = domain, b = upcall count */
	TR_DOMAIN_START,       /* a = domain */
	TR_DOMAIN_EXIT,        /* a = domain, b = exit code */
	TR_URPC_SEND = 16,     /* a = sequence, b = area | ring, c = ctrl word */
	TR_URPC_RECV,          /* a = sequence, b = area | ring, c = ctrl word */
	TR_URPC_NOTIFY,        /* b = area | ring notified */
	TR_URPC_SLEEP,         /* b = area | ring the receiver sleeps on */
	TR_URPC_WAKE,          /* b = area | ring */
	TR_MON_OP = 32,        /* a = monitor message type, b = src core, c = req id */
	TR_TYPE_MAX
};

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trace_ev {
	uint64_t tsc;
	uint16_t type;
	uint16_t dom;
	uint32_t a;
	uint64_t b;
	uint64_t c;
};
_Static_assert(sizeof(struct trace_ev) == TRACE_EV_SIZE, "trace event size");

/* Ring header, one cache line; events follow.  Written by the ring's owner. */
struct trace_ring {
	uint32_t magic;
	uint32_t cap;          /* events that fit */
	uint64_t head;         /* events recorded so far (free-running) */
	uint8_t pad[48];
	struct trace_ev ev[];
};
_Static_assert(sizeof(struct trace_ring) == 64, "trace ring header");

/* The control frame: written by the CPU drivers, read-only for domains. */
struct trace_ctl {
	volatile uint32_t on;          /* 1: record */
	uint32_t dump_at_end;          /* trace=on: dump when the run ends */
	volatile uint32_t dumps_done;  /* cores that finished a dump */
	volatile uint32_t dump_lines;  /* lines printed by the dump so far (progress) */
};

/* Events that fit in a ring of `bytes`. */
#define TRACE_RING_CAP(bytes) (((bytes) - sizeof(struct trace_ring)) / TRACE_EV_SIZE)
#endif

#endif
