/*
 * trace.c: the tracing hook's state (urpc.h, "Tracing hook").  Off until a
 * platform points `on` at its own switch and sets `fn`.
 */
#include "internal.h"

static const uint32_t urpc_trace_off;

struct urpc_tracer urpc_tracer = { &urpc_trace_off, 0 };
