/*
 * waitset.c: one thread serving many channels.
 *
 * The set is an array of channels owned by the caller (no allocation) and
 * a cursor.  Polling starts at the channel after the one returned last and
 * goes round once, so under load every ready channel is served once per
 * round: a channel that always has messages cannot starve the others.
 *
 * Sleeping is urpc_sleep (notify.c) over all the channels: announce the
 * sleep on every channel (R1 on each), one full fence (R2), re-check every
 * channel (R3), then wait once.  The argument of notify.c holds channel by
 * channel, so a message on any channel either is seen by the re-check or
 * gets its sender to notify; all channels' notify hooks must set the one
 * token the set's wait hook blocks on.
 */
#include "internal.h"

void urpc_waitset_init(struct urpc_waitset *ws, struct urpc_chan **storage,
		       size_t cap, const struct urpc_hooks *hooks)
{
	__builtin_memset(ws, 0, sizeof *ws);
	ws->chans = storage;
	ws->cap = cap;
	if (hooks)
		ws->hooks = *hooks;
}

static size_t urpc_waitset_find(const struct urpc_waitset *ws,
				const struct urpc_chan *c)
{
	size_t i;

	for (i = 0; i < ws->n && ws->chans[i] != c; i++)
		;
	return i;
}

err_t urpc_waitset_add(struct urpc_waitset *ws, struct urpc_chan *c)
{
	if (!c)
		return ERR_INVAL;
	if (urpc_waitset_find(ws, c) < ws->n)
		return ERR_EXIST;
	if (ws->n == ws->cap)
		return ERR_FULL;
	ws->chans[ws->n++] = c;
	return ERR_OK;
}

/* Removal keeps the order of the others, so fairness is undisturbed. */
err_t urpc_waitset_remove(struct urpc_waitset *ws, struct urpc_chan *c)
{
	size_t i = urpc_waitset_find(ws, c);

	if (i == ws->n)
		return ERR_NOENT;
	for (; i + 1 < ws->n; i++)
		ws->chans[i] = ws->chans[i + 1];
	ws->n--;
	if (ws->next >= ws->n)
		ws->next = 0;
	return ERR_OK;
}

struct urpc_chan *urpc_waitset_poll(struct urpc_waitset *ws)
{
	for (size_t i = 0; i < ws->n; i++) {
		size_t j = (ws->next + i) % ws->n;

		if (urpc_pending(ws->chans[j])) {
			ws->next = (j + 1) % ws->n;
			return ws->chans[j];
		}
	}
	return NULL;
}

/* The set's channels as the sources of urpc_sleep. */
struct urpc_waitset_sleep {
	struct urpc_waitset *ws;
	struct urpc_chan *ready;            /* what R3 found, or NULL */
};

static void urpc_waitset_announce(void *ctx, size_t i)
{
	struct urpc_waitset_sleep *s = ctx;

	urpc_rx_sleep_begin(s->ws->chans[i]);
}

static bool urpc_waitset_recheck(void *ctx)
{
	struct urpc_waitset_sleep *s = ctx;

	s->ready = urpc_waitset_poll(s->ws);
	return s->ready != NULL;
}

static void urpc_waitset_block(void *ctx)
{
	struct urpc_waitset_sleep *s = ctx;

	s->ws->hooks.wait(s->ws->hooks.wait_arg);
}

static void urpc_waitset_withdraw(void *ctx, size_t i)
{
	struct urpc_waitset_sleep *s = ctx;

	urpc_rx_sleep_end(s->ws->chans[i]);
}

static const struct urpc_sleep_ops urpc_waitset_sleep_ops = {
	urpc_waitset_announce, urpc_waitset_recheck, urpc_waitset_block,
	urpc_waitset_withdraw,
};

/* R1..R5 over every channel of the set; returns a ready channel or NULL. */
static struct urpc_chan *urpc_waitset_sleep(struct urpc_waitset *ws)
{
	struct urpc_waitset_sleep s = { ws, NULL };

	urpc_sleep(&urpc_waitset_sleep_ops, &s, ws->n);
	return s.ready;
}

struct urpc_chan *urpc_waitset_wait(struct urpc_waitset *ws, unsigned spins)
{
	struct urpc_chan *c;

	if (ws->n == 0)
		return NULL;
	for (;;) {
		for (unsigned i = 0; i <= spins; i++) {
			c = urpc_waitset_poll(ws);
			if (c)
				return c;
			urpc_pause(&ws->hooks);
		}
		if (ws->hooks.wait && (c = urpc_waitset_sleep(ws)))
			return c;
	}
}
