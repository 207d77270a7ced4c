/*
 * trace.c: the domain's trace ring and the URPC tracer (libos/trace.h).
 *
 * The ring has one writer, this single-threaded domain, so recording is a
 * plain store of the event and then of the head.  A URPC event names its
 * channel by the area's address with the ring's number in bit 0 (areas
 * are page-aligned); the CPU driver turns the address into the physical
 * one when it dumps, which both ends of the channel share.
 */
#include <libos/libos.h>
#include <libos/trace.h>
#include <urpc/urpc.h>

static const uint32_t trace_never;
const volatile uint32_t *libos_trace_on = &trace_never;
static struct trace_ring *ring;
static uint32_t ring_cap;
static uint16_t my_dom;

void libos_trace_record(uint16_t type, uint32_t a, uint64_t b, uint64_t c)
{
	if (!ring)
		return;
	uint64_t h = ring->head;
	struct trace_ev *e = &ring->ev[h % ring_cap];
	e->tsc = libos_tsc();
	e->type = type;
	e->dom = my_dom;
	e->a = a;
	e->b = b;
	e->c = c;
	ring->head = h + 1;
}

/* Area | ring: ring 0's slots come first in an area, in its first page. */
static uint64_t chan_ring(const struct urpc_chan *c, int sending)
{
	uintptr_t tx = (uintptr_t)c->tx.slots, rx = (uintptr_t)c->rx.slots;
	uintptr_t area = (tx < rx ? tx : rx) & ~(uintptr_t)4095;
	unsigned side = tx > rx;
	return area | (sending ? side : 1 - side);
}

static void urpc_hook(unsigned ev, const struct urpc_chan *c, uint32_t n, uint64_t w)
{
	static const uint16_t type[] = { TR_URPC_SEND, TR_URPC_RECV, TR_URPC_NOTIFY,
					 TR_URPC_SLEEP, TR_URPC_WAKE };
	if (ev >= sizeof type / sizeof type[0])
		return;
	libos_trace_record(type[ev], n, chan_ring(c, ev == URPC_TR_SEND || ev == URPC_TR_NOTIFY), w);
}

void libos_trace_init(uint64_t ring_va, unsigned domain_id)
{
	if (ring_va != DOMAIN_TRACE_VA)
		return;
	ring = (struct trace_ring *)ring_va;
	ring_cap = (uint32_t)TRACE_RING_CAP(DOMAIN_TRACE_PAGES * 4096ull);
	my_dom = (uint16_t)domain_id;
	libos_trace_on = &((const volatile struct trace_ctl *)DOMAIN_TRACE_CTL_VA)->on;
	urpc_tracer.fn = urpc_hook;
	urpc_tracer.on = libos_trace_on;
}
