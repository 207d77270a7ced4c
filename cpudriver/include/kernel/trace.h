/*
 * kernel/trace.h: the CPU driver's trace ring and the trace controls
 * (layout and dump format in sys/trace.h).
 *
 * ktrace() is the hook on the kernel's paths: with recording off it is one
 * load of trace_ctl->on and a branch predicted not taken; with the build
 * flag -DTRACE_COMPILED_OUT it is nothing (the A/B measurement in
 * docs/12-shell-trace.md compares the two).  It runs on the calling core
 * with interrupts off (every kernel path does), so the core's ring has one
 * writer at a time and needs no lock.
 *
 * trace_ctl points at the control frame the boot core allocated before any
 * AP started (or at a static zero block when there are no rings); the
 * pointer is a boot-time fact, the `on` word in it is the one piece of
 * trace state all cores share.
 */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/trace.h>

struct domain;

extern struct trace_ctl *trace_ctl;

void trace_record(uint16_t type, uint32_t a, uint64_t b, uint64_t c);

static inline void ktrace(uint16_t type, uint32_t a, uint64_t b, uint64_t c)
{
#ifndef TRACE_COMPILED_OUT
	if (__builtin_expect(trace_ctl->on, 0))
		trace_record(type, a, b, c);
#else
	(void)type, (void)a, (void)b, (void)c;
#endif
}

/*
 * Boot core, before the APs start: read trace=on|off, take the control
 * frame from free RAM (every core and domain maps it for the whole run, so
 * not from the boot core's pool, which is retired when core 0 restarts).
 */
struct mem_ranges;
void trace_boot_init(struct mem_ranges *free_ram);
/* Every core, once its pool exists: its own ring (if rings are on). */
void trace_core_init(void);
/* A new domain: map its ring and the control frame (no-op without rings). */
int trace_domain_setup(struct domain *d);
/* A domain is being freed: dump its ring first if the run dumps at its end. */
void trace_domain_end(struct domain *d);
/*
 * Stop recording and make every up core print its rings (sys/trace.h).
 * With wait, returns once every core is done (or after a few seconds).
 */
void trace_dump_all(bool wait);
/* SYS_TRACE(op) for the current domain. */
int64_t trace_syscall(uint64_t op);

#endif
