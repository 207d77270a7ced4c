/*
 * domain.h: a domain — one program running in ring 3 in its own address
 * space on one core.  Each CPU driver owns its domains outright: they are
 * created from its boot modules and its own memory pool, scheduled only on
 * it, and never seen by another core's kernel.
 *
 * A domain owns a set of frames (its image, stack, start-info page and every
 * frame it got from SYS_FRAME_ALLOC); only owned frames can be mapped into
 * it, and all of them go back to the core's pool when it ends.  Its kernel
 * stack holds the trap frame of its user context while it is in the kernel.
 *
 * Life cycle: domain_create() -> RUNNABLE <-> RUNNING <-> WAITING ->
 * ZOMBIE (domain_exit) -> freed by the scheduler once it runs on another
 * stack.  Only the owning core calls any of this; no locks.
 */
#ifndef KERNEL_DOMAIN_H
#define KERNEL_DOMAIN_H
#include <stdbool.h>
#include <stdint.h>
#include <arch/trap.h>
#include <lib/err.h>
#include <sys/domain.h>
#include <kernel/kipc.h>
#include <kernel/span.h>

#define DOMAIN_KSTACK_SIZE (16 * 1024)
#define DOMAIN_KILLED_BASE (-128)        /* exit code of a killed domain: -128 - vector */
#define DOMAIN_MAX_FRAMES  4096          /* owned frames per domain */
#define DOMAIN_FRAME_QUOTA 4096          /* owned + page tables, an ordinary domain */
#define MONITOR_FRAME_QUOTA (DOMAIN_MAX_FRAMES + 1024) /* a monitor: many mappings */
/* Low bits of frames[i], next to the page-aligned physical address: */
#define DOMAIN_FRAME_MAPS   0x0ffull     /* times mapped with SYS_MAP */
#define DOMAIN_FRAME_X      0x100ull     /* some SYS_MAP mapping is executable */
#define DOMAIN_FRAME_W      0x200ull     /* some SYS_MAP mapping is writable */
#define DOMAIN_FRAME_PINNED 0x400ull     /* image, stack, start info: the loader's */
#define DOMAIN_FRAME_MONMEM 0x800ull     /* the frame is monitors' memory, not pool */

#define DOMAIN_CHAN_RECORDS 8

enum domain_state { DOM_FREE, DOM_RUNNABLE, DOM_RUNNING, DOM_WAITING, DOM_ZOMBIE };

struct domain {
	uint32_t id;                     /* per core, from 1 */
	enum domain_state state;
	char program[PROGRAM_NAME_MAX];
	uint64_t pml4;                   /* physical */
	void *fpu;                       /* FPU/SSE/AVX save area (kernel/fpu.h) */
	uint64_t entry;                  /* where it started (a span instance starts there too) */
	uint8_t *kstack;                 /* DOMAIN_KSTACK_SIZE bytes, guarded (kstack.h) */
	uint64_t kernel_rsp;             /* saved by context_switch */
	struct trap_frame *tf;           /* user context, top of kstack */
	bool notified;                   /* a notification is pending */
	uint64_t wait_ticks;             /* SYS_WAIT ticks left, 0 = none */
	int64_t wait_result;
	int exit_code;
	bool privileged;                 /* the core's monitor */
	uint32_t rights;                 /* DOMAIN_RIGHT_* (sys/rights.h) */
	struct trace_ring *trace;        /* its trace ring (kernel view), or NULL */
	uint32_t nchans;                 /* channel areas mapped by its monitor */
	uint16_t chan_peer[DOMAIN_CHAN_RECORDS]; /* the first ones' peer cores */
	uint64_t notify_mask[CORES_MAX / 64]; /* cores SYS_NOTIFY may target */
	uint64_t next_chan_va;           /* where SYS_CHAN_* maps the next area */
	struct kipc_queue ipc;           /* kernel IPC messages waiting */
	uint64_t refusals;               /* requests refused so far (domain_refused) */
	uint64_t frame_quota;            /* owned + page-table frames (kernel/frames.h) */
	uint64_t table_frames;           /* page-table frames charged to this domain */
	struct domain_span span;         /* kernel/span.h */
	uint64_t nframes;
	uint64_t frames[DOMAIN_MAX_FRAMES]; /* owned: physical | mapping count */
};

/* Arguments a service is started with. */
struct domain_args {
	const char *program;             /* module name */
	unsigned argc;
	const char *argv[PROGRAM_ARGC_MAX];
	bool privileged;                 /* the core's monitor */
};

/*
 * Load `image` (an ELF64 boot module, validated first) as a new domain on
 * the calling core and make it runnable.  On refusal nothing stays
 * allocated and `why` names the reason (e.g. the ELF field).
 */
err_t domain_create(const void *image, uint64_t len, const struct domain_args *args,
		    struct domain **out, char *why, unsigned long whylen);

/*
 * A domain whose user mappings are not loaded from an ELF image: `fill`
 * maps them (kernel/span.h: a span instance).  Everything else as above.
 */
err_t domain_create_with(const struct domain_args *args, uint64_t entry,
			 err_t (*fill)(struct domain *d, const void *ctx), const void *ctx,
			 struct domain **out);

/* Ends the calling core's current domain; does not return. */
void domain_exit(int code) __attribute__((noreturn));

/* Frees a ZOMBIE domain's memory (called by the scheduler, on its own stack). */
void domain_destroy(struct domain *d);

/* Map a frame the domain does not own (link, channel, manifest) at va. */
err_t domain_map_foreign(struct domain *d, uint64_t va, uint64_t pa, uint64_t pte_flags);

/*
 * Log that d's request was refused with e, naming the domain, the request
 * and the reason (printf format): every refusal up to
 * DOMAIN_REFUSALS_LOGGED, then every 1024th, so a flood cannot flood the
 * console.
 */
#define DOMAIN_REFUSALS_LOGGED 16
void domain_refused(struct domain *d, const char *request, err_t e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Allow d to notify core. */
void domain_allow_notify(struct domain *d, unsigned core);
bool domain_may_notify(const struct domain *d, unsigned core);

#endif
