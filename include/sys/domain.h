/*
 * sys/domain.h: how a domain starts, and the user address-space plan.
 * Shared by the kernel (which builds it) and libos (crt0, malloc).
 *
 * User address space of every domain:
 *   0 .. DOMAIN_VA_MIN                   never mapped (SYS_MAP refuses it with
 *                                        ERR_RANGE, the kernel never maps there):
 *                                        a NULL pointer plus a small offset
 *                                        always faults
 *   DOMAIN_IMAGE_LO .. DOMAIN_IMAGE_HI   the program's ELF segments
 *   DOMAIN_HEAP_BASE ..                  free for SYS_MAP (libos's malloc
 *                                        grows its heap from here up)
 *   DOMAIN_STACK_TOP - DOMAIN_STACK_SIZE .. DOMAIN_STACK_TOP
 *                                        the stack, with an unmapped guard
 *                                        page below it: overrunning it
 *                                        faults and ends the domain
 *   DOMAIN_START_INFO                    one read-only page: struct
 *                                        domain_start, then argument strings
 *
 * The CPU driver enters the domain at its ELF entry point (the dispatcher's
 * start upcall, libos crt0 `_start`) with rdi = DOMAIN_START_INFO and
 * rsp = DOMAIN_STACK_TOP (16-byte aligned).
 *
 * The dispatcher (DOMAIN_DISPATCHER_VA, one read-write page, struct
 * dispatcher_shared): when the CPU driver dispatches a domain again after
 * preempting it, and the domain has set run_entry, is not `disabled` and
 * was not inside [crit_lo, crit_hi), the driver saves the preempted user
 * registers in enabled_save, sets disabled = 1 and upcalls run_entry on
 * upcall_stack with rdi = DOMAIN_DISPATCHER_VA, instead of resuming in
 * place.  The dispatcher then picks what runs (libos: the saved context,
 * where user-level threads can be added) and resumes it with code inside
 * [crit_lo, crit_hi) that clears `disabled` just before the final jump.
 * A domain preempted while disabled, or inside that range, is resumed in
 * place.  With run_entry 0 there are no upcalls.
 */
#ifndef SYS_DOMAIN_H
#define SYS_DOMAIN_H

#define DOMAIN_VA_MIN      0x0000000000010000ull /* 64 KiB */
#include <sys/limits.h>

#define DOMAIN_IMAGE_LO    0x0000000000400000ull
#define DOMAIN_IMAGE_HI    0x0000000040000000ull
#define DOMAIN_IMAGE_MAX   (16ull << 20)      /* bytes of loaded segments */
#define DOMAIN_HEAP_BASE   0x0000001000000000ull
#define DOMAIN_STACK_TOP   0x00007fff00000000ull
#define DOMAIN_STACK_SIZE  (64ull << 10)
#define DOMAIN_START_INFO  0x00007fff00001000ull
#define DOMAIN_DISPATCHER_VA 0x0000000000300000ull /* below 2 GiB: absolute addressing */

/* struct user_regs offsets, for the dispatcher's assembly */
#define UREGS_RAX 0
#define UREGS_RDI 40
#define UREGS_RIP 120
#define UREGS_RSP 128
#define UREGS_RFLAGS 136
#define DISP_DISABLED 0
#define DISP_SAVE 48

#ifndef __ASSEMBLER__
#include <stdint.h>

struct user_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rsp, rflags;
};

struct dispatcher_shared {
	uint32_t disabled;      /* 1: resume in place, never upcall */
	uint32_t pad;
	uint64_t upcalls;       /* how many upcalls the driver made */
	uint64_t run_entry;     /* 0: no upcalls */
	uint64_t upcall_stack;  /* rsp for the upcall (16-byte aligned) */
	uint64_t crit_lo, crit_hi;
	struct user_regs enabled_save;
};

struct domain_start {
	uint32_t core;          /* core this domain runs on */
	uint32_t ncores;        /* cores up in the system */
	uint32_t domain_id;     /* id on this core */
	uint32_t argc;
	uint64_t tsc_hz;
	char program[PROGRAM_NAME_MAX];      /* NUL-terminated */
	const char *argv[PROGRAM_ARGC_MAX + 1]; /* point into the same page */
	uint64_t monitor_chan;  /* DOMAIN_MONCHAN_VA if spawned by a monitor, else 0 */
	uint32_t fpu_xsave;     /* 1: save FP state with XSAVE (all enabled features), 0: FXSAVE */
	uint32_t fpu_size;      /* bytes of one FP save area (64-byte aligned) */
	uint64_t trace_ring;    /* DOMAIN_TRACE_VA if it has a trace ring, else 0 */
	uint32_t span_home_core;   /* a span instance (include/sys/monitor.h): */
	uint32_t span_home_domain; /* its home domain (0: not an instance) */
	uint64_t span_arg;         /* what the home passed with the request */
};
#endif

#endif
