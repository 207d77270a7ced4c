/*
 * area.c: formatting a shared channel area and attaching a side to it.
 *
 * Layout of an area with N slots per direction, all 64-byte lines:
 *
 *   [area header][ring 0 header][ring 0 slots x N][ring 1 header][slots x N]
 *
 * Ring d carries messages from side d to side 1-d.  The formatter writes
 * every slot's control word with the sequence of the lap *before* the
 * first one, so "the slot holds the previous lap's sequence" is true from
 * the start and no value (not even 0) means "empty" by accident.  That is
 * also what lets tests start the counters just below 2^32.
 */
#include "internal.h"

static size_t urpc_ring_bytes(uint32_t nslots)
{
	return sizeof(struct urpc_ring_hdr) +
	       (size_t)nslots * sizeof(struct urpc_slot);
}

static bool urpc_nslots_ok(uint32_t nslots)
{
	return nslots >= URPC_MIN_SLOTS && nslots <= URPC_MAX_SLOTS &&
	       (nslots & (nslots - 1)) == 0;
}

size_t urpc_area_size(uint32_t nslots)
{
	return sizeof(struct urpc_area_hdr) + 2 * urpc_ring_bytes(nslots);
}

static struct urpc_ring_hdr *urpc_ring(void *area, uint32_t nslots,
				       unsigned d)
{
	return (struct urpc_ring_hdr *)((char *)area +
		sizeof(struct urpc_area_hdr) + d * urpc_ring_bytes(nslots));
}

static struct urpc_slot *urpc_ring_slots(struct urpc_ring_hdr *r)
{
	return (struct urpc_slot *)(r + 1);
}

/* Initial state of one ring: previous lap's sequence in every slot. */
static void urpc_ring_format(struct urpc_ring_hdr *r, uint32_t nslots,
			     uint32_t first_seq)
{
	struct urpc_slot *s = urpc_ring_slots(r);

	atomic_init(&r->credit.consumed, first_seq);
	atomic_init(&r->sleep.gen, 0);
	for (uint32_t i = 0; i < nslots; i++) {
		uint32_t n = first_seq + i;     /* first slot number here */
		atomic_init(&s[n & (nslots - 1)].ctrl,
			    URPC_CTRL(urpc_seq_of(n - nslots), 0, 0, 0));
	}
}

err_t urpc_area_init(void *area, size_t size, uint32_t nslots,
		     uint32_t first_seq)
{
	struct urpc_area_hdr *h = area;

	if (!area || ((uintptr_t)area & (URPC_LINE - 1)) ||
	    !urpc_nslots_ok(nslots))
		return ERR_INVAL;
	if (size < urpc_area_size(nslots))
		return ERR_RANGE;
	__builtin_memset(area, 0, urpc_area_size(nslots));
	h->magic = URPC_MAGIC;
	h->version = URPC_VERSION;
	h->nslots = nslots;
	h->first_seq = first_seq;
	for (unsigned d = 0; d < 2; d++)
		urpc_ring_format(urpc_ring(area, nslots, d), nslots, first_seq);
	return ERR_OK;
}

/*
 * The peer can rewrite the shared header at any time, so it is read once,
 * field by field with single loads, into `h`; only that private copy is
 * checked and used (a header checked in shared memory and read again after
 * the check could give a slot count larger than the area).
 */
static void urpc_area_snapshot(const void *area, struct urpc_area_hdr *h)
{
	const struct urpc_area_hdr *s = area;

	h->magic = __atomic_load_n(&s->magic, __ATOMIC_RELAXED);
	h->version = __atomic_load_n(&s->version, __ATOMIC_RELAXED);
	h->nslots = __atomic_load_n(&s->nslots, __ATOMIC_RELAXED);
	h->first_seq = __atomic_load_n(&s->first_seq, __ATOMIC_RELAXED);
}

/* Check a private copy of an area header before trusting anything in it. */
static err_t urpc_area_check(const void *area, size_t size,
			     const struct urpc_area_hdr *h)
{
	if (!area || ((uintptr_t)area & (URPC_LINE - 1)) || size < sizeof *h)
		return ERR_INVAL;
	if (h->magic != URPC_MAGIC || h->version != URPC_VERSION)
		return ERR_BADMAGIC;
	if (!urpc_nslots_ok(h->nslots))
		return ERR_INVAL;
	if (size < urpc_area_size(h->nslots))
		return ERR_RANGE;
	return ERR_OK;
}

/* Largest message: three quarters of the ring, see urpc.h. */
static uint32_t urpc_max_msg_for(uint32_t nslots)
{
	uint32_t bytes = (nslots - nslots / 4) * URPC_SLOT_PAYLOAD;

	return bytes < URPC_LEN_MAX ? bytes : URPC_LEN_MAX;
}

err_t urpc_chan_init(struct urpc_chan *c, void *area, size_t size,
		     unsigned side, const struct urpc_hooks *hooks)
{
	struct urpc_area_hdr hdr, *h = &hdr;
	struct urpc_ring_hdr *out, *in;
	err_t e;

	if (!c || side > 1 || !area || ((uintptr_t)area & (URPC_LINE - 1)) ||
	    size < sizeof hdr)
		return ERR_INVAL;
	urpc_area_snapshot(area, h);
	e = urpc_area_check(area, size, h);
	if (e != ERR_OK)
		return e;
	out = urpc_ring(area, h->nslots, side);
	in = urpc_ring(area, h->nslots, 1 - side);
	__builtin_memset(c, 0, sizeof *c);
	c->tx.slots = urpc_ring_slots(out);
	c->tx.peer = out;
	c->tx.mask = h->nslots - 1;
	c->tx.head = h->first_seq;
	c->tx.consumed_seen = h->first_seq;
	c->tx.end = h->first_seq + h->nslots;
	c->rx.slots = urpc_ring_slots(in);
	c->rx.own = in;
	c->rx.mask = h->nslots - 1;
	c->rx.tail = h->first_seq;
	c->rx.published = h->first_seq;
	c->rx.credit_mask = h->nslots / 4 - 1;
	c->rx.broken = ERR_OK;
	if (hooks)
		c->hooks = *hooks;
	c->max_msg = urpc_max_msg_for(h->nslots);
	return ERR_OK;
}
