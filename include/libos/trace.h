/*
 * libos/trace.h: this domain's trace ring (layout in sys/trace.h).
 *
 * When the system runs with trace rings, the CPU driver maps one into every
 * domain; libos_trace() records an event in it while tracing is on (one
 * word that any core may switch, read-only here) and costs a load and a
 * not-taken branch while it is off.  libos also installs the URPC tracer,
 * so every channel's send, receive, notify, sleep and wake are recorded.
 * The ring is read by this core's CPU driver when it dumps (SYS_TRACE).
 */
#ifndef LIBOS_TRACE_H
#define LIBOS_TRACE_H
#include <stdint.h>
#include <sys/trace.h>

extern const volatile uint32_t *libos_trace_on;

void libos_trace_record(uint16_t type, uint32_t a, uint64_t b, uint64_t c);

static inline void libos_trace(uint16_t type, uint32_t a, uint64_t b, uint64_t c)
{
#ifndef TRACE_COMPILED_OUT
	if (__builtin_expect(*libos_trace_on != 0, 0))
		libos_trace_record(type, a, b, c);
#else
	(void)type, (void)a, (void)b, (void)c;
#endif
}

/* Called by libos_start with the start-info page's ring address. */
void libos_trace_init(uint64_t ring_va, unsigned domain_id);

#endif
